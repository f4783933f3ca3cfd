/* Unit tests of what the PostgreSQL backend holds back in a bulk load (pg.c, shape_of):
 * exactly the plain INSERTs — a column list, then values that are `?` or '…' literals —
 * with each column's parameter or literal; every other statement runs as it is. Bulk loads
 * themselves are tests/api/34_import_export.py's, on a PostgreSQL cluster. */
#include "cmocka_all.h"

#include "store/pg.c"

static void test_plain_insert(void **state)
{
	struct insert_shape *sh;

	(void)state;
	sh = shape_of(
		"INSERT INTO party (id, version, kind, doc)\n VALUES (?, ?, 'individual', ?)");
	assert_non_null(sh);
	assert_string_equal(sh->table, "party");
	assert_int_equal(sh->ncols, 4);
	assert_string_equal(sh->cols[0], "id");
	assert_string_equal(sh->cols[3], "doc");
	assert_int_equal(sh->param[0], 1);
	assert_int_equal(sh->param[1], 2);
	assert_int_equal(sh->param[2], 0);
	assert_string_equal(sh->literal[2], "individual");
	assert_int_equal(sh->param[3], 3);
	shape_free(sh);
	sh = shape_of("INSERT INTO phone_key (tail, rev, owner_id) VALUES (?, ?, ?)");
	assert_non_null(sh);
	assert_int_equal(sh->ncols, 3);
	shape_free(sh);
}

static void test_other_statements(void **state)
{
	static const char *const others[] = {
		"INSERT INTO phone_key (rev, owner_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
		"INSERT INTO user_role VALUES (?, ?)",
		"INSERT INTO t (a, b) VALUES (?)",
		"INSERT INTO t (a) VALUES (?, ?)",
		"INSERT INTO t (a, b) VALUES (?1, ?2)",
		"INSERT INTO t (a) VALUES ('it''s')",
		"INSERT INTO t (a) VALUES (lower(?))",
		"INSERT INTO t (a) SELECT ?",
		"INSERT INTO event_outbox (a) VALUES (?) RETURNING seq",
		"UPDATE t SET a = ?",
		"SELECT 1",
		"INSERT INTO",
		"",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		struct insert_shape *sh = shape_of(others[i]);

		if (sh)
			fail_msg("held back: %s", others[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_insert),
		cmocka_unit_test(test_other_statements),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
