/* Unit tests: option parsing precedence and errors; JSON descriptors (decode, validate,
 * patch presence, encode) and parse errors with positions. */
#include "cmocka_all.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/json.h"
#include "core/log.h"

static const struct config_opt opts[] = {
	{"db", CONFIG_STRING, "./telcrm.db", "PATH", "database", 0, 0},
	{"threads", CONFIG_INT, "0", "N", "threads", 0, 64},
	{"access-log", CONFIG_BOOL, "true", NULL, "log", 0, 0},
	{0},
};

static void test_config_precedence(void **state)
{
	const char *argv[] = {"--threads", "8", "x.db"};
	struct crm_err err = {0};
	struct config cfg;

	(void)state;
	setenv("TELCRM_DB", "env.db", 1);
	setenv("TELCRM_THREADS", "4", 1);
	setenv("TELCRM_ACCESS_LOG", "no", 1);
	assert_int_equal(config_parse(&cfg, opts, 3, argv, &err), 0);
	assert_string_equal(config_get(&cfg, "db"), "env.db"); /* env over default */
	assert_int_equal(config_get_int(&cfg, "threads"), 8);  /* flag over env */
	assert_false(config_get_bool(&cfg, "access-log"));
	assert_int_equal(cfg.npositional, 1);
	assert_string_equal(cfg.positional[0], "x.db");
	unsetenv("TELCRM_DB");
	unsetenv("TELCRM_THREADS");
	unsetenv("TELCRM_ACCESS_LOG");
	assert_int_equal(config_parse(&cfg, opts, 0, argv, &err), 0);
	assert_string_equal(config_get(&cfg, "db"), "./telcrm.db");
	assert_true(config_get_bool(&cfg, "access-log"));
}

static void test_config_errors(void **state)
{
	const char *unknown[] = {"--nope"}, *missing[] = {"--db"}, *range[] = {"--threads=99"},
		   *word[] = {"--threads", "many"}, *help[] = {"--help"},
		   *flag[] = {"--access-log"};
	struct crm_err err = {0};
	struct config cfg;

	(void)state;
	assert_int_equal(config_parse(&cfg, opts, 1, unknown, &err), CRM_EINVAL);
	assert_string_equal(err.message, "unknown option '--nope'");
	crm_err_clear(&err);
	assert_int_equal(config_parse(&cfg, opts, 1, missing, &err), CRM_EINVAL);
	assert_string_equal(err.message, "option '--db' needs a value");
	crm_err_clear(&err);
	assert_int_equal(config_parse(&cfg, opts, 1, range, &err), CRM_EINVAL);
	assert_string_equal(err.message, "option '99' must be a whole number from 0 to 64");
	crm_err_clear(&err);
	assert_int_equal(config_parse(&cfg, opts, 2, word, &err), CRM_EINVAL);
	crm_err_clear(&err);
	assert_int_equal(config_parse(&cfg, opts, 1, help, &err), 0);
	assert_true(cfg.help);
	assert_int_equal(config_parse(&cfg, opts, 1, flag, &err), 0);
	assert_true(config_get_bool(&cfg, "access-log"));
}

struct contact {
	const char *medium;
	const char *number;
};

struct person {
	uint64_t present;
	const char *name;
	int64_t age;
	double score;
	bool vip;
	int64_t born_ms;
	struct json_array contacts;
	struct json_array tags;
};

static const char *const media[] = {"mobile", "email", NULL};

