/* Products (TMF637) on the resource layer: a customer's lines and what sits on them, with
 * the offering and prices they were bought at; the number a mobile line takes from the
 * pool; the real-name rule (一证五号); transfers of ownership. */
#include <string.h>
#include <strings.h>

#include "auth/auth.h"
#include "core/arena.h"
#include "core/time.h"
#include "domain/inventory_int.h"
#include "core/banned.h"

static const char *const statuses[] = {"created",	   "pendingActive", "active", "suspended",
				       "pendingTerminate", "terminated",    NULL};
static const char *const initial[] = {"created", "pendingActive", "active", NULL};
static const char *const moves[][2] = {{"created", "pendingActive"},
				       {"created", "active"},
				       {"created", "terminated"},
				       {"pendingActive", "active"},
				       {"pendingActive", "terminated"},
				       {"active", "suspended"},
				       {"suspended", "active"},
				       {"active", "pendingTerminate"},
				       {"suspended", "pendingTerminate"},
				       {"pendingTerminate", "active"},
				       {"pendingTerminate", "terminated"},
				       {"active", "terminated"},
				       {"suspended", "terminated"},
				       {NULL, NULL}};
/* a terminated line is history: its number has gone back to the pool */
static const char *const final[] = {"terminated", NULL};
static const struct res_lifecycle lifecycle = {"status", statuses, initial, moves, final};

static const char *const product_types[] = {"mobile",	  "fixedLine", "broadband", "iptv",
					    "valueAdded", "dataPack",  NULL};
static const char *const price_types[] = {"recurring", "oneTime", "usage", NULL};
static const char *const periods[] = {"day", "week", "month", "year", NULL};

