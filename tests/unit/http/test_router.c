/*
 * Router: route compilation, matching with path parameters (literal segments preferred,
 * trailing slash ignored, percent-decoding), 404/405 detection with Allow, the query
 * string parser, and the target as the access log shows it.
 */
#include "cmocka_all.h"

#include <string.h>

#include "core/arena.h"
#include "http/http_int.h"
#include "core/banned.h"

static int h(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	(void)ctx;
	(void)req;
	(void)res;
	return 0;
}

static const struct http_route table_a[] = {
	{"GET", "/api/v1/org-units", h, 0, 0, NULL},
	{"POST", "/api/v1/org-units", h, 0, HTTP_BODY_JSON, NULL},
	{"GET", "/api/v1/org-units/{id}", h, 0, 0, NULL},
	{"PATCH", "/api/v1/org-units/{id}", h, 0, HTTP_BODY_PATCH, NULL},
	{"GET", "/tmf-api/{api}/v4/hub/{id}", h, 0, 0, NULL},
	{"POST", "/tmf-api/{api}/v4/hub", h, 0, 0, NULL},
	{0},
};

static const struct http_route table_b[] = {
	{"GET", "/tmf-api/party/v4/individual/{id}", h, 0, 0, NULL},
	{"POST", "/a/b", h, 0, 0, NULL},
	{"GET", "/a/{x}", h, 0, 0, NULL},
	{"GET", "/", h, 0, 0, NULL},
	{0},
};

static const struct http_route *const tables[] = {table_a, table_b, NULL};

struct fixture {
	struct http_router *r;
	struct arena *a;
};

static int setup(void **state)
{
	static struct fixture f;
	struct crm_err err = {0};

	assert_int_equal(http__router_new(tables, &f.r, &err), 0);
	f.a = arena_new(0);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	http__router_free(f->r);
	arena_free(f->a);
	return 0;
}

static int match(void **state, const char *method, const char *path, struct http_match *m)
{
	struct fixture *f = *state;
	struct crm_err err = {0};

	return http__router_match(f->r, method, path, f->a, m, &err);
}

static void test_count(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(http__router_count(f->r), 10);
	assert_ptr_equal(http__router_route(f->r, 0), &table_a[0]);
	assert_ptr_equal(http__router_route(f->r, 9), &table_b[3]);
	assert_null(http__router_route(f->r, 10));
}

static void test_literal_and_params(void **state)
{
	struct http_match m;

	assert_int_equal(match(state, "GET", "/api/v1/org-units", &m), 0);
	assert_ptr_equal(m.route, &table_a[0]);
	assert_int_equal(m.index, 0);
	assert_int_equal(match(state, "POST", "/api/v1/org-units/", &m), 0);
	assert_ptr_equal(m.route, &table_a[1]);
	assert_int_equal(match(state, "GET", "/api/v1/org-units/GD-GZ", &m), 0);
	assert_ptr_equal(m.route, &table_a[2]);
	assert_string_equal(m.params[0], "GD-GZ");
	assert_int_equal(match(state, "PATCH", "/api/v1/org-units/HQ/", &m), 0);
	assert_ptr_equal(m.route, &table_a[3]);
	assert_string_equal(m.params[0], "HQ");
	assert_int_equal(match(state, "GET", "/", &m), 0);
	assert_ptr_equal(m.route, &table_b[3]);
	/* HEAD is served by the GET route */
	assert_int_equal(match(state, "HEAD", "/api/v1/org-units", &m), 0);
	assert_ptr_equal(m.route, &table_a[0]);
}

