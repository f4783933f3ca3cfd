/* Org units on the resource layer: codes, the kinds' hierarchy, moves and closing. */
#include "domain/org.h"

#include <string.h>

#include "auth/auth.h"
#include "core/arena.h"
#include "core/banned.h"

#define ORG_CODE_MAX 32
#define ORG_PATH_MAX 240

static const char *const kinds[] = {"hq", "province", "city", "hall", "team", NULL};
static const char *const statuses[] = {"active", "closed", NULL};
static const char *const moves[][2] = {{"active", "closed"}, {"closed", "active"}, {NULL, NULL}};

static const struct res_lifecycle lifecycle = {"status", statuses, statuses, moves, NULL};

#define RES_T struct org_unit
static const struct res_field fields[] = {
	RES_FIELD("name", JSON_STRING, name,
		  .flags = JSON_REQUIRED | RES_NOT_BLANK | RES_FILTER | RES_SORT, .column = "name",
		  .max_len = 100),
	RES_FIELD("kind", JSON_STRING, kind, .flags = JSON_REQUIRED | RES_IMMUTABLE | RES_FILTER,
		  .column = "kind", .values = kinds),
	RES_FIELD("parentId", JSON_STRING, parent_id, .flags = RES_FILTER, .column = "parent_id",
		  .max_len = ORG_CODE_MAX),
	RES_FIELD("path", JSON_STRING, row.org_path, .flags = JSON_READONLY | RES_SORT,
		  .column = "path"),
	RES_FIELD("status", JSON_STRING, status, .flags = RES_FILTER, .column = "status",
		  .values = statuses),
	{0},
};
#undef RES_T

static int kind_rank(const char *kind)
{
	for (int i = 0; kinds[i]; i++)
		if (strcmp(kinds[i], kind) == 0)
			return i < 4 ? i : 3; /* a team ranks with a hall */
	return -1;
}

static int check_code(struct crm_ctx *ctx, const char *code)
{
	size_t n = strlen(code);

	if (n == 0)
		return crm_err_set(&ctx->err, CRM_EINVAL, "id", "'id' must not be empty");
	for (size_t i = 0; i < n; i++) {
		char c = code[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (c == '-' && i > 0)))
			return crm_err_set(&ctx->err, CRM_EINVAL, "id",
					   "org unit code '%s' may hold only A-Z, 0-9 and '-' "
					   "(not first)",
					   code);
	}
	return 0;
}

/* The unit's place under parent_id: the parent exists in scope, is active, has the kind
 * above this one and is not the unit itself or below it; fills the unit's path. */
static int place(struct crm_ctx *ctx, struct db_tx *tx, struct org_unit *u)
{
	struct db_org_unit parent;
	int k = kind_rank(u->kind), rc;

	if (strcmp(u->kind, "hq") == 0)
		return crm_err_set(&ctx->err, CRM_EINVAL, "kind", "there is only one 'hq' unit");
	if (!u->parent_id)
		return crm_err_set(&ctx->err, CRM_EINVAL, "parentId", "'parentId' is required");
	if (strcmp(u->parent_id, u->row.id) == 0)
		return crm_err_set(&ctx->err, CRM_EINVAL, "parentId",
				   "unit '%s' cannot be its own parent", u->row.id);
	rc = db_org_get(ctx->db, tx, db_scope_for(ctx, PERM_ADMIN_ORG), u->parent_id, ctx->arena,
			&parent, &ctx->err);
	if (rc == CRM_ENOTFOUND) {
		crm_err_clear(&ctx->err);
		return crm_err_set(&ctx->err, CRM_EINVAL, "parentId", "parent unit '%s' not found",
				   u->parent_id);
	}
	if (rc)
		return rc;
	if (!(kind_rank(parent.kind) == k - 1 ||
	      (strcmp(u->kind, "team") == 0 && strcmp(parent.kind, "hall") == 0)))
		return crm_err_set(&ctx->err, CRM_EINVAL, "parentId",
				   "a unit of kind '%s' cannot sit under '%s', which is a '%s'",
				   u->kind, parent.id, parent.kind);
	if (u->row.org_path && strncmp(parent.path, u->row.org_path, strlen(u->row.org_path)) == 0)
		return crm_err_set(&ctx->err, CRM_ECONFLICT, "parentId",
				   "unit '%s' cannot move under itself", u->row.id);
	if (strcmp(parent.status, "active") != 0)
		return crm_err_set(&ctx->err, CRM_ECONFLICT, "parentId",
				   "parent unit '%s' is closed", parent.id);
	u->parent_id = parent.id;
	u->row.org_path = arena_printf(ctx->arena, "%s%s/", parent.path, u->row.id);
	if (strlen(u->row.org_path) > ORG_PATH_MAX)
		return crm_err_set(&ctx->err, CRM_EINVAL, "parentId", "the org tree is too deep");
	return 0;
}

static int check(struct crm_ctx *ctx, struct db_tx *tx, void *obj, struct res_change *ch)
{
	const struct org_unit *before = ch->before;
	struct org_unit *u = obj;
	int64_t children;
	int rc;

	if (!before) {
		struct db_org_unit taken;

		if ((rc = check_code(ctx, u->row.id)))
			return rc;
		rc = db_org_get(ctx->db, tx, db_scope_all(), u->row.id, ctx->arena, &taken,
				&ctx->err);
		if (rc != CRM_ENOTFOUND)
			return rc ? rc
				  : crm_err_set(&ctx->err, CRM_ECONFLICT, "id",
						"org unit '%s' already exists", u->row.id);
		crm_err_clear(&ctx->err);
		return place(ctx, tx, u);
	}
	if (u->parent_id && (!before->parent_id || strcmp(u->parent_id, before->parent_id) != 0)) {
		if (strcmp(u->kind, "hq") == 0)
			return crm_err_set(&ctx->err, CRM_EINVAL, "parentId",
					   "the 'hq' unit cannot move");
		if ((rc = place(ctx, tx, u)))
			return rc;
	}
	if (strcmp(u->status, "closed") == 0 && strcmp(before->status, "closed") != 0) {
		if (strcmp(u->kind, "hq") == 0)
			return crm_err_set(&ctx->err, CRM_ECONFLICT, "status",
					   "the 'hq' unit cannot be closed");
		if ((rc = db_org_count_active_children(tx, u->row.id, &children, &ctx->err)))
			return rc;
		if (children > 0)
			return crm_err_set(&ctx->err, CRM_ECONFLICT, "status",
					   "unit '%s' has %lld active units under it", u->row.id,
					   (long long)children);
	}
	return 0;
}

/* A move carries the new path to every unit below. */
static int side(struct crm_ctx *ctx, struct db_tx *tx, const void *before, const void *after)
{
	const struct org_unit *b = before, *a = after;

	if (!b || !a || strcmp(b->row.org_path, a->row.org_path) == 0)
		return 0;
	return db_org_move_subtree(tx, b->row.org_path, a->row.org_path, ctx->arena, &ctx->err);
}

RES_STORAGE(org_unit);

const struct res_desc org_unit_res = {
	.name = "orgUnit",
	.what = "org unit",
	.type_name = "OrgUnit",
	.path = "/api/v1/org-units",
	.event_api = "telcrm",
	.event_field = "orgUnit",
	.table = "org_unit",
	.scope = DB_SCOPE_PATH,
	.no_delete = true,
	.client_id = true,
	.size = sizeof(struct org_unit),
	.perm_read = 0,
	.perm_write = PERM_ADMIN_ORG,
	.fields = fields,
	.lifecycle = &lifecycle,
	.sort = "path",
	.check = check,
	.side = side,
	.built = &org_unit__built,
};
