/*
 * The demo operator's product catalogue: what a Chinese operator sells at its counters —
 * 5G plans at several price points with their data and minutes, broadband by speed, IPTV,
 * fusion bundles of mobile + broadband + IPTV, data packs, caller ID, ring-back tones and
 * roaming packs — with monthly fees, one-off charges, usage rates in tiers and a discount
 * for new lines, in categories of one catalogue. An old 4G plan is retired (existing lines
 * keep it) and a new plan is still in design. Deterministic: the same every time.
 */
#include <stdio.h>
#include <string.h>

#include "cli/demo_catalog.h"
#include "core/arena.h"
#include "domain/catalog.h"
#include "core/banned.h"

/* A plan or product: its specification's characteristics (data in GB, minutes, speed in
 * Mbps; 0: none), its monthly fee in yuan, its category and its state. */
static const struct demo_product {
	const char *name, *number, *category;
	double data_gb;
	int minutes, mbps;
	double fee;
	const char *status;
} products[] = {
	{"5G 畅享 58 元套餐", "5G-58", "5g", 30, 200, 0, 58, "active"},
	{"5G 畅享 88 元套餐", "5G-88", "5g", 50, 400, 0, 88, "active"},
	{"5G 畅享 128 元套餐", "5G-128", "5g", 80, 600, 0, 128, "active"},
	{"5G 畅享 198 元套餐", "5G-198", "5g", 150, 1000, 0, 198, "active"},
	{"5G 尊享 298 元套餐", "5G-298", "5g", 300, 2000, 0, 298, "active"},
	{"5G 青春卡 39 元", "5G-Y39", "5g", 40, 100, 0, 39, "active"},
	{"5G 畅享 158 元套餐（新）", "5G-158", "5g", 120, 800, 0, 158, "inDesign"},
	{"4G 飞享 38 元套餐", "4G-38", "5g", 6, 100, 0, 38, "retired"},
	{"宽带 300M", "BB-300", "broadband", 0, 0, 300, 50, "active"},
	{"宽带 500M", "BB-500", "broadband", 0, 0, 500, 80, "active"},
	{"宽带千兆 1000M", "BB-1000", "broadband", 0, 0, 1000, 120, "active"},
	{"IPTV 基础包", "TV-BASE", "iptv", 0, 0, 0, 15, "active"},
	{"IPTV 高清影视包", "TV-HD", "iptv", 0, 0, 0, 30, "active"},
	{"10GB 流量包（月）", "DP-10", "packs", 10, 0, 0, 20, "active"},
	{"30GB 流量包（月）", "DP-30", "packs", 30, 0, 0, 50, "active"},
	{"来电显示", "VAS-CLIP", "vas", 0, 0, 0, 5, "active"},
	{"视频彩铃", "VAS-RBT", "vas", 0, 0, 0, 6, "active"},
	{"港澳台漫游包（7 天）", "RM-HMT7", "roaming", 5, 100, 0, 68, "active"},
	{"国际漫游包（日）", "RM-INTL1", "roaming", 1, 30, 0, 25, "active"},
};

/* Fusion bundles: a mobile plan, broadband and (0 or) IPTV, at their own monthly fee. */
static const struct demo_bundle {
	const char *name;
	int mobile, broadband, iptv; /* indexes into products; iptv -1: none */
	double fee;
} bundles[] = {
	{"融合套餐 129 元（5G 88 + 宽带 300M）", 1, 8, -1, 129},
	{"融合套餐 199 元（5G 128 + 千兆宽带 + IPTV）", 2, 10, 11, 199},
	{"融合套餐 299 元（5G 198 + 千兆宽带 + 高清 IPTV）", 3, 10, 12, 299},
};

static const struct {
	const char *key, *name, *parent;
} categories[] = {
	{"mobile", "移动业务", NULL},	 {"5g", "5G 套餐", "mobile"},
	{"packs", "流量包", "mobile"},	 {"vas", "增值业务", "mobile"},
	{"roaming", "漫游包", "mobile"}, {"broadband", "宽带", NULL},
	{"iptv", "IPTV", NULL},		 {"fusion", "融合套餐", NULL},
};

#define NCATEGORIES (sizeof(categories) / sizeof(categories[0]))

struct filler {
	struct crm_ctx *ctx;
	const char *category_id[NCATEGORIES];
	struct demo_catalog_counts *n;
};

static int made(struct filler *f, const struct res_desc *d, void *in, void *out, const char *name)
{
	int rc = res_create_obj(f->ctx, d, in, out);

	if (rc)
		fprintf(stderr, "telcrm: demo: %s '%s': %s\n", d->what, name, f->ctx->err.message);
	return rc;
}

