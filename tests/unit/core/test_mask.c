/* Unit tests: personal data masks (phone, id number, e-mail, address, name), invalid UTF-8,
 * long values, masks of masks, and the classification of written values; and the masking
 * of personal data in free text (log lines). */
#include "cmocka_all.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/mask.h"

static struct arena *arena;

static int setup(void **state)
{
	(void)state;
	arena = arena_new(0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(arena);
	return 0;
}

#define assert_mask(kind, in, want) assert_string_equal(mask_apply(arena, kind, in), want)

static void test_phone_mobile_and_country_code(void **state)
{
	(void)state;
	assert_mask(MASK_PHONE, "13812345678", "138****5678");
	assert_mask(MASK_PHONE, "+8613812345678", "+86138****5678");
	assert_mask(MASK_PHONE, "008613812345678", "0086138****5678");
	assert_mask(MASK_PHONE, "+86 138 1234 5678", "+86 138 **** 5678");
	assert_mask(MASK_PHONE, "138-1234-5678", "138-****-5678");
	/* international fixed line: the area code is not told apart, yet stays visible */
	assert_mask(MASK_PHONE, "+86 10 12345678", "+86 10 ****5678");
	/* other country codes: the generic rule, '+' kept */
	assert_mask(MASK_PHONE, "+14155552671", "+141****2671");
	/* +86 with too short a rest: the generic rule over the whole */
	assert_mask(MASK_PHONE, "+8612345", "+****345");
}

static void test_phone_fixed_line(void **state)
{
	(void)state;
	assert_mask(MASK_PHONE, "010-12345678", "010-****5678");
	assert_mask(MASK_PHONE, "0755-12345678", "0755-****5678");
	assert_mask(MASK_PHONE, "0755 12345678", "0755 ****5678");
	assert_mask(MASK_PHONE, "(0755)12345678", "(0755)****5678");
	assert_mask(MASK_PHONE, "(010) 1234-5678", "(010) ****-5678");
	/* seven-digit numbers: four digits are always starred */
	assert_mask(MASK_PHONE, "0755-1234567", "0755-****567");
	/* undelimited: the generic rule, same result for three-digit area codes */
	assert_mask(MASK_PHONE, "01012345678", "010****5678");
	/* a short number after the area code is not a fixed line */
	assert_mask(MASK_PHONE, "0755-123456", "07**-**3456");
	/* five-digit "area code": generic */
	assert_mask(MASK_PHONE, "07551-2345678", "075**-***5678");
}

static void test_phone_generic_and_short(void **state)
{
	(void)state;
	assert_mask(MASK_PHONE, "1234567", "****567");
	assert_mask(MASK_PHONE, "12345678", "****5678");
	assert_mask(MASK_PHONE, "123456789", "1****6789");
	assert_mask(MASK_PHONE, "1234567890", "12****7890");
	assert_mask(MASK_PHONE, "123456789012", "123*****9012");
	assert_mask(MASK_PHONE, "95.55.888", "**.**.888"); /* separators stay */
	assert_mask(MASK_PHONE, "123456", "******");
	assert_mask(MASK_PHONE, "12-34", "*****");
	assert_mask(MASK_PHONE, "+86123", "******");
	assert_mask(MASK_PHONE, "-------", "*******");
	assert_mask(MASK_PHONE, "", "");
}

static void test_phone_not_phone_shaped(void **state)
{
	(void)state;
	/* one star per code point */
	assert_mask(MASK_PHONE, "138abc45678", "***********");
	assert_mask(MASK_PHONE, "电话13812345678", "*************");
	assert_mask(MASK_PHONE, "1+3812345678", "************");
	assert_mask(MASK_PHONE,
		    "\xff\xfe"
		    "13812345678",
		    "*************");
	assert_mask(MASK_PHONE, "\xe7\x94", "**"); /* truncated sequence: a star per byte */
}

static void test_id_number(void **state)
{
	(void)state;
	assert_mask(MASK_ID_NUMBER, "110105199001011234", "110105********1234");
	assert_mask(MASK_ID_NUMBER, "11010519900101123X", "110105********123X");
	assert_mask(MASK_ID_NUMBER, "110105900101123", "110105*****1123");
	assert_mask(MASK_ID_NUMBER, "E12345678", "E******78");
	assert_mask(MASK_ID_NUMBER, "AB1234", "A***34");
	assert_mask(MASK_ID_NUMBER, "G1234", "*****");
	assert_mask(MASK_ID_NUMBER, "X", "*");
	assert_mask(MASK_ID_NUMBER, "", "");
	assert_mask(MASK_ID_NUMBER, "护照号码一二三四", "护*****三四");
	/* an invalid byte is one unit, shown as '*' */
	assert_mask(MASK_ID_NUMBER,
		    "\xff"
		    "10105199001011234",
		    "*10105********1234");
	assert_mask(MASK_ID_NUMBER, "11010519900101123\xc3", "110105********123*");
}

static void test_email(void **state)
{
	(void)state;
	assert_mask(MASK_EMAIL, "zhang.wei@example.com", "z***@example.com");
	assert_mask(MASK_EMAIL, "a@b", "a***@b");
	assert_mask(MASK_EMAIL, "张伟@例子.中国", "张***@例子.中国");
	assert_mask(MASK_EMAIL, "\"a@b\"@example.com", "\"***@example.com");
	assert_mask(MASK_EMAIL,
		    "\xff"
		    "abc@x.com",
		    "****@x.com");
	assert_mask(MASK_EMAIL, "a@x\xff.com", "a***@x*.com");
	/* not an e-mail: the generic rule */
	assert_mask(MASK_EMAIL, "zhangwei", "z*****ei");
	assert_mask(MASK_EMAIL, "@example.com", "@*********om");
	assert_mask(MASK_EMAIL, "zhangwei@", "z******i@");
	assert_mask(MASK_EMAIL, "abc@", "****");
	assert_mask(MASK_EMAIL, "@", "*");
	assert_mask(MASK_EMAIL, "", "");
}

static void test_address(void **state)
{
	(void)state;
	assert_mask(MASK_ADDRESS, "广东省广州市天河区体育西路103号", "广东省广州市天河区****");
	assert_mask(MASK_ADDRESS, "北京市朝阳区建国路88号", "北京市朝阳区****");
	assert_mask(MASK_ADDRESS, "北京市市辖区东城区东长安街1号", "北京市市辖区****");
	assert_mask(MASK_ADDRESS, "内蒙古自治区呼和浩特市新城区中山西路1号",
		    "内蒙古自治区呼和浩特市新城区****");
	assert_mask(MASK_ADDRESS, "内蒙古自治区锡林郭勒盟正蓝旗上都镇",
		    "内蒙古自治区锡林郭勒盟正蓝旗****");
	assert_mask(MASK_ADDRESS, "黑龙江省大兴安岭地区加格达奇区人民路",
		    "黑龙江省大兴安岭地区加格达奇区****");
	assert_mask(MASK_ADDRESS, "香港特别行政区九龙城区太子道西", "香港特别行政区九龙城区****");
	assert_mask(MASK_ADDRESS, "云南省玉溪市峨山彝族自治县双江街道",
		    "云南省玉溪市峨山彝族自治县****");
	assert_mask(MASK_ADDRESS, "天河区体育西路103号", "天河区****");
	/* no district-level unit: the first six code points */
	assert_mask(MASK_ADDRESS, "江苏省苏州市昆山市玉山镇", "江苏省苏州市****");
	assert_mask(MASK_ADDRESS, "Room 5, 88 Jianguo Road", "Room 5****");
	assert_mask(MASK_ADDRESS, "北京", "北京****");
	assert_mask(MASK_ADDRESS, "", "");
	/* the unit must end within 24 code points */
	assert_mask(MASK_ADDRESS, "一二三四五六七八九十一二三四五六七八九十一二三区路",
		    "一二三四五六七八九十一二三四五六七八九十一二三区****");
	assert_mask(MASK_ADDRESS, "一二三四五六七八九十一二三四五六七八九十一二三四区路",
		    "一二三四五六****");
	/* only the valid leading part without '*' is looked at */
	assert_mask(MASK_ADDRESS, "广东省\xff广州市天河区", "广东省****");
	assert_mask(MASK_ADDRESS, "广东省广\xe5\xb7", "广东省广****");
	assert_mask(MASK_ADDRESS, "广东省*广州市天河区", "广东省****");
	assert_mask(MASK_ADDRESS, "*abc", "****");
}

static void test_address_parts(void **state)
{
	(void)state;
	assert_string_equal(
		mask_address_parts(arena, "广东省", "广州市", "天河区", "体育西路103号"),
		"广东省广州市天河区****");
	assert_string_equal(mask_address_parts(arena, NULL, "北京市", "朝阳区", ""),
			    "北京市朝阳区");
	assert_string_equal(mask_address_parts(arena, "广东省", NULL, NULL, NULL), "广东省");
	assert_string_equal(mask_address_parts(arena, "\xff", NULL, NULL, "x"), "*****");
	assert_string_equal(mask_address_parts(arena, NULL, NULL, NULL, NULL), "");
}

static void test_name(void **state)
{
	(void)state;
	assert_mask(MASK_NAME, "张伟", "张*");
	assert_mask(MASK_NAME, "欧阳娜娜", "欧***");
	assert_mask(MASK_NAME, "张", "*");
	assert_mask(MASK_NAME, "Zhang Wei", "Z********");
	assert_mask(MASK_NAME, "\xff\xfe", "**");
	assert_mask(MASK_NAME, "\xed\xa0\x80x", "****"); /* a surrogate is three invalid bytes */
	assert_mask(MASK_NAME, "", "");
}

static void test_none_and_null(void **state)
{
	(void)state;
	assert_mask(MASK_NONE, "13812345678", "13812345678");
	assert_mask(MASK_NONE, "", "");
	for (int k = MASK_NONE; k <= MASK_NAME; k++)
		assert_null(mask_apply(arena, (enum mask_kind)k, NULL));
}

static bool utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t len = *p < 0x80		       ? 1
			     : *p >= 0xc2 && *p < 0xe0 ? 2
			     : *p >= 0xe0 && *p < 0xf0 ? 3
			     : *p >= 0xf0 && *p < 0xf5 ? 4
						       : 0;

		if (!len)
			return false;
		for (size_t i = 1; i < len; i++)
			if ((p[i] & 0xc0) != 0x80)
				return false;
		p += len;
	}
	return true;
}

