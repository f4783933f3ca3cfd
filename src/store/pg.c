/*
 * The PostgreSQL backend over libpq: fills db_pg_backend. The store's statements are
 * written with SQLite's placeholders (`?` and `?NNN`); prepare() rewrites them to `$N`
 * outside literals and identifiers, and prepares each once per connection (db.c caches the
 * statement). Values travel as text and the server infers each parameter's type from its
 * place, so a parameter that has none (`? IS NULL`) is written with a CAST in the shared
 * SQL. Results are read whole (PQexecPrepared), so a caller may run other statements on
 * the same connection while it walks the rows. SQLSTATEs map to CRM_E* codes: unique and
 * other integrity violations to CRM_ECONFLICT (the key's first column in err->field),
 * serialization failures, deadlocks and lock timeouts to CRM_EBUSY, a lost connection to
 * CRM_EIO after which the connection is re-established on its next use. The only file
 * that includes libpq-fe.h.
 */
#include "store/db_int.h"
#include "store/migrations.h"

#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

/* the OID of type text (pg_type.dat): catalog/pg_type_d.h is in the server's headers */
#define TEXT_OID 25

#include "core/mem.h"
#include "core/str.h"
#include "core/banned.h"

struct db_conn {
	struct db__conn_head head; /* first: db.c's part */
	PGconn *h;
	unsigned next_name; /* prepared statements are s1, s2, … on this connection */
	int64_t changes;    /* rows the last statement changed */
	unsigned epoch;	    /* bumped on every reconnect: statements of older ones are gone */
	/* a COPY … FROM STDIN under way (copy_begin to copy_end): rows in text format,
	 * gathered in copy and sent COPY_CHUNK bytes at a time */
	bool copying;
	struct strbuf copy;
	char **copy_cols; /* the columns' names, for messages */
	int copy_ncols;
	/* bulk inserts (DB_BULK_START to _SEND or _DROP): the rows of plain INSERTs, held
	 * per statement and sent by COPY before anything else runs on the connection */
	bool bulk;
	struct held *held;
	int nheld;
	size_t held_bytes;
	int64_t mark;  /* of the rows held from now on (bulk_mark) */
	bool in_tx;    /* a write transaction is open (begin_write to commit/rollback) */
	char set[160]; /* the session's settings, made again on a new connection */
	bool dead;     /* a statement found the connection lost */
};

/* How much COPY data is gathered before it is sent; how much bulk inserts hold. */
#define COPY_CHUNK (256 * 1024)
#define HELD_MAX   (8 * 1024 * 1024)

/* What a plain "INSERT INTO t (a, b, …) VALUES (?, 'x', …)" writes, so that its rows can
 * be sent by COPY: the table, the columns, and each column's parameter (from 1) or, where
 * that is 0, its literal. vals and lens are room for one row. */
struct insert_shape {
	char *table;
	char **cols;
	int ncols;
	int *param;
	char **literal;
	const char **vals;
	size_t *lens;
};

/* The rows one INSERT statement (by its text) holds back for COPY. */
struct held {
	char *sql;
	char *table;
	char **cols;
	int ncols;
	struct strbuf rows; /* in COPY's text format */
	int64_t n;
	int64_t *marks; /* the mark of each row */
	int64_t cap;
};

struct db_stmt {
	struct db__stmt_head head; /* first: db.c's part */
	struct db_conn *c;
	char name[24];
	char *sql;  /* the rewritten text, kept to prepare again after a reconnect */
	Oid *types; /* the parameters' types for PQprepare (see rewrite()) */
	unsigned epoch;
	int nparams;
	char **vals; /* bound values as text; NULL: SQL NULL */
	int *lens;
	PGresult *res; /* the executed statement's result, or NULL before the first step */
	int row;       /* the next row of res */
	struct insert_shape *shape; /* a plain INSERT's, which bulk inserts hold; or NULL */
};

/* ---- errors ---- */

/* The first column of a unique key, from the detail "Key (customer_no)=(C…) already
 * exists." into err->field: callers that know what the key means say so. */
static void conflict_column(const PGresult *res, struct crm_err *err)
{
	const char *d = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
	const char *p = d ? strstr(d, "Key (") : NULL;
	size_t n;

	if (!p || err->field[0])
		return;
	p += strlen("Key (");
	n = strcspn(p, ",)");
	if (n && n < sizeof(err->field)) {
		memcpy(err->field, p, n);
		err->field[n] = '\0';
	}
}

/* Whether res (or the connection's state) says the connection is gone: the server
 * restarted or ended it (57P01-57P03), or the network broke (class 08). */
static bool lost(struct db_conn *c, const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

	return PQstatus(c->h) != CONNECTION_OK ||
	       (state && (strncmp(state, "08", 2) == 0 || strcmp(state, "57P01") == 0 ||
			  strcmp(state, "57P02") == 0 || strcmp(state, "57P03") == 0));
}

