/*
 * The route every server has, added in front of the API tables: GET /healthz (liveness,
 * public, answered from a static buffer so it costs next to nothing); and the handler of
 * GET /metrics (Prometheus text format), which the API's route table declares with the
 * permission it needs.
 */
#include "core/arena.h"
#include "core/str.h"
#include "http/http_int.h"
#include "core/banned.h"

static const char healthz_body[] = "{\"status\":\"ok\"}";

static int healthz(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	(void)ctx;
	(void)req;
	res->status = 200;
	res->content_type = "application/json";
	res->body = healthz_body;
	res->body_len = sizeof(healthz_body) - 1;
	return 0;
}

int http_metrics_respond(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	struct strbuf sb;

	strbuf_init_arena(&sb, ctx->arena, 8192);
	http_metrics_render(http__server_of(req), &sb);
	res->status = 200;
	res->content_type = "text/plain; version=0.0.4; charset=utf-8";
	res->body = sb.buf;
	res->body_len = sb.len;
	return 0;
}

const struct http_route http__builtin_routes[] = {
	{"GET", "/healthz", healthz, 0, HTTP_PUBLIC, NULL},
	{0},
};
