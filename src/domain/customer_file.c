/* The customer file's columns, and records to and from the TMF resources. */
#include "domain/customer_file.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "core/str.h"
#include "core/time.h"
#include "domain/user.h"
#include "core/banned.h"

enum col {
	COL_CUSTOMER_NO,
	COL_NAME,
	COL_STATUS,
	COL_STATUS_REASON,
	COL_RANK,
	COL_SEGMENT,
	COL_ORG_ID,
	COL_OWNER,
	COL_BLACKLISTED,
	COL_BLACKLIST_REASON,
	COL_BIG_CUSTOMER,
	COL_CHURN_DATE,
	COL_CHURN_REASON,
	COL_PORTED_TO,
	COL_PARTY_TYPE,
	COL_FAMILY_NAME,
	COL_GIVEN_NAME,
	COL_FULL_NAME,
	COL_GENDER,
	COL_BIRTH_DATE,
	COL_NATIONALITY,
	COL_ORG_NAME,
	COL_TRADING_NAME,
	COL_ORG_TYPE,
	COL_ID_TYPE,
	COL_ID_NUMBER,
	COL_MOBILE,
	COL_PHONE,
	COL_EMAIL,
	COL_PROVINCE,
	COL_CITY,
	COL_DISTRICT,
	COL_STREET,
	COL_POST_CODE,
	COL_COUNT,
};

const char *const customer_file_columns[COL_COUNT] = {
	[COL_CUSTOMER_NO] = "customerNo",
	[COL_NAME] = "name",
	[COL_STATUS] = "status",
	[COL_STATUS_REASON] = "statusReason",
	[COL_RANK] = "customerRank",
	[COL_SEGMENT] = "segment",
	[COL_ORG_ID] = "orgId",
	[COL_OWNER] = "owner",
	[COL_BLACKLISTED] = "blacklisted",
	[COL_BLACKLIST_REASON] = "blacklistReason",
	[COL_BIG_CUSTOMER] = "bigCustomerPotential",
	[COL_CHURN_DATE] = "churnDate",
	[COL_CHURN_REASON] = "churnReason",
	[COL_PORTED_TO] = "portedToOperator",
	[COL_PARTY_TYPE] = "partyType",
	[COL_FAMILY_NAME] = "familyName",
	[COL_GIVEN_NAME] = "givenName",
	[COL_FULL_NAME] = "fullName",
	[COL_GENDER] = "gender",
	[COL_BIRTH_DATE] = "birthDate",
	[COL_NATIONALITY] = "nationality",
	[COL_ORG_NAME] = "organizationName",
	[COL_TRADING_NAME] = "tradingName",
	[COL_ORG_TYPE] = "organizationType",
	[COL_ID_TYPE] = "idType",
	[COL_ID_NUMBER] = "idNumber",
	[COL_MOBILE] = "mobile",
	[COL_PHONE] = "phone",
	[COL_EMAIL] = "email",
	[COL_PROVINCE] = "province",
	[COL_CITY] = "city",
	[COL_DISTRICT] = "district",
	[COL_STREET] = "street",
	[COL_POST_CODE] = "postCode",
};
const size_t customer_file_ncolumns = COL_COUNT;

_Static_assert(COL_COUNT + 1 <= sizeof(((struct customer_file_map *)0)->at) /
					sizeof(((struct customer_file_map *)0)->at[0]),
	       "customer_file_map.at holds every column and the field count");
#define NFIELDS_AT COL_COUNT /* at[COL_COUNT]: the header's field count */

int customer_file_header(struct crm_ctx *ctx, char **fields, size_t n,
			 struct customer_file_map *out)
{
	for (size_t c = 0; c < COL_COUNT; c++)
		out->at[c] = -1;
	out->reject_reason = -1;
	if (n > 200)
		return crm_err_set(&ctx->err, CRM_EINVAL, NULL,
				   "the header has %zu columns; a customer file has at most %d", n,
				   COL_COUNT);
	out->at[NFIELDS_AT] = (int)n;
	for (size_t i = 0; i < n; i++) {
		size_t c = 0;

		if (strcmp(fields[i], CUSTOMER_FILE_REJECT_REASON) == 0) {
			if (out->reject_reason >= 0)
				return crm_err_set(&ctx->err, CRM_EINVAL, fields[i],
						   "column '%s' is in the header twice", fields[i]);
			out->reject_reason = (int)i;
			continue;
		}
		while (c < COL_COUNT && strcmp(customer_file_columns[c], fields[i]) != 0)
			c++;
		if (c == COL_COUNT)
			return crm_err_set(&ctx->err, CRM_EINVAL, fields[i],
					   "unknown column '%s' in the header", fields[i]);
		if (out->at[c] >= 0)
			return crm_err_set(&ctx->err, CRM_EINVAL, fields[i],
					   "column '%s' is in the header twice", fields[i]);
		out->at[c] = (int)i;
	}
	if (out->at[COL_CUSTOMER_NO] < 0)
		return crm_err_set(&ctx->err, CRM_EINVAL, "customerNo",
				   "the header has no 'customerNo' column");
	return 0;
}

