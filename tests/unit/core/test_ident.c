/* Unit tests: resident id numbers, social credit codes, mobile and fixed-line numbers and
 * e-mail addresses — published samples, every error message, leap years, the 15-character
 * form, every mobile segment boundary, canonical forms, and generated values validating. */
#include "cmocka_all.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/ident.h"
#include "core/time.h"

static int64_t today; /* 2026-06-15 */

static uint64_t rng = 0x9e3779b97f4a7c15u;

/* xorshift64: the same sequence on every run. */
static uint32_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 32);
}

static uint32_t rand_below(uint32_t n)
{
	return next_rand() % n;
}

/* ---- helpers: check a failure's code, field and message, and that out stayed as it was */

static void expect_id(const char *s, const char *msg)
{
	struct crm_err err;
	struct ident_person p, before;

	memset(&err, 0, sizeof(err));
	memset(&p, 0xab, sizeof(p));
	memcpy(&before, &p, sizeof(p));
	assert_int_equal(ident_resident_id_check(s, today, NULL, &p, &err), CRM_EINVAL);
	assert_int_equal(err.code, CRM_EINVAL);
	assert_string_equal(err.field, "idNumber");
	assert_string_equal(err.message, msg);
	assert_memory_equal(&p, &before, sizeof(p));
}

static void expect_uscc(const char *s, const char *msg)
{
	struct crm_err err;
	struct ident_org o, before;

	memset(&err, 0, sizeof(err));
	memset(&o, 0xab, sizeof(o));
	memcpy(&before, &o, sizeof(o));
	assert_int_equal(ident_uscc_check(s, NULL, &o, &err), CRM_EINVAL);
	assert_string_equal(err.field, "creditCode");
	assert_string_equal(err.message, msg);
	assert_memory_equal(&o, &before, sizeof(o));
}

static void expect_mobile(const char *s, const char *msg)
{
	struct crm_err err;
	struct ident_mobile m, before;

	memset(&err, 0, sizeof(err));
	memset(&m, 0xab, sizeof(m));
	memcpy(&before, &m, sizeof(m));
	assert_int_equal(ident_mobile_check(s, NULL, &m, &err), CRM_EINVAL);
	assert_string_equal(err.field, "mobile");
	assert_string_equal(err.message, msg);
	assert_memory_equal(&m, &before, sizeof(m));
}

static void expect_fixed(const char *s, const char *msg)
{
	struct crm_err err;
	struct ident_fixed_line f, before;

	memset(&err, 0, sizeof(err));
	memset(&f, 0xab, sizeof(f));
	memcpy(&before, &f, sizeof(f));
	assert_int_equal(ident_fixed_line_check(s, NULL, &f, &err), CRM_EINVAL);
	assert_string_equal(err.field, "phone");
	assert_string_equal(err.message, msg);
	assert_memory_equal(&f, &before, sizeof(f));
}

static void expect_email(const char *s, const char *msg)
{
	struct crm_err err;
	struct ident_email e, before;

	memset(&err, 0, sizeof(err));
	memset(&e, 0xab, sizeof(e));
	memcpy(&before, &e, sizeof(e));
	assert_int_equal(ident_email_check(s, NULL, &e, &err), CRM_EINVAL);
	assert_string_equal(err.field, "email");
	assert_string_equal(err.message, msg);
	assert_memory_equal(&e, &before, sizeof(e));
}

/* Valid, with that canonical form, which is itself valid with the same canonical form. */
static void person_ok(const char *s, const char *canonical, struct ident_person *p)
{
	struct ident_person again;
	struct crm_err err;

	memset(&err, 0, sizeof(err));
	assert_int_equal(ident_resident_id_check(s, today, NULL, p, &err), 0);
	assert_int_equal(err.code, 0);
	assert_string_equal(p->canonical, canonical);
	assert_int_equal(ident_resident_id_check(p->canonical, today, NULL, &again, NULL), 0);
	assert_string_equal(again.canonical, canonical);
}

static void mobile_ok(const char *s, const char *canonical, enum ident_operator op,
		      enum ident_operator network)
{
	struct ident_mobile m, again;

	assert_int_equal(ident_mobile_check(s, NULL, &m, NULL), 0);
	assert_string_equal(m.canonical, canonical);
	assert_int_equal(m.op, op);
	assert_int_equal(m.network, network);
	assert_ptr_not_equal(m.segment, NULL);
	assert_int_equal(m.segment->op, op);
	assert_int_equal(ident_mobile_check(m.canonical, NULL, &again, NULL), 0);
	assert_string_equal(again.canonical, canonical);
}

static void fixed_ok(const char *s, const char *canonical)
{
	struct ident_fixed_line f, again;
	struct crm_err err;

	memset(&err, 0, sizeof(err));
	if (ident_fixed_line_check(s, NULL, &f, &err) != 0)
		fail_msg("'%s': %s", s, err.message);
	assert_string_equal(f.canonical, canonical);
	assert_int_equal(ident_fixed_line_check(f.canonical, NULL, &again, NULL), 0);
	assert_string_equal(again.canonical, canonical);
}

static void email_ok(const char *s, const char *canonical)
{
	struct ident_email e, again;
	struct crm_err err;

	memset(&err, 0, sizeof(err));
	if (ident_email_check(s, NULL, &e, &err) != 0)
		fail_msg("'%s': %s", s, err.message);
	assert_string_equal(e.canonical, canonical);
	assert_int_equal(e.canonical[e.at], '@');
	assert_int_equal(ident_email_check(e.canonical, NULL, &again, NULL), 0);
	assert_string_equal(again.canonical, canonical);
}

/* ---- today -------------------------------------------------------------------------------- */

static void test_today(void **state)
{
	(void)state;
	assert_int_equal(ident_today(0), 0);
	assert_int_equal(ident_today(16 * 3600000 - 1), 0); /* 23:59:59.999 in Beijing */
	assert_int_equal(ident_today(16 * 3600000), 1);
	assert_int_equal(ident_today(-8 * 3600000), 0);
	assert_int_equal(ident_today(-8 * 3600000 - 1), -1);
	/* 2026-06-14T16:00Z is midnight of the 15th in Beijing */
	assert_int_equal(ident_today(time_days_from_civil(2026, 6, 14) * 86400000 + 16 * 3600000),
			 today);
}

/* ---- resident id numbers -------------------------------------------------------------- */

