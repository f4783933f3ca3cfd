/*
 * The generic statements of a resource table: one SELECT, INSERT, UPDATE and DELETE per
 * table, generated once from its struct db_table, and the list query built per request
 * from its conditions, order and cursor. Rows are read into and bound from the caller's
 * struct through the columns' offsets. Every table has the head columns of struct db_row;
 * the scope kind adds its own (org_id joined to org_unit, path, owner_id).
 */
#include "store/db_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/mem.h"
#include "core/str.h"
#include "core/banned.h"

struct db__table_sql {
	char *select; /* "SELECT <columns> FROM <table> t [JOIN …] WHERE <live> AND <scope>" */
	char *get;    /* select + " AND t.id = ?" */
	char *count;  /* "SELECT count(*) FROM … WHERE <live> AND <scope>" */
	char *insert;
	char *update;
	char *remove; /* soft: UPDATE … SET deleted_ms; else DELETE */
	int nhead;    /* columns of the head in select's list */
	int ncols;    /* the table's own columns */
};

/* The head columns of t, in the order row_read_of reads them, each after prefix p ("t.",
 * or "" for an INSERT); unit_path: what gives a unit-scoped row's path (NULL: none, as in
 * an INSERT). */
static void head_list(const struct db_table *t, struct strbuf *sb, const char *p,
		      const char *unit_path)
{
	strbuf_addf(sb, "%sid, %sversion, %screated_ms, %supdated_ms", p, p, p, p);
	if (t->soft_delete)
		strbuf_addf(sb, ", %sdeleted_ms", p);
	if (t->doc)
		strbuf_addf(sb, ", %sdoc", p);
	if (t->scope == DB_SCOPE_UNIT)
		strbuf_addf(sb, ", %sorg_id%s%s", p, unit_path ? ", " : "",
			    unit_path ? unit_path : "");
	if (t->scope == DB_SCOPE_UNIT && t->owned)
		strbuf_addf(sb, ", %sowner_id", p);
	else if (t->scope == DB_SCOPE_PATH)
		strbuf_addf(sb, ", %spath", p);
	else if (t->scope == DB_SCOPE_OWNER)
		strbuf_addf(sb, ", %sowner_id", p);
}

static void head_columns(const struct db_table *t, struct strbuf *sb, bool alias)
{
	head_list(t, sb, alias ? "t." : "", alias ? "o.path" : NULL);
}

