/*
 * The rule language batch evaluator: runs the step array over chunks of BATCH rows, one
 * typed vector (values, null bytes, fold bytes) per register, in tight loops the compiler
 * can vectorise; attribute vectors point straight into the caller's columns. Constant
 * subexpressions are computed once per call, vectors known to hold no null skip the null
 * arithmetic, the operands of an 'and'/'or' chain with row-by-row work (string tests,
 * rare operators) are evaluated last and only for the rows the others leave undecided,
 * string tests against constants remember their result per view, and the next chunk's
 * columns are prefetched while this one is evaluated. Rare operators fall back to the row
 * evaluator's step, row by row, so results agree.
 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3")
#endif

#include "core/expr_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/banned.h"

#define BATCH 1024
#define WORDS (BATCH / 64)

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "expr_batch.c packs bytes into bitmaps assuming a little-endian machine"
#endif

/*
 * Invariants of a vector, for the rows of the current chunk that matter (see masks):
 * v holds the values and n the null bytes (0/1); a bool vector holds 0 where the row is
 * null; nonull says n is all zero (n then points at zeros). Rows that do not matter hold
 * stale but harmless values (bytes stay 0/1), so a vector kernel may compute every row of
 * the chunk. String kernels may not: a view under a null bit of a column may be garbage,
 * so they visit only the rows of their mask and test the null bytes before a view.
 */
struct vec {
	const void *v;
	const uint8_t *n;
	const uint8_t *f;
	void *vbuf;
	uint8_t *nbuf;
	uint8_t *fbuf;
	uint8_t nonull;
	uint8_t konst; /* the same value for every row: computed once per call */
	uint8_t heavy; /* this step or one below works row by row */
	uint16_t mask; /* the rows whose value matters: a mask id, 0 for every row */
};

/*
 * A mask: the rows for which the right operand of an 'and' ('or') matters — those where
 * the left operand is not false (not true), within the rows that matter for the 'and'
 * itself (the parent mask). Computed lazily per chunk: in the step order (children before
 * parents, left before right) the left operand is complete before any step of the right.
 */
struct mask {
	uint16_t parent;
	uint16_t left; /* register of the left operand */
	uint8_t is_or;
	uint8_t done; /* computed for the current chunk */
	uint8_t any;  /* some bit is set */
	uint64_t bits[WORDS];
};

/*
 * String tests against constants ('=', 'in', 'like', ...) remember their result per view
 * (pointer, length, folding): string columns usually repeat a few values, e.g. views into
 * a dictionary, and a repeated view then costs a lookup instead of a comparison. The
 * strings are borrowed for the whole call, so a view's bytes cannot change under it. Each
 * view has two candidate slots. A memo that misses on most rows of a chunk is switched
 * off for the rest of the call.
 */
#define MEMO 64

struct memo {
	const char *p;
	size_t len; /* SIZE_MAX: empty slot */
	uint8_t fold;
	uint8_t r;
};

struct batch {
	const struct expr *e;
	const struct expr_ctx *ctx;
	const struct expr_column *cols;
	size_t nrows;
	struct expr_step *steps; /* e's steps in evaluation order (see emit_chain) */
	uint32_t nsteps;
	uint32_t *step_of;	 /* per register: its step in e->steps */
	struct vec *vr;		 /* per register */
	struct expr_value *regs; /* scalar registers for the row-by-row fallback */
	struct mask *masks;	 /* masks[0]: every row of the chunk */
	uint32_t nmasks;
	uint8_t *tmp; /* BATCH bytes of scratch */
	struct column_ref {
		const char *data;
		size_t size; /* bytes a row */
	} * columns;	     /* the columns the steps read, each once */
	unsigned ncolumns;
	struct memo **memo; /* per step: string test results by view, or NULL */
	uint8_t *nomemo;    /* per step: the memo missed too often and is off */
};

static const uint8_t zeros[BATCH];

static void *vbuf_of(struct vec *r)
{
	r->v = r->vbuf;
	r->n = r->nbuf;
	r->f = zeros;
	r->nonull = 0;
	return r->vbuf;
}

static void set_nonull(struct vec *r)
{
	r->n = zeros;
	r->nonull = 1;
}

