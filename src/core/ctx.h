/*
 * The request context, passed down explicitly from http/ through api/ and domain/ to
 * store/: who is asking, what they may see, where request memory comes from, and the
 * error being reported. CLI commands and background jobs make one too (ctx_init_system).
 */
#ifndef CRM_CTX_H
#define CRM_CTX_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "core/id.h"
#include "core/msg.h"

struct arena;
struct db;
struct db_tx;

/* How far a permission reaches from the caller's unit. Each role gives each of its
 * permissions a depth; a user holding a permission through several roles reaches the
 * farthest of them. */
enum crm_depth {
	CRM_DEPTH_DEFAULT = 0, /* not given: CRM_DEPTH_BELOW */
	CRM_DEPTH_OWN,	       /* the records the caller owns, where they lie; of a resource
				  without owners, the caller's unit alone */
	CRM_DEPTH_UNIT,	       /* the caller's unit alone */
	CRM_DEPTH_BELOW,       /* the unit and every unit below it */
	CRM_DEPTH_PROVINCE,    /* every unit of the province the unit lies in */
	CRM_DEPTH_ALL,	       /* the whole operator */
};
#define CRM_DEPTH_BITS 64 /* one depth per permission bit */

/* The caller. Filled by the auth middleware; a system context has login "system". */
struct crm_principal {
	const char *user_id; /* NULL for the system */
	const char *login;
	const char *org_path;	  /* materialised path of the caller's org unit, e.g. "/HQ/GD/" */
	uint64_t perms;		  /* bit set of permissions (auth/auth.h) */
	const char *org_id;	  /* the caller's org unit */
	const char *session_hash; /* set when authenticated by a session cookie */
	const char *token_id;	  /* set when authenticated by an API token */
	bool pii_masked;	  /* personal data is rendered masked (no pii.read) */
	uint8_t depth[CRM_DEPTH_BITS]; /* per permission bit: enum crm_depth */
};

struct crm_ctx {
	struct arena *arena; /* request memory, freed after the response */
	struct db *db;	     /* borrowed for the process lifetime */
	struct crm_principal who;
	char request_id[ID_LEN + 1];
	const char *idempotency_key;  /* POST only; NULL when not given */
	const char *idempotency_hash; /* hash of method, path and body */
	struct crm_err err;
	enum crm_lang lang;  /* what the caller reads (Accept-Language): messages in it */
	int retry_after_s;   /* with CRM_ERATE: when to try again */
	struct db_tx *batch; /* a bulk job's open transaction, which changes join
				(domain/change.h); NULL otherwise */
};

/* A context for a CLI command or background job, acting as the system (all scope). */
void ctx_init_system(struct crm_ctx *ctx, struct arena *a, struct db *db);

/* True when the caller sits at the root of the organisation (HQ, path "/HQ/") or is the
 * system ("/"): what holds for the whole operator is theirs to see and change. */
bool ctx_at_root(const struct crm_ctx *ctx);

#endif
