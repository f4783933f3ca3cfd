/*
 * The audit trail, read side: GET /api/v1/audit. Rows are written only by change.h, in
 * the transaction of their change, and are never updated or deleted by anything.
 */
#ifndef CRM_AUDIT_H
#define CRM_AUDIT_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ctx.h"
#include "core/json.h"
#include "store/db.h"

struct audit_entry {
	int64_t seq;
	int64_t at_ms;
	const char *actor;
	const char *action;
	const char *resource;
	const char *resource_id;
	const char *org_path;
	const cJSON *before; /* state before the change, or detail of an event */
	const cJSON *after;
	const char *request_id;
};

extern const struct json_desc audit_entry_desc;
/* actor, action, resource, resourceId, at (with .gte/.lt …) */
extern const char *const audit_filterable[];

/* Rows whose org path lies in the caller's scope (for callers at the root unit, every row,
 * also those of no unit), newest first. */
int audit_list(struct crm_ctx *ctx, const struct db_list_opts *opts, struct audit_entry **out,
	       size_t *out_n, int64_t *out_total);

#endif
