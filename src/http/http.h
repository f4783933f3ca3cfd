/*
 * The HTTP layer: server (libmicrohttpd), route table, per-request context, TMF
 * conventions (errors, paging, fields, filters, ETag) and rendering. Handlers in api/ see
 * only what is declared here; nothing below api/ includes this header.
 */
#ifndef CRM_HTTP_H
#define CRM_HTTP_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ctx.h"
#include "core/json.h"
#include "core/str.h"
#include "store/db.h"

#define HTTP_MAX_PARAMS		4
#define HTTP_MAX_HEADERS	12
#define HTTP_LIST_LIMIT_DEFAULT 100
#define HTTP_LIST_LIMIT_MAX	1000
#define HTTP_LIST_OFFSET_MAX	999999999999999999LL /* 18 digits */

struct http_route;

struct http_query_param {
	const char *name; /* URL-decoded */
	const char *value;
};

struct http_req {
	const char *method;
	const char *path;		     /* without the query string */
	const char *params[HTTP_MAX_PARAMS]; /* values of the pattern's {name} segments, in order */
	const struct http_query_param *query;
	size_t nquery;
	const char *body; /* NUL-terminated; NULL when there is none */
	size_t body_len;
	const struct http_route *route;
	void *conn; /* the server's connection, for header lookups */
};

struct http_header {
	const char *name;
	const char *value;
};

struct http_res {
	int status;
	const char *content_type; /* default "application/json" */
	const char *body;	  /* allocated in the ctx arena (or static) */
	size_t body_len;
	struct http_header headers[HTTP_MAX_HEADERS];
	size_t nheaders;
};

/* A handler parses, calls one domain function, renders, and returns 0 or a CRM_E* code
 * with ctx->err filled; the server turns a code into the TMF error body. */
typedef int (*http_handler)(struct crm_ctx *ctx, struct http_req *req, struct http_res *res);

enum {
	HTTP_PUBLIC = 1 << 0,	  /* no authentication required */
	HTTP_BODY_JSON = 1 << 1,  /* a JSON body is required (415 otherwise, 400 if empty) */
	HTTP_BODY_PATCH = 1 << 2, /* as HTTP_BODY_JSON, also application/merge-patch+json */
	HTTP_NO_REPLAY = 1 << 3,  /* the response holds a secret: Idempotency-Key is ignored,
				     so the response is never stored */
	HTTP_QUERY = 1 << 4,	  /* the handler reads query parameters of its own and refuses
				     those it does not know (lists: http_list_opts); without it a
				     route accepts fields= alone, and any other parameter is 400 */
};

struct http_route {
	const char *method;  /* "GET", "POST", "PATCH", "DELETE", "PUT" */
	const char *pattern; /* "/tmf-api/party/v4/individual/{id}" */
	http_handler handler;
	uint64_t perm; /* permission bits required (0: any authenticated caller) */
	unsigned flags;
	const void *arg; /* for the handler: what it serves (a resource layer's descriptor) */
};

/* ---- request accessors ---- */

/* A request header by case-insensitive name; NULL if absent. Borrowed for the request. */
const char *http_req_header(const struct http_req *req, const char *name);
/* The client's IP address as text ("127.0.0.1", "::1"); "-" when unknown. */
const char *http_req_client_ip(struct crm_ctx *ctx, const struct http_req *req);
/* The value of cookie name from the Cookie header; NULL if absent. In the ctx arena. */
const char *http_req_cookie(struct crm_ctx *ctx, const struct http_req *req, const char *name);
/* The first query parameter with that name; NULL if absent. */
const char *http_req_query(const struct http_req *req, const char *name);

/* Parses the JSON body into a tree in the ctx arena (CRM_EINVAL with position). */
int http_req_json(struct crm_ctx *ctx, const struct http_req *req, cJSON **out);

/* The version named by If-Match ("\"3\"" or W/"3"): *out_version = -1 when the header is
 * absent or "*"; CRM_EINVAL when malformed. */
int http_req_if_match(struct crm_ctx *ctx, const struct http_req *req, int64_t *out_version);

/* ---- TMF list conventions ---- */

/* Parses offset, limit (default HTTP_LIST_LIMIT_DEFAULT, at most HTTP_LIST_LIMIT_MAX) and
 * the attribute filters (name=v1,v2; name.gt= .gte= .lt= .lte=) whose names are in
 * filterable (NULL-terminated). fields, sort, offset and limit are reserved; any other
 * parameter is CRM_EINVAL "unknown filter attribute". Allocated in the ctx arena. */
