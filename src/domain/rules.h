/*
 * Rules: the attribute sets ("schemas") the server knows rules against, and validation of
 * rule text (core/expr) against one of them or against a schema given inline. Modules
 * that own an attribute set register it once at startup; the org units' set is built in.
 */
#ifndef CRM_RULES_H
#define CRM_RULES_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/ctx.h"
#include "core/expr.h"
#include "core/json.h"
#include "store/db.h"

#define RULES_SCHEMAS_MAX 32 /* registered attribute sets */

/* One attribute of a set: a rule names it as `name` and sees a value of `type`. */
struct rules_attr {
	const char *name;
	enum expr_type type;
	const char *description;
};

/* A named attribute set. Registered definitions are borrowed for the process lifetime
 * (declare them static const). attrs ends with {NULL}. */
struct rules_schema_def {
	const char *name; /* "orgUnit": a JSON member name, unique among sets */
	const char *description;
	const struct rules_attr *attrs;
};

/*
 * Registers def so that rules can be validated (and later evaluated) against it by name.
 * Call once per set at startup, before the server takes requests. CRM_EINVAL for an
 * empty or taken name or an attribute the rule language refuses (bad name, keyword,
 * duplicate, no type); CRM_ETOOBIG past RULES_SCHEMAS_MAX sets. Thread-safe.
 */
int rules_schema_register(const struct rules_schema_def *def, struct crm_err *err);

/* The compiled schema of a registered set, or NULL for an unknown name. Borrowed for the
 * process lifetime; shareable read-only by any thread. Thread-safe. */
const struct expr_schema *rules_schema_lookup(const char *name);

/* ---- the API's records ---- */

struct rules_attr_info {
	const char *name;
	const char *type; /* expr_type_name(): "number", "int", "string", ... */
	const char *description;
};

struct rules_schema_info {
	const char *name;
	const char *description;
	struct json_array attributes; /* of struct rules_attr_info */
};

/* One compile error: where (line and column from 1, the column counting characters; byte
 * offset from 0), what, and a hint such as "did you mean 'kind'?" (NULL if none). code
 * classifies it: "syntax", "unknown_attribute", "unknown_function", "type" or "limit". */
struct rules_error {
	const char *code;
	const char *message;
	int64_t line;
	int64_t column;
	int64_t offset;
	const char *suggestion;
};

/* The answer to a validation: valid text has its normalised form and its result type;
 * invalid text has its errors. */
struct rules_validation {
	bool valid;
	const char *normalised;
	const char *result_type;
	struct json_array errors; /* of struct rules_error */
};

/* What a caller sends: text, and schema — a registered set's name or an object
 * {attribute: type name}. */
struct rules_validate_input {
	uint64_t present;
	const char *text;
	const cJSON *schema;
};

extern const struct json_desc rules_schema_info_desc; /* rendering */
extern const struct json_desc rules_validation_desc;  /* rendering */
extern const struct json_desc rules_validate_desc;    /* input on POST */

extern const char *const rules_schema_filterable[]; /* "name" (equality only) */

/* The registered sets matching opts (a "name" filter, offset, limit), in order of
 * registration; *out_total counts every match. Allocated in ctx->arena. CRM_EINVAL for a
 * filter other than name equality. */
int rules_schema_list(struct crm_ctx *ctx, const struct db_list_opts *opts,
		      struct rules_schema_info **out, size_t *out_n, int64_t *out_total);

/*
 * Compiles text against schema — a cJSON string naming a registered set, or an object
 * {attribute: type name} — and fills *out (allocated in ctx->arena): text that does not
 * compile is an answer (out->valid false, with its errors), not a failure. Fails, with
 * ctx->err naming the field, on a malformed request: CRM_EINVAL for a missing text or
 * schema, an unknown schema name, or an inline schema that is not an object of valid
 * attribute names and type names; CRM_ETOOBIG for text over EXPR_MAX_TEXT bytes or an
 * inline schema over EXPR_SCHEMA_MAX attributes. text and schema are borrowed for the call.
 */
int rules_validate(struct crm_ctx *ctx, const char *text, const cJSON *schema,
		   struct rules_validation *out);

/* The code of a compile error's message (see struct rules_error). */
const char *rules_error_code(const char *message);

#endif
