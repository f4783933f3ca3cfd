/* Users on the resource layer: the login, the unit, the roles and what they grant, the
 * password and the lockout; the grant rules and the last role administrator kept. */
#include "domain/user.h"

#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "core/arena.h"
#include "core/time.h"
#include "domain/org.h"
#include "domain/role.h"
#include "core/banned.h"

#define LOGIN_MAX 64
#define ROLES_MAX 16

static const char *const statuses[] = {"active", "disabled", NULL};
static const char *const moves[][2] = {
	{"active", "disabled"}, {"disabled", "active"}, {NULL, NULL}};
static const struct res_lifecycle lifecycle = {"status", statuses, statuses, moves, NULL};

#define RES_T struct user
static const struct res_field fields[] = {
	RES_FIELD("login", JSON_STRING, login,
		  .flags = JSON_REQUIRED | RES_IMMUTABLE | RES_FILTER | RES_SORT, .column = "login",
		  .max_len = LOGIN_MAX, .taken = "login '%s' is taken"),
	RES_FIELD("displayName", JSON_STRING, display_name,
		  .flags = JSON_REQUIRED | RES_NOT_BLANK | RES_FILTER | RES_SORT,
		  .column = "display_name", .max_len = 100),
	RES_FIELD("orgId", JSON_STRING, row.org_id, .flags = JSON_REQUIRED | RES_FILTER,
		  .column = "org_id", .max_len = 32),
	RES_FIELD("status", JSON_STRING, status, .flags = RES_FILTER | RES_SORT, .column = "status",
		  .values = statuses),
	RES_FIELD("mobile", JSON_STRING, mobile, .flags = JSON_NULLABLE | JSON_MASK_PHONE,
		  .column = "mobile", .max_len = 32),
	RES_FIELD("email", JSON_STRING, email, .flags = JSON_NULLABLE | JSON_MASK_EMAIL,
		  .column = "email", .max_len = 254),
	/* required on create (an empty list is a list): the check hook says so */
	RES_FIELD("roles", JSON_STRING_ARRAY, roles, .flags = RES_SIDE, .max_len = ROLES_MAX),
	RES_FIELD("permissions", JSON_STRING_ARRAY, permissions, .flags = JSON_READONLY | RES_SIDE),
	RES_FIELD("lastLogin", JSON_TIME, last_login_ms, .flags = JSON_READONLY,
		  .column = "last_login_ms"),
	RES_FIELD("lockedUntil", JSON_TIME, locked_until_ms, .flags = JSON_READONLY,
		  .column = "locked_until_ms"),
	RES_FIELD("password", JSON_STRING, password, .flags = JSON_WRITEONLY,
		  .max_len = AUTH_PASSWORD_MAX * 4),
	RES_FIELD("locked", JSON_BOOL, locked, .flags = JSON_WRITEONLY),
	RES_FIELD("passwordHash", JSON_STRING, password_hash, .flags = RES_HIDDEN | JSON_READONLY,
		  .column = "password_hash"),
	RES_FIELD("passwordChanged", JSON_TIME, password_changed_ms,
		  .flags = RES_HIDDEN | JSON_READONLY, .column = "password_changed_ms"),
	RES_FIELD("failedLogins", JSON_INT, failed_logins, .flags = RES_HIDDEN | JSON_READONLY,
		  .column = "failed_logins"),
	{0},
};
#undef RES_T