int http_list_opts(struct crm_ctx *ctx, const struct http_req *req, const char *const *filterable,
		   struct db_list_opts *out);

/* ---- responses ---- */

/* Adds a header; name and value must live as long as the request (arena or static). */
void http_res_header(struct http_res *res, const char *name, const char *value);

/* Renders tree (ownership passes to the arena) as the JSON body with status, applying
 * the request's fields= selection (TMF: id, href and @type are always kept). CRM_EINVAL
 * for a malformed fields parameter. */
int http_render_json(struct crm_ctx *ctx, struct http_req *req, struct http_res *res, int status,
		     cJSON *tree);

/* Encodes obj with desc and renders it; with version >= 0 adds ETag: "version". */
int http_render(struct crm_ctx *ctx, struct http_req *req, struct http_res *res, int status,
		const struct json_desc *desc, const void *obj, int64_t version);

/* Renders a list page: an array of items encoded with desc (items is an array of
 * desc->size structs), X-Total-Count: total (unless negative: not counted),
 * X-Result-Count: n, status 200. */
int http_render_list(struct crm_ctx *ctx, struct http_req *req, struct http_res *res,
		     const struct json_desc *desc, const void *items, size_t n, int64_t total);

/* Renders list (ownership passes to the arena) as a page: X-Total-Count: total (unless
 * negative), X-Result-Count: n, and X-Next-Cursor: next when another page follows. */
int http_render_page(struct crm_ctx *ctx, struct http_req *req, struct http_res *res, cJSON *list,
		     size_t n, int64_t total, const char *next);

/* 201 with Location: location (and the body as http_render). */
int http_render_created(struct crm_ctx *ctx, struct http_req *req, struct http_res *res,
			const struct json_desc *desc, const void *obj, int64_t version,
			const char *location);

/* 204, no body. */
int http_render_empty(struct http_res *res);

/* Fills res with the TMF error body for code (and err's message), with the status from
 * the one table in errors.c. */
void http_render_error(struct crm_ctx *ctx, struct http_res *res, int code,
		       const struct crm_err *err);
/* The HTTP status of a CRM_E* code. */
int http_status_of(int code);

/* ---- server ---- */

struct http_server_opts {
	const char *listen;    /* "127.0.0.1:8080" */
	int threads;	       /* worker threads (0: 8 per CPU, at least 32, at most 256) */
	size_t max_body;       /* bytes; larger bodies get 413 */
	size_t max_header;     /* bytes of request line and headers */
	int request_timeout_s; /* idle connection timeout */
	bool access_log;
	/* The web app's built bundle, read at start and served for GET and HEAD of paths no
	 * route has (NULL or "": none; a directory that does not exist: a warning, none). */
	const char *web_dir;
	const struct http_route *const *tables; /* NULL-terminated list of route tables, each
						   ending with a {NULL} route */
	/* Authenticates a request before its handler and checks the route's permission
	 * (req->route->perm): fills ctx->who, returns 0 or a code (with CRM_ERATE, sets
	 * ctx->retry_after_s for the Retry-After header). Not called for HTTP_PUBLIC
	 * routes. NULL: every request acts as the system principal (unit tests). */
	int (*authenticate)(struct crm_ctx *ctx, struct http_req *req);
};

struct http_server;

/* Starts listening and serving on worker threads. Caller stops with http_server_stop().
 * CRM_EIO (with message) when the address cannot be bound; the codes of loading web_dir
 * (CRM_ETOOBIG over its limits, CRM_EINVAL, CRM_EIO) when it cannot be loaded. */
int http_server_start(const struct http_server_opts *opts, struct db *db, struct http_server **out,
		      struct crm_err *err);
/* Stops accepting, finishes the requests in flight, frees the server. */
void http_server_stop(struct http_server *srv);
/* The port actually bound (useful with port 0). */
int http_server_port(const struct http_server *srv);

/* GET /metrics: the exposition below as the response (route declared by the API). */
int http_metrics_respond(struct crm_ctx *ctx, struct http_req *req, struct http_res *res);

/* Prometheus text exposition of per-route counters and latency histograms and of db
 * stats, appended to sb. */
struct strbuf;
void http_metrics_render(struct http_server *srv, struct strbuf *sb);

#endif