/* A lost connection is marked dead (ensure_live opens it again when no transaction is
 * open) and fails with CRM_EBUSY: the request may be made again. */
static int map_error(struct db_conn *c, const PGresult *res, const char *what, struct crm_err *err)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(c->h);
	int rc;

	if (!state)
		state = PQstatus(c->h) == CONNECTION_OK ? "XX000" : "08006";
	if (lost(c, res)) {
		c->dead = true; /* ended by the server: libpq may not know it yet */
		rc = crm_err_set(err, CRM_EBUSY, NULL, "the database connection is lost");
	} else if (strncmp(state, "23", 2) == 0 || strcmp(state, "P0001") == 0)
		/* P0001: a trigger refused the row, as RAISE(ABORT) does on SQLite */
		rc = crm_err_set(err, CRM_ECONFLICT, NULL, "%s violates a database constraint",
				 what);
	else if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
		 strcmp(state, "55P03") == 0 || strcmp(state, "57014") == 0)
		rc = crm_err_set(err, CRM_EBUSY, NULL, "the database is busy");
	else
		rc = crm_err_set(err, CRM_EIO, NULL, "database error while %s", what);
	if (err && err->code == rc) {
		crm_err_detail(err, "postgresql: %s (SQLSTATE %s)", msg ? msg : "", state);
		if (rc == CRM_ECONFLICT)
			conflict_column(res, err);
	}
	return rc;
}

/* A connection lost (the server restarted, the network broke) is opened again before
 * the next statement. A statement that found it lost outside a transaction (a reader's)
 * is run again on the new connection, once; in a transaction it fails with CRM_EBUSY
 * (503: the request may be made again), as does any statement while the database cannot
 * be reached. */
static int ensure_live(struct db_conn *c, struct crm_err *err)
{
	if (!c->dead && PQstatus(c->h) == CONNECTION_OK)
		return 0;
	/* never a new connection in the middle of a transaction: what follows would run
	 * outside it */
	if (c->in_tx)
		return crm_err_set(err, CRM_EBUSY, NULL, "the database connection is lost");
	PQreset(c->h);
	c->epoch++;
	if (PQstatus(c->h) == CONNECTION_OK) {
		PQclear(PQexec(c->h, c->set));
		c->dead = false;
		return 0;
	}
	return crm_err_set(err, CRM_EBUSY, NULL, "the database connection is lost");
}

/* ---- connections ---- */

static void copy_forget(struct db_conn *c)
{
	for (int i = 0; i < c->copy_ncols; i++)
		free(c->copy_cols[i]);
	free(c->copy_cols);
	c->copy_cols = NULL;
	c->copy_ncols = 0;
	strbuf_reset(&c->copy);
	c->copying = false;
}

static void held_drop(struct db_conn *c);

static void conn_close(struct db_conn *c)
{
	if (!c)
		return;
	PQfinish(c->h);
	copy_forget(c);
	strbuf_release(&c->copy);
	held_drop(c);
	for (int i = 0; i < c->nheld; i++) {
		struct held *h = &c->held[i];

		free(h->sql);
		free(h->table);
		for (int k = 0; k < h->ncols; k++)
			free(h->cols[k]);
		free(h->cols);
		free(h->marks);
		strbuf_release(&h->rows);
	}
	free(c->held);
	free(c);
}

static int held_send(struct db_conn *c, struct crm_err *err);

/* Runs one command whose result has no rows. */
static int command(struct db_conn *c, const char *sql, const char *what, struct crm_err *err)
{
	PGresult *res;
	ExecStatusType st;
	int rc = held_send(c, err);

	if (rc)
		return rc;
	res = PQexec(c->h, sql);
	st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY)
		rc = map_error(c, res, what, err);
	else
		c->changes = strtoll(PQcmdTuples(res), NULL, 10);
	PQclear(res);
	return rc;
}

static int conn_open(const char *url, bool writer, int busy_timeout_ms, int cache_mb,
		     struct db_conn **out, struct crm_err *err)
{
	struct db_conn *c = xcalloc(1, sizeof(*c));
	int rc = 0;

	(void)cache_mb; /* the server's shared_buffers decide */
	c->h = PQconnectdb(url);
	if (PQstatus(c->h) != CONNECTION_OK) {
		rc = crm_err_set(err, CRM_EIO, NULL, "cannot connect to the database");
		crm_err_detail(err, "postgresql: %s", PQerrorMessage(c->h));
		goto out;
	}
	/* a lock waited for as long as SQLite's busy timeout; notices are not ours to print;
	 * readers never write */
	snprintf(c->set, sizeof(c->set),
		 "SET lock_timeout = %d; SET client_min_messages = warning;%s", busy_timeout_ms,
		 writer ? "" : " SET default_transaction_read_only = on;");
	rc = command(c, c->set, "configuring the connection", err);
out:
	if (rc) {
		conn_close(c);
		return rc;
	}
	*out = c;
	return 0;
}

