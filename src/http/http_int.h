/*
 * Declarations private to src/http/: the compiled router, query-string parsing, the
 * pieces of the TMF conventions that tests reach directly, the per-route metrics and the
 * server's per-request state. Nothing outside src/http/ (and its tests) includes this.
 */
#ifndef CRM_HTTP_INT_H
#define CRM_HTTP_INT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/http.h"

struct arena;
struct strbuf;

/* ---- router (router.c) ---- */

struct http_router;

/* The outcome of matching a method and path against the compiled tables. */
struct http_match {
	const struct http_route *route;	     /* NULL unless matched */
	size_t index;			     /* of route, for metrics (0 .. count-1) */
	const char *params[HTTP_MAX_PARAMS]; /* percent-decoded, allocated in the arena */
	const char *allow; /* CRM_EMETHOD: the methods the path has, "GET, POST" */
};

/* Compiles the NULL-terminated list of route tables (each ended by a {NULL} route) into
 * a segment tree. Caller frees with http__router_free(). CRM_EINVAL for a malformed or
 * duplicate pattern or more than HTTP_MAX_PARAMS parameters. The tables are borrowed
 * until the router is freed. */
int http__router_new(const struct http_route *const *tables, struct http_router **out,
		     struct crm_err *err);
void http__router_free(struct http_router *r);
/* Number of routes, and route i (in table order). */
size_t http__router_count(const struct http_router *r);
const struct http_route *http__router_route(const struct http_router *r, size_t i);

/* Matches path (raw, without query, percent-encoded) for method (HEAD matches GET).
 * Literal segments win over {params}; a trailing slash is not significant. Errors:
 * CRM_ENOTFOUND (no route has this path), CRM_EMETHOD (out->allow set), CRM_EINVAL
 * (malformed percent-encoding). Read-only on r: thread-safe. */
int http__router_match(const struct http_router *r, const char *method, const char *path,
		       struct arena *a, struct http_match *out, struct crm_err *err);

/* Decodes %XX escapes (and '+' as space when plus) of s[0..len) into a new string in the
 * arena. CRM_EINVAL for a truncated or non-hex escape or an encoded NUL. */
int http__pct_decode(struct arena *a, const char *s, size_t len, bool plus, char **out,
		     struct crm_err *err);

/* The raw target (path and query) as the access log shows it: escapes of letters,
 * digits, '-', '.', '_', '~' (which mean the same as the characters, RFC 3986 §2.3), '@'
 * and ' ' decoded, every other byte as sent. The log masks personal data, and an escaped
 * number (%31%33%39...) or address (a%40example.com) is then masked like a plain one.
 * target itself when it has no '%', else a copy in the arena. */
const char *http__target_for_log(struct arena *a, const char *target);

#define HTTP_MAX_QUERY 64

/* Parses a raw query string ("a=1&b=x%20y", '+' as space) into name/value pairs
 * allocated in the arena; empty pairs are skipped, a name without '=' gets "". CRM_EINVAL
 * for bad escapes or more than HTTP_MAX_QUERY parameters. */
int http__query_parse(struct arena *a, const char *qs, size_t len, struct http_query_param **out,
		      size_t *out_n, struct crm_err *err);

/* ---- TMF conventions (tmf.c) ---- */

/* Parses an If-Match value: "\"3\"", W/"3" → 3; "*" → -1. CRM_EINVAL when malformed. */
int http__if_match_parse(const char *value, int64_t *out_version, struct crm_err *err);

/* Applies a fields= value to tree (an object, or an array of objects): keeps only the
 * named members (dotted names select inside nested objects and arrays of objects), and
 * id, href and @type at the top level. CRM_EINVAL for a malformed value. */
int http__fields_apply(struct arena *a, const char *fields, cJSON *tree, struct crm_err *err);

/* ---- errors (errors.c) ---- */

/* The reason phrase of an HTTP status used by the error table ("Not Found"). */
const char *http__reason_of(int status);

/* The TMF error body for a status that no CRM_E* code has, because only the server's
 * framing checks find it before any handler runs: 414 and 431. err's message and field
 * as http_render_error() shows them. */
void http__render_status(struct crm_ctx *ctx, struct http_res *res, int status,
			 const struct crm_err *err);

/* ---- metrics (metrics.c) ---- */

#define HTTP_METRIC_BUCKETS 13

struct http_route_metrics {
	atomic_uint_fast64_t requests[5];		       /* by status class 1xx..5xx */
	atomic_uint_fast64_t buckets[HTTP_METRIC_BUCKETS + 1]; /* last: +Inf */
	atomic_uint_fast64_t sum_ns;
};

struct http_metrics {
	size_t nroutes;			   /* routes of the router; then the two below */
	struct http_route_metrics *routes; /* nroutes + 2 */
	atomic_int_fast64_t in_flight;
};

/* The slots after the routes: requests that matched nothing, and the web app's files. */
#define HTTP_METRIC_UNMATCHED(m) ((m)->nroutes)
#define HTTP_METRIC_STATIC(m)	 ((m)->nroutes + 1)

