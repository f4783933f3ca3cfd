/*
 * Private to store/: connections, cached statements and the backend vtable. The
 * resource files (audit.c, outbox.c, org.c, ...) write their SQL against the db__*
 * statement API below, with `?` placeholders; a backend translates what it must.
 */
#ifndef CRM_DB_INT_H
#define CRM_DB_INT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"
#include "store/db.h"

struct arena;
struct db_conn;
struct db_stmt;
struct db__cache;
struct db__cache_entry;

/* db.c's part of every connection and statement. A backend's struct db_conn and struct
 * db_stmt begin with these as their first member (zero-filled by the backend; db.c sets
 * them), so the backend-independent code reaches the vtable, the statement cache and the
 * stats without knowing the backend's structs. */
struct db__conn_head {
	const struct db_backend *be;
	struct db *db;
	struct db__cache *cache;
};
struct db__stmt_head {
	struct db_conn *conn;
	struct db__cache_entry *entry; /* NULL: not cached, finalized on release */
};

/* What a backend provides. Connections and statements are the backend's own structs,
 * opaque here. A backend never sees JSON or HTTP; errors map to CRM_E* codes:
 * constraint violations to CRM_ECONFLICT, lock timeouts to CRM_EBUSY, the rest CRM_EIO. */
enum db_dialect { DB_DIALECT_SQLITE, DB_DIALECT_PG };

struct migration;

struct db_backend {
	const char *name;
	enum db_dialect dialect; /* for the few statements written per dialect */
	/* writer: the connection that writes; otherwise a read-only reader */
	/* cache_mb: the page cache (0: the backend's default) */
	int (*conn_open)(const char *url, bool writer, int busy_timeout_ms, int cache_mb,
			 struct db_conn **out, struct crm_err *err);
	void (*conn_close)(struct db_conn *c);
	int (*exec)(struct db_conn *c, const char *sql, struct crm_err *err); /* many statements */
	int (*prepare)(struct db_conn *c, const char *sql, size_t len, struct db_stmt **out,
		       struct crm_err *err);
	void (*finalize)(struct db_stmt *s);
	void (*reset)(struct db_stmt *s); /* also clears bindings */
	void (*bind_text)(struct db_stmt *s, int i, const char *v, size_t len);
	void (*bind_int)(struct db_stmt *s, int i, int64_t v);
	void (*bind_double)(struct db_stmt *s, int i, double v);
	void (*bind_null)(struct db_stmt *s, int i);
	int (*step)(struct db_stmt *s, struct crm_err *err); /* 1 row, 0 done, <0 error */
	bool (*col_is_null)(struct db_stmt *s, int i);
	const char *(*col_text)(struct db_stmt *s, int i, size_t *len);
	int64_t (*col_int)(struct db_stmt *s, int i);
	double (*col_double)(struct db_stmt *s, int i);
	int64_t (*changes)(struct db_conn *c);
	int (*begin_write)(struct db_conn *c, struct crm_err *err);
	int (*commit)(struct db_conn *c, struct crm_err *err);
	void (*rollback)(struct db_conn *c);
	int (*backup)(struct db_conn *src, const char *path, struct crm_err *err);
	/* in a write transaction: waits until no other process changes the schema (NULL:
	 * the write lock does it) */
	int (*lock_schema)(struct db_conn *c, struct crm_err *err);
	/* A bulk load into one table (NULL: the backend has none, as SQLite's), in a write
	 * transaction: copy_begin starts it for the named columns, copy_row sends one row
	 * (n values, each len bytes; NULL: SQL NULL), copy_end finishes it and gives how
	 * many rows the database took — or, with abort set, abandons it. Nothing else runs
	 * on the connection between copy_begin and copy_end. The database checks the rows
	 * (types, constraints) at copy_end at the latest. */
	int (*copy_begin)(struct db_conn *c, const char *table, const char *const *columns,
			  int ncolumns, struct crm_err *err);
	int (*copy_row)(struct db_conn *c, const char *const *vals, const size_t *lens, int n,
			struct crm_err *err);
	int (*copy_end)(struct db_conn *c, bool abort, int64_t *out_rows, struct crm_err *err);
	/* In a write transaction (NULL: the backend has no such thing, and every INSERT runs
	 * as it comes): DB_BULK_START holds the rows of plain INSERTs ("INSERT INTO t (…)
	 * VALUES (…)", values `?` or literals) from now on and sends them in bulk before the
	 * next other statement; DB_BULK_SEND sends what is held and ends it; DB_BULK_DROP
	 * forgets it (a rollback follows). A held row's error comes from the statement that
	 * sends it. */
	int (*bulk_inserts)(struct db_conn *c, int how, struct crm_err *err);
	/* the mark of the rows held from now on, given to err->at when one of them fails */
	void (*bulk_mark)(struct db_conn *c, int64_t mark);
	/* run in a transaction that changed identities, so that other processes hear of
	 * it at its commit (watch_start); NULL: no such signal */
	const char *identity_notify;
	/* follows the identity changes of every process: bumps *commits at each, and holds *lost
	 * non-zero while it cannot tell (NULL: no such signal); watch_stop ends it */
	int (*watch_start)(const char *url, _Atomic uint64_t *commits, _Atomic int *lost,
			   void **out, struct crm_err *err);
	void (*watch_stop)(void *w);
	const struct migration *migrations; /* the dialect's (migrations.h) */
	const int *nmigrations;
};

