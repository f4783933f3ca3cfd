/* Unit tests: outbox sequence numbers and per-api ordering, reading after a cursor, the
 * last sequence; hub listeners starting at the outbox end, get/list/delete, progress and
 * failure bookkeeping. */
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

	test_db_path(f->path, sizeof(f->path), "outbox");
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

/* Commits one event of api and type; returns its seq. */
static int64_t add_event(struct fixture *f, const char *api, const char *type)
{
	static int counter;
	struct crm_err err = {0};
	struct db_event ev = {0};
	struct db_tx *tx = NULL;
	char id[64];

	snprintf(id, sizeof(id), "ev-%d", ++counter);
	ev.event_id = id;
	ev.event_type = type;
	ev.api = api;
	ev.at_ms = 42;
	ev.payload = "{\"eventType\":\"x\"}";
	assert_int_equal(db_tx_begin(f->db, &tx, &err), 0);
	assert_int_equal(db_outbox_insert(tx, &ev, &err), 0);
	assert_int_equal(db_tx_commit(tx, &err), 0);
	assert_true(ev.seq > 0);
	return ev.seq;
}

static void add_listener(struct fixture *f, const char *id, const char *api,
			 struct db_listener *out)
{
	struct crm_err err = {0};
	struct db_tx *tx = NULL;

	*out = (struct db_listener){
		.id = id, .api = api, .callback = "http://127.0.0.1:9/cb", .created_ms = 7};
	assert_int_equal(db_tx_begin(f->db, &tx, &err), 0);
	assert_int_equal(db_listener_insert(tx, out, &err), 0);
	assert_int_equal(db_tx_commit(tx, &err), 0);
}

static void test_outbox_order(void **state)
{
	struct fixture *f = *state;
	struct crm_err err = {0};
	struct db_event *evs = NULL;
	size_t n = 0;
	int64_t s1, s2, s3, s4;

	assert_int_equal(db_outbox_last_seq(f->db), 0);
	s1 = add_event(f, "customerManagement", "CustomerCreateEvent");
	s2 = add_event(f, "orgUnit", "OrgUnitCreateEvent");
	s3 = add_event(f, "customerManagement", "CustomerAttributeValueChangeEvent");
	s4 = add_event(f, "customerManagement", "CustomerDeleteEvent");
	assert_true(s1 < s2 && s2 < s3 && s3 < s4);
	assert_int_equal(db_outbox_last_seq(f->db), s4);

	assert_int_equal(db_outbox_after(f->db, "customerManagement", 0, 10, f->a, &evs, &n, &err),
			 0);
	assert_int_equal(n, 3);
	assert_int_equal(evs[0].seq, s1);
	assert_int_equal(evs[1].seq, s3);
	assert_int_equal(evs[2].seq, s4);
	assert_string_equal(evs[0].event_type, "CustomerCreateEvent");
	assert_string_equal(evs[0].api, "customerManagement");
	assert_string_equal(evs[0].payload, "{\"eventType\":\"x\"}");
	assert_int_equal(evs[0].at_ms, 42);
	assert_non_null(evs[0].event_id);

	assert_int_equal(db_outbox_after(f->db, "customerManagement", s1, 1, f->a, &evs, &n, &err),
			 0);
	assert_int_equal(n, 1);
	assert_int_equal(evs[0].seq, s3);
	assert_int_equal(db_outbox_after(f->db, "customerManagement", s4, 10, f->a, &evs, &n, &err),
			 0);
	assert_int_equal(n, 0);
	assert_int_equal(db_outbox_after(f->db, "nobody", 0, 10, f->a, &evs, &n, &err), 0);
	assert_int_equal(n, 0);
}

