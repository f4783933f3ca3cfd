/*
 * Copying a SQLite database into a PostgreSQL one (db_copy_*, db.h). The tables and
 * columns are the target's catalogue's, those the source has too; a table is loaded
 * through the backend's bulk load, read back in primary-key order and compared with the
 * source by count and checksum in the transaction that loads it, and recorded in the
 * target's copy_progress in that same transaction, so that a copy run again goes on
 * where it stopped. The catalogue queries are PostgreSQL's and the source's SQLite's: the
 * two dialects a copy knows.
 */
#include "store/db_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/str.h"
#include "core/time.h"
#include "core/banned.h"

#define VERIFY_PAGE 10000 /* rows read back per statement */

/* How a column's values are compared: as the text both databases give of them, but for
 * the types whose text differs between the two (doubles, booleans). */
enum col_kind { COL_TEXT, COL_INT, COL_REAL, COL_BOOL };

struct col {
	const char *name;
	enum col_kind kind;
	bool identity; /* GENERATED … AS IDENTITY: its sequence is set past the copy */
};

struct tab {
	const char *name;
	struct col *cols; /* the target's that the source has, in the target's order */
	size_t ncols, cap_cols;
	int *key; /* the primary key's columns (indexes into cols), in its order */
	size_t nkey, cap_key;
	const char **refs; /* the tables its foreign keys name, but itself */
	size_t nrefs, cap_refs;
	bool self_ref;	  /* a foreign key names the table itself: one bulk load */
	const char *seed; /* the rows the migrations seed in it (a condition), or NULL */
	bool placed;	  /* ordering */
	bool seeded;	  /* the target holds seed rows, deleted before the copy */
};

struct db_copy {
	struct db *src, *dst;
	struct arena *arena;
	struct db_conn *from; /* the source's reader, in its snapshot */
	bool snapshot;
	struct tab *tabs; /* in the order of the copy */
	struct db_copy_table *pub;
	size_t n, cap;
	char source[17]; /* the source's fingerprint */
};

/* The rows the target's migrations put in its tables, which the source's replace: the
 * root unit and the built-in roles (migrations/pg/0006_schema.sql). */
static const struct {
	const char *table, *cond;
} seeds[] = {
	{"org_unit", "id = 'HQ' AND parent_id IS NULL"},
	{"role", "builtin = 1"},
};

/* ---- helpers ---- */

static void *grow(struct arena *a, void *p, size_t n, size_t *cap, size_t size)
{
	void *q;

	if (n < *cap)
		return p;
	*cap = *cap ? *cap * 2 : 8;
	q = arena_alloc(a, *cap * size);
	if (n)
		memcpy(q, p, n * size);
	return q;
}

/* Appends name as a quoted identifier ("a""b"), which both dialects read. */
static void add_ident(struct strbuf *sb, const char *name)
{
	strbuf_addch(sb, '"');
	for (const char *p = name; *p; p++) {
		if (*p == '"')
			strbuf_addch(sb, '"');
		strbuf_addch(sb, *p);
	}
	strbuf_addch(sb, '"');
}

/* Appends the table's columns, quoted, between commas. */
static void add_cols(struct strbuf *sb, const struct tab *t)
{
	for (size_t i = 0; i < t->ncols; i++) {
		if (i)
			strbuf_addstr(sb, ", ");
		add_ident(sb, t->cols[i].name);
	}
}

static struct tab *tab_find(struct db_copy *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->tabs[i].name, name) == 0)
			return &c->tabs[i];
	return NULL;
}

static int col_find(const struct tab *t, const char *name)
{
	for (size_t i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* Runs sql, a query of one number, on conn into *out. */
static int query_int(struct db_conn *conn, const char *sql, const char *arg, int64_t *out,
		     struct crm_err *err)
{
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db__prepare(conn, sql, &s, err)))
		return rc;
	if (arg)
		db__bind_text(s, 1, arg);
	if ((rc = db__step(s, err)) == 1) {
		*out = db__col_int(s, 0);
		rc = 0;
	} else if (rc == 0) {
		*out = 0;
	}
	db__release(s);
	return rc;
}

/* The rows of table t on conn (that match cond, when not NULL). */
static int count_rows(struct db_conn *conn, const char *table, const char *cond, int64_t *out,
		      struct crm_err *err)
{
	struct strbuf sql = STRBUF_INIT;
	int rc;