static void test_resident_id_samples(void **state)
{
	struct ident_person p;

	(void)state;
	/* the sample of GB 11643-1999 */
	person_ok("11010519491231002X", "11010519491231002X", &p);
	assert_string_equal(p.id18, "11010519491231002X");
	assert_string_equal(p.region, "110105");
	assert_int_equal(p.birth_year, 1949);
	assert_int_equal(p.birth_month, 12);
	assert_int_equal(p.birth_day, 31);
	assert_int_equal(p.birth_days, time_days_from_civil(1949, 12, 31));
	assert_int_equal(p.sex, IDENT_SEX_FEMALE);
	assert_false(p.legacy);
	/* lower-case x accepted, canonical upper-case */
	person_ok("11010519491231002x", "11010519491231002X", &p);
	assert_string_equal(p.id18, "11010519491231002X");
	/* a man (17th character odd) */
	person_ok("440305199003071236", "440305199003071236", &p);
	assert_int_equal(p.sex, IDENT_SEX_MALE);
	assert_int_equal(p.birth_days, time_days_from_civil(1990, 3, 7));
	/* residence permits and the other codes kept in the table */
	person_ok("810000198001010022", "810000198001010022", &p);
	person_ok("830000198001010018", "830000198001010018", &p);
	person_ok("910000198001010018", "910000198001010018", &p);
	person_ok("710000198001010010", "710000198001010010", &p);
	/* field name given by the caller; NULL err and out are fine */
	{
		struct crm_err err;

		memset(&err, 0, sizeof(err));
		assert_int_equal(ident_resident_id_check("1", today, "holder.idNumber", NULL, &err),
				 CRM_EINVAL);
		assert_string_equal(err.field, "holder.idNumber");
		assert_int_equal(ident_resident_id_check("1", today, NULL, NULL, NULL), CRM_EINVAL);
		assert_int_equal(
			ident_resident_id_check("11010519491231002X", today, NULL, NULL, NULL), 0);
	}
}

static void test_resident_id_legacy(void **state)
{
	struct ident_person p;

	(void)state;
	person_ok("110105491231002", "110105491231002", &p);
	assert_true(p.legacy);
	assert_string_equal(p.id18, "11010519491231002X");
	assert_int_equal(p.birth_year, 1949);
	assert_int_equal(p.sex, IDENT_SEX_FEMALE);
	person_ok("440305900307123", "440305900307123", &p);
	assert_string_equal(p.id18, "440305199003071236");
	assert_int_equal(p.sex, IDENT_SEX_MALE);
	/* the 18-character form says the same */
	{
		struct ident_person q;

		person_ok(p.id18, p.id18, &q);
		assert_false(q.legacy);
		assert_int_equal(q.birth_days, p.birth_days);
		assert_int_equal(q.sex, p.sex);
		assert_string_equal(q.region, p.region);
	}
	expect_id("110105490230002", "birth date 19490230 in the ID number is not a date");
	expect_id("11010549123100X", "character 15 of the ID number is not a digit");
	expect_id("990105491231002", "region code 99 in the ID number is not a province");
}

static void test_resident_id_errors(void **state)
{
	(void)state;
	expect_id("11010519491231002", "an ID number has 18 characters, not 17");
	expect_id("11010519491231002X1", "an ID number has 18 characters, not 19");
	expect_id("", "an ID number has 18 characters, not 0");
	expect_id(NULL, "an ID number has 18 characters, not 0");
	expect_id(" 11010519491231002X", "an ID number has 18 characters, not 19");
	expect_id("1101051949A231002X", "character 11 of the ID number is not a digit");
	/* 18 characters, one of them not ASCII: counted as one */
	expect_id("1101051949123100\xef\xbc\x92X", "character 17 of the ID number is not a digit");
	expect_id("11010519491231002\xe5\x8f\xb7",
		  "the last character of the ID number is not a digit or 'X'");
	expect_id("11010519491231002Y",
		  "the last character of the ID number is not a digit or 'X'");
	expect_id("990105194912310020", "region code 99 in the ID number is not a province");
	expect_id("100105194912310020", "region code 10 in the ID number is not a province");
	expect_id("160105194912310020", "region code 16 in the ID number is not a province");
	expect_id("110105199002300000", "birth date 19900230 in the ID number is not a date");
	expect_id("110105199013010000", "birth date 19901301 in the ID number is not a date");
	expect_id("110105199000010000", "birth date 19900001 in the ID number is not a date");
	expect_id("110105199001000000", "birth date 19900100 in the ID number is not a date");
	expect_id("110105199004310000", "birth date 19900431 in the ID number is not a date");
	/* the standard's other sample: born 1880, before the range accepted here */
	expect_id("440524188001010014", "birth date 18800101 in the ID number is before 1900");
	expect_id("110105189912310000", "birth date 18991231 in the ID number is before 1900");
	expect_id("110105202606160016", "birth date 20260616 in the ID number is in the future");
	expect_id("110105194912310023", "ID number check character should be 'X', not '3'");
	expect_id("440305199003071235", "ID number check character should be '6', not '5'");
	expect_id("44030519900307123x", "ID number check character should be '6', not 'x'");
}

static void test_resident_id_dates(void **state)
{
	struct ident_person p;

	(void)state;
	/* 1900 is not a leap year, 2000 is */
	expect_id("110105190002290000", "birth date 19000229 in the ID number is not a date");
	person_ok("110105200002290013", "110105200002290013", &p);
	assert_int_equal(p.birth_days, time_days_from_civil(2000, 2, 29));
	/* the first day accepted, and today */
	person_ok("11010519000101001X", "11010519000101001X", &p);
	person_ok("110105202606150010", "110105202606150010", &p);
	assert_int_equal(p.birth_days, today);
	/* what is in the future depends only on the day passed */
	assert_int_equal(ident_resident_id_check("110105202606150010", today - 1, NULL, NULL, NULL),
			 CRM_EINVAL);
	for (int y = 1900; y <= 2026; y++) {
		char id[IDENT_RESIDENT_ID_LEN + 1];
		bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

		if (ident_resident_id_make(id, "110105", y, 2, 29, 1) != 0) {
			assert_false(leap);
			continue;
		}
		assert_true(leap);
		assert_int_equal(ident_resident_id_check(id, today, NULL, NULL, NULL), 0);
	}
}

