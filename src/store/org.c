/* Org units: the tree that data scope is cut from (table org_unit, path = chain of codes). */
#include "store/db_int.h"

#include <string.h>

#include "core/arena.h"
#include "core/str.h"
#include "core/banned.h"

#define ORG_COLUMNS "id, name, kind, parent_id, path, status, version, created_ms, updated_ms"

static const struct db_field_map org_fields[] = {
	{"id", "id", DB_COL_TEXT},
	{"name", "name", DB_COL_TEXT},
	{"kind", "kind", DB_COL_TEXT},
	{"status", "status", DB_COL_TEXT},
	{"parentId", "parent_id", DB_COL_TEXT},
	{NULL, NULL, DB_COL_TEXT},
};

static void read_row(struct db_stmt *s, struct arena *a, struct db_org_unit *u)
{
	u->id = db__col_dup(s, 0, a);
	u->name = db__col_dup(s, 1, a);
	u->kind = db__col_dup(s, 2, a);
	u->parent_id = db__col_dup(s, 3, a);
	u->path = db__col_dup(s, 4, a);
	u->status = db__col_dup(s, 5, a);
	u->version = db__col_int(s, 6);
	u->created_ms = db__col_int(s, 7);
	u->updated_ms = db__col_int(s, 8);
}

int db_org_get(struct db *db, struct db_tx *tx, struct db_scope scope, const char *id,
	       struct arena *a, struct db_org_unit *out, struct crm_err *err)
{
	struct db_conn *c = tx ? db__tx_conn(tx) : db__reader(db, err);
	struct db_stmt *s = NULL;
	int rc;

	if (!c)
		return err->code;
	if ((rc = db__prepare(c,
			      "SELECT " ORG_COLUMNS " FROM org_unit"
			      " WHERE id = ? AND path >= ? AND path < ?",
			      &s, err)))
		return rc;
	db__bind_text(s, 1, id);
	db__bind_scope(s, 2, scope, a);
	rc = db__step(s, err);
	if (rc == 1) {
		read_row(s, a, out);
		rc = 0;
	} else if (rc == 0) {
		rc = crm_err_set(err, CRM_ENOTFOUND, "id", "org unit '%s' not found", id);
	}
	db__release(s);
	return rc;
}

int db_org_list(struct db *db, struct db_scope scope, const struct db_list_opts *opts,
		struct arena *a, struct db_org_unit **out, size_t *out_n, int64_t *out_total,
		struct crm_err *err)
{
	struct db_conn *c = db__reader(db, err);
	struct strbuf where = STRBUF_INIT;
	struct db_stmt *s = NULL;
	struct db_org_unit *items;
	size_t n = 0;
	char *sql;
	int rc, i;

	if (!c)
		return err->code;
	strbuf_init_arena(&where, a, 128);
	strbuf_addstr(&where, " WHERE path >= ? AND path < ?");
	if ((rc = db__where_filters(&where, org_fields, opts, err)))
		return rc;

	sql = arena_printf(a, "SELECT count(*) FROM org_unit%s", strbuf_cstr(&where));
	if ((rc = db__prepare(c, sql, &s, err)))
		return rc;
	db__bind_scope(s, 1, scope, a);
	db__bind_filters(s, 3, org_fields, opts);
	rc = db__step(s, err);
	*out_total = rc == 1 ? db__col_int(s, 0) : 0;
	db__release(s);
	if (rc < 0)
		return rc;

	sql = arena_printf(a,
			   "SELECT " ORG_COLUMNS " FROM org_unit%s ORDER BY path LIMIT ? OFFSET ?",
			   strbuf_cstr(&where));
	if ((rc = db__prepare(c, sql, &s, err)))
		return rc;
	db__bind_scope(s, 1, scope, a);
	i = db__bind_filters(s, 3, org_fields, opts);
	db__bind_int(s, i, opts->limit);
	db__bind_int(s, i + 1, opts->offset);
	items = arena_calloc(a, (size_t)(opts->limit > 0 ? opts->limit : 1), sizeof(*items));
	while (n < (size_t)(opts->limit > 0 ? opts->limit : 1) && (rc = db__step(s, err)) == 1)
		read_row(s, a, &items[n++]);
	db__release(s);
	if (rc < 0)
		return rc;
	*out = items;
	*out_n = n;
	return 0;
}

int db_org_insert(struct db_tx *tx, const struct db_org_unit *u, struct crm_err *err)
{
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db__prepare(db__tx_conn(tx),
			      "INSERT INTO org_unit (" ORG_COLUMNS ") VALUES (?,?,?,?,?,?,?,?,?)",
			      &s, err)))
		return rc;
	db__bind_text(s, 1, u->id);
	db__bind_text(s, 2, u->name);
	db__bind_text(s, 3, u->kind);
	db__bind_text(s, 4, u->parent_id);
	db__bind_text(s, 5, u->path);
	db__bind_text(s, 6, u->status);
	db__bind_int(s, 7, u->version);
	db__bind_int(s, 8, u->created_ms);
	db__bind_int(s, 9, u->updated_ms);
	rc = db__run(s, err);
	if (rc == CRM_ECONFLICT) {
		crm_err_clear(err);
		rc = crm_err_set(err, CRM_ECONFLICT, "id", "org unit '%s' already exists", u->id);
	}
	return rc;
}

int db_org_update(struct db_tx *tx, const struct db_org_unit *u, const char *old_path,
		  struct arena *a, struct crm_err *err)
{
	struct db_conn *c = db__tx_conn(tx);
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db__prepare(c,
			      "UPDATE org_unit SET name = ?, parent_id = ?, path = ?, status = ?,"
			      " updated_ms = ?, version = version + 1 WHERE id = ? AND version = ?",
			      &s, err)))
		return rc;
	db__bind_text(s, 1, u->name);
	db__bind_text(s, 2, u->parent_id);
	db__bind_text(s, 3, u->path);
	db__bind_text(s, 4, u->status);
	db__bind_int(s, 5, u->updated_ms);
	db__bind_text(s, 6, u->id);
	db__bind_int(s, 7, u->version);
	if ((rc = db__run_versioned(c, s, "org unit", u->id, err)))
		return rc;
	if (strcmp(old_path, u->path) == 0)
		return 0;

	/* a move: re-root every path under the old one (the range is the old subtree) */
	if ((rc = db__prepare(c,
			      "UPDATE org_unit SET path = ? || substr(path, ?)"
			      " WHERE path >= ? AND path < ? AND id <> ?",
			      &s, err)))
		return rc;
	db__bind_text(s, 1, u->path);
	db__bind_int(s, 2, (int64_t)strlen(old_path) + 1);
	db__bind_scope(s, 3, (struct db_scope){old_path}, a);
	db__bind_text(s, 5, u->id);
	return db__run(s, err);
}

int db_org_count_active_children(struct db_tx *tx, const char *id, int64_t *out,
				 struct crm_err *err)
{
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db__prepare(
		     db__tx_conn(tx),
		     "SELECT count(*) FROM org_unit WHERE parent_id = ? AND status = 'active'", &s,
		     err)))
		return rc;
	db__bind_text(s, 1, id);
	rc = db__step(s, err);
	if (rc == 1) {
		*out = db__col_int(s, 0);
		rc = 0;
	}
	db__release(s);
	return rc;
}