	strbuf_addstr(&sql, "SELECT count(*) FROM ");
	add_ident(&sql, table);
	if (cond)
		strbuf_addf(&sql, " WHERE %s", cond);
	rc = query_int(conn, strbuf_cstr(&sql), NULL, out, err);
	strbuf_release(&sql);
	return rc;
}

/* ---- checksums ----
 *
 * A table's checksum is the sum of its rows' hashes, so that it does not depend on the
 * order the rows are read in; a row's hash runs over its values' text, each after its
 * length (or a NULL marker), eight bytes at a time, and is mixed at the end so that the
 * sums of rows spread over all 64 bits. Not cryptographic: it finds a copy gone wrong,
 * not a forgery. */

static uint64_t absorb(uint64_t h, uint64_t w)
{
	h = (h ^ w) * 0xff51afd7ed558ccdULL;
	return h ^ (h >> 32);
}

static uint64_t hash_value(uint64_t h, const char *p, size_t len, bool null)
{
	uint64_t w;
	size_t i = 0;

	h = absorb(h, null ? UINT64_MAX : (uint64_t)len);
	if (null)
		return h;
	for (; i + 8 <= len; i += 8) {
		memcpy(&w, p + i, 8);
		h = absorb(h, w);
	}
	if (i < len) {
		w = 0;
		memcpy(&w, p + i, len - i);
		h = absorb(h, w);
	}
	return h;
}

static uint64_t hash_finish(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 33);
}

#define ROW_SEED 0x9e3779b97f4a7c15ULL

/* The hash of a row of t (vals[i] of lens[i] bytes; NULL: SQL NULL), as both sides make
 * it: doubles as %.17g (which reads back as the same double), booleans as 0 or 1, the
 * rest as they are. */
static uint64_t hash_row(const struct tab *t, const char *const *vals, const size_t *lens)
{
	uint64_t h = ROW_SEED;

	for (size_t i = 0; i < t->ncols; i++) {
		const char *v = vals[i];
		size_t len = lens[i];
		char buf[32];

		if (v && t->cols[i].kind == COL_REAL) {
			len = (size_t)snprintf(buf, sizeof(buf), "%.17g", strtod(v, NULL));
			v = buf;
		} else if (v && t->cols[i].kind == COL_BOOL && len >= 1 &&
			   (v[0] == 't' || v[0] == 'f')) {
			v = v[0] == 't' ? "1" : "0";
			len = 1;
		}
		h = hash_value(h, v, len, !v);
	}
	return hash_finish(h);
}

/* ---- the plan ---- */

/* The source's fingerprint: its migration ledger, whose times of application no other
 * database shares (a backup of it does, and is the same data). */
static int fingerprint(struct db_copy *c, struct crm_err *err)
{
	struct db_stmt *s = NULL;
	uint64_t h = ROW_SEED;
	int rc;

	if ((rc = db__prepare(c->from,
			      "SELECT version, name, applied_ms FROM schema_migrations"
			      " ORDER BY version",
			      &s, err)))
		return rc;
	while ((rc = db__step(s, err)) == 1) {
		for (int i = 0; i < 3; i++) {
			size_t len;
			const char *v = db__col_textn(s, i, &len);

			h = hash_value(h, v, len, db__col_is_null(s, i));
		}
	}
	db__release(s);
	if (!rc)
		snprintf(c->source, sizeof(c->source), "%016llx",
			 (unsigned long long)hash_finish(h));
	return rc;
}

static enum col_kind kind_of(const char *data_type)
{
	static const struct {
		const char *type;
		enum col_kind kind;
	} kinds[] = {
		{"bigint", COL_INT},   {"integer", COL_INT},
		{"smallint", COL_INT}, {"double precision", COL_REAL},
		{"real", COL_REAL},    {"boolean", COL_BOOL},
	};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i].type, data_type) == 0)
			return kinds[i].kind;
	return COL_TEXT;
}

