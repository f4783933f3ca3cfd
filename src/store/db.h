/*
 * The storage interface. Everything above store/ reaches the database through these
 * functions only: no SQL, no backend type, no connection handling above this line. A
 * backend (sqlite.c today, pg.c later) fills struct db_backend (db_int.h).
 *
 * Concurrency: one writer connection serialises every write transaction (BEGIN IMMEDIATE
 * on SQLite); reads outside a transaction use the calling thread's own reader connection.
 * All functions are thread-safe unless noted.
 */
#ifndef CRM_DB_H
#define CRM_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ctx.h"
#include "core/err.h"

struct arena;
struct db;
struct db_tx;

/* ---- lifecycle ---- */

struct db_open_opts {
	bool migrate;	     /* apply pending migrations (serve, migrate); else refuse a stale db */
	int busy_timeout_ms; /* how long a connection waits for a lock (0: 5000) */
	/* the writer's page cache in MB (0: 64). Bulk loads want the pages a batch dirties to
	 * stay in memory until its commit: each is then written once per batch. */
	int writer_cache_mb;
	/* count other processes' identity changes too in db_identity_generation (serve):
	 * on PostgreSQL a connection listens for them; SQLite has no such signal */
	bool watch;
};

/* Opens url ("./telcrm.db", "file:/path/x.db", "postgresql://user@host/db"), creating a
 * SQLite file if needed, and brings its schema to this binary's version
 * when opts->migrate. Errors: CRM_ESCHEMA when the database's schema is newer than the
 * binary (or older and !migrate), CRM_EIO when it cannot be opened. Caller frees with
 * db_close(). */
int db_open(const char *url, const struct db_open_opts *opts, struct db **out, struct crm_err *err);

/* Closes every connection (readers of all threads included). No transaction may be open. */
void db_close(struct db *db);

/* Schema version of the database and the newest this binary knows. */
int db_schema_version(struct db *db, int *out_db, int *out_binary, struct crm_err *err);

/* Applies pending migrations; *out_applied gets how many. CRM_ESCHEMA if the database is
 * newer than the binary. */
int db_migrate(struct db *db, int *out_applied, struct crm_err *err);

/* An online, consistent copy of the whole database into path (which must not exist),
 * taken while other threads keep reading and writing. */
int db_backup(struct db *db, const char *path, struct crm_err *err);

/* ---- copying a database into another (copy.c) ----
 *
 * A SQLite database into a PostgreSQL one, table by table: each table of the target's
 * schema (but the migration ledger) that the source has too, in the order of their
 * foreign keys, is loaded in one transaction of the target that also reads the rows back,
 * compares their count and checksum with the source's and records the table as done in
 * the target's table copy_progress. A copy stopped half-way thus goes on, when run again,
 * with the first table not done, and one run again after it finished changes nothing.
 * The source is read in one snapshot and never written; the target must be empty but for
 * the rows its migrations seed (the root unit HQ, the built-in roles), which the source's
 * replace, or hold a copy of this same source begun before. Not thread-safe: one thread
 * runs a copy from db_copy_open to db_copy_free. */

struct db_copy;

/* A table of a copy. */
struct db_copy_table {
	const char *name;
	int64_t rows;	   /* the source's (in the snapshot) */
	bool done;	   /* copied and verified */
	bool before;	   /* done by an earlier run */
	char checksum[17]; /* of the table's rows once done: 16 hex digits */
};

enum db_copy_phase {
	DB_COPY_LOADING,   /* rows sent to the target */
	DB_COPY_VERIFYING, /* rows read back */
};

/* Plans the copy of src into dst: reads the target's catalogue and the source's columns,
 * orders the tables, takes the source's snapshot, and checks that the target may take the
 * copy (creating copy_progress in it the first time). Errors: CRM_EINVAL when src is not a
 * SQLite database or dst not a PostgreSQL one, CRM_ESCHEMA when their schema versions
 * differ, CRM_ECONFLICT when the target holds other data (or a copy of another source, or
 * changed since a table was copied), CRM_EIO. Caller frees with db_copy_free(). */
int db_copy_open(struct db *src, struct db *dst, struct db_copy **out, struct crm_err *err);

/* The copy's tables in the order they are copied, *out_n of them; borrowed until
 * db_copy_free(). */
const struct db_copy_table *db_copy_tables(const struct db_copy *c, size_t *out_n);

