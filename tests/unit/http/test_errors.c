/*
 * The error table: every CRM_E* code has an HTTP status, and the TMF error body has the
 * shape {code, reason, message, status, @type} (plus "field" when known), with internal
 * failures hidden behind a generic message; the body is valid JSON whatever bytes the
 * message echoes.
 */
#include "cmocka_all.h"

#include <string.h>

#include "core/arena.h"
#include "http/http_int.h"
#include "core/banned.h"

static void test_every_code_has_a_status(void **state)
{
	static const struct {
		int code, status;
	} want[] = {
		{CRM_EINVAL, 400},  {CRM_ENOTFOUND, 404}, {CRM_ECONFLICT, 409}, {CRM_ESTALE, 412},
		{CRM_EAUTH, 401},   {CRM_EPERM, 403},	  {CRM_ETOOBIG, 413},	{CRM_EMEDIA, 415},
		{CRM_EMETHOD, 405}, {CRM_ERATE, 429},	  {CRM_EUNPROC, 422},	{CRM_EBUSY, 503},
		{CRM_EIO, 500},	    {CRM_ESCHEMA, 500},	  {CRM_EINTERNAL, 500},
	};

	(void)state;
	assert_int_equal(sizeof(want) / sizeof(want[0]), CRM_E_COUNT - 1);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_int_equal(http_status_of(want[i].code), want[i].status);
	for (int code = -1; code > -CRM_E_COUNT; code--) {
		int status = http_status_of(code);

		assert_true(status >= 400 && status <= 599);
		assert_string_not_equal(http__reason_of(status), "Error");
	}
	assert_int_equal(http_status_of(-1000), 500);
	assert_int_equal(http_status_of(7), 500);
}

static cJSON *render(struct crm_ctx *ctx, struct http_res *res, int code)
{
	memset(res, 0, sizeof(*res));
	http_render_error(ctx, res, code, &ctx->err);
	assert_string_equal(res->content_type, "application/json");
	assert_int_equal(res->body_len, strlen(res->body));
	return json_adopt(ctx->arena, cJSON_Parse(res->body));
}

