/*
 * The backend-independent half of the store: opening and migrating a database, the one
 * writer connection behind a mutex, one reader connection per thread, a per-connection
 * cache of prepared statements, stats, and the db__* statement wrappers over the backend
 * vtable (where fault injection for tests lives).
 */
#include "store/db_int.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/time.h"
#include "store/migrations.h"
#include "core/banned.h"

#define DEFAULT_BUSY_TIMEOUT_MS 5000
#define CACHE_CAP		128 /* statements kept per connection */
#define CACHE_BUCKETS		256

struct db__cache_entry {
	char *sql;
	size_t len;
	uint64_t hash;
	struct db_stmt *stmt;
	bool in_use;
	bool identity;			       /* identity_write(sql) */
	struct db__cache_entry *hnext;	       /* bucket chain */
	struct db__cache_entry *newer, *older; /* recency list */
};

struct db__cache {
	struct db__cache_entry *buckets[CACHE_BUCKETS];
	struct db__cache_entry *newest, *oldest;
	size_t n;
};

/* A thread's reader connection, also linked in its db so db_close finds them all. */
struct reader {
	struct db *db;
	struct db_conn *conn;
	struct reader *prev, *next;
};

struct db_tx {
	struct db *db;
	struct db_conn *conn;
	bool own_savepoint; /* joined a group already open: its part is savepoint crm_tx */
	bool bulk;	    /* db_tx_bulk_inserts: the backend holds its INSERTs */
	bool identity;	    /* it wrote an identity table (identity_write) */
};

/* A transaction's writer waiting for its group's commit (group commit, below). */
struct group_waiter {
	bool done;
	int rc;
	struct crm_err err;
	struct group_waiter *next;
};

struct db {
	const struct db_backend *be;
	char *url; /* what the backend opens: the path for SQLite */
	int busy_timeout_ms;
	int writer_cache_mb;

	pthread_mutex_t write_lock; /* held from db_tx_begin to commit/rollback */
	struct db_conn *writer;
	struct db_tx tx; /* the one transaction, valid while write_lock is held */

	/* group commit: the writer's open transaction holds the changes of one or more
	 * db_tx (group_size), whose writers wait in group_waiters for its commit */
	bool group_open;
	int group_size;
	struct group_waiter *group_waiters;
	pthread_mutex_t group_lock; /* guards the waiters' done, rc and err */
	pthread_cond_t group_done;
	_Atomic int writers_waiting; /* threads waiting in db_tx_begin for the writer */

	pthread_key_t reader_key;
	pthread_mutex_t readers_lock;
	struct reader *readers;

	_Atomic uint64_t tx_commits, tx_rollbacks, write_wait_ns, readers_open;
	/* identity changes committed by this process, by every process (opts->watch), and
	 * the ticks while that signal is lost */
	_Atomic uint64_t identity_commits, all_identity, blind_ticks;
	_Atomic int watch_lost;
	void *watch;
	_Atomic uint64_t stmt_prepares, stmt_cache_hits;
};

/* Steps left until the injected fault; 0: none armed. */
static _Atomic int fault_countdown;

static struct db__conn_head *conn_head(struct db_conn *c)
{
	return (struct db__conn_head *)c;
}

static struct db__stmt_head *stmt_head(struct db_stmt *s)
{
	return (struct db__stmt_head *)s;
}

static const struct db_backend *stmt_be(struct db_stmt *s)
{
	return conn_head(stmt_head(s)->conn)->be;
}

/* ---- statement cache ---- */

/* Eight bytes at a time (a statement's text is hashed at every prepare, hundreds of
 * bytes, several times per record of a bulk load); collisions are settled by memcmp. */
static uint64_t hash_sql(const char *s, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ len, w;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	w = 0;
	memcpy(&w, s + i, len - i);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 29);
}

static void lru_unlink(struct db__cache *c, struct db__cache_entry *e)
{
	if (e->newer)
		e->newer->older = e->older;
	else
		c->newest = e->older;
	if (e->older)
		e->older->newer = e->newer;
	else
		c->oldest = e->newer;
	e->newer = e->older = NULL;
}

static void lru_push(struct db__cache *c, struct db__cache_entry *e)
{
	e->older = c->newest;
	e->newer = NULL;
	if (c->newest)
		c->newest->newer = e;
	c->newest = e;
	if (!c->oldest)
		c->oldest = e;
}

