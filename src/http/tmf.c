/*
 * The TMF630 REST conventions in one place: paging (offset, limit, X-Total-Count,
 * X-Result-Count), attribute filters, fields= selection, ETag/If-Match, and the
 * renderers handlers end with. Also the request accessors (headers, query, JSON body).
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <string.h>

#include "core/arena.h"
#include "http/http_int.h"
#include "core/banned.h"

/* ---- request accessors ---- */

const char *http_req_header(const struct http_req *req, const char *name)
{
	if (!req->conn)
		return NULL;
	/* MHD compares header names case-insensitively */
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *http_req_client_ip(struct crm_ctx *ctx, const struct http_req *req)
{
	const union MHD_ConnectionInfo *ci;
	const struct sockaddr *sa;
	char buf[INET6_ADDRSTRLEN];
	const void *addr;

	if (!req->conn ||
	    !(ci = MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS)) ||
	    !(sa = ci->client_addr))
		return "-";
	if (sa->sa_family == AF_INET)
		addr = &((const struct sockaddr_in *)(const void *)sa)->sin_addr;
	else if (sa->sa_family == AF_INET6)
		addr = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
	else
		return "-";
	if (!inet_ntop(sa->sa_family, addr, buf, sizeof(buf)))
		return "-";
	return arena_strdup(ctx->arena, buf);
}

const char *http_req_cookie(struct crm_ctx *ctx, const struct http_req *req, const char *name)
{
	const char *p = http_req_header(req, "Cookie");
	size_t n = strlen(name);

	/* Cookie: a=1; b=2 — names are case-sensitive */
	while (p && *p) {
		p += strspn(p, " ;");
		if (strncmp(p, name, n) == 0 && p[n] == '=')
			return arena_strndup(ctx->arena, p + n + 1, strcspn(p + n + 1, ";"));
		p = strchr(p, ';');
	}
	return NULL;
}

const char *http_req_query(const struct http_req *req, const char *name)
{
	for (size_t i = 0; i < req->nquery; i++)
		if (strcmp(req->query[i].name, name) == 0)
			return req->query[i].value;
	return NULL;
}

int http_req_json(struct crm_ctx *ctx, const struct http_req *req, cJSON **out)
{
	if (!req->body || !req->body_len)
		return crm_err_set(&ctx->err, CRM_EINVAL, NULL, "a JSON body is required");
	return json_parse(ctx->arena, req->body, req->body_len, out, &ctx->err);
}

int http__if_match_parse(const char *value, int64_t *out_version, struct crm_err *err)
{
	struct str s = str_trim(str_from(value));
	int64_t v;

	/* RFC 9110 13.1.1: "*" matches any current representation */
	if (str_eq_cstr(s, "*")) {
		*out_version = -1;
		return 0;
	}
	if (s.len >= 2 && s.p[0] == 'W' && s.p[1] == '/') {
		s.p += 2;
		s.len -= 2;
	}
	if (s.len < 3 || s.p[0] != '"' || s.p[s.len - 1] != '"' ||
	    !str_to_i64((struct str){s.p + 1, s.len - 2}, 0, INT64_MAX, &v) || s.p[1] == '-' ||
	    s.p[1] == '+')
		return crm_err_set(err, CRM_EINVAL, "If-Match",
				   "'If-Match' must be one entity tag such as '\"3\"', not '%.64s'",
				   value);
	*out_version = v;
	return 0;
}

int http_req_if_match(struct crm_ctx *ctx, const struct http_req *req, int64_t *out_version)
{
	const char *v = http_req_header(req, "If-Match");

	if (!v) {
		*out_version = -1;
		return 0;
	}
	return http__if_match_parse(v, out_version, &ctx->err);
}

/* ---- list conventions ---- */

static bool is_reserved(const char *name)
{
	return strcmp(name, "fields") == 0 || strcmp(name, "offset") == 0 ||
	       strcmp(name, "limit") == 0 || strcmp(name, "sort") == 0 ||
	       strcmp(name, "cursor") == 0;
}

static const struct {
	const char *suffix;
	enum db_filter_op op;
} suffixes[] = {
	{".gt", DB_GT},
	{".gte", DB_GTE},
	{".lt", DB_LT},
	{".lte", DB_LTE},
};

static bool is_filterable(const char *const *filterable, const char *name, size_t len)
{
	for (size_t i = 0; filterable && filterable[i]; i++)
		if (strlen(filterable[i]) == len && memcmp(filterable[i], name, len) == 0)
			return true;
	return false;
}

