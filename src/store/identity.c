/*
 * Identity tables: roles, users (scoped by their org unit's path), browser sessions and
 * API tokens. Sessions and tokens are found by the SHA-256 of their secret; the secrets
 * themselves never reach the database.
 */
#include "store/db_int.h"

#include <string.h>

#include "core/arena.h"
#include "core/str.h"
#include "core/banned.h"

/* ---- roles ---- */

int db_role_holders(struct db *db, struct db_tx *tx, const char *role_id, int64_t *out,
		    struct crm_err *err)
{
	struct db_conn *c = db__conn_of(db, tx, err);
	struct db_stmt *s = NULL;
	int rc;

	if (!c)
		return err->code;
	if ((rc = db__prepare(c, "SELECT count(*) FROM user_role WHERE role_id = ?", &s, err)))
		return rc;
	db__bind_text(s, 1, role_id);
	rc = db__step(s, err);
	if (rc >= 0) {
		*out = rc == 1 ? db__col_int(s, 0) : 0;
		rc = 0;
	}
	db__release(s);
	return rc;
}

/* ---- users ---- */

/* u: app_user, o: its org unit. Roles and permissions are folded into two strings. */
#define USER_COLUMNS                                                                               \
	"u.id, u.login, u.display_name, u.org_id, o.path, u.status, u.mobile, u.email,"            \
	" u.password_hash, u.failed_logins, u.locked_until_ms, u.last_login_ms,"                   \
	" u.password_changed_ms, u.version, u.created_ms, u.updated_ms,"                           \
	" (SELECT group_concat(role_id, ' ') FROM"                                                 \
	"  (SELECT role_id FROM user_role WHERE user_id = u.id ORDER BY role_id) AS held),"        \
	" (SELECT group_concat(r.permissions, ' ') FROM user_role ur"                              \
	"  JOIN role r ON r.id = ur.role_id WHERE ur.user_id = u.id)"
#define USER_FROM  " FROM app_user u JOIN org_unit o ON o.id = u.org_id"
#define USER_NCOLS 18

/* Reads the user columns starting at column base. */
static void user_read_at(struct db_stmt *s, int base, struct arena *a, struct db_user *u)
{
	u->id = db__col_dup(s, base + 0, a);
	u->login = db__col_dup(s, base + 1, a);
	u->display_name = db__col_dup(s, base + 2, a);
	u->org_id = db__col_dup(s, base + 3, a);
	u->org_path = db__col_dup(s, base + 4, a);
	u->status = db__col_dup(s, base + 5, a);
	u->mobile = db__col_dup(s, base + 6, a);
	u->email = db__col_dup(s, base + 7, a);
	u->password_hash = db__col_dup(s, base + 8, a);
	u->failed_logins = db__col_int(s, base + 9);
	u->locked_until_ms = db__col_int(s, base + 10);
	u->last_login_ms = db__col_int(s, base + 11);
	u->password_changed_ms = db__col_int(s, base + 12);
	u->version = db__col_int(s, base + 13);
	u->created_ms = db__col_int(s, base + 14);
	u->updated_ms = db__col_int(s, base + 15);
	u->roles = db__col_dup(s, base + 16, a);
	u->permissions = db__col_dup(s, base + 17, a);
	if (!u->roles)
		u->roles = "";
	if (!u->permissions)
		u->permissions = "";
}

static void user_read(struct db_stmt *s, struct arena *a, void *item)
{
	user_read_at(s, 0, a, item);
}

static int user_get_where(struct db *db, struct db_tx *tx, struct db_scope scope,
			  const char *column, const char *key, struct arena *a, struct db_user *out,
			  struct crm_err *err)
{
	struct db_conn *c = db__conn_of(db, tx, err);
	struct db_stmt *s = NULL;
	int rc;

	if (!c)
		return err->code;
	if ((rc = db__prepare(c,
			      arena_printf(a,
					   "SELECT " USER_COLUMNS USER_FROM
					   " WHERE %s = ? AND o.path >= ? AND o.path < ?",
					   column),
			      &s, err)))
		return rc;
	db__bind_text(s, 1, key);
	db__bind_scope(s, 2, scope, a);
	return db__get_one(s, a, out, user_read, "user", key, err);
}

