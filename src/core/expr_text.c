/*
 * The rule language as text again: the normaliser (canonical spelling and spacing, only the
 * parentheses precedence needs), value printing, explain (each condition of one row with
 * its operands' values and a mark) and a fully parenthesised dump for tests.
 */
#include "core/expr_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define CHECK_MARK "\xe2\x9c\x93" /* ✓ */
#define CROSS_MARK "\xe2\x9c\x97" /* ✗ */

static uint32_t kidi(const struct expr *e, const struct expr_node *n, unsigned i)
{
	return e->kids[n->kids + i];
}

/* Skips conversions inserted by the checker. */
static uint32_t strip(const struct expr *e, uint32_t n)
{
	while (e->nodes[n].kind == N_CAST)
		n = e->kids[e->nodes[n].kids];
	return n;
}

void expr__print_num(struct strbuf *sb, double d)
{
	char buf[40];

	if (!isfinite(d)) {
		strbuf_addstr(sb, isnan(d) ? "nan" : d > 0 ? "inf" : "-inf");
		return;
	}
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	strbuf_addstr(sb, buf);
	if (!strpbrk(buf, ".e"))
		strbuf_addstr(sb, ".0");
}

static void print_str(struct strbuf *sb, struct str s, uint8_t fold)
{
	strbuf_addch(sb, '\'');
	for (size_t i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.p[i];

		if (fold == FOLD_LOWER && c >= 'A' && c <= 'Z')
			c = (unsigned char)(c + 32);
		else if (fold == FOLD_UPPER && c >= 'a' && c <= 'z')
			c = (unsigned char)(c - 32);
		else if (fold && i && (unsigned char)s.p[i - 1] == 0xc3) {
			if (fold == FOLD_LOWER && c >= 0x80 && c <= 0x9e && c != 0x97)
				c = (unsigned char)(c + 0x20);
			else if (fold == FOLD_UPPER && c >= 0xa0 && c <= 0xbe && c != 0xb7)
				c = (unsigned char)(c - 0x20);
		}
		if (c == '\'')
			strbuf_addch(sb, '\'');
		strbuf_addch(sb, (char)c);
	}
	strbuf_addch(sb, '\'');
}

void expr__print_value(struct strbuf *sb, const struct expr_value *v, uint8_t type)
{
	int y, m, d;

	if (v->null || type == EXPR_T_NULL) {
		strbuf_addstr(sb, "null");
		return;
	}
	switch (type) {
	case EXPR_T_BOOL:
		strbuf_addstr(sb, v->u.b ? "true" : "false");
		break;
	case EXPR_T_INT:
		strbuf_addf(sb, "%lld", (long long)v->u.i);
		break;
	case EXPR_T_NUM:
		expr__print_num(sb, v->u.n);
		break;
	case EXPR_T_STR:
		print_str(sb, v->u.s, v->fold);
		break;
	case EXPR_T_DATE:
		if (!expr__date_ok(v->u.i)) {
			strbuf_addf(sb, "date(%lld)", (long long)v->u.i);
			break;
		}
		expr_date_split(v->u.i, &y, &m, &d);
		strbuf_addf(sb, "%04d-%02d-%02d", y, m, d);
		break;
	case EXPR_T_DUR:
		m = expr_dur_months(v->u.i);
		d = expr_dur_days(v->u.i);
		if (m && d)
			strbuf_addf(sb, "%dm%+dd", m, d);
		else if (m)
			strbuf_addf(sb, "%dm", m);
		else
			strbuf_addf(sb, "%dd", d);
		break;
	default:
		strbuf_addstr(sb, "?");
	}
}

static int prec(const struct expr_node *n)
{
	switch (n->kind) {
	case N_BIN:
		switch (n->op) {
		case B_OR:
			return 1;
		case B_AND:
			return 2;
		case B_ADD:
		case B_SUB:
			return 5;
		case B_MUL:
		case B_DIV:
		case B_MOD:
			return 6;
		default:
			return 4;
		}
	case N_NOT:
		return 3;
	case N_IN:
	case N_BETWEEN:
	case N_ISNULL:
		return 4;
	case N_NEG:
		return 7;
	default:
		return 8;
	}
}

