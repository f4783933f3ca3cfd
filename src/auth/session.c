/*
 * Authentication: a request's token or session cookie becomes ctx->who, with the CSRF
 * check for cookies, the rate limits and the route's permission check in one place.
 * Logins count failures and lock accounts; sessions end when idle and at a fixed age.
 */
#include "auth/auth_int.h"

#include <math.h>
#include <pthread.h>
#include <string.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/ratelimit.h"
#include "core/time.h"
#include "core/banned.h"

#define TOKEN_USE_AUDIT_MS (3600 * 1000) /* token use is audited at most hourly */
#define SESSION_TOUCH_MS   (60 * 1000)	 /* last_seen is written at most this often */

struct auth_settings auth__settings = {
	.session_idle_ms = 30 * 60 * 1000,
	.session_max_ms = 12 * 3600 * 1000,
	.lockout_attempts = 5,
	.lockout_ms = 15 * 60 * 1000,
	.rate_per_s = 0,
	.rate_burst = 0,
	.login_per_min = 0,
};

static struct ratelimit *caller_limit;

int auth_start(const struct auth_settings *s, struct crm_err *err)
{
	auth__settings = *s;
	caller_limit = ratelimit_new(s->rate_per_s, s->rate_burst, 65536);
	if (!caller_limit) {
		auth_stop();
		return crm_err_set(err, CRM_EIO, NULL, "out of memory for the rate limiters");
	}
	return 0;
}

void auth_servers_set(unsigned n)
{
	if (caller_limit)
		ratelimit_share(caller_limit, n);
}

void auth_stop(void)
{
	ratelimit_free(caller_limit);
	caller_limit = NULL;
}

/* What authentication audits: logins, logouts, denials, token use — events, not changes
 * of a resource, so they have an audit row and no outbox event. */
struct audit_note {
	const char *action;
	const char *resource;
	const char *resource_id;
	const char *org_path; /* of the account concerned; NULL: the caller's */
	const cJSON *detail;
};

/* Writes the audit row of n in tx. The actor is the caller (anonymous at a login). */
static int audit_put(struct crm_ctx *ctx, struct db_tx *tx, const struct audit_note *n)
{
	const char *org_path = n->org_path ? n->org_path : ctx->who.org_path;

	return db_audit_insert(
		tx,
		&(struct db_audit_row){
			.at_ms = time_now_ms(),
			.actor = ctx->who.login ? ctx->who.login : "system",
			.action = n->action,
			.resource = n->resource,
			.resource_id = n->resource_id,
			.org_path = org_path ? org_path : "/",
			.after = n->detail ? json_print(ctx->arena, n->detail, NULL) : NULL,
			.request_id = ctx->request_id,
		},
		&ctx->err);
}

/* The same in a transaction of its own. */
static int audit_own(struct crm_ctx *ctx, const struct audit_note *n)
{
	struct db_tx *tx = NULL;
	int rc;

	if ((rc = db_tx_begin(ctx->db, &tx, &ctx->err)))
		return rc;
	if ((rc = audit_put(ctx, tx, n))) {
		db_tx_rollback(tx);
		return rc;
	}
	return db_tx_commit(tx, &ctx->err);
}

/* Writes an audit row that is not a change (login, denial, token use) without touching
 * the request's error: a failure to audit is logged, the answer stays what it was. */
static void audit_event(struct crm_ctx *ctx, const char *action, const char *resource,
			const char *id, cJSON *detail)
{
	struct crm_err saved = ctx->err;

	crm_err_clear(&ctx->err);
	if (detail)
		json_adopt(ctx->arena, detail);
	if (audit_own(ctx, &(struct audit_note){action, resource, id, NULL, detail})) {
		char msg[300];

		log_warn("auth.audit", "audit_failed action=%s message=%s", action,
			 log_quote(ctx->err.message, msg, sizeof(msg)));
	}
	ctx->err = saved;
}

static int rate_check(struct crm_ctx *ctx, struct ratelimit *rl, const char *key, const char *what)
{
	if (!rl || ratelimit_take(rl, key, time_mono_ns() / 1000000, &ctx->retry_after_s))
		return 0;
	return crm_err_set(&ctx->err, CRM_ERATE, NULL, "too many %s; try again in %d seconds", what,
			   ctx->retry_after_s);
}