static int exec(struct db_conn *c, const char *sql, struct crm_err *err)
{
	bool idle = !c->in_tx;
	int rc = ensure_live(c, err);

	if (!rc)
		rc = command(c, sql, "running a script", err);
	/* outside a transaction (a BEGIN): once more on a new connection */
	if (rc == CRM_EBUSY && idle && c->dead) {
		crm_err_clear(err);
		if (!(rc = ensure_live(c, err)))
			rc = command(c, sql, "running a script", err);
	}
	return rc;
}

/* ---- statements ---- */

/* sql with `?` and `?NNN` as `$N`, outside '…' literals, "…" identifiers and comments;
 * *nparams gets the highest number, and *types an array of that many parameter types:
 * 0 (the server infers it) for the numbers the text uses, text for those it skips — a
 * statement assembled from parts (the search) binds numbers only some parts use, and the
 * server cannot infer the type of a parameter it never sees. A plain `?` takes the number
 * after the highest so far, as in SQLite. */
static char *rewrite(const char *sql, size_t len, int *nparams, Oid **types)
{
	/* "?" becomes at most "$32766": room for 6 bytes a byte, and the terminator */
	char *out = xmalloc(len * 6 + 16), *o = out;
	int highest = 0, cap = 16;
	Oid *t = xcalloc((size_t)cap, sizeof(*t));

	for (size_t i = 0; i < len;) {
		char ch = sql[i];

		if (ch == '\'' || ch == '"') {
			size_t j = i + 1;

			while (j < len && sql[j] != ch)
				j++;
			j = j < len ? j + 1 : len;
			memcpy(o, sql + i, j - i);
			o += j - i;
			i = j;
		} else if (ch == '-' && i + 1 < len && sql[i + 1] == '-') {
			while (i < len && sql[i] != '\n')
				*o++ = sql[i++];
		} else if (ch == '?') {
			int n = 0;

			i++;
			if (i < len && sql[i] >= '0' && sql[i] <= '9') {
				while (i < len && sql[i] >= '0' && sql[i] <= '9')
					n = n * 10 + (sql[i++] - '0');
			} else {
				n = highest + 1;
			}
			if (n > highest)
				highest = n;
			if (n >= cap) {
				int more = n * 2;

				t = xrealloc(t, (size_t)more * sizeof(*t));
				memset(t + cap, 0, (size_t)(more - cap) * sizeof(*t));
				cap = more;
			}
			t[n] = 1; /* seen */
			o += snprintf(o, 16, "$%d", n);
		} else {
			*o++ = sql[i++];
		}
	}
	*o = '\0';
	*nparams = highest;
	/* t[n] for $n becomes types[n-1]: 0 where seen, text where not */
	for (int n = 1; n <= highest; n++)
		t[n - 1] = t[n] ? 0 : TEXT_OID;
	*types = t;
	return out;
}

static void clear_bindings(struct db_stmt *s)
{
	for (int i = 0; i < s->nparams; i++) {
		free(s->vals[i]);
		s->vals[i] = NULL;
	}
}

/* ---- the shape of a plain INSERT ---- */

static const char *skip_space(const char *p)
{
	while (*p == ' ' || *p == '\n' || *p == '\t')
		p++;
	return p;
}

/* p past the keyword or punctuation w and the space after it, or NULL. */
static const char *token(const char *p, const char *w)
{
	size_t n = p ? strlen(w) : 0;

	return p && strncmp(p, w, n) == 0 ? skip_space(p + n) : NULL;
}

/* p past a plain lower-case name, copied to *out; or NULL. */
static const char *name(const char *p, char **out)
{
	const char *start = p;

	if (!p)
		return NULL;
	while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')
		p++;
	if (p == start)
		return NULL;
	*out = xstrndup(start, (size_t)(p - start));
	return skip_space(p);
}

static void shape_free(struct insert_shape *sh)
{
	if (!sh)
		return;
	for (int i = 0; i < sh->ncols; i++) {
		free(sh->cols[i]);
		free(sh->literal[i]);
	}
	free(sh->table);
	free(sh->cols);
	free(sh->param);
	free(sh->literal);
	free(sh->vals);
	free(sh->lens);
	free(sh);
}

/* The shape of sql (before rewrite()) when it is exactly "INSERT INTO t (columns) VALUES
 * (values)", each value a plain `?` or a '…' literal without quotes in it; NULL for any
 * other statement, which runs as it is. */
static struct insert_shape *shape_of(const char *sql)
{
	struct insert_shape *sh = xcalloc(1, sizeof(*sh));
	const char *p = token(token(skip_space(sql), "INSERT"), "INTO");
	int cap = 0, nparam = 0, i;

