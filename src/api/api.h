/*
 * The API: one file per resource family, each exporting its route table. Handlers are
 * thin — parse with a descriptor, call one domain function, render — and hold no SQL,
 * transactions or permission logic (STYLE §6).
 */
#ifndef CRM_API_H
#define CRM_API_H

#include "http/http.h"

extern const struct http_route api_org_routes[];
extern const struct http_route api_hub_routes[];
extern const struct http_route api_rules_routes[];

/* Every table the server serves, NULL-terminated. */
extern const struct http_route *const api_route_tables[];

#endif
