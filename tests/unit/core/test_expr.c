/*
 * Unit tests of the rule language (core/expr): precedence and associativity, null logic
 * for every operator, every function, dates and durations, every error message, round
 * trips through the normaliser, explain, and a property test comparing the row and batch
 * evaluators on random rules and data.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/expr.h"
#include "core/expr_int.h"
#include "core/str.h"

/* ---- random rules and rows (also the model for the fuzz targets) ---- */

struct gen_rng {
	uint64_t s;
};

static inline uint32_t gen_next(struct gen_rng *r)
{
	r->s = r->s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(r->s >> 33);
}

static inline uint32_t gen_pick(struct gen_rng *r, uint32_t n)
{
	return gen_next(r) % n;
}

/* The schema: slot order matters (gen_rows fills columns by slot). */
static const struct {
	const char *name;
	enum expr_type type;
} gen_attrs[] = {
	{"n1", EXPR_T_NUM},  {"n2", EXPR_T_NUM}, {"i1", EXPR_T_INT},  {"i2", EXPR_T_INT},
	{"s1", EXPR_T_STR},  {"s2", EXPR_T_STR}, {"b1", EXPR_T_BOOL}, {"d1", EXPR_T_DATE},
	{"d2", EXPR_T_DATE}, {"u1", EXPR_T_DUR},
};
#define GEN_NATTRS (sizeof(gen_attrs) / sizeof(gen_attrs[0]))

static inline struct expr_schema *gen_schema(void)
{
	struct expr_schema *s = expr_schema_new();

	for (size_t i = 0; i < GEN_NATTRS; i++)
		expr_schema_add(s, gen_attrs[i].name, gen_attrs[i].type, NULL);
	return s;
}

static const char *const gen_strs[] = {"",  "a", "ab", "abc", "Abc", "ABC",
				       "é", "É", "b%", "x_y", "a'b", "zzz"};
#define GEN_NSTRS (sizeof(gen_strs) / sizeof(gen_strs[0]))

enum { G_BOOL, G_NUM, G_STR, G_DATE, G_DUR };

static void gen_expr(struct gen_rng *r, struct strbuf *sb, int type, int depth);

static inline void gen_num(struct gen_rng *r, struct strbuf *sb, int depth)
{
	static const char *const lits[] = {
		"0",	 "1",	"2", "-1", "3.5", "0.25", "100", "null", "9223372036854775807",
		"1e300", "-0.0"};
	uint32_t k = depth <= 0 ? gen_pick(r, 3) : gen_pick(r, 12);

	switch (k) {
	case 0:
		strbuf_addstr(sb, gen_attrs[gen_pick(r, 4)].name);
		return;
	case 1:
		strbuf_addstr(sb, lits[gen_pick(r, sizeof(lits) / sizeof(lits[0]))]);
		return;
	case 2:
		strbuf_addf(sb, "%d", (int)gen_pick(r, 7) - 3);
		return;
	case 3:
	case 4:
	case 5: {
		static const char *const ops[] = {" + ", " - ", " * ", " / ", " % "};

		strbuf_addch(sb, '(');
		gen_num(r, sb, depth - 1);
		strbuf_addstr(sb, ops[gen_pick(r, 5)]);
		gen_num(r, sb, depth - 1);
		strbuf_addch(sb, ')');
		return;
	}
	case 6:
		strbuf_addstr(sb, gen_pick(r, 2) ? "abs(" : "-(");
		gen_num(r, sb, depth - 1);
		strbuf_addch(sb, ')');
		return;
	case 7:
		strbuf_addstr(sb, gen_pick(r, 2) ? "min(" : "max(");
		gen_num(r, sb, depth - 1);
		strbuf_addstr(sb, ", ");
		gen_num(r, sb, depth - 1);
		strbuf_addch(sb, ')');
		return;
	case 8:
		strbuf_addstr(sb, "coalesce(");
		gen_num(r, sb, depth - 1);
		strbuf_addstr(sb, ", ");
		gen_num(r, sb, depth - 1);
		strbuf_addch(sb, ')');
		return;
	case 9:
		strbuf_addstr(sb, "round(");
		gen_num(r, sb, depth - 1);
		if (gen_pick(r, 2))
			strbuf_addf(sb, ", %d", (int)gen_pick(r, 5) - 2);
		strbuf_addch(sb, ')');
		return;
	case 10:
		strbuf_addstr(sb, gen_pick(r, 2) ? "len(" : "days_since(");
		gen_expr(r, sb, sb->len % 2 ? G_STR : G_DATE, depth - 1);
		strbuf_addch(sb, ')');
		/* len of a date would not compile: fix the mismatch by construction */
		return;
	default:
		strbuf_addstr(sb, "(");
		gen_expr(r, sb, G_DATE, depth - 1);
		strbuf_addstr(sb, " - ");
		gen_expr(r, sb, G_DATE, depth - 1);
		strbuf_addch(sb, ')');
		return;
	}
}

static void gen_expr(struct gen_rng *r, struct strbuf *sb, int type, int depth)
{
	static const char *const cmps[] = {" = ", " != ", " < ", " <= ", " > ", " >= "};

	switch (type) {
	case G_NUM:
		gen_num(r, sb, depth);
		return;
	case G_STR:
		switch (depth <= 0 ? gen_pick(r, 2) : gen_pick(r, 5)) {
		case 0:
			strbuf_addstr(sb, gen_attrs[4 + gen_pick(r, 2)].name);
			return;
		case 1: {
			const char *s = gen_strs[gen_pick(r, GEN_NSTRS)];

			strbuf_addch(sb, '\'');
			for (; *s; s++) {
				if (*s == '\'')
					strbuf_addch(sb, '\'');
				strbuf_addch(sb, *s);
			}
			strbuf_addch(sb, '\'');
			return;
		}
		case 2:
		case 3:
			strbuf_addstr(sb, gen_pick(r, 2) ? "lower(" : "upper(");
			gen_expr(r, sb, G_STR, depth - 1);
			strbuf_addch(sb, ')');
			return;
		default:
			strbuf_addstr(sb, gen_pick(r, 2) ? "coalesce(" : "min(");
			gen_expr(r, sb, G_STR, depth - 1);
			strbuf_addstr(sb, ", ");
			gen_expr(r, sb, G_STR, depth - 1);
			strbuf_addch(sb, ')');
			return;
		}
	case G_DATE:
		switch (depth <= 0 ? gen_pick(r, 3) : gen_pick(r, 5)) {
		case 0:
			strbuf_addstr(sb, gen_pick(r, 2) ? "d1" : "d2");
			return;
		case 1:
			strbuf_addstr(sb, gen_pick(r, 2) ? "2024-02-29" : "2026-01-31");
			return;
		case 2:
			strbuf_addstr(sb, "today()");
			return;
		default:
			strbuf_addch(sb, '(');
			gen_expr(r, sb, G_DATE, depth - 1);
			strbuf_addstr(sb, gen_pick(r, 2) ? " + " : " - ");
			gen_expr(r, sb, G_DUR, depth - 1);
			strbuf_addch(sb, ')');
			return;
		}
	case G_DUR: {
		static const char *const d[] = {"30d", "1m", "2w", "1y", "u1", "0d", "-(6m)"};

		strbuf_addstr(sb, d[gen_pick(r, sizeof(d) / sizeof(d[0]))]);
		return;
	}
	default:
		break;
	}
	/* bool */
	switch (depth <= 0 ? 7 + gen_pick(r, 3) : gen_pick(r, 16)) {
	case 0:
	case 1:
		strbuf_addch(sb, '(');
		gen_expr(r, sb, G_BOOL, depth - 1);
		strbuf_addstr(sb, gen_pick(r, 2) ? " and " : " or ");
		gen_expr(r, sb, G_BOOL, depth - 1);
		strbuf_addch(sb, ')');
		return;
	case 2:
		strbuf_addstr(sb, "not (");
		gen_expr(r, sb, G_BOOL, depth - 1);
		strbuf_addch(sb, ')');
		return;
	case 3: {
		int t = (int)gen_pick(r, 3);

		gen_expr(r, sb, t == 0 ? G_NUM : t == 1 ? G_STR : G_DATE, depth - 1);
		strbuf_addstr(sb, cmps[gen_pick(r, 6)]);
		gen_expr(r, sb, t == 0 ? G_NUM : t == 1 ? G_STR : G_DATE, depth - 1);
		return;
	}
	case 4:
		gen_num(r, sb, depth - 1);
		strbuf_addstr(sb, gen_pick(r, 2) ? " in (1, 2.5, -1" : " not in (0, 3");
		strbuf_addstr(sb, gen_pick(r, 3) ? ")" : ", null)");
		return;
	case 5:
		gen_expr(r, sb, G_STR, depth - 1);
		strbuf_addstr(sb, gen_pick(r, 2) ? " in ('a', 'abc', ''" : " not in ('zzz', 'é'");
		strbuf_addstr(sb, gen_pick(r, 3) ? ")" : ", null)");
		return;
	case 6: {
		int t = (int)gen_pick(r, 3);

		gen_expr(r, sb, t == 0 ? G_NUM : t == 1 ? G_STR : G_DATE, depth - 1);
		strbuf_addstr(sb, gen_pick(r, 2) ? " between " : " not between ");
		gen_expr(r, sb, t == 0 ? G_NUM : t == 1 ? G_STR : G_DATE, depth - 1);
		strbuf_addstr(sb, " and ");
		gen_expr(r, sb, t == 0 ? G_NUM : t == 1 ? G_STR : G_DATE, depth - 1);
		return;
	}
	case 7:
		strbuf_addstr(sb, gen_pick(r, 4) ? "b1" : gen_pick(r, 2) ? "true" : "null");
		return;
	case 8: {
		static const char *const pats[] = {"'a%'",  "'%b%'",  "'_'", "'%'",
						   "'a_c'", "'\\%%'", "'%É'"};
		static const char *const ops[] = {" like ", " not like ", " contains ",
						  " starts_with ", " not contains "};

		gen_expr(r, sb, G_STR, depth - 1);
		strbuf_addstr(sb, ops[gen_pick(r, 5)]);
		if (gen_pick(r, 3))
			strbuf_addstr(sb, pats[gen_pick(r, sizeof(pats) / sizeof(pats[0]))]);
		else
			gen_expr(r, sb, G_STR, depth - 1);
		return;
	}
	case 9: {
		static const char *const a[] = {"n1", "i1", "s1", "b1", "d1", "u1"};

		strbuf_addstr(sb, a[gen_pick(r, 6)]);
		strbuf_addstr(sb, gen_pick(r, 2) ? " is null" : " is not null");
		return;
	}
	case 10:
		strbuf_addstr(sb, "b1 ");
		strbuf_addstr(sb, gen_pick(r, 2) ? "= " : "!= ");
		gen_expr(r, sb, G_BOOL, depth - 1);
		return;
	case 11:
		strbuf_addstr(sb, "u1 ");
		strbuf_addstr(sb, cmps[gen_pick(r, 6)]);
		gen_expr(r, sb, G_DUR, depth - 1);
		return;
	case 12:
		strbuf_addstr(sb, "months_between(");
		gen_expr(r, sb, G_DATE, depth - 1);
		strbuf_addstr(sb, ", ");
		gen_expr(r, sb, G_DATE, depth - 1);
		strbuf_addstr(sb, ") >= 1");
		return;
	case 13:
		strbuf_addstr(sb, "coalesce(b1, ");
		gen_expr(r, sb, G_BOOL, depth - 1);
		strbuf_addch(sb, ')');
		return;
	default:
		gen_num(r, sb, depth - 1);
		strbuf_addstr(sb, cmps[gen_pick(r, 6)]);
		gen_num(r, sb, depth - 1);
		return;
	}
}

