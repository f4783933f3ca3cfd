/*
 * Rules: the registry of attribute sets (append-only, built once per process, the org
 * units' set built in) and validation of rule text against a registered or inline set,
 * turning compile errors into records with a code, a position and a suggestion.
 */
#include "domain/rules.h"

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/str.h"
#include "core/banned.h"

#define TEXT_MAX_JSON ((size_t)1 << 30) /* the body limit decides; the domain checks */

/* ---- the built-in set ---- */

/* The attributes of an org unit (domain/org.h, docs/api.md), dates as days. */
static const struct rules_attr org_unit_attrs[] = {
	{"id", EXPR_T_STR, "the unit's code, which is also its id, e.g. 'GD-GZ'"},
	{"name", EXPR_T_STR, "display name, e.g. '广州市'"},
	{"kind", EXPR_T_STR, "'hq', 'province', 'city', 'hall' or 'team'"},
	{"parentId", EXPR_T_STR, "code of the parent unit; null for HQ"},
	{"path", EXPR_T_STR, "codes from HQ down to the unit, e.g. '/HQ/GD/GD-GZ/'"},
	{"status", EXPR_T_STR, "'active' or 'closed'"},
	{"version", EXPR_T_INT, "number of changes since creation, from 1"},
	{"createdDate", EXPR_T_DATE, "day the unit was created (UTC)"},
	{"lastUpdate", EXPR_T_DATE, "day of the unit's last change (UTC)"},
	{NULL, 0, NULL},
};

static const struct rules_schema_def org_unit_schema = {
	"orgUnit",
	"Org units: HQ, provinces, cities, halls and teams (/api/v1/org-units)",
	org_unit_attrs,
};

/* Registered at first use, so that no startup code has to remember them. */
static const struct rules_schema_def *const builtins[] = {&org_unit_schema, NULL};

/* ---- registry ---- */

struct entry {
	const struct rules_schema_def *def;
	struct expr_schema *schema;
};

/* Append-only: an entry, once added, stays (with its schema) until the process exits. */
static struct {
	pthread_mutex_t lock;
	struct entry items[RULES_SCHEMAS_MAX];
	size_t n;
} registry = {PTHREAD_MUTEX_INITIALIZER, {{0}}, 0};

static pthread_once_t builtins_once = PTHREAD_ONCE_INIT;

static int add(const struct rules_schema_def *def, struct crm_err *err)
{
	struct expr_schema *s = NULL;
	int rc = 0;

	pthread_mutex_lock(&registry.lock);
	if (!def->name || !*def->name) {
		rc = crm_err_set(err, CRM_EINVAL, "name", "an attribute set needs a name");
		goto out;
	}
	for (size_t i = 0; i < registry.n; i++)
		if (strcmp(registry.items[i].def->name, def->name) == 0) {
			rc = crm_err_set(err, CRM_EINVAL, "name",
					 "attribute set '%s' is registered already", def->name);
			goto out;
		}
	if (registry.n == RULES_SCHEMAS_MAX) {
		rc = crm_err_set(err, CRM_ETOOBIG, "name",
				 "cannot register '%s': there are %d attribute sets already",
				 def->name, RULES_SCHEMAS_MAX);
		goto out;
	}
	s = expr_schema_new();
	for (const struct rules_attr *a = def->attrs; a && a->name; a++)
		if ((rc = expr_schema_add(s, a->name, a->type, err)))
			goto out;
	registry.items[registry.n++] = (struct entry){def, s};
	s = NULL;
out:
	pthread_mutex_unlock(&registry.lock);
	expr_schema_free(s);
	return rc;
}

static void add_builtins(void)
{
	struct crm_err err = {0};

	for (size_t i = 0; builtins[i]; i++)
		if (add(builtins[i], &err))
			CRM_BUG("built-in attribute set '%s': %s", builtins[i]->name, err.message);
}

int rules_schema_register(const struct rules_schema_def *def, struct crm_err *err)
{
	pthread_once(&builtins_once, add_builtins);
	return add(def, err);
}

const struct expr_schema *rules_schema_lookup(const char *name)
{
	const struct expr_schema *s = NULL;

	pthread_once(&builtins_once, add_builtins);
	pthread_mutex_lock(&registry.lock);
	for (size_t i = 0; name && i < registry.n; i++)
		if (strcmp(registry.items[i].def->name, name) == 0)
			s = registry.items[i].schema;
	pthread_mutex_unlock(&registry.lock);
	return s;
}

const char *const rules_schema_filterable[] = {"name", NULL};

/* Whether def passes every filter of opts (all are name equality, checked before). */
static bool matches(const struct rules_schema_def *def, const struct db_list_opts *opts)
{
	for (size_t f = 0; f < opts->nfilters; f++) {
		bool any = false;

		for (size_t v = 0; v < opts->filters[f].nvalues; v++)
			any |= strcmp(def->name, opts->filters[f].values[v]) == 0;
		if (!any)
			return false;
	}
	return true;
}

