/*
 * Roles: named sets of permissions. The built-in roles (clerk, agent, account_manager,
 * service, marketing, sales, analyst, manager, admin) come with the schema; they can be
 * edited but not deleted. A caller grants only permissions they hold.
 */
#include "auth/auth_int.h"

#include <string.h>

#include "core/arena.h"
#include "core/time.h"
#include "domain/change.h"
#include "core/banned.h"

#define ROLE_ID_MAX 32

#define OUT(member) offsetof(struct auth_role, member)
const struct json_desc auth_role_desc = {
	"Role",
	sizeof(struct auth_role),
	(const struct json_field[]){
		{"id", JSON_STRING, OUT(id), 0, NULL, 0, NULL},
		{"href", JSON_STRING, OUT(href), 0, NULL, 0, NULL},
		{"name", JSON_STRING, OUT(name), 0, NULL, 0, NULL},
		{"description", JSON_STRING, OUT(description), 0, NULL, 0, NULL},
		{"permissions", JSON_STRING_ARRAY, OUT(permissions), 0, NULL, 0, NULL},
		{"builtin", JSON_BOOL, OUT(builtin), 0, NULL, 0, NULL},
		{"users", JSON_INT, OUT(users), 0, NULL, 0, NULL},
		{"version", JSON_INT, OUT(version), 0, NULL, 0, NULL},
		{"createdDate", JSON_TIME, OUT(created_ms), 0, NULL, 0, NULL},
		{"lastUpdate", JSON_TIME, OUT(updated_ms), 0, NULL, 0, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};
#undef OUT

#define IN(member) offsetof(struct auth_role_input, member)
const struct json_desc auth_role_create_desc = {
	"Role",
	sizeof(struct auth_role_input),
	(const struct json_field[]){
		{"id", JSON_STRING, IN(id), JSON_REQUIRED, NULL, ROLE_ID_MAX, NULL},
		{"name", JSON_STRING, IN(name), JSON_REQUIRED, NULL, 100, NULL},
		{"description", JSON_STRING, IN(description), 0, NULL, 500, NULL},
		{"permissions", JSON_STRING_ARRAY, IN(permissions), JSON_REQUIRED, NULL, PERM_COUNT,
		 NULL},
		{0},
	},
	IN(present),
};

const struct json_desc auth_role_patch_desc = {
	"Role",
	sizeof(struct auth_role_input),
	(const struct json_field[]){
		{"name", JSON_STRING, IN(name), 0, NULL, 100, NULL},
		{"description", JSON_STRING, IN(description), 0, NULL, 500, NULL},
		{"permissions", JSON_STRING_ARRAY, IN(permissions), 0, NULL, PERM_COUNT, NULL},
		{0},
	},
	IN(present),
};
#undef IN

#define OUT(member) offsetof(struct auth_perm_info, member)
const struct json_desc auth_perm_info_desc = {
	"Permission",
	sizeof(struct auth_perm_info),
	(const struct json_field[]){
		{"name", JSON_STRING, OUT(name), 0, NULL, 0, NULL},
		{"description", JSON_STRING, OUT(description), 0, NULL, 0, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};
#undef OUT

const char *const auth_role_filterable[] = {"id", "name", "builtin", NULL};

static void from_row(struct crm_ctx *ctx, const struct db_role *r, struct auth_role *out)
{
	out->id = r->id;
	out->href = arena_printf(ctx->arena, "/api/v1/roles/%s", r->id);
	out->name = r->name;
	out->description = r->description;
	out->permissions = auth_perm_array(ctx->arena, auth_perm_bits(r->permissions));
	out->builtin = r->builtin;
	out->users = r->users;
	out->version = r->version;
	out->created_ms = r->created_ms;
	out->updated_ms = r->updated_ms;
}

static cJSON *to_json(const struct auth_role *r)
{
	return json_encode(&auth_role_desc, r);
}

/* Roles hold for the whole operator, so only staff of the root unit (HQ) change them. */
static int check_platform(struct crm_ctx *ctx)
{
	if (ctx_at_root(ctx))
		return 0;
	return crm_err_set(&ctx->err, CRM_EPERM, NULL,
			   "roles apply across the whole organisation; only headquarters staff may "
			   "change them");
}

/* Parses the permission names and checks the caller holds each; *out is their text. */
static int perms_in(struct crm_ctx *ctx, const struct json_array *names, const char **out)
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

int auth__role_admins(struct crm_ctx *ctx, struct db_tx *tx, int64_t *out)
{
	return db_user_count_root_holders(tx, auth_perm_format(ctx->arena, PERM_ADMIN_ROLES), out,
					  &ctx->err);
}

int auth__role_admins_kept(struct crm_ctx *ctx, struct db_tx *tx, int64_t before)
{
	int64_t after;
	int rc;

	if (before == 0)
		return 0; /* nobody could before either: this change is no worse */
	if ((rc = auth__role_admins(ctx, tx, &after)))
		return rc;
	if (after > 0)
		return 0;
	return crm_err_set(&ctx->err, CRM_ECONFLICT, NULL,
			   "at least one active user at headquarters must keep a role granting "
			   "'admin.roles', or nobody could change roles any more; give one to "
			   "another user first");
}

/* Reads the row back into out and records the change with its audit row. */
static int record(struct crm_ctx *ctx, struct db_tx *tx, const char *id, const char *action,
		  const cJSON *before, struct auth_role *out)
{
	struct db_role r;
	int rc;

	if ((rc = db_role_get(ctx->db, tx, id, ctx->arena, &r, &ctx->err)))
		return rc;
	from_row(ctx, &r, out);
	if ((rc = change_record(ctx, tx,
				&(struct change){.action = action,
						 .resource = "role",
						 .resource_id = id,
						 .org_path = "/",
						 .before = before,
						 .after = json_adopt(ctx->arena, to_json(out))})))
		return rc;
	return 0;
}

int auth_role_create(struct crm_ctx *ctx, const struct auth_role_input *in, struct auth_role *out)
{
	int64_t now = time_now_ms();
	struct db_tx *tx = NULL;
	const char *perms;
	int rc;

	if ((rc = check_platform(ctx)) || (rc = check_id(ctx, in->id)) ||
	    (rc = perms_in(ctx, &in->permissions, &perms)))
		return rc;
	if ((rc = change_begin(ctx, &tx)) ||
	    (rc = db_role_insert(tx,
				 &(struct db_role){.id = in->id,
						   .name = in->name,
						   .description = in->description,
						   .permissions = perms,
						   .version = 1,
						   .created_ms = now,
						   .updated_ms = now},
				 &ctx->err)) ||
	    (rc = record(ctx, tx, in->id, "create", NULL, out))) {
		change_abort(ctx, tx);
		return rc;
	}
	return change_commit(ctx, tx);
}

int auth_role_get(struct crm_ctx *ctx, const char *id, struct auth_role *out)
{
	struct db_role r;
	int rc;

	if ((rc = db_role_get(ctx->db, NULL, id, ctx->arena, &r, &ctx->err)))
		return rc;
	from_row(ctx, &r, out);
	return 0;
}

int auth_role_list(struct crm_ctx *ctx, const struct db_list_opts *opts, struct auth_role **out,
		   size_t *out_n, int64_t *out_total)
{
	struct db_role *rows;
	struct auth_role *items;
	size_t n;
	int rc;

	if ((rc = db_role_list(ctx->db, opts, ctx->arena, &rows, &n, out_total, &ctx->err)))
		return rc;
	items = arena_calloc(ctx->arena, n ? n : 1, sizeof(*items));
	for (size_t i = 0; i < n; i++)
		from_row(ctx, &rows[i], &items[i]);
	*out = items;
	*out_n = n;
	return 0;
}

/* Reads the role in tx and checks If-Match and that the caller holds all it grants. */
static int load(struct crm_ctx *ctx, struct db_tx *tx, const char *id, int64_t if_match,
		struct db_role *r)
{
	uint64_t beyond;
	int rc;

	if ((rc = check_platform(ctx)) ||
	    (rc = db_role_get(ctx->db, tx, id, ctx->arena, r, &ctx->err)))
		return rc;
	if (if_match >= 0 && if_match != r->version)
		return crm_err_set(&ctx->err, CRM_ESTALE, "If-Match",
				   "role '%s' is at version %lld, not %lld", id,
				   (long long)r->version, (long long)if_match);
	if ((beyond = auth_perm_bits(r->permissions) & ~ctx->who.perms))
		return crm_err_set(&ctx->err, CRM_EPERM, NULL,
				   "role '%s' grants '%s', which you do not hold", id,
				   auth_perm_format(ctx->arena, beyond));
	return 0;
}

int auth_role_update(struct crm_ctx *ctx, const char *id, int64_t if_match,
		     const struct auth_role_input *in, struct auth_role *out)
{
	const struct json_desc *d = &auth_role_patch_desc;
	struct auth_role before;
	struct db_tx *tx = NULL;
	struct db_role r;
	int64_t admins = 0;
	int rc;

	if ((rc = change_begin(ctx, &tx)) || (rc = load(ctx, tx, id, if_match, &r)))
		goto fail;
	from_row(ctx, &r, &before);
	if (json_present(d, in, "name"))
		r.name = in->name;
	if (json_present(d, in, "description"))
		r.description = in->description;
	if (json_present(d, in, "permissions") &&
	    ((rc = perms_in(ctx, &in->permissions, &r.permissions)) ||
	     (rc = auth__role_admins(ctx, tx, &admins))))
		goto fail;
	r.updated_ms = time_now_ms();
	if ((rc = db_role_update(tx, &r, &ctx->err)) ||
	    (rc = auth__role_admins_kept(ctx, tx, admins)) ||
	    (rc = record(ctx, tx, id, "update", json_adopt(ctx->arena, to_json(&before)), out)))
		goto fail;
	return change_commit(ctx, tx);
fail:
	change_abort(ctx, tx);
	return rc;
}

int auth_role_delete(struct crm_ctx *ctx, const char *id, int64_t if_match)
{
	struct auth_role before;
	struct db_tx *tx = NULL;
	struct db_role r;
	int rc;

	if ((rc = change_begin(ctx, &tx)) || (rc = load(ctx, tx, id, if_match, &r)))
		goto fail;
	if (r.builtin) {
		rc = crm_err_set(&ctx->err, CRM_ECONFLICT, "id",
				 "role '%s' is built in; it can be edited but not deleted", id);
		goto fail;
	}
	from_row(ctx, &r, &before);
	if ((rc = db_role_delete(tx, id, &ctx->err)) ||
	    (rc = change_record(
		     ctx, tx,
		     &(struct change){.action = "delete",
				      .resource = "role",
				      .resource_id = id,
				      .org_path = "/",
				      .before = json_adopt(ctx->arena, to_json(&before))})))
		goto fail;
	return change_commit(ctx, tx);
fail:
	change_abort(ctx, tx);
	return rc;
}
