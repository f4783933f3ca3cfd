/*
 * The server: libmicrohttpd with one epoll loop per worker thread. Per request it makes
 * the arena and context, collects the body within its limit, matches the route, checks
 * content type, identity and permission, handles Idempotency-Key, calls the handler and
 * turns its code into a response (or, for a path no route has, answers from the web app's
 * files); after the response it records metrics and the access log and frees the arena. See
 * README.md for the lifecycle and why we answer late.
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/msg.h"
#include "core/mem.h"
#include "core/time.h"
#include "domain/idem.h"
#include "http/http_int.h"
#include "core/banned.h"

/* The state of one request, allocated in its own arena. */
struct request {
	struct http_req req;
	struct http_res res;
	struct crm_ctx ctx;
	struct http_server *srv;
	struct strbuf body;
	size_t received; /* body bytes seen, kept or not */
	const char *uri; /* raw request target, with the query */
	size_t route_index;
	int64_t t0_ns;
	bool started;
	bool too_big;
};

struct server_priv {
	struct http_server pub;
	pthread_key_t thread_key; /* set on each worker thread; its destructor runs at exit */
	atomic_bool stopping;	  /* answer with Connection: close from now on */
};

/* One spare arena per worker thread: a request reuses the previous one's first block
 * instead of calling malloc, which matters for /healthz-sized requests. */
static _Thread_local struct arena *spare_arena;

struct http_server *http__server_of(const struct http_req *req)
{
	const struct request *r =
		(const struct request *)(const void *)((const char *)req -
						       offsetof(struct request, req));

	return r->srv;
}

static void thread_end(void *p)
{
	struct http_server *srv = p;

	arena_free(spare_arena);
	spare_arena = NULL;
	if (srv->db)
		db_thread_done(srv->db);
}

static struct arena *arena_take(void)
{
	struct arena *a = spare_arena;

	spare_arena = NULL;
	return a ? a : arena_new(0);
}

static void arena_give_back(struct arena *a)
{
	if (spare_arena) {
		arena_free(a);
		return;
	}
	arena_reset(a);
	spare_arena = a;
}

/* MHD_OPTION_URI_LOG_CALLBACK: called with the raw request target before MHD parses or
 * unescapes it; what we return becomes the request's state. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct server_priv *sp = cls;
	struct arena *a = arena_take();
	struct request *r = arena_calloc(a, 1, sizeof(*r));

	if (!pthread_getspecific(sp->thread_key))
		pthread_setspecific(sp->thread_key, &sp->pub);
	r->t0_ns = time_mono_ns();
	r->srv = &sp->pub;
	r->ctx.arena = a;
	r->ctx.db = sp->pub.db;
	r->uri = arena_strdup(a, uri ? uri : "");
	r->req.conn = conn;
	r->route_index = sp->pub.metrics.nroutes;
	atomic_fetch_add_explicit(&sp->pub.metrics.in_flight, 1, memory_order_relaxed);
	return r;
}

/* MHD unescapes the path itself unless told not to; we decode per segment instead, so
 * that an escaped '/' inside an id stays inside it. */
static size_t no_unescape(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return strlen(s);
}

/* MHD_OPTION_EXTERNAL_LOGGER: MHD's own complaints (a 431, a reset connection) as log
 * lines like every other. */
static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512], quoted[600];
	size_t n;

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '.'))
		msg[--n] = '\0';
	log_warn("http.mhd", "message=%s", log_quote(msg, quoted, sizeof(quoted)));
}

static void add_header(struct MHD_Response *resp, const char *name, const char *value)
{
	if (MHD_add_response_header(resp, name, value) == MHD_NO)
		log_warn("http.header", "name=%s dropped", name);
}

static enum MHD_Result respond(struct request *r, struct MHD_Connection *conn, bool close)
{
	struct http_res *res = &r->res;
	struct MHD_Response *resp;
	enum MHD_Result ret;
	bool cached = false;

