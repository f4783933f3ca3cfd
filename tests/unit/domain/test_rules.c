/*
 * Rules (domain/rules): the registry of attribute sets (built-in orgUnit, registration,
 * listing with filters and paging, limits), validation answers (normalised text, result
 * type, errors with code, position and suggestion), malformed requests, and the code of
 * every message the rule compiler writes.
 */
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "domain/rules.h"
#include "core/banned.h"

static struct arena *arena;
static struct crm_ctx ctx;

static int setup(void **state)
{
	(void)state;
	arena = arena_new(0);
	ctx_init_system(&ctx, arena, NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(arena);
	return 0;
}

/* A fresh request: the arena reset and no error. */
static void fresh(void)
{
	arena_reset(arena);
	crm_err_clear(&ctx.err);
}

static cJSON *json(const char *text)
{
	cJSON *v = NULL;

	assert_int_equal(json_parse(arena, text, strlen(text), &v, NULL), 0);
	return v;
}

static struct rules_validation check(const char *text, const char *schema_json)
{
	struct rules_validation v;

	fresh();
	if (rules_validate(&ctx, text, json(schema_json), &v))
		fail_msg("'%s' against %s: %s", text, schema_json, ctx.err.message);
	return v;
}

/* A malformed request: the code, the field and the message. */
static void refused(const char *text, const char *schema_json, int code, const char *field,
		    const char *message)
{
	struct rules_validation v;

	fresh();
	assert_int_equal(rules_validate(&ctx, text, schema_json ? json(schema_json) : NULL, &v),
			 code);
	assert_string_equal(ctx.err.field, field);
	assert_string_equal(ctx.err.message, message);
}

static const struct rules_attr test_attrs[] = {
	{"arpu_3m", EXPR_T_NUM, "average revenue per user over 3 months"},
	{"segment", EXPR_T_STR, "'consumer', 'smb' or 'enterprise'"},
	{NULL, 0, NULL},
};
static const struct rules_schema_def test_set = {"testSet", "for the tests", test_attrs};

static void test_builtin_org_unit_set(void **state)
{
	struct db_list_opts opts = {.offset = 0, .limit = 100};
	struct rules_schema_info *items;
	size_t n;
	int64_t total;
	const char *name;
	enum expr_type t;

	(void)state;
	fresh();
	assert_non_null(rules_schema_lookup("orgUnit"));
	assert_null(rules_schema_lookup("orgunit"));
	assert_null(rules_schema_lookup(NULL));
	assert_int_equal(expr_schema_count(rules_schema_lookup("orgUnit")), 9);
	assert_int_equal(expr_schema_attr(rules_schema_lookup("orgUnit"), 7, &name, &t), 0);
	assert_string_equal(name, "createdDate");
	assert_int_equal(t, EXPR_T_DATE);
	assert_int_equal(rules_schema_list(&ctx, &opts, &items, &n, &total), 0);
	assert_true(n >= 1 && total == (int64_t)n);
	assert_string_equal(items[0].name, "orgUnit");
	assert_int_equal(items[0].attributes.count, 9);
	assert_string_equal(((struct rules_attr_info *)items[0].attributes.items)[6].type, "int");
}

static void test_register_and_list(void **state)
{
	static const struct rules_attr bad_attrs[] = {{"not", EXPR_T_INT, "a keyword"},
						      {NULL, 0, NULL}};
	static const struct rules_attr dup_attrs[] = {
		{"a", EXPR_T_INT, ""}, {"a", EXPR_T_STR, ""}, {NULL, 0, NULL}};
	static const struct rules_schema_def bad = {"badSet", "", bad_attrs};
	static const struct rules_schema_def dup = {"dupSet", "", dup_attrs};
	static const struct rules_schema_def unnamed = {"", "", test_attrs};
	static const struct rules_schema_def taken = {"orgUnit", "again", test_attrs};
	struct crm_err err = {0};
	struct rules_schema_info *items;
	const char *const values[] = {"testSet", "nope"};
	struct db_filter f = {"name", DB_EQ, values, 2};
	struct db_list_opts opts = {.limit = 100, .filters = &f, .nfilters = 1};
	size_t n;
	int64_t total;

	(void)state;
	assert_int_equal(rules_schema_register(&test_set, &err), 0);
	assert_non_null(rules_schema_lookup("testSet"));
	assert_int_equal(rules_schema_register(&test_set, &err), CRM_EINVAL);
	assert_string_equal(err.message, "attribute set 'testSet' is registered already");
	crm_err_clear(&err);
	assert_int_equal(rules_schema_register(&taken, &err), CRM_EINVAL);
	crm_err_clear(&err);
	assert_int_equal(rules_schema_register(&unnamed, &err), CRM_EINVAL);
	assert_string_equal(err.message, "an attribute set needs a name");
	crm_err_clear(&err);
	assert_int_equal(rules_schema_register(&bad, &err), CRM_EINVAL);
	assert_string_equal(err.message, "attribute name 'not' is a keyword");
	assert_null(rules_schema_lookup("badSet"));
	crm_err_clear(&err);
	assert_int_equal(rules_schema_register(&dup, &err), CRM_EINVAL);
	assert_string_equal(err.message, "attribute 'a' is defined twice");
	assert_null(rules_schema_lookup("dupSet"));

	/* filters and paging */
	fresh();
	assert_int_equal(rules_schema_list(&ctx, &opts, &items, &n, &total), 0);
	assert_int_equal(n, 1);
	assert_int_equal(total, 1);
	assert_string_equal(items[0].name, "testSet");
	assert_string_equal(items[0].description, "for the tests");
	opts = (struct db_list_opts){.offset = 1, .limit = 100, .filters = NULL, .nfilters = 0};
	assert_int_equal(rules_schema_list(&ctx, &opts, &items, &n, &total), 0);
	assert_int_equal(n, 1);
	assert_int_equal(total, 2);
	assert_string_equal(items[0].name, "testSet");
	opts = (struct db_list_opts){.offset = 0, .limit = 1, .filters = NULL, .nfilters = 0};
	assert_int_equal(rules_schema_list(&ctx, &opts, &items, &n, &total), 0);
	assert_int_equal(n, 1);
	assert_int_equal(total, 2);
	assert_string_equal(items[0].name, "orgUnit");
	f.op = DB_GT;
	opts = (struct db_list_opts){.offset = 0, .limit = 100, .filters = &f, .nfilters = 1};
	assert_int_equal(rules_schema_list(&ctx, &opts, &items, &n, &total), CRM_EINVAL);
	assert_string_equal(ctx.err.message, "schemas can be filtered by 'name' equality only");
}

static void test_validate_answers(void **state)
{
	struct rules_validation v;
	struct rules_error *e;

	(void)state;
	v = check("kind = 'city'  AND createdDate>=2026-01-01", "\"orgUnit\"");
	assert_true(v.valid);
	assert_string_equal(v.normalised, "kind = 'city' and createdDate >= 2026-01-01");
	assert_string_equal(v.result_type, "bool");
	assert_int_equal(v.errors.count, 0);
	v = check("version * 2", "\"orgUnit\"");
	assert_true(v.valid);
	assert_string_equal(v.result_type, "int");
	v = check("arpu_3m < 20 and segment in ('smb')", "\"testSet\"");
	assert_true(v.valid);
	v = check("x + 1.5 > 2 and d < today() - 30d", "{\"x\": \"int\", \"d\": \"date\"}");
	assert_true(v.valid);
	assert_string_equal(v.normalised, "x + 1.5 > 2 and d < today() - 30d");
	v = check("1 < 2", "{}");
	assert_true(v.valid);

	/* errors: code, position (line, character column, byte offset), suggestion */
	v = check("name = '广州' and knd = 'city' and\n  lenght(id) > 2 and status < 3",
		  "\"orgUnit\"");
	assert_false(v.valid);
	assert_null(v.normalised);
	assert_null(v.result_type);
	assert_int_equal(v.errors.count, 3);
	e = v.errors.items;
	assert_string_equal(e[0].code, "unknown_attribute");
	assert_string_equal(e[0].message, "unknown attribute 'knd'");
	assert_int_equal(e[0].line, 1);
	assert_int_equal(e[0].column, 17);
	assert_int_equal(e[0].offset, 20);
	assert_string_equal(e[0].suggestion, "did you mean 'kind'?");
	assert_string_equal(e[1].code, "unknown_function");
	assert_int_equal(e[1].line, 2);
	assert_int_equal(e[1].column, 3);
	assert_string_equal(e[1].suggestion, "did you mean 'len'?");
	assert_string_equal(e[2].code, "type");
	assert_string_equal(e[2].message, "cannot compare string with int using '<'");
	assert_null(e[2].suggestion);
	v = check("kind = ", "\"orgUnit\"");
	assert_false(v.valid);
	assert_int_equal(v.errors.count, 1);
	e = v.errors.items;
	assert_string_equal(e[0].code, "syntax");
	assert_string_equal(e[0].message, "expected a value, a name or '(' but found end of text");
	assert_int_equal(e[0].column, 8);
	v = check("", "\"orgUnit\"");
	assert_false(v.valid);
	assert_string_equal(((struct rules_error *)v.errors.items)[0].message, "rule is empty");
}

static void test_malformed_requests(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char *big;

	(void)state;
	refused(NULL, "\"orgUnit\"", CRM_EINVAL, "text", "'text' is required");
	refused("1", NULL, CRM_EINVAL, "schema", "'schema' is required");
	refused("1", "\"nope\"", CRM_EINVAL, "schema",
		"unknown schema 'nope'; the schemas are 'orgUnit', 'testSet'");
	refused("1", "5", CRM_EINVAL, "schema",
		"'schema' must be the name of a schema or an object of attribute types");
	refused("1", "[\"int\"]", CRM_EINVAL, "schema",
		"'schema' must be the name of a schema or an object of attribute types");
	refused("1", "{\"a\": \"float\"}", CRM_EINVAL, "schema.a",
		"attribute 'a' has unknown type 'float'; the types are 'number', 'int', "
		"'string', 'bool', 'date' and 'duration'");
	refused("1", "{\"a\": \"null\"}", CRM_EINVAL, "schema.a",
		"attribute 'a' has unknown type 'null'; the types are 'number', 'int', "
		"'string', 'bool', 'date' and 'duration'");
	refused("1", "{\"a\": 3}", CRM_EINVAL, "schema.a",
		"the type of attribute 'a' must be a string such as 'number'");
	refused("1", "{\"2a\": \"int\"}", CRM_EINVAL, "schema.2a",
		"attribute name '2a' is not valid");
	refused("1", "{\"Between\": \"int\"}", CRM_EINVAL, "schema.Between",
		"attribute name 'Between' is a keyword");

	big = malloc(EXPR_MAX_TEXT + 2);
	memset(big, ' ', EXPR_MAX_TEXT + 1);
	big[0] = '1';
	big[EXPR_MAX_TEXT + 1] = '\0';
	refused(big, "\"orgUnit\"", CRM_ETOOBIG, "text",
		"rule is 16385 bytes, over the limit of 16384");
	big[EXPR_MAX_TEXT] = '\0';
	assert_true(check(big, "\"orgUnit\"").valid);
	free(big);

	strbuf_addch(&sb, '{');
	for (int i = 0; i <= EXPR_SCHEMA_MAX; i++)
		strbuf_addf(&sb, "%s\"a%d\": \"int\"", i ? ", " : "", i);
	strbuf_addch(&sb, '}');
	refused("1", strbuf_cstr(&sb), CRM_ETOOBIG, "schema.a4096",
		"schema has more than 4096 attributes");
	strbuf_release(&sb);
}

/* Every message the compiler writes has the right code. */
static void test_error_codes(void **state)
{
	static const struct {
		const char *text, *code;
	} cases[] = {
		{"zz < 1", "unknown_attribute"},
		{"zz(1) < 1", "unknown_function"},
		{"abs(1, 2) > 0", "type"},
		{"abs('x') > 0", "type"},
		{"min(true, false)", "type"},
		{"min(1, 'a') > 0", "type"},
		{"coalesce(1, 'a') > 0", "type"},
		{"round(1.5, 2.5) > 0", "type"},
		{"n + 's' > 2", "type"},
		{"s = 1", "type"},
		{"b < true", "type"},
		{"b in (true)", "type"},
		{"n and true", "type"},
		{"not s", "type"},
		{"s like 3", "type"},
		{"-s = 'a'", "type"},
		{"", "syntax"},
		{"n <", "syntax"},
		{"(n < 1", "syntax"},
		{"1 < 2 < 3", "syntax"},
		{"s = 'abc", "syntax"},
		{"s = \"abc\"", "syntax"},
		{"s = '\xff'", "syntax"},
		{"s = \xc3", "syntax"},
		{"d > 2026-02-30", "syntax"},
		{"u > 30days", "syntax"},
		{"u > 3660001d", "syntax"},
		{"1 < 9223372036854775808", "syntax"},
		{"1 < 1e999", "syntax"},
		{"1 < 000000000000000000000000000000000000000000000000000000000000000000000001",
		 "syntax"},
		{"axxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
		 "limit"},
	};
	const char *schema = "{\"n\": \"number\", \"s\": \"string\", \"b\": \"bool\", "
			     "\"d\": \"date\", \"u\": \"duration\"}";
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rules_validation v = check(cases[i].text, schema);
		const struct rules_error *e = v.errors.items;

		assert_false(v.valid);
		if (strcmp(e[0].code, cases[i].code) != 0)
			fail_msg("'%s': '%s' is '%s', not '%s'", cases[i].text, e[0].message,
				 e[0].code, cases[i].code);
	}
	/* limits */
	for (int i = 0; i < 65; i++)
		strbuf_addch(&sb, '(');
	strbuf_addstr(&sb, "1");
	for (int i = 0; i < 65; i++)
		strbuf_addch(&sb, ')');
	assert_string_equal(rules_error_code("expression is nested more than 64 levels deep"),
			    "limit");
	assert_string_equal(
		((struct rules_error *)check(strbuf_cstr(&sb), schema).errors.items)[0].code,
		"limit");
	assert_string_equal(rules_error_code("rule has more than 256 constants"), "limit");
	assert_string_equal(rules_error_code("rule has more than 512 operators and operands"),
			    "limit");
	assert_string_equal(rules_error_code("a call takes at most 32 arguments"), "limit");
	assert_string_equal(rules_error_code("rule contains a NUL byte"), "syntax");
	assert_string_equal(rules_error_code("rule is empty"), "syntax");
	strbuf_release(&sb);
}

/* Last: it fills the registry. */
static void test_registry_limit(void **state)
{
	static struct rules_schema_def defs[RULES_SCHEMAS_MAX + 1];
	static char names[RULES_SCHEMAS_MAX + 1][16];
	struct crm_err err = {0};
	int rc = 0;
	size_t i;

	(void)state;
	for (i = 0; i <= RULES_SCHEMAS_MAX && !rc; i++) {
		snprintf(names[i], sizeof(names[i]), "set%zu", i);
		defs[i] = (struct rules_schema_def){names[i], "", test_attrs};
		rc = rules_schema_register(&defs[i], &err);
	}
	assert_int_equal(rc, CRM_ETOOBIG);
	assert_int_equal(i, RULES_SCHEMAS_MAX - 2 + 1); /* orgUnit and testSet were there */
	assert_string_equal(err.field, "name");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_org_unit_set),
		cmocka_unit_test(test_register_and_list),
		cmocka_unit_test(test_validate_answers),
		cmocka_unit_test(test_malformed_requests),
		cmocka_unit_test(test_error_codes),
		cmocka_unit_test(test_registry_limit),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