/* Copies table i unless it is done: loads it batch rows to a bulk load (a table whose
 * foreign keys name itself in one), reads it back and compares, and records it — all in
 * one transaction, so a failure or a kill leaves the table as it was. progress (may be
 * NULL) is called as rows go and come back. Errors: CRM_EIO when the copy differs from
 * the source ("table 'x' has … rows in the copy but … in the source", or its checksum),
 * the target's refusal of a row (CRM_ECONFLICT for a constraint, CRM_EINVAL for a value it
 * cannot store), CRM_EIO. */
int db_copy_table(struct db_copy *c, size_t i, int64_t batch,
		  void (*progress)(void *arg, const struct db_copy_table *t,
				   enum db_copy_phase phase, int64_t done),
		  void *arg, struct crm_err *err);

/* Ends the source's snapshot and frees c. NULL is a no-op. */
void db_copy_free(struct db_copy *c);

/* Releases the calling thread's reader connection (call before a worker thread exits). */
void db_thread_done(struct db *db);

struct db_stats {
	uint64_t tx_commits, tx_rollbacks;
	uint64_t write_wait_ns; /* total time spent waiting for the writer */
	uint64_t readers_open;
	uint64_t stmt_prepares, stmt_cache_hits;
};
void db_stats_get(struct db *db, struct db_stats *out);
/* A number that grows with every committed change to who may do what — a write to the
 * users, roles, their grants, API tokens or org units (db.c: identity_write) — made by
 * this process and, when opened with opts->watch on PostgreSQL, by any other (a few
 * milliseconds after; while that signal is lost the number moves at each call): a cache
 * of identities read at one value is current while the value has not moved. */
uint64_t db_identity_generation(struct db *db);
const char *db_backend_name(const struct db *db);

/* ---- transactions ---- */

/* Begins the one write transaction (waits for the writer). Caller ends it with
 * db_tx_commit() or db_tx_rollback(); *out is NULL on error. CRM_EBUSY on timeout. */
int db_tx_begin(struct db *db, struct db_tx **out, struct crm_err *err);
/* Commits; on failure the transaction is rolled back and tx is gone either way. */
int db_tx_commit(struct db_tx *tx, struct crm_err *err);
/* Rolls back and ends tx. NULL is a no-op. */
void db_tx_rollback(struct db_tx *tx);
/* Bulk inserts, for a bulk job whose rows cannot be refused (it looked their unique keys
 * up first): from now to its commit, the transaction's plain INSERTs (db_row_insert, the
 * phone keys, audit rows) are gathered and sent in bulk before its next other statement
 * (PostgreSQL: a COPY per table; foreign keys checked at the commit). A held row's error
 * comes from that statement or from the commit, not from its INSERT. Nothing changes on
 * SQLite, whose INSERTs cost no round trip, nor in a transaction that joined another's
 * commit (group commit). */
int db_tx_bulk_inserts(struct db_tx *tx, struct crm_err *err);
/* The rows held from now on are the caller's record mark (a line of its file, say): when
 * one of them fails, the error's `at` is its mark. */
void db_tx_bulk_mark(struct db_tx *tx, int64_t mark);

/* ---- data scope ---- */

/* Which org subtree a read or write may touch: rows whose org path starts with
 * org_path. Every store function on business tables takes one; system jobs pass
 * db_scope_all(). */
struct db_scope {
	const char *org_path; /* "/HQ/GD/GZ/" ; "/" is everything */
	const char *owner_id; /* DB_SCOPE_OWNER tables, and own below: the owner's rows (NULL:
				 all) */
	bool exact;	      /* the unit of org_path alone, not those below it */
	bool own;	      /* the rows owner_id owns, wherever they lie, of an owned table;
				 of any other, the unit of org_path alone (exact) */
};
struct db_scope db_scope_all(void);
struct crm_ctx;
/* The caller's own scope: their org unit and everything under it. */
struct db_scope db_scope_of(const struct crm_ctx *ctx);
/* How far the caller reaches with permission perm (one bit; 0: any authenticated
 * caller, the caller's own scope): the depth their roles give it (ctx.h), from their
 * unit. The path is allocated in ctx's arena when it is not the caller's own. */
struct db_scope db_scope_for(const struct crm_ctx *ctx, uint64_t perm);
/* The caller's scope at a depth from their unit (their province: CRM_DEPTH_PROVINCE). */
struct db_scope db_scope_at(const struct crm_ctx *ctx, enum crm_depth depth);
/* True when a row of the unit at path lies in scope; owned: the row is of an owned table
 * (db_table.owned), owner its owner (NULL: none). */
