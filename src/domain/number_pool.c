/* The number pool on the resource layer: MSISDNs of a city or hall, free, reserved for a
 * customer, in use by a line, or resting in quarantine after one ended; premium numbers
 * with their level and minimum spend. Lines take numbers through inventory__number_take. */
#include <stdatomic.h>
#include <string.h>

#include "auth/auth.h"
#include "core/arena.h"
#include "core/time.h"
#include "domain/inventory_int.h"
#include "core/banned.h"

#define RESERVE_DEFAULT_MS (3 * 86400000LL) /* a reservation's length unless given */
#define RESERVE_MAX_MS	   (30 * 86400000LL)
#define PREMIUM_LEVEL_MAX  5

static const char *const statuses[] = {"free", "reserved", "inUse", "quarantined", NULL};
static const char *const initial[] = {"free", NULL};
/* a number comes into use and goes into quarantine only with its line (product.c) */
static const char *const moves[][2] = {
	{"free", "reserved"}, {"reserved", "free"}, {"quarantined", "free"}, {NULL, NULL}};
static const struct res_lifecycle lifecycle = {"status", statuses, initial, moves, NULL};

static _Atomic int quarantine_days = INVENTORY_QUARANTINE_DAYS;

int inventory_quarantine_days(void)
{
	return quarantine_days;
}

void inventory_quarantine_days_set(int days)
{
	quarantine_days = days;
}

#define RES_T struct pool_number
static const struct res_field fields[] = {
	RES_FIELD("orgId", JSON_STRING, row.org_id, .flags = RES_FILTER, .column = "org_id",
		  .max_len = 32),
	RES_FIELD("status", JSON_STRING, status, .flags = RES_FILTER | RES_SORT, .column = "status",
		  .values = statuses),
	RES_FIELD("ending", JSON_STRING, ending, .flags = RES_HIDDEN | RES_FILTER,
		  .column = "ending"),
	RES_FIELD("premiumLevel", JSON_INT, premium_level, .flags = RES_FILTER | RES_SORT,
		  .column = "premium_level"),
	RES_FIELD("minMonthlySpend", JSON_OBJECT, min_spend, .flags = JSON_NULLABLE,
		  .sub = &money_desc),
	RES_FIELD("customerId", JSON_STRING, reserved_for, .flags = JSON_NULLABLE | RES_FILTER,
		  .column = "customer_id", .max_len = 64),
	RES_FIELD("reservedUntil", JSON_TIME, reserved_until_ms,
		  .flags = JSON_NULLABLE | RES_FILTER | RES_SORT, .column = "reserved_until_ms"),
	RES_FIELD("productId", JSON_STRING, product_id, .flags = JSON_READONLY | RES_FILTER,
		  .column = "product_id"),
	RES_FIELD("quarantineUntil", JSON_TIME, quarantine_until_ms,
		  .flags = JSON_READONLY | RES_FILTER | RES_SORT, .column = "quarantine_until_ms"),
	RES_FIELD("note", JSON_STRING, note, .flags = JSON_NULLABLE, .max_len = 500),
	{0},
};
#undef RES_T

static bool is(const char *a, const char *b)
{
	return a && strcmp(a, b) == 0;
}

static bool same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static const char *iso_of(struct crm_ctx *ctx, int64_t ms)
{
	char *buf = arena_alloc(ctx->arena, TIME_ISO_MAX);

	time_format_iso(ms, buf);
	return buf;
}

static bool may_manage(const struct crm_ctx *ctx)
{
	return (ctx->who.perms & PERM_NUMBER_MANAGE) != 0;
}

static int manage_denied(struct crm_ctx *ctx, const char *what)
{
	return crm_err_set(&ctx->err, CRM_EPERM, NULL, "%s needs '%s', which you do not hold", what,
			   "number.manage");
}

static int number_form(struct crm_ctx *ctx, const char *id)
{
	size_t n = strlen(id);
	bool ok = n == 11 && id[0] == '1';

	for (size_t i = 0; ok && i < n; i++)
		ok = id[i] >= '0' && id[i] <= '9';
	if (!ok)
		return crm_err_set(&ctx->err, CRM_EINVAL, "id",
				   "'%s' is not a mobile number (11 digits from 1)", id);
	return 0;
}

/* A reservation: for a customer in scope, until a time within the next 30 days. */
static int reservation_check(struct crm_ctx *ctx, struct db_tx *tx, struct pool_number *n,
			     const struct pool_number *before, bool until_given, int64_t now)
{
	struct customer c;
	int rc;

	if (!n->reserved_for)
		return crm_err_set(&ctx->err, CRM_EINVAL, "customerId",
				   "a reservation needs the 'customerId' it is for");
	if (is(before->status, "reserved") && before->reserved_until_ms > now &&
	    !same(before->reserved_for, n->reserved_for))
		return crm_err_set(&ctx->err, CRM_ECONFLICT, "customerId",
				   "number '%s' is reserved for another customer", n->row.id);
	rc = res_load(ctx, &customer_res, tx, n->reserved_for, -1, &c);
	if (rc == CRM_ENOTFOUND) {
		crm_err_clear(&ctx->err);
		return crm_err_set(&ctx->err, CRM_EINVAL, "customerId", "%s '%s' not found",
				   "customer", n->reserved_for);
	}
	if (rc)
		return rc;
	if (!n->reserved_until_ms || (!until_given && !is(before->status, "reserved")))
		n->reserved_until_ms = now + RESERVE_DEFAULT_MS;
	if (n->reserved_until_ms <= now || n->reserved_until_ms > now + RESERVE_MAX_MS)
		return crm_err_set(&ctx->err, CRM_EINVAL, "reservedUntil",
				   "a reservation ends within the next %d days", 30);
	return 0;
}