/* Which registers a step reads. */
static unsigned reads(const struct expr *e, const struct expr_step *s, uint16_t *regs)
{
	unsigned n = 0;

	switch (s->op) {
	case OP_NULL:
	case OP_CONST:
	case OP_ATTR:
	case OP_BOOLATTR:
	case OP_NOW:
	case OP_TODAY:
		return 0;
	case OP_MIN_I:
	case OP_MIN_N:
	case OP_MIN_S:
	case OP_MAX_I:
	case OP_MAX_N:
	case OP_MAX_S:
	case OP_COALESCE:
		for (uint32_t j = 0; j < s->naux; j++)
			regs[n++] = e->args[s->aux + j];
		return n;
	case OP_I2N:
	case OP_DUR2DAYS:
	case OP_NEG_I:
	case OP_NEG_N:
	case OP_NEG_DUR:
	case OP_NOT:
	case OP_ISNULL:
	case OP_IN_I:
	case OP_IN_N:
	case OP_IN_S:
	case OP_ABS_I:
	case OP_ABS_N:
	case OP_COPY:
	case OP_ROUND_N:
	case OP_LEN:
	case OP_LOWER:
	case OP_UPPER:
	case OP_DAYS_SINCE:
		regs[n++] = s->a;
		return n;
	case OP_BETWEEN_I:
	case OP_BETWEEN_N:
	case OP_BETWEEN_S:
		regs[n++] = s->a;
		regs[n++] = s->b;
		regs[n++] = s->c;
		return n;
	default:
		regs[n++] = s->a;
		regs[n++] = s->b;
		return n;
	}
}

static void gather(const struct expr *e, const struct vec *r, uint16_t reg, size_t i,
		   struct expr_value *v)
{
	v->null = r->n[i];
	v->fold = 0;
	switch (e->nodes[reg].type) {
	case EXPR_T_BOOL:
		v->u.b = ((const uint8_t *)r->v)[i];
		break;
	case EXPR_T_NUM:
		v->u.n = ((const double *)r->v)[i];
		break;
	case EXPR_T_STR:
		v->u.s = ((const struct str *)r->v)[i];
		v->fold = r->f[i];
		break;
	default:
		v->u.i = ((const int64_t *)r->v)[i];
		break;
	}
}

static void scatter(struct vec *r, uint8_t type, size_t i, const struct expr_value *v)
{
	r->nbuf[i] = v->null;
	switch (type) {
	case EXPR_T_BOOL:
		((uint8_t *)r->vbuf)[i] = !v->null && v->u.b;
		break;
	case EXPR_T_NUM:
		((double *)r->vbuf)[i] = v->u.n;
		break;
	case EXPR_T_STR:
		((struct str *)r->vbuf)[i] = v->u.s;
		r->fbuf[i] = v->fold;
		break;
	default:
		((int64_t *)r->vbuf)[i] = v->u.i;
		break;
	}
}

/* Packs n bytes (0/1) into bits; bytes past n are not read, so they may hold anything. */
static void pack(const uint8_t *t, size_t n, uint64_t *out)
{
	for (size_t w = 0; w * 64 < n; w++) {
		const uint8_t *p = t + w * 64;
		uint8_t tail[64];
		uint64_t m = 0;

		if (n - w * 64 < 64) {
			memset(tail, 0, sizeof(tail));
			memcpy(tail, p, n - w * 64);
			p = tail;
		}
		for (unsigned j = 0; j < 8; j++) {
			uint64_t x;

			memcpy(&x, p + j * 8, 8);
			m |= ((x * 0x0102040810204080ULL) >> 56) << (j * 8);
		}
		out[w] = m;
	}
}

/* For each set bit i of the chunk's bitmap (n rows): the body, with i bound. The body may
 * use continue but not break. */
#define FOR_EACH_ROW(bits, n, i)                                                                   \
	for (size_t w_ = 0; w_ * 64 < (n); w_++)                                                   \
		for (uint64_t m_ = (bits)[w_]; m_; m_ &= m_ - 1)                                   \
			for (size_t i = w_ * 64 + (size_t)__builtin_ctzll(m_), once_ = 1; once_;   \
			     once_ = 0)

/* The rows that matter for a mask in this chunk, computing it (and its parents) first. */
static const struct mask *mask_get(struct batch *bt, uint16_t id, size_t n)
{
	struct mask *m = &bt->masks[id];
	const struct mask *p;
	const struct vec *l;
	const uint8_t *x, *ln;
	uint8_t *t = bt->tmp;
	uint64_t any;

	if (m->done)
		return m;
	p = mask_get(bt, m->parent, n);
	l = &bt->vr[m->left];
	x = l->v;
	ln = l->n;
	if (m->is_or)
		for (size_t i = 0; i < n; i++)
			t[i] = x[i] ^ 1;
	else
		for (size_t i = 0; i < n; i++)
			t[i] = x[i] | ln[i];
	pack(t, n, m->bits);
	any = 0;
	for (size_t w = 0; w * 64 < n; w++) {
		m->bits[w] &= p->bits[w];
		any |= m->bits[w];
	}
	m->any = any != 0;
	m->done = 1;
	return m;
}

static void fallback(struct batch *bt, const struct expr_step *s, const uint64_t *rows, size_t n)
{
	const struct expr *e = bt->e;
	uint16_t rd[40];
	unsigned nr = reads(e, s, rd);
	struct vec *d = &bt->vr[s->dst], *vr = bt->vr;
	struct expr_value *regs = bt->regs;

	vbuf_of(d);
	if (s->type == EXPR_T_STR)
		d->f = d->fbuf;
	FOR_EACH_ROW(rows, n, i)
	{
		for (unsigned j = 0; j < nr; j++)
			gather(e, &vr[rd[j]], rd[j], i, &regs[rd[j]]);
		expr__step(e, bt->ctx, s, regs, NULL);
		scatter(d, s->type, i, &regs[s->dst]);
	}
}

