/*
 * API tokens for other systems (BOSS, billing, call centre). A token is "tcrm_" and 64
 * hex digits, shown once at creation; only its SHA-256 is kept. A token acts as its
 * owner, narrowed to its scope, until it expires or is revoked.
 */
#include "domain/token.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/id.h"
#include "core/time.h"
#include "auth/auth.h"
#include "domain/change.h"
#include "core/banned.h"

#define TOKEN_PREFIX	     "tcrm_"
#define TOKEN_DEFAULT_EXPIRY (90LL * 86400 * 1000)
#define TOKEN_MAX_EXPIRY     (2 * 366LL * 86400 * 1000)
#define TOKEN_NAME_MAX	     100

#define OUT(member) offsetof(struct token, member)
const struct json_desc token_desc = {
	"ApiToken",
	sizeof(struct token),
	(const struct json_field[]){
		{"id", JSON_STRING, OUT(id), 0, NULL, 0, NULL},
		{"href", JSON_STRING, OUT(href), 0, NULL, 0, NULL},
		{"name", JSON_STRING, OUT(name), 0, NULL, 0, NULL},
		{"userId", JSON_STRING, OUT(user_id), 0, NULL, 0, NULL},
		{"userLogin", JSON_STRING, OUT(user_login), 0, NULL, 0, NULL},
		{"token", JSON_STRING, OUT(token), 0, NULL, 0, NULL},
		{"scope", JSON_STRING_ARRAY, OUT(scope), 0, NULL, 0, NULL},
		{"status", JSON_STRING, OUT(status), 0, NULL, 0, NULL},
		{"createdDate", JSON_TIME, OUT(created_ms), 0, NULL, 0, NULL},
		{"expirationDate", JSON_TIME, OUT(expires_ms), 0, NULL, 0, NULL},
		{"lastUsed", JSON_TIME, OUT(last_used_ms), 0, NULL, 0, NULL},
		{"revokedDate", JSON_TIME, OUT(revoked_ms), 0, NULL, 0, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};
#undef OUT

#define IN(member) offsetof(struct token_input, member)
const struct json_desc token_create_desc = {
	"ApiToken",
	sizeof(struct token_input),
	(const struct json_field[]){
		{"name", JSON_STRING, IN(name), JSON_REQUIRED, NULL, TOKEN_NAME_MAX, NULL},
		{"userId", JSON_STRING, IN(user_id), 0, NULL, 64, NULL},
		{"scope", JSON_STRING_ARRAY, IN(scope), 0, NULL, PERM_COUNT, NULL},
		{"expiresIn", JSON_STRING, IN(expires_in), 0, NULL, 16, NULL},
		{"expirationDate", JSON_TIME, IN(expiration_ms), 0, NULL, 0, NULL},
		{0},
	},
	IN(present),
};
#undef IN

const char *const token_filterable[] = {"name", "userId", NULL};

int token_duration_parse(const char *text, int64_t *out_ms, struct crm_err *err)
{
	static const struct {
		char unit;
		int64_t ms;
	} units[] = {{'s', 1000}, {'m', 60000}, {'h', 3600000}, {'d', 86400000}};
	size_t n = strlen(text);
	int64_t v = 0;

	for (size_t i = 0; n >= 2 && i + 1 < n; i++) {
		if (text[i] < '0' || text[i] > '9' || v > 1000000)
			goto bad;
		v = v * 10 + (text[i] - '0');
	}
	for (size_t u = 0; n >= 2 && u < sizeof(units) / sizeof(units[0]); u++) {
		if (text[n - 1] == units[u].unit && v > 0) {
			*out_ms = v * units[u].ms;
			return 0;
		}
	}
bad:
	return crm_err_set(err, CRM_EINVAL, "expiresIn",
			   "'%s' is not a duration such as '30d', '12h', '90m' or '45s'", text);
}

static void from_row(struct crm_ctx *ctx, const struct db_token *r, struct token *out)
{
	int64_t now = time_now_ms();

	memset(out, 0, sizeof(*out));
	out->id = r->id;
	out->name = r->name;
	out->user_id = r->user_id;
	out->user_login = r->user_login;
	out->scope = r->scope ? json_words(ctx->arena, r->scope) : (struct json_array){0};
	out->status = r->revoked_ms			      ? "revoked"
		      : r->expires_ms && r->expires_ms <= now ? "expired"
							      : "active";
	out->created_ms = r->created_ms;
	out->expires_ms = r->expires_ms;
	out->last_used_ms = r->last_used_ms;
	out->revoked_ms = r->revoked_ms;
}

static cJSON *to_json(const struct token *t)
{
	return json_encode(&token_desc, t);
}

/* The owner of a new token: the caller, or another user in scope for admin.users. */
static bool is_caller(const struct crm_ctx *ctx, const struct db_user *u)
{
	return ctx->who.user_id && strcmp(u->id, ctx->who.user_id) == 0;
}

static int owner_of(struct crm_ctx *ctx, struct db_tx *tx, const char *user_id, struct db_user *out)
{
	uint64_t beyond;
	int rc;

	if (!user_id || (ctx->who.user_id && strcmp(user_id, ctx->who.user_id) == 0))
		user_id = ctx->who.user_id;
	else if (!(ctx->who.perms & PERM_ADMIN_USERS))
		return crm_err_set(&ctx->err, CRM_EPERM, "userId",
				   "a token for another user needs 'admin.users'");
	if (!user_id)
		return crm_err_set(&ctx->err, CRM_EINVAL, "userId",
				   "'userId' is required: the system is not a user");
	rc = db_user_get(ctx->db, tx, db_scope_for(ctx, PERM_ADMIN_USERS), user_id, ctx->arena, out,
			 &ctx->err);
	if (rc == CRM_ENOTFOUND) {
		crm_err_clear(&ctx->err);
		return crm_err_set(&ctx->err, CRM_EINVAL, "userId", "user '%s' not found", user_id);
	}
	if (rc)
		return rc;
	if (strcmp(out->status, "active") != 0)
		return crm_err_set(&ctx->err, CRM_ECONFLICT, "userId", "user '%s' is disabled",
				   out->login);
	/* acting as someone is changing that someone: only when they hold nothing more */
	if (!is_caller(ctx, out) && (beyond = auth_perm_bits(out->permissions) & ~ctx->who.perms))
		return crm_err_set(&ctx->err, CRM_EPERM, "userId",
				   "user '%s' holds '%s', which you do not; you cannot make their "
				   "token",
				   out->login, auth_perm_format(ctx->arena, beyond));
	return 0;
}

static int expiry_of(struct crm_ctx *ctx, const struct token_input *in, int64_t now, int64_t *out)
{
	int64_t ms = TOKEN_DEFAULT_EXPIRY;
	int rc;

	if (in->expires_in && in->expiration_ms)
		return crm_err_set(&ctx->err, CRM_EINVAL, "expiresIn",
				   "give 'expiresIn' or 'expirationDate', not both");
	if (in->expires_in && (rc = token_duration_parse(in->expires_in, &ms, &ctx->err)))
		return rc;
	if (in->expiration_ms)
		ms = in->expiration_ms - now;
	if (ms <= 0)
		return crm_err_set(&ctx->err, CRM_EINVAL, "expirationDate",
				   "the expiration must be in the future");
	if (ms > TOKEN_MAX_EXPIRY)
		return crm_err_set(&ctx->err, CRM_EINVAL,
				   in->expires_in ? "expiresIn" : "expirationDate",
				   "a token may live at most two years");
	*out = now + ms;
	return 0;
}

int token_create(struct crm_ctx *ctx, const struct token_input *in, struct token *out)
{
	const char *const *names = in->scope.items;
	int64_t now = time_now_ms();
	struct db_tx *tx = NULL;
	struct db_token row;
	struct db_user owner;
	uint64_t scope = 0, one, beyond;
	const char *secret;
	char id[ID_LEN + 1];
	int rc;

	if (!*in->name)
		return crm_err_set(&ctx->err, CRM_EINVAL, "name", "'name' must not be empty");
	for (size_t i = 0; i < in->scope.count; i++) {
		if ((rc = auth_perm_parse(names[i], &one, &ctx->err)))
			return rc;
		scope |= one;
	}
	id_new(id);
	row = (struct db_token){
		.id = arena_strdup(ctx->arena, id),
		.name = in->name,
		.scope = in->scope.count ? auth_perm_format(ctx->arena, scope) : NULL,
		.created_ms = now,
	};
	if ((rc = expiry_of(ctx, in, now, &row.expires_ms)) || (rc = change_begin(ctx, &tx)) ||
	    (rc = owner_of(ctx, tx, in->user_id, &owner)))
		goto fail;
	/* a token never carries more than its owner and its creator hold */
	if ((beyond = scope & ~(auth_perm_bits(owner.permissions) & ctx->who.perms))) {
		rc = crm_err_set(&ctx->err, CRM_EPERM, "scope",
				 "the scope asks for '%s', which the owner or you do not hold",
				 auth_perm_format(ctx->arena, beyond));
		goto fail;
	}
	/* an empty scope means "whatever the owner holds, as it changes" for one's own token
	 * made in a session, and for a token the system (the CLI) makes; a token one user
	 * makes for another, or a token makes, is pinned to what both hold now, so that it
	 * never grows past its maker */
	if (!row.scope && ((ctx->who.user_id && !is_caller(ctx, &owner)) || ctx->who.token_id))
		row.scope = auth_perm_format(ctx->arena,
					     auth_perm_bits(owner.permissions) & ctx->who.perms);
	secret = auth_secret_new(ctx->arena, TOKEN_PREFIX);
	row.user_id = owner.id;
	row.user_login = owner.login;
	row.secret_hash = auth_secret_hash(ctx->arena, secret);
	from_row(ctx, &row, out);
	if ((rc = db_token_insert(tx, &row, &ctx->err)) ||
	    (rc = change_record(ctx, tx,
				&(struct change){.action = "create",
						 .resource = "apiToken",
						 .resource_id = row.id,
						 .org_path = owner.org_path,
						 .after = json_adopt(ctx->arena, to_json(out))})))
		goto fail;
	if ((rc = change_commit(ctx, tx)))
		return rc;
	out->token = secret; /* shown once: never stored, audited or logged */
	return 0;
fail:
	change_abort(ctx, tx);
	return rc;
}

static bool sees_all(const struct crm_ctx *ctx)
{
	return (ctx->who.perms & PERM_ADMIN_USERS) != 0;
}

int token_list(struct crm_ctx *ctx, const struct db_list_opts *opts, struct token **out,
	       size_t *out_n, int64_t *out_total)
{
	struct db_token *rows;
	struct token *items;
	size_t n;
	int rc;

	if ((rc = db_token_list(ctx->db, db_scope_for(ctx, PERM_ADMIN_USERS),
				sees_all(ctx) ? NULL : ctx->who.user_id, opts, ctx->arena, &rows,
				&n, out_total, &ctx->err)))
		return rc;
	items = arena_calloc(ctx->arena, n ? n : 1, sizeof(*items));
	for (size_t i = 0; i < n; i++)
		from_row(ctx, &rows[i], &items[i]);
	*out = items;
	*out_n = n;
	return 0;
}

/* A token the caller may see: their own, or any in scope with admin.users. */
static int load(struct crm_ctx *ctx, struct db_tx *tx, const char *id, struct db_token *out)
{
	int rc = db_token_get(ctx->db, tx, db_scope_for(ctx, PERM_ADMIN_USERS), id, ctx->arena, out,
			      &ctx->err);

	if (rc == 0 && !sees_all(ctx) &&
	    (!ctx->who.user_id || strcmp(out->user_id, ctx->who.user_id) != 0))
		rc = crm_err_set(&ctx->err, CRM_ENOTFOUND, "id", "token '%s' not found", id);
	return rc;
}

int token_get(struct crm_ctx *ctx, const char *id, struct token *out)
{
	struct db_token r;
	int rc;

	if ((rc = load(ctx, NULL, id, &r)))
		return rc;
	from_row(ctx, &r, out);
	return 0;
}

int token_revoke(struct crm_ctx *ctx, const char *id)
{
	struct token before;
	struct db_tx *tx = NULL;
	struct db_token r;
	struct db_user owner;
	uint64_t beyond;
	int rc;

	/* audited under the owner's unit, like the token's creation */
	if ((rc = change_begin(ctx, &tx)) || (rc = load(ctx, tx, id, &r)) ||
	    (rc = db_user_get(ctx->db, tx, db_scope_all(), r.user_id, ctx->arena, &owner,
			      &ctx->err)))
		goto fail;
	/* another user's token: only if that user holds nothing the caller lacks, as for any
	 * other change of that user */
	if (strcmp(r.user_id, ctx->who.user_id ? ctx->who.user_id : "") != 0 &&
	    (beyond = auth_perm_bits(owner.permissions) & ~ctx->who.perms)) {
		rc = crm_err_set(&ctx->err, CRM_EPERM, NULL,
				 "user '%s' holds '%s', which you do not; you cannot revoke their "
				 "token",
				 owner.login, auth_perm_format(ctx->arena, beyond));
		goto fail;
	}
	from_row(ctx, &r, &before);
	if (!r.revoked_ms) {
		r.revoked_ms = time_now_ms();
		if ((rc = db_token_revoke(tx, id, r.revoked_ms, &ctx->err)))
			goto fail;
	}
	if ((rc = change_record(ctx, tx,
				&(struct change){.action = "revoke",
						 .resource = "apiToken",
						 .resource_id = id,
						 .before = json_adopt(ctx->arena, to_json(&before)),
						 .org_path = owner.org_path})))
		goto fail;
	return change_commit(ctx, tx);
fail:
	change_abort(ctx, tx);
	return rc;
}