	if (!(p = token(name(p, &sh->table), "(")))
		goto no;
	do {
		if (sh->ncols == cap) {
			cap = cap ? cap * 2 : 16;
			sh->cols = xrealloc(sh->cols, (size_t)cap * sizeof(*sh->cols));
		}
		sh->cols[sh->ncols] = NULL;
		p = name(p, &sh->cols[sh->ncols]);
		sh->ncols += p != NULL;
	} while (p && *p == ',' && (p = token(p, ",")));
	sh->param = xcalloc((size_t)sh->ncols + 1, sizeof(*sh->param));
	sh->literal = xcalloc((size_t)sh->ncols + 1, sizeof(*sh->literal));
	if (!(p = token(token(token(p, ")"), "VALUES"), "(")))
		goto no;
	for (i = 0; p && i < sh->ncols; i++) {
		if (i && !(p = token(p, ",")))
			break;
		if (*p == '?' && !(p[1] >= '0' && p[1] <= '9')) {
			sh->param[i] = ++nparam;
			p = skip_space(p + 1);
		} else if (*p == '\'') {
			const char *end = strchr(p + 1, '\'');

			if (!end || end[1] == '\'')
				break;
			sh->literal[i] = xstrndup(p + 1, (size_t)(end - p - 1));
			p = skip_space(end + 1);
		} else {
			break;
		}
	}
	if (i != sh->ncols || !(p = token(p, ")")) || *p)
		goto no;
	sh->vals = xcalloc((size_t)sh->ncols, sizeof(*sh->vals));
	sh->lens = xcalloc((size_t)sh->ncols, sizeof(*sh->lens));
	return sh;
no:
	shape_free(sh);
	return NULL;
}

static int prepare_on_server(struct db_stmt *s, struct crm_err *err)
{
	PGresult *res;
	int rc = 0;

	snprintf(s->name, sizeof(s->name), "s%u", ++s->c->next_name);
	res = PQprepare(s->c->h, s->name, s->sql, s->nparams, s->types);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = map_error(s->c, res, "preparing a statement", err);
	PQclear(res);
	s->epoch = s->c->epoch;
	return rc;
}

static void finalize(struct db_stmt *s)
{
	if (!s)
		return;
	PQclear(s->res);
	if (s->name[0] && s->epoch == s->c->epoch && PQstatus(s->c->h) == CONNECTION_OK) {
		char sql[48];

		snprintf(sql, sizeof(sql), "DEALLOCATE %s", s->name);
		PQclear(PQexec(s->c->h, sql));
	}
	clear_bindings(s);
	shape_free(s->shape);
	free(s->vals);
	free(s->lens);
	free(s->types);
	free(s->sql);
	free(s);
}

static int prepare(struct db_conn *c, const char *sql, size_t len, struct db_stmt **out,
		   struct crm_err *err)
{
	struct db_stmt *s = xcalloc(1, sizeof(*s));
	int rc;

	s->c = c;
	s->sql = rewrite(sql, len, &s->nparams, &s->types);
	s->vals = xcalloc((size_t)s->nparams + 1, sizeof(*s->vals));
	s->lens = xcalloc((size_t)s->nparams + 1, sizeof(*s->lens));
	{
		char *text = xstrndup(sql, len);

		s->shape = shape_of(text);
		free(text);
	}
	if ((rc = ensure_live(c, err)) || (rc = prepare_on_server(s, err))) {
		s->name[0] = '\0';
		finalize(s);
		return rc;
	}
	*out = s;
	return 0;
}

static void reset(struct db_stmt *s)
{
	PQclear(s->res);
	s->res = NULL;
	s->row = 0;
	clear_bindings(s);
}

static void bind_set(struct db_stmt *s, int i, char *v, size_t len)
{
	if (i < 1 || i > s->nparams) {
		free(v);
		return; /* as SQLite: a number the statement does not use binds nothing */
	}
	free(s->vals[i - 1]);
	s->vals[i - 1] = v;
	s->lens[i - 1] = (int)len;
}

static void bind_text(struct db_stmt *s, int i, const char *v, size_t len)
{
	char *copy = NULL;

	if (v) {
		copy = xmalloc(len + 1);
		memcpy(copy, v, len);
		copy[len] = '\0';
	}
	bind_set(s, i, copy, len);
}

static void bind_int(struct db_stmt *s, int i, int64_t v)
{
	char buf[24];
	int n = snprintf(buf, sizeof(buf), "%lld", (long long)v);

	bind_text(s, i, buf, (size_t)n);
}

static void bind_double(struct db_stmt *s, int i, double v)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%.17g", v);

	bind_text(s, i, buf, (size_t)n);
}

static void bind_null(struct db_stmt *s, int i)
{
	bind_set(s, i, NULL, 0);
}

