/*
 * The SQLite backend: fills db_sqlite_backend. The writer runs in WAL mode with
 * synchronous=FULL, so an acknowledged commit survives a power cut; readers are read-only
 * connections that still see every WAL commit. The only file that includes sqlite3.h.
 */
#include "store/db_int.h"
#include "store/migrations.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/mem.h"
#include "core/banned.h"

/* Pages copied per backup step, and the pause between steps (ms). */
#define BACKUP_PAGES_PER_STEP 256
#define BACKUP_SLEEP_MS	      1

/* The single statements exec() runs over and over (BEGIN, COMMIT, the savepoints of
 * group commit), kept prepared: parsing each anew was a tenth of a write's time. Not
 * db.c's statement cache: exec() also runs scripts of several statements, and db.c's
 * callers of it (transactions) are shared with PostgreSQL, which cannot prepare them. */
#define KEPT_MAX 8

struct db_conn {
	struct db__conn_head head; /* first: db.c's part */
	sqlite3 *h;
	struct {
		char *sql;
		sqlite3_stmt *h;
	} kept[KEPT_MAX];
	int nkept;
};

struct db_stmt {
	struct db__stmt_head head; /* first: db.c's part */
	sqlite3_stmt *h;
};

/* A unique key's first column, from "UNIQUE constraint failed: party.id_number, …", into
 * err->field: callers that know what the key means say so in their message. */
static void conflict_column(const char *msg, struct crm_err *err)
{
	const char *p = strstr(msg, "UNIQUE constraint failed: "), *dot;
	size_t n;

	if (!p || err->field[0])
		return;
	p += strlen("UNIQUE constraint failed: ");
	if (!(dot = strchr(p, '.')))
		return;
	n = strcspn(dot + 1, ", ");
	if (n && n < sizeof(err->field)) {
		memcpy(err->field, dot + 1, n);
		err->field[n] = '\0';
	}
}

/* Maps an SQLite result code to a CRM_E* code and fills err with sqlite's message as
 * detail. what says what was being done. */
static int map_error(sqlite3 *h, int src, const char *what, struct crm_err *err)
{
	const char *msg = h ? sqlite3_errmsg(h) : sqlite3_errstr(src);
	int rc;

	switch (src & 0xff) {
	case SQLITE_CONSTRAINT:
		rc = crm_err_set(err, CRM_ECONFLICT, NULL, "%s violates a database constraint",
				 what);
		break;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		rc = crm_err_set(err, CRM_EBUSY, NULL, "the database is busy");
		break;
	default:
		rc = crm_err_set(err, CRM_EIO, NULL, "database error while %s", what);
		break;
	}
	if (err && err->code == rc) {
		crm_err_detail(err, "sqlite: %s (code %d)", msg, src);
		if (rc == CRM_ECONFLICT)
			conflict_column(msg, err);
	}
	return rc;
}

static void conn_close(struct db_conn *c)
{
	if (!c)
		return;
	for (int i = 0; i < c->nkept; i++) {
		sqlite3_finalize(c->kept[i].h);
		free(c->kept[i].sql);
	}
	sqlite3_close_v2(c->h);
	free(c);
}

static int run_pragmas(struct db_conn *c, const char *sql, struct crm_err *err)
{
	char *msg = NULL;
	int src = sqlite3_exec(c->h, sql, NULL, NULL, &msg);
	int rc = 0;

	if (src != SQLITE_OK) {
		rc = map_error(c->h, src, "configuring the connection", err);
		if (msg)
			crm_err_detail(err, "sqlite: %s (code %d)", msg, src);
	}
	sqlite3_free(msg);
	return rc;
}

/* crm_phone_key(number): the key phone_key holds for a phone number (db__phone_key), or
 * NULL for none; migration 0004 builds the index with it. */
static void phone_key_fn(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	const char *number = (const char *)sqlite3_value_text(argv[0]);
	char key[64];
	size_t n;

	(void)argc;
	if ((n = db__phone_key(number, key, sizeof(key))) == 0)
		sqlite3_result_null(cx);
	else
		sqlite3_result_text(cx, key, (int)n, SQLITE_TRANSIENT);
}