/* Every value under every kind: valid UTF-8 out, a '*' in every non-empty mask, a mask
 * masks to itself and is recognised as the echo of its value. */
static void test_properties(void **state)
{
	static const char *const values[] = {"13812345678",
					     "+8613812345678",
					     "0086 138 1234 5678",
					     "010-12345678",
					     "(0755) 1234567",
					     "1234567",
					     "12",
					     "",
					     "*",
					     "****",
					     "138****5678",
					     "110105199001011234",
					     "E12345678",
					     "zhang.wei@example.com",
					     "a@b",
					     "@",
					     "x@",
					     "广东省广州市天河区体育西路103号",
					     "内蒙古自治区呼和浩特市新城区",
					     "张伟",
					     "\xff\xfe\xfd",
					     "a\xc3",
					     "\xf4\x90\x80\x80",
					     "\xc0\xaf",
					     "+",
					     "0755-",
					     "(010)",
					     "@@x",
					     "地区区"};

	(void)state;
	for (int k = MASK_NONE; k <= MASK_NAME; k++) {
		for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
			const char *m = mask_apply(arena, (enum mask_kind)k, values[i]);

			assert_string_equal(mask_apply(arena, (enum mask_kind)k, m), m);
			if (k == MASK_NONE)
				continue;
			assert_true(utf8_valid(m));
			assert_true(strlen(m) <= strlen(values[i]) + 4);
			if (*values[i])
				assert_non_null(strchr(m, '*'));
			assert_int_equal(mask_check_echo((enum mask_kind)k, values[i], m),
					 MASK_ECHO_SAME);
		}
	}
}