/* Prepares s if its connection does not have it, and runs it into s->res. */
static int run_prepared(struct db_stmt *s, struct crm_err *err)
{
	ExecStatusType st;
	int rc;

	if ((rc = held_send(s->c, err)) || (rc = ensure_live(s->c, err)) ||
	    (s->epoch != s->c->epoch && (rc = prepare_on_server(s, err))))
		return rc;
	s->res = PQexecPrepared(s->c->h, s->name, s->nparams, (const char *const *)s->vals, s->lens,
				NULL, 0);
	s->row = 0;
	st = PQresultStatus(s->res);
	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
		s->c->changes = strtoll(PQcmdTuples(s->res), NULL, 10);
		return 0;
	}
	rc = map_error(s->c, s->res, "running a statement", err);
	PQclear(s->res);
	s->res = NULL;
	return rc;
}

static int held_add(struct db_stmt *s, struct crm_err *err);

static int step(struct db_stmt *s, struct crm_err *err)
{
	int rc;

	if (!s->res && s->shape && s->c->bulk)
		return held_add(s, err);
	if (!s->res) {
		bool idle = PQtransactionStatus(s->c->h) == PQTRANS_IDLE;
		unsigned epoch = s->c->epoch;

		rc = run_prepared(s, err);
		/* outside a transaction nothing was half done: once more on a new connection */
		if (rc == CRM_EBUSY && idle && s->c->dead && s->c->epoch == epoch) {
			crm_err_clear(err);
			rc = run_prepared(s, err);
		}
		if (rc)
			return rc;
	}
	if (s->row < PQntuples(s->res))
		return s->row++, 1;
	return 0;
}

/* The columns of the row step() returned last. */
static bool col_is_null(struct db_stmt *s, int i)
{
	return !s->res || PQgetisnull(s->res, s->row - 1, i);
}

static const char *col_text(struct db_stmt *s, int i, size_t *len)
{
	const char *p = col_is_null(s, i) ? NULL : PQgetvalue(s->res, s->row - 1, i);

	if (len)
		*len = p ? (size_t)PQgetlength(s->res, s->row - 1, i) : 0;
	return p;
}

static int64_t col_int(struct db_stmt *s, int i)
{
	const char *p = col_text(s, i, NULL);

	if (!p)
		return 0;
	if (*p == 't' || *p == 'f') /* a boolean */
		return *p == 't';
	return strtoll(p, NULL, 10);
}

static double col_double(struct db_stmt *s, int i)
{
	const char *p = col_text(s, i, NULL);

	return p ? strtod(p, NULL) : 0;
}

static int64_t changes(struct db_conn *c)
{
	return c->changes;
}

/* Write transactions take one transaction-scoped advisory lock: the writers of every
 * process take turns, as on SQLite, so that events are numbered in the order their
 * transactions commit and a reader of the outbox never passes a number still to come. */
static int begin_write(struct db_conn *c, struct crm_err *err)
{
	int rc = exec(c, "BEGIN; SELECT pg_advisory_xact_lock(7242238)", err);

	c->in_tx = rc == 0;
	return rc;
}

static int copy_end(struct db_conn *c, bool abort, int64_t *out_rows, struct crm_err *err);
static int bulk_inserts(struct db_conn *c, int how, struct crm_err *err);
static void rollback(struct db_conn *c);

static int commit(struct db_conn *c, struct crm_err *err)
{
	PGresult *res;
	int rc;

	c->bulk = false;
	if ((rc = held_send(c, err))) {
		rollback(c);
		return rc;
	}
	res = PQexec(c->h, "COMMIT");
	c->in_tx = false;
	/* a COMMIT of a failed transaction answers ROLLBACK, not an error */
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = map_error(c, res, "committing", err);
	else if (strcmp(PQcmdStatus(res), "ROLLBACK") == 0)
		rc = crm_err_set(err, CRM_EIO, NULL, "the transaction was rolled back");
	PQclear(res);
	return rc;
}

static void rollback(struct db_conn *c)
{
	bulk_inserts(c, DB_BULK_DROP, NULL);
	if (c->copying)
		copy_end(c, true, NULL, NULL);
	c->in_tx = false;
	if (PQtransactionStatus(c->h) != PQTRANS_IDLE)
		PQclear(PQexec(c->h, "ROLLBACK"));
}

static int backup(struct db_conn *src, const char *path, struct crm_err *err)
{
	(void)src;
	(void)path;
	return crm_err_set(err, CRM_EINVAL, NULL,
			   "a PostgreSQL database is backed up with pg_dump or pg_basebackup");
}

/* ---- bulk loads: COPY … FROM STDIN in text format ---- */

