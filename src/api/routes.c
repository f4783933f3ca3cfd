/* The list of route tables; a new resource family adds its table here. */
#include "api/api.h"

const struct http_route *const api_route_tables[] = {
	api_org_routes,
	api_hub_routes,
	api_rules_routes,
	NULL,
};