int db_user_get(struct db *db, struct db_tx *tx, struct db_scope scope, const char *id,
		struct arena *a, struct db_user *out, struct crm_err *err)
{
	return user_get_where(db, tx, scope, "u.id", id, a, out, err);
}

int db_user_get_by_login(struct db *db, struct db_tx *tx, struct db_scope scope, const char *login,
			 struct arena *a, struct db_user *out, struct crm_err *err)
{
	return user_get_where(db, tx, scope, "u.login", login, a, out, err);
}

int db_user_roles(struct db *db, struct db_tx *tx, const char *user_id, struct arena *a,
		  const char **roles, const char **permissions, struct crm_err *err)
{
	struct db_conn *c = db__conn_of(db, tx, err);
	struct db_stmt *s = NULL;
	int rc;

	*roles = *permissions = "";
	if (!c)
		return err->code;
	if ((rc = db__prepare(c,
			      "SELECT (SELECT group_concat(role_id, ' ') FROM"
			      "  (SELECT role_id FROM user_role WHERE user_id = ? ORDER BY "
			      "role_id) AS held),"
			      " (SELECT group_concat(r.permissions, ' ') FROM user_role ur"
			      "  JOIN role r ON r.id = ur.role_id WHERE ur.user_id = ?)",
			      &s, err)))
		return rc;
	db__bind_text(s, 1, user_id);
	db__bind_text(s, 2, user_id);
	rc = db__step(s, err);
	if (rc == 1) {
		if (db__col_text(s, 0))
			*roles = db__col_dup(s, 0, a);
		if (db__col_text(s, 1))
			*permissions = db__col_dup(s, 1, a);
	}
	db__release(s);
	return rc < 0 ? rc : 0;
}

int db_user_update(struct db_tx *tx, const struct db_user *u, struct crm_err *err)
{
	struct db_conn *c = db__tx_conn(tx);
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db__prepare(c,
			      "UPDATE app_user SET display_name = ?, org_id = ?, status = ?,"
			      " mobile = ?, email = ?, password_hash = ?, failed_logins = ?,"
			      " locked_until_ms = ?, password_changed_ms = ?, updated_ms = ?,"
			      " version = version + 1 WHERE id = ? AND version = ?",
			      &s, err)))
		return rc;
	db__bind_text(s, 1, u->display_name);
	db__bind_text(s, 2, u->org_id);
	db__bind_text(s, 3, u->status);
	db__bind_text(s, 4, u->mobile);
	db__bind_text(s, 5, u->email);
	db__bind_text(s, 6, u->password_hash);
	db__bind_int(s, 7, u->failed_logins);
	db__bind_int(s, 8, u->locked_until_ms);
	db__bind_int(s, 9, u->password_changed_ms);
	db__bind_int(s, 10, u->updated_ms);
	db__bind_text(s, 11, u->id);
	db__bind_int(s, 12, u->version);
	return db__run_versioned(c, s, "user", u->login, err);
}

int db_user_login_state(struct db_tx *tx, const struct db_user *u, struct crm_err *err)
{
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db__prepare(db__tx_conn(tx),
			      "UPDATE app_user SET failed_logins = ?, locked_until_ms = ?,"
			      " last_login_ms = ? WHERE id = ?",
			      &s, err)))
		return rc;
	db__bind_int(s, 1, u->failed_logins);
	db__bind_int(s, 2, u->locked_until_ms);
	db__bind_int(s, 3, u->last_login_ms);
	db__bind_text(s, 4, u->id);
	return db__run(s, err);
}

int db_user_set_roles(struct db_tx *tx, const char *user_id, const char *const *roles, size_t n,
		      struct crm_err *err)
{
	struct db_conn *c = db__tx_conn(tx);
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db__prepare(c, "DELETE FROM user_role WHERE user_id = ?", &s, err)))
		return rc;
	db__bind_text(s, 1, user_id);
	if ((rc = db__run(s, err)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		if ((rc = db__prepare(c,
				      "INSERT INTO user_role VALUES (?, ?) ON CONFLICT DO NOTHING",
				      &s, err)))
			return rc;
		db__bind_text(s, 1, user_id);
		db__bind_text(s, 2, roles[i]);
		if ((rc = db__run(s, err)))
			return rc;
	}
	return 0;
}

