/*
 * The rule language batch evaluator: runs the step array over chunks of EXPR_BATCH rows,
 * one typed vector (values, null bytes, fold bytes) per register, in tight loops the
 * compiler can vectorise; attribute vectors point straight into the caller's columns.
 * Rare operators fall back to the row evaluator's step, row by row, so results agree.
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

struct vec {
	const void *v;
	const uint8_t *n;
	const uint8_t *f;
	void *vbuf;
	uint8_t *nbuf;
	uint8_t *fbuf;
};

static const uint8_t zeros[BATCH];

static void *vbuf_of(struct vec *r)
{
	r->v = r->vbuf;
	r->n = r->nbuf;
	r->f = zeros;
	return r->vbuf;
}

/* Which registers a step reads, for the row-by-row fallback. */
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

static void fallback(const struct expr *e, const struct expr_ctx *ctx, const struct expr_step *s,
		     struct vec *vr, struct expr_value *regs, size_t n)
{
	uint16_t rd[40];
	unsigned nr = reads(e, s, rd);
	struct vec *d = &vr[s->dst];

	vbuf_of(d);
	if (s->type == EXPR_T_STR)
		d->f = d->fbuf;
	for (size_t i = 0; i < n; i++) {
		for (unsigned j = 0; j < nr; j++)
			gather(e, &vr[rd[j]], rd[j], i, &regs[rd[j]]);
		expr__step(e, ctx, s, regs, NULL);
		scatter(d, s->type, i, &regs[s->dst]);
	}
}

static void fill(struct vec *d, uint8_t type, const struct expr_value *v)
{
	vbuf_of(d);
	if (type == EXPR_T_STR)
		d->f = d->fbuf;
	for (size_t i = 0; i < BATCH; i++)
		scatter(d, type, i, v);
}

#define LOOP for (size_t i = 0; i < n; i++)

/* Comparison kernels: t = a op b unless either is null. */
#define CMP_KERNEL(T)                                                                              \
	do {                                                                                       \
		const T *x = a->v, *y = b->v;                                                      \
		switch (s->c) {                                                                    \
		case B_EQ:                                                                         \
			LOOP t[i] = (x[i] == y[i]) & !nn[i];                                       \
			break;                                                                     \
		case B_NE:                                                                         \
			LOOP t[i] = (x[i] != y[i]) & !nn[i];                                       \
			break;                                                                     \
		case B_LT:                                                                         \
			LOOP t[i] = (x[i] < y[i]) & !nn[i];                                        \
			break;                                                                     \
		case B_LE:                                                                         \
			LOOP t[i] = (x[i] <= y[i]) & !nn[i];                                       \
			break;                                                                     \
		case B_GT:                                                                         \
			LOOP t[i] = (x[i] > y[i]) & !nn[i];                                        \
			break;                                                                     \
		default:                                                                           \
			LOOP t[i] = (x[i] >= y[i]) & !nn[i];                                       \
			break;                                                                     \
		}                                                                                  \
	} while (0)

