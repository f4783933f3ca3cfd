/*
 * libFuzzer target: compiles arbitrary text as a rule against a fixed schema; a rule that
 * compiles must normalise to text that compiles again to the same normalised text, and
 * explain must run on it. Errors must carry a position inside the text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/expr.h"
#include "core/str.h"

static const struct {
	const char *name;
	enum expr_type type;
} attrs[] = {{"n1", EXPR_T_NUM},
	     {"n2", EXPR_T_NUM},
	     {"i1", EXPR_T_INT},
	     {"i2", EXPR_T_INT},
	     {"s1", EXPR_T_STR},
	     {"s2", EXPR_T_STR},
	     {"b1", EXPR_T_BOOL},
	     {"d1", EXPR_T_DATE},
	     {"d2", EXPR_T_DATE},
	     {"u1", EXPR_T_DUR},
	     {"customer.segment", EXPR_T_STR}};
#define NATTRS (sizeof(attrs) / sizeof(attrs[0]))

static struct expr_schema *schema;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct expr_errors errs;
	struct expr *e = NULL, *e2 = NULL;
	struct strbuf n1 = STRBUF_INIT, n2 = STRBUF_INIT, ex = STRBUF_INIT;
	struct expr_value row[NATTRS], v;
	struct expr_ctx ctx = {1769860800, 0};

	if (!schema) {
		schema = expr_schema_new();
		for (size_t i = 0; i < NATTRS; i++)
			expr_schema_add(schema, attrs[i].name, attrs[i].type, NULL);
	}
	if (expr_compile(schema, (const char *)data, size, &e, &errs)) {
		if (e || errs.count == 0 || errs.count > EXPR_ERRORS_MAX || !errs.err.code)
			abort();
		for (unsigned i = 0; i < errs.count; i++)
			if (errs.items[i].offset > size || errs.items[i].line == 0 ||
			    errs.items[i].col == 0)
				abort();
		return 0;
	}
	expr_normalise(e, &n1);
	if (expr_compile(schema, n1.buf, n1.len, &e2, &errs))
		abort(); /* normalised text must compile */
	expr_normalise(e2, &n2);
	if (strcmp(strbuf_cstr(&n1), strbuf_cstr(&n2)) != 0)
		abort(); /* and normalise to itself */
	memset(row, 0, sizeof(row));
	for (size_t i = 0; i < NATTRS; i++)
		row[i].null = (size & (1u << i)) != 0;
	row[4].u.s = (struct str){"abc", 3};
	row[5].u.s = (struct str){"\xc3\x89t\xc3\xa9", 5};
	row[10].u.s = (struct str){"SMB", 3};
	row[0].u.n = 2.5;
	row[2].u.i = -3;
	row[7].u.i = 20000;
	row[9].u.i = expr_dur_make(1, 2);
	expr_explain(e, &ctx, row, &ex, &v);
	expr_free(e);
	expr_free(e2);
	strbuf_release(&n1);
	strbuf_release(&n2);
	strbuf_release(&ex);
	return 0;
}