int rules_schema_list(struct crm_ctx *ctx, const struct db_list_opts *opts,
		      struct rules_schema_info **out, size_t *out_n, int64_t *out_total)
{
	struct rules_schema_info *items;
	int64_t total = 0;
	size_t n = 0;

	for (size_t f = 0; f < opts->nfilters; f++)
		if (opts->filters[f].op != DB_EQ)
			return crm_err_set(&ctx->err, CRM_EINVAL, opts->filters[f].field,
					   "schemas can be filtered by 'name' equality only");
	pthread_once(&builtins_once, add_builtins);
	pthread_mutex_lock(&registry.lock);
	items = arena_calloc(ctx->arena, registry.n ? registry.n : 1, sizeof(*items));
	for (size_t i = 0; i < registry.n; i++) {
		const struct rules_schema_def *def = registry.items[i].def;
		struct rules_attr_info *attrs;
		size_t na = 0;

		if (!matches(def, opts) || total++ < opts->offset || (int64_t)n >= opts->limit)
			continue;

		while (def->attrs && def->attrs[na].name)
			na++;
		attrs = arena_calloc(ctx->arena, na ? na : 1, sizeof(*attrs));
		for (size_t j = 0; j < na; j++)
			attrs[j] = (struct rules_attr_info){def->attrs[j].name,
							    expr_type_name(def->attrs[j].type),
							    def->attrs[j].description};
		items[n++] = (struct rules_schema_info){def->name, def->description, {attrs, na}};
	}
	pthread_mutex_unlock(&registry.lock);
	*out = items;
	*out_n = n;
	*out_total = total;
	return 0;
}

/* ---- descriptors ---- */

static const struct json_desc attr_info_desc = {
	NULL,
	sizeof(struct rules_attr_info),
	(const struct json_field[]){
		JSON_F(struct rules_attr_info, name, JSON_STRING, 0),
		JSON_F(struct rules_attr_info, type, JSON_STRING, 0),
		JSON_F(struct rules_attr_info, description, JSON_STRING, 0),
		{0},
	},
	JSON_NO_PRESENT,
};

