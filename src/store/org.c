/* Org units: the tree that data scope is cut from (table org_unit, path = chain of codes). */
#include "store/db_int.h"

#include <string.h>

#include "core/arena.h"
#include "core/str.h"
#include "core/banned.h"

#define ORG_COLUMNS "id, name, kind, parent_id, path, status, version, created_ms, updated_ms"

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

int db_org_move_subtree(struct db_tx *tx, const char *old_path, const char *new_path,
			struct arena *a, struct crm_err *err)
{
	struct db_stmt *s = NULL;
	int rc;

	/* re-root every path under the old one (the range is the old subtree; the unit itself
	 * was written with its row) */
	if ((rc = db__prepare(db__tx_conn(tx),
			      "UPDATE org_unit SET path = ? || substr(path, ?)"
			      " WHERE path > ? AND path < ?",
			      &s, err)))
		return rc;
	db__bind_text(s, 1, new_path);
	db__bind_int(s, 2, (int64_t)strlen(old_path) + 1);
	db__bind_scope(s, 3, (struct db_scope){old_path, NULL, false, false}, a);
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