void db_table_init(struct db_table *t)
{
	struct db__table_sql *q = xcalloc(1, sizeof(*q));
	struct strbuf sel = STRBUF_INIT, from = STRBUF_INIT, sb = STRBUF_INIT;
	const struct db_column *c;

	if (t->sql)
		CRM_BUG("table '%s' initialised twice", t->name);
	/* SELECT */
	strbuf_addstr(&sel, "SELECT ");
	head_columns(t, &sel, true);
	q->nhead = 4 + t->soft_delete + t->doc + (t->scope == DB_SCOPE_UNIT && t->owned) +
		   (t->scope == DB_SCOPE_UNIT	? 2
		    : t->scope == DB_SCOPE_NONE ? 0
						: 1);
	for (c = t->columns; c && c->name; c++, q->ncols++)
		strbuf_addf(&sel, ", t.%s", c->name);
	strbuf_addf(&from, " FROM %s t", t->name);
	if (t->scope == DB_SCOPE_UNIT)
		strbuf_addstr(&from, " JOIN org_unit o ON o.id = t.org_id");
	strbuf_addstr(&from, t->soft_delete ? " WHERE t.deleted_ms = 0" : " WHERE 1 = 1");
	if (t->kind_column)
		strbuf_addf(&from, " AND t.%s = '%s'", t->kind_column, t->kind_value);
	if (t->scope == DB_SCOPE_UNIT)
		strbuf_addstr(&from, " AND o.path >= ? AND o.path < ?");
	if (t->scope == DB_SCOPE_UNIT && t->owned)
		strbuf_addstr(&from, " AND (CAST(? AS INTEGER) = 0 OR t.owner_id = ?)");
	else if (t->scope == DB_SCOPE_PATH)
		strbuf_addstr(&from, " AND t.path >= ? AND t.path < ?");
	else if (t->scope == DB_SCOPE_OWNER)
		strbuf_addstr(&from, " AND (CAST(? AS TEXT) IS NULL OR t.owner_id = ?)");
	strbuf_addstr(&sel, strbuf_cstr(&from));
	q->select = xstrdup(strbuf_cstr(&sel));
	strbuf_addstr(&sel, " AND t.id = ?");
	q->get = xstrdup(strbuf_cstr(&sel));
	strbuf_addf(&sb, "SELECT count(*)%s", strbuf_cstr(&from));
	q->count = xstrdup(strbuf_cstr(&sb));

	/* INSERT: the head, then the columns */
	strbuf_reset(&sb);
	strbuf_addf(&sb, "INSERT INTO %s (", t->name);
	head_columns(t, &sb, false);
	for (c = t->columns; c && c->name; c++)
		strbuf_addf(&sb, ", %s", c->name);
	if (t->kind_column)
		strbuf_addf(&sb, ", %s", t->kind_column);
	strbuf_addstr(&sb, ") VALUES (?");
	for (int i = 1; i < q->nhead - (t->scope == DB_SCOPE_UNIT) + q->ncols; i++)
		strbuf_addstr(&sb, ", ?");
	if (t->kind_column)
		strbuf_addf(&sb, ", '%s'", t->kind_value);
	strbuf_addch(&sb, ')');
	q->insert = xstrdup(strbuf_cstr(&sb));

	/* UPDATE: the head but id and created_ms, then the columns, then the key */
	strbuf_reset(&sb);
	strbuf_addf(&sb, "UPDATE %s SET version = version + 1, updated_ms = ?", t->name);
	if (t->soft_delete)
		strbuf_addstr(&sb, ", deleted_ms = ?");
	if (t->doc)
		strbuf_addstr(&sb, ", doc = ?");
	if (t->scope == DB_SCOPE_UNIT)
		strbuf_addstr(&sb, ", org_id = ?");
	if (t->scope == DB_SCOPE_UNIT && t->owned)
		strbuf_addstr(&sb, ", owner_id = ?");
	else if (t->scope == DB_SCOPE_PATH)
		strbuf_addstr(&sb, ", path = ?");
	else if (t->scope == DB_SCOPE_OWNER)
		strbuf_addstr(&sb, ", owner_id = ?");
	for (c = t->columns; c && c->name; c++)
		strbuf_addf(&sb, ", %s = ?", c->name);
	strbuf_addstr(&sb, " WHERE id = ? AND version = ?");
	if (t->soft_delete)
		strbuf_addstr(&sb, " AND deleted_ms = 0");
	if (t->kind_column)
		strbuf_addf(&sb, " AND %s = '%s'", t->kind_column, t->kind_value);
	q->update = xstrdup(strbuf_cstr(&sb));

	strbuf_reset(&sb);
	if (t->soft_delete)
		strbuf_addf(&sb,
			    "UPDATE %s SET version = version + 1, updated_ms = ?, deleted_ms = ?"
			    " WHERE id = ? AND version = ? AND deleted_ms = 0",
			    t->name);
	else
		strbuf_addf(&sb, "DELETE FROM %s WHERE id = ? AND version = ?", t->name);
	q->remove = xstrdup(strbuf_cstr(&sb));
	strbuf_release(&sel);
	strbuf_release(&from);
	strbuf_release(&sb);
	t->sql = q;
}

static const struct db__table_sql *sql_of(const struct db_table *t)
{
	if (!t->sql)
		CRM_BUG("table '%s' used before db_table_init", t->name);
	return t->sql;
}

/* ---- values in and out of a row struct ---- */

static void *slot(void *row, size_t offset)
{
	return (char *)row + offset;
}

static void col_read(struct db_stmt *s, int i, const struct db_column *c, struct arena *a,
		     void *row)
{
	void *p = slot(row, c->offset);

	switch (c->type) {
	case DB_TEXT:
		*(const char **)p = db__col_dup(s, i, a);
		if ((c->flags & DB_COL_EMPTY_IS_NULL) && *(const char **)p && !**(const char **)p)
			*(const char **)p = NULL;
		break;
	case DB_INT:
		*(int64_t *)p = db__col_int(s, i);
		break;
	case DB_REAL:
		*(double *)p = db__col_double(s, i);
		break;
	case DB_BOOL:
		*(bool *)p = db__col_int(s, i) != 0;
		break;
	}
}

