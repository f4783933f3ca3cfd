/*
 * Hub registration (TMF630 "register listener"): the listener resource of the layer
 * answers /tmf-api/{api}/v4/hub for every TMF API (its generated routes), and here the same
 * handlers answer /api/v1/hub for telcrm's own events.
 */
#include "api/api.h"
#include "auth/auth.h"
#include "domain/events.h"
#include "core/banned.h"

static const struct api_resource telcrm_hub = {&hub_listener_res, "telcrm"};

const struct http_route api_hub_routes[] = {
	{"GET", "/api/v1/hub", api_res_list, PERM_HUB_MANAGE, HTTP_QUERY, &telcrm_hub},
	{"POST", "/api/v1/hub", api_res_create, PERM_HUB_MANAGE, HTTP_BODY_JSON, &telcrm_hub},
	{"GET", "/api/v1/hub/{id}", api_res_get, PERM_HUB_MANAGE, 0, &telcrm_hub},
	{"DELETE", "/api/v1/hub/{id}", api_res_delete, PERM_HUB_MANAGE, 0, &telcrm_hub},
	{0},
};