static void test_resident_id_make(void **state)
{
	char id[IDENT_RESIDENT_ID_LEN + 1];

	(void)state;
	assert_int_equal(ident_resident_id_make(id, "110105", 1949, 12, 31, 2), 0);
	assert_string_equal(id, "11010519491231002X");
	assert_int_equal(ident_resident_id_make(id, "440305", 1990, 3, 7, 123), 0);
	assert_string_equal(id, "440305199003071236");

	memcpy(id, "untouched", 10);
	assert_int_equal(ident_resident_id_make(id, "11010", 1990, 1, 1, 1), CRM_EINVAL);
	assert_int_equal(ident_resident_id_make(id, "1101055", 1990, 1, 1, 1), CRM_EINVAL);
	assert_int_equal(ident_resident_id_make(id, "1101a5", 1990, 1, 1, 1), CRM_EINVAL);
	assert_int_equal(ident_resident_id_make(id, "990105", 1990, 1, 1, 1), CRM_EINVAL);
	assert_int_equal(ident_resident_id_make(id, NULL, 1990, 1, 1, 1), CRM_EINVAL);
	assert_int_equal(ident_resident_id_make(id, "110105", 1899, 12, 31, 1), CRM_EINVAL);
	assert_int_equal(ident_resident_id_make(id, "110105", 10000, 1, 1, 1), CRM_EINVAL);
	assert_int_equal(ident_resident_id_make(id, "110105", 1990, 13, 1, 1), CRM_EINVAL);
	assert_int_equal(ident_resident_id_make(id, "110105", 1990, 0, 1, 1), CRM_EINVAL);
	assert_int_equal(ident_resident_id_make(id, "110105", 1990, 1, 0, 1), CRM_EINVAL);
	assert_int_equal(ident_resident_id_make(id, "110105", 1990, 1, 32, 1), CRM_EINVAL);
	assert_int_equal(ident_resident_id_make(id, "110105", 1990, 1, 1, -1), CRM_EINVAL);
	assert_int_equal(ident_resident_id_make(id, "110105", 1990, 1, 1, 1000), CRM_EINVAL);
	assert_string_equal(id, "untouched");
}

/* Province-level codes accepted in id numbers, written out apart from ident.c's table. */
static const char *const id_provinces[] = {
	"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34",
	"35", "36", "37", "41", "42", "43", "44", "45", "46", "50", "51", "52",
	"53", "54", "61", "62", "63", "64", "65", "71", "81", "82", "83", "91",
};
#define N_ID_PROVINCES (sizeof(id_provinces) / sizeof(id_provinces[0]))

static void test_resident_id_regions(void **state)
{
	(void)state;
	for (int r = 0; r < 100; r++) {
		char region[7], id[IDENT_RESIDENT_ID_LEN + 1];
		bool listed = false;

		snprintf(region, sizeof(region), "%02d0105", r);
		for (size_t i = 0; i < N_ID_PROVINCES; i++)
			listed = listed || memcmp(id_provinces[i], region, 2) == 0;
		assert_int_equal(ident_resident_id_make(id, region, 1990, 1, 1, 1) == 0, listed);
		if (!listed) {
			char msg[64];

			memcpy(id, region, 6);
			memcpy(id + 6, "199001010010", 13);
			snprintf(msg, sizeof(msg),
				 "region code %.2s in the ID number is not a province", region);
			expect_id(id, msg);
		}
	}
}

static void test_resident_id_generated(void **state)
{
	int64_t first = time_days_from_civil(1900, 1, 1);

	(void)state;
	for (int i = 0; i < 20000; i++) {
		char region[7], id[IDENT_RESIDENT_ID_LEN + 1], bad[IDENT_RESIDENT_ID_LEN + 1];
		int64_t days = first + rand_below((uint32_t)(today - first + 1));
		int y, seq = (int)rand_below(1000);
		unsigned m, d;
		struct ident_person p;

		snprintf(region, sizeof(region), "%s%04u", id_provinces[rand_below(N_ID_PROVINCES)],
			 rand_below(10000));
		time_civil_from_days(days, &y, &m, &d);
		assert_int_equal(ident_resident_id_make(id, region, y, (int)m, (int)d, seq), 0);
		person_ok(id, id, &p);
		assert_string_equal(p.region, region);
		assert_int_equal(p.birth_days, days);
		assert_int_equal(p.sex, seq % 2 ? IDENT_SEX_MALE : IDENT_SEX_FEMALE);
		/* any other check character is refused */
		memcpy(bad, id, sizeof(bad));
		bad[17] = bad[17] == '0' ? 'X' : bad[17] == 'X' ? '1' : (char)(bad[17] - 1);
		assert_int_equal(ident_resident_id_check(bad, today, NULL, NULL, NULL), CRM_EINVAL);
		/* the 15-character form of those born in the 1900s */
		if (y < 2000) {
			char old[IDENT_RESIDENT_ID_LEGACY_LEN + 1];
			struct ident_person q;

			memcpy(old, id, 6);
			memcpy(old + 6, id + 8, 9);
			old[15] = '\0';
			person_ok(old, old, &q);
			assert_true(q.legacy);
			assert_string_equal(q.id18, id);
			assert_int_equal(q.birth_days, days);
			assert_int_equal(q.sex, p.sex);
		}
	}
}

/* ---- social credit codes -------------------------------------------------------------- */

static void test_uscc_samples(void **state)
{
	struct ident_org o, again;

	(void)state;
	/* the sample used to explain the check character of GB 32100-2015 */
	assert_int_equal(ident_uscc_check("91350100M000100Y43", NULL, &o, NULL), 0);
	assert_string_equal(o.canonical, "91350100M000100Y43");
	assert_int_equal(o.authority, '9');
	assert_int_equal(o.type, '1');
	assert_string_equal(o.region, "350100");
	assert_string_equal(o.org_code, "M000100Y4");
	assert_int_equal(ident_uscc_check("91350100m000100y43", NULL, &o, NULL), 0);
	assert_string_equal(o.canonical, "91350100M000100Y43");
	assert_int_equal(ident_uscc_check(o.canonical, NULL, &again, NULL), 0);
	assert_string_equal(again.canonical, o.canonical);
	/* organisation code check character 'X' */
	assert_int_equal(ident_uscc_check("9144030071526726XG", NULL, &o, NULL), 0);
	assert_string_equal(o.org_code, "71526726X");
	/* a law firm (authority 3, type 1) */
	assert_int_equal(ident_uscc_check("31110000E00017891P", NULL, &o, NULL), 0);
	/* national authority, region 100000; authority Y, type 1 */
	assert_int_equal(ident_uscc_check("11100000000013127D", NULL, &o, NULL), 0);
	assert_string_equal(o.region, "100000");
	assert_int_equal(ident_uscc_check("Y11100001234567880", NULL, &o, NULL), 0);
	assert_int_equal(ident_uscc_check("N2440305MA5ABCDE5M", NULL, &o, NULL), 0);
	{
		struct crm_err err;

		memset(&err, 0, sizeof(err));
		assert_int_equal(ident_uscc_check("9", "org.creditCode", NULL, &err), CRM_EINVAL);
		assert_string_equal(err.field, "org.creditCode");
	}
}

