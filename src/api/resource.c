/*
 * Every resource of the layer through five handlers — list, get, create, merge patch,
 * delete — whose route argument is the resource's descriptor, and the routes themselves,
 * made from the registry at start: a resource on the layer needs no handler of its own.
 */
#include <string.h>

#include "api/api.h"
#include "core/arena.h"
#include "core/mem.h"
#include "domain/resource.h"
#include "core/banned.h"

static const struct res_desc *desc_of(const struct http_req *req)
{
	return ((const struct api_resource *)req->route->arg)->d;
}

/* The value of the resource's bound field: the route's, else the path's first parameter. */
static const char *bound_of(const struct http_req *req)
{
	const struct api_resource *r = req->route->arg;

	if (!res_bound_field(r->d))
		return NULL;
	return r->bound ? r->bound : req->params[0];
}

/* The record's id: the path's last parameter. */
static const char *id_of(const struct http_req *req)
{
	const struct api_resource *r = req->route->arg;

	return req->params[res_bound_field(r->d) && !r->bound ? 1 : 0];
}

/* A record reached under another bound value (a listener of another API) is not there. */
static int bound_check(struct crm_ctx *ctx, const struct http_req *req, const void *obj)
{
	const char *want = bound_of(req), *have = res_bound_value(desc_of(req), obj);

	if (want && (!have || strcmp(want, have) != 0))
		return crm_err_set(&ctx->err, CRM_ENOTFOUND, "id", "%s '%s' not found",
				   desc_of(req)->what ? desc_of(req)->what : desc_of(req)->name,
				   id_of(req));
	return 0;
}

/* The routes but the list take no query parameter but fields= (those answering with the
 * record): any other is a 400, as on a list, so that a mistyped one is never ignored. */
static int params_check(struct crm_ctx *ctx, const struct http_req *req, bool fields_ok)
{
	for (size_t i = 0; i < req->nquery; i++)
		if (!fields_ok || strcmp(req->query[i].name, "fields") != 0)
			return crm_err_set(&ctx->err, CRM_EINVAL, req->query[i].name,
					   "unknown query parameter '%.64s'", req->query[i].name);
	return 0;
}

/* Loads the record the request names, under its bound value. */
static int load(struct crm_ctx *ctx, struct http_req *req, void *obj)
{
	int rc = res_get(ctx, desc_of(req), id_of(req), obj);

	return rc ? rc : bound_check(ctx, req, obj);
}

static int render(struct crm_ctx *ctx, struct http_req *req, struct http_res *res, int status,
		  const struct res_desc *d, const void *obj)
{
	const struct res_head *h = obj;
	int rc;

	if ((rc = http_render_json(ctx, req, res, status,
				   res_render(ctx, d, obj, ctx->who.pii_masked))))
		return rc;
	/* RFC 9110 8.8.3: a strong validator, the record's version */
	http_res_header(res, "ETag",
			arena_printf(ctx->arena, "\"%lld\"", (long long)h->row.version));
	if (status == 201 && h->href)
		http_res_header(res, "Location", h->href);
	return 0;
}

int api_res_list(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	const struct res_desc *d = desc_of(req);
	const struct res_field *bf = res_bound_field(d);
	struct db_list_opts opts;
	struct res_page page;
	cJSON *items;
	int rc;

	if ((rc = http_list_opts(ctx, req, res_filterable(d), &opts)))
		return rc;
	if (bf) {
		/* the bound value is one more filter */
		struct db_filter *f = arena_calloc(ctx->arena, opts.nfilters + 1, sizeof(*f));
		const char **v = arena_alloc(ctx->arena, sizeof(*v));

		if (opts.nfilters)
			memcpy(f, opts.filters, opts.nfilters * sizeof(*f));
		*v = bound_of(req);
		f[opts.nfilters++] = (struct db_filter){bf->name, DB_EQ, v, 1};
		opts.filters = f;
	}
	if ((rc = res_list(ctx, d, &opts, &page)))
		return rc;
	items = cJSON_CreateArray();
	for (size_t i = 0; i < page.n; i++)
		cJSON_AddItemToArray(items, res_render(ctx, d, (char *)page.items + i * d->size,
						       ctx->who.pii_masked));
	return http_render_page(ctx, req, res, items, page.n, page.total, page.next_cursor);
}

int api_res_get(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	const struct res_desc *d = desc_of(req);
	void *obj = arena_calloc(ctx->arena, 1, d->size);
	int rc;

	if ((rc = params_check(ctx, req, true)) || (rc = load(ctx, req, obj)))
		return rc;
	return render(ctx, req, res, 200, d, obj);
}

int api_res_create(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	const struct res_desc *d = desc_of(req);
	void *obj = arena_calloc(ctx->arena, 1, d->size);
	cJSON *body;
	int rc;

	if ((rc = params_check(ctx, req, true)) || (rc = http_req_json(ctx, req, &body)) ||
	    (rc = res_create(ctx, d, body, bound_of(req), obj)))
		return rc;
	return render(ctx, req, res, 201, d, obj);
}

int api_res_patch(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	const struct res_desc *d = desc_of(req);
	void *obj = arena_calloc(ctx->arena, 1, d->size);
	int64_t version;
	cJSON *body;
	int rc;

	if ((rc = params_check(ctx, req, true)) || (rc = http_req_if_match(ctx, req, &version)) ||
	    (rc = http_req_json(ctx, req, &body)) ||
	    (res_bound_field(d) && (rc = load(ctx, req, obj))) ||
	    (rc = res_update(ctx, d, id_of(req), version, body, obj)))
		return rc;
	return render(ctx, req, res, 200, d, obj);
}

int api_res_delete(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	const struct res_desc *d = desc_of(req);
	int64_t version;
	int rc;

	if ((rc = params_check(ctx, req, false)) || (rc = http_req_if_match(ctx, req, &version)) ||
	    (res_bound_field(d) && (rc = load(ctx, req, arena_calloc(ctx->arena, 1, d->size)))) ||
	    (rc = res_delete(ctx, d, id_of(req), version)))
		return rc;
	return http_render_empty(res);
}

/* Built once, before the server starts (api_routes), and kept for the process. */
static struct http_route *routes;

const struct http_route *api_resource_routes(void)
{
	size_t n = 0, k = 0;

	if (routes)
		return routes;
	while (res_registry[n])
		n++;
	routes = xcalloc(n * 5 + 1, sizeof(*routes));
	for (size_t i = 0; i < n; i++) {
		const struct res_desc *d = res_registry[i];
		struct api_resource *arg;
		size_t len;
		char *one;

		if (!d->path)
			continue;
		arg = xcalloc(1, sizeof(*arg));
		arg->d = d;
		len = strlen(d->path);
		one = xmalloc(len + sizeof("/{id}"));
		memcpy(one, d->path, len);
		memcpy(one + len, "/{id}", sizeof("/{id}"));
		routes[k++] =
			(struct http_route){"GET", d->path, api_res_list, d->perm_read, 0, arg};
		routes[k++] = (struct http_route){"POST",	 d->path,	 api_res_create,
						  d->perm_write, HTTP_BODY_JSON, arg};
		routes[k++] = (struct http_route){"GET", one, api_res_get, d->perm_read, 0, arg};
		if (!d->no_update)
			routes[k++] = (struct http_route){
				"PATCH", one, api_res_patch, d->perm_write, HTTP_BODY_PATCH, arg};
		if (!d->no_delete)
			routes[k++] = (struct http_route){"DELETE",	 one, api_res_delete,
							  d->perm_write, 0,   arg};
	}
	return routes;
}
