/* The demo operator's accounts, lines and number pool (docs/inventory.md), for telcrm demo:
 * after the customers, each customer in service gets a billing account and its lines —
 * most one mobile line, some a second one or broadband, some a data pack or a value-added
 * service on the line — each line's number from the pool, in use; every city also has free
 * numbers on the shelf, premium ones among them. Deterministic for the seed. */
#include "cli/demo_lines.h"

#include <stdio.h>
#include <string.h>

#include "cli/demo_people.h"
#include "core/arena.h"
#include "domain/customer.h"
#include "domain/inventory.h"
#include "core/banned.h"

#define PAGE 500 /* customers per transaction */

static const char *const mobile_plans[] = {"5G 青春卡 39 元",	 "5G 畅享 58 元套餐",
					   "5G 畅享 88 元套餐",	 "5G 畅享 128 元套餐",
					   "5G 畅享 198 元套餐", "5G 尊享 298 元套餐"};
static const int mobile_pct[] = {12, 30, 28, 16, 9, 5};
static const char *const broadband_plans[] = {"宽带 300M", "宽带 500M", "宽带千兆 1000M"};
static const char *const payment_methods[] = {"wechatPay", "alipay", "bankDebit", "cash"};
/* mobile number blocks of the three operators' ranges, for the demo's numbers */
static const char *const blocks[] = {"134", "135", "136", "137", "138", "139", "147", "150",
				     "151", "152", "157", "158", "159", "182", "187", "188"};
#define NBLOCKS (sizeof(blocks) / sizeof(blocks[0]))

struct offerings {
	struct product_offering mobile[6], broadband[3], pack, vas;
};

struct lines_state {
	struct demo_rng rng;
	struct offerings o;
	uint64_t next_number; /* numbers are drawn without repeats (number_of) */
	struct demo_lines_counts *counts;
};

static int offering_named(struct crm_ctx *ctx, const char *name, struct product_offering *out)
{
	const struct db_filter f = {"name", DB_EQ, &name, 1};
	struct res_page page;
	int rc;

	if ((rc = res_list(ctx, &product_offering_res,
			   &(struct db_list_opts){.limit = 1, .filters = &f, .nfilters = 1},
			   &page)))
		return rc;
	if (!page.n)
		return crm_err_set(&ctx->err, CRM_ENOTFOUND, NULL, "%s '%s' not found",
				   "product offering", name);
	*out = *(struct product_offering *)page.items;
	return 0;
}

/* The i-th demo number: a block and eight digits, i scattered over them by an odd
 * multiplier prime to 10 (a bijection of 0 … 10^8 - 1), so no number repeats. */
static const char *number_of(struct crm_ctx *ctx, uint64_t i)
{
	uint64_t digits = (i / NBLOCKS * 48271ULL + 12345) % 100000000ULL;

	return arena_printf(ctx->arena, "%s%08llu", blocks[i % NBLOCKS],
			    (unsigned long long)digits);
}

static const char *pick_weighted(struct demo_rng *r, const char *const *v, const int *pct, int n)
{
	int x = (int)demo_rng_below(r, 100);

	for (int i = 0; i < n - 1; i++)
		if ((x -= pct[i]) < 0)
			return v[i];
	return v[n - 1];
}

static struct json_array customer_ref(struct crm_ctx *ctx, const struct customer *c)
{
	struct party_ref *r = arena_calloc(ctx->arena, 1, sizeof(*r));

	*r = (struct party_ref){.id = c->row.id, .role = "customer"};
	return (struct json_array){r, 1};
}

static int put(struct crm_ctx *ctx, const struct res_desc *d, void *obj)
{
	int rc;

	if ((rc = res_prepare(ctx, d, ctx->batch, obj, NULL)) || (rc = res_insert(ctx, d, obj)))
		return rc;
	return 0;
}

/* A number of the customer's unit, in use by the line. */
static int number_put(struct crm_ctx *ctx, const struct product *line, int premium)
{
	struct pool_number n = {.status = "inUse", .premium_level = premium};

	n.row.id = line->msisdn;
	n.row.org_id = line->row.org_id;
	n.reserved_for = line->customer_id;
	n.product_id = line->row.id;
	return put(ctx, &pool_number_res, &n);
}