static void test_uscc_errors(void **state)
{
	(void)state;
	expect_uscc("91350100M000100Y4", "a social credit code has 18 characters, not 17");
	expect_uscc("", "a social credit code has 18 characters, not 0");
	expect_uscc(NULL, "a social credit code has 18 characters, not 0");
	expect_uscc("91350100I000100Y43",
		    "character 9 of the social credit code is 'I', which the code does not use");
	expect_uscc("91350100M0o0100Y43",
		    "character 11 of the social credit code is 'o', which the code does not use");
	expect_uscc("91350100M000100Y4S",
		    "character 18 of the social credit code is 'S', which the code does not use");
	expect_uscc("91350100M000-00Y43",
		    "character 13 of the social credit code is '-', which the code does not use");
	expect_uscc("91350100M000100Y4\xe5\x8f\xb7",
		    "character 18 of the social credit code is not a digit or a letter");
	expect_uscc("91350100M000100Y4 ",
		    "character 18 of the social credit code is not a digit or a letter");
	expect_uscc("B1350100M000100Y43", "registration authority 'B' in the social credit code "
					  "is not one of 1-9, A, N, Y");
	expect_uscc("01350100M000100Y43", "registration authority '0' in the social credit code "
					  "is not one of 1-9, A, N, Y");
	expect_uscc("94350100M000100Y43", "organisation type '4' in the social credit code does "
					  "not exist under registration authority '9'");
	expect_uscc("Y2350100M000100Y43", "organisation type '2' in the social credit code does "
					  "not exist under registration authority 'Y'");
	expect_uscc("9A350100M000100Y43", "organisation type 'A' in the social credit code does "
					  "not exist under registration authority '9'");
	expect_uscc("913A0100M000100Y43", "character 4 of the social credit code is not a digit");
	expect_uscc("91990100M000100Y43",
		    "region code 99 in the social credit code is not a province");
	expect_uscc("91830000M000100Y43",
		    "region code 83 in the social credit code is not a province");
	expect_uscc("91350100M000100Y53",
		    "organisation code check character should be '4', not '5'");
	expect_uscc("91350100M000100Y44",
		    "social credit code check character should be '3', not '4'");
	/* NEEDSWORK (see ident.h): a code issued in Xiamen before 2016, listed as valid on
	 * public registries, fails the final check and is refused */
	expect_uscc("91350203M0001QKT19",
		    "social credit code check character should be 'F', not '9'");
}

/* Registration authorities and their organisation types, written out apart from ident.c. */
static const char *const uscc_table[] = {
	"11", "12", "13", "19", "21", "29", "31", "32", "33", "34", "35", "39",
	"41", "49", "51", "52", "53", "59", "61", "62", "69", "71", "72", "79",
	"81", "89", "91", "92", "93", "A1", "A9", "N1", "N2", "N3", "N9", "Y1",
};
#define N_USCC_TABLE (sizeof(uscc_table) / sizeof(uscc_table[0]))
static const char uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static void test_uscc_make(void **state)
{
	char c[IDENT_USCC_LEN + 1];

	(void)state;
	assert_int_equal(ident_uscc_make(c, '9', '1', "350100", "M000100Y"), 0);
	assert_string_equal(c, "91350100M000100Y43");
	/* exactly the pairs of the table */
	for (const char *a = uscc_alphabet; *a; a++) {
		for (const char *t = uscc_alphabet; *t; t++) {
			bool listed = false;

			for (size_t i = 0; i < N_USCC_TABLE; i++)
				listed = listed ||
					 (uscc_table[i][0] == *a && uscc_table[i][1] == *t);
			assert_int_equal(ident_uscc_make(c, *a, *t, "110000", "12345678") == 0,
					 listed);
		}
	}
	memcpy(c, "untouched", 10);
	assert_int_equal(ident_uscc_make(c, '9', '1', "990100", "M000100Y"), CRM_EINVAL);
	assert_int_equal(ident_uscc_make(c, '9', '1', "35010", "M000100Y"), CRM_EINVAL);
	assert_int_equal(ident_uscc_make(c, '9', '1', "35010A", "M000100Y"), CRM_EINVAL);
	assert_int_equal(ident_uscc_make(c, '9', '1', NULL, "M000100Y"), CRM_EINVAL);
	assert_int_equal(ident_uscc_make(c, '9', '1', "350100", "M000100"), CRM_EINVAL);
	assert_int_equal(ident_uscc_make(c, '9', '1', "350100", "M000100YY"), CRM_EINVAL);
	assert_int_equal(ident_uscc_make(c, '9', '1', "350100", "M00O100Y"), CRM_EINVAL);
	assert_int_equal(ident_uscc_make(c, '9', '1', "350100", "m000100y"), CRM_EINVAL);
	assert_int_equal(ident_uscc_make(c, '9', '1', "350100", NULL), CRM_EINVAL);
	assert_int_equal(ident_uscc_make(c, '9', '4', "350100", "M000100Y"), CRM_EINVAL);
	assert_int_equal(ident_uscc_make(c, 'Z', '1', "350100", "M000100Y"), CRM_EINVAL);
	assert_string_equal(c, "untouched");
}