/* Starts COPY of the columns of table (copy_begin without sending held rows first). */
static int copy_start(struct db_conn *c, const char *table, const char *const *columns,
		      int ncolumns, struct crm_err *err)
{
	struct strbuf sql = STRBUF_INIT;
	PGresult *res = NULL;
	char *id;
	int rc = 0;

	if (c->copying)
		CRM_BUG("a COPY is under way on this connection already");
	if ((rc = ensure_live(c, err)))
		return rc;
	/* the names as identifiers, quoted by libpq */
	if (!(id = PQescapeIdentifier(c->h, table, strlen(table))))
		goto failed;
	strbuf_addf(&sql, "COPY %s (", id);
	PQfreemem(id);
	for (int i = 0; i < ncolumns; i++) {
		if (!(id = PQescapeIdentifier(c->h, columns[i], strlen(columns[i]))))
			goto failed;
		strbuf_addf(&sql, "%s%s", i ? ", " : "", id);
		PQfreemem(id);
	}
	strbuf_addstr(&sql, ") FROM STDIN");
	res = PQexec(c->h, strbuf_cstr(&sql));
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		rc = map_error(c, res, "loading rows", err);
		goto out;
	}
	c->copying = true;
	strbuf_reset(&c->copy);
	c->copy_cols = xcalloc((size_t)ncolumns, sizeof(*c->copy_cols));
	for (int i = 0; i < ncolumns; i++)
		c->copy_cols[i] = xstrdup(columns[i]);
	c->copy_ncols = ncolumns;
	goto out;
failed:
	rc = map_error(c, NULL, "loading rows", err);
out:
	PQclear(res);
	strbuf_release(&sql);
	return rc;
}

static int copy_begin(struct db_conn *c, const char *table, const char *const *columns,
		      int ncolumns, struct crm_err *err)
{
	int rc = held_send(c, err);

	return rc ? rc : copy_start(c, table, columns, ncolumns, err);
}

/* Sends what c->copy holds. */
static int copy_flush(struct db_conn *c, struct crm_err *err)
{
	if (c->copy.len && PQputCopyData(c->h, c->copy.buf, (int)c->copy.len) != 1)
		return map_error(c, NULL, "loading rows", err);
	strbuf_reset(&c->copy);
	return 0;
}

/* One row into out in COPY's text format: values between tabs, \N for NULL, and the
 * backslash, tab, newline and carriage return of a value escaped. cols name the values
 * in messages. */
static int copy_encode(struct strbuf *out, const char *const *vals, const size_t *lens, int n,
		       char *const *cols, struct crm_err *err)
{
	for (int i = 0; i < n; i++) {
		const char *v = vals[i];
		char *o;

		if (!v) {
			strbuf_add(out, "\\N", 2);
		} else {
			if (memchr(v, '\0', lens[i]))
				return crm_err_set(err, CRM_EINVAL, cols[i],
						   "'%s' holds a NUL byte, which PostgreSQL cannot"
						   " store",
						   cols[i]);
			strbuf_grow(out, lens[i] * 2 + 1);
			o = out->buf + out->len;
			for (size_t k = 0; k < lens[i]; k++) {
				char ch = v[k];

				switch (ch) {
				case '\\':
					*o++ = '\\', *o++ = '\\';
					break;
				case '\t':
					*o++ = '\\', *o++ = 't';
					break;
				case '\n':
					*o++ = '\\', *o++ = 'n';
					break;
				case '\r':
					*o++ = '\\', *o++ = 'r';
					break;
				default:
					*o++ = ch;
				}
			}
			out->len = (size_t)(o - out->buf);
			out->buf[out->len] = '\0';
		}
		strbuf_addch(out, i + 1 < n ? '\t' : '\n');
	}
	return 0;
}

static int copy_row(struct db_conn *c, const char *const *vals, const size_t *lens, int n,
		    struct crm_err *err)
{
	int rc;

	if (!c->copying)
		CRM_BUG("copy_row without copy_begin");
	if (n != c->copy_ncols)
		CRM_BUG("a row of %d values for %d columns", n, c->copy_ncols);
	if ((rc = copy_encode(&c->copy, vals, lens, n, c->copy_cols, err)))
		return rc;
	return c->copy.len >= COPY_CHUNK ? copy_flush(c, err) : 0;
}

/* The line of COPY data an error was about, from its context ("COPY t, line 51…"); 0
 * when it does not say. */
static int64_t copy_line_of(const PGresult *res)
{
	const char *ctx = PQresultErrorField(res, PG_DIAG_CONTEXT);
	const char *p = ctx ? strstr(ctx, "COPY ") : NULL;

	p = p ? strstr(p, ", line ") : NULL;
	return p ? strtoll(p + strlen(", line "), NULL, 10) : 0;
}

/* copy_end, and *failed_line (when not NULL) the line of the data the COPY refused, from
 * 1; 0 when it did not say. */
static int copy_finish(struct db_conn *c, bool abort, int64_t *out_rows, int64_t *failed_line,
		       struct crm_err *err)
{
	PGresult *res;
	int rc = 0;

