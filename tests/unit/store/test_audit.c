/* Unit tests: audit rows are inserted in a transaction, listed newest first with filters
 * (actor, action, resource, resourceId, at as ISO-8601 or ms), paging and totals, cut to
 * the caller's org scope; UPDATE and DELETE of audit rows are refused. */
#include "cmocka_all.h"

#include "core/arena.h"
#include "store/store_test.h"

struct fixture {
	char path[512];
	struct db *db;
	struct arena *a;
};

/* Six rows: seq 1..6, at_ms 1000..6000, alice/bob, two scopes and one platform row. */
static int setup(void **state)
{
	static const struct {
		const char *actor, *rid, *org;
	} rows[] = {
		{"alice", "c-1", "/HQ/GD/"}, {"bob", "c-2", "/HQ/GD/GZ/"},
		{"alice", "c-3", "/HQ/BJ/"}, {"bob", "c-1", "/HQ/GD/GZ/"},
		{"alice", "c-5", "/"},	     {"carol", "c%_", "/HQ/GD_/"},
	};
	struct fixture *f = calloc(1, sizeof(*f));
	struct crm_err err = {0};
	struct db_tx *tx = NULL;

	test_db_path(f->path, sizeof(f->path), "audit");
	f->db = test_db_open(f->path);
	f->a = arena_new(0);
	assert_int_equal(db_tx_begin(f->db, &tx, &err), 0);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct db_audit_row r = test_audit_row(rows[i].actor, rows[i].rid, rows[i].org,
						       1000 * ((int)i + 1));

		if (i == 3)
			r.action = "update";
		assert_int_equal(db_audit_insert(tx, &r, &err), 0);
	}
	assert_int_equal(db_tx_commit(tx, &err), 0);
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

/* Lists with one optional filter; returns the rc and fills rows, n, total. */
static int list(struct fixture *f, const char *scope, const struct db_filter *filters,
		size_t nfilters, int64_t offset, int64_t limit, struct db_audit_row **rows,
		size_t *n, int64_t *total, struct crm_err *err)
{
	struct db_list_opts o = {
		.offset = offset, .limit = limit, .filters = filters, .nfilters = nfilters};

	return db_audit_list(f->db, (struct db_scope){.org_path = scope}, &o, f->a, rows, n, total,
			     err);
}

static void test_newest_first_and_fields(void **state)
{
	struct fixture *f = *state;
	struct crm_err err = {0};
	struct db_audit_row *rows = NULL;
	size_t n = 0;
	int64_t total = 0;

	assert_int_equal(list(f, "/", NULL, 0, 0, 100, &rows, &n, &total, &err), 0);
	assert_int_equal(n, 6);
	assert_int_equal(total, 6);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(rows[i].seq, 6 - (int64_t)i);
	assert_string_equal(rows[5].actor, "alice");
	assert_string_equal(rows[5].action, "create");
	assert_string_equal(rows[5].resource, "customer");
	assert_string_equal(rows[5].resource_id, "c-1");
	assert_string_equal(rows[5].org_path, "/HQ/GD/");
	assert_null(rows[5].before);
	assert_string_equal(rows[5].after, "{\"id\":\"x\"}");
	assert_string_equal(rows[5].request_id, "req-1");
	assert_int_equal(rows[5].at_ms, 1000);
}

