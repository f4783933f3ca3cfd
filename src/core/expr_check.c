/*
 * The rule language middle: resolves attribute and function names against the schema
 * (suggesting the nearest name for a misspelling), checks types (inserting int-to-number
 * and duration-to-days conversions) and generates the flat step array, one register per
 * syntax node, so that explain can read every intermediate value.
 */
#include "core/expr_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/banned.h"

#define NODE(i) (&cc->e->nodes[(i)])

static const char *const func_names[F_COUNT] = {
	"abs",	 "min",	  "max",	"round",	  "coalesce", "len",
	"lower", "upper", "days_since", "months_between", "now",      "today"};

const char *expr__func_name(unsigned f)
{
	return f < F_COUNT ? func_names[f] : "?";
}

const char *expr__binop_text(unsigned op)
{
	static const char *const t[] = {"or", "and", "=",    "!=",	 "<",		"<=",
					">",  ">=",  "like", "contains", "starts_with", "+",
					"-",  "*",   "/",    "%"};

	return op < sizeof(t) / sizeof(t[0]) ? t[op] : "?";
}

static uint32_t kid(struct expr_cc *cc, uint32_t n, unsigned i)
{
	return cc->e->kids[NODE(n)->kids + i];
}

static uint8_t ktype(struct expr_cc *cc, uint32_t n, unsigned i)
{
	return NODE(kid(cc, n, i))->type;
}

static const char *tname(uint8_t t)
{
	return expr_type_name((enum expr_type)t);
}

static bool isnum(uint8_t t)
{
	return t == EXPR_T_INT || t == EXPR_T_NUM;
}

/* Wraps child i of n in a conversion node. */
static void cast(struct expr_cc *cc, uint32_t n, unsigned i, uint8_t how)
{
	uint32_t k = kid(cc, n, i), c = expr__node_new(cc, N_CAST, NODE(k)->pos);

	NODE(c)->op = how;
	NODE(c)->type = how == C_I2N ? EXPR_T_NUM : EXPR_T_INT;
	NODE(c)->nkids = 1;
	/* the cast's only kid lives in a fresh slot of kids[] */
	if (cc->e->nkids == cc->cap_kids) {
		cc->cap_kids = cc->cap_kids ? 2 * cc->cap_kids : 64;
		cc->e->kids = xrealloc(cc->e->kids, cc->cap_kids * sizeof(*cc->e->kids));
	}
	NODE(c)->kids = cc->e->nkids;
	cc->e->kids[cc->e->nkids++] = k;
	cc->e->kids[NODE(n)->kids + i] = c;
}

static unsigned lev(const char *a, size_t la, const char *b, size_t lb)
{
	unsigned row[EXPR_MAX_NAME + 2];

	if (la > EXPR_MAX_NAME || lb > EXPR_MAX_NAME)
		return 1000;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		unsigned prev = row[0], cur;

		row[0] = (unsigned)i;
		for (size_t j = 1; j <= lb; j++) {
			cur = row[j];
			row[j] = prev + (a[i - 1] != b[j - 1]);
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			if (cur + 1 < row[j])
				row[j] = cur + 1;
			prev = cur;
		}
	}
	return row[lb];
}

/* Writes "did you mean 'x'?" for the closest candidate, if close enough. */
static const char *suggest(const char *name, size_t len, const char *const *cands, size_t n,
			   char *buf, size_t bufsz)
{
	unsigned best = 1000;
	const char *pick = NULL;

	for (size_t i = 0; i < n; i++) {
		unsigned d = lev(name, len, cands[i], strlen(cands[i]));

		if (d < best) {
			best = d;
			pick = cands[i];
		}
	}
	if (!pick || best > (len < 4 ? 1 : len / 3 + 1))
		return NULL;
	snprintf(buf, bufsz, "did you mean '%s'?", pick);
	return buf;
}