/* Fills every row of d with v (a constant). */
static void fill(struct vec *d, uint8_t type, const struct expr_value *v)
{
	vbuf_of(d);
	if (type == EXPR_T_STR)
		d->f = d->fbuf;
	for (size_t i = 0; i < BATCH; i++)
		scatter(d, type, i, v);
	if (!v->null)
		set_nonull(d);
}

/* d's null bytes from an attribute's bitmap (rows base .. base + n). */
static void attr_nulls(struct vec *d, const uint64_t *nulls, size_t base, size_t n)
{
	const uint64_t *w = nulls ? nulls + base / 64 : NULL;
	size_t nw = (n + 63) / 64;
	uint64_t any = 0;

	for (size_t j = 0; w && j < nw; j++)
		any |= w[j];
	if (!any) {
		set_nonull(d);
		return;
	}
	for (size_t j = 0; j < nw; j++)
		for (unsigned k = 0; k < 8; k++) {
			/* bit i of the byte to byte i of y: 0 or 1 */
			uint64_t y = ((w[j] >> (k * 8)) & 0xff) * 0x0101010101010101ULL;

			y &= 0x8040201008040201ULL;
			y = ((y + 0x7f7f7f7f7f7f7f7fULL) >> 7) & 0x0101010101010101ULL;
			memcpy(d->nbuf + j * 64 + k * 8, &y, 8);
		}
	d->n = d->nbuf;
	d->nonull = 0;
}

/* d's nulls: those of a or b. */
static void nulls2(struct vec *d, const struct vec *a, const struct vec *b, size_t n)
{
	if (a->nonull && b->nonull) {
		set_nonull(d);
	} else if (b->nonull) {
		d->n = a->n;
		d->nonull = 0;
	} else if (a->nonull) {
		d->n = b->n;
		d->nonull = 0;
	} else {
		for (size_t i = 0; i < n; i++)
			d->nbuf[i] = a->n[i] | b->n[i];
		d->n = d->nbuf;
		d->nonull = 0;
	}
}

static inline bool views_eq(struct str a, uint8_t fa, struct str b, uint8_t fb)
{
	if (a.len != b.len)
		return false;
	if (fa | fb)
		return expr__str_eq(a, fa, b, fb);
	return a.len == 0 || memcmp(a.p, b.p, a.len) == 0;
}

static inline bool holds(int c, uint16_t op)
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

#define LOOP for (size_t i = 0; i < n; i++)

/* t[i] = X op Y over every row; X and Y are expressions of i. */
#define CMP_LOOP(op, X, Y)                                                                         \
	do {                                                                                       \
		switch (op) {                                                                      \
		case B_EQ:                                                                         \
			LOOP t[i] = (X) == (Y);                                                    \
			break;                                                                     \
		case B_NE:                                                                         \
			LOOP t[i] = (X) != (Y);                                                    \
			break;                                                                     \
		case B_LT:                                                                         \
			LOOP t[i] = (X) < (Y);                                                     \
			break;                                                                     \
		case B_LE:                                                                         \
			LOOP t[i] = (X) <= (Y);                                                    \
			break;                                                                     \
		case B_GT:                                                                         \
			LOOP t[i] = (X) > (Y);                                                     \
			break;                                                                     \
		default:                                                                           \
			LOOP t[i] = (X) >= (Y);                                                    \
			break;                                                                     \
		}                                                                                  \
	} while (0)

/* Comparison of two int64_t or double vectors, with a constant side read once. */
#define CMP_KERNEL(T)                                                                              \
	do {                                                                                       \
		const T *restrict x = a->v, *restrict y = b->v;                                    \
		if (b->konst) {                                                                    \
			T cy = y[0];                                                               \
			CMP_LOOP(s->c, x[i], cy);                                                  \
		} else if (a->konst) {                                                             \
			T cx = x[0];                                                               \
			CMP_LOOP(s->c, cx, y[i]);                                                  \
		} else {                                                                           \
			CMP_LOOP(s->c, x[i], y[i]);                                                \
		}                                                                                  \
	} while (0)

/* A view's slot in a memo; the other candidate is the slot ^ 1. The length goes above the
 * pointer's bits (mixed into its low bits, nearby views could make one key: "abc" at p + 1
 * and "abcdef" at p), and the key is mixed well (views into one dictionary differ only in
 * a few low bits, which a multiplicative hash alone maps to nearby slots). */