/* Column storage for n rows of the gen schema. */
struct gen_data {
	size_t n;
	double *num[2];
	int64_t *i64[5]; /* i1, i2, d1, d2, u1 */
	struct str *str[2];
	uint8_t *b;
	uint64_t *nulls[GEN_NATTRS];
	struct expr_column cols[GEN_NATTRS];
};

static inline void gen_data_fill(struct gen_data *g, struct gen_rng *r, size_t n)
{
	static const double nums[] = {0, 1, -1, 2.5, 3.5, 0.25, 100, -0.0, 1e300, 1e-300, 7};
	size_t w = (n + 63) / 64;

	g->n = n;
	for (int k = 0; k < 2; k++) {
		g->num[k] = calloc(n + 1, sizeof(double));
		g->str[k] = calloc(n + 1, sizeof(struct str));
	}
	for (int k = 0; k < 5; k++)
		g->i64[k] = calloc(n + 1, sizeof(int64_t));
	g->b = calloc(n + 1, 1);
	for (size_t a = 0; a < GEN_NATTRS; a++)
		g->nulls[a] = calloc(w + 1, sizeof(uint64_t));
	for (size_t i = 0; i < n; i++) {
		for (int k = 0; k < 2; k++) {
			const char *s = gen_strs[gen_pick(r, GEN_NSTRS)];

			g->num[k][i] = gen_pick(r, 4) ? (double)((int)gen_pick(r, 9) - 4) / 2
						      : nums[gen_pick(r, 11)];
			g->str[k][i] = (struct str){s, strlen(s)};
		}
		g->i64[0][i] = (int64_t)gen_pick(r, 9) - 4;
		g->i64[1][i] = gen_pick(r, 8)	? (int64_t)gen_pick(r, 9) - 4
			       : gen_pick(r, 2) ? INT64_MAX
						: INT64_MIN;
		g->i64[2][i] = expr_date_make(2024, 1, 1) + gen_pick(r, 1000);
		g->i64[3][i] = gen_pick(r, 10) ? expr_date_make(2025, 1, 31) + gen_pick(r, 500)
					       : (int64_t)gen_next(r) * 1000;
		g->i64[4][i] = expr_dur_make((int32_t)gen_pick(r, 13), (int32_t)gen_pick(r, 40));
		g->b[i] = (uint8_t)gen_pick(r, 2);
		for (size_t a = 0; a < GEN_NATTRS; a++)
			if (gen_pick(r, 5) == 0)
				g->nulls[a][i / 64] |= 1ULL << (i % 64);
	}
	g->cols[0] = (struct expr_column){g->num[0], g->nulls[0]};
	g->cols[1] = (struct expr_column){g->num[1], g->nulls[1]};
	g->cols[2] = (struct expr_column){g->i64[0], g->nulls[2]};
	g->cols[3] = (struct expr_column){g->i64[1], NULL};
	g->cols[4] = (struct expr_column){g->str[0], g->nulls[4]};
	g->cols[5] = (struct expr_column){g->str[1], g->nulls[5]};
	g->cols[6] = (struct expr_column){g->b, g->nulls[6]};
	g->cols[7] = (struct expr_column){g->i64[2], g->nulls[7]};
	g->cols[8] = (struct expr_column){g->i64[3], g->nulls[8]};
	g->cols[9] = (struct expr_column){g->i64[4], g->nulls[9]};
}

static inline void gen_data_free(struct gen_data *g)
{
	for (int k = 0; k < 2; k++) {
		free(g->num[k]);
		free(g->str[k]);
	}
	for (int k = 0; k < 5; k++)
		free(g->i64[k]);
	free(g->b);
	for (size_t a = 0; a < GEN_NATTRS; a++)
		free(g->nulls[a]);
}

/* Row i as slot values. */
static inline void gen_row(const struct gen_data *g, size_t i, struct expr_value *row)
{
	memset(row, 0, GEN_NATTRS * sizeof(*row));
	for (size_t a = 0; a < GEN_NATTRS; a++) {
		const uint64_t *nb = g->cols[a].nulls;

		row[a].null = nb && ((nb[i / 64] >> (i % 64)) & 1);
	}
	row[0].u.n = g->num[0][i];
	row[1].u.n = g->num[1][i];
	row[2].u.i = g->i64[0][i];
	row[3].u.i = g->i64[1][i];
	row[4].u.s = g->str[0][i];
	row[5].u.s = g->str[1][i];
	row[6].u.b = g->b[i] != 0;
	row[7].u.i = g->i64[2][i];
	row[8].u.i = g->i64[3][i];
	row[9].u.i = g->i64[4][i];
}

/* Compares batch and row results for e over g; returns the first differing row or -1. */
static inline long gen_compare(const struct expr *e, const struct expr_ctx *ctx,
			       const struct gen_data *g)
{
	uint64_t *sel = calloc((g->n + 63) / 64 + 1, sizeof(uint64_t));
	struct expr_value row[GEN_NATTRS];
	long bad = -1;

	if (expr_eval_batch(e, ctx, g->cols, g->n, sel, NULL) != 0) {
		free(sel);
		return -2;
	}
	for (size_t i = 0; i < g->n && bad < 0; i++) {
		bool b = (sel[i / 64] >> (i % 64)) & 1;

		gen_row(g, i, row);
		if (b != expr_match_row(e, ctx, row))
			bad = (long)i;
	}
	free(sel);
	return bad;
}

