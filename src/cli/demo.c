/*
 * telcrm demo: fills a database with a demo operator — the organisation (HQ, six
 * provinces, their cities, and halls in each city), one staff account per role at a
 * typical place in it, and in every hall a few individual customers and in every city an
 * enterprise customer, with valid (generated) id numbers, credit codes and phones. Deterministic;
 * safe to run twice (a database that already has provinces is left as it is).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/arena.h"
#include "auth/auth.h"
#include "core/ctx.h"
#include "core/ident.h"
#include "domain/customer.h"
#include "domain/org.h"
#include "domain/party.h"
#include "store/db.h"
#include "core/banned.h"

struct demo_city {
	const char *code, *name;
};

struct demo_province {
	const char *code, *name;
	const char *region; /* a district code for generated id numbers */
	struct demo_city cities[6];
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

#define HALLS_PER_CITY	2
#define PEOPLE_PER_HALL 2

static const char *const family_names[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵",
					   "吴", "周", "徐", "孙", "马", "朱", "胡", "郭"};
static const char *const given_names[] = {"伟", "芳", "娜", "敏", "静", "强", "磊", "军",
					  "洋", "勇", "艳", "杰", "娟", "涛", "明", "超"};
static const char *const segments[] = {"mass", "youth", "family", "senior"};
static const char *const ranks[] = {"standard", "silver", "gold", "platinum"};

/* The password of every demo account (printed by scripts/start; change it for real use). */
#define DEMO_PASSWORD "Demo-pass-2026"

static const struct demo_user {
	const char *login, *name, *role, *org;
} users[] = {
	{"admin", "系统管理员", "admin", "HQ"},
	{"hq.analyst", "总部分析师 陈静", "analyst", "HQ"},
	{"hq.marketing", "总部市场部 周婷", "marketing", "HQ"},
	{"gd.manager", "广东省经理 黄伟", "manager", "GD"},
	{"gz.account", "广州客户经理 林海", "account_manager", "GD-GZ"},
	{"gz.agent", "广州话务员 何丽", "agent", "GD-GZ"},
	{"gz.clerk", "广州营业员 王芳", "clerk", "GD-GZ-H01"},
	{"gz.service", "广州客服 郑强", "service", "GD-GZ"},
	{"gz.sales", "广州销售 吴敏", "sales", "GD-GZ"},
	{"bj.clerk", "北京营业员 李娜", "clerk", "BJ-CY-H01"},
};

static int add_unit(struct crm_ctx *ctx, const char *code, const char *name, const char *kind,
		    const char *parent)
{
	struct org_unit_input in = {.id = code, .name = name, .kind = kind, .parent_id = parent};
	struct org_unit out;
	int rc = org_unit_create(ctx, &in, &out);

	if (rc)
		fprintf(stderr, "telcrm: demo: %s\n", ctx->err.message);
	return rc;
}