static inline size_t memo_slot(struct str v)
{
	uint64_t h = (uint64_t)(uintptr_t)v.p ^ ((uint64_t)v.len << 48);

	h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL; /* splitmix64's finaliser */
	h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
	return (size_t)((h ^ (h >> 31)) & (MEMO - 1));
}

static inline bool memo_is(const struct memo *m, struct str v, uint8_t fold)
{
	return m->p == v.p && m->len == v.len && m->fold == fold;
}

/* The test of one non-null view against the step's other operand (y, fy) or, for 'in',
 * its constants: for 'in' whether the list holds it, otherwise the step's true/false. */
static uint8_t string_test(const struct expr *e, const struct expr_step *s, struct str x,
			   uint8_t fx, struct str y, uint8_t fy)
{
	switch (s->op) {
	case OP_IN_S: {
		const struct expr_value *c = &e->consts[s->aux];

		for (uint32_t j = 0; j < s->naux; j++)
			if (views_eq(x, fx, c[j].u.s, 0))
				return 1;
		return 0;
	}
	case OP_CMP_S:
		if (s->c == B_EQ || s->c == B_NE)
			return views_eq(x, fx, y, fy) == (s->c == B_EQ);
		return holds(expr__str_cmp(x, fx, y, fy), s->c);
	case OP_LIKE:
		return expr__like(x, fx, y, fy) != s->neg;
	case OP_CONTAINS:
		return expr__contains(x, fx, y, fy) != s->neg;
	default:
		return expr__starts(x, fx, y, fy) != s->neg;
	}
}

/* '=', '<', ... on strings, 'in' on strings, 'like', 'contains' and 'starts_with', for the
 * rows set in rows. */
static void strings(struct batch *bt, uint32_t k, const struct expr_step *s, const uint64_t *rows,
		    size_t n)
{
	const struct expr *e = bt->e;
	struct vec *d = &bt->vr[s->dst];
	const struct vec *a = &bt->vr[s->a], *b = s->op == OP_IN_S ? NULL : &bt->vr[s->b];
	const struct str *x = a->v, *y = b ? b->v : NULL;
	const uint8_t *an = a->n, *af = a->f, *bn = b ? b->n : zeros, *bf = b ? b->f : zeros;
	uint8_t *t = vbuf_of(d), *nn = d->nbuf, hn = s->op == OP_IN_S && s->c, ng = s->neg;
	bool in = s->op == OP_IN_S;
	struct memo *mt = NULL;
	size_t tests = 0, misses = 0;

	/* the result depends on the view alone when the other side is one non-null value */
	if (!bt->nomemo[k] && (in || (b->konst && b->nonull))) {
		if (!bt->memo[k]) {
			bt->memo[k] = xmalloc(MEMO * sizeof(struct memo));
			for (size_t j = 0; j < MEMO; j++)
				bt->memo[k][j].len = SIZE_MAX;
		}
		mt = bt->memo[k];
	}
	FOR_EACH_ROW(rows, n, i)
	{
		uint8_t r;

		if (an[i] | bn[i]) {
			nn[i] = 1;
			t[i] = 0;
			continue;
		}
		if (mt) {
			size_t slot = memo_slot(x[i]);
			struct memo *m0 = &mt[slot], *m1 = &mt[slot ^ 1];

			tests++;
			if (memo_is(m0, x[i], af[i])) {
				r = m0->r;
			} else if (memo_is(m1, x[i], af[i])) {
				r = m1->r;
			} else {
				r = string_test(e, s, x[i], af[i], y ? y[0] : STR_NULL,
						y ? bf[0] : 0);
				if (m0->len != SIZE_MAX && m1->len == SIZE_MAX)
					m0 = m1;
				*m0 = (struct memo){x[i].p, x[i].len, af[i], r};
				misses++;
			}
		} else {
			r = string_test(e, s, x[i], af[i], y ? y[i] : STR_NULL, bf[i]);
		}
		if (in) {
			nn[i] = (r ^ 1) & hn;
			t[i] = (nn[i] ^ 1) & (r ^ ng);
		} else {
			nn[i] = 0;
			t[i] = r;
		}
	}
	if (a->nonull && (in ? !hn : b->nonull))
		set_nonull(d);
	if (tests >= 256 && misses > tests / 2)
		bt->nomemo[k] = 1;
}

/*
 * The next chunk's columns are prefetched while this one is evaluated, a share of their
 * cache lines at every step: all at once, a few hundred prefetches queue up behind the
 * core's few outstanding misses, and the sparse reads of the string tests, which the
 * hardware prefetcher does not foresee, then wait for memory (measured: the benchmark
 * rule runs about 1.5 times faster spread than in one burst per column).
 */
struct prefetch {
	size_t row, rows; /* the next chunk */
	size_t quota;	  /* lines a step */
	unsigned col;
	size_t off;
};