static int check(struct crm_ctx *ctx, struct db_tx *tx, void *obj, struct res_change *ch)
{
	const struct pool_number *before = ch->before;
	struct pool_number *n = obj;
	int64_t now = time_now_ms();
	int rc;

	if (!before) {
		if (!may_manage(ctx) && !ch->bulk)
			return manage_denied(ctx, "stocking the number pool");
		if ((rc = number_form(ctx, n->row.id)))
			return rc;
	} else if (!may_manage(ctx) && (n->premium_level != before->premium_level ||
					n->min_spend.value != before->min_spend.value ||
					!same(n->row.org_id, before->row.org_id))) {
		return manage_denied(ctx, "a number's premium level, minimum spend or unit");
	}
	n->ending = n->row.id + strlen(n->row.id) - 4;
	if (n->premium_level < 0 || n->premium_level > PREMIUM_LEVEL_MAX)
		return crm_err_set(&ctx->err, CRM_EINVAL, "premiumLevel",
				   "'premiumLevel' is from 0 (an ordinary number) to %d",
				   PREMIUM_LEVEL_MAX);
	if (n->min_spend.unit && (n->min_spend.value < 0 || !n->premium_level))
		return crm_err_set(&ctx->err, CRM_EINVAL, "minMonthlySpend",
				   "only a premium number has a 'minMonthlySpend', of 0 or more");
	if (ch->bulk)
		return 0;
	if (before && (is(before->status, "inUse") || is(before->status, "quarantined")) &&
	    is(n->status, before->status) && !same(n->reserved_for, before->reserved_for))
		return crm_err_set(&ctx->err, CRM_ECONFLICT, "customerId",
				   "number '%s' is %s: it follows its line", n->row.id,
				   before->status);
	if (is(n->status, "reserved"))
		return reservation_check(
			ctx, tx, n, before ? before : n,
			json_present(res_json(&pool_number_res), ch->in, "reservedUntil"), now);
	if (is(n->status, "free")) {
		if (before && is(before->status, "quarantined") &&
		    before->quarantine_until_ms > now && !may_manage(ctx))
			return manage_denied(ctx, "releasing a number before its quarantine ends");
		n->reserved_for = NULL;
		n->reserved_until_ms = 0;
		n->quarantine_until_ms = 0;
		n->product_id = NULL;
	}
	return 0;
}

static int removing(struct crm_ctx *ctx, struct db_tx *tx, const void *obj)
{
	const struct pool_number *n = obj;

	(void)tx;
	if (!may_manage(ctx))
		return manage_denied(ctx, "taking a number out of the pool");
	if (!is(n->status, "free"))
		return crm_err_set(&ctx->err, CRM_ECONFLICT, "status",
				   "only a free number leaves the pool; number '%s' is %s",
				   n->row.id, n->status);
	return 0;
}

int inventory__number_take(struct crm_ctx *ctx, struct db_tx *tx, const char *number,
			   const char *customer_id, double monthly_fee)
{
	struct pool_number n;
	int64_t now = time_now_ms();
	int rc;

	rc = res_load(ctx, &pool_number_res, tx, number, -1, &n);
	if (rc == CRM_ENOTFOUND) {
		crm_err_clear(&ctx->err);
		return crm_err_set(&ctx->err, CRM_EINVAL, "msisdn",
				   "number '%s' is not in the pool of your units", number);
	}
	if (rc)
		return rc;
	if (is(n.status, "inUse"))
		return crm_err_set(&ctx->err, CRM_ECONFLICT, "msisdn", "number '%s' is in use",
				   number);
	if (is(n.status, "reserved") && n.reserved_until_ms > now &&
	    !same(n.reserved_for, customer_id))
		return crm_err_set(&ctx->err, CRM_ECONFLICT, "msisdn",
				   "number '%s' is reserved for another customer", number);
	if (is(n.status, "quarantined") && n.quarantine_until_ms > now)
		return crm_err_set(&ctx->err, CRM_ECONFLICT, "msisdn",
				   "number '%s' rests in quarantine until %s", number,
				   iso_of(ctx, n.quarantine_until_ms));
	if (n.premium_level && n.min_spend.unit && monthly_fee + 0.005 < n.min_spend.value)
		return crm_err_set(&ctx->err, CRM_ECONFLICT, "msisdn",
				   "premium number '%s' needs a plan of at least %.2f a month, not "
				   "%.2f",
				   number, n.min_spend.value, monthly_fee);
	return 0;
}

RES_STORAGE(pool_number);

const struct res_desc pool_number_res = {
	.name = "msisdn",
	.what = "number",
	.type_name = "PoolNumber",
	.path = "/api/v1/numbers",
	.event_api = "telcrm",
	.event_field = "number",
	.table = "msisdn",
	.scope = DB_SCOPE_UNIT,
	.client_id = true,
	.size = sizeof(struct pool_number),
	.perm_read = PERM_CUSTOMER_READ,
	.perm_write = PERM_ORDER_CREATE,
	.fields = fields,
	.lifecycle = &lifecycle,
	.sort = "id",
	.check = check,
	.removing = removing,
	.built = &pool_number__built,
};
