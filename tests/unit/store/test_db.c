/* Unit tests: opening and migrating, schema version checks, transactions and their
 * atomicity, fault injection, the statement cache, reader connections per thread, many
 * readers with one writer, online backup, and group commit. */
#include "cmocka_all.h"

#include <pthread.h>
#include <stdatomic.h>

#include "core/arena.h"
#include "store/store_test.h"

/* Inserts one audit row and one event in a transaction; commits when commit, else rolls
 * back. Returns the first error. */
static int write_pair(struct db *db, int i, bool commit, struct crm_err *err)
{
	char rid[32], eid[48];
	struct db_audit_row row;
	struct db_event ev = {0};
	struct db_tx *tx = NULL;
	int rc;

	snprintf(rid, sizeof(rid), "c-%d", i);
	snprintf(eid, sizeof(eid), "ev-%ld-%d", (long)getpid(), i);
	row = test_audit_row("alice", rid, "/HQ/", 1000 + i);
	ev.event_id = eid;
	ev.event_type = "CustomerCreateEvent";
	ev.api = "customerManagement";
	ev.at_ms = 1000 + i;
	ev.payload = "{}";
	if ((rc = db_tx_begin(db, &tx, err)))
		return rc;
	if ((rc = db_audit_insert(tx, &row, err)) || (rc = db_outbox_insert(tx, &ev, err))) {
		db_tx_rollback(tx);
		return rc;
	}
	if (!commit) {
		db_tx_rollback(tx);
		return 0;
	}
	return db_tx_commit(tx, err);
}

static void exec_in_tx(struct db *db, const char *sql)
{
	struct crm_err err = {0};
	struct db_tx *tx = NULL;

	assert_int_equal(db_tx_begin(db, &tx, &err), 0);
	assert_int_equal(db__exec(db__tx_conn(tx), sql, &err), 0);
	assert_int_equal(db_tx_commit(tx, &err), 0);
}

static void test_open_migrates_and_reopen_is_noop(void **state)
{
	struct crm_err err = {0};
	char path[512];
	struct db *db;
	int v_db = -1, v_bin = -1, applied = -1;

	(void)state;
	test_db_path(path, sizeof(path), "open");
	db = test_db_open(path);
	assert_string_equal(db_backend_name(db), "sqlite");
	assert_int_equal(db_schema_version(db, &v_db, &v_bin, &err), 0);
	assert_true(v_bin >= 1);
	assert_int_equal(v_db, v_bin);
	/* the foundation tables exist: the seed org unit is there */
	assert_int_equal(test_audit_count(db, &err), 0);
	assert_int_equal(db_outbox_last_seq(db), 0);
	assert_int_equal(db_migrate(db, &applied, &err), 0);
	assert_int_equal(applied, 0);
	db_close(db);

	db = test_db_open(path);
	assert_int_equal(db_migrate(db, &applied, &err), 0);
	assert_int_equal(applied, 0);
	assert_int_equal(db_schema_version(db, &v_db, &v_bin, &err), 0);
	assert_int_equal(v_db, v_bin);
	db_close(db);
	test_db_remove(path);
}

static void test_file_prefix_and_postgres_url(void **state)
{
	struct db_open_opts o = {.migrate = true};
	struct crm_err err = {0};
	char path[512], url[600];
	struct db *db = NULL;

	(void)state;
	/* a PostgreSQL URL goes to libpq: no server there is a clean error */
	assert_int_equal(
		db_open("postgresql:///crm?host=/nonexistent&connect_timeout=2", &o, &db, &err),
		CRM_EIO);
	assert_null(db);
	assert_string_equal(err.message, "cannot connect to the database");
	crm_err_clear(&err);

	test_db_path(path, sizeof(path), "prefix");
	snprintf(url, sizeof(url), "file:%s", path);
	assert_int_equal(db_open(url, &o, &db, &err), 0);
	db_close(db);
	assert_int_equal(access(path, F_OK), 0);
	test_db_remove(path);
}