#define OR(member) offsetof(struct offering_ref, member)
static const struct json_desc offering_ref_desc = {
	NULL,
	sizeof(struct offering_ref),
	(const struct json_field[]){
		{"id", JSON_STRING, OR(id), JSON_REQUIRED, NULL, 64, NULL},
		{"href", JSON_STRING, OR(href), 0, NULL, 256, NULL},
		{"name", JSON_STRING, OR(name), 0, NULL, 200, NULL},
		{"@referredType", JSON_STRING, OR(referred_type), 0, NULL, 64, NULL},
		/* the offering's version bought: kept while the offering is not changed */
		{"version", JSON_INT, OR(version), JSON_ZERO_ABSENT, NULL, 0, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};
#undef OR

/* TMF Price: telcrm keeps its tax-included amount. */
static const struct json_desc price_desc = {
	NULL,
	sizeof(struct money),
	(const struct json_field[]){
		{"taxIncludedAmount", JSON_OBJECT, 0, JSON_REQUIRED, &money_desc, 0, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};

#define PP(member) offsetof(struct product_price, member)
static const struct json_desc product_price_desc = {
	NULL,
	sizeof(struct product_price),
	(const struct json_field[]){
		{"name", JSON_STRING, PP(name), 0, NULL, 200, NULL},
		{"description", JSON_STRING, PP(description), 0, NULL, 500, NULL},
		{"priceType", JSON_STRING, PP(price_type), JSON_REQUIRED, NULL, 0, price_types},
		{"recurringChargePeriod", JSON_STRING, PP(period), 0, NULL, 0, periods},
		{"unitOfMeasure", JSON_STRING, PP(unit_of_measure), 0, NULL, 32, NULL},
		{"price", JSON_OBJECT, PP(price), JSON_REQUIRED, &price_desc, 0, NULL},
		{"productOfferingPrice", JSON_OBJECT, PP(offering_price), 0, &catalog_ref_desc, 0,
		 NULL},
		{0},
	},
	JSON_NO_PRESENT,
};
#undef PP

#define PC(member) offsetof(struct product_char, member)
static const struct json_desc char_desc = {
	NULL,
	sizeof(struct product_char),
	(const struct json_field[]){
		{"name", JSON_STRING, PC(name), JSON_REQUIRED, NULL, 100, NULL},
		{"valueType", JSON_STRING, PC(value_type), 0, NULL, 32, NULL},
		{"value", JSON_ANY, PC(value), JSON_REQUIRED, NULL, 0, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};
#undef PC

#define PL(member) offsetof(struct product_place, member)
static const struct json_desc place_desc = {
	NULL,
	sizeof(struct product_place),
	(const struct json_field[]){
		{"id", JSON_STRING, PL(id), 0, NULL, 64, NULL},
		{"name", JSON_STRING, PL(name), JSON_REQUIRED, NULL, 300, NULL},
		{"role", JSON_STRING, PL(role), JSON_REQUIRED, NULL, 64, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};
#undef PL

#define RES_T struct product
static const struct res_field fields[] = {
	RES_FIELD("name", JSON_STRING, name, .flags = RES_NOT_BLANK | RES_FILTER | RES_SORT,
		  .column = "name", .max_len = 200),
	RES_FIELD("description", JSON_STRING, description, .flags = JSON_NULLABLE, .max_len = 2000),
	RES_FIELD("status", JSON_STRING, status, .flags = RES_FILTER | RES_SORT, .column = "status",
		  .values = statuses),
	RES_FIELD("productType", JSON_STRING, product_type,
		  .flags = JSON_REQUIRED | RES_IMMUTABLE | RES_FILTER, .column = "product_type",
		  .values = product_types),
	RES_FIELD("isBundle", JSON_BOOL, is_bundle, .flags = JSON_READONLY),
	RES_FIELD("productSerialNumber", JSON_STRING, serial_number, .flags = JSON_NULLABLE,
		  .max_len = 64),
	RES_FIELD("msisdn", JSON_STRING, msisdn,
		  .flags = JSON_NULLABLE | RES_IMMUTABLE | RES_FILTER | JSON_MASK_PHONE,
		  .column = "msisdn", .max_len = 11),
	RES_FIELD("iccid", JSON_STRING, iccid, .flags = JSON_NULLABLE | RES_FILTER,
		  .column = "iccid", .max_len = 20),
	RES_FIELD("imsi", JSON_STRING, imsi, .flags = JSON_NULLABLE, .max_len = 15),
	RES_FIELD("orderDate", JSON_TIME, order_ms, .flags = JSON_NULLABLE),
	RES_FIELD("startDate", JSON_TIME, start_ms, .flags = JSON_NULLABLE | RES_FILTER | RES_SORT,
		  .column = "start_ms"),
	RES_FIELD("terminationDate", JSON_TIME, termination_ms,
		  .flags = JSON_NULLABLE | RES_FILTER | RES_SORT, .column = "termination_ms"),
	RES_FIELD("productOffering", JSON_OBJECT, offering, .flags = JSON_REQUIRED,
		  .sub = &offering_ref_desc),
	RES_FIELD("productOffering.id", JSON_STRING, offering_id, .flags = RES_HIDDEN | RES_FILTER,
		  .column = "offering_id"),
	RES_FIELD("billingAccount", JSON_OBJECT, account, .flags = JSON_NULLABLE,
		  .sub = &catalog_ref_desc),
	RES_FIELD("billingAccount.id", JSON_STRING, account_id, .flags = RES_HIDDEN | RES_FILTER,
		  .column = "account_id"),
	RES_FIELD("parentId", JSON_STRING, parent_id,
		  .flags = JSON_NULLABLE | RES_IMMUTABLE | RES_FILTER, .column = "parent_id",
		  .max_len = 64),
	RES_FIELD("productPrice", JSON_OBJECT_ARRAY, price, .flags = JSON_NULLABLE,
		  .sub = &product_price_desc, .max_len = 20),
	RES_FIELD("productCharacteristic", JSON_OBJECT_ARRAY, characteristic,
		  .flags = JSON_NULLABLE, .sub = &char_desc, .max_len = 50),
	RES_FIELD("place", JSON_OBJECT_ARRAY, place, .flags = JSON_NULLABLE, .sub = &place_desc,
		  .max_len = 5),
	RES_FIELD("relatedParty", JSON_OBJECT_ARRAY, related_party, .flags = JSON_REQUIRED,
		  .sub = &party_ref_desc, .max_len = 20),
	RES_FIELD("relatedParty.id", JSON_STRING, customer_id, .flags = RES_HIDDEN | RES_FILTER,
		  .column = "customer_id"),
	RES_FIELD("engagedParty.id", JSON_STRING, party_id, .flags = RES_HIDDEN | RES_FILTER,
		  .column = "party_id"),
	RES_FIELD("orgId", JSON_STRING, row.org_id, .flags = JSON_READONLY | RES_FILTER,
		  .column = "org_id"),
	{0},
};
#undef RES_T

static bool is(const char *a, const char *b)
{
	return a && strcmp(a, b) == 0;
}

static bool is_line(const struct product *p)
{
	return !is(p->product_type, "valueAdded") && !is(p->product_type, "dataPack");
}

static bool digits(const char *s, size_t min, size_t max)
{
	size_t n = s ? strlen(s) : 0;

	if (n < min || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

double inventory_monthly_fee(const struct product *p)
{
	const struct product_price *pr = p->price.items;
	double fee = 0;

	for (size_t i = 0; i < p->price.count; i++) {
		double v = pr[i].price.value;

		if (!is(pr[i].price_type, "recurring"))
			continue;
		if (!pr[i].period || is(pr[i].period, "month"))
			fee += v;
		else if (is(pr[i].period, "day"))
			fee += v * 30;
		else if (is(pr[i].period, "week"))
			fee += v * 52 / 12;
		else if (is(pr[i].period, "year"))
			fee += v / 12;
	}
	return fee;
}

/* What each kind of product carries: a mobile line its numbers, a fixed or broadband
 * line its serial number and installation address; a child its parent. */
static int shape_check(struct crm_ctx *ctx, struct product *p)
{
	const struct product_place *pl = p->place.items;
	bool mobile = is(p->product_type, "mobile"), address = false;

	if (mobile) {
		if (!p->msisdn)
			return crm_err_set(&ctx->err, CRM_EINVAL, "msisdn",
					   "a mobile line needs its 'msisdn'");
		if (!digits(p->msisdn, 11, 11) || p->msisdn[0] != '1')
			return crm_err_set(&ctx->err, CRM_EINVAL, "msisdn",
					   "'%s' is not a mobile number (11 digits from 1)",
					   p->msisdn);
		if (!p->iccid)
			return crm_err_set(&ctx->err, CRM_EINVAL, "iccid",
					   "a mobile line needs its SIM card's 'iccid'");
		if (!digits(p->iccid, 19, 20) || strncmp(p->iccid, "89", 2) != 0)
			return crm_err_set(&ctx->err, CRM_EINVAL, "iccid",
					   "'%s' is not an ICCID (19 or 20 digits from 89)",
					   p->iccid);
		if (p->imsi && !digits(p->imsi, 15, 15))
			return crm_err_set(&ctx->err, CRM_EINVAL, "imsi",
					   "'%s' is not an IMSI (15 digits)", p->imsi);
	} else if (p->msisdn || p->iccid || p->imsi) {
		return crm_err_set(&ctx->err, CRM_EINVAL,
				   p->msisdn  ? "msisdn"
				   : p->iccid ? "iccid"
					      : "imsi",
				   "only a mobile line has 'msisdn', 'iccid' and 'imsi'");
	}
	for (size_t i = 0; i < p->place.count; i++)
		address |= strcasecmp(pl[i].role, "installationAddress") == 0;
	if (is(p->product_type, "fixedLine") || is(p->product_type, "broadband")) {
		if (!p->serial_number)
			return crm_err_set(&ctx->err, CRM_EINVAL, "productSerialNumber",
					   "a %s needs its 'productSerialNumber' (%s)",
					   is(p->product_type, "broadband") ? "broadband line"
									    : "fixed line",
					   is(p->product_type, "broadband") ? "the account name"
									    : "the number");
		if (!address)
			return crm_err_set(&ctx->err, CRM_EINVAL, "place",
					   "a %s needs a 'place' with role 'installationAddress'",
					   is(p->product_type, "broadband") ? "broadband line"
									    : "fixed line");
	}
	if (!is_line(p) && !p->parent_id)
		return crm_err_set(&ctx->err, CRM_EINVAL, "parentId",
				   "a %s sits on a line: 'parentId' is required",
				   is(p->product_type, "dataPack") ? "data pack"
								   : "value-added service");
	return 0;
}

/* The line a child product sits on: the same customer's, a line itself, not terminated;
 * a child without an account bills to its line's. */
static int parent_check(struct crm_ctx *ctx, struct db_tx *tx, struct product *p)
{
	struct product up;
	int rc;

	if (!p->parent_id)
		return 0;
	if (p->row.id && strcmp(p->parent_id, p->row.id) == 0)
		return crm_err_set(&ctx->err, CRM_EINVAL, "parentId",
				   "product '%s' cannot sit on itself", p->row.id);
	rc = res_load(ctx, &product_res, tx, p->parent_id, -1, &up);
	if (rc == CRM_ENOTFOUND) {
		crm_err_clear(&ctx->err);
		return crm_err_set(&ctx->err, CRM_EINVAL, "parentId", "%s '%s' not found",
				   "product", p->parent_id);
	}
	if (rc)
		return rc;
	if (!is_line(&up) || strcmp(up.customer_id, p->customer_id) != 0)
		return crm_err_set(&ctx->err, CRM_EINVAL, "parentId",
				   "product '%s' is not a line of customer '%s'", up.row.id,
				   p->customer_id);
	if (is(up.status, "terminated") && !is(p->status, "terminated"))
		return crm_err_set(&ctx->err, CRM_ECONFLICT, "parentId", "line '%s' is terminated",
				   up.row.id);
	if (!p->account.id)
		p->account = up.account;
	return 0;
}

/* The prices of the offering bought, as the product keeps them: its recurring fees,
 * one-off charges and usage rates (discounts are applied by the order's quote). */
static int prices_copy(struct crm_ctx *ctx, struct db_tx *tx, struct product *p,
		       const struct product_offering *o)
{
	const struct catalog_ref *ref = o->price.items;
	struct product_price *out = arena_calloc(ctx->arena, o->price.count + 1, sizeof(*out));
	size_t n = 0;
	int rc;

	for (size_t i = 0; i < o->price.count; i++) {
		struct product_offering_price pop;

		if ((rc = res_load(ctx, &product_offering_price_res, tx, ref[i].id, -1, &pop)))
			return rc;
		if (is(pop.price_type, "discount"))
			continue;
		out[n] = (struct product_price){
			.name = pop.name,
			.price_type = pop.price_type,
			.period = pop.period_type,
			.unit_of_measure = pop.unit_of_measure.units,
			.price = pop.price,
			.offering_price = {.id = pop.row.id,
					   .name = pop.name,
					   .referred_type = product_offering_price_res.type_name},
		};
		n++;
	}
	p->price = (struct json_array){.items = out, .count = n};
	return 0;
}

/* The offering: on sale when bought (or changed to); a product whose offering is not
 * changed keeps the version it bought, whatever became of the offering since. */
static int offering_check(struct crm_ctx *ctx, struct db_tx *tx, struct product *p,
			  const struct product *before, bool prices_sent)
{
	struct product_offering o;
	int rc;

	if (!p->offering.id || !*p->offering.id)
		return crm_err_set(&ctx->err, CRM_EINVAL, "productOffering", "'%s.id' is required",
				   "productOffering");
	if (before && strcmp(before->offering.id, p->offering.id) == 0) {
		p->offering = before->offering;
		p->offering_id = before->offering_id;
		return 0;
	}
	rc = res_load(ctx, &product_offering_res, tx, p->offering.id, -1, &o);
	if (rc == CRM_ENOTFOUND) {
		crm_err_clear(&ctx->err);
		return crm_err_set(&ctx->err, CRM_EINVAL, "productOffering", "%s '%s' not found",
				   "product offering", p->offering.id);
	}
	if (rc)
		return rc;
	if (!is(o.lifecycle_status, "active") || !o.is_sellable)
		return crm_err_set(&ctx->err, CRM_ECONFLICT, "productOffering",
				   "product offering '%s' is not on sale", o.row.id);
	p->offering = (struct offering_ref){.id = o.row.id,
					    .name = o.name,
					    .referred_type = product_offering_res.type_name,
					    .version = o.row.version};
	p->offering_id = o.row.id;
	p->is_bundle = o.is_bundle;
	if (!p->name || (before && is(before->name, before->offering.name)))
		p->name = o.name;
	if (!prices_sent && (rc = prices_copy(ctx, tx, p, &o)))
		return rc;
	return 0;
}

static int prices_check(struct crm_ctx *ctx, const struct product *p)
{
	const struct product_price *pr = p->price.items;

	for (size_t i = 0; i < p->price.count; i++) {
		if (pr[i].price.value < 0)
			return crm_err_set(&ctx->err, CRM_EINVAL,
					   arena_printf(ctx->arena, "productPrice[%zu]", i),
					   "'%s' must not be negative",
					   "productPrice.price.taxIncludedAmount.value");
		if (is(pr[i].price_type, "recurring") != (pr[i].period != NULL))
			return crm_err_set(&ctx->err, CRM_EINVAL,
					   arena_printf(ctx->arena, "productPrice[%zu]", i),
					   "a recurring price, and only a recurring price, has a "
					   "'recurringChargePeriod'");
	}
	return 0;
}

/* The billing account: open, and the customer's own or one that pays for the customer's
 * accounts (an enterprise's, for its members' lines). */
static int account_check(struct crm_ctx *ctx, struct db_tx *tx, struct product *p)
{
	struct account a;
	bool pays = false;
	int rc;

	p->account_id = p->account.id;
	if (!p->account.id) {
		if (is_line(p))
			return crm_err_set(&ctx->err, CRM_EINVAL, "billingAccount",
					   "a line needs the 'billingAccount' its bills go to");
		return 0;
	}
	rc = res_load(ctx, &billing_account_res, tx, p->account.id, -1, &a);
	if (rc == CRM_ENOTFOUND) {
		crm_err_clear(&ctx->err);
		return crm_err_set(&ctx->err, CRM_EINVAL, "billingAccount", "%s '%s' not found",
				   "billing account", p->account.id);
	}
	if (rc)
		return rc;
	if (is(a.state, "closed"))
		return crm_err_set(&ctx->err, CRM_ECONFLICT, "billingAccount",
				   "billing account '%s' is closed", a.row.id);
	if (strcmp(a.customer_id, p->customer_id) != 0 &&
	    ((rc = db_account_pays_for(tx, a.row.id, p->customer_id, &pays, &ctx->err)) || !pays))
		return rc ? rc
			  : crm_err_set(&ctx->err, CRM_EINVAL, "billingAccount",
					"billing account '%s' is neither customer '%s''s nor "
					"paying for its accounts",
					a.row.id, p->customer_id);
	p->account.name = a.name;
	p->account.referred_type = billing_account_res.type_name;
	p->account.href = NULL;
	return 0;
}

/* The real-name rule: an identification number holds at most five mobile lines across
 * the operator (an individual's; an enterprise's lines are registered otherwise). */
static int lines_check(struct crm_ctx *ctx, struct db_tx *tx, const struct product *p,
		       const struct customer *c)
{
	int64_t n = 0;
	int rc;

	if (!is(c->engaged_party.referred_type, "Individual"))
		return 0;
	if ((rc = db_party_lines_count(tx, p->party_id, "mobile", p->row.id, &n, &ctx->err)))
		return rc;
	if (n >= INVENTORY_LINES_PER_ID)
		return crm_err_set(&ctx->err, CRM_ECONFLICT, "relatedParty",
				   "the identification of customer '%s' already holds %lld mobile "
				   "lines, the most one identification may hold",
				   c->row.id, (long long)n);
	return 0;
}

static int check(struct crm_ctx *ctx, struct db_tx *tx, void *obj, struct res_change *ch)
{
	const struct json_desc *j = res_json(&product_res);
	const struct product *before = ch->before;
	struct product *p = obj;
	struct customer c;
	bool transfer, mobile = is(p->product_type, "mobile");
	int64_t now = time_now_ms(), n = 0;
	int rc;

	if ((rc = inventory__customer_of(ctx, tx, &p->related_party, &c)))
		return rc;
	transfer = before && strcmp(before->customer_id, c.row.id) != 0;
	p->customer_id = c.row.id;
	p->party_id = c.engaged_party.id;
	p->row.org_id = c.row.org_id;
	p->row.org_path = c.row.org_path;
	if ((rc = shape_check(ctx, p)) || (rc = parent_check(ctx, tx, p)) ||
	    (rc = offering_check(ctx, tx, p, before, json_present(j, ch->in, "productPrice"))) ||
	    (rc = prices_check(ctx, p)) || (rc = account_check(ctx, tx, p)))
		return rc;
	if (!p->name)
		p->name = p->offering.name;
	if (transfer || (before && is(p->status, "terminated"))) {
		if ((rc = db_product_children_count(tx, p->row.id, &n, &ctx->err)))
			return rc;
		if (n)
			return crm_err_set(&ctx->err, CRM_ECONFLICT, "id",
					   "line '%s' still carries %lld products that are not "
					   "terminated: end them first",
					   p->row.id, (long long)n);
	}
	if (mobile && !ch->bulk && !is(p->status, "terminated") && (!before || transfer) &&
	    (rc = lines_check(ctx, tx, p, &c)))
		return rc;
	if (mobile && !before && !ch->bulk &&
	    (rc = inventory__number_take(ctx, tx, p->msisdn, c.row.id, inventory_monthly_fee(p))))
		return rc;
	if (!before && !p->order_ms)
		p->order_ms = now;
	if (is(p->status, "active") && !p->start_ms)
		p->start_ms = now;
	if (is(p->status, "terminated") && !p->termination_ms)
		p->termination_ms = now;
	return 0;
}

/* The number follows its line: in use by it, its new customer's after a transfer, in
 * quarantine once the line ends. */
static int side(struct crm_ctx *ctx, struct db_tx *tx, const void *before, const void *after)
{
	const struct product *b = before, *a = after;
	int64_t now = time_now_ms();

	if (!a || !a->msisdn)
		return 0;
	if (is(a->status, "terminated"))
		return b && is(b->status, "terminated")
			       ? 0
			       : db_number_hold(tx, a->msisdn, "quarantined", NULL, NULL,
						now + (int64_t)inventory_quarantine_days() *
								86400000,
						now, &ctx->err);
	if (!b || strcmp(b->customer_id, a->customer_id) != 0)
		return db_number_hold(tx, a->msisdn, "inUse", a->customer_id, a->row.id, 0, now,
				      &ctx->err);
	return 0;
}

static const char *dkey(const void *obj)
{
	return ((const struct product *)obj)->customer_id;
}

RES_STORAGE(product);

const struct res_desc product_res = {
	.name = "product",
	.type_name = "Product",
	.path = "/tmf-api/productInventory/v4/product",
	.event_api = "productInventory",
	.event_field = "product",
	.table = "product",
	.scope = DB_SCOPE_UNIT,
	.no_delete = true,
	.size = sizeof(struct product),
	.perm_read = PERM_CUSTOMER_READ,
	.perm_write = PERM_ORDER_CREATE,
	.fields = fields,
	.lifecycle = &lifecycle,
	.check = check,
	.side = side,
	.dkey = dkey,
	.built = &product__built,
};