/* The target's tables with their columns, primary keys and foreign keys. */
static int read_catalogue(struct db_copy *c, struct db_conn *to, struct crm_err *err)
{
	struct db_stmt *s = NULL;
	struct tab *t = NULL;
	int rc;

	if ((rc = db__prepare(
		     to,
		     "SELECT c.table_name, c.column_name, c.data_type, c.is_identity"
		     " FROM information_schema.columns c"
		     " JOIN information_schema.tables t ON t.table_schema = c.table_schema"
		     " AND t.table_name = c.table_name"
		     " WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'"
		     " AND c.is_generated = 'NEVER'"
		     " AND c.table_name NOT IN ('schema_migrations', 'copy_progress')"
		     " ORDER BY c.table_name, c.ordinal_position",
		     &s, err)))
		return rc;
	while ((rc = db__step(s, err)) == 1) {
		const char *table = db__col_text(s, 0);
		struct col *col;

		if (!t || strcmp(t->name, table) != 0) {
			c->tabs = grow(c->arena, c->tabs, c->n, &c->cap, sizeof(*c->tabs));
			t = &c->tabs[c->n++];
			memset(t, 0, sizeof(*t));
			t->name = arena_strdup(c->arena, table);
			for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++)
				if (strcmp(seeds[i].table, t->name) == 0)
					t->seed = seeds[i].cond;
		}
		t->cols = grow(c->arena, t->cols, t->ncols, &t->cap_cols, sizeof(*t->cols));
		col = &t->cols[t->ncols++];
		col->name = db__col_dup(s, 1, c->arena);
		col->kind = kind_of(db__col_text(s, 2));
		col->identity = strcmp(db__col_text(s, 3), "YES") == 0;
	}
	db__release(s);
	if (rc)
		return rc;

	if ((rc = db__prepare(to,
			      "SELECT k.table_name, k.column_name"
			      " FROM information_schema.table_constraints t"
			      " JOIN information_schema.key_column_usage k"
			      " ON k.constraint_schema = t.constraint_schema"
			      " AND k.constraint_name = t.constraint_name"
			      " AND k.table_name = t.table_name"
			      " WHERE t.table_schema = current_schema() AND t.constraint_type = "
			      "'PRIMARY KEY'"
			      " ORDER BY k.table_name, k.ordinal_position",
			      &s, err)))
		return rc;
	while ((rc = db__step(s, err)) == 1) {
		int at;

		if (!(t = tab_find(c, db__col_text(s, 0))) ||
		    (at = col_find(t, db__col_text(s, 1))) < 0)
			continue;
		t->key = grow(c->arena, t->key, t->nkey, &t->cap_key, sizeof(*t->key));
		t->key[t->nkey++] = at;
	}
	db__release(s);
	if (rc)
		return rc;

	if ((rc = db__prepare(
		     to,
		     "SELECT cl.relname, ref.relname FROM pg_constraint k"
		     " JOIN pg_class cl ON cl.oid = k.conrelid"
		     " JOIN pg_class ref ON ref.oid = k.confrelid"
		     " WHERE k.contype = 'f' AND cl.relnamespace = current_schema()::regnamespace",
		     &s, err)))
		return rc;
	while ((rc = db__step(s, err)) == 1) {
		const char *ref = db__col_text(s, 1);

		if (!(t = tab_find(c, db__col_text(s, 0))))
			continue;
		if (strcmp(ref, t->name) == 0) {
			t->self_ref = true;
			continue;
		}
		t->refs = grow(c->arena, t->refs, t->nrefs, &t->cap_refs, sizeof(*t->refs));
		t->refs[t->nrefs++] = arena_strdup(c->arena, ref);
	}
	db__release(s);
	return rc;
}

/* Keeps the columns of t the source has too; a table the source lacks is an error. */
static int source_columns(struct db_copy *c, struct tab *t, struct crm_err *err)
{
	struct db_stmt *s = NULL;
	bool *has = arena_calloc(c->arena, t->ncols ? t->ncols : 1, sizeof(bool));
	int *at = arena_calloc(c->arena, t->ncols ? t->ncols : 1, sizeof(int));
	size_t kept = 0, seen = 0;
	int rc;

	if ((rc = db__prepare(c->from, "SELECT name FROM pragma_table_info(?)", &s, err)))
		return rc;
	db__bind_text(s, 1, t->name);
	while ((rc = db__step(s, err)) == 1) {
		int i = col_find(t, db__col_text(s, 0));

		seen++;
		if (i >= 0)
			has[i] = true;
	}
	db__release(s);
	if (rc)
		return rc;
	if (!seen)
		return crm_err_set(err, CRM_ESCHEMA, NULL,
				   "table '%s' of the target is not in the source", t->name);
	/* drop the others, renumbering the key */
	for (size_t i = 0; i < t->ncols; i++) {
		at[i] = has[i] ? (int)kept : -1;
		if (has[i])
			t->cols[kept++] = t->cols[i];
		else
			log_warn("copy.column", "table=%s column=%s not_in_source=1", t->name,
				 t->cols[i].name);
	}
	t->ncols = kept;
	for (size_t k = 0; k < t->nkey; k++)
		if ((t->key[k] = at[t->key[k]]) < 0)
			return crm_err_set(err, CRM_ESCHEMA, NULL,
					   "the source's table '%s' lacks a column of its key",
					   t->name);
	return 0;
}