static const char *category_of(struct filler *f, const char *key)
{
	for (size_t i = 0; i < NCATEGORIES; i++)
		if (strcmp(categories[i].key, key) == 0)
			return f->category_id[i];
	return NULL;
}

static struct catalog_ref *refs(struct crm_ctx *ctx, size_t n)
{
	return arena_calloc(ctx->arena, n, sizeof(struct catalog_ref));
}

static int price(struct filler *f, struct product_offering_price *in, const char **id)
{
	struct product_offering_price out;
	int rc;

	if (!in->lifecycle_status)
		in->lifecycle_status = "active";
	if ((rc = made(f, &product_offering_price_res, in, &out, in->name)))
		return rc;
	f->n->prices++;
	*id = out.row.id;
	return 0;
}

static int monthly_fee(struct filler *f, const char *of, double yuan, const char *status,
		       const char **id)
{
	struct product_offering_price in = {
		.name = arena_printf(f->ctx->arena, "%s 月费", of),
		.lifecycle_status = status,
		.price_type = "recurring",
		.period_type = "month",
		.price = {"CNY", yuan},
	};

	return price(f, &in, id);
}

/* A characteristic of one value (a number with its unit). */
static struct spec_char number_char(struct crm_ctx *ctx, const char *name, const char *type,
				    double v, const char *unit)
{
	struct spec_char_value *val = arena_calloc(ctx->arena, 1, sizeof(*val));

	val->value = json_adopt(ctx->arena, cJSON_CreateNumber(v));
	val->unit_of_measure = unit;
	val->is_default = true;
	return (struct spec_char){.name = name, .value_type = type, .values = {val, 1}};
}

/* The product's specification, monthly fee and offering, which also names the shared
 * prices (NULL-ended: usage rates, one-off charges); *fee_id gets its fee. */
static int product(struct filler *f, const struct demo_product *p, const char *const *shared,
		   const char **offering_id, const char **fee_id)
{
	struct crm_ctx *ctx = f->ctx;
	struct spec_char *chars = arena_calloc(ctx->arena, 3, sizeof(*chars));
	struct product_specification spec = {.name = p->name, .product_number = p->number};
	struct product_specification spec_out;
	struct product_offering in = {
		.name = p->name, .lifecycle_status = p->status, .is_sellable = true};
	struct product_offering out;
	struct catalog_ref *prices = refs(ctx, 4), *cat = refs(ctx, 1), *chan = refs(ctx, 3);
	size_t nc = 0, np = 0;
	const char *fee;
	int rc;

	if (p->data_gb)
		chars[nc++] = number_char(ctx, "dataVolume", "number", p->data_gb, "GB");
	if (p->minutes)
		chars[nc++] = number_char(ctx, "voiceMinutes", "integer", p->minutes, "min");
	if (p->mbps)
		chars[nc++] = number_char(ctx, "speed", "integer", p->mbps, "Mbps");
	spec.characteristic = (struct json_array){chars, nc};
	spec.lifecycle_status = strcmp(p->status, "inDesign") == 0 ? "inDesign" : "active";
	if ((rc = made(f, &product_specification_res, &spec, &spec_out, p->name)))
		return rc;
	f->n->specifications++;
	if ((rc = monthly_fee(f, p->name, p->fee,
			      strcmp(p->status, "inDesign") == 0 ? "inDesign" : "active", &fee)))
		return rc;
	prices[np++].id = fee;
	for (; shared && *shared && np < 4; shared++)
		prices[np++].id = *shared;
	*fee_id = fee;
	cat[0].id = category_of(f, p->category);
	chan[0].id = "counter";
	chan[1].id = "callCentre";
	chan[2].id = "app";
	in.spec.id = spec_out.row.id;
	in.price = (struct json_array){prices, np};
	in.category = (struct json_array){cat, 1};
	in.channel = (struct json_array){chan, 3};
	/* a retired plan was active once: made active, then retired (the lines on it keep it) */
	if (strcmp(p->status, "retired") == 0)
		in.lifecycle_status = "active";
	if ((rc = made(f, &product_offering_res, &in, &out, p->name)))
		return rc;
	if (strcmp(p->status, "retired") == 0) {
		cJSON *patch = json_adopt(ctx->arena, cJSON_CreateObject());

		cJSON_AddStringToObject(patch, "lifecycleStatus", "retired");
		if ((rc = res_update(ctx, &product_offering_res, out.row.id, -1, patch, &out)))
			return rc;
	}
	f->n->offerings++;
	*offering_id = out.row.id;
	return 0;
}