/* ---- helpers ---- */

static struct expr_schema *schema;
static struct expr_ctx ctx; /* 2026-01-31 12:00 UTC */
static char buf[4096];

static struct expr_schema *crm_schema(void)
{
	static const struct {
		const char *name;
		enum expr_type type;
	} a[] = {{"arpu_3m", EXPR_T_NUM},
		 {"complaints_90d", EXPR_T_INT},
		 {"segment", EXPR_T_STR},
		 {"tenure_months", EXPR_T_INT},
		 {"churn_score", EXPR_T_NUM},
		 {"is_prepaid", EXPR_T_BOOL},
		 {"signup", EXPR_T_DATE},
		 {"last_payment", EXPR_T_DATE},
		 {"customer.segment", EXPR_T_STR},
		 {"grace", EXPR_T_DUR},
		 {"plan", EXPR_T_STR}};
	struct expr_schema *s = expr_schema_new();

	for (size_t i = 0; i < sizeof(a) / sizeof(a[0]); i++)
		assert_int_equal(expr_schema_add(s, a[i].name, a[i].type, NULL), 0);
	return s;
}

/* A row: arpu 12.5, complaints 3, segment 'consumer', tenure 30, churn null, prepaid true,
 * signup 2020-05-17, last payment 2025-12-01, customer.segment 'SMB', grace 30d, plan
 * 'PRE_10'. */
static struct expr_value row[11];

static void row_init(void)
{
	memset(row, 0, sizeof(row));
	row[0].u.n = 12.5;
	row[1].u.i = 3;
	row[2].u.s = STR_LIT("consumer");
	row[3].u.i = 30;
	row[4].null = 1;
	row[5].u.b = true;
	row[6].u.i = expr_date_make(2020, 5, 17);
	row[7].u.i = expr_date_make(2025, 12, 1);
	row[8].u.s = STR_LIT("SMB");
	row[9].u.i = expr_dur_make(0, 30);
	row[10].u.s = STR_LIT("PRE_10");
}

static int setup(void **state)
{
	(void)state;
	schema = crm_schema();
	ctx.now = expr_date_make(2026, 1, 31) * 86400 + 12 * 3600;
	ctx.utc_offset = 0;
	row_init();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	expr_schema_free(schema);
	return 0;
}

static struct expr *compile_ok(const char *text)
{
	struct expr_errors errs;
	struct expr *e = NULL;
	int rc = expr_compile(schema, text, strlen(text), &e, &errs);

	if (rc)
		fail_msg("'%s' did not compile: %s", text, errs.err.message);
	return e;
}

/* Result printed as a value ("true", "null", "3", "'abc'", "2026-02-28"). */
static const char *ev(const char *text)
{
	struct expr *e = compile_ok(text);
	struct strbuf sb = STRBUF_INIT;
	struct expr_value v;

	expr_eval_row(e, &ctx, row, &v);
	expr__print_value(&sb, &v, (uint8_t)expr_result_type(e));
	snprintf(buf, sizeof(buf), "%s", strbuf_cstr(&sb));
	strbuf_release(&sb);
	expr_free(e);
	return buf;
}

static const char *norm(const char *text)
{
	struct expr *e = compile_ok(text);
	struct strbuf sb = STRBUF_INIT;

	expr_normalise(e, &sb);
	snprintf(buf, sizeof(buf), "%s", strbuf_cstr(&sb));
	strbuf_release(&sb);
	expr_free(e);
	return buf;
}

static const char *dump(const char *text)
{
	struct expr *e = compile_ok(text);
	struct strbuf sb = STRBUF_INIT;

	expr__dump(e, &sb);
	snprintf(buf, sizeof(buf), "%s", strbuf_cstr(&sb));
	strbuf_release(&sb);
	expr_free(e);
	return buf;
}

/* The first error, formatted; also checks there is one. */
static const char *err1(const char *text, size_t len)
{
	struct expr_errors errs;
	struct expr *e = NULL;
	struct strbuf sb = STRBUF_INIT;
	int rc = expr_compile(schema, text, len, &e, &errs);

	assert_true(rc < 0);
	assert_null(e);
	assert_true(errs.count >= 1);
	assert_int_equal(errs.err.code, rc);
	expr_error_format(&errs.items[0], &sb);
	snprintf(buf, sizeof(buf), "%s", strbuf_cstr(&sb));
	assert_string_equal(buf, errs.err.message);
	strbuf_release(&sb);
	return buf;
}

static const char *err(const char *text)
{
	return err1(text, strlen(text));
}

#define EV(text, want)	assert_string_equal(ev(text), want)
#define ERR(text, want) assert_string_equal(err(text), want)

/* ---- tests ---- */

static void test_precedence(void **state)
{
	(void)state;
	assert_string_equal(dump("1 + 2 * 3"), "(1 + (2 * 3))");
	assert_string_equal(dump("1 * 2 + 3"), "((1 * 2) + 3)");
	assert_string_equal(dump("1 - 2 - 3"), "((1 - 2) - 3)");
	assert_string_equal(dump("8 / 4 / 2"), "((8 / 4) / 2)");
	assert_string_equal(dump("7 % 4 * 2"), "((7 % 4) * 2)");
	assert_string_equal(dump("-2 * 3"), "((-2) * 3)");
	assert_string_equal(dump("1 - -2"), "(1 - (-2))");
	assert_string_equal(dump("- -2"), "(-(-2))");
	assert_string_equal(dump("1 + 2 < 4"), "((1 + 2) < 4)");
	assert_string_equal(dump("true or false and false"), "(true or (false and false))");
	assert_string_equal(dump("true and false or true"), "((true and false) or true)");
	assert_string_equal(dump("true or false or true"), "((true or false) or true)");
	assert_string_equal(dump("true and true and false"), "((true and true) and false)");
	assert_string_equal(dump("not true and false"), "((not true) and false)");
	assert_string_equal(dump("not 1 = 2"), "(not (1 = 2))");
	assert_string_equal(dump("! is_prepaid || is_prepaid && false"),
			    "((not is_prepaid) or (is_prepaid and false))");
	assert_string_equal(dump("not not true"), "(not (not true))");
	assert_string_equal(dump("1 + 1 between 1 and 3 - 1"), "((1 + 1) between 1 and (3 - 1))");
	assert_string_equal(dump("segment in ('a') and arpu_3m is not null"),
			    "((segment in ('a')) and (arpu_3m is not null))");
	assert_string_equal(dump("(1 + 2) * 3"), "((1 + 2) * 3)");
	assert_string_equal(dump("2 * 3 - 4 / 2 % 3"), "((2 * 3) - ((4 / 2) % 3))");
	assert_string_equal(dump("- 2 % 3"), "((-2) % 3)");
	assert_string_equal(dump("-arpu_3m * -2 + -1"), "(((-arpu_3m) * (-2)) + (-1))");
	assert_string_equal(dump("1 + null is null"), "((1 + null) is null)");
	assert_string_equal(dump("1 + 2 in (3)"), "((1 + 2) in (3))");
	assert_string_equal(dump("1 between 0 and 2 and true"), "((1 between 0 and 2) and true)");
	assert_string_equal(dump("1 not between 0 and 2 or 1 between 3 - 1 and 4"),
			    "((1 not between 0 and 2) or (1 between (3 - 1) and 4))");
	assert_string_equal(
		dump("plan like 'a%' and plan contains 'x' or plan starts_with 'P'"),
		"(((plan like 'a%') and (plan contains 'x')) or (plan starts_with 'P'))");
	assert_string_equal(dump("not plan like 'a%'"), "(not (plan like 'a%'))");
	assert_string_equal(dump("is_prepaid || 'x' = plan"), "(is_prepaid or ('x' = plan))");
	assert_string_equal(dump("true or false and not true or false"),
			    "((true or (false and (not true))) or false)");
	assert_string_equal(dump("not true or true"), "((not true) or true)");
	assert_string_equal(dump("signup + 1m - 1d"), "((signup + 1m) - 1d)");
	assert_string_equal(dump("1 - (2 - 3)"), "(1 - (2 - 3))");
	EV("1 + 2 * 3", "7");
	EV("10 - 4 - 3", "3");
	EV("2 * 3 % 4", "2");
	EV("-2 * -3", "6");
	EV("true or true and false", "true");
	EV("(true or true) and false", "false");
	/* left associative: */
	EV("12 / 4 / 3", "1.0");
	EV("10 % 4 % 3", "2");
	EV("10 - 4 + 3", "9");
	EV("2026-01-31 + 1m - 1m", "2026-01-28");
	EV("not false and false", "false");
}

