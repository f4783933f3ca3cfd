/*
 * The rule language front end: schemas, error reporting with line:column and spelling
 * suggestions, the lexer and a recursive-descent parser (depth-limited) building the
 * syntax tree, and expr_compile() tying parse, check and code generation together.
 */
#include "core/expr_int.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/mem.h"
#include "core/time.h"
#include "core/banned.h"

/* ---- schema ---- */

struct expr_attr {
	char *name;
	size_t len;
	enum expr_type type;
};

struct expr_schema {
	struct expr_attr *attrs;
	size_t n, cap;
};

static const char *const keywords[] = {"and",	   "or", "not",	 "in",	 "between", "like",
				       "contains", "is", "null", "true", "false",   NULL};

static bool is_keyword(const char *p, size_t len)
{
	for (int i = 0; keywords[i]; i++)
		if (strlen(keywords[i]) == len &&
		    str_eq_nocase((struct str){p, len}, str_from(keywords[i])))
			return true;
	return str_eq_nocase((struct str){p, len}, STR_LIT("starts_with"));
}

static bool ident_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool ident_char(int c)
{
	return ident_start(c) || (c >= '0' && c <= '9');
}

/* Length of the identifier at p (dotted parts included), 0 if none. */
static size_t ident_len(const char *p, size_t n)
{
	size_t i = 0;

	if (!n || !ident_start((unsigned char)p[0]))
		return 0;
	for (;;) {
		while (i < n && ident_char((unsigned char)p[i]))
			i++;
		if (i + 1 < n && p[i] == '.' && ident_start((unsigned char)p[i + 1]))
			i++;
		else
			return i;
	}
}

struct expr_schema *expr_schema_new(void)
{
	return xcalloc(1, sizeof(struct expr_schema));
}

void expr_schema_free(struct expr_schema *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		free(s->attrs[i].name);
	free(s->attrs);
	free(s);
}

int expr_schema_add(struct expr_schema *s, const char *name, enum expr_type type,
		    struct crm_err *err)
{
	size_t len = name ? strlen(name) : 0;

	if (!len || len > EXPR_MAX_NAME || ident_len(name, len) != len)
		return crm_err_set(err, CRM_EINVAL, "name", "attribute name '%s' is not valid",
				   name ? name : "");
	if (is_keyword(name, len))
		return crm_err_set(err, CRM_EINVAL, "name", "attribute name '%s' is a keyword",
				   name);
	if ((unsigned)type <= EXPR_T_NULL || (unsigned)type >= EXPR_T_COUNT)
		return crm_err_set(err, CRM_EINVAL, "type", "attribute '%s' has no valid type",
				   name);
	if (expr_schema_lookup(s, name, len) >= 0)
		return crm_err_set(err, CRM_EINVAL, "name", "attribute '%s' is defined twice",
				   name);
	if (s->n >= EXPR_SCHEMA_MAX)
		return crm_err_set(err, CRM_ETOOBIG, "name", "schema has more than %d attributes",
				   EXPR_SCHEMA_MAX);
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->attrs = xrealloc(s->attrs, s->cap * sizeof(*s->attrs));
	}
	s->attrs[s->n++] = (struct expr_attr){xstrdup(name), len, type};
	return 0;
}

size_t expr_schema_count(const struct expr_schema *s)
{
	return s ? s->n : 0;
}

int expr_schema_attr(const struct expr_schema *s, size_t slot, const char **name,
		     enum expr_type *type)
{
	if (!s || slot >= s->n)
		return CRM_ENOTFOUND;
	if (name)
		*name = s->attrs[slot].name;
	if (type)
		*type = s->attrs[slot].type;
	return 0;
}

int expr_schema_lookup(const struct expr_schema *s, const char *name, size_t len)
{
	for (size_t i = 0; s && i < s->n; i++)
		if (s->attrs[i].len == len && memcmp(s->attrs[i].name, name, len) == 0)
			return (int)i;
	return -1;
}

/* ---- errors ---- */

