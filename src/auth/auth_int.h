/* Private to auth/: settings in force, secrets, and the conversions the files share. */
#ifndef CRM_AUTH_INT_H
#define CRM_AUTH_INT_H

#include "auth/auth.h"

/* The settings in force (defaults until auth_start). */
extern struct auth_settings auth__settings;

/* secret.c */
int auth__password_hash(struct arena *a, const char *password, const char **out,
			struct crm_err *err);
/* Verifies password against hash; with hash NULL (unknown user) does the same work
 * against a dummy hash and returns false. */
bool auth__password_verify(const char *hash, const char *password);
/* prefix + 64 hex digits of fresh randomness. */
char *auth__secret_new(struct arena *a, const char *prefix);
/* SHA-256 of secret, hex. */
char *auth__secret_hash(struct arena *a, const char *secret);
/* Constant-time equality of two strings. */
bool auth__secret_equal(const char *a, const char *b);

/* user.c */
/* A stored user as the API shows it. */
void auth__user_from_row(struct crm_ctx *ctx, const struct db_user *r, struct auth_user *u);
/* Fills ctx->who from a stored user with permissions narrowed to mask (~0: all). */
void auth__principal_set(struct crm_ctx *ctx, const struct db_user *r, uint64_t mask);

/* role.c */
/* How many active users of the root unit hold admin.roles (read in tx): those who can
 * still change roles. */
int auth__role_admins(struct crm_ctx *ctx, struct db_tx *tx, int64_t *out);
/* After a change made in tx: CRM_ECONFLICT when it left nobody able to change roles and
 * before (auth__role_admins counted ahead of it) was not 0. Locking everyone out of role
 * management would leave only the command line to undo it. */
int auth__role_admins_kept(struct crm_ctx *ctx, struct db_tx *tx, int64_t before);

/* Splits a space-separated list into a JSON string array in the arena. */
struct json_array auth__words(struct arena *a, const char *text);

#endif
