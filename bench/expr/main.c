/*
 * Rule language benchmark: one 6-condition rule mixing numbers, strings and null over N
 * rows (default 10M), evaluated row by row (expr_match_row), vectorised (expr_eval_batch)
 * and, on the same data in an in-memory table, by SQLite as SELECT count(*) ... WHERE.
 * Then, for the breakdown: each condition alone and each prefix of the rule vectorised,
 * the rule over string columns whose every row is its own copy, and a plain scan reading
 * every column once. Prints key=value lines for bench/expr.sh; the match counts must agree.
 *   bench-expr [ROWS]
 */
#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/expr.h"
#include "core/mem.h"
#include "core/str.h"
#include "core/banned.h"

#define C1   "arpu_3m < 20"
#define C2   "complaints_90d >= 2"
#define C3   "segment in ('consumer', 'smb')"
#define C4   "tenure_months > 24"
#define C5   "(churn_score > 0.5 or churn_score is null)"
#define C6   "plan != 'corporate'"
#define RULE C1 " and " C2 " and " C3 " and " C4 " and " C5 " and " C6
static const char *const conds[] = {C1, C2, C3, C4, C5, C6};
#define NCONDS 6
#define SQL                                                                                        \
	"SELECT count(*) FROM t WHERE arpu_3m < 20 AND complaints_90d >= 2 AND segment IN "        \
	"('consumer', 'smb') AND tenure_months > 24 AND (churn_score > 0.5 OR churn_score IS "     \
	"NULL) AND plan <> 'corporate'"

static const char *const segments[] = {"consumer", "smb", "enterprise", "wholesale"};
static const char *const plans[] = {"prepaid_10", "postpaid_25", "corporate", "family_40",
				    "sim_only"};

