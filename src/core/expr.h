/*
 * The rule language: small, safe expressions over named attributes
 * (`arpu_3m < 20 and complaints_90d >= 2`), compiled once against a schema to a flat step
 * array and evaluated per row (no allocation, no recursion) or per batch of column
 * vectors (selection bitmap). Null follows SQL's three-valued logic; see docs/rules.md.
 */
#ifndef CRM_EXPR_H
#define CRM_EXPR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/str.h"

/* Limits enforced by expr_compile (each gives a clear error). */
#define EXPR_MAX_TEXT	16384 /* bytes of rule text (CRM_ETOOBIG) */
#define EXPR_MAX_DEPTH	64    /* nesting of parentheses, not, unary minus and calls */
#define EXPR_MAX_NODES	512   /* operators, operands and constants together */
#define EXPR_MAX_CONSTS 256   /* literal constants, 'in' lists included */
#define EXPR_MAX_NAME	128   /* bytes of an attribute name */
#define EXPR_ERRORS_MAX 8     /* errors reported by one compile */
#define EXPR_SCHEMA_MAX 4096  /* attributes in one schema */

/* Value types. int is int64; number is a double; date is days since 1970-01-01; duration
 * is a (months, days) pair packed with expr_dur_make(); null is the type of the literal
 * null only (every other type may also hold null). */
enum expr_type {
	EXPR_T_NULL = 0,
	EXPR_T_BOOL,
	EXPR_T_INT,
	EXPR_T_NUM,
	EXPR_T_STR,
	EXPR_T_DATE,
	EXPR_T_DUR,
	EXPR_T_COUNT
};

/* One value of a row. Set null, or the member matching the attribute's type: b for bool,
 * i for int, date (days) and duration (packed), n for number, s for string (UTF-8, borrowed
 * for the duration of the call). fold is internal: leave it 0. */
struct expr_value {
	union {
		bool b;
		int64_t i;
		double n;
		struct str s;
	} u;
	uint8_t null;
	uint8_t fold;
};

/* One column of a batch, indexed by slot. data points at nrows values: uint8_t (0/1) for
 * bool, int64_t for int, date and duration, double for number, struct str for string.
 * nulls is a bitmap (bit i of word i/64 set: row i is null) or NULL for no nulls. A value
 * under a null bit is never read, so string views there may be garbage. */
struct expr_column {
	const void *data;
	const uint64_t *nulls;
};

/* The evaluation context: what now() and today() return, so that evaluation is
 * deterministic. now is Unix time in seconds; utc_offset (seconds) shifts today(). */
struct expr_ctx {
	int64_t now;
	int32_t utc_offset;
};

/* Fills ctx from the system clock, UTC. */
void expr_ctx_init(struct expr_ctx *ctx);

/* Type names as used in schemas and messages: "null", "bool", "int", "number", "string",
 * "date", "duration". expr_type_parse returns -1 for an unknown name. */
const char *expr_type_name(enum expr_type t);
int expr_type_parse(const char *name);

/* Durations: months and days, e.g. 6m is (6, 0) and 30d is (0, 30). */
int64_t expr_dur_make(int32_t months, int32_t days);
int32_t expr_dur_months(int64_t dur);
int32_t expr_dur_days(int64_t dur);
/* Dates: days since 1970-01-01 from a civil date (no validation), and back. */
int64_t expr_date_make(int year, int month, int day);
void expr_date_split(int64_t days, int *year, int *month, int *day);

/*
 * Schema: the attributes a rule may name, each with a slot (its index, in order of
 * addition) and a type. Names follow the identifier syntax (letters, digits, '_', dotted
 * parts like customer.segment) and are not keywords.
 * Caller frees with expr_schema_free(). Not thread-safe while being built; a finished
 * schema may be shared read-only by any number of threads.
 */
struct expr_schema;

struct expr_schema *expr_schema_new(void);
void expr_schema_free(struct expr_schema *s);
/* Adds an attribute; its slot is expr_schema_count() before the call. Returns CRM_EINVAL
 * for a bad name, a duplicate or a bad type, CRM_ETOOBIG past EXPR_SCHEMA_MAX. name is
 * copied. */