bool db_scope_holds(struct db_scope scope, const char *path, bool owned, const char *owner);

/* ---- lists: paging and attribute filters (TMF conventions, parsed by http/) ---- */

enum db_filter_op { DB_EQ, DB_GT, DB_GTE, DB_LT, DB_LTE };

struct db_filter {
	const char *field; /* API attribute name, mapped by the store file to a column */
	enum db_filter_op op;
	const char *const *values; /* DB_EQ: any of these (comma list); others: values[0] */
	size_t nvalues;
};

struct db_list_opts {
	int64_t offset, limit;
	const struct db_filter *filters;
	size_t nfilters;
	const char *sort;   /* "name,-lastUpdate", or NULL */
	const char *cursor; /* where a page starts (the resource layer's token), or NULL */
	bool uncounted;	    /* the total is not wanted (a list by known ids): no count */
};

/* ---- rows: the generic statements of a resource's table (row.c) ----
 *
 * A resource table is described once (struct db_table, built by the domain from its field
 * table) and its SELECT, INSERT, UPDATE and DELETE are generated from the description. A
 * row is the caller's own struct: it begins with struct db_row, and each further column
 * names the offset of its value in it. The store knows the columns and their C types, not
 * what the values mean or how the resource looks in JSON. */

enum db_ctype {
	DB_TEXT, /* const char * (NULL: SQL NULL) */
	DB_INT,	 /* int64_t */
	DB_REAL, /* double */
	DB_BOOL, /* bool, stored as 0 or 1 */
};

/* The head of every row struct: the columns every resource table has, and those its kind
 * of scope adds. */
struct db_row {
	const char *id;
	const char *org_id;   /* DB_SCOPE_UNIT: the owning unit */
	const char *org_path; /* DB_SCOPE_UNIT: that unit's path (read only); DB_SCOPE_PATH:
				 the row's own path */
	const char *owner_id; /* DB_SCOPE_OWNER, and owned tables: the owning user */
	const char *doc;      /* the document column's text, for tables that have one */
	int64_t version, created_ms, updated_ms, deleted_ms;
};

struct db_column {
	const char *name; /* the SQL column */
	enum db_ctype type;
	size_t offset;	/* of the value in the row struct */
	unsigned flags; /* DB_COL_* */
};
/* A NOT NULL text column whose '' stands for no value: NULL is written as '', and '' read
 * back as NULL. */
#define DB_COL_EMPTY_IS_NULL 1u

/* Which rows a scope reaches in a table. */
enum db_scope_kind {
	DB_SCOPE_NONE,	/* platform rows, seen by everyone allowed to read them (roles) */
	DB_SCOPE_UNIT,	/* rows owned by an org unit (org_id), reached through its path */
	DB_SCOPE_PATH,	/* the org units themselves: the row's own path column */
	DB_SCOPE_OWNER, /* rows owned by a user (owner_id): the owner's alone */
};

struct db__table_sql;

struct db_table {
	const char *name;		 /* "customer" */
	const char *what;		 /* the row's name in messages: "customer" */
	const struct db_column *columns; /* the columns beyond the head's, {NULL}-terminated */
	enum db_scope_kind scope;
	bool soft_delete; /* deleted_ms: a delete hides the row, which stays for the audit */
	bool doc;	  /* a doc column (JSON text, the domain's) */
	bool owned;	  /* DB_SCOPE_UNIT: each row also has an owning user (owner_id, NULL: none),
			     through whom the own-records depth reaches it */
	/* tables holding several kinds of row (party: individuals and organizations): the
	 * column that tells them apart and this table's value of it, or NULL */
	const char *kind_column, *kind_value;
	struct db__table_sql *sql; /* the generated statements (db_table_init) */
};

/* Generates t's statements. Called once per table while the program starts, before any
 * other thread uses t; the text lives as long as the process. */
void db_table_init(struct db_table *t);

/* A value of a filter, a cursor or a key: s for DB_TEXT, i for DB_INT and DB_BOOL, d for
 * DB_REAL; null for SQL NULL. */
struct db_value {
	const char *s;
	int64_t i;
	double d;
	bool null;
};

/* column op value: DB_EQ with several values means any of them (IN). Column names come
 * from the caller's table description, never from a request. */
struct db_cond {
	const char *column;
	enum db_ctype type;
	enum db_filter_op op;
	const struct db_value *values;
	size_t nvalues;
};