	if (!c->copying)
		CRM_BUG("copy_end without copy_begin");
	if (!abort)
		rc = copy_flush(c, err);
	if (PQputCopyEnd(c->h, abort || rc ? "the load was abandoned" : NULL) != 1 && !rc)
		rc = map_error(c, NULL, "loading rows", err);
	/* the COPY's result, then the end of results */
	while ((res = PQgetResult(c->h))) {
		if (PQresultStatus(res) == PGRES_COMMAND_OK) {
			c->changes = strtoll(PQcmdTuples(res), NULL, 10);
		} else if (!rc && !abort) {
			rc = map_error(c, res, "loading rows", err);
			if (failed_line)
				*failed_line = copy_line_of(res);
		}
		PQclear(res);
	}
	copy_forget(c);
	if (!rc && !abort && out_rows)
		*out_rows = c->changes;
	return rc;
}

static int copy_end(struct db_conn *c, bool abort, int64_t *out_rows, struct crm_err *err)
{
	return copy_finish(c, abort, out_rows, NULL, err);
}

/* ---- bulk inserts: plain INSERTs held back and sent by COPY ---- */

/* The held rows of s's statement, made on its first row. */
static struct held *held_of(struct db_stmt *s)
{
	struct db_conn *c = s->c;
	struct held *h;

	for (int i = 0; i < c->nheld; i++)
		if (strcmp(c->held[i].sql, s->sql) == 0)
			return &c->held[i];
	c->held = xrealloc(c->held, (size_t)(c->nheld + 1) * sizeof(*c->held));
	h = &c->held[c->nheld++];
	*h = (struct held){.sql = xstrdup(s->sql), .table = xstrdup(s->shape->table)};
	h->cols = xcalloc((size_t)s->shape->ncols, sizeof(*h->cols));
	for (int i = 0; i < s->shape->ncols; i++)
		h->cols[i] = xstrdup(s->shape->cols[i]);
	h->ncols = s->shape->ncols;
	return h;
}

/* Holds the row s's bindings make instead of running s; sends what is held when it
 * grows past HELD_MAX. */
static int held_add(struct db_stmt *s, struct crm_err *err)
{
	struct insert_shape *sh = s->shape;
	struct held *h = held_of(s);
	size_t before = h->rows.len;
	int rc;

	for (int i = 0; i < sh->ncols; i++) {
		int p = sh->param[i];

		sh->vals[i] = p ? s->vals[p - 1] : sh->literal[i];
		sh->lens[i] = p ? (size_t)s->lens[p - 1] : strlen(sh->literal[i]);
	}
	if ((rc = copy_encode(&h->rows, sh->vals, sh->lens, sh->ncols, h->cols, err))) {
		h->rows.len = before;
		h->rows.buf[before] = '\0';
		if (err)
			err->at = s->c->mark;
		return rc;
	}
	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 256;
		h->marks = xrealloc(h->marks, (size_t)h->cap * sizeof(*h->marks));
	}
	h->marks[h->n++] = s->c->mark;
	s->c->changes = 1;
	s->c->held_bytes += h->rows.len - before;
	return s->c->held_bytes > HELD_MAX ? held_send(s->c, err) : 0;
}

static void held_drop(struct db_conn *c)
{
	for (int i = 0; i < c->nheld; i++) {
		strbuf_reset(&c->held[i].rows);
		c->held[i].n = 0;
	}
	c->held_bytes = 0;
}

/* Sends the held rows, a COPY per statement, in the order the statements first held a
 * row (foreign keys are checked at the commit: DB_BULK_START). On an error the rows
 * still held are dropped: the transaction has failed. */
static int held_send(struct db_conn *c, struct crm_err *err)
{
	int rc = 0;

	if (!c->held_bytes)
		return 0;
	c->held_bytes = 0; /* copy_start runs commands of its own */
	for (int i = 0; !rc && i < c->nheld; i++) {
		struct held *h = &c->held[i];
		int64_t rows = 0, failed = 0;

		if (!h->n)
			continue;
		if (!(rc = copy_start(c, h->table, (const char *const *)h->cols, h->ncols, err))) {
			bool put = PQputCopyData(c->h, h->rows.buf, (int)h->rows.len) == 1;

			rc = copy_finish(c, !put, &rows, &failed, err);
			if (rc && err && failed >= 1 && failed <= h->n)
				err->at = h->marks[failed - 1];
			if (!rc && !put)
				rc = map_error(c, NULL, "loading rows", err);
			else if (!rc && rows != h->n)
				rc = crm_err_set(err, CRM_EIO, NULL,
						 "%lld rows of %s were sent and %lld written",
						 (long long)h->n, h->table, (long long)rows);
		}
		strbuf_reset(&h->rows);
		h->n = 0;
	}
	if (rc)
		held_drop(c);
	return rc;
}