static void test_paging(void **state)
{
	struct fixture *f = *state;
	struct crm_err err = {0};
	struct db_audit_row *rows = NULL;
	size_t n = 0;
	int64_t total = 0;

	assert_int_equal(list(f, "/", NULL, 0, 2, 3, &rows, &n, &total, &err), 0);
	assert_int_equal(total, 6);
	assert_int_equal(n, 3);
	assert_int_equal(rows[0].seq, 4);
	assert_int_equal(rows[2].seq, 2);
	assert_int_equal(list(f, "/", NULL, 0, 5, 3, &rows, &n, &total, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(list(f, "/", NULL, 0, 10, 3, &rows, &n, &total, &err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(total, 6);
	assert_int_equal(list(f, "/", NULL, 0, 0, 0, &rows, &n, &total, &err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(total, 6);
}

static void test_scope(void **state)
{
	struct fixture *f = *state;
	struct crm_err err = {0};
	struct db_audit_row *rows = NULL;
	size_t n = 0;
	int64_t total = 0;

	assert_int_equal(list(f, "/HQ/GD/", NULL, 0, 0, 100, &rows, &n, &total, &err), 0);
	assert_int_equal(total, 3); /* GD and GZ under it; not the sibling "/HQ/GD_/" */
	for (size_t i = 0; i < n; i++)
		assert_true(strncmp(rows[i].org_path, "/HQ/GD/", 7) == 0);
	assert_int_equal(list(f, "/HQ/GD/GZ/", NULL, 0, 0, 100, &rows, &n, &total, &err), 0);
	assert_int_equal(total, 2);
	assert_int_equal(list(f, "/HQ/", NULL, 0, 0, 100, &rows, &n, &total, &err), 0);
	assert_int_equal(total, 5); /* not the platform row "/" */
	assert_int_equal(list(f, "/HQ/GD_/", NULL, 0, 0, 100, &rows, &n, &total, &err), 0);
	assert_int_equal(total, 1); /* LIKE wildcards in a path are plain characters */
	assert_int_equal(list(f, "/XX/", NULL, 0, 0, 100, &rows, &n, &total, &err), 0);
	assert_int_equal(total, 0);
	assert_int_equal(n, 0);
}

static void test_filters(void **state)
{
	struct fixture *f = *state;
	struct crm_err err = {0};
	struct db_audit_row *rows = NULL;
	size_t n = 0;
	int64_t total = 0;
	const char *alice[] = {"alice"}, *two[] = {"bob", "carol"}, *c1[] = {"c-1"};
	const char *upd[] = {"update"}, *cust[] = {"customer"}, *odd[] = {"c%_"};

	struct db_filter by_actor = {"actor", DB_EQ, alice, 1};
	assert_int_equal(list(f, "/", &by_actor, 1, 0, 100, &rows, &n, &total, &err), 0);
	assert_int_equal(total, 3);
	struct db_filter any_of = {"actor", DB_EQ, two, 2};
	assert_int_equal(list(f, "/", &any_of, 1, 0, 100, &rows, &n, &total, &err), 0);
	assert_int_equal(total, 3);
	struct db_filter both[] = {{"resourceId", DB_EQ, c1, 1}, {"resource", DB_EQ, cust, 1}};
	assert_int_equal(list(f, "/", both, 2, 0, 100, &rows, &n, &total, &err), 0);
	assert_int_equal(total, 2);
	assert_int_equal(rows[0].seq, 4);
	struct db_filter by_action = {"action", DB_EQ, upd, 1};
	assert_int_equal(list(f, "/", &by_action, 1, 0, 100, &rows, &n, &total, &err), 0);
	assert_int_equal(total, 1);
	assert_string_equal(rows[0].actor, "bob");
	struct db_filter literal = {"resourceId", DB_EQ, odd, 1};
	assert_int_equal(list(f, "/", &literal, 1, 0, 100, &rows, &n, &total, &err), 0);
	assert_int_equal(total, 1);
	/* filters and scope together */
	assert_int_equal(list(f, "/HQ/GD/", &by_actor, 1, 0, 100, &rows, &n, &total, &err), 0);
	assert_int_equal(total, 1);
}

static void test_time_filters(void **state)
{
	struct fixture *f = *state;
	struct crm_err err = {0};
	struct db_audit_row *rows = NULL;
	size_t n = 0;
	int64_t total = 0;
	const char *from_ms[] = {"2000"}, *to_ms[] = {"5000"};
	const char *from_iso[] = {"1970-01-01T00:00:02Z"}, *to_iso[] = {"1970-01-01T00:00:05.000Z"};
	const char *bad[] = {"yesterday"};

	struct db_filter ms[] = {{"at", DB_GTE, from_ms, 1}, {"at", DB_LT, to_ms, 1}};
	assert_int_equal(list(f, "/", ms, 2, 0, 100, &rows, &n, &total, &err), 0);
	assert_int_equal(total, 3);
	assert_int_equal(rows[0].at_ms, 4000);
	assert_int_equal(rows[2].at_ms, 2000);
	struct db_filter iso[] = {{"at", DB_GTE, from_iso, 1}, {"at", DB_LT, to_iso, 1}};
	assert_int_equal(list(f, "/", iso, 2, 0, 100, &rows, &n, &total, &err), 0);
	assert_int_equal(total, 3);
	struct db_filter wrong = {"at", DB_GTE, bad, 1};
	assert_int_equal(list(f, "/", &wrong, 1, 0, 100, &rows, &n, &total, &err), CRM_EINVAL);
	assert_string_equal(err.field, "at");
}

static void test_unknown_filter(void **state)
{
	struct fixture *f = *state;
	struct crm_err err = {0};
	struct db_audit_row *rows = NULL;
	size_t n = 0;
	int64_t total = 0;
	const char *v[] = {"x"};
	struct db_filter bad = {"before", DB_EQ, v, 1};

	assert_int_equal(list(f, "/", &bad, 1, 0, 100, &rows, &n, &total, &err), CRM_EINVAL);
	assert_string_equal(err.message, "unknown filter attribute 'before'");
}

static void test_append_only(void **state)
{
	struct fixture *f = *state;
	struct crm_err err = {0};
	struct db_tx *tx = NULL;
	struct db_stmt *s = NULL;

	assert_int_equal(db_tx_begin(f->db, &tx, &err), 0);
	assert_int_equal(
		db__prepare(db__tx_conn(tx), "UPDATE audit_log SET actor = 'eve'", &s, &err), 0);
	assert_true(db__run(s, &err) < 0);
	assert_non_null(strstr(err.detail, "append-only"));
	crm_err_clear(&err);
	assert_int_equal(db__prepare(db__tx_conn(tx), "DELETE FROM audit_log", &s, &err), 0);
	assert_true(db__run(s, &err) < 0);
	assert_non_null(strstr(err.detail, "append-only"));
	db_tx_rollback(tx);
	crm_err_clear(&err);
	assert_int_equal(test_audit_count(f->db, &err), 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_newest_first_and_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paging, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scope, setup, teardown),
		cmocka_unit_test_setup_teardown(test_filters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_time_filters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_filter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_append_only, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
