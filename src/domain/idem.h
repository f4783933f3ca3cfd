/*
 * Idempotency-Key: a retried POST gets the first response instead of a second change.
 * The key is claimed inside the transaction that makes the change (change_begin), so key
 * and change commit together or not at all; the rendered response is stored right after.
 */
#ifndef CRM_IDEM_H
#define CRM_IDEM_H

#include <stdbool.h>

#include "core/ctx.h"

#define IDEM_KEY_MAX 128

struct idem_replay {
	int status;
	const char *location; /* NULL if none */
	const char *body;
};

/* Looks up ctx->idempotency_key (must be set) for the caller. *out_found = false: go on
 * and run the request. true: *out holds the first response (arena). Errors:
 * CRM_EUNPROC when the key was used for a different request, CRM_ECONFLICT when the
 * first request with this key has not finished, CRM_EINVAL for a malformed key. */
int idem_check(struct crm_ctx *ctx, bool *out_found, struct idem_replay *out);

/* Stores the response of the request that holds the key. */
int idem_complete(struct crm_ctx *ctx, int status, const char *location, const char *body);

#endif