static void check_attr(struct expr_cc *cc, uint32_t n)
{
	const char *name = cc->e->text + NODE(n)->pos;
	size_t len = NODE(n)->len, cnt = expr_schema_count(cc->schema);
	int slot = expr_schema_lookup(cc->schema, name, len);
	enum expr_type t;

	if (slot < 0) {
		const char **cands = xmalloc((cnt + 1) * sizeof(*cands));
		char buf[96];
		const char *hint;

		for (size_t i = 0; i < cnt; i++)
			expr_schema_attr(cc->schema, i, &cands[i], NULL);
		hint = suggest(name, len, cands, cnt, buf, sizeof(buf));
		expr__error(cc, NODE(n)->pos, hint, "unknown attribute '%.*s'", (int)len, name);
		free(cands);
		NODE(n)->type = EXPR_T_ERR;
		return;
	}
	expr_schema_attr(cc->schema, (size_t)slot, NULL, &t);
	NODE(n)->slot = slot;
	NODE(n)->type = (uint8_t)t;
	if (slot > cc->e->max_slot)
		cc->e->max_slot = slot;
}

static void check(struct expr_cc *cc, uint32_t n);

/* Unifies the numeric kids [from, nk) of n: any number makes the ints numbers. */
static uint8_t unify(struct expr_cc *cc, uint32_t n, unsigned from, const char *what)
{
	unsigned nk = NODE(n)->nkids;
	uint8_t t = EXPR_T_NULL;

	for (unsigned i = from; i < nk; i++) {
		uint8_t k = ktype(cc, n, i);

		if (k == EXPR_T_ERR)
			return EXPR_T_ERR;
		if (k == EXPR_T_NULL)
			continue;
		if (t == EXPR_T_NULL || (t == EXPR_T_INT && k == EXPR_T_NUM))
			t = k;
		else if (t == k || (t == EXPR_T_NUM && k == EXPR_T_INT))
			continue;
		else {
			expr__error(cc, NODE(kid(cc, n, i))->pos, NULL, "%s %s with %s", what,
				    tname(t), tname(k));
			return EXPR_T_ERR;
		}
	}
	if (t == EXPR_T_NUM)
		for (unsigned i = from; i < nk; i++)
			if (ktype(cc, n, i) == EXPR_T_INT)
				cast(cc, n, i, C_I2N);
	return t;
}