/* Orders the tables so that each comes after those its foreign keys name (by name among
 * the ready ones, so that every run orders them alike). */
static void order_tables(struct db_copy *c)
{
	struct tab *sorted = arena_calloc(c->arena, c->n ? c->n : 1, sizeof(*sorted));
	size_t done = 0;

	while (done < c->n) {
		struct tab *next = NULL;

		for (size_t i = 0; i < c->n; i++) {
			struct tab *t = &c->tabs[i];
			bool ready = !t->placed;

			for (size_t r = 0; ready && r < t->nrefs; r++) {
				struct tab *ref = tab_find(c, t->refs[r]);

				ready = !ref || ref->placed;
			}
			if (ready && (!next || strcmp(t->name, next->name) < 0))
				next = t;
		}
		if (!next) {
			/* a cycle of foreign keys: the rest by name, for the target to judge */
			for (size_t i = 0; i < c->n; i++)
				if (!c->tabs[i].placed &&
				    (!next || strcmp(c->tabs[i].name, next->name) < 0))
					next = &c->tabs[i];
			log_warn("copy.order", "cycle_at=%s", next->name);
		}
		next->placed = true;
		sorted[done++] = *next;
	}
	c->tabs = sorted;
}

/* Whether the target has copy_progress. */
static int progress_exists(struct db_conn *to, bool *out, struct crm_err *err)
{
	int64_t n = 0;
	int rc =
		query_int(to,
			  "SELECT count(*) FROM information_schema.tables"
			  " WHERE table_schema = current_schema() AND table_name = 'copy_progress'",
			  NULL, &n, err);

	*out = n > 0;
	return rc;
}

/* Reads what copy_progress says of each table into c->pub (done, checksum); a row of
 * another source is refused. */
static int read_progress(struct db_copy *c, struct db_conn *to, struct crm_err *err)
{
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db__prepare(
		     to, "SELECT table_name, source, rows, checksum, done_ms FROM copy_progress",
		     &s, err)))
		return rc;
	while ((rc = db__step(s, err)) == 1) {
		struct tab *t = tab_find(c, db__col_text(s, 0));
		struct db_copy_table *p;

		if (strcmp(db__col_text(s, 1), c->source) != 0) {
			rc = crm_err_set(err, CRM_ECONFLICT, NULL,
					 "the target holds a copy of another database; copy into a"
					 " new, empty database");
			break;
		}
		if (!t || db__col_int(s, 4) == 0)
			continue;
		p = &c->pub[t - c->tabs];
		if (db__col_int(s, 2) != p->rows) {
			rc = crm_err_set(
				err, CRM_ECONFLICT, NULL,
				"table '%s' has %lld rows in the source but had %lld when it"
				" was copied: the source changed since the copy began",
				t->name, (long long)p->rows, (long long)db__col_int(s, 2));
			break;
		}
		p->done = p->before = true;
		snprintf(p->checksum, sizeof(p->checksum), "%s", db__col_text(s, 3));
	}
	db__release(s);
	return rc;
}

/* Checks the target's side of each table: a table done holds the rows it was copied with,
 * one not done holds none but seed rows (marked to be deleted). */