/*
 * The login rate limit: login_per_min attempts a minute, in bursts of as many, per client
 * address and per login typed — a token bucket per key kept in the database, so that it
 * holds across every server of the database (the request rate limit, which a write per
 * request would cost too much for, is each server's own). The key is hashed: a login
 * typed may be a password typed into the wrong box.
 */
static int login_rate_check(struct crm_ctx *ctx, const char *key)
{
	double rate = auth__settings.login_per_min / 60.0, burst = auth__settings.login_per_min;
	int64_t now = time_now_ms(), updated;
	const char *hash = auth_secret_hash(ctx->arena, key);
	struct db_tx *tx = NULL;
	double tokens, wait_s = 0;
	int rc;

	if (burst <= 0)
		return 0;
	if ((rc = db_tx_begin(ctx->db, &tx, &ctx->err)) ||
	    (rc = db_login_bucket_get(tx, hash, &tokens, &updated, &ctx->err))) {
		db_tx_rollback(tx);
		return rc;
	}
	if (!updated) { /* a new key starts full */
		tokens = burst;
		updated = now;
	}
	if (!ratelimit_bucket_take(&tokens, &updated, rate, burst, now, &wait_s)) {
		db_tx_rollback(tx);
		ctx->retry_after_s = wait_s < 1 ? 1 : (int)ceil(wait_s);
		return crm_err_set(&ctx->err, CRM_ERATE, NULL,
				   "too many %s; try again in %d seconds", "login attempts",
				   ctx->retry_after_s);
	}
	/* a bucket unused for as long as it takes to fill is full again: forgotten */
	if ((rc = db_login_bucket_put(tx, hash, tokens, now, now - (int64_t)(burst / rate * 1000),
				      &ctx->err))) {
		db_tx_rollback(tx);
		return rc;
	}
	return db_tx_commit(tx, &ctx->err);
}

/* Records when a session or token was last used (and audits it when audit is set), in
 * its own transaction and best effort: busy storage must not fail the request itself. */
static void note_use(struct crm_ctx *ctx,
		     int (*touch)(struct db_tx *, const char *, int64_t, struct crm_err *),
		     const char *id, int64_t now, const struct audit_note *audit)
{
	struct crm_err saved = ctx->err;
	struct db_tx *tx = NULL;

	crm_err_clear(&ctx->err);
	if (db_tx_begin(ctx->db, &tx, &ctx->err) == 0 && touch(tx, id, now, &ctx->err) == 0 &&
	    (!audit || audit_put(ctx, tx, audit) == 0))
		db_tx_commit(tx, &ctx->err);
	else
		db_tx_rollback(tx);
	if (ctx->err.code) {
		char msg[300];

		log_warn("auth.use", "not_recorded message=%s",
			 log_quote(ctx->err.message, msg, sizeof(msg)));
	}
	ctx->err = saved;
}

/*
 * A per-thread memo of recent token lookups, so that a system calling with its token
 * thousands of times a second is not looked up in the database each time. An entry holds
 * only while no identity change was committed since it was read (db_identity_generation:
 * a revocation, a disabled user, changed roles or a moved unit through the API take
 * effect at the very next request — through any server, on PostgreSQL, whose identity
 * changes every server hears of) and for at most TOKEN_MEMO_MS (for what the generation does not
 * count: another process's change to a SQLite database, such as `telcrm user disable`).
 */
#define TOKEN_MEMO_SLOTS 32
#define TOKEN_MEMO_MS	 2000

struct token_memo {
	char hash[65];
	uint64_t generation;
	int64_t loaded_ms;
	char token_id[48], user_id[48], login[72], org_id[40], org_path[256];
	char permissions[640], scope[640], status[16];
	bool has_scope;
	int64_t expires_ms, revoked_ms, last_used_ms;
};

static _Thread_local struct token_memo token_memo[TOKEN_MEMO_SLOTS];

static struct token_memo *memo_slot(const char *hash)
{
	unsigned h = 0;

	for (int i = 0; i < 8 && hash[i]; i++)
		h = h * 16 + (unsigned)(hash[i] <= '9' ? hash[i] - '0' : hash[i] - 'a' + 10);
	return &token_memo[h % TOKEN_MEMO_SLOTS];
}