static int add_filter(struct crm_ctx *ctx, const struct http_query_param *q,
		      const char *const *filterable, struct db_filter *f)
{
	size_t len = strlen(q->name);
	struct str rest;
	size_t n = 1;
	const char **values;

	f->op = DB_EQ;
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t sl = strlen(suffixes[i].suffix);

		if (len > sl && strcmp(q->name + len - sl, suffixes[i].suffix) == 0) {
			f->op = suffixes[i].op;
			len -= sl;
			break;
		}
	}
	if (!is_filterable(filterable, q->name, len))
		return crm_err_set(&ctx->err, CRM_EINVAL, q->name, "unknown filter attribute '%s'",
				   q->name);
	f->field = arena_strndup(ctx->arena, q->name, len);
	if (f->op != DB_EQ) {
		if (!q->value[0])
			return crm_err_set(&ctx->err, CRM_EINVAL, q->name,
					   "filter '%s' needs a value", q->name);
		values = arena_alloc(ctx->arena, sizeof(*values));
		values[0] = q->value;
		f->values = values;
		f->nvalues = 1;
		return 0;
	}
	/* TMF630: a comma-separated list means any of these values */
	for (const char *p = q->value; (p = strchr(p, ',')); p++)
		n++;
	values = arena_alloc(ctx->arena, n * sizeof(*values));
	n = 0;
	rest = str_from(q->value);
	do {
		values[n++] = str_dup(ctx->arena, str_split(rest, ',', &rest));
	} while (rest.p);
	f->values = values;
	f->nvalues = n;
	return 0;
}

int http_list_opts(struct crm_ctx *ctx, const struct http_req *req, const char *const *filterable,
		   struct db_list_opts *out)
{
	struct db_list_opts o = {.limit = HTTP_LIST_LIMIT_DEFAULT};
	struct db_filter *filters = NULL;
	const char *v;
	int rc = 0;

	if ((v = http_req_query(req, "offset")) &&
	    !str_to_i64(str_from(v), 0, HTTP_LIST_OFFSET_MAX, &o.offset)) {
		rc = crm_err_set(&ctx->err, CRM_EINVAL, "offset",
				 "'offset' must be a whole number from 0 to %lld, not '%.64s'",
				 (long long)HTTP_LIST_OFFSET_MAX, v);
		goto out;
	}
	if ((v = http_req_query(req, "limit")) &&
	    !str_to_i64(str_from(v), 1, HTTP_LIST_LIMIT_MAX, &o.limit)) {
		rc = crm_err_set(&ctx->err, CRM_EINVAL, "limit",
				 "'limit' must be a whole number from 1 to %d, not '%.64s'",
				 HTTP_LIST_LIMIT_MAX, v);
		goto out;
	}
	if (req->nquery)
		filters = arena_calloc(ctx->arena, req->nquery, sizeof(*filters));
	for (size_t i = 0; i < req->nquery; i++) {
		if (is_reserved(req->query[i].name))
			continue;
		if ((rc = add_filter(ctx, &req->query[i], filterable, &filters[o.nfilters])))
			goto out;
		o.nfilters++;
	}
	o.filters = filters;
	o.sort = http_req_query(req, "sort");
	o.cursor = http_req_query(req, "cursor");
	*out = o;
out:
	return rc;
}

/* ---- fields= selection ---- */

struct fsel {
	const char *name;
	size_t len;
	bool whole;	    /* the member itself was named: keep all of it */
	struct fsel *child; /* members named below it */
	struct fsel *next;
};

static struct fsel *fsel_get(struct arena *a, struct fsel **list, const char *name, size_t len)
{
	struct fsel *s;

	for (s = *list; s; s = s->next)
		if (s->len == len && memcmp(s->name, name, len) == 0)
			return s;
	s = arena_calloc(a, 1, sizeof(*s));
	s->name = name;
	s->len = len;
	s->next = *list;
	*list = s;
	return s;
}

static bool fields_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '@' || c == '.';
}

static int fields_parse(struct arena *a, const char *fields, struct fsel **out, struct crm_err *err)
{
	struct fsel *root = NULL;
	struct str rest = str_from(fields);
	const char *why = NULL;
	int rc = 0;

	do {
		struct str name = str_split(rest, ',', &rest);
		struct fsel **list = &root, *s = NULL;
		struct str part;

		if (!name.len) {
			why = "empty name";
			goto bad;
		}
		for (size_t i = 0; i < name.len; i++)
			if (!fields_char_ok(name.p[i])) {
				why = "unexpected character";
				goto bad;
			}
		do {
			part = str_split(name, '.', &name);
			if (!part.len) {
				why = "empty name between dots";
				goto bad;
			}
			if (s && s->whole)
				break;
			s = fsel_get(a, list, part.p, part.len);
			list = &s->child;
		} while (name.p);
		if (!name.p)
			s->whole = true;
	} while (rest.p);
	*out = root;
	goto out;
bad:
	rc = crm_err_set(err, CRM_EINVAL, "fields", "bad 'fields' parameter '%.64s': %s", fields,
			 why);
out:
	return rc;
}

static const struct fsel *fsel_find(const struct fsel *list, const char *name)
{
	size_t len = strlen(name);

	for (; list; list = list->next)
		if (list->len == len && memcmp(list->name, name, len) == 0)
			return list;
	return NULL;
}

static void select_object(cJSON *obj, const struct fsel *sel, bool top);