static void entry_remove(struct db__cache *c, struct db__cache_entry *e)
{
	struct db__cache_entry **pp = &c->buckets[e->hash % CACHE_BUCKETS];

	while (*pp != e)
		pp = &(*pp)->hnext;
	*pp = e->hnext;
	lru_unlink(c, e);
	c->n--;
}

/* Drops the least recently used statements not in use until the cache fits. */
static void cache_evict(const struct db_backend *be, struct db__cache *c)
{
	struct db__cache_entry *e = c->oldest;

	while (c->n > CACHE_CAP && e) {
		struct db__cache_entry *newer = e->newer;

		if (!e->in_use) {
			entry_remove(c, e);
			be->finalize(e->stmt);
			free(e->sql);
			free(e);
		}
		e = newer;
	}
}

static void cache_free(const struct db_backend *be, struct db__cache *c)
{
	struct db__cache_entry *e, *older;

	if (!c)
		return;
	for (e = c->newest; e; e = older) {
		older = e->older;
		be->finalize(e->stmt);
		free(e->sql);
		free(e);
	}
	free(c);
}

/* ---- connections ---- */

static int conn_open(struct db *db, bool writer, struct db_conn **out, struct crm_err *err)
{
	struct db_conn *c = NULL;
	int rc;

	if ((rc = db->be->conn_open(db->url, writer, db->busy_timeout_ms,
				    writer ? db->writer_cache_mb : 0, &c, err)))
		return rc;
	conn_head(c)->be = db->be;
	conn_head(c)->db = db;
	conn_head(c)->cache = xcalloc(1, sizeof(struct db__cache));
	*out = c;
	return 0;
}

static void conn_close(struct db_conn *c)
{
	const struct db_backend *be;

	if (!c)
		return;
	be = conn_head(c)->be;
	cache_free(be, conn_head(c)->cache);
	be->conn_close(c);
}

static void reader_free(struct reader *r)
{
	struct db *db = r->db;

	pthread_mutex_lock(&db->readers_lock);
	if (r->prev)
		r->prev->next = r->next;
	else
		db->readers = r->next;
	if (r->next)
		r->next->prev = r->prev;
	pthread_mutex_unlock(&db->readers_lock);
	conn_close(r->conn);
	atomic_fetch_sub(&db->readers_open, 1);
	free(r);
}

/* pthread key destructor: a thread exited without db_thread_done */
static void reader_destroy(void *p)
{
	reader_free(p);
}

struct db_conn *db__reader(struct db *db, struct crm_err *err)
{
	struct reader *r = pthread_getspecific(db->reader_key);
	struct db_conn *c = NULL;

	if (r)
		return r->conn;
	if (conn_open(db, false, &c, err))
		return NULL;
	r = xcalloc(1, sizeof(*r));
	r->db = db;
	r->conn = c;
	pthread_mutex_lock(&db->readers_lock);
	r->next = db->readers;
	if (db->readers)
		db->readers->prev = r;
	db->readers = r;
	pthread_mutex_unlock(&db->readers_lock);
	pthread_setspecific(db->reader_key, r);
	atomic_fetch_add(&db->readers_open, 1);
	return c;
}

void db_thread_done(struct db *db)
{
	struct reader *r = pthread_getspecific(db->reader_key);

	if (!r)
		return;
	pthread_setspecific(db->reader_key, NULL);
	reader_free(r);
}

struct db_conn *db__tx_conn(struct db_tx *tx)
{
	return tx->conn;
}

enum db_dialect db__dialect(struct db_conn *c)
{
	return conn_head(c)->be->dialect;
}

const struct db_backend *db__backend(const struct db *db)
{
	return db->be;
}

const char *db_backend_name(const struct db *db)
{
	return db->be->name;
}

void db_stats_get(struct db *db, struct db_stats *out)
{
	out->tx_commits = atomic_load(&db->tx_commits);
	out->tx_rollbacks = atomic_load(&db->tx_rollbacks);
	out->write_wait_ns = atomic_load(&db->write_wait_ns);
	out->readers_open = atomic_load(&db->readers_open);
	out->stmt_prepares = atomic_load(&db->stmt_prepares);
	out->stmt_cache_hits = atomic_load(&db->stmt_cache_hits);
}