static void position(const char *text, size_t pos, unsigned *line, unsigned *col)
{
	unsigned l = 1, c = 1;

	for (size_t i = 0; i < pos && text[i]; i++) {
		if (text[i] == '\n') {
			l++;
			c = 1;
		} else if (((unsigned char)text[i] & 0xc0) != 0x80) {
			c++;
		}
	}
	*line = l;
	*col = c;
}

void expr_error_format(const struct expr_error *e, struct strbuf *out)
{
	strbuf_addf(out, "%s at %u:%u", e->message, e->line, e->col);
	if (e->hint[0])
		strbuf_addf(out, " \xe2\x80\x94 %s", e->hint);
}

int expr__error(struct expr_cc *cc, uint32_t pos, const char *hint, const char *fmt, ...)
{
	struct expr_error *it;
	va_list ap;

	cc->nerr++;
	if (!cc->errs || cc->errs->count >= EXPR_ERRORS_MAX)
		return CRM_EINVAL;
	it = &cc->errs->items[cc->errs->count++];
	memset(it, 0, sizeof(*it));
	it->offset = pos;
	position(cc->e->text, pos, &it->line, &it->col);
	va_start(ap, fmt);
	vsnprintf(it->message, sizeof(it->message), fmt, ap);
	va_end(ap);
	if (hint)
		snprintf(it->hint, sizeof(it->hint), "%s", hint);
	if (cc->errs->count == 1) {
		struct strbuf sb = STRBUF_INIT;

		expr_error_format(it, &sb);
		crm_err_set(&cc->errs->err, CRM_EINVAL, "text", "%s", strbuf_cstr(&sb));
		strbuf_release(&sb);
	}
	return CRM_EINVAL;
}

/* ---- tree storage ---- */

uint32_t expr__node_new(struct expr_cc *cc, uint8_t kind, uint32_t pos)
{
	struct expr *e = cc->e;
	struct expr_node *n;

	if (e->nnodes == cc->cap_nodes) {
		cc->cap_nodes = cc->cap_nodes ? 2 * cc->cap_nodes : 32;
		e->nodes = xrealloc(e->nodes, cc->cap_nodes * sizeof(*e->nodes));
	}
	n = &e->nodes[e->nnodes];
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->pos = pos;
	n->slot = -1;
	return e->nnodes++;
}

static void kids_set(struct expr_cc *cc, uint32_t node, const uint32_t *k, unsigned nk)
{
	struct expr *e = cc->e;

	if (e->nkids + nk > cc->cap_kids) {
		while (e->nkids + nk > cc->cap_kids)
			cc->cap_kids = cc->cap_kids ? 2 * cc->cap_kids : 64;
		e->kids = xrealloc(e->kids, cc->cap_kids * sizeof(*e->kids));
	}
	e->nodes[node].kids = e->nkids;
	e->nodes[node].nkids = (uint16_t)nk;
	if (nk)
		memcpy(e->kids + e->nkids, k, nk * sizeof(*k));
	e->nkids += nk;
}

const struct expr_node *expr__kid(const struct expr *e, const struct expr_node *n, unsigned i)
{
	return &e->nodes[e->kids[n->kids + i]];
}

/* ---- lexer ---- */

enum tok_kind {
	T_EOF,
	T_INT,
	T_REAL,
	T_STR,
	T_DATE,
	T_DUR,
	T_IDENT,
	T_AND,
	T_OR,
	T_NOT,
	T_IN,
	T_BETWEEN,
	T_LIKE,
	T_CONTAINS,
	T_STARTS,
	T_IS,
	T_NULL,
	T_TRUE,
	T_FALSE,
	T_LP,
	T_RP,
	T_COMMA,
	T_PLUS,
	T_MINUS,
	T_STAR,
	T_SLASH,
	T_PCT,
	T_EQ,
	T_NE,
	T_LT,
	T_LE,
	T_GT,
	T_GE,
	T_BANG
};

struct tok {
	int kind;
	uint32_t pos, len;
	struct expr_value v;
};

struct parser {
	struct expr_cc *cc;
	const char *p;
	size_t n;
	size_t at; /* next byte to lex */
	struct tok t;
	int depth;
};

