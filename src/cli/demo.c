/*
 * telcrm demo: fills a database with a demo operator — the organisation (HQ, six
 * provinces, their cities, and halls in each city), one staff account per role at a
 * typical place in it, and in every hall a few individual customers and in every city an
 * enterprise customer, with valid (generated) id numbers, credit codes and phones; the
 * enterprises of Guangzhou are owned by its key account manager; and the product
 * catalogue (demo_catalog.c). Deterministic;
 * safe to run twice (a database that already has provinces is left as it is).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/demo_catalog.h"
#include "cli/demo_lines.h"
#include "cli/demo_people.h"
#include "core/arena.h"
#include "auth/auth.h"
#include "core/ctx.h"
#include "core/ident.h"
#include "core/json.h"
#include "core/time.h"
#include "domain/bulk.h"
#include "domain/change.h"
#include "domain/customer_load.h"
#include "domain/org.h"
#include "domain/user.h"
#include "domain/party.h"
#include "store/db.h"
#include "core/banned.h"

struct demo_org_city {
	const char *code, *name;
};

struct demo_province {
	const char *code, *name;
	const char *region; /* a district code for generated id numbers */
	struct demo_org_city cities[6];
};

static const struct demo_province provinces[] = {
	{"GD",
	 "广东省",
	 "440106",
	 {{"GD-GZ", "广州市"},
	  {"GD-SZ", "深圳市"},
	  {"GD-FS", "佛山市"},
	  {"GD-DG", "东莞市"},
	  {"GD-ZH", "珠海市"}}},
	{"BJ", "北京市", "110105", {{"BJ-CY", "朝阳区"}, {"BJ-HD", "海淀区"}, {"BJ-DC", "东城区"}}},
	{"SH",
	 "上海市",
	 "310115",
	 {{"SH-PD", "浦东新区"}, {"SH-XH", "徐汇区"}, {"SH-MH", "闵行区"}}},
	{"ZJ",
	 "浙江省",
	 "330106",
	 {{"ZJ-HZ", "杭州市"}, {"ZJ-NB", "宁波市"}, {"ZJ-WZ", "温州市"}, {"ZJ-SX", "绍兴市"}}},
	{"JS",
	 "江苏省",
	 "320102",
	 {{"JS-NJ", "南京市"}, {"JS-SZ", "苏州市"}, {"JS-WX", "无锡市"}, {"JS-CZ", "常州市"}}},
	{"SC", "四川省", "510104", {{"SC-CD", "成都市"}, {"SC-MY", "绵阳市"}, {"SC-DY", "德阳市"}}},
};

#define HALLS_PER_CITY 2
#define DEMO_BATCH     100000 /* customers per transaction */

/* The password of every demo account (printed by scripts/start; change it for real use). */
#define DEMO_PASSWORD "Demo-pass-2026"

static const struct demo_user {
	const char *login, *name, *role, *org;
} users[] = {
	{"admin", "系统管理员", "admin", "HQ"},
	{"hq.analyst", "总部分析师 陈静", "analyst", "HQ"},
	{"hq.marketing", "总部市场部 周婷", "marketing", "HQ"},
	{"hq.product", "总部产品经理 孙悦", "product_manager", "HQ"},
	{"gd.manager", "广东省经理 黄伟", "manager", "GD"},
	{"gz.account", "广州客户经理 林海", "account_manager", "GD-GZ"},
	{"gz.key", "广州政企客户经理 赵磊", "key_account", "GD-GZ"},
	{"gz.agent", "广州话务员 何丽", "agent", "GD-GZ"},
	{"gz.clerk", "广州营业员 王芳", "clerk", "GD-GZ-H01"},
	{"gz.service", "广州客服 郑强", "service", "GD-GZ"},
	{"gz.sales", "广州销售 吴敏", "sales", "GD-GZ"},
	{"bj.clerk", "北京营业员 李娜", "clerk", "BJ-CY-H01"},
};

