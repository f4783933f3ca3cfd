/*
 * The demo generator's people and companies: every identifier it makes validates, the ID
 * number agrees with the birth date and sex, and the same seed gives the same data.
 */
#include "cmocka_all.h"

#include <stdlib.h>
#include <string.h>

#include "../../../src/cli/demo_people.c" /* private to src/cli, linked into no library */
#include "core/err.h"

static void test_people_are_valid(void **state)
{
	struct demo_ids *ids = demo_ids_new(2026);
	struct demo_rng r;
	int foreign = 0, female = 0, email = 0;

	(void)state;
	demo_rng_seed(&r, 42);
	for (int i = 0; i < 20000; i++) {
		const struct demo_city *city = &demo_cities[i % demo_city_count];
		struct ident_person idp;
		struct ident_mobile mob;
		struct ident_email em;
		struct demo_person p;
		struct crm_err err = {0};

		demo_person_make(&r, ids, city, 2026, &p);
		assert_true(p.birth_year >= 2026 - 85 && p.birth_year <= 2026 - 18);
		assert_non_null(p.district);
		assert_true(p.full_name[0] && p.street[0]);
		assert_int_equal(ident_mobile_check(p.mobile, NULL, &mob, &err), 0);
		if (p.email[0]) {
			email++;
			assert_int_equal(ident_email_check(p.email, NULL, &em, &err), 0);
		}
		female += p.sex == 2;
		if (p.foreign) {
			foreign++;
			assert_string_equal(p.id_type, "passport");
			assert_string_not_equal(p.nationality, "CN");
			continue;
		}
		assert_int_equal(ident_resident_id_check(p.id_number, ident_today(1795000000000LL),
							 NULL, &idp, &err),
				 0);
		assert_int_equal(idp.birth_year, p.birth_year);
		assert_int_equal(idp.birth_month, p.birth_month);
		assert_int_equal(idp.birth_day, p.birth_day);
		assert_int_equal((int)idp.sex, p.sex);
		assert_memory_equal(p.id_number, p.district->code, 6);
	}
	/* a realistic mix, not a degenerate one */
	assert_true(foreign > 200 && foreign < 1200);
	assert_true(female > 8000 && female < 12000);
	assert_true(email > 8000 && email < 12000);
	demo_ids_free(ids);
}

/* Many people born in few places on few days still get distinct ID numbers. */
static void test_ids_are_unique(void **state)
{
	struct demo_ids *ids = demo_ids_new(2026);
	static char seen[60000][24];
	struct demo_rng r;
	int n = 0;

	(void)state;
	demo_rng_seed(&r, 3);
	for (int i = 0; i < 60000; i++) {
		struct demo_person p;

		demo_person_make(&r, ids, &demo_cities[3], 2026, &p); /* 东莞: one region code */
		memcpy(seen[n++], p.id_number, sizeof(p.id_number));
	}
	qsort(seen, (size_t)n, sizeof(seen[0]), (int (*)(const void *, const void *))strcmp);
	for (int i = 1; i < n; i++)
		assert_string_not_equal(seen[i - 1], seen[i]);
	demo_ids_free(ids);
}

static void test_companies_are_valid(void **state)
{
	struct demo_rng r;

	(void)state;
	demo_rng_seed(&r, 7);
	for (int i = 0; i < 5000; i++) {
		struct demo_company c;
		struct ident_org org;
		struct ident_fixed_line fl;
		struct crm_err err = {0};

		demo_company_make(&r, &demo_cities[i % demo_city_count], &c);
		assert_int_equal(ident_uscc_check(c.credit_code, NULL, &org, &err), 0);
		assert_int_equal(ident_fixed_line_check(c.phone, NULL, &fl, &err), 0);
		assert_non_null(strstr(c.name, "有限公司"));
	}
}

static void test_same_seed_same_data(void **state)
{
	struct demo_ids *ia = demo_ids_new(2026), *ib = demo_ids_new(2026);
	struct demo_rng a, b;
	struct demo_person p, q;

	(void)state;
	demo_rng_seed(&a, 2026);
	demo_rng_seed(&b, 2026);
	for (int i = 0; i < 1000; i++) {
		demo_person_make(&a, ia, &demo_cities[0], 2026, &p);
		demo_person_make(&b, ib, &demo_cities[0], 2026, &q);
		assert_string_equal(p.full_name, q.full_name);
		assert_string_equal(p.id_number, q.id_number);
		assert_string_equal(p.mobile, q.mobile);
		assert_string_equal(p.street, q.street);
	}
	/* another seed, other people */
	{
		int same = 0;

		demo_rng_seed(&a, 2026);
		demo_rng_seed(&b, 2027);
		for (int i = 0; i < 20; i++) {
			demo_person_make(&a, ia, &demo_cities[0], 2026, &p);
			demo_person_make(&b, ib, &demo_cities[0], 2026, &q);
			same += strcmp(p.full_name, q.full_name) == 0;
		}
		assert_true(same < 5);
	}
	demo_ids_free(ia);
	demo_ids_free(ib);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_people_are_valid),
		cmocka_unit_test(test_companies_are_valid),
		cmocka_unit_test(test_ids_are_unique),
		cmocka_unit_test(test_same_seed_same_data),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
