/* Unit tests: idempotency keys are claimed inside the change's transaction (a rollback
 * frees the key), a second claim conflicts, completion stores the response (or records a
 * key never claimed), keys are per principal and expire. */
#include "cmocka_all.h"

#include "core/arena.h"
#include "store/store_test.h"

struct fixture {
	char path[512];
	struct db *db;
	struct arena *a;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	test_db_path(f->path, sizeof(f->path), "idem");
	f->db = test_db_open(f->path);
	f->a = arena_new(0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	arena_free(f->a);
	db_close(f->db);
	test_db_remove(f->path);
	free(f);
	return 0;
}

static int claim(struct fixture *f, const char *who, const char *key, bool commit,
		 struct crm_err *err)
{
	struct db_tx *tx = NULL;
	int rc;

	if ((rc = db_tx_begin(f->db, &tx, err)))
		return rc;
	if ((rc = db_idem_claim(tx, who, key, "hash-1", err))) {
		db_tx_rollback(tx);
		return rc;
	}
	if (!commit) {
		db_tx_rollback(tx);
		return 0;
	}
	return db_tx_commit(tx, err);
}

static void test_claim_conflict_and_complete(void **state)
{
	struct fixture *f = *state;
	struct crm_err err = {0};
	struct db_idem row;

	assert_int_equal(db_idem_get(f->db, "u1", "k1", f->a, &row, &err), CRM_ENOTFOUND);
	crm_err_clear(&err);

	/* a rolled-back claim leaves the key free */
	assert_int_equal(claim(f, "u1", "k1", false, &err), 0);
	assert_int_equal(db_idem_get(f->db, "u1", "k1", f->a, &row, &err), CRM_ENOTFOUND);
	crm_err_clear(&err);

	assert_int_equal(claim(f, "u1", "k1", true, &err), 0);
	assert_int_equal(db_idem_get(f->db, "u1", "k1", f->a, &row, &err), 0);
	assert_string_equal(row.key, "k1");
	assert_string_equal(row.principal, "u1");
	assert_string_equal(row.request_hash, "hash-1");
	assert_int_equal(row.status, 0);
	assert_null(row.location);
	assert_null(row.body);
	assert_true(row.created_ms > 0);

	assert_int_equal(claim(f, "u1", "k1", true, &err), CRM_ECONFLICT);
	assert_string_equal(err.message, "idempotency key 'k1' is already in use");
	crm_err_clear(&err);
	/* keys are per principal */
	assert_int_equal(claim(f, "u2", "k1", true, &err), 0);

	assert_int_equal(
		db_idem_complete(f->db, "u1", "k1", "h1", 201, "/x/1", "{\"id\":\"1\"}", &err), 0);
	assert_int_equal(db_idem_get(f->db, "u1", "k1", f->a, &row, &err), 0);
	assert_int_equal(row.status, 201);
	assert_string_equal(row.location, "/x/1");
	assert_string_equal(row.body, "{\"id\":\"1\"}");
	assert_string_equal(row.request_hash, "hash-1");
	assert_int_equal(db_idem_get(f->db, "u2", "k1", f->a, &row, &err), 0);
	assert_int_equal(row.status, 0);
}

static void test_complete_without_claim(void **state)
{
	struct fixture *f = *state;
	struct crm_err err = {0};
	struct db_idem row;

	assert_int_equal(
		db_idem_complete(f->db, "u1", "k9", "h9", 400, NULL, "{\"code\":\"x\"}", &err), 0);
	assert_int_equal(db_idem_get(f->db, "u1", "k9", f->a, &row, &err), 0);
	assert_int_equal(row.status, 400);
	assert_null(row.location);
	assert_string_equal(row.body, "{\"code\":\"x\"}");
	/* and now it is taken */
	assert_int_equal(claim(f, "u1", "k9", true, &err), CRM_ECONFLICT);
}

static void test_expire(void **state)
{
	struct fixture *f = *state;
	struct crm_err err = {0};
	struct db_idem row;
	int64_t n = -1;

	assert_int_equal(claim(f, "u1", "a", true, &err), 0);
	assert_int_equal(claim(f, "u1", "b", true, &err), 0);
	assert_int_equal(db_idem_expire(f->db, 1, &n, &err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(db_idem_expire(f->db, INT64_MAX, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(db_idem_get(f->db, "u1", "a", f->a, &row, &err), CRM_ENOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_claim_conflict_and_complete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_complete_without_claim, setup, teardown),
		cmocka_unit_test_setup_teardown(test_expire, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
