/* Private to auth/: settings in force, secrets, and the conversions the files share. */
#ifndef CRM_AUTH_INT_H
#define CRM_AUTH_INT_H

#include "auth/auth.h"

/* The settings in force (defaults until auth_start). */
extern struct auth_settings auth__settings;

/* secret.c */
/* Verifies password against hash; with hash NULL (unknown user) does the same work
 * against a dummy hash and returns false. */
bool auth__password_verify(const char *hash, const char *password);
/* Constant-time equality of two strings. */
bool auth__secret_equal(const char *a, const char *b);

/* session.c */
/* Fills ctx->who from a stored user with permissions narrowed to mask (~0: all). */
void auth__principal_set(struct crm_ctx *ctx, const struct db_user *r, uint64_t mask);

#endif
