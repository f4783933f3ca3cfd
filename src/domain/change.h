/*
 * One transaction per change: the change itself, its audit row and its event commit
 * together or not at all (ARCHITECTURE "Mechanisms"). Every domain write goes
 *   change_begin → store writes → change_record → change_commit
 * and on any failure change_abort.
 */
#ifndef CRM_CHANGE_H
#define CRM_CHANGE_H

#include <cjson/cJSON.h>

#include "core/ctx.h"
#include "store/db.h"

/* Begins the write transaction and claims ctx->idempotency_key if set (CRM_ECONFLICT if
 * a concurrent request holds it). *out is NULL on error. */
int change_begin(struct crm_ctx *ctx, struct db_tx **out);

struct change {
	const char *action;   /* "create", "update", "delete", ... */
	const char *resource; /* "orgUnit", "customer" — audit resource type */
	const char *resource_id;
	/* the record's distribution key, when not its own id: the id of the customer that
	 * owns it (audit_log.dkey); NULL: resource_id */
	const char *dkey;
	const char *org_path;	 /* scope of the changed row */
	const char *owner_id;	 /* of an owned row: its owning user */
	const cJSON *before;	 /* state before (NULL on create) */
	const cJSON *after;	 /* state after (NULL on delete) */
	const char *api;	 /* hub API the event goes to, e.g. "customerManagement";
				    NULL: audit only, no event */
	const char *event_type;	 /* "CustomerCreateEvent" */
	const char *event_field; /* envelope member holding the resource: "customer" */
	/* a second event of the same change (a change of state and of attributes sends
	 * both), or NULL */
	const char *event_type2;
	/* the changed attributes' paths, comma-separated, for the AttributeValueChange event
	 * among them (TMF "fieldPath"), or NULL */
	const char *field_path;
};

/* Writes the audit row and, when c->api is set, the outbox events whose envelopes are
 * {eventId, eventTime, eventType, [fieldPath,] event: {<event_field>: after (or before on
 * delete)}}. */
int change_record(struct crm_ctx *ctx, struct db_tx *tx, const struct change *c);

/* Commits. On failure the transaction is rolled back. */
int change_commit(struct crm_ctx *ctx, struct db_tx *tx);
/* Rolls back (NULL is a no-op). */
void change_abort(struct crm_ctx *ctx, struct db_tx *tx);

/*
 * Bulk jobs (the demo generator, imports) run many changes in one transaction, for speed:
 * the job begins a transaction and sets ctx->batch to it; change_begin then joins it
 * (without an idempotency claim) and change_commit and change_abort leave it open. Every
 * change still writes its audit row and event. A change that fails leaves the batch in an
 * unknown state: the job must roll the whole batch back.
 *
 * Loading new records by the hundred thousand (customer_import_*, through a bulk job,
 * bulk.h) goes further: no audit row or event per record, but one audit row per batch,
 * written by the job with change_record, naming what the batch made.
 */

#endif
