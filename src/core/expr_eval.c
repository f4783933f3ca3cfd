/*
 * The rule language row evaluator: one pass over the step array with a register per
 * syntax node, on the caller's stack (no allocation, no recursion), plus the scalar helpers
 * (dates, durations, strings with case folding, like) that the batch evaluator shares so
 * that both give identical results.
 */
#include "core/expr_int.h"

#include <math.h>
#include <string.h>
#include <time.h>

#include "core/time.h"
#include "core/banned.h"

/* ---- dates and durations ---- */

#define DUR_MONTHS_MAX 1000000
#define DUR_DAYS_MAX   100000000
#define DATE_MIN       (-719162) /* 0001-01-01 */
#define DATE_MAX       2932896	 /* 9999-12-31 */

int64_t expr_dur_make(int32_t months, int32_t days)
{
	return (int64_t)months * 4294967296LL + days;
}

int32_t expr_dur_days(int64_t dur)
{
	return (int32_t)(uint32_t)((uint64_t)dur & 0xffffffffu);
}

int32_t expr_dur_months(int64_t dur)
{
	return (int32_t)((dur - expr_dur_days(dur)) / 4294967296LL);
}

/* Howard Hinnant's days_from_civil and civil_from_days. */
int64_t expr_date_make(int year, int month, int day)
{
	int64_t y = year - (month <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void expr_date_split(int64_t days, int *year, int *month, int *day)
{
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t m = mp + (mp < 10 ? 3 : -9);

	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = (int)m;
	*year = (int)(yoe + era * 400 + (m <= 2));
}

bool expr__date_ok(int64_t d)
{
	return d >= DATE_MIN && d <= DATE_MAX;
}

bool expr__date_add(int64_t d, int64_t dur, int sign, int64_t *out)
{
	int64_t months = (int64_t)sign * expr_dur_months(dur),
		days = (int64_t)sign * expr_dur_days(dur);
	int y, m, dd;
	int64_t tm;

	if (!expr__date_ok(d))
		return false;
	if (months) {
		expr_date_split(d, &y, &m, &dd);
		tm = (int64_t)y * 12 + (m - 1) + months;
		if (tm < 12 || tm > 9999 * 12 + 11)
			return false;
		y = (int)(tm / 12);
		m = (int)(tm % 12) + 1;
		if (dd > time_days_in_month(y, m))
			dd = time_days_in_month(y, m);
		d = expr_date_make(y, m, dd);
	}
	d += days;
	if (!expr__date_ok(d))
		return false;
	*out = d;
	return true;
}

bool expr__dur_add(int64_t a, int64_t b, int sign, int64_t *out)
{
	int64_t m = (int64_t)expr_dur_months(a) + sign * (int64_t)expr_dur_months(b);
	int64_t d = (int64_t)expr_dur_days(a) + sign * (int64_t)expr_dur_days(b);

	if (m < -DUR_MONTHS_MAX || m > DUR_MONTHS_MAX || d < -DUR_DAYS_MAX || d > DUR_DAYS_MAX)
		return false;
	*out = expr_dur_make((int32_t)m, (int32_t)d);
	return true;
}

int64_t expr__dur_days(int64_t dur)
{
	return (int64_t)expr_dur_months(dur) * 30 + expr_dur_days(dur);
}

int64_t expr__months_between(int64_t a, int64_t b)
{
	int ya, ma, da, yb, mb, db;
	int64_t r;

	expr_date_split(a, &ya, &ma, &da);
	expr_date_split(b, &yb, &mb, &db);
	r = ((int64_t)yb * 12 + mb) - ((int64_t)ya * 12 + ma);
	if (r > 0 && db < da)
		r--;
	else if (r < 0 && db > da)
		r++;
	return r;
}

int64_t expr__now(const struct expr_ctx *ctx)
{
	return ctx ? ctx->now : (int64_t)time(NULL);
}

int64_t expr__today(const struct expr_ctx *ctx)
{
	int64_t s = expr__now(ctx) + (ctx ? ctx->utc_offset : 0);

	return s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
}

/* ---- numbers ---- */

double expr__round2(double x, int64_t digits)
{
	double p, r;

	if (digits > 308)
		digits = 308;
	if (digits < -308)
		digits = -308;
	p = pow(10.0, (double)(digits < 0 ? -digits : digits));
	if (digits >= 0) {
		r = round(x * p) / p;
		return isfinite(r) ? r : x;
	}
	r = round(x / p) * p;
	return isfinite(r) ? r : x;
}

bool expr__mod_i(int64_t a, int64_t b, int64_t *out)
{
	if (b == 0)
		return false;
	*out = b == -1 ? 0 : a % b;
	return true;
}

/* ---- strings ---- */

/* Byte i of s under case folding (ASCII and Latin-1 letters; lengths never change). */
static inline unsigned char at(const char *p, size_t i, uint8_t fold)
{
	unsigned char c = (unsigned char)p[i];

	if (!fold)
		return c;
	if (fold == FOLD_LOWER) {
		if (c >= 'A' && c <= 'Z')
			return (unsigned char)(c + 32);
		if (i && (unsigned char)p[i - 1] == 0xc3 && c >= 0x80 && c <= 0x9e && c != 0x97)
			return (unsigned char)(c + 0x20);
	} else {
		if (c >= 'a' && c <= 'z')
			return (unsigned char)(c - 32);
		if (i && (unsigned char)p[i - 1] == 0xc3 && c >= 0xa0 && c <= 0xbe && c != 0xb7)
			return (unsigned char)(c - 0x20);
	}
	return c;
}

int expr__str_cmp(struct str a, uint8_t fa, struct str b, uint8_t fb)
{
	size_t n = a.len < b.len ? a.len : b.len;

	if (!fa && !fb) {
		int c = n ? memcmp(a.p, b.p, n) : 0;

		if (c)
			return c < 0 ? -1 : 1;
	} else {
		for (size_t i = 0; i < n; i++) {
			unsigned char x = at(a.p, i, fa), y = at(b.p, i, fb);

			if (x != y)
				return x < y ? -1 : 1;
		}
	}
	return a.len < b.len ? -1 : a.len > b.len;
}

bool expr__str_eq(struct str a, uint8_t fa, struct str b, uint8_t fb)
{
	if (a.len != b.len)
		return false;
	if (!fa && !fb)
		return a.len == 0 || memcmp(a.p, b.p, a.len) == 0;
	return expr__str_cmp(a, fa, b, fb) == 0;
}

bool expr__starts(struct str s, uint8_t fs, struct str p, uint8_t fp)
{
	if (p.len > s.len)
		return false;
	return expr__str_eq((struct str){s.p, p.len}, fs, p, fp);
}

bool expr__contains(struct str s, uint8_t fs, struct str p, uint8_t fp)
{
	if (p.len == 0)
		return true;
	if (p.len > s.len)
		return false;
	if (!fs && !fp)
		return memmem(s.p, s.len, p.p, p.len) != NULL;
	for (size_t i = 0; i + p.len <= s.len; i++) {
		size_t j = 0;

		while (j < p.len && at(s.p, i + j, fs) == at(p.p, j, fp))
			j++;
		if (j == p.len)
			return true;
	}
	return false;
}

/* Bytes of the character starting at s[i] (1 for a stray byte). */
static size_t charlen(struct str s, size_t i)
{
	unsigned char c = (unsigned char)s.p[i];
	size_t n = c < 0xc0 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;

	return i + n <= s.len ? n : s.len - i;
}

/* SQL like: % any run, _ one character, \ quotes the next pattern byte. Iterative, with
 * backtracking to the last %, so O(len(s) * len(p)) at worst. */
bool expr__like(struct str s, uint8_t fs, struct str p, uint8_t fp)
{
	size_t si = 0, pi = 0, star_p = 0, star_s = 0;
	bool star = false;

	while (si < s.len) {
		if (pi < p.len && p.p[pi] == '%') {
			star = true;
			star_p = ++pi;
			star_s = si;
			continue;
		}
		if (pi < p.len && p.p[pi] == '_') {
			si += charlen(s, si);
			pi++;
			continue;
		}
		if (pi < p.len) {
			size_t q = pi;

			if (p.p[q] == '\\' && q + 1 < p.len)
				q++;
			if (at(s.p, si, fs) == at(p.p, q, fp)) {
				si++;
				pi = q + 1;
				continue;
			}
		}
		if (!star)
			return false;
		star_s += charlen(s, star_s);
		si = star_s;
		pi = star_p;
	}
	while (pi < p.len && p.p[pi] == '%')
		pi++;
	return pi == p.len;
}

int64_t expr__utf8_len(struct str s)
{
	int64_t n = 0;

	for (size_t i = 0; i < s.len; i++)
		n += ((unsigned char)s.p[i] & 0xc0) != 0x80;
	return n;
}

/* ---- the row evaluator ---- */

static bool cmp_holds(int c, uint16_t op)
{
	switch (op) {
	case B_EQ:
		return c == 0;
	case B_NE:
		return c != 0;
	case B_LT:
		return c < 0;
	case B_LE:
		return c <= 0;
	case B_GT:
		return c > 0;
	default:
		return c >= 0;
	}
}

#define CMP3(x, y) ((x) < (y) ? -1 : (x) > (y) ? 1 : 0)

/* Numbers compare as C does: NaN is neither less, equal nor greater. */
static bool cmp_num(double x, double y, uint16_t op)
{
	switch (op) {
	case B_EQ:
		return x == y;
	case B_NE:
		return x != y;
	case B_LT:
		return x < y;
	case B_LE:
		return x <= y;
	case B_GT:
		return x > y;
	default:
		return x >= y;
	}
}

static void set_bool(struct expr_value *r, bool b)
{
	r->u.b = b;
	r->null = 0;
	r->fold = 0;
}

static void set_null(struct expr_value *r)
{
	memset(r, 0, sizeof(*r));
	r->null = 1;
}

static void set_int(struct expr_value *r, int64_t i)
{
	r->u.i = i;
	r->null = 0;
	r->fold = 0;
}

static void set_num(struct expr_value *r, double n)
{
	r->u.n = n;
	r->null = 0;
	r->fold = 0;
}

static const uint8_t strict[OP_COUNT] = {
	[OP_I2N] = 1,	 [OP_DUR2DAYS] = 1, [OP_NEG_I] = 1,   [OP_NEG_N] = 1,	[OP_NEG_DUR] = 1,
	[OP_ADD_I] = 2,	 [OP_SUB_I] = 2,    [OP_MUL_I] = 2,   [OP_MOD_I] = 2,	[OP_ADD_N] = 2,
	[OP_SUB_N] = 2,	 [OP_MUL_N] = 2,    [OP_DIV_N] = 2,   [OP_MOD_N] = 2,	[OP_ADD_DD] = 2,
	[OP_SUB_DD] = 2, [OP_SUB_DATE] = 2, [OP_ADD_DUR] = 2, [OP_SUB_DUR] = 2, [OP_CMP_I] = 2,
	[OP_CMP_N] = 2,	 [OP_CMP_S] = 2,    [OP_CMP_B] = 2};

static inline void step(const struct expr *e, const struct expr_ctx *ctx, const struct expr_step *s,
			struct expr_value *regs, const struct expr_value *row)
{
	struct expr_value *d = &regs[s->dst];
	const struct expr_value *a = &regs[s->a], *b = &regs[s->b];
	int64_t i;

	if ((strict[s->op] && a->null) || (strict[s->op] == 2 && b->null)) {
		set_null(d);
		return;
	}
	{
		switch (s->op) {
		case OP_NULL:
			set_null(d);
			break;
		case OP_CONST:
			*d = e->consts[s->aux];
			break;
		case OP_ATTR:
			*d = row[s->aux];
			d->fold = 0;
			break;
		case OP_BOOLATTR:
			*d = row[s->aux];
			d->fold = 0;
			d->u.b = !d->null && d->u.b;
			break;
		case OP_I2N:
			set_num(d, (double)a->u.i);
			break;
		case OP_DUR2DAYS:
			set_int(d, expr__dur_days(a->u.i));
			break;
		case OP_ADD_I:
			if (__builtin_add_overflow(a->u.i, b->u.i, &i))
				set_null(d);
			else
				set_int(d, i);
			break;
		case OP_SUB_I:
			if (__builtin_sub_overflow(a->u.i, b->u.i, &i))
				set_null(d);
			else
				set_int(d, i);
			break;
		case OP_MUL_I:
			if (__builtin_mul_overflow(a->u.i, b->u.i, &i))
				set_null(d);
			else
				set_int(d, i);
			break;
		case OP_MOD_I:
			if (!expr__mod_i(a->u.i, b->u.i, &i))
				set_null(d);
			else
				set_int(d, i);
			break;
		case OP_NEG_I:
			if (a->u.i == INT64_MIN)
				set_null(d);
			else
				set_int(d, -a->u.i);
			break;
		case OP_ADD_N:
			set_num(d, a->u.n + b->u.n);
			break;
		case OP_SUB_N:
			set_num(d, a->u.n - b->u.n);
			break;
		case OP_MUL_N:
			set_num(d, a->u.n * b->u.n);
			break;
		case OP_DIV_N:
			if (b->u.n == 0)
				set_null(d);
			else
				set_num(d, a->u.n / b->u.n);
			break;
		case OP_MOD_N:
			if (b->u.n == 0)
				set_null(d);
			else
				set_num(d, fmod(a->u.n, b->u.n));
			break;
		case OP_NEG_N:
			set_num(d, -a->u.n);
			break;
		case OP_ADD_DD:
		case OP_SUB_DD:
			if (expr__date_add(a->u.i, b->u.i, s->op == OP_ADD_DD ? 1 : -1, &i))
				set_int(d, i);
			else
				set_null(d);
			break;
		case OP_SUB_DATE:
			if (expr__date_ok(a->u.i) && expr__date_ok(b->u.i))
				set_int(d, a->u.i - b->u.i);
			else
				set_null(d);
			break;
		case OP_ADD_DUR:
		case OP_SUB_DUR:
			if (expr__dur_add(a->u.i, b->u.i, s->op == OP_ADD_DUR ? 1 : -1, &i))
				set_int(d, i);
			else
				set_null(d);
			break;
		case OP_NEG_DUR:
			if (expr__dur_add(0, a->u.i, -1, &i))
				set_int(d, i);
			else
				set_null(d);
			break;
		case OP_CMP_I:
			set_bool(d, cmp_holds(CMP3(a->u.i, b->u.i), s->c));
			break;
		case OP_CMP_N:
			set_bool(d, cmp_num(a->u.n, b->u.n, s->c));
			break;
		case OP_CMP_S:
			if (s->c == B_EQ || s->c == B_NE)
				set_bool(d, expr__str_eq(a->u.s, a->fold, b->u.s, b->fold) ==
						    (s->c == B_EQ));
			else
				set_bool(d,
					 cmp_holds(expr__str_cmp(a->u.s, a->fold, b->u.s, b->fold),
						   s->c));
			break;
		case OP_CMP_B:
			set_bool(d, (a->u.b == b->u.b) == (s->c == B_EQ));
			break;
		case OP_AND:
			if ((!a->null && !a->u.b) || (!b->null && !b->u.b))
				set_bool(d, false);
			else if (a->null || b->null)
				set_null(d);
			else
				set_bool(d, true);
			break;
		case OP_OR:
			if ((!a->null && a->u.b) || (!b->null && b->u.b))
				set_bool(d, true);
			else if (a->null || b->null)
				set_null(d);
			else
				set_bool(d, false);
			break;
		case OP_NOT:
			if (a->null)
				set_null(d);
			else
				set_bool(d, !a->u.b);
			break;
		case OP_ISNULL:
			set_bool(d, a->null != s->neg);
			break;
		case OP_IN_I:
		case OP_IN_N:
		case OP_IN_S: {
			const struct expr_value *c = &e->consts[s->aux];
			bool hit = false;

			if (a->null) {
				set_null(d);
				break;
			}
			for (uint32_t j = 0; j < s->naux && !hit; j++)
				hit = s->op == OP_IN_I ? a->u.i == c[j].u.i
				      : s->op == OP_IN_N
					      ? a->u.n == c[j].u.n
					      : expr__str_eq(a->u.s, a->fold, c[j].u.s, 0);
			if (!hit && s->c)
				set_null(d);
			else
				set_bool(d, hit != s->neg);
			break;
		}
		case OP_BETWEEN_I:
		case OP_BETWEEN_N:
		case OP_BETWEEN_S: {
			const struct expr_value *c = &regs[s->c];
			int ge = -1, le = -1; /* -1 null, 0 false, 1 true */

			if (!a->null && !b->null)
				ge = s->op == OP_BETWEEN_I ? a->u.i >= b->u.i
				     : s->op == OP_BETWEEN_N
					     ? a->u.n >= b->u.n
					     : expr__str_cmp(a->u.s, a->fold, b->u.s, b->fold) >= 0;
			if (!a->null && !c->null)
				le = s->op == OP_BETWEEN_I ? a->u.i <= c->u.i
				     : s->op == OP_BETWEEN_N
					     ? a->u.n <= c->u.n
					     : expr__str_cmp(a->u.s, a->fold, c->u.s, c->fold) <= 0;
			if (ge == 0 || le == 0)
				set_bool(d, s->neg);
			else if (ge < 0 || le < 0)
				set_null(d);
			else
				set_bool(d, !s->neg);
			break;
		}
		case OP_LIKE:
		case OP_CONTAINS:
		case OP_STARTS:
			if (a->null || b->null)
				set_null(d);
			else
				set_bool(d,
					 (s->op == OP_LIKE
						  ? expr__like(a->u.s, a->fold, b->u.s, b->fold)
					  : s->op == OP_CONTAINS
						  ? expr__contains(a->u.s, a->fold, b->u.s, b->fold)
						  : expr__starts(a->u.s, a->fold, b->u.s,
								 b->fold)) != s->neg);
			break;
		case OP_ABS_I:
			if (a->null || a->u.i == INT64_MIN)
				set_null(d);
			else
				set_int(d, a->u.i < 0 ? -a->u.i : a->u.i);
			break;
		case OP_ABS_N:
			if (a->null)
				set_null(d);
			else
				set_num(d, fabs(a->u.n));
			break;
		case OP_MIN_I:
		case OP_MIN_N:
		case OP_MIN_S:
		case OP_MAX_I:
		case OP_MAX_N:
		case OP_MAX_S: {
			const uint16_t *ar = &e->args[s->aux];
			bool max = s->op >= OP_MAX_I;
			const struct expr_value *best = &regs[ar[0]];

			for (uint32_t j = 0; j < s->naux && !best->null; j++) {
				const struct expr_value *v = &regs[ar[j]];
				int c;

				if (v->null) {
					best = v;
					break;
				}
				c = (s->op == OP_MIN_I || s->op == OP_MAX_I)
					    ? CMP3(v->u.i, best->u.i)
				    : (s->op == OP_MIN_N || s->op == OP_MAX_N)
					    ? CMP3(v->u.n, best->u.n)
					    : expr__str_cmp(v->u.s, v->fold, best->u.s, best->fold);
				if (max ? c > 0 : c < 0)
					best = v;
			}
			if (best->null)
				set_null(d);
			else
				*d = *best;
			break;
		}
		case OP_COALESCE: {
			const uint16_t *ar = &e->args[s->aux];

			set_null(d);
			for (uint32_t j = 0; j < s->naux; j++)
				if (!regs[ar[j]].null) {
					*d = regs[ar[j]];
					break;
				}
			break;
		}
		case OP_COPY:
			*d = *a;
			break;
		case OP_ROUND_N:
			if (a->null)
				set_null(d);
			else
				set_num(d, round(a->u.n));
			break;
		case OP_ROUND_N2:
			if (a->null || b->null)
				set_null(d);
			else
				set_num(d, expr__round2(a->u.n, b->u.i));
			break;
		case OP_LEN:
			if (a->null)
				set_null(d);
			else
				set_int(d, expr__utf8_len(a->u.s));
			break;
		case OP_LOWER:
		case OP_UPPER:
			*d = *a;
			if (!a->null)
				d->fold = s->op == OP_LOWER ? FOLD_LOWER : FOLD_UPPER;
			break;
		case OP_DAYS_SINCE:
			if (a->null || !expr__date_ok(a->u.i))
				set_null(d);
			else
				set_int(d, expr__today(ctx) - a->u.i);
			break;
		case OP_MONTHS_BETWEEN:
			if (a->null || b->null || !expr__date_ok(a->u.i) || !expr__date_ok(b->u.i))
				set_null(d);
			else
				set_int(d, expr__months_between(a->u.i, b->u.i));
			break;
		case OP_NOW:
			set_int(d, expr__now(ctx));
			break;
		case OP_TODAY:
			set_int(d, expr__today(ctx));
			break;
		default:
			CRM_BUG("expr: bad op %u", s->op);
		}
	}
}

void expr__step(const struct expr *e, const struct expr_ctx *ctx, const struct expr_step *s,
		struct expr_value *regs, const struct expr_value *row)
{
	step(e, ctx, s, regs, row);
}

void expr__run(const struct expr *e, const struct expr_ctx *ctx, const struct expr_value *row,
	       struct expr_value *regs)
{
	for (uint32_t k = 0; k < e->nsteps; k++)
		step(e, ctx, &e->steps[k], regs, row);
}

int expr_eval_row(const struct expr *e, const struct expr_ctx *ctx, const struct expr_value *row,
		  struct expr_value *out)
{
	struct expr_value regs[EXPR_MAX_NODES];

	expr__run(e, ctx, row, regs);
	*out = regs[e->root];
	return 0;
}

bool expr_match_row(const struct expr *e, const struct expr_ctx *ctx, const struct expr_value *row)
{
	struct expr_value v;

	expr_eval_row(e, ctx, row, &v);
	return expr_result_type(e) == EXPR_T_BOOL && !v.null && v.u.b;
}
