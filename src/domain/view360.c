/*
 * The customer 360° view: the section registry and its builders.
 *
 * Adding a section (one per module: subscriptions, bills, orders, tickets, …) is one row
 * in view360_sections[] below and one builder: a static function that makes the
 * section's data with ONE indexed query about s->customer (or its party through
 * view360_party), allocates it in ctx arena, renders personal data with view360_encode
 * (or masks it as the module's own GET does), and returns 0 or a CRM_E* code. Give the
 * row the PERM_* bits a caller needs beyond customer.read; callers without them see the
 * section's name in "omitted" instead. The UI renders sections generically by name.
 */
#include "domain/view360.h"

#include <string.h>

#include "auth/auth.h"
#include "core/arena.h"
#include "domain/audit.h"
#include "domain/inventory.h"
#include "core/banned.h"

#define VIEW360_AUDIT_ROWS 20
#define VIEW360_PRODUCTS   200 /* a customer's products shown, lines and add-ons */

cJSON *view360_encode(struct crm_ctx *ctx, const struct json_desc *desc, const void *obj)
{
	return json_adopt(ctx->arena, ctx->who.pii_masked
					      ? json_encode_masked(desc, obj, ctx->arena)
					      : json_encode(desc, obj));
}

int view360_party(struct crm_ctx *ctx, struct view360_subject *s, const struct party **out)
{
	const struct party_ref *ref = &s->customer.engaged_party;

	if (s->party_rc == 1) {
		const char *kind =
			ref->referred_type && strcmp(ref->referred_type, "Organization") == 0
				? "organization"
				: "individual";

		s->party_rc = res_get(ctx, party_res(kind), ref->id, &s->party);
		if (s->party_rc == CRM_ENOTFOUND)
			crm_err_clear(&ctx->err);
	}
	if (!s->party_rc)
		*out = &s->party;
	return s->party_rc;
}

/* ---- sections ---- */

static int build_profile(struct crm_ctx *ctx, struct view360_subject *s, cJSON **out)
{
	*out = json_adopt(ctx->arena,
			  res_render(ctx, &customer_res, &s->customer, ctx->who.pii_masked));
	return 0;
}

/* The engaged party as GET individual/organization shows it; null when it lies outside
 * the caller's scope (a customer may belong to a unit below its party's). */
static int build_party(struct crm_ctx *ctx, struct view360_subject *s, cJSON **out)
{
	const struct party *p;
	int rc = view360_party(ctx, s, &p);

	if (rc == CRM_ENOTFOUND) {
		*out = json_adopt(ctx->arena, cJSON_CreateNull());
		return 0;
	}
	if (rc)
		return rc;
	*out = json_adopt(ctx->arena, res_render(ctx, party_res(p->kind), p, ctx->who.pii_masked));
	return 0;
}

static void add_contacts(struct crm_ctx *ctx, cJSON *list, const struct json_array *media,
			 const char *source)
{
	const struct contact_medium *m = media->items;

	for (size_t i = 0; i < media->count; i++) {
		cJSON *item = ctx->who.pii_masked
				      ? json_encode_masked(&contact_medium_desc, &m[i], ctx->arena)
				      : json_encode(&contact_medium_desc, &m[i]);

		cJSON_AddStringToObject(item, "source", source);
		cJSON_AddItemToArray(list, item);
	}
}

/* The customer's contact media, then the party's, each tagged with its source. */
static int build_contacts(struct crm_ctx *ctx, struct view360_subject *s, cJSON **out)
{
	cJSON *list = json_adopt(ctx->arena, cJSON_CreateArray());
	const struct party *p;
	int rc = view360_party(ctx, s, &p);

	if (rc && rc != CRM_ENOTFOUND)
		return rc;
	add_contacts(ctx, list, &s->customer.contact_medium, "customer");
	if (!rc)
		add_contacts(ctx, list, &p->contact_medium, "party");
	*out = list;
	return 0;
}

struct view360_flags {
	const char *status;
	const char *status_reason;
	struct json_array next_statuses; /* const char * */
	bool blacklisted;
	const char *blacklist_reason;
	const char *blacklisted_by;
	int64_t blacklisted_ms;
	bool big_customer_potential;
};

