/* /api/v1/org-units: the organisation tree (list, get, create, rename/move/close). */
#include "api/api.h"
#include "auth/auth.h"
#include "domain/org.h"
#include "core/banned.h"

static int list(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	struct db_list_opts opts;
	struct org_unit *items;
	size_t n;
	int64_t total;
	int rc;

	if ((rc = http_list_opts(ctx, req, org_unit_filterable, &opts)) ||
	    (rc = org_unit_list(ctx, &opts, &items, &n, &total)))
		return rc;
	return http_render_list(ctx, req, res, &org_unit_desc, items, n, total);
}

static int get(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	struct org_unit u;
	int rc;

	if ((rc = org_unit_get(ctx, req->params[0], &u)))
		return rc;
	return http_render(ctx, req, res, 200, &org_unit_desc, &u, u.version);
}

static int create(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	struct org_unit_input in;
	struct org_unit u;
	cJSON *body;
	int rc;

	if ((rc = http_req_json(ctx, req, &body)) ||
	    (rc = json_decode(ctx->arena, body, &org_unit_create_desc, &in, JSON_CREATE,
			      &ctx->err)) ||
	    (rc = org_unit_create(ctx, &in, &u)))
		return rc;
	return http_render_created(ctx, req, res, &org_unit_desc, &u, u.version, u.href);
}

static int patch(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	struct org_unit_input in;
	struct org_unit u;
	int64_t version;
	cJSON *body;
	int rc;

	if ((rc = http_req_if_match(ctx, req, &version)) || (rc = http_req_json(ctx, req, &body)) ||
	    (rc = json_decode(ctx->arena, body, &org_unit_patch_desc, &in, JSON_PATCH,
			      &ctx->err)) ||
	    (rc = org_unit_update(ctx, req->params[0], version, &in, &u)))
		return rc;
	return http_render(ctx, req, res, 200, &org_unit_desc, &u, u.version);
}

const struct http_route api_org_routes[] = {
	{"GET", "/api/v1/org-units", list, 0, 0},
	{"POST", "/api/v1/org-units", create, PERM_ADMIN_ORG, HTTP_BODY_JSON},
	{"GET", "/api/v1/org-units/{id}", get, 0, 0},
	{"PATCH", "/api/v1/org-units/{id}", patch, PERM_ADMIN_ORG, HTTP_BODY_PATCH},
	{0},
};