static int add_unit(struct crm_ctx *ctx, const char *code, const char *name, const char *kind,
		    const char *parent)
{
	struct org_unit in = {.row.id = code, .name = name, .kind = kind, .parent_id = parent};
	struct org_unit out;
	int rc = res_create_obj(ctx, &org_unit_res, &in, &out);

	if (rc)
		fprintf(stderr, "telcrm: demo: %s\n", ctx->err.message);
	return rc;
}

static int fill_org(struct crm_ctx *ctx, int *out_units)
{
	cJSON *hq = json_adopt(ctx->arena, cJSON_CreateObject());
	char code[32], name[64];
	struct org_unit root;
	int rc;

	*out_units = 0;
	/* the root, which every database has, under the name the operator's staff use */
	cJSON_AddStringToObject(hq, "name", "总部");
	if ((rc = res_update(ctx, &org_unit_res, "HQ", -1, hq, &root))) {
		fprintf(stderr, "telcrm: demo: HQ: %s\n", ctx->err.message);
		return rc;
	}
	for (size_t p = 0; p < sizeof(provinces) / sizeof(provinces[0]); p++) {
		const struct demo_province *pv = &provinces[p];

		if ((rc = add_unit(ctx, pv->code, pv->name, "province", "HQ")))
			return rc;
		++*out_units;
		for (const struct demo_org_city *c = pv->cities; c->code; c++) {
			if ((rc = add_unit(ctx, c->code, c->name, "city", pv->code)))
				return rc;
			++*out_units;
			for (int h = 1; h <= HALLS_PER_CITY; h++) {
				snprintf(code, sizeof(code), "%s-H%02d", c->code, h);
				snprintf(name, sizeof(name), "%s第%d营业厅", c->name, h);
				if ((rc = add_unit(ctx, code, name, "hall", c->code)))
					return rc;
				++*out_units;
			}
		}
	}
	return 0;
}

/* The key account manager who looks after the enterprise customers of their city (their
 * unit): set by fill_users. */
struct key_account {
	const char *city;
	char user_id[ID_LEN + 1];
};

static int fill_users(struct crm_ctx *ctx, struct key_account *key)
{
	for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		struct user in = {
			.row.org_id = users[i].org,
			.login = users[i].login,
			.display_name = users[i].name,
			.roles = {(const char *[]){users[i].role}, 1},
			.password = DEMO_PASSWORD,
		};
		struct user out;
		int rc = res_create_obj(ctx, &user_res, &in, &out);

		if (rc) {
			fprintf(stderr, "telcrm: demo: user '%s': %s\n", users[i].login,
				ctx->err.message);
			return rc;
		}
		if (strcmp(users[i].role, "key_account") == 0) {
			key->city = users[i].org;
			snprintf(key->user_id, sizeof(key->user_id), "%s", out.row.id);
		}
	}
	return 0;
}

static int demo_fail(struct crm_ctx *ctx, const char *what, int rc)
{
	fprintf(stderr, "telcrm: demo: %s: %s\n", what, ctx->err.message);
	return rc;
}

/* How many people live in each demo city, roughly (same order as demo_cities). */
static const int city_weight[] = {15, 15, 8, 9, 2, 4,  4, 2, 6,	 3, 3,
				  10, 7,  8, 4, 8, 10, 5, 4, 16, 4, 3};

static const struct demo_city *pick_city(struct demo_rng *r)
{
	int total = 0, x;

	for (int i = 0; i < demo_city_count; i++)
		total += city_weight[i];
	x = (int)demo_rng_below(r, (uint32_t)total);
	for (int i = 0; i < demo_city_count; i++)
		if ((x -= city_weight[i]) < 0)
			return &demo_cities[i];
	return &demo_cities[0];
}

/* One of the listed values, with the given percentages. */
static const char *pick(struct demo_rng *r, const char *const *values, const int *percent)
{
	int x = (int)demo_rng_below(r, 100);

	for (int i = 0; values[i + 1]; i++)
		if ((x -= percent[i]) < 0)
			return values[i];
	for (int i = 0;; i++)
		if (!values[i + 1])
			return values[i];
}