static void test_literals(void **state)
{
	(void)state;
	EV("42", "42");
	EV("3.25", "3.25");
	EV("1e3", "1000.0");
	EV("2.5E-1", "0.25");
	EV("'it''s ok'", "'it''s ok'");
	EV("'héllo ✓'", "'héllo ✓'");
	EV("TRUE", "true");
	EV("False", "false");
	EV("NULL", "null");
	EV("2026-01-31", "2026-01-31");
	EV("2024-02-29", "2024-02-29");
	EV("30d", "30d");
	EV("2w", "14d");
	EV("6m", "6m");
	EV("1y", "12m");
	EV("9223372036854775807", "9223372036854775807");
	EV("customer.segment", "'SMB'");
	EV("1 <> 2", "true");
	EV("1 == 1", "true");
	EV("true && !false", "true");
}

static void test_arith(void **state)
{
	(void)state;
	EV("7 / 2", "3.5");
	EV("7 % 3", "1");
	EV("-7 % 3", "-1");
	EV("7.5 % 2", "1.5");
	EV("1 + 0.5", "1.5");
	EV("arpu_3m * 2", "25.0");
	EV("complaints_90d - 5", "-2");
	EV("1 / 0", "null");
	EV("1 % 0", "null");
	EV("1.0 % 0", "null");
	EV("9223372036854775807 + 1", "null");
	EV("-9223372036854775807 - 2", "null");
	EV("9223372036854775807 * 2", "null");
	EV("(-9223372036854775807 - 1) % -1", "0");
	EV("-(-9223372036854775807 - 1)", "null");
	EV("1 = 1.0", "true");
	EV("2 > 1.5", "true");
}

/* Three-valued logic, as in SQL: the full tables of and, or and not, spelled with literals
 * and with row values (is_prepaid is true, arpu_3m > 100 false, churn_score > 1 null). */
static void test_truth_tables(void **state)
{
	static const char *const lit[3] = {"true", "false", "null"};
	static const char *const row_val[3] = {"is_prepaid", "arpu_3m > 100", "churn_score > 1"};
	/* indexed [a][b]: 0 true, 1 false, 2 null */
	static const char *const and_t[3][3] = {
		{"true", "false", "null"}, {"false", "false", "false"}, {"null", "false", "null"}};
	static const char *const or_t[3][3] = {
		{"true", "true", "true"}, {"true", "false", "null"}, {"true", "null", "null"}};
	static const char *const not_t[3] = {"false", "true", "null"};
	char t[128];

	(void)state;
	for (int a = 0; a < 3; a++) {
		for (int b = 0; b < 3; b++) {
			snprintf(t, sizeof(t), "%s and %s", lit[a], lit[b]);
			EV(t, and_t[a][b]);
			snprintf(t, sizeof(t), "%s or %s", lit[a], lit[b]);
			EV(t, or_t[a][b]);
			snprintf(t, sizeof(t), "(%s) and (%s)", row_val[a], row_val[b]);
			EV(t, and_t[a][b]);
			snprintf(t, sizeof(t), "(%s) or (%s)", row_val[a], row_val[b]);
			EV(t, or_t[a][b]);
		}
		snprintf(t, sizeof(t), "not %s", lit[a]);
		EV(t, not_t[a]);
		snprintf(t, sizeof(t), "not (%s)", row_val[a]);
		EV(t, not_t[a]);
	}
}

static void test_null_logic(void **state)
{
	(void)state;
	/* and / or / not: three-valued */
	EV("null and true", "null");
	EV("null and false", "false");
	EV("false and null", "false");
	EV("null and null", "null");
	EV("null or true", "true");
	EV("true or null", "true");
	EV("null or false", "null");
	EV("null or null", "null");
	EV("not null", "null");
	EV("not (churn_score > 1)", "null");
	/* comparisons */
	EV("null = null", "null");
	EV("null = 1", "null");
	EV("1 != null", "null");
	EV("churn_score < 1", "null");
	EV("churn_score <= 1", "null");
	EV("churn_score > 1", "null");
	EV("churn_score >= 1", "null");
	EV("segment = null", "null");
	EV("is_prepaid = null", "null");
	EV("signup < null", "null");
	EV("grace > null", "null");
	/* arithmetic */
	EV("null + 1", "null");
	EV("1 - null", "null");
	EV("churn_score * 2", "null");
	EV("churn_score / 2", "null");
	EV("churn_score % 2", "null");
	EV("-churn_score", "null");
	EV("signup + null", "null");
	EV("null - signup", "null");
	/* predicates */
	EV("null in (1, 2)", "null");
	EV("1 in (2, null)", "null");
	EV("1 in (1, null)", "true");
	EV("1 not in (2, null)", "null");
	EV("1 not in (1, null)", "false");
	EV("3 not in (1, 2)", "true");
	EV("churn_score between 0 and 1", "null");
	EV("1 between null and 0", "false");
	EV("1 between null and 2", "null");
	EV("1 not between null and 0", "true");
	EV("null like 'a%'", "null");
	EV("'abc' like null", "null");
	EV("'abc' not like null", "null");
	EV("null contains 'a'", "null");
	EV("'abc' starts_with null", "null");
	EV("null not like 'a%'", "null");
	EV("null not contains 'a'", "null");
	EV("'abc' not contains null", "null");
	EV("null not starts_with 'a'", "null");
	EV("'abc' not starts_with null", "null");
	EV("churn_score not between 0 and 1", "null");
	EV("5 not between 0 and null", "null");
	EV("5 not between null and 3", "true");
	EV("null in (null)", "null");
	EV("null not in (1)", "null");
	EV("segment in ('smb', null)", "null");
	EV("segment not in ('smb', null)", "null");
	EV("segment in ('consumer', null)", "true");
	EV("signup in (null, 2020-05-17)", "true");
	EV("grace = null", "null");
	EV("grace + null", "null");
	EV("null + grace", "null");
	EV("-null", "null");
	EV("null * null", "null");
	EV("null / 2", "null");
	EV("segment != null", "null");
	EV("is_prepaid != null", "null");
	EV("null is null", "true");
	EV("null is not null", "false");
	EV("churn_score is null", "true");
	EV("arpu_3m is null", "false");
	EV("arpu_3m is not null", "true");
	/* functions */
	EV("abs(null)", "null");
	EV("abs(churn_score)", "null");
	EV("min(1, null)", "null");
	EV("max(1, churn_score)", "null");
	EV("coalesce(null, 2)", "2");
	EV("coalesce(churn_score, 0.5)", "0.5");
	EV("coalesce(null, null)", "null");
	EV("round(null)", "null");
	EV("round(1.5, null)", "null");
	EV("len(null)", "null");
	EV("lower(null)", "null");
	EV("upper(null)", "null");
	EV("days_since(null)", "null");
	EV("months_between(null, 2026-01-01)", "null");
	EV("months_between(signup, null)", "null");
	EV("min(null)", "null");
	EV("max(null, null)", "null");
	EV("coalesce(null, churn_score)", "null");
	EV("round(churn_score, 1)", "null");
	EV("len(lower(null))", "null");
	/* a rule that is null does not match */
	{
		struct expr *e = compile_ok("churn_score > 0.5");

		assert_false(expr_match_row(e, &ctx, row));
		expr_free(e);
		e = compile_ok("not (churn_score > 0.5)");
		assert_false(expr_match_row(e, &ctx, row));
		expr_free(e);
	}
}

