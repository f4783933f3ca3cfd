/* The catalogue of messages: a stable code and the Chinese of each English format
 * (msg.h), the nouns their values name, and the choice of language. */
#include "core/msg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

struct msg {
	const char *code, *en, *zh;
};

/* Sorted by nothing: looked up only when an error is rendered. */
static const struct msg catalogue[] = {
	/* the shape of a body (core/json.c) */
	{"field.required", "'%s' is required", "缺少必填项“{1}”"},
	{"field.unknown", "unknown field '%s'", "未知字段“{1}”"},
	{"field.readOnly", "'%s' is set by the server", "“{1}”由服务器设置，不能填写"},
	{"field.notNull", "'%s' must not be null", "“{1}”不能为 null"},
	{"field.type", "'%s' must be a string", "“{1}”必须是文本"},
	{"field.type", "'%s' must be a number", "“{1}”必须是数字"},
	{"field.type", "'%s' must be a whole number", "“{1}”必须是整数"},
	{"field.type", "'%s' must be an array", "“{1}”必须是数组"},
	{"field.type", "'%s' must be an object", "“{1}”必须是对象"},
	{"field.type", "'%s' must be true or false", "“{1}”必须是 true 或 false"},
	{"field.tooLong", "'%s' is longer than %zu bytes", "“{1}”超过 {2} 字节"},
	{"field.tooMany", "'%s' has more than %zu items", "“{1}”超过 {2} 项"},
	{"field.value", "'%s' must be one of the allowed values, not '%s'",
	 "“{1}”不能取值“{2}”，请从允许的取值中选择"},
	{"json.twice", "malformed JSON: '%.64s' is given twice in one object",
	 "JSON 格式错误：同一对象中“{1}”出现了两次"},
	{"json.malformed", "malformed JSON at line %zu column %zu%s",
	 "JSON 格式错误：第 {1} 行第 {2} 列{3}"},
	/* every resource's checks and writes (domain/resource.c, store/row.c) */
	{"field.blank", "'%s' must not be blank", "“{1}”不能为空白"},
	{"field.blank", "'name' must not be blank", "“name”不能为空白"},
	{"field.empty", "'%s' must not be empty", "“{1}”不能为空"},
	{"field.empty", "'id' must not be empty", "“id”不能为空"},
	{"field.empty", "'organizationParentRelationship.organization.id' must not be empty",
	 "“organizationParentRelationship.organization.id”（上级组织）不能为空"},
	{"field.tooLong", "'%s' has at most %d bytes, not %zu",
	 "“{1}”最多 {2} 字节，而不是 {3} 字节"},
	{"field.period", "'%s' ends before it starts", "“{1}”的结束时间早于开始时间"},
	{"field.immutable", "'%s' cannot change", "“{1}”创建后不能修改"},
	{"resource.notFound", "%s '%s' not found", "未找到{1n}“{2}”"},
	{"resource.notFound", "%s '%.64s' not found", "未找到{1n}“{2}”"},
	{"resource.notFound", "%s with %s '%s' not found", "未找到{2}为“{3}”的{1n}"},
	{"resource.stale", "%s '%s' is at version %lld, not %lld",
	 "{1n}“{2}”已是第 {3} 版，而不是第 {4} 版：已有人修改，请刷新后再改"},
	{"resource.transition", "%s %s cannot change from '%s' to '%s'",
	 "{1n}的{2n}不能从“{3}”改为“{4}”"},
	{"resource.initialState", "a new %s is %s, not '%s'", "新的{1n}只能是{2}，不能是“{3}”"},
	{"resource.taken", "another %s has this '%s' already", "另一个{1n}已经使用了这个“{2}”"},
	{"resource.neverDeleted", "a %s is never deleted", "{1n}不能删除"},
	{"scope.readOnly", "%s '%s' belongs to unit '%s', whose records you may see but not change",
	 "{1n}“{2}”属于单位“{3}”：您可以查看，但不能修改"},
	{"scope.notOwner",
	 "%s '%s' is not yours: you may see it but change only the records you own",
	 "{1n}“{2}”不归您负责：您可以查看，但只能修改归您负责的记录"},
	{"orgUnit.notFound", "org unit '%s' not found", "未找到组织单元“{1}”"},
	/* the API's conventions (http/) */
	{"body.required", "a JSON body is required", "请求需要 JSON 正文"},
	{"body.tooLarge", "request body is larger than %zu bytes", "请求正文超过 {1} 字节"},
	{"media.unsupported", "content type '%.64s' is not supported here; use %s",
	 "此处不支持内容类型“{1}”，请使用 {2}"},
	{"route.notFound", "no route for '%s %s'", "没有“{1} {2}”这个接口"},
	{"method.notAllowed", "method '%s' is not allowed on '%s'", "“{2}”不支持“{1}”方法"},
	{"query.unknown", "unknown query parameter '%.64s'", "未知的查询参数“{1}”"},
	{"request.targetTooLong", "request target is longer than %d bytes",
	 "请求地址超过 {1} 字节"},
	{"request.headTooLarge", "request line and headers are larger than %zu bytes",
	 "请求行和请求头超过 {1} 字节"},
	{"request.tooManyHeaders", "a request may have at most %d headers",
	 "一个请求最多只能有 {1} 个请求头"},
	{"filter.unknown", "unknown filter attribute '%s'", "未知的过滤属性“{1}”"},
	{"query.tooMany", "more than %d query parameters", "查询参数超过 {1} 个"},
	{"request.percentEncoding", "malformed percent-encoding in '%.*s'",
	 "“{1}”中的百分号编码格式错误"},
	{"request.headerSpace", "a header name may not be followed by white space before its colon",
	 "请求头名称与冒号之间不能有空白"},
	{"request.framing", "a request may not have both Content-Length and Transfer-Encoding",
	 "请求不能同时带有 Content-Length 和 Transfer-Encoding"},
	{"request.transferEncoding",
	 "Transfer-Encoding '%.64s' is not supported; only 'chunked' is",
	 "不支持 Transfer-Encoding“{1}”，只支持“chunked”"},
	{"request.transferEncoding", "Transfer-Encoding is not allowed in an HTTP/1.0 request",
	 "HTTP/1.0 请求不能使用 Transfer-Encoding"},
	{"request.contentLength", "Content-Length must be a whole number of bytes",
	 "Content-Length 必须是整数字节数"},
	{"request.contentLength", "Content-Length headers disagree",
	 "多个 Content-Length 请求头的值不一致"},
	/* who is asking (auth/) */
	{"auth.wrongLogin", "login or password is wrong", "用户名或密码错误"},
	{"auth.notLoggedIn", "no user is logged in", "没有已登录的用户"},
	{"auth.tokenInvalid", "the token is not valid", "令牌无效"},
	{"auth.tokenExpired", "the token has expired", "令牌已过期"},
	{"auth.tokenRevoked", "the token has been revoked", "令牌已被吊销"},
	{"auth.permission", "permission '%s' is required for %s %s", "{2} {3} 需要权限“{1}”"},
	{"auth.required", "authentication required: log in, or send 'Authorization: Bearer TOKEN'",
	 "需要身份认证：请登录，或发送“Authorization: Bearer TOKEN”请求头"},
	{"auth.header", "the Authorization header must be 'Bearer TOKEN'",
	 "Authorization 请求头必须是“Bearer TOKEN”的形式"},
	{"auth.sessionRequired",
	 "this request was made with a token, not a session; revoke the token instead",
	 "此请求使用的是令牌，而不是登录会话；请改为吊销该令牌"},
	{"auth.sessionRequired", "a password is changed in a logged-in session, not with a token",
	 "修改密码需要在已登录的会话中进行，不能使用令牌"},
	{"permission.unknown", "unknown permission '%.*s'", "未知权限“{1}”"},
	{"rate.limited", "too many %s; try again in %d seconds", "{1n}过于频繁，请 {2} 秒后再试"},
	{"server.busy", "the database is busy", "数据库正忙，请稍后再试"},
	/* parties, customers, users and roles (domain/) */
	{"party.identification.taken",
	 "an individual with this identification number already exists", "已有个人使用此证件号码"},
	{"party.uscc.taken", "an organization with this social credit code already exists",
	 "已有组织使用此统一社会信用代码"},
	{"party.identification.registered",
	 "%s is registered already, to '%s'; open that record instead",
	 "{1n}已登记在“{2}”名下，请打开该记录"},
	{"party.identification.elsewhere", "%s is registered in another province",
	 "{1n}已在其他省份登记"},
	{"party.identification.otherUnit", "%s is registered at another unit",
	 "{1n}已在其他单位登记"},
	{"customer.number.taken", "customer number '%s' is taken", "客户编号“{1}”已被使用"},
	{"user.login.taken", "login '%s' is taken", "登录名“{1}”已被使用"},
	{"role.unknown", "unknown role '%s'", "未知角色“{1}”"},
	{"role.hqOnly",
	 "roles apply across the whole organisation; only headquarters staff may change them",
	 "角色适用于整个组织，只有总部人员可以修改"},
	{"role.builtin", "role '%s' is built in; it can be edited but not deleted",
	 "角色“{1}”是内置角色，可以编辑，不能删除"},
	{"role.held", "role '%s' is held by users; take it from them first",
	 "角色“{1}”仍有用户持有，请先从这些用户收回"},
	{"role.lastAdministrator",
	 "at least one active user at headquarters must keep a role granting 'admin.roles', or "
	 "nobody could change roles any more; give one to another user first",
	 "总部必须至少有一名在职用户持有授予“admin.roles”的角色，否则将无人能够修改角色；"
	 "请先授予其他用户"},
	{"permission.notHeld", "you cannot grant '%s', which you do not hold",
	 "您不能授予自己没有的“{1}”"},
	/* lists and records of every resource (domain/resource.c, http/tmf.c) */
	{"field.dateTime", "'%s' must be an ISO-8601 date-time such as '2026-01-31T08:00:00Z'",
	 "“{1}”必须是 ISO-8601 日期时间，例如“2026-01-31T08:00:00Z”"},
	{"field.type", "'@type' must be '%s'", "“@type”必须是“{1}”"},
	{"filter.oneValue", "filter '%s' needs exactly one value", "过滤条件“{1}”只能有一个值"},
	{"filter.value", "filter '%s' value '%s' is not %s", "过滤条件“{1}”的值“{2}”不是{3n}"},
	{"filter.value", "filter '%s' value '%s' is not a valid %s",
	 "过滤条件“{1}”的值“{2}”不是有效的{3n}"},
	{"filter.noValue", "filter '%s' needs a value", "过滤条件“{1}”需要一个值"},
	{"sort.unknown", "cannot sort by '%s'; sortable: see the API's documentation",
	 "不能按“{1}”排序，可排序的字段见接口文档"},
	{"sort.tooMany", "at most %d sort keys", "最多 {1} 个排序字段"},
	{"cursor.invalid", "'cursor' is not one this list gave out",
	 "“cursor”不是此列表给出的游标"},
	{"cursor.otherSort", "'cursor' belongs to a list sorted by '%s'",
	 "“cursor”属于按“{1}”排序的列表"},
	{"cursor.withOffset", "'cursor' and 'offset' cannot be used together",
	 "“cursor”和“offset”不能同时使用"},
	{"field.masked", "a masked value cannot be written; send the full value",
	 "不能写入掩码后的值，请填写完整的值"},
	{"field.idImmutable", "'id' cannot change", "“id”不能修改"},
	{"resource.neverChanged", "a %s is never changed; delete it and make a new one",
	 "{1n}不能修改，请删除后重新创建"},
	{"request.ifMatch", "'If-Match' must be one entity tag such as '\"3\"', not '%.64s'",
	 "“If-Match”必须是一个实体标签，例如 \"3\"，而不是“{1}”"},
	{"list.offset", "'offset' must be a whole number from 0 to %lld, not '%.64s'",
	 "“offset”必须是 0 到 {1} 的整数，而不是“{2}”"},
	{"list.limit", "'limit' must be a whole number from 1 to %d, not '%.64s'",
	 "“limit”必须是 1 到 {1} 的整数，而不是“{2}”"},
	{"list.fields", "bad 'fields' parameter '%.64s': %s", "“fields”参数“{1}”有误：{2}"},
	/* the checks of resources (domain/) */
	{"party.address",
	 "a postal address needs 'street1', 'district', 'city' or 'stateOrProvince'",
	 "邮寄地址需要“street1”、“district”、“city”或“stateOrProvince”之一"},
	{"customer.numberForm", "customer number '%s' may hold only A-Z, 0-9 and '-'",
	 "客户编号“{1}”只能包含 A-Z、0-9 和“-”"},
	{"orgUnit.codeForm", "org unit code '%s' may hold only A-Z, 0-9 and '-' (not first)",
	 "组织单元代码“{1}”只能包含 A-Z、0-9 和“-”（“-”不能在开头）"},
	{"orgUnit.kindUnder", "a unit of kind '%s' cannot sit under '%s', which is a '%s'",
	 "“{1}”类单位不能放在“{3}”类单位“{2}”之下"},
	{"permission.beyond", "%s needs '%s', which you do not hold", "{1n}需要您没有的“{2}”"},
	{"user.loginForm", "login '%s' may hold only a-z, 0-9 and . _ - (not first)",
	 "登录名“{1}”只能包含 a-z、0-9 和 . _ -（这些符号不能在开头）"},
	{"user.locked",
	 "'locked' may only be set to false (to lift a lockout); disable the user instead",
	 "“locked”只能设为 false（解除锁定）；要停用用户，请修改其状态"},
	{"role.grantsBeyond", "role '%s' grants '%s', which you do not hold",
	 "角色“{1}”授予了您没有的“{2}”"},
	{"role.idShort", "a role id needs 2 characters", "角色代码至少需要 2 个字符"},
	{"role.idForm", "role id '%s' may hold only a-z, 0-9 and _ (not first)",
	 "角色代码“{1}”只能包含 a-z、0-9 和 _（数字和 _ 不能在开头）"},
	{"role.depthOne", "each depth names one permission", "每个范围只能对应一个权限"},
	{"role.depthNotGranted", "'depths' names '%s', which the role does not grant",
	 "“depths”中的“{1}”不是该角色授予的权限"},
	{"role.depthBeyond", "you cannot give '%s' the depth '%s': you reach '%s' with it yourself",
	 "您不能把“{1}”的范围设为“{2}”：您自己的范围是“{3}”"},
	{"token.duration", "'%s' is not a duration such as '30d', '12h', '90m' or '45s'",
	 "“{1}”不是有效的时长，例如“30d”、“12h”、“90m”或“45s”"},
	{"token.otherUser", "a token for another user needs 'admin.users'",
	 "为其他用户创建令牌需要“admin.users”权限"},
	{"token.userRequired", "'userId' is required: the system is not a user",
	 "缺少必填项“userId”：系统不是用户"},
	{"user.notFound", "user '%s' not found", "未找到用户“{1}”"},
	{"user.noSuchLogin", "no user has the login '%s'", "没有登录名为“{1}”的用户"},
	{"user.disabled", "user '%s' is disabled", "用户“{1}”已停用"},
	{"token.holdsMore", "user '%s' holds '%s', which you do not; you cannot make their token",
	 "用户“{1}”拥有您没有的“{2}”，您不能为其创建令牌"},
	{"token.revokeMore",
	 "user '%s' holds '%s', which you do not; you cannot revoke their token",
	 "用户“{1}”拥有您没有的“{2}”，您不能吊销其令牌"},
	{"token.expiryBoth", "give 'expiresIn' or 'expirationDate', not both",
	 "“expiresIn”和“expirationDate”只能给一个"},
	{"token.expiryPast", "the expiration must be in the future", "到期时间必须晚于现在"},
	{"token.expiryLong", "a token may live at most two years", "令牌的有效期最长两年"},
	{"token.nameEmpty", "'name' must not be empty", "“name”不能为空"},
	{"token.scopeBeyond", "the scope asks for '%s', which the owner or you do not hold",
	 "范围中的“{1}”是令牌所有者或您没有的权限"},
	{"token.notFound", "token '%s' not found", "未找到令牌“{1}”"},
	{"listener.callback", "callback '%s' is not an http or https URL",
	 "回调地址“{1}”不是 http 或 https 网址"},
	{"listener.query", "query '%s' is not supported: use 'eventType=A,B'",
	 "不支持查询条件“{1}”，请使用“eventType=A,B”"},
	{"listener.eventType", "the %s API sends no '%.*s' events", "{1} 接口不发送“{2}”事件"},
	{"listener.api", "no API '%s' publishes events", "没有名为“{1}”的接口发布事件"},
	{"listener.owner",
	 "a listener belongs to a user: register it with a user's session or token",
	 "事件订阅属于用户：请使用用户的会话或令牌注册"},
	{"search.tooLong", "'q' has at most %d bytes, not %zu",
	 "“q”最多 {1} 字节，而不是 {2} 字节"},
	{"search.notText", "'q' is not UTF-8 text", "“q”不是 UTF-8 文本"},
	{"search.control", "'q' has a control character", "“q”含有控制字符"},
	{"search.limit", "'limit' is 1 to %d, not %zu", "“limit”必须是 1 到 {1}，而不是 {2}"},
	{"search.limit", "'limit' is a number from 1 to %d", "“limit”必须是 1 到 {1} 的数字"},
	{"query.unknown", "unknown search parameter '%s'", "未知的搜索参数“{1}”"},
	/* org units (domain/org.c) */
	{"orgUnit.exists", "org unit '%s' already exists", "组织单元“{1}”已存在"},
	{"orgUnit.parentNotFound", "parent unit '%s' not found", "未找到上级单位“{1}”"},
	{"orgUnit.parentClosed", "parent unit '%s' is closed", "上级单位“{1}”已关闭"},
	{"orgUnit.ownParent", "unit '%s' cannot be its own parent", "单位“{1}”不能是自己的上级"},
	{"orgUnit.underItself", "unit '%s' cannot move under itself", "单位“{1}”不能移到自己下面"},
	{"orgUnit.hasActiveUnits", "unit '%s' has %lld active units under it",
	 "单位“{1}”下还有 {2} 个在用单位"},
	{"orgUnit.closed", "org unit '%s' is closed", "组织单元“{1}”已关闭"},
	{"orgUnit.parentRequired", "'parentId' is required", "缺少必填项“parentId”"},
	{"orgUnit.hqOnce", "there is only one 'hq' unit", "只能有一个总部单位"},
	{"orgUnit.hqFixed", "the 'hq' unit cannot move", "总部单位不能移动"},
	{"orgUnit.hqOpen", "the 'hq' unit cannot be closed", "总部单位不能关闭"},
	{"orgUnit.tooDeep", "the org tree is too deep", "组织层级过深"},
	/* customers (domain/customer.c) */
	{"customer.blacklistReason", "a blacklisted customer needs a 'blacklistReason'",
	 "列入黑名单的客户需要填写“blacklistReason”（原因）"},
	{"customer.blacklistReasonAlone",
	 "'blacklistReason' is given only with 'blacklisted': true",
	 "只有在“blacklisted”为 true 时才能填写“blacklistReason”"},
	{"customer.churnDate", "'churn.churnDate' is required",
	 "缺少必填项“churn.churnDate”（离网日期）"},
	{"customer.engagedPartyRequired", "'engagedParty.id' is required",
	 "缺少必填项“engagedParty.id”（客户对应的参与人）"},
	{"customer.engagedPartyNotFound", "engaged party '%s' not found", "未找到参与人“{1}”"},
	{"customer.numberEmpty", "'customerNo' must not be empty",
	 "“customerNo”（客户编号）不能为空"},
	{"customer.noFreeNumber", "no free customer number was found; try again",
	 "没有找到可用的客户编号，请重试"},
	/* parties (domain/party.c) */
	{"party.engaged", "%s '%s' is the engaged party of %lld customers",
	 "{1n}“{2}”是 {3} 个客户对应的参与人"},
	{"party.identification.incomplete",
	 "'%s[%zu]' needs 'identificationType' and 'identificationId'",
	 "“{1}[{2}]”需要“identificationType”（证件类型）和“identificationId”（证件号码）"},
	{"party.identification.oneResident", "an individual has one resident ID number",
	 "一个人只有一个居民身份证号码"},
	{"party.uscc.one", "an organization has one social credit code",
	 "一个组织只有一个统一社会信用代码"},
	{"party.contact.typeRequired", "'%s[%zu].mediumType' is required",
	 "缺少必填项“{1}[{2}].mediumType”（联系方式类型）"},
	{"party.characteristic.incomplete", "'%s[%zu]' needs 'name' and 'value'",
	 "“{1}[{2}]”需要“name”和“value”"},
	{"party.ref.idRequired", "'%s[%zu].id' is required", "缺少必填项“{1}[{2}].id”"},
	/* identifiers (core/ident.c) */
	{"ident.length", "%s has 18 characters, not %zu", "{1n}应为 18 位，而不是 {2} 位"},
	{"ident.checkCharacter", "%s check character should be '%c', not '%c'",
	 "{1n}的校验位应为“{2}”，而不是“{3}”"},
	{"ident.uscc.length", "a social credit code has 18 characters, not %zu",
	 "统一社会信用代码应为 18 位，而不是 {1} 位"},
	{"ident.uscc.checkCharacter", "social credit code check character should be '%c', not '%c'",
	 "统一社会信用代码的校验位应为“{1}”，而不是“{2}”"},
	{"ident.uscc.orgCheckCharacter",
	 "organisation code check character should be '%c', not '%c'",
	 "组织机构代码的校验位应为“{1}”，而不是“{2}”"},
	{"ident.uscc.notDigit", "character %zu of the social credit code is not a digit",
	 "统一社会信用代码的第 {1} 位不是数字"},
	{"ident.uscc.region", "region code %.2s in the social credit code is not a province",
	 "统一社会信用代码中的地区代码 {1} 不是有效的省份"},
	{"ident.mobile.length", "a mobile number has 11 digits, not %zu",
	 "手机号码应为 11 位，而不是 {1} 位"},
	{"ident.mobile.start", "a mobile number starts with 1, not %c",
	 "手机号码应以 1 开头，而不是 {1}"},
	{"ident.mobile.chars", "a mobile number has only digits, spaces and dashes, not '%c'",
	 "手机号码只能包含数字、空格和短横线，不能有“{1}”"},
	{"ident.phone.localLength",
	 "the local number after area code %s has 7 or 8 digits, not %zu",
	 "区号 {1} 之后的本地号码应为 7 或 8 位，而不是 {2} 位"},
	{"ident.phone.localLengthEight",
	 "the local number after area code %s has 8 digits, not %zu",
	 "区号 {1} 之后的本地号码应为 8 位，而不是 {2} 位"},
	{"ident.phone.areaCode",
	 "a fixed-line number starts with an area code, 0 and two or three digits",
	 "固定电话号码应以区号开头（0 加两位或三位数字）"},
	{"ident.email.space", "an e-mail address has a space", "电子邮件地址不能有空格"},
	{"ident.email.at", "an e-mail address has one '@', not %zu",
	 "电子邮件地址应有一个“@”，而不是 {1} 个"},
	{"ident.email.noTld", "e-mail domain '%s' has no top-level domain",
	 "电子邮件域名“{1}”没有顶级域名"},
	{"ident.passport.length", "a passport number has 5 to 20 characters, not %zu",
	 "护照号码应为 5 到 20 位，而不是 {1} 位"},
	{"ident.passport.chars", "a passport number has only letters and digits",
	 "护照号码只能包含字母和数字"},
	{"ident.passport.digit", "a passport number has at least one digit",
	 "护照号码至少有一位数字"},
	{"ident.prid.length", "a permanent resident ID number has 15 or 18 characters, not %zu",
	 "外国人永久居留身份证号码应为 15 或 18 位，而不是 {1} 位"},
	{"ident.hkmo.length",
	 "a Hong Kong and Macao travel permit number has 9 or 11 characters, not %zu",
	 "港澳居民来往内地通行证号码应为 9 或 11 位，而不是 {1} 位"},
	{"ident.tw.length", "a Taiwan travel permit number has 8 or 10 digits, not %zu",
	 "台湾居民来往大陆通行证号码应为 8 或 10 位，而不是 {1} 位"},
	{"ident.type", "identification type is not known", "未知的证件类型"},
	{"ident.typeUnknown", "identification type '%s' is not known", "未知的证件类型“{1}”"},
	{"ident.birthFuture", "birth date %.8s in the %s is in the future",
	 "{2n}中的出生日期 {1} 晚于今天"},
	{"ident.birthInvalid", "birth date %.8s in the %s is not a date",
	 "{2n}中的出生日期 {1} 不是有效日期"},
	{"ident.birthTooOld", "birth date %.8s in the %s is before 1900",
	 "{2n}中的出生日期 {1} 早于 1900 年"},
	{"ident.regionInvalid", "region code %.2s in the %s is not a province",
	 "{2n}中的地区代码 {1} 不是有效的省份"},
	{"ident.regionNotMainland", "region code %.2s in the %s is not a mainland province",
	 "{2n}中的地区代码 {1} 不是内地省份"},
	{"ident.notDigit", "character %zu of the %s is not a digit", "{2n}的第 {1} 位不是数字"},
	{"ident.lastChar", "the last character of the %s is not a digit or 'X'",
	 "{1n}的最后一位不是数字或“X”"},
	{"ident.mobileSegment", "mobile number segment %.*s is not allocated to an operator",
	 "手机号段 {1} 未分配给任何运营商"},
	{"ident.mobileSatellite", "mobile number segment %s is for satellite phones",
	 "手机号段 {1} 是卫星电话号段"},
	{"ident.mobileForeign", "only Chinese mobile numbers (+86) are accepted",
	 "只接受中国大陆手机号码（+86）"},
	{"ident.areaCode", "area code %s does not exist", "区号 {1} 不存在"},
	{"ident.uscc.char",
	 "character %zu of the social credit code is '%c', which the code does not use",
	 "统一社会信用代码的第 {1} 位是“{2}”，统一社会信用代码不使用该字符"},
	{"ident.uscc.char", "character %zu of the social credit code is not a digit or a letter",
	 "统一社会信用代码的第 {1} 位不是数字或字母"},
	{"ident.uscc.authority",
	 "registration authority '%c' in the social credit code is not one of 1-9, A, N, Y",
	 "统一社会信用代码中的登记管理部门代码“{1}”不是 1-9、A、N、Y 之一"},
	{"ident.uscc.orgType",
	 "organisation type '%c' in the social credit code does not exist under registration "
	 "authority '%c'",
	 "统一社会信用代码中的机构类别代码“{1}”在登记管理部门代码“{2}”下不存在"},
	{"ident.mobile.chars", "a mobile number has only digits, spaces and dashes",
	 "手机号码只能包含数字、空格和短横线"},
	{"ident.phone.chars", "a fixed-line number has '%c', which is not a digit",
	 "固定电话号码中的“{1}”不是数字"},
	{"ident.phone.chars", "a fixed-line number has a character that is not a digit",
	 "固定电话号码含有非数字字符"},
	{"ident.phone.parenthesis", "the area code has no closing parenthesis", "区号缺少右括号"},
	{"ident.phone.localStart", "the local number after area code %s starts with 2-9, not %c",
	 "区号 {1} 之后的本地号码应以 2-9 开头，而不是 {2}"},
	{"ident.phone.extensionLength", "an extension has 1 to 6 digits, not %zu",
	 "分机号应为 1 到 6 位，而不是 {1} 位"},
	{"ident.phone.extension", "a fixed-line number has '%c' where its extension should be",
	 "固定电话号码的分机号位置出现了“{1}”"},
	{"ident.phone.extension",
	 "a fixed-line number has a character that is not a digit where its extension should be",
	 "固定电话号码的分机号位置出现了非数字字符"},
	{"ident.email.char", "%s of an e-mail address has '%c', which is not allowed",
	 "电子邮件地址的{1n}含有不允许的字符“{2}”"},
	{"ident.email.char", "%s of an e-mail address has a character that is not allowed",
	 "电子邮件地址的{1n}含有不允许的字符"},
	{"ident.email.length", "an e-mail address has at most 254 characters, not %zu",
	 "电子邮件地址最多 254 个字符，而不是 {1} 个"},
	{"ident.email.localEmpty", "the part before the '@' of an e-mail address is empty",
	 "电子邮件地址“@”前面的部分为空"},
	{"ident.email.localLength",
	 "the part before the '@' of an e-mail address has at most 64 characters, not %zu",
	 "电子邮件地址“@”前面的部分最多 64 个字符，而不是 {1} 个"},
	{"ident.email.localDot",
	 "the part before the '@' of an e-mail address starts or ends with a dot",
	 "电子邮件地址“@”前面的部分不能以点号开头或结尾"},
	{"ident.email.localDots",
	 "the part before the '@' of an e-mail address has two dots in a row",
	 "电子邮件地址“@”前面的部分不能有两个连续的点号"},
	{"ident.email.domainEmpty", "the domain of an e-mail address is empty",
	 "电子邮件地址的域名为空"},
	{"ident.email.labelEmpty", "e-mail domain '%s' has an empty label",
	 "电子邮件域名“{1}”中有一段为空"},
	{"ident.email.labelLength", "e-mail domain labels have at most 63 characters, not %zu",
	 "电子邮件域名的每一段最多 63 个字符，而不是 {1} 个"},
	{"ident.email.labelDash", "e-mail domain label '%.*s' starts or ends with a dash",
	 "电子邮件域名中的“{1}”段不能以短横线开头或结尾"},
	{"ident.email.tldLetters", "e-mail top-level domain '%s' is not letters",
	 "电子邮件的顶级域名“{1}”不全是字母"},
	{"ident.email.tldShort", "e-mail top-level domain '%s' is one letter",
	 "电子邮件的顶级域名“{1}”只有一个字母"},
	{"ident.regionInvalid",
	 "region code %.6s in the %s is not 810000 (Hong Kong), 820000 (Macao) or 830000 "
	 "(Taiwan)",
	 "{2n}中的地区代码 {1} 不是 810000（香港）、820000（澳门）或 830000（台湾）"},
	{"ident.prid.start", "a %s of 18 characters starts with 9, not %c",
	 "18 位的{1n}应以 9 开头，而不是 {2}"},
	{"ident.prid.char", "character %zu of the permanent resident ID number is not a %s",
	 "外国人永久居留身份证号码的第 {1} 位不是{2n}"},
	{"ident.regionNotMainland",
	 "region code %.2s in the permanent resident ID number is not a mainland province",
	 "外国人永久居留身份证号码中的地区代码 {1} 不是内地省份"},
	{"ident.birthInvalid", "birth date %.6s in the permanent resident ID number is not a date",
	 "外国人永久居留身份证号码中的出生日期 {1} 不是有效日期"},
	{"ident.birthFuture",
	 "birth date %.6s in the permanent resident ID number is in the future",
	 "外国人永久居留身份证号码中的出生日期 {1} 晚于今天"},
	{"ident.checkCharacter",
	 "permanent resident ID number check character should be '%c', not '%c'",
	 "外国人永久居留身份证号码的校验位应为“{1}”，而不是“{2}”"},
	{"ident.passport.chars", "a passport number has only letters and digits, not a space",
	 "护照号码只能包含字母和数字，不能有空格"},
	{"ident.passport.chars", "a passport number has only letters and digits, not '%c'",
	 "护照号码只能包含字母和数字，不能有“{1}”"},
	{"ident.passport.chineseLength",
	 "a Chinese passport number starting with '%c' and a digit has 8 digits, not %zu",
	 "以“{1}”加数字开头的中国护照号码应有 8 位数字，而不是 {2} 位"},
	{"ident.passport.chinesePrefix", "Chinese passport numbers do not start with 'EI' or 'EO'",
	 "中国护照号码不以“EI”或“EO”开头"},
	{"ident.passport.chineseLength",
	 "a Chinese passport number starting with 'E' and a letter has 7 digits after them, not "
	 "%zu",
	 "以“E”加字母开头的中国护照号码其后应有 7 位数字，而不是 {1} 位"},
	{"ident.hkmo.start",
	 "a Hong Kong and Macao travel permit number starts with H or M, not '%c'",
	 "港澳居民来往内地通行证号码应以 H 或 M 开头，而不是“{1}”"},
	{"ident.hkmo.start", "a Hong Kong and Macao travel permit number starts with H or M",
	 "港澳居民来往内地通行证号码应以 H 或 M 开头"},
	{"ident.hkmo.notDigit",
	 "character %zu of the Hong Kong and Macao travel permit number is not a digit",
	 "港澳居民来往内地通行证号码的第 {1} 位不是数字"},
	{"ident.tw.office",
	 "the issuing office code of a Taiwan travel permit number is one letter or digit in "
	 "parentheses, as in (B)",
	 "台湾居民来往大陆通行证号码的签发机关代码是括号中的一个字母或数字，例如 (B)"},
	{"ident.tw.chars", "a Taiwan travel permit number has '%c', which is not a digit",
	 "台湾居民来往大陆通行证号码中的“{1}”不是数字"},
	{"ident.tw.chars", "a Taiwan travel permit number has a character that is not a digit",
	 "台湾居民来往大陆通行证号码含有非数字字符"},
	{"ident.tw.officeAfter",
	 "an issuing office code follows the 10 digits of an old Taiwan travel permit number, "
	 "not %zu",
	 "签发机关代码只能跟在旧版台湾居民来往大陆通行证号码的 10 位数字之后，而不是 {1} "
	 "位数字之后"},
	{"ident.service.length", "%s has 6 to 20 characters, not %zu",
	 "{1n}应为 6 到 20 位，而不是 {2} 位"},
	{"ident.service.chars",
	 "character %zu of the %s is '%c', not a letter, a digit or a Chinese character",
	 "{2n}的第 {1} 位“{3}”不是字母、数字或汉字"},
	{"ident.service.chars",
	 "character %zu of the %s is not a letter, a digit or a Chinese character",
	 "{2n}的第 {1} 位不是字母、数字或汉字"},
	/* users, passwords and sessions (domain/user.c, auth/) */
	{"user.phone", "'%s' is not a phone number", "“{1}”不是电话号码"},
	{"user.email", "'%s' is not an e-mail address", "“{1}”不是电子邮件地址"},
	{"user.loginShort", "a login needs at least 2 characters", "登录名至少需要 2 个字符"},
	{"password.short", "a password needs at least %d characters", "密码至少需要 {1} 个字符"},
	{"password.long", "a password may have at most %d characters", "密码最多 {1} 个字符"},
	{"password.mix", "a password needs both letters and digits", "密码需要同时包含字母和数字"},
	{"password.isLogin", "a password must not be the login", "密码不能与登录名相同"},
	{"password.currentWrong", "the current password is wrong", "当前密码错误"},
	{"auth.locked", "the account is locked after repeated failed logins until %s",
	 "多次登录失败，账户已锁定至 {1}"},
	{"auth.disabled", "the account is disabled", "账户已停用"},
	{"auth.sessionEnded", "the session has ended; log in again", "会话已结束，请重新登录"},
	{"auth.sessionExpired", "the session has expired; log in again", "会话已过期，请重新登录"},
	{"auth.csrf", "a request that changes data needs the session's X-CSRF-Token header",
	 "修改数据的请求需要会话的 X-CSRF-Token 请求头"},
	{"auth.tokenUserDisabled", "the token's user is disabled", "令牌所属用户已停用"},
	/* idempotency (domain/idem.c) */
	{"idempotency.reused", "idempotency key '%s' was used for a different request",
	 "幂等键“{1}”已用于另一个请求"},
	{"idempotency.pending", "the first request with idempotency key '%s' has not finished",
	 "使用幂等键“{1}”的第一个请求尚未完成"},
	{"idempotency.pending", "idempotency key '%s' is already in use",
	 "幂等键“{1}”正被另一个请求使用"},
	{"idempotency.notFound", "idempotency key '%s' not found", "未找到幂等键“{1}”"},
	{"idempotency.keyLength", "'Idempotency-Key' must be 1 to %d characters",
	 "“Idempotency-Key”必须是 1 到 {1} 个字符"},
	{"idempotency.keyChars", "'Idempotency-Key' must be printable ASCII",
	 "“Idempotency-Key”只能包含可打印的 ASCII 字符"},
	/* sessions, tokens and events in the store (store/identity.c, store/outbox.c) */
	{"session.notFound", "no such session", "会话不存在"},
	{"token.notFound", "no such token", "令牌不存在"},
	{"resource.stale", "%s '%s' was changed by someone else",
	 "{1n}“{2}”已被他人修改，请刷新后再改"},
	{"event.exists", "event '%s' already exists", "事件“{1}”已存在"},
	{"listener.notFound", "listener '%s' not found", "未找到事件订阅“{1}”"},
	/* the rule language: attribute sets and rules (core/expr_*.c, domain/rules.c) */
	{"rule.attribute.name", "attribute name '%s' is not valid", "属性名“{1}”无效"},
	{"rule.attribute.keyword", "attribute name '%s' is a keyword", "属性名“{1}”是关键字"},
	{"rule.attribute.type", "attribute '%s' has no valid type", "属性“{1}”没有有效的类型"},
	{"rule.attribute.twice", "attribute '%s' is defined twice", "属性“{1}”定义了两次"},
	{"rule.attribute.typeText", "the type of attribute '%s' must be a string such as 'number'",
	 "属性“{1}”的类型必须是文本，例如“number”"},
	{"rule.attribute.typeUnknown",
	 "attribute '%s' has unknown type '%s'; the types are 'number', 'int', 'string', 'bool', "
	 "'date' and 'duration'",
	 "属性“{1}”的类型“{2}”未知，可用的类型有“number”、“int”、“string”、“bool”、“date”和"
	 "“duration”"},
	{"rule.schema.tooMany", "schema has more than %d attributes", "属性集的属性超过 {1} 个"},
	{"rule.schema.nameRequired", "an attribute set needs a name", "属性集需要名称"},
	{"rule.schema.registered", "attribute set '%s' is registered already", "属性集“{1}”已注册"},
	{"rule.schema.full", "cannot register '%s': there are %d attribute sets already",
	 "无法注册“{1}”：已有 {2} 个属性集"},
	{"rule.schema.filter", "schemas can be filtered by 'name' equality only",
	 "属性集只能按“name”等值过滤"},
	{"rule.schema.unknown", "unknown schema '%s'; the schemas are %s",
	 "未知的属性集“{1}”，可用的属性集有 {2}"},
	{"rule.schema.form",
	 "'schema' must be the name of a schema or an object of attribute types",
	 "“schema”必须是属性集的名称，或由属性类型组成的对象"},
	{"rule.tooLong", "rule is %zu bytes, over the limit of %d",
	 "规则长 {1} 字节，超过了 {2} 字节的上限"},
	{"rule.notBoolean", "rule gives %s, not true or false",
	 "规则的结果类型是“{1}”，而不是 true 或 false"},
	/* customer files: reading, checking and loading them (core/csv.c,
	 * domain/customer_file.c, domain/customer_load.c) */
	{"csv.read", "line %lld: reading the input failed", "第 {1} 行：读取输入失败"},
	{"csv.strayQuote", "line %lld: a quote inside an unquoted field",
	 "第 {1} 行：未加引号的字段中出现了引号"},
	{"csv.closingQuote", "line %lld: a closing quote not followed by a comma or line end",
	 "第 {1} 行：结束引号后面不是逗号或行尾"},
	{"csv.carriageReturn", "line %lld: a carriage return not followed by a line feed",
	 "第 {1} 行：回车符后面没有换行符"},
	{"csv.nul", "line %lld: a NUL byte", "第 {1} 行：含有 NUL 字节"},
	{"csv.unterminated", "line %lld: unterminated quoted field",
	 "第 {1} 行：带引号的字段没有结束"},
	{"csv.recordTooLong", "line %lld: record longer than %zu bytes",
	 "第 {1} 行：记录超过 {2} 字节"},
	{"import.header.tooMany", "the header has %zu columns; a customer file has at most %d",
	 "表头有 {1} 列，客户文件最多 {2} 列"},
	{"import.header.twice", "column '%s' is in the header twice", "表头中“{1}”列出现了两次"},
	{"import.header.unknown", "unknown column '%s' in the header", "表头中有未知的列“{1}”"},
	{"import.header.customerNo", "the header has no 'customerNo' column",
	 "表头缺少“customerNo”（客户编号）列"},
	{"import.fieldCount", "the record has %zu fields, the header %d",
	 "该记录有 {1} 个字段，而表头有 {2} 个"},
	{"field.type", "'%s' is '%s', not true or false", "“{1}”的值是“{2}”，不是 true 或 false"},
	{"field.value", "'partyType' is 'individual' or 'organization', not '%s'",
	 "“partyType”（参与人类型）应为“individual”或“organization”，而不是“{1}”"},
	{"import.encoding", "'%s' is not valid UTF-8 (byte 0x%02X at byte %zu)",
	 "“{1}”不是有效的 UTF-8 文本（第 {3} 个字节为 0x{2}）"},
	{"import.control", "'%s' holds the control character U+%04X at character %zu",
	 "“{1}”的第 {3} 个字符是控制字符 U+{2}"},
	{"import.party.mismatch",
	 "'idNumber' belongs to party '%s' (%s), which has no '%s' (here '%s')",
	 "“idNumber”（证件号码）属于参与人“{1}”（{2}），该参与人没有“{3}”（此处为“{4}”）"},
	{"import.party.mismatch",
	 "'idNumber' belongs to party '%s' (%s), whose '%s' is '%s', not '%s'",
	 "“idNumber”（证件号码）属于参与人“{1}”（{2}），其“{3}”是“{4}”，而不是“{5}”"},
	{"import.party.kind", "'idNumber' belongs to party '%s' (%s), an %s, not an %s",
	 "“idNumber”（证件号码）属于参与人“{1}”（{2}），该参与人是{3n}，而不是{4n}"},
	{"import.customerNo",
	 "an imported customer needs its 'customerNo', which makes the import safe to repeat",
	 "导入的客户必须有“customerNo”（客户编号），这样导入才能安全地重复执行"},
	{"import.failedAfterChecks", "customer '%s' failed after its checks passed",
	 "客户“{1}”已通过检查，但写入时失败"},
	/* the database (store/) */
	{"database.error", "database error while running a statement", "执行语句时数据库出错"},
	{"database.error", "database error while %s", "{1n}时数据库出错"},
	{"database.constraint", "%s violates a database constraint", "{1n}时违反了数据库约束"},
	{"database.schemaNewer",
	 "database schema version %d is newer than this telcrm (knows up to %d); upgrade telcrm",
	 "数据库结构版本 {1} 比此 telcrm 新（它只支持到版本 {2}），请升级 telcrm"},
	{"database.schemaOlder",
	 "database schema version %d is older than this telcrm (version %d); run 'telcrm migrate'",
	 "数据库结构版本 {1} 比此 telcrm（版本 {2}）旧，请运行“telcrm migrate”"},
	{"database.notGiven", "no database given", "未指定数据库"},
	{"database.notGiven", "no database path given", "未指定数据库路径"},
	{"database.connect", "cannot connect to the database", "无法连接数据库"},
	{"database.connectionLost", "the database connection is lost", "与数据库的连接已断开"},
	{"database.rolledBack", "the transaction was rolled back", "事务已回滚"},
	{"database.backupPostgres",
	 "a PostgreSQL database is backed up with pg_dump or pg_basebackup",
	 "PostgreSQL 数据库请使用 pg_dump 或 pg_basebackup 备份"},
	{"database.notFound", "database '%s' does not exist", "数据库“{1}”不存在"},
	{"database.noBulkLoad", "the %s backend has no bulk load", "{1} 后端不支持批量装载"},
	{"database.nulByte", "'%s' holds a NUL byte, which PostgreSQL cannot store",
	 "“{1}”含有 NUL 字节，PostgreSQL 无法保存"},
	{"database.bulkRows", "%lld rows of %s were sent and %lld written",
	 "向 {2} 发送了 {1} 行，写入了 {3} 行"},
	/* copying a database into PostgreSQL (store/copy.c) */
	{"copy.sourceNotSqlite", "the source of a copy is a SQLite database",
	 "复制的源数据库必须是 SQLite 数据库"},
	{"copy.targetNotPostgres", "the target of a copy is a PostgreSQL database",
	 "复制的目标数据库必须是 PostgreSQL 数据库"},
	{"copy.schemaVersion", "the source has schema version %d and the target %d",
	 "源数据库的结构版本是 {1}，目标数据库是 {2}"},
	{"copy.tableMissing", "table '%s' of the target is not in the source",
	 "目标数据库的表“{1}”在源数据库中不存在"},
	{"copy.keyMissing", "the source's table '%s' lacks a column of its key",
	 "源数据库的表“{1}”缺少其主键中的列"},
	{"copy.otherSource",
	 "the target holds a copy of another database; copy into a new, empty database",
	 "目标数据库中是另一个数据库的副本，请复制到一个新的空数据库"},
	{"copy.sourceChanged",
	 "table '%s' has %lld rows in the source but had %lld when it was copied: the source "
	 "changed since the copy began",
	 "源数据库的表“{1}”现有 {2} 行，复制时有 {3} 行：复制开始后源数据库被修改过"},
	{"copy.targetChanged",
	 "table '%s' of the target has %lld rows but was copied with %lld: the target changed "
	 "since",
	 "目标数据库的表“{1}”现有 {2} 行，复制时有 {3} 行：复制之后目标数据库被修改过"},
	{"copy.targetChanged",
	 "table '%s' of the target, not copied yet, holds %lld rows: the target changed since "
	 "the copy began",
	 "目标数据库中尚未复制的表“{1}”已有 {2} 行：复制开始后目标数据库被修改过"},
	{"copy.targetNotEmpty",
	 "the target holds data already (table '%s' has %lld rows); copy into a new, empty "
	 "database",
	 "目标数据库中已有数据（表“{1}”有 {2} 行），请复制到一个新的空数据库"},
	{"copy.rowCount", "table '%s' has %lld rows in the copy but %lld in the source",
	 "表“{1}”的副本有 {2} 行，而源数据库中有 {3} 行"},
	{"copy.checksum", "table '%s' differs from the source: checksum %s, the source's %s",
	 "表“{1}”的副本与源数据库不一致：校验和为 {2}，源数据库为 {3}"},
	{"database.open", "cannot open database '%s'", "无法打开数据库“{1}”"},
	{"database.statementTooLong", "statement of %zu bytes is too long",
	 "语句长 {1} 字节，超过上限"},
	{"database.statementEmpty", "empty SQL statement", "SQL 语句为空"},
	{"file.exists", "'%s' already exists", "“{1}”已存在"},
	{"file.create", "cannot create '%s': %s", "无法创建“{1}”：{2}"},
	{"file.open", "cannot open '%s'", "无法打开“{1}”"},
	{"file.close", "cannot close '%s'", "无法关闭“{1}”"},
	{"file.write", "cannot write: %s", "无法写入：{1}"},
	/* starting the server and the command line (core/config.c, http/, cli/) */
	{"option.unknown", "unknown option '%s'", "未知选项“{1}”"},
	{"option.tooManyArguments", "too many arguments at '%s'",
	 "参数过多，多余的参数从“{1}”开始"},
	{"option.valueRequired", "option '--%s' needs a value", "选项“--{1}”需要一个值"},
	{"option.range", "%s '%s' must be a whole number from %lld to %lld",
	 "{1n}的值“{2}”必须是 {3} 到 {4} 之间的整数"},
	{"option.bool", "%s '%s' must be true or false", "{1n}的值“{2}”必须是 true 或 false"},
	{"server.listenAddress", "listen address '%s' must be ADDR:PORT",
	 "监听地址“{1}”必须是“地址:端口”的形式"},
	{"server.listenAddress", "listen address '%s' is not an IPv4 address",
	 "监听地址“{1}”不是 IPv4 地址"},
	{"server.listen", "cannot listen on '%s'", "无法在“{1}”上监听"},
	{"server.thread", "cannot create a thread key", "无法创建线程局部存储键"},
	{"server.thread", "cannot start a thread", "无法启动线程"},
	{"server.thread", "cannot start the event sender thread", "无法启动事件发送线程"},
	{"server.httpClient", "cannot initialise the HTTP client", "无法初始化 HTTP 客户端"},
	{"server.crypto", "libsodium failed to start", "加密库 libsodium 启动失败"},
	{"server.crypto", "cannot initialise libsodium", "无法初始化加密库 libsodium"},
	{"server.outOfMemory", "out of memory hashing a password", "计算密码哈希时内存不足"},
	{"server.outOfMemory", "out of memory for the rate limiters", "限流器内存不足"},
	{"route.malformed", "route '%s %s' is malformed", "路由“{1} {2}”格式错误"},
	{"route.emptySegment", "route '%s %s' has an empty segment", "路由“{1} {2}”中有空的路径段"},
	{"route.tooManyParameters", "route '%s %s' has more than %d parameters",
	 "路由“{1} {2}”的参数超过 {3} 个"},
	{"route.badSegment", "route '%s %s' has a bad segment", "路由“{1} {2}”中有无效的路径段"},
	{"route.duplicate", "duplicate route '%s %s'", "路由“{1} {2}”重复"},
	{"route.tooManyMethods", "too many methods on '%s'", "“{1}”上的方法过多"},
	{"web.read", "cannot read web file '%s%s': %s", "无法读取网页文件“{1}{2}”：{3}"},
	{"web.read", "cannot read web file '%s%s/%s': %s", "无法读取网页文件“{1}{2}/{3}”：{4}"},
	{"web.read", "cannot read web directory '%s%s': %s", "无法读取网页目录“{1}{2}”：{3}"},
	{"web.read", "cannot read web directory '%s': %s", "无法读取网页目录“{1}”：{2}"},
	{"web.tooMany", "web directory '%s' holds more than %d files",
	 "网页目录“{1}”中的文件超过 {2} 个"},
	{"web.tooLarge", "web directory '%s' holds more than %d MiB", "网页目录“{1}”超过 {2} MiB"},
	{"web.tooDeep", "web directory '%s' is nested deeper than %d levels",
	 "网页目录“{1}”的嵌套超过 {2} 层"},
	{"web.notFound", "web directory '%s' does not exist", "网页目录“{1}”不存在"},
	{"web.notDirectory", "web directory '%s' is not a directory", "网页目录“{1}”不是目录"},
};