enum { DB_BULK_START, DB_BULK_SEND, DB_BULK_DROP };

extern const struct db_backend db_sqlite_backend;
extern const struct db_backend db_pg_backend;

/* The dialect of the database c or s belongs to. */
enum db_dialect db__dialect(struct db_conn *c);

/* The calling thread's reader connection, opened on first use. */
struct db_conn *db__reader(struct db *db, struct crm_err *err);
/* The writer connection of an open transaction. */
struct db_conn *db__tx_conn(struct db_tx *tx);

/* A cached prepared statement for sql on connection c (cache keyed by the text). The
 * statement is borrowed until db__release(). Not thread-safe: a connection belongs to
 * one thread (readers) or to the transaction holder (writer). */
int db__prepare(struct db_conn *c, const char *sql, struct db_stmt **out, struct crm_err *err);
void db__release(struct db_stmt *s);

/* Parameters are numbered from 1. A NULL text binds SQL NULL. */
void db__bind_text(struct db_stmt *s, int i, const char *v);
void db__bind_textn(struct db_stmt *s, int i, const char *v, size_t len);
void db__bind_int(struct db_stmt *s, int i, int64_t v);
void db__bind_double(struct db_stmt *s, int i, double v);
void db__bind_null(struct db_stmt *s, int i);

/* 1 when a row is ready, 0 when done, negative CRM_E* on error. */
int db__step(struct db_stmt *s, struct crm_err *err);
/* Columns are numbered from 0. Text is valid until the next step or release. */
bool db__col_is_null(struct db_stmt *s, int i);
const char *db__col_text(struct db_stmt *s, int i);
/* The same with its length in bytes (*len: 0 for SQL NULL), for text that may hold NULs. */
const char *db__col_textn(struct db_stmt *s, int i, size_t *len);
/* The column's text copied into the arena; NULL for SQL NULL. */
char *db__col_dup(struct db_stmt *s, int i, struct arena *a);
int64_t db__col_int(struct db_stmt *s, int i);
double db__col_double(struct db_stmt *s, int i);
/* Rows changed by the last statement on c. */
int64_t db__changes(struct db_conn *c);
int db__exec(struct db_conn *c, const char *sql, struct crm_err *err);

/* The backend's bulk load (struct db_backend's copy_*): db__copy_can tells whether c's
 * backend has one; the others return its codes (CRM_EINVAL when it has none). */
bool db__copy_can(struct db_conn *c);
int db__copy_begin(struct db_conn *c, const char *table, const char *const *columns, int ncolumns,
		   struct crm_err *err);
int db__copy_row(struct db_conn *c, const char *const *vals, const size_t *lens, int n,
		 struct crm_err *err);
int db__copy_end(struct db_conn *c, bool abort, int64_t *out_rows, struct crm_err *err);