/* Before SQLite's first use: no memory statistics, whose one global mutex every
 * allocation of every connection would take — threads writing and reading at once queue
 * on it. */
static void sqlite_setup(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int conn_open(const char *url, bool writer, int busy_timeout_ms, int cache_mb,
		     struct db_conn **out, struct crm_err *err)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct db_conn *c = xcalloc(1, sizeof(*c));
	int flags = writer ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
	int src, rc = 0;

	pthread_once(&once, sqlite_setup);

	/* the writer serialized: it is handed from thread to thread under db.c's mutex, and a
	 * backup may touch it from another thread; a reader belongs to one thread (db__reader)
	 * and does without the mutex SQLite would take around each of its calls */
	src = sqlite3_open_v2(url, &c->h,
			      flags | (writer ? SQLITE_OPEN_FULLMUTEX : SQLITE_OPEN_NOMUTEX), NULL);
	if (src != SQLITE_OK) {
		rc = crm_err_set(err, CRM_EIO, NULL, "cannot open database '%s'", url);
		crm_err_detail(err, "sqlite: %s (code %d)",
			       c->h ? sqlite3_errmsg(c->h) : sqlite3_errstr(src), src);
		goto out;
	}
	sqlite3_extended_result_codes(c->h, 1);
	sqlite3_busy_timeout(c->h, busy_timeout_ms);
	sqlite3_create_function(c->h, "crm_phone_key", 1,
				SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
				phone_key_fn, NULL, NULL);
	if (writer) {
		/* a transaction's pages stay in memory until its commit rather than being
		 * written and read back: 64 MB of cache by default, more for bulk loads */
		char cache[64];

		snprintf(cache, sizeof(cache), " PRAGMA cache_size = -%d;",
			 (cache_mb > 0 ? cache_mb : 64) * 1024);
		/* the file grows 16 MB at a time (checkpoints extend it): each reader maps the
		 * file, and maps it again whenever its size has changed — page by page, that
		 * was every reader at nearly every write */
		int chunk = 16 * 1024 * 1024;

		sqlite3_file_control(c->h, "main", SQLITE_FCNTL_CHUNK_SIZE, &chunk);
		if (!(rc = run_pragmas(c,
				       /* 16 KB pages for a new database (an existing one keeps
					* its own): shallower B-trees, a bulk load of a million
					* customers some 12% faster, reads unchanged */
				       "PRAGMA page_size = 16384;"
				       " PRAGMA journal_mode = WAL;"
				       " PRAGMA synchronous = FULL;"
				       /* statement journals (a statement that fires triggers)
					* in memory, not in a temporary file */
				       " PRAGMA temp_store = MEMORY;"
				       " PRAGMA foreign_keys = ON;",
				       err)))
			rc = run_pragmas(c, cache, err);
	} else {
		/* pages read through a memory map rather than a read() each; then a read of
		 * the schema, so a file that is not a database fails here */
		rc = run_pragmas(c,
				 "PRAGMA mmap_size = 2147418112;"
				 " SELECT count(*) FROM sqlite_master",
				 err);
	}
	if (rc) {
		crm_err_clear(err);
		rc = crm_err_set(err, CRM_EIO, NULL, "cannot open database '%s'", url);
		crm_err_detail(err, "sqlite: %s", sqlite3_errmsg(c->h));
	}
out:
	if (rc) {
		conn_close(c);
		return rc;
	}
	*out = c;
	return 0;
}

/* The prepared statement exec() keeps for sql, made on its first run while there is room;
 * NULL for a script of several statements (and when there is none). */
static sqlite3_stmt *kept_for(struct db_conn *c, const char *sql)
{
	sqlite3_stmt *h = NULL;
	const char *tail = NULL;

	for (int i = 0; i < c->nkept; i++)
		if (strcmp(c->kept[i].sql, sql) == 0)
			return c->kept[i].h;
	if (c->nkept == KEPT_MAX ||
	    sqlite3_prepare_v3(c->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &h, &tail) != SQLITE_OK)
		return NULL;
	while (tail && (*tail == ' ' || *tail == ';' || *tail == '\n' || *tail == '\t'))
		tail++;
	if (!h || (tail && *tail)) {
		sqlite3_finalize(h);
		return NULL;
	}
	c->kept[c->nkept].sql = xstrdup(sql);
	c->kept[c->nkept].h = h;
	return c->kept[c->nkept++].h;
}