static void test_listener_starts_at_outbox_end(void **state)
{
	struct fixture *f = *state;
	struct crm_err err = {0};
	struct db_listener l, got;
	int64_t s2;

	add_event(f, "customerManagement", "CustomerCreateEvent");
	s2 = add_event(f, "customerManagement", "CustomerCreateEvent");
	add_listener(f, "L1", "customerManagement", &l);
	assert_int_equal(l.delivered_seq, s2);

	assert_int_equal(db_listener_get(f->db, "customerManagement", "L1", f->a, &got, &err), 0);
	assert_string_equal(got.id, "L1");
	assert_string_equal(got.api, "customerManagement");
	assert_string_equal(got.callback, "http://127.0.0.1:9/cb");
	assert_null(got.query);
	assert_int_equal(got.created_ms, 7);
	assert_int_equal(got.delivered_seq, s2);
	assert_int_equal(got.failures, 0);
	assert_int_equal(got.next_attempt_ms, 0);
	assert_null(got.last_error);

	/* the same id again conflicts; another api does not see it */
	{
		struct db_tx *tx = NULL;
		struct db_listener dup = l;

		assert_int_equal(db_tx_begin(f->db, &tx, &err), 0);
		assert_int_equal(db_listener_insert(tx, &dup, &err), CRM_ECONFLICT);
		assert_string_equal(err.message, "listener 'L1' already exists");
		db_tx_rollback(tx);
	}
	crm_err_clear(&err);
	assert_int_equal(db_listener_get(f->db, "orgUnit", "L1", f->a, &got, &err), CRM_ENOTFOUND);
}

static void test_listener_progress_and_failure(void **state)
{
	struct fixture *f = *state;
	struct crm_err err = {0};
	struct db_listener l, *ls = NULL;
	size_t n = 0;
	int64_t s;

	add_listener(f, "L1", "customerManagement", &l);
	add_listener(f, "L2", "orgUnit", &l);
	s = add_event(f, "customerManagement", "CustomerCreateEvent");

	assert_int_equal(db_listener_failure(f->db, "L1", 5000, "callback answered HTTP 500", &err),
			 0);
	assert_int_equal(db_listener_failure(f->db, "L1", 9000, "timeout", &err), 0);
	assert_int_equal(db_listener_list_all(f->db, f->a, &ls, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(ls[0].id, "L1");
	assert_int_equal(ls[0].failures, 2);
	assert_int_equal(ls[0].next_attempt_ms, 9000);
	assert_string_equal(ls[0].last_error, "timeout");
	assert_int_equal(ls[0].delivered_seq, 0);
	assert_int_equal(ls[1].failures, 0);

	assert_int_equal(db_listener_progress(f->db, "L1", s, &err), 0);
	assert_int_equal(db_listener_list_all(f->db, f->a, &ls, &n, &err), 0);
	assert_int_equal(ls[0].failures, 0);
	assert_int_equal(ls[0].next_attempt_ms, 0);
	assert_int_equal(ls[0].delivered_seq, s);

	assert_int_equal(db_listener_progress(f->db, "gone", s, &err), CRM_ENOTFOUND);
	crm_err_clear(&err);
	assert_int_equal(db_listener_failure(f->db, "gone", 1, "x", &err), CRM_ENOTFOUND);
}

static void test_listener_delete(void **state)
{
	struct fixture *f = *state;
	struct crm_err err = {0};
	struct db_listener l, *ls = NULL;
	struct db_tx *tx = NULL;
	size_t n = 9;

	add_listener(f, "L1", "customerManagement", &l);
	assert_int_equal(db_tx_begin(f->db, &tx, &err), 0);
	assert_int_equal(db_listener_delete(tx, "orgUnit", "L1", &err), CRM_ENOTFOUND);
	assert_string_equal(err.message, "listener 'L1' not found");
	crm_err_clear(&err);
	assert_int_equal(db_listener_delete(tx, "customerManagement", "L1", &err), 0);
	assert_int_equal(db_tx_commit(tx, &err), 0);
	assert_int_equal(db_listener_list_all(f->db, f->a, &ls, &n, &err), 0);
	assert_int_equal(n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_outbox_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_listener_starts_at_outbox_end, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_listener_progress_and_failure, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_listener_delete, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
