/* Unit tests: outbox sequence numbers and per-api ordering, reading after a cursor, the
 * last sequence, what each event is about; hub listeners (rows of the generic row
 * statements, owned by a user) starting at the outbox end, progress and failure
 * bookkeeping. */
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

/* The listener table as the resource layer describes it (domain/events.c). */
struct listener_row {
	struct db_row row;
	const char *api, *callback, *query;
};
static const struct db_column listener_columns[] = {
	{"api", DB_TEXT, offsetof(struct listener_row, api), 0},
	{"callback", DB_TEXT, offsetof(struct listener_row, callback), 0},
	{"query", DB_TEXT, offsetof(struct listener_row, query), 0},
	{NULL, DB_TEXT, 0, 0},
};
static struct db_table listener_table = {
	.name = "hub_listener",
	.what = "listener",
	.columns = listener_columns,
	.scope = DB_SCOPE_OWNER,
	.doc = true,
};

static void add_listener(struct fixture *f, const char *id, const char *api, const char *owner)
{
	struct crm_err err = {0};
	struct db_tx *tx = NULL;
	struct listener_row r = {
		.row = {.id = id,
			.owner_id = owner,
			.version = 1,
			.created_ms = 7,
			.updated_ms = 7},
		.api = api,
		.callback = "http://127.0.0.1:9/cb",
	};

	if (!listener_table.sql)
		db_table_init(&listener_table);
	assert_int_equal(db_tx_begin(f->db, &tx, &err), 0);
	assert_int_equal(db_row_insert(tx, &listener_table, &r, &err), 0);
	assert_int_equal(db_listener_start(tx, id, &err), 0);
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
	struct db_listener *ls = NULL;
	struct listener_row got;
	size_t n = 0;
	int64_t s2;

	add_event(f, "customerManagement", "CustomerCreateEvent");
	s2 = add_event(f, "customerManagement", "CustomerCreateEvent");
	add_listener(f, "L1", "customerManagement", "U1");
	assert_int_equal(db_listener_list_all(f->db, f->a, &ls, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(ls[0].id, "L1");
	assert_string_equal(ls[0].api, "customerManagement");
	assert_string_equal(ls[0].callback, "http://127.0.0.1:9/cb");
	assert_string_equal(ls[0].owner_id, "U1");
	assert_null(ls[0].query);
	assert_int_equal(ls[0].created_ms, 7);
	assert_int_equal(ls[0].delivered_seq, s2);
	assert_int_equal(ls[0].failures, 0);
	assert_int_equal(ls[0].next_attempt_ms, 0);
	assert_null(ls[0].last_error);

	/* its owner reads it; another user does not; the system does */
	assert_int_equal(db_row_get(f->db, NULL, &listener_table,
				    (struct db_scope){"/", "U1", false, false}, "L1", f->a, &got,
				    &err),
			 0);
	assert_string_equal(got.row.owner_id, "U1");
	assert_int_equal(db_row_get(f->db, NULL, &listener_table,
				    (struct db_scope){"/", "U2", false, false}, "L1", f->a, &got,
				    &err),
			 CRM_ENOTFOUND);
	assert_string_equal(err.message, "listener 'L1' not found");
	crm_err_clear(&err);
	assert_int_equal(
		db_row_get(f->db, NULL, &listener_table, db_scope_all(), "L1", f->a, &got, &err),
		0);
}

static void test_event_keeps_what_it_is_about(void **state)
{
	struct fixture *f = *state;
	struct crm_err err = {0};
	struct db_event ev = {.event_id = "e1",
			      .event_type = "CustomerCreateEvent",
			      .api = "customerManagement",
			      .resource = "customer",
			      .org_path = "/HQ/GD/",
			      .payload = "{}"},
			*evs = NULL;
	struct db_tx *tx = NULL;
	size_t n = 0;

	assert_int_equal(db_tx_begin(f->db, &tx, &err), 0);
	assert_int_equal(db_outbox_insert(tx, &ev, &err), 0);
	assert_int_equal(db_tx_commit(tx, &err), 0);
	assert_int_equal(db_outbox_after(f->db, "customerManagement", 0, 10, f->a, &evs, &n, &err),
			 0);
	assert_int_equal(n, 1);
	assert_string_equal(evs[0].resource, "customer");
	assert_string_equal(evs[0].org_path, "/HQ/GD/");
}

static void test_listener_progress_and_failure(void **state)
{
	struct fixture *f = *state;
	struct crm_err err = {0};
	struct db_listener *ls = NULL;
	size_t n = 0;
	int64_t s;

	add_listener(f, "L1", "customerManagement", "U1");
	add_listener(f, "L2", "telcrm", "U1");
	s = add_event(f, "customerManagement", "CustomerCreateEvent");

	bool held = true;

	/* a sender takes the lease, another may not while it lasts, and may once it ran out */
	assert_int_equal(db_listener_claim(f->db, "L1", "A", 1000, 16000, &held, &err), 0);
	assert_true(held);
	assert_int_equal(db_listener_claim(f->db, "L1", "B", 2000, 17000, &held, &err), 0);
	assert_false(held);
	assert_int_equal(db_listener_claim(f->db, "L1", "A", 3000, 18000, &held, &err), 0);
	assert_true(held); /* renewed by its holder */

	assert_int_equal(
		db_listener_failure(f->db, "L1", "A", 5000, "callback answered HTTP 500", &err), 0);
	assert_int_equal(db_listener_failure(f->db, "L1", "A", 9000, "timeout", &err), 0);
	assert_int_equal(db_listener_list_all(f->db, f->a, &ls, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(ls[0].id, "L1");
	assert_int_equal(ls[0].failures, 2);
	assert_int_equal(ls[0].next_attempt_ms, 9000);
	assert_string_equal(ls[0].last_error, "timeout");
	assert_int_equal(ls[0].delivered_seq, 0);
	assert_string_equal(ls[0].lease_owner, "A");
	assert_int_equal(ls[0].lease_until_ms, 18000);
	assert_int_equal(ls[1].failures, 0);
	assert_null(ls[1].lease_owner);

	/* only the holder moves the cursor */
	assert_int_equal(db_listener_progress(f->db, "L1", "B", s, 30000, &err), CRM_ENOTFOUND);
	crm_err_clear(&err);
	assert_int_equal(db_listener_progress(f->db, "L1", "A", s, 30000, &err), 0);
	assert_int_equal(db_listener_list_all(f->db, f->a, &ls, &n, &err), 0);
	assert_int_equal(ls[0].failures, 0);
	assert_int_equal(ls[0].next_attempt_ms, 0);
	assert_int_equal(ls[0].delivered_seq, s);
	assert_int_equal(ls[0].lease_until_ms, 30000);

	/* after its lease ran out (or was let go) another sender takes the listener up */
	assert_int_equal(db_listener_claim(f->db, "L1", "B", 30001, 45001, &held, &err), 0);
	assert_true(held);
	assert_int_equal(db_listener_failure(f->db, "L1", "A", 1, "x", &err), CRM_ENOTFOUND);
	crm_err_clear(&err);
	assert_int_equal(db_listener_release(f->db, "B", &err), 0);
	assert_int_equal(db_listener_claim(f->db, "L1", "A", 30002, 45002, &held, &err), 0);
	assert_true(held);

	assert_int_equal(db_listener_progress(f->db, "gone", "A", s, 1, &err), CRM_ENOTFOUND);
	crm_err_clear(&err);
	assert_int_equal(db_listener_failure(f->db, "gone", "A", 1, "x", &err), CRM_ENOTFOUND);
}

static void test_listener_delete(void **state)
{
	struct fixture *f = *state;
	struct crm_err err = {0};
	struct db_listener *ls = NULL;
	struct listener_row r;
	struct db_tx *tx = NULL;
	size_t n = 9;

	add_listener(f, "L1", "customerManagement", "U1");
	assert_int_equal(
		db_row_get(f->db, NULL, &listener_table, db_scope_all(), "L1", f->a, &r, &err), 0);
	assert_int_equal(db_tx_begin(f->db, &tx, &err), 0);
	r.row.version = 5;
	assert_int_equal(db_row_delete(tx, &listener_table, &r, &err), CRM_ESTALE);
	assert_string_equal(err.message, "listener 'L1' was changed by someone else");
	crm_err_clear(&err);
	r.row.version = 1;
	assert_int_equal(db_row_delete(tx, &listener_table, &r, &err), 0);
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
		cmocka_unit_test_setup_teardown(test_event_keeps_what_it_is_about, setup, teardown),
		cmocka_unit_test_setup_teardown(test_listener_progress_and_failure, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_listener_delete, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