static void run_chunk(const struct expr *e, const struct expr_ctx *ctx,
		      const struct expr_column *cols, size_t base, size_t n, struct vec *vr,
		      struct expr_value *regs, bool first)
{
	for (uint32_t k = 0; k < e->nsteps; k++) {
		const struct expr_step *s = &e->steps[k];
		struct vec *d = &vr[s->dst];
		const struct vec *a = &vr[s->a], *b = &vr[s->b];
		uint8_t *t, *nn;

		switch (s->op) {
		case OP_CONST:
			if (first)
				fill(d, s->type, &e->consts[s->aux]);
			continue;
		case OP_NULL: {
			struct expr_value v;

			memset(&v, 0, sizeof(v));
			v.null = 1;
			if (first)
				fill(d, s->type, &v);
			continue;
		}
		case OP_ATTR:
		case OP_BOOLATTR: {
			const struct expr_column *c = &cols[s->aux];
			uint8_t type = s->type;
			size_t sz = type == EXPR_T_STR ? sizeof(struct str) : 8;

			d->f = zeros;
			if (c->nulls) {
				const uint64_t *w = c->nulls;

				LOOP d->nbuf[i] = (w[(base + i) >> 6] >> ((base + i) & 63)) & 1;
				d->n = d->nbuf;
			} else {
				d->n = zeros;
			}
			if (s->op == OP_ATTR) {
				d->v = (const char *)c->data + base * sz;
			} else {
				const uint8_t *src = (const uint8_t *)c->data + base;
				uint8_t *o = d->vbuf;

				LOOP o[i] = (src[i] != 0) & !d->n[i];
				d->v = o;
			}
			continue;
		}
		default:
			break;
		}
		nn = d->nbuf;
		t = d->vbuf;
		switch (s->op) {
		case OP_I2N: {
			const int64_t *x = a->v;
			double *o = vbuf_of(d);

			LOOP o[i] = (double)x[i];
			memcpy(nn, a->n, n);
			break;
		}
		case OP_ADD_I:
		case OP_SUB_I:
		case OP_MUL_I: {
			const int64_t *x = a->v, *y = b->v;
			int64_t *o = vbuf_of(d);

			if (s->op == OP_ADD_I)
				LOOP nn[i] = a->n[i] | b->n[i] |
					     __builtin_add_overflow(x[i], y[i], &o[i]);
			else if (s->op == OP_SUB_I)
				LOOP nn[i] = a->n[i] | b->n[i] |
					     __builtin_sub_overflow(x[i], y[i], &o[i]);
			else
				LOOP nn[i] = a->n[i] | b->n[i] |
					     __builtin_mul_overflow(x[i], y[i], &o[i]);
			break;
		}
		case OP_ADD_N:
		case OP_SUB_N:
		case OP_MUL_N:
		case OP_DIV_N: {
			const double *x = a->v, *y = b->v;
			double *o = vbuf_of(d);

			if (s->op == OP_ADD_N)
				LOOP o[i] = x[i] + y[i];
			else if (s->op == OP_SUB_N)
				LOOP o[i] = x[i] - y[i];
			else if (s->op == OP_MUL_N)
				LOOP o[i] = x[i] * y[i];
			else
				LOOP o[i] = x[i] / (y[i] == 0 ? 1.0 : y[i]);
			if (s->op == OP_DIV_N)
				LOOP nn[i] = a->n[i] | b->n[i] | (y[i] == 0);
			else
				LOOP nn[i] = a->n[i] | b->n[i];
			break;
		}
		case OP_NEG_N: {
			const double *x = a->v;
			double *o = vbuf_of(d);

			LOOP o[i] = -x[i];
			memcpy(nn, a->n, n);
			break;
		}
		case OP_CMP_I:
		case OP_CMP_N:
			vbuf_of(d);
			LOOP nn[i] = a->n[i] | b->n[i];
			if (s->op == OP_CMP_I)
				CMP_KERNEL(int64_t);
			else
				CMP_KERNEL(double);
			break;
		case OP_CMP_S:
			if (s->c != B_EQ && s->c != B_NE)
				goto slow;
			{
				const struct str *x = a->v, *y = b->v;
				bool eq = s->c == B_EQ;

				vbuf_of(d);
				LOOP
				{
					nn[i] = a->n[i] | b->n[i];
					t[i] = (nn[i] ^ 1) &&
					       (expr__str_eq(x[i], a->f[i], y[i], b->f[i]) == eq);
				}
			}
			break;
		case OP_AND:
			vbuf_of(d);
			{
				const uint8_t *x = a->v, *y = b->v;

				LOOP
				{
					uint8_t f = ((a->n[i] ^ 1) & (x[i] ^ 1)) |
						    ((b->n[i] ^ 1) & (y[i] ^ 1));

					nn[i] = (f ^ 1) & (a->n[i] | b->n[i]);
					t[i] = x[i] & y[i];
				}
			}
			break;
		case OP_OR:
			vbuf_of(d);
			{
				const uint8_t *x = a->v, *y = b->v;

				LOOP
				{
					uint8_t tr = x[i] | y[i];

					nn[i] = (tr ^ 1) & (a->n[i] | b->n[i]);
					t[i] = tr;
				}
			}
			break;
		case OP_NOT:
			vbuf_of(d);
			{
				const uint8_t *x = a->v;

				LOOP
				{
					nn[i] = a->n[i];
					t[i] = (x[i] ^ 1) & (a->n[i] ^ 1);
				}
			}
			break;
		case OP_ISNULL:
			vbuf_of(d);
			LOOP
			{
				nn[i] = 0;
				t[i] = a->n[i] ^ s->neg;
			}
			break;
		case OP_IN_I:
		case OP_IN_N:
		case OP_IN_S: {
			const struct expr_value *c = &e->consts[s->aux];
			uint8_t hn = (uint8_t)s->c, ng = s->neg;

			vbuf_of(d);
			memset(t, 0, n);
			if (s->op == OP_IN_I) {
				const int64_t *x = a->v;

				for (uint32_t j = 0; j < s->naux; j++) {
					int64_t cj = c[j].u.i;

					LOOP t[i] |= x[i] == cj;
				}
			} else if (s->op == OP_IN_N) {
				const double *x = a->v;

				for (uint32_t j = 0; j < s->naux; j++) {
					double cj = c[j].u.n;

					LOOP t[i] |= x[i] == cj;
				}
			} else {
				const struct str *x = a->v;

				LOOP
				{
					if (a->n[i])
						continue;
					for (uint32_t j = 0; j < s->naux; j++)
						if (expr__str_eq(x[i], a->f[i], c[j].u.s, 0)) {
							t[i] = 1;
							break;
						}
				}
			}
			LOOP
			{
				uint8_t hit = t[i];

				nn[i] = a->n[i] | ((hit ^ 1) & hn);
				t[i] = (nn[i] ^ 1) & (hit ^ ng);
			}
			break;
		}
		case OP_BETWEEN_I:
		case OP_BETWEEN_N: {
			const struct vec *c = &vr[s->c];
			uint8_t ng = s->neg;

			vbuf_of(d);
			if (s->op == OP_BETWEEN_I) {
				const int64_t *x = a->v, *lo = b->v, *hi = c->v;

				LOOP t[i] = (uint8_t)((x[i] >= lo[i]) | ((x[i] <= hi[i]) << 1));
			} else {
				const double *x = a->v, *lo = b->v, *hi = c->v;

				LOOP t[i] = (uint8_t)((x[i] >= lo[i]) | ((x[i] <= hi[i]) << 1));
			}
			LOOP
			{
				uint8_t gn = a->n[i] | b->n[i], ln = a->n[i] | c->n[i];
				uint8_t ge = t[i] & 1, le = t[i] >> 1;
				uint8_t f = ((gn ^ 1) & (ge ^ 1)) | ((ln ^ 1) & (le ^ 1));

				nn[i] = (f ^ 1) & (gn | ln);
				t[i] = (nn[i] ^ 1) & (f ^ (ng ^ 1));
			}
			break;
		}
		default:
		slow:
			fallback(e, ctx, s, vr, regs, n);
			break;
		}
	}
}

