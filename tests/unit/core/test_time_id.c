/* Unit tests: ISO-8601 formatting and parsing, civil dates, UUIDv7 ids. */
#include "cmocka_all.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/id.h"
#include "core/time.h"

static void test_format(void **state)
{
	char buf[TIME_ISO_MAX];

	(void)state;
	time_format_iso(0, buf);
	assert_string_equal(buf, "1970-01-01T00:00:00.000Z");
	time_format_iso(1795334130123, buf);
	assert_string_equal(buf, "2026-11-22T07:55:30.123Z");
	time_format_iso(-1, buf);
	assert_string_equal(buf, "1969-12-31T23:59:59.999Z");
}

static void test_parse(void **state)
{
	int64_t ms;

	(void)state;
	assert_true(time_parse_iso(str_from("2026-11-22T07:55:30.123Z"), &ms));
	assert_int_equal(ms, 1795334130123);
	assert_true(time_parse_iso(str_from("2026-11-22T15:55:30.123+08:00"), &ms));
	assert_int_equal(ms, 1795334130123);
	assert_true(time_parse_iso(str_from("2026-11-22"), &ms));
	assert_int_equal(ms % 86400000, 0);
	assert_true(time_parse_iso(str_from("2024-02-29T00:00Z"), &ms));
	assert_false(time_parse_iso(str_from("2026-02-29"), &ms));
	assert_false(time_parse_iso(str_from("2026-13-01"), &ms));
	assert_false(time_parse_iso(str_from("2026-11-22T24:00Z"), &ms));
	assert_false(time_parse_iso(str_from("2026-11-22T10:00:00.Z"), &ms));
	assert_false(time_parse_iso(str_from("2026-11-22T10:00Zjunk"), &ms));
	assert_false(time_parse_iso(str_from("yesterday"), &ms));
	assert_false(time_parse_iso(str_from(""), &ms));
}

static void test_civil_round_trip(void **state)
{
	(void)state;
	for (int64_t d = -800000; d < 800000; d += 997) {
		int y;
		unsigned m, dd;

		time_civil_from_days(d, &y, &m, &dd);
		assert_int_equal(time_days_from_civil(y, m, dd), d);
	}
}

#define THREADS 4
#define PER	5000
static char ids[THREADS][PER][ID_LEN + 1];

static void *make_ids(void *arg)
{
	char(*mine)[ID_LEN + 1] = arg;

	for (int i = 0; i < PER; i++)
		id_new(mine[i]);
	return NULL;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void test_ids_unique_ordered_well_formed(void **state)
{
	pthread_t t[THREADS];

	(void)state;
	for (int i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, make_ids, ids[i]);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < THREADS; i++)
		for (int k = 0; k < PER; k++) {
			assert_int_equal(strlen(ids[i][k]), ID_LEN);
			for (int j = 0; j < ID_LEN; j++) /* lowercase hex in 8-4-4-4-12 */
				assert_true(
					j == 8 || j == 13 || j == 18 || j == 23
						? ids[i][k][j] == '-'
						: (ids[i][k][j] >= '0' && ids[i][k][j] <= '9') ||
							  (ids[i][k][j] >= 'a' &&
							   ids[i][k][j] <= 'f'));
			assert_int_equal(ids[i][k][14], '7');		    /* version */
			assert_true(strchr("89ab", ids[i][k][19]) != NULL); /* variant */
			if (k) /* one thread's ids sort in creation order */
				assert_true(strcmp(ids[i][k - 1], ids[i][k]) < 0);
		}
	{
		char(*all)[ID_LEN + 1] = (char(*)[ID_LEN + 1]) ids;

		qsort(all, THREADS * PER, ID_LEN + 1, cmp);
		for (int i = 1; i < THREADS * PER; i++)
			assert_true(strcmp(all[i - 1], all[i]) != 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_civil_round_trip),
		cmocka_unit_test(test_ids_unique_ordered_well_formed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
