/* Roles on the resource layer: the permission names, the grant rules, and the last role
 * administrator kept. */
#include "domain/role.h"

#include <string.h>

#include "auth/auth.h"
#include "core/arena.h"
#include "core/banned.h"

#define RD(member) offsetof(struct role_depth, member)
static const struct json_desc role_depth_desc = {
	NULL,
	sizeof(struct role_depth),
	(const struct json_field[]){
		{"permission", JSON_STRING, RD(permission), JSON_REQUIRED, NULL, 64, NULL},
		{"depth", JSON_STRING, RD(depth), JSON_REQUIRED, NULL, 0, auth_depth_names},
		{0},
	},
	JSON_NO_PRESENT,
};
#undef RD

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
	RES_FIELD("depths", JSON_OBJECT_ARRAY, depths, .flags = JSON_NULLABLE | RES_SIDE,
		  .sub = &role_depth_desc, .max_len = PERM_COUNT),
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

/* The permission names, each known and held by the caller. */
static int permissions_of(struct crm_ctx *ctx, const struct json_array *names, uint64_t *out)
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
	*out = bits;
	return 0;
}

/* How far the caller reaches with permission bit i: at the root, the unit and below is
 * everything. */
static enum crm_depth reach(const struct crm_ctx *ctx, int i)
{
	enum crm_depth d = ctx->who.depth[i] ? (enum crm_depth)ctx->who.depth[i] : CRM_DEPTH_BELOW;

	return d >= CRM_DEPTH_BELOW && ctx_at_root(ctx) ? CRM_DEPTH_ALL : d;
}

/* The depths given, each of a permission the role grants and no farther than the caller
 * reaches with it themselves, into depth (one per permission bit). */
static int depths_of(struct crm_ctx *ctx, const struct json_array *given, uint64_t bits,
		     uint8_t depth[CRM_DEPTH_BITS])
{
	const struct role_depth *items = given->items;

	memset(depth, 0, CRM_DEPTH_BITS);
	for (size_t k = 0; k < given->count; k++) {
		uint64_t one;
		enum crm_depth v = auth_depth_parse(items[k].depth);
		int rc, i;

		if ((rc = auth_perm_parse(items[k].permission, &one, &ctx->err)))
			return rc;
		if (!one || one & (one - 1))
			return crm_err_set(&ctx->err, CRM_EINVAL, "depths",
					   "each depth names one permission");
		i = __builtin_ctzll(one);
		if (!(one & bits))
			return crm_err_set(&ctx->err, CRM_EINVAL, "depths",
					   "'depths' names '%s', which the role does not grant",
					   items[k].permission);
		if (v > reach(ctx, i))
			return crm_err_set(&ctx->err, CRM_EPERM, "depths",
					   "you cannot give '%s' the depth '%s': you reach '%s' "
					   "with it yourself",
					   items[k].permission, items[k].depth,
					   auth_depth_name(reach(ctx, i)));
		depth[i] = (uint8_t)v;
	}
	/* a permission given no depth reaches the unit and below: no farther either */
	for (int i = 0; i < PERM_COUNT; i++)
		if ((bits & (1ULL << i)) && !depth[i] && reach(ctx, i) < CRM_DEPTH_BELOW)
			return crm_err_set(&ctx->err, CRM_EPERM, "depths",
					   "you cannot give '%s' the depth '%s': you reach '%s' "
					   "with it yourself",
					   auth_perm_name(i), auth_depth_name(CRM_DEPTH_BELOW),
					   auth_depth_name(reach(ctx, i)));
	return 0;
}

/* The role's permissions and depths, in the catalogue's order, from the stored text. */
static void show(struct crm_ctx *ctx, struct role *r)
{
	uint8_t depth[CRM_DEPTH_BITS];
	uint64_t bits = auth_perm_depths(r->permission_text, depth);
	struct role_depth *items = arena_calloc(ctx->arena, PERM_COUNT, sizeof(*items));
	size_t n = 0;

	r->permissions = auth_perm_array(ctx->arena, bits);
	for (int i = 0; i < PERM_COUNT; i++)
		if ((bits & (1ULL << i)) && depth[i] != CRM_DEPTH_BELOW)
			items[n++] = (struct role_depth){auth_perm_name(i),
							 auth_depth_name((enum crm_depth)depth[i])};
	r->depths = (struct json_array){items, n};
}

static int check(struct crm_ctx *ctx, struct db_tx *tx, void *obj, struct res_change *ch)
{
	struct role *r = obj;
	const struct role *before = ch->before;
	uint8_t depth[CRM_DEPTH_BITS];
	uint64_t bits = 0;
	int rc;

	if (!before && !json_present(res_json(&role_res), ch->in, "permissions"))
		return crm_err_set(&ctx->err, CRM_EINVAL, "permissions", "'%s' is required",
				   "permissions");
	if ((rc = check_caller(ctx, before)) || (!before && (rc = check_id(ctx, r->row.id))) ||
	    (rc = permissions_of(ctx, &r->permissions, &bits)) ||
	    (rc = depths_of(ctx, &r->depths, bits, depth)))
		return rc;
	r->permission_text = auth_perm_format_depths(ctx->arena, bits, depth);
	show(ctx, r);
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

	show(ctx, r);
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