/* ---- records to resources ---- */

struct record {
	const struct customer_file_map *m;
	char **fields;
};

/* The value of column c; NULL when the file has no such column or the field is empty. */
static const char *get(const struct record *r, enum col c)
{
	int i = r->m->at[c];

	return i >= 0 && r->fields[i][0] ? r->fields[i] : NULL;
}

static void put(cJSON *obj, const char *name, const char *value)
{
	if (value)
		cJSON_AddStringToObject(obj, name, value);
}

static int put_bool(struct crm_ctx *ctx, cJSON *obj, const char *name, const char *value)
{
	static const char *const yes[] = {"true", "1", "yes", "y"}, *const no[] = {"false", "0",
										   "no", "n"};

	if (!value)
		return 0;
	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(value, yes[i]) == 0)
			return cJSON_AddBoolToObject(obj, name, 1), 0;
		if (strcasecmp(value, no[i]) == 0)
			return cJSON_AddBoolToObject(obj, name, 0), 0;
	}
	return crm_err_set(&ctx->err, CRM_EINVAL, name, "'%s' is '%s', not true or false", name,
			   value);
}

static void put_medium(cJSON *media, const char *type, const char *member, const char *value)
{
	cJSON *m, *ch;

	if (!value)
		return;
	m = cJSON_CreateObject();
	cJSON_AddStringToObject(m, "mediumType", type);
	ch = cJSON_AddObjectToObject(m, "characteristic");
	cJSON_AddStringToObject(ch, member, value);
	cJSON_AddItemToArray(media, m);
}

static cJSON *party_json(const struct record *r, bool individual)
{
	cJSON *o = cJSON_CreateObject(), *media = cJSON_CreateArray();
	const char *id = get(r, COL_ID_NUMBER);

	if (individual) {
		put(o, "familyName", get(r, COL_FAMILY_NAME));
		put(o, "givenName", get(r, COL_GIVEN_NAME));
		put(o, "fullName", get(r, COL_FULL_NAME));
		put(o, "gender", get(r, COL_GENDER));
		put(o, "birthDate", get(r, COL_BIRTH_DATE));
		put(o, "nationality", get(r, COL_NATIONALITY));
	} else {
		const char *trading = get(r, COL_TRADING_NAME);

		put(o, "name", get(r, COL_ORG_NAME));
		/* an organization's trading name is required; its legal name or the
		 * customer's name stand in */
		if (!trading)
			trading = get(r, COL_ORG_NAME) ? get(r, COL_ORG_NAME) : get(r, COL_NAME);
		put(o, "tradingName", trading);
		put(o, "organizationType", get(r, COL_ORG_TYPE));
	}
	if (id) {
		cJSON *ids = cJSON_AddArrayToObject(o, individual ? "individualIdentification"
								  : "organizationIdentification");
		cJSON *one = cJSON_CreateObject();
		const char *type = get(r, COL_ID_TYPE);

		cJSON_AddStringToObject(one, "identificationType",
					type	     ? type
					: individual ? "residentId"
						     : "unifiedSocialCreditCode");
		cJSON_AddStringToObject(one, "identificationId", id);
		cJSON_AddItemToArray(ids, one);
	}
	put_medium(media, "mobile", "phoneNumber", get(r, COL_MOBILE));
	put_medium(media, "phone", "phoneNumber", get(r, COL_PHONE));
	put_medium(media, "email", "emailAddress", get(r, COL_EMAIL));
	if (get(r, COL_PROVINCE) || get(r, COL_CITY) || get(r, COL_DISTRICT) ||
	    get(r, COL_STREET) || get(r, COL_POST_CODE)) {
		cJSON *m = cJSON_CreateObject(), *ch;

		cJSON_AddStringToObject(m, "mediumType", "postalAddress");
		ch = cJSON_AddObjectToObject(m, "characteristic");
		put(ch, "stateOrProvince", get(r, COL_PROVINCE));
		put(ch, "city", get(r, COL_CITY));
		put(ch, "district", get(r, COL_DISTRICT));
		put(ch, "street1", get(r, COL_STREET));
		put(ch, "postCode", get(r, COL_POST_CODE));
		cJSON_AddItemToArray(media, m);
	}
	cJSON_AddItemToObject(o, "contactMedium", media);
	put(o, "orgId", get(r, COL_ORG_ID));
	return o;
}

