/* The list of route tables; a new resource family adds its table here. */
#include "api/api.h"
#include "auth/auth.h"
#include "core/banned.h"

const struct http_route api_metrics_routes[] = {
	{"GET", "/metrics", http_metrics_respond, PERM_METRICS_READ, 0, NULL},
	{0},
};

static const struct http_route *tables[] = {
	NULL, /* the resource layer's (api_resource_routes) */
	api_hub_routes,
	api_session_routes,
	api_permission_routes,
	api_token_routes,
	api_audit_routes,
	api_metrics_routes,
	api_rules_routes,
	api_search_routes,
	api_view360_routes,
	NULL,
};

const struct http_route *const *api_routes(void)
{
	tables[0] = api_resource_routes();
	return tables;
}
