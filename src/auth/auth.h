/*
 * Identity and permissions: who is asking (sessions for the browser, API tokens for other
 * systems), what they may do (permissions, which roles group) and what they may see (the
 * org subtree of their unit, with personal data masked without pii.read); passwords as
 * argon2id hashes (libsodium), logins, lockouts and sessions. The records of users, roles
 * and tokens are domain resources (domain/user.h, role.h, token.h) that this layer reads
 * through the store; it sits below the domain and never calls it.
 *
 * Every function takes a struct crm_ctx: results in ctx->arena, errors in ctx->err, the
 * caller's scope from ctx->who. Logins, logouts and denials are audited here, through the
 * store's audit table.
 */
#ifndef CRM_AUTH_H
#define CRM_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ctx.h"
#include "core/json.h"
#include "store/db.h"

/* ---- permissions ---- */

/* One bit per permission (macros: there will be more than an int holds); names, for
 * roles, tokens and the API, in perm.c. */
#define PERM_CUSTOMER_READ   (1ULL << 0)
#define PERM_CUSTOMER_WRITE  (1ULL << 1)
#define PERM_PII_READ	     (1ULL << 2)
#define PERM_ORDER_CREATE    (1ULL << 3)
#define PERM_WORKFLOW_ADMIN  (1ULL << 4)
#define PERM_TICKET_HANDLE   (1ULL << 5)
#define PERM_ANALYTICS_READ  (1ULL << 6)
#define PERM_CAMPAIGN_MANAGE (1ULL << 7)
#define PERM_ADMIN_USERS     (1ULL << 8)
#define PERM_ADMIN_ROLES     (1ULL << 9)
#define PERM_ADMIN_ORG	     (1ULL << 10)
#define PERM_AUDIT_READ	     (1ULL << 11)
#define PERM_HUB_MANAGE	     (1ULL << 12)
#define PERM_METRICS_READ    (1ULL << 13)
#define PERM_CATALOG_MANAGE  (1ULL << 14)
#define PERM_NUMBER_MANAGE   (1ULL << 15)
#define PERM_COUNT	     16

/* The name of bit i (0 <= i < PERM_COUNT), e.g. "customer.read". */
const char *auth_perm_name(int i);
/* One line on what the permission allows. */
const char *auth_perm_description(int i);
/* Parses names separated by spaces or commas; CRM_EINVAL naming an unknown one. */
int auth_perm_parse(const char *names, uint64_t *out, struct crm_err *err);
/* As auth_perm_parse but ignoring unknown names (stored text, trusted). */
uint64_t auth_perm_bits(const char *names);
/* The names of the set bits, space-separated, in bit order. */
char *auth_perm_format(struct arena *a, uint64_t bits);
/* The names as a JSON string array (struct json_array of const char *). */
struct json_array auth_perm_array(struct arena *a, uint64_t bits);

/* ---- depths: how far each permission reaches (core/ctx.h) ---- */

/* "unit", "unitAndBelow", "province", "all" (NULL-terminated), and one of them by value
 * (CRM_DEPTH_DEFAULT is "unitAndBelow"); auth_depth_parse gives CRM_DEPTH_DEFAULT for
 * anything else. */
extern const char *const auth_depth_names[];
const char *auth_depth_name(enum crm_depth d);
enum crm_depth auth_depth_parse(const char *name);
/* Stored permission text, names each with an optional ":depth" ("customer.read:province
 * customer.write"), as bits and the farthest depth of each (CRM_DEPTH_BELOW when none is
 * given). auth_perm_bits reads the same text ignoring depths. */
uint64_t auth_perm_depths(const char *text, uint8_t depth[CRM_DEPTH_BITS]);
/* The stored text of bits with their depths (the default depth is not written; depth
 * NULL: none). */
char *auth_perm_format_depths(struct arena *a, uint64_t bits, const uint8_t depth[CRM_DEPTH_BITS]);

/* ---- settings and lifecycle ---- */

struct auth_settings {
	int64_t session_idle_ms; /* a session unused this long ends */
	int64_t session_max_ms;	 /* and any session ends this long after login */
	int lockout_attempts;	 /* consecutive failed logins that lock an account */
	int64_t lockout_ms;	 /* for this long */
	double rate_per_s;	 /* requests per second per user or token (0: no limit) */
	double rate_burst;	 /* requests allowed at once above the rate */
	double login_per_min;	 /* login attempts per minute per client address */
};