int db_user_count_root_holders(struct db_tx *tx, const char *perm, int64_t *out,
			       struct crm_err *err)
{
	struct db_stmt *s = NULL;
	int rc;

	/* role.permissions is space-separated names, each perhaps with ":depth": pad both
	 * sides to match whole names */
	if ((rc = db__prepare(db__tx_conn(tx),
			      "SELECT count(DISTINCT u.id)" USER_FROM
			      " JOIN user_role ur ON ur.user_id = u.id"
			      " JOIN role r ON r.id = ur.role_id"
			      " WHERE u.status = 'active' AND o.parent_id IS NULL"
			      " AND (instr(' ' || r.permissions || ' ', ' ' || ?1 || ' ') > 0"
			      "  OR instr(' ' || r.permissions, ' ' || ?1 || ':') > 0)",
			      &s, err)))
		return rc;
	db__bind_text(s, 1, perm);
	rc = db__step(s, err);
	if (rc >= 0) {
		*out = rc == 1 ? db__col_int(s, 0) : 0;
		rc = 0;
	}
	db__release(s);
	return rc;
}

/* ---- sessions ---- */

static int exec_text_int(struct db_tx *tx, const char *sql, const char *text, int64_t v,
			 struct crm_err *err)
{
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db__prepare(db__tx_conn(tx), sql, &s, err)))
		return rc;
	db__bind_int(s, 1, v);
	db__bind_text(s, 2, text);
	return db__run(s, err);
}

int db_session_insert(struct db_tx *tx, const struct db_session *x, struct crm_err *err)
{
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db__prepare(db__tx_conn(tx),
			      "INSERT INTO auth_session (id_hash, user_id, csrf, created_ms,"
			      " last_seen_ms, expires_ms) VALUES (?,?,?,?,?,?)",
			      &s, err)))
		return rc;
	db__bind_text(s, 1, x->id_hash);
	db__bind_text(s, 2, x->user_id);
	db__bind_text(s, 3, x->csrf);
	db__bind_int(s, 4, x->created_ms);
	db__bind_int(s, 5, x->last_seen_ms);
	db__bind_int(s, 6, x->expires_ms);
	return db__run(s, err);
}

int db_session_get(struct db *db, const char *id_hash, struct arena *a, struct db_session *out,
		   struct db_user *out_user, struct crm_err *err)
{
	struct db_conn *c = db__reader(db, err);
	struct db_stmt *s = NULL;
	int rc;

	if (!c)
		return err->code;
	if ((rc = db__prepare(
		     c,
		     "SELECT " USER_COLUMNS ", x.csrf, x.created_ms, x.last_seen_ms,"
		     " x.expires_ms FROM auth_session x JOIN app_user u ON u.id = x.user_id"
		     " JOIN org_unit o ON o.id = u.org_id WHERE x.id_hash = ?",
		     &s, err)))
		return rc;
	db__bind_text(s, 1, id_hash);
	rc = db__step(s, err);
	if (rc == 1) {
		user_read_at(s, 0, a, out_user);
		out->id_hash = arena_strdup(a, id_hash);
		out->user_id = out_user->id;
		out->csrf = db__col_dup(s, USER_NCOLS, a);
		out->created_ms = db__col_int(s, USER_NCOLS + 1);
		out->last_seen_ms = db__col_int(s, USER_NCOLS + 2);
		out->expires_ms = db__col_int(s, USER_NCOLS + 3);
		rc = 0;
	} else if (rc == 0) {
		rc = crm_err_set(err, CRM_ENOTFOUND, NULL, "no such session");
	}
	db__release(s);
	return rc;
}

int db_session_touch(struct db_tx *tx, const char *id_hash, int64_t last_seen_ms,
		     struct crm_err *err)
{
	return exec_text_int(tx, "UPDATE auth_session SET last_seen_ms = ? WHERE id_hash = ?",
			     id_hash, last_seen_ms, err);
}