static int check_target(struct db_copy *c, struct db_conn *to, bool resuming, struct crm_err *err)
{
	for (size_t i = 0; i < c->n; i++) {
		struct tab *t = &c->tabs[i];
		struct db_copy_table *p = &c->pub[i];
		int64_t rows = 0, foreign = 0;
		int rc;

		if ((rc = count_rows(to, t->name, NULL, &rows, err)))
			return rc;
		if (p->done) {
			if (rows != p->rows)
				return crm_err_set(err, CRM_ECONFLICT, NULL,
						   "table '%s' of the target has %lld rows but was"
						   " copied with %lld: the target changed since",
						   t->name, (long long)rows, (long long)p->rows);
			continue;
		}
		if (!rows)
			continue;
		foreign = rows;
		if (t->seed) {
			struct strbuf cond = STRBUF_INIT;

			strbuf_addf(&cond, "NOT (%s)", t->seed);
			rc = count_rows(to, t->name, strbuf_cstr(&cond), &foreign, err);
			strbuf_release(&cond);
			if (rc)
				return rc;
		}
		if (foreign && resuming)
			return crm_err_set(
				err, CRM_ECONFLICT, NULL,
				"table '%s' of the target, not copied yet, holds %lld rows:"
				" the target changed since the copy began",
				t->name, (long long)foreign);
		if (foreign)
			return crm_err_set(
				err, CRM_ECONFLICT, NULL,
				"the target holds data already (table '%s' has %lld rows);"
				" copy into a new, empty database",
				t->name, (long long)foreign);
		t->seeded = true;
	}
	return 0;
}

/* Creates copy_progress (the first time) and a row for each table not in it yet. */
static int record_plan(struct db_copy *c, struct db_conn *to, struct crm_err *err)
{
	int rc;

	if ((rc = db__exec(
		     to,
		     "CREATE TABLE IF NOT EXISTS copy_progress ("
		     "table_name TEXT PRIMARY KEY, source TEXT NOT NULL,"
		     " rows BIGINT NOT NULL, checksum TEXT NOT NULL, done_ms BIGINT NOT NULL)",
		     err)))
		return rc;
	for (size_t i = 0; i < c->n; i++) {
		struct db_stmt *s = NULL;

		if ((rc = db__prepare(
			     to,
			     "INSERT INTO copy_progress (table_name, source, rows, checksum,"
			     " done_ms) VALUES (?, ?, -1, '', 0) ON CONFLICT DO NOTHING",
			     &s, err)))
			return rc;
		db__bind_text(s, 1, c->tabs[i].name);
		db__bind_text(s, 2, c->source);
		if ((rc = db__run(s, err)))
			return rc;
	}
	return 0;
}

int db_copy_open(struct db *src, struct db *dst, struct db_copy **out, struct crm_err *err)
{
	struct db_copy *c = NULL;
	struct db_conn *to = NULL;
	struct db_tx *tx = NULL;
	int v_src = 0, v_dst = 0, v_bin = 0, rc;
	bool resuming = false;

	*out = NULL;
	if (db__backend(src)->dialect != DB_DIALECT_SQLITE)
		return crm_err_set(err, CRM_EINVAL, "from",
				   "the source of a copy is a SQLite database");
	if (db__backend(dst)->dialect != DB_DIALECT_PG)
		return crm_err_set(err, CRM_EINVAL, "to",
				   "the target of a copy is a PostgreSQL database");
	if ((rc = db_schema_version(src, &v_src, &v_bin, err)) ||
	    (rc = db_schema_version(dst, &v_dst, &v_bin, err)))
		return rc;
	if (v_src != v_dst)
		return crm_err_set(err, CRM_ESCHEMA, NULL,
				   "the source has schema version %d and the target %d", v_src,
				   v_dst);

	c = xcalloc(1, sizeof(*c));
	c->src = src;
	c->dst = dst;
	c->arena = arena_new(0);
	if (!(c->from = db__reader(src, err)) || !(to = db__reader(dst, err))) {
		rc = err ? err->code : CRM_EIO;
		goto out;
	}
	/* one snapshot of the source for the whole run */
	if ((rc = db__exec(c->from, "BEGIN", err)))
		goto out;
	c->snapshot = true;
	if ((rc = fingerprint(c, err)) || (rc = read_catalogue(c, to, err)))
		goto out;
	for (size_t i = 0; i < c->n; i++)
		if ((rc = source_columns(c, &c->tabs[i], err)))
			goto out;
	order_tables(c);
	c->pub = arena_calloc(c->arena, c->n ? c->n : 1, sizeof(*c->pub));
	for (size_t i = 0; i < c->n; i++) {
		c->pub[i].name = c->tabs[i].name;
		if ((rc = count_rows(c->from, c->tabs[i].name, NULL, &c->pub[i].rows, err)))
			goto out;
	}

	/* the target's state under the write lock: another copy into it waits */
	if ((rc = db_tx_begin(dst, &tx, err)))
		goto out;
	to = db__tx_conn(tx);
	if ((rc = progress_exists(to, &resuming, err)) ||
	    (resuming && (rc = read_progress(c, to, err))) ||
	    (rc = check_target(c, to, resuming, err)) || (rc = record_plan(c, to, err)))
		goto out;
	rc = db_tx_commit(tx, err);
	tx = NULL;
out:
	db_tx_rollback(tx);
	if (rc) {
		db_copy_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

const struct db_copy_table *db_copy_tables(const struct db_copy *c, size_t *out_n)
{
	*out_n = c->n;
	return c->pub;
}

void db_copy_free(struct db_copy *c)
{
	if (!c)
		return;
	if (c->snapshot)
		db__exec(c->from, "ROLLBACK", NULL);
	arena_free(c->arena);
	free(c);
}

/* ---- one table ---- */

struct table_run {
	struct db_copy *c;
	const struct tab *t;
	const struct db_copy_table *p;
	void (*progress)(void *arg, const struct db_copy_table *t, enum db_copy_phase phase,
			 int64_t done);
	void *arg;
	const char **vals; /* a row's values */
	size_t *lens;
	char (*bufs)[32]; /* the text made of doubles */
};

/* Points r->vals and r->lens at the values of the row s is at. */
static void row_read(struct table_run *r, struct db_stmt *s)
{
	for (size_t i = 0; i < r->t->ncols; i++) {
		r->lens[i] = 0;
		r->vals[i] =
			db__col_is_null(s, (int)i) ? NULL : db__col_textn(s, (int)i, &r->lens[i]);
	}
}

/* Names the row r->vals holds in err's detail: the table and its key's values. */
static void say_row(const struct table_run *r, struct crm_err *err)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "in table '%s', the row", r->t->name);
	for (size_t k = 0; k < r->t->nkey; k++) {
		int i = r->t->key[k];

		strbuf_addf(&sb, "%s %s '%.*s'", k ? " and" : " with", r->t->cols[i].name,
			    (int)(r->lens[i] > 64 ? 64 : r->lens[i]), r->vals[i] ? r->vals[i] : "");
	}
	crm_err_detail(err, "%s", strbuf_cstr(&sb));
	strbuf_release(&sb);
}