static void check_call(struct expr_cc *cc, uint32_t n)
{
	static const struct {
		unsigned min, max;
	} arity[F_COUNT] = {{1, 1}, {1, 32}, {1, 32}, {1, 2}, {1, 32}, {1, 1},
			    {1, 1}, {1, 1},  {1, 1},  {2, 2}, {0, 0},  {0, 0}};
	const char *name = cc->e->text + NODE(n)->pos;
	unsigned nk = NODE(n)->nkids, f;
	bool anynull = false;
	uint8_t t = EXPR_T_ERR, a0;
	int fi = -1;

	for (f = 0; f < F_COUNT; f++)
		if (str_eq_nocase((struct str){name, NODE(n)->len}, str_from(func_names[f])))
			fi = (int)f;
	if (fi < 0) {
		char buf[96];
		const char *hint =
			suggest(name, NODE(n)->len, func_names, F_COUNT, buf, sizeof(buf));

		expr__error(cc, NODE(n)->pos, hint, "unknown function '%.*s'", (int)NODE(n)->len,
			    name);
		goto out;
	}
	f = (unsigned)fi;
	NODE(n)->op = (uint8_t)f;
	for (unsigned i = 0; i < nk; i++)
		check(cc, kid(cc, n, i));
	for (unsigned i = 0; i < nk; i++) {
		if (ktype(cc, n, i) == EXPR_T_ERR)
			goto out;
		anynull |= ktype(cc, n, i) == EXPR_T_NULL;
	}
	if (nk < arity[f].min || nk > arity[f].max) {
		if (arity[f].min == arity[f].max)
			expr__error(cc, NODE(n)->pos, NULL,
				    "function '%s' takes %u argument%s, found %u", func_names[f],
				    arity[f].min, arity[f].min == 1 ? "" : "s", nk);
		else
			expr__error(cc, NODE(n)->pos, NULL,
				    "function '%s' takes %u to %u arguments, found %u",
				    func_names[f], arity[f].min, arity[f].max, nk);
		goto out;
	}
	a0 = nk ? ktype(cc, n, 0) : EXPR_T_NULL;
	switch (f) {
	case F_ABS:
		if (a0 != EXPR_T_NULL && !isnum(a0))
			goto bad;
		t = a0;
		break;
	case F_MIN:
	case F_MAX:
		t = unify(cc, n, 0, "cannot compare");
		if (t == EXPR_T_ERR)
			goto out;
		if (t != EXPR_T_NULL && !isnum(t) && t != EXPR_T_STR && t != EXPR_T_DATE) {
			a0 = t;
			goto bad;
		}
		if (anynull)
			t = EXPR_T_NULL;
		break;
	case F_COALESCE:
		t = unify(cc, n, 0, "cannot mix");
		break;
	case F_ROUND:
		if (a0 != EXPR_T_NULL && !isnum(a0))
			goto bad;
		if (nk == 2 && ktype(cc, n, 1) != EXPR_T_INT && ktype(cc, n, 1) != EXPR_T_NULL) {
			expr__error(cc, NODE(kid(cc, n, 1))->pos, NULL,
				    "function 'round' expects int digits, found %s",
				    tname(ktype(cc, n, 1)));
			goto out;
		}
		t = anynull ? EXPR_T_NULL : nk == 2 ? EXPR_T_NUM : a0;
		if (nk == 2 && a0 == EXPR_T_INT)
			cast(cc, n, 0, C_I2N);
		break;
	case F_LEN:
	case F_LOWER:
	case F_UPPER:
		if (a0 != EXPR_T_NULL && a0 != EXPR_T_STR)
			goto bad;
		t = anynull ? EXPR_T_NULL : f == F_LEN ? EXPR_T_INT : EXPR_T_STR;
		break;
	case F_DAYS_SINCE:
	case F_MONTHS_BETWEEN:
		for (unsigned i = 0; i < nk; i++)
			if (ktype(cc, n, i) != EXPR_T_NULL && ktype(cc, n, i) != EXPR_T_DATE) {
				a0 = ktype(cc, n, i);
				goto bad;
			}
		t = anynull ? EXPR_T_NULL : EXPR_T_INT;
		break;
	case F_NOW:
		t = EXPR_T_INT;
		break;
	case F_TODAY:
		t = EXPR_T_DATE;
		break;
	}
	goto out;
bad:
	expr__error(cc, NODE(n)->pos, NULL, "function '%s' expects %s, found %s", func_names[f],
		    f == F_ABS || f == F_ROUND			 ? "a number"
		    : f == F_MIN || f == F_MAX			 ? "numbers, dates or strings"
		    : f == F_LEN || f == F_LOWER || f == F_UPPER ? "a string"
								 : "a date",
		    tname(a0));
	t = EXPR_T_ERR;
out:
	NODE(n)->type = t;
}

