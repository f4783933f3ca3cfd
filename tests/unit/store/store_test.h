/*
 * Helpers shared by the store unit tests: unique database paths under $TELCRM_TEST_TMP
 * (or /tmp), opening a migrated database, removing a database and its WAL files, and
 * inserting audit rows and events in one transaction; for tests above the store, a
 * fixture of a fresh database with a system context on it.
 */
#ifndef CRM_STORE_TEST_H
#define CRM_STORE_TEST_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/ctx.h"
#include "store/db.h"
#include "store/db_int.h"

/* Writes a new unique path for a database file named after tag into buf. */
static inline void test_db_path(char *buf, size_t n, const char *tag)
{
	static int counter;
	const char *dir = getenv("TELCRM_TEST_TMP");

	if (!dir || !*dir)
		dir = "/tmp";
	if (mkdir(dir, 0700) && errno != EEXIST)
		dir = "/tmp";
	snprintf(buf, n, "%s/store-%ld-%d-%s.db", dir, (long)getpid(), ++counter, tag);
}

/* Removes a database file and its -wal and -shm companions. */
static inline void test_db_remove(const char *path)
{
	char side[4200];

	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-journal", path);
	unlink(side);
}

/* Opens (creating and migrating) a database at path; fails the test on error. */
static inline struct db *test_db_open(const char *path)
{
	struct db_open_opts o = {.migrate = true};
	struct crm_err err = {0};
	struct db *db = NULL;
	int rc = db_open(path, &o, &db, &err);

	if (rc)
		fprintf(stderr, "db_open '%s': %s (%s)\n", path, err.message, err.detail);
	assert_int_equal(rc, 0);
	assert_non_null(db);
	return db;
}

/* An audit row for tests: actor, resource id and org path vary, the rest is fixed. */
static inline struct db_audit_row test_audit_row(const char *actor, const char *resource_id,
						 const char *org_path, int64_t at_ms)
{
	return (struct db_audit_row){
		.at_ms = at_ms,
		.actor = actor,
		.action = "create",
		.resource = "customer",
		.resource_id = resource_id,
		.org_path = org_path,
		.after = "{\"id\":\"x\"}",
		.request_id = "req-1",
	};
}

/* Counts the audit rows visible to all scopes (through the calling thread's reader). */
static inline int64_t test_audit_count(struct db *db, struct crm_err *err)
{
	struct db_list_opts o = {.limit = 0};
	struct db_audit_row *rows = NULL;
	struct arena *a = arena_new(0);
	size_t n = 0;
	int64_t total = -1;

	if (db_audit_list(db, db_scope_all(), &o, a, &rows, &n, &total, err))
		total = -1;
	arena_free(a);
	return total;
}

/* A cmocka fixture for tests that work through the domain: a fresh migrated database and
 * a system context on it (test_env_setup, test_env_teardown; *state is the struct). */
struct test_env {
	char path[512];
	struct db *db;
	struct arena *a;
	struct crm_ctx ctx;
};

static inline int test_env_setup(void **state)
{
	struct test_env *e = calloc(1, sizeof(*e));

	test_db_path(e->path, sizeof(e->path), "env");
	e->db = test_db_open(e->path);
	e->a = arena_new(0);
	ctx_init_system(&e->ctx, e->a, e->db);
	*state = e;
	return 0;
}

static inline int test_env_teardown(void **state)
{
	struct test_env *e = *state;

	arena_free(e->a);
	db_close(e->db);
	test_db_remove(e->path);
	free(e);
	return 0;
}

#endif
