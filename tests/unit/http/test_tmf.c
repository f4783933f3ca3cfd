/*
 * TMF conventions: list options (offset, limit, attribute filters), fields= selection
 * (nested, arrays, always-kept members, malformed values), If-Match parsing and the
 * renderers' headers.
 */
#include "cmocka_all.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "http/http_int.h"
#include "core/banned.h"

static const char *const filterable[] = {"name", "status", "createdAt", "contactMedium.type", NULL};

struct fixture {
	struct arena *a;
	struct crm_ctx ctx;
	struct http_req req;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->a = arena_new(0);
	ctx_init_system(&f->ctx, f->a, NULL);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	arena_free(f->a);
	free(f);
	return 0;
}

/* Parses qs into the fixture's request (clearing the previous error). */
static void query(struct fixture *f, const char *qs)
{
	struct http_query_param *q;

	crm_err_clear(&f->ctx.err);
	assert_int_equal(http__query_parse(f->a, qs, strlen(qs), &q, &f->req.nquery, &f->ctx.err),
			 0);
	f->req.query = q;
}

static int opts(struct fixture *f, const char *qs, struct db_list_opts *o)
{
	query(f, qs);
	return http_list_opts(&f->ctx, &f->req, filterable, o);
}

static void test_list_defaults(void **state)
{
	struct fixture *f = *state;
	struct db_list_opts o;

	assert_int_equal(opts(f, "", &o), 0);
	assert_int_equal(o.offset, 0);
	assert_int_equal(o.limit, HTTP_LIST_LIMIT_DEFAULT);
	assert_int_equal(o.nfilters, 0);
	assert_int_equal(opts(f, "offset=20&limit=1000&fields=id&sort=name", &o), 0);
	assert_int_equal(o.offset, 20);
	assert_int_equal(o.limit, 1000);
	assert_int_equal(o.nfilters, 0);
}

static void test_list_bad_paging(void **state)
{
	static const char *const bad_limit[] = {"limit=0",
						"limit=1001",
						"limit=-1",
						"limit=abc",
						"limit=",
						"limit=1.5",
						"limit=99999999999999999999"};
	struct fixture *f = *state;
	struct db_list_opts o;

	for (size_t i = 0; i < sizeof(bad_limit) / sizeof(bad_limit[0]); i++) {
		assert_int_equal(opts(f, bad_limit[i], &o), CRM_EINVAL);
		assert_string_equal(f->ctx.err.field, "limit");
		assert_non_null(strstr(f->ctx.err.message,
				       "'limit' must be a whole number from 1 to 1000"));
	}
	assert_int_equal(opts(f, "offset=-1", &o), CRM_EINVAL);
	assert_string_equal(f->ctx.err.field, "offset");
	assert_int_equal(opts(f, "offset=x", &o), CRM_EINVAL);
}

static void test_list_filters(void **state)
{
	struct fixture *f = *state;
	struct db_list_opts o;

	assert_int_equal(opts(f,
			      "name=a,b%2Cc,&createdAt.gte=2026-01-01&createdAt.lt=2026-02-01&"
			      "status=active&contactMedium.type=email&limit=5",
			      &o),
			 0);
	assert_int_equal(o.limit, 5);
	assert_int_equal(o.nfilters, 5);
	assert_string_equal(o.filters[0].field, "name");
	assert_int_equal(o.filters[0].op, DB_EQ);
	/* a comma list; an escaped comma still splits, since it arrives decoded */
	assert_int_equal(o.filters[0].nvalues, 4);
	assert_string_equal(o.filters[0].values[0], "a");
	assert_string_equal(o.filters[0].values[1], "b");
	assert_string_equal(o.filters[0].values[2], "c");
	assert_string_equal(o.filters[0].values[3], "");
	assert_string_equal(o.filters[1].field, "createdAt");
	assert_int_equal(o.filters[1].op, DB_GTE);
	assert_int_equal(o.filters[1].nvalues, 1);
	assert_string_equal(o.filters[1].values[0], "2026-01-01");
	assert_int_equal(o.filters[2].op, DB_LT);
	assert_string_equal(o.filters[3].field, "status");
	assert_string_equal(o.filters[4].field, "contactMedium.type");

	assert_int_equal(opts(f, "createdAt.gt=1&createdAt.lte=2", &o), 0);
	assert_int_equal(o.filters[0].op, DB_GT);
	assert_int_equal(o.filters[1].op, DB_LTE);
}

static void test_list_bad_filters(void **state)
{
	struct fixture *f = *state;
	struct db_list_opts o;

	assert_int_equal(opts(f, "colour=red", &o), CRM_EINVAL);
	assert_string_equal(f->ctx.err.message, "unknown filter attribute 'colour'");
	assert_int_equal(opts(f, "name.like=x", &o), CRM_EINVAL);
	assert_string_equal(f->ctx.err.message, "unknown filter attribute 'name.like'");
	assert_int_equal(opts(f, "createdAt.gt=", &o), CRM_EINVAL);
	assert_int_equal(opts(f, ".gt=1", &o), CRM_EINVAL);
	query(f, "name=x");
	assert_int_equal(http_list_opts(&f->ctx, &f->req, NULL, &o), CRM_EINVAL);
}