static void check_arith(struct expr_cc *cc, uint32_t n)
{
	uint8_t op = NODE(n)->op, a = ktype(cc, n, 0), b = ktype(cc, n, 1), t = EXPR_T_ERR;
	bool addsub = op == B_ADD || op == B_SUB;

	if ((a == EXPR_T_NULL || isnum(a) || (addsub && (a == EXPR_T_DATE || a == EXPR_T_DUR))) &&
	    (b == EXPR_T_NULL || isnum(b) || (addsub && (b == EXPR_T_DATE || b == EXPR_T_DUR)))) {
		if (a == EXPR_T_NULL || b == EXPR_T_NULL)
			t = EXPR_T_NULL;
		else if (isnum(a) && isnum(b)) {
			t = (a == EXPR_T_NUM || b == EXPR_T_NUM || op == B_DIV) ? EXPR_T_NUM
										: EXPR_T_INT;
			if (t == EXPR_T_NUM && a == EXPR_T_INT)
				cast(cc, n, 0, C_I2N);
			if (t == EXPR_T_NUM && b == EXPR_T_INT)
				cast(cc, n, 1, C_I2N);
		} else if (a == EXPR_T_DATE && b == EXPR_T_DUR)
			t = EXPR_T_DATE;
		else if (op == B_ADD && a == EXPR_T_DUR && b == EXPR_T_DATE)
			t = EXPR_T_DATE;
		else if (op == B_SUB && a == EXPR_T_DATE && b == EXPR_T_DATE)
			t = EXPR_T_INT;
		else if (a == EXPR_T_DUR && b == EXPR_T_DUR)
			t = EXPR_T_DUR;
	}
	if (t == EXPR_T_ERR)
		expr__error(cc, NODE(n)->pos, NULL, "operator '%s' cannot be applied to %s and %s",
			    expr__binop_text(op), tname(a), tname(b));
	NODE(n)->type = t;
}

/* Comparison operands a, b (kids i and j): returns false after reporting a mismatch. */
static bool check_cmp(struct expr_cc *cc, uint32_t n, const char *opname)
{
	unsigned nk = NODE(n)->nkids;
	uint8_t t = EXPR_T_NULL;

	for (unsigned i = 0; i < nk; i++) {
		uint8_t k = ktype(cc, n, i);

		if (k == EXPR_T_NULL)
			continue;
		if (t == EXPR_T_NULL || (isnum(t) && isnum(k))) {
			if (t != EXPR_T_NUM)
				t = k;
			continue;
		}
		if (t != k) {
			expr__error(cc, NODE(n)->pos, NULL, "cannot compare %s with %s using '%s'",
				    tname(t), tname(k), opname);
			return false;
		}
	}
	if (t == EXPR_T_NUM)
		for (unsigned i = 0; i < nk; i++)
			if (ktype(cc, n, i) == EXPR_T_INT)
				cast(cc, n, i, C_I2N);
	if (t == EXPR_T_DUR)
		for (unsigned i = 0; i < nk; i++)
			if (ktype(cc, n, i) == EXPR_T_DUR)
				cast(cc, n, i, C_DUR2DAYS);
	if (t == EXPR_T_BOOL && NODE(n)->kind == N_BIN && NODE(n)->op != B_EQ &&
	    NODE(n)->op != B_NE) {
		expr__error(cc, NODE(n)->pos, "use '=' or '!='",
			    "true/false values cannot be ordered with '%s'", opname);
		return false;
	}
	if (t == EXPR_T_BOOL && NODE(n)->kind != N_BIN) {
		expr__error(cc, NODE(n)->pos, "use '=' or '!='",
			    "true/false values cannot be used with '%s'", opname);
		return false;
	}
	return true;
}

