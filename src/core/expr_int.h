/*
 * Internals of the rule language shared by expr_*.c: the syntax tree kept by a compiled
 * rule (for normalising and explaining), the flat step array evaluated per row and per
 * batch, and the scalar helpers both evaluators call so that they agree.
 */
#ifndef CRM_EXPR_INT_H
#define CRM_EXPR_INT_H

#include "core/expr.h"

/* Node type while checking: an operand already reported as wrong. */
#define EXPR_T_ERR 0xff

enum expr_node_kind {
	N_LIT,
	N_ATTR,
	N_CALL,
	N_NEG,
	N_NOT,
	N_BIN,
	N_IN,
	N_BETWEEN,
	N_ISNULL,
	N_CAST /* inserted by the checker; invisible in text */
};

/* Binary operators (N_BIN), in no particular order. */
enum expr_binop {
	B_OR,
	B_AND,
	B_EQ,
	B_NE,
	B_LT,
	B_LE,
	B_GT,
	B_GE,
	B_LIKE,
	B_CONTAINS,
	B_STARTS,
	B_ADD,
	B_SUB,
	B_MUL,
	B_DIV,
	B_MOD
};

enum expr_func {
	F_ABS,
	F_MIN,
	F_MAX,
	F_ROUND,
	F_COALESCE,
	F_LEN,
	F_LOWER,
	F_UPPER,
	F_DAYS_SINCE,
	F_MONTHS_BETWEEN,
	F_NOW,
	F_TODAY,
	F_COUNT
};

enum expr_cast { C_I2N, C_DUR2DAYS };

/* Case folding carried by a string value instead of a copy (lower/upper allocate nothing). */
enum { FOLD_NONE = 0, FOLD_LOWER = 1, FOLD_UPPER = 2 };

struct expr_node {
	uint8_t kind;
	uint8_t op;   /* enum expr_binop, expr_func or expr_cast */
	uint8_t type; /* enum expr_type or EXPR_T_ERR */
	uint8_t neg;  /* not in, not like, is not null, ... */
	uint16_t nkids;
	uint32_t kids;	     /* first child in expr->kids */
	uint32_t pos;	     /* byte offset of the node's token in the text */
	uint32_t len;	     /* attributes and calls: bytes of the name at pos */
	int32_t slot;	     /* attributes: schema slot */
	struct expr_value v; /* literals; strings point to owned copies */
};

enum expr_op {
	OP_NULL,
	OP_CONST,
	OP_ATTR,
	OP_BOOLATTR,
	OP_I2N,
	OP_DUR2DAYS,
	OP_ADD_I,
	OP_SUB_I,
	OP_MUL_I,
	OP_MOD_I,
	OP_NEG_I,
	OP_ADD_N,
	OP_SUB_N,
	OP_MUL_N,
	OP_DIV_N,
	OP_MOD_N,
	OP_NEG_N,
	OP_ADD_DD,
	OP_SUB_DD,
	OP_SUB_DATE,
	OP_ADD_DUR,
	OP_SUB_DUR,
	OP_NEG_DUR,
	OP_CMP_I, /* c: enum expr_binop B_EQ..B_GE */
	OP_CMP_N,
	OP_CMP_S,
	OP_CMP_B,
	OP_AND,
	OP_OR,
	OP_NOT,
	OP_ISNULL,
	OP_IN_I, /* aux/naux: constants; c: the list holds null */
	OP_IN_N,
	OP_IN_S,
	OP_BETWEEN_I,
	OP_BETWEEN_N,
	OP_BETWEEN_S,
	OP_LIKE,
	OP_CONTAINS,
	OP_STARTS,
	OP_ABS_I,
	OP_ABS_N,
	OP_MIN_I, /* aux/naux: argument registers in expr->args */
	OP_MIN_N,
	OP_MIN_S,
	OP_MAX_I,
	OP_MAX_N,
	OP_MAX_S,
	OP_COALESCE, /* c: enum expr_type of the result */
	OP_COPY,
	OP_ROUND_N,
	OP_ROUND_N2,
	OP_LEN,
	OP_LOWER,
	OP_UPPER,
	OP_DAYS_SINCE,
	OP_MONTHS_BETWEEN,
	OP_NOW,
	OP_TODAY,
	OP_COUNT
};