/* The owner column holds the owning user's login, which is the same in every database
 * (ids are not): as ownerId, the id of the user of that login. */
static int owner_json(struct crm_ctx *ctx, const char *login, cJSON *o)
{
	struct user u;
	int rc;

	if (!login)
		return 0;
	rc = res_get_by(ctx, &user_res, NULL, db_scope_all(), "login", login, &u);
	if (rc == CRM_ENOTFOUND) {
		crm_err_clear(&ctx->err);
		return crm_err_set(&ctx->err, CRM_EINVAL, "owner", "no user has the login '%s'",
				   login);
	}
	if (rc)
		return rc;
	cJSON_AddStringToObject(o, "ownerId", u.row.id);
	return 0;
}

/* The login of the user of that id (NULL: none, or a user no longer there). */
static const char *owner_login(struct crm_ctx *ctx, const char *user_id)
{
	struct user u;

	if (!user_id)
		return NULL;
	if (res_get_by(ctx, &user_res, NULL, db_scope_all(), "id", user_id, &u)) {
		crm_err_clear(&ctx->err);
		return NULL;
	}
	return u.login;
}

static int customer_json(struct crm_ctx *ctx, const struct record *r, cJSON *o)
{
	int rc;

	put(o, "customerNo", get(r, COL_CUSTOMER_NO));
	put(o, "name", get(r, COL_NAME));
	put(o, "status", get(r, COL_STATUS));
	put(o, "statusReason", get(r, COL_STATUS_REASON));
	put(o, "customerRank", get(r, COL_RANK));
	put(o, "segment", get(r, COL_SEGMENT));
	put(o, "orgId", get(r, COL_ORG_ID));
	put(o, "blacklistReason", get(r, COL_BLACKLIST_REASON));
	if ((rc = owner_json(ctx, get(r, COL_OWNER), o)))
		return rc;
	if ((rc = put_bool(ctx, o, "blacklisted", get(r, COL_BLACKLISTED))) ||
	    (rc = put_bool(ctx, o, "bigCustomerPotential", get(r, COL_BIG_CUSTOMER))))
		return rc;
	if (get(r, COL_CHURN_DATE) || get(r, COL_CHURN_REASON) || get(r, COL_PORTED_TO)) {
		cJSON *ch = cJSON_AddObjectToObject(o, "churn");

		put(ch, "churnDate", get(r, COL_CHURN_DATE));
		put(ch, "reason", get(r, COL_CHURN_REASON));
		put(ch, "portedToOperator", get(r, COL_PORTED_TO));
	}
	/* the engaged party is the record's own, made by the import: a stand-in here */
	cJSON_AddItemToObject(o, "engagedParty", cJSON_CreateObject());
	cJSON_AddStringToObject(cJSON_GetObjectItem(o, "engagedParty"), "id", "-");
	return 0;
}

/* A field as text the API stores and serves as JSON: UTF-8 (as json_parse requires of a
 * body), and no control characters but tab and line breaks. JSON would carry those
 * escaped, but in a CRM they are the debris of a broken conversion or a terminal escape
 * sequence waiting for a screen, never a customer's data. */
static int text_check(struct crm_ctx *ctx, const char *col, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), chars = 0, k;
	uint32_t cp;

	for (size_t i = 0; i < n; i += k, chars++) {
		if (p[i] >= 0x20 && p[i] < 0x7f) {
			k = 1;
			continue;
		}
		if (!(k = str_utf8_seq(p + i, n - i, &cp)))
			return crm_err_set(&ctx->err, CRM_EINVAL, col,
					   "'%s' is not valid UTF-8 (byte 0x%02X at byte %zu)", col,
					   p[i], i + 1);
		if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
		    (cp >= 0x7f && cp < 0xa0))
			return crm_err_set(
				&ctx->err, CRM_EINVAL, col,
				"'%s' holds the control character U+%04X at character %zu", col,
				(unsigned)cp, chars + 1);
	}
	return 0;
}