static void check(struct expr_cc *cc, uint32_t n)
{
	struct expr_node *nd = NODE(n);
	unsigned nk = nd->nkids;
	uint8_t t = EXPR_T_ERR, a;

	switch (nd->kind) {
	case N_LIT:
		return;
	case N_ATTR:
		check_attr(cc, n);
		return;
	case N_CALL:
		check_call(cc, n);
		return;
	default:
		break;
	}
	for (unsigned i = 0; i < nk; i++)
		check(cc, kid(cc, n, i));
	for (unsigned i = 0; i < nk; i++)
		if (ktype(cc, n, i) == EXPR_T_ERR)
			goto out;
	a = ktype(cc, n, 0);
	switch (NODE(n)->kind) {
	case N_NEG:
		if (a == EXPR_T_NULL || isnum(a) || a == EXPR_T_DUR)
			t = a;
		else
			expr__error(cc, NODE(n)->pos, NULL, "cannot negate %s", tname(a));
		break;
	case N_NOT:
		if (a == EXPR_T_NULL || a == EXPR_T_BOOL)
			t = EXPR_T_BOOL;
		else
			expr__error(cc, NODE(n)->pos, NULL,
				    "'not' expects a true/false operand, found %s", tname(a));
		break;
	case N_ISNULL:
		t = EXPR_T_BOOL;
		break;
	case N_IN:
		if (check_cmp(cc, n, "in"))
			t = EXPR_T_BOOL;
		break;
	case N_BETWEEN:
		if (check_cmp(cc, n, "between"))
			t = EXPR_T_BOOL;
		break;
	case N_BIN: {
		uint8_t op = NODE(n)->op, b = ktype(cc, n, 1);

		if (op == B_AND || op == B_OR) {
			if ((a == EXPR_T_NULL || a == EXPR_T_BOOL) &&
			    (b == EXPR_T_NULL || b == EXPR_T_BOOL))
				t = EXPR_T_BOOL;
			else
				expr__error(cc, NODE(n)->pos, NULL,
					    "'%s' expects true/false operands, found %s and %s",
					    expr__binop_text(op), tname(a), tname(b));
		} else if (op >= B_EQ && op <= B_GE) {
			if (check_cmp(cc, n, expr__binop_text(op)))
				t = EXPR_T_BOOL;
		} else if (op == B_LIKE || op == B_CONTAINS || op == B_STARTS) {
			if ((a == EXPR_T_NULL || a == EXPR_T_STR) &&
			    (b == EXPR_T_NULL || b == EXPR_T_STR))
				t = EXPR_T_BOOL;
			else
				expr__error(cc, NODE(n)->pos, NULL,
					    "'%s' expects string operands, found %s and %s",
					    expr__binop_text(op), tname(a), tname(b));
		} else {
			check_arith(cc, n);
			return;
		}
		break;
	}
	}
out:
	NODE(n)->type = t;
}

/* ---- code generation ---- */

static void emit(struct expr_cc *cc, uint32_t n, uint8_t op, uint16_t a, uint16_t b)
{
	struct expr_step *s = &cc->e->steps[cc->e->nsteps++];

	memset(s, 0, sizeof(*s));
	s->op = op;
	s->dst = (uint16_t)n;
	s->a = a;
	s->b = b;
	s->type = NODE(n)->type;
	s->neg = NODE(n)->neg;
}

static uint32_t add_const(struct expr_cc *cc, struct expr_value v)
{
	cc->e->consts[cc->e->nconsts] = v;
	return cc->e->nconsts++;
}

/* The value of an 'in' list item (a literal or minus a literal). */
static struct expr_value item_value(struct expr_cc *cc, uint32_t k, uint8_t *type)
{
	struct expr_node *nd = NODE(k);
	struct expr_value v;

	if (nd->kind == N_CAST)
		nd = &cc->e->nodes[cc->e->kids[nd->kids]];
	if (nd->kind == N_NEG) {
		const struct expr_node *l = &cc->e->nodes[cc->e->kids[nd->kids]];

		v = l->v;
		*type = l->type;
		if (l->type == EXPR_T_INT)
			v.u.i = -v.u.i;
		else if (l->type == EXPR_T_NUM)
			v.u.n = -v.u.n;
		else if (l->type == EXPR_T_DUR)
			v.u.i = expr_dur_make(-expr_dur_months(v.u.i), -expr_dur_days(v.u.i));
		return v;
	}
	*type = nd->type;
	return nd->v;
}

static uint8_t cmp_class(struct expr_cc *cc, uint32_t n)
{
	for (unsigned i = 0; i < NODE(n)->nkids; i++) {
		uint8_t t = ktype(cc, n, i);

		if (t == EXPR_T_NUM)
			return 'N';
		if (t == EXPR_T_STR)
			return 'S';
		if (t == EXPR_T_BOOL)
			return 'B';
		if (t != EXPR_T_NULL)
			return 'I';
	}
	return 'I';
}

