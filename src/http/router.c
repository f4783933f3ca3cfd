/*
 * The router: route tables compiled at start into a tree of path segments, matched per
 * request without allocation beyond the decoded parameters. Literal segments are tried
 * before {param} segments, with backtracking, so /tmf-api/party/v4/hub falls back to
 * /tmf-api/{api}/v4/hub. Also the query-string parser and percent-decoding.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/mem.h"
#include "http/http_int.h"
#include "core/banned.h"

#define MAX_SEGMENTS 32
#define MAX_METHODS  8

struct endpoint {
	const struct http_route *route;
	size_t index;
};

struct node {
	char *literal;		/* NULL for a {param} node */
	struct node **children; /* literal children */
	size_t nchildren;
	struct node *param; /* the {param} child, if any */
	struct endpoint ends[MAX_METHODS];
	size_t nends;
	char allow[64]; /* "GET, POST" */
};

struct http_router {
	struct node *root;
	const struct http_route **routes;
	size_t nroutes;
};

static void node_free(struct node *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->nchildren; i++)
		node_free(n->children[i]);
	node_free(n->param);
	free(n->children);
	free(n->literal);
	free(n);
}

static struct node *child_get(struct node *n, const char *seg, size_t len)
{
	struct node *c;

	if (len >= 2 && seg[0] == '{' && seg[len - 1] == '}') {
		if (!n->param)
			n->param = xcalloc(1, sizeof(*n->param));
		return n->param;
	}
	for (size_t i = 0; i < n->nchildren; i++)
		if (strlen(n->children[i]->literal) == len &&
		    memcmp(n->children[i]->literal, seg, len) == 0)
			return n->children[i];
	c = xcalloc(1, sizeof(*c));
	c->literal = xstrndup(seg, len);
	n->children = xrealloc(n->children, (n->nchildren + 1) * sizeof(*n->children));
	n->children[n->nchildren++] = c;
	return c;
}

static int route_add(struct http_router *r, const struct http_route *route, size_t index,
		     struct crm_err *err)
{
	const char *p = route->pattern;
	struct node *n = r->root;
	size_t nparams = 0;
	int rc = 0;

	if (!p || p[0] != '/' || !route->handler)
		return crm_err_set(err, CRM_EINVAL, NULL, "route '%s %s' is malformed",
				   route->method, p ? p : "");
	while (*p) {
		const char *seg = ++p, *end = strchr(seg, '/');
		size_t len = end ? (size_t)(end - seg) : strlen(seg);

		p = seg + len;
		if (len == 0) {
			if (*p == '\0')
				break; /* trailing slash */
			rc = crm_err_set(err, CRM_EINVAL, NULL,
					 "route '%s %s' has an empty segment", route->method,
					 route->pattern);
			goto out;
		}
		if (seg[0] == '{' && ++nparams > HTTP_MAX_PARAMS) {
			rc = crm_err_set(err, CRM_EINVAL, NULL,
					 "route '%s %s' has more than %d parameters", route->method,
					 route->pattern, HTTP_MAX_PARAMS);
			goto out;
		}
		if ((seg[0] == '{') != (seg[len - 1] == '}') || memchr(seg, '%', len)) {
			rc = crm_err_set(err, CRM_EINVAL, NULL, "route '%s %s' has a bad segment",
					 route->method, route->pattern);
			goto out;
		}
		n = child_get(n, seg, len);
	}
	for (size_t i = 0; i < n->nends; i++)
		if (strcmp(n->ends[i].route->method, route->method) == 0) {
			rc = crm_err_set(err, CRM_EINVAL, NULL, "duplicate route '%s %s'",
					 route->method, route->pattern);
			goto out;
		}
	if (n->nends == MAX_METHODS) {
		rc = crm_err_set(err, CRM_EINVAL, NULL, "too many methods on '%s'", route->pattern);
		goto out;
	}
	n->ends[n->nends].route = route;
	n->ends[n->nends].index = index;
	n->nends++;
	{
		size_t used = strlen(n->allow);

		snprintf(n->allow + used, sizeof(n->allow) - used, "%s%s", used ? ", " : "",
			 route->method);
	}
out:
	return rc;
}