/* DB_BULK_START holds the connection's plain INSERTs from now on, with the foreign keys
 * (all made DEFERRABLE: migration 0010) checked at the commit, so that rows may be sent
 * table by table; DB_BULK_SEND sends them and checks the keys now; DB_BULK_DROP forgets
 * them (the transaction is being rolled back). */
static int bulk_inserts(struct db_conn *c, int how, struct crm_err *err)
{
	int rc;

	switch (how) {
	case DB_BULK_START:
		if (c->bulk)
			return 0;
		/* the tables grow faster than their statistics: plan each statement for
		 * them as they are now, not once for how they were (empty, say); the foreign
		 * keys' checks at DB_BULK_SEND keep their plans */
		rc = command(c,
			     "SET CONSTRAINTS ALL DEFERRED;"
			     " SET LOCAL plan_cache_mode = force_custom_plan",
			     "holding inserts", err);
		c->bulk = rc == 0;
		return rc;
	case DB_BULK_SEND:
		if (!c->bulk)
			return 0;
		c->bulk = false; /* command() sends what is held first */
		return command(
			c, "SET LOCAL plan_cache_mode TO DEFAULT; SET CONSTRAINTS ALL IMMEDIATE",
			"sending inserts", err);
	default:
		c->bulk = false;
		held_drop(c);
		return 0;
	}
}

static void bulk_mark(struct db_conn *c, int64_t mark)
{
	c->mark = mark;
}

static int lock_schema(struct db_conn *c, struct crm_err *err)
{
	/* held to the end of the transaction: one process migrates, the others wait and
	 * then find the schema current */
	return exec(c, "SELECT pg_advisory_xact_lock(7242237)", err);
}

/* ---- the identity changes of other processes ---- */

/* A thread on a connection of its own LISTENs to the channel every transaction that
 * changed identities NOTIFYs (db.c, identity_notify): each notification bumps *commits. While it
 * has no connection it holds *lost up, and tries again every half second. */
struct watch {
	char *url;
	_Atomic uint64_t *commits;
	_Atomic int *lost;
	_Atomic bool stop;
	pthread_t thread;
};

static PGconn *watch_connect(struct watch *w)
{
	PGconn *h = PQconnectdb(w->url);
	PGresult *res = PQstatus(h) == CONNECTION_OK ? PQexec(h, "LISTEN telcrm_identity") : NULL;
	bool ok = res && PQresultStatus(res) == PGRES_COMMAND_OK;

	PQclear(res);
	if (!ok) {
		PQfinish(h);
		return NULL;
	}
	return h;
}

static void *watch_main(void *arg)
{
	struct watch *w = arg;
	PGconn *h = NULL;

	while (!atomic_load(&w->stop)) {
		struct pollfd p;
		PGnotify *n;

		if (!h) {
			atomic_store(w->lost, 1);
			if (!(h = watch_connect(w))) {
				poll(NULL, 0, 500);
				continue;
			}
			atomic_store(w->lost, 0);
			atomic_fetch_add(w->commits, 1); /* what happened while it was away */
		}
		p = (struct pollfd){.fd = PQsocket(h), .events = POLLIN};
		if (poll(&p, 1, 250) < 0 || !PQconsumeInput(h) || PQstatus(h) != CONNECTION_OK) {
			PQfinish(h);
			h = NULL;
			continue;
		}
		while ((n = PQnotifies(h))) {
			PQfreemem(n);
			atomic_fetch_add(w->commits, 1);
		}
	}
	PQfinish(h);
	return NULL;
}

static int watch_start(const char *url, _Atomic uint64_t *commits, _Atomic int *lost, void **out,
		       struct crm_err *err)
{
	struct watch *w = xcalloc(1, sizeof(*w));

	w->url = xstrdup(url);
	w->commits = commits;
	w->lost = lost;
	atomic_store(lost, 1); /* until the first LISTEN is in place */
	if (pthread_create(&w->thread, NULL, watch_main, w) != 0) {
		free(w->url);
		free(w);
		return crm_err_set(err, CRM_EIO, NULL, "cannot start a thread");
	}
	*out = w;
	return 0;
}

static void watch_stop(void *arg)
{
	struct watch *w = arg;

	atomic_store(&w->stop, true);
	pthread_join(w->thread, NULL);
	free(w->url);
	free(w);
}

const struct db_backend db_pg_backend = {
	.name = "postgresql",
	.dialect = DB_DIALECT_PG,
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
	.lock_schema = lock_schema,
	.copy_begin = copy_begin,
	.copy_row = copy_row,
	.copy_end = copy_end,
	.bulk_inserts = bulk_inserts,
	.bulk_mark = bulk_mark,
	.identity_notify = "NOTIFY telcrm_identity",
	.watch_start = watch_start,
	.watch_stop = watch_stop,
	.migrations = pg_migrations,
	.nmigrations = &pg_migrations_count,
};
