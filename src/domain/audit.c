/* The audit trail as the API shows it: rows in the caller's scope, JSON kept as JSON. */
#include "domain/audit.h"

#include <string.h>

#include "auth/auth.h"
#include "core/arena.h"
#include "core/mask.h"
#include "domain/resource.h"
#include "domain/token.h"
#include "core/banned.h"

/* The shapes of audited records that are not resources of the layer (API tokens). Every
 * other resource's shape comes from the registry. */
static const struct {
	const char *resource;
	const struct json_desc *desc;
} other_shapes[] = {
	{"apiToken", &token_desc},
};

static const struct json_desc *shape_of(const char *resource)
{
	const struct res_desc *d = res_find(resource);

	if (d)
		return res_json(d);
	for (size_t i = 0; i < sizeof(other_shapes) / sizeof(other_shapes[0]); i++)
		if (strcmp(other_shapes[i].resource, resource) == 0)
			return other_shapes[i].desc;
	return NULL;
}

/* A row of a resource nobody described may hold anything: every text in it is masked
 * (fail closed), but for the names of things. */
static void mask_all(struct arena *a, cJSON *t)
{
	cJSON *m;

	cJSON_ArrayForEach(m, t)
	{
		if (cJSON_IsString(m) && !(m->string && (strcmp(m->string, "@type") == 0 ||
							 strcmp(m->string, "id") == 0 ||
							 strcmp(m->string, "href") == 0)))
			cJSON_SetValuestring(m, mask_apply(a, MASK_NAME, m->valuestring));
		else if (cJSON_IsObject(m) || cJSON_IsArray(m))
			mask_all(a, m);
	}
}

#define F(member) offsetof(struct audit_entry, member)
const struct json_desc audit_entry_desc = {
	"AuditEntry",
	sizeof(struct audit_entry),
	(const struct json_field[]){
		{"seq", JSON_INT, F(seq), 0, NULL, 0, NULL},
		{"at", JSON_TIME, F(at_ms), 0, NULL, 0, NULL},
		{"actor", JSON_STRING, F(actor), 0, NULL, 0, NULL},
		{"action", JSON_STRING, F(action), 0, NULL, 0, NULL},
		{"resource", JSON_STRING, F(resource), 0, NULL, 0, NULL},
		{"resourceId", JSON_STRING, F(resource_id), 0, NULL, 0, NULL},
		{"orgPath", JSON_STRING, F(org_path), 0, NULL, 0, NULL},
		{"before", JSON_ANY, F(before), 0, NULL, 0, NULL},
		{"after", JSON_ANY, F(after), 0, NULL, 0, NULL},
		{"requestId", JSON_STRING, F(request_id), 0, NULL, 0, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};
#undef F

const char *const audit_filterable[] = {"actor", "action", "resource", "resourceId", "at", NULL};

/* Stored JSON text back to a tree (a string if it does not parse, which it always should),
 * masked per the resource's shape when the caller sees personal data masked. */
static const cJSON *tree_of(struct crm_ctx *ctx, const char *resource, const char *text)
{
	const struct json_desc *shape = shape_of(resource);
	cJSON *t;

	if (!text)
		return NULL;
	if (json_parse(ctx->arena, text, strlen(text), &t, NULL) != 0)
		return json_adopt(ctx->arena, cJSON_CreateString(text));
	if (ctx->who.pii_masked && shape)
		json_mask_tree(ctx->arena, shape, t);
	else if (ctx->who.pii_masked)
		mask_all(ctx->arena, t);
	return t;
}

/* The caller's org subtree; at the root unit the whole trail, including the rows tied to
 * no unit (org path "/": roles, hub listeners, failed logins of unknown names), which
 * would otherwise be visible to nobody. */
static struct db_scope scope_of(const struct crm_ctx *ctx)
{
	return ctx_at_root(ctx) ? db_scope_all() : db_scope_for(ctx, PERM_AUDIT_READ);
}

int audit_list(struct crm_ctx *ctx, const struct db_list_opts *opts, struct audit_entry **out,
	       size_t *out_n, int64_t *out_total)
{
	struct db_audit_row *rows;
	struct audit_entry *items;
	size_t n;
	int rc;

	if ((rc = db_audit_list(ctx->db, scope_of(ctx), opts, ctx->arena, &rows, &n, out_total,
				&ctx->err)))
		return rc;
	items = arena_calloc(ctx->arena, n ? n : 1, sizeof(*items));
	for (size_t i = 0; i < n; i++) {
		items[i] = (struct audit_entry){
			.seq = rows[i].seq,
			.at_ms = rows[i].at_ms,
			.actor = rows[i].actor,
			.action = rows[i].action,
			.resource = rows[i].resource,
			.resource_id = rows[i].resource_id,
			.org_path = rows[i].org_path,
			.before = tree_of(ctx, rows[i].resource, rows[i].before),
			.after = tree_of(ctx, rows[i].resource, rows[i].after),
			.request_id = rows[i].request_id,
		};
	}
	*out = items;
	*out_n = n;
	return 0;
}