struct db_order {
	const char *column;
	enum db_ctype type;
	bool desc;
};

/* A page of a list: rows matching every cond, ordered by order and then by id (in the
 * direction of the last key; newest first when order is empty), from offset, or after the
 * row whose keys (one value per order key, then the id) are in after — a cursor, which
 * rows inserted or deleted meanwhile cannot shift. NULL sorts before every value. */
struct db_query {
	const struct db_cond *conds;
	size_t nconds;
	const struct db_order *order;
	size_t norder;
	const struct db_value *after;
	int64_t offset, limit;
	bool count; /* also count the matching rows into *out_total (else it is -1) */
};

/* Reads one row in scope by id (live rows only, for soft-delete tables), through tx when
 * not NULL (else the thread's reader), into out (a row struct). CRM_ENOTFOUND
 * "<what> '<id>' not found" when absent, deleted or outside the scope. Strings allocated
 * in the arena. */
int db_row_get(struct db *db, struct db_tx *tx, const struct db_table *t, struct db_scope scope,
	       const char *id, struct arena *a, void *out, struct crm_err *err);
/* The same by the value of a text column (a unique one: the first row that has it). */
int db_row_get_by(struct db *db, struct db_tx *tx, const struct db_table *t, struct db_scope scope,
		  const char *column, const char *value, struct arena *a, void *out,
		  struct crm_err *err);
/* A page of rows in scope (an array of row_size structs in the arena). */
int db_row_list(struct db *db, const struct db_table *t, struct db_scope scope,
		const struct db_query *q, size_t row_size, struct arena *a, void **out,
		size_t *out_n, int64_t *out_total, struct crm_err *err);
/* Inserts row. CRM_ECONFLICT when a unique key is taken, with err->field naming the
 * first column of that key when the backend tells it. */
int db_row_insert(struct db_tx *tx, const struct db_table *t, const void *row, struct crm_err *err);
/* Writes every column but id and created_ms and sets version to row->version + 1, where
 * the live row still has row->version (CRM_ESTALE "<what> '<id>' was changed by someone
 * else" otherwise); CRM_ECONFLICT as on insert. */
int db_row_update(struct db_tx *tx, const struct db_table *t, const void *row, struct crm_err *err);
/* Deletes the row at row->version (CRM_ESTALE otherwise): soft-delete tables set
 * deleted_ms (row->deleted_ms) and keep it. */
int db_row_delete(struct db_tx *tx, const struct db_table *t, const void *row, struct crm_err *err);

/* Calls fn with each live row of t in scope, oldest first (by id), and the live row of t2
 * that its column join_column names (t2's columns and head but its org path), from one
 * snapshot; rows are in a, which fn may reset; fn's nonzero return stops the walk and is
 * returned. For exports. */
int db_row_each_joined(struct db *db, const struct db_table *t, const char *join_column,
		       const struct db_table *t2, struct db_scope scope, struct arena *a,
		       size_t row_size, size_t row2_size,
		       int (*fn)(void *arg, void *row, void *row2), void *arg, struct crm_err *err);

/* ---- the product catalogue (TMF620) beside its rows (catalog.c) ---- */

/* The records from_id names (NULL-ended; NULL: none, or from_id is gone), replacing those
 * it named before. */
int db_catalog_links_put(struct db_tx *tx, const char *from_id, const char *const *to_ids,
			 struct crm_err *err);
/* How many records name to_id (*n), and the first of them by id (*from_id, in a; NULL
 * when none). */
int db_catalog_linked_from(struct db_tx *tx, const char *to_id, struct arena *a,
			   const char **from_id, int64_t *n, struct crm_err *err);

/* ---- accounts, products and the number pool beside their rows (inventory.c) ---- */

/* How many products of product_type that are not terminated the party's customers hold,
 * except except_id (NULL: none): the real-name rule's count of mobile lines. */
int db_party_lines_count(struct db_tx *tx, const char *party_id, const char *product_type,
			 const char *except_id, int64_t *n, struct crm_err *err);
/* How many products that are not terminated the account bills. */
int db_account_lines_count(struct db_tx *tx, const char *account_id, int64_t *n,
			   struct crm_err *err);
/* How many products that are not terminated sit on the line parent_id. */
int db_product_children_count(struct db_tx *tx, const char *parent_id, int64_t *n,
			      struct crm_err *err);