static int exec(struct db_conn *c, const char *sql, struct crm_err *err)
{
	sqlite3_stmt *h = kept_for(c, sql);
	char *msg = NULL;
	int src, rc = 0;

	if (h) {
		while ((src = sqlite3_step(h)) == SQLITE_ROW)
			;
		if (src != SQLITE_DONE) {
			rc = map_error(c->h, src, "running a script", err);
			if (err && err->code == rc)
				crm_err_detail(err, "sqlite: %s (code %d)", sqlite3_errmsg(c->h),
					       src);
		}
		sqlite3_reset(h);
		return rc;
	}
	src = sqlite3_exec(c->h, sql, NULL, NULL, &msg);

	if (src != SQLITE_OK) {
		rc = map_error(c->h, src, "running a script", err);
		if (msg && err && err->code == rc)
			crm_err_detail(err, "sqlite: %s (code %d)", msg, src);
	}
	sqlite3_free(msg);
	return rc;
}

static int prepare(struct db_conn *c, const char *sql, size_t len, struct db_stmt **out,
		   struct crm_err *err)
{
	sqlite3_stmt *h = NULL;
	struct db_stmt *s;
	int src;

	if (len > INT32_MAX)
		return crm_err_set(err, CRM_EINTERNAL, NULL, "statement of %zu bytes is too long",
				   len);
	src = sqlite3_prepare_v3(c->h, sql, (int)len, SQLITE_PREPARE_PERSISTENT, &h, NULL);
	if (src != SQLITE_OK)
		return map_error(c->h, src, "preparing a statement", err);
	if (!h)
		return crm_err_set(err, CRM_EINTERNAL, NULL, "empty SQL statement");
	s = xcalloc(1, sizeof(*s));
	s->h = h;
	*out = s;
	return 0;
}

static void finalize(struct db_stmt *s)
{
	if (!s)
		return;
	sqlite3_finalize(s->h);
	free(s);
}

static void reset(struct db_stmt *s)
{
	sqlite3_reset(s->h);
	sqlite3_clear_bindings(s->h);
}

static void bind_text(struct db_stmt *s, int i, const char *v, size_t len)
{
	if (!v)
		sqlite3_bind_null(s->h, i);
	else
		sqlite3_bind_text64(s->h, i, v, len, SQLITE_TRANSIENT, SQLITE_UTF8);
}

static void bind_int(struct db_stmt *s, int i, int64_t v)
{
	sqlite3_bind_int64(s->h, i, v);
}

static void bind_double(struct db_stmt *s, int i, double v)
{
	sqlite3_bind_double(s->h, i, v);
}

static void bind_null(struct db_stmt *s, int i)
{
	sqlite3_bind_null(s->h, i);
}

static int step(struct db_stmt *s, struct crm_err *err)
{
	int src = sqlite3_step(s->h);

	if (src == SQLITE_ROW)
		return 1;
	if (src == SQLITE_DONE)
		return 0;
	return map_error(sqlite3_db_handle(s->h), src, "running a statement", err);
}

static bool col_is_null(struct db_stmt *s, int i)
{
	return sqlite3_column_type(s->h, i) == SQLITE_NULL;
}

static const char *col_text(struct db_stmt *s, int i, size_t *len)
{
	const char *p = (const char *)sqlite3_column_text(s->h, i);

	if (len)
		*len = p ? (size_t)sqlite3_column_bytes(s->h, i) : 0;
	return p;
}

static int64_t col_int(struct db_stmt *s, int i)
{
	return sqlite3_column_int64(s->h, i);
}

static double col_double(struct db_stmt *s, int i)
{
	return sqlite3_column_double(s->h, i);
}

static int64_t changes(struct db_conn *c)
{
	return sqlite3_changes64(c->h);
}

static int begin_write(struct db_conn *c, struct crm_err *err)
{
	/* IMMEDIATE takes the write lock now, so a transaction never fails half-way
	 * because another process began writing after our first read */
	return exec(c, "BEGIN IMMEDIATE", err);
}