int http__router_new(const struct http_route *const *tables, struct http_router **out,
		     struct crm_err *err)
{
	struct http_router *r = xcalloc(1, sizeof(*r));
	size_t n = 0;
	int rc = 0;

	r->root = xcalloc(1, sizeof(*r->root));
	for (size_t t = 0; tables && tables[t]; t++)
		for (const struct http_route *rt = tables[t]; rt->method; rt++)
			n++;
	r->routes = xcalloc(n ? n : 1, sizeof(*r->routes));
	for (size_t t = 0; tables && tables[t]; t++)
		for (const struct http_route *rt = tables[t]; rt->method; rt++) {
			if ((rc = route_add(r, rt, r->nroutes, err)))
				goto out;
			r->routes[r->nroutes++] = rt;
		}
	*out = r;
	r = NULL;
out:
	http__router_free(r);
	return rc;
}

void http__router_free(struct http_router *r)
{
	if (!r)
		return;
	node_free(r->root);
	free(r->routes);
	free(r);
}

size_t http__router_count(const struct http_router *r)
{
	return r->nroutes;
}

const struct http_route *http__router_route(const struct http_router *r, size_t i)
{
	return i < r->nroutes ? r->routes[i] : NULL;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int http__pct_decode(struct arena *a, const char *s, size_t len, bool plus, char **out,
		     struct crm_err *err)
{
	char *d = arena_alloc(a, len + 1), *w = d;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '%') {
			int hi, lo;

			if (i + 2 >= len)
				goto bad;
			hi = hexval(s[i + 1]);
			lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				goto bad;
			*w++ = (char)(hi << 4 | lo);
			i += 2;
		} else if (plus && s[i] == '+') {
			*w++ = ' ';
		} else if (s[i] == '\0') {
			goto bad;
		} else {
			*w++ = s[i];
		}
	}
	*w = '\0';
	*out = d;
	return 0;
bad:
	return crm_err_set(err, CRM_EINVAL, NULL, "malformed percent-encoding in '%.*s'",
			   (int)(len > 64 ? 64 : len), s);
}

/* Characters whose escapes the log shows decoded: RFC 3986 unreserved ones (an escape of
 * these means the same as the character), '@' and the space. */
static bool log_decodes(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '-' || c == '.' || c == '_' || c == '~' || c == '@' || c == ' ';
}