/* Whether parent_id pays for one of the customer's accounts (a member of its hierarchy). */
int db_account_pays_for(struct db_tx *tx, const char *parent_id, const char *customer_id, bool *out,
			struct crm_err *err);
/* Sets a number's status as the line holding it moves (inUse with its customer and
 * product; quarantined until a time; free), ending any reservation. */
int db_number_hold(struct db_tx *tx, const char *number, const char *status,
		   const char *customer_id, const char *product_id, int64_t quarantine_until_ms,
		   int64_t now_ms, struct crm_err *err);
/* Moves the customer's accounts and products to its new unit. */
int db_customer_records_move(struct db_tx *tx, const char *customer_id, const char *org_id,
			     int64_t now_ms, struct crm_err *err);

/* ---- audit (append-only) ---- */

struct db_audit_row {
	int64_t seq; /* assigned on insert */
	int64_t at_ms;
	const char *actor;    /* login of who acted */
	const char *action;   /* "create", "update", "delete", "login", "deny", ... */
	const char *resource; /* "orgUnit", "customer", ... */
	const char *resource_id;
	/* the distribution key of the record (migration 0011): the customer's id for what a
	 * customer owns; NULL: resource_id, else actor */
	const char *dkey;
	const char *org_path; /* scope the row belongs to ("/" for platform rows) */
	const char *before;   /* JSON text or NULL */
	const char *after;    /* JSON text or NULL */
	const char *request_id;
};
int db_audit_insert(struct db_tx *tx, const struct db_audit_row *row, struct crm_err *err);
/* Rows visible in scope matching filters (actor, resource, resourceId, at.gte/at.lt),
 * newest first; items allocated in the arena. */
int db_audit_list(struct db *db, struct db_scope scope, const struct db_list_opts *opts,
		  struct arena *a, struct db_audit_row **out, size_t *out_n, int64_t *out_total,
		  struct crm_err *err);

/* ---- event outbox and hub listeners ---- */

struct db_event {
	int64_t seq; /* outbox order, assigned on insert */
	const char *event_id;
	const char *event_type; /* "CustomerCreateEvent" */
	const char *api;	/* "customerManagement", "telcrm" */
	const char *resource;	/* the changed record's resource ("customer"); NULL in rows
				   written before it was kept */
	const char *org_path;	/* the changed record's scope */
	const char *owner_id;	/* and its owning user, of an owned record (NULL: none) */
	int64_t at_ms;
	const char *payload; /* JSON text of the envelope */
};
int db_outbox_insert(struct db_tx *tx, struct db_event *ev, struct crm_err *err);
/* Up to limit events of api with seq > after_seq, oldest first. */
int db_outbox_after(struct db *db, const char *api, int64_t after_seq, size_t limit,
		    struct arena *a, struct db_event **out, size_t *out_n, struct crm_err *err);
int64_t db_outbox_last_seq(struct db *db);

/* What the sender needs of a listener (table hub_listener, whose records are the resource
 * layer's: domain/events.c). */
struct db_listener {
	const char *id;
	const char *api;
	const char *callback; /* URL events are POSTed to */
	const char *query;    /* "eventType=A,B" or NULL for all */
	const char *owner_id; /* the user who registered it (NULL: registered before owners) */
	int64_t created_ms;
	int64_t delivered_seq;	 /* last outbox seq delivered (or skipped) */
	int64_t next_attempt_ms; /* back-off after a failure */
	int64_t failures;	 /* consecutive failures */
	const char *last_error;
	const char *lease_owner; /* the sender that delivers its events (NULL: none yet) */
	int64_t lease_until_ms;	 /* … until then; after it, any sender may take it up */
};
/* Starts a new listener's cursor at the current outbox end (it receives events from now
 * on), in the transaction that registers it. */
int db_listener_start(struct db_tx *tx, const char *id, struct crm_err *err);
int db_listener_list_all(struct db *db, struct arena *a, struct db_listener **out, size_t *out_n,
			 struct crm_err *err);
/* Several servers on one database deliver each listener's events from one of them at a
 * time, the holder of its lease. db_listener_claim takes or renews the lease of listener
 * id for holder until until_ms when it is free, the holder's own, or ran out before
 * now_ms; *held tells whether holder has it. */
int db_listener_claim(struct db *db, const char *id, const char *holder, int64_t now_ms,
		      int64_t until_ms, bool *held, struct crm_err *err);
/* A server's presence: db_presence_beat notes holder as alive at now_ms, forgets the
 * servers not seen since stale_before_ms and gives how many are alive (holder among
 * them); db_presence_leave forgets holder (a server stopping). */