static void test_newer_schema_is_refused(void **state)
{
	struct db_open_opts o = {.migrate = true};
	struct crm_err err = {0};
	char path[512], want[160];
	struct db *db;
	int v_db, v_bin;

	(void)state;
	test_db_path(path, sizeof(path), "newer");
	db = test_db_open(path);
	assert_int_equal(db_schema_version(db, &v_db, &v_bin, &err), 0);
	exec_in_tx(db, "INSERT INTO schema_migrations (version, name, applied_ms)"
		       " VALUES (9999, '9999_future.sql', 0)");
	db_close(db);

	db = NULL;
	assert_int_equal(db_open(path, &o, &db, &err), CRM_ESCHEMA);
	assert_null(db);
	snprintf(want, sizeof(want),
		 "database schema version 9999 is newer than this telcrm (knows up to %d);"
		 " upgrade telcrm",
		 v_bin);
	assert_string_equal(err.message, want);
	crm_err_clear(&err);
	o.migrate = false;
	assert_int_equal(db_open(path, &o, &db, &err), CRM_ESCHEMA);
	assert_null(db);
	test_db_remove(path);
}

static void test_stale_schema_without_migrate_is_refused(void **state)
{
	struct db_open_opts o = {.migrate = false};
	struct crm_err err = {0};
	char path[512];
	struct db *db = NULL;
	int v_db, v_bin;

	(void)state;
	/* a missing file is not created by an open that does not migrate */
	test_db_path(path, sizeof(path), "fresh");
	assert_int_equal(db_open(path, &o, &db, &err), CRM_EIO);
	assert_null(db);
	assert_non_null(strstr(err.message, "does not exist"));
	assert_int_equal(access(path, F_OK), -1);
	crm_err_clear(&err);

	/* a database that lost its last migration */
	test_db_path(path, sizeof(path), "behind");
	db = test_db_open(path);
	assert_int_equal(db_schema_version(db, &v_db, &v_bin, &err), 0);
	exec_in_tx(db, "CREATE TABLE scratch (x INTEGER)");
	db_close(db);
	db = test_db_open(path);
	/* pretend the newest migration never ran (its tables stay: only the ledger moves) */
	{
		char sql[128];

		snprintf(sql, sizeof(sql), "DELETE FROM schema_migrations WHERE version = %d",
			 v_bin);
		exec_in_tx(db, sql);
	}
	db_close(db);
	crm_err_clear(&err);
	db = NULL;
	assert_int_equal(db_open(path, &o, &db, &err), CRM_ESCHEMA);
	assert_null(db);
	assert_non_null(strstr(err.message, "run 'telcrm migrate'"));
	test_db_remove(path);
}

static void test_rollback_leaves_nothing_and_commit_keeps_both(void **state)
{
	struct crm_err err = {0};
	struct db_stats st;
	char path[512];
	struct db *db;

	(void)state;
	test_db_path(path, sizeof(path), "atomic");
	db = test_db_open(path);
	assert_int_equal(write_pair(db, 1, false, &err), 0);
	assert_int_equal(test_audit_count(db, &err), 0);
	assert_int_equal(db_outbox_last_seq(db), 0);

	assert_int_equal(write_pair(db, 2, true, &err), 0);
	assert_int_equal(test_audit_count(db, &err), 1);
	assert_int_equal(db_outbox_last_seq(db), 1);

	/* a duplicate event id fails the second insert: the audit row goes too */
	assert_int_equal(write_pair(db, 2, true, &err), CRM_ECONFLICT);
	assert_int_equal(test_audit_count(db, &err), 1);
	db_stats_get(db, &st);
	assert_true(st.tx_rollbacks >= 2);
	assert_true(st.tx_commits >= 1);
	db_close(db);
	test_db_remove(path);
}

static void test_fault_injection_rolls_back(void **state)
{
	struct crm_err err = {0};
	struct db_stats before, after;
	char path[512];
	struct db *db;

	(void)state;
	test_db_path(path, sizeof(path), "fault");
	db = test_db_open(path);
	db_stats_get(db, &before);
	/* step 1 is the audit insert, step 2 the outbox insert */
	db__fault_inject(2);
	assert_int_equal(write_pair(db, 1, true, &err), CRM_EIO);
	assert_string_equal(err.detail, "injected fault");
	db__fault_inject(0);
	db_stats_get(db, &after);
	assert_int_equal(after.tx_rollbacks, before.tx_rollbacks + 1);
	assert_int_equal(after.tx_commits, before.tx_commits);
	crm_err_clear(&err);
	assert_int_equal(test_audit_count(db, &err), 0);
	assert_int_equal(db_outbox_last_seq(db), 0);

	/* the writer is usable again */
	assert_int_equal(write_pair(db, 2, true, &err), 0);
	assert_int_equal(test_audit_count(db, &err), 1);
	db_close(db);
	test_db_remove(path);
}