static void test_literal_preferred_with_backtracking(void **state)
{
	struct http_match m;

	assert_int_equal(match(state, "GET", "/tmf-api/party/v4/individual/42", &m), 0);
	assert_ptr_equal(m.route, &table_b[0]);
	assert_string_equal(m.params[0], "42");
	/* "party" is a literal, but only {api} leads to /v4/hub/{id} */
	assert_int_equal(match(state, "GET", "/tmf-api/party/v4/hub/7", &m), 0);
	assert_ptr_equal(m.route, &table_a[4]);
	assert_string_equal(m.params[0], "party");
	assert_string_equal(m.params[1], "7");
	/* POST /a/b exists, but GET /a/b is GET /a/{x} */
	assert_int_equal(match(state, "GET", "/a/b", &m), 0);
	assert_ptr_equal(m.route, &table_b[2]);
	assert_string_equal(m.params[0], "b");
	assert_int_equal(match(state, "POST", "/a/b", &m), 0);
	assert_ptr_equal(m.route, &table_b[1]);
}

static void test_percent_decoding(void **state)
{
	struct http_match m;

	assert_int_equal(match(state, "GET", "/api/v1/org-units/a%20b%2Fc", &m), 0);
	assert_string_equal(m.params[0], "a b/c");
	assert_int_equal(match(state, "GET", "/api/v1/org-units/a+b", &m), 0);
	assert_string_equal(m.params[0], "a+b"); /* '+' is only a space in queries */
	assert_int_equal(match(state, "GET", "/api/v1/org-units/%zz", &m), CRM_EINVAL);
	assert_int_equal(match(state, "GET", "/api/v1/org-units/%4", &m), CRM_EINVAL);
	assert_int_equal(match(state, "GET", "/api/v1/org-units/a%00", &m), CRM_EINVAL);
}

static void test_not_found_and_method(void **state)
{
	struct fixture *f = *state;
	struct crm_err err = {0};
	struct http_match m;

	assert_int_equal(http__router_match(f->r, "GET", "/x", f->a, &m, &err), CRM_ENOTFOUND);
	assert_string_equal(err.message, "no route for 'GET /x'");
	assert_null(m.route);
	assert_int_equal(match(state, "GET", "/api/v1/org-units//x", &m), CRM_ENOTFOUND);
	assert_int_equal(match(state, "GET", "/api/v1/org-units/a/b", &m), CRM_ENOTFOUND);
	assert_int_equal(match(state, "GET", "api", &m), CRM_ENOTFOUND);
	assert_int_equal(match(state, "GET", "/tmf-api//v4/hub/1", &m), CRM_ENOTFOUND);

	crm_err_clear(&err);
	assert_int_equal(http__router_match(f->r, "DELETE", "/api/v1/org-units", f->a, &m, &err),
			 CRM_EMETHOD);
	assert_string_equal(m.allow, "GET, POST");
	assert_int_equal(match(state, "DELETE", "/api/v1/org-units/1", &m), CRM_EMETHOD);
	assert_string_equal(m.allow, "GET, PATCH");
	assert_null(m.route);
}

static void test_bad_tables(void **state)
{
	static const struct http_route dup[] = {
		{"GET", "/a/{x}", h, 0, 0, NULL}, {"GET", "/a/{y}/", h, 0, 0, NULL}, {0}};
	static const struct http_route many[] = {{"GET", "/{a}/{b}/{c}/{d}/{e}", h, 0, 0, NULL},
						 {0}};
	static const struct http_route bad[] = {{"GET", "a/b", h, 0, 0, NULL}, {0}};
	static const struct http_route empty[] = {{"GET", "/a//b", h, 0, 0, NULL}, {0}};
	const struct http_route *const t1[] = {dup, NULL}, *const t2[] = {many, NULL},
				       *const t3[] = {bad, NULL}, *const t4[] = {empty, NULL};
	struct http_router *r = NULL;
	struct crm_err err = {0};

	(void)state;
	assert_int_equal(http__router_new(t1, &r, &err), CRM_EINVAL);
	assert_string_equal(err.message, "duplicate route 'GET /a/{y}/'");
	assert_null(r);
	crm_err_clear(&err);
	assert_int_equal(http__router_new(t2, &r, &err), CRM_EINVAL);
	assert_int_equal(http__router_new(t3, &r, &err), CRM_EINVAL);
	assert_int_equal(http__router_new(t4, &r, &err), CRM_EINVAL);
	assert_null(r);
}