static const char *member(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void test_body_shape(void **state)
{
	struct arena *a = arena_new(0);
	struct http_res res;
	struct crm_ctx ctx;
	cJSON *body;

	(void)state;
	ctx_init_system(&ctx, a, NULL);
	crm_err_set(&ctx.err, CRM_ENOTFOUND, NULL, "org unit '%s' not found", "X");
	body = render(&ctx, &res, CRM_ENOTFOUND);
	assert_int_equal(res.status, 404);
	assert_string_equal(member(body, "code"), "orgUnit.notFound");
	assert_string_equal(member(body, "status"), "404");
	assert_string_equal(member(body, "reason"), "Not Found");
	assert_string_equal(member(body, "message"), "org unit 'X' not found");
	assert_string_equal(member(body, "@type"), "Error");
	assert_null(cJSON_GetObjectItem(body, "field"));
	assert_int_equal(cJSON_GetArraySize(body), 5);

	crm_err_clear(&ctx.err);
	crm_err_set(&ctx.err, CRM_EINVAL, "limit", "'limit' must be a whole number");
	body = render(&ctx, &res, CRM_EINVAL);
	assert_int_equal(res.status, 400);
	assert_string_equal(member(body, "field"), "limit");
	assert_string_equal(member(body, "reason"), "Bad Request");

	/* internal failures: logged, never shown */
	crm_err_clear(&ctx.err);
	crm_err_set(&ctx.err, CRM_EIO, NULL, "disk I/O error in '/secret/path'");
	body = render(&ctx, &res, CRM_EIO);
	assert_int_equal(res.status, 500);
	assert_null(strstr(res.body, "secret"));
	assert_non_null(strstr(member(body, "message"), ctx.request_id));

	/* no message: the reason phrase */
	crm_err_clear(&ctx.err);
	body = render(&ctx, &res, CRM_ECONFLICT);
	assert_int_equal(res.status, 409);
	assert_string_equal(member(body, "message"), "Conflict");

	/* headers set by the handler survive (Retry-After on 429) */
	memset(&res, 0, sizeof(res));
	http_res_header(&res, "Retry-After", "3");
	http_render_error(&ctx, &res, CRM_ERATE, &ctx.err);
	assert_int_equal(res.status, 429);
	assert_int_equal(res.nheaders, 1);
	arena_free(a);
}

/* The body must pass the strict parser, which refuses what is not UTF-8. */
static cJSON *render_strict(struct crm_ctx *ctx, struct http_res *res, int code)
{
	struct crm_err perr = {0};
	cJSON *tree = NULL;

	memset(res, 0, sizeof(*res));
	http_render_error(ctx, res, code, &ctx->err);
	assert_int_equal(json_parse(ctx->arena, res->body, res->body_len, &tree, &perr), 0);
	return tree;
}

static void test_invalid_bytes_are_escaped(void **state)
{
	struct arena *a = arena_new(0);
	struct http_res res;
	struct crm_ctx ctx;
	cJSON *body;

	(void)state;
	ctx_init_system(&ctx, a, NULL);
	/* what GET .../customer/%ff%fe gives: the decoded id, echoed */
	crm_err_set(&ctx.err, CRM_ENOTFOUND, "id\xc3", "customer '\xff\xfe' not found");
	body = render_strict(&ctx, &res, CRM_ENOTFOUND);
	assert_string_equal(member(body, "message"), "customer '\\xff\\xfe' not found");
	assert_string_equal(member(body, "field"), "id\\xc3");

	/* control characters and DEL as \xNN too; valid UTF-8 (and C1 controls) kept */
	crm_err_clear(&ctx.err);
	crm_err_set(&ctx.err, CRM_EINVAL, NULL, "name '\x1b[31m\t\x7f' for 张伟 \xc2\x85");
	body = render_strict(&ctx, &res, CRM_EINVAL);
	assert_string_equal(member(body, "message"),
			    "name '\\x1b[31m\\x09\\x7f' for 张伟 \xc2\x85");

	/* overlong forms, surrogates and truncated sequences are not UTF-8 */
	crm_err_clear(&ctx.err);
	crm_err_set(&ctx.err, CRM_EINVAL, NULL, "\xc0\xaf \xed\xa0\x80 \xe5\xbc");
	body = render_strict(&ctx, &res, CRM_EINVAL);
	assert_string_equal(member(body, "message"), "\\xc0\\xaf \\xed\\xa0\\x80 \\xe5\\xbc");

	/* a clean message is passed through as it is */
	crm_err_clear(&ctx.err);
	crm_err_set(&ctx.err, CRM_ENOTFOUND, NULL, "customer '42' not found");
	body = render_strict(&ctx, &res, CRM_ENOTFOUND);
	assert_string_equal(member(body, "message"), "customer '42' not found");
	arena_free(a);
}

/* The message in the caller's language, the code the same in every language. */
static void test_message_in_the_callers_language(void **state)
{
	struct arena *a = arena_new(0);
	struct http_res res;
	struct crm_ctx ctx;
	cJSON *body;

	(void)state;
	ctx_init_system(&ctx, a, NULL);
	ctx.lang = CRM_LANG_ZH;
	crm_err_set(&ctx.err, CRM_ENOTFOUND, "id", "%s '%s' not found", "customer", "C1");
	body = render(&ctx, &res, CRM_ENOTFOUND);
	assert_string_equal(member(body, "code"), "resource.notFound");
	assert_string_equal(member(body, "message"), "未找到客户“C1”");
	assert_string_equal(member(body, "field"), "id");
	/* a message the catalogue lacks stays English, with its kind's code */
	crm_err_clear(&ctx.err);
	crm_err_set(&ctx.err, CRM_ECONFLICT, NULL, "something no catalogue has, '%s'", "x");
	body = render(&ctx, &res, CRM_ECONFLICT);
	assert_string_equal(member(body, "code"), "resource.conflict");
	assert_string_equal(member(body, "message"), "something no catalogue has, 'x'");
	/* an internal error says where to look, in the language too */
	crm_err_clear(&ctx.err);
	crm_err_set(&ctx.err, CRM_EIO, NULL, "disk on fire");
	body = render(&ctx, &res, CRM_EIO);
	assert_string_equal(member(body, "code"), "server.error");
	assert_non_null(strstr(member(body, "message"), "服务器内部错误"));
	assert_null(strstr(member(body, "message"), "disk"));
	arena_free(a);
}

static void test_status_without_a_code(void **state)
{
	struct arena *a = arena_new(0);
	struct http_res res = {0};
	struct crm_ctx ctx;
	cJSON *body;

	(void)state;
	ctx_init_system(&ctx, a, NULL);
	crm_err_set(&ctx.err, CRM_EINVAL, NULL, "request target is longer than %d bytes", 8192);
	http__render_status(&ctx, &res, 414, &ctx.err);
	assert_int_equal(res.status, 414);
	assert_string_equal(res.content_type, "application/json");
	body = json_adopt(a, cJSON_Parse(res.body));
	assert_string_equal(member(body, "code"), "request.targetTooLong");
	assert_string_equal(member(body, "status"), "414");
	assert_string_equal(member(body, "reason"), "URI Too Long");
	assert_string_equal(member(body, "message"), "request target is longer than 8192 bytes");
	assert_string_equal(http__reason_of(431), "Request Header Fields Too Large");
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_code_has_a_status),
		cmocka_unit_test(test_body_shape),
		cmocka_unit_test(test_invalid_bytes_are_escaped),
		cmocka_unit_test(test_status_without_a_code),
		cmocka_unit_test(test_message_in_the_callers_language),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