static void col_bind(struct db_stmt *s, int i, const struct db_column *c, const void *row)
{
	const void *p = (const char *)row + c->offset;

	switch (c->type) {
	case DB_TEXT:
		db__bind_text(s, i,
			      !*(const char *const *)p && (c->flags & DB_COL_EMPTY_IS_NULL)
				      ? ""
				      : *(const char *const *)p);
		break;
	case DB_INT:
		db__bind_int(s, i, *(const int64_t *)p);
		break;
	case DB_REAL:
		db__bind_double(s, i, *(const double *)p);
		break;
	case DB_BOOL:
		db__bind_int(s, i, *(const bool *)p);
		break;
	}
}

/* Reads a row of select's column list, from column base, into item. */
static void row_read_at(const struct db_table *t, struct db_stmt *s, int base, struct arena *a,
			void *item)
{
	const struct db__table_sql *q = sql_of(t);
	struct db_row *h = item;
	int i = base + 4;

	h->id = db__col_dup(s, base, a);
	h->version = db__col_int(s, base + 1);
	h->created_ms = db__col_int(s, base + 2);
	h->updated_ms = db__col_int(s, base + 3);
	if (t->soft_delete)
		h->deleted_ms = db__col_int(s, i++);
	if (t->doc)
		h->doc = db__col_dup(s, i++, a);
	if (t->scope == DB_SCOPE_UNIT) {
		h->org_id = db__col_dup(s, i++, a);
		h->org_path = db__col_dup(s, i++, a);
		if (t->owned)
			h->owner_id = db__col_dup(s, i++, a);
	} else if (t->scope == DB_SCOPE_PATH) {
		h->org_path = db__col_dup(s, i++, a);
	} else if (t->scope == DB_SCOPE_OWNER) {
		h->owner_id = db__col_dup(s, i++, a);
	}
	for (int k = 0; k < q->ncols; k++)
		col_read(s, base + q->nhead + k, &t->columns[k], a, item);
}

static void row_read_of(const struct db_table *t, struct db_stmt *s, struct arena *a, void *item)
{
	row_read_at(t, s, 0, a, item);
}

/* Binds the scope's parameters from i; returns the next index. */
static int bind_scope(struct db_stmt *s, int i, const struct db_table *t, struct db_scope scope,
		      struct arena *a)
{
	switch (t->scope) {
	case DB_SCOPE_UNIT:
		if (t->owned) { /* own: the owner's rows, wherever they lie */
			db__bind_scope(s, i, scope.own ? db_scope_all() : scope, a);
			db__bind_int(s, i + 2, scope.own);
			db__bind_text(s, i + 3, scope.owner_id);
			return i + 4;
		}
		/* fall through */
	case DB_SCOPE_PATH:
		db__bind_scope(s, i, scope, a);
		return i + 2;
	case DB_SCOPE_OWNER:
		db__bind_text(s, i, scope.owner_id);
		db__bind_text(s, i + 1, scope.owner_id);
		return i + 2;
	case DB_SCOPE_NONE:
		break;
	}
	return i;
}

int db_row_get(struct db *db, struct db_tx *tx, const struct db_table *t, struct db_scope scope,
	       const char *id, struct arena *a, void *out, struct crm_err *err)
{
	struct db_conn *c = db__conn_of(db, tx, err);
	struct db_stmt *s = NULL;
	int rc;

	if (!c)
		return err->code;
	/* stored ids are UTF-8 (PostgreSQL refuses to compare with anything else) */
	if (!str_utf8_valid(id))
		return crm_err_set(err, CRM_ENOTFOUND, "id", "%s '%.64s' not found", t->what, id);
	if ((rc = db__prepare(c, sql_of(t)->get, &s, err)))
		return rc;
	db__bind_text(s, bind_scope(s, 1, t, scope, a), id);
	rc = db__step(s, err);
	if (rc == 1) {
		row_read_of(t, s, a, out);
		rc = 0;
	} else if (rc == 0) {
		rc = crm_err_set(err, CRM_ENOTFOUND, "id", "%s '%.64s' not found", t->what, id);
	}
	db__release(s);
	return rc;
}

int db_row_get_by(struct db *db, struct db_tx *tx, const struct db_table *t, struct db_scope scope,
		  const char *column, const char *value, struct arena *a, void *out,
		  struct crm_err *err)
{
	struct db_conn *c = db__conn_of(db, tx, err);
	struct db_stmt *s = NULL;
	int rc;