	/* the body is static or in the request arena, which lives until the request is
	 * completed (after the last byte is sent): MHD may keep a pointer */
	resp = MHD_create_response_from_buffer(res->body_len, (void *)(uintptr_t)res->body,
					       MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	add_header(resp, "X-Request-Id", r->ctx.request_id);
	if (res->status != 304 && (res->body_len || res->status != 204))
		add_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
			   res->content_type ? res->content_type : "application/json");
	for (size_t i = 0; i < res->nheaders; i++) {
		add_header(resp, res->headers[i].name, res->headers[i].value);
		cached |= strcasecmp(res->headers[i].name, MHD_HTTP_HEADER_CACHE_CONTROL) == 0;
	}
	/* API answers are never cached; the web app's files say how they may be */
	if (!cached)
		add_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (close)
		add_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
	ret = MHD_queue_response(conn, (unsigned)res->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void fail(struct request *r, int code)
{
	if (!r->ctx.err.code)
		crm_err_set(&r->ctx.err, code, NULL, "%s", http__reason_of(http_status_of(code)));
	http_render_error(&r->ctx, &r->res, code, &r->ctx.err);
	if (code == CRM_ERATE && r->ctx.retry_after_s > 0)
		http_res_header(&r->res, "Retry-After",
				arena_printf(r->ctx.arena, "%d", r->ctx.retry_after_s));
	if (code == CRM_EAUTH)
		http_res_header(&r->res, "WWW-Authenticate", "Bearer realm=\"telcrm\"");
}

/* Media type of a Content-Type value, ignoring parameters such as charset. */
static bool media_is(const char *ct, const char *type)
{
	size_t n = strlen(type);

	if (!ct || strncasecmp(ct, type, n) != 0)
		return false;
	ct += n;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	return *ct == '\0' || *ct == ';';
}

/* What the request head says about its size and framing, gathered in one pass. */
struct head_scan {
	size_t bytes;		/* of the header lines, as sent less optional whitespace */
	size_t lines;		/* header lines */
	size_t content_lengths; /* Content-Length values, over all such headers */
	uint64_t content_length;
	bool content_length_bad;      /* a value that is not a whole number */
	bool name_space;	      /* white space between a header's name and its colon */
	bool content_length_conflict; /* two values that differ */
	size_t transfer_encodings;    /* Transfer-Encoding headers */
	const char *transfer_encoding;
};

static bool name_is(const char *key, size_t key_size, const char *name)
{
	return key_size == strlen(name) && strncasecmp(key, name, key_size) == 0;
}

/* Each element of a Content-Length list ("5", or "5, 5" as some proxies merge them). */
static void scan_content_length(struct head_scan *h, const char *value, size_t len)
{
	struct str rest = {value, len}, item;
	int64_t n;

	do {
		item = str_trim(str_split(rest, ',', &rest));
		if (!str_to_i64(item, 0, INT64_MAX, &n)) {
			h->content_length_bad = true;
			continue;
		}
		if (h->content_lengths++ && (uint64_t)n != h->content_length)
			h->content_length_conflict = true;
		h->content_length = (uint64_t)n;
	} while (rest.p);
}

static enum MHD_Result scan_header(void *cls, enum MHD_ValueKind kind, const char *key,
				   size_t key_size, const char *value, size_t value_size)
{
	struct head_scan *h = cls;

	(void)kind;
	h->bytes += key_size + 2 + value_size + 2; /* "name: value" CRLF */
	h->lines++;
	/* libmicrohttpd keeps it in the name: "Content-Length : 5" would not frame the
	 * body here, yet might in a proxy that drops the space */
	if (memchr(key, ' ', key_size) || memchr(key, '\t', key_size))
		h->name_space = true;
	if (name_is(key, key_size, MHD_HTTP_HEADER_CONTENT_LENGTH)) {
		scan_content_length(h, value, value_size);
	} else if (name_is(key, key_size, MHD_HTTP_HEADER_TRANSFER_ENCODING)) {
		h->transfer_encodings++;
		h->transfer_encoding = value;
	}
	return MHD_YES;
}

/*
 * The checks of the first call, made before anything else: the target and head limits
 * (README: Limits) and the framing rules of RFC 9112 §5.1 and §6 that libmicrohttpd
 * does not enforce. libmicrohttpd reads only the first Content-Length and ignores it next to any
 * Transfer-Encoding, and reads a body of unknown coding until the connection closes; a
 * request it would frame differently from a proxy in front of us is refused (400), so
 * that no part of its body can be taken for another request. 0, or the status to answer
 * with and r->ctx.err set.
 */
static int check_head(struct request *r, struct MHD_Connection *conn, const char *method,
		      const char *version)
{
	const union MHD_ConnectionInfo *info;
	struct crm_err *err = &r->ctx.err;
	struct head_scan h = {0};
	size_t target = strlen(r->uri);

	if (target > HTTP_MAX_TARGET) {
		crm_err_set(err, CRM_EINVAL, NULL, "request target is longer than %d bytes",
			    HTTP_MAX_TARGET);
		return 414;
	}
	MHD_get_connection_values_n(conn, MHD_HEADER_KIND, scan_header, &h);
	if ((info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE)))
		h.bytes = info->header_size; /* as received, every byte */
	else /* the request line, the header lines and the empty line that ends them */
		h.bytes += strlen(method) + 1 + target + 1 + strlen(version) + 2 + 2;
	if (h.bytes > r->srv->opts.max_header) {
		crm_err_set(err, CRM_EINVAL, NULL,
			    "request line and headers are larger than %zu bytes",
			    r->srv->opts.max_header);
		return 431;
	}
	if (h.lines > HTTP_MAX_HEADER_LINES) {
		crm_err_set(err, CRM_EINVAL, NULL, "a request may have at most %d headers",
			    HTTP_MAX_HEADER_LINES);
		return 431;
	}
	if (h.name_space) {
		crm_err_set(err, CRM_EINVAL, NULL,
			    "a header name may not be followed by white space before its colon");
		return 400;
	}
	if (h.transfer_encodings && h.content_lengths + h.content_length_bad) {
		crm_err_set(err, CRM_EINVAL, "Transfer-Encoding",
			    "a request may not have both Content-Length and Transfer-Encoding");
		return 400;
	}
	if (h.transfer_encodings > 1 ||
	    (h.transfer_encodings && strcasecmp(h.transfer_encoding, "chunked") != 0)) {
		crm_err_set(err, CRM_EINVAL, "Transfer-Encoding",
			    "Transfer-Encoding '%.64s' is not supported; only 'chunked' is",
			    h.transfer_encodings > 1 ? "(more than one header)"
						     : h.transfer_encoding);
		return 400;
	}
	if (h.transfer_encodings && strcmp(version, MHD_HTTP_VERSION_1_0) == 0) {
		crm_err_set(err, CRM_EINVAL, "Transfer-Encoding",
			    "Transfer-Encoding is not allowed in an HTTP/1.0 request");
		return 400;
	}
	if (h.content_length_conflict || h.content_length_bad) {
		crm_err_set(err, CRM_EINVAL, "Content-Length",
			    h.content_length_bad ? "Content-Length must be a whole number of bytes"
						 : "Content-Length headers disagree");
		return 400;
	}
	return 0;
}

static int check_body(struct request *r, const struct http_route *route)
{
	const char *ct;

	if (!(route->flags & (HTTP_BODY_JSON | HTTP_BODY_PATCH)))
		return 0;
	if (!r->req.body_len)
		return crm_err_set(&r->ctx.err, CRM_EINVAL, NULL, "a JSON body is required");
	ct = http_req_header(&r->req, MHD_HTTP_HEADER_CONTENT_TYPE);
	if (media_is(ct, "application/json") ||
	    ((route->flags & HTTP_BODY_PATCH) && media_is(ct, "application/merge-patch+json")))
		return 0;
	return crm_err_set(&r->ctx.err, CRM_EMEDIA, "Content-Type",
			   "content type '%.64s' is not supported here; use %s", ct ? ct : "",
			   (route->flags & HTTP_BODY_PATCH) ? "'application/merge-patch+json' or "
							      "'application/json'"
							    : "'application/json'");
}

/* A parameter the route does not read is a mistake the caller should hear of, not one to
 * ignore: a misspelt filter would otherwise answer as if there were none. */
static int check_query(struct request *r, const struct http_route *route)
{
	if (route->flags & HTTP_QUERY)
		return 0;
	for (size_t i = 0; i < r->req.nquery; i++)
		if (strcmp(r->req.query[i].name, "fields") != 0)
			return crm_err_set(&r->ctx.err, CRM_EINVAL, r->req.query[i].name,
					   "unknown query parameter '%.64s'", r->req.query[i].name);
	return 0;
}

static int identify(struct request *r, const struct http_route *route)
{
	const struct http_server_opts *o = &r->srv->opts;
	struct crm_ctx *ctx = &r->ctx;

	if (route->flags & HTTP_PUBLIC) {
		ctx->who.login = "anonymous";
		ctx->who.org_path = "/";
		ctx->who.perms = 0;
		ctx->who.pii_masked = true;
		return 0;
	}
	if (o->authenticate)
		return o->authenticate(ctx, &r->req);
	/* no identity configured (unit tests): the system principal */
	ctx->who.login = "system";
	ctx->who.org_path = "/";
	ctx->who.perms = ~(uint64_t)0;
	return 0;
}

/* FNV-1a 64 over method, path and body: what a retried request must repeat exactly. */
static const char *request_hash(struct request *r)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	const char *parts[3] = {r->req.method, r->req.path, r->req.body ? r->req.body : ""};
	size_t lens[3] = {strlen(parts[0]), strlen(parts[1]), r->req.body_len};

