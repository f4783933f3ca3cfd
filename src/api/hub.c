/*
 * Hub registration (TMF630 "register listener"): POST /tmf-api/{api}/v4/hub and
 * DELETE /tmf-api/{api}/v4/hub/{id} for each TMF API, and /api/v1/hub for telcrm's own
 * events. The {api} segment names the API whose events the listener receives.
 */
#include <string.h>

#include "api/api.h"
#include "auth/auth.h"
#include "core/arena.h"
#include "domain/events.h"
#include "core/banned.h"

static const char *api_of(struct http_req *req)
{
	return strncmp(req->path, "/api/v1/", 8) == 0 ? "telcrm" : req->params[0];
}

static const char *id_of(struct http_req *req)
{
	return strncmp(req->path, "/api/v1/", 8) == 0 ? req->params[0] : req->params[1];
}

static int subscribe(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	struct hub_subscription in, out;
	const char *api = api_of(req);
	cJSON *body;
	int rc;

	if ((rc = http_req_json(ctx, req, &body)) ||
	    (rc = json_decode(ctx->arena, body, &hub_subscription_input_desc, &in, JSON_CREATE,
			      &ctx->err)) ||
	    (rc = events_subscribe(ctx, api, &in, &out)))
		return rc;
	return http_render_created(ctx, req, res, &hub_subscription_desc, &out, -1,
				   arena_printf(ctx->arena, "%s/%s", req->path, out.id));
}

static int get(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	struct hub_subscription out;
	int rc;

	if ((rc = events_subscription_get(ctx, api_of(req), id_of(req), &out)))
		return rc;
	return http_render(ctx, req, res, 200, &hub_subscription_desc, &out, -1);
}

static int unsubscribe(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	int rc;

	if ((rc = events_unsubscribe(ctx, api_of(req), id_of(req))))
		return rc;
	return http_render_empty(res);
}

const struct http_route api_hub_routes[] = {
	{"POST", "/tmf-api/{api}/v4/hub", subscribe, PERM_HUB_MANAGE, HTTP_BODY_JSON, NULL},
	{"GET", "/tmf-api/{api}/v4/hub/{id}", get, PERM_HUB_MANAGE, 0, NULL},
	{"DELETE", "/tmf-api/{api}/v4/hub/{id}", unsubscribe, PERM_HUB_MANAGE, 0, NULL},
	{"POST", "/api/v1/hub", subscribe, PERM_HUB_MANAGE, HTTP_BODY_JSON, NULL},
	{"GET", "/api/v1/hub/{id}", get, PERM_HUB_MANAGE, 0, NULL},
	{"DELETE", "/api/v1/hub/{id}", unsubscribe, PERM_HUB_MANAGE, 0, NULL},
	{0},
};