/* Streams the source's rows into the target (conn), batch rows to a bulk load; *out_rows
 * and *out_sum get the rows sent and their checksum. */
static int load(struct table_run *r, struct db_conn *conn, int64_t batch, int64_t *out_rows,
		uint64_t *out_sum, struct crm_err *err)
{
	const struct tab *t = r->t;
	const char **names = arena_calloc(r->c->arena, t->ncols, sizeof(char *));
	struct strbuf sql = STRBUF_INIT;
	struct db_stmt *s = NULL;
	int64_t n = 0, in_load = 0, taken = 0;
	uint64_t sum = 0;
	bool open = false;
	int rc;

	for (size_t i = 0; i < t->ncols; i++)
		names[i] = t->cols[i].name;
	strbuf_addstr(&sql, "SELECT ");
	add_cols(&sql, t);
	strbuf_addstr(&sql, " FROM ");
	add_ident(&sql, t->name);
	if ((rc = db__prepare(r->c->from, strbuf_cstr(&sql), &s, err)))
		goto out;
	while ((rc = db__step(s, err)) == 1) {
		if (!open) {
			if ((rc = db__copy_begin(conn, t->name, names, (int)t->ncols, err)))
				goto out;
			open = true;
		}
		row_read(r, s);
		for (size_t i = 0; i < t->ncols; i++) {
			/* SQLite's text of a double has 15 digits: 17 read back as the same */
			if (r->vals[i] && t->cols[i].kind == COL_REAL) {
				r->lens[i] = (size_t)snprintf(r->bufs[i], 32, "%.17g",
							      db__col_double(s, (int)i));
				r->vals[i] = r->bufs[i];
			}
		}
		if ((rc = db__copy_row(conn, r->vals, r->lens, (int)t->ncols, err))) {
			say_row(r, err);
			goto out;
		}
		sum += hash_row(t, r->vals, r->lens);
		n++;
		if (++in_load == batch && !t->self_ref) {
			open = false;
			in_load = 0;
			if ((rc = db__copy_end(conn, false, &taken, err)))
				goto out;
			if (r->progress)
				r->progress(r->arg, r->p, DB_COPY_LOADING, n);
		}
	}
	if (!rc && open) {
		open = false;
		rc = db__copy_end(conn, false, &taken, err);
	}
	if (!rc && r->progress)
		r->progress(r->arg, r->p, DB_COPY_LOADING, n);
out:
	if (open)
		db__copy_end(conn, true, NULL, NULL);
	db__release(s);
	strbuf_release(&sql);
	if (!rc) {
		*out_rows = n;
		*out_sum = sum;
	}
	return rc;
}

