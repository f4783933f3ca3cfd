/*
 * /api/v1/session: log in (a session cookie for the browser), who am I, log out, change
 * my password; and the authentication hook the server runs before every other route.
 */
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "auth/auth.h"
#include "core/arena.h"
#include "core/time.h"
#include "domain/user.h"
#include "core/banned.h"

#define COOKIE "telcrm_session"

/* Secure is added when a TLS-terminating proxy says the browser used HTTPS. */
static const char *cookie(struct crm_ctx *ctx, struct http_req *req, const char *value,
			  int64_t max_age_s)
{
	const char *proto = http_req_header(req, "X-Forwarded-Proto");
	bool tls = proto && strcasecmp(proto, "https") == 0;

	return arena_printf(ctx->arena,
			    COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld%s", value,
			    (long long)max_age_s, tls ? "; Secure" : "");
}

int api_authenticate(struct crm_ctx *ctx, struct http_req *req)
{
	const char *authz = http_req_header(req, "Authorization");
	const char *m = req->method;
	struct auth_request r = {
		.session_id = http_req_cookie(ctx, req, COOKIE),
		.csrf = http_req_header(req, "X-CSRF-Token"),
		.unsafe = strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0 &&
			  strcmp(m, "OPTIONS") != 0,
		.client_ip = http_req_client_ip(ctx, req),
		.perm = req->route->perm,
		.method = m,
		.route = req->route->pattern,
	};

	if (authz) {
		if (strncasecmp(authz, "Bearer ", 7) != 0 || !authz[7])
			return crm_err_set(&ctx->err, CRM_EAUTH, "Authorization",
					   "the Authorization header must be 'Bearer TOKEN'");
		r.bearer = authz + 7;
		r.session_id = NULL; /* a token, when given, is what counts */
	}
	return auth_authenticate(ctx, &r);
}

/* The session as JSON, with the user's own record (masked as the user sees it). */
static int render(struct crm_ctx *ctx, struct http_req *req, struct http_res *res, int status,
		  const struct auth_session *s)
{
	struct user u;
	cJSON *tree;
	int rc;

	if ((rc = res_get(ctx, &user_res, s->user_id, &u)))
		return rc;
	tree = json_encode(&auth_session_desc, s);
	cJSON_AddItemToObject(tree, "user", res_render(ctx, &user_res, &u, ctx->who.pii_masked));
	if (status == 201)
		http_res_header(res, "Location", "/api/v1/session");
	return http_render_json(ctx, req, res, status, tree);
}

static int login(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	struct auth_login_input in;
	struct auth_session s;
	cJSON *body;
	int rc;

	if ((rc = http_req_json(ctx, req, &body)) ||
	    (rc = json_decode(ctx->arena, body, &auth_login_desc, &in, JSON_CREATE, &ctx->err)) ||
	    (rc = auth_login(ctx, &in, http_req_client_ip(ctx, req), &s)))
		return rc;
	http_res_header(res, "Set-Cookie",
			cookie(ctx, req, s.id, (s.expires_ms - time_now_ms()) / 1000));
	return render(ctx, req, res, 201, &s);
}

static int get(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	struct auth_session s;
	int rc;

	if ((rc = auth_session_get(ctx, &s)))
		return rc;
	return render(ctx, req, res, 200, &s);
}

static int logout(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	int rc;

	if ((rc = auth_logout(ctx)))
		return rc;
	http_res_header(res, "Set-Cookie", cookie(ctx, req, "", 0));
	return http_render_empty(res);
}

static int password(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	struct auth_password_input in;
	cJSON *body;
	int rc;

	if ((rc = http_req_json(ctx, req, &body)) ||
	    (rc = json_decode(ctx->arena, body, &auth_password_desc, &in, JSON_CREATE,
			      &ctx->err)) ||
	    (rc = auth_password_change(ctx, &in)))
		return rc;
	return http_render_empty(res);
}

const struct http_route api_session_routes[] = {
	{"POST", "/api/v1/session", login, 0, HTTP_PUBLIC | HTTP_BODY_JSON | HTTP_NO_REPLAY, NULL},
	{"GET", "/api/v1/session", get, 0, 0, NULL},
	{"DELETE", "/api/v1/session", logout, 0, 0, NULL},
	{"POST", "/api/v1/session/password", password, 0, HTTP_BODY_JSON | HTTP_NO_REPLAY, NULL},
	{0},
};