static void test_strings(void **state)
{
	(void)state;
	EV("segment = 'consumer'", "true");
	EV("segment != 'consumer'", "false");
	EV("'abc' < 'abd'", "true");
	EV("'ab' < 'abc'", "true");
	EV("'b' >= 'abc'", "true");
	EV("'Z' < 'a'", "true");
	EV("segment in ('smb', 'consumer')", "true");
	EV("segment not in ('smb', 'consumer')", "false");
	EV("plan like 'PRE%'", "true");
	EV("plan like 'PRE\\_%'", "true");
	EV("plan like 'PRE_1_'", "true");
	EV("plan like 'pre%'", "false");
	EV("plan not like '%X%'", "true");
	EV("'héllo' like 'h_llo'", "true");
	EV("'100%' like '100\\%'", "true");
	EV("'100x' like '100\\%'", "false");
	EV("'' like '%'", "true");
	EV("'abc' like '%%c'", "true");
	EV("'aXbXc' like 'a%b%c'", "true");
	EV("'abc' like 'a%d'", "false");
	EV("plan contains 'E_1'", "true");
	EV("plan contains ''", "true");
	EV("plan not contains 'x'", "true");
	EV("plan starts_with 'PRE'", "true");
	EV("plan not starts_with 'PRE'", "false");
	EV("'ab' starts_with 'abc'", "false");
	EV("segment between 'a' and 'd'", "true");
	EV("lower(customer.segment) = 'smb'", "true");
	EV("upper(segment) = 'CONSUMER'", "true");
	EV("lower(plan) like 'pre%'", "true");
	EV("lower(plan) contains 'e_1'", "true");
	EV("upper(segment) starts_with 'CON'", "true");
	EV("lower('ÀÉÎ') = 'àéî'", "true");
	EV("upper('àéî ß') = 'ÀÉÎ ß'", "true");
	EV("lower(segment) in ('consumer')", "true");
	EV("upper(segment) > 'B'", "true");
}

static void test_functions(void **state)
{
	(void)state;
	EV("abs(-3)", "3");
	EV("abs(-2.5)", "2.5");
	EV("abs(-9223372036854775807 - 1)", "null");
	EV("min(3, 1, 2)", "1");
	EV("max(3, 1, 2)", "3");
	EV("max(1, 2.5)", "2.5");
	EV("min(1, 2.5)", "1.0");
	EV("min('b', 'a', 'c')", "'a'");
	EV("max('b', 'a', 'c')", "'c'");
	EV("max(signup, last_payment)", "2025-12-01");
	EV("min(signup, last_payment)", "2020-05-17");
	EV("round(2.5)", "3.0");
	EV("round(-2.5)", "-3.0");
	EV("round(2.4)", "2.0");
	EV("round(7)", "7");
	EV("round(1.2345, 2)", "1.23");
	EV("round(1234, -2)", "1200.0");
	EV("round(1234.5, 0)", "1235.0");
	EV("coalesce(null, 'x')", "'x'");
	EV("coalesce(churn_score, arpu_3m, 0)", "12.5");
	EV("coalesce(1, 2.5)", "1.0");
	EV("coalesce(is_prepaid, false)", "true");
	EV("len('héllo')", "5");
	EV("len('')", "0");
	EV("len(plan)", "6");
	EV("lower('ABC')", "'abc'");
	EV("upper('abc')", "'ABC'");
	EV("days_since(2026-01-01)", "30");
	EV("days_since(last_payment)", "61");
	EV("months_between(2026-01-15, 2026-03-15)", "2");
	EV("months_between(2026-01-31, 2026-02-28)", "0");
	EV("months_between(2026-03-15, 2026-01-16)", "-1");
	EV("months_between(signup, today())", "68");
	EV("today()", "2026-01-31");
	assert_string_equal(ev("now()"), "1769860800");
	EV("LEN('ab')", "2");
	EV("min(5)", "5");
	EV("max('x')", "'x'");
	EV("max(2.5, 3)", "3.0");
	EV("round(-1.25, 1)", "-1.3");
	EV("round(-2)", "-2");
	EV("abs(0 - 2.5)", "2.5");
	EV("coalesce(null, null, 3)", "3");
	EV("upper(lower('MiXeD'))", "'MIXED'");
	EV("len(lower('ÀB'))", "2");
	EV("days_since(2026-02-10)", "-10");
	EV("days_since(today())", "0");
	EV("months_between(2024-02-29, 2025-02-28)", "11");
	EV("months_between(2024-02-29, 2024-03-29)", "1");
	EV("now() - 1769860800", "0");
	{
		struct expr_ctx c = ctx;
		struct expr *e = compile_ok("today()");
		struct expr_value v;

		c.utc_offset = 13 * 3600; /* past midnight east of UTC */
		expr_eval_row(e, &c, NULL, &v);
		assert_int_equal(v.u.i, expr_date_make(2026, 2, 1));
		expr_free(e);
	}
}

static void test_dates(void **state)
{
	(void)state;
	EV("2026-01-31 + 1m", "2026-02-28");
	EV("2024-01-31 + 1m", "2024-02-29");
	EV("2024-02-29 + 1y", "2025-02-28");
	EV("2026-01-01 - 30d", "2025-12-02");
	EV("2026-01-01 + 2w", "2026-01-15");
	EV("6m + 2026-01-31", "2026-07-31");
	EV("2026-03-01 - 2026-02-01", "28");
	EV("2026-01-31 - 1m", "2025-12-31");
	EV("signup < today() - 6m", "true");
	EV("last_payment + grace", "2025-12-31");
	EV("last_payment between 2025-11-01 and 2025-12-31", "true");
	EV("last_payment in (2025-12-01, 2025-12-02)", "true");
	EV("2w = 14d", "true");
	EV("1m = 30d", "true");
	EV("1y > 11m", "true");
	EV("grace < 1m + 1d", "true");
	EV("grace in (30d, 60d)", "true");
	EV("grace between 1m and 2m", "true");
	EV("30d + 1m", "1m+30d");
	EV("1m - 30d", "1m-30d");
	EV("-1m", "-1m");
	EV("- -1m", "1m");
	EV("9999-12-31 + 1d", "null");
	EV("0001-01-01 - 1d", "null");
	EV("2026-01-01 + 10000y", "null");
	EV("-1m in (-1m)", "true");
	/* month ends clamp, so adding months one at a time is not adding them together */
	EV("2026-01-31 + 1m + 1m", "2026-03-28");
	EV("2026-01-31 + 2m", "2026-03-31");
	EV("2024-02-29 - 1y", "2023-02-28");
	EV("2026-03-31 - 1m", "2026-02-28");
	EV("signup - last_payment", "-2024");
	EV("1y = 12m", "true");
	EV("1y = 360d", "true");
	EV("30d + 30d = 2m", "true");
	EV("1m + 1d > 1m", "true");
	EV("last_payment > today() - 90d", "true");
	EV("signup < 2020-06-01", "true");
	{
		int y, m, d;

		expr_date_split(expr_date_make(1969, 12, 31), &y, &m, &d);
		assert_int_equal(y * 10000 + m * 100 + d, 19691231);
		assert_int_equal(expr_date_make(1970, 1, 1), 0);
		assert_int_equal(expr_dur_months(expr_dur_make(-3, -7)), -3);
		assert_int_equal(expr_dur_days(expr_dur_make(-3, -7)), -7);
	}
}