static void test_statement_cache(void **state)
{
	struct crm_err err = {0};
	struct db_stats st1, st2;
	struct db_stmt *s1 = NULL, *s2 = NULL;
	struct db_conn *c;
	char path[512];
	struct db *db;

	(void)state;
	test_db_path(path, sizeof(path), "cache");
	db = test_db_open(path);
	db_outbox_last_seq(db);
	db_stats_get(db, &st1);
	for (int i = 0; i < 5; i++)
		db_outbox_last_seq(db);
	db_stats_get(db, &st2);
	assert_int_equal(st2.stmt_cache_hits, st1.stmt_cache_hits + 5);
	assert_int_equal(st2.stmt_prepares, st1.stmt_prepares);

	/* the same SQL prepared while its cached copy is in use gets a copy of its own */
	c = db__reader(db, &err);
	assert_non_null(c);
	assert_int_equal(db__prepare(c, "SELECT 1 UNION ALL SELECT 2", &s1, &err), 0);
	assert_int_equal(db__step(s1, &err), 1);
	assert_int_equal(db__prepare(c, "SELECT 1 UNION ALL SELECT 2", &s2, &err), 0);
	assert_ptr_not_equal(s1, s2);
	assert_int_equal(db__step(s2, &err), 1);
	assert_int_equal(db__col_int(s2, 0), 1);
	assert_int_equal(db__step(s1, &err), 1);
	assert_int_equal(db__col_int(s1, 0), 2);
	db__release(s2);
	db__release(s1);

	/* many distinct statements: the least recently used are evicted, all still work */
	for (int i = 0; i < 300; i++) {
		char sql[64];
		struct db_stmt *s = NULL;

		snprintf(sql, sizeof(sql), "SELECT %d + ?", i);
		assert_int_equal(db__prepare(c, sql, &s, &err), 0);
		db__bind_int(s, 1, 1);
		assert_int_equal(db__step(s, &err), 1);
		assert_int_equal(db__col_int(s, 0), i + 1);
		assert_false(db__col_is_null(s, 0));
		db__release(s);
	}
	db_stats_get(db, &st1);
	db_outbox_last_seq(db);
	db_stats_get(db, &st2);
	assert_int_equal(st2.stmt_prepares, st1.stmt_prepares + 1); /* it was evicted */

	/* a bad statement is an error, not a crash */
	assert_int_equal(db__prepare(c, "SELEKT nothing", &s1, &err), CRM_EIO);
	assert_true(err.detail[0] != '\0');
	db_close(db);
	test_db_remove(path);
}

struct reader_arg {
	struct db *db;
	bool call_done;
};

static void *open_reader(void *p)
{
	struct reader_arg *ra = p;
	struct crm_err err = {0};

	if (!db__reader(ra->db, &err))
		return p;
	if (ra->call_done)
		db_thread_done(ra->db);
	return NULL;
}

static void test_readers_per_thread(void **state)
{
	struct crm_err err = {0};
	struct reader_arg ra;
	struct db_stats st;
	pthread_t t;
	char path[512];
	struct db *db;
	void *res;

	(void)state;
	test_db_path(path, sizeof(path), "readers");
	db = test_db_open(path);
	assert_non_null(db__reader(db, &err));
	assert_ptr_equal(db__reader(db, &err), db__reader(db, &err));
	db_stats_get(db, &st);
	assert_int_equal(st.readers_open, 1);

	ra = (struct reader_arg){db, true};
	assert_int_equal(pthread_create(&t, NULL, open_reader, &ra), 0);
	pthread_join(t, &res);
	assert_null(res);
	db_stats_get(db, &st);
	assert_int_equal(st.readers_open, 1);

	/* a thread that forgets db_thread_done: its reader closes when it exits */
	ra.call_done = false;
	assert_int_equal(pthread_create(&t, NULL, open_reader, &ra), 0);
	pthread_join(t, &res);
	assert_null(res);
	db_stats_get(db, &st);
	assert_int_equal(st.readers_open, 1);

	db_thread_done(db);
	db_stats_get(db, &st);
	assert_int_equal(st.readers_open, 0);
	db_thread_done(db); /* no reader: a no-op */
	db_close(db);
	test_db_remove(path);
}