int expr_schema_add(struct expr_schema *s, const char *name, enum expr_type type,
		    struct crm_err *err);
size_t expr_schema_count(const struct expr_schema *s);
/* The name (borrowed until the schema is freed) and type of a slot, to describe a schema
 * as name/type pairs. Returns CRM_ENOTFOUND for a slot out of range. */
int expr_schema_attr(const struct expr_schema *s, size_t slot, const char **name,
		     enum expr_type *type);
/* The slot of a name, or -1. */
int expr_schema_lookup(const struct expr_schema *s, const char *name, size_t len);

/* Compile errors: position (line and column from 1; the column counts characters), a
 * message and an optional hint ("did you mean 'arpu_3m'?"). err holds the first error as a
 * struct crm_err (field "text") with the formatted message. */
struct expr_error {
	unsigned line;
	unsigned col;
	size_t offset;
	char message[160];
	char hint[96];
};

struct expr_errors {
	unsigned count;
	struct expr_error items[EXPR_ERRORS_MAX];
	struct crm_err err;
};

/* Appends "<message> at <line>:<col>[ — <hint>]" to out. */
void expr_error_format(const struct expr_error *e, struct strbuf *out);

/* A compiled rule: immutable, may be shared by threads once compiled. */
struct expr;

/*
 * Compiles text (len bytes, UTF-8, need not be NUL-terminated) against schema. On success
 * *out holds the rule; caller frees with expr_free(). The schema is borrowed for the call
 * only. On failure *out stays NULL and errs (may be NULL) lists up to EXPR_ERRORS_MAX
 * errors: syntax errors stop at the first, name and type errors are all reported.
 * Returns 0, CRM_EINVAL (syntax, name, type, limit) or CRM_ETOOBIG (text too long).
 * Thread-safe.
 */
int expr_compile(const struct expr_schema *schema, const char *text, size_t len, struct expr **out,
		 struct expr_errors *errs);
void expr_free(struct expr *e);

/* The type of the rule's result (EXPR_T_NULL when it is always null). */
enum expr_type expr_result_type(const struct expr *e);

/*
 * Evaluates e for one row: row[slot] holds each attribute's value (row may be NULL when
 * the rule names no attribute). *out gets the result (strings borrow from row or e).
 * ctx may be NULL (system clock). No allocation, no recursion; thread-safe. Returns 0.
 */
int expr_eval_row(const struct expr *e, const struct expr_ctx *ctx, const struct expr_value *row,
		  struct expr_value *out);
/* True when e evaluates to true for row (false and null both give false). */
bool expr_match_row(const struct expr *e, const struct expr_ctx *ctx, const struct expr_value *row);

/*
 * Evaluates a bool rule over nrows rows given as columns (cols[slot]); sets bit i of sel
 * ((nrows + 63) / 64 words, caller-owned) when row i is true, clears it otherwise.
 * Gives the same results as expr_eval_row. Allocates scratch once per call.
 * Returns 0, or CRM_EINVAL when the rule's result is not bool. Thread-safe.
 */
int expr_eval_batch(const struct expr *e, const struct expr_ctx *ctx,
		    const struct expr_column *cols, size_t nrows, uint64_t *sel,
		    struct crm_err *err);

/*
 * Appends to out, for one row, each condition with its operands' values and whether it
 * held: "arpu_3m=12.5 < 20 ✓; complaints_90d=3 >= 2 ✓" (✗ false, ? null). out is the
 * caller's. If result is not NULL it gets the rule's value. Returns 0. Thread-safe.
 */
int expr_explain(const struct expr *e, const struct expr_ctx *ctx, const struct expr_value *row,
		 struct strbuf *out, struct expr_value *result);

/* Appends the normalised text of e to out: lower-case keywords, canonical spacing and
 * operators, only needed parentheses. Compiling it gives the same rule. Thread-safe. */
void expr_normalise(const struct expr *e, struct strbuf *out);

#endif