static int fill_org(struct crm_ctx *ctx, int *out_units)
{
	char code[32], name[64];
	int rc;

	*out_units = 0;
	for (size_t p = 0; p < sizeof(provinces) / sizeof(provinces[0]); p++) {
		const struct demo_province *pv = &provinces[p];

		if ((rc = add_unit(ctx, pv->code, pv->name, "province", "HQ")))
			return rc;
		++*out_units;
		for (const struct demo_city *c = pv->cities; c->code; c++) {
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

static int fill_users(struct crm_ctx *ctx)
{
	for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		struct auth_user_input in = {
			.login = users[i].login,
			.display_name = users[i].name,
			.org_id = users[i].org,
			.roles = {(const char *[]){users[i].role}, 1},
			.password = DEMO_PASSWORD,
		};
		struct auth_user out;
		int rc = auth_user_create(ctx, &in, &out);

		if (rc) {
			fprintf(stderr, "telcrm: demo: user '%s': %s\n", users[i].login,
				ctx->err.message);
			return rc;
		}
	}
	return 0;
}

static int demo_fail(struct crm_ctx *ctx, const char *what, int rc)
{
	fprintf(stderr, "telcrm: demo: %s: %s\n", what, ctx->err.message);
	return rc;
}

/* A customer for party p at org unit org. */
static int add_customer(struct crm_ctx *ctx, const struct party *p, const char *type,
			const char *org, const char *segment, const char *rank, bool active)
{
	struct customer in = {0}, out;
	int rc;

	in.engaged_party.id = p->id;
	in.engaged_party.referred_type = type;
	in.org_id = org;
	in.segment = segment;
	in.rank = rank;
	in.status = active ? "active" : "prospective";
	if ((rc = customer_create(ctx, &in, &out)))
		return demo_fail(ctx, "customer", rc);
	return 0;
}

/* PEOPLE_PER_HALL individual customers in every hall and one enterprise customer in every
 * city; *out_n gets the number of customers. */
static int fill_customers(struct crm_ctx *ctx, int *out_n)
{
	char code[32], rid[IDENT_RESIDENT_ID_LEN + 1], mobile[IDENT_MOBILE_LEN + 1];
	char uscc[IDENT_USCC_LEN + 1], org8[9];
	struct identification id;
	struct contact_medium cm;
	struct party in, out;
	unsigned k = 0;
	int rc;

	*out_n = 0;
	for (size_t p = 0; p < sizeof(provinces) / sizeof(provinces[0]); p++) {
		const struct demo_province *pv = &provinces[p];

		for (const struct demo_city *c = pv->cities; c->code; c++) {
			for (int h = 1; h <= HALLS_PER_CITY; h++) {
				snprintf(code, sizeof(code), "%s-H%02d", c->code, h);
				for (int i = 0; i < PEOPLE_PER_HALL; i++, k++) {
					memset(&in, 0, sizeof(in));
					memset(&cm, 0, sizeof(cm));
					in.family_name = family_names[k % 16];
					in.given_name = given_names[(k * 7 + 3) % 16];
					in.gender = k % 2 ? "female" : "male";
					if (ident_resident_id_make(
						    rid, pv->region, 1960 + (int)(k % 40),
						    1 + (int)(k % 12), 1 + (int)(k % 28),
						    (int)(k * 2 + (k % 2 ? 0 : 1)) % 1000) ||
					    ident_mobile_make(mobile, k % 3 ? "138" : "189",
							      10000000u + k * 7919u))
						CRM_BUG("demo identifiers for %u", k);
					id = (struct identification){.type = "residentId",
								     .number = rid};
					in.identification = (struct json_array){&id, 1};
					cm.medium_type = "mobile";
					cm.preferred = true;
					cm.characteristic.phone_number = mobile;
					in.contact_medium = (struct json_array){&cm, 1};
					in.org_id = code;
					if ((rc = party_create(ctx, "individual", &in, &out)))
						return demo_fail(ctx, "individual", rc);
					if ((rc = add_customer(ctx, &out, "Individual", code,
							       segments[k % 4], ranks[k % 4],
							       k % 5 != 0)))
						return rc;
					++*out_n;
				}
			}
			memset(&in, 0, sizeof(in));
			snprintf(org8, sizeof(org8), "%08u", 10000000u + k);
			if (ident_uscc_make(uscc, '9', '1', pv->region, org8))
				CRM_BUG("demo credit code for %u", k);
			id = (struct identification){.type = "unifiedSocialCreditCode",
						     .number = uscc};
			in.identification = (struct json_array){&id, 1};
			in.trading_name = arena_printf(ctx->arena, "%s智联科技", c->name);
			in.name = arena_printf(ctx->arena, "%s智联科技有限公司", c->name);
			in.organization_type = "company";
			in.org_id = c->code;
			if ((rc = party_create(ctx, "organization", &in, &out)))
				return demo_fail(ctx, "organization", rc);
			if ((rc = add_customer(ctx, &out, "Organization", c->code, "enterprise",
					       "diamond", true)))
				return rc;
			++*out_n;
			k++;
		}
	}
	return 0;
}

int cmd_demo(int argc, char **argv)
{
	static const struct config_opt opts[] = {CLI_OPT_DB, {0}};
	struct crm_ctx ctx;
	struct org_unit probe;
	struct config cfg;
	struct arena *a;
	struct db *db;
	int done, rc, units = 0, customers = 0;

	if ((rc = cli_parse(&cfg, opts, "usage: telcrm demo [--db PATH]",
			    "Fills the database with a demo operator: HQ, six provinces, their "
			    "cities and halls, a user for each role (password " DEMO_PASSWORD
			    ") and customers. A database that already has them is left as it is.",
			    argc, argv, &done)) ||
	    done)
		return rc;
	if (cfg.npositional)
		return fprintf(stderr, "telcrm: unexpected argument '%s'\n", cfg.positional[0]),
		       EXIT_USAGE;
	if (!(db = cli_db_open(config_get(&cfg, "db"), 1)))
		return 1;
	a = arena_new(0);
	ctx_init_system(&ctx, a, db);
	ctx.who.login = "demo";
	if (org_unit_get(&ctx, provinces[0].code, &probe) == 0) {
		printf("%s already holds a demo operator; left as it is\n", config_get(&cfg, "db"));
		rc = 0;
	} else {
		crm_err_clear(&ctx.err);
		rc = fill_org(&ctx, &units);
		if (!rc)
			rc = fill_users(&ctx);
		if (!rc)
			rc = fill_customers(&ctx, &customers);
		if (!rc)
			printf("demo operator written to %s: %d org units, %zu users (password "
			       "'%s'), %d customers\n",
			       config_get(&cfg, "db"), units, sizeof(users) / sizeof(users[0]),
			       DEMO_PASSWORD, customers);
	}
	arena_free(a);
	db_close(db);
	return rc ? 1 : 0;
}
