/* Unit tests: resident id numbers, social credit codes, mobile and fixed-line numbers,
 * e-mail addresses, residence permits, permanent resident IDs, passports, travel permits,
 * military IDs and the table of document types — published samples, every error message,
 * leap years, the 15-character form, every mobile segment boundary, canonical forms, and
 * generated values validating. */
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
	/* a stray continuation byte after the 18th character makes it no digit, and is not
	 * dropped from the number */
	expect_id("11010519491231002X\x80",
		  "the last character of the ID number is not a digit or 'X'");
	expect_id("110105491231002\xbf", "character 15 of the ID number is not a digit");
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
	/* a stray continuation byte belongs to the 18th character, which is then no letter */
	expect_uscc("91350100M000100Y43\x80",
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

/* ---- residence permits of Hong Kong, Macao and Taiwan residents ------------------------ */

static void expect_permit_rp(const char *s, const char *msg)
{
	struct crm_err err;
	struct ident_person p, before;

	memset(&err, 0, sizeof(err));
	memset(&p, 0xab, sizeof(p));
	memcpy(&before, &p, sizeof(p));
	assert_int_equal(ident_residence_permit_check(s, today, NULL, &p, &err), CRM_EINVAL);
	assert_string_equal(err.field, "idNumber");
	assert_string_equal(err.message, msg);
	assert_memory_equal(&p, &before, sizeof(p));
}

static void residence_permit_ok(const char *s, const char *canonical, struct ident_person *p)
{
	struct ident_person again;
	struct crm_err err;

	memset(&err, 0, sizeof(err));
	if (ident_residence_permit_check(s, today, NULL, p, &err) != 0)
		fail_msg("'%s': %s", s, err.message);
	assert_string_equal(p->canonical, canonical);
	assert_false(p->legacy);
	assert_int_equal(ident_residence_permit_check(p->canonical, today, NULL, &again, NULL), 0);
	assert_string_equal(again.canonical, canonical);
}

static void test_residence_permit(void **state)
{
	struct ident_person p;

	(void)state;
	residence_permit_ok("810000199408230021", "810000199408230021", &p);
	assert_string_equal(p.region, "810000");
	assert_int_equal(p.birth_days, time_days_from_civil(1994, 8, 23));
	assert_int_equal(p.sex, IDENT_SEX_FEMALE);
	residence_permit_ok("830000199201300022", "830000199201300022", &p);
	assert_string_equal(p.region, "830000");
	residence_permit_ok("82000019880512019x", "82000019880512019X", &p);
	assert_int_equal(p.sex, IDENT_SEX_MALE);
	residence_permit_ok("81000019900101006X", "81000019900101006X", &p);

	expect_permit_rp("81000019940823002",
			 "a residence permit number has 18 characters, not 17");
	/* no 15-character form */
	expect_permit_rp("810000940823002", "a residence permit number has 18 characters, not 15");
	expect_permit_rp("8100001994A8230021",
			 "character 11 of the residence permit number is not a digit");
	expect_permit_rp("81000019940823002Y",
			 "the last character of the residence permit number is not a digit or 'X'");
	expect_permit_rp("11010519491231002X",
			 "region code 110105 in the residence permit number is not 810000 (Hong "
			 "Kong), 820000 (Macao) or 830000 (Taiwan)");
	expect_permit_rp("810001199408230021",
			 "region code 810001 in the residence permit number is not 810000 (Hong "
			 "Kong), 820000 (Macao) or 830000 (Taiwan)");
	expect_permit_rp("710000199001010015",
			 "region code 710000 in the residence permit number is not 810000 (Hong "
			 "Kong), 820000 (Macao) or 830000 (Taiwan)");
	expect_permit_rp("810000199002300026",
			 "birth date 19900230 in the residence permit number is not a date");
	expect_permit_rp("810000189912310021",
			 "birth date 18991231 in the residence permit number is before 1900");
	expect_permit_rp("810000209901010010",
			 "birth date 20990101 in the residence permit number is in the future");
	expect_permit_rp("810000199408230022",
			 "residence permit number check character should be '1', not '2'");

	/* made like resident ids: every birth date and sequence of the three regions */
	for (int i = 0; i < 3000; i++) {
		static const char *const regions[] = {"810000", "820000", "830000"};
		int64_t first = time_days_from_civil(1900, 1, 1);
		int64_t days = first + rand_below((uint32_t)(today - first + 1));
		char id[IDENT_RESIDENT_ID_LEN + 1];
		int y, seq = (int)rand_below(1000);
		unsigned m, d;

		time_civil_from_days(days, &y, &m, &d);
		assert_int_equal(ident_resident_id_make(id, regions[i % 3], y, (int)m, (int)d, seq),
				 0);
		residence_permit_ok(id, id, &p);
		assert_int_equal(p.birth_days, days);
		assert_int_equal(p.sex, seq % 2 ? IDENT_SEX_MALE : IDENT_SEX_FEMALE);
	}
}

/* ---- foreigners' permanent resident IDs --------------------------------------------------- */

static void expect_foreigner_at(const char *s, int64_t day, const char *msg)
{
	struct crm_err err;
	struct ident_foreigner f, before;

	memset(&err, 0, sizeof(err));
	memset(&f, 0xab, sizeof(f));
	memcpy(&before, &f, sizeof(f));
	assert_int_equal(ident_permanent_residence_check(s, day, NULL, &f, &err), CRM_EINVAL);
	assert_string_equal(err.field, "idNumber");
	assert_string_equal(err.message, msg);
	assert_memory_equal(&f, &before, sizeof(f));
}

static void expect_foreigner(const char *s, const char *msg)
{
	expect_foreigner_at(s, today, msg);
}

static void foreigner_ok_at(const char *s, int64_t day, const char *canonical,
			    struct ident_foreigner *f)
{
	struct ident_foreigner again;
	struct crm_err err;

	memset(&err, 0, sizeof(err));
	if (ident_permanent_residence_check(s, day, NULL, f, &err) != 0)
		fail_msg("'%s': %s", s, err.message);
	assert_string_equal(f->canonical, canonical);
	assert_int_equal(ident_permanent_residence_check(f->canonical, day, NULL, &again, NULL), 0);
	assert_string_equal(again.canonical, canonical);
	assert_int_equal(again.birth_days, f->birth_days);
}

static void foreigner_ok(const char *s, const char *canonical, struct ident_foreigner *f)
{
	foreigner_ok_at(s, today, canonical, f);
}

/* ISO 7064 MOD 11-2 over 17 digits, written out apart from ident.c. */
static char mod11_2(const char *d17)
{
	int sum = 0;

	for (int i = 0; i < 17; i++)
		sum += (d17[i] - '0') * ((1 << (17 - i)) % 11);
	return "10X98765432"[sum % 11];
}

static void test_permanent_residence_2023(void **state)
{
	struct ident_foreigner f;

	(void)state;
	/* Kazakhstan (398), application in Beijing (11), born 1990-12-31, a woman */
	foreigner_ok("911398199012310021", "911398199012310021", &f);
	assert_string_equal(f.nationality, "398");
	assert_string_equal(f.province, "11");
	assert_int_equal(f.birth_year, 1990);
	assert_int_equal(f.birth_month, 12);
	assert_int_equal(f.birth_day, 31);
	assert_int_equal(f.birth_days, time_days_from_civil(1990, 12, 31));
	assert_int_equal(f.sex, IDENT_SEX_FEMALE);
	assert_false(f.legacy);
	/* the sample of the adaptation notes: Saudi Arabia (682), Jiangsu, a man */
	foreigner_ok("932682198501010017", "932682198501010017", &f);
	assert_string_equal(f.nationality, "682");
	assert_string_equal(f.province, "32");
	assert_int_equal(f.sex, IDENT_SEX_MALE);
	/* the United Kingdom (826) in Guangdong; a leap day; a check character X */
	foreigner_ok("944826197506011237", "944826197506011237", &f);
	foreigner_ok("932840198002294569", "932840198002294569", &f);
	foreigner_ok("94439219800601001x", "94439219800601001X", &f);

	expect_foreigner("91139819901231002",
			 "a permanent resident ID number has 15 or 18 characters, not 17");
	expect_foreigner("", "a permanent resident ID number has 15 or 18 characters, not 0");
	expect_foreigner(NULL, "a permanent resident ID number has 15 or 18 characters, not 0");
	expect_foreigner("9113981990A2310021",
			 "character 11 of the permanent resident ID number is not a digit");
	expect_foreigner("91139819901231002Y", "the last character of the permanent resident ID "
					       "number is not a digit or 'X'");
	/* a citizen's number is not a foreigner's */
	expect_foreigner("11010519491231002X", "a permanent resident ID number of 18 characters "
					       "starts with 9, not 1");
	expect_foreigner("811398199012310028", "a permanent resident ID number of 18 characters "
					       "starts with 9, not 8");
	expect_foreigner("971398199012310022", "region code 71 in the permanent resident ID "
					       "number is not a mainland province");
	expect_foreigner("991398199012310021", "region code 91 in the permanent resident ID "
					       "number is not a mainland province");
	expect_foreigner("911398199002300022",
			 "birth date 19900230 in the permanent resident ID number is not a date");
	expect_foreigner("911398189912310028",
			 "birth date 18991231 in the permanent resident ID number is before 1900");
	expect_foreigner(
		"911398209901010017",
		"birth date 20990101 in the permanent resident ID number is in the future");
	expect_foreigner("911398199012310022",
			 "permanent resident ID number check character should be '1', not '2'");

	/* any mainland province, nationality, birth date and sequence */
	for (int i = 0; i < 3000; i++) {
		int64_t first = time_days_from_civil(1900, 1, 1);
		int64_t days = first + rand_below((uint32_t)(today - first + 1));
		char region[7], id[IDENT_RESIDENT_ID_LEN + 1], bad[IDENT_RESIDENT_ID_LEN + 1];
		const char *prov;
		int y, seq = (int)rand_below(1000);
		unsigned m, d;

		do
			prov = id_provinces[rand_below(N_ID_PROVINCES)];
		while (prov[0] > '6');
		snprintf(region, sizeof(region), "9%s%03u", prov, rand_below(1000));
		time_civil_from_days(days, &y, &m, &d);
		snprintf(id, sizeof(id), "%s%04d%02u%02u%03d?", region, y, m, d, seq);
		id[17] = mod11_2(id);
		foreigner_ok(id, id, &f);
		assert_memory_equal(f.province, prov, 3);
		assert_memory_equal(f.nationality, region + 3, 4);
		assert_int_equal(f.birth_days, days);
		assert_int_equal(f.sex, seq % 2 ? IDENT_SEX_MALE : IDENT_SEX_FEMALE);
		memcpy(bad, id, sizeof(bad));
		bad[17] = bad[17] == '0' ? 'X' : bad[17] == 'X' ? '1' : (char)(bad[17] - 1);
		assert_int_equal(ident_permanent_residence_check(bad, today, NULL, NULL, NULL),
				 CRM_EINVAL);
	}
}

static void test_permanent_residence_2017(void **state)
{
	struct ident_foreigner f;

	(void)state;
	/* the sample of the adaptation notes: Kazakhstan, Beijing (1100), born 1990-12-31 */
	foreigner_ok("KAZ110090123105", "KAZ110090123105", &f);
	assert_true(f.legacy);
	assert_string_equal(f.nationality, "KAZ");
	assert_string_equal(f.province, "11");
	assert_int_equal(f.birth_days, time_days_from_civil(1990, 12, 31));
	assert_int_equal(f.sex, 0);
	foreigner_ok("kaz110090123105", "KAZ110090123105", &f);
	foreigner_ok("USA310085061514", "USA310085061514", &f);
	assert_int_equal(f.birth_days, time_days_from_civil(1985, 6, 15));
	/* a two-digit year: this century unless not yet come or not a date */
	foreigner_ok("GBR440000022916", "GBR440000022916", &f); /* 2000-02-29 */
	assert_int_equal(f.birth_year, 2000);
	foreigner_ok("CAN110010010155", "CAN110010010155", &f);
	assert_int_equal(f.birth_year, 2010);
	foreigner_ok("JPN110030010171", "JPN110030010171", &f);
	assert_int_equal(f.birth_year, 1930);
	/* as of 1950-06-15: 49 is 1949, 60 still to come in either century */
	foreigner_ok_at("KAZ110049010151", time_days_from_civil(1950, 6, 15), "KAZ110049010151",
			&f);
	assert_int_equal(f.birth_year, 1949);
	expect_foreigner_at("KAZ110060010158", time_days_from_civil(1950, 6, 15),
			    "birth date 600101 in the permanent resident ID number is in the "
			    "future");

	expect_foreigner("K4Z110090123105",
			 "character 2 of the permanent resident ID number is not a letter");
	expect_foreigner("KAZ1A0090123105",
			 "character 5 of the permanent resident ID number is not a digit");
	expect_foreigner("KA\xc3\x9c"
			 "110090123105",
			 "character 3 of the permanent resident ID number is not a letter");
	expect_foreigner("KAZ110090123105\x80",
			 "character 15 of the permanent resident ID number is not a digit");
	expect_foreigner("911398199012310021\x80", "the last character of the permanent "
						   "resident ID number is not a digit or 'X'");
	expect_permit_rp("810000199408230021\x80",
			 "the last character of the residence permit number is not a digit or "
			 "'X'");
	expect_foreigner("KAZ990090123105", "region code 99 in the permanent resident ID number "
					    "is not a mainland province");
	expect_foreigner("KAZ710090123105", "region code 71 in the permanent resident ID number "
					    "is not a mainland province");
	expect_foreigner("KAZ110090023105",
			 "birth date 900231 in the permanent resident ID number is not a date");
	/* 2010 and 1910 are not leap years */
	expect_foreigner("GBR440010022906",
			 "birth date 100229 in the permanent resident ID number is not a date");
	expect_foreigner("KAZ110090123107",
			 "permanent resident ID number check character should be '5', not '7'");
	expect_foreigner("KAZ110090123115",
			 "permanent resident ID number check character should be '8', not '5'");
}

/* ---- passports ------------------------------------------------------------------------------ */

static void expect_passport(const char *s, const char *msg)
{
	struct crm_err err;
	struct ident_passport pp, before;

	memset(&err, 0, sizeof(err));
	memset(&pp, 0xab, sizeof(pp));
	memcpy(&before, &pp, sizeof(pp));
	assert_int_equal(ident_passport_check(s, NULL, &pp, &err), CRM_EINVAL);
	assert_string_equal(err.field, "passport");
	assert_string_equal(err.message, msg);
	assert_memory_equal(&pp, &before, sizeof(pp));
}

static void passport_ok(const char *s, const char *canonical, bool chinese)
{
	struct ident_passport pp, again;
	struct crm_err err;

	memset(&err, 0, sizeof(err));
	if (ident_passport_check(s, NULL, &pp, &err) != 0)
		fail_msg("'%s': %s", s, err.message);
	assert_string_equal(pp.canonical, canonical);
	assert_int_equal(pp.chinese, chinese);
	assert_int_equal(ident_passport_check(pp.canonical, NULL, &again, NULL), 0);
	assert_string_equal(again.canonical, canonical);
}

static void test_passport(void **state)
{
	(void)state;
	/* Chinese ordinary passports: electronic E and 8 digits, since 2017 E, a letter, 7 */
	passport_ok("E12345678", "E12345678", true);
	passport_ok("e12345678", "E12345678", true);
	passport_ok("EF1260892", "EF1260892", true);
	passport_ok("eh0123456", "EH0123456", true);
	passport_ok("G12345678", "G12345678", true);
	/* other Chinese passports and foreign ones: the general rule */
	passport_ok("DE1234567", "DE1234567", false); /* diplomatic */
	passport_ok("SE1234567", "SE1234567", false); /* service */
	passport_ok("PE1234567", "PE1234567", false); /* public affairs */
	passport_ok("141234567", "141234567", false); /* old ordinary */
	passport_ok("K12345678", "K12345678", false); /* Hong Kong SAR */
	passport_ok("MA1234567", "MA1234567", false); /* Macao SAR */
	passport_ok("312345678", "312345678", false); /* Taiwan */
	passport_ok("C01X00T47", "C01X00T47", false); /* Germany */
	passport_ok("tk1234567", "TK1234567", false); /* Japan */
	passport_ok("123456789", "123456789", false); /* United States */
	passport_ok("P1234567A", "P1234567A", false); /* the Philippines */
	passport_ok("EB1234567", "EB1234567", true);  /* the Philippines, old: the same form */
	passport_ok("EAB12345", "EAB12345", false);
	passport_ok("A1234", "A1234", false);
	passport_ok("A1234567890123456789", "A1234567890123456789", false);

	expect_passport("E123", "a passport number has 5 to 20 characters, not 4");
	expect_passport("", "a passport number has 5 to 20 characters, not 0");
	expect_passport(NULL, "a passport number has 5 to 20 characters, not 0");
	expect_passport("A12345678901234567890",
			"a passport number has 5 to 20 characters, not 21");
	expect_passport("E1234-678", "a passport number has only letters and digits, not '-'");
	expect_passport("P.1234567", "a passport number has only letters and digits, not '.'");
	expect_passport("E1234 678", "a passport number has only letters and digits, not a space");
	expect_passport(" E12345678", "a passport number has only letters and digits, not a space");
	expect_passport("E1234\t678", "a passport number has only letters and digits");
	expect_passport("\xef\xbc\xa5"
			"12345678",
			"a passport number has only letters and digits");
	expect_passport("E1234'678", "a passport number has only letters and digits");
	expect_passport("E12345678\x80", "a passport number has only letters and digits");
	expect_passport("abcdef", "a passport number has at least one digit");
	expect_passport("PASSPORT", "a passport number has at least one digit");
	expect_passport("E1234567",
			"a Chinese passport number starting with 'E' and a digit has 8 digits, "
			"not 7");
	expect_passport("G123456789",
			"a Chinese passport number starting with 'G' and a digit has 8 digits, "
			"not 9");
	expect_passport("EA123456", "a Chinese passport number starting with 'E' and a letter "
				    "has 7 digits after them, not 6");
	expect_passport("ea12345678", "a Chinese passport number starting with 'E' and a letter "
				      "has 7 digits after them, not 8");
	expect_passport("EI1234567", "Chinese passport numbers do not start with 'EI' or 'EO'");
	expect_passport("eo1234567", "Chinese passport numbers do not start with 'EI' or 'EO'");
}

/* ---- travel permits ------------------------------------------------------------------------- */

static void expect_permit(bool tw, const char *s, const char *msg)
{
	struct crm_err err;
	struct ident_travel_permit t, before;

	memset(&err, 0, sizeof(err));
	memset(&t, 0xab, sizeof(t));
	memcpy(&before, &t, sizeof(t));
	assert_int_equal(tw ? ident_travel_permit_tw_check(s, NULL, &t, &err)
			    : ident_travel_permit_hkmo_check(s, NULL, &t, &err),
			 CRM_EINVAL);
	assert_string_equal(err.field, "permitNumber");
	assert_string_equal(err.message, msg);
	assert_memory_equal(&t, &before, sizeof(t));
}

static void permit_ok(bool tw, const char *s, const char *canonical, const char *lifelong,
		      int issue, char office)
{
	struct ident_travel_permit t, again;
	struct crm_err err;
	int (*check)(const char *, const char *, struct ident_travel_permit *, struct crm_err *) =
		tw ? ident_travel_permit_tw_check : ident_travel_permit_hkmo_check;

	memset(&err, 0, sizeof(err));
	if (check(s, NULL, &t, &err) != 0)
		fail_msg("'%s': %s", s, err.message);
	assert_string_equal(t.canonical, canonical);
	assert_string_equal(t.lifelong, lifelong);
	assert_int_equal(t.issue, issue);
	assert_int_equal(t.office, office);
	assert_int_equal(check(t.canonical, NULL, &again, NULL), 0);
	assert_string_equal(again.canonical, canonical);
}

static void test_travel_permit_hkmo(void **state)
{
	(void)state;
	permit_ok(false, "H12345678", "H12345678", "H12345678", -1, '\0');
	permit_ok(false, "M87654321", "M87654321", "M87654321", -1, '\0');
	permit_ok(false, "h1234567800", "H1234567800", "H12345678", 0, '\0');
	permit_ok(false, "M1234567801", "M1234567801", "M12345678", 1, '\0');

	expect_permit(false, "H1234567",
		      "a Hong Kong and Macao travel permit number has 9 or 11 characters, not 8");
	expect_permit(false, "H123456789",
		      "a Hong Kong and Macao travel permit number has 9 or 11 characters, not 10");
	expect_permit(false, NULL,
		      "a Hong Kong and Macao travel permit number has 9 or 11 characters, not 0");
	expect_permit(false, "C12345678",
		      "a Hong Kong and Macao travel permit number starts with H or M, not 'C'");
	expect_permit(false, "112345678",
		      "a Hong Kong and Macao travel permit number starts with H or M, not '1'");
	expect_permit(false,
		      "\xef\xbc\xa8"
		      "12345678",
		      "a Hong Kong and Macao travel permit number starts with H or M");
	expect_permit(false, "H1234A678",
		      "character 6 of the Hong Kong and Macao travel permit number is not a digit");
	expect_permit(false, "H12345678 ",
		      "a Hong Kong and Macao travel permit number has 9 or 11 characters, not 10");
	expect_permit(false, "H12345678\x80",
		      "character 9 of the Hong Kong and Macao travel permit number is not a digit");
	expect_permit(true, "12345678\x80",
		      "a Taiwan travel permit number has a character that is not a digit");
	expect_permit(false, "HH1234567",
		      "character 2 of the Hong Kong and Macao travel permit number is not a digit");
}

static void test_travel_permit_tw(void **state)
{
	(void)state;
	permit_ok(true, "12345678", "12345678", "12345678", -1, '\0');
	permit_ok(true, "1234567890", "1234567890", "12345678", 90, '\0');
	permit_ok(true, "0561682001(D)", "0561682001(D)", "05616820", 1, 'D');
	permit_ok(true, "0561682001(b)", "0561682001(B)", "05616820", 1, 'B');
	permit_ok(true,
		  "0561682001\xef\xbc\x88"
		  "d\xef\xbc\x89",
		  "0561682001(D)", "05616820", 1, 'D');
	permit_ok(true, "0561682001D", "0561682001(D)", "05616820", 1, 'D');
	permit_ok(true, "0561682003(1)", "0561682003(1)", "05616820", 3, '1');

	expect_permit(true, "123456789", "a Taiwan travel permit number has 8 or 10 digits, not 9");
	expect_permit(true, "", "a Taiwan travel permit number has 8 or 10 digits, not 0");
	expect_permit(true, "12345678901",
		      "a Taiwan travel permit number has 8 or 10 digits, not 11");
	expect_permit(true, "1234-5678",
		      "a Taiwan travel permit number has '-', which is not a digit");
	expect_permit(true,
		      "1234\xef\xbc\x95"
		      "678",
		      "a Taiwan travel permit number has a character that is not a digit");
	expect_permit(true, "0561682001DD",
		      "a Taiwan travel permit number has 'D', which is not a digit");
	expect_permit(true, "0561682001(DD)",
		      "the issuing office code of a Taiwan travel permit "
		      "number is one letter or digit in parentheses, as "
		      "in (B)");
	expect_permit(true, "0561682001(D",
		      "the issuing office code of a Taiwan travel permit "
		      "number is one letter or digit in parentheses, as in "
		      "(B)");
	expect_permit(true, "0561682001(D\xef\xbc\x89",
		      "the issuing office code of a Taiwan travel permit number is one letter or "
		      "digit in parentheses, as in (B)");
	expect_permit(true, "05616820(D)",
		      "an issuing office code follows the 10 digits of an "
		      "old Taiwan travel permit number, not 8");
	expect_permit(true, "05616820D",
		      "an issuing office code follows the 10 digits of an old "
		      "Taiwan travel permit number, not 8");
}

/* ---- military and armed police IDs ---------------------------------------------------------- */

static void expect_service(bool police, const char *s, const char *msg)
{
	struct crm_err err;
	struct ident_service_id v, before;

	memset(&err, 0, sizeof(err));
	memset(&v, 0xab, sizeof(v));
	memcpy(&before, &v, sizeof(v));
	assert_int_equal(police ? ident_armed_police_id_check(s, NULL, &v, &err)
				: ident_military_id_check(s, NULL, &v, &err),
			 CRM_EINVAL);
	assert_string_equal(err.field, "idNumber");
	assert_string_equal(err.message, msg);
	assert_memory_equal(&v, &before, sizeof(v));
}

static void service_ok(bool police, const char *s, size_t chars)
{
	struct ident_service_id v;
	struct crm_err err;

	memset(&err, 0, sizeof(err));
	if ((police ? ident_armed_police_id_check(s, NULL, &v, &err)
		    : ident_military_id_check(s, NULL, &v, &err)) != 0)
		fail_msg("'%s': %s", s, err.message);
	assert_string_equal(v.canonical, s);
	assert_int_equal(v.chars, chars);
}

static void test_service_id(void **state)
{
	(void)state;
	service_ok(false, "南字第123456号", 10);
	service_ok(false, "军字第2001988号", 11);
	service_ok(false, "JZ2001988", 9);
	service_ok(false, "士兵证abc123", 9);
	service_ok(false, "二〇一九字第1号", 8);
	service_ok(false,
		   "\xf0\xa0\x80\x80"
		   "字第12号",
		   6); /* U+20000, extension B */
	service_ok(true, "武字第00001号", 9);
	service_ok(false, "123456", 6);
	service_ok(false, "12345678901234567890", 20);
	service_ok(false,
		   "\xf0\xa0\x80\x80\xf0\xa0\x80\x80\xf0\xa0\x80\x80\xf0\xa0\x80\x80"
		   "\xf0\xa0\x80\x80\xf0\xa0\x80\x80\xf0\xa0\x80\x80\xf0\xa0\x80\x80"
		   "\xf0\xa0\x80\x80\xf0\xa0\x80\x80\xf0\xa0\x80\x80\xf0\xa0\x80\x80"
		   "\xf0\xa0\x80\x80\xf0\xa0\x80\x80\xf0\xa0\x80\x80\xf0\xa0\x80\x80"
		   "\xf0\xa0\x80\x80\xf0\xa0\x80\x80\xf0\xa0\x80\x80\xf0\xa0\x80\x80",
		   20);

	expect_service(false, "南字第1号", "a military ID number has 6 to 20 characters, not 5");
	expect_service(false, "", "a military ID number has 6 to 20 characters, not 0");
	expect_service(false, NULL, "a military ID number has 6 to 20 characters, not 0");
	expect_service(false, "123456789012345678901",
		       "a military ID number has 6 to 20 characters, not 21");
	expect_service(true, "武字第1号",
		       "an armed police ID number has 6 to 20 characters, not 5");
	expect_service(false, "南字第12-456号",
		       "character 6 of the military ID number is '-', not "
		       "a letter, a digit or a Chinese character");
	expect_service(true, "武字第(00001)号",
		       "character 4 of the armed police ID number is '(', "
		       "not a letter, a digit or a Chinese character");
	expect_service(false, "南字第 123456号",
		       "character 4 of the military ID number is not a "
		       "letter, a digit or a Chinese character");
	expect_service(false, "      ",
		       "character 1 of the military ID number is not a letter, a "
		       "digit or a Chinese character");
	expect_service(false, "南字第１２３４５６号",
		       "character 4 of the military ID number is not "
		       "a letter, a digit or a Chinese character");
	expect_service(false, "南字第123456號。",
		       "character 11 of the military ID number is not a "
		       "letter, a digit or a Chinese character");
	/* not UTF-8: a truncated sequence, a stray continuation byte, an overlong form, a
	 * surrogate */
	expect_service(false,
		       "\xe5\x8d"
		       "123456",
		       "character 1 of the military ID number is not "
		       "a letter, a digit or a Chinese character");
	expect_service(false, "123456\x80",
		       "character 6 of the military ID number is not a "
		       "letter, a digit or a Chinese character");
	expect_service(false,
		       "12\xc1\x81"
		       "3456",
		       "character 3 of the military ID number is not a "
		       "letter, a digit or a Chinese character");
	expect_service(false,
		       "12\xed\xa0\x80"
		       "3456",
		       "character 3 of the military ID number is "
		       "not a letter, a digit or a Chinese character");
}

/* ---- documents by type ----------------------------------------------------------------------- */

static void document_ok(const char *type, const char *s, const char *canonical,
			const char *stored_as, enum ident_key key)
{
	struct ident_document d, again;
	struct crm_err err;

	memset(&err, 0, sizeof(err));
	if (ident_document_check(type, s, today, NULL, &d, &err) != 0)
		fail_msg("%s '%s': %s", type, s, err.message);
	assert_string_equal(d.canonical, canonical);
	assert_string_equal(d.type->name, type);
	assert_string_equal(d.type->stored_as, stored_as);
	assert_int_equal(d.type->key, key);
	/* the stored number under the stored type is valid and stays the same */
	assert_int_equal(ident_document_check(stored_as, d.canonical, today, NULL, &again, NULL),
			 0);
	assert_string_equal(again.canonical, canonical);
}

static void expect_document(const char *type, const char *s, const char *field, const char *msg)
{
	struct crm_err err;
	struct ident_document d, before;

	memset(&err, 0, sizeof(err));
	memset(&d, 0xab, sizeof(d));
	memcpy(&before, &d, sizeof(d));
	assert_int_equal(ident_document_check(type, s, today, field, &d, &err), CRM_EINVAL);
	assert_string_equal(err.field, field ? field : "identificationId");
	assert_string_equal(err.message, msg);
	assert_memory_equal(&d, &before, sizeof(d));
}

static void test_document_types(void **state)
{
	(void)state;
	/* the documents that show a resident id number store its 18-character form */
	document_ok("residentId", "11010519491231002x", "11010519491231002X", "residentId",
		    IDENT_KEY_CITIZEN);
	document_ok("residentId", "110105491231002", "11010519491231002X", "residentId",
		    IDENT_KEY_CITIZEN);
	document_ok("nationalId", "11010519491231002x", "11010519491231002X", "residentId",
		    IDENT_KEY_CITIZEN);
	document_ok("temporaryResidentId", "440305199003071236", "440305199003071236",
		    "temporaryResidentId", IDENT_KEY_CITIZEN);
	document_ok("householdRegister", "110105491231002", "11010519491231002X",
		    "householdRegister", IDENT_KEY_CITIZEN);
	document_ok("residencePermitHkMoTw", "82000019880512019x", "82000019880512019X",
		    "residencePermitHkMoTw", IDENT_KEY_RESIDENCE_PERMIT);
	document_ok("foreignPermanentResidentId", "kaz110090123105", "KAZ110090123105",
		    "foreignPermanentResidentId", IDENT_KEY_PERMANENT_RESIDENCE);
	document_ok("foreignPermanentResidentId", "911398199012310021", "911398199012310021",
		    "foreignPermanentResidentId", IDENT_KEY_PERMANENT_RESIDENCE);
	document_ok("passport", "e12345678", "E12345678", "passport", IDENT_KEY_PASSPORT);
	document_ok("mainlandTravelPermitHkMo", "h1234567801", "H1234567801",
		    "mainlandTravelPermitHkMo", IDENT_KEY_NONE);
	document_ok("mainlandTravelPermitTw", "0561682001D", "0561682001(D)",
		    "mainlandTravelPermitTw", IDENT_KEY_NONE);
	document_ok("militaryId", "南字第123456号", "南字第123456号", "militaryId", IDENT_KEY_NONE);
	document_ok("armedPoliceId", "武字第00001号", "武字第00001号", "armedPoliceId",
		    IDENT_KEY_NONE);
	document_ok("unifiedSocialCreditCode", "91350100m000100y43", "91350100M000100Y43",
		    "unifiedSocialCreditCode", IDENT_KEY_ORGANIZATION);
	document_ok("other", " anything, as given ", " anything, as given ", "other",
		    IDENT_KEY_NONE);

	/* each check's messages, at the field given */
	expect_document("nationalId", "110105194912310023", "ids[0].identificationId",
			"ID number check character should be 'X', not '3'");
	expect_document("householdRegister", "11010519491231002", NULL,
			"an ID number has 18 characters, not 17");
	expect_document("residencePermitHkMoTw", "11010519491231002X", NULL,
			"region code 110105 in the residence permit number is not 810000 (Hong "
			"Kong), 820000 (Macao) or 830000 (Taiwan)");
	expect_document("foreignPermanentResidentId", "KAZ110090123107", NULL,
			"permanent resident ID number check character should be '5', not '7'");
	expect_document("passport", "E1234567", NULL,
			"a Chinese passport number starting with 'E' and a digit has 8 digits, "
			"not 7");
	expect_document("mainlandTravelPermitHkMo", "C12345678", NULL,
			"a Hong Kong and Macao travel permit number starts with H or M, not 'C'");
	expect_document("mainlandTravelPermitTw", "123456789", NULL,
			"a Taiwan travel permit number has 8 or 10 digits, not 9");
	expect_document("militaryId", "南字第1号", NULL,
			"a military ID number has 6 to 20 characters, not 5");
	expect_document("armedPoliceId", "武字第1号", NULL,
			"an armed police ID number has 6 to 20 characters, not 5");
	expect_document("unifiedSocialCreditCode", "91350100M000100Y44", NULL,
			"social credit code check character should be '3', not '4'");
	expect_document("other", "", "ids[1].identificationId",
			"'ids[1].identificationId' must not be empty");
	expect_document("other", NULL, NULL, "'identificationId' must not be empty");
	{
		char big[IDENT_DOCUMENT_MAX + 2];

		memset(big, 'a', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		expect_document("other", big, NULL,
				"'identificationId' has at most 80 bytes, not 81");
		big[IDENT_DOCUMENT_MAX] = '\0';
		document_ok("other", big, big, "other", IDENT_KEY_NONE);
	}
	expect_document("pigeon", "123", NULL, "identification type 'pigeon' is not known");
	expect_document("resident id", "123", NULL, "identification type is not known");
	expect_document("", "123", NULL, "identification type is not known");
	expect_document(NULL, "123", NULL, "identification type is not known");
	expect_document("ResidentId", "11010519491231002X", NULL,
			"identification type 'ResidentId' is not known");
	assert_int_equal(ident_document_check("passport", "E12345678", today, NULL, NULL, NULL), 0);
}

static void test_document_table(void **state)
{
	(void)state;
	assert_int_equal(ident_document_type_count, 13);
	for (size_t i = 0; i < ident_document_type_count; i++) {
		const struct ident_document_type *t = &ident_document_types[i];
		const struct ident_document_type *stored = ident_document_type_find(t->stored_as);

		assert_ptr_equal(ident_document_type_find(t->name), t); /* names are unique */
		assert_non_null(t->check);
		/* what is stored is itself a type, of the same key, stored as itself */
		assert_non_null(stored);
		assert_int_equal(stored->key, t->key);
		assert_ptr_equal(stored->check, t->check);
		assert_string_equal(stored->stored_as, stored->name);
	}
	assert_string_equal(ident_document_type_find("nationalId")->stored_as, "residentId");
	assert_null(ident_document_type_find("nope"));
	assert_null(ident_document_type_find(NULL));
	/* a person's strongest key first */
	assert_true(IDENT_KEY_NONE < IDENT_KEY_CITIZEN);
	assert_true(IDENT_KEY_CITIZEN < IDENT_KEY_RESIDENCE_PERMIT);
	assert_true(IDENT_KEY_RESIDENCE_PERMIT < IDENT_KEY_PERMANENT_RESIDENCE);
	assert_true(IDENT_KEY_PERMANENT_RESIDENCE < IDENT_KEY_PASSPORT);
	assert_true(IDENT_KEY_PASSPORT < IDENT_KEY_ORGANIZATION);
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
		cmocka_unit_test(test_residence_permit),
		cmocka_unit_test(test_permanent_residence_2023),
		cmocka_unit_test(test_permanent_residence_2017),
		cmocka_unit_test(test_passport),
		cmocka_unit_test(test_travel_permit_hkmo),
		cmocka_unit_test(test_travel_permit_tw),
		cmocka_unit_test(test_service_id),
		cmocka_unit_test(test_document_types),
		cmocka_unit_test(test_document_table),
	};

	today = time_days_from_civil(2026, 6, 15);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