/* ---- many readers, one writer ---- */

#define N_READERS 8
#define N_WRITES  150

struct race {
	struct db *db;
	atomic_bool stop;
	atomic_int errors;
	atomic_int shrinks;
	atomic_int written;
	atomic_long reads;
};

static void *writer_main(void *p)
{
	struct race *r = p;

	for (int i = 0; i < N_WRITES && !atomic_load(&r->stop); i++) {
		struct crm_err err = {0};

		if (write_pair(r->db, 100000 + i, true, &err)) {
			fprintf(stderr, "writer: %s (%s)\n", err.message, err.detail);
			atomic_fetch_add(&r->errors, 1);
		} else {
			atomic_fetch_add(&r->written, 1);
		}
	}
	return NULL;
}

static void *reader_main(void *p)
{
	struct race *r = p;
	int64_t last = 0, last_seq = 0;

	while (!atomic_load(&r->stop)) {
		struct crm_err err = {0};
		int64_t n = test_audit_count(r->db, &err);
		int64_t seq = db_outbox_last_seq(r->db);

		if (n < 0) {
			fprintf(stderr, "reader: %s (%s)\n", err.message, err.detail);
			atomic_fetch_add(&r->errors, 1);
		}
		if (n < last || seq < last_seq)
			atomic_fetch_add(&r->shrinks, 1);
		last = n;
		last_seq = seq;
		atomic_fetch_add(&r->reads, 1);
	}
	db_thread_done(r->db);
	return NULL;
}

static void test_many_readers_one_writer(void **state)
{
	struct race r = {0};
	pthread_t readers[N_READERS], writer;
	struct crm_err err = {0};
	struct db_stats st;
	char path[512];

	(void)state;
	test_db_path(path, sizeof(path), "race");
	r.db = test_db_open(path);
	for (int i = 0; i < N_READERS; i++)
		assert_int_equal(pthread_create(&readers[i], NULL, reader_main, &r), 0);
	assert_int_equal(pthread_create(&writer, NULL, writer_main, &r), 0);
	pthread_join(writer, NULL);
	atomic_store(&r.stop, true);
	for (int i = 0; i < N_READERS; i++)
		pthread_join(readers[i], NULL);
	assert_int_equal(atomic_load(&r.errors), 0);
	assert_int_equal(atomic_load(&r.shrinks), 0);
	assert_int_equal(atomic_load(&r.written), N_WRITES);
	assert_true(atomic_load(&r.reads) > 0);
	assert_int_equal(test_audit_count(r.db, &err), N_WRITES);
	db_stats_get(r.db, &st);
	assert_int_equal(st.readers_open, 1); /* this thread's */
	db_close(r.db);
	test_db_remove(path);
}

/* ---- backup ---- */

static void *backup_writer_main(void *p)
{
	struct race *r = p;

	for (int i = 0; !atomic_load(&r->stop); i++) {
		struct crm_err err = {0};

		if (write_pair(r->db, 200000 + i, true, &err))
			atomic_fetch_add(&r->errors, 1);
		else
			atomic_fetch_add(&r->written, 1);
	}
	return NULL;
}

/* Adds n audit rows with 2 KiB bodies in one transaction: a database of many pages, so
 * the backup takes many steps while the writer goes on. */