static void test_long_values(void **state)
{
	size_t n = 100000;
	char *digits = malloc(n + 1), *han = malloc(3 * n + 1);
	const char *m;

	(void)state;
	memset(digits, '7', n);
	digits[n] = '\0';
	for (size_t i = 0; i < n; i++)
		memcpy(han + 3 * i, "\xe5\x8c\xba", 3); /* 区 */
	han[3 * n] = '\0';

	m = mask_apply(arena, MASK_PHONE, digits);
	assert_int_equal(strlen(m), n);
	assert_memory_equal(m, "777****", 7);
	assert_memory_equal(m + n - 5, "*7777", 5);
	m = mask_apply(arena, MASK_ID_NUMBER, han);
	assert_int_equal(strlen(m), 10 * 3 + (n - 10));
	m = mask_apply(arena, MASK_NAME, han);
	assert_int_equal(strlen(m), 3 + (n - 1));
	assert_string_equal(mask_apply(arena, MASK_ADDRESS, han), "区****");
	m = mask_apply(arena, MASK_EMAIL, digits);
	assert_int_equal(strlen(m), n);
	free(digits);
	free(han);
}

static void test_check_echo(void **state)
{
	(void)state;
	assert_int_equal(mask_check_echo(MASK_PHONE, "13812345678", "138****5678"), MASK_ECHO_SAME);
	assert_int_equal(mask_check_echo(MASK_PHONE, "13812345678", "13812345678"), MASK_ECHO_NONE);
	assert_int_equal(mask_check_echo(MASK_PHONE, "13812345678", "13900001111"), MASK_ECHO_NONE);
	/* the value changed since it was read: its old mask must not be stored */
	assert_int_equal(mask_check_echo(MASK_PHONE, "13900001111", "138****5678"), MASK_ECHO_BAD);
	assert_int_equal(mask_check_echo(MASK_PHONE, NULL, "138****5678"), MASK_ECHO_BAD);
	assert_int_equal(mask_check_echo(MASK_PHONE, NULL, "13812345678"), MASK_ECHO_NONE);
	assert_int_equal(mask_check_echo(MASK_PHONE, "13812345678", NULL), MASK_ECHO_NONE);
	assert_int_equal(mask_check_echo(MASK_EMAIL, "zhang.wei@example.com", "z***@example.com"),
			 MASK_ECHO_SAME);
	assert_int_equal(mask_check_echo(MASK_EMAIL, "zhang.wei@example.com", "z***@example.org"),
			 MASK_ECHO_BAD);
	assert_int_equal(mask_check_echo(MASK_NAME, "张伟", "张*"), MASK_ECHO_SAME);
	assert_int_equal(mask_check_echo(MASK_NAME, "张伟", "李*"), MASK_ECHO_BAD);
	assert_int_equal(mask_check_echo(MASK_NAME, "张伟", "李伟"), MASK_ECHO_NONE);
	assert_int_equal(mask_check_echo(MASK_ADDRESS, "广东省广州市天河区体育西路103号",
					 "广东省广州市天河区****"),
			 MASK_ECHO_SAME);
	assert_int_equal(mask_check_echo(MASK_ID_NUMBER, "", ""), MASK_ECHO_SAME);
	assert_int_equal(mask_check_echo(MASK_NONE, "a*", "a*"), MASK_ECHO_NONE);
	assert_int_equal(mask_check_echo(MASK_NONE, "a", "b*"), MASK_ECHO_NONE);
}