/* The nouns the values of messages name: resources and what they hold. */
static const struct {
	const char *en, *zh;
} nouns[] = {
	{"customer", "客户"},
	{"individual", "个人"},
	{"organization", "组织"},
	{"party", "参与人"},
	{"org unit", "组织单元"},
	{"orgUnit", "组织单元"},
	{"user", "用户"},
	{"role", "角色"},
	{"listener", "事件订阅"},
	{"token", "令牌"},
	{"status", "状态"},
	{"this identification number", "该证件号码"},
	{"this social credit code", "该统一社会信用代码"},
	{"login attempts", "登录尝试"},
	{"requests", "请求"},
	{"resident ID number", "居民身份证号码"},
	{"an ID number", "身份证号码"},
	{"ID number", "身份证号码"},
	{"a residence permit number", "居住证号码"},
	{"a permanent resident ID number", "外国人永久居留身份证号码"},
	{"permanent resident ID number", "外国人永久居留身份证号码"},
	{"an ISO-8601 date-time", "ISO-8601 日期时间"},
	{"a whole number", "整数"},
	{"a number", "数字"},
	{"true or false", "true 或 false"},
	{"a text", "文本"},
	{"temporary resident ID number", "临时居民身份证号码"},
	{"residence permit number", "居住证号码"},
	{"a military ID number", "军人身份证件号码"},
	{"military ID number", "军人身份证件号码"},
	{"an armed police ID number", "武警身份证件号码"},
	{"armed police ID number", "武警身份证件号码"},
	{"the part before the '@'", "“@”前面的部分"},
	{"the domain", "域名部分"},
	{"letter", "字母"},
	{"digit", "数字"},
	{"number", "数字"},
	{"date-time", "日期时间"},
	{"option", "选项"},
	/* what needs a permission (domain/user.c) */
	{"changing this user", "修改该用户"},
	{"granting these roles", "授予这些角色"},
	/* what the database was doing (store/sqlite.c, store/pg.c) */
	{"configuring the connection", "配置数据库连接"},
	{"running a script", "执行脚本"},
	{"preparing a statement", "准备语句"},
	{"running a statement", "执行语句"},
	{"starting the backup", "开始备份"},
	{"copying the database", "复制数据库"},
	{"finishing the backup", "完成备份"},
	{"committing", "提交事务"},
	{"loading rows", "批量装载数据"},
};

