/*
 * The API: one file per resource family, each exporting its route table. Handlers are
 * thin — parse with a descriptor, call one domain function, render — and hold no SQL,
 * transactions or permission logic (STYLE §6).
 */
#ifndef CRM_API_H
#define CRM_API_H

#include "http/http.h"

extern const struct http_route api_hub_routes[];
extern const struct http_route api_rules_routes[];
extern const struct http_route api_session_routes[];
extern const struct http_route api_permission_routes[];
extern const struct http_route api_token_routes[];
extern const struct http_route api_audit_routes[];
extern const struct http_route api_metrics_routes[];
extern const struct http_route api_search_routes[];
extern const struct http_route api_view360_routes[];

/* The server's authentication hook: credentials from the Authorization header or the
 * session cookie, checked by auth_authenticate (session.c). */
int api_authenticate(struct crm_ctx *ctx, struct http_req *req);

struct res_desc;

/* The route argument of the layer's handlers: the resource, and the value of its bound
 * field (RES_BOUND) when the route fixes it (NULL: the path's first parameter). */
struct api_resource {
	const struct res_desc *d;
	const char *bound;
};
/* The layer's handlers (resource.c): list, get, create, merge patch, delete. */
int api_res_list(struct crm_ctx *ctx, struct http_req *req, struct http_res *res);
int api_res_get(struct crm_ctx *ctx, struct http_req *req, struct http_res *res);
int api_res_create(struct crm_ctx *ctx, struct http_req *req, struct http_res *res);
int api_res_patch(struct crm_ctx *ctx, struct http_req *req, struct http_res *res);
int api_res_delete(struct crm_ctx *ctx, struct http_req *req, struct http_res *res);

/* The routes of every resource on the layer (resource.c), made from the registry. */
const struct http_route *api_resource_routes(void);

/* Every table the server serves, NULL-terminated. Not thread-safe: called once, before the
 * server starts. */
const struct http_route *const *api_routes(void);

#endif