static const char *const ranks[] = {"diamond", "platinum", "gold", "silver", "standard", NULL};
static const int rank_pct[] = {2, 5, 15, 30};
static const char *const segments[] = {"mass", "youth", "family", "senior", "business", NULL};
static const int segment_pct[] = {45, 18, 20, 12};
static const char *const churn_reasons[] = {"price",	  "coverage",	"service",
					    "relocation", "ported out", NULL};
static const int churn_pct[] = {35, 20, 15, 15};
static const char *const operators[] = {"China Mobile", "China Unicom", "China Telecom", NULL};
static const int operator_pct[] = {45, 30};

/* What the generator carries from one customer to the next. */
struct demo_state {
	struct demo_rng rng;
	struct demo_ids *ids;
	int today_y;
	int64_t next_no; /* customer numbers are handed out in order: C000000000001, ... */
	struct bulk *bulk;
	/* the writer thread's */
	int64_t made;	 /* customers made in the current batch */
	int64_t written; /* customers written, and of how many */
	int64_t total;
	int64_t last_no; /* the last customer written */
	bool tty;
	const struct key_account *key;
};

/* A customer and its party, prepared, on the way to the writer. */
struct demo_item {
	struct customer_import_rows rows;
	int64_t no;
};

static const char *customer_no(struct crm_ctx *ctx, struct demo_state *st)
{
	return arena_printf(ctx->arena, "C%012lld", (long long)++st->next_no);
}

/* Where an active customer's life has taken them: most are still active; some were
 * suspended, and some left, a share of those for another operator. */
static void live_a_little(struct demo_rng *r, struct customer *c)
{
	int x = (int)demo_rng_below(r, 100);

	if (x < 88)
		return;
	c->status = "suspended";
	c->status_reason = "arrears";
	if (x >= 93) {
		c->status = "inactive";
		c->status_reason = pick(r, churn_reasons, churn_pct);
		c->churn.date_ms = time_now_ms() - (int64_t)demo_rng_below(r, 700) * 86400000;
		c->churn.reason = c->status_reason;
		if (strcmp(c->status_reason, "ported out") == 0)
			c->churn.ported_to = pick(r, operators, operator_pct);
	}
}

/* Prepares the party and its customer into it (from bulk_next) and hands them to the
 * writer; party_id, when not NULL, gets the party's id (in the record's arena). */
static int add(struct crm_ctx *ctx, struct demo_state *st, struct demo_item *it, const char *kind,
	       struct party *p, struct customer *c, const char **party_id)
{
	int rc;

	if ((rc = customer_import_prepare(ctx, kind, p, c, &it->rows)))
		return demo_fail(ctx, kind, rc);
	it->no = st->next_no;
	if (party_id)
		*party_id = it->rows.party.row.id;
	return bulk_push(st->bulk);
}

/* Writer thread: the keys of the next n customers, looked up at once. */
static int look_ahead(void *job, struct crm_ctx *ctx, void *items, size_t n)
{
	struct demo_item *it = items;
	struct customer_import_rows **rows = arena_calloc(ctx->arena, n, sizeof(*rows));
	int rc;

	for (size_t i = 0; i < n; i++)
		rows[i] = &it[i].rows;
	if ((rc = customer_import_look_up(ctx, rows, n)))
		return demo_fail(ctx, "customer", rc);
	(void)job;
	return 0;
}

/* Writer thread: one prepared customer. */
static int write_customer(void *job, struct crm_ctx *ctx, void *item)
{
	struct demo_state *st = job;
	struct demo_item *it = item;
	struct customer_import_result res;
	int rc;

	db_tx_bulk_mark(ctx->batch, it->no);
	if ((rc = customer_import_write(ctx, &it->rows, &res)))
		return demo_fail(ctx, "customer", rc);
	if (!res.created) /* not for a fresh database: the demo numbers its customers */
		return crm_err_set(&ctx->err, CRM_ECONFLICT, "customerNo",
				   "customer number '%s' is taken", it->rows.customer_no),
		       demo_fail(ctx, "customer", CRM_ECONFLICT);
	st->made++;
	st->written++;
	st->last_no = it->no;
	return 0;
}

