/*
 * Org units: HQ → province → city → hall/team. Each unit has a short stable code that is
 * also its id (HQ, GD, GD-GZ, GD-GZ-H01). Units are created, renamed, moved and closed,
 * never deleted, so audit rows and owned records always name a real unit.
 */
#ifndef CRM_ORG_H
#define CRM_ORG_H

#include <stddef.h>
#include <stdint.h>

#include "core/ctx.h"
#include "core/json.h"
#include "store/db.h"

struct org_unit {
	const char *id;
	const char *href;
	const char *name;
	const char *kind;
	const char *parent_id;
	const char *path;
	const char *status;
	int64_t version;
	int64_t created_ms;
	int64_t updated_ms;
};

/* What a caller may send: on create id, name, kind, parentId (all required); on patch
 * name, parentId (a move), status ("closed" closes, "active" reopens). */
struct org_unit_input {
	uint64_t present;
	const char *id;
	const char *name;
	const char *kind;
	const char *parent_id;
	const char *status;
};

extern const struct json_desc org_unit_desc;	    /* rendering */
extern const struct json_desc org_unit_create_desc; /* input on POST */
extern const struct json_desc org_unit_patch_desc;  /* input on PATCH */
extern const char *const org_unit_filterable[];

/* All functions: results allocated in ctx->arena; errors in ctx->err. Reads and writes
 * are limited to the caller's scope (ctx->who.org_path): a unit outside is CRM_ENOTFOUND. */
int org_unit_get(struct crm_ctx *ctx, const char *id, struct org_unit *out);
int org_unit_list(struct crm_ctx *ctx, const struct db_list_opts *opts, struct org_unit **out,
		  size_t *out_n, int64_t *out_total);
/* CRM_EINVAL for a bad code, name or kind, or a parent of the wrong kind; CRM_ENOTFOUND
 * for an unknown parent; CRM_ECONFLICT for a taken code or a closed parent. */
int org_unit_create(struct crm_ctx *ctx, const struct org_unit_input *in, struct org_unit *out);
/* if_match: expected version or -1. CRM_ESTALE on a version mismatch; CRM_ECONFLICT when
 * closing a unit with active units under it, or moving a unit under itself. */
int org_unit_update(struct crm_ctx *ctx, const char *id, int64_t if_match,
		    const struct org_unit_input *in, struct org_unit *out);

#endif