static bool copy(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src ? src : "");

	if (n >= cap)
		return false;
	memcpy(dst, src ? src : "", n + 1);
	return true;
}

/* Fills t and u (the members from_token uses) from a current entry; false if none. */
static bool memo_get(struct crm_ctx *ctx, const char *hash, int64_t now, struct db_token *t,
		     struct db_user *u)
{
	const struct token_memo *m = memo_slot(hash);
	struct arena *a = ctx->arena;

	if (strcmp(m->hash, hash) != 0 || m->generation != db_identity_generation(ctx->db) ||
	    now - m->loaded_ms >= TOKEN_MEMO_MS || now < m->loaded_ms)
		return false;
	memset(t, 0, sizeof(*t));
	memset(u, 0, sizeof(*u));
	t->id = arena_strdup(a, m->token_id);
	t->scope = m->has_scope ? arena_strdup(a, m->scope) : NULL;
	t->expires_ms = m->expires_ms;
	t->revoked_ms = m->revoked_ms;
	t->last_used_ms = m->last_used_ms;
	u->id = arena_strdup(a, m->user_id);
	u->login = arena_strdup(a, m->login);
	u->org_id = arena_strdup(a, m->org_id);
	u->org_path = arena_strdup(a, m->org_path);
	u->permissions = arena_strdup(a, m->permissions);
	u->status = arena_strdup(a, m->status);
	return true;
}

static void memo_put(const char *hash, uint64_t generation, int64_t now, const struct db_token *t,
		     const struct db_user *u)
{
	struct token_memo *m = memo_slot(hash);

	m->hash[0] = '\0';
	if (!copy(m->token_id, sizeof(m->token_id), t->id) ||
	    !copy(m->user_id, sizeof(m->user_id), u->id) ||
	    !copy(m->login, sizeof(m->login), u->login) ||
	    !copy(m->org_id, sizeof(m->org_id), u->org_id) ||
	    !copy(m->org_path, sizeof(m->org_path), u->org_path) ||
	    !copy(m->permissions, sizeof(m->permissions), u->permissions) ||
	    !copy(m->scope, sizeof(m->scope), t->scope) ||
	    !copy(m->status, sizeof(m->status), u->status))
		return; /* too big to keep: looked up each time */
	m->has_scope = t->scope != NULL;
	m->expires_ms = t->expires_ms;
	m->revoked_ms = t->revoked_ms;
	m->last_used_ms = t->last_used_ms;
	m->generation = generation;
	m->loaded_ms = now;
	copy(m->hash, sizeof(m->hash), hash);
}

static int from_token(struct crm_ctx *ctx, const struct auth_request *r)
{
	const char *hash = auth_secret_hash(ctx->arena, r->bearer);
	uint64_t generation = db_identity_generation(ctx->db);
	int64_t now = time_now_ms();
	struct db_token t;
	struct db_user u;
	int rc = 0;

	if (!memo_get(ctx, hash, now, &t, &u)) {
		rc = db_token_get_by_secret(ctx->db, hash, ctx->arena, &t, &u, &ctx->err);
		if (!rc)
			memo_put(hash, generation, now, &t, &u);
	}
	if (rc == CRM_ENOTFOUND) {
		crm_err_clear(&ctx->err);
		return crm_err_set(&ctx->err, CRM_EAUTH, "Authorization", "the token is not valid");
	}
	if (rc)
		return rc;
	if (t.revoked_ms)
		return crm_err_set(&ctx->err, CRM_EAUTH, "Authorization",
				   "the token has been revoked");
	if (t.expires_ms && t.expires_ms <= now)
		return crm_err_set(&ctx->err, CRM_EAUTH, "Authorization", "the token has expired");
	if (strcmp(u.status, "active") != 0)
		return crm_err_set(&ctx->err, CRM_EAUTH, "Authorization",
				   "the token's user is disabled");
	auth__principal_set(ctx, &u, t.scope ? auth_perm_bits(t.scope) : ~(uint64_t)0);
	ctx->who.token_id = t.id;
	if (now - t.last_used_ms >= TOKEN_USE_AUDIT_MS)
		note_use(ctx, db_token_touch, t.id, now,
			 &(struct audit_note){.action = "token.use",
					      .resource = "apiToken",
					      .resource_id = t.id,
					      .org_path = u.org_path});
	return 0;
}

