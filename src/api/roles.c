/* /api/v1/roles and /api/v1/permissions: roles and the permissions they group. */
#include "api/api.h"
#include "auth/auth.h"
#include "core/arena.h"
#include "core/banned.h"

static int list(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	struct db_list_opts opts;
	struct auth_role *items;
	size_t n;
	int64_t total;
	int rc;

	if ((rc = http_list_opts(ctx, req, auth_role_filterable, &opts)) ||
	    (rc = auth_role_list(ctx, &opts, &items, &n, &total)))
		return rc;
	return http_render_list(ctx, req, res, &auth_role_desc, items, n, total);
}

static int get(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	struct auth_role r;
	int rc;

	if ((rc = auth_role_get(ctx, req->params[0], &r)))
		return rc;
	return http_render(ctx, req, res, 200, &auth_role_desc, &r, r.version);
}

static int create(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	struct auth_role_input in;
	struct auth_role r;
	cJSON *body;
	int rc;

	if ((rc = http_req_json(ctx, req, &body)) ||
	    (rc = json_decode(ctx->arena, body, &auth_role_create_desc, &in, JSON_CREATE,
			      &ctx->err)) ||
	    (rc = auth_role_create(ctx, &in, &r)))
		return rc;
	return http_render_created(ctx, req, res, &auth_role_desc, &r, r.version, r.href);
}

static int patch(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	struct auth_role_input in;
	struct auth_role r;
	int64_t version;
	cJSON *body;
	int rc;

	if ((rc = http_req_if_match(ctx, req, &version)) || (rc = http_req_json(ctx, req, &body)) ||
	    (rc = json_decode(ctx->arena, body, &auth_role_patch_desc, &in, JSON_PATCH,
			      &ctx->err)) ||
	    (rc = auth_role_update(ctx, req->params[0], version, &in, &r)))
		return rc;
	return http_render(ctx, req, res, 200, &auth_role_desc, &r, r.version);
}

static int delete (struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	int64_t version;
	int rc;

	if ((rc = http_req_if_match(ctx, req, &version)) ||
	    (rc = auth_role_delete(ctx, req->params[0], version)))
		return rc;
	return http_render_empty(res);
}

static int permissions(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	struct auth_perm_info *items = arena_calloc(ctx->arena, PERM_COUNT, sizeof(*items));

	for (int i = 0; i < PERM_COUNT; i++)
		items[i] = (struct auth_perm_info){auth_perm_name(i), auth_perm_description(i)};
	return http_render_list(ctx, req, res, &auth_perm_info_desc, items, PERM_COUNT, PERM_COUNT);
}

const struct http_route api_role_routes[] = {
	{"GET", "/api/v1/roles", list, 0, 0, NULL},
	{"POST", "/api/v1/roles", create, PERM_ADMIN_ROLES, HTTP_BODY_JSON, NULL},
	{"GET", "/api/v1/roles/{id}", get, 0, 0, NULL},
	{"PATCH", "/api/v1/roles/{id}", patch, PERM_ADMIN_ROLES, HTTP_BODY_PATCH, NULL},
	{"DELETE", "/api/v1/roles/{id}", delete, PERM_ADMIN_ROLES, 0, NULL},
	{"GET", "/api/v1/permissions", permissions, 0, 0, NULL},
	{0},
};