int expr_eval_batch(const struct expr *e, const struct expr_ctx *ctx,
		    const struct expr_column *cols, size_t nrows, uint64_t *sel,
		    struct crm_err *err)
{
	uint8_t rt = e->nodes[e->root].type;
	struct vec *vr = NULL;
	struct expr_value *regs = NULL;
	char *mem = NULL;
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
	vr = xcalloc(e->nnodes, sizeof(*vr));
	regs = xcalloc(e->nnodes, sizeof(*regs));
	mem = xcalloc(e->nsteps, per);
	for (uint32_t k = 0; k < e->nsteps; k++) {
		struct vec *r = &vr[e->steps[k].dst];

		r->vbuf = mem + k * per;
		r->nbuf = (uint8_t *)r->vbuf + BATCH * sizeof(struct str);
		r->fbuf = r->nbuf + BATCH;
	}
	for (size_t base = 0; base < nrows; base += BATCH) {
		size_t n = nrows - base < BATCH ? nrows - base : BATCH;
		const uint8_t *t;

		run_chunk(e, ctx, cols, base, n, vr, regs, base == 0);
		t = vr[e->root].v;
		for (size_t w = 0; w * 64 < n; w++) {
			uint64_t m = 0;

			for (unsigned j = 0; j < 8; j++) {
				uint64_t x;

				memcpy(&x, t + w * 64 + j * 8, 8);
				m |= ((x * 0x0102040810204080ULL) >> 56) << (j * 8);
			}
			if (n - w * 64 < 64)
				m &= (1ULL << (n - w * 64)) - 1;
			sel[base / 64 + w] = m;
		}
	}
out:
	free(mem);
	free(regs);
	free(vr);
	return rc;
}