/* One person as a party and a customer of a hall in their city; employer, when not NULL,
 * is the enterprise they work for. */
static int add_person(struct crm_ctx *ctx, struct demo_state *st, const struct party *employer,
		      const struct demo_city *city)
{
	struct demo_item *it = bulk_next(st->bulk); /* first: ctx->arena is the record's now */
	struct demo_rng *r = &st->rng;
	/* in the record's arena: the writer thread reads them when it writes the record */
	struct contact_medium *cm = arena_calloc(ctx->arena, 3, sizeof(*cm));
	struct identification *id = arena_calloc(ctx->arena, 1, sizeof(*id));
	struct party_ref *work = arena_calloc(ctx->arena, 1, sizeof(*work));
	struct demo_person *dp = arena_calloc(ctx->arena, 1, sizeof(*dp));
	struct party in = {0};
	struct customer c = {0};
	const char *hall;
	size_t ncm = 0;

	demo_person_make(r, st->ids, city, st->today_y, dp);
	hall = arena_printf(ctx->arena, "%s-H%02u", city->org_code,
			    1 + demo_rng_below(r, HALLS_PER_CITY));
	in.given_name = dp->given_name;
	in.family_name = dp->family_name;
	in.full_name = dp->full_name;
	in.gender = dp->sex == 1 ? "male" : "female";
	in.nationality = dp->nationality;
	in.birth_ms = ((int64_t)time_days_from_civil(dp->birth_year, (unsigned)dp->birth_month,
						     (unsigned)dp->birth_day)) *
		      86400000;
	*id = (struct identification){.type = dp->id_type, .number = dp->id_number};
	in.identification = (struct json_array){id, 1};
	cm[ncm].medium_type = "mobile";
	cm[ncm].preferred = true;
	cm[ncm++].characteristic.phone_number = dp->mobile;
	if (dp->email[0]) {
		cm[ncm].medium_type = "email";
		cm[ncm++].characteristic.email_address = dp->email;
	}
	cm[ncm].medium_type = "postalAddress";
	cm[ncm].characteristic.state_or_province = city->province;
	cm[ncm].characteristic.city = city->city;
	cm[ncm].characteristic.district = dp->district->name;
	cm[ncm++].characteristic.street1 = dp->street;
	in.contact_medium = (struct json_array){cm, ncm};
	if (employer) {
		*work = (struct party_ref){.id = employer->row.id,
					   .name = employer->name,
					   .role = "employer",
					   .referred_type = "Organization"};
		in.related_party = (struct json_array){work, 1};
	}
	in.row.org_id = hall;
	c.customer_no = customer_no(ctx, st);
	c.row.org_id = hall;
	c.segment = employer ? "business" : pick(r, segments, segment_pct);
	c.rank = pick(r, ranks, rank_pct);
	c.status = demo_rng_below(r, 100) < 6 ? "prospective" : "active";
	if (demo_rng_below(r, 1000) < 4) {
		c.blacklisted = true;
		c.blacklist_reason = "fraudulent subscription with a stolen ID card";
	}
	if (strcmp(c.status, "active") == 0)
		live_a_little(r, &c);
	return add(ctx, st, it, "individual", &in, &c, NULL);
}

/* An enterprise customer of its city, with its employees' customers; *made gets how
 * many customers that is. */