	if (!c)
		return err->code;
	if (!str_utf8_valid(value))
		return crm_err_set(err, CRM_ENOTFOUND, column, "%s with %s '%s' not found", t->what,
				   column, value);
	if ((rc = db__prepare(c,
			      arena_printf(a, "%s AND t.%s = ? LIMIT 1", sql_of(t)->select, column),
			      &s, err)))
		return rc;
	db__bind_text(s, bind_scope(s, 1, t, scope, a), value);
	rc = db__step(s, err);
	if (rc == 1) {
		row_read_of(t, s, a, out);
		rc = 0;
	} else if (rc == 0) {
		rc = crm_err_set(err, CRM_ENOTFOUND, column, "%s with %s '%s' not found", t->what,
				 column, value);
	}
	db__release(s);
	return rc;
}

/* ---- lists ---- */

static const char *const ops[] = {"=", ">", ">=", "<", "<="};

static void value_bind(struct db_stmt *s, int i, enum db_ctype type, const struct db_value *v)
{
	if (v->null)
		db__bind_null(s, i);
	else if (type == DB_TEXT)
		db__bind_text(s, i, v->s);
	else if (type == DB_REAL)
		db__bind_double(s, i, v->d);
	else
		db__bind_int(s, i, v->i);
}

static void conds_sql(struct strbuf *sb, const struct db_query *q)
{
	for (size_t i = 0; i < q->nconds; i++) {
		const struct db_cond *c = &q->conds[i];

		if (c->op == DB_EQ && c->nvalues > 1) {
			strbuf_addf(sb, " AND t.%s IN (?", c->column);
			for (size_t k = 1; k < c->nvalues; k++)
				strbuf_addstr(sb, ", ?");
			strbuf_addch(sb, ')');
		} else {
			strbuf_addf(sb, " AND t.%s %s ?", c->column, ops[c->op]);
		}
	}
}

static int conds_bind(struct db_stmt *s, int i, const struct db_query *q)
{
	for (size_t k = 0; k < q->nconds; k++)
		for (size_t v = 0; v < q->conds[k].nvalues; v++)
			value_bind(s, i++, q->conds[k].type, &q->conds[k].values[v]);
	return i;
}

/* The order's keys, then the id in the direction of the last key. */
static size_t nkeys(const struct db_query *q)
{
	return q->norder + 1;
}

static struct db_order key_of(const struct db_query *q, size_t k)
{
	if (k < q->norder)
		return q->order[k];
	return (struct db_order){"id", DB_TEXT, q->norder ? q->order[q->norder - 1].desc : true};
}

/* "the row comes after the cursor's keys": for keys k1..kn, the OR over j of
 * (k1..k(j-1) equal) AND (kj after). NULL sorts first (ASC NULLS FIRST, DESC NULLS LAST),
 * spelled out so that both backends order alike. */
static void after_sql(struct strbuf *sb, const struct db_query *q)
{
	strbuf_addstr(sb, " AND (");
	for (size_t j = 0; j < nkeys(q); j++) {
		strbuf_addstr(sb, j ? " OR (" : "(");
		for (size_t i = 0; i < j; i++) {
			struct db_order k = key_of(q, i);

			if (q->after[i].null)
				strbuf_addf(sb, "t.%s IS NULL AND ", k.column);
			else
				strbuf_addf(sb, "t.%s = ? AND ", k.column);
		}
		{
			struct db_order k = key_of(q, j);

			if (q->after[j].null)
				strbuf_addf(sb, k.desc ? "1 = 0" : "t.%s IS NOT NULL", k.column);
			else if (k.desc)
				strbuf_addf(sb, "(t.%s < ? OR t.%s IS NULL)", k.column, k.column);
			else
				strbuf_addf(sb, "t.%s > ?", k.column);
		}
		strbuf_addch(sb, ')');
	}
	strbuf_addch(sb, ')');
}

static int after_bind(struct db_stmt *s, int i, const struct db_query *q)
{
	for (size_t j = 0; j < nkeys(q); j++) {
		for (size_t k = 0; k < j; k++)
			if (!q->after[k].null)
				value_bind(s, i++, key_of(q, k).type, &q->after[k]);
		if (!q->after[j].null)
			value_bind(s, i++, key_of(q, j).type, &q->after[j]);
	}
	return i;
}

