/* Unit tests: the phone key (digits reversed, extension dropped) and its rows rewritten
 * from a doc's contact media and removed with their owner. */
#include "cmocka_all.h"

#include "core/arena.h"
#include "store/store_test.h"

static void test_phone_key(void **state)
{
	char out[32];

	(void)state;
	assert_int_equal(db__phone_key("13812345678", out, sizeof(out)), 11);
	assert_string_equal(out, "87654321831");
	assert_int_equal(db__phone_key("010-62345678", out, sizeof(out)), 11);
	assert_string_equal(out, "87654326010");
	assert_int_equal(db__phone_key("0755-2345678-8001", out, sizeof(out)), 11);
	assert_string_equal(out, "87654325570");
	assert_int_equal(db__phone_key("", out, sizeof(out)), 0);
	assert_int_equal(db__phone_key(NULL, out, sizeof(out)), 0);
	assert_int_equal(db__phone_key("abc", out, sizeof(out)), 0);
	/* too long for out: the last digits are kept, NUL-terminated */
	assert_int_equal(db__phone_key("13812345678", out, 5), 4);
	assert_string_equal(out, "8765");
}

static int64_t count_keys(struct db_tx *tx, const char *owner)
{
	struct crm_err err = {0};
	struct db_stmt *s = NULL;
	int64_t n = -1;

	assert_int_equal(db__prepare(db__tx_conn(tx),
				     "SELECT count(*) FROM phone_key WHERE owner_id = ?", &s, &err),
			 0);
	db__bind_text(s, 1, owner);
	if (db__step(s, &err) == 1)
		n = db__col_int(s, 0);
	db__release(s);
	return n;
}

/* The key of number held for owner, with its tail (the key's first four characters). */
static bool has_key(struct db_tx *tx, const char *owner, const char *rev)
{
	struct crm_err err = {0};
	struct db_stmt *s = NULL;
	int rc;

	assert_int_equal(db__prepare(db__tx_conn(tx),
				     "SELECT 1 FROM phone_key WHERE owner_id = ? AND rev = ?"
				     " AND tail = substr(rev, 1, 4)",
				     &s, &err),
			 0);
	db__bind_text(s, 1, owner);
	db__bind_text(s, 2, rev);
	rc = db__step(s, &err);
	db__release(s);
	return rc == 1;
}

static void test_keys_put(void **state)
{
	/* a repeated number, a fixed line with an extension, a value without digits */
	const char *phones[] = {"13812345678", "010-62345678-12", "-", "13812345678", NULL};
	const char *other[] = {"010-62345678", "13900000001", NULL};
	const char *none[] = {NULL};
	struct crm_err err = {0};
	struct db_tx *tx = NULL;
	char path[512];
	struct db *db;

	(void)state;
	test_db_path(path, sizeof(path), "search");
	db = test_db_open(path);
	assert_int_equal(db_tx_begin(db, &tx, &err), 0);
	assert_int_equal(db_phone_keys_put(tx, "p1", NULL, phones, &err), 0);
	assert_int_equal(count_keys(tx, "p1"), 2); /* the repeated number once */
	assert_true(has_key(tx, "p1", "87654321831"));
	/* one number kept (the fixed line, its extension left out), one gone, one new */
	assert_int_equal(db_phone_keys_put(tx, "p1", phones, other, &err), 0);
	assert_int_equal(count_keys(tx, "p1"), 2);
	assert_true(has_key(tx, "p1", "87654326010"));
	assert_true(has_key(tx, "p1", "10000000931"));
	assert_false(has_key(tx, "p1", "87654321831"));
	assert_int_equal(db_phone_keys_put(tx, "p1", other, none, &err), 0);
	assert_int_equal(count_keys(tx, "p1"), 0);
	assert_int_equal(db_phone_keys_put(tx, "p1", NULL, phones, &err), 0);
	assert_int_equal(db_phone_keys_put(tx, "p1", phones, NULL, &err), 0); /* the owner gone */
	assert_int_equal(count_keys(tx, "p1"), 0);
	assert_int_equal(db_phone_keys_put(tx, "p2", NULL, phones + 2, &err), 0);
	assert_int_equal(count_keys(tx, "p2"), 1);
	/* the same numbers again: nothing written, nothing lost */
	assert_int_equal(db_phone_keys_put(tx, "p2", phones + 2, phones + 2, &err), 0);
	assert_int_equal(count_keys(tx, "p2"), 1);
	db_tx_rollback(tx);
	db_close(db);
	test_db_remove(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_phone_key),
		cmocka_unit_test(test_keys_put),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