	for (size_t i = 0; i < 3; i++) {
		for (size_t j = 0; j < lens[i]; j++) {
			h ^= (unsigned char)parts[i][j];
			h *= 0x100000001b3ULL;
		}
		h ^= 0xff; /* separator, so "ab"+"c" differs from "a"+"bc" */
		h *= 0x100000001b3ULL;
	}
	return arena_printf(r->ctx.arena, "%016llx", (unsigned long long)h);
}

/* Idempotency-Key on POST: *out_replayed when the first response was sent back. */
static int idem_before(struct request *r, bool *out_replayed)
{
	const char *key = http_req_header(&r->req, "Idempotency-Key");
	struct idem_replay rep;
	bool found = false;
	int rc;

	*out_replayed = false;
	if (!key || strcmp(r->req.method, "POST") != 0 || (r->req.route->flags & HTTP_NO_REPLAY))
		return 0;
	r->ctx.idempotency_key = key;
	r->ctx.idempotency_hash = request_hash(r);
	if ((rc = idem_check(&r->ctx, &found, &rep)) || !found)
		return rc;
	r->res.status = rep.status;
	r->res.content_type = "application/json";
	r->res.body = rep.body;
	r->res.body_len = strlen(rep.body);
	if (rep.location)
		http_res_header(&r->res, "Location", rep.location);
	http_res_header(&r->res, "Idempotent-Replayed", "true");
	*out_replayed = true;
	return 0;
}