/* Renames member from to to in ctx->err: its field and its first mention in the message. */
static void rename_member(struct crm_ctx *ctx, const char *from, const char *to)
{
	struct crm_err *e = &ctx->err;
	const char *quoted = arena_printf(ctx->arena, "'%s'", from);
	const char *at = strstr(e->message, quoted);

	snprintf(e->field, sizeof(e->field), "%s", to);
	if (at)
		snprintf(e->message, sizeof(e->message), "%s",
			 arena_printf(ctx->arena, "%.*s'%s'%s", (int)(at - e->message), e->message,
				      to, at + strlen(quoted)));
}

int customer_file_decode(struct crm_ctx *ctx, const struct customer_file_map *m, char **fields,
			 size_t n, const char **kind, struct party *party, struct customer *c)
{
	const struct record r = {m, fields};
	const char *type;
	cJSON *po, *co;
	int rc;

	if (n != (size_t)m->at[NFIELDS_AT])
		return crm_err_set(&ctx->err, CRM_EINVAL, NULL,
				   "the record has %zu fields, the header %d", n,
				   m->at[NFIELDS_AT]);
	for (size_t col = 0; col < COL_COUNT; col++)
		if (m->at[col] >= 0 &&
		    (rc = text_check(ctx, customer_file_columns[col], fields[m->at[col]])))
			return rc;
	type = get(&r, COL_PARTY_TYPE);
	if (type && strcmp(type, "individual") != 0 && strcmp(type, "organization") != 0)
		return crm_err_set(&ctx->err, CRM_EINVAL, "partyType",
				   "'partyType' is 'individual' or 'organization', not '%s'", type);
	*kind = type ? type : "individual";
	po = json_adopt(ctx->arena, party_json(&r, strcmp(*kind, "individual") == 0));
	co = json_adopt(ctx->arena, cJSON_CreateObject());
	if ((rc = customer_json(ctx, &r, co)))
		return rc;
	if ((rc = json_decode(ctx->arena, po, res_json(party_res(*kind)), party, JSON_CREATE,
			      &ctx->err))) {
		/* an organization's "name" is the organizationName column, not the customer's
		 * name column */
		if (strcmp(ctx->err.field, "name") == 0)
			rename_member(ctx, "name", customer_file_columns[COL_ORG_NAME]);
		return rc;
	}
	return json_decode(ctx->arena, co, res_json(&customer_res), c, JSON_CREATE, &ctx->err);
}

/* ---- resources to records ---- */

/* The first contact medium of type in media, or NULL. */
static const struct medium_characteristic *medium(const struct json_array *media, const char *type)
{
	const struct contact_medium *m = media->items;

	for (size_t i = 0; i < media->count; i++)
		if (m[i].medium_type && strcmp(m[i].medium_type, type) == 0)
			return &m[i].characteristic;
	return NULL;
}

/* The medium of type of the party, else of the customer. */
static const struct medium_characteristic *either_medium(const struct party *p,
							 const struct customer *c, const char *type)
{
	const struct medium_characteristic *m = medium(&p->contact_medium, type);

	return m ? m : medium(&c->contact_medium, type);
}

static const char *iso(struct crm_ctx *ctx, int64_t ms, bool date_only)
{
	char buf[TIME_ISO_MAX];

	if (!ms)
		return NULL;
	time_format_iso(ms, buf);
	if (date_only && strchr(buf, 'T'))
		*strchr(buf, 'T') = '\0';
	return arena_strdup(ctx->arena, buf);
}

