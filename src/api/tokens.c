/* /api/v1/tokens: API tokens for other systems (created once, listed without secrets). */
#include "api/api.h"
#include "core/arena.h"
#include "domain/token.h"
#include "core/banned.h"

#define TOKENS "/api/v1/tokens"

static void href_set(struct crm_ctx *ctx, struct token *t)
{
	t->href = arena_printf(ctx->arena, TOKENS "/%s", t->id);
}

static int list(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	struct db_list_opts opts;
	struct token *items;
	size_t n;
	int64_t total;
	int rc;

	if ((rc = http_list_opts(ctx, req, token_filterable, &opts)) ||
	    (rc = token_list(ctx, &opts, &items, &n, &total)))
		return rc;
	for (size_t i = 0; i < n; i++)
		href_set(ctx, &items[i]);
	return http_render_list(ctx, req, res, &token_desc, items, n, total);
}

static int get(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	struct token t;
	int rc;

	if ((rc = token_get(ctx, req->params[0], &t)))
		return rc;
	href_set(ctx, &t);
	return http_render(ctx, req, res, 200, &token_desc, &t, -1);
}

static int create(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	struct token_input in;
	struct token t;
	cJSON *body;
	int rc;

	if ((rc = http_req_json(ctx, req, &body)) ||
	    (rc = json_decode(ctx->arena, body, &token_create_desc, &in, JSON_CREATE, &ctx->err)) ||
	    (rc = token_create(ctx, &in, &t)))
		return rc;
	href_set(ctx, &t);
	return http_render_created(ctx, req, res, &token_desc, &t, -1, t.href);
}

static int revoke(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	int rc;

	if ((rc = token_revoke(ctx, req->params[0])))
		return rc;
	return http_render_empty(res);
}

const struct http_route api_token_routes[] = {
	{"GET", TOKENS, list, 0, HTTP_QUERY, NULL},
	{"POST", TOKENS, create, 0, HTTP_BODY_JSON | HTTP_NO_REPLAY, NULL},
	{"GET", TOKENS "/{id}", get, 0, 0, NULL},
	{"DELETE", TOKENS "/{id}", revoke, 0, 0, NULL},
	{0},
};