static void idem_after(struct request *r)
{
	const char *location = NULL;

	if (!r->ctx.idempotency_key || r->res.status < 200 || r->res.status > 299)
		return;
	for (size_t i = 0; i < r->res.nheaders; i++)
		if (strcasecmp(r->res.headers[i].name, "Location") == 0)
			location = r->res.headers[i].value;
	if (idem_complete(&r->ctx, r->res.status, location, r->res.body ? r->res.body : "")) {
		char msg[300];

		log_warn("http.idempotency", "key_store_failed message=%s",
			 log_quote(r->ctx.err.message, msg, sizeof(msg)));
		crm_err_clear(&r->ctx.err);
	}
}

static bool is_get(const char *method)
{
	return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
}

/* No route has the path: the web app answers it when it has a file for it (README: The
 * web app). GET and HEAD only; other methods get 405. Query strings play no part. */
static int serve_static(struct request *r)
{
	struct http_server *srv = r->srv;
	const struct http_static_file *f;

	if (!srv->web || !(f = http__static_resolve(srv->web, r->ctx.arena, r->req.path)))
		return CRM_ENOTFOUND; /* ctx->err keeps the router's message */
	crm_err_clear(&r->ctx.err);
	if (!is_get(r->req.method)) {
		http_res_header(&r->res, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
		return crm_err_set(&r->ctx.err, CRM_EMETHOD, NULL,
				   "method '%s' is not allowed on '%s'", r->req.method,
				   r->req.path);
	}
	r->route_index = HTTP_METRIC_STATIC(&srv->metrics);
	http__static_respond(f, http_req_header(&r->req, MHD_HTTP_HEADER_ACCEPT_ENCODING),
			     http_req_header(&r->req, MHD_HTTP_HEADER_IF_NONE_MATCH), &r->res);
	return 0;
}

static void dispatch(struct request *r)
{
	struct http_server *srv = r->srv;
	struct crm_ctx *ctx = &r->ctx;
	struct http_req *req = &r->req;
	const char *q = strchr(r->uri, '?');
	struct http_query_param *query = NULL;
	struct http_match m;
	bool replayed = false;
	int rc;

	req->path = q ? arena_strndup(ctx->arena, r->uri, (size_t)(q - r->uri)) : r->uri;
	if (r->too_big) {
		rc = crm_err_set(&ctx->err, CRM_ETOOBIG, NULL,
				 "request body is larger than %zu bytes", srv->opts.max_body);
		goto out;
	}
	if ((rc = http__router_match(srv->router, req->method, req->path, ctx->arena, &m,
				     &ctx->err))) {
		if (rc == CRM_ENOTFOUND)
			rc = serve_static(r);
		else if (rc == CRM_EMETHOD)
			http_res_header(&r->res, MHD_HTTP_HEADER_ALLOW, m.allow);
		goto out;
	}
	r->route_index = m.index;
	req->route = m.route;
	memcpy(req->params, m.params, sizeof(req->params));
	if (q && (rc = http__query_parse(ctx->arena, q + 1, strlen(q + 1), &query, &req->nquery,
					 &ctx->err)))
		goto out;
	req->query = query;
	if ((rc = check_body(r, m.route)) || (rc = check_query(r, m.route)) ||
	    (rc = identify(r, m.route)) || (rc = idem_before(r, &replayed)) || replayed)
		goto out;
	r->res.status = 200;
	if ((rc = m.route->handler(ctx, req, &r->res)))
		goto out;
	idem_after(r);
out:
	if (rc)
		fail(r, rc);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	struct server_priv *sp = cls;
	struct request *r = *con_cls;

	(void)url;
	if (!r) /* no URI log call: never expected, but never crash on it */
		*con_cls = r = on_uri(sp, url, conn);
	if (!r->started) {
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							     MHD_HTTP_HEADER_CONTENT_LENGTH);
		int64_t n;
		int status;

		r->started = true;
		r->req.method = method;
		id_new(r->ctx.request_id);
		log_request_id_set(r->ctx.request_id);
		r->ctx.lang = msg_lang_of(
			MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Accept-Language"));
		/* answer later: queueing a response on the first call makes MHD close
		 * keep-alive connections. A head over its limits or with ambiguous framing,
		 * and a declared oversize body, are the exceptions: refuse them now, before
		 * 100-continue and before reading any of the body, and close */
		if ((status = check_head(r, conn, method, version ? version : ""))) {
			r->req.path = r->uri;
			if (status == 400)
				fail(r, CRM_EINVAL);
			else
				http__render_status(&r->ctx, &r->res, status, &r->ctx.err);
			return respond(r, conn, true);
		}
		if (cl && str_to_i64(str_from(cl), 0, INT64_MAX, &n) &&
		    (uint64_t)n > sp->pub.opts.max_body) {
			r->too_big = true;
			r->req.path = r->uri;
			dispatch(r);
			return respond(r, conn, true);
		}
		strbuf_init_arena(
			&r->body, r->ctx.arena,
			cl && str_to_i64(str_from(cl), 0, (int64_t)sp->pub.opts.max_body, &n) &&
					n > 0
				? (size_t)n + 1
				: 0);
		return MHD_YES;
	}
	log_request_id_set(r->ctx.request_id);
	if (*upload_data_size) {
		r->received += *upload_data_size;
		if (r->received > sp->pub.opts.max_body)
			r->too_big = true; /* keep reading, answer 413 at the end */
		else
			strbuf_add(&r->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (r->body.len) {
		r->req.body = r->body.buf;
		r->req.body_len = r->body.len;
	}
	dispatch(r);
	return respond(r, conn,
		       r->too_big || atomic_load_explicit(&sp->stopping, memory_order_relaxed));
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct server_priv *sp = cls;
	struct request *r = *con_cls;
	int64_t ns;

	(void)conn;
	if (!r)
		return;
	*con_cls = NULL;
	if (r->started)
		log_request_id_set(r->ctx.request_id);
	ns = time_mono_ns() - r->t0_ns;
	atomic_fetch_sub_explicit(&sp->pub.metrics.in_flight, 1, memory_order_relaxed);
	if (r->started) {
		int status = r->res.status ? r->res.status : 500;

		http__metrics_record(&sp->pub.metrics, r->route_index, status, ns);
		if (sp->pub.opts.access_log) {
			char path[300];
			const char *route, *method;

			http__metrics_label(&sp->pub, r->route_index, &route, &method);

			log_info(
				"http.request",
				"method=%s path=%s status=%d bytes=%zu duration_ms=%.3f route=%s%s",
				r->req.method,
				log_quote(http__target_for_log(r->ctx.arena, r->uri), path,
					  sizeof(path)),
				status, r->res.body_len, (double)ns / 1e6, route,
				toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted=true");
		}
	}
	log_request_id_set(NULL);
	arena_give_back(r->ctx.arena);
}

static int parse_listen(const char *listen, struct sockaddr_in *sa, struct crm_err *err)
{
	const char *colon = listen ? strrchr(listen, ':') : NULL;
	char host[64];
	int64_t port;

	memset(sa, 0, sizeof(*sa));
	if (!colon || (size_t)(colon - listen) >= sizeof(host) ||
	    !str_to_i64(str_from(colon + 1), 0, 65535, &port))
		return crm_err_set(err, CRM_EINVAL, "listen",
				   "listen address '%s' must be ADDR:PORT", listen ? listen : "");
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (!host[0] || strcmp(host, "*") == 0)
		sa->sin_addr.s_addr = htonl(INADDR_ANY);
	else if (strcmp(host, "localhost") == 0)
		sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	else if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return crm_err_set(err, CRM_EINVAL, "listen",
				   "listen address '%s' is not an IPv4 address", host);
	return 0;
}

static void server_free(struct server_priv *sp)
{
	if (!sp)
		return;
	http__router_free(sp->pub.router);
	http__static_free(sp->pub.web);
	http__metrics_release(&sp->pub.metrics);
	free(sp->pub.all_tables);
	free(sp);
}

/* Loads the web app; a directory that does not exist is only a warning: the API is
 * served without it. */
static int web_load(struct http_server *srv, const char *dir, struct crm_err *err)
{
	char quoted[600];
	size_t bytes, gz_bytes;
	int rc;

	if ((rc = http__static_load(dir, &srv->web, err)) == CRM_ENOTFOUND) {
		log_warn("web.missing", "dir=%s serving=api-only",
			 log_quote(dir, quoted, sizeof(quoted)));
		crm_err_clear(err);
		return 0;
	}
	if (rc)
		return rc;
	http__static_sizes(srv->web, &bytes, &gz_bytes);
	log_info("web.loaded", "dir=%s files=%zu bytes=%zu gzip_bytes=%zu index=%s",
		 log_quote(dir, quoted, sizeof(quoted)), http__static_count(srv->web), bytes,
		 gz_bytes, http__static_find(srv->web, "/index.html") ? "true" : "false");
	return 0;
}

int http_server_start(const struct http_server_opts *opts, struct db *db, struct http_server **out,
		      struct crm_err *err)
{
	struct server_priv *sp = xcalloc(1, sizeof(*sp));
	struct http_server *srv = &sp->pub;
	const union MHD_DaemonInfo *info;
	struct sockaddr_in sa;
	size_t ntables = 0;
	long ncpu;
	bool key = false;
	int rc = 0;

	atomic_init(&sp->stopping, false);
	srv->opts = *opts;
	srv->db = db;
	/* a writer holds its thread while its group of changes commits (store/db.c): threads
	 * enough for the changes of many connections to share each commit */
	if (srv->opts.threads <= 0) {
		ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		srv->opts.threads = ncpu > 4 ? (int)(ncpu > 32 ? 256 : ncpu * 8) : 32;
	}
	if (!srv->opts.max_header)
		srv->opts.max_header = 16384;
	if (srv->opts.request_timeout_s <= 0)
		srv->opts.request_timeout_s = 30;
	if ((rc = parse_listen(opts->listen, &sa, err)))
		goto out;
	if (opts->web_dir && *opts->web_dir && (rc = web_load(srv, opts->web_dir, err)))
		goto out;
	while (opts->tables && opts->tables[ntables])
		ntables++;
	srv->all_tables = xcalloc(ntables + 2, sizeof(*srv->all_tables));
	srv->all_tables[0] = http__builtin_routes;
	for (size_t i = 0; i < ntables; i++)
		srv->all_tables[i + 1] = opts->tables[i];
	if ((rc = http__router_new(srv->all_tables, &srv->router, err)))
		goto out;
	http__metrics_init(&srv->metrics, http__router_count(srv->router));
	if (pthread_key_create(&sp->thread_key, thread_end)) {
		rc = crm_err_set(err, CRM_EIO, NULL, "cannot create a thread key");
		goto out;
	}
	key = true;
	/* the connection memory pool holds the request line and headers as well as the
	 * read and write buffers. libmicrohttpd answers a head that does not fit in it
	 * itself, with an HTML page; a pool some times larger than our own limits
	 * (check_head) lets us see, and answer in JSON, all but heads far beyond them. The
	 * logger goes first, or libmicrohttpd complains on stderr that it is not */
	srv->daemon = MHD_start_daemon(
		MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG | MHD_USE_TURBO, 0,
		NULL, NULL, on_request, sp, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE,
		(unsigned)srv->opts.threads, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
		srv->opts.max_header * HTTP_POOL_FACTOR, MHD_OPTION_CONNECTION_TIMEOUT,
		(unsigned)srv->opts.request_timeout_s, MHD_OPTION_URI_LOG_CALLBACK, on_uri, sp,
		MHD_OPTION_UNESCAPE_CALLBACK, no_unescape, NULL, MHD_OPTION_NOTIFY_COMPLETED,
		on_completed, sp, MHD_OPTION_LISTENING_ADDRESS_REUSE, 1U,
		MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024U, MHD_OPTION_END);
	if (!srv->daemon) {
		rc = crm_err_set(err, CRM_EIO, "listen", "cannot listen on '%s'", opts->listen);
		goto out;
	}
	info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = info ? (int)info->port : ntohs(sa.sin_port);
	*out = srv;
	sp = NULL;
out:
	if (sp && key)
		pthread_key_delete(sp->thread_key);
	server_free(sp);
	return rc;
}

void http_server_stop(struct http_server *srv)
{
	struct server_priv *sp = (struct server_priv *)(void *)srv;
	struct timespec pause = {0, 10 * 1000 * 1000};

	if (!srv)
		return;
	/* ask keep-alive clients to go away (every answer from now on says Connection:
	 * close), then let the requests in flight finish and be sent before MHD_stop_daemon
	 * closes every connection: until none has been in flight for 50 ms, or for at most
	 * the request timeout. A request arriving after that is cut, as HTTP allows. The
	 * listening socket is not quiesced first: with epoll and a thread pool, libmicrohttpd
	 * 0.9.75 aborts in MHD_quiesce_daemon ("Failed to remove listen FD from epoll set")
	 * when a worker had taken the socket out of its epoll set */
	atomic_store(&sp->stopping, true);
	for (int i = 0, idle = 0; i < srv->opts.request_timeout_s * 100 && idle < 5; i++) {
		nanosleep(&pause, NULL);
		idle = atomic_load(&srv->metrics.in_flight) > 0 ? 0 : idle + 1;
	}
	MHD_stop_daemon(srv->daemon);
	pthread_key_delete(sp->thread_key);
	server_free(sp);
}

int http_server_port(const struct http_server *srv)
{
	return srv->port;
}
