/* Idempotency-Key lookups and completion; the claim itself is in change_begin. */
#include "domain/idem.h"

#include <string.h>

#include "core/arena.h"
#include "store/db.h"
#include "core/banned.h"

static const char *principal_of(const struct crm_ctx *ctx)
{
	return ctx->who.user_id ? ctx->who.user_id : ctx->who.login;
}

int idem_check(struct crm_ctx *ctx, bool *out_found, struct idem_replay *out)
{
	const char *key = ctx->idempotency_key;
	struct db_idem row;
	size_t len = strlen(key);
	int rc;

	*out_found = false;
	if (len == 0 || len > IDEM_KEY_MAX)
		return crm_err_set(&ctx->err, CRM_EINVAL, "Idempotency-Key",
				   "'Idempotency-Key' must be 1 to %d characters", IDEM_KEY_MAX);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)key[i] < 0x21 || (unsigned char)key[i] > 0x7e)
			return crm_err_set(&ctx->err, CRM_EINVAL, "Idempotency-Key",
					   "'Idempotency-Key' must be printable ASCII");
	rc = db_idem_get(ctx->db, principal_of(ctx), key, ctx->arena, &row, &ctx->err);
	if (rc == CRM_ENOTFOUND) {
		crm_err_clear(&ctx->err);
		return 0;
	}
	if (rc)
		return rc;
	if (strcmp(row.request_hash, ctx->idempotency_hash ? ctx->idempotency_hash : "") != 0)
		return crm_err_set(&ctx->err, CRM_EUNPROC, "Idempotency-Key",
				   "idempotency key '%s' was used for a different request", key);
	if (row.status == 0)
		return crm_err_set(&ctx->err, CRM_ECONFLICT, "Idempotency-Key",
				   "the first request with idempotency key '%s' has not finished",
				   key);
	out->status = row.status;
	out->location = row.location;
	out->body = row.body ? row.body : "";
	*out_found = true;
	return 0;
}

int idem_complete(struct crm_ctx *ctx, int status, const char *location, const char *body)
{
	return db_idem_complete(ctx->db, principal_of(ctx), ctx->idempotency_key,
				ctx->idempotency_hash, status, location, body, &ctx->err);
}