static void order_sql(struct strbuf *sb, const struct db_query *q)
{
	strbuf_addstr(sb, " ORDER BY ");
	for (size_t k = 0; k < nkeys(q); k++) {
		struct db_order o = key_of(q, k);

		strbuf_addf(sb, "%st.%s %s", k ? ", " : "", o.column,
			    o.desc ? "DESC NULLS LAST" : "ASC NULLS FIRST");
	}
}

int db_row_list(struct db *db, const struct db_table *t, struct db_scope scope,
		const struct db_query *q, size_t row_size, struct arena *a, void **out,
		size_t *out_n, int64_t *out_total, struct crm_err *err)
{
	const struct db__table_sql *sql = sql_of(t);
	struct db_conn *c = db__reader(db, err);
	struct strbuf sb = STRBUF_INIT;
	struct db_stmt *s = NULL;
	size_t n = 0, cap = (size_t)(q->limit > 0 ? q->limit : 1);
	char *items;
	int rc, i;

	if (!c)
		return err->code;
	strbuf_init_arena(&sb, a, 512);
	*out_total = -1;
	if (q->count) {
		strbuf_addstr(&sb, sql->count);
		conds_sql(&sb, q);
		if ((rc = db__prepare(c, strbuf_cstr(&sb), &s, err)))
			return rc;
		conds_bind(s, bind_scope(s, 1, t, scope, a), q);
		rc = db__step(s, err);
		*out_total = rc == 1 ? db__col_int(s, 0) : 0;
		db__release(s);
		if (rc < 0)
			return rc;
	}
	strbuf_reset(&sb);
	strbuf_addstr(&sb, sql->select);
	conds_sql(&sb, q);
	if (q->after)
		after_sql(&sb, q);
	order_sql(&sb, q);
	strbuf_addstr(&sb, " LIMIT ? OFFSET ?");
	if ((rc = db__prepare(c, strbuf_cstr(&sb), &s, err)))
		return rc;
	i = conds_bind(s, bind_scope(s, 1, t, scope, a), q);
	if (q->after)
		i = after_bind(s, i, q);
	db__bind_int(s, i, q->limit);
	db__bind_int(s, i + 1, q->after ? 0 : q->offset);
	items = arena_calloc(a, cap, row_size);
	while (n < cap && (rc = db__step(s, err)) == 1)
		row_read_of(t, s, a, items + n++ * row_size);
	db__release(s);
	if (rc < 0)
		return rc;
	*out = items;
	*out_n = n;
	return 0;
}

/* ---- writes ---- */

/* Binds the head's writable columns but id, version and created_ms (in the order of the
 * UPDATE's SET list) from i; returns the next index. */
static int head_bind(struct db_stmt *s, int i, const struct db_table *t, const struct db_row *h)
{
	db__bind_int(s, i++, h->updated_ms);
	if (t->soft_delete)
		db__bind_int(s, i++, h->deleted_ms);
	if (t->doc)
		db__bind_text(s, i++, h->doc ? h->doc : "{}");
	if (t->scope == DB_SCOPE_UNIT)
		db__bind_text(s, i++, h->org_id);
	if (t->scope == DB_SCOPE_UNIT && t->owned)
		db__bind_text(s, i++, h->owner_id);
	else if (t->scope == DB_SCOPE_PATH)
		db__bind_text(s, i++, h->org_path);
	else if (t->scope == DB_SCOPE_OWNER)
		db__bind_text(s, i++, h->owner_id);
	return i;
}

static int cols_bind(struct db_stmt *s, int i, const struct db_table *t, const void *row)
{
	for (const struct db_column *c = t->columns; c && c->name; c++)
		col_bind(s, i++, c, row);
	return i;
}

int db_row_insert(struct db_tx *tx, const struct db_table *t, const void *row, struct crm_err *err)
{
	const struct db_row *h = row;
	struct db_stmt *s = NULL;
	int rc, i = 1;

	if ((rc = db__prepare(db__tx_conn(tx), sql_of(t)->insert, &s, err)))
		return rc;
	db__bind_text(s, i++, h->id);
	db__bind_int(s, i++, h->version);
	db__bind_int(s, i++, h->created_ms);
	db__bind_int(s, i++, h->updated_ms);
	if (t->soft_delete)
		db__bind_int(s, i++, h->deleted_ms);
	if (t->doc)
		db__bind_text(s, i++, h->doc ? h->doc : "{}");
	if (t->scope == DB_SCOPE_UNIT)
		db__bind_text(s, i++, h->org_id);
	if (t->scope == DB_SCOPE_UNIT && t->owned)
		db__bind_text(s, i++, h->owner_id);
	else if (t->scope == DB_SCOPE_PATH)
		db__bind_text(s, i++, h->org_path);
	else if (t->scope == DB_SCOPE_OWNER)
		db__bind_text(s, i++, h->owner_id);
	cols_bind(s, i, t, row);
	return db__run(s, err);
}

