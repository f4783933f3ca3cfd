/* Roles on the resource layer: the permission names, the grant rules, and the last role
 * administrator kept. */
#include "domain/role.h"

#include <string.h>

#include "auth/auth.h"
#include "core/arena.h"
#include "core/banned.h"

#define RES_T struct role
static const struct res_field fields[] = {
	RES_FIELD("name", JSON_STRING, name,
		  .flags = JSON_REQUIRED | RES_NOT_BLANK | RES_FILTER | RES_SORT, .column = "name",
		  .max_len = 100),
	RES_FIELD("description", JSON_STRING, description,
		  .flags = JSON_NULLABLE | RES_EMPTY_IS_NULL, .column = "description",
		  .max_len = 500),
	/* required on create (an empty list is a list): the check hook says so */
	RES_FIELD("permissions", JSON_STRING_ARRAY, permissions, .flags = RES_SIDE,
		  .max_len = PERM_COUNT),
	RES_FIELD("permissionText", JSON_STRING, permission_text, .flags = RES_HIDDEN,
		  .column = "permissions"),
	RES_FIELD("builtin", JSON_BOOL, builtin, .flags = JSON_READONLY | RES_FILTER,
		  .column = "builtin"),
	RES_FIELD("users", JSON_INT, users, .flags = JSON_READONLY | RES_SIDE),
	{0},
};
#undef RES_T

int role_admins(struct crm_ctx *ctx, struct db_tx *tx, int64_t *out)
{
	return db_user_count_root_holders(tx, auth_perm_format(ctx->arena, PERM_ADMIN_ROLES), out,
					  &ctx->err);
}

int role_admins_kept(struct crm_ctx *ctx, struct db_tx *tx, int64_t before)
{
	int64_t after;
	int rc;

	if (before == 0)
		return 0; /* nobody could before either: this change is no worse */
	if ((rc = role_admins(ctx, tx, &after)))
		return rc;
	if (after > 0)
		return 0;
	return crm_err_set(&ctx->err, CRM_ECONFLICT, NULL,
			   "at least one active user at headquarters must keep a role granting "
			   "'admin.roles', or nobody could change roles any more; give one to "
			   "another user first");
}

/* Roles hold for the whole operator, so only staff of the root unit (HQ) change them; and
 * nobody changes a role granting more than they hold. */
static int check_caller(struct crm_ctx *ctx, const struct role *stored)
{
	uint64_t beyond;

	if (!ctx_at_root(ctx))
		return crm_err_set(&ctx->err, CRM_EPERM, NULL,
				   "roles apply across the whole organisation; only headquarters "
				   "staff may change them");
	if (stored && (beyond = auth_perm_bits(stored->permission_text) & ~ctx->who.perms))
		return crm_err_set(&ctx->err, CRM_EPERM, NULL,
				   "role '%s' grants '%s', which you do not hold", stored->row.id,
				   auth_perm_format(ctx->arena, beyond));
	return 0;
}

static int check_id(struct crm_ctx *ctx, const char *id)
{
	size_t n = strlen(id);

	if (n < 2)
		return crm_err_set(&ctx->err, CRM_EINVAL, "id", "a role id needs 2 characters");
	for (size_t i = 0; i < n; i++)
		if (!((id[i] >= 'a' && id[i] <= 'z') || (i > 0 && id[i] >= '0' && id[i] <= '9') ||
		      (i > 0 && id[i] == '_')))
			return crm_err_set(&ctx->err, CRM_EINVAL, "id",
					   "role id '%s' may hold only a-z, 0-9 and _ (not first)",
					   id);
	return 0;
}

/* The permission names, each known and held by the caller, as the stored text. */
static int permissions_of(struct crm_ctx *ctx, const struct json_array *names, const char **out)
{
	const char *const *items = names->items;
	uint64_t bits = 0, one, beyond;
	int rc;

	for (size_t i = 0; i < names->count; i++) {
		if ((rc = auth_perm_parse(items[i], &one, &ctx->err)))
			return rc;
		bits |= one;
	}
	if ((beyond = bits & ~ctx->who.perms))
		return crm_err_set(&ctx->err, CRM_EPERM, "permissions",
				   "you cannot grant '%s', which you do not hold",
				   auth_perm_format(ctx->arena, beyond));
	*out = auth_perm_format(ctx->arena, bits);
	return 0;
}

static int check(struct crm_ctx *ctx, struct db_tx *tx, void *obj, struct res_change *ch)
{
	struct role *r = obj;
	const struct role *before = ch->before;
	int rc;

	if (!before && !json_present(res_json(&role_res), ch->in, "permissions"))
		return crm_err_set(&ctx->err, CRM_EINVAL, "permissions",
				   "'permissions' is required");
	if ((rc = check_caller(ctx, before)) || (!before && (rc = check_id(ctx, r->row.id))) ||
	    (rc = permissions_of(ctx, &r->permissions, &r->permission_text)))
		return rc;
	r->permissions = auth_perm_array(ctx->arena, auth_perm_bits(r->permission_text));
	r->admins = 0;
	if (before && strcmp(r->permission_text, before->permission_text) != 0)
		return role_admins(ctx, tx, &r->admins);
	return 0;
}

static int removing(struct crm_ctx *ctx, struct db_tx *tx, const void *obj)
{
	const struct role *r = obj;
	int64_t holders;
	int rc;

	if ((rc = check_caller(ctx, r)))
		return rc;
	if (r->builtin)
		return crm_err_set(&ctx->err, CRM_ECONFLICT, "id",
				   "role '%s' is built in; it can be edited but not deleted",
				   r->row.id);
	if ((rc = db_role_holders(ctx->db, tx, r->row.id, &holders, &ctx->err)))
		return rc;
	if (holders)
		return crm_err_set(&ctx->err, CRM_ECONFLICT, "id",
				   "role '%s' is held by users; take it from them first",
				   r->row.id);
	return 0;
}

static int side(struct crm_ctx *ctx, struct db_tx *tx, const void *before, const void *after)
{
	const struct role *r = after;

	return before && after ? role_admins_kept(ctx, tx, r->admins) : 0;
}

static void loaded(struct crm_ctx *ctx, void *obj)
{
	struct role *r = obj;

	r->permissions = auth_perm_array(ctx->arena, auth_perm_bits(r->permission_text));
	if (db_role_holders(ctx->db, NULL, r->row.id, &r->users, &ctx->err))
		crm_err_clear(&ctx->err); /* the count is shown, not relied on */
}

RES_STORAGE(role);
const struct res_desc role_res = {
	.name = "role",
	.type_name = "Role",
	.path = "/api/v1/roles",
	.table = "role",
	.scope = DB_SCOPE_NONE,
	.client_id = true,
	.size = sizeof(struct role),
	.perm_write = PERM_ADMIN_ROLES,
	.fields = fields,
	.sort = "id",
	.check = check,
	.removing = removing,
	.side = side,
	.loaded = loaded,
	.built = &role__built,
};