/* Keeps what sel->child names inside item; false when nothing of item should stay. */
static bool select_value(cJSON *item, const struct fsel *sel)
{
	if (sel->whole)
		return true;
	if (cJSON_IsObject(item)) {
		select_object(item, sel->child, false);
		return true;
	}
	if (cJSON_IsArray(item)) {
		cJSON *el = item->child;

		while (el) {
			cJSON *next = el->next;

			if (cJSON_IsObject(el))
				select_object(el, sel->child, false);
			else
				cJSON_Delete(cJSON_DetachItemViaPointer(item, el));
			el = next;
		}
		return true;
	}
	return false; /* a scalar has no members to select */
}

static void select_object(cJSON *obj, const struct fsel *sel, bool top)
{
	cJSON *item = obj->child;

	while (item) {
		cJSON *next = item->next;
		const struct fsel *s;
		bool keep;

		/* TMF630: id, href and @type are returned whatever fields= names */
		if (top && item->string &&
		    (strcmp(item->string, "id") == 0 || strcmp(item->string, "href") == 0 ||
		     strcmp(item->string, "@type") == 0))
			keep = true;
		else
			keep = item->string && (s = fsel_find(sel, item->string)) &&
			       select_value(item, s);
		if (!keep)
			cJSON_Delete(cJSON_DetachItemViaPointer(obj, item));
		item = next;
	}
}

int http__fields_apply(struct arena *a, const char *fields, cJSON *tree, struct crm_err *err)
{
	struct fsel *sel = NULL;
	int rc;

	if ((rc = fields_parse(a, fields, &sel, err)))
		return rc;
	if (cJSON_IsArray(tree)) {
		for (cJSON *el = tree->child; el; el = el->next)
			if (cJSON_IsObject(el))
				select_object(el, sel, true);
	} else if (cJSON_IsObject(tree)) {
		select_object(tree, sel, true);
	}
	return 0;
}

/* ---- responses ---- */

void http_res_header(struct http_res *res, const char *name, const char *value)
{
	if (res->nheaders == HTTP_MAX_HEADERS)
		CRM_BUG("more than %d response headers", HTTP_MAX_HEADERS);
	res->headers[res->nheaders].name = name;
	res->headers[res->nheaders].value = value;
	res->nheaders++;
}

int http_render_json(struct crm_ctx *ctx, struct http_req *req, struct http_res *res, int status,
		     cJSON *tree)
{
	const char *fields = http_req_query(req, "fields");
	int rc;

	json_adopt(ctx->arena, tree);
	if (fields && (rc = http__fields_apply(ctx->arena, fields, tree, &ctx->err)))
		return rc;
	res->status = status;
	res->content_type = "application/json";
	res->body = json_print(ctx->arena, tree, &res->body_len);
	return 0;
}

/* Personal data is masked for callers without pii.read here, for every response rendered
 * from a descriptor (domain/ masks only the trees it encodes itself: audit rows, the
 * customer 360° view). */
static cJSON *encode_for(struct crm_ctx *ctx, const struct json_desc *desc, const void *obj)
{
	return ctx->who.pii_masked ? json_encode_masked(desc, obj, ctx->arena)
				   : json_encode(desc, obj);
}

int http_render(struct crm_ctx *ctx, struct http_req *req, struct http_res *res, int status,
		const struct json_desc *desc, const void *obj, int64_t version)
{
	int rc;

	if ((rc = http_render_json(ctx, req, res, status, encode_for(ctx, desc, obj))))
		return rc;
	if (version >= 0)
		/* RFC 9110 8.8.3: a strong validator, the resource's version */
		http_res_header(res, "ETag",
				arena_printf(ctx->arena, "\"%lld\"", (long long)version));
	return 0;
}

int http_render_page(struct crm_ctx *ctx, struct http_req *req, struct http_res *res, cJSON *list,
		     size_t n, int64_t total, const char *next)
{
	int rc;

	if ((rc = http_render_json(ctx, req, res, 200, list)))
		return rc;
	/* TMF630 paging: the total matching (when counted) and the number in this page */
	if (total >= 0)
		http_res_header(res, "X-Total-Count",
				arena_printf(ctx->arena, "%lld", (long long)total));
	http_res_header(res, "X-Result-Count", arena_printf(ctx->arena, "%zu", n));
	if (next)
		http_res_header(res, "X-Next-Cursor", next);
	return 0;
}

int http_render_list(struct crm_ctx *ctx, struct http_req *req, struct http_res *res,
		     const struct json_desc *desc, const void *items, size_t n, int64_t total)
{
	cJSON *list = cJSON_CreateArray();

	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(list,
				     encode_for(ctx, desc, (const char *)items + i * desc->size));
	return http_render_page(ctx, req, res, list, n, total, NULL);
}

int http_render_created(struct crm_ctx *ctx, struct http_req *req, struct http_res *res,
			const struct json_desc *desc, const void *obj, int64_t version,
			const char *location)
{
	int rc;

	if ((rc = http_render(ctx, req, res, 201, desc, obj, version)))
		return rc;
	if (location)
		http_res_header(res, "Location", location);
	return 0;
}

int http_render_empty(struct http_res *res)
{
	res->status = 204;
	res->body = NULL;
	res->body_len = 0;
	return 0;
}