static const char *select_fields(struct fixture *f, const char *json, const char *fields)
{
	cJSON *tree = json_adopt(f->a, cJSON_Parse(json));

	crm_err_clear(&f->ctx.err);
	if (http__fields_apply(f->a, fields, tree, &f->ctx.err))
		return NULL;
	return json_print(f->a, tree, NULL);
}

static void test_fields(void **state)
{
	struct fixture *f = *state;
	const char *obj = "{\"id\":\"1\",\"href\":\"/x/1\",\"@type\":\"Customer\",\"name\":\"Ann\","
			  "\"status\":\"active\",\"contactMedium\":[{\"mediumType\":\"email\","
			  "\"characteristic\":{\"emailAddress\":\"a@b.c\",\"phone\":\"1\"}},"
			  "{\"mediumType\":\"phone\",\"preferred\":true},7],"
			  "\"account\":{\"id\":\"9\",\"name\":\"main\"}}";

	assert_string_equal(
		select_fields(f, obj, "name"),
		"{\"id\":\"1\",\"href\":\"/x/1\",\"@type\":\"Customer\",\"name\":\"Ann\"}");
	assert_string_equal(select_fields(f, obj, "status,unknownField"),
			    "{\"id\":\"1\",\"href\":\"/x/1\",\"@type\":\"Customer\","
			    "\"status\":\"active\"}");
	assert_string_equal(select_fields(f, obj, "contactMedium.mediumType"),
			    "{\"id\":\"1\",\"href\":\"/x/1\",\"@type\":\"Customer\","
			    "\"contactMedium\":[{\"mediumType\":\"email\"},{\"mediumType\":"
			    "\"phone\"}]}");
	assert_string_equal(select_fields(f, obj, "contactMedium.characteristic.emailAddress"),
			    "{\"id\":\"1\",\"href\":\"/x/1\",\"@type\":\"Customer\","
			    "\"contactMedium\":[{\"characteristic\":{\"emailAddress\":\"a@b.c\"}},"
			    "{}]}");
	assert_string_equal(select_fields(f, obj, "account.name"),
			    "{\"id\":\"1\",\"href\":\"/x/1\",\"@type\":\"Customer\","
			    "\"account\":{\"name\":\"main\"}}");
	/* naming the member and something inside it keeps the whole member */
	assert_string_equal(select_fields(f, obj, "account.name,account"),
			    "{\"id\":\"1\",\"href\":\"/x/1\",\"@type\":\"Customer\","
			    "\"account\":{\"id\":\"9\",\"name\":\"main\"}}");
	assert_string_equal(select_fields(f, obj, "account,account.name"),
			    "{\"id\":\"1\",\"href\":\"/x/1\",\"@type\":\"Customer\","
			    "\"account\":{\"id\":\"9\",\"name\":\"main\"}}");
	/* a dotted name below a scalar selects nothing */
	assert_string_equal(select_fields(f, obj, "name.first"),
			    "{\"id\":\"1\",\"href\":\"/x/1\",\"@type\":\"Customer\"}");
	assert_string_equal(
		select_fields(f, "{\"id\":\"1\",\"@baseType\":\"P\",\"x_1\":2}", "@baseType,x_1"),
		"{\"id\":\"1\",\"@baseType\":\"P\",\"x_1\":2}");
}

static void test_fields_list(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(select_fields(f,
					  "[{\"id\":\"1\",\"name\":\"a\",\"x\":1},{\"id\":\"2\","
					  "\"name\":\"b\",\"x\":2},3]",
					  "name"),
			    "[{\"id\":\"1\",\"name\":\"a\"},{\"id\":\"2\",\"name\":\"b\"},3]");
}

static void test_fields_malformed(void **state)
{
	static const char *const bad[] = {"",	     ",",	    "a,",  ",a",  "a..b",
					  ".a",	     "a.",	    "a b", "a-b", "a,b;c",
					  "name%00", "caf\xc3\xa9", "a,,b"};
	struct fixture *f = *state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_null(select_fields(f, "{\"id\":\"1\"}", bad[i]));
		assert_int_equal(f->ctx.err.code, CRM_EINVAL);
		assert_string_equal(f->ctx.err.field, "fields");
		assert_non_null(strstr(f->ctx.err.message, "bad 'fields' parameter"));
	}
}