/* ---- transactions ---- */

static int lock_writer(struct db *db, struct crm_err *err)
{
	struct timespec until;
	int64_t t0 = time_mono_ns();
	int prc;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += db->busy_timeout_ms / 1000;
	until.tv_nsec += (long)(db->busy_timeout_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	prc = pthread_mutex_timedlock(&db->write_lock, &until);
	atomic_fetch_add(&db->write_wait_ns, (uint64_t)(time_mono_ns() - t0));
	if (prc == ETIMEDOUT)
		return crm_err_set(err, CRM_EBUSY, NULL, "the database is busy");
	if (prc)
		CRM_BUG("writer lock failed: %s", strerror(prc));
	return 0;
}

uint64_t db_identity_generation(struct db *db)
{
	uint64_t g = atomic_load(&db->identity_commits) + atomic_load(&db->all_identity);

	if (atomic_load(&db->watch_lost))
		g += atomic_fetch_add(&db->blind_ticks, 1) + 1;
	else
		g += atomic_load(&db->blind_ticks);
	return g;
}

/*
 * Group commit. Concurrent writers share one commit, and with it one fsync: a transaction
 * that begins while the writer's transaction is open joins it as savepoint crm_tx (the
 * first of a group is the transaction itself), and its commit releases the savepoint and
 * waits. The commit that finds no other writer waiting for the writer — or the group
 * full — commits the group and wakes its writers, each of which answers only then; a
 * waiter that was not woken within GROUP_WAIT_MS (the writer it counted on gave up
 * waiting) commits the group itself. A change that fails rolls back to its savepoint
 * alone; a commit that fails fails every change of its group. GROUP_MAX keeps
 * PostgreSQL's subtransactions of one transaction within what each backend caches (64).
 */
#define GROUP_MAX     32
#define GROUP_WAIT_MS 20

/* Commits the group (rolls it back when broken or holding no change) and wakes its
 * writers; write_lock is held. */
static void group_flush(struct db *db, bool broken)
{
	struct crm_err err = {0};
	int rc = 0;

	if (!db->group_open)
		return;
	if (broken) {
		db->be->rollback(db->writer);
		atomic_fetch_add(&db->tx_rollbacks, 1);
		rc = crm_err_set(&err, CRM_EIO, NULL, "the transaction was rolled back");
	} else if (db->group_size == 0) {
		db->be->rollback(db->writer);
	} else if ((rc = db->be->commit(db->writer, &err))) {
		db->be->rollback(db->writer);
		atomic_fetch_add(&db->tx_rollbacks, 1);
	} else {
		atomic_fetch_add(&db->tx_commits, 1);
	}
	db->group_open = false;
	db->group_size = 0;
	pthread_mutex_lock(&db->group_lock);
	for (struct group_waiter *w = db->group_waiters; w; w = w->next) {
		w->rc = rc;
		w->err = err;
		w->done = true;
	}
	db->group_waiters = NULL;
	pthread_cond_broadcast(&db->group_done);
	pthread_mutex_unlock(&db->group_lock);
}

/* Ends a db_tx's hold of the writer: the group is committed now unless another writer
 * is waiting to join it. */
static void group_leave(struct db *db)
{
	if (db->group_open &&
	    (atomic_load(&db->writers_waiting) == 0 || db->group_size >= GROUP_MAX))
		group_flush(db, false);
	db->tx.conn = NULL;
	pthread_mutex_unlock(&db->write_lock);
}

/* A change that cannot be undone alone (its savepoint is gone with the transaction): the
 * group's other changes fail with it. */
static void group_break(struct db *db)
{
	group_flush(db, true);
}

int db_tx_begin(struct db *db, struct db_tx **out, struct crm_err *err)
{
	int rc;

	*out = NULL;
	atomic_fetch_add(&db->writers_waiting, 1);
	rc = lock_writer(db, err);
	atomic_fetch_sub(&db->writers_waiting, 1);
	if (rc)
		return rc;
	db->tx = (struct db_tx){.db = db, .conn = db->writer};
	if (!db->group_open) {
		if ((rc = db->be->begin_write(db->writer, err))) {
			db->tx.conn = NULL;
			pthread_mutex_unlock(&db->write_lock);
			return rc;
		}
		db->group_open = true;
	} else if ((rc = db->be->exec(db->writer, "SAVEPOINT crm_tx", err))) {
		group_break(db);
		db->tx.conn = NULL;
		pthread_mutex_unlock(&db->write_lock);
		return rc;
	} else {
		db->tx.own_savepoint = true;
	}
	*out = &db->tx;
	return 0;
}

/* Waits until w's group is committed; commits it when nobody did in time. */
static int group_wait(struct db *db, struct group_waiter *w, struct crm_err *err)
{
	pthread_mutex_lock(&db->group_lock);
	while (!w->done) {
		struct timespec until;

		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += GROUP_WAIT_MS * 1000000L;
		until.tv_sec += until.tv_nsec / 1000000000L;
		until.tv_nsec %= 1000000000L;
		if (pthread_cond_timedwait(&db->group_done, &db->group_lock, &until) == 0 ||
		    w->done)
			continue;
		pthread_mutex_unlock(&db->group_lock);
		pthread_mutex_lock(&db->write_lock);
		if (!w->done) /* still waiting: its group is the open one */
			group_flush(db, false);
		pthread_mutex_unlock(&db->write_lock);
		pthread_mutex_lock(&db->group_lock);
	}
	pthread_mutex_unlock(&db->group_lock);
	if (w->rc)
		*err = w->err;
	return w->rc;
}

int db_tx_commit(struct db_tx *tx, struct crm_err *err)
{
	struct db *db = tx->db;
	struct group_waiter w = {0};
	bool identity = tx->identity; /* tx is the next writer's once it has left */
	int rc;

	/* the held rows go first: an error among them fails this change alone, before any
	 * other joins the group (a transaction with bulk inserts is a group's first) */
	if (tx->bulk && (rc = db->be->bulk_inserts(tx->conn, DB_BULK_SEND, err))) {
		group_break(db);
		group_leave(db);
		return rc;
	}
	tx->bulk = false;
	/* other processes hear of an identity change at its commit (within this change's
	 * savepoint: undone with it) */
	if ((identity && db->be->identity_notify &&
	     (rc = db->be->exec(tx->conn, db->be->identity_notify, err))) ||
	    (tx->own_savepoint && (rc = db->be->exec(tx->conn, "RELEASE SAVEPOINT crm_tx", err)))) {
		group_break(db);
		group_leave(db);
		return rc;
	}
	db->group_size++;
	w.next = db->group_waiters;
	db->group_waiters = &w;
	group_leave(db);
	rc = group_wait(db, &w, err);
	/* counted once visible, so that no cache fills from before it under the new number */
	if (identity)
		atomic_fetch_add(&db->identity_commits, 1);
	return rc;
}

void db_tx_rollback(struct db_tx *tx)
{
	struct db *db;
	struct crm_err err = {0};

	if (!tx)
		return;
	db = tx->db;
	atomic_fetch_add(&db->tx_rollbacks, 1);
	if (tx->bulk)
		db->be->bulk_inserts(tx->conn, DB_BULK_DROP, &err);
	if (!tx->own_savepoint) {
		/* the first change of its group: the group is this change alone */
		db->be->rollback(tx->conn);
		db->group_open = false;
		db->group_size = 0;
	} else if (db->be->exec(tx->conn, "ROLLBACK TO SAVEPOINT crm_tx; RELEASE SAVEPOINT crm_tx",
				&err)) {
		group_break(db);
	}
	group_leave(db);
}

int db_tx_bulk_inserts(struct db_tx *tx, struct crm_err *err)
{
	const struct db_backend *be = tx->db->be;
	int rc;

	if (!be->bulk_inserts || tx->own_savepoint || tx->bulk)
		return 0;
	if ((rc = be->bulk_inserts(tx->conn, DB_BULK_START, err)))
		return rc;
	tx->bulk = true;
	return 0;
}

void db_tx_bulk_mark(struct db_tx *tx, int64_t mark)
{
	if (tx->bulk)
		tx->db->be->bulk_mark(tx->conn, mark);
}

/* ---- statements ---- */

/* Whether sql writes a table of who may do what, which db_identity_generation follows:
 * the users, roles and their grants, API tokens, and the org units (a user's reach). */
static bool identity_write(const char *sql)
{
	static const char *const tables[] = {"app_user", "role", "user_role", "api_token",
					     "org_unit"};
	static const char *const verbs[] = {"INSERT INTO ", "UPDATE ", "DELETE FROM "};
	const char *t = NULL;

	for (size_t i = 0; !t && i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strncmp(sql, verbs[i], strlen(verbs[i])) == 0)
			t = sql + strlen(verbs[i]);
	for (size_t i = 0; t && i < sizeof(tables) / sizeof(tables[0]); i++) {
		size_t n = strlen(tables[i]);

		if (strncmp(t, tables[i], n) == 0 && (t[n] == ' ' || t[n] == '\0'))
			return true;
	}
	return false;
}

int db__prepare(struct db_conn *c, const char *sql, struct db_stmt **out, struct crm_err *err)
{
	struct db__conn_head *h = conn_head(c);
	struct db__cache *cache = h->cache;
	size_t len = strlen(sql);
	uint64_t hash = hash_sql(sql, len);
	struct db__cache_entry *e = cache->buckets[hash % CACHE_BUCKETS];
	struct db_stmt *s = NULL;
	int rc;

	while (e && !(e->hash == hash && e->len == len && memcmp(e->sql, sql, len) == 0))
		e = e->hnext;
	/* a transaction that writes identities says so at its commit (only the writer's
	 * holder, which owns db->tx, gets past the first test) */
	if (c == h->db->writer && h->db->tx.conn == c && (e ? e->identity : identity_write(sql)))
		h->db->tx.identity = true;
	if (e && !e->in_use) {
		e->in_use = true;
		lru_unlink(cache, e);
		lru_push(cache, e);
		atomic_fetch_add(&h->db->stmt_cache_hits, 1);
		*out = e->stmt;
		return 0;
	}
	if ((rc = h->be->prepare(c, sql, len, &s, err)))
		return rc;
	atomic_fetch_add(&h->db->stmt_prepares, 1);
	stmt_head(s)->conn = c;
	if (e) {
		/* the cached copy is busy (a statement run while iterating the same one): this
		 * one lives until its release */
		stmt_head(s)->entry = NULL;
	} else {
		e = xcalloc(1, sizeof(*e));
		e->sql = xstrndup(sql, len);
		e->len = len;
		e->hash = hash;
		e->stmt = s;
		e->in_use = true;
		e->identity = identity_write(sql);
		e->hnext = cache->buckets[hash % CACHE_BUCKETS];
		cache->buckets[hash % CACHE_BUCKETS] = e;
		lru_push(cache, e);
		cache->n++;
		stmt_head(s)->entry = e;
		cache_evict(h->be, cache);
	}
	*out = s;
	return 0;
}

void db__release(struct db_stmt *s)
{
	struct db__stmt_head *h;

	if (!s)
		return;
	h = stmt_head(s);
	if (h->entry) {
		stmt_be(s)->reset(s);
		h->entry->in_use = false;
	} else {
		stmt_be(s)->finalize(s);
	}
}

void db__bind_text(struct db_stmt *s, int i, const char *v)
{
	if (v)
		stmt_be(s)->bind_text(s, i, v, strlen(v));
	else
		stmt_be(s)->bind_null(s, i);
}

void db__bind_textn(struct db_stmt *s, int i, const char *v, size_t len)
{
	if (v)
		stmt_be(s)->bind_text(s, i, v, len);
	else
		stmt_be(s)->bind_null(s, i);
}

void db__bind_int(struct db_stmt *s, int i, int64_t v)
{
	stmt_be(s)->bind_int(s, i, v);
}

void db__bind_double(struct db_stmt *s, int i, double v)
{
	stmt_be(s)->bind_double(s, i, v);
}

void db__bind_null(struct db_stmt *s, int i)
{
	stmt_be(s)->bind_null(s, i);
}

void db__fault_inject(int nth_step_fails)
{
	atomic_store(&fault_countdown, nth_step_fails > 0 ? nth_step_fails : 0);
}

/* True when this step is the one chosen by db__fault_inject. */
static bool fault_fires(void)
{
	int n = atomic_load(&fault_countdown);

	while (n > 0 && !atomic_compare_exchange_weak(&fault_countdown, &n, n - 1))
		;
	return n == 1;
}

int db__step(struct db_stmt *s, struct crm_err *err)
{
	if (fault_fires()) {
		int rc =
			crm_err_set(err, CRM_EIO, NULL, "database error while running a statement");

		crm_err_detail(err, "injected fault");
		return rc;
	}
	return stmt_be(s)->step(s, err);
}

bool db__col_is_null(struct db_stmt *s, int i)
{
	return stmt_be(s)->col_is_null(s, i);
}

const char *db__col_text(struct db_stmt *s, int i)
{
	return stmt_be(s)->col_text(s, i, NULL);
}

const char *db__col_textn(struct db_stmt *s, int i, size_t *len)
{
	*len = 0;
	return stmt_be(s)->col_text(s, i, len);
}

char *db__col_dup(struct db_stmt *s, int i, struct arena *a)
{
	size_t len = 0;
	const char *p;

	if (stmt_be(s)->col_is_null(s, i))
		return NULL;
	p = stmt_be(s)->col_text(s, i, &len);
	return arena_strndup(a, p ? p : "", p ? len : 0);
}

int64_t db__col_int(struct db_stmt *s, int i)
{
	return stmt_be(s)->col_int(s, i);
}

double db__col_double(struct db_stmt *s, int i)
{
	return stmt_be(s)->col_double(s, i);
}

int64_t db__changes(struct db_conn *c)
{
	return conn_head(c)->be->changes(c);
}

int db__exec(struct db_conn *c, const char *sql, struct crm_err *err)
{
	return conn_head(c)->be->exec(c, sql, err);
}

bool db__copy_can(struct db_conn *c)
{
	return conn_head(c)->be->copy_begin != NULL;
}

static int no_copy(struct db_conn *c, struct crm_err *err)
{
	return crm_err_set(err, CRM_EINVAL, NULL, "the %s backend has no bulk load",
			   conn_head(c)->be->name);
}

int db__copy_begin(struct db_conn *c, const char *table, const char *const *columns, int ncolumns,
		   struct crm_err *err)
{
	const struct db_backend *be = conn_head(c)->be;

	return be->copy_begin ? be->copy_begin(c, table, columns, ncolumns, err) : no_copy(c, err);
}

int db__copy_row(struct db_conn *c, const char *const *vals, const size_t *lens, int n,
		 struct crm_err *err)
{
	const struct db_backend *be = conn_head(c)->be;

	return be->copy_row ? be->copy_row(c, vals, lens, n, err) : no_copy(c, err);
}

int db__copy_end(struct db_conn *c, bool abort, int64_t *out_rows, struct crm_err *err)
{
	const struct db_backend *be = conn_head(c)->be;

	return be->copy_end ? be->copy_end(c, abort, out_rows, err) : no_copy(c, err);
}

const char *db__values(struct db_conn *c)
{
	return db__dialect(c) == DB_DIALECT_PG
		       ? "json_array_elements_text(CAST(? AS json)) AS j (value)"
		       : "json_each(?) AS j";
}

void db__json_strings(struct strbuf *out, const char *const *v, size_t n)
{
	bool first = true;

	strbuf_addch(out, '[');
	for (size_t i = 0; i < n; i++) {
		if (!v[i])
			continue;
		strbuf_addstr(out, first ? "\"" : ",\"");
		first = false;
		for (const unsigned char *p = (const unsigned char *)v[i]; *p; p++) {
			if (*p == '"' || *p == '\\')
				strbuf_addf(out, "\\%c", *p);
			else if (*p < 0x20)
				strbuf_addf(out, "\\u%04x", *p);
			else
				strbuf_addch(out, (char)*p);
		}
		strbuf_addch(out, '"');
	}
	strbuf_addch(out, ']');
}

int db__run(struct db_stmt *s, struct crm_err *err)
{
	int rc;

	while ((rc = db__step(s, err)) == 1)
		;
	db__release(s);
	return rc;
}

/* ---- schema ---- */

/* The schema version this build knows: every dialect's migrations reach the same one
 * (tests/unit/store/test_migrations.c). */
static int binary_version(void)
{
	int v = 0;

	for (int i = 0; i < migrations_count; i++)
		if (migrations[i].version > v)
			v = migrations[i].version;
	return v;
}

static int read_version(struct db_conn *c, int *out, struct crm_err *err)
{
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db__prepare(c, "SELECT coalesce(max(version), 0) FROM schema_migrations", &s,
			      err)))
		return rc;
	rc = db__step(s, err);
	if (rc == 1) {
		*out = (int)db__col_int(s, 0);
		rc = 0;
	} else if (rc == 0) {
		*out = 0;
	}
	db__release(s);
	return rc;
}