static bool sent(const void *in, const char *name)
{
	return json_present(res_json(&user_res), in, name);
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

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorts the roles, drops repeats, looks each up (CRM_EINVAL for an unknown one) and
 * returns what they grant. */
static int roles_check(struct crm_ctx *ctx, struct db_tx *tx, struct json_array *roles,
		       uint64_t *out)
{
	const char **ids = arena_calloc(ctx->arena, roles->count + 1, sizeof(*ids));
	size_t n = 0;
	struct role r;
	int rc;

	if (roles->count)
		memcpy(ids, roles->items, roles->count * sizeof(*ids));
	qsort(ids, roles->count, sizeof(*ids), by_name);
	*out = 0;
	for (size_t i = 0; i < roles->count; i++) {
		if (n && strcmp(ids[n - 1], ids[i]) == 0)
			continue;
		rc = res_load(ctx, &role_res, tx, ids[i], -1, &r);
		if (rc == CRM_ENOTFOUND) {
			crm_err_clear(&ctx->err);
			return crm_err_set(&ctx->err, CRM_EINVAL, "roles", "unknown role '%s'",
					   ids[i]);
		}
		if (rc)
			return rc;
		*out |= auth_perm_bits(r.permission_text);
		ids[n++] = ids[i];
	}
	*roles = (struct json_array){ids, n};
	return 0;
}

/* The unit a user is placed in: in the caller's scope and active. */
static int check_org(struct crm_ctx *ctx, struct db_tx *tx, const char *org_id)
{
	struct org_unit o;
	int rc = res_load(ctx, &org_unit_res, tx, org_id, -1, &o);

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
	if (mobile) {
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
	if (email) {
		const char *at = strchr(email, '@');

		if (!at || at == email || !strchr(at, '.') || strchr(at + 1, '@') ||
		    strpbrk(email, " \t<>"))
			return crm_err_set(&ctx->err, CRM_EINVAL, "email",
					   "'%s' is not an e-mail address", email);
	}
	return 0;
}

/* A new password is checked and hashed before the transaction: argon2id must not hold
 * the writer. */
static int input(struct crm_ctx *ctx, const char *id, void *obj)
{
	struct user *in = obj, cur;
	const char *login = in->login;
	int rc;

	if (!in->password)
		return 0;
	if (id) {
		if ((rc = res_get(ctx, &user_res, id, &cur)))
			return rc;
		login = cur.login;
	}
	if ((rc = auth_password_check(&ctx->err, "password", login ? login : "", in->password)))
		return rc;
	return auth_password_hash(ctx->arena, in->password, &in->password_hash, &ctx->err);
}

static int check(struct crm_ctx *ctx, struct db_tx *tx, void *obj, struct res_change *ch)
{
	struct user *u = obj;
	const struct user *before = ch->before, *in = ch->in;
	const char *held, *grants;
	uint64_t bits;
	int rc;

	u->admins = 0;
	if (!before) {
		if ((rc = check_login(ctx, u->login)))
			return rc;
		if (!sent(in, "roles"))
			return crm_err_set(&ctx->err, CRM_EINVAL, "roles", "'%s' is required",
					   "roles");
		if (!in->password_hash)
			return crm_err_set(&ctx->err, CRM_EINVAL, "password", "'%s' is required",
					   "password");
	} else {
		/* what the user holds, read again in the change's transaction */
		if ((rc = db_user_roles(ctx->db, tx, before->row.id, ctx->arena, &held, &grants,
					&ctx->err)) ||
		    (rc = check_within(ctx, auth_perm_bits(grants), NULL, "changing this user")) ||
		    (rc = res_unmask(ctx, MASK_PHONE, "mobile", before->mobile, &u->mobile)) ||
		    (rc = res_unmask(ctx, MASK_EMAIL, "email", before->email, &u->email)))
			return rc;
		/* a change of status, unit or roles may take the last role administrator away */
		if ((sent(in, "status") || sent(in, "orgId") || sent(in, "roles")) &&
		    (rc = role_admins(ctx, tx, &u->admins)))
			return rc;
	}
	if (u->mobile && !*u->mobile)
		u->mobile = NULL;
	if (u->email && !*u->email)
		u->email = NULL;
	if ((rc = check_contacts(ctx, u->mobile, u->email)))
		return rc;
	if ((!before || strcmp(u->row.org_id, before->row.org_id) != 0) &&
	    (rc = check_org(ctx, tx, u->row.org_id)))
		return rc;
	if (!before || sent(in, "roles")) {
		if ((rc = roles_check(ctx, tx, &u->roles, &bits)) ||
		    (rc = check_within(ctx, bits, "roles", "granting these roles")))
			return rc;
		u->permissions = auth_perm_array(ctx->arena, bits);
	}
	if (in->password_hash) {
		u->password_hash = in->password_hash;
		u->password_changed_ms = time_now_ms();
		u->failed_logins = 0;
		u->locked_until_ms = 0;
		if (before)
			ch->action = "update.password";
	}
	if (sent(in, "locked")) {
		if (in->locked)
			return crm_err_set(&ctx->err, CRM_EINVAL, "locked",
					   "'locked' may only be set to false (to lift a lockout); "
					   "disable the user instead");
		u->failed_logins = 0;
		u->locked_until_ms = 0;
	}
	return 0;
}

static bool same_roles(const struct json_array *a, const struct json_array *b)
{
	const char *const *x = a->items, *const *y = b->items;

	if (a->count != b->count)
		return false;
	for (size_t i = 0; i < a->count; i++)
		if (strcmp(x[i], y[i]) != 0)
			return false;
	return true;
}

/* The roles in their table; the last role administrator kept; and a user disabled or
 * given a new password is logged out everywhere. */
static int side(struct crm_ctx *ctx, struct db_tx *tx, const void *before, const void *after)
{
	const struct user *b = before, *a = after;
	int rc;

	if (!a)
		return 0;
	if ((!b || !same_roles(&a->roles, &b->roles)) &&
	    (rc = db_user_set_roles(tx, a->row.id, a->roles.items, a->roles.count, &ctx->err)))
		return rc;
	if (!b)
		return 0;
	if ((rc = role_admins_kept(ctx, tx, a->admins)))
		return rc;
	if ((strcmp(a->status, "disabled") == 0 && strcmp(b->status, "disabled") != 0) ||
	    strcmp(a->password_hash, b->password_hash) != 0)
		return db_session_delete_user(tx, a->row.id, NULL, &ctx->err);
	return 0;
}

static void loaded(struct crm_ctx *ctx, void *obj)
{
	struct user *u = obj;
	const char *roles = NULL, *perms = NULL;

	if (db_user_roles(ctx->db, NULL, u->row.id, ctx->arena, &roles, &perms, &ctx->err))
		crm_err_clear(&ctx->err); /* shown without them; every check reads them again */
	u->roles = json_words(ctx->arena, roles);
	u->permissions = auth_perm_array(ctx->arena, auth_perm_bits(perms));
	if (u->locked_until_ms <= time_now_ms())
		u->locked_until_ms = 0;
}

RES_STORAGE(user);
const struct res_desc user_res = {
	.name = "user",
	.type_name = "User",
	.path = "/api/v1/users",
	.table = "app_user",
	.scope = DB_SCOPE_UNIT,
	.no_delete = true,
	.size = sizeof(struct user),
	.perm_read = PERM_ADMIN_USERS,
	.perm_write = PERM_ADMIN_USERS,
	.fields = fields,
	.lifecycle = &lifecycle,
	.sort = "login",
	.input = input,
	.check = check,
	.side = side,
	.loaded = loaded,
	.built = &user__built,
};