/* Reads the target's rows back (through conn, in the transaction that loaded them) in
 * primary-key order, VERIFY_PAGE at a time: *out_rows and *out_sum get their count and
 * checksum. */
static int read_back(struct table_run *r, struct db_conn *conn, int64_t *out_rows,
		     uint64_t *out_sum, struct crm_err *err)
{
	const struct tab *t = r->t;
	struct strbuf first = STRBUF_INIT, next = STRBUF_INIT, order = STRBUF_INIT;
	struct strbuf *keys = arena_calloc(r->c->arena, t->nkey ? t->nkey : 1, sizeof(*keys));
	int64_t n = 0, in_page;
	uint64_t sum = 0;
	int rc = 0;

	strbuf_addstr(&first, "SELECT ");
	add_cols(&first, t);
	strbuf_addstr(&first, " FROM ");
	add_ident(&first, t->name);
	strbuf_addstr(&next, first.buf);
	if (t->nkey) {
		strbuf_addstr(&order, " ORDER BY ");
		strbuf_addstr(&next, " WHERE (");
		for (size_t k = 0; k < t->nkey; k++) {
			strbuf_addstr(&order, k ? ", " : "");
			add_ident(&order, t->cols[t->key[k]].name);
			strbuf_addstr(&next, k ? ", " : "");
			add_ident(&next, t->cols[t->key[k]].name);
		}
		strbuf_addstr(&next, ") > (");
		for (size_t k = 0; k < t->nkey; k++)
			strbuf_addstr(&next, k ? ", ?" : "?");
		strbuf_addf(&next, ")%s LIMIT %d", order.buf, VERIFY_PAGE);
		strbuf_addf(&first, "%s LIMIT %d", order.buf, VERIFY_PAGE);
	}
	do {
		struct db_stmt *s = NULL;

		/* a table without a primary key is read in one statement */
		if ((rc = db__prepare(conn, n ? next.buf : first.buf, &s, err)))
			break;
		for (size_t k = 0; n && k < t->nkey; k++)
			db__bind_textn(s, (int)k + 1, keys[k].buf ? keys[k].buf : "", keys[k].len);
		in_page = 0;
		while ((rc = db__step(s, err)) == 1) {
			row_read(r, s);
			sum += hash_row(t, r->vals, r->lens);
			n++;
			in_page++;
			for (size_t k = 0; k < t->nkey; k++) {
				size_t len = 0;
				const char *v = db__col_textn(s, t->key[k], &len);

				strbuf_reset(&keys[k]);
				strbuf_add(&keys[k], v ? v : "", len);
			}
		}
		db__release(s);
		if (!rc && r->progress)
			r->progress(r->arg, r->p, DB_COPY_VERIFYING, n);
	} while (!rc && t->nkey && in_page == VERIFY_PAGE);
	for (size_t k = 0; k < t->nkey; k++)
		strbuf_release(&keys[k]);
	strbuf_release(&first);
	strbuf_release(&next);
	strbuf_release(&order);
	if (!rc) {
		*out_rows = n;
		*out_sum = sum;
	}
	return rc;
}

/* Sets the sequences of t's identity columns past the largest value copied. */
static int set_sequences(const struct tab *t, struct db_conn *conn, struct crm_err *err)
{
	int rc = 0;

	for (size_t i = 0; !rc && i < t->ncols; i++) {
		struct strbuf sql = STRBUF_INIT, name = STRBUF_INIT;
		struct db_stmt *s = NULL;

		if (!t->cols[i].identity)
			continue;
		add_ident(&name, t->name);
		strbuf_addstr(&sql, "SELECT setval(pg_get_serial_sequence(?, ?), coalesce(max(");
		add_ident(&sql, t->cols[i].name);
		strbuf_addstr(&sql, "), 0) + 1, false) FROM ");
		add_ident(&sql, t->name);
		if (!(rc = db__prepare(conn, strbuf_cstr(&sql), &s, err))) {
			db__bind_text(s, 1, name.buf);
			db__bind_text(s, 2, t->cols[i].name);
			rc = db__run(s, err);
		}
		strbuf_release(&sql);
		strbuf_release(&name);
	}
	return rc;
}

