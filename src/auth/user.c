/*
 * Users: staff who log in. A user belongs to one org unit, which is also their data
 * scope, and holds roles. Callers reach users in their own scope only, and may create or
 * change a user only when every permission involved is one they hold themselves, so
 * admin.users cannot be used to climb above one's own rights.
 */
#include "auth/auth_int.h"

#include <string.h>

#include "core/arena.h"
#include "core/id.h"
#include "core/mask.h"
#include "core/time.h"
#include "domain/change.h"
#include "core/banned.h"

#define LOGIN_MAX 64
#define ROLES_MAX 16

static const char *const statuses[] = {"active", "disabled", NULL};

#define OUT(member) offsetof(struct auth_user, member)
const struct json_desc auth_user_desc = {
	"User",
	sizeof(struct auth_user),
	(const struct json_field[]){
		{"id", JSON_STRING, OUT(id), 0, NULL, 0, NULL},
		{"href", JSON_STRING, OUT(href), 0, NULL, 0, NULL},
		{"login", JSON_STRING, OUT(login), 0, NULL, 0, NULL},
		{"displayName", JSON_STRING, OUT(display_name), 0, NULL, 0, NULL},
		{"orgId", JSON_STRING, OUT(org_id), 0, NULL, 0, NULL},
		{"status", JSON_STRING, OUT(status), 0, NULL, 0, NULL},
		{"mobile", JSON_STRING, OUT(mobile), JSON_MASK_PHONE, NULL, 0, NULL},
		{"email", JSON_STRING, OUT(email), JSON_MASK_EMAIL, NULL, 0, NULL},
		{"roles", JSON_STRING_ARRAY, OUT(roles), 0, NULL, 0, NULL},
		{"permissions", JSON_STRING_ARRAY, OUT(permissions), 0, NULL, 0, NULL},
		{"lastLogin", JSON_TIME, OUT(last_login_ms), 0, NULL, 0, NULL},
		{"lockedUntil", JSON_TIME, OUT(locked_until_ms), 0, NULL, 0, NULL},
		{"version", JSON_INT, OUT(version), 0, NULL, 0, NULL},
		{"createdDate", JSON_TIME, OUT(created_ms), 0, NULL, 0, NULL},
		{"lastUpdate", JSON_TIME, OUT(updated_ms), 0, NULL, 0, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};
#undef OUT

#define IN(member) offsetof(struct auth_user_input, member)
const struct json_desc auth_user_create_desc = {
	"User",
	sizeof(struct auth_user_input),
	(const struct json_field[]){
		{"login", JSON_STRING, IN(login), JSON_REQUIRED, NULL, LOGIN_MAX, NULL},
		{"displayName", JSON_STRING, IN(display_name), JSON_REQUIRED, NULL, 100, NULL},
		{"orgId", JSON_STRING, IN(org_id), JSON_REQUIRED, NULL, 32, NULL},
		{"roles", JSON_STRING_ARRAY, IN(roles), JSON_REQUIRED, NULL, ROLES_MAX, NULL},
		{"status", JSON_STRING, IN(status), 0, NULL, 0, statuses},
		{"mobile", JSON_STRING, IN(mobile), JSON_NULLABLE, NULL, 32, NULL},
		{"email", JSON_STRING, IN(email), JSON_NULLABLE, NULL, 254, NULL},
		{"password", JSON_STRING, IN(password), JSON_REQUIRED | JSON_WRITEONLY, NULL,
		 AUTH_PASSWORD_MAX * 4, NULL},
		{0},
	},
	IN(present),
};

const struct json_desc auth_user_patch_desc = {
	"User",
	sizeof(struct auth_user_input),
	(const struct json_field[]){
		{"displayName", JSON_STRING, IN(display_name), 0, NULL, 100, NULL},
		{"orgId", JSON_STRING, IN(org_id), 0, NULL, 32, NULL},
		{"roles", JSON_STRING_ARRAY, IN(roles), 0, NULL, ROLES_MAX, NULL},
		{"status", JSON_STRING, IN(status), 0, NULL, 0, statuses},
		{"mobile", JSON_STRING, IN(mobile), JSON_NULLABLE, NULL, 32, NULL},
		{"email", JSON_STRING, IN(email), JSON_NULLABLE, NULL, 254, NULL},
		{"password", JSON_STRING, IN(password), JSON_WRITEONLY, NULL, AUTH_PASSWORD_MAX * 4,
		 NULL},
		{"locked", JSON_BOOL, IN(locked), 0, NULL, 0, NULL},
		{0},
	},
	IN(present),
};
#undef IN

const char *const auth_user_filterable[] = {"login", "displayName", "status", "orgId", NULL};

struct json_array auth__words(struct arena *a, const char *text)
{
	size_t n = 0, cap = 8;
	const char **items = arena_calloc(a, cap, sizeof(*items));
	const char *p = text ? text : "";

	while (*p) {
		size_t len;

		p += strspn(p, " ");
		if (!(len = strcspn(p, " ")))
			break;
		if (n == cap) {
			const char **more = arena_calloc(a, cap * 2, sizeof(*items));

			memcpy(more, items, n * sizeof(*items));
			items = more;
			cap *= 2;
		}
		items[n++] = arena_strndup(a, p, len);
		p += len;
	}
	return (struct json_array){items, n};
}

void auth__user_from_row(struct crm_ctx *ctx, const struct db_user *r, struct auth_user *u)
{
	u->id = r->id;
	u->href = arena_printf(ctx->arena, "/api/v1/users/%s", r->id);
	u->login = r->login;
	u->display_name = r->display_name;
	u->org_id = r->org_id;
	u->status = r->status;
	u->mobile = r->mobile;
	u->email = r->email;
	u->roles = auth__words(ctx->arena, r->roles);
	u->permissions = auth_perm_array(ctx->arena, auth_perm_bits(r->permissions));
	u->last_login_ms = r->last_login_ms;
	u->locked_until_ms = r->locked_until_ms > time_now_ms() ? r->locked_until_ms : 0;
	u->version = r->version;
	u->created_ms = r->created_ms;
	u->updated_ms = r->updated_ms;
}

void auth__principal_set(struct crm_ctx *ctx, const struct db_user *r, uint64_t mask)
{
	ctx->who.user_id = r->id;
	ctx->who.login = r->login;
	ctx->who.org_id = r->org_id;
	ctx->who.org_path = r->org_path;
	ctx->who.perms = auth_perm_bits(r->permissions) & mask;
	ctx->who.pii_masked = !(ctx->who.perms & PERM_PII_READ);
}

int auth_principal_of(struct crm_ctx *ctx, const char *user_id)
{
	struct db_user r;
	int rc;

	if ((rc = db_user_get(ctx->db, NULL, db_scope_all(), user_id, ctx->arena, &r, &ctx->err)))
		return rc;
	if (strcmp(r.status, "active") != 0)
		return crm_err_set(&ctx->err, CRM_EAUTH, NULL, "user '%s' is disabled", r.login);
	auth__principal_set(ctx, &r, ~0ULL);
	return 0;
}

static cJSON *to_json(const struct auth_user *u)
{
	return json_encode(&auth_user_desc, u);
}

/* Every permission in bits must be the caller's own. */
static int check_within(struct crm_ctx *ctx, uint64_t bits, const char *field, const char *what)
{
	uint64_t beyond = bits & ~ctx->who.perms;

	if (!beyond)
		return 0;
	return crm_err_set(&ctx->err, CRM_EPERM, field, "%s needs '%s', which you do not hold",
			   what, auth_perm_format(ctx->arena, beyond));
}

/* Looks the roles up (CRM_EINVAL for an unknown one) and returns their permissions. */
static int roles_bits(struct crm_ctx *ctx, struct db_tx *tx, const struct json_array *roles,
		      uint64_t *out)
{
	const char *const *ids = roles->items;
	struct db_role r;
	int rc;

	*out = 0;
	for (size_t i = 0; i < roles->count; i++) {
		rc = db_role_get(ctx->db, tx, ids[i], ctx->arena, &r, &ctx->err);
		if (rc == CRM_ENOTFOUND) {
			crm_err_clear(&ctx->err);
			return crm_err_set(&ctx->err, CRM_EINVAL, "roles", "unknown role '%s'",
					   ids[i]);
		}
		if (rc)
			return rc;
		*out |= auth_perm_bits(r.permissions);
	}
	return 0;
}

/* The org unit a user is placed in: in the caller's scope and active. */
static int check_org(struct crm_ctx *ctx, struct db_tx *tx, const char *org_id)
{
	struct db_org_unit o;
	int rc = db_org_get(ctx->db, tx, db_scope_of(ctx), org_id, ctx->arena, &o, &ctx->err);

	if (rc == CRM_ENOTFOUND) {
		crm_err_clear(&ctx->err);
		return crm_err_set(&ctx->err, CRM_EINVAL, "orgId", "org unit '%s' not found",
				   org_id);
	}
	if (rc)
		return rc;
	if (strcmp(o.status, "active") != 0)
		return crm_err_set(&ctx->err, CRM_ECONFLICT, "orgId", "org unit '%s' is closed",
				   org_id);
	return 0;
}

static int check_login(struct crm_ctx *ctx, const char *login)
{
	size_t n = strlen(login);

	if (n < 2)
		return crm_err_set(&ctx->err, CRM_EINVAL, "login",
				   "a login needs at least 2 characters");
	for (size_t i = 0; i < n; i++) {
		char c = login[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      (i > 0 && (c == '.' || c == '_' || c == '-'))))
			return crm_err_set(
				&ctx->err, CRM_EINVAL, "login",
				"login '%s' may hold only a-z, 0-9 and . _ - (not first)", login);
	}
	return 0;
}

static int check_contacts(struct crm_ctx *ctx, const char *mobile, const char *email)
{
	if (mobile && *mobile) {
		size_t digits = 0;
		bool other = false;

		for (size_t i = 0; mobile[i]; i++) {
			char c = mobile[i];

			digits += c >= '0' && c <= '9';
			other |= !(c >= '0' && c <= '9') && c != '-' && c != ' ' &&
				 !(c == '+' && i == 0);
		}
		if (other || digits < 7 || digits > 15)
			return crm_err_set(&ctx->err, CRM_EINVAL, "mobile",
					   "'%s' is not a phone number", mobile);
	}
	if (email && *email) {
		const char *at = strchr(email, '@');

		if (!at || at == email || !strchr(at, '.') || strchr(at + 1, '@') ||
		    strpbrk(email, " \t<>"))
			return crm_err_set(&ctx->err, CRM_EINVAL, "email",
					   "'%s' is not an e-mail address", email);
	}
	return 0;
}

/* A personal-data field from a caller who sees it masked: the masked text sent back
 * unchanged keeps the stored value; another masked-looking text is refused. */
static int unmask_echo(struct crm_ctx *ctx, enum mask_kind kind, const char *field,
		       const char *current, const char **value)
{
	if (!ctx->who.pii_masked || !*value)
		return 0;
	switch (mask_check_echo(kind, current, *value)) {
	case MASK_ECHO_SAME:
		*value = current;
		return 0;
	case MASK_ECHO_BAD:
		return crm_err_set(&ctx->err, CRM_EINVAL, field,
				   "a masked value cannot be written; send the full value");
	default:
		return 0;
	}
}

/* Reads the row back into out and records the change with its audit row. */
static int record(struct crm_ctx *ctx, struct db_tx *tx, const char *id, const char *action,
		  const cJSON *before, struct auth_user *out)
{
	struct db_user r;
	int rc;

	if ((rc = db_user_get(ctx->db, tx, db_scope_all(), id, ctx->arena, &r, &ctx->err)))
		return rc;
	auth__user_from_row(ctx, &r, out);
	if ((rc = change_record(ctx, tx,
				&(struct change){.action = action,
						 .resource = "user",
						 .resource_id = id,
						 .org_path = r.org_path,
						 .before = before,
						 .after = json_adopt(ctx->arena, to_json(out))})))
		return rc;
	return 0;
}

int auth_user_create(struct crm_ctx *ctx, const struct auth_user_input *in, struct auth_user *out)
{
	int64_t now = time_now_ms();
	struct db_tx *tx = NULL;
	struct db_user row;
	const char *hash;
	uint64_t bits;
	char id[ID_LEN + 1];
	int rc;

	if ((rc = check_login(ctx, in->login)) ||
	    (rc = check_contacts(ctx, in->mobile, in->email)) ||
	    (rc = auth_password_check(&ctx->err, "password", in->login, in->password)) ||
	    (rc = auth__password_hash(ctx->arena, in->password, &hash, &ctx->err)))
		return rc;
	if ((rc = change_begin(ctx, &tx)) || (rc = check_org(ctx, tx, in->org_id)) ||
	    (rc = roles_bits(ctx, tx, &in->roles, &bits)) ||
	    (rc = check_within(ctx, bits, "roles", "granting these roles")))
		goto fail;
	id_new(id);
	row = (struct db_user){
		.id = arena_strdup(ctx->arena, id),
		.login = in->login,
		.display_name = in->display_name,
		.org_id = in->org_id,
		.status = in->status ? in->status : "active",
		.mobile = in->mobile && *in->mobile ? in->mobile : NULL,
		.email = in->email && *in->email ? in->email : NULL,
		.password_hash = hash,
		.password_changed_ms = now,
		.version = 1,
		.created_ms = now,
		.updated_ms = now,
	};
	if ((rc = db_user_insert(tx, &row, &ctx->err)) ||
	    (rc = db_user_set_roles(tx, row.id, in->roles.items, in->roles.count, &ctx->err)) ||
	    (rc = record(ctx, tx, row.id, "create", NULL, out)))
		goto fail;
	return change_commit(ctx, tx);
fail:
	change_abort(ctx, tx);
	return rc;
}

int auth_user_get(struct crm_ctx *ctx, const char *id, struct auth_user *out)
{
	struct db_user r;
	int rc;

	if ((rc = db_user_get(ctx->db, NULL, db_scope_of(ctx), id, ctx->arena, &r, &ctx->err)))
		return rc;
	auth__user_from_row(ctx, &r, out);
	return 0;
}

int auth_user_get_by_login(struct crm_ctx *ctx, const char *login, struct auth_user *out)
{
	struct db_user r;
	int rc;

	if ((rc = db_user_get_by_login(ctx->db, NULL, db_scope_of(ctx), login, ctx->arena, &r,
				       &ctx->err)))
		return rc;
	auth__user_from_row(ctx, &r, out);
	return 0;
}

int auth_user_list(struct crm_ctx *ctx, const struct db_list_opts *opts, struct auth_user **out,
		   size_t *out_n, int64_t *out_total)
{
	struct db_user *rows;
	struct auth_user *items;
	size_t n;
	int rc;

	if ((rc = db_user_list(ctx->db, db_scope_of(ctx), opts, ctx->arena, &rows, &n, out_total,
			       &ctx->err)))
		return rc;
	items = arena_calloc(ctx->arena, n ? n : 1, sizeof(*items));
	for (size_t i = 0; i < n; i++)
		auth__user_from_row(ctx, &rows[i], &items[i]);
	*out = items;
	*out_n = n;
	return 0;
}

#define PRESENT(desc, in, name) json_present(&(desc), (in), (name))

int auth_user_update(struct crm_ctx *ctx, const char *id, int64_t if_match,
		     const struct auth_user_input *in, struct auth_user *out)
{
	const struct json_desc *d = &auth_user_patch_desc;
	struct db_tx *tx = NULL;
	const char *hash = NULL;
	struct auth_user before;
	struct db_user r;
	uint64_t bits;
	bool end_sessions = false;
	int64_t admins = 0;
	int rc;

	if (in->password) {
		/* hashed before the transaction: argon2id must not hold the writer */
		if ((rc = db_user_get(ctx->db, NULL, db_scope_of(ctx), id, ctx->arena, &r,
				      &ctx->err)) ||
		    (rc = auth_password_check(&ctx->err, "password", r.login, in->password)) ||
		    (rc = auth__password_hash(ctx->arena, in->password, &hash, &ctx->err)))
			return rc;
	}
	if ((rc = change_begin(ctx, &tx)) ||
	    (rc = db_user_get(ctx->db, tx, db_scope_of(ctx), id, ctx->arena, &r, &ctx->err)))
		goto fail;
	if (if_match >= 0 && if_match != r.version) {
		rc = crm_err_set(&ctx->err, CRM_ESTALE, "If-Match",
				 "user '%s' is at version %lld, not %lld", r.login,
				 (long long)r.version, (long long)if_match);
		goto fail;
	}
	if ((rc = check_within(ctx, auth_perm_bits(r.permissions), NULL, "changing this user")))
		goto fail;
	/* a change of status, unit or roles may take the last role administrator away */
	if ((PRESENT(*d, in, "status") || PRESENT(*d, in, "orgId") || PRESENT(*d, in, "roles")) &&
	    (rc = auth__role_admins(ctx, tx, &admins)))
		goto fail;
	auth__user_from_row(ctx, &r, &before);
	if (PRESENT(*d, in, "displayName"))
		r.display_name = in->display_name;
	if (PRESENT(*d, in, "orgId")) {
		if ((rc = check_org(ctx, tx, in->org_id)))
			goto fail;
		r.org_id = in->org_id;
	}
	if (PRESENT(*d, in, "status")) {
		end_sessions |= strcmp(in->status, "disabled") == 0;
		r.status = in->status;
	}
	if (PRESENT(*d, in, "mobile")) {
		const char *v = in->mobile;

		if ((rc = unmask_echo(ctx, MASK_PHONE, "mobile", r.mobile, &v)) ||
		    (rc = check_contacts(ctx, v, NULL)))
			goto fail;
		r.mobile = v && *v ? v : NULL;
	}
	if (PRESENT(*d, in, "email")) {
		const char *v = in->email;

		if ((rc = unmask_echo(ctx, MASK_EMAIL, "email", r.email, &v)) ||
		    (rc = check_contacts(ctx, NULL, v)))
			goto fail;
		r.email = v && *v ? v : NULL;
	}
	if (hash) {
		r.password_hash = hash;
		r.password_changed_ms = time_now_ms();
		r.failed_logins = 0;
		r.locked_until_ms = 0;
		end_sessions = true;
	}
	if (PRESENT(*d, in, "locked") && !in->locked) {
		r.failed_logins = 0;
		r.locked_until_ms = 0;
	} else if (PRESENT(*d, in, "locked")) {
		rc = crm_err_set(
			&ctx->err, CRM_EINVAL, "locked",
			"'locked' may only be set to false (to lift a lockout); disable the "
			"user instead");
		goto fail;
	}
	if (PRESENT(*d, in, "roles")) {
		if ((rc = roles_bits(ctx, tx, &in->roles, &bits)) ||
		    (rc = check_within(ctx, bits, "roles", "granting these roles")) ||
		    (rc = db_user_set_roles(tx, r.id, in->roles.items, in->roles.count, &ctx->err)))
			goto fail;
	}
	r.updated_ms = time_now_ms();
	if ((rc = db_user_update(tx, &r, &ctx->err)) ||
	    (rc = auth__role_admins_kept(ctx, tx, admins)) ||
	    (end_sessions && (rc = db_session_delete_user(tx, r.id, NULL, &ctx->err))) ||
	    (rc = record(ctx, tx, r.id, hash ? "update.password" : "update",
			 json_adopt(ctx->arena, to_json(&before)), out)))
		goto fail;
	return change_commit(ctx, tx);
fail:
	change_abort(ctx, tx);
	return rc;
}