void customer_file_encode(struct crm_ctx *ctx, const struct customer *c, const struct party *p,
			  const char **f)
{
	bool individual = strcmp(p->kind, "individual") == 0;
	const struct identification *id = p->identification.count ? p->identification.items : NULL;
	const struct medium_characteristic *m;

	memset(f, 0, COL_COUNT * sizeof(*f));
	f[COL_CUSTOMER_NO] = c->customer_no;
	f[COL_NAME] = c->name;
	f[COL_STATUS] = c->status;
	f[COL_STATUS_REASON] = c->status_reason;
	f[COL_RANK] = c->rank;
	f[COL_SEGMENT] = c->segment;
	f[COL_ORG_ID] = c->row.org_id;
	f[COL_OWNER] = owner_login(ctx, c->row.owner_id);
	f[COL_BLACKLISTED] = c->blacklisted ? "true" : "false";
	f[COL_BLACKLIST_REASON] = c->blacklist_reason;
	f[COL_BIG_CUSTOMER] = c->big_customer_potential ? "true" : "false";
	f[COL_CHURN_DATE] = iso(ctx, c->churn.date_ms, false);
	f[COL_CHURN_REASON] = c->churn.reason;
	f[COL_PORTED_TO] = c->churn.ported_to;
	f[COL_PARTY_TYPE] = p->kind;
	if (individual) {
		f[COL_FAMILY_NAME] = p->family_name;
		f[COL_GIVEN_NAME] = p->given_name;
		f[COL_FULL_NAME] = p->full_name;
		f[COL_GENDER] = p->gender;
		f[COL_BIRTH_DATE] = iso(ctx, p->birth_ms, true);
		f[COL_NATIONALITY] = p->nationality;
	} else {
		f[COL_ORG_NAME] = p->name;
		f[COL_TRADING_NAME] = p->trading_name;
		f[COL_ORG_TYPE] = p->organization_type;
	}
	if (id) {
		f[COL_ID_TYPE] = id->type;
		f[COL_ID_NUMBER] = id->number;
	}
	if ((m = either_medium(p, c, "mobile")))
		f[COL_MOBILE] = m->phone_number;
	if ((m = either_medium(p, c, "phone")))
		f[COL_PHONE] = m->phone_number;
	if ((m = either_medium(p, c, "email")))
		f[COL_EMAIL] = m->email_address;
	if ((m = either_medium(p, c, "postalAddress"))) {
		f[COL_PROVINCE] = m->state_or_province;
		f[COL_CITY] = m->city;
		f[COL_DISTRICT] = m->district;
		f[COL_STREET] = m->street1;
		f[COL_POST_CODE] = m->post_code;
	}
}

const char *customer_file_customer_no(const struct customer_file_map *m, char **fields, size_t n)
{
	const struct record r = {m, fields};

	return n == (size_t)m->at[NFIELDS_AT] ? get(&r, COL_CUSTOMER_NO) : NULL;
}

/* ---- one party, several records ---- */

static bool same(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* Whether p has a contact medium of type whose number or address is value. */
static bool has_medium(const struct party *p, const char *type, const char *value)
{
	const struct contact_medium *m = p->contact_medium.items;

	for (size_t i = 0; i < p->contact_medium.count; i++)
		if (same(m[i].medium_type, type) &&
		    (same(m[i].characteristic.phone_number, value) ||
		     same(m[i].characteristic.email_address, value)))
			return true;
	return false;
}

/* Whether p has a postal address that agrees with want (the record's, in column order
 * COL_PROVINCE..COL_POST_CODE) in every column the record fills. */
static bool has_address(const struct party *p, const struct record *r, const char *const *want)
{
	const struct contact_medium *m = p->contact_medium.items;

	for (size_t i = 0; i < p->contact_medium.count; i++) {
		const struct medium_characteristic *a = &m[i].characteristic;
		const char *have[] = {a->state_or_province, a->city, a->district, a->street1,
				      a->post_code};
		bool all = same(m[i].medium_type, "postalAddress");

		for (int c = COL_PROVINCE; all && c <= COL_POST_CODE; c++)
			all = !get(r, (enum col)c) || same(have[c - COL_PROVINCE], want[c]);
		if (all)
			return true;
	}
	return false;
}

static int differs(struct crm_ctx *ctx, const struct party *holder, enum col c, const char *have,
		   const char *want)
{
	const char *who = party__name_of(holder);

	if (!have)
		return crm_err_set(&ctx->err, CRM_ECONFLICT, "idNumber",
				   "'idNumber' belongs to party '%s' (%s), which has no '%s' "
				   "(here '%s')",
				   who, holder->row.id, customer_file_columns[c], want);
	return crm_err_set(&ctx->err, CRM_ECONFLICT, "idNumber",
			   "'idNumber' belongs to party '%s' (%s), whose '%s' is '%s', not '%s'",
			   who, holder->row.id, customer_file_columns[c], have, want);
}

int customer_file_party_match(struct crm_ctx *ctx, const struct customer_file_map *m, char **fields,
			      const struct party *holder, const struct party *mine)
{
	static const enum col attrs[] = {
		COL_FAMILY_NAME, COL_GIVEN_NAME, COL_FULL_NAME,	   COL_GENDER,	 COL_BIRTH_DATE,
		COL_NATIONALITY, COL_ORG_NAME,	 COL_TRADING_NAME, COL_ORG_TYPE,
	};
	static const enum col media[] = {COL_MOBILE, COL_PHONE, COL_EMAIL};
	static const char *const media_types[] = {"mobile", "phone", "email"};
	const struct record r = {m, fields};
	const char *have[COL_COUNT], *want[COL_COUNT];
	struct party hp, mp;
	const struct customer none = {0};

	if (strcmp(holder->kind, mine->kind) != 0)
		return crm_err_set(&ctx->err, CRM_ECONFLICT, "idNumber",
				   "'idNumber' belongs to party '%s' (%s), an %s, not an %s",
				   party__name_of(holder), holder->row.id, holder->kind,
				   mine->kind);
	/* both as an export would write them, with the values canonical */
	hp = *holder;
	mp = *mine;
	customer_file_encode(ctx, &none, &hp, have);
	customer_file_encode(ctx, &none, &mp, want);
	for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		enum col c = attrs[i];

		/* an organization's trading name taken from the customer's name is the record's
		 * word for the party all the same */
		bool given = get(&r, c) ||
			     (c == COL_TRADING_NAME && strcmp(mine->kind, "organization") == 0 &&
			      !get(&r, COL_ORG_NAME));

		if (given && want[c] && !same(have[c], want[c]))
			return differs(ctx, holder, get(&r, c) ? c : COL_NAME, have[c], want[c]);
	}
	for (size_t i = 0; i < sizeof(media) / sizeof(media[0]); i++)
		if (get(&r, media[i]) && want[media[i]] &&
		    !has_medium(&hp, media_types[i], want[media[i]]))
			return differs(ctx, holder, media[i], have[media[i]], want[media[i]]);
	if (!has_address(&hp, &r, want))
		for (int c = COL_PROVINCE; c <= COL_POST_CODE; c++)
			if (get(&r, (enum col)c))
				return differs(ctx, holder, (enum col)c, have[c], want[c]);
	return 0;
}