int db_row_update(struct db_tx *tx, const struct db_table *t, const void *row, struct crm_err *err)
{
	struct db_conn *c = db__tx_conn(tx);
	const struct db_row *h = row;
	struct db_stmt *s = NULL;
	int rc, i;

	if ((rc = db__prepare(c, sql_of(t)->update, &s, err)))
		return rc;
	i = cols_bind(s, head_bind(s, 1, t, h), t, row);
	db__bind_text(s, i, h->id);
	db__bind_int(s, i + 1, h->version);
	return db__run_versioned(c, s, t->what, h->id, err);
}

int db_row_delete(struct db_tx *tx, const struct db_table *t, const void *row, struct crm_err *err)
{
	struct db_conn *c = db__tx_conn(tx);
	const struct db_row *h = row;
	struct db_stmt *s = NULL;
	int rc, i = 1;

	if ((rc = db__prepare(c, sql_of(t)->remove, &s, err)))
		return rc;
	if (t->soft_delete) {
		db__bind_int(s, i++, h->updated_ms);
		db__bind_int(s, i++, h->deleted_ms);
	}
	db__bind_text(s, i, h->id);
	db__bind_int(s, i + 1, h->version);
	return db__run_versioned(c, s, t->what, h->id, err);
}

int db_row_each_joined(struct db *db, const struct db_table *t, const char *join_column,
		       const struct db_table *t2, struct db_scope scope, struct arena *a,
		       size_t row_size, size_t row2_size,
		       int (*fn)(void *arg, void *row, void *row2), void *arg, struct crm_err *err)
{
	const struct db__table_sql *q = sql_of(t);
	struct db_conn *c = db__reader(db, err);
	struct strbuf sb = STRBUF_INIT;
	struct db_stmt *s = NULL;
	void *row = xcalloc(1, row_size), *row2 = xcalloc(1, row2_size);
	int rc, stop = 0;

	if (!c) {
		rc = err->code;
		goto out;
	}
	/* t's select, with t2's columns added after t's and t2 joined */
	strbuf_addstr(&sb, "SELECT ");
	head_columns(t, &sb, true);
	for (const struct db_column *col = t->columns; col && col->name; col++)
		strbuf_addf(&sb, ", t.%s", col->name);
	strbuf_addstr(&sb, ", ");
	head_list(t2, &sb, "p.", "NULL");
	for (const struct db_column *col = t2->columns; col && col->name; col++)
		strbuf_addf(&sb, ", p.%s", col->name);
	strbuf_addstr(&sb, strstr(q->select, " FROM "));
	strbuf_addf(&sb, " AND p.id = t.%s%s ORDER BY t.id", join_column,
		    t2->soft_delete ? " AND p.deleted_ms = 0" : "");
	{
		/* the join goes before WHERE */
		const char *text = strbuf_cstr(&sb), *where = strstr(text, " WHERE ");
		struct strbuf j = STRBUF_INIT;

		strbuf_add(&j, text, (size_t)(where - text));
		strbuf_addf(&j, ", %s p", t2->name);
		strbuf_addstr(&j, where);
		strbuf_reset(&sb);
		strbuf_addstr(&sb, strbuf_cstr(&j));
		strbuf_release(&j);
	}
	if ((rc = db__prepare(c, strbuf_cstr(&sb), &s, err)))
		goto out;
	bind_scope(s, 1, t, scope, a);
	while ((rc = db__step(s, err)) == 1) {
		memset(row, 0, row_size);
		memset(row2, 0, row2_size);
		row_read_of(t, s, a, row);
		row_read_at(t2, s, q->nhead + q->ncols, a, row2);
		if ((stop = fn(arg, row, row2)))
			break;
	}
	db__release(s);
	if (stop)
		rc = stop;
	else if (rc > 0)
		rc = 0;
out:
	strbuf_release(&sb);
	free(row);
	free(row2);
	return rc;
}