static int newer_error(int v_db, struct crm_err *err)
{
	return crm_err_set(err, CRM_ESCHEMA, NULL,
			   "database schema version %d is newer than this telcrm (knows up to %d);"
			   " upgrade telcrm",
			   v_db, binary_version());
}

int db_schema_version(struct db *db, int *out_db, int *out_binary, struct crm_err *err)
{
	struct db_conn *c = db__reader(db, err);
	int v = 0, rc;

	if (!c)
		return err ? err->code : CRM_EIO;
	if ((rc = read_version(c, &v, err)))
		return rc;
	*out_db = v;
	*out_binary = binary_version();
	return 0;
}

/* Applies the first migration newer than the database, in its own transaction;
 * *out_done is false when there was none. */
static int migrate_one(struct db *db, bool *out_done, struct crm_err *err)
{
	const struct migration *m = NULL;
	struct db_tx *tx = NULL;
	struct db_stmt *s = NULL;
	int v = 0, rc;

	*out_done = false;
	if ((rc = db_tx_begin(db, &tx, err)))
		return rc;
	/* read under the schema lock: another process may have migrated meanwhile */
	if ((db->be->lock_schema && (rc = db->be->lock_schema(tx->conn, err))) ||
	    (rc = read_version(tx->conn, &v, err)))
		goto out;
	if (v > binary_version()) {
		rc = newer_error(v, err);
		goto out;
	}
	for (int i = 0; i < *db->be->nmigrations; i++) {
		const struct migration *x = &db->be->migrations[i];

		if (x->version > v && (!m || x->version < m->version))
			m = x;
	}
	if (!m)
		goto out;
	if ((rc = db__exec(tx->conn, m->sql, err))) {
		char why[CRM_ERR_DETAIL_MAX];

		if (err) {
			memcpy(why, err->detail, sizeof(why));
			crm_err_detail(err, "in migration '%s': %s", m->name, why);
		}
		goto out;
	}
	if ((rc = db__prepare(tx->conn,
			      "INSERT INTO schema_migrations (version, name, applied_ms)"
			      " VALUES (?, ?, ?)",
			      &s, err)))
		goto out;
	db__bind_int(s, 1, m->version);
	db__bind_text(s, 2, m->name);
	db__bind_int(s, 3, time_now_ms());
	if ((rc = db__run(s, err)))
		goto out;
	rc = db_tx_commit(tx, err);
	tx = NULL;
	if (!rc) {
		*out_done = true;
		log_info("db.migrate", "version=%d name=%s", m->version, m->name);
	}
out:
	db_tx_rollback(tx);
	return rc;
}