int db_presence_beat(struct db *db, const char *holder, int64_t now_ms, int64_t stale_before_ms,
		     int64_t *out_alive, struct crm_err *err);
int db_presence_leave(struct db *db, const char *holder, struct crm_err *err);
/* Lets every lease of holder go (a server stopping), so that others take them up now. */
int db_listener_release(struct db *db, const char *holder, struct crm_err *err);
/* Records progress (delivered_seq, failures=0, the lease until lease_until_ms) or a
 * failure (failures+1, next attempt), as the lease's holder; CRM_ENOTFOUND when the
 * listener is gone or its lease passed to another sender. */
int db_listener_progress(struct db *db, const char *id, const char *holder, int64_t delivered_seq,
			 int64_t lease_until_ms, struct crm_err *err);
int db_listener_failure(struct db *db, const char *id, const char *holder, int64_t next_attempt_ms,
			const char *error, struct crm_err *err);

/* ---- idempotency keys ---- */

struct db_idem {
	const char *key;
	const char *principal; /* who sent it: keys are per caller */
	const char *request_hash;
	int status; /* 0 while the first request has not finished */
	const char *location;
	const char *body;
	int64_t created_ms;
};
/* Looks the key up; CRM_ENOTFOUND if unknown. */
int db_idem_get(struct db *db, const char *principal, const char *key, struct arena *a,
		struct db_idem *out, struct crm_err *err);
/* Claims the key inside the transaction that makes the change (so key and change commit
 * together); CRM_ECONFLICT if it is already claimed. */
int db_idem_claim(struct db_tx *tx, const char *principal, const char *key,
		  const char *request_hash, struct crm_err *err);
/* Stores the response of the request that claimed the key. */
int db_idem_complete(struct db *db, const char *principal, const char *key,
		     const char *request_hash, int status, const char *location, const char *body,
		     struct crm_err *err);
/* Forgets keys older than before_ms; *out_n gets how many. */
int db_idem_expire(struct db *db, int64_t before_ms, int64_t *out_n, struct crm_err *err);

/* ---- org units ---- */

struct db_org_unit {
	const char *id; /* the unit's code: "GD-GZ" */
	const char *name;
	const char *kind; /* hq, province, city, hall, team */
	const char *parent_id;
	const char *path;   /* "/HQ/GD/GD-GZ/" */
	const char *status; /* active, closed */
	int64_t version, created_ms, updated_ms;
};

/* Reads one unit in scope, through tx when not NULL (else the thread's reader).
 * CRM_ENOTFOUND when absent or outside the scope. Strings allocated in the arena. */
int db_org_get(struct db *db, struct db_tx *tx, struct db_scope scope, const char *id,
	       struct arena *a, struct db_org_unit *out, struct crm_err *err);
/* After a unit's path changed from old_path to new_path (its row written), carries the
 * change to every unit below it. */
int db_org_move_subtree(struct db_tx *tx, const char *old_path, const char *new_path,
			struct arena *a, struct crm_err *err);
/* Active units directly under id. */
int db_org_count_active_children(struct db_tx *tx, const char *id, int64_t *out,
				 struct crm_err *err);

/* ---- identity: roles, users, sessions, API tokens ---- */

/* How many users hold the role (read through tx when not NULL). Roles themselves are a
 * resource table (role), described by the domain. */
int db_role_holders(struct db *db, struct db_tx *tx, const char *role_id, int64_t *out,
		    struct crm_err *err);

/* The users of table app_user as authentication reads them; the table itself is a
 * resource table described by the domain. */
struct db_user {
	const char *id;
	const char *login;
	const char *display_name;
	const char *org_id;
	const char *org_path; /* of the user's org unit (read only): the user's data scope */
	const char *status;   /* active, disabled */
	const char *mobile;
	const char *email;
	const char *password_hash;
	const char *roles;	 /* space-separated role ids (read only) */
	const char *permissions; /* the roles' permissions, space-separated (read only) */
	int64_t failed_logins, locked_until_ms, last_login_ms, password_changed_ms;
	int64_t version, created_ms, updated_ms;
};
/* Reads one user whose org unit lies in scope, through tx when not NULL. CRM_ENOTFOUND
 * when absent or outside the scope. */
int db_user_get(struct db *db, struct db_tx *tx, struct db_scope scope, const char *id,
		struct arena *a, struct db_user *out, struct crm_err *err);
