/* Customers on the resource layer: the engaged party, the lifecycle, the blacklist, churn
 * and the customer number; the name and phone indexes search reads. */
#include "domain/customer.h"

#include <pthread.h>
#include <stddef.h>
#include <string.h>

#include "core/arena.h"
#include "core/id.h"
#include "core/time.h"
#include "auth/auth.h"
#include "domain/change.h"
#include "core/banned.h"

static const char *const statuses[CUSTOMER_STATUS_COUNT + 1] = {"prospective", "active",
								"suspended", "inactive", NULL};
static const char *const ranks[] = {"diamond", "platinum", "gold", "silver", "standard", NULL};
static const char *const referred_types[] = {"Individual", "Organization", NULL};

#define CP(member) offsetof(struct credit_profile, member)
static const struct json_desc credit_profile_desc = {
	"CreditProfile",
	sizeof(struct credit_profile),
	(const struct json_field[]){
		{"creditProfileDate", JSON_TIME, CP(date_ms), 0, NULL, 0, NULL},
		{"creditRiskRating", JSON_INT, CP(risk_rating), 0, NULL, 0, NULL},
		{"creditScore", JSON_INT, CP(score), 0, NULL, 0, NULL},
		{"validFor", JSON_OBJECT, CP(valid_for), 0, &time_period_desc, 0, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};
#undef CP

#define REF(member) offsetof(struct party_ref, member)
/* AccountRef, AgreementRef, PaymentMethodRef: the same members */
static const struct json_desc entity_ref_desc = {
	"EntityRef",
	sizeof(struct party_ref),
	(const struct json_field[]){
		{"id", JSON_STRING, REF(id), JSON_REQUIRED, NULL, 64, NULL},
		{"href", JSON_STRING, REF(href), 0, NULL, 256, NULL},
		{"name", JSON_STRING, REF(name), 0, NULL, 200, NULL},
		{"@referredType", JSON_STRING, REF(referred_type), 0, NULL, 64, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};

static const struct json_desc engaged_party_desc = {
	"RelatedParty",
	sizeof(struct party_ref),
	(const struct json_field[]){
		{"id", JSON_STRING, REF(id), JSON_REQUIRED, NULL, 64, NULL},
		{"href", JSON_STRING, REF(href), 0, NULL, 256, NULL},
		{"name", JSON_STRING, REF(name), 0, NULL, 200, NULL},
		{"role", JSON_STRING, REF(role), 0, NULL, 64, NULL},
		{"@referredType", JSON_STRING, REF(referred_type), 0, NULL, 0, referred_types},
		{0},
	},
	JSON_NO_PRESENT,
};
#undef REF

#define CH(member) offsetof(struct churn_record, member)
const struct json_desc customer_churn_desc = {
	"ChurnRecord",
	sizeof(struct churn_record),
	(const struct json_field[]){
		{"churnDate", JSON_TIME, CH(date_ms), JSON_REQUIRED, NULL, 0, NULL},
		{"reason", JSON_STRING, CH(reason), 0, NULL, 200, NULL},
		{"portedToOperator", JSON_STRING, CH(ported_to), 0, NULL, 64, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};
#undef CH

static const char *const moves[][2] = {
	{"prospective", "active"},
	{"active", "suspended"},
	{"suspended", "active"},
	{"active", "inactive"},
	{"suspended", "inactive"},
	{"prospective", "inactive"},
	{NULL, NULL},
};
static const char *const initial[] = {"prospective", "active", NULL};
static const struct res_lifecycle lifecycle = {"status", statuses, initial, moves, NULL};

#define RES_T struct customer
static const struct res_field fields[] = {
	RES_FIELD("customerNo", JSON_STRING, customer_no,
		  .flags = RES_IMMUTABLE | RES_FILTER | RES_SORT, .column = "customer_no",
		  .max_len = 32, .taken = "customer number '%s' is taken"),
	RES_FIELD("name", JSON_STRING, name, .flags = RES_NOT_BLANK | RES_FILTER | RES_SORT,
		  .column = "name", .max_len = 200),
	RES_FIELD("status", JSON_STRING, status, .flags = RES_FILTER | RES_SORT, .column = "status",
		  .values = statuses),
	RES_FIELD("statusReason", JSON_STRING, status_reason, .flags = JSON_NULLABLE,
		  .column = "status_reason", .max_len = 200),
	RES_FIELD("customerRank", JSON_STRING, rank, .flags = JSON_NULLABLE | RES_FILTER,
		  .column = "customer_rank", .values = ranks),
	RES_FIELD("segment", JSON_STRING, segment, .flags = JSON_NULLABLE | RES_FILTER,
		  .column = "segment", .max_len = 64),
	RES_FIELD("engagedParty", JSON_OBJECT, engaged_party, .flags = JSON_REQUIRED,
		  .sub = &engaged_party_desc),
	RES_FIELD("engagedParty.id", JSON_STRING, engaged_party.id,
		  .flags = RES_HIDDEN | RES_FILTER, .column = "party_id"),
	RES_FIELD("account", JSON_OBJECT_ARRAY, account, .flags = JSON_NULLABLE,
		  .sub = &entity_ref_desc, .max_len = 20),
	RES_FIELD("agreement", JSON_OBJECT_ARRAY, agreement, .flags = JSON_NULLABLE,
		  .sub = &entity_ref_desc, .max_len = 20),
	RES_FIELD("paymentMethod", JSON_OBJECT_ARRAY, payment_method, .flags = JSON_NULLABLE,
		  .sub = &entity_ref_desc, .max_len = 20),
	RES_FIELD("creditProfile", JSON_OBJECT_ARRAY, credit_profile, .flags = JSON_NULLABLE,
		  .sub = &credit_profile_desc, .max_len = 10),
	RES_FIELD("contactMedium", JSON_OBJECT_ARRAY, contact_medium, .flags = JSON_NULLABLE,
		  .sub = &contact_medium_desc, .max_len = 20),
	RES_FIELD("characteristic", JSON_OBJECT_ARRAY, characteristic, .flags = JSON_NULLABLE,
		  .sub = &characteristic_desc, .max_len = 50),
	RES_FIELD("validFor", JSON_OBJECT, valid_for, .flags = JSON_NULLABLE,
		  .sub = &time_period_desc),
	RES_FIELD("relatedParty", JSON_OBJECT_ARRAY, related_party, .flags = JSON_NULLABLE,
		  .sub = &party_ref_desc, .max_len = 20),
	RES_FIELD("blacklisted", JSON_BOOL, blacklisted, .flags = RES_FILTER,
		  .column = "blacklist"),
	RES_FIELD("blacklistReason", JSON_STRING, blacklist_reason, .flags = JSON_NULLABLE,
		  .column = "blacklist_reason", .max_len = 200),
	RES_FIELD("blacklistedBy", JSON_STRING, blacklisted_by, .flags = JSON_READONLY,
		  .column = "blacklist_by"),
	RES_FIELD("blacklistedDate", JSON_TIME, blacklisted_ms, .flags = JSON_READONLY,
		  .column = "blacklist_at_ms"),
	RES_FIELD("bigCustomerPotential", JSON_BOOL, big_customer_potential, .flags = RES_FILTER,
		  .column = "big_customer_potential"),
	RES_FIELD("churn", JSON_OBJECT, churn, .flags = JSON_NULLABLE | RES_COLUMNS,
		  .sub = &customer_churn_desc),
	RES_FIELD("churn.churnDate", JSON_TIME, churn.date_ms,
		  .flags = RES_HIDDEN | RES_FILTER | RES_SORT, .column = "churn_ms"),
	RES_FIELD("churn.reason", JSON_STRING, churn.reason, .flags = RES_HIDDEN,
		  .column = "churn_reason"),
	RES_FIELD("churn.portedToOperator", JSON_STRING, churn.ported_to,
		  .flags = RES_HIDDEN | RES_FILTER, .column = "churn_to_operator"),
	RES_FIELD("orgId", JSON_STRING, row.org_id, .flags = RES_FILTER, .column = "org_id",
		  .max_len = 32),
	RES_FIELD("ownerId", JSON_STRING, row.owner_id, .flags = JSON_NULLABLE | RES_FILTER,
		  .column = "owner_id", .max_len = 64),
	{0},
};
#undef RES_T

bool customer_transition_ok(const char *from, const char *to)
{
	return res_move_ok(&customer_res, from, to);
}

size_t customer_status_next(const char *from, const char **out)
{
	return res_moves_from(&customer_res, from, out);
}

/* The engaged party must exist in the caller's scope (through tx, or the thread's reader);
 * fills its @referredType and name. */
static int engaged_party_check(struct crm_ctx *ctx, struct db_tx *tx, struct party_ref *ref,
			       struct party *out)
{
	const char *kind = ref->referred_type && strcmp(ref->referred_type, "Organization") == 0
				   ? "organization"
				   : "individual";
	int rc;

	if (!ref->id || !*ref->id)
		return crm_err_set(&ctx->err, CRM_EINVAL, "engagedParty.id",
				   "'engagedParty.id' is required");
	rc = res_load(ctx, party_res(kind), tx, ref->id, -1, out);
	if (rc == CRM_ENOTFOUND && !ref->referred_type) {
		crm_err_clear(&ctx->err);
		rc = res_load(ctx, &organization_res, tx, ref->id, -1, out);
	}
	if (rc == CRM_ENOTFOUND) {
		crm_err_clear(&ctx->err);
		return crm_err_set(&ctx->err, CRM_EINVAL, "engagedParty.id",
				   "engaged party '%s' not found", ref->id);
	}
	if (rc)
		return rc;
	party__ref_fill(out->kind, out->row.id, ref);
	if (!ref->name)
		ref->name = party__name_of(out);
	return 0;
}

int customer_no_check(struct crm_ctx *ctx, const char *no)
{
	size_t n = strlen(no);

	if (n == 0)
		return crm_err_set(&ctx->err, CRM_EINVAL, "customerNo",
				   "'customerNo' must not be empty");
	for (size_t i = 0; i < n; i++)
		if (!((no[i] >= 'A' && no[i] <= 'Z') || (no[i] >= '0' && no[i] <= '9') ||
		      no[i] == '-'))
			return crm_err_set(&ctx->err, CRM_EINVAL, "customerNo",
					   "customer number '%s' may hold only A-Z, 0-9 and '-'",
					   no);
	return 0;
}

/* "C" and 12 digits from the random part of a new id, drawn again while taken (48 random
 * bits into 12 digits: rare, but not at ten million customers). */
static int customer_no_new(struct crm_ctx *ctx, struct db_tx *tx, const char **out)
{
	for (int tries = 0; tries < 8; tries++) {
		const char *id = id_new_in(ctx->arena), *no;
		uint64_t v = 0;
		bool taken = false;
		int rc;

		for (const char *p = id + strlen(id) - 12; *p; p++)
			v = v * 16 + (uint64_t)(*p <= '9' ? *p - '0' : (*p | 0x20) - 'a' + 10);
		no = arena_printf(ctx->arena, "C%012llu",
				  (unsigned long long)(v % 1000000000000ULL));
		if (tx && (rc = db_customer_no_exists(tx, no, &taken, &ctx->err)))
			return rc;
		if (!taken) {
			*out = no;
			return 0;
		}
	}
	return crm_err_set(&ctx->err, CRM_ECONFLICT, "customerNo",
			   "no free customer number was found; try again");
}

static int blacklist_check(struct crm_ctx *ctx, struct customer *c, const struct customer *before)
{
	bool was = before && before->blacklisted;

	if (c->blacklisted && (!c->blacklist_reason || !*c->blacklist_reason))
		return crm_err_set(&ctx->err, CRM_EINVAL, "blacklistReason",
				   "a blacklisted customer needs a 'blacklistReason'");
	if (!c->blacklisted && c->blacklist_reason && !was)
		return crm_err_set(&ctx->err, CRM_EINVAL, "blacklistReason",
				   "'blacklistReason' is given only with 'blacklisted': true");
	if (c->blacklisted && !was) {
		c->blacklisted_by = ctx->who.login;
		c->blacklisted_ms = time_now_ms();
	} else if (!c->blacklisted) {
		c->blacklist_reason = NULL;
		c->blacklisted_by = NULL;
		c->blacklisted_ms = 0;
	}
	return 0;
}

/* The customer's own checks; a new one's engaged party is looked up (unless a bulk load
 * has just made it: c->engaged_party.name set and its unit in c->row) and gives its name
 * and, by default, its unit. */
static int check(struct crm_ctx *ctx, struct db_tx *tx, void *obj, struct res_change *ch)
{
	const struct json_desc *j = res_json(&customer_res);
	const struct customer *before = ch->before;
	struct customer *c = obj;
	struct party party = {.kind = NULL};
	int rc;

	if (ch->with)
		party = *(const struct party *)ch->with; /* made with it, not yet written */
	else if ((!before || json_present(j, ch->in, "engagedParty")) &&
		 (rc = engaged_party_check(ctx, tx, &c->engaged_party, &party)))
		return rc;
	/* a new customer sits in the caller's unit, else its party's: found in scope with
	 * the party, no second lookup */
	if (!before && !c->row.org_id)
		c->row.org_id = ctx->who.org_id ? ctx->who.org_id : party.row.org_id;
	if (!before && strcmp(c->row.org_id, party.row.org_id) == 0)
		c->row.org_path = party.row.org_path;
	if (!before) {
		if (c->customer_no && (rc = customer_no_check(ctx, c->customer_no)))
			return rc;
		if (!c->customer_no && (rc = customer_no_new(ctx, tx, &c->customer_no)))
			return rc;
		if (!c->name)
			c->name = c->engaged_party.name;
	} else if (strcmp(before->status, c->status) != 0 &&
		   !json_present(j, ch->in, "statusReason")) {
		c->status_reason = NULL; /* a reason belongs to the change that gave it */
	}
	if (!c->name)
		return crm_err_set(&ctx->err, CRM_EINVAL, "name", "'name' must not be blank");
	if ((rc = party__contacts_check(ctx, "contactMedium", &c->contact_medium,
					before ? &before->contact_medium : NULL)) ||
	    (rc = party__characteristics_check(ctx, "characteristic", &c->characteristic)) ||
	    (rc = party__refs_check(ctx, "relatedParty", &c->related_party)) ||
	    (rc = party__refs_check(ctx, "account", &c->account)) ||
	    (rc = party__refs_check(ctx, "agreement", &c->agreement)) ||
	    (rc = party__refs_check(ctx, "paymentMethod", &c->payment_method)) ||
	    (rc = blacklist_check(ctx, c, before)))
		return rc;
	if ((c->churn.reason || c->churn.ported_to) && !c->churn.date_ms)
		return crm_err_set(&ctx->err, CRM_EINVAL, "churn.churnDate",
				   "'churn.churnDate' is required");
	return 0;
}

/* The name and phone indexes search reads, and the customer's operator-wide keys: its
 * number, and its place among its party's customers. */
static int side(struct crm_ctx *ctx, struct db_tx *tx, const void *before, const void *after)
{
	const struct customer *b = before, *a = after;
	const char *id = (a ? a : b)->row.id;
	int rc;

	if ((rc = db_customer_keys_put(tx, id, b ? NULL : a->customer_no,
				       b ? b->engaged_party.id : NULL,
				       a ? a->engaged_party.id : NULL, &ctx->err)) ||
	    (rc = db_name_index_put(tx, id, b ? b->name : NULL, a ? a->name : NULL, &ctx->err)))
		return rc;
	/* its accounts and lines sit in its unit (domain/inventory.h) */
	if (b && a && strcmp(b->row.org_id, a->row.org_id) != 0 &&
	    (rc = db_customer_records_move(tx, id, a->row.org_id, time_now_ms(), &ctx->err)))
		return rc;
	return db_phone_keys_put(tx, id, b ? party__phones_of(ctx, &b->contact_medium) : NULL,
				 a ? party__phones_of(ctx, &a->contact_medium) : NULL, &ctx->err);
}

RES_STORAGE(customer);

const struct res_desc customer_res = {
	.name = "customer",
	.type_name = "Customer",
	.path = "/tmf-api/customerManagement/v4/customer",
	.event_api = "customerManagement",
	.event_field = "customer",
	.table = "customer",
	.scope = DB_SCOPE_UNIT,
	.soft_delete = true,
	.owned = true,
	.size = sizeof(struct customer),
	.perm_read = PERM_CUSTOMER_READ,
	.perm_write = PERM_CUSTOMER_WRITE,
	.fields = fields,
	.lifecycle = &lifecycle,
	.check = check,
	.side = side,
	.built = &customer__built,
};
