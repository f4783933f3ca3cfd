/* The change transaction: store writes, audit row and outbox event committed together. */
#include "domain/change.h"

#include <string.h>

#include "core/arena.h"
#include "core/id.h"
#include "core/json.h"
#include "core/time.h"
#include "core/banned.h"

static const char *principal_of(const struct crm_ctx *ctx)
{
	return ctx->who.user_id ? ctx->who.user_id : ctx->who.login;
}

int change_begin(struct crm_ctx *ctx, struct db_tx **out)
{
	struct db_tx *tx = NULL;
	int rc;

	*out = NULL;
	if (ctx->batch) {
		*out = ctx->batch;
		return 0;
	}
	if ((rc = db_tx_begin(ctx->db, &tx, &ctx->err)))
		return rc;
	if (ctx->idempotency_key &&
	    (rc = db_idem_claim(tx, principal_of(ctx), ctx->idempotency_key,
				ctx->idempotency_hash ? ctx->idempotency_hash : "", &ctx->err))) {
		db_tx_rollback(tx);
		return rc;
	}
	*out = tx;
	return 0;
}

static const char *print_or_null(struct crm_ctx *ctx, const cJSON *tree)
{
	return tree ? json_print(ctx->arena, tree, NULL) : NULL;
}

/* Writes one event of the change to the outbox. */
static int event_put(struct crm_ctx *ctx, struct db_tx *tx, const struct change *c,
		     const char *type, int64_t now)
{
	struct db_event ev = {0};
	char at[TIME_ISO_MAX];
	cJSON *env, *inner;
	size_t n = strlen(type);

	/* TMF event envelope (TMF688 / the v4 *Event resources) */
	ev.event_id = id_new_in(ctx->arena);
	ev.event_type = type;
	ev.api = c->api;
	ev.resource = c->resource;
	ev.org_path = c->org_path ? c->org_path : "/";
	ev.owner_id = c->owner_id;
	ev.at_ms = now;
	time_format_iso(now, at);
	env = json_adopt(ctx->arena, cJSON_CreateObject());
	cJSON_AddStringToObject(env, "eventId", ev.event_id);
	cJSON_AddStringToObject(env, "eventTime", at);
	cJSON_AddStringToObject(env, "eventType", type);
	if (c->field_path && n > 25 && strcmp(type + n - 25, "AttributeValueChangeEvent") == 0)
		cJSON_AddStringToObject(env, "fieldPath", c->field_path);
	inner = cJSON_AddObjectToObject(env, "event");
	if (c->after || c->before)
		cJSON_AddItemToObject(inner, c->event_field,
				      cJSON_Duplicate(c->after ? c->after : c->before, true));
	ev.payload = json_print(ctx->arena, env, NULL);
	return db_outbox_insert(tx, &ev, &ctx->err);
}

int change_record(struct crm_ctx *ctx, struct db_tx *tx, const struct change *c)
{
	int64_t now = time_now_ms();
	struct db_audit_row row = {
		.at_ms = now,
		.actor = ctx->who.login ? ctx->who.login : "system",
		.action = c->action,
		.resource = c->resource,
		.resource_id = c->resource_id,
		.dkey = c->dkey,
		.org_path = c->org_path ? c->org_path : "/",
		.before = print_or_null(ctx, c->before),
		.after = print_or_null(ctx, c->after),
		.request_id = ctx->request_id,
	};
	int rc;

	if ((rc = db_audit_insert(tx, &row, &ctx->err)))
		return rc;
	if (!c->api)
		return 0;
	if ((rc = event_put(ctx, tx, c, c->event_type, now)))
		return rc;
	return c->event_type2 ? event_put(ctx, tx, c, c->event_type2, now) : 0;
}

int change_commit(struct crm_ctx *ctx, struct db_tx *tx)
{
	if (tx == ctx->batch)
		return 0; /* the job commits its batch */
	return db_tx_commit(tx, &ctx->err);
}

void change_abort(struct crm_ctx *ctx, struct db_tx *tx)
{
	if (tx != ctx->batch)
		db_tx_rollback(tx);
}
