/* Billing and party accounts (TMF666) on the resource layer: a customer's, in its unit;
 * the account hierarchy (a parent account pays for its members'); closing. */
#include <string.h>
#include <strings.h>

#include "auth/auth.h"
#include "core/arena.h"
#include "domain/customer.h"
#include "domain/inventory.h"
#include "domain/inventory_int.h"
#include "core/banned.h"

static const char *const states[] = {"active", "suspended", "closed", NULL};
static const char *const initial[] = {"active", "suspended", NULL};
static const char *const moves[][2] = {{"active", "suspended"},
				       {"suspended", "active"},
				       {"active", "closed"},
				       {"suspended", "closed"},
				       {NULL, NULL}};
static const char *const final[] = {"closed", NULL};
static const struct res_lifecycle lifecycle = {"state", states, initial, moves, final};

static const char *const rating_types[] = {"prepaid", "postpaid", NULL};
static const char *const payment_methods[] = {"cash",	"bankDebit", "card", "wechatPay",
					      "alipay", "transfer",  NULL};
static const char *const frequencies[] = {"monthly", "quarterly", "yearly", NULL};
static const char *const relationship_types[] = {"parent", NULL};

#define BA(member) offsetof(struct account_balance, member)
static const struct json_desc balance_desc = {
	NULL,
	sizeof(struct account_balance),
	(const struct json_field[]){
		{"balanceType", JSON_STRING, BA(balance_type), JSON_REQUIRED, NULL, 32, NULL},
		{"amount", JSON_OBJECT, BA(amount), JSON_REQUIRED, &money_desc, 0, NULL},
		{"validFor", JSON_OBJECT, BA(valid_for), 0, &time_period_desc, 0, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};
#undef BA

#define CY(member) offsetof(struct bill_cycle, member)
static const struct json_desc cycle_desc = {
	NULL,
	sizeof(struct bill_cycle),
	(const struct json_field[]){
		{"name", JSON_STRING, CY(name), JSON_REQUIRED, NULL, 100, NULL},
		{"frequency", JSON_STRING, CY(frequency), 0, NULL, 0, frequencies},
		{"billingDateShift", JSON_INT, CY(billing_date_shift), JSON_ZERO_ABSENT, NULL, 0,
		 NULL},
		{"paymentDueDateOffset", JSON_INT, CY(payment_due_offset), JSON_ZERO_ABSENT, NULL,
		 0, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};
#undef CY

static const struct json_desc bill_structure_desc = {
	NULL,
	sizeof(struct bill_structure),
	(const struct json_field[]){
		{"cycleSpecification", JSON_OBJECT, offsetof(struct bill_structure, cycle), 0,
		 &cycle_desc, 0, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};

#define AR(member) offsetof(struct account_relationship, member)
static const struct json_desc relationship_desc = {
	NULL,
	sizeof(struct account_relationship),
	(const struct json_field[]){
		{"relationshipType", JSON_STRING, AR(relationship_type), JSON_REQUIRED, NULL, 0,
		 relationship_types},
		{"account", JSON_OBJECT, AR(account), JSON_REQUIRED, &catalog_ref_desc, 0, NULL},
		{"validFor", JSON_OBJECT, AR(valid_for), 0, &time_period_desc, 0, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};
#undef AR

int inventory__customer_of(struct crm_ctx *ctx, struct db_tx *tx, struct json_array *related,
			   struct customer *out)
{
	struct party_ref *r = related->items, *found = NULL;
	int rc;

	if ((rc = party__refs_check(ctx, "relatedParty", related)))
		return rc;
	for (size_t i = 0; i < related->count; i++) {
		if (!(r[i].role && strcasecmp(r[i].role, "customer") == 0) &&
		    !(r[i].referred_type && strcmp(r[i].referred_type, "Customer") == 0))
			continue;
		if (found)
			return crm_err_set(&ctx->err, CRM_EINVAL, "relatedParty",
					   "'relatedParty' names more than one customer");
		found = &r[i];
	}
	if (!found)
		return crm_err_set(&ctx->err, CRM_EINVAL, "relatedParty",
				   "'relatedParty' must name the customer, with role 'customer'");
	rc = res_load(ctx, &customer_res, tx, found->id, -1, out);
	if (rc == CRM_ENOTFOUND) {
		crm_err_clear(&ctx->err);
		return crm_err_set(&ctx->err, CRM_EINVAL, "relatedParty", "%s '%s' not found",
				   "customer", found->id);
	}
	if (rc)
		return rc;
	found->name = out->name;
	found->role = "customer";
	found->referred_type = customer_res.type_name;
	found->href = NULL;
	return 0;
}

#define RES_T struct account
static const struct res_field fields[] = {
	RES_FIELD("name", JSON_STRING, name,
		  .flags = JSON_REQUIRED | RES_NOT_BLANK | RES_FILTER | RES_SORT, .column = "name",
		  .max_len = 200),
	RES_FIELD("description", JSON_STRING, description, .flags = JSON_NULLABLE, .max_len = 2000),
	RES_FIELD("accountType", JSON_STRING, account_type, .flags = JSON_NULLABLE, .max_len = 64),
	RES_FIELD("state", JSON_STRING, state, .flags = RES_FILTER | RES_SORT, .column = "state",
		  .values = states),
	RES_FIELD("paymentStatus", JSON_STRING, payment_status, .flags = JSON_NULLABLE,
		  .max_len = 64),
	RES_FIELD("ratingType", JSON_STRING, rating_type, .flags = JSON_NULLABLE,
		  .values = rating_types),
	RES_FIELD("paymentMethodType", JSON_STRING, payment_method, .flags = JSON_NULLABLE,
		  .values = payment_methods),
	RES_FIELD("creditLimit", JSON_OBJECT, credit_limit, .flags = JSON_NULLABLE,
		  .sub = &money_desc),
	RES_FIELD("accountBalance", JSON_OBJECT_ARRAY, balance, .flags = JSON_NULLABLE,
		  .sub = &balance_desc, .max_len = 10),
	RES_FIELD("billStructure", JSON_OBJECT, bill_structure, .flags = JSON_NULLABLE,
		  .sub = &bill_structure_desc),
	RES_FIELD("accountRelationship", JSON_OBJECT_ARRAY, relationship, .flags = JSON_NULLABLE,
		  .sub = &relationship_desc, .max_len = 1),
	RES_FIELD("relatedParty", JSON_OBJECT_ARRAY, related_party, .flags = JSON_REQUIRED,
		  .sub = &party_ref_desc, .max_len = 20),
	RES_FIELD("relatedParty.id", JSON_STRING, customer_id, .flags = RES_HIDDEN | RES_FILTER,
		  .column = "customer_id"),
	RES_FIELD("parentId", JSON_STRING, parent_id, .flags = RES_HIDDEN | RES_FILTER,
		  .column = "parent_id"),
	RES_FIELD("orgId", JSON_STRING, row.org_id, .flags = JSON_READONLY | RES_FILTER,
		  .column = "org_id"),
	{0},
};
#undef RES_T

/* The parent account: a billing account in scope, open, not this one nor below it. */
static int parent_check(struct crm_ctx *ctx, struct db_tx *tx, const struct res_desc *d,
			struct account *a)
{
	struct account_relationship *r = a->relationship.items;
	struct account up;
	int rc;

	a->parent_id = NULL;
	if (!a->relationship.count)
		return 0;
	if (d != &billing_account_res)
		return crm_err_set(&ctx->err, CRM_EINVAL, "accountRelationship",
				   "only a billing account has a paying parent account");
	if (a->row.id && strcmp(r->account.id, a->row.id) == 0)
		return crm_err_set(&ctx->err, CRM_EINVAL, "accountRelationship[0].account",
				   "account '%s' cannot pay for itself", a->row.id);
	rc = res_load(ctx, &billing_account_res, tx, r->account.id, -1, &up);
	if (rc == CRM_ENOTFOUND) {
		crm_err_clear(&ctx->err);
		return crm_err_set(&ctx->err, CRM_EINVAL, "accountRelationship[0].account",
				   "%s '%s' not found", "billing account", r->account.id);
	}
	if (rc)
		return rc;
	if (strcmp(up.state, "closed") == 0)
		return crm_err_set(&ctx->err, CRM_ECONFLICT, "accountRelationship[0].account",
				   "billing account '%s' is closed", r->account.id);
	r->account.name = up.name;
	r->account.referred_type = billing_account_res.type_name;
	r->account.href = NULL;
	a->parent_id = up.row.id;
	for (int depth = 0; up.parent_id; depth++) {
		if (depth == INVENTORY_ACCOUNT_DEPTH_MAX)
			return crm_err_set(&ctx->err, CRM_EINVAL, "accountRelationship",
					   "accounts nest at most %d deep",
					   INVENTORY_ACCOUNT_DEPTH_MAX);
		if (a->row.id && strcmp(up.parent_id, a->row.id) == 0)
			return crm_err_set(&ctx->err, CRM_EINVAL, "accountRelationship",
					   "account '%s' cannot pay for an account that pays for "
					   "it",
					   a->row.id);
		if ((rc = res_load(ctx, &billing_account_res, tx, up.parent_id, -1, &up)))
			return rc;
	}
	return 0;
}

static int check(struct crm_ctx *ctx, struct db_tx *tx, void *obj, struct res_change *ch,
		 const struct res_desc *d)
{
	const struct account *before = ch->before;
	struct account *a = obj;
	struct customer c;
	const struct bill_cycle *cy = &a->bill_structure.cycle;
	int rc;

	if ((rc = inventory__customer_of(ctx, tx, &a->related_party, &c)))
		return rc;
	if (before && strcmp(before->customer_id, c.row.id) != 0)
		return crm_err_set(&ctx->err, CRM_ECONFLICT, "relatedParty",
				   "an account keeps its customer: open a new account for "
				   "customer '%s'",
				   c.row.id);
	a->customer_id = c.row.id;
	a->row.org_id = c.row.org_id;
	a->row.org_path = c.row.org_path;
	if (a->credit_limit.unit && a->credit_limit.value < 0)
		return crm_err_set(&ctx->err, CRM_EINVAL, "creditLimit.value",
				   "'%s' must not be negative", "creditLimit.value");
	if (cy->billing_date_shift && (cy->billing_date_shift < 1 || cy->billing_date_shift > 28))
		return crm_err_set(&ctx->err, CRM_EINVAL,
				   "billStructure.cycleSpecification.billingDateShift",
				   "the bill day must be from 1 to 28, not %lld",
				   (long long)cy->billing_date_shift);
	if (cy->payment_due_offset < 0 || cy->payment_due_offset > 90)
		return crm_err_set(
			&ctx->err, CRM_EINVAL,
			"billStructure.cycleSpecification.paymentDueDateOffset",
			"a bill falls due from 0 to 90 days after it is issued, not %lld",
			(long long)cy->payment_due_offset);
	if ((rc = parent_check(ctx, tx, d, a)))
		return rc;
	if (before && strcmp(a->state, "closed") == 0 && strcmp(before->state, "closed") != 0) {
		int64_t n = 0;

		if ((rc = db_account_lines_count(tx, a->row.id, &n, &ctx->err)))
			return rc;
		if (n)
			return crm_err_set(&ctx->err, CRM_ECONFLICT, "state",
					   "billing account '%s' still bills %lld products that "
					   "are not terminated",
					   a->row.id, (long long)n);
	}
	return 0;
}

static int billing_check(struct crm_ctx *ctx, struct db_tx *tx, void *obj, struct res_change *ch)
{
	return check(ctx, tx, obj, ch, &billing_account_res);
}

static int party_check(struct crm_ctx *ctx, struct db_tx *tx, void *obj, struct res_change *ch)
{
	return check(ctx, tx, obj, ch, &party_account_res);
}

static const char *dkey(const void *obj)
{
	return ((const struct account *)obj)->customer_id;
}

RES_STORAGE(billing_account);
RES_STORAGE(party_account);

#define ACCOUNT_DESC(ident, api_name, label, type, kind)                                           \
	.name = api_name, .what = label, .type_name = type,                                        \
	.path = "/tmf-api/accountManagement/v4/" api_name, .event_api = "accountManagement",       \
	.event_field = api_name, .table = "account", .kind_column = "kind", .kind_value = kind,    \
	.scope = DB_SCOPE_UNIT, .no_delete = true, .size = sizeof(struct account),                 \
	.perm_read = PERM_CUSTOMER_READ, .perm_write = PERM_CUSTOMER_WRITE, .fields = fields,      \
	.lifecycle = &lifecycle, .dkey = dkey, .built = &ident##__built

const struct res_desc billing_account_res = {
	ACCOUNT_DESC(billing_account, "billingAccount", "billing account", "BillingAccount",
		     "billing"),
	.check = billing_check,
};

const struct res_desc party_account_res = {
	ACCOUNT_DESC(party_account, "partyAccount", "party account", "PartyAccount", "party"),
	.check = party_check,
};