static void prefetch_start(const struct batch *bt, size_t base, size_t n, struct prefetch *pf)
{
	size_t lines = 0;

	pf->row = base + n;
	pf->rows = pf->row >= bt->nrows		 ? 0
		   : bt->nrows - pf->row < BATCH ? bt->nrows - pf->row
						 : BATCH;
	for (unsigned j = 0; j < bt->ncolumns; j++)
		lines += (pf->rows * bt->columns[j].size + 63) / 64;
	pf->quota = (lines + bt->nsteps - 1) / bt->nsteps;
	pf->col = 0;
	pf->off = 0;
}

static inline void prefetch_some(const struct batch *bt, struct prefetch *pf)
{
	for (size_t q = 0; q < pf->quota && pf->col < bt->ncolumns; q++) {
		const struct column_ref *c = &bt->columns[pf->col];

		__builtin_prefetch(c->data + pf->row * c->size + pf->off, 0, 1);
		pf->off += 64;
		if (pf->off >= pf->rows * c->size) {
			pf->col++;
			pf->off = 0;
		}
	}
}

/* The kernels below are compiled twice on x86-64 with GCC, for AVX2 and for the baseline
 * (SSE2, which cannot compare doubles or int64s into bytes in vectors); the loader picks
 * one for the machine. */