int db_migrate(struct db *db, int *out_applied, struct crm_err *err)
{
	int applied = 0, rc;
	bool done;

	while (!(rc = migrate_one(db, &done, err)) && done)
		applied++;
	if (out_applied)
		*out_applied = applied;
	return rc;
}

/* Creates the migration ledger if the database is new. */
static int ensure_ledger(struct db *db, struct crm_err *err)
{
	struct db_tx *tx = NULL;
	int rc;

	if ((rc = db_tx_begin(db, &tx, err)))
		return rc;
	if ((db->be->lock_schema && (rc = db->be->lock_schema(tx->conn, err))) ||
	    (rc = db__exec(tx->conn,
			   "CREATE TABLE IF NOT EXISTS schema_migrations ("
			   "version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
			   " applied_ms BIGINT NOT NULL)",
			   err))) {
		db_tx_rollback(tx);
		return rc;
	}
	return db_tx_commit(tx, err);
}

/* ---- lifecycle ---- */

/* Picks the backend from the URL and what it should open; CRM_EINVAL when unsupported. */
static int parse_url(const char *url, const struct db_backend **out_be, const char **out_path,
		     struct crm_err *err)
{
	if (!url || !*url)
		return crm_err_set(err, CRM_EINVAL, "db", "no database given");
	if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0) {
		*out_be = &db_pg_backend;
		*out_path = url; /* libpq reads the URL itself */
		return 0;
	}
	if (strncmp(url, "file://", 7) == 0)
		url += 7;
	else if (strncmp(url, "file:", 5) == 0)
		url += 5;
	if (!*url)
		return crm_err_set(err, CRM_EINVAL, "db", "no database path given");
	*out_be = &db_sqlite_backend;
	*out_path = url;
	return 0;
}

