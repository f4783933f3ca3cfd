/* /api/v1/tokens: API tokens for other systems (created once, listed without secrets). */
#include "api/api.h"
#include "auth/auth.h"
#include "core/banned.h"

static int list(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	struct db_list_opts opts;
	struct auth_token *items;
	size_t n;
	int64_t total;
	int rc;

	if ((rc = http_list_opts(ctx, req, auth_token_filterable, &opts)) ||
	    (rc = auth_token_list(ctx, &opts, &items, &n, &total)))
		return rc;
	return http_render_list(ctx, req, res, &auth_token_desc, items, n, total);
}

static int get(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	struct auth_token t;
	int rc;

	if ((rc = auth_token_get(ctx, req->params[0], &t)))
		return rc;
	return http_render(ctx, req, res, 200, &auth_token_desc, &t, -1);
}

static int create(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	struct auth_token_input in;
	struct auth_token t;
	cJSON *body;
	int rc;

	if ((rc = http_req_json(ctx, req, &body)) ||
	    (rc = json_decode(ctx->arena, body, &auth_token_create_desc, &in, JSON_CREATE,
			      &ctx->err)) ||
	    (rc = auth_token_create(ctx, &in, &t)))
		return rc;
	return http_render_created(ctx, req, res, &auth_token_desc, &t, -1, t.href);
}

static int revoke(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	int rc;

	if ((rc = auth_token_revoke(ctx, req->params[0])))
		return rc;
	return http_render_empty(res);
}

const struct http_route api_token_routes[] = {
	{"GET", "/api/v1/tokens", list, 0, 0, NULL},
	{"POST", "/api/v1/tokens", create, 0, HTTP_BODY_JSON | HTTP_NO_REPLAY, NULL},
	{"GET", "/api/v1/tokens/{id}", get, 0, 0, NULL},
	{"DELETE", "/api/v1/tokens/{id}", revoke, 0, 0, NULL},
	{0},
};