const struct json_desc rules_schema_info_desc = {
	NULL,
	sizeof(struct rules_schema_info),
	(const struct json_field[]){
		JSON_F(struct rules_schema_info, name, JSON_STRING, 0),
		JSON_F(struct rules_schema_info, description, JSON_STRING, 0),
		{"attributes", JSON_OBJECT_ARRAY, offsetof(struct rules_schema_info, attributes), 0,
		 &attr_info_desc, 0, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};

static const struct json_desc error_desc = {
	NULL,
	sizeof(struct rules_error),
	(const struct json_field[]){
		JSON_F(struct rules_error, code, JSON_STRING, 0),
		JSON_F(struct rules_error, message, JSON_STRING, 0),
		JSON_F(struct rules_error, line, JSON_INT, 0),
		JSON_F(struct rules_error, column, JSON_INT, 0),
		JSON_F(struct rules_error, offset, JSON_INT, 0),
		JSON_F(struct rules_error, suggestion, JSON_STRING, 0),
		{0},
	},
	JSON_NO_PRESENT,
};

const struct json_desc rules_validation_desc = {
	NULL,
	sizeof(struct rules_validation),
	(const struct json_field[]){
		JSON_F(struct rules_validation, valid, JSON_BOOL, 0),
		JSON_F(struct rules_validation, normalised, JSON_STRING, 0),
		{"resultType", JSON_STRING, offsetof(struct rules_validation, result_type), 0, NULL,
		 0, NULL},
		{"errors", JSON_OBJECT_ARRAY, offsetof(struct rules_validation, errors), 0,
		 &error_desc, 0, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};

const struct json_desc rules_validate_desc = {
	NULL,
	sizeof(struct rules_validate_input),
	(const struct json_field[]){
		{"text", JSON_STRING, offsetof(struct rules_validate_input, text), JSON_REQUIRED,
		 NULL, TEXT_MAX_JSON, NULL},
		{"schema", JSON_ANY, offsetof(struct rules_validate_input, schema), JSON_REQUIRED,
		 NULL, 0, NULL},
		{0},
	},
	offsetof(struct rules_validate_input, present),
};

/* ---- validation ---- */

/* By the start of the message core/expr writes; anything else is a type error. */
static const struct {
	const char *prefix;
	const char *code;
} codes[] = {
	{"unknown attribute ", "unknown_attribute"},
	{"unknown function ", "unknown_function"},
	{"expression is nested more than ", "limit"},
	{"rule has more than ", "limit"},
	{"rule is empty", "syntax"},
	{"rule is ", "limit"}, /* "rule is N bytes, over the limit of ..." */
	{"name '", "limit"},   /* "name '...' is longer than N bytes" */
	{"a call takes at most ", "limit"},
	{"expected ", "syntax"},
	{"comparisons cannot be chained", "syntax"},
	{"unexpected character ", "syntax"},
	{"string is not closed", "syntax"},
	{"string holds invalid UTF-8", "syntax"},
	{"invalid ", "syntax"}, /* UTF-8 byte, date, number */
	{"duration '", "syntax"},
	{"integer '", "syntax"},
	{"number '", "syntax"},
	{"rule contains a NUL byte", "syntax"},
};

const char *rules_error_code(const char *message)
{
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strncmp(message, codes[i].prefix, strlen(codes[i].prefix)) == 0)
			return codes[i].code;
	return "type";
}

/* The known set names, for a message: "'a', 'b'". */
static const char *known_names(struct crm_ctx *ctx)
{
	struct strbuf sb;

	strbuf_init_arena(&sb, ctx->arena, 64);
	pthread_mutex_lock(&registry.lock);
	for (size_t i = 0; i < registry.n; i++)
		strbuf_addf(&sb, "%s'%s'", i ? ", " : "", registry.items[i].def->name);
	pthread_mutex_unlock(&registry.lock);
	return strbuf_cstr(&sb);
}

/* Builds a schema from {name: type name, ...}; *out: caller frees with expr_schema_free. */
static int inline_schema(struct crm_ctx *ctx, const cJSON *obj, struct expr_schema **out)
{
	struct expr_schema *s = expr_schema_new();
	struct crm_err err = {0};
	const cJSON *v;
	int rc = 0;

	cJSON_ArrayForEach(v, obj)
	{
		char field[CRM_ERR_FIELD_MAX];
		int t;

		snprintf(field, sizeof(field), "schema.%s", v->string);
		if (!cJSON_IsString(v)) {
			rc = crm_err_set(&ctx->err, CRM_EINVAL, field,
					 "the type of attribute '%s' must be a string such as "
					 "'number'",
					 v->string);
			goto out;
		}
		if ((t = expr_type_parse(v->valuestring)) <= EXPR_T_NULL) {
			rc = crm_err_set(&ctx->err, CRM_EINVAL, field,
					 "attribute '%s' has unknown type '%s'; the types are "
					 "'number', 'int', 'string', 'bool', 'date' and 'duration'",
					 v->string, v->valuestring);
			goto out;
		}
		if ((rc = expr_schema_add(s, v->string, (enum expr_type)t, &err))) {
			rc = crm_err_copy(&ctx->err, &err, field);
			goto out;
		}
	}
	*out = s;
	s = NULL;
out:
	expr_schema_free(s);
	return rc;
}

static void fill_errors(struct crm_ctx *ctx, const struct expr_errors *errs,
			struct rules_validation *out)
{
	struct rules_error *items =
		arena_calloc(ctx->arena, errs->count ? errs->count : 1, sizeof(*items));

	for (unsigned i = 0; i < errs->count; i++) {
		const struct expr_error *it = &errs->items[i];

		items[i] = (struct rules_error){
			rules_error_code(it->message),
			arena_strdup(ctx->arena, it->message),
			it->line,
			it->col,
			(int64_t)it->offset,
			it->hint[0] ? arena_strdup(ctx->arena, it->hint) : NULL,
		};
	}
	out->errors = (struct json_array){items, errs->count};
}

int rules_validate(struct crm_ctx *ctx, const char *text, const cJSON *schema,
		   struct rules_validation *out)
{
	const struct expr_schema *sc = NULL;
	struct expr_schema *own = NULL;
	struct rules_validation v = {0};
	struct expr_errors errs;
	struct expr *e = NULL;
	struct strbuf sb;
	int rc = 0;

	pthread_once(&builtins_once, add_builtins);
	if (!text)
		return crm_err_set(&ctx->err, CRM_EINVAL, "text", "'%s' is required", "text");
	if (!schema)
		return crm_err_set(&ctx->err, CRM_EINVAL, "schema", "'%s' is required", "schema");
	if (cJSON_IsString(schema)) {
		if (!(sc = rules_schema_lookup(schema->valuestring)))
			return crm_err_set(&ctx->err, CRM_EINVAL, "schema",
					   "unknown schema '%s'; the schemas are %s",
					   schema->valuestring, known_names(ctx));
	} else if (cJSON_IsObject(schema)) {
		if ((rc = inline_schema(ctx, schema, &own)))
			return rc;
		sc = own;
	} else {
		return crm_err_set(&ctx->err, CRM_EINVAL, "schema",
				   "'schema' must be the name of a schema or an object of "
				   "attribute types");
	}
	rc = expr_compile(sc, text, strlen(text), &e, &errs);
	if (rc == CRM_ETOOBIG) {
		rc = crm_err_copy(&ctx->err, &errs.err, "text");
		goto out;
	}
	if (rc) {
		fill_errors(ctx, &errs, &v);
		*out = v;
		rc = 0;
		goto out;
	}
	strbuf_init_arena(&sb, ctx->arena, 64);
	expr_normalise(e, &sb);
	v.valid = true;
	v.normalised = strbuf_cstr(&sb);
	v.result_type = expr_type_name(expr_result_type(e));
	*out = v;
out:
	expr_free(e);
	expr_schema_free(own);
	return rc;
}