#if defined(__x86_64__) && defined(__gnu_linux__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default")))
#endif
static void
run_chunk(struct batch *bt, size_t base, size_t n)
{
	const struct expr *e = bt->e;
	struct vec *vr = bt->vr;
	struct mask *all = &bt->masks[0];
	struct prefetch pf;

	for (size_t w = 0; w < WORDS; w++)
		all->bits[w] = w * 64 >= n	  ? 0
			       : n - w * 64 >= 64 ? ~0ULL
						  : (1ULL << (n - w * 64)) - 1;
	all->any = 1;
	for (uint32_t m = 1; m < bt->nmasks; m++)
		bt->masks[m].done = 0;
	prefetch_start(bt, base, n, &pf);

	for (uint32_t k = 0; k < bt->nsteps; k++) {
		const struct expr_step *s = &bt->steps[k];
		struct vec *d = &vr[s->dst];
		const struct vec *a = &vr[s->a], *b = &vr[s->b];
		const struct mask *m;
		uint8_t *restrict t, *restrict nn;
		const uint8_t *restrict an, *restrict bn;

		prefetch_some(bt, &pf);
		if (d->konst)
			continue;
		m = mask_get(bt, d->mask, n);
		if (!m->any)
			continue; /* no row needs this value */
		switch (s->op) {
		case OP_ATTR:
		case OP_BOOLATTR: {
			const struct expr_column *c = &bt->cols[s->aux];
			size_t sz = s->type == EXPR_T_STR    ? sizeof(struct str)
				    : s->type == EXPR_T_BOOL ? 1
							     : 8;

			attr_nulls(d, c->nulls, base, n);
			d->f = zeros;
			if (s->op == OP_ATTR) {
				d->v = (const char *)c->data + base * sz;
			} else {
				const uint8_t *src = (const uint8_t *)c->data + base, *dn = d->n;
				uint8_t *o = d->vbuf;

				if (d->nonull)
					LOOP o[i] = src[i] != 0;
				else
					LOOP o[i] = (src[i] != 0) & (dn[i] ^ 1);
				d->v = o;
			}
			continue;
		}
		default:
			break;
		}
		nn = d->nbuf;
		t = d->vbuf;
		an = a->n;
		bn = b->n;
		{
			switch (s->op) {
			case OP_I2N: {
				const int64_t *restrict x = a->v;
				double *restrict o = vbuf_of(d);

				LOOP o[i] = (double)x[i];
				d->n = a->n;
				d->nonull = a->nonull;
				break;
			}
			case OP_ADD_I:
			case OP_SUB_I:
			case OP_MUL_I: {
				const int64_t *restrict x = a->v, *restrict y = b->v;
				int64_t *restrict o = vbuf_of(d);

				if (s->op == OP_ADD_I)
					LOOP nn[i] = an[i] | bn[i] |
						     __builtin_add_overflow(x[i], y[i], &o[i]);
				else if (s->op == OP_SUB_I)
					LOOP nn[i] = an[i] | bn[i] |
						     __builtin_sub_overflow(x[i], y[i], &o[i]);
				else
					LOOP nn[i] = an[i] | bn[i] |
						     __builtin_mul_overflow(x[i], y[i], &o[i]);
				break;
			}
			case OP_ADD_N:
			case OP_SUB_N:
			case OP_MUL_N:
			case OP_DIV_N: {
				const double *restrict x = a->v, *restrict y = b->v;
				double *restrict o = vbuf_of(d);

				if (s->op == OP_ADD_N)
					LOOP o[i] = x[i] + y[i];
				else if (s->op == OP_SUB_N)
					LOOP o[i] = x[i] - y[i];
				else if (s->op == OP_MUL_N)
					LOOP o[i] = x[i] * y[i];
				else
					LOOP o[i] = x[i] / (y[i] == 0 ? 1.0 : y[i]);
				if (s->op == OP_DIV_N) {
					LOOP nn[i] = an[i] | bn[i] | (y[i] == 0);
				} else {
					nulls2(d, a, b, n);
				}
				break;
			}
			case OP_NEG_N: {
				const double *restrict x = a->v;
				double *restrict o = vbuf_of(d);

				LOOP o[i] = -x[i];
				d->n = a->n;
				d->nonull = a->nonull;
				break;
			}
			case OP_CMP_I:
			case OP_CMP_N:
				vbuf_of(d);
				if (s->op == OP_CMP_I)
					CMP_KERNEL(int64_t);
				else
					CMP_KERNEL(double);
				nulls2(d, a, b, n);
				if (!d->nonull) {
					const uint8_t *dn = d->n;

					LOOP t[i] &= dn[i] ^ 1;
				}
				break;
			case OP_CMP_S:
			case OP_IN_S:
			case OP_LIKE:
			case OP_CONTAINS:
			case OP_STARTS:
				strings(bt, k, s, m->bits, n);
				break;
			case OP_AND:
			case OP_OR: {
				const uint8_t *restrict x = a->v, *restrict y = b->v;

				vbuf_of(d);
				if (a->nonull && b->nonull) {
					if (s->op == OP_AND)
						LOOP t[i] = x[i] & y[i];
					else
						LOOP t[i] = x[i] | y[i];
					set_nonull(d);
				} else if (s->op == OP_AND) {
					LOOP
					{
						uint8_t f = ((an[i] ^ 1) & (x[i] ^ 1)) |
							    ((bn[i] ^ 1) & (y[i] ^ 1));

						nn[i] = (f ^ 1) & (an[i] | bn[i]);
						t[i] = x[i] & y[i];
					}
				} else {
					LOOP
					{
						uint8_t tr = x[i] | y[i];

						nn[i] = (tr ^ 1) & (an[i] | bn[i]);
						t[i] = tr;
					}
				}
				break;
			}
			case OP_NOT: {
				const uint8_t *restrict x = a->v;

				vbuf_of(d);
				if (a->nonull)
					LOOP t[i] = x[i] ^ 1;
				else
					LOOP t[i] = (x[i] ^ 1) & (an[i] ^ 1);
				d->n = a->n;
				d->nonull = a->nonull;
				break;
			}
			case OP_ISNULL:
				vbuf_of(d);
				if (a->nonull) {
					memset(t, s->neg, n);
				} else {
					uint8_t ng = s->neg;

					LOOP t[i] = an[i] ^ ng;
				}
				set_nonull(d);
				break;
			case OP_IN_I:
			case OP_IN_N: {
				const struct expr_value *c = &e->consts[s->aux];
				uint8_t hn = (uint8_t)s->c, ng = s->neg;

				vbuf_of(d);
				memset(t, 0, n);
				if (s->op == OP_IN_I) {
					const int64_t *restrict x = a->v;

					for (uint32_t j = 0; j < s->naux; j++) {
						int64_t cj = c[j].u.i;

						LOOP t[i] |= x[i] == cj;
					}
				} else {
					const double *restrict x = a->v;

					for (uint32_t j = 0; j < s->naux; j++) {
						double cj = c[j].u.n;

						LOOP t[i] |= x[i] == cj;
					}
				}
				if (a->nonull && !hn) {
					LOOP t[i] ^= ng;
					set_nonull(d);
					break;
				}
				LOOP
				{
					uint8_t hit = t[i];

					nn[i] = an[i] | ((hit ^ 1) & hn);
					t[i] = (nn[i] ^ 1) & (hit ^ ng);
				}
				break;
			}
			case OP_BETWEEN_I:
			case OP_BETWEEN_N: {
				const struct vec *c = &vr[s->c];
				const uint8_t *restrict cn = c->n;
				uint8_t ng = s->neg;

				vbuf_of(d);
				if (s->op == OP_BETWEEN_I) {
					const int64_t *restrict x = a->v, *restrict lo = b->v,
								*restrict hi = c->v;

					LOOP t[i] =
						(uint8_t)((x[i] >= lo[i]) | ((x[i] <= hi[i]) << 1));
				} else {
					const double *restrict x = a->v, *restrict lo = b->v,
							       *restrict hi = c->v;

					LOOP t[i] =
						(uint8_t)((x[i] >= lo[i]) | ((x[i] <= hi[i]) << 1));
				}
				LOOP
				{
					uint8_t gn = an[i] | bn[i], ln = an[i] | cn[i];
					uint8_t ge = t[i] & 1, le = t[i] >> 1;
					uint8_t f = ((gn ^ 1) & (ge ^ 1)) | ((ln ^ 1) & (le ^ 1));

					nn[i] = (f ^ 1) & (gn | ln);
					t[i] = (nn[i] ^ 1) & (f ^ (ng ^ 1));
				}
				break;
			}
			default:
				fallback(bt, s, m->bits, n);
				break;
			}
		}
	}
}