static int commit(struct db_conn *c, struct crm_err *err)
{
	return exec(c, "COMMIT", err);
}

static void rollback(struct db_conn *c)
{
	/* after some errors SQLite has already rolled back: nothing left to undo */
	if (!sqlite3_get_autocommit(c->h))
		sqlite3_exec(c->h, "ROLLBACK", NULL, NULL, NULL);
}

/* Copies src into the empty database file dst, BACKUP_PAGES_PER_STEP pages at a time.
 * The whole copy runs inside one read transaction of src, so it is the snapshot of the
 * moment it began: in WAL mode writers go on committing meanwhile and the copy neither
 * blocks them nor restarts because of them. */
static int copy_pages(struct db_conn *src, sqlite3 *dst, struct crm_err *err)
{
	sqlite3_backup *b = NULL;
	int rc = 0, brc;

	if ((rc = exec(src, "BEGIN", err)) ||
	    (rc = exec(src, "SELECT count(*) FROM sqlite_master", err)))
		goto out;
	if (!(b = sqlite3_backup_init(dst, "main", src->h, "main"))) {
		rc = map_error(dst, sqlite3_errcode(dst), "starting the backup", err);
		goto out;
	}
	do {
		brc = sqlite3_backup_step(b, BACKUP_PAGES_PER_STEP);
		if (brc == SQLITE_OK || brc == SQLITE_BUSY || brc == SQLITE_LOCKED)
			sqlite3_sleep(BACKUP_SLEEP_MS);
	} while (brc == SQLITE_OK || brc == SQLITE_BUSY || brc == SQLITE_LOCKED);
	brc = sqlite3_backup_finish(b);
	if (brc != SQLITE_OK)
		rc = map_error(dst, brc, "copying the database", err);
out:
	rollback(src);
	return rc;
}

static int backup(struct db_conn *src, const char *path, struct crm_err *err)
{
	sqlite3 *dst = NULL;
	bool created = false;
	int fd, src_rc, rc = 0;

	/* O_EXCL: refuse an existing file without a window for a race */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			rc = crm_err_set(err, CRM_EINVAL, "path", "'%s' already exists", path);
		else
			rc = crm_err_set(err, CRM_EIO, "path", "cannot create '%s': %s", path,
					 strerror(errno));
		goto out;
	}
	close(fd);
	created = true;
	src_rc = sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL);
	if (src_rc != SQLITE_OK) {
		rc = crm_err_set(err, CRM_EIO, "path", "cannot open '%s'", path);
		crm_err_detail(err, "sqlite: %s (code %d)",
			       dst ? sqlite3_errmsg(dst) : sqlite3_errstr(src_rc), src_rc);
		goto out;
	}
	sqlite3_extended_result_codes(dst, 1);
	if ((rc = copy_pages(src, dst, err)))
		goto out;
	/* the copy carries the WAL flag; fold everything into the main file */
	if ((src_rc = sqlite3_wal_checkpoint_v2(dst, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL,
						NULL)) != SQLITE_OK)
		rc = map_error(dst, src_rc, "finishing the backup", err);
out:
	if (dst && sqlite3_close(dst) != SQLITE_OK && !rc)
		rc = crm_err_set(err, CRM_EIO, "path", "cannot close '%s'", path);
	if (rc && created)
		unlink(path);
	return rc;
}

const struct db_backend db_sqlite_backend = {
	.name = "sqlite",
	.dialect = DB_DIALECT_SQLITE,
	.conn_open = conn_open,
	.conn_close = conn_close,
	.exec = exec,
	.prepare = prepare,
	.finalize = finalize,
	.reset = reset,
	.bind_text = bind_text,
	.bind_int = bind_int,
	.bind_double = bind_double,
	.bind_null = bind_null,
	.step = step,
	.col_is_null = col_is_null,
	.col_text = col_text,
	.col_int = col_int,
	.col_double = col_double,
	.changes = changes,
	.begin_write = begin_write,
	.commit = commit,
	.rollback = rollback,
	.backup = backup,
	.migrations = migrations,
	.nmigrations = &migrations_count,
};