static void test_uscc_generated(void **state)
{
	static const char *const regions[] = {"10", "11", "31", "35", "44", "65", "71", "81", "82"};

	(void)state;
	for (int i = 0; i < 20000; i++) {
		const char *at = uscc_table[rand_below(N_USCC_TABLE)];
		char region[7], org8[9], c[IDENT_USCC_LEN + 1], bad[IDENT_USCC_LEN + 1];
		struct ident_org o;
		size_t pos;

		snprintf(region, sizeof(region), "%s%04u",
			 regions[rand_below(sizeof(regions) / sizeof(regions[0]))],
			 rand_below(10000));
		for (int k = 0; k < 8; k++)
			org8[k] = uscc_alphabet[rand_below(31)];
		org8[8] = '\0';
		assert_int_equal(ident_uscc_make(c, at[0], at[1], region, org8), 0);
		assert_int_equal(ident_uscc_check(c, NULL, &o, NULL), 0);
		assert_string_equal(o.canonical, c);
		assert_int_equal(o.authority, at[0]);
		assert_int_equal(o.type, at[1]);
		assert_string_equal(o.region, region);
		assert_memory_equal(o.org_code, org8, 8);
		/* one character changed in the organisation code or the check: refused */
		memcpy(bad, c, sizeof(bad));
		pos = 8 + rand_below(10);
		do
			bad[pos] = uscc_alphabet[rand_below(31)];
		while (bad[pos] == c[pos]);
		assert_int_equal(ident_uscc_check(bad, NULL, NULL, NULL), CRM_EINVAL);
	}
}

/* ---- mobile numbers ------------------------------------------------------------------- */