/* Whether run_chunk evaluates op row by row (strings, the fallback) rather than in
 * vector loops. */
static bool rowwise(uint8_t op)
{
	switch (op) {
	case OP_ATTR:
	case OP_BOOLATTR:
	case OP_I2N:
	case OP_ADD_I:
	case OP_SUB_I:
	case OP_MUL_I:
	case OP_ADD_N:
	case OP_SUB_N:
	case OP_MUL_N:
	case OP_DIV_N:
	case OP_NEG_N:
	case OP_CMP_I:
	case OP_CMP_N:
	case OP_AND:
	case OP_OR:
	case OP_NOT:
	case OP_ISNULL:
	case OP_IN_I:
	case OP_IN_N:
	case OP_BETWEEN_I:
	case OP_BETWEEN_N:
		return false;
	default:
		return true;
	}
}

static void emit(struct batch *bt, uint32_t n, uint16_t m);

/* Appends register n's step to the evaluation order, under mask m. */
static void emit_step(struct batch *bt, uint32_t n, uint16_t m)
{
	if (bt->step_of[n] == UINT32_MAX)
		CRM_BUG("expr: register %u has no step", n);
	bt->steps[bt->nsteps++] = bt->e->steps[bt->step_of[n]];
	bt->vr[n].mask = m;
}

/* The operands of the chain of 'op' (and/or) at n, left to right, and the chain's own
 * nodes, n last. */
static void flatten(const struct expr *e, uint32_t n, uint8_t op, uint32_t *ops, unsigned *nops,
		    uint32_t *joins, unsigned *njoins)
{
	const struct expr_node *nd = &e->nodes[n];

	if (nd->kind == N_BIN && nd->op == op) {
		flatten(e, e->kids[nd->kids], op, ops, nops, joins, njoins);
		flatten(e, e->kids[nd->kids + 1], op, ops, nops, joins, njoins);
		joins[(*njoins)++] = n;
		return;
	}
	ops[(*nops)++] = n;
}

/*
 * A chain a and b and c ... (or a chain of or): 'and' and 'or' are commutative and
 * associative in three-valued logic and nothing in a rule has side effects, so the
 * operands may be combined in any order with the same result. Operands evaluated in
 * vector loops go first and those with row-by-row work (string tests, the fallback) last,
 * each group in the rule's order; a row-by-row operand gets a mask — the rows the
 * operands before it leave undecided — so it tests as few rows as possible. The chain's
 * nodes are reused as the registers of the running result, the chain's own last.
 */
static void emit_chain(struct batch *bt, uint32_t n, uint16_t m)
{
	const struct expr *e = bt->e;
	uint8_t op = e->nodes[n].op;
	uint32_t *ops = xmalloc(3 * (size_t)e->nnodes * sizeof(*ops));
	uint32_t *joins = ops + e->nnodes, *order = joins + e->nnodes, acc;
	unsigned nops = 0, njoins = 0, no = 0;

	flatten(e, n, op, ops, &nops, joins, &njoins);
	for (uint8_t heavy = 0; heavy < 2; heavy++)
		for (unsigned i = 0; i < nops; i++)
			if (bt->vr[ops[i]].heavy == heavy)
				order[no++] = ops[i];
	emit(bt, order[0], m);
	acc = order[0];
	for (unsigned j = 1; j < nops; j++) {
		uint32_t r = order[j], d = joins[j - 1];
		uint16_t mr = m;

		if (bt->vr[r].heavy) { /* vector operands are cheaper computed for every row */
			struct mask *mk = &bt->masks[bt->nmasks];

			mr = (uint16_t)bt->nmasks++;
			mk->parent = m;
			mk->left = (uint16_t)acc;
			mk->is_or = op == B_OR;
		}
		emit(bt, r, mr);
		emit_step(bt, d, m);
		bt->steps[bt->nsteps - 1].a = (uint16_t)acc;
		bt->steps[bt->nsteps - 1].b = (uint16_t)r;
		acc = d;
	}
	free(ops);
}

/* Appends the steps of the subtree at n to the evaluation order, children first. */
static void emit(struct batch *bt, uint32_t n, uint16_t m)
{
	const struct expr *e = bt->e;
	const struct expr_node *nd = &e->nodes[n];

	if (nd->kind == N_BIN && (nd->op == B_AND || nd->op == B_OR)) {
		emit_chain(bt, n, m);
		return;
	}
	/* an 'in' list holds constants, which have no step */
	for (unsigned i = 0; i < (nd->kind == N_IN ? 1u : nd->nkids); i++)
		emit(bt, e->kids[nd->kids + i], m);
	emit_step(bt, n, m);
}