/* ---- free text ---- */

static const char *text(const char *in)
{
	size_t n = strlen(in), cap = n + 3 * 8 + 1;
	char *out = arena_alloc(arena, cap);
	size_t len = mask_text(out, cap, in, n);

	assert_int_equal(len, strlen(out));
	return out;
}

#define assert_text(in, want) assert_string_equal(text(in), want)

static void test_text_mobile(void **state)
{
	(void)state;
	assert_text("13912345678", "139****5678");
	assert_text("path=\"/api/v1/search?q=13912345678&limit=5\"",
		    "path=\"/api/v1/search?q=139****5678&limit=5\"");
	assert_text("q=+8613912345678", "q=+86139****5678");
	assert_text("q=008613912345678", "q=0086139****5678");
	assert_text("+86 139 1234 5678", "+86 139 **** 5678");
	assert_text("139-1234-5678 and 139 1234 5678", "139-****-5678 and 139 **** 5678");
	assert_text("q=139+1234+5678", "q=139+****+5678");
	/* in a word, or after an escape whose hex ends in digits */
	assert_text("tel13912345678x", "tel139****5678x");
	assert_text("q=%2B8613912345678", "q=%2B86139****5678");
	/* the first mobile of several groups, and one after a short number */
	assert_text("404 13912345678", "404 139****5678");
	assert_text("13912345678 5", "139****5678 5");
	/* 11 digits that are no mobile are a long run */
	assert_text("12012345678", "12*******78");
}

static void test_text_id_number(void **state)
{
	(void)state;
	assert_text("440106199003071231", "4401**********1231");
	assert_text("id=11010519491231002X;", "id=1101**********002X;");
	assert_text("11010519491231002x", "1101**********002x");
	/* the old 15-digit form: a long run */
	assert_text("110105491231002", "11*********1002");
}