static void test_mobile_forms(void **state)
{
	static const char *const forms[] = {
		"13812345678",	    "+8613812345678",	  "+86 138 1234 5678", "+86-138-1234-5678",
		"0086 13812345678", "008613812345678",	  "8613812345678",     "86 138 1234 5678",
		"138-1234-5678",    " 138 1234 5678 ",	  "138 - 1234 - 5678", "-13812345678-",
		"+86 13812345678",  "0086-138-1234-5678",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		mobile_ok(forms[i], "13812345678", IDENT_OP_MOBILE, IDENT_OP_MOBILE);
	{
		struct crm_err err;

		memset(&err, 0, sizeof(err));
		assert_int_equal(ident_mobile_check("1", "contact.phone", NULL, &err), CRM_EINVAL);
		assert_string_equal(err.field, "contact.phone");
		assert_int_equal(ident_mobile_check("13812345678", NULL, NULL, NULL), 0);
	}
}

/*
 * Every three-digit prefix 100-199, from MIIT's table written out apart from ident.c's:
 * M Mobile, U Unicom, T Telecom, B Broadnet, m/u/t MVNO on that network, '.' unallocated,
 * '*' split further (tested below).
 */
static const char expected_10x_19x[] = "........................."
				       ".....UUUT*MMMMM" /* 125-139 */
				       ".....UUMMT"	 /* 140-149 */
				       "MMMT.UUMMM"	 /* 150-159 */
				       ".*t..mUu.."	 /* 160-169 */
				       "*uMT*UUTM."	 /* 170-179 */
				       "TTMMMUUMMT"	 /* 180-189 */
				       "TTBT.MUMMT";	 /* 190-199 */

static enum ident_operator op_of(char c)
{
	switch (c) {
	case 'M':
	case 'm':
		return IDENT_OP_MOBILE;
	case 'U':
	case 'u':
		return IDENT_OP_UNICOM;
	case 'T':
	case 't':
		return IDENT_OP_TELECOM;
	case 'B':
		return IDENT_OP_BROADNET;
	default:
		return IDENT_OP_NONE;
	}
}

static void test_mobile_segments_3(void **state)
{
	(void)state;
	assert_int_equal(strlen(expected_10x_19x), 100);
	for (int pfx = 100; pfx <= 199; pfx++) {
		char c = expected_10x_19x[pfx - 100], num[16], msg[80];

		if (c == '*')
			continue;
		snprintf(num, sizeof(num), "%d12345678", pfx);
		if (c == '.') {
			snprintf(msg, sizeof(msg),
				 "mobile number segment %d is not allocated to an operator", pfx);
			expect_mobile(num, msg);
		} else if (c >= 'a' && c <= 'z') {
			mobile_ok(num, num, IDENT_OP_MVNO, op_of(c));
		} else {
			mobile_ok(num, num, op_of(c), op_of(c));
		}
	}
}

static void test_mobile_segments_split(void **state)
{
	(void)state;
	/* 134: Mobile 1340-1348; 1349 satellite for 2, 3 and 9, else unallocated */
	for (int h = 0; h <= 8; h++) {
		char num[16];

		snprintf(num, sizeof(num), "134%d1234567", h);
		mobile_ok(num, num, IDENT_OP_MOBILE, IDENT_OP_MOBILE);
	}
	expect_mobile("13490123456", "mobile number segment 13490 is not allocated to an operator");
	expect_mobile("13491123456", "mobile number segment 13491 is not allocated to an operator");
	expect_mobile("13492123456", "mobile number segment 13492 is for satellite phones");
	expect_mobile("13493123456", "mobile number segment 13493 is for satellite phones");
	expect_mobile("13494123456", "mobile number segment 13494 is not allocated to an operator");
	expect_mobile("13498123456", "mobile number segment 13498 is not allocated to an operator");
	expect_mobile("13499123456", "mobile number segment 13499 is for satellite phones");
	/* 161: only 1619, satellite */
	expect_mobile("16101234567", "mobile number segment 1610 is not allocated to an operator");
	expect_mobile("16181234567", "mobile number segment 1618 is not allocated to an operator");
	expect_mobile("16191234567", "mobile number segment 1619 is for satellite phones");
	/* 170: MVNOs on Telecom 0-2, Mobile 3, 5, 6, Unicom 4, 7-9 */
	mobile_ok("17001234567", "17001234567", IDENT_OP_MVNO, IDENT_OP_TELECOM);
	mobile_ok("17021234567", "17021234567", IDENT_OP_MVNO, IDENT_OP_TELECOM);
	mobile_ok("17031234567", "17031234567", IDENT_OP_MVNO, IDENT_OP_MOBILE);
	mobile_ok("17041234567", "17041234567", IDENT_OP_MVNO, IDENT_OP_UNICOM);
	mobile_ok("17051234567", "17051234567", IDENT_OP_MVNO, IDENT_OP_MOBILE);
	mobile_ok("17061234567", "17061234567", IDENT_OP_MVNO, IDENT_OP_MOBILE);
	mobile_ok("17071234567", "17071234567", IDENT_OP_MVNO, IDENT_OP_UNICOM);
	mobile_ok("17091234567", "17091234567", IDENT_OP_MVNO, IDENT_OP_UNICOM);
	/* 174: satellite 17400-17412 and 1749, the rest unallocated */
	expect_mobile("17400123456", "mobile number segment 17400 is for satellite phones");
	expect_mobile("17405123456", "mobile number segment 17405 is for satellite phones");
	expect_mobile("17406123456", "mobile number segment 17406 is for satellite phones");
	expect_mobile("17412123456", "mobile number segment 17412 is for satellite phones");
	expect_mobile("17413123456", "mobile number segment 17413 is not allocated to an operator");
	expect_mobile("17421234567", "mobile number segment 1742 is not allocated to an operator");
	expect_mobile("17481234567", "mobile number segment 1748 is not allocated to an operator");
	expect_mobile("17491234567", "mobile number segment 1749 is for satellite phones");
}

static void test_mobile_errors(void **state)
{
	(void)state;
	expect_mobile("1381234567", "a mobile number has 11 digits, not 10");
	expect_mobile("138123456789", "a mobile number has 11 digits, not 12");
	expect_mobile("", "a mobile number has 11 digits, not 0");
	expect_mobile(NULL, "a mobile number has 11 digits, not 0");
	expect_mobile("+861381234567", "a mobile number has 11 digits, not 10");
	expect_mobile("+86", "a mobile number has 11 digits, not 0");
	/* a domestic long-distance 0 is not part of a mobile number */
	expect_mobile("013812345678", "a mobile number has 11 digits, not 12");
	expect_mobile("23812345678", "a mobile number starts with 1, not 2");
	expect_mobile("138a2345678", "a mobile number has only digits, spaces and dashes, not 'a'");
	expect_mobile("(138)12345678",
		      "a mobile number has only digits, spaces and dashes, not '('");
	expect_mobile("138\xff"
		      "2345678",
		      "a mobile number has only digits, spaces and dashes");
	expect_mobile("138\t12345678", "a mobile number has only digits, spaces and dashes");
	expect_mobile("86+13812345678",
		      "a mobile number has only digits, spaces and dashes, not '+'");
	expect_mobile("+a13812345678",
		      "a mobile number has only digits, spaces and dashes, not '+'");
	expect_mobile("+1 415 555 2671", "only Chinese mobile numbers (+86) are accepted");
	expect_mobile("+85261234567", "only Chinese mobile numbers (+86) are accepted");
}

static void test_mobile_table(void **state)
{
	(void)state;
	assert_true(ident_mobile_segment_count > 0);
	for (size_t i = 0; i < ident_mobile_segment_count; i++) {
		const struct ident_mobile_segment *s = &ident_mobile_segments[i];
		size_t n = strlen(s->prefix);

		assert_true(n >= 3 && n <= 5);
		assert_int_equal(s->prefix[0], '1');
		for (size_t k = 0; k < n; k++)
			assert_true(s->prefix[k] >= '0' && s->prefix[k] <= '9');
		if (i > 0)
			assert_true(strcmp(ident_mobile_segments[i - 1].prefix, s->prefix) < 0);
		for (size_t j = 0; j < ident_mobile_segment_count; j++) {
			const char *o = ident_mobile_segments[j].prefix;

			if (j != i)
				assert_false(strncmp(o, s->prefix, strlen(o)) == 0);
		}
		if (s->op == IDENT_OP_MVNO)
			assert_true(s->network >= IDENT_OP_MOBILE &&
				    s->network <= IDENT_OP_TELECOM);
		else if (s->op != IDENT_OP_NONE)
			assert_int_equal(s->network, s->op);
	}
	assert_string_equal(ident_operator_name(IDENT_OP_MOBILE), "China Mobile");
	assert_string_equal(ident_operator_name(IDENT_OP_UNICOM), "China Unicom");
	assert_string_equal(ident_operator_name(IDENT_OP_TELECOM), "China Telecom");
	assert_string_equal(ident_operator_name(IDENT_OP_BROADNET), "China Broadnet");
	assert_string_equal(ident_operator_name(IDENT_OP_MVNO), "MVNO");
	assert_string_equal(ident_operator_name(IDENT_OP_NONE), "");
	assert_string_equal(ident_operator_name((enum ident_operator)99), "");
}

static void test_mobile_make(void **state)
{
	char out[IDENT_MOBILE_LEN + 1];

	(void)state;
	assert_int_equal(ident_mobile_make(out, "138", 12345678), 0);
	assert_string_equal(out, "13812345678");
	assert_int_equal(ident_mobile_make(out, "1703", 7), 0);
	assert_string_equal(out, "17030000007");
	assert_int_equal(ident_mobile_make(out, "138", UINT32_MAX), 0);
	assert_string_equal(out, "13894967295");
	assert_int_equal(ident_mobile_make(out, "1380013", 1234), 0);
	assert_string_equal(out, "13800131234");
	assert_int_equal(ident_mobile_make(out, "1380013800", 12345), 0);
	assert_string_equal(out, "13800138005");

	memcpy(out, "untouched", 10);
	assert_int_equal(ident_mobile_make(out, "134", 1), CRM_EINVAL);
	assert_int_equal(ident_mobile_make(out, "170", 1), CRM_EINVAL);
	assert_int_equal(ident_mobile_make(out, "1749", 1), CRM_EINVAL);
	assert_int_equal(ident_mobile_make(out, "13492", 1), CRM_EINVAL);
	assert_int_equal(ident_mobile_make(out, "154", 1), CRM_EINVAL);
	assert_int_equal(ident_mobile_make(out, "13", 1), CRM_EINVAL);
	assert_int_equal(ident_mobile_make(out, "13800138000", 1), CRM_EINVAL);
	assert_int_equal(ident_mobile_make(out, "138a", 1), CRM_EINVAL);
	assert_int_equal(ident_mobile_make(out, NULL, 1), CRM_EINVAL);
	assert_string_equal(out, "untouched");

	/* every accepted row, many subscribers: the result is valid and in that row */
	for (size_t i = 0; i < ident_mobile_segment_count; i++) {
		const struct ident_mobile_segment *s = &ident_mobile_segments[i];

		for (int k = 0; k < 200; k++) {
			struct ident_mobile m;
			int rc = ident_mobile_make(out, s->prefix, next_rand());

			if (s->op == IDENT_OP_NONE) {
				assert_int_equal(rc, CRM_EINVAL);
				break;
			}
			assert_int_equal(rc, 0);
			assert_int_equal(ident_mobile_check(out, NULL, &m, NULL), 0);
			assert_string_equal(m.canonical, out);
			assert_ptr_equal(m.segment, s);
		}
	}
}

/* ---- fixed-line numbers --------------------------------------------------------------- */

static void test_fixed_line_forms(void **state)
{
	static const char *const beijing[] = {
		"010-62345678",	   "(010) 6234 5678",  "(010)62345678",	   "+86 10 62345678",
		"+86-10-62345678", "0086 10 62345678", "+86 010 62345678", "+86 (010) 62345678",
		"01062345678",	   " 010 62345678 ",   "010 6234-5678",	   "010 - 62345678",
	};
	struct ident_fixed_line f;

	(void)state;
	for (size_t i = 0; i < sizeof(beijing) / sizeof(beijing[0]); i++)
		fixed_ok(beijing[i], "010-62345678");
	assert_int_equal(ident_fixed_line_check("010-62345678", NULL, &f, NULL), 0);
	assert_string_equal(f.area, "010");
	assert_string_equal(f.local, "62345678");
	assert_string_equal(f.ext, "");
	fixed_ok("021-52345678", "021-52345678");
	fixed_ok("029 82345678", "029-82345678");
	fixed_ok("0755-2345678", "0755-2345678");
	fixed_ok("0755-23456789", "0755-23456789");
	fixed_ok("075523456789", "0755-23456789");
	fixed_ok("07552345678", "0755-2345678");
	fixed_ok("0755 234 5678", "0755-2345678");
	fixed_ok("0999-8765432", "0999-8765432");
	assert_int_equal(ident_fixed_line_check("0755 2345678", NULL, &f, NULL), 0);
	assert_string_equal(f.area, "0755");
	assert_string_equal(f.local, "2345678");
	{
		struct crm_err err;

		memset(&err, 0, sizeof(err));
		assert_int_equal(ident_fixed_line_check("1", "office", NULL, &err), CRM_EINVAL);
		assert_string_equal(err.field, "office");
	}
}

static void test_fixed_line_extensions(void **state)
{
	static const char *const forms[] = {
		"010-62345678-123",	 "010-62345678 转 123",	     "010-62345678转123",
		"010-62345678 ext. 123", "010-62345678 EXT 123",     "010-62345678ext123",
		"010-62345678x123",	 "010-62345678 X 123",	     "010-62345678#123",
		"010-62345678,123",	 "010-62345678 123",	     "010-62345678 - 123",
		"(010) 6234-5678 - 123", "+86 10 6234 5678 ext 123",
	};
	struct ident_fixed_line f;

	(void)state;
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		fixed_ok(forms[i], "010-62345678-123");
	assert_int_equal(ident_fixed_line_check("010-62345678-123", NULL, &f, NULL), 0);
	assert_string_equal(f.ext, "123");
	/* once a four-digit area code's local number has 7 digits, a separator ends it */
	fixed_ok("0755-2345678-8", "0755-2345678-8");
	fixed_ok("0755 2345678 8", "0755-2345678-8");
	fixed_ok("0755 2345678 转 8001", "0755-2345678-8001");
	fixed_ok("0755-23456789-123456", "0755-23456789-123456");
	assert_int_equal(strlen("0755-23456789-123456"), IDENT_FIXED_LINE_MAX);
}

static void test_fixed_line_errors(void **state)
{
	static const char no_area[] =
		"a fixed-line number starts with an area code, 0 and two or three digits";

	(void)state;
	expect_fixed("62345678", no_area);
	expect_fixed("13812345678", no_area);
	expect_fixed("00-62345678", no_area);
	expect_fixed("0", no_area);
	expect_fixed("07-2345678", no_area);
	expect_fixed("+86", no_area);
	expect_fixed("", no_area);
	expect_fixed(NULL, no_area);
	expect_fixed("011-62345678", "area code 011 does not exist");
	expect_fixed("019 62345678", "area code 019 does not exist");
	expect_fixed("(010 62345678", "the area code has no closing parenthesis");
	expect_fixed("010-6234567", "the local number after area code 010 has 8 digits, not 7");
	expect_fixed("010-623456789", "the local number after area code 010 has 8 digits, not 9");
	expect_fixed("010-", "the local number after area code 010 has 8 digits, not 0");
	expect_fixed("010-6234--5678", "the local number after area code 010 has 8 digits, not 4");
	expect_fixed("0755-234567",
		     "the local number after area code 0755 has 7 or 8 digits, not 6");
	expect_fixed("0755-234567890",
		     "the local number after area code 0755 has 7 or 8 digits, not 9");
	expect_fixed("010-12345678", "the local number after area code 010 starts with 2-9, not 1");
	expect_fixed("0755-0345678",
		     "the local number after area code 0755 starts with 2-9, not 0");
	expect_fixed("010-6234abcd", "a fixed-line number has 'a', which is not a digit");
	expect_fixed("010)62345678", "a fixed-line number has ')', which is not a digit");
	expect_fixed("010-6234\xff", "a fixed-line number has a character that is not a digit");
	expect_fixed("010-62345678abc",
		     "a fixed-line number has 'a' where its extension should be");
	expect_fixed("010-62345678--1",
		     "a fixed-line number has '-' where its extension should be");
	expect_fixed("010-62345678 ext 12a",
		     "a fixed-line number has 'a' where its extension should be");
	expect_fixed("010-62345678\xe8\xbd",
		     "a fixed-line number has a character that is not a digit where its "
		     "extension should be");
	expect_fixed("010-62345678-1234567", "an extension has 1 to 6 digits, not 7");
	expect_fixed("010-62345678-", "an extension has 1 to 6 digits, not 0");
	expect_fixed("010-62345678 ext", "an extension has 1 to 6 digits, not 0");
}

/* ---- e-mail addresses ----------------------------------------------------------------- */

static void test_email_valid(void **state)
{
	struct ident_email e;

	(void)state;
	assert_int_equal(ident_email_check("Zhang.Wei@Example.COM", NULL, &e, NULL), 0);
	assert_string_equal(e.canonical, "Zhang.Wei@example.com");
	assert_int_equal(e.at, 9);
	email_ok("Zhang.Wei@Example.COM", "Zhang.Wei@example.com");
	email_ok("a@b.cn", "a@b.cn");
	email_ok("user+tag@Mail.Sub.Example.co.uk", "user+tag@mail.sub.example.co.uk");
	email_ok("o'brien@example.ie", "o'brien@example.ie");
	email_ok("a_b-c@example-mail.com", "a_b-c@example-mail.com");
	email_ok("!#$%&'*+/=?^_`{|}~-@example.com", "!#$%&'*+/=?^_`{|}~-@example.com");
	email_ok("zhangwei@Example.XN--fiqs8s", "zhangwei@example.xn--fiqs8s"); /* .中国 */
	email_ok("x@163.com", "x@163.com");
	{
		char big[IDENT_EMAIL_MAX + 2], label[70];
		struct crm_err err;

		/* 64 characters before the '@' and a 63-character label: the limits */
		memset(label, 'a', 63);
		label[63] = '\0';
		snprintf(big, sizeof(big), "%s%s@%s.com", label, "b", label);
		email_ok(big, big);
		/* 254 characters in all */
		memset(big, 'a', IDENT_EMAIL_MAX);
		big[1] = '@';
		big[65] = big[129] = big[193] = '.'; /* labels of 63, 63, 63 and 60 */
		big[IDENT_EMAIL_MAX] = '\0';
		email_ok(big, big);
		big[IDENT_EMAIL_MAX] = 'a';
		big[IDENT_EMAIL_MAX + 1] = '\0';
		expect_email(big, "an e-mail address has at most 254 characters, not 255");
		memset(&err, 0, sizeof(err));
		assert_int_equal(ident_email_check("x", "contact.email", NULL, &err), CRM_EINVAL);
		assert_string_equal(err.field, "contact.email");
	}
}

static void test_email_errors(void **state)
{
	char big[400];

	(void)state;
	memset(big, 'a', 300);
	memcpy(big + 100, "@example.com", 12);
	big[300] = '\0';
	expect_email(big, "an e-mail address has at most 254 characters, not 300");
	expect_email("zhangwei.example.com", "an e-mail address has one '@', not 0");
	expect_email("a@b@example.com", "an e-mail address has one '@', not 2");
	expect_email("", "an e-mail address has one '@', not 0");
	expect_email(NULL, "an e-mail address has one '@', not 0");
	expect_email("zhang wei@example.com", "an e-mail address has a space");
	expect_email("zhangwei@example.com ", "an e-mail address has a space");
	expect_email(" zhangwei@example.com", "an e-mail address has a space");
	expect_email("zhang;wei@example.com",
		     "the part before the '@' of an e-mail address has ';', which is not allowed");
	expect_email("\"zw\"@example.com",
		     "the part before the '@' of an e-mail address has '\"', which is not allowed");
	expect_email("张伟@example.com", "the part before the '@' of an e-mail address has a "
					 "character that is not allowed");
	expect_email("@example.com", "the part before the '@' of an e-mail address is empty");
	memset(big, 'a', 65);
	memcpy(big + 65, "@example.com", 13);
	expect_email(big, "the part before the '@' of an e-mail address has at most 64 characters, "
			  "not 65");
	expect_email(".zw@example.com",
		     "the part before the '@' of an e-mail address starts or ends with a dot");
	expect_email("zw.@example.com",
		     "the part before the '@' of an e-mail address starts or ends with a dot");
	expect_email("z..w@example.com",
		     "the part before the '@' of an e-mail address has two dots in a row");
	expect_email("zw@exa_mple.com",
		     "the domain of an e-mail address has '_', which is not allowed");
	expect_email("zw@[10.0.0.1]",
		     "the domain of an e-mail address has '[', which is not allowed");
	expect_email("zw@例子.中国",
		     "the domain of an e-mail address has a character that is not allowed");
	expect_email("zw@", "the domain of an e-mail address is empty");
	expect_email("zw@a..com", "e-mail domain 'a..com' has an empty label");
	expect_email("zw@.example.com", "e-mail domain '.example.com' has an empty label");
	expect_email("zw@example.com.", "e-mail domain 'example.com.' has an empty label");
	memset(big, 'a', 67); /* a label of 64 */
	memcpy(big, "zw@", 3);
	memcpy(big + 67, ".com", 5);
	expect_email(big, "e-mail domain labels have at most 63 characters, not 64");
	expect_email("zw@a-.com", "e-mail domain label 'a-' starts or ends with a dash");
	expect_email("zw@-a.com", "e-mail domain label '-a' starts or ends with a dash");
	expect_email("zw@example.-cn", "e-mail domain label '-cn' starts or ends with a dash");
	expect_email("zw@example", "e-mail domain 'example' has no top-level domain");
	expect_email("zw@example.c0m", "e-mail top-level domain 'c0m' is not letters");
	expect_email("zw@10.0.0.1", "e-mail top-level domain '1' is not letters");
	expect_email("zw@example.c-m", "e-mail top-level domain 'c-m' is not letters");
	expect_email("zw@example.xn--", "e-mail domain label 'xn--' starts or ends with a dash");
	expect_email("zw@xn--fiqs8s", "e-mail domain 'xn--fiqs8s' has no top-level domain");
	expect_email("zw@example.c", "e-mail top-level domain 'c' is one letter");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_today),
		cmocka_unit_test(test_resident_id_samples),
		cmocka_unit_test(test_resident_id_legacy),
		cmocka_unit_test(test_resident_id_errors),
		cmocka_unit_test(test_resident_id_dates),
		cmocka_unit_test(test_resident_id_make),
		cmocka_unit_test(test_resident_id_regions),
		cmocka_unit_test(test_resident_id_generated),
		cmocka_unit_test(test_uscc_samples),
		cmocka_unit_test(test_uscc_errors),
		cmocka_unit_test(test_uscc_make),
		cmocka_unit_test(test_uscc_generated),
		cmocka_unit_test(test_mobile_forms),
		cmocka_unit_test(test_mobile_segments_3),
		cmocka_unit_test(test_mobile_segments_split),
		cmocka_unit_test(test_mobile_errors),
		cmocka_unit_test(test_mobile_table),
		cmocka_unit_test(test_mobile_make),
		cmocka_unit_test(test_fixed_line_forms),
		cmocka_unit_test(test_fixed_line_extensions),
		cmocka_unit_test(test_fixed_line_errors),
		cmocka_unit_test(test_email_valid),
		cmocka_unit_test(test_email_errors),
	};

	today = time_days_from_civil(2026, 6, 15);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