#define FL(member) offsetof(struct view360_flags, member)
static const struct json_desc flags_desc = {
	NULL,
	sizeof(struct view360_flags),
	(const struct json_field[]){
		{"status", JSON_STRING, FL(status), 0, NULL, 0, NULL},
		{"statusReason", JSON_STRING, FL(status_reason), 0, NULL, 0, NULL},
		{"nextStatuses", JSON_STRING_ARRAY, FL(next_statuses), 0, NULL, 0, NULL},
		{"blacklisted", JSON_BOOL, FL(blacklisted), 0, NULL, 0, NULL},
		{"blacklistReason", JSON_STRING, FL(blacklist_reason), 0, NULL, 0, NULL},
		{"blacklistedBy", JSON_STRING, FL(blacklisted_by), 0, NULL, 0, NULL},
		{"blacklistedDate", JSON_TIME, FL(blacklisted_ms), 0, NULL, 0, NULL},
		{"bigCustomerPotential", JSON_BOOL, FL(big_customer_potential), 0, NULL, 0, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};
#undef FL

/* Status, the statuses the lifecycle allows next, the blacklist and the big-customer
 * mark: what a UI shows as badges and offers as actions. */
static int build_flags(struct crm_ctx *ctx, struct view360_subject *s, cJSON **out)
{
	const struct customer *c = &s->customer;
	const char **next = arena_calloc(ctx->arena, CUSTOMER_STATUS_COUNT, sizeof(*next));
	struct view360_flags f = {
		.status = c->status,
		.status_reason = c->status_reason,
		.next_statuses = {next, customer_status_next(c->status, next)},
		.blacklisted = c->blacklisted,
		.blacklist_reason = c->blacklist_reason,
		.blacklisted_by = c->blacklisted_by,
		.blacklisted_ms = c->blacklisted_ms,
		.big_customer_potential = c->big_customer_potential,
	};

	*out = view360_encode(ctx, &flags_desc, &f);
	if (!f.next_statuses.count) /* an empty list, not an absent one, for an end state */
		cJSON_AddItemToObject(*out, "nextStatuses", cJSON_CreateArray());
	return 0;
}

static int build_churn(struct crm_ctx *ctx, struct view360_subject *s, cJSON **out)
{
	*out = s->customer.churn.date_ms
		       ? view360_encode(ctx, &customer_churn_desc, &s->customer.churn)
		       : json_adopt(ctx->arena, cJSON_CreateNull());
	return 0;
}

/* The newest audit rows of the customer and of its engaged party — the person or
 * organisation behind it, whose changes (name, documents, contact details) are the
 * customer's history too — newest first (index audit_log_resource: resource,
 * resource_id, seq), masked by audit_list as GET /api/v1/audit masks them. The party's
 * rows outside the caller's scope are left out by audit_list's scope. */
static int build_audit(struct crm_ctx *ctx, struct view360_subject *s, cJSON **out)
{
	const struct party_ref *ref = &s->customer.engaged_party;
	const char *resource[] = {
		"customer",
		ref->referred_type && strcmp(ref->referred_type, "Organization") == 0
			? "organization"
			: "individual",
	};
	const char *id[] = {s->customer.row.id, ref->id};
	const size_t nid = ref->id && *ref->id ? 2 : 1;
	const struct db_filter filters[] = {
		{"resource", DB_EQ, resource, nid},
		{"resourceId", DB_EQ, id, nid},
	};
	const struct db_list_opts opts = {
		.limit = VIEW360_AUDIT_ROWS,
		.filters = filters,
		.nfilters = sizeof(filters) / sizeof(filters[0]),
	};
	struct audit_entry *rows;
	size_t n;
	int64_t total;
	cJSON *list;
	int rc;

	if ((rc = audit_list(ctx, &opts, &rows, &n, &total)))
		return rc;
	list = json_adopt(ctx->arena, cJSON_CreateArray());
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(list, json_encode(&audit_entry_desc, &rows[i]));
	*out = list;
	return 0;
}

/* The customer's records of d (its accounts, its products): one indexed query by the
 * customer's id, in the order given. */
static int owned_list(struct crm_ctx *ctx, const struct res_desc *d, const char *customer_id,
		      const char *sort, struct res_page *page)
{
	const char *id[] = {customer_id};
	const struct db_filter filter = {"relatedParty.id", DB_EQ, id, 1};

	return res_list(ctx, d,
			&(struct db_list_opts){.limit = VIEW360_PRODUCTS,
					       .filters = &filter,
					       .nfilters = 1,
					       .sort = sort,
					       .uncounted = true},
			page);
}

static bool ended(const struct product *p)
{
	return strcmp(p->status, "terminated") == 0;
}

/* The lines, those in service first, each with its monthly fee and what sits on it (a
 * value-added service, a data pack), each of those with its own fee. */
static int build_lines(struct crm_ctx *ctx, struct view360_subject *s, cJSON **out)
{
	struct res_page page;
	const struct product *p;
	cJSON *list;
	int rc;

	if ((rc = owned_list(ctx, &product_res, s->customer.row.id, "-startDate", &page)))
		return rc;
	p = page.items;
	list = json_adopt(ctx->arena, cJSON_CreateArray());
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < page.n; i++) {
			cJSON *line, *add_ons;

			if (p[i].parent_id || ended(&p[i]) != (pass == 1))
				continue;
			line = res_render(ctx, &product_res, &p[i], ctx->who.pii_masked);
			cJSON_AddNumberToObject(line, "monthlyFee", inventory_monthly_fee(&p[i]));
			add_ons = cJSON_AddArrayToObject(line, "addOns");
			for (size_t k = 0; k < page.n; k++) {
				cJSON *child;

				if (!p[k].parent_id || strcmp(p[k].parent_id, p[i].row.id) != 0)
					continue;
				child = res_render(ctx, &product_res, &p[k], ctx->who.pii_masked);
				cJSON_AddNumberToObject(child, "monthlyFee",
							inventory_monthly_fee(&p[k]));
				cJSON_AddItemToArray(add_ons, child);
			}
			cJSON_AddItemToArray(list, line);
		}
	*out = list;
	return 0;
}

/* The billing and party accounts, as their GETs show them. */
static int build_accounts(struct crm_ctx *ctx, struct view360_subject *s, cJSON **out)
{
	const struct res_desc *kinds[] = {&billing_account_res, &party_account_res};
	cJSON *list = json_adopt(ctx->arena, cJSON_CreateArray());
	int rc;

	for (size_t k = 0; k < 2; k++) {
		struct res_page page;
		const struct account *a;

		if ((rc = owned_list(ctx, kinds[k], s->customer.row.id, "name", &page)))
			return rc;
		a = page.items;
		for (size_t i = 0; i < page.n; i++)
			cJSON_AddItemToArray(list,
					     res_render(ctx, kinds[k], &a[i], ctx->who.pii_masked));
	}
	*out = list;
	return 0;
}

/* The registry: the one place a section is added, in the order the view shows them. */
const struct view360_section view360_sections[] = {
	{"lines", 0, build_lines},
	{"profile", 0, build_profile},
	{"party", 0, build_party},
	{"contacts", 0, build_contacts},
	{"flags", 0, build_flags},
	{"churn", 0, build_churn},
	{"accounts", 0, build_accounts},
	{"audit", PERM_AUDIT_READ, build_audit},
	{0},
};

/* ---- the view ---- */

#define PT(member) offsetof(struct view360_part, member)
static const struct json_desc part_desc = {
	NULL,
	sizeof(struct view360_part),
	(const struct json_field[]){
		{"name", JSON_STRING, PT(name), 0, NULL, 0, NULL},
		{"data", JSON_ANY, PT(data), 0, NULL, 0, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};
#undef PT

#define V(member) offsetof(struct view360, member)
const struct json_desc view360_desc = {
	"Customer360",
	sizeof(struct view360),
	(const struct json_field[]){
		{"id", JSON_STRING, V(id), 0, NULL, 0, NULL},
		{"href", JSON_STRING, V(href), 0, NULL, 0, NULL},
		{"customerNo", JSON_STRING, V(customer_no), 0, NULL, 0, NULL},
		{"name", JSON_STRING, V(name), 0, NULL, 0, NULL},
		{"sections", JSON_OBJECT_ARRAY, V(sections), 0, &part_desc, 0, NULL},
		{"omitted", JSON_ANY, V(omitted), 0, NULL, 0, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};
#undef V

int view360_get(struct crm_ctx *ctx, const char *id, struct view360 *out)
{
	struct view360_subject *s = arena_calloc(ctx->arena, 1, sizeof(*s));
	struct view360_part *parts;
	size_t nsections = 0, n = 0;
	cJSON *omitted;
	int rc;

	if ((rc = res_get(ctx, &customer_res, id, &s->customer)))
		return rc;
	s->party_rc = 1;
	while (view360_sections[nsections].name)
		nsections++;
	parts = arena_calloc(ctx->arena, nsections, sizeof(*parts));
	omitted = json_adopt(ctx->arena, cJSON_CreateArray());
	for (const struct view360_section *sec = view360_sections; sec->name; sec++) {
		cJSON *data = NULL;

		if ((ctx->who.perms & sec->perm) != sec->perm) {
			cJSON_AddItemToArray(omitted, cJSON_CreateString(sec->name));
			continue;
		}
		if ((rc = sec->build(ctx, s, &data)))
			return rc;
		parts[n++] = (struct view360_part){sec->name, data};
	}
	*out = (struct view360){
		.id = s->customer.row.id,
		.href = s->customer.href,
		.customer_no = s->customer.customer_no,
		.name = s->customer.name,
		.sections = {parts, n},
		.omitted = omitted,
	};
	return 0;
}