static int line_put(struct crm_ctx *ctx, struct lines_state *st, const struct customer *c,
		    const struct account *acc, const struct product_offering *o, const char *type,
		    const struct product *parent, struct product *out)
{
	struct demo_rng *r = &st->rng;
	struct product p = {.product_type = type, .status = "active"};
	int rc;

	p.related_party = customer_ref(ctx, c);
	p.offering = (struct offering_ref){.id = o->row.id};
	if (acc)
		p.account = (struct catalog_ref){.id = acc->row.id};
	p.start_ms = c->row.created_ms - (int64_t)demo_rng_below(r, 1500) * 86400000;
	p.order_ms = p.start_ms;
	if (parent)
		p.parent_id = parent->row.id;
	if (strcmp(type, "mobile") == 0) {
		p.msisdn = number_of(ctx, st->next_number++);
		p.iccid = arena_printf(ctx->arena, "898600%013llu",
				       (unsigned long long)(demo_rng_next(r) % 10000000000000ULL));
		p.imsi = arena_printf(ctx->arena, "46000%010llu",
				      (unsigned long long)(demo_rng_next(r) % 10000000000ULL));
		if (demo_rng_below(r, 100) < 4)
			p.status = "suspended";
	} else if (strcmp(type, "broadband") == 0) {
		struct product_place *pl = arena_calloc(ctx->arena, 1, sizeof(*pl));
		struct product_char *ch = arena_calloc(ctx->arena, 1, sizeof(*ch));

		p.serial_number =
			arena_printf(ctx->arena, "%s%08u", "kd", demo_rng_below(r, 100000000));
		*pl = (struct product_place){
			.role = "installationAddress",
			.name = c->name ? arena_printf(ctx->arena, "%s 的住址", c->name) : "住址"};
		p.place = (struct json_array){pl, 1};
		*ch = (struct product_char){
			.name = "speed",
			.value_type = "string",
			.value = json_adopt(ctx->arena, cJSON_CreateString(o->name))};
		p.characteristic = (struct json_array){ch, 1};
	}
	if ((rc = put(ctx, &product_res, &p)))
		return rc;
	st->counts->products++;
	if (p.msisdn && (rc = number_put(ctx, &p, 0)))
		return rc;
	if (out)
		*out = p;
	return 0;
}

static int customer_lines(struct crm_ctx *ctx, struct lines_state *st, const struct customer *c)
{
	struct demo_rng *r = &st->rng;
	struct account acc = {.state = "active", .rating_type = "postpaid"};
	struct product line;
	const char *plan;
	int x = (int)demo_rng_below(r, 100), rc;

	acc.name = arena_printf(ctx->arena, "%s 的账户", c->name);
	acc.related_party = customer_ref(ctx, c);
	acc.account_type = strcmp(c->engaged_party.referred_type, "Organization") == 0
				   ? "enterprise"
				   : "individual";
	if (demo_rng_below(r, 100) < 15)
		acc.rating_type = "prepaid";
	acc.payment_method = payment_methods[demo_rng_below(r, 4)];
	acc.credit_limit = (struct money){"CNY", 100.0 * (1 + demo_rng_below(r, 5))};
	acc.bill_structure.cycle = (struct bill_cycle){.name = "月结",
						       .frequency = "monthly",
						       .billing_date_shift = 1,
						       .payment_due_offset = 20};
	if ((rc = put(ctx, &billing_account_res, &acc)))
		return rc;
	st->counts->accounts++;
	if (strcmp(acc.account_type, "enterprise") == 0)
		return 0; /* an enterprise's lines are its staff's, on their own accounts */
	plan = pick_weighted(r, mobile_plans, mobile_pct, 6);
	for (int i = 0; i < 6; i++)
		if (strcmp(plan, mobile_plans[i]) == 0 &&
		    (rc = line_put(ctx, st, c, &acc, &st->o.mobile[i], "mobile", NULL, &line)))
			return rc;
	if (x < 20 && (rc = line_put(ctx, st, c, &acc, &st->o.mobile[1], "mobile", NULL, NULL)))
		return rc;
	if (x >= 70 && (rc = line_put(ctx, st, c, &acc, &st->o.broadband[demo_rng_below(r, 3)],
				      "broadband", NULL, NULL)))
		return rc;
	if (demo_rng_below(r, 100) < 25 &&
	    (rc = line_put(ctx, st, c, NULL, &st->o.pack, "dataPack", &line, NULL)))
		return rc;
	if (demo_rng_below(r, 100) < 15 &&
	    (rc = line_put(ctx, st, c, NULL, &st->o.vas, "valueAdded", &line, NULL)))
		return rc;
	return 0;
}