int demo_catalog_fill(struct crm_ctx *ctx, struct demo_catalog_counts *counts)
{
	struct filler f = {.ctx = ctx, .n = counts};
	const char *offering[sizeof(products) / sizeof(products[0])];
	const char *fees[sizeof(products) / sizeof(products[0])];
	struct catalog_ref *plan_fees = refs(ctx, sizeof(products) / sizeof(products[0]));
	size_t nplans = 0;
	struct price_tier *tiers = arena_calloc(ctx->arena, 2, sizeof(*tiers));
	const char *voice, *data, *sim, *install, *fee;
	struct catalog_ref *cats = refs(ctx, NCATEGORIES);
	struct product_catalog cat = {
		.name = "公众市场产品目录", .lifecycle_status = "active", .catalog_type = "retail"};
	struct product_catalog cat_out;
	int rc;

	memset(counts, 0, sizeof(*counts));
	for (size_t i = 0; i < NCATEGORIES; i++) {
		struct category in = {.name = categories[i].name, .lifecycle_status = "active"};
		struct category out;

		if (categories[i].parent)
			in.parent_id = category_of(&f, categories[i].parent);
		if ((rc = made(&f, &category_res, &in, &out, in.name)))
			return rc;
		f.category_id[i] = out.row.id;
		cats[i].id = out.row.id;
		counts->categories++;
	}
	/* usage beyond a plan's allowance: voice in two tiers, data by the MB; one-off fees */
	tiers[0] = (struct price_tier){0, 500, {"CNY", 0.15}};
	tiers[1] = (struct price_tier){500, 0, {"CNY", 0.10}};
	if ((rc = price(&f,
			&(struct product_offering_price){
				.name = "套餐外国内语音",
				.price_type = "usage",
				.price = {"CNY", 0.15},
				.unit_of_measure = {1, "min"},
				.tier = {tiers, 2},
			},
			&voice)) ||
	    (rc = price(&f,
			&(struct product_offering_price){
				.name = "套餐外国内流量",
				.price_type = "usage",
				.price = {"CNY", 0.03},
				.unit_of_measure = {1, "MB"},
			},
			&data)) ||
	    (rc = price(&f,
			&(struct product_offering_price){
				.name = "SIM 卡费", .price_type = "oneTime", .price = {"CNY", 10}},
			&sim)) ||
	    (rc = price(&f,
			&(struct product_offering_price){.name = "宽带安装调测费",
							 .price_type = "oneTime",
							 .price = {"CNY", 100}},
			&install)))
		return rc;
	for (size_t i = 0; i < sizeof(products) / sizeof(products[0]); i++) {
		const char *mobile[] = {voice, data, sim, NULL}, *fixed[] = {install, NULL};
		const char *const *shared = strcmp(products[i].category, "5g") == 0 ? mobile
					    : strcmp(products[i].category, "broadband") == 0 ? fixed
											     : NULL;

		if ((rc = product(&f, &products[i], shared, &offering[i], &fees[i])))
			return rc;
		if (strcmp(products[i].category, "5g") == 0 &&
		    strcmp(products[i].status, "active") == 0)
			plan_fees[nplans++].id = fees[i];
	}
	for (size_t i = 0; i < sizeof(bundles) / sizeof(bundles[0]); i++) {
		const struct demo_bundle *b = &bundles[i];
		struct catalog_ref *members = refs(ctx, 3), *prices = refs(ctx, 1),
				   *c = refs(ctx, 1);
		struct catalog_ref *chan = refs(ctx, 2);
		struct product_offering in = {.name = b->name,
					      .lifecycle_status = "active",
					      .is_bundle = true,
					      .is_sellable = true};
		struct product_offering out;
		size_t n = 0;

		members[n++].id = offering[b->mobile];
		members[n++].id = offering[b->broadband];
		if (b->iptv >= 0)
			members[n++].id = offering[b->iptv];
		if ((rc = monthly_fee(&f, b->name, b->fee, "active", &fee)))
			return rc;
		prices[0].id = fee;
		c[0].id = category_of(&f, "fusion");
		chan[0].id = "counter";
		chan[1].id = "web";
		in.bundled = (struct json_array){members, n};
		in.price = (struct json_array){prices, 1};
		in.category = (struct json_array){c, 1};
		in.channel = (struct json_array){chan, 2};
		if ((rc = made(&f, &product_offering_res, &in, &out, b->name)))
			return rc;
		counts->offerings++;
	}
	/* half off the monthly fee for a new line's first months: a discount of the 5G plans */
	if ((rc = price(&f,
			&(struct product_offering_price){
				.name = "新入网首三月月费五折",
				.price_type = "discount",
				.percentage = 50,
				.pop_relationship = {plan_fees, nplans},
			},
			&fee)))
		return rc;
	cat.category = (struct json_array){cats, NCATEGORIES};
	if ((rc = made(&f, &product_catalog_res, &cat, &cat_out, cat.name)))
		return rc;
	counts->catalogs++;
	return 0;
}