static void fill(struct db *db, int n)
{
	struct crm_err err = {0};
	struct db_tx *tx = NULL;
	char body[2048];

	memset(body, 'x', sizeof(body) - 1);
	body[sizeof(body) - 1] = '\0';
	assert_int_equal(db_tx_begin(db, &tx, &err), 0);
	for (int i = 0; i < n; i++) {
		struct db_audit_row row = test_audit_row("bulk", "c-bulk", "/HQ/", i);

		row.before = body;
		assert_int_equal(db_audit_insert(tx, &row, &err), 0);
	}
	assert_int_equal(db_tx_commit(tx, &err), 0);
}

static void test_backup_while_writing(void **state)
{
	struct race r = {0};
	struct db_open_opts o = {.migrate = false};
	struct crm_err err = {0};
	struct db_stmt *s = NULL;
	struct db_conn *c;
	struct db *copy = NULL;
	char path[512], bpath[512];
	int64_t before;
	pthread_t writer;

	(void)state;
	test_db_path(path, sizeof(path), "live");
	test_db_path(bpath, sizeof(bpath), "backup");
	r.db = test_db_open(path);
	fill(r.db, 3000);
	assert_int_equal(pthread_create(&writer, NULL, backup_writer_main, &r), 0);
	while (atomic_load(&r.written) < 10)
		usleep(1000);
	before = test_audit_count(r.db, &err);
	assert_int_equal(db_backup(r.db, bpath, &err), 0);
	atomic_store(&r.stop, true);
	pthread_join(writer, NULL);
	assert_int_equal(atomic_load(&r.errors), 0);

	/* an existing file is never overwritten */
	assert_int_equal(db_backup(r.db, bpath, &err), CRM_EINVAL);
	assert_non_null(strstr(err.message, "already exists"));
	assert_int_equal(err.message[0], '\'');
	crm_err_clear(&err);

	assert_int_equal(db_open(bpath, &o, &copy, &err), 0);
	c = db__reader(copy, &err);
	assert_non_null(c);
	assert_int_equal(db__prepare(c, "PRAGMA integrity_check", &s, &err), 0);
	assert_int_equal(db__step(s, &err), 1);
	assert_string_equal(db__col_text(s, 0), "ok");
	db__release(s);
	assert_true(test_audit_count(copy, &err) >= before);
	assert_true(test_audit_count(copy, &err) <= test_audit_count(r.db, &err));
	db_close(copy);
	db_close(r.db);
	test_db_remove(path);
	test_db_remove(bpath);
}

struct begin_arg {
	struct db *db;
	struct crm_err err;
	int rc;
};

static void *try_begin(void *p)
{
	struct begin_arg *ba = p;
	struct db_tx *tx = NULL;

	ba->rc = db_tx_begin(ba->db, &tx, &ba->err);
	if (!ba->rc)
		db_tx_rollback(tx);
	return NULL;
}

static void test_writer_lock_times_out(void **state)
{
	struct db_open_opts o = {.migrate = true, .busy_timeout_ms = 50};
	struct begin_arg ba = {0};
	struct crm_err err = {0};
	struct db_tx *tx = NULL;
	struct db_stats st;
	pthread_t t;
	char path[512];
	struct db *db = NULL;

	(void)state;
	test_db_path(path, sizeof(path), "busy");
	assert_int_equal(db_open(path, &o, &db, &err), 0);
	assert_int_equal(db_tx_begin(db, &tx, &err), 0);
	ba.db = db;
	assert_int_equal(pthread_create(&t, NULL, try_begin, &ba), 0);
	pthread_join(t, NULL);
	assert_int_equal(ba.rc, CRM_EBUSY);
	assert_string_equal(ba.err.message, "the database is busy");
	db_tx_rollback(tx);
	db_stats_get(db, &st);
	assert_true(st.write_wait_ns >= 50 * 1000000ULL);

	/* free again: the other thread gets it */
	ba = (struct begin_arg){.db = db};
	assert_int_equal(pthread_create(&t, NULL, try_begin, &ba), 0);
	pthread_join(t, NULL);
	assert_int_equal(ba.rc, 0);
	db_tx_rollback(NULL);
	db_close(db);
	test_db_remove(path);
}

/* ---- group commit ---- */

#define GROUP_THREADS 8
#define GROUP_WRITES  150

struct group_race {
	struct db *db;
	atomic_int base, committed, refused, errors;
};