/* Starts the module for a server (rate limiters, settings). Without it the defaults
 * apply and nothing is rate limited (CLI commands). */
int auth_start(const struct auth_settings *s, struct crm_err *err);
void auth_stop(void);
/* How many servers share the database (the event sender counts them): each allows a
 * caller 1/n of the request rate limit, so that the limit holds across all of them. */
void auth_servers_set(unsigned n);

/* ---- passwords ---- */

#define AUTH_PASSWORD_MIN 10
#define AUTH_PASSWORD_MAX 128

/* The policy: AUTH_PASSWORD_MIN..MAX bytes, letters and digits, not the login.
 * CRM_EINVAL on field (e.g. "password") with the reason. */
int auth_password_check(struct crm_err *err, const char *field, const char *login,
			const char *password);
/* The argon2id hash of password (slow by design: never inside a write transaction). */
int auth_password_hash(struct arena *a, const char *password, const char **out,
		       struct crm_err *err);

/* prefix + 64 hex digits of fresh randomness: a session id or a token's secret. */
char *auth_secret_new(struct arena *a, const char *prefix);
/* SHA-256 of secret, hex: what is stored of a secret. */
char *auth_secret_hash(struct arena *a, const char *secret);

/* ---- authentication ---- */

/* What the HTTP layer found on a request. */
struct auth_request {
	const char *bearer;	/* the token of "Authorization: Bearer …", or NULL */
	const char *session_id; /* the session cookie, or NULL */
	const char *csrf;	/* the X-CSRF-Token header, or NULL */
	bool unsafe;		/* the method may change state (needs CSRF with a cookie) */
	const char *client_ip;
	uint64_t perm;		    /* permissions the route requires */
	const char *method, *route; /* for the audit row of a denial */
};

/* Fills ctx->who from a token or session, enforces CSRF, the rate limit and perm.
 * CRM_EAUTH: no credentials, unknown, expired or revoked; CRM_EPERM: a permission
 * missing or a cookie request without its CSRF token (audited); CRM_ERATE: over the
 * rate limit (ctx->retry_after_s set). */
int auth_authenticate(struct crm_ctx *ctx, const struct auth_request *r);

/* Fills ctx->who as the active user user_id would be (permissions, unit and scope,
 * masking), for work done on a user's behalf without a request: event delivery to the
 * user's listeners. CRM_ENOTFOUND for an unknown user, CRM_EAUTH for a disabled one. */
int auth_principal_of(struct crm_ctx *ctx, const char *user_id);

/* ---- sessions ---- */

/* The current caller, as GET /api/v1/session shows it (with the user's record beside it:
 * domain/user.h). */
struct auth_session {
	const char *id; /* the session secret: only in a login's result, for the cookie */
	const char *csrf_token;
	int64_t expires_ms;
	const char *via; /* "session" or "token" */
	const char *user_id;
	struct json_array permissions;
};
extern const struct json_desc auth_session_desc;

struct auth_login_input {
	const char *login;
	const char *password;
};
extern const struct json_desc auth_login_desc;

/* Checks the password (the same work for unknown logins, so timing tells nothing),
 * counts failures, locks after settings.lockout_attempts, and starts a session.
 * CRM_EAUTH "login or password is wrong" or "account is locked until …"; CRM_ERATE
 * when client_ip tried too often. Successes and failures are audited; a failure names
 * the account only when the login is one (never the text typed for an unknown login). */
int auth_login(struct crm_ctx *ctx, const struct auth_login_input *in, const char *client_ip,
	       struct auth_session *out);
/* Ends the caller's session (CRM_EINVAL when the caller used a token). */
int auth_logout(struct crm_ctx *ctx);
/* The caller's own identity. */
int auth_session_get(struct crm_ctx *ctx, struct auth_session *out);

struct auth_password_input {
	const char *current_password;
	const char *new_password;
};
extern const struct json_desc auth_password_desc;
/* Changes the caller's own password (current one required) and ends their other
 * sessions. */
int auth_password_change(struct crm_ctx *ctx, const struct auth_password_input *in);

/* The permission catalogue: name and description of each. */
struct auth_perm_info {
	const char *name;
	const char *description;
};
extern const struct json_desc auth_perm_info_desc;

#endif