int db_open(const char *url, const struct db_open_opts *opts, struct db **out, struct crm_err *err)
{
	const struct db_backend *be = NULL;
	const char *path = NULL;
	struct db *db = NULL;
	int v = 0, rc;

	*out = NULL;
	if ((rc = parse_url(url, &be, &path, err)))
		return rc;
	/* only serve and migrate create a database: a typo elsewhere must not leave a file */
	if ((!opts || !opts->migrate) && be == &db_sqlite_backend && access(path, F_OK) != 0)
		return crm_err_set(err, CRM_EIO, "db", "database '%s' does not exist", path);
	db = xcalloc(1, sizeof(*db));
	db->be = be;
	db->url = xstrdup(path);
	db->busy_timeout_ms =
		opts && opts->busy_timeout_ms > 0 ? opts->busy_timeout_ms : DEFAULT_BUSY_TIMEOUT_MS;
	db->writer_cache_mb = opts ? opts->writer_cache_mb : 0;
	pthread_mutex_init(&db->write_lock, NULL);
	pthread_mutex_init(&db->group_lock, NULL);
	pthread_cond_init(&db->group_done, NULL);
	pthread_mutex_init(&db->readers_lock, NULL);
	if (pthread_key_create(&db->reader_key, reader_destroy))
		CRM_BUG("out of thread-specific keys");

	if ((rc = conn_open(db, true, &db->writer, err)) || (rc = ensure_ledger(db, err)) ||
	    (rc = read_version(db->writer, &v, err)))
		goto out;
	if (v > binary_version()) {
		rc = newer_error(v, err);
		goto out;
	}
	if (v < binary_version()) {
		if (!opts || !opts->migrate) {
			rc = crm_err_set(err, CRM_ESCHEMA, NULL,
					 "database schema version %d is older than this telcrm"
					 " (version %d); run 'telcrm migrate'",
					 v, binary_version());
			goto out;
		}
		if ((rc = db_migrate(db, NULL, err)))
			goto out;
	}
	if (opts && opts->watch && be->watch_start &&
	    (rc = be->watch_start(db->url, &db->all_identity, &db->watch_lost, &db->watch, err)))
		goto out;
	log_info("db.open", "backend=%s schema=%d", be->name, binary_version());
out:
	if (rc) {
		db_close(db);
		return rc;
	}
	*out = db;
	return 0;
}