static void test_errors(void **state)
{
	char *big;

	(void)state;
	ERR("arpu3m < 20",
	    "unknown attribute 'arpu3m' at 1:1 \xe2\x80\x94 did you mean 'arpu_3m'?");
	ERR("arpu_3m < 20 and\n  complaints_9d >= 2",
	    "unknown attribute 'complaints_9d' at 2:3 \xe2\x80\x94 did you mean 'complaints_90d'?");
	ERR("'é' = zzzzzz", "unknown attribute 'zzzzzz' at 1:7");
	ERR("lenght(plan) > 2",
	    "unknown function 'lenght' at 1:1 \xe2\x80\x94 did you mean 'len'?");
	ERR("abs(1, 2) > 0", "function 'abs' takes 1 argument, found 2 at 1:1");
	ERR("now(1) > 0", "function 'now' takes 0 arguments, found 1 at 1:1");
	ERR("round(1, 2, 3) > 0", "function 'round' takes 1 to 2 arguments, found 3 at 1:1");
	ERR("min() > 0", "function 'min' takes 1 to 32 arguments, found 0 at 1:1");
	ERR("abs('x') > 0", "function 'abs' expects a number, found string at 1:1");
	ERR("len(3) > 0", "function 'len' expects a string, found int at 1:1");
	ERR("days_since(3) > 0", "function 'days_since' expects a date, found int at 1:1");
	ERR("min(true, false)",
	    "function 'min' expects numbers, dates or strings, found bool at 1:1");
	ERR("min(1, 'a') > 0", "cannot compare int with string at 1:8");
	ERR("coalesce(1, 'a') > 0", "cannot mix int with string at 1:13");
	ERR("round(1.5, 2.5) > 0", "function 'round' expects int digits, found number at 1:12");
	ERR("segment + 1 > 2", "operator '+' cannot be applied to string and int at 1:9");
	ERR("signup * 2 > 1", "operator '*' cannot be applied to date and int at 1:8");
	ERR("segment = 1", "cannot compare string with int using '=' at 1:9");
	ERR("signup in (1, 2)", "cannot compare date with int using 'in' at 1:8");
	ERR("tenure_months between 'a' and 3",
	    "cannot compare int with string using 'between' at 1:15");
	ERR("is_prepaid < true",
	    "true/false values cannot be ordered with '<' at 1:12 \xe2\x80\x94 use '=' or '!='");
	ERR("is_prepaid in (true)",
	    "true/false values cannot be used with 'in' at 1:12 \xe2\x80\x94 use '=' or '!='");
	ERR("arpu_3m and true", "'and' expects true/false operands, found number and bool at 1:9");
	ERR("not segment", "'not' expects a true/false operand, found string at 1:1");
	ERR("plan like 3", "'like' expects string operands, found string and int at 1:6");
	ERR("-segment = 'a'", "cannot negate string at 1:1");
	ERR("1 or true", "'or' expects true/false operands, found int and bool at 1:3");
	ERR("plan contains 1", "'contains' expects string operands, found string and int at 1:6");
	ERR("months_between(1, signup) > 0",
	    "function 'months_between' expects a date, found int at 1:1");
	ERR("upper(1.5) = 'a'", "function 'upper' expects a string, found number at 1:1");
	ERR("grace * 2 > 1d", "operator '*' cannot be applied to duration and int at 1:7");
	ERR("grace - signup > 1d", "operator '-' cannot be applied to duration and date at 1:7");
	ERR("is_prepaid = 1", "cannot compare bool with int using '=' at 1:12");
	ERR("signup < 30d", "cannot compare date with duration using '<' at 1:8");
	ERR("plan = 'a' # 1", "unexpected character '#' at 1:12");
	ERR("segment in ('a' 'b')", "expected ',' or ')' but found ''b'' at 1:17");
	ERR("grace > 522858w", "duration '522858w' is out of range at 1:9");
	ERR("grace > 120001m", "duration '120001m' is out of range at 1:9");
	ERR("", "rule is empty at 1:1");
	ERR("   ", "rule is empty at 1:1");
	ERR("arpu_3m <", "expected a value, a name or '(' but found end of text at 1:10");
	ERR("(arpu_3m < 1", "expected ')' but found end of text at 1:13");
	ERR("arpu_3m < 1)", "expected an operator or end of text but found ')' at 1:12");
	ERR("abs(1 2)", "expected ',' or ')' but found '2' at 1:7");
	ERR("1 < 2 < 3",
	    "comparisons cannot be chained at 1:7 \xe2\x80\x94 join conditions with 'and'");
	ERR("segment in 'a'", "expected '(' after 'in' but found ''a'' at 1:12");
	ERR("segment in (plan)", "expected a constant in the 'in' list but found 'plan' at 1:13");
	ERR("segment in ('a',)", "expected a constant in the 'in' list but found ')' at 1:17");
	ERR("1 in (-'a')", "expected a number after '-' but found ''a'' at 1:8");
	ERR("1 between 0 or 2", "expected 'and' after 'between' but found 'or' at 1:13");
	ERR("1 is 2", "expected 'null' or 'not' after 'is' but found '2' at 1:6");
	ERR("1 is not 2", "expected 'null' after 'is not' but found '2' at 1:10");
	ERR("1 not 2", "expected 'in', 'between', 'like', 'contains' or 'starts_with' after "
		       "'not' but found '2' at 1:7");
	ERR("plan = 'abc", "string is not closed at 1:8");
	ERR("plan = \"abc\"",
	    "unexpected character '\"' at 1:8 \xe2\x80\x94 strings are quoted with ', as in 'abc'");
	ERR("plan = 'a' ; 1", "unexpected character ';' at 1:12");
	ERR("plan = 'a' é", "unexpected character 'é' at 1:12");
	ERR("plan = '\xff'", "string holds invalid UTF-8 at 1:9");
	ERR("plan = \xc3", "invalid UTF-8 byte 0xC3 at 1:8");
	ERR("signup > 2026-02-30", "invalid date '2026-02-30' at 1:10");
	ERR("signup > 0000-01-01", "invalid date '0000-01-01' at 1:10");
	ERR("grace > 30days",
	    "invalid number '30days' at 1:9 \xe2\x80\x94 durations end in d, w, m or y, as in 30d");
	ERR("grace > 3660001d", "duration '3660001d' is out of range at 1:9");
	ERR("grace > 10001y", "duration '10001y' is out of range at 1:9");
	ERR("1 < 9223372036854775808", "integer '9223372036854775808' is out of range at 1:5");
	ERR("1 < 1e999", "number '1e999' is out of range at 1:5");
	ERR("1 < 1.5.5",
	    "invalid number '1.5.5' at 1:5 \xe2\x80\x94 durations end in d, w, m or y, as in 30d");
	ERR("1 < 000000000000000000000000000000000000000000000000000000000000000000000000001",
	    "number '00000000000000000000...' is too long at 1:5");
	err1("plan = 'a\0'", 11);
	assert_string_equal(buf, "rule contains a NUL byte at 1:10");
	/* several name and type errors at once */
	{
		struct expr_errors errs;
		struct expr *e = NULL;
		const char *t = "foo > 1 and bar < 2 or segment = 3";

		assert_int_equal(expr_compile(schema, t, strlen(t), &e, &errs), CRM_EINVAL);
		assert_int_equal(errs.count, 3);
		assert_string_equal(errs.items[1].message, "unknown attribute 'bar'");
		assert_int_equal(errs.items[1].col, 13);
		assert_int_equal(errs.items[2].line, 1);
		assert_int_equal(errs.items[2].col, 32);
		assert_string_equal(errs.err.field, "text");
		/* errs may be NULL */
		assert_int_equal(expr_compile(schema, t, strlen(t), &e, NULL), CRM_EINVAL);
		assert_null(e);
	}
	/* limits */
	big = malloc(EXPR_MAX_TEXT + 2);
	memset(big, ' ', EXPR_MAX_TEXT + 1);
	big[0] = '1';
	big[EXPR_MAX_TEXT + 1] = '\0';
	{
		struct expr_errors errs;
		struct expr *e = NULL;

		assert_int_equal(expr_compile(schema, big, EXPR_MAX_TEXT + 1, &e, &errs),
				 CRM_ETOOBIG);
		assert_string_equal(errs.err.message,
				    "rule is 16385 bytes, over the limit of 16384");
		assert_int_equal(expr_compile(schema, big, EXPR_MAX_TEXT, &e, &errs), 0);
		expr_free(e);
	}
	{
		struct strbuf sb = STRBUF_INIT;

		for (int i = 0; i < 65; i++)
			strbuf_addch(&sb, '(');
		strbuf_addstr(&sb, "1");
		for (int i = 0; i < 65; i++)
			strbuf_addch(&sb, ')');
		ERR(strbuf_cstr(&sb), "expression is nested more than 64 levels deep at 1:65");
		strbuf_reset(&sb);
		for (int i = 0; i < 65; i++)
			strbuf_addstr(&sb, "not ");
		strbuf_addstr(&sb, "true");
		ERR(strbuf_cstr(&sb), "expression is nested more than 64 levels deep at 1:257");
		strbuf_reset(&sb);
		for (int i = 0; i < 65; i++)
			strbuf_addch(&sb, '-');
		strbuf_addstr(&sb, "1 < 0");
		ERR(strbuf_cstr(&sb), "expression is nested more than 64 levels deep at 1:65");
		strbuf_reset(&sb);
		for (int i = 0; i < 65; i++)
			strbuf_addstr(&sb, "abs(");
		strbuf_addstr(&sb, "1");
		for (int i = 0; i < 65; i++)
			strbuf_addch(&sb, ')');
		ERR(strbuf_cstr(&sb), "expression is nested more than 64 levels deep at 1:257");
		strbuf_reset(&sb);
		strbuf_addstr(&sb, "min(1");
		for (int i = 0; i < 32; i++)
			strbuf_addstr(&sb, ", 1");
		strbuf_addstr(&sb, ") > 0");
		ERR(strbuf_cstr(&sb), "a call takes at most 32 arguments at 1:101");
		/* 511 nodes parsed, and 255 int-to-number conversions added by the checker */
		strbuf_reset(&sb);
		strbuf_addstr(&sb, "arpu_3m");
		for (int i = 0; i < 255; i++)
			strbuf_addstr(&sb, " + tenure_months");
		ERR(strbuf_cstr(&sb), "rule has more than 512 operators and operands at 1:1");
		strbuf_reset(&sb);
		strbuf_addstr(&sb, "1 in (0");
		for (int i = 0; i < 256; i++)
			strbuf_addf(&sb, ", %d", i);
		strbuf_addstr(&sb, ")");
		ERR(strbuf_cstr(&sb), "rule has more than 256 constants at 1:1175");
		strbuf_reset(&sb);
		strbuf_addstr(&sb, "tenure_months");
		for (int i = 0; i < 260; i++)
			strbuf_addstr(&sb, " + 1");
		strbuf_addstr(&sb, " > 0");
		ERR(strbuf_cstr(&sb), "rule has more than 256 constants at 1:1");
		strbuf_reset(&sb);
		strbuf_addstr(&sb, "tenure_months");
		for (int i = 0; i < 300; i++)
			strbuf_addstr(&sb, " + tenure_months");
		ERR(strbuf_cstr(&sb), "rule has more than 512 operators and operands at 1:1");
		strbuf_reset(&sb);
		strbuf_addstr(&sb, "a");
		for (int i = 0; i < 130; i++)
			strbuf_addch(&sb, 'x');
		ERR(strbuf_cstr(&sb),
		    "name 'axxxxxxxxxxxxxxxxxxx...' is longer than 128 bytes at 1:1");
		strbuf_release(&sb);
	}
	free(big);
}