/* Free numbers on every city's shelf: ordinary ones, and premium ones ending in a run. */
static int shelf_fill(struct crm_ctx *ctx, struct lines_state *st)
{
	static const char *const runs[] = {"8888", "6666", "9999", "1688", "5200"};
	int rc;

	for (int c = 0; c < demo_city_count; c++)
		for (int i = 0; i < 25; i++) {
			struct pool_number n = {.status = "free"};
			const char *base = number_of(ctx, st->next_number++);

			n.row.org_id = demo_cities[c].org_code;
			n.row.id = base;
			if (i < 5) { /* block 199 holds no demo line, so these repeat nothing */
				n.row.id = arena_printf(ctx->arena, "199%02d%02d%s", c, i, runs[i]);
				n.premium_level = 5 - i / 2;
				n.min_spend = (struct money){"CNY", i < 2 ? 198 : 128};
			}
			if ((rc = put(ctx, &pool_number_res, &n)))
				return rc;
			st->counts->free_numbers++;
		}
	return 0;
}

static int offerings_load(struct crm_ctx *ctx, struct offerings *o)
{
	int rc;

	for (int i = 0; i < 6; i++)
		if ((rc = offering_named(ctx, mobile_plans[i], &o->mobile[i])))
			return rc;
	for (int i = 0; i < 3; i++)
		if ((rc = offering_named(ctx, broadband_plans[i], &o->broadband[i])))
			return rc;
	if ((rc = offering_named(ctx, "10GB 流量包（月）", &o->pack)) ||
	    (rc = offering_named(ctx, "视频彩铃", &o->vas)))
		return rc;
	return 0;
}

int demo_lines_fill(struct crm_ctx *ctx, uint64_t seed, struct demo_lines_counts *counts)
{
	static const char *const live[] = {"active", "suspended"};
	const struct db_filter f = {"status", DB_EQ, live, 2};
	struct lines_state st = {.counts = counts};
	struct arena *outer = ctx->arena;
	char cursor[256] = "";
	int rc = 0;

	demo_rng_seed(&st.rng, seed ^ 0x9e3779b97f4a7c15ULL);
	if ((rc = offerings_load(ctx, &st.o)))
		return rc;
	do {
		struct res_page page;
		struct db_tx *tx;

		ctx->arena = arena_new(0);
		if ((rc = res_list(ctx, &customer_res,
				   &(struct db_list_opts){.limit = PAGE,
							  .filters = &f,
							  .nfilters = 1,
							  .sort = "customerNo",
							  .cursor = *cursor ? cursor : NULL,
							  .uncounted = true},
				   &page)) ||
		    (rc = db_tx_begin(ctx->db, &tx, &ctx->err))) {
			arena_free(ctx->arena);
			break;
		}
		ctx->batch = tx;
		for (size_t i = 0; !rc && i < page.n; i++)
			rc = customer_lines(ctx, &st, &((const struct customer *)page.items)[i]);
		if (!rc && !page.next_cursor)
			rc = shelf_fill(ctx, &st);
		ctx->batch = NULL;
		if (!rc)
			rc = db_tx_commit(tx, &ctx->err);
		else
			db_tx_rollback(tx);
		snprintf(cursor, sizeof(cursor), "%s", page.next_cursor ? page.next_cursor : "");
		arena_free(ctx->arena);
	} while (!rc && *cursor);
	ctx->arena = outer;
	return rc;
}