static bool digits(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)p[i]))
			return false;
	return true;
}

/* Decimal digits to [0, max]; false on overflow (str_to_i64 stops at 18 digits). */
static bool to_u63(const char *p, size_t n, int64_t max, int64_t *out)
{
	int64_t v = 0;

	for (size_t i = 0; i < n; i++) {
		int d = p[i] - '0';

		if (v > (max - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

static int lex_number(struct parser *ps, struct tok *t)
{
	const char *p = ps->p + t->pos;
	size_t n = ps->n - t->pos, i = 0;
	bool real = false;
	char buf[72];

	/* A date: exactly dddd-dd-dd not followed by a name or digit. */
	if (n >= 10 && digits(p, 4) && p[4] == '-' && digits(p + 5, 2) && p[7] == '-' &&
	    digits(p + 8, 2) && (n == 10 || !ident_char((unsigned char)p[10]))) {
		int y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + p[3] - '0';
		int m = (p[5] - '0') * 10 + p[6] - '0';
		int d = (p[8] - '0') * 10 + p[9] - '0';

		t->len = 10;
		if (y < 1 || m < 1 || m > 12 || d < 1 || d > time_days_in_month(y, m))
			return expr__error(ps->cc, t->pos, NULL, "invalid date '%.10s'", p);
		t->kind = T_DATE;
		t->v.u.i = expr_date_make(y, m, d);
		return 0;
	}
	while (i < n && isdigit((unsigned char)p[i]))
		i++;
	if (i + 1 < n && p[i] == '.' && isdigit((unsigned char)p[i + 1])) {
		real = true;
		for (i++; i < n && isdigit((unsigned char)p[i]);)
			i++;
	}
	if (i < n && (p[i] == 'e' || p[i] == 'E')) {
		size_t j = i + 1;

		if (j < n && (p[j] == '+' || p[j] == '-'))
			j++;
		if (j < n && isdigit((unsigned char)p[j])) {
			real = true;
			for (i = j; i < n && isdigit((unsigned char)p[i]);)
				i++;
		}
	}
	if (!real && i < n && strchr("dwmy", p[i]) &&
	    (i + 1 == n || !ident_char((unsigned char)p[i + 1]))) {
		int64_t v, lim = (p[i] == 'd' || p[i] == 'w') ? 3660000 : 120000;

		t->len = (uint32_t)i + 1;
		if (!to_u63(p, i, lim, &v) || (p[i] == 'w' && v * 7 > lim) ||
		    (p[i] == 'y' && v * 12 > lim))
			return expr__error(ps->cc, t->pos, NULL, "duration '%.*s' is out of range",
					   (int)t->len, p);
		t->kind = T_DUR;
		if (p[i] == 'd')
			t->v.u.i = expr_dur_make(0, (int32_t)v);
		else if (p[i] == 'w')
			t->v.u.i = expr_dur_make(0, (int32_t)(v * 7));
		else if (p[i] == 'm')
			t->v.u.i = expr_dur_make((int32_t)v, 0);
		else
			t->v.u.i = expr_dur_make((int32_t)(v * 12), 0);
		return 0;
	}
	if (i < n && (ident_char((unsigned char)p[i]) || p[i] == '.')) {
		size_t j = i;

		while (j < n && (ident_char((unsigned char)p[j]) || p[j] == '.'))
			j++;
		t->len = (uint32_t)j;
		return expr__error(ps->cc, t->pos, "durations end in d, w, m or y, as in 30d",
				   "invalid number '%.*s'", (int)(j > 40 ? 40 : j), p);
	}
	t->len = (uint32_t)i;
	if (i >= sizeof(buf))
		return expr__error(ps->cc, t->pos, NULL, "number '%.20s...' is too long", p);
	memcpy(buf, p, i);
	buf[i] = '\0';
	if (real) {
		double d = strtod(buf, NULL);

		if (d > 1.7976931348623157e308)
			return expr__error(ps->cc, t->pos, NULL, "number '%s' is out of range",
					   buf);
		t->kind = T_REAL;
		t->v.u.n = d;
	} else {
		if (!to_u63(buf, i, INT64_MAX, &t->v.u.i))
			return expr__error(ps->cc, t->pos, NULL, "integer '%s' is out of range",
					   buf);
		t->kind = T_INT;
	}
	return 0;
}

static int lex_string(struct parser *ps, struct tok *t)
{
	struct expr *e = ps->cc->e;
	size_t i = t->pos + 1;
	char *out = e->pool + e->pool_used;
	size_t olen = 0;

	for (;;) {
		size_t k;

		if (i >= ps->n)
			return expr__error(ps->cc, t->pos, NULL, "string is not closed");
		if (ps->p[i] == '\'') {
			if (i + 1 < ps->n && ps->p[i + 1] == '\'') {
				out[olen++] = '\'';
				i += 2;
				continue;
			}
			break;
		}
		k = str_utf8_seq((const unsigned char *)ps->p + i, ps->n - i, NULL);
		if (!k)
			return expr__error(ps->cc, (uint32_t)i, NULL, "string holds invalid UTF-8");
		memcpy(out + olen, ps->p + i, k);
		olen += k;
		i += k;
	}
	out[olen] = '\0';
	e->pool_used += olen + 1;
	t->kind = T_STR;
	t->len = (uint32_t)(i + 1 - t->pos);
	t->v.u.s = (struct str){out, olen};
	return 0;
}

static const struct {
	const char *s;
	int kind;
} ops[] = {{"<=", T_LE},  {">=", T_GE},	  {"<>", T_NE},	 {"!=", T_NE},	 {"==", T_EQ},
	   {"&&", T_AND}, {"||", T_OR},	  {"(", T_LP},	 {")", T_RP},	 {",", T_COMMA},
	   {"+", T_PLUS}, {"-", T_MINUS}, {"*", T_STAR}, {"/", T_SLASH}, {"%", T_PCT},
	   {"=", T_EQ},	  {"<", T_LT},	  {">", T_GT},	 {"!", T_BANG}};

static const struct {
	const char *s;
	int kind;
} kwtab[] = {{"and", T_AND},
	     {"or", T_OR},
	     {"not", T_NOT},
	     {"in", T_IN},
	     {"between", T_BETWEEN},
	     {"like", T_LIKE},
	     {"contains", T_CONTAINS},
	     {"starts_with", T_STARTS},
	     {"is", T_IS},
	     {"null", T_NULL},
	     {"true", T_TRUE},
	     {"false", T_FALSE}};

/* Lexes the next token into ps->t. */
static int next(struct parser *ps)
{
	struct tok *t = &ps->t;
	const char *p;
	size_t n, k;

	while (ps->at < ps->n && isspace((unsigned char)ps->p[ps->at]))
		ps->at++;
	memset(t, 0, sizeof(*t));
	t->pos = (uint32_t)ps->at;
	if (ps->at >= ps->n) {
		t->kind = T_EOF;
		return 0;
	}
	p = ps->p + ps->at;
	n = ps->n - ps->at;
	if (isdigit((unsigned char)p[0])) {
		int rc = lex_number(ps, t);

		ps->at += t->len;
		return rc;
	}
	if (p[0] == '\'') {
		int rc = lex_string(ps, t);

		ps->at += t->len;
		return rc;
	}
	if ((k = ident_len(p, n))) {
		t->kind = T_IDENT;
		t->len = (uint32_t)k;
		ps->at += k;
		for (size_t i = 0; i < sizeof(kwtab) / sizeof(kwtab[0]); i++)
			if (str_eq_nocase((struct str){p, k}, str_from(kwtab[i].s)))
				t->kind = kwtab[i].kind;
		if (k > EXPR_MAX_NAME)
			return expr__error(ps->cc, t->pos, NULL,
					   "name '%.20s...' is longer than %d bytes", p,
					   EXPR_MAX_NAME);
		return 0;
	}
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		size_t l = strlen(ops[i].s);

		if (l <= n && memcmp(p, ops[i].s, l) == 0) {
			t->kind = ops[i].kind;
			t->len = (uint32_t)l;
			ps->at += l;
			return 0;
		}
	}
	k = str_utf8_seq((const unsigned char *)p, n, NULL);
	if (!k)
		return expr__error(ps->cc, t->pos, NULL, "invalid UTF-8 byte 0x%02X",
				   (unsigned char)p[0]);
	if (p[0] == '"')
		return expr__error(ps->cc, t->pos, "strings are quoted with ', as in 'abc'",
				   "unexpected character '\"'");
	return expr__error(ps->cc, t->pos, NULL, "unexpected character '%.*s'", (int)k, p);
}

/* "end of text" or the token in quotes, for "found ..." */
static void describe(struct parser *ps, char *buf, size_t n)
{
	if (ps->t.kind == T_EOF)
		snprintf(buf, n, "end of text");
	else
		snprintf(buf, n, "'%.*s'", (int)(ps->t.len > 30 ? 30 : ps->t.len),
			 ps->p + ps->t.pos);
}

static int expected(struct parser *ps, const char *what)
{
	char found[48];

	describe(ps, found, sizeof(found));
	return expr__error(ps->cc, ps->t.pos, NULL, "expected %s but found %s", what, found);
}

static int expect(struct parser *ps, int kind, const char *what)
{
	if (ps->t.kind != kind)
		return expected(ps, what);
	return next(ps);
}

/* ---- parser ---- */

static int parse_or(struct parser *ps, uint32_t *out);

static int enter(struct parser *ps)
{
	if (++ps->depth > EXPR_MAX_DEPTH)
		return expr__error(ps->cc, ps->t.pos, NULL,
				   "expression is nested more than %d levels deep", EXPR_MAX_DEPTH);
	return 0;
}

static uint32_t mk(struct parser *ps, uint8_t kind, uint8_t op, uint32_t pos, const uint32_t *k,
		   unsigned nk)
{
	uint32_t n = expr__node_new(ps->cc, kind, pos);

	ps->cc->e->nodes[n].op = op;
	kids_set(ps->cc, n, k, nk);
	return n;
}

static int parse_call(struct parser *ps, uint32_t *out)
{
	uint32_t args[32];
	unsigned nargs = 0;
	struct tok name = ps->t;
	int rc;

	if ((rc = enter(ps)) || (rc = next(ps)) || (rc = next(ps))) /* name, '(' */
		return rc;
	if (ps->t.kind != T_RP) {
		for (;;) {
			if (nargs >= 32)
				return expr__error(ps->cc, ps->t.pos, NULL,
						   "a call takes at most 32 arguments");
			if ((rc = parse_or(ps, &args[nargs])))
				return rc;
			nargs++;
			if (ps->t.kind != T_COMMA)
				break;
			if ((rc = next(ps)))
				return rc;
		}
	}
	if ((rc = expect(ps, T_RP, "',' or ')'")))
		return rc;
	*out = mk(ps, N_CALL, 0, name.pos, args, nargs);
	ps->cc->e->nodes[*out].len = name.len;
	ps->depth--;
	return 0;
}

static uint32_t literal(struct parser *ps, uint8_t type)
{
	uint32_t n = mk(ps, N_LIT, 0, ps->t.pos, NULL, 0);

	ps->cc->e->nodes[n].type = type;
	ps->cc->e->nodes[n].v = ps->t.v;
	ps->cc->e->nodes[n].v.null = type == EXPR_T_NULL;
	ps->cc->nlits++;
	return n;
}

static int parse_primary(struct parser *ps, uint32_t *out)
{
	int rc = 0;

	switch (ps->t.kind) {
	case T_INT:
		*out = literal(ps, EXPR_T_INT);
		break;
	case T_REAL:
		*out = literal(ps, EXPR_T_NUM);
		break;
	case T_STR:
		*out = literal(ps, EXPR_T_STR);
		break;
	case T_DATE:
		*out = literal(ps, EXPR_T_DATE);
		break;
	case T_DUR:
		*out = literal(ps, EXPR_T_DUR);
		break;
	case T_TRUE:
	case T_FALSE:
		ps->t.v.u.b = ps->t.kind == T_TRUE;
		*out = literal(ps, EXPR_T_BOOL);
		break;
	case T_NULL:
		*out = literal(ps, EXPR_T_NULL);
		break;
	case T_IDENT: {
		size_t i = ps->at;

		while (i < ps->n && isspace((unsigned char)ps->p[i]))
			i++;
		if (i < ps->n && ps->p[i] == '(')
			return parse_call(ps, out);
		*out = mk(ps, N_ATTR, 0, ps->t.pos, NULL, 0);
		ps->cc->e->nodes[*out].len = ps->t.len;
		break;
	}
	case T_LP:
		if ((rc = enter(ps)) || (rc = next(ps)) || (rc = parse_or(ps, out)))
			return rc;
		ps->depth--;
		return expect(ps, T_RP, "')'");
	default:
		return expected(ps, "a value, a name or '('");
	}
	return next(ps);
}

static int parse_unary(struct parser *ps, uint32_t *out)
{
	uint32_t pos = ps->t.pos, k;
	int rc;

	if (ps->t.kind != T_MINUS)
		return parse_primary(ps, out);
	if ((rc = enter(ps)) || (rc = next(ps)) || (rc = parse_unary(ps, &k)))
		return rc;
	ps->depth--;
	*out = mk(ps, N_NEG, 0, pos, &k, 1);
	return 0;
}

static int parse_mul(struct parser *ps, uint32_t *out)
{
	uint32_t k[2];
	int rc;

	if ((rc = parse_unary(ps, &k[0])))
		return rc;
	while (ps->t.kind == T_STAR || ps->t.kind == T_SLASH || ps->t.kind == T_PCT) {
		uint8_t op = ps->t.kind == T_STAR ? B_MUL : ps->t.kind == T_SLASH ? B_DIV : B_MOD;
		uint32_t pos = ps->t.pos;

		if ((rc = next(ps)) || (rc = parse_unary(ps, &k[1])))
			return rc;
		k[0] = mk(ps, N_BIN, op, pos, k, 2);
	}
	*out = k[0];
	return 0;
}

static int parse_add(struct parser *ps, uint32_t *out)
{
	uint32_t k[2];
	int rc;

	if ((rc = parse_mul(ps, &k[0])))
		return rc;
	while (ps->t.kind == T_PLUS || ps->t.kind == T_MINUS) {
		uint8_t op = ps->t.kind == T_PLUS ? B_ADD : B_SUB;
		uint32_t pos = ps->t.pos;

		if ((rc = next(ps)) || (rc = parse_mul(ps, &k[1])))
			return rc;
		k[0] = mk(ps, N_BIN, op, pos, k, 2);
	}
	*out = k[0];
	return 0;
}

static bool is_predicate(int kind)
{
	return (kind >= T_EQ && kind <= T_GE) || kind == T_IN || kind == T_BETWEEN ||
	       kind == T_LIKE || kind == T_CONTAINS || kind == T_STARTS || kind == T_IS;
}

/* One constant of an 'in' list: a literal, or '-' and a number or duration. */
static int parse_const(struct parser *ps, uint32_t *out)
{
	int k = ps->t.kind;

	if (k == T_MINUS) {
		uint32_t pos = ps->t.pos, lit;
		int rc;

		if ((rc = next(ps)))
			return rc;
		if (ps->t.kind != T_INT && ps->t.kind != T_REAL && ps->t.kind != T_DUR)
			return expected(ps, "a number after '-'");
		if ((rc = parse_primary(ps, &lit)))
			return rc;
		*out = mk(ps, N_NEG, 0, pos, &lit, 1);
		return 0;
	}
	if (k == T_INT || k == T_REAL || k == T_STR || k == T_DATE || k == T_DUR || k == T_TRUE ||
	    k == T_FALSE || k == T_NULL)
		return parse_primary(ps, out);
	return expected(ps, "a constant in the 'in' list");
}

static int parse_pred(struct parser *ps, uint32_t *out)
{
	uint32_t k3[3], *k = k3, pos;
	unsigned nk = 1;
	uint8_t neg = 0, kind, op = 0;
	int rc, t;

	if ((rc = parse_add(ps, &k[0])))
		return rc;
	pos = ps->t.pos;
	if (ps->t.kind == T_NOT) {
		if ((rc = next(ps)))
			return rc;
		t = ps->t.kind;
		if (t != T_IN && t != T_BETWEEN && t != T_LIKE && t != T_CONTAINS && t != T_STARTS)
			return expected(ps, "'in', 'between', 'like', 'contains' or 'starts_with' "
					    "after 'not'");
		neg = 1;
	} else if (!is_predicate(ps->t.kind)) {
		*out = k[0];
		return 0;
	}
	t = ps->t.kind;
	if ((rc = next(ps)))
		return rc;
	switch (t) {
	case T_IN:
		kind = N_IN;
		k = xmalloc((EXPR_MAX_CONSTS + 2) * sizeof(*k));
		k[0] = k3[0];
		if ((rc = expect(ps, T_LP, "'(' after 'in'")))
			goto out;
		for (;;) {
			if (nk > EXPR_MAX_CONSTS) {
				rc = expr__error(ps->cc, ps->t.pos, NULL,
						 "rule has more than %d constants",
						 EXPR_MAX_CONSTS);
				goto out;
			}
			if ((rc = parse_const(ps, &k[nk])))
				goto out;
			nk++;
			if (ps->t.kind != T_COMMA)
				break;
			if ((rc = next(ps)))
				goto out;
		}
		if ((rc = expect(ps, T_RP, "',' or ')'")))
			goto out;
		break;
	case T_BETWEEN:
		kind = N_BETWEEN;
		if ((rc = parse_add(ps, &k[1])) ||
		    (rc = expect(ps, T_AND, "'and' after 'between'")) ||
		    (rc = parse_add(ps, &k[2])))
			return rc;
		nk = 3;
		break;
	case T_IS:
		kind = N_ISNULL;
		if (ps->t.kind == T_NOT) {
			neg = 1;
			if ((rc = next(ps)))
				return rc;
		}
		if ((rc = expect(ps, T_NULL,
				 neg ? "'null' after 'is not'"
				     : "'null' or 'not' "
				       "after 'is'")))
			return rc;
		break;
	default:
		kind = N_BIN;
		op = t == T_EQ	     ? B_EQ
		     : t == T_NE     ? B_NE
		     : t == T_LT     ? B_LT
		     : t == T_LE     ? B_LE
		     : t == T_GT     ? B_GT
		     : t == T_GE     ? B_GE
		     : t == T_LIKE   ? B_LIKE
		     : t == T_STARTS ? B_STARTS
				     : B_CONTAINS;
		if ((rc = parse_add(ps, &k[1])))
			return rc;
		nk = 2;
		break;
	}
	*out = mk(ps, kind, op, pos, k, nk);
	ps->cc->e->nodes[*out].neg = neg;
	if (is_predicate(ps->t.kind) || ps->t.kind == T_NOT)
		rc = expr__error(ps->cc, ps->t.pos, "join conditions with 'and'",
				 "comparisons cannot be chained");
out:
	if (k != k3)
		free(k);
	return rc;
}

static int parse_not(struct parser *ps, uint32_t *out)
{
	uint32_t pos = ps->t.pos, k;
	int rc;

	if (ps->t.kind != T_NOT && ps->t.kind != T_BANG)
		return parse_pred(ps, out);
	if ((rc = enter(ps)) || (rc = next(ps)) || (rc = parse_not(ps, &k)))
		return rc;
	ps->depth--;
	*out = mk(ps, N_NOT, 0, pos, &k, 1);
	return 0;
}

static int parse_and(struct parser *ps, uint32_t *out)
{
	uint32_t k[2];
	int rc;

	if ((rc = parse_not(ps, &k[0])))
		return rc;
	while (ps->t.kind == T_AND) {
		uint32_t pos = ps->t.pos;

		if ((rc = next(ps)) || (rc = parse_not(ps, &k[1])))
			return rc;
		k[0] = mk(ps, N_BIN, B_AND, pos, k, 2);
	}
	*out = k[0];
	return 0;
}

static int parse_or(struct parser *ps, uint32_t *out)
{
	uint32_t k[2];
	int rc;

	if ((rc = parse_and(ps, &k[0])))
		return rc;
	while (ps->t.kind == T_OR) {
		uint32_t pos = ps->t.pos;

		if ((rc = next(ps)) || (rc = parse_and(ps, &k[1])))
			return rc;
		k[0] = mk(ps, N_BIN, B_OR, pos, k, 2);
	}
	*out = k[0];
	return 0;
}

int expr__parse(struct expr_cc *cc)
{
	struct parser ps = {.cc = cc, .p = cc->e->text, .n = cc->e->text_len};
	int rc;

	if ((rc = next(&ps)))
		return rc;
	if (ps.t.kind == T_EOF)
		return expr__error(cc, 0, NULL, "rule is empty");
	if ((rc = parse_or(&ps, &cc->e->root)))
		return rc;
	if (ps.t.kind != T_EOF)
		return expected(&ps, "an operator or end of text");
	if (cc->nlits > EXPR_MAX_CONSTS)
		return expr__error(cc, 0, NULL, "rule has more than %d constants", EXPR_MAX_CONSTS);
	if (cc->e->nnodes > EXPR_MAX_NODES)
		return expr__error(cc, 0, NULL, "rule has more than %d operators and operands",
				   EXPR_MAX_NODES);
	return 0;
}

/* ---- compile ---- */

void expr_free(struct expr *e)
{
	if (!e)
		return;
	free(e->text);
	free(e->pool);
	free(e->nodes);
	free(e->kids);
	free(e->steps);
	free(e->consts);
	free(e->args);
	free(e);
}

int expr_compile(const struct expr_schema *schema, const char *text, size_t len, struct expr **out,
		 struct expr_errors *errs)
{
	struct expr_cc cc = {.schema = schema, .errs = errs};
	struct expr *e = NULL;
	int rc = 0;

	if (errs)
		memset(errs, 0, sizeof(*errs));
	if (len > EXPR_MAX_TEXT) {
		rc = CRM_ETOOBIG;
		if (errs) {
			struct expr_error *it = &errs->items[errs->count++];

			memset(it, 0, sizeof(*it));
			it->line = it->col = 1;
			snprintf(it->message, sizeof(it->message),
				 "rule is %zu bytes, over the limit of %d", len, EXPR_MAX_TEXT);
			crm_err_set(&errs->err, CRM_ETOOBIG, "text",
				    "rule is %zu bytes, over the limit of %d", len, EXPR_MAX_TEXT);
		}
		goto out;
	}
	e = xcalloc(1, sizeof(*e));
	e->text = xstrndup(text ? text : "", len);
	e->text_len = len;
	if (memchr(e->text, '\0', len)) {
		e->text_len = len = strlen(e->text);
		cc.e = e;
		rc = expr__error(&cc, (uint32_t)len, NULL, "rule contains a NUL byte");
		goto out;
	}
	e->pool = xmalloc(len + 1);
	e->max_slot = -1;
	cc.e = e;
	if ((rc = expr__parse(&cc)))
		goto out;
	if ((rc = expr__check(&cc)))
		goto out;
	*out = e;
	e = NULL;
out:
	expr_free(e);
	return rc;
}

/* ---- small public helpers ---- */

static const char *const type_names[] = {"null",   "bool", "int",     "number",
					 "string", "date", "duration"};

const char *expr_type_name(enum expr_type t)
{
	return (unsigned)t < EXPR_T_COUNT ? type_names[t] : "error";
}

int expr_type_parse(const char *name)
{
	for (int i = 0; i < EXPR_T_COUNT; i++)
		if (name && strcmp(name, type_names[i]) == 0)
			return i;
	return -1;
}

void expr_ctx_init(struct expr_ctx *ctx)
{
	ctx->now = (int64_t)time(NULL);
	ctx->utc_offset = 0;
}
