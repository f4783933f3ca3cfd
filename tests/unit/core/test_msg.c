/*
 * core/msg.c: the catalogue (each Chinese names only values its English format has), a
 * message said in Chinese with its values and nouns, the fallback to English, stable codes,
 * and the language an Accept-Language header asks for.
 */
#include "cmocka_all.h"

#include <string.h>

#include "core/err.h"
#include "core/msg.h"

/* How many values a printf format takes ('*' counts one more). */
static int conversions(const char *fmt)
{
	int n = 0;

	for (const char *p = fmt; (p = strchr(p, '%'));) {
		p++;
		if (*p == '%') {
			p++;
			continue;
		}
		for (; *p && !strchr("sdiuxXcfgep", *p); p++)
			n += *p == '*';
		n++;
	}
	return n;
}

static void test_catalogue_is_consistent(void **state)
{
	(void)state;
	assert_true(msg_count() > 40);
	for (size_t i = 0; i < msg_count(); i++) {
		const char *code, *en, *zh;
		int n;

		msg_entry(i, &code, &en, &zh);
		n = conversions(en);
		assert_true(n <= CRM_ERR_ARGS);
		assert_non_null(strchr(code, '.'));
		/* names: letters and dots alone (clients match on them) */
		assert_int_equal(
			strspn(code, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ."),
			strlen(code));
		for (const char *p = zh; (p = strchr(p, '{')); p++)
			if (p[1] >= '1' && p[1] <= '9') {
				if (p[1] - '0' > n)
					fail_msg("'%s': {%c} but the format has %d values", code,
						 p[1], n);
			}
		/* no English format twice: the first would hide the second */
		for (size_t j = 0; j < i; j++) {
			const char *c2, *e2, *z2;

			msg_entry(j, &c2, &e2, &z2);
			if (strcmp(e2, en) == 0)
				fail_msg("'%s' is in the catalogue twice", en);
		}
	}
}

static void test_said_in_chinese(void **state)
{
	struct crm_err err = {0};
	char out[512];

	(void)state;
	crm_err_set(&err, CRM_ESTALE, "version", "%s '%s' is at version %lld, not %lld", "org unit",
		    "GD", 3LL, 2LL);
	assert_string_equal(err.message, "org unit 'GD' is at version 3, not 2");
	assert_string_equal(msg_code(&err), "resource.stale");
	assert_string_equal(msg_text(&err, CRM_LANG_ZH, out, sizeof(out)),
			    "组织单元“GD”已是第 3 版，而不是第 2 版：已有人修改，请刷新后再改");
	assert_string_equal(msg_text(&err, CRM_LANG_EN, out, sizeof(out)), err.message);
	/* precision and '*' widths are the value's own */
	crm_err_clear(&err);
	crm_err_set(&err, CRM_EINVAL, NULL, "unknown query parameter '%.64s'", "colour");
	assert_string_equal(msg_text(&err, CRM_LANG_ZH, out, sizeof(out)),
			    "未知的查询参数“colour”");
	crm_err_clear(&err);
	crm_err_set(&err, CRM_EINVAL, NULL, "'%.*s' and %zu more", 3, "abcdef", (size_t)7);
	assert_int_equal(err.nargs, 2);
	assert_string_equal(err.args[0], "abc");
	assert_string_equal(err.args[1], "7");
	/* not in the catalogue: English, and the code of its kind */
	assert_string_equal(msg_text(&err, CRM_LANG_ZH, out, sizeof(out)), "'abc' and 7 more");
	assert_string_equal(msg_code(&err), "request.invalid");
	/* a short buffer is cut, never overrun */
	crm_err_clear(&err);
	crm_err_set(&err, CRM_ENOTFOUND, NULL, "%s '%s' not found", "customer", "C123456789");
	msg_text(&err, CRM_LANG_ZH, out, 8);
	assert_true(strlen(out) < 8);
}

/* An error passed on from a local struct crm_err keeps what it is said from. */
static void test_copied_error_is_said_in_chinese(void **state)
{
	struct crm_err inner = {0}, outer = {0};
	char out[512];

	(void)state;
	crm_err_set(&inner, CRM_EINVAL, "name", "attribute '%s' is defined twice", "age");
	assert_int_equal(crm_err_copy(&outer, &inner, "schema.age"), CRM_EINVAL);
	assert_int_equal(outer.code, CRM_EINVAL);
	assert_string_equal(outer.field, "schema.age");
	assert_string_equal(outer.message, "attribute 'age' is defined twice");
	assert_string_equal(msg_code(&outer), "rule.attribute.twice");
	assert_string_equal(msg_text(&outer, CRM_LANG_ZH, out, sizeof(out)), "属性“age”定义了两次");
	/* the first error set wins, as with crm_err_set */
	crm_err_clear(&inner);
	crm_err_set(&inner, CRM_ETOOBIG, NULL, "rule is %zu bytes, over the limit of %d",
		    (size_t)9000, 8192);
	assert_int_equal(crm_err_copy(&outer, &inner, NULL), CRM_ETOOBIG);
	assert_string_equal(outer.message, "attribute 'age' is defined twice");
	crm_err_clear(&outer);
	crm_err_copy(&outer, &inner, NULL);
	assert_string_equal(msg_text(&outer, CRM_LANG_ZH, out, sizeof(out)),
			    "规则长 9000 字节，超过了 8192 字节的上限");
	/* a value that is a noun of the product is said in Chinese too */
	crm_err_clear(&outer);
	crm_err_set(&outer, CRM_EINVAL, "email",
		    "%s of an e-mail address has '%c', which is not allowed", "the domain", '!');
	assert_string_equal(msg_text(&outer, CRM_LANG_ZH, out, sizeof(out)),
			    "电子邮件地址的域名部分含有不允许的字符“!”");
}

static void test_language_of_accept_language(void **state)
{
	(void)state;
	assert_int_equal(msg_lang_of(NULL), CRM_LANG_EN);
	assert_int_equal(msg_lang_of(""), CRM_LANG_EN);
	assert_int_equal(msg_lang_of("zh-CN"), CRM_LANG_ZH);
	assert_int_equal(msg_lang_of("zh-CN,zh;q=0.9,en;q=0.8"), CRM_LANG_ZH);
	assert_int_equal(msg_lang_of("en-US,en;q=0.9,zh-CN;q=0.8"), CRM_LANG_EN);
	assert_int_equal(msg_lang_of("en;q=0.5, zh-Hans;q=0.7"), CRM_LANG_ZH);
	assert_int_equal(msg_lang_of("zh, en"), CRM_LANG_ZH);
	assert_int_equal(msg_lang_of("en, zh"), CRM_LANG_EN);
	assert_int_equal(msg_lang_of("fr-FR"), CRM_LANG_EN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalogue_is_consistent),
		cmocka_unit_test(test_said_in_chinese),
		cmocka_unit_test(test_copied_error_is_said_in_chinese),
		cmocka_unit_test(test_language_of_accept_language),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