const char *http__target_for_log(struct arena *a, const char *target)
{
	size_t n = strlen(target), o = 0;
	char *d;

	if (!memchr(target, '%', n))
		return target;
	d = arena_alloc(a, n + 1);
	for (size_t i = 0; i < n; i++) {
		int hi = i + 2 < n && target[i] == '%' ? hexval(target[i + 1]) : -1;
		int lo = hi >= 0 ? hexval(target[i + 2]) : -1;

		if (lo >= 0 && log_decodes(hi << 4 | lo)) {
			d[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else {
			d[o++] = target[i];
		}
	}
	d[o] = '\0';
	return d;
}

static size_t count_params(const char *pattern)
{
	size_t n = 0;

	for (const char *p = pattern; (p = strchr(p, '{')); p++)
		n++;
	return n;
}

struct seg {
	const char *p;
	size_t len;
};

static const struct endpoint *endpoint_of(const struct node *n, const char *method)
{
	for (size_t i = 0; i < n->nends; i++)
		if (strcmp(n->ends[i].route->method, method) == 0)
			return &n->ends[i];
	return NULL;
}

/* Depth-first match of segs[i..] below n for method; pidx collects the segment indices
 * of parameters. A path that exists only for other methods is remembered in *other, so
 * that GET /a/b can still reach GET /a/{x} when only POST /a/b exists. */
static const struct endpoint *walk(const struct node *n, const struct seg *segs, size_t nsegs,
				   size_t i, const char *method, size_t *pidx, size_t np,
				   const struct node **other)
{
	const struct endpoint *found;

	if (i == nsegs) {
		if ((found = endpoint_of(n, method)))
			return found;
		if (n->nends && !*other)
			*other = n;
		return NULL;
	}
	for (size_t c = 0; c < n->nchildren; c++) {
		const struct node *ch = n->children[c];

		if (strlen(ch->literal) == segs[i].len &&
		    memcmp(ch->literal, segs[i].p, segs[i].len) == 0 &&
		    (found = walk(ch, segs, nsegs, i + 1, method, pidx, np, other)))
			return found;
	}
	if (n->param && segs[i].len && np < HTTP_MAX_PARAMS) {
		pidx[np] = i;
		if ((found = walk(n->param, segs, nsegs, i + 1, method, pidx, np + 1, other)))
			return found;
	}
	return NULL;
}

int http__router_match(const struct http_router *r, const char *method, const char *path,
		       struct arena *a, struct http_match *out, struct crm_err *err)
{
	struct seg segs[MAX_SEGMENTS];
	size_t nsegs = 0, pidx[HTTP_MAX_PARAMS], np = 0;
	const struct node *other = NULL;
	const struct endpoint *e;
	const char *p = path, *m = strcmp(method, "HEAD") == 0 ? "GET" : method;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (!p || p[0] != '/')
		goto notfound;
	while (*p) {
		const char *seg = ++p;
		size_t len = strcspn(seg, "/");

		p = seg + len;
		if (len == 0 && *p == '\0')
			break; /* trailing slash */
		if (nsegs == MAX_SEGMENTS)
			goto notfound;
		segs[nsegs].p = seg;
		segs[nsegs].len = len;
		nsegs++;
	}
	/* literal segments compare raw: route literals hold no escapes, and an escaped
	 * character in a literal position is simply not that literal */
	if (!(e = walk(r->root, segs, nsegs, 0, m, pidx, 0, &other))) {
		if (!other)
			goto notfound;
		out->allow = other->allow;
		rc = crm_err_set(err, CRM_EMETHOD, NULL, "method '%s' is not allowed on '%s'",
				 method, path);
		goto out;
	}
	out->route = e->route;
	out->index = e->index;
	np = e->route ? count_params(e->route->pattern) : 0;
	for (size_t i = 0; i < np; i++) {
		char *v = NULL;

		if ((rc = http__pct_decode(a, segs[pidx[i]].p, segs[pidx[i]].len, false, &v, err)))
			goto out;
		out->params[i] = v;
	}
	goto out;
notfound:
	rc = crm_err_set(err, CRM_ENOTFOUND, NULL, "no route for '%s %s'", method, path);
out:
	if (rc)
		out->route = NULL;
	return rc;
}

int http__query_parse(struct arena *a, const char *qs, size_t len, struct http_query_param **out,
		      size_t *out_n, struct crm_err *err)
{
	struct http_query_param *q = NULL;
	size_t n = 0, cap = 0, i = 0;
	int rc = 0;

	while (i < len) {
		size_t end = i, eq;
		char *name, *value;

		while (end < len && qs[end] != '&')
			end++;
		if (end == i) {
			i = end + 1;
			continue;
		}
		for (eq = i; eq < end && qs[eq] != '='; eq++)
			;
		if (n == HTTP_MAX_QUERY) {
			rc = crm_err_set(err, CRM_EINVAL, NULL, "more than %d query parameters",
					 HTTP_MAX_QUERY);
			goto out;
		}
		if ((rc = http__pct_decode(a, qs + i, eq - i, true, &name, err)))
			goto out;
		if (eq < end)
			rc = http__pct_decode(a, qs + eq + 1, end - eq - 1, true, &value, err);
		else
			value = arena_strdup(a, "");
		if (rc)
			goto out;
		if (n == cap) {
			struct http_query_param *grown;

			cap = cap ? cap * 2 : 8;
			grown = arena_alloc(a, cap * sizeof(*grown));
			if (n)
				memcpy(grown, q, n * sizeof(*q));
			q = grown;
		}
		q[n].name = name;
		q[n].value = value;
		n++;
		i = end + 1;
	}
	*out = q;
	*out_n = n;
out:
	return rc;
}