static void test_query_parse(void **state)
{
	struct fixture *f = *state;
	struct http_query_param *q;
	struct crm_err err = {0};
	const char *s = "a=1&b=x%20y&&c=d+e&flag&e=&f%3Dg=h%26i&a=2";
	size_t n;

	assert_int_equal(http__query_parse(f->a, s, strlen(s), &q, &n, &err), 0);
	assert_int_equal(n, 7);
	assert_string_equal(q[0].name, "a");
	assert_string_equal(q[0].value, "1");
	assert_string_equal(q[1].value, "x y");
	assert_string_equal(q[2].name, "c");
	assert_string_equal(q[2].value, "d e");
	assert_string_equal(q[3].name, "flag");
	assert_string_equal(q[3].value, "");
	assert_string_equal(q[4].name, "e");
	assert_string_equal(q[4].value, "");
	assert_string_equal(q[5].name, "f=g");
	assert_string_equal(q[5].value, "h&i");
	assert_string_equal(q[6].value, "2");

	assert_int_equal(http__query_parse(f->a, "", 0, &q, &n, &err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(http__query_parse(f->a, "a=%G1", 5, &q, &n, &err), CRM_EINVAL);
	assert_int_equal(http__query_parse(f->a, "a=%", 3, &q, &n, &err), CRM_EINVAL);
}

static void test_query_too_many(void **state)
{
	struct fixture *f = *state;
	struct http_query_param *q;
	struct crm_err err = {0};
	struct strbuf sb = STRBUF_INIT;
	size_t n;

	for (int i = 0; i <= HTTP_MAX_QUERY; i++)
		strbuf_addf(&sb, "p%d=%d&", i, i);
	assert_int_equal(http__query_parse(f->a, sb.buf, sb.len, &q, &n, &err), CRM_EINVAL);
	strbuf_release(&sb);
}

static void test_target_for_log(void **state)
{
	struct fixture *f = *state;
	const char *plain = "/api/v1/search?q=13912345678";

	/* nothing to decode: the target itself */
	assert_ptr_equal(http__target_for_log(f->a, plain), plain);
	/* escaped digits, letters, '@' and ' ' are shown decoded, for the masking */
	assert_string_equal(http__target_for_log(f->a, "/api/v1/search?q=%31%33%39%31%32%33%34"
						       "%35%36%37%38"),
			    "/api/v1/search?q=13912345678");
	assert_string_equal(http__target_for_log(f->a, "/x?q=zhang.wei%40example%2ecom"),
			    "/x?q=zhang.wei@example.com");
	assert_string_equal(http__target_for_log(f->a, "/x?q=139%201234%205678&y=%7e%5F%2d"),
			    "/x?q=139 1234 5678&y=~_-");
	/* escapes that mean something else stay as sent, and so does what is not an escape */
	assert_string_equal(http__target_for_log(f->a, "/x?a=%26b%3D1%2B%25%2F%00%ff%e5%bc%a0"),
			    "/x?a=%26b%3D1%2B%25%2F%00%ff%e5%bc%a0");
	assert_string_equal(http__target_for_log(f->a, "/x?a=%zz%4%3"), "/x?a=%zz%4%3");
	assert_string_equal(http__target_for_log(f->a, "%41"), "A");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_count),
		cmocka_unit_test(test_literal_and_params),
		cmocka_unit_test(test_literal_preferred_with_backtracking),
		cmocka_unit_test(test_percent_decoding),
		cmocka_unit_test(test_not_found_and_method),
		cmocka_unit_test(test_bad_tables),
		cmocka_unit_test(test_query_parse),
		cmocka_unit_test(test_query_too_many),
		cmocka_unit_test(test_target_for_log),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