struct data {
	size_t n;
	double *arpu, *churn;
	int64_t *complaints, *tenure;
	struct str *segment, *plan;
	uint64_t *churn_nulls;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t rng = 88172645463325252ULL;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

static void fill(struct data *d, size_t n)
{
	d->n = n;
	d->arpu = xmalloc(n * sizeof(double));
	d->churn = xmalloc(n * sizeof(double));
	d->complaints = xmalloc(n * sizeof(int64_t));
	d->tenure = xmalloc(n * sizeof(int64_t));
	d->segment = xmalloc(n * sizeof(struct str));
	d->plan = xmalloc(n * sizeof(struct str));
	d->churn_nulls = xcalloc((n + 63) / 64, sizeof(uint64_t));
	for (size_t i = 0; i < n; i++) {
		const char *s = segments[rnd() % 4], *p = plans[rnd() % 5];

		d->arpu[i] = (double)(rnd() % 6000) / 100.0; /* 0 .. 60 */
		d->complaints[i] = rnd() % 5;
		d->tenure[i] = rnd() % 96;
		d->churn[i] = (double)(rnd() % 1000) / 1000.0;
		if (rnd() % 5 == 0)
			d->churn_nulls[i / 64] |= 1ULL << (i % 64);
		d->segment[i] = (struct str){s, strlen(s)};
		d->plan[i] = (struct str){p, strlen(p)};
	}
}

static bool is_null(const uint64_t *bits, size_t i)
{
	return (bits[i / 64] >> (i % 64)) & 1;
}

static int load_sqlite(sqlite3 *db, const struct data *d)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_exec(db,
			  "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
			  "CREATE TABLE t(arpu_3m REAL, complaints_90d INTEGER, segment TEXT,"
			  " tenure_months INTEGER, churn_score REAL, plan TEXT); BEGIN",
			  NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)", -1, &st,
					NULL);
	for (size_t i = 0; rc == SQLITE_OK && i < d->n; i++) {
		sqlite3_bind_double(st, 1, d->arpu[i]);
		sqlite3_bind_int64(st, 2, d->complaints[i]);
		sqlite3_bind_text(st, 3, d->segment[i].p, (int)d->segment[i].len, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, d->tenure[i]);
		if (is_null(d->churn_nulls, i))
			sqlite3_bind_null(st, 5);
		else
			sqlite3_bind_double(st, 5, d->churn[i]);
		sqlite3_bind_text(st, 6, d->plan[i].p, (int)d->plan[i].len, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	return rc;
}

/* Seconds of the best of 3 vectorised passes of text over cols; *matches: rows selected. */
static double vec_time(const struct expr_schema *schema, const char *text,
		       const struct expr_column *cols, size_t n, const struct expr_ctx *ctx,
		       uint64_t *sel, uint64_t *matches)
{
	struct expr_errors errs;
	struct expr *e = NULL;
	double best = 1e9;

	if (expr_compile(schema, text, strlen(text), &e, &errs)) {
		fprintf(stderr, "bench-expr: '%s': %s\n", text, errs.err.message);
		exit(1);
	}
	for (int rep = 0; rep < 3; rep++) {
		double t = now_s();

		expr_eval_batch(e, ctx, cols, n, sel, NULL);
		t = now_s() - t;
		best = t < best ? t : best;
	}
	*matches = 0;
	for (size_t w = 0; w < (n + 63) / 64; w++)
		*matches += (uint64_t)__builtin_popcountll(sel[w]);
	expr_free(e);
	return best;
}

/* Seconds of the best of 3 plain passes reading every value of every column once: the
 * floor that memory bandwidth sets for any evaluator reading whole columns. */
static double scan_time(const struct data *d, double *checksum)
{
	double best = 1e9;

	for (int rep = 0; rep < 3; rep++) {
		double t = now_s(), acc = 0;
		uint64_t acci = 0;

		for (size_t i = 0; i < d->n; i++) {
			acc += d->arpu[i] + d->churn[i];
			acci += (uint64_t)(d->complaints[i] + d->tenure[i]) + d->segment[i].len +
				d->plan[i].len + (uintptr_t)d->segment[i].p +
				(uintptr_t)d->plan[i].p;
		}
		for (size_t w = 0; w < (d->n + 63) / 64; w++)
			acci += d->churn_nulls[w];
		*checksum = acc + (double)acci;
		t = now_s() - t;
		best = t < best ? t : best;
	}
	return best;
}

/* Copies every row's string into a buffer of its own: no two rows share a view. */
static struct str *distinct(const struct str *v, size_t n, char **buf)
{
	struct str *out = xmalloc(n * sizeof(*out));
	size_t len = 0;
	char *p;

	for (size_t i = 0; i < n; i++)
		len += v[i].len;
	p = *buf = xmalloc(len + 1);
	for (size_t i = 0; i < n; i++) {
		memcpy(p, v[i].p, v[i].len);
		out[i] = (struct str){p, v[i].len};
		p += v[i].len;
	}
	return out;
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 10000000;
	struct expr_schema *schema = expr_schema_new();
	struct expr_ctx ctx = {1769860800, 0};
	struct expr_errors errs;
	struct expr *e = NULL;
	struct expr_column cols[6];
	struct data d;
	uint64_t *sel;
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	double t, best_row = 1e9, best_vec = 1e9, best_sql = 1e9;
	uint64_t c_row = 0, c_vec = 0;
	int64_t c_sql = 0;

	expr_schema_add(schema, "arpu_3m", EXPR_T_NUM, NULL);
	expr_schema_add(schema, "complaints_90d", EXPR_T_INT, NULL);
	expr_schema_add(schema, "segment", EXPR_T_STR, NULL);
	expr_schema_add(schema, "tenure_months", EXPR_T_INT, NULL);
	expr_schema_add(schema, "churn_score", EXPR_T_NUM, NULL);
	expr_schema_add(schema, "plan", EXPR_T_STR, NULL);
	if (expr_compile(schema, RULE, strlen(RULE), &e, &errs)) {
		fprintf(stderr, "bench-expr: %s\n", errs.err.message);
		return 1;
	}
	fill(&d, n);
	cols[0] = (struct expr_column){d.arpu, NULL};
	cols[1] = (struct expr_column){d.complaints, NULL};
	cols[2] = (struct expr_column){d.segment, NULL};
	cols[3] = (struct expr_column){d.tenure, NULL};
	cols[4] = (struct expr_column){d.churn, d.churn_nulls};
	cols[5] = (struct expr_column){d.plan, NULL};
	sel = xmalloc(((n + 63) / 64) * sizeof(uint64_t));

	for (int rep = 0; rep < 3; rep++) {
		struct expr_value row[6];

		memset(row, 0, sizeof(row));
		t = now_s();
		c_row = 0;
		for (size_t i = 0; i < n; i++) {
			row[0].u.n = d.arpu[i];
			row[1].u.i = d.complaints[i];
			row[2].u.s = d.segment[i];
			row[3].u.i = d.tenure[i];
			row[4].u.n = d.churn[i];
			row[4].null = is_null(d.churn_nulls, i);
			row[5].u.s = d.plan[i];
			c_row += expr_match_row(e, &ctx, row);
		}
		t = now_s() - t;
		best_row = t < best_row ? t : best_row;

		t = now_s();
		expr_eval_batch(e, &ctx, cols, n, sel, NULL);
		c_vec = 0;
		for (size_t w = 0; w < (n + 63) / 64; w++)
			c_vec += (uint64_t)__builtin_popcountll(sel[w]);
		t = now_s() - t;
		best_vec = t < best_vec ? t : best_vec;
	}

	t = now_s();
	if (sqlite3_open(":memory:", &db) != SQLITE_OK || load_sqlite(db, &d) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, SQL, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "bench-expr: sqlite: %s\n", sqlite3_errmsg(db));
		return 1;
	}
	fprintf(stderr, "bench-expr: sqlite load %.1f s\n", now_s() - t);
	for (int rep = 0; rep < 3; rep++) {
		t = now_s();
		if (sqlite3_step(st) != SQLITE_ROW)
			return 1;
		c_sql = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		t = now_s() - t;
		best_sql = t < best_sql ? t : best_sql;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);

	printf("rule=%s\n", RULE);
	printf("rows=%zu\nmatches_row=%" PRIu64 "\nmatches_vec=%" PRIu64 "\nmatches_sqlite=%" PRId64
	       "\n",
	       n, c_row, c_vec, c_sql);
	printf("row_rows_per_s=%.0f\nvec_rows_per_s=%.0f\nsqlite_rows_per_s=%.0f\n", n / best_row,
	       n / best_vec, n / best_sql);
	printf("vec_over_sqlite=%.1f\nrow_over_sqlite=%.2f\nvec_over_row=%.1f\n",
	       best_sql / best_vec, best_sql / best_row, best_row / best_vec);
	fflush(stdout);

	/* the breakdown */
	{
		struct strbuf prefix = STRBUF_INIT;
		struct expr_column dcols[6];
		struct str *dseg, *dplan;
		char *bseg, *bplan;
		uint64_t c;
		double sum;

		for (int k = 0; k < NCONDS; k++) {
			t = vec_time(schema, conds[k], cols, n, &ctx, sel, &c);
			printf("cond_%d=%s\nalone_%d_rows_per_s=%.0f\nalone_%d_matches=%" PRIu64
			       "\n",
			       k + 1, conds[k], k + 1, n / t, k + 1, c);
			strbuf_addstr(&prefix, k ? " and " : "");
			strbuf_addstr(&prefix, conds[k]);
			t = vec_time(schema, strbuf_cstr(&prefix), cols, n, &ctx, sel, &c);
			printf("prefix_%d_rows_per_s=%.0f\nprefix_%d_matches=%" PRIu64 "\n", k + 1,
			       n / t, k + 1, c);
		}
		strbuf_release(&prefix);
		t = scan_time(&d, &sum);
		fprintf(stderr, "bench-expr: scan checksum %g\n", sum);
		printf("scan_rows_per_s=%.0f\nscan_gb_per_s=%.1f\nbytes_per_row=%zu\n", n / t,
		       (double)n * (4 * 8 + 2 * sizeof(struct str)) / t / 1e9,
		       4 * 8 + 2 * sizeof(struct str));
		dseg = distinct(d.segment, n, &bseg);
		dplan = distinct(d.plan, n, &bplan);
		memcpy(dcols, cols, sizeof(dcols));
		dcols[2].data = dseg;
		dcols[5].data = dplan;
		t = vec_time(schema, RULE, dcols, n, &ctx, sel, &c);
		printf("vec_distinct_rows_per_s=%.0f\nvec_distinct_matches=%" PRIu64 "\n", n / t,
		       c);
		if (c != c_vec)
			return 2;
		free(dseg);
		free(dplan);
		free(bseg);
		free(bplan);
	}
	expr_free(e);
	expr_schema_free(schema);
	free(sel);
	free(d.arpu);
	free(d.churn);
	free(d.complaints);
	free(d.tenure);
	free(d.segment);
	free(d.plan);
	free(d.churn_nulls);
	return (c_row == c_vec && (int64_t)c_vec == c_sql) ? 0 : 2;
}