int db_session_delete(struct db_tx *tx, const char *id_hash, struct crm_err *err)
{
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db__prepare(db__tx_conn(tx), "DELETE FROM auth_session WHERE id_hash = ?", &s,
			      err)))
		return rc;
	db__bind_text(s, 1, id_hash);
	return db__run(s, err);
}

int db_session_delete_user(struct db_tx *tx, const char *user_id, const char *keep_hash,
			   struct crm_err *err)
{
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db__prepare(db__tx_conn(tx),
			      "DELETE FROM auth_session WHERE user_id = ? AND id_hash <> ?", &s,
			      err)))
		return rc;
	db__bind_text(s, 1, user_id);
	db__bind_text(s, 2, keep_hash ? keep_hash : "");
	return db__run(s, err);
}

int db_session_expire(struct db_tx *tx, int64_t now_ms, int64_t idle_before_ms, struct crm_err *err)
{
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db__prepare(db__tx_conn(tx),
			      "DELETE FROM auth_session WHERE expires_ms <= ? OR last_seen_ms < ?",
			      &s, err)))
		return rc;
	db__bind_int(s, 1, now_ms);
	db__bind_int(s, 2, idle_before_ms);
	return db__run(s, err);
}

int db_login_bucket_get(struct db_tx *tx, const char *key, double *tokens, int64_t *updated_ms,
			struct crm_err *err)
{
	struct db_stmt *s = NULL;
	int rc;

	*tokens = 0;
	*updated_ms = 0;
	if ((rc = db__prepare(db__tx_conn(tx),
			      "SELECT tokens, updated_ms FROM login_bucket WHERE key = ?", &s,
			      err)))
		return rc;
	db__bind_text(s, 1, key);
	if ((rc = db__step(s, err)) == 1) {
		*tokens = db__col_double(s, 0);
		*updated_ms = db__col_int(s, 1);
		rc = 0;
	}
	db__release(s);
	return rc;
}

int db_login_bucket_put(struct db_tx *tx, const char *key, double tokens, int64_t now_ms,
			int64_t stale_before_ms, struct crm_err *err)
{
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db__prepare(db__tx_conn(tx), "DELETE FROM login_bucket WHERE updated_ms < ?", &s,
			      err)))
		return rc;
	db__bind_int(s, 1, stale_before_ms);
	if ((rc = db__run(s, err)) ||
	    (rc = db__prepare(db__tx_conn(tx),
			      "INSERT INTO login_bucket (key, tokens, updated_ms) VALUES (?, ?, ?)"
			      " ON CONFLICT (key) DO UPDATE SET tokens = excluded.tokens,"
			      " updated_ms = excluded.updated_ms",
			      &s, err)))
		return rc;
	db__bind_text(s, 1, key);
	db__bind_double(s, 2, tokens);
	db__bind_int(s, 3, now_ms);
	return db__run(s, err);
}

/* ---- API tokens ---- */

#define TOKEN_COLUMNS                                                                              \
	"t.id, t.user_id, u.login, t.name, t.secret_hash, t.scope, t.created_ms,"                  \
	" t.expires_ms, t.last_used_ms, t.revoked_ms"
#define TOKEN_FROM                                                                                 \
	" FROM api_token t JOIN app_user u ON u.id = t.user_id JOIN org_unit o ON o.id = u.org_id"
#define TOKEN_NCOLS 10

static const struct db_field_map token_fields[] = {
	{"name", "t.name", DB_COL_TEXT},
	{"userId", "t.user_id", DB_COL_TEXT},
	{NULL, NULL, DB_COL_TEXT},
};

static void token_read(struct db_stmt *s, struct arena *a, void *item)
{
	struct db_token *t = item;

	t->id = db__col_dup(s, 0, a);
	t->user_id = db__col_dup(s, 1, a);
	t->user_login = db__col_dup(s, 2, a);
	t->name = db__col_dup(s, 3, a);
	t->secret_hash = db__col_dup(s, 4, a);
	t->scope = db__col_dup(s, 5, a);
	t->created_ms = db__col_int(s, 6);
	t->expires_ms = db__col_int(s, 7);
	t->last_used_ms = db__col_int(s, 8);
	t->revoked_ms = db__col_int(s, 9);
}