/* ---- reasons in the file's terms ---- */

const char *customer_file_column(const struct customer_file_map *m, char **fields,
				 const char *field)
{
	static const struct {
		const char *suffix;
		enum col col;
	} address[] = {{".stateOrProvince", COL_PROVINCE},
		       {".city", COL_CITY},
		       {".district", COL_DISTRICT},
		       {".street1", COL_STREET},
		       {".postCode", COL_POST_CODE}};
	const struct record r = {m, fields};
	enum col media[4];
	size_t nmedia = 0, i;
	const char *p;

	if (!field || !*field)
		return NULL;
	/* the contact media in the order party_json makes them */
	if (get(&r, COL_MOBILE))
		media[nmedia++] = COL_MOBILE;
	if (get(&r, COL_PHONE))
		media[nmedia++] = COL_PHONE;
	if (get(&r, COL_EMAIL))
		media[nmedia++] = COL_EMAIL;
	if (get(&r, COL_PROVINCE) || get(&r, COL_CITY) || get(&r, COL_DISTRICT) ||
	    get(&r, COL_STREET) || get(&r, COL_POST_CODE))
		media[nmedia++] = COL_PROVINCE; /* the address: refined below */
	if (strncmp(field, "contactMedium[", 14) == 0) {
		i = (size_t)strtoul(field + 14, NULL, 10);
		if (i >= nmedia)
			return "contactMedium";
		if (media[i] != COL_PROVINCE)
			return customer_file_columns[media[i]];
		for (size_t k = 0; k < sizeof(address) / sizeof(address[0]); k++) {
			size_t fl = strlen(field), sl = strlen(address[k].suffix);

			if (fl >= sl && strcmp(field + fl - sl, address[k].suffix) == 0)
				return customer_file_columns[address[k].col];
		}
		return "street";
	}
	if (strstr(field, "Identification"))
		return (p = strrchr(field, '.')) && strcmp(p, ".identificationType") == 0
			       ? customer_file_columns[COL_ID_TYPE]
			       : customer_file_columns[COL_ID_NUMBER];
	if (strcmp(field, "churn.churnDate") == 0)
		return customer_file_columns[COL_CHURN_DATE];
	if (strcmp(field, "churn.reason") == 0)
		return customer_file_columns[COL_CHURN_REASON];
	if (strcmp(field, "churn.portedToOperator") == 0)
		return customer_file_columns[COL_PORTED_TO];
	return field;
}