void expr__print_node(const struct expr *e, uint32_t ni, int min_prec, struct strbuf *sb)
{
	const struct expr_node *n = &e->nodes[strip(e, ni)];
	int p = prec(n);
	bool paren = p < min_prec;

	if (paren)
		strbuf_addch(sb, '(');
	switch (n->kind) {
	case N_LIT:
		expr__print_value(sb, &n->v, n->type);
		break;
	case N_ATTR:
		strbuf_add(sb, e->text + n->pos, n->len);
		break;
	case N_CALL:
		for (uint32_t i = 0; i < n->len; i++) {
			char c = e->text[n->pos + i];

			strbuf_addch(sb, (char)(c >= 'A' && c <= 'Z' ? c + 32 : c));
		}
		strbuf_addch(sb, '(');
		for (unsigned i = 0; i < n->nkids; i++) {
			if (i)
				strbuf_addstr(sb, ", ");
			expr__print_node(e, kidi(e, n, i), 1, sb);
		}
		strbuf_addch(sb, ')');
		break;
	case N_NEG:
		strbuf_addstr(sb, e->nodes[strip(e, kidi(e, n, 0))].kind == N_NEG ? "- " : "-");
		expr__print_node(e, kidi(e, n, 0), 7, sb);
		break;
	case N_NOT:
		strbuf_addstr(sb, "not ");
		expr__print_node(e, kidi(e, n, 0), 3, sb);
		break;
	case N_BIN: {
		int l = p, r = p + 1;

		if (p == 4)
			l = r = 5;
		expr__print_node(e, kidi(e, n, 0), l, sb);
		strbuf_addstr(sb, n->neg ? " not " : " ");
		strbuf_addstr(sb, expr__binop_text(n->op));
		strbuf_addch(sb, ' ');
		expr__print_node(e, kidi(e, n, 1), r, sb);
		break;
	}
	case N_IN:
		expr__print_node(e, kidi(e, n, 0), 5, sb);
		strbuf_addstr(sb, n->neg ? " not in (" : " in (");
		for (unsigned i = 1; i < n->nkids; i++) {
			if (i > 1)
				strbuf_addstr(sb, ", ");
			expr__print_node(e, kidi(e, n, i), 1, sb);
		}
		strbuf_addch(sb, ')');
		break;
	case N_BETWEEN:
		expr__print_node(e, kidi(e, n, 0), 5, sb);
		strbuf_addstr(sb, n->neg ? " not between " : " between ");
		expr__print_node(e, kidi(e, n, 1), 5, sb);
		strbuf_addstr(sb, " and ");
		expr__print_node(e, kidi(e, n, 2), 5, sb);
		break;
	case N_ISNULL:
		expr__print_node(e, kidi(e, n, 0), 5, sb);
		strbuf_addstr(sb, n->neg ? " is not null" : " is null");
		break;
	}
	if (paren)
		strbuf_addch(sb, ')');
}

void expr_normalise(const struct expr *e, struct strbuf *out)
{
	expr__print_node(e, e->root, 1, out);
}

static void dump(const struct expr *e, uint32_t ni, struct strbuf *sb)
{
	const struct expr_node *n = &e->nodes[strip(e, ni)];

	switch (n->kind) {
	case N_LIT:
	case N_ATTR:
		expr__print_node(e, ni, 1, sb);
		return;
	case N_CALL:
		strbuf_add(sb, e->text + n->pos, n->len);
		strbuf_addch(sb, '(');
		for (unsigned i = 0; i < n->nkids; i++) {
			if (i)
				strbuf_addstr(sb, ", ");
			dump(e, kidi(e, n, i), sb);
		}
		strbuf_addch(sb, ')');
		return;
	case N_NEG:
	case N_NOT:
		strbuf_addstr(sb, n->kind == N_NEG ? "(-" : "(not ");
		dump(e, kidi(e, n, 0), sb);
		strbuf_addch(sb, ')');
		return;
	case N_BIN:
		strbuf_addch(sb, '(');
		dump(e, kidi(e, n, 0), sb);
		strbuf_addf(sb, "%s %s ", n->neg ? " not" : "", expr__binop_text(n->op));
		dump(e, kidi(e, n, 1), sb);
		strbuf_addch(sb, ')');
		return;
	case N_IN:
		strbuf_addch(sb, '(');
		dump(e, kidi(e, n, 0), sb);
		strbuf_addstr(sb, n->neg ? " not in (" : " in (");
		for (unsigned i = 1; i < n->nkids; i++) {
			if (i > 1)
				strbuf_addstr(sb, ", ");
			dump(e, kidi(e, n, i), sb);
		}
		strbuf_addstr(sb, "))");
		return;
	case N_BETWEEN:
		strbuf_addch(sb, '(');
		dump(e, kidi(e, n, 0), sb);
		strbuf_addstr(sb, n->neg ? " not between " : " between ");
		dump(e, kidi(e, n, 1), sb);
		strbuf_addstr(sb, " and ");
		dump(e, kidi(e, n, 2), sb);
		strbuf_addch(sb, ')');
		return;
	case N_ISNULL:
		strbuf_addch(sb, '(');
		dump(e, kidi(e, n, 0), sb);
		strbuf_addstr(sb, n->neg ? " is not null)" : " is null)");
		return;
	}
}