int db_token_insert(struct db_tx *tx, const struct db_token *t, struct crm_err *err)
{
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db__prepare(db__tx_conn(tx),
			      "INSERT INTO api_token (id, user_id, name, secret_hash, scope,"
			      " created_ms, expires_ms, last_used_ms, revoked_ms)"
			      " VALUES (?,?,?,?,?,?,?,?,?)",
			      &s, err)))
		return rc;
	db__bind_text(s, 1, t->id);
	db__bind_text(s, 2, t->user_id);
	db__bind_text(s, 3, t->name);
	db__bind_text(s, 4, t->secret_hash);
	db__bind_text(s, 5, t->scope);
	db__bind_int(s, 6, t->created_ms);
	db__bind_int(s, 7, t->expires_ms);
	db__bind_int(s, 8, t->last_used_ms);
	db__bind_int(s, 9, t->revoked_ms);
	return db__run(s, err);
}

int db_token_get_by_secret(struct db *db, const char *secret_hash, struct arena *a,
			   struct db_token *out, struct db_user *out_user, struct crm_err *err)
{
	struct db_conn *c = db__reader(db, err);
	struct db_stmt *s = NULL;
	int rc;

	if (!c)
		return err->code;
	if ((rc = db__prepare(c,
			      "SELECT " TOKEN_COLUMNS ", " USER_COLUMNS TOKEN_FROM
			      " WHERE t.secret_hash = ?",
			      &s, err)))
		return rc;
	db__bind_text(s, 1, secret_hash);
	rc = db__step(s, err);
	if (rc == 1) {
		token_read(s, a, out);
		user_read_at(s, TOKEN_NCOLS, a, out_user);
		rc = 0;
	} else if (rc == 0) {
		rc = crm_err_set(err, CRM_ENOTFOUND, NULL, "no such token");
	}
	db__release(s);
	return rc;
}

int db_token_get(struct db *db, struct db_tx *tx, struct db_scope scope, const char *id,
		 struct arena *a, struct db_token *out, struct crm_err *err)
{
	struct db_conn *c = db__conn_of(db, tx, err);
	struct db_stmt *s = NULL;
	int rc;

	if (!c)
		return err->code;
	if ((rc = db__prepare(c,
			      "SELECT " TOKEN_COLUMNS TOKEN_FROM
			      " WHERE t.id = ? AND o.path >= ? AND o.path < ?",
			      &s, err)))
		return rc;
	db__bind_text(s, 1, id);
	db__bind_scope(s, 2, scope, a);
	return db__get_one(s, a, out, token_read, "token", id, err);
}

int db_token_list(struct db *db, struct db_scope scope, const char *user_id,
		  const struct db_list_opts *opts, struct arena *a, struct db_token **out,
		  size_t *out_n, int64_t *out_total, struct crm_err *err)
{
	/* "? IS NULL OR": one statement (and one cached plan) with or without a user */
	const struct db__list q = {
		.count_sql = "SELECT count(*)" TOKEN_FROM " WHERE o.path >= ? AND o.path < ?"
			     " AND (CAST(? AS TEXT) IS NULL OR t.user_id = ?)%s",
		.page_sql = "SELECT " TOKEN_COLUMNS TOKEN_FROM " WHERE o.path >= ? AND o.path < ?"
			    " AND (CAST(? AS TEXT) IS NULL OR t.user_id = ?)%s"
			    " ORDER BY t.created_ms DESC, t.id DESC LIMIT ? OFFSET ?",
		.scope = scope,
		.scoped = true,
		.args = {user_id, user_id},
		.nargs = 2,
		.map = token_fields,
		.item_size = sizeof(struct db_token),
		.read_row = token_read,
	};

	return db__list_run(db, &q, opts, a, (void **)out, out_n, out_total, err);
}

int db_token_revoke(struct db_tx *tx, const char *id, int64_t at_ms, struct crm_err *err)
{
	return exec_text_int(tx, "UPDATE api_token SET revoked_ms = ? WHERE id = ?", id, at_ms,
			     err);
}

int db_token_touch(struct db_tx *tx, const char *id, int64_t at_ms, struct crm_err *err)
{
	return exec_text_int(tx, "UPDATE api_token SET last_used_ms = ? WHERE id = ?", id, at_ms,
			     err);
}