/* Constant: reads only constants and no attribute (now() and today() are fixed for the
 * call). */
static bool is_konst(const struct batch *bt, const struct expr_step *s)
{
	uint16_t rd[40];
	unsigned nr = reads(bt->e, s, rd);
	bool k = s->op != OP_ATTR && s->op != OP_BOOLATTR;

	for (unsigned j = 0; j < nr; j++)
		k &= bt->vr[rd[j]].konst;
	return k;
}

int expr_eval_batch(const struct expr *e, const struct expr_ctx *ctx,
		    const struct expr_column *cols, size_t nrows, uint64_t *sel,
		    struct crm_err *err)
{
	uint8_t rt = e->nodes[e->root].type;
	struct batch b = {.e = e, .ctx = ctx, .cols = cols, .nrows = nrows};
	char *mem = NULL;
	uint8_t *seen = NULL; /* per attribute slot: a step reads it */
	size_t per, words;
	int rc = 0;

	if (rt != EXPR_T_BOOL && rt != EXPR_T_NULL) {
		rc = crm_err_set(err, CRM_EINVAL, "text", "rule gives %s, not true or false",
				 expr_type_name((enum expr_type)rt));
		goto out;
	}
	words = (nrows + 63) / 64;
	if (rt == EXPR_T_NULL || nrows == 0) {
		if (words)
			memset(sel, 0, words * sizeof(*sel));
		goto out;
	}
	per = BATCH * sizeof(struct str) + 2 * BATCH;
	b.vr = xcalloc(e->nnodes, sizeof(*b.vr));
	b.regs = xcalloc(e->nnodes, sizeof(*b.regs));
	b.masks = xcalloc(e->nnodes + 1, sizeof(*b.masks));
	b.tmp = xmalloc(BATCH);
	b.memo = xcalloc(e->nsteps, sizeof(*b.memo));
	b.nomemo = xcalloc(e->nsteps, 1);
	mem = xcalloc(e->nsteps, per);
	seen = xcalloc((size_t)e->max_slot + 2, 1);
	b.columns = xcalloc((size_t)e->max_slot + 2, sizeof(*b.columns));
	b.steps = xcalloc(e->nsteps, sizeof(*b.steps));
	b.step_of = xmalloc(e->nnodes * sizeof(*b.step_of));
	memset(b.step_of, 0xff, e->nnodes * sizeof(*b.step_of));
	b.masks[0].done = 1;
	b.nmasks = 1;
	/* in the rule's order: buffers, and which subtrees work row by row */
	for (uint32_t k = 0; k < e->nsteps; k++) {
		const struct expr_step *s = &e->steps[k];
		struct vec *r = &b.vr[s->dst];

		b.step_of[s->dst] = k;
		r->vbuf = mem + k * per;
		r->nbuf = (uint8_t *)r->vbuf + BATCH * sizeof(struct str);
		r->fbuf = r->nbuf + BATCH;
		vbuf_of(r);
		r->konst = is_konst(&b, s);
		r->heavy = !r->konst && rowwise(s->op);
		for (unsigned j = 0; j < e->nodes[s->dst].nkids; j++)
			r->heavy |= b.vr[e->kids[e->nodes[s->dst].kids + j]].heavy;
	}
	emit(&b, e->root, 0);
	if (b.nsteps != e->nsteps)
		CRM_BUG("expr: %u steps ordered of %u", b.nsteps, e->nsteps);
	/* in the evaluation order (where a chain's running results differ from the rule's):
	 * constants, computed once, and which step prefetches each column */
	for (uint32_t k = 0; k < b.nsteps; k++) {
		const struct expr_step *s = &b.steps[k];
		struct vec *r = &b.vr[s->dst];

		if ((r->konst = is_konst(&b, s))) {
			expr__step(e, ctx, s, b.regs, NULL);
			fill(r, s->type, &b.regs[s->dst]);
		} else if ((s->op == OP_ATTR || s->op == OP_BOOLATTR) && !seen[s->aux]) {
			seen[s->aux] = 1;
			b.columns[b.ncolumns++] = (struct column_ref){
				cols[s->aux].data, s->type == EXPR_T_STR    ? sizeof(struct str)
						   : s->type == EXPR_T_BOOL ? 1
									    : 8};
		}
	}
	for (size_t base = 0; base < nrows; base += BATCH) {
		size_t n = nrows - base < BATCH ? nrows - base : BATCH;

		run_chunk(&b, base, n);
		pack(b.vr[e->root].v, n, sel + base / 64);
	}
out:
	for (uint32_t k = 0; b.memo && k < e->nsteps; k++)
		free(b.memo[k]);
	free(b.memo);
	free(b.nomemo);
	free(seen);
	free(b.columns);
	free(mem);
	free(b.tmp);
	free(b.masks);
	free(b.steps);
	free(b.step_of);
	free(b.regs);
	free(b.vr);
	return rc;
}
