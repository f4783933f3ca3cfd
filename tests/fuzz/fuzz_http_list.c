/*
 * Fuzzes lists from the query string to the SQL: the input's first byte picks a resource
 * of the registry, the rest is a query string, turned into list options (filters, sort,
 * cursor, paging) and run against a real, migrated database. Whatever the text, the list
 * answers or refuses it as a bad request; the SQL never fails and nothing crashes.
 */
/* the invariants are the point: keep assert() in release builds */
#undef NDEBUG
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/log.h"
#include "domain/resource.h"
#include "http/http_int.h"
#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct db *db;
static char path[64];

static void forget(void)
{
	char side[80];

	db_close(db);
	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
}

static void open_once(void)
{
	struct db_open_opts o = {.migrate = true};
	struct crm_err err = {0};

	snprintf(path, sizeof(path), "/tmp/telcrm-fuzz-list-%ld.db", (long)getpid());
	log_level_set(LOG_ERROR);
	if (db_open(path, &o, &db, &err))
		abort();
	atexit(forget);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_query_param *q;
	struct http_req req = {0};
	struct db_list_opts o;
	struct res_page page;
	const struct res_desc *d;
	struct crm_ctx ctx;
	struct arena *a;
	size_t n = 0;
	int rc;

	if (!db)
		open_once();
	while (res_registry[n])
		n++;
	if (size < 1 || !n)
		return 0;
	d = res_registry[data[0] % n];
	a = arena_new(0);
	ctx_init_system(&ctx, a, db);
	if (http__query_parse(a, (const char *)data + 1, size - 1, &q, &req.nquery, &ctx.err))
		goto out;
	req.query = q;
	if (http_list_opts(&ctx, &req, res_filterable(d), &o)) {
		assert(ctx.err.code == CRM_EINVAL);
		goto out;
	}
	rc = res_list(&ctx, d, &o, &page);
	/* a bad value, sort key or cursor is the caller's mistake; nothing else may happen */
	assert(rc == 0 || rc == CRM_EINVAL);
	assert(rc || page.n <= (size_t)o.limit);
out:
	arena_free(a);
	return 0;
}