/* The same by login. */
int db_user_get_by_login(struct db *db, struct db_tx *tx, struct db_scope scope, const char *login,
			 struct arena *a, struct db_user *out, struct crm_err *err);
/* The user's role ids and what they grant, each space-separated ("" when none), read
 * through tx when not NULL. */
int db_user_roles(struct db *db, struct db_tx *tx, const char *user_id, struct arena *a,
		  const char **roles, const char **permissions, struct crm_err *err);
/* Writes every stored column but id, login and created_ms, version+1, where the row still
 * has u->version (CRM_ESTALE otherwise). */
int db_user_update(struct db_tx *tx, const struct db_user *u, struct crm_err *err);
/* Login bookkeeping (failed_logins, locked_until_ms, last_login_ms) without a new
 * version: it is not an edit of the user. */
int db_user_login_state(struct db_tx *tx, const struct db_user *u, struct crm_err *err);
/* How many active users of the root unit (HQ) hold a role granting the permission perm
 * (a name such as "admin.roles"): those who may use it on what holds for the whole
 * operator. */
int db_user_count_root_holders(struct db_tx *tx, const char *perm, int64_t *out,
			       struct crm_err *err);
/* Replaces the user's roles. */
int db_user_set_roles(struct db_tx *tx, const char *user_id, const char *const *roles, size_t n,
		      struct crm_err *err);

struct db_session {
	const char *id_hash; /* SHA-256 of the session id, hex */
	const char *user_id;
	const char *csrf;
	int64_t created_ms, last_seen_ms, expires_ms;
};
int db_session_insert(struct db_tx *tx, const struct db_session *s, struct crm_err *err);
/* The session with this hash and its user (any scope). CRM_ENOTFOUND if absent. */
int db_session_get(struct db *db, const char *id_hash, struct arena *a, struct db_session *out,
		   struct db_user *out_user, struct crm_err *err);
int db_session_touch(struct db_tx *tx, const char *id_hash, int64_t last_seen_ms,
		     struct crm_err *err);
int db_session_delete(struct db_tx *tx, const char *id_hash, struct crm_err *err);
/* Ends every session of the user but keep_hash (NULL: all). */
int db_session_delete_user(struct db_tx *tx, const char *user_id, const char *keep_hash,
			   struct crm_err *err);
/* Forgets sessions that expired (absolute) before now_ms or were idle since before
 * idle_before_ms. */
/* The login rate limit's token bucket of key (a hash): *tokens and *updated_ms (0 and 0
 * for a key without one); put writes it and deletes the buckets not used since
 * stale_before_ms. */
int db_login_bucket_get(struct db_tx *tx, const char *key, double *tokens, int64_t *updated_ms,
			struct crm_err *err);
int db_login_bucket_put(struct db_tx *tx, const char *key, double tokens, int64_t now_ms,
			int64_t stale_before_ms, struct crm_err *err);
int db_session_expire(struct db_tx *tx, int64_t now_ms, int64_t idle_before_ms,
		      struct crm_err *err);

struct db_token {
	const char *id;
	const char *user_id;
	const char *user_login; /* read only */
	const char *name;
	const char *secret_hash; /* SHA-256 of the secret, hex */
	const char *scope;	 /* space-separated permission names, NULL: the owner's */
	int64_t created_ms, expires_ms, last_used_ms, revoked_ms;
};
int db_token_insert(struct db_tx *tx, const struct db_token *t, struct crm_err *err);
/* The token with this secret hash and its user (any scope). CRM_ENOTFOUND if absent. */
int db_token_get_by_secret(struct db *db, const char *secret_hash, struct arena *a,
			   struct db_token *out, struct db_user *out_user, struct crm_err *err);
/* One token whose owner lies in scope, through tx when not NULL. */
int db_token_get(struct db *db, struct db_tx *tx, struct db_scope scope, const char *id,
		 struct arena *a, struct db_token *out, struct crm_err *err);
/* Tokens whose owners lie in scope, of one user when user_id is not NULL, matching
 * filters (name, userId), newest first. */
int db_token_list(struct db *db, struct db_scope scope, const char *user_id,
		  const struct db_list_opts *opts, struct arena *a, struct db_token **out,
		  size_t *out_n, int64_t *out_total, struct crm_err *err);
int db_token_revoke(struct db_tx *tx, const char *id, int64_t at_ms, struct crm_err *err);
int db_token_touch(struct db_tx *tx, const char *id, int64_t at_ms, struct crm_err *err);

