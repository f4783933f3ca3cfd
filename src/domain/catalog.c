/* The product catalogue (TMF620) on the resource layer: the five records, their shapes and
 * their rules — the shared lifecycle, checked references, prices that add up. */
#include "domain/catalog.h"

#include <string.h>

#include "auth/auth.h"
#include "core/arena.h"
#include "core/banned.h"

const char *const catalog_channels[] = {"counter", "callCentre", "web", "app", "agent", NULL};

static const char *const statuses[] = {"inDesign", "active", "retired", NULL};
static const char *const initial[] = {"inDesign", "active", NULL};
static const char *const moves[][2] = {
	{"inDesign", "active"}, {"inDesign", "retired"}, {"active", "retired"}, {NULL, NULL}};
/* a retired record no longer changes: it is what old subscriptions bought */
static const char *const final[] = {"retired", NULL};
static const struct res_lifecycle lifecycle = {"lifecycleStatus", statuses, initial, moves, final};

static const char *const price_types[] = {"recurring", "oneTime", "usage", "discount", NULL};
static const char *const period_types[] = {"day", "week", "month", "year", NULL};
static const char *const value_types[] = {"string", "number", "integer", "boolean", NULL};

/* ---- shapes ---- */

#define REF(member) offsetof(struct catalog_ref, member)
const struct json_desc catalog_ref_desc = {
	NULL,
	sizeof(struct catalog_ref),
	(const struct json_field[]){
		{"id", JSON_STRING, REF(id), JSON_REQUIRED, NULL, 64, NULL},
		{"href", JSON_STRING, REF(href), 0, NULL, 256, NULL},
		{"name", JSON_STRING, REF(name), 0, NULL, 200, NULL},
		{"@referredType", JSON_STRING, REF(referred_type), 0, NULL, 64, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};
#undef REF

#define MO(member) offsetof(struct money, member)
const struct json_desc money_desc = {
	NULL,
	sizeof(struct money),
	(const struct json_field[]){
		{"unit", JSON_STRING, MO(unit), JSON_REQUIRED, NULL, 3, NULL},
		{"value", JSON_NUMBER, MO(value), JSON_REQUIRED, NULL, 0, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};
#undef MO

#define QU(member) offsetof(struct quantity, member)
static const struct json_desc quantity_desc = {
	NULL,
	sizeof(struct quantity),
	(const struct json_field[]){
		{"amount", JSON_NUMBER, QU(amount), JSON_ZERO_ABSENT, NULL, 0, NULL},
		{"units", JSON_STRING, QU(units), 0, NULL, 32, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};
#undef QU

#define TI(member) offsetof(struct price_tier, member)
static const struct json_desc tier_desc = {
	NULL,
	sizeof(struct price_tier),
	(const struct json_field[]){
		{"fromQuantity", JSON_NUMBER, TI(from), 0, NULL, 0, NULL},
		{"toQuantity", JSON_NUMBER, TI(to), JSON_ZERO_ABSENT, NULL, 0, NULL},
		{"price", JSON_OBJECT, TI(price), JSON_REQUIRED, &money_desc, 0, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};
#undef TI

#define CV(member) offsetof(struct spec_char_value, member)
static const struct json_desc char_value_desc = {
	NULL,
	sizeof(struct spec_char_value),
	(const struct json_field[]){
		{"valueType", JSON_STRING, CV(value_type), 0, NULL, 0, value_types},
		{"value", JSON_ANY, CV(value), JSON_REQUIRED, NULL, 0, NULL},
		{"unitOfMeasure", JSON_STRING, CV(unit_of_measure), 0, NULL, 32, NULL},
		{"isDefault", JSON_BOOL, CV(is_default), 0, NULL, 0, NULL},
		{"validFor", JSON_OBJECT, CV(valid_for), 0, &time_period_desc, 0, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};
#undef CV

#define CH(member) offsetof(struct spec_char, member)
static const struct json_desc char_desc = {
	NULL,
	sizeof(struct spec_char),
	(const struct json_field[]){
		{"name", JSON_STRING, CH(name), JSON_REQUIRED, NULL, 100, NULL},
		{"description", JSON_STRING, CH(description), 0, NULL, 500, NULL},
		{"valueType", JSON_STRING, CH(value_type), JSON_REQUIRED, NULL, 0, value_types},
		{"configurable", JSON_BOOL, CH(configurable), 0, NULL, 0, NULL},
		{"productSpecCharacteristicValue", JSON_OBJECT_ARRAY, CH(values), 0,
		 &char_value_desc, 50, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};
#undef CH

/* The members every catalogue record has. */
#define CATALOG_FIELDS                                                                             \
	RES_FIELD("name", JSON_STRING, name,                                                       \
		  .flags = JSON_REQUIRED | RES_NOT_BLANK | RES_FILTER | RES_SORT,                  \
		  .column = "name", .max_len = 200),                                               \
		RES_FIELD("description", JSON_STRING, description, .flags = JSON_NULLABLE,         \
			  .max_len = 2000),                                                        \
		RES_FIELD("lifecycleStatus", JSON_STRING, lifecycle_status,                        \
			  .flags = RES_FILTER | RES_SORT, .column = "lifecycle_status",            \
			  .values = statuses),                                                     \
		RES_FIELD("validFor", JSON_OBJECT, valid_for, .flags = JSON_NULLABLE,              \
			  .sub = &time_period_desc)

#define RES_T struct product_catalog
static const struct res_field catalog_fields[] = {
	CATALOG_FIELDS,
	RES_FIELD("catalogType", JSON_STRING, catalog_type, .flags = JSON_NULLABLE, .max_len = 64),
	RES_FIELD("category", JSON_OBJECT_ARRAY, category, .flags = JSON_NULLABLE,
		  .sub = &catalog_ref_desc, .max_len = 100),
	{0},
};
#undef RES_T

#define RES_T struct category
static const struct res_field category_fields[] = {
	CATALOG_FIELDS,
	RES_FIELD("parentId", JSON_STRING, parent_id, .flags = JSON_NULLABLE | RES_FILTER,
		  .column = "parent_id", .max_len = 64),
	RES_FIELD("isRoot", JSON_BOOL, is_root, .flags = JSON_READONLY | RES_SIDE),
	{0},
};
#undef RES_T

#define RES_T struct product_specification
static const struct res_field spec_fields[] = {
	CATALOG_FIELDS,
	RES_FIELD("brand", JSON_STRING, brand, .flags = JSON_NULLABLE | RES_FILTER,
		  .column = "brand", .max_len = 100),
	RES_FIELD("productNumber", JSON_STRING, product_number,
		  .flags = JSON_NULLABLE | RES_FILTER | RES_SORT, .column = "product_number",
		  .max_len = 64),
	RES_FIELD("isBundle", JSON_BOOL, is_bundle, 0),
	RES_FIELD("productSpecCharacteristic", JSON_OBJECT_ARRAY, characteristic,
		  .flags = JSON_NULLABLE, .sub = &char_desc, .max_len = 50),
	{0},
};
#undef RES_T

#define RES_T struct product_offering_price
static const struct res_field price_fields[] = {
	CATALOG_FIELDS,
	RES_FIELD("priceType", JSON_STRING, price_type,
		  .flags = JSON_REQUIRED | RES_IMMUTABLE | RES_FILTER, .column = "price_type",
		  .values = price_types),
	RES_FIELD("recurringChargePeriodType", JSON_STRING, period_type, .flags = JSON_NULLABLE,
		  .values = period_types),
	RES_FIELD("recurringChargePeriodLength", JSON_INT, period_length,
		  .flags = JSON_NULLABLE | JSON_ZERO_ABSENT),
	RES_FIELD("price", JSON_OBJECT, price, .flags = JSON_NULLABLE, .sub = &money_desc),
	RES_FIELD("percentage", JSON_NUMBER, percentage, .flags = JSON_NULLABLE | JSON_ZERO_ABSENT),
	RES_FIELD("unitOfMeasure", JSON_OBJECT, unit_of_measure, .flags = JSON_NULLABLE,
		  .sub = &quantity_desc),
	RES_FIELD("tier", JSON_OBJECT_ARRAY, tier, .flags = JSON_NULLABLE, .sub = &tier_desc,
		  .max_len = 20),
	RES_FIELD("popRelationship", JSON_OBJECT_ARRAY, pop_relationship, .flags = JSON_NULLABLE,
		  .sub = &catalog_ref_desc, .max_len = 20),
	{0},
};
#undef RES_T

#define RES_T struct product_offering
static const struct res_field offering_fields[] = {
	CATALOG_FIELDS,
	RES_FIELD("isBundle", JSON_BOOL, is_bundle, .flags = RES_IMMUTABLE | RES_FILTER,
		  .column = "is_bundle"),
	RES_FIELD("isSellable", JSON_BOOL, is_sellable, .flags = RES_FILTER,
		  .column = "is_sellable"),
	RES_FIELD("productSpecification", JSON_OBJECT, spec, .flags = JSON_NULLABLE,
		  .sub = &catalog_ref_desc),
	RES_FIELD("productSpecification.id", JSON_STRING, spec_id, .flags = RES_HIDDEN | RES_FILTER,
		  .column = "spec_id"),
	RES_FIELD("productOfferingPrice", JSON_OBJECT_ARRAY, price, .flags = JSON_NULLABLE,
		  .sub = &catalog_ref_desc, .max_len = 20),
	RES_FIELD("bundledProductOffering", JSON_OBJECT_ARRAY, bundled, .flags = JSON_NULLABLE,
		  .sub = &catalog_ref_desc, .max_len = 20),
	RES_FIELD("category", JSON_OBJECT_ARRAY, category, .flags = JSON_NULLABLE,
		  .sub = &catalog_ref_desc, .max_len = 20),
	RES_FIELD("channel", JSON_OBJECT_ARRAY, channel, .flags = JSON_NULLABLE,
		  .sub = &catalog_ref_desc, .max_len = 10),
	{0},
};
#undef RES_T

/* ---- the rules every record shares ---- */

/* Whether the record is on sale (active): what it names must be too. */
static bool launched(const void *rec)
{
	const struct catalog_record *r = rec;

	return r->lifecycle_status && strcmp(r->lifecycle_status, "active") == 0;
}

/* The record of d that ref names, loaded into obj (d->size bytes): it exists and is not
 * retired, nor still in design when the record naming it (from) is active. The reference
 * gets its name and @referredType from it. */
static int ref_check(struct crm_ctx *ctx, struct db_tx *tx, const struct res_desc *d,
		     const char *field, struct catalog_ref *ref, void *obj, const void *from)
{
	const struct catalog_record *r = obj;
	int rc;

	if (!ref->id || !*ref->id)
		return crm_err_set(&ctx->err, CRM_EINVAL, field, "'%s.id' is required", field);
	rc = res_load(ctx, d, tx, ref->id, -1, obj);
	if (rc == CRM_ENOTFOUND) {
		crm_err_clear(&ctx->err);
		return crm_err_set(&ctx->err, CRM_EINVAL, field, "there is no %s '%s'", d->what,
				   ref->id);
	}
	if (rc)
		return rc;
	if (strcmp(r->lifecycle_status, "retired") == 0)
		return crm_err_set(&ctx->err, CRM_ECONFLICT, field, "%s '%s' is retired", d->what,
				   ref->id);
	if (launched(from) && strcmp(r->lifecycle_status, "inDesign") == 0)
		return crm_err_set(&ctx->err, CRM_ECONFLICT, field,
				   "%s '%s' is still in design: launch it first", d->what, ref->id);
	ref->name = r->name;
	ref->referred_type = d->type_name;
	ref->href = NULL; /* filled from the registry when rendered */
	return 0;
}

/* Each of refs, as ref_check; from is the record that names them (self: its id, which it
 * may not name, or NULL). */
static int refs_check(struct crm_ctx *ctx, struct db_tx *tx, const struct res_desc *d,
		      const char *field, struct json_array *refs, const void *from,
		      const char *self)
{
	struct catalog_ref *r = refs->items;
	void *obj = arena_alloc(ctx->arena, d->size);
	int rc;

	for (size_t i = 0; i < refs->count; i++) {
		const char *f = arena_printf(ctx->arena, "%s[%zu]", field, i);

		if (self && r[i].id && strcmp(r[i].id, self) == 0)
			return crm_err_set(&ctx->err, CRM_EINVAL, f, "a %s cannot name itself",
					   d->what);
		if ((rc = ref_check(ctx, tx, d, f, &r[i], obj, from)))
			return rc;
	}
	return 0;
}

/* The record's links (catalog_link) after a write: first (NULL: none) and the ids of the
 * reference lists (NULL: none), or none at all when the record is gone (after NULL). */
static int links_put(struct crm_ctx *ctx, struct db_tx *tx, const void *before, const void *after,
		     const char *first, const struct json_array *const *lists, size_t nlists)
{
	const struct catalog_record *rec = after ? after : before;
	const char **ids = NULL;

	if (after) {
		size_t n = 0, cap = 2;

		for (size_t i = 0; i < nlists; i++)
			cap += lists[i]->count;
		ids = arena_calloc(ctx->arena, cap, sizeof(*ids));
		if (first)
			ids[n++] = first;
		for (size_t i = 0; i < nlists; i++)
			for (size_t k = 0; k < lists[i]->count; k++)
				ids[n++] = ((const struct catalog_ref *)lists[i]->items)[k].id;
	}
	return db_catalog_links_put(tx, rec->row.id, ids, &ctx->err);
}

/* Only a record in design is deleted, and only when no other record names it. */
static int removing(struct crm_ctx *ctx, struct db_tx *tx, const struct res_desc *d,
		    const void *obj)
{
	const struct catalog_record *r = obj;
	const char *id = r->row.id, *status = r->lifecycle_status, *from;
	int64_t n;
	int rc;

	if (strcmp(status, "inDesign") != 0)
		return crm_err_set(&ctx->err, CRM_ECONFLICT, "lifecycleStatus",
				   "only a %s in design is deleted; retire it instead", d->what);
	if ((rc = db_catalog_linked_from(tx, id, ctx->arena, &from, &n, &ctx->err)))
		return rc;
	if (n == 1)
		return crm_err_set(&ctx->err, CRM_ECONFLICT, "id",
				   "%s '%s' is named by catalogue record '%s'", d->what, id, from);
	if (n > 1)
		return crm_err_set(&ctx->err, CRM_ECONFLICT, "id",
				   "%s '%s' is named by %lld other catalogue records ('%s' among "
				   "them)",
				   d->what, id, (long long)n, from);
	return 0;
}

/* ---- catalogues ---- */

static int catalog_check(struct crm_ctx *ctx, struct db_tx *tx, void *obj, struct res_change *ch)
{
	struct product_catalog *c = obj;

	(void)ch;
	return refs_check(ctx, tx, &category_res, "category", &c->category, c, NULL);
}

static int catalog_side(struct crm_ctx *ctx, struct db_tx *tx, const void *before,
			const void *after)
{
	const struct product_catalog *a = after;

	if (!a)
		return links_put(ctx, tx, before, NULL, NULL, NULL, 0);
	return links_put(ctx, tx, before, after, NULL, (const struct json_array *[]){&a->category},
			 1);
}

static int catalog_removing(struct crm_ctx *ctx, struct db_tx *tx, const void *obj)
{
	return removing(ctx, tx, &product_catalog_res, obj);
}

/* ---- categories ---- */

#define CATEGORY_DEPTH_MAX 16

static void category_loaded(struct crm_ctx *ctx, void *obj)
{
	struct category *c = obj;

	(void)ctx;
	c->is_root = !c->parent_id;
}

/* The parent exists and is not retired, and the category is not among its ancestors. */
static int category_check(struct crm_ctx *ctx, struct db_tx *tx, void *obj, struct res_change *ch)
{
	const struct category *before = ch->before;
	struct category *c = obj;
	struct category up;
	struct catalog_ref ref = {.id = c->parent_id};
	int rc;

	category_loaded(ctx, c); /* the answer to the write shows it too */
	if (!c->parent_id)
		return 0;
	if (c->row.id && strcmp(c->parent_id, c->row.id) == 0)
		return crm_err_set(&ctx->err, CRM_EINVAL, "parentId",
				   "category '%s' cannot sit under itself", c->row.id);
	if ((rc = ref_check(ctx, tx, &category_res, "parentId", &ref, &up, c)))
		return rc;
	for (int depth = 0; up.parent_id; depth++) {
		if (depth == CATEGORY_DEPTH_MAX)
			return crm_err_set(&ctx->err, CRM_EINVAL, "parentId",
					   "categories nest at most %d deep", CATEGORY_DEPTH_MAX);
		if (before && strcmp(up.parent_id, c->row.id) == 0)
			return crm_err_set(&ctx->err, CRM_EINVAL, "parentId",
					   "category '%s' cannot sit under itself", c->row.id);
		if ((rc = res_load(ctx, &category_res, tx, up.parent_id, -1, &up)))
			return rc;
	}
	return 0;
}

static int category_side(struct crm_ctx *ctx, struct db_tx *tx, const void *before,
			 const void *after)
{
	const struct category *a = after;

	return links_put(ctx, tx, before, after, a ? a->parent_id : NULL, NULL, 0);
}

static int category_removing(struct crm_ctx *ctx, struct db_tx *tx, const void *obj)
{
	return removing(ctx, tx, &category_res, obj);
}

/* ---- product specifications ---- */

static bool value_is(const cJSON *v, const char *type)
{
	if (strcmp(type, "string") == 0)
		return cJSON_IsString(v);
	if (strcmp(type, "boolean") == 0)
		return cJSON_IsBool(v);
	if (!cJSON_IsNumber(v))
		return false;
	return strcmp(type, "number") == 0 || v->valuedouble == (double)(int64_t)v->valuedouble;
}

/* Characteristics have distinct names, values of their type, one default at most. */
static int spec_check(struct crm_ctx *ctx, struct db_tx *tx, void *obj, struct res_change *ch)
{
	struct product_specification *s = obj;
	const struct spec_char *c = s->characteristic.items;

	(void)tx;
	(void)ch;
	for (size_t i = 0; i < s->characteristic.count; i++) {
		const struct spec_char_value *v = c[i].values.items;
		const char *field = arena_printf(ctx->arena, "productSpecCharacteristic[%zu]", i);
		int defaults = 0;

		for (size_t k = 0; k < i; k++)
			if (strcmp(c[k].name, c[i].name) == 0)
				return crm_err_set(&ctx->err, CRM_EINVAL, field,
						   "characteristic '%s' is named twice", c[i].name);
		for (size_t k = 0; k < c[i].values.count; k++) {
			if (!value_is(v[k].value, c[i].value_type))
				return crm_err_set(&ctx->err, CRM_EINVAL, field,
						   "value %zu of characteristic '%s' is not of "
						   "type '%s'",
						   k, c[i].name, c[i].value_type);
			defaults += v[k].is_default;
		}
		if (defaults > 1)
			return crm_err_set(&ctx->err, CRM_EINVAL, field,
					   "characteristic '%s' has more than one default value",
					   c[i].name);
	}
	return 0;
}

static int spec_removing(struct crm_ctx *ctx, struct db_tx *tx, const void *obj)
{
	return removing(ctx, tx, &product_specification_res, obj);
}

/* ---- prices ---- */

static int money_check(struct crm_ctx *ctx, const char *field, const struct money *m)
{
	if (m->value < 0)
		return crm_err_set(&ctx->err, CRM_EINVAL, field, "'%s' must not be negative",
				   field);
	return 0;
}

/* A usage rate's tiers follow each other without overlapping. */
static int tiers_check(struct crm_ctx *ctx, struct product_offering_price *p)
{
	struct price_tier *t = p->tier.items;
	int rc;

	for (size_t i = 0; i < p->tier.count; i++) {
		const char *field = arena_printf(ctx->arena, "tier[%zu]", i);

		if (t[i].from < 0 || (t[i].to != 0 && t[i].to <= t[i].from))
			return crm_err_set(&ctx->err, CRM_EINVAL, field,
					   "tier %zu must end after it starts, from 0 or more", i);
		if (i > 0 && (t[i - 1].to == 0 || t[i].from < t[i - 1].to))
			return crm_err_set(&ctx->err, CRM_EINVAL, field,
					   "tier %zu starts before tier %zu ends", i, i - 1);
		if ((rc = money_check(ctx, arena_printf(ctx->arena, "tier[%zu].price.value", i),
				      &t[i].price)))
			return rc;
	}
	return 0;
}

/* A price given: its unit is required with it. */
static bool has_price(const struct product_offering_price *p)
{
	return p->price.unit != NULL;
}

static int price_check(struct crm_ctx *ctx, struct db_tx *tx, void *obj, struct res_change *ch)
{
	struct product_offering_price *p = obj;
	bool discount = strcmp(p->price_type, "discount") == 0;
	int rc;

	(void)ch;
	if (!discount && !has_price(p))
		return crm_err_set(&ctx->err, CRM_EINVAL, "price", "'%s' is required", "price");
	if ((rc = money_check(ctx, "price.value", &p->price)))
		return rc;
	if (strcmp(p->price_type, "recurring") == 0) {
		if (!p->period_type)
			return crm_err_set(&ctx->err, CRM_EINVAL, "recurringChargePeriodType",
					   "a recurring price needs 'recurringChargePeriodType'");
		if (!p->period_length)
			p->period_length = 1;
		if (p->period_length < 1 || p->period_length > 120)
			return crm_err_set(&ctx->err, CRM_EINVAL, "recurringChargePeriodLength",
					   "'recurringChargePeriodLength' must be from 1 to 120");
	} else if (p->period_type || p->period_length) {
		return crm_err_set(&ctx->err, CRM_EINVAL, "recurringChargePeriodType",
				   "only a recurring price has a charge period");
	}
	if (strcmp(p->price_type, "usage") == 0) {
		if (!p->unit_of_measure.units)
			return crm_err_set(&ctx->err, CRM_EINVAL, "unitOfMeasure",
					   "a usage price needs 'unitOfMeasure.units'");
		if (p->unit_of_measure.amount == 0)
			p->unit_of_measure.amount = 1;
		if (p->unit_of_measure.amount < 0)
			return crm_err_set(&ctx->err, CRM_EINVAL, "unitOfMeasure.amount",
					   "'%s' must not be negative", "unitOfMeasure.amount");
	} else if (p->tier.count) {
		return crm_err_set(&ctx->err, CRM_EINVAL, "tier", "only a usage price has tiers");
	}
	if ((rc = tiers_check(ctx, p)))
		return rc;
	if (!discount) {
		if (p->percentage != 0 || p->pop_relationship.count)
			return crm_err_set(
				&ctx->err, CRM_EINVAL,
				p->percentage != 0 ? "percentage" : "popRelationship",
				"only a discount has 'percentage' and 'popRelationship'");
		return 0;
	}
	if (p->percentage == 0 && !has_price(p))
		return crm_err_set(&ctx->err, CRM_EINVAL, "percentage",
				   "a discount needs 'percentage' or 'price'");
	if (p->percentage < 0 || p->percentage > 100)
		return crm_err_set(&ctx->err, CRM_EINVAL, "percentage",
				   "'percentage' must be more than 0 and at most 100");
	if ((rc = refs_check(ctx, tx, &product_offering_price_res, "popRelationship",
			     &p->pop_relationship, p, p->row.id)))
		return rc;
	return 0;
}

static int price_side(struct crm_ctx *ctx, struct db_tx *tx, const void *before, const void *after)
{
	const struct product_offering_price *a = after;

	if (!a)
		return links_put(ctx, tx, before, NULL, NULL, NULL, 0);
	return links_put(ctx, tx, before, after, NULL,
			 (const struct json_array *[]){&a->pop_relationship}, 1);
}

static int price_removing(struct crm_ctx *ctx, struct db_tx *tx, const void *obj)
{
	return removing(ctx, tx, &product_offering_price_res, obj);
}

/* ---- offerings ---- */

static int offering_check(struct crm_ctx *ctx, struct db_tx *tx, void *obj, struct res_change *ch)
{
	const struct json_desc *j = res_json(&product_offering_res);
	const struct product_offering *before = ch->before;
	struct product_offering *o = obj;
	const struct catalog_ref *chan = o->channel.items;
	int rc;

	if (!before && !json_present(j, ch->in, "isSellable"))
		o->is_sellable = true;
	if (o->is_bundle && o->bundled.count < 2)
		return crm_err_set(&ctx->err, CRM_EINVAL, "bundledProductOffering",
				   "a bundle holds at least two offerings in "
				   "'bundledProductOffering'");
	if (!o->is_bundle && o->bundled.count)
		return crm_err_set(&ctx->err, CRM_EINVAL, "bundledProductOffering",
				   "only a bundle ('isBundle': true) holds other offerings");
	for (size_t i = 0; i < o->channel.count; i++) {
		size_t k = 0;

		while (catalog_channels[k] && strcmp(catalog_channels[k], chan[i].id) != 0)
			k++;
		if (!catalog_channels[k])
			return crm_err_set(
				&ctx->err, CRM_EINVAL, arena_printf(ctx->arena, "channel[%zu]", i),
				"'%s' is not a channel: counter, callCentre, web, app or "
				"agent",
				chan[i].id);
	}
	o->spec_id = o->spec.id;
	if (o->spec.id) {
		struct product_specification s;

		if ((rc = ref_check(ctx, tx, &product_specification_res, "productSpecification",
				    &o->spec, &s, o)))
			return rc;
	}
	if ((rc = refs_check(ctx, tx, &product_offering_price_res, "productOfferingPrice",
			     &o->price, o, NULL)) ||
	    (rc = refs_check(ctx, tx, &product_offering_res, "bundledProductOffering", &o->bundled,
			     o, o->row.id)) ||
	    (rc = refs_check(ctx, tx, &category_res, "category", &o->category, o, NULL)))
		return rc;
	return 0;
}

static int offering_side(struct crm_ctx *ctx, struct db_tx *tx, const void *before,
			 const void *after)
{
	const struct product_offering *a = after;

	if (!a)
		return links_put(ctx, tx, before, NULL, NULL, NULL, 0);
	return links_put(ctx, tx, before, after, a->spec.id,
			 (const struct json_array *[]){&a->price, &a->bundled, &a->category}, 3);
}

static int offering_removing(struct crm_ctx *ctx, struct db_tx *tx, const void *obj)
{
	return removing(ctx, tx, &product_offering_res, obj);
}

/* ---- the descriptors ---- */

RES_STORAGE(product_catalog);
RES_STORAGE(category);
RES_STORAGE(product_specification);
RES_STORAGE(product_offering_price);
RES_STORAGE(product_offering);

#define CATALOG_DESC(ident, api_name, label, type, table_name, event)                              \
	.name = api_name, .what = label, .type_name = type,                                        \
	.path = "/tmf-api/productCatalogManagement/v4/" api_name,                                  \
	.event_api = "productCatalogManagement", .event_field = event, .table = table_name,        \
	.scope = DB_SCOPE_NONE, .soft_delete = true, .size = sizeof(struct ident), .perm_read = 0, \
	.perm_write = PERM_CATALOG_MANAGE, .lifecycle = &lifecycle, .built = &ident##__built

const struct res_desc product_catalog_res = {
	CATALOG_DESC(product_catalog, "catalog", "catalogue", "Catalog", "product_catalog",
		     "catalog"),
	.fields = catalog_fields,
	.check = catalog_check,
	.side = catalog_side,
	.removing = catalog_removing,
};

const struct res_desc category_res = {
	CATALOG_DESC(category, "category", "category", "Category", "category", "category"),
	.fields = category_fields,
	.check = category_check,
	.side = category_side,
	.removing = category_removing,
	.loaded = category_loaded,
};

const struct res_desc product_specification_res = {
	CATALOG_DESC(product_specification, "productSpecification", "product specification",
		     "ProductSpecification", "product_specification", "productSpecification"),
	.fields = spec_fields,
	.check = spec_check,
	.removing = spec_removing,
};

const struct res_desc product_offering_price_res = {
	CATALOG_DESC(product_offering_price, "productOfferingPrice", "price",
		     "ProductOfferingPrice", "product_offering_price", "productOfferingPrice"),
	.fields = price_fields,
	.check = price_check,
	.side = price_side,
	.removing = price_removing,
};

const struct res_desc product_offering_res = {
	CATALOG_DESC(product_offering, "productOffering", "product offering", "ProductOffering",
		     "product_offering", "productOffering"),
	.fields = offering_fields,
	.check = offering_check,
	.side = offering_side,
	.removing = offering_removing,
};