void expr__dump(const struct expr *e, struct strbuf *sb)
{
	dump(e, e->root, sb);
}

/* ---- explain ---- */

static bool is_const(const struct expr *e, uint32_t ni)
{
	const struct expr_node *n = &e->nodes[strip(e, ni)];

	if (n->kind == N_NEG)
		n = &e->nodes[strip(e, kidi(e, n, 0))];
	return n->kind == N_LIT;
}

static void operand(const struct expr *e, uint32_t ni, const struct expr_value *regs,
		    struct strbuf *sb)
{
	uint32_t s = strip(e, ni);
	uint8_t k = e->nodes[s].kind;

	if (is_const(e, ni)) {
		expr__print_node(e, ni, 5, sb);
		return;
	}
	expr__print_node(e, ni, (k == N_ATTR || k == N_CALL) ? 5 : 8, sb);
	strbuf_addch(sb, '=');
	expr__print_value(sb, &regs[s], e->nodes[s].type);
}

static void mark(const struct expr_value *v, struct strbuf *sb)
{
	strbuf_addstr(sb, v->null ? " ?" : v->u.b ? " " CHECK_MARK : " " CROSS_MARK);
}

static void explain(const struct expr *e, uint32_t ni, const struct expr_value *regs,
		    struct strbuf *sb, bool *first)
{
	const struct expr_node *n = &e->nodes[strip(e, ni)];
	uint32_t self = strip(e, ni);

	if ((n->kind == N_BIN && (n->op == B_AND || n->op == B_OR)) || n->kind == N_NOT) {
		for (unsigned i = 0; i < n->nkids; i++)
			explain(e, kidi(e, n, i), regs, sb, first);
		return;
	}
	if (n->type != EXPR_T_BOOL || n->kind == N_LIT)
		return;
	if (!*first)
		strbuf_addstr(sb, "; ");
	*first = false;
	switch (n->kind) {
	case N_BIN:
		operand(e, kidi(e, n, 0), regs, sb);
		strbuf_addstr(sb, n->neg ? " not " : " ");
		strbuf_addstr(sb, expr__binop_text(n->op));
		strbuf_addch(sb, ' ');
		operand(e, kidi(e, n, 1), regs, sb);
		break;
	case N_IN:
		operand(e, kidi(e, n, 0), regs, sb);
		strbuf_addstr(sb, n->neg ? " not in (" : " in (");
		for (unsigned i = 1; i < n->nkids; i++) {
			if (i > 1)
				strbuf_addstr(sb, ", ");
			expr__print_node(e, kidi(e, n, i), 1, sb);
		}
		strbuf_addch(sb, ')');
		break;
	case N_BETWEEN:
		operand(e, kidi(e, n, 0), regs, sb);
		strbuf_addstr(sb, n->neg ? " not between " : " between ");
		operand(e, kidi(e, n, 1), regs, sb);
		strbuf_addstr(sb, " and ");
		operand(e, kidi(e, n, 2), regs, sb);
		break;
	case N_ISNULL:
		operand(e, kidi(e, n, 0), regs, sb);
		strbuf_addstr(sb, n->neg ? " is not null" : " is null");
		break;
	default: /* a bool attribute or call */
		expr__print_node(e, self, 8, sb);
		strbuf_addch(sb, '=');
		expr__print_value(sb, &regs[self], n->type);
		break;
	}
	mark(&regs[self], sb);
}

int expr_explain(const struct expr *e, const struct expr_ctx *ctx, const struct expr_value *row,
		 struct strbuf *out, struct expr_value *result)
{
	struct expr_value regs[EXPR_MAX_NODES];
	bool first = true;

	expr__run(e, ctx, row, regs);
	explain(e, e->root, regs, out, &first);
	if (first) { /* no condition: show the value */
		expr__print_node(e, e->root, 1, out);
		strbuf_addstr(out, " = ");
		expr__print_value(out, &regs[e->root], e->nodes[e->root].type);
	}
	if (result)
		*result = regs[e->root];
	return 0;
}