void http__metrics_init(struct http_metrics *m, size_t nroutes);
void http__metrics_release(struct http_metrics *m);
/* Counts a finished request of route index (or one of the slots above). Lock-free. */
void http__metrics_record(struct http_metrics *m, size_t index, int status, int64_t ns);
/* The route label and method of slot i: the route's pattern, "unmatched" or "static". */
struct http_server;
void http__metrics_label(const struct http_server *srv, size_t i, const char **out_route,
			 const char **out_method);

/* ---- the web app's files (static.c) ---- */

#define HTTP_STATIC_MAX_FILES 10000
#define HTTP_STATIC_MAX_BYTES (64 << 20)
#define HTTP_STATIC_ETAG_SIZE 35 /* "\"" 32 hex digits "\"" NUL */

/* One file of the bundle, read at start and immutable afterwards. */
struct http_static_file {
	char *path;		  /* URL path: "/assets/app-1a2b.js" */
	const char *content_type; /* by extension: "text/javascript; charset=utf-8" */
	char *data;		  /* the bytes (NUL-terminated for convenience) */
	size_t len;
	char *gz; /* gzip copy; NULL unless compressible and smaller than data */
	size_t gz_len;
	char etag[HTTP_STATIC_ETAG_SIZE];    /* strong: a hash of data */
	char etag_gz[HTTP_STATIC_ETAG_SIZE]; /* of gz, when there is one */
	bool compressible;		     /* text: gets Vary: Accept-Encoding */
	bool html;			     /* gets the security headers */
	bool immutable;			     /* under /assets/: cached for a year */
};

struct http_static;

/* Reads every regular file under dir (recursively; dot-files and symbolic links are
 * skipped) into memory with its content type, ETag and gzip copy. Caller frees with
 * http__static_free(). CRM_ENOTFOUND when dir does not exist; CRM_ETOOBIG beyond
 * HTTP_STATIC_MAX_FILES files or HTTP_STATIC_MAX_BYTES bytes; CRM_EINVAL when dir is not
 * a directory or is nested too deep; CRM_EIO when something cannot be read. */
int http__static_load(const char *dir, struct http_static **out, struct crm_err *err);
/* Frees the files; NULL is a no-op. */
void http__static_free(struct http_static *st);
/* Number of files, file i (sorted by path), and the bytes of files and of gzip copies. */
size_t http__static_count(const struct http_static *st);
const struct http_static_file *http__static_file(const struct http_static *st, size_t i);
void http__static_sizes(const struct http_static *st, size_t *out_bytes, size_t *out_gz_bytes);
/* The file whose URL path is exactly path (decoded); NULL if none. */
const struct http_static_file *http__static_find(const struct http_static *st, const char *path);
/* The content type for a file name by its extension ("application/octet-stream" when
 * unknown); *out_compressible for text types. */
const char *http__static_content_type(const char *name, bool *out_compressible);

/* The file that answers raw_path (percent-encoded, without query) or NULL: "/" is
 * index.html; a file's path is that file; a path under /api/, /tmf-api/, /healthz,
 * /metrics or /assets/ is nothing else; any other path is index.html (the app routes in
 * the browser). Paths with "." or ".." segments, "//", a backslash, a control character
 * or bad escapes are NULL. Decodes in arena a. Read-only on st: thread-safe. */
const struct http_static_file *http__static_resolve(const struct http_static *st, struct arena *a,
						    const char *raw_path);
/* Fills res with f: 200 with the gzip copy when accept_encoding allows it, or 304 when
 * if_none_match names its ETag; ETag, Cache-Control, Vary, and the security headers
 * (X-Content-Type-Options, and for HTML Content-Security-Policy, Referrer-Policy,
 * X-Frame-Options). The header values may be NULL (absent). The body is borrowed from
 * f, which lives until the server stops. */
void http__static_respond(const struct http_static_file *f, const char *accept_encoding,
			  const char *if_none_match, struct http_res *res);

/* ---- server (server.c) and built-in routes (builtin.c) ---- */

/* The longest request target (path and query) served; longer ones get 414. */
#define HTTP_MAX_TARGET 8192
/* The most header lines a request may have; more get 431. */
#define HTTP_MAX_HEADER_LINES 100
/* libmicrohttpd's memory per connection, in multiples of opts.max_header: room for a head
 * well over our limits (its bytes, and some 56 bytes per header line besides), so that we
 * refuse it in JSON rather than libmicrohttpd with an HTML page. */
#define HTTP_POOL_FACTOR 4

struct http_server {
	struct http_server_opts opts;
	struct db *db;
	struct http_router *router;
	struct http_metrics metrics;
	struct http_static *web; /* the web app (NULL: none) */
	struct MHD_Daemon *daemon;
	int port;
	const struct http_route **all_tables; /* builtin first, then opts->tables */
};

/* /healthz and /metrics, added by the server in front of the API tables. */
extern const struct http_route http__builtin_routes[];

/* The server a request belongs to (for the built-in handlers). */
struct http_server *http__server_of(const struct http_req *req);

#endif