static const struct json_desc contact_desc = {
	NULL,
	sizeof(struct contact),
	(const struct json_field[]){
		{"mediumType", JSON_STRING, offsetof(struct contact, medium), JSON_REQUIRED, NULL,
		 0, media},
		{"number", JSON_STRING, offsetof(struct contact, number), 0, NULL, 20, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};

static const struct json_desc person_desc = {
	"Person",
	sizeof(struct person),
	(const struct json_field[]){
		{"name", JSON_STRING, offsetof(struct person, name), JSON_REQUIRED | JSON_NULLABLE,
		 NULL, 10, NULL},
		{"age", JSON_INT, offsetof(struct person, age), JSON_NULLABLE, NULL, 0, NULL},
		{"score", JSON_NUMBER, offsetof(struct person, score), 0, NULL, 0, NULL},
		{"vip", JSON_BOOL, offsetof(struct person, vip), 0, NULL, 0, NULL},
		{"birthDate", JSON_TIME, offsetof(struct person, born_ms), 0, NULL, 0, NULL},
		{"contactMedium", JSON_OBJECT_ARRAY, offsetof(struct person, contacts), 0,
		 &contact_desc, 2, NULL},
		{"tags", JSON_STRING_ARRAY, offsetof(struct person, tags), 0, NULL, 3, NULL},
		{0},
	},
	offsetof(struct person, present),
};

static int decode(struct arena *a, const char *text, enum json_mode mode, struct person *p,
		  struct crm_err *err)
{
	cJSON *tree;
	int rc;

	crm_err_clear(err);
	if ((rc = json_parse(a, text, strlen(text), &tree, err)))
		return rc;
	return json_decode(a, tree, &person_desc, p, mode, err);
}

static void test_json_decode_encode(void **state)
{
	struct arena *a = arena_new(0);
	struct crm_err err = {0};
	struct person p;
	cJSON *out;
	const char *text;

	(void)state;
	assert_int_equal(
		decode(a,
		       "{\"name\":\"李雷\",\"age\":30,\"score\":1.5,\"vip\":true,"
		       "\"birthDate\":\"1996-05-04T00:00:00Z\",\"@type\":\"Person\","
		       "\"contactMedium\":[{\"mediumType\":\"mobile\",\"number\":\"138\"}],"
		       "\"tags\":[\"a\",\"b\"]}",
		       JSON_CREATE, &p, &err),
		0);
	assert_string_equal(p.name, "李雷");
	assert_int_equal(p.age, 30);
	assert_true(p.vip);
	assert_int_equal(p.contacts.count, 1);
	assert_string_equal(((struct contact *)p.contacts.items)[0].number, "138");
	assert_int_equal(p.tags.count, 2);
	out = json_adopt(a, json_encode(&person_desc, &p));
	text = json_print(a, out, NULL);
	assert_non_null(strstr(text, "\"birthDate\":\"1996-05-04T00:00:00.000Z\""));
	assert_non_null(strstr(text, "\"@type\":\"Person\""));
	assert_non_null(strstr(text, "\"contactMedium\":[{\"mediumType\":\"mobile\""));
	/* an escaped backslash followed by "u0000" is text, not a NUL */
	assert_int_equal(decode(a, "{\"name\":\"a\\\\u0000\"}", JSON_CREATE, &p, &err), 0);
	assert_string_equal(p.name, "a\\u0000");
	arena_free(a);
}

static void test_json_errors(void **state)
{
	struct arena *a = arena_new(0);
	struct crm_err err = {0};
	struct person p;
	static const struct {
		const char *text;
		const char *message;
	} cases[] = {
		{"{\"name\":", "malformed JSON at line 1 column 8"},
		{"{\n \"name\": x}", "malformed JSON at line 2 column 10"},
		{"{\"name\":\"a\"} trailing", "malformed JSON at line 1 column 14"},
		{"{\"name\":\"a\",\"name\":\"b\"}",
		 "malformed JSON: 'name' is given twice in one object"},
		{"{\"name\":\"a\",\"contactMedium\":[{\"mediumType\":\"email\"},{\"x\":1,\"x\":2}]"
		 "}",
		 "malformed JSON: 'x' is given twice in one object"},
		{"[1]", "'body' must be an object"},
		{"{}", "'name' is required"},
		{"{\"name\":\"a\",\"nope\":1}", "unknown field 'nope'"},
		{"{\"name\":1}", "'name' must be a string"},
		{"{\"name\":\"abcdefghijk\"}", "'name' is longer than 10 bytes"},
		{"{\"name\":\"a\",\"age\":1.5}", "'age' must be a whole number"},
		{"{\"name\":\"a\",\"age\":\"1\"}", "'age' must be a whole number"},
		{"{\"name\":\"a\",\"vip\":1}", "'vip' must be true or false"},
		{"{\"name\":\"a\",\"birthDate\":\"1996-13-01\"}",
		 "'birthDate' must be an ISO-8601 date-time such as '2026-01-31T08:00:00Z'"},
		{"{\"name\":\"a\",\"@type\":\"Other\"}", "'@type' must be 'Person'"},
		{"{\"name\":\"a\",\"contactMedium\":[{\"mediumType\":\"fax\"}]}",
		 "'contactMedium[0].mediumType' must be one of the allowed values, not 'fax'"},
		{"{\"name\":\"a\",\"contactMedium\":[{}]}",
		 "'contactMedium[0].mediumType' is required"},
		{"{\"name\":\"a\",\"contactMedium\":[{\"mediumType\":\"email\"},{\"mediumType\":"
		 "\"email\"},{\"mediumType\":\"email\"}]}",
		 "'contactMedium' has more than 2 items"},
		{"{\"name\":\"a\",\"contactMedium\":{}}", "'contactMedium' must be an array"},
		{"{\"name\":null}", "'name' must not be null"},
		{"{\"name\":\"a\\u0000b\"}",
		 "malformed JSON at line 1 column 11: a string must not hold the character U+0000"},
		{"{\"na\\u0000me\":\"a\"}",
		 "malformed JSON at line 1 column 5: a string must not hold the character U+0000"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(decode(a, cases[i].text, JSON_CREATE, &p, &err), CRM_EINVAL);
		if (strcmp(err.message, cases[i].message) != 0)
			fail_msg("case %zu: got '%s', want '%s'", i, err.message, cases[i].message);
	}
	arena_free(a);
}

/* A string array's max_len counts its items; each item is held to the item limit
 * (JSON_ITEM_MAX), not to the count. */
static void test_json_string_array_limits(void **state)
{
	struct arena *a = arena_new(0);
	struct crm_err err = {0};
	struct person p;
	char text[1024];
	char item[JSON_ITEM_MAX + 2];

	(void)state;
	assert_int_equal(decode(a, "{\"name\":\"a\",\"tags\":[\"campaign.manage\",\"x\",\"y\"]}",
				JSON_CREATE, &p, &err),
			 0);
	assert_int_equal(p.tags.count, 3);
	assert_string_equal(((const char **)p.tags.items)[0], "campaign.manage");
	assert_int_equal(decode(a, "{\"name\":\"a\",\"tags\":[\"w\",\"x\",\"y\",\"z\"]}",
				JSON_CREATE, &p, &err),
			 CRM_EINVAL);
	assert_string_equal(err.message, "'tags' has more than 3 items");
	/* an item of exactly the limit passes, one byte more is refused */
	memset(item, 'x', JSON_ITEM_MAX);
	item[JSON_ITEM_MAX] = '\0';
	snprintf(text, sizeof(text), "{\"name\":\"a\",\"tags\":[\"%s\"]}", item);
	assert_int_equal(decode(a, text, JSON_CREATE, &p, &err), 0);
	item[JSON_ITEM_MAX] = 'x';
	item[JSON_ITEM_MAX + 1] = '\0';
	snprintf(text, sizeof(text), "{\"name\":\"a\",\"tags\":[\"b\",\"%s\"]}", item);
	assert_int_equal(decode(a, text, JSON_CREATE, &p, &err), CRM_EINVAL);
	if (strcmp(err.message, "'tags[1]' is longer than 256 bytes") != 0)
		fail_msg("got '%s'", err.message);
	assert_int_equal(decode(a, "{\"name\":\"a\",\"tags\":[\"b\",2]}", JSON_CREATE, &p, &err),
			 CRM_EINVAL);
	assert_string_equal(err.message, "'tags[1]' must be a string");
	arena_free(a);
}

static void test_json_patch_presence(void **state)
{
	struct arena *a = arena_new(0);
	struct crm_err err = {0};
	struct person p;

	(void)state;
	assert_int_equal(decode(a, "{\"age\":null,\"vip\":false}", JSON_PATCH, &p, &err), 0);
	assert_true(json_present(&person_desc, &p, "age"));
	assert_true(json_present(&person_desc, &p, "vip"));
	assert_false(json_present(&person_desc, &p, "name"));
	assert_int_equal(p.age, 0);
	assert_int_equal(decode(a, "{\"score\":null}", JSON_PATCH, &p, &err), CRM_EINVAL);
	arena_free(a);
}

struct masked_person {
	const char *name;
	const char *phone;
	const char *email;
};

static const struct json_desc masked_person_desc = {
	"Contact",
	sizeof(struct masked_person),
	(const struct json_field[]){
		{"name", JSON_STRING, offsetof(struct masked_person, name), JSON_MASK_NAME, NULL, 0,
		 NULL},
		{"phone", JSON_STRING, offsetof(struct masked_person, phone), JSON_MASK_PHONE, NULL,
		 0, NULL},
		{"email", JSON_STRING, offsetof(struct masked_person, email), 0, NULL, 0, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};

/* Personal-data fields are masked by json_encode_masked and json_mask_tree alike, and
 * left clear by json_encode. */
/* Text that is not UTF-8 is refused with its position, whatever the encoding trick. */
static void test_json_utf8(void **state)
{
	static const char *const bad[] = {
		"{\"a\":\"\xff\"}",		/* not a lead byte */
		"{\"a\":\"\xc3\"}",		/* cut short */
		"{\"a\":\"\xc0\xaf\"}",		/* overlong '/' */
		"{\"a\":\"\xe0\x80\xaf\"}",	/* overlong, three bytes */
		"{\"a\":\"\xed\xa0\x80\"}",	/* a surrogate */
		"{\"a\":\"\xf4\x90\x80\x80\"}", /* above U+10FFFF */
	};
	struct arena *a = arena_new(0);
	struct crm_err err = {0};
	cJSON *t;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		crm_err_clear(&err);
		assert_int_equal(json_parse(a, bad[i], strlen(bad[i]), &t, &err), CRM_EINVAL);
		assert_string_equal(
			err.message,
			"malformed JSON at line 1 column 7: the text is not valid UTF-8");
	}
	assert_int_equal(
		json_parse(a, "{\"a\":\"张伟 é 😀\"}", strlen("{\"a\":\"张伟 é 😀\"}"), &t, &err), 0);
	arena_free(a);
}

/* RFC 8259: a string holds no raw control character (U+0000 to U+001F); escaped they
 * are text. Between tokens only space, tab, line feed and carriage return may stand. */
static void test_json_control_characters(void **state)
{
	static const struct {
		const char *text;
		const char *message;
	} bad[] = {
		{"{\"name\":\"a\x01"
		 "b\"}",
		 "malformed JSON at line 1 column 11: a string must not "
		 "hold the raw control character U+0001; escape it"},
		{"{\"name\":\"a\tb\"}", "malformed JSON at line 1 column 11: a string must not "
					"hold the raw control character U+0009; escape it"},
		{"{\n\"name\":\"a\nb\"}", "malformed JSON at line 2 column 10: a string must not "
					  "hold the raw control character U+000A; escape it"},
		{"{\"na\x1fme\":\"a\"}", "malformed JSON at line 1 column 5: a string must not "
					 "hold the raw control character U+001F; escape it"},
		{"{\"a\\\"\x02\":1}", "malformed JSON at line 1 column 6: a string must not "
				      "hold the raw control character U+0002; escape it"},
		{"{\x01\"name\":\"a\"}",
		 "malformed JSON at line 1 column 2: the control character U+0001 stands between "
		 "tokens"},
		{"{\"name\":\"a\"}\x0c", "malformed JSON at line 1 column 13: the control "
					 "character U+000C stands between tokens"},
	};
	struct arena *a = arena_new(0);
	struct crm_err err = {0};
	struct person p;
	cJSON *t;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		crm_err_clear(&err);
		assert_int_equal(json_parse(a, bad[i].text, strlen(bad[i].text), &t, &err),
				 CRM_EINVAL);
		if (strcmp(err.message, bad[i].message) != 0)
			fail_msg("case %zu: got '%s', want '%s'", i, err.message, bad[i].message);
	}
	/* escaped, they are allowed; so is whitespace between tokens */
	assert_int_equal(
		decode(a, "{\r\n\t\"name\" :\t\"a\\n\\t\\u0001\\\\\"}\n", JSON_CREATE, &p, &err),
		0);
	assert_string_equal(p.name, "a\n\t\x01\\");
	arena_free(a);
}

static void test_json_masking(void **state)
{
	struct arena *a = arena_new(0);
	struct masked_person c = {"张伟", "13812345678", "zw@example.com"};
	cJSON *clear = json_adopt(a, json_encode(&masked_person_desc, &c));
	cJSON *masked = json_adopt(a, json_encode_masked(&masked_person_desc, &c, a));
	const char *stored = "{\"phone\":\"13912345678\",\"other\":1,\"name\":3}";
	cJSON *tree;

	(void)state;
	assert_string_equal(
		json_print(a, clear, NULL),
		"{\"name\":\"张伟\",\"phone\":\"13812345678\",\"email\":\"zw@example.com\","
		"\"@type\":\"Contact\"}");
	assert_string_equal(
		json_print(a, masked, NULL),
		"{\"name\":\"张*\",\"phone\":\"138****5678\",\"email\":\"zw@example.com\","
		"\"@type\":\"Contact\"}");
	assert_int_equal(json_parse(a, stored, strlen(stored), &tree, NULL), 0);
	json_mask_tree(a, &masked_person_desc, tree);
	assert_string_equal(json_print(a, tree, NULL),
			    "{\"phone\":\"139****5678\",\"other\":1,\"name\":3}");
	arena_free(a);
}

static void test_log_quote(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(log_quote("a \"b\"\n", buf, sizeof(buf)), "\"a \\\"b\\\"\\x0a\"");
	/* letters: a run of digits this long is masked (test_log.c) */
	assert_string_equal(log_quote("abcdefghijklmnopqrstuvwxyzabcdefghijklmn", buf, sizeof(buf)),
			    "\"abcdefghijklmnopqrstuvwxyz...\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_precedence),
		cmocka_unit_test(test_config_errors),
		cmocka_unit_test(test_json_decode_encode),
		cmocka_unit_test(test_json_errors),
		cmocka_unit_test(test_json_patch_presence),
		cmocka_unit_test(test_log_quote),
		cmocka_unit_test(test_json_masking),
		cmocka_unit_test(test_json_utf8),
		cmocka_unit_test(test_json_string_array_limits),
		cmocka_unit_test(test_json_control_characters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