/* ---- parties (TMF632) and customers (TMF629) beside their rows (party.c) ---- */

/* The operator-wide keys of parties and customers (migration 0011: the tables a sharded
 * database distributes by the key itself), kept by the domain in each write's
 * transaction. db_party_ident_put moves a party's identification number or social credit
 * code (kind "id_number" or "uscc") from before to after (either NULL: none); nothing
 * when they are the same. db_customer_keys_put records a new customer's number
 * (customer_no; NULL on later writes: numbers never change nor return) and moves the
 * customer from party before_party to after_party (NULL: none, or the customer is gone). */
int db_party_ident_put(struct db_tx *tx, const char *party_id, const char *kind, const char *before,
		       const char *after, struct crm_err *err);
int db_customer_keys_put(struct db_tx *tx, const char *customer_id, const char *customer_no,
			 const char *before_party, const char *after_party, struct crm_err *err);
/* *out: the id of the live party holding the number of kind ("id_number" or "uscc"),
 * in the arena, or NULL. */
int db_party_ident_holder(struct db_tx *tx, const char *kind, const char *number, struct arena *a,
			  const char **out, struct crm_err *err);
/* Live customers whose engaged party is party_id. */
int db_party_count_customers(struct db_tx *tx, const char *party_id, int64_t *out,
			     struct crm_err *err);
/* *out: whether a customer, live or deleted, has the customer number. */
int db_customer_no_exists(struct db_tx *tx, const char *customer_no, bool *out,
			  struct crm_err *err);
/* The same for n numbers in one statement (bulk loads): taken[i] for nos[i] (NULL: not
 * looked up, false). */
int db_customer_nos_taken(struct db_tx *tx, const char *const *nos, size_t n, bool *taken,
			  struct crm_err *err);
/* Whether a live party holds each of n identifications, in one statement per kind:
 * held[i] for the identification number id_numbers[i] or, where that is NULL, the unified
 * social credit code usccs[i] (both NULL: false). */
int db_party_idents_held(struct db_tx *tx, const char *const *id_numbers, const char *const *usccs,
			 size_t n, bool *held, struct crm_err *err);

/* The search indexes of a write (search.c), kept by the domain in the write's
 * transaction: the phone keys of a party or customer, from those of its phone numbers
 * before the write to those after (NULL-ended; NULL: none, the owner is new or gone),
 * and a customer's name in the name index, from old_name (NULL: none) to new_name
 * (NULL: none any more). */
int db_phone_keys_put(struct db_tx *tx, const char *owner_id, const char *const *before,
		      const char *const *after, struct crm_err *err);
int db_name_index_put(struct db_tx *tx, const char *customer_id, const char *old_name,
		      const char *new_name, struct crm_err *err);

/* ---- customer search ---- */

/* The ways a customer is found, in the order of their rank. */
enum db_match {
	DB_MATCH_CUSTOMER_NO, /* the customer number, exactly */
	DB_MATCH_ID_NUMBER,   /* the engaged party's identification number or credit code */
	DB_MATCH_PHONE,	      /* a phone number of the customer or its party, whole or its end */
	DB_MATCH_NAME,	      /* the name: exact, then starting with, then containing */
	DB_MATCH_COUNT,
};

/* What to look for; NULL members are not looked for. */
struct db_search_query {
	const char *customer_no;  /* canonical, upper case */
	const char *id_number;	  /* canonical, upper case */
	const char *phone_digits; /* 4 to 20 digits, a number's last digits or all of them */
	bool phone_whole;	  /* phone_digits can only be a whole number (a mobile):
				     looked up by equality, not as the end of longer ones */
	const char *name;
};

struct db_search_hit {
	const char *id, *customer_no, *name, *status, *rank_tier, *segment;
	const char *party_id, *party_kind, *org_id, *org_path, *org_name;
	bool blacklist;
	enum db_match how;
	/* 0 customer number, 1 id number, 2 whole phone number, 3 its last digits, 4 the
	 * name exactly, 5 the name's start, 6 inside the name */
	int rank;
	const char *matched; /* the value that matched: the number, id number or name */
};

/* Live customers in scope matching any member of q, best rank first (then by name and
 * customer number), each once, at most limit. */
int db_search_customers(struct db *db, struct db_scope scope, const struct db_search_query *q,
			size_t limit, struct arena *a, struct db_search_hit **out, size_t *out_n,
			struct crm_err *err);

#endif