static void test_roundtrip(void **state)
{
	static const char *const texts[] = {
		"arpu_3m < 20 && complaints_90d >= 2 && tenure_months > 24",
		"arpu_3m<20 AND NOT is_prepaid OR segment IN('a','b')",
		"(1 + 2) * (3 - (4 - 5)) / 6 % 7",
		"- -1 < 2 and -(1 + 2) > - 3",
		"not (true and false) or not not true",
		"(true or false) and (false or true)",
		"segment not in ('it''s', 'é', null) and plan not like 'PRE\\_%'",
		"signup between today() - 1y and today() + 6m",
		"last_payment is not null and churn_score is null",
		"coalesce(churn_score, 0.5) >= 0.25e1 and round(arpu_3m, 1) != 12.0",
		"lower(customer.segment) starts_with 'sm' or upper(plan) contains 'X'",
		"days_since(last_payment) > 30 and months_between(signup, today()) >= 24",
		"grace in (30d, 2w, 1m, -1y) and 1 in (1, -2, 3.5)",
		"(1 < 2) = (2 < 3)",
		"(not is_prepaid) = false",
		"min(1, 2, 3) + max(4.5, 6) < abs(-7)",
		"1e20 > 123456789.123 and 0.1 + 0.2 > 0.3",
		"now() > 0 and len(plan) between 1 and 10",
		"arpu_3m - (tenure_months + 1) > arpu_3m / (2 * tenure_months)",
		"-(arpu_3m + 1) < -(-arpu_3m) and -0.0 = 0 and 1e20 > 1e-5",
		"not (churn_score is null) and not (segment = 'a' or plan != 'b')",
		"plan NOT Starts_With 'x' AND segment not contains 'y' and plan not between 'a' "
		"and 'b'",
		"coalesce(lower(customer.segment), upper(plan), '') in ('', 'smb', 'it''s ✓')",
		"signup + 1m - 2w < last_payment - 1y and grace not in (-30d, 1m)",
		"(arpu_3m > 1) = (tenure_months > 2) and is_prepaid != (churn_score is null)",
		"round(abs(arpu_3m - 20.25), 1) >= min(3, max(1, 2)) % 2",
		"x_y is null"};

	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		char n1[4096], d1[4096];
		struct expr_errors errs;
		struct expr *e = NULL;

		if (i == sizeof(texts) / sizeof(texts[0]) - 1) {
			/* an unknown name still fails after normalising */
			assert_int_equal(
				expr_compile(schema, texts[i], strlen(texts[i]), &e, &errs),
				CRM_EINVAL);
			continue;
		}
		snprintf(n1, sizeof(n1), "%s", norm(texts[i]));
		snprintf(d1, sizeof(d1), "%s", dump(texts[i]));
		assert_string_equal(norm(n1), n1);
		assert_string_equal(dump(n1), d1);
	}
}

static void test_normalise(void **state)
{
	(void)state;
	assert_string_equal(norm("arpu_3m<20&&complaints_90d>=2"),
			    "arpu_3m < 20 and complaints_90d >= 2");
	assert_string_equal(norm("NOT is_prepaid || ! (segment <> 'a')"),
			    "not is_prepaid or not segment != 'a'");
	assert_string_equal(norm("((1 + 2)) * 3"), "(1 + 2) * 3");
	assert_string_equal(norm("1 - (2 + 3)"), "1 - (2 + 3)");
	assert_string_equal(norm("(1 - 2) + 3"), "1 - 2 + 3");
	assert_string_equal(norm("(true or false) and true"), "(true or false) and true");
	assert_string_equal(norm("true or (false and true)"), "true or false and true");
	assert_string_equal(norm("segment In ('A' , 'b')"), "segment in ('A', 'b')");
	assert_string_equal(norm("2w > 1y"), "14d > 12m");
	assert_string_equal(norm("1.50 > 1e2"), "1.5 > 100.0");
	assert_string_equal(norm("LOWER(plan) = 'x'"), "lower(plan) = 'x'");
	assert_string_equal(norm("(-1) * -(2)"), "-1 * -2");
	assert_string_equal(norm("(1 < 2) = true"), "(1 < 2) = true");
	assert_string_equal(norm("1 not between 0 and 2"), "1 not between 0 and 2");
	assert_string_equal(norm("1 BETWEEN (0) AND (1 + 1)"), "1 between 0 and 1 + 1");
}

static void test_explain(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct expr_value v;
	struct expr *e;

	(void)state;
	e = compile_ok("arpu_3m < 20 and complaints_90d >= 2");
	expr_explain(e, &ctx, row, &sb, &v);
	assert_string_equal(strbuf_cstr(&sb), "arpu_3m=12.5 < 20 ✓; complaints_90d=3 >= 2 ✓");
	assert_false(v.null);
	assert_true(v.u.b);
	expr_free(e);
	strbuf_reset(&sb);
	e = compile_ok("segment in ('smb', 'consumer') and not is_prepaid or churn_score > 0.5 "
		       "or plan like 'X%' or tenure_months between 24 and 36 or "
		       "days_since(last_payment) > 90 or churn_score is null");
	expr_explain(e, &ctx, row, &sb, NULL);
	assert_string_equal(strbuf_cstr(&sb),
			    "segment='consumer' in ('smb', 'consumer') ✓; is_prepaid=true ✓; "
			    "churn_score=null > 0.5 ?; plan='PRE_10' like 'X%' ✗; "
			    "tenure_months=30 between 24 and 36 ✓; "
			    "days_since(last_payment)=61 > 90 ✗; churn_score=null is null ✓");
	expr_free(e);
	strbuf_reset(&sb);
	e = compile_ok("arpu_3m * 2 > tenure_months");
	expr_explain(e, &ctx, row, &sb, NULL);
	assert_string_equal(strbuf_cstr(&sb), "(arpu_3m * 2)=25.0 > tenure_months=30 ✗");
	expr_free(e);
	strbuf_reset(&sb);
	e = compile_ok("arpu_3m * 2");
	expr_explain(e, &ctx, row, &sb, &v);
	assert_string_equal(strbuf_cstr(&sb), "arpu_3m * 2 = 25.0");
	assert_true(v.u.n == 25.0);
	expr_free(e);
	strbuf_release(&sb);
}