static const struct msg *entry_of(const struct crm_err *err)
{
	for (size_t i = 0; err->format[0] && i < sizeof(catalogue) / sizeof(catalogue[0]); i++)
		if (strcmp(catalogue[i].en, err->format) == 0)
			return &catalogue[i];
	return NULL;
}

static const char *const kinds[CRM_E_COUNT] = {
	[0] = "ok",
	[-CRM_EINVAL] = "request.invalid",
	[-CRM_ENOTFOUND] = "resource.notFound",
	[-CRM_ECONFLICT] = "resource.conflict",
	[-CRM_ESTALE] = "resource.stale",
	[-CRM_EAUTH] = "auth.required",
	[-CRM_EPERM] = "permission.denied",
	[-CRM_ETOOBIG] = "body.tooLarge",
	[-CRM_EMEDIA] = "media.unsupported",
	[-CRM_EMETHOD] = "method.notAllowed",
	[-CRM_ERATE] = "rate.limited",
	[-CRM_EUNPROC] = "request.unprocessable",
	[-CRM_EBUSY] = "server.busy",
	[-CRM_EIO] = "server.error",
	[-CRM_ESCHEMA] = "server.error",
	[-CRM_EINTERNAL] = "server.error",
};

const char *msg_code(const struct crm_err *err)
{
	const struct msg *m = entry_of(err);

	if (m)
		return m->code;
	return err->code <= 0 && err->code > -CRM_E_COUNT ? kinds[-err->code] : "server.error";
}