/* In the table's transaction: whether another run recorded it done meanwhile. */
static int done_meanwhile(const struct tab *t, struct db_conn *conn, bool *out, struct crm_err *err)
{
	int64_t n = 0;
	int rc = query_int(
		conn, "SELECT count(*) FROM copy_progress WHERE table_name = ? AND done_ms > 0",
		t->name, &n, err);

	*out = n > 0;
	return rc;
}

int db_copy_table(struct db_copy *c, size_t i, int64_t batch,
		  void (*progress)(void *arg, const struct db_copy_table *t,
				   enum db_copy_phase phase, int64_t done),
		  void *arg, struct crm_err *err)
{
	struct tab *t = &c->tabs[i];
	struct db_copy_table *p = &c->pub[i];
	struct table_run r = {c, t, p, progress, arg, NULL, NULL, NULL};
	struct db_stmt *s = NULL;
	struct strbuf sql = STRBUF_INIT;
	struct db_tx *tx = NULL;
	struct db_conn *conn;
	int64_t sent = 0, back = 0, t0 = time_mono_ns();
	uint64_t sum_src = 0, sum_dst = 0;
	char hex_src[17], hex_dst[17];
	bool meanwhile = false;
	int rc;

	if (p->done)
		return 0;
	r.vals = arena_calloc(c->arena, t->ncols ? t->ncols : 1, sizeof(*r.vals));
	r.lens = arena_calloc(c->arena, t->ncols ? t->ncols : 1, sizeof(*r.lens));
	r.bufs = arena_calloc(c->arena, t->ncols ? t->ncols : 1, sizeof(*r.bufs));
	if ((rc = db_tx_begin(c->dst, &tx, err)))
		goto out;
	conn = db__tx_conn(tx);
	if ((rc = done_meanwhile(t, conn, &meanwhile, err)))
		goto out;
	if (meanwhile) {
		p->done = p->before = true;
		goto out;
	}
	if (t->seeded) {
		/* the migrations' rows, which the source's replace (check_target saw no
		 * others; the tables naming them are not copied yet, so they are empty) */
		strbuf_addstr(&sql, "DELETE FROM ");
		add_ident(&sql, t->name);
		if ((rc = db__exec(conn, strbuf_cstr(&sql), err)))
			goto out;
	}
	if (progress)
		progress(arg, p, DB_COPY_LOADING, 0);
	if ((rc = load(&r, conn, batch > 0 ? batch : 10000, &sent, &sum_src, err)) ||
	    (rc = set_sequences(t, conn, err)) || (rc = read_back(&r, conn, &back, &sum_dst, err)))
		goto out;
	snprintf(hex_src, sizeof(hex_src), "%016llx", (unsigned long long)sum_src);
	snprintf(hex_dst, sizeof(hex_dst), "%016llx", (unsigned long long)sum_dst);
	if (back != sent || sent != p->rows) {
		rc = crm_err_set(err, CRM_EIO, NULL,
				 "table '%s' has %lld rows in the copy but %lld in the source",
				 t->name, (long long)back,
				 (long long)(sent != p->rows ? p->rows : sent));
		goto out;
	}
	if (sum_src != sum_dst) {
		rc = crm_err_set(err, CRM_EIO, NULL,
				 "table '%s' differs from the source: checksum %s, the source's %s",
				 t->name, hex_dst, hex_src);
		goto out;
	}
	if ((rc = db__prepare(conn,
			      "UPDATE copy_progress SET rows = ?, checksum = ?, done_ms = ?"
			      " WHERE table_name = ?",
			      &s, err)))
		goto out;
	db__bind_int(s, 1, back);
	db__bind_text(s, 2, hex_dst);
	db__bind_int(s, 3, time_now_ms());
	db__bind_text(s, 4, t->name);
	if ((rc = db__run(s, err)))
		goto out;
	rc = db_tx_commit(tx, err);
	tx = NULL;
	if (!rc) {
		p->done = true;
		memcpy(p->checksum, hex_dst, sizeof(p->checksum));
		log_debug("copy.table", "table=%s rows=%lld ms=%lld", t->name, (long long)back,
			  (long long)((time_mono_ns() - t0) / 1000000));
	}
out:
	db_tx_rollback(tx);
	strbuf_release(&sql);
	return rc;
}