static int session_end(struct crm_ctx *ctx, const char *id_hash)
{
	struct db_tx *tx = NULL;
	int rc;

	if ((rc = db_tx_begin(ctx->db, &tx, &ctx->err)))
		return rc;
	if ((rc = db_session_delete(tx, id_hash, &ctx->err))) {
		db_tx_rollback(tx);
		return rc;
	}
	return db_tx_commit(tx, &ctx->err);
}

static int from_session(struct crm_ctx *ctx, const struct auth_request *r)
{
	const char *hash = auth_secret_hash(ctx->arena, r->session_id);
	int64_t now = time_now_ms(), touch_ms;
	struct db_session s;
	struct db_user u;
	int rc;

	rc = db_session_get(ctx->db, hash, ctx->arena, &s, &u, &ctx->err);
	if (rc == CRM_ENOTFOUND) {
		crm_err_clear(&ctx->err);
		return crm_err_set(&ctx->err, CRM_EAUTH, NULL,
				   "the session has ended; log in again");
	}
	if (rc)
		return rc;
	if (now >= s.expires_ms || now - s.last_seen_ms >= auth__settings.session_idle_ms) {
		session_end(ctx, hash);
		crm_err_clear(&ctx->err);
		return crm_err_set(&ctx->err, CRM_EAUTH, NULL,
				   "the session has expired; log in again");
	}
	if (strcmp(u.status, "active") != 0)
		return crm_err_set(&ctx->err, CRM_EAUTH, NULL, "the account is disabled");
	auth__principal_set(ctx, &u, ~(uint64_t)0);
	ctx->who.session_hash = s.id_hash;
	if (r->unsafe && (!r->csrf || !auth__secret_equal(r->csrf, s.csrf))) {
		audit_event(ctx, "deny", "route",
			    arena_printf(ctx->arena, "%s %s", r->method, r->route),
			    cJSON_CreateString("missing or wrong X-CSRF-Token"));
		return crm_err_set(&ctx->err, CRM_EPERM, "X-CSRF-Token",
				   "a request that changes data needs the session's X-CSRF-Token "
				   "header");
	}
	touch_ms = auth__settings.session_idle_ms / 4;
	if (touch_ms > SESSION_TOUCH_MS)
		touch_ms = SESSION_TOUCH_MS;
	if (now - s.last_seen_ms >= touch_ms)
		note_use(ctx, db_session_touch, hash, now, NULL);
	return 0;
}

int auth_authenticate(struct crm_ctx *ctx, const struct auth_request *r)
{
	uint64_t missing;
	int rc;

	if (r->bearer)
		rc = from_token(ctx, r);
	else if (r->session_id)
		rc = from_session(ctx, r);
	else
		rc = crm_err_set(&ctx->err, CRM_EAUTH, NULL,
				 "authentication required: log in, or send 'Authorization: Bearer "
				 "TOKEN'");
	if (rc)
		return rc;
	/* per user, whatever credential: more tokens must not mean a larger budget */
	if ((rc = rate_check(ctx, caller_limit, ctx->who.user_id, "requests")))
		return rc;
	if ((missing = r->perm & ~ctx->who.perms)) {
		char *names = auth_perm_format(ctx->arena, missing);

		audit_event(ctx, "deny", "route",
			    arena_printf(ctx->arena, "%s %s", r->method, r->route),
			    cJSON_CreateString(names));
		return crm_err_set(&ctx->err, CRM_EPERM, NULL,
				   "permission '%s' is required for %s %s", names, r->method,
				   r->route);
	}
	return 0;
}

/* ---- login, logout, the current session ---- */

