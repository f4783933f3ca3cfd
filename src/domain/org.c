/* Org units: validation of codes, kinds and moves; every change audited with its event. */
#include "domain/org.h"

#include <stddef.h>
#include <string.h>

#include "core/arena.h"
#include "core/time.h"
#include "domain/change.h"
#include "core/banned.h"

#define ORG_API	     "telcrm"
#define ORG_CODE_MAX 32
#define ORG_PATH_MAX 240

static const char *const kinds[] = {"hq", "province", "city", "hall", "team", NULL};
static const char *const statuses[] = {"active", "closed", NULL};

const struct json_desc org_unit_desc = {
	"OrgUnit",
	sizeof(struct org_unit),
	(const struct json_field[]){
		{"id", JSON_STRING, offsetof(struct org_unit, id), 0, NULL, 0, NULL},
		{"href", JSON_STRING, offsetof(struct org_unit, href), 0, NULL, 0, NULL},
		{"name", JSON_STRING, offsetof(struct org_unit, name), 0, NULL, 0, NULL},
		{"kind", JSON_STRING, offsetof(struct org_unit, kind), 0, NULL, 0, NULL},
		{"parentId", JSON_STRING, offsetof(struct org_unit, parent_id), 0, NULL, 0, NULL},
		{"path", JSON_STRING, offsetof(struct org_unit, path), 0, NULL, 0, NULL},
		{"status", JSON_STRING, offsetof(struct org_unit, status), 0, NULL, 0, NULL},
		{"version", JSON_INT, offsetof(struct org_unit, version), 0, NULL, 0, NULL},
		{"createdDate", JSON_TIME, offsetof(struct org_unit, created_ms), 0, NULL, 0, NULL},
		{"lastUpdate", JSON_TIME, offsetof(struct org_unit, updated_ms), 0, NULL, 0, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};

#define IN(member) offsetof(struct org_unit_input, member)

const struct json_desc org_unit_create_desc = {
	"OrgUnit",
	sizeof(struct org_unit_input),
	(const struct json_field[]){
		{"id", JSON_STRING, IN(id), JSON_REQUIRED, NULL, ORG_CODE_MAX, NULL},
		{"name", JSON_STRING, IN(name), JSON_REQUIRED, NULL, 100, NULL},
		{"kind", JSON_STRING, IN(kind), JSON_REQUIRED, NULL, 0, kinds},
		{"parentId", JSON_STRING, IN(parent_id), JSON_REQUIRED, NULL, ORG_CODE_MAX, NULL},
		{"status", JSON_STRING, IN(status), 0, NULL, 0, statuses},
		{0},
	},
	IN(present),
};

const struct json_desc org_unit_patch_desc = {
	"OrgUnit",
	sizeof(struct org_unit_input),
	(const struct json_field[]){
		{"name", JSON_STRING, IN(name), 0, NULL, 100, NULL},
		{"parentId", JSON_STRING, IN(parent_id), 0, NULL, ORG_CODE_MAX, NULL},
		{"status", JSON_STRING, IN(status), 0, NULL, 0, statuses},
		{0},
	},
	IN(present),
};

const char *const org_unit_filterable[] = {"id", "name", "kind", "status", "parentId", NULL};

static void from_row(struct crm_ctx *ctx, const struct db_org_unit *r, struct org_unit *u)
{
	u->id = r->id;
	u->href = arena_printf(ctx->arena, "/api/v1/org-units/%s", r->id);
	u->name = r->name;
	u->kind = r->kind;
	u->parent_id = r->parent_id;
	u->path = r->path;
	u->status = r->status;
	u->version = r->version;
	u->created_ms = r->created_ms;
	u->updated_ms = r->updated_ms;
}

static int kind_rank(const char *kind)
{
	for (int i = 0; kinds[i]; i++)
		if (strcmp(kinds[i], kind) == 0)
			return i < 4 ? i : 3; /* a team ranks with a hall */
	return -1;
}

/* A province sits under HQ, a city under a province, a hall or team under a city (a team
 * may also sit under a hall). */
static int check_parent(struct crm_ctx *ctx, const char *kind, const struct db_org_unit *parent)
{
	int k = kind_rank(kind), p = kind_rank(parent->kind);

	if (strcmp(kind, "hq") == 0)
		return crm_err_set(&ctx->err, CRM_EINVAL, "kind", "there is only one 'hq' unit");
	if (p == k - 1 || (strcmp(kind, "team") == 0 && strcmp(parent->kind, "hall") == 0))
		return 0;
	return crm_err_set(&ctx->err, CRM_EINVAL, "parentId",
			   "a unit of kind '%s' cannot sit under '%s', which is a '%s'", kind,
			   parent->id, parent->kind);
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

static int check_name(struct crm_ctx *ctx, const char *name)
{
	if (!name || !*name)
		return crm_err_set(&ctx->err, CRM_EINVAL, "name", "'name' must not be empty");
	return 0;
}

static cJSON *to_json(const struct org_unit *u)
{
	return json_encode(&org_unit_desc, u);
}

int org_unit_get(struct crm_ctx *ctx, const char *id, struct org_unit *out)
{
	struct db_org_unit r;
	int rc;

	if ((rc = db_org_get(ctx->db, NULL, db_scope_of(ctx), id, ctx->arena, &r, &ctx->err)))
		return rc;
	from_row(ctx, &r, out);
	return 0;
}

int org_unit_list(struct crm_ctx *ctx, const struct db_list_opts *opts, struct org_unit **out,
		  size_t *out_n, int64_t *out_total)
{
	struct db_org_unit *rows;
	struct org_unit *items;
	size_t n;
	int rc;

	if ((rc = db_org_list(ctx->db, db_scope_of(ctx), opts, ctx->arena, &rows, &n, out_total,
			      &ctx->err)))
		return rc;
	items = arena_calloc(ctx->arena, n ? n : 1, sizeof(*items));
	for (size_t i = 0; i < n; i++)
		from_row(ctx, &rows[i], &items[i]);
	*out = items;
	*out_n = n;
	return 0;
}

int org_unit_create(struct crm_ctx *ctx, const struct org_unit_input *in, struct org_unit *out)
{
	struct db_org_unit parent, row;
	struct db_tx *tx = NULL;
	struct org_unit u;
	int64_t now = time_now_ms();
	int rc;

	if ((rc = check_code(ctx, in->id)) || (rc = check_name(ctx, in->name)))
		return rc;
	if ((rc = change_begin(ctx, &tx)))
		return rc;
	rc = db_org_get(ctx->db, tx, db_scope_of(ctx), in->parent_id, ctx->arena, &parent,
			&ctx->err);
	if (rc == CRM_ENOTFOUND) {
		crm_err_clear(&ctx->err);
		rc = crm_err_set(&ctx->err, CRM_EINVAL, "parentId", "parent unit '%s' not found",
				 in->parent_id);
	}
	if (rc || (rc = check_parent(ctx, in->kind, &parent)))
		goto out;
	if (strcmp(parent.status, "active") != 0) {
		rc = crm_err_set(&ctx->err, CRM_ECONFLICT, "parentId", "parent unit '%s' is closed",
				 parent.id);
		goto out;
	}
	row = (struct db_org_unit){
		.id = in->id,
		.name = in->name,
		.kind = in->kind,
		.parent_id = parent.id,
		.path = arena_printf(ctx->arena, "%s%s/", parent.path, in->id),
		.status = in->status ? in->status : "active",
		.version = 1,
		.created_ms = now,
		.updated_ms = now,
	};
	if (strlen(row.path) > ORG_PATH_MAX) {
		rc = crm_err_set(&ctx->err, CRM_EINVAL, "parentId", "the org tree is too deep");
		goto out;
	}
	if ((rc = db_org_insert(tx, &row, &ctx->err)))
		goto out;
	from_row(ctx, &row, &u);
	rc = change_record(ctx, tx,
			   &(struct change){
				   .action = "create",
				   .resource = "orgUnit",
				   .resource_id = u.id,
				   .org_path = u.path,
				   .after = json_adopt(ctx->arena, to_json(&u)),
				   .api = ORG_API,
				   .event_type = "OrgUnitCreateEvent",
				   .event_field = "orgUnit",
			   });
	if (rc)
		goto out;
	rc = change_commit(ctx, tx);
	tx = NULL;
	if (!rc)
		*out = u;
out:
	change_abort(ctx, tx);
	return rc;
}

static int apply_move(struct crm_ctx *ctx, struct db_tx *tx, struct db_org_unit *row,
		      const char *parent_id)
{
	struct db_org_unit parent;
	int rc;

	if (strcmp(row->kind, "hq") == 0)
		return crm_err_set(&ctx->err, CRM_EINVAL, "parentId", "the 'hq' unit cannot move");
	rc = db_org_get(ctx->db, tx, db_scope_of(ctx), parent_id, ctx->arena, &parent, &ctx->err);
	if (rc == CRM_ENOTFOUND) {
		crm_err_clear(&ctx->err);
		return crm_err_set(&ctx->err, CRM_EINVAL, "parentId", "parent unit '%s' not found",
				   parent_id);
	}
	if (rc || (rc = check_parent(ctx, row->kind, &parent)))
		return rc;
	if (strncmp(parent.path, row->path, strlen(row->path)) == 0)
		return crm_err_set(&ctx->err, CRM_ECONFLICT, "parentId",
				   "unit '%s' cannot move under itself", row->id);
	if (strcmp(parent.status, "active") != 0)
		return crm_err_set(&ctx->err, CRM_ECONFLICT, "parentId",
				   "parent unit '%s' is closed", parent.id);
	row->parent_id = parent.id;
	row->path = arena_printf(ctx->arena, "%s%s/", parent.path, row->id);
	if (strlen(row->path) > ORG_PATH_MAX)
		return crm_err_set(&ctx->err, CRM_EINVAL, "parentId", "the org tree is too deep");
	return 0;
}

int org_unit_update(struct crm_ctx *ctx, const char *id, int64_t if_match,
		    const struct org_unit_input *in, struct org_unit *out)
{
	const struct json_desc *d = &org_unit_patch_desc;
	struct db_org_unit row;
	struct db_tx *tx = NULL;
	struct org_unit before, after;
	const char *old_path, *old_status;
	int64_t children;
	int rc;

	if (json_present(d, in, "name") && (rc = check_name(ctx, in->name)))
		return rc;
	if ((rc = change_begin(ctx, &tx)))
		return rc;
	if ((rc = db_org_get(ctx->db, tx, db_scope_of(ctx), id, ctx->arena, &row, &ctx->err)))
		goto out;
	if (if_match >= 0 && if_match != row.version) {
		rc = crm_err_set(&ctx->err, CRM_ESTALE, "If-Match",
				 "org unit '%s' is at version %lld, not %lld", id,
				 (long long)row.version, (long long)if_match);
		goto out;
	}
	from_row(ctx, &row, &before);
	old_path = row.path;
	old_status = row.status;
	if (json_present(d, in, "name"))
		row.name = in->name;
	if (json_present(d, in, "parentId") && in->parent_id &&
	    (!row.parent_id || strcmp(in->parent_id, row.parent_id) != 0) &&
	    (rc = apply_move(ctx, tx, &row, in->parent_id)))
		goto out;
	if (json_present(d, in, "status") && in->status)
		row.status = in->status;
	if (strcmp(row.status, "closed") == 0 && strcmp(old_status, "closed") != 0) {
		if (strcmp(row.kind, "hq") == 0) {
			rc = crm_err_set(&ctx->err, CRM_ECONFLICT, "status",
					 "the 'hq' unit cannot be closed");
			goto out;
		}
		if ((rc = db_org_count_active_children(tx, id, &children, &ctx->err)))
			goto out;
		if (children > 0) {
			rc = crm_err_set(&ctx->err, CRM_ECONFLICT, "status",
					 "unit '%s' has %lld active units under it", id,
					 (long long)children);
			goto out;
		}
	}
	row.updated_ms = time_now_ms();
	if ((rc = db_org_update(tx, &row, old_path, ctx->arena, &ctx->err)))
		goto out;
	row.version++;
	from_row(ctx, &row, &after);
	rc = change_record(ctx, tx,
			   &(struct change){
				   .action = "update",
				   .resource = "orgUnit",
				   .resource_id = id,
				   .org_path = after.path,
				   .before = json_adopt(ctx->arena, to_json(&before)),
				   .after = json_adopt(ctx->arena, to_json(&after)),
				   .api = ORG_API,
				   .event_type = strcmp(old_status, row.status) != 0
							 ? "OrgUnitStateChangeEvent"
							 : "OrgUnitAttributeValueChangeEvent",
				   .event_field = "orgUnit",
			   });
	if (rc)
		goto out;
	rc = change_commit(ctx, tx);
	tx = NULL;
	if (!rc)
		*out = after;
out:
	change_abort(ctx, tx);
	return rc;
}
