/* Unit tests: personal data masks (phone, id number, e-mail, address, name), invalid UTF-8,
 * long values, masks of masks, and the classification of written values. */
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
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