/* Writes pairs; every 5th rolled back, every 7th a duplicate event id (refused). */
static void *group_writer(void *p)
{
	struct group_race *g = p;
	int base = atomic_fetch_add(&g->base, 1000); /* each thread's own event ids */
	for (int i = 0; i < GROUP_WRITES; i++) {
		struct crm_err err = {0};
		int n = base + i, rc;

		if (i % 7 == 6)
			n = base + i - 1; /* the event id of the previous write: refused */
		rc = write_pair(g->db, n, i % 5 != 4, &err);
		if (rc == CRM_ECONFLICT)
			atomic_fetch_add(&g->refused, 1);
		else if (rc)
			atomic_fetch_add(&g->errors, 1);
		else if (i % 5 != 4)
			atomic_fetch_add(&g->committed, 1);
	}
	db_thread_done(g->db);
	return NULL;
}

static void test_group_commit_keeps_each_change_alone(void **state)
{
	struct group_race g = {0};
	pthread_t t[GROUP_THREADS];
	struct crm_err err = {0};
	char path[512];

	(void)state;
	test_db_path(path, sizeof(path), "group");
	g.db = test_db_open(path);
	for (int i = 0; i < GROUP_THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, group_writer, &g), 0);
	for (int i = 0; i < GROUP_THREADS; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(atomic_load(&g.errors), 0);
	assert_true(atomic_load(&g.refused) > 0);
	/* every committed change is there with its event, and nothing of the others */
	assert_int_equal(test_audit_count(g.db, &err), atomic_load(&g.committed));
	assert_true(db_outbox_last_seq(g.db) >= atomic_load(&g.committed));
	db_close(g.db);
	test_db_remove(path);
}

struct joiner {
	struct db *db;
	int rc;
};

/* Begins while the main thread holds the writer, writes, and rolls back. */
static void *join_and_roll_back(void *p)
{
	struct joiner *j = p;
	struct crm_err err = {0};

	j->rc = write_pair(j->db, 900, false, &err);
	db_thread_done(j->db);
	return NULL;
}

static void test_group_commit_shares_one_commit(void **state)
{
	struct crm_err err = {0};
	struct db_stats before, after;
	struct db_audit_row row = test_audit_row("alice", "c-1", "/HQ/", 1000);
	struct joiner j = {0};
	struct db_tx *tx = NULL;
	pthread_t t;
	char path[512];

	(void)state;
	test_db_path(path, sizeof(path), "group1");
	j.db = test_db_open(path);
	db_stats_get(j.db, &before);
	assert_int_equal(db_tx_begin(j.db, &tx, &err), 0);
	assert_int_equal(db_audit_insert(tx, &row, &err), 0);
	/* another writer waits for the writer meanwhile: this commit leaves the group open
	 * for it, and the other's rollback (its savepoint alone) commits the group */
	assert_int_equal(pthread_create(&t, NULL, join_and_roll_back, &j), 0);
	usleep(100 * 1000);
	assert_int_equal(db_tx_commit(tx, &err), 0);
	pthread_join(t, NULL);
	assert_int_equal(j.rc, 0);
	assert_int_equal(test_audit_count(j.db, &err), 1);
	db_stats_get(j.db, &after);
	assert_int_equal(after.tx_commits - before.tx_commits, 1);
	db_close(j.db);
	test_db_remove(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_migrates_and_reopen_is_noop),
		cmocka_unit_test(test_file_prefix_and_postgres_url),
		cmocka_unit_test(test_newer_schema_is_refused),
		cmocka_unit_test(test_stale_schema_without_migrate_is_refused),
		cmocka_unit_test(test_rollback_leaves_nothing_and_commit_keeps_both),
		cmocka_unit_test(test_fault_injection_rolls_back),
		cmocka_unit_test(test_statement_cache),
		cmocka_unit_test(test_readers_per_thread),
		cmocka_unit_test(test_many_readers_one_writer),
		cmocka_unit_test(test_backup_while_writing),
		cmocka_unit_test(test_writer_lock_times_out),
		cmocka_unit_test(test_group_commit_keeps_each_change_alone),
		cmocka_unit_test(test_group_commit_shares_one_commit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
