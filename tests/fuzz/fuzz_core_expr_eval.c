/*
 * libFuzzer target: compiles arbitrary text as a rule and, when it compiles to true/false,
 * evaluates it over a fixed pseudo-random table both row by row and vectorised; the two
 * must select exactly the same rows (a difference aborts).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/expr.h"
#include "core/str.h"

#define NROWS 1500

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

static const char *const strs[] = {"",	       "a",  "ab",  "abc", "Abc", "ABC", "\xc3\xa9",
				   "\xc3\x89", "b%", "x_y", "a'b", "zzz", "SMB", "consumer"};
#define NSTRS (sizeof(strs) / sizeof(strs[0]))

static struct expr_schema *schema;
static union {
	double n[NROWS];
	int64_t i[NROWS];
	uint8_t b[NROWS];
	struct str s[NROWS];
} cols[NATTRS];
static uint64_t nulls[NATTRS][(NROWS + 63) / 64];
static struct expr_column columns[NATTRS];

static uint32_t rnd(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(*s >> 33);
}

static void init(void)
{
	static const double nums[] = {0, 1, -1, 2.5, 3.5, 0.25, 100, -0.0, 1e300, 1e-300, 7};
	uint64_t s = 1;

	schema = expr_schema_new();
	for (size_t a = 0; a < NATTRS; a++) {
		expr_schema_add(schema, attrs[a].name, attrs[a].type, NULL);
		for (size_t i = 0; i < NROWS; i++) {
			uint32_t r = rnd(&s);

			switch (attrs[a].type) {
			case EXPR_T_NUM:
				cols[a].n[i] =
					r % 4 ? (double)((int)(r % 9) - 4) / 2 : nums[r % 11];
				break;
			case EXPR_T_INT:
				cols[a].i[i] = r % 16	? (int64_t)(r % 9) - 4
					       : r % 32 ? INT64_MAX
							: INT64_MIN;
				break;
			case EXPR_T_STR:
				cols[a].s[i] =
					(struct str){strs[r % NSTRS], strlen(strs[r % NSTRS])};
				break;
			case EXPR_T_BOOL:
				cols[a].b[i] = r & 1;
				break;
			case EXPR_T_DATE:
				cols[a].i[i] =
					r % 10 ? 19000 + (int64_t)(r % 1500) : (int64_t)r * 1000;
				break;
			default:
				cols[a].i[i] = expr_dur_make((int32_t)(r % 13), (int32_t)(r % 40));
				break;
			}
			if (rnd(&s) % 5 == 0)
				nulls[a][i / 64] |= 1ULL << (i % 64);
		}
		columns[a].data = &cols[a];
		columns[a].nulls = a == 3 ? NULL : nulls[a];
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint64_t sel[(NROWS + 63) / 64];
	struct expr_ctx ctx = {1769860800, 3600};
	struct expr_value row[NATTRS], v;
	struct expr *e = NULL;
	enum expr_type t;

	if (!schema)
		init();
	if (expr_compile(schema, (const char *)data, size, &e, NULL))
		return 0;
	t = expr_result_type(e);
	if (t != EXPR_T_BOOL && t != EXPR_T_NULL) {
		memset(row, 0, sizeof(row));
		expr_eval_row(e, &ctx, row, &v);
		if (expr_eval_batch(e, &ctx, columns, NROWS, sel, NULL) != CRM_EINVAL)
			abort();
		expr_free(e);
		return 0;
	}
	if (expr_eval_batch(e, &ctx, columns, NROWS, sel, NULL))
		abort();
	for (size_t i = 0; i < NROWS; i++) {
		for (size_t a = 0; a < NATTRS; a++) {
			memset(&row[a], 0, sizeof(row[a]));
			row[a].null = columns[a].nulls && ((nulls[a][i / 64] >> (i % 64)) & 1);
			switch (attrs[a].type) {
			case EXPR_T_NUM:
				row[a].u.n = cols[a].n[i];
				break;
			case EXPR_T_STR:
				row[a].u.s = cols[a].s[i];
				break;
			case EXPR_T_BOOL:
				row[a].u.b = cols[a].b[i];
				break;
			default:
				row[a].u.i = cols[a].i[i];
				break;
			}
		}
		if (expr_match_row(e, &ctx, row) != ((sel[i / 64] >> (i % 64)) & 1))
			abort(); /* row and batch disagree */
	}
	expr_free(e);
	return 0;
}