static void gen(struct expr_cc *cc, uint32_t n)
{
	unsigned nk = NODE(n)->nkids;
	uint8_t kind = NODE(n)->kind, op = NODE(n)->op, t = NODE(n)->type, a, b;
	uint16_t k0 = nk ? (uint16_t)kid(cc, n, 0) : 0, k1 = nk > 1 ? (uint16_t)kid(cc, n, 1) : 0;
	struct expr_step *s;

	if (kind != N_IN)
		for (unsigned i = 0; i < nk; i++)
			gen(cc, kid(cc, n, i));
	else
		gen(cc, k0);
	a = nk ? ktype(cc, n, 0) : 0;
	b = nk > 1 ? ktype(cc, n, 1) : 0;
	switch (kind) {
	case N_LIT:
		emit(cc, n, OP_CONST, 0, 0);
		cc->e->steps[cc->e->nsteps - 1].aux = add_const(cc, NODE(n)->v);
		return;
	case N_ATTR:
		emit(cc, n, t == EXPR_T_BOOL ? OP_BOOLATTR : OP_ATTR, 0, 0);
		cc->e->steps[cc->e->nsteps - 1].aux = (uint32_t)NODE(n)->slot;
		return;
	case N_CAST:
		emit(cc, n, op == C_I2N ? OP_I2N : OP_DUR2DAYS, k0, 0);
		return;
	case N_NEG:
		emit(cc, n,
		     t == EXPR_T_INT   ? OP_NEG_I
		     : t == EXPR_T_NUM ? OP_NEG_N
		     : t == EXPR_T_DUR ? OP_NEG_DUR
				       : OP_NULL,
		     k0, 0);
		return;
	case N_NOT:
		emit(cc, n, OP_NOT, k0, 0);
		return;
	case N_ISNULL:
		emit(cc, n, OP_ISNULL, k0, 0);
		return;
	case N_IN: {
		uint8_t cls = cmp_class(cc, n), it;
		bool has_null = false;

		emit(cc, n, cls == 'N' ? OP_IN_N : cls == 'S' ? OP_IN_S : OP_IN_I, k0, 0);
		s = &cc->e->steps[cc->e->nsteps - 1];
		s->aux = cc->e->nconsts;
		for (unsigned i = 1; i < nk; i++) {
			struct expr_value v = item_value(cc, kid(cc, n, i), &it);

			if (it == EXPR_T_NULL) {
				has_null = true;
				continue;
			}
			if (cls == 'N' && it == EXPR_T_INT)
				v.u.n = (double)v.u.i;
			if (it == EXPR_T_DUR)
				v.u.i = expr__dur_days(v.u.i);
			add_const(cc, v);
		}
		s->naux = cc->e->nconsts - s->aux;
		s->c = has_null;
		return;
	}
	case N_BETWEEN: {
		uint8_t cls = cmp_class(cc, n);

		emit(cc, n,
		     cls == 'N'	  ? OP_BETWEEN_N
		     : cls == 'S' ? OP_BETWEEN_S
				  : OP_BETWEEN_I,
		     k0, k1);
		cc->e->steps[cc->e->nsteps - 1].c = (uint16_t)kid(cc, n, 2);
		return;
	}
	case N_BIN:
		break;
	case N_CALL: {
		static const uint8_t simple[F_COUNT] = {[F_LEN] = OP_LEN,
							[F_LOWER] = OP_LOWER,
							[F_UPPER] = OP_UPPER,
							[F_DAYS_SINCE] = OP_DAYS_SINCE,
							[F_MONTHS_BETWEEN] = OP_MONTHS_BETWEEN,
							[F_NOW] = OP_NOW,
							[F_TODAY] = OP_TODAY};
		uint8_t o;

		if (t == EXPR_T_NULL) {
			emit(cc, n, OP_NULL, 0, 0);
			return;
		}
		switch (op) {
		case F_ABS:
			o = t == EXPR_T_INT ? OP_ABS_I : OP_ABS_N;
			break;
		case F_ROUND:
			o = nk == 2 ? OP_ROUND_N2 : t == EXPR_T_INT ? OP_COPY : OP_ROUND_N;
			break;
		case F_MIN:
		case F_MAX:
		case F_COALESCE:
			o = op == F_COALESCE  ? OP_COALESCE
			    : t == EXPR_T_NUM ? (op == F_MIN ? OP_MIN_N : OP_MAX_N)
			    : t == EXPR_T_STR ? (op == F_MIN ? OP_MIN_S : OP_MAX_S)
					      : (op == F_MIN ? OP_MIN_I : OP_MAX_I);
			emit(cc, n, o, k0, 0);
			s = &cc->e->steps[cc->e->nsteps - 1];
			s->aux = cc->e->nargs;
			s->naux = nk;
			s->c = t;
			for (unsigned i = 0; i < nk; i++)
				cc->e->args[cc->e->nargs++] = (uint16_t)kid(cc, n, i);
			return;
		default:
			o = simple[op];
			break;
		}
		emit(cc, n, o, k0, k1);
		return;
	}
	}
	/* N_BIN */
	if (op >= B_EQ && op <= B_GE) {
		uint8_t cls = cmp_class(cc, n);

		emit(cc, n,
		     cls == 'N'	  ? OP_CMP_N
		     : cls == 'S' ? OP_CMP_S
		     : cls == 'B' ? OP_CMP_B
				  : OP_CMP_I,
		     k0, k1);
		cc->e->steps[cc->e->nsteps - 1].c = op;
		return;
	}
	switch (op) {
	case B_AND:
		emit(cc, n, OP_AND, k0, k1);
		return;
	case B_OR:
		emit(cc, n, OP_OR, k0, k1);
		return;
	case B_LIKE:
		emit(cc, n, OP_LIKE, k0, k1);
		return;
	case B_CONTAINS:
		emit(cc, n, OP_CONTAINS, k0, k1);
		return;
	case B_STARTS:
		emit(cc, n, OP_STARTS, k0, k1);
		return;
	default:
		break;
	}
	if (t == EXPR_T_NULL) {
		emit(cc, n, OP_NULL, 0, 0);
	} else if (t == EXPR_T_INT && a == EXPR_T_DATE) {
		emit(cc, n, OP_SUB_DATE, k0, k1);
	} else if (t == EXPR_T_INT) {
		emit(cc, n,
		     op == B_ADD   ? OP_ADD_I
		     : op == B_SUB ? OP_SUB_I
		     : op == B_MUL ? OP_MUL_I
				   : OP_MOD_I,
		     k0, k1);
	} else if (t == EXPR_T_NUM) {
		emit(cc, n,
		     op == B_ADD   ? OP_ADD_N
		     : op == B_SUB ? OP_SUB_N
		     : op == B_MUL ? OP_MUL_N
		     : op == B_DIV ? OP_DIV_N
				   : OP_MOD_N,
		     k0, k1);
	} else if (t == EXPR_T_DATE) {
		if (a == EXPR_T_DUR) /* dur + date */
			emit(cc, n, OP_ADD_DD, k1, k0);
		else
			emit(cc, n, op == B_ADD ? OP_ADD_DD : OP_SUB_DD, k0, k1);
	} else {
		(void)b;
		emit(cc, n, op == B_ADD ? OP_ADD_DUR : OP_SUB_DUR, k0, k1);
	}
}

int expr__check(struct expr_cc *cc)
{
	struct expr *e = cc->e;

	check(cc, e->root);
	if (cc->nerr)
		return CRM_EINVAL;
	if (e->nnodes > EXPR_MAX_NODES)
		return expr__error(cc, 0, NULL, "rule has more than %d operators and operands",
				   EXPR_MAX_NODES);
	e->steps = xcalloc(e->nnodes, sizeof(*e->steps));
	e->consts = xcalloc(cc->nlits + 1, sizeof(*e->consts));
	e->args = xcalloc(e->nnodes, sizeof(*e->args));
	gen(cc, e->root);
	return 0;
}

enum expr_type expr_result_type(const struct expr *e)
{
	return (enum expr_type)e->nodes[e->root].type;
}