static int add_enterprise(struct crm_ctx *ctx, struct demo_state *st, int64_t room, int64_t *made)
{
	struct demo_item *it = bulk_next(st->bulk); /* first: ctx->arena is the record's now */
	struct demo_rng *r = &st->rng;
	const struct demo_city *city = pick_city(r);
	/* in the record's arena: the writer thread reads them when it writes the record */
	struct contact_medium *cm = arena_calloc(ctx->arena, 2, sizeof(*cm));
	struct identification *id = arena_calloc(ctx->arena, 1, sizeof(*id));
	struct demo_company *dc = arena_calloc(ctx->arena, 1, sizeof(*dc));
	struct party in = {0}, employer = {0};
	struct customer c = {0};
	int64_t staff = 3 + demo_rng_below(r, 10);
	char employer_id[ID_LEN + 1], employer_name[sizeof(dc->name)];
	const char *id_made;
	int rc;

	demo_company_make(r, city, dc);
	in.name = dc->name;
	in.trading_name = dc->trading_name;
	in.organization_type = "company";
	*id = (struct identification){.type = "unifiedSocialCreditCode", .number = dc->credit_code};
	in.identification = (struct json_array){id, 1};
	cm[0].medium_type = "phone";
	cm[0].preferred = true;
	cm[0].characteristic.phone_number = dc->phone;
	cm[1].medium_type = "postalAddress";
	cm[1].characteristic.state_or_province = city->province;
	cm[1].characteristic.city = city->city;
	cm[1].characteristic.district = dc->district->name;
	cm[1].characteristic.street1 = dc->street;
	in.contact_medium = (struct json_array){cm, 2};
	in.row.org_id = city->org_code;
	c.customer_no = customer_no(ctx, st);
	c.row.org_id = city->org_code;
	c.segment = "enterprise";
	if (st->key && st->key->city && strcmp(city->org_code, st->key->city) == 0)
		c.row.owner_id = st->key->user_id;
	c.rank = staff > 10 ? "diamond" : staff > 6 ? "platinum" : "gold";
	c.status = "active";
	c.big_customer_potential = demo_rng_below(r, 4) == 0;
	if ((rc = add(ctx, st, it, "organization", &in, &c, &id_made)))
		return rc;
	/* kept here: the record's arena goes with it to the writer */
	snprintf(employer_id, sizeof(employer_id), "%s", id_made);
	snprintf(employer_name, sizeof(employer_name), "%s", dc->name);
	employer.row.id = employer_id;
	employer.name = employer_name;
	*made = 1;
	for (int64_t i = 0; i < staff && *made < room; i++, ++*made)
		if ((rc = add_person(ctx, st, &employer, city)))
			return rc;
	return 0;
}

/* Writer thread, the batch's last statement: its audit row, how many customers the demo
 * made in it. */
static int audit_batch(void *job, struct crm_ctx *ctx)
{
	struct demo_state *st = job;
	cJSON *detail = json_adopt(ctx->arena, cJSON_CreateObject());

	cJSON_AddNumberToObject(detail, "created", (double)st->made);
	cJSON_AddNumberToObject(detail, "lastCustomerNo", (double)st->last_no);
	st->made = 0;
	return change_record(ctx, ctx->batch,
			     &(struct change){
				     .action = "demo",
				     .resource = "customer",
				     .after = detail,
			     });
}

/* Writer thread, after each commit. */
static void batch_committed(void *job)
{
	struct demo_state *st = job;
	char detail[64];

	if (!st->tty)
		return;
	snprintf(detail, sizeof(detail), "%lld/%lld", (long long)st->written, (long long)st->total);
	cli_progress("customers", (double)st->written / (double)st->total, detail,
		     st->written == st->total);
}

/* total customers, deterministic for seed: one draw in a hundred an enterprise with its
 * employees (some 8% of customers), the rest individuals; made on this thread and written
 * on another (domain/bulk.h), DEMO_BATCH customers per transaction. */
