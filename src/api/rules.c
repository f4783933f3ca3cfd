/* /api/v1/rules: validation of rule text and the attribute sets rules are written against
 * (docs/rules.md). */
#include "api/api.h"
#include "domain/rules.h"
#include "core/banned.h"

static int schemas(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	struct db_list_opts opts;
	struct rules_schema_info *items;
	size_t n;
	int64_t total;
	int rc;

	if ((rc = http_list_opts(ctx, req, rules_schema_filterable, &opts)) ||
	    (rc = rules_schema_list(ctx, &opts, &items, &n, &total)))
		return rc;
	return http_render_list(ctx, req, res, &rules_schema_info_desc, items, n, total);
}

/* Text that does not compile is an answer (200, "valid": false), not an error. */
static int validate(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	struct rules_validate_input in;
	struct rules_validation out;
	cJSON *body;
	int rc;

	if ((rc = http_req_json(ctx, req, &body)) ||
	    (rc = json_decode(ctx->arena, body, &rules_validate_desc, &in, JSON_CREATE,
			      &ctx->err)) ||
	    (rc = rules_validate(ctx, in.text, in.schema, &out)))
		return rc;
	return http_render(ctx, req, res, 200, &rules_validation_desc, &out, -1);
}

const struct http_route api_rules_routes[] = {
	{"GET", "/api/v1/rules/schemas", schemas, 0, HTTP_QUERY, NULL},
	{"POST", "/api/v1/rules/validate", validate, 0, HTTP_BODY_JSON, NULL},
	{0},
};
