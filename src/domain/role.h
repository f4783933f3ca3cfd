/*
 * Roles: named sets of permissions (auth.h's names), for the whole operator. The built-in
 * roles (clerk, agent, account_manager, service, marketing, sales, analyst, manager,
 * admin) come with the schema: they can be edited, not deleted. A resource of the layer
 * (resource.h): /api/v1/roles.
 */
#ifndef CRM_ROLE_H
#define CRM_ROLE_H

#include "domain/resource.h"

/* How far one of the role's permissions reaches (ctx.h), when not the unit and below. */
struct role_depth {
	const char *permission;
	const char *depth; /* "unit", "unitAndBelow", "province", "all" */
};

struct role {
	RES_HEAD; /* row.id: the role's code (a-z, 0-9, _) */
	const char *name;
	const char *description;
	struct json_array permissions; /* names, in the catalogue's order */
	struct json_array depths;      /* struct role_depth, for those not the default */
	bool builtin;
	int64_t users; /* how many users hold it (read only) */

	const char *permission_text; /* the stored column: "name[:depth] ..." */
	int64_t admins;		     /* the rules' count of role administrators before */
};

/* A permission reaches the holder's unit and those below it unless the role gives it
 * another depth (depths: a counter clerk reads customers of the whole province, and
 * changes those of their hall). Only headquarters staff change roles (they hold for every
 * province), and a caller grants, changes or deletes only roles whose permissions they hold
 * themselves (CRM_EPERM). No change may leave headquarters without an active user holding
 * admin.roles (CRM_ECONFLICT); roles someone holds are not deleted (CRM_ECONFLICT). */
extern const struct res_desc role_res;

/* How many active users of the root unit hold admin.roles (read in tx): those who can
 * still change roles. */
int role_admins(struct crm_ctx *ctx, struct db_tx *tx, int64_t *out);
/* After a change made in tx: CRM_ECONFLICT when it left nobody able to change roles and
 * before (role_admins counted ahead of it) was not 0. Locking everyone out of role
 * management would leave only the command line to undo it. */
int role_admins_kept(struct crm_ctx *ctx, struct db_tx *tx, int64_t before);

#endif