static void test_if_match(void **state)
{
	struct crm_err err = {0};
	int64_t v = 0;

	(void)state;
	assert_int_equal(http__if_match_parse("\"3\"", &v, &err), 0);
	assert_int_equal(v, 3);
	assert_int_equal(http__if_match_parse("W/\"12\"", &v, &err), 0);
	assert_int_equal(v, 12);
	assert_int_equal(http__if_match_parse(" \"0\" ", &v, &err), 0);
	assert_int_equal(v, 0);
	assert_int_equal(http__if_match_parse("*", &v, &err), 0);
	assert_int_equal(v, -1);
	static const char *const bad[] = {"3",	   "\"\"", "\"-1\"",  "\"+1\"",
					  "\"a\"", "W/3",  "w/\"3\"", "\"3\", \"4\"",
					  "\"3",   "",	   "\"1.0\"", "**"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		crm_err_clear(&err);
		v = 99;
		assert_int_equal(http__if_match_parse(bad[i], &v, &err), CRM_EINVAL);
		assert_int_equal(v, 99);
		assert_string_equal(err.field, "If-Match");
	}
}

struct item {
	const char *id;
	const char *name;
	int64_t version;
};

static const struct json_field item_fields[] = {
	JSON_F(struct item, id, JSON_STRING, 0),
	JSON_F(struct item, name, JSON_STRING, 0),
	JSON_F(struct item, version, JSON_INT, 0),
	{0},
};
static const struct json_desc item_desc = {"Item", sizeof(struct item), item_fields,
					   JSON_NO_PRESENT};

static const char *header(const struct http_res *res, const char *name)
{
	for (size_t i = 0; i < res->nheaders; i++)
		if (strcmp(res->headers[i].name, name) == 0)
			return res->headers[i].value;
	return NULL;
}

static void test_render(void **state)
{
	struct fixture *f = *state;
	struct item items[2] = {{"1", "a", 3}, {"2", "b", 4}};
	struct http_res res = {0};

	query(f, "fields=name");
	assert_int_equal(http_render(&f->ctx, &f->req, &res, 200, &item_desc, &items[0], 3), 0);
	assert_int_equal(res.status, 200);
	assert_string_equal(res.body, "{\"id\":\"1\",\"name\":\"a\",\"@type\":\"Item\"}");
	assert_int_equal(res.body_len, strlen(res.body));
	assert_string_equal(header(&res, "ETag"), "\"3\"");

	memset(&res, 0, sizeof(res));
	query(f, "");
	assert_int_equal(http_render_list(&f->ctx, &f->req, &res, &item_desc, items, 2, 57), 0);
	assert_string_equal(header(&res, "X-Total-Count"), "57");
	assert_string_equal(header(&res, "X-Result-Count"), "2");
	assert_non_null(strstr(res.body, "\"name\":\"b\""));

	memset(&res, 0, sizeof(res));
	assert_int_equal(
		http_render_created(&f->ctx, &f->req, &res, &item_desc, &items[1], -1, "/items/2"),
		0);
	assert_int_equal(res.status, 201);
	assert_string_equal(header(&res, "Location"), "/items/2");
	assert_null(header(&res, "ETag"));

	/* a bad fields= fails the render and adds no headers */
	memset(&res, 0, sizeof(res));
	query(f, "fields=a..b");
	assert_int_equal(http_render(&f->ctx, &f->req, &res, 200, &item_desc, &items[0], 3),
			 CRM_EINVAL);
	assert_int_equal(res.nheaders, 0);

	memset(&res, 0, sizeof(res));
	assert_int_equal(http_render_empty(&res), 0);
	assert_int_equal(res.status, 204);
	assert_null(res.body);
}

static void test_req_accessors(void **state)
{
	struct fixture *f = *state;
	cJSON *tree;

	query(f, "a=1&a=2&b=x");
	assert_string_equal(http_req_query(&f->req, "a"), "1");
	assert_null(http_req_query(&f->req, "c"));
	assert_null(http_req_header(&f->req, "If-Match"));
	f->req.body = NULL;
	f->req.body_len = 0;
	assert_int_equal(http_req_json(&f->ctx, &f->req, &tree), CRM_EINVAL);
	crm_err_clear(&f->ctx.err);
	f->req.body = "{\"a\":1}";
	f->req.body_len = 7;
	assert_int_equal(http_req_json(&f->ctx, &f->req, &tree), 0);
	assert_true(cJSON_IsObject(tree));
	f->req.body = "{\"a\":";
	f->req.body_len = 5;
	assert_int_equal(http_req_json(&f->ctx, &f->req, &tree), CRM_EINVAL);
	f->req.body = NULL;
	f->req.body_len = 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_defaults),	 cmocka_unit_test(test_list_bad_paging),
		cmocka_unit_test(test_list_filters),	 cmocka_unit_test(test_list_bad_filters),
		cmocka_unit_test(test_fields),		 cmocka_unit_test(test_fields_list),
		cmocka_unit_test(test_fields_malformed), cmocka_unit_test(test_if_match),
		cmocka_unit_test(test_render),		 cmocka_unit_test(test_req_accessors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