static void test_text_fixed_line_and_long_runs(void **state)
{
	(void)state;
	assert_text("020-87654321", "020-****4321");
	assert_text("0755 1234567", "0755 ***4567");
	assert_text("card 6222021234567890123", "card 62*************0123");
	assert_text("123456789", "12*****89");
	assert_text("C000000000042", "C00******0042");
	/* what is no personal data stays */
	assert_text("12345678", "12345678");
	assert_text("2026-12-02T14:32:24.151Z", "2026-12-02T14:32:24.151Z");
	assert_text("status=404 bytes=1048576 duration_ms=12.345 port=45053",
		    "status=404 bytes=1048576 duration_ms=12.345 port=45053");
	assert_text("listen=127.0.0.1:8080 404 200 500", "listen=127.0.0.1:8080 404 200 500");
	assert_text("/api/v1/org-units/GD-GZ", "/api/v1/org-units/GD-GZ");
}

static void test_text_email(void **state)
{
	(void)state;
	assert_text("zhang.wei@example.com", "z***@example.com");
	assert_text("q=zhang.wei@example.com&x=1", "q=z***@example.com&x=1");
	assert_text("'a@b.cn'", "'a***@b.cn'");
	assert_text("13912345678@139.com", "1***@139.com");
	assert_text("a+tag@mail.example.org x", "a***@mail.example.org x");
	/* the domain goes through the rules too */
	assert_text("x@13912345678.cn", "x***@139****5678.cn");
	/* a UUID or a number may be the local part */
	assert_text("01a2372b-c372-704b-9122-8a968eacb3c1@example.com", "0***@example.com");
	assert_text("139 1234 5678x@example.com", "139 1234 5***@example.com");
	/* no domain of two labels: no address */
	assert_text("user@localhost", "user@localhost");
	assert_text("@example.com", "@example.com");
	assert_text("a@", "a@");
}

static void test_text_uuids_stay(void **state)
{
	(void)state;
	assert_text("req=01923456-7890-7123-8123-456789012345",
		    "req=01923456-7890-7123-8123-456789012345");
	assert_text("/customer/01a2372b-c372-704b-9122-8a968eacb3c1",
		    "/customer/01a2372b-c372-704b-9122-8a968eacb3c1");
	/* not a UUID when it runs on */
	assert_text("01923456-7890-7123-8123-4567890123456",
		    "01923456-7890-7123-8123-45*******3456");
}

static void test_text_properties(void **state)
{
	static const char *const values[] = {
		"q=13912345678 440106199003071231 11010519491231002X a.b@c.com",
		"+86 139 1234 5678, 020-87654321, 6222021234567890123",
		"x@13912345678.cn 1***@139.com 139****5678",
		"1-2-3-4-5-6-7-8-9-10-11-12-13",
		"\xff\xfe 13912345678 \xe5\xbc\xa0",
		"",
		"@@@",
		"9999999999999999999999999999999999999999999999999999999999999999",
		"*13912345678*",
	};
	char small[8];

	(void)state;
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		const char *m = text(values[i]);

		assert_string_equal(text(m), m); /* a mask masks to itself */
		assert_null(strstr(m, "13912345678"));
		assert_null(strstr(m, "1234567890"));
	}
	/* a second pass may star what a mask kept with its neighbours, and only that */
	assert_text("1394-5678 020-87654321", "139*-***8 020-87654321");
	assert_text("139*-***8 020-87654321", "139*-***8 020-****4321");
	/* the bytes are cut, never the masking */
	assert_int_equal(mask_text(small, sizeof(small), "13912345678", 11), 7);
	assert_string_equal(small, "139****");
	assert_int_equal(mask_text(small, 0, "13912345678", 11), 0);
	/* n bytes of s only: it need not be NUL-terminated */
	assert_int_equal(mask_text(small, sizeof(small), "12345678901", 4), 4);
	assert_string_equal(small, "1234");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_phone_mobile_and_country_code),
		cmocka_unit_test(test_phone_fixed_line),
		cmocka_unit_test(test_phone_generic_and_short),
		cmocka_unit_test(test_phone_not_phone_shaped),
		cmocka_unit_test(test_id_number),
		cmocka_unit_test(test_email),
		cmocka_unit_test(test_address),
		cmocka_unit_test(test_address_parts),
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_none_and_null),
		cmocka_unit_test(test_properties),
		cmocka_unit_test(test_long_values),
		cmocka_unit_test(test_check_echo),
		cmocka_unit_test(test_text_mobile),
		cmocka_unit_test(test_text_id_number),
		cmocka_unit_test(test_text_fixed_line_and_long_runs),
		cmocka_unit_test(test_text_email),
		cmocka_unit_test(test_text_uuids_stay),
		cmocka_unit_test(test_text_properties),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