/* A list of values as one parameter, for "x IN (SELECT value FROM <db__values(c)>)":
 * the FROM item of c's dialect that turns the JSON array of strings bound to its `?` into
 * rows of one column, value; db__json_strings writes that array of the n strings (NULLs
 * left out). */
const char *db__values(struct db_conn *c);
void db__json_strings(struct strbuf *out, const char *const *v, size_t n);

/* Runs a statement that returns no rows (INSERT/UPDATE/DELETE) to completion and
 * releases it, on success and on error alike (db__changes still reports its rows). */
int db__run(struct db_stmt *s, struct crm_err *err);

/* Binds the scope as two parameters i and i+1 for "col >= ? AND col < ?" (scope.c). */
void db__bind_scope(struct db_stmt *s, int i, struct db_scope scope, struct arena *a);

/* List filters: an API attribute maps to a column of a given kind. */
enum db_col_kind { DB_COL_TEXT, DB_COL_INT, DB_COL_TIME /* ms column, ISO-8601 in filters */ };
struct db_field_map {
	const char *field; /* API attribute, e.g. "parentId" */
	const char *column;
	enum db_col_kind kind;
};
struct strbuf;
/* Appends " AND column op ?" (or "column IN (?,…)") for each filter of opts to sql and
 * checks the values; CRM_EINVAL for an attribute not in map (terminated by {NULL}) or a
 * value of the wrong kind (filter.c). */
int db__where_filters(struct strbuf *sql, const struct db_field_map *map,
		      const struct db_list_opts *opts, struct crm_err *err);
/* Binds the values that db__where_filters placed, from parameter i; returns the next
 * parameter index. */
int db__bind_filters(struct db_stmt *s, int i, const struct db_field_map *map,
		     const struct db_list_opts *opts);

/* ---- shared by the resource files (list.c) ---- */

/* The connection for a read: tx's when not NULL, else the calling thread's reader. */
struct db_conn *db__conn_of(struct db *db, struct db_tx *tx, struct crm_err *err);

/* Steps a one-row query, reads the row with read_row and releases s; CRM_ENOTFOUND
 * "<what> '<key>' not found" when there is no row. */
int db__get_one(struct db_stmt *s, struct arena *a, void *out,
		void (*read_row)(struct db_stmt *s, struct arena *a, void *item), const char *what,
		const char *key, struct crm_err *err);

/* A list: count_sql ("SELECT count(*) … %s") and page_sql ("SELECT … %s ORDER BY …
 * LIMIT ? OFFSET ?"), where %s receives the filters' " AND …" text. Before the filters
 * come the scope's two parameters (when scoped) and then nargs text parameters. */
struct db__list {
	const char *count_sql, *page_sql;
	bool scoped;
	struct db_scope scope;
	const char *args[2]; /* NULL binds SQL NULL */
	int nargs;
	const struct db_field_map *map;
	size_t item_size;
	void (*read_row)(struct db_stmt *s, struct arena *a, void *item);
};
/* Runs q on the thread's reader: *out_total rows match, *out holds the page (an array of
 * item_size items in the arena) and *out_n its length. */
int db__list_run(struct db *db, const struct db__list *q, const struct db_list_opts *opts,
		 struct arena *a, void **out, size_t *out_n, int64_t *out_total,
		 struct crm_err *err);

/* Runs an UPDATE … WHERE id = ? AND version = ? on c to completion (releasing s);
 * CRM_ESTALE "<what> '<id>' was changed by someone else" when no row had that version. */
int db__run_versioned(struct db_conn *c, struct db_stmt *s, const char *what, const char *id,
		      struct crm_err *err);

/* Test hook: the nth_step_fails-th call to db__step from now (1 = the next one) fails with
 * CRM_EIO, as a disk error would; 0 disarms. Counts steps of all threads. */
void db__fault_inject(int nth_step_fails);

/* The backend of a database (for dialect-specific SQL in resource files, rarely needed). */
const struct db_backend *db__backend(const struct db *db);

/* ---- search indexes (search.c) ---- */

/* The phone_key key of a phone number: its digits, without a fixed line's extension,
 * reversed into out (cap bytes with the NUL). Returns the length; 0 for no digits. */
size_t db__phone_key(const char *number, char *out, size_t cap);

#endif