static const char *noun(const char *en)
{
	for (size_t i = 0; i < sizeof(nouns) / sizeof(nouns[0]); i++)
		if (strcmp(nouns[i].en, en) == 0)
			return nouns[i].zh;
	return en;
}

const char *msg_text(const struct crm_err *err, enum crm_lang lang, char *out, size_t n)
{
	const struct msg *m = lang == CRM_LANG_ZH ? entry_of(err) : NULL;
	size_t len = 0;

	if (!n)
		return out;
	if (!m) {
		snprintf(out, n, "%s", err->message);
		return out;
	}
	for (const char *p = m->zh; *p && len + 1 < n;) {
		const char *v = NULL;

		if (p[0] == '{' && p[1] >= '1' && p[1] <= '9') {
			int i = p[1] - '1';
			bool as_noun = p[2] == 'n';
			const char *close = p + 2 + as_noun;

			if (*close == '}') {
				v = i < err->nargs ? err->args[i] : "";
				if (as_noun)
					v = noun(v);
				p = close + 1;
			}
		}
		if (v) {
			size_t k = strlen(v);

			if (k > n - 1 - len)
				k = n - 1 - len;
			memcpy(out + len, v, k);
			len += k;
		} else {
			out[len++] = *p++;
		}
	}
	out[len] = '\0';
	return out;
}