/* One step: dst = op(a, b, c). Registers are node numbers. */
struct expr_step {
	uint8_t op;
	uint8_t neg;
	uint8_t type; /* result type */
	uint16_t dst, a, b, c;
	uint32_t aux;
	uint32_t naux;
};

struct expr {
	char *text; /* owned copy, NUL-terminated */
	size_t text_len;
	char *pool; /* unescaped string literals (never longer than the text) */
	size_t pool_used;
	struct expr_node *nodes;
	uint32_t nnodes;
	uint32_t *kids;
	uint32_t nkids;
	uint32_t root;
	struct expr_step *steps;
	uint32_t nsteps;
	struct expr_value *consts;
	uint32_t nconsts;
	uint16_t *args;
	uint32_t nargs;
	int32_t max_slot; /* highest slot read, or -1 */
};

/* Compile stages (expr_parse.c, expr_check.c). */
struct expr_cc {
	const struct expr_schema *schema;
	struct expr *e;
	struct expr_errors *errs;
	unsigned nerr;
	uint32_t cap_nodes, cap_kids, cap_consts, cap_args, cap_steps;
	uint32_t nlits;
};

int expr__parse(struct expr_cc *cc);
int expr__check(struct expr_cc *cc);
int expr__error(struct expr_cc *cc, uint32_t pos, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
uint32_t expr__node_new(struct expr_cc *cc, uint8_t kind, uint32_t pos);
const char *expr__func_name(unsigned f);
const char *expr__binop_text(unsigned op);
const struct expr_node *expr__kid(const struct expr *e, const struct expr_node *n, unsigned i);

/* Evaluation (expr_eval.c). regs has e->nnodes entries. */
void expr__run(const struct expr *e, const struct expr_ctx *ctx, const struct expr_value *row,
	       struct expr_value *regs);

/* One step on scalar registers (the batch evaluator's fallback for rare operators). */
void expr__step(const struct expr *e, const struct expr_ctx *ctx, const struct expr_step *s,
		struct expr_value *regs, const struct expr_value *row);

/* Scalar helpers shared by the row and batch evaluators. */
int64_t expr__today(const struct expr_ctx *ctx);
int64_t expr__now(const struct expr_ctx *ctx);
bool expr__date_ok(int64_t d);
bool expr__date_add(int64_t d, int64_t dur, int sign, int64_t *out);
bool expr__dur_add(int64_t a, int64_t b, int sign, int64_t *out);
int64_t expr__dur_days(int64_t dur);
int64_t expr__months_between(int64_t a, int64_t b);
double expr__round2(double x, int64_t digits);
int expr__str_cmp(struct str a, uint8_t fa, struct str b, uint8_t fb);
bool expr__str_eq(struct str a, uint8_t fa, struct str b, uint8_t fb);
bool expr__like(struct str s, uint8_t fs, struct str p, uint8_t fp);
bool expr__contains(struct str s, uint8_t fs, struct str p, uint8_t fp);
bool expr__starts(struct str s, uint8_t fs, struct str p, uint8_t fp);
int64_t expr__utf8_len(struct str s);
bool expr__mod_i(int64_t a, int64_t b, int64_t *out);

/* Text (expr_text.c). */
void expr__print_value(struct strbuf *sb, const struct expr_value *v, uint8_t type);
void expr__print_num(struct strbuf *sb, double d);
void expr__print_node(const struct expr *e, uint32_t n, int min_prec, struct strbuf *sb);
/* Fully parenthesised form, for tests of precedence and round trips. */
void expr__dump(const struct expr *e, struct strbuf *sb);

#endif
