/*
 * API tokens for other systems: made by a user for themselves (or, with admin.users, for
 * another user in scope), narrowed to a scope within the owner's permissions, listed
 * without their secret, revoked. auth.h checks them on each request.
 */
#ifndef CRM_TOKEN_H
#define CRM_TOKEN_H

#include <stdint.h>

#include "core/ctx.h"
#include "core/json.h"
#include "store/db.h"

struct token {
	const char *id;
	const char *href; /* set by the API */
	const char *name;
	const char *user_id;
	const char *user_login;
	const char *token;	 /* the secret: only in the result of token_create */
	struct json_array scope; /* empty: the owner's permissions */
	const char *status;	 /* active, expired, revoked */
	int64_t created_ms, expires_ms, last_used_ms, revoked_ms;
};
struct token_input {
	uint64_t present;
	const char *name;
	const char *user_id; /* another user's token: needs admin.users */
	struct json_array scope;
	const char *expires_in; /* "30d", "12h", "90m"; default 90d */
	int64_t expiration_ms;	/* or an explicit time */
};
extern const struct json_desc token_desc;
extern const struct json_desc token_create_desc;
extern const char *const token_filterable[];

/* Creates a token for the caller (or in->user_id, with admin.users, in scope); the scope
 * must be within the owner's permissions. out->token holds the secret, shown once. */
int token_create(struct crm_ctx *ctx, const struct token_input *in, struct token *out);
/* The caller's own tokens; with admin.users, every token of users in scope. */
int token_list(struct crm_ctx *ctx, const struct db_list_opts *opts, struct token **out,
	       size_t *out_n, int64_t *out_total);
int token_get(struct crm_ctx *ctx, const char *id, struct token *out);
/* Revokes; effective on the token's next request. */
int token_revoke(struct crm_ctx *ctx, const char *id);

/* Parses "30d", "12h", "90m", "45s" into milliseconds; CRM_EINVAL otherwise. */
int token_duration_parse(const char *text, int64_t *out_ms, struct crm_err *err);

#endif