/* One tag of Accept-Language and its weight ("zh-CN;q=0.8"). */
static double weight_of(const char *tag, size_t n)
{
	const char *q = memchr(tag, ';', n);
	const char *w;

	if (!q)
		return 1.0;
	w = strstr(q, "q=");
	return w && (size_t)(w - tag) < n ? strtod(w + 2, NULL) : 1.0;
}

enum crm_lang msg_lang_of(const char *accept_language)
{
	const char *p = accept_language;
	double zh = 0, en = 0;
	bool zh_first = false;

	while (p && *p) {
		size_t n = strcspn(p, ",");
		const char *t = p + strspn(p, " ");
		double w = weight_of(p, n);

		if (strncasecmp(t, "zh", 2) == 0 && w > zh) {
			zh_first |= en == 0;
			zh = w;
		} else if ((strncasecmp(t, "en", 2) == 0 || *t == '*') && w > en) {
			en = w;
		}
		p += n + (p[n] == ',');
	}
	/* the weightier; of two alike, the one named first */
	return zh > en || (zh > 0 && zh == en && zh_first) ? CRM_LANG_ZH : CRM_LANG_EN;
}

size_t msg_count(void)
{
	return sizeof(catalogue) / sizeof(catalogue[0]);
}

void msg_entry(size_t i, const char **code, const char **en, const char **zh)
{
	*code = catalogue[i].code;
	*en = catalogue[i].en;
	*zh = catalogue[i].zh;
}
