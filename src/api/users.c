/* /api/v1/users: staff accounts (list, get, create, change, disable, reset password). */
#include "api/api.h"
#include "auth/auth.h"
#include "core/banned.h"

static int list(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	struct db_list_opts opts;
	struct auth_user *items;
	size_t n;
	int64_t total;
	int rc;

	if ((rc = http_list_opts(ctx, req, auth_user_filterable, &opts)) ||
	    (rc = auth_user_list(ctx, &opts, &items, &n, &total)))
		return rc;
	return http_render_list(ctx, req, res, &auth_user_desc, items, n, total);
}

static int get(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	struct auth_user u;
	int rc;

	if ((rc = auth_user_get(ctx, req->params[0], &u)))
		return rc;
	return http_render(ctx, req, res, 200, &auth_user_desc, &u, u.version);
}

static int create(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	struct auth_user_input in;
	struct auth_user u;
	cJSON *body;
	int rc;

	if ((rc = http_req_json(ctx, req, &body)) ||
	    (rc = json_decode(ctx->arena, body, &auth_user_create_desc, &in, JSON_CREATE,
			      &ctx->err)) ||
	    (rc = auth_user_create(ctx, &in, &u)))
		return rc;
	return http_render_created(ctx, req, res, &auth_user_desc, &u, u.version, u.href);
}

static int patch(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	struct auth_user_input in;
	struct auth_user u;
	int64_t version;
	cJSON *body;
	int rc;

	if ((rc = http_req_if_match(ctx, req, &version)) || (rc = http_req_json(ctx, req, &body)) ||
	    (rc = json_decode(ctx->arena, body, &auth_user_patch_desc, &in, JSON_PATCH,
			      &ctx->err)) ||
	    (rc = auth_user_update(ctx, req->params[0], version, &in, &u)))
		return rc;
	return http_render(ctx, req, res, 200, &auth_user_desc, &u, u.version);
}

const struct http_route api_user_routes[] = {
	{"GET", "/api/v1/users", list, PERM_ADMIN_USERS, 0, NULL},
	{"POST", "/api/v1/users", create, PERM_ADMIN_USERS, HTTP_BODY_JSON | HTTP_NO_REPLAY, NULL},
	{"GET", "/api/v1/users/{id}", get, PERM_ADMIN_USERS, 0, NULL},
	{"PATCH", "/api/v1/users/{id}", patch, PERM_ADMIN_USERS, HTTP_BODY_PATCH, NULL},
	{0},
};