static void test_schema(void **state)
{
	struct expr_schema *s = expr_schema_new();
	struct crm_err err = {0};
	const char *name;
	enum expr_type t;

	(void)state;
	assert_int_equal(expr_schema_add(s, "ok.name_2", EXPR_T_INT, &err), 0);
	assert_int_equal(expr_schema_add(s, "ok.name_2", EXPR_T_INT, &err), CRM_EINVAL);
	assert_string_equal(err.message, "attribute 'ok.name_2' is defined twice");
	crm_err_clear(&err);
	assert_int_equal(expr_schema_add(s, "2bad", EXPR_T_INT, &err), CRM_EINVAL);
	assert_string_equal(err.message, "attribute name '2bad' is not valid");
	crm_err_clear(&err);
	assert_int_equal(expr_schema_add(s, "a..b", EXPR_T_INT, &err), CRM_EINVAL);
	crm_err_clear(&err);
	assert_int_equal(expr_schema_add(s, "Between", EXPR_T_INT, &err), CRM_EINVAL);
	assert_string_equal(err.message, "attribute name 'Between' is a keyword");
	crm_err_clear(&err);
	assert_int_equal(expr_schema_add(s, "x", EXPR_T_NULL, &err), CRM_EINVAL);
	assert_string_equal(err.message, "attribute 'x' has no valid type");
	assert_int_equal(expr_schema_add(s, "when", EXPR_T_DATE, NULL), 0);
	assert_int_equal(expr_schema_count(s), 2);
	assert_int_equal(expr_schema_attr(s, 1, &name, &t), 0);
	assert_string_equal(name, "when");
	assert_int_equal(t, EXPR_T_DATE);
	assert_int_equal(expr_schema_attr(s, 2, &name, &t), CRM_ENOTFOUND);
	assert_int_equal(expr_schema_lookup(s, "when", 4), 1);
	assert_int_equal(expr_schema_lookup(s, "whe", 3), -1);
	for (int i = 0; i < EXPR_T_COUNT; i++)
		assert_int_equal(expr_type_parse(expr_type_name((enum expr_type)i)), i);
	assert_int_equal(expr_type_parse("float"), -1);
	{
		struct expr_schema *big = expr_schema_new();
		char aname[16];

		for (int i = 0; i < EXPR_SCHEMA_MAX; i++) {
			snprintf(aname, sizeof(aname), "a%d", i);
			assert_int_equal(expr_schema_add(big, aname, EXPR_T_INT, NULL), 0);
		}
		crm_err_clear(&err);
		assert_int_equal(expr_schema_add(big, "one_more", EXPR_T_INT, &err), CRM_ETOOBIG);
		assert_string_equal(err.message, "schema has more than 4096 attributes");
		expr_schema_free(big);
	}
	assert_string_equal(expr_type_name(EXPR_T_NUM), "number");
	expr_schema_free(s);
	expr_schema_free(NULL);
	{
		struct expr_ctx c;

		expr_ctx_init(&c);
		assert_true(c.now > 1700000000);
	}
}

static void test_batch_basic(void **state)
{
	struct expr_schema *s = gen_schema();
	struct gen_rng r = {42};
	struct gen_data g;
	struct crm_err err = {0};
	struct expr *e = NULL;
	uint64_t sel[2] = {~0ULL, ~0ULL};

	(void)state;
	gen_data_fill(&g, &r, 3000);
	assert_int_equal(expr_compile(s, "n1 + 1", 6, &e, NULL), 0);
	assert_int_equal(expr_eval_batch(e, &ctx, g.cols, 10, sel, &err), CRM_EINVAL);
	assert_string_equal(err.message, "rule gives number, not true or false");
	expr_free(e);
	assert_int_equal(expr_compile(s, "null", 4, &e, NULL), 0);
	assert_int_equal(expr_eval_batch(e, &ctx, g.cols, 70, sel, NULL), 0);
	assert_true(sel[0] == 0 && sel[1] == 0);
	expr_free(e);
	assert_int_equal(expr_compile(s, "true", 4, &e, NULL), 0);
	assert_int_equal(expr_eval_batch(e, &ctx, g.cols, 70, sel, NULL), 0);
	assert_true(sel[0] == ~0ULL && sel[1] == 0x3f);
	assert_int_equal(gen_compare(e, &ctx, &g), -1);
	expr_free(e);
	gen_data_free(&g);
	expr_schema_free(s);
}

/* Whether two rules select the same rows of g. */
static bool same_rows(const struct expr *a, const struct expr *b, const struct expr_ctx *c,
		      const struct gen_data *g)
{
	size_t words = (g->n + 63) / 64;
	uint64_t *sa = calloc(words + 1, sizeof(uint64_t)),
		 *sb = calloc(words + 1, sizeof(uint64_t));
	bool same;

	assert_int_equal(expr_eval_batch(a, c, g->cols, g->n, sa, NULL), 0);
	assert_int_equal(expr_eval_batch(b, c, g->cols, g->n, sb, NULL), 0);
	same = memcmp(sa, sb, words * sizeof(uint64_t)) == 0;
	free(sa);
	free(sb);
	return same;
}

/* Row and batch evaluation agree on random rules and data. */
static void test_batch_property(void **state)
{
	struct expr_schema *s = gen_schema();
	struct gen_rng r = {7};
	struct gen_data g;
	unsigned compiled = 0;

	(void)state;
	gen_data_fill(&g, &r, 2500);
	for (int k = 0; k < 1500; k++) {
		struct strbuf sb = STRBUF_INIT;
		struct expr_errors errs;
		struct expr *e = NULL;
		long bad;

		gen_expr(&r, &sb, G_BOOL, 1 + (int)gen_pick(&r, 5));
		if (expr_compile(s, sb.buf, sb.len, &e, &errs) == 0) {
			struct strbuf n = STRBUF_INIT;
			struct expr *e2 = NULL;

			compiled++;
			bad = gen_compare(e, &ctx, &g);
			if (bad != -1)
				fail_msg("batch and row differ at row %ld for '%s'", bad, sb.buf);
			/* parse -> normalise -> parse gives the same tree, whose normal form is
			 * the same text, selecting the same rows */
			expr_normalise(e, &n);
			if (expr_compile(s, n.buf, n.len, &e2, &errs))
				fail_msg("normalised '%s' fails: %s", n.buf, errs.err.message);
			{
				struct strbuf d1 = STRBUF_INIT, d2 = STRBUF_INIT, n2 = STRBUF_INIT;

				expr__dump(e, &d1);
				expr__dump(e2, &d2);
				expr_normalise(e2, &n2);
				if (strcmp(d1.buf, d2.buf) != 0 || strcmp(n.buf, n2.buf) != 0)
					fail_msg("'%s' normalises to '%s', then '%s'; trees '%s' "
						 "and "
						 "'%s'",
						 sb.buf, n.buf, n2.buf, d1.buf, d2.buf);
				if (!same_rows(e, e2, &ctx, &g))
					fail_msg("'%s' and its normal form '%s' select different "
						 "rows",
						 sb.buf, n.buf);
				strbuf_release(&d1);
				strbuf_release(&d2);
				strbuf_release(&n2);
			}
			strbuf_release(&n);
			expr_free(e2);
			expr_free(e);
		}
		strbuf_release(&sb);
	}
	assert_true(compiled > 1000);
	gen_data_free(&g);
	expr_schema_free(s);
}

/* Row and batch agree when no two rows share a string view (the batch evaluator's memo of
 * string tests then misses and turns itself off), as they do when rows share views. */
static void test_batch_distinct_strings(void **state)
{
	struct expr_schema *s = gen_schema();
	struct gen_rng r = {11};
	struct gen_data g;
	struct str *shared[2];
	char *copies[2];
	unsigned compiled = 0;

	(void)state;
	gen_data_fill(&g, &r, 3000);
	for (int k = 0; k < 2; k++) {
		char *p = copies[k] = malloc(g.n * 4 + 1);

		shared[k] = g.str[k];
		g.str[k] = calloc(g.n + 1, sizeof(struct str));
		for (size_t i = 0; i < g.n; i++) {
			memcpy(p, shared[k][i].p, shared[k][i].len);
			g.str[k][i] = (struct str){p, shared[k][i].len};
			p += shared[k][i].len;
		}
	}
	g.cols[4].data = g.str[0];
	g.cols[5].data = g.str[1];
	for (int k = 0; k < 400; k++) {
		struct strbuf sb = STRBUF_INIT;
		struct expr *e = NULL;

		gen_expr(&r, &sb, G_BOOL, 1 + (int)gen_pick(&r, 4));
		if (expr_compile(s, sb.buf, sb.len, &e, NULL) == 0) {
			long bad = gen_compare(e, &ctx, &g);

			compiled++;
			if (bad != -1)
				fail_msg("batch and row differ at row %ld for '%s'", bad, sb.buf);
			expr_free(e);
		}
		strbuf_release(&sb);
	}
	assert_true(compiled > 250);
	for (int k = 0; k < 2; k++) {
		free(g.str[k]);
		g.str[k] = shared[k];
		free(copies[k]);
	}
	gen_data_free(&g);
	expr_schema_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_literals),
		cmocka_unit_test(test_arith),
		cmocka_unit_test(test_truth_tables),
		cmocka_unit_test(test_null_logic),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_functions),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_normalise),
		cmocka_unit_test(test_explain),
		cmocka_unit_test(test_schema),
		cmocka_unit_test(test_batch_basic),
		cmocka_unit_test(test_batch_property),
		cmocka_unit_test(test_batch_distinct_strings),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