static int fill_customers(struct crm_ctx *ctx, int64_t total, uint64_t seed,
			  const struct key_account *key)
{
	struct demo_state st = {.total = total, .tty = isatty(STDERR_FILENO), .key = key};
	const struct bulk_job job = {
		.item_size = sizeof(struct demo_item),
		.batch = DEMO_BATCH,
		.write = write_customer,
		.look_ahead = look_ahead,
		.batch_end = audit_batch,
		.committed = batch_committed,
		.job = &st,
	};
	int64_t done = 0;
	unsigned today_m, today_d;
	int rc, brc;

	time_civil_from_days(time_now_ms() / 86400000, &st.today_y, &today_m, &today_d);
	demo_rng_seed(&st.rng, seed);
	if ((rc = bulk_start(ctx, &job, &st.bulk)))
		return demo_fail(ctx, "customers", rc);
	st.ids = demo_ids_new(st.today_y);
	while (!rc && done < total) {
		int64_t made = 1;

		if (demo_rng_below(&st.rng, 100) < 1)
			rc = add_enterprise(ctx, &st, total - done, &made);
		else
			rc = add_person(ctx, &st, NULL, pick_city(&st.rng));
		done += made;
	}
	brc = bulk_end(st.bulk, rc == 0);
	demo_ids_free(st.ids);
	return rc ? rc : brc;
}

int cmd_demo(int argc, char **argv)
{
	static const struct config_opt opts[] = {
		CLI_OPT_DB,
		{"customers", CONFIG_INT, "10000", "N", "how many customers to make", 0, 10000000},
		{"seed", CONFIG_INT, "1", "S", "the same seed makes the same operator", 0,
		 INT64_MAX},
		{0},
	};
	struct crm_ctx ctx;
	struct org_unit probe;
	struct key_account key = {0};
	struct demo_catalog_counts cat = {0};
	struct demo_lines_counts lines = {0};
	struct config cfg;
	struct arena *a;
	struct db *db;
	int64_t customers;
	int done, rc, units = 0;

	if ((rc = cli_parse(&cfg, opts, "usage: telcrm demo [--db PATH] [--customers N] [--seed S]",
			    "Fills the database with a demo operator: HQ, six provinces, their "
			    "cities and halls, a user for each role (password " DEMO_PASSWORD
			    "), a product catalogue (5G plans, broadband, IPTV, fusion bundles, "
			    "packs and services with their prices), N synthetic customers with "
			    "their billing accounts and lines, and a number pool. A "
			    "database that already has them is "
			    "left as it is.",
			    argc, argv, &done)) ||
	    done)
		return rc;
	if (cfg.npositional)
		return fprintf(stderr, "telcrm: unexpected argument '%s'\n", cfg.positional[0]),
		       EXIT_USAGE;
	customers = config_get_int(&cfg, "customers");
	if (!(db = cli_db_open(config_get(&cfg, "db"), CLI_DB_MIGRATE | CLI_DB_BULK)))
		return 1;
	a = arena_new(0);
	ctx_init_system(&ctx, a, db);
	ctx.who.login = "demo";
	if (res_get(&ctx, &org_unit_res, provinces[0].code, &probe) == 0) {
		printf("%s already holds a demo operator; left as it is\n", config_get(&cfg, "db"));
		rc = 0;
	} else {
		crm_err_clear(&ctx.err);
		rc = fill_org(&ctx, &units);
		if (!rc)
			rc = fill_users(&ctx, &key);
		if (!rc)
			rc = demo_catalog_fill(&ctx, &cat);
		if (!rc)
			rc = fill_customers(&ctx, customers, (uint64_t)config_get_int(&cfg, "seed"),
					    &key);
		if (!rc)
			rc = demo_lines_fill(&ctx, (uint64_t)config_get_int(&cfg, "seed"), &lines);
		if (rc)
			fprintf(stderr, "telcrm: %s\n", ctx.err.message);
		else
			printf("demo operator written to %s: %d org units, %zu users (password "
			       "'%s'), %d product offerings at %d prices, %lld customers with %lld "
			       "billing accounts and %lld products, %lld free numbers\n",
			       config_get(&cfg, "db"), units, sizeof(users) / sizeof(users[0]),
			       DEMO_PASSWORD, cat.offerings, cat.prices, (long long)customers,
			       (long long)lines.accounts, (long long)lines.products,
			       (long long)lines.free_numbers);
	}
	arena_free(a);
	db_close(db);
	return rc ? 1 : 0;
}
