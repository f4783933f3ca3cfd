/* The list of route tables; a new resource family adds its table here. */
#include "api/api.h"
#include "auth/auth.h"
#include "core/banned.h"

const struct http_route api_metrics_routes[] = {
	{"GET", "/metrics", http_metrics_respond, PERM_METRICS_READ, 0},
	{0},
};

const struct http_route *const api_route_tables[] = {
	api_org_routes,	     api_hub_routes,
	api_session_routes,  api_user_routes,
	api_role_routes,     api_token_routes,
	api_audit_routes,    api_metrics_routes,
	api_rules_routes,    api_party_routes,
	api_customer_routes, api_search_routes,
	api_view360_routes,  NULL,
};