#define IN(member) offsetof(struct auth_login_input, member)
const struct json_desc auth_login_desc = {
	NULL,
	sizeof(struct auth_login_input),
	(const struct json_field[]){
		{"login", JSON_STRING, IN(login), JSON_REQUIRED, NULL, 64, NULL},
		{"password", JSON_STRING, IN(password), JSON_REQUIRED | JSON_WRITEONLY, NULL,
		 AUTH_PASSWORD_MAX * 4, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};
#undef IN

#define IN(member) offsetof(struct auth_password_input, member)
const struct json_desc auth_password_desc = {
	NULL,
	sizeof(struct auth_password_input),
	(const struct json_field[]){
		{"currentPassword", JSON_STRING, IN(current_password),
		 JSON_REQUIRED | JSON_WRITEONLY, NULL, AUTH_PASSWORD_MAX * 4, NULL},
		{"newPassword", JSON_STRING, IN(new_password), JSON_REQUIRED | JSON_WRITEONLY, NULL,
		 AUTH_PASSWORD_MAX * 4, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};
#undef IN

#define OUT(member) offsetof(struct auth_session, member)
const struct json_desc auth_session_desc = {
	"Session",
	sizeof(struct auth_session),
	(const struct json_field[]){
		{"via", JSON_STRING, OUT(via), 0, NULL, 0, NULL},
		{"csrfToken", JSON_STRING, OUT(csrf_token), 0, NULL, 0, NULL},
		{"expirationDate", JSON_TIME, OUT(expires_ms), 0, NULL, 0, NULL},
		{"permissions", JSON_STRING_ARRAY, OUT(permissions), 0, NULL, 0, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};
#undef OUT

static void session_fill(struct crm_ctx *ctx, const struct db_user *u, struct auth_session *out)
{
	out->user_id = u->id;
	out->permissions = auth_perm_array(ctx->arena, ctx->who.perms);
}

void auth__principal_set(struct crm_ctx *ctx, const struct db_user *r, uint64_t mask)
{
	ctx->who.user_id = r->id;
	ctx->who.login = r->login;
	ctx->who.org_id = r->org_id;
	ctx->who.org_path = r->org_path;
	ctx->who.perms = auth_perm_depths(r->permissions, ctx->who.depth) & mask;
	ctx->who.pii_masked = !(ctx->who.perms & PERM_PII_READ);
}

int auth_principal_of(struct crm_ctx *ctx, const char *user_id)
{
	struct db_user r;
	int rc;

	if ((rc = db_user_get(ctx->db, NULL, db_scope_all(), user_id, ctx->arena, &r, &ctx->err)))
		return rc;
	if (strcmp(r.status, "active") != 0)
		return crm_err_set(&ctx->err, CRM_EAUTH, NULL, "user '%s' is disabled", r.login);
	auth__principal_set(ctx, &r, ~0ULL);
	return 0;
}

/* Records a failed login in its own transaction, re-reading the counter there so that
 * concurrent failures all count; locks the account at the threshold. The audit row names
 * the account only when the login is one: what was typed for an unknown login is often a
 * password typed into the wrong box, and the audit trail keeps rows forever. client_ip
 * may be NULL. */
static void login_failed(struct crm_ctx *ctx, const char *login, const char *why,
			 const char *client_ip)
{
	int64_t now = time_now_ms();
	struct db_tx *tx = NULL;
	struct db_user u;
	cJSON *detail = json_adopt(ctx->arena, cJSON_CreateObject());
	struct crm_principal who = ctx->who;
	const char *org_path = "/", *account = NULL;
	struct crm_err saved = ctx->err;

	crm_err_clear(&ctx->err);
	if (db_tx_begin(ctx->db, &tx, &ctx->err))
		goto out;
	if (db_user_get_by_login(ctx->db, tx, db_scope_all(), login, ctx->arena, &u, &ctx->err) ==
	    0) {
		org_path = u.org_path;
		account = u.login;
		if (u.locked_until_ms <= now) {
			u.failed_logins++;
			if (u.failed_logins >= auth__settings.lockout_attempts) {
				u.failed_logins = 0;
				u.locked_until_ms = now + auth__settings.lockout_ms;
				cJSON_AddBoolToObject(detail, "locked", true);
			}
			if (db_user_login_state(tx, &u, &ctx->err))
				goto out;
		}
	}
	crm_err_clear(&ctx->err);
	cJSON_AddStringToObject(detail, "reason", account ? why : "unknown login");
	if (client_ip)
		cJSON_AddStringToObject(detail, "clientAddress", client_ip);
	/* the actor is the caller (anonymous at a login); the account tried is the resource,
	 * none for an unknown login */
	if (audit_put(ctx, tx,
		      &(struct audit_note){.action = "login.fail",
					   .resource = "user",
					   .resource_id = account,
					   .org_path = org_path,
					   .detail = detail}) == 0) {
		db_tx_commit(tx, &ctx->err);
		tx = NULL;
	}
out:
	db_tx_rollback(tx);
	if (ctx->err.code) {
		char msg[300];

		log_warn("auth.login", "failure_not_recorded message=%s",
			 log_quote(ctx->err.message, msg, sizeof(msg)));
	}
	ctx->who = who;
	ctx->err = saved;
}

static const char *time_text(struct crm_ctx *ctx, int64_t ms)
{
	char buf[TIME_ISO_MAX];

	time_format_iso(ms, buf);
	return arena_strdup(ctx->arena, buf);
}

int auth_login(struct crm_ctx *ctx, const struct auth_login_input *in, const char *client_ip,
	       struct auth_session *out)
{
	int64_t now = time_now_ms();
	struct db_session s;
	struct db_tx *tx = NULL;
	struct db_user u;
	bool found, ok;
	int rc;

	/* per client address, and per login so that many addresses cannot share one guess
	 * budget against an account */
	if ((rc = login_rate_check(
		     ctx, arena_printf(ctx->arena, "addr:%s", client_ip ? client_ip : "-"))) ||
	    (rc = login_rate_check(ctx, arena_printf(ctx->arena, "login:%s", in->login))))
		return rc;
	rc = db_user_get_by_login(ctx->db, NULL, db_scope_all(), in->login, ctx->arena, &u,
				  &ctx->err);
	if (rc && rc != CRM_ENOTFOUND)
		return rc;
	crm_err_clear(&ctx->err);
	found = rc == 0;
	/* the same argon2id work whether or not the login exists */
	ok = auth__password_verify(found ? u.password_hash : NULL, in->password);
	if (found && u.locked_until_ms > now) {
		login_failed(ctx, in->login, "locked", client_ip);
		return crm_err_set(&ctx->err, CRM_EAUTH, NULL,
				   "the account is locked after repeated failed logins until %s",
				   time_text(ctx, u.locked_until_ms));
	}
	if (!ok) {
		login_failed(ctx, in->login, "wrong password", client_ip);
		return crm_err_set(&ctx->err, CRM_EAUTH, NULL, "login or password is wrong");
	}
	if (strcmp(u.status, "active") != 0) {
		/* the same answer as a wrong password: it must not confirm the password */
		login_failed(ctx, in->login, "disabled", client_ip);
		return crm_err_set(&ctx->err, CRM_EAUTH, NULL, "login or password is wrong");
	}

	auth__principal_set(ctx, &u, ~(uint64_t)0);
	out->id = auth_secret_new(ctx->arena, "");
	s = (struct db_session){
		.id_hash = auth_secret_hash(ctx->arena, out->id),
		.user_id = u.id,
		.csrf = auth_secret_new(ctx->arena, ""),
		.created_ms = now,
		.last_seen_ms = now,
		.expires_ms = now + auth__settings.session_max_ms,
	};
	if ((rc = db_tx_begin(ctx->db, &tx, &ctx->err)))
		return rc;
	/* a lock set by a concurrent failure while the password was being checked wins */
	if ((rc = db_user_get(ctx->db, tx, db_scope_all(), u.id, ctx->arena, &u, &ctx->err)) ||
	    (u.locked_until_ms > now &&
	     (rc = crm_err_set(&ctx->err, CRM_EAUTH, NULL,
			       "the account is locked after repeated failed logins until %s",
			       time_text(ctx, u.locked_until_ms))))) {
		db_tx_rollback(tx);
		return rc;
	}
	u.failed_logins = 0;
	u.locked_until_ms = 0;
	u.last_login_ms = now;
	if ((rc = db_session_expire(tx, now, now - auth__settings.session_idle_ms, &ctx->err)) ||
	    (rc = db_session_insert(tx, &s, &ctx->err)) ||
	    (rc = db_user_login_state(tx, &u, &ctx->err)) ||
	    (rc = audit_put(ctx, tx,
			    &(struct audit_note){.action = "login",
						 .resource = "user",
						 .resource_id = u.login,
						 .org_path = u.org_path}))) {
		db_tx_rollback(tx);
		return rc;
	}
	if ((rc = db_tx_commit(tx, &ctx->err)))
		return rc;
	ctx->who.session_hash = s.id_hash;
	out->csrf_token = s.csrf;
	out->expires_ms = s.expires_ms;
	out->via = "session";
	session_fill(ctx, &u, out);
	return 0;
}

int auth_logout(struct crm_ctx *ctx)
{
	struct db_tx *tx = NULL;
	int rc;

	if (!ctx->who.session_hash)
		return crm_err_set(&ctx->err, CRM_EINVAL, NULL,
				   "this request was made with a token, not a session; revoke the "
				   "token instead");
	if ((rc = db_tx_begin(ctx->db, &tx, &ctx->err)) ||
	    (rc = db_session_delete(tx, ctx->who.session_hash, &ctx->err)) ||
	    (rc = audit_put(ctx, tx,
			    &(struct audit_note){.action = "logout",
						 .resource = "user",
						 .resource_id = ctx->who.login}))) {
		db_tx_rollback(tx);
		return rc;
	}
	return db_tx_commit(tx, &ctx->err);
}

int auth_session_get(struct crm_ctx *ctx, struct auth_session *out)
{
	struct db_user u;
	int rc;

	memset(out, 0, sizeof(*out));
	if (ctx->who.session_hash) {
		struct db_session s;

		if ((rc = db_session_get(ctx->db, ctx->who.session_hash, ctx->arena, &s, &u,
					 &ctx->err)))
			return rc;
		out->via = "session";
		out->csrf_token = s.csrf;
		out->expires_ms = s.expires_ms;
	} else {
		if (!ctx->who.user_id)
			return crm_err_set(&ctx->err, CRM_EAUTH, NULL, "no user is logged in");
		if ((rc = db_user_get(ctx->db, NULL, db_scope_all(), ctx->who.user_id, ctx->arena,
				      &u, &ctx->err)))
			return rc;
		out->via = "token";
	}
	session_fill(ctx, &u, out);
	return 0;
}

int auth_password_change(struct crm_ctx *ctx, const struct auth_password_input *in)
{
	struct db_tx *tx = NULL;
	const char *hash;
	struct db_user u;
	int rc;

	if (!ctx->who.session_hash)
		return crm_err_set(
			&ctx->err, CRM_EPERM, NULL,
			"a password is changed in a logged-in session, not with a token");
	if ((rc = db_user_get(ctx->db, NULL, db_scope_all(), ctx->who.user_id, ctx->arena, &u,
			      &ctx->err)))
		return rc;
	if (u.locked_until_ms > time_now_ms())
		return crm_err_set(&ctx->err, CRM_EAUTH, NULL,
				   "the account is locked after repeated failed logins until %s",
				   time_text(ctx, u.locked_until_ms));
	if (!auth__password_verify(u.password_hash, in->current_password)) {
		/* a guess at the password like any other: it counts towards the lockout */
		login_failed(ctx, u.login, "wrong current password", NULL);
		return crm_err_set(&ctx->err, CRM_EINVAL, "currentPassword",
				   "the current password is wrong");
	}
	if ((rc = auth_password_check(&ctx->err, "newPassword", u.login, in->new_password)) ||
	    (rc = auth_password_hash(ctx->arena, in->new_password, &hash, &ctx->err)))
		return rc;
	if ((rc = db_tx_begin(ctx->db, &tx, &ctx->err)) ||
	    (rc = db_user_get(ctx->db, tx, db_scope_all(), ctx->who.user_id, ctx->arena, &u,
			      &ctx->err)))
		goto fail;
	u.password_hash = hash;
	u.password_changed_ms = u.updated_ms = time_now_ms();
	if ((rc = db_user_update(tx, &u, &ctx->err)) ||
	    (rc = db_session_delete_user(tx, u.id, ctx->who.session_hash, &ctx->err)) ||
	    (rc = audit_put(ctx, tx,
			    &(struct audit_note){.action = "password",
						 .resource = "user",
						 .resource_id = u.id,
						 .org_path = u.org_path})))
		goto fail;
	return db_tx_commit(tx, &ctx->err);
fail:
	db_tx_rollback(tx);
	return rc;
}