void db_close(struct db *db)
{
	struct reader *r, *next;

	if (!db)
		return;
	if (db->watch)
		db->be->watch_stop(db->watch);
	/* no destructor may run for this db once it is gone */
	pthread_key_delete(db->reader_key);
	pthread_mutex_lock(&db->readers_lock);
	for (r = db->readers; r; r = next) {
		next = r->next;
		conn_close(r->conn);
		free(r);
	}
	db->readers = NULL;
	pthread_mutex_unlock(&db->readers_lock);
	group_flush(db, false); /* none is left open by a writer that returned; for safety */
	conn_close(db->writer);
	pthread_mutex_destroy(&db->readers_lock);
	pthread_mutex_destroy(&db->write_lock);
	pthread_mutex_destroy(&db->group_lock);
	pthread_cond_destroy(&db->group_done);
	free(db->url);
	free(db);
}

int db_backup(struct db *db, const char *path, struct crm_err *err)
{
	struct db_conn *c = NULL;
	int64_t t0 = time_mono_ns();
	int rc;

	/* a connection of its own: the copy holds a read snapshot for its whole length */
	if ((rc = conn_open(db, false, &c, err)))
		return rc;
	rc = db->be->backup(c, path, err);
	conn_close(c);
	if (!rc)
		log_info("db.backup", "ms=%lld", (long long)((time_mono_ns() - t0) / 1000000));
	return rc;
}
