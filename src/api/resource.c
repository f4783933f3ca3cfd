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
	return req->route->arg;
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

static int list(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	const struct res_desc *d = desc_of(req);
	struct db_list_opts opts;
	struct res_page page;
	cJSON *items;
	int rc;

	if ((rc = http_list_opts(ctx, req, res_filterable(d), &opts)) ||
	    (rc = res_list(ctx, d, &opts, &page)))
		return rc;
	items = cJSON_CreateArray();
	for (size_t i = 0; i < page.n; i++)
		cJSON_AddItemToArray(items, res_render(ctx, d, (char *)page.items + i * d->size,
						       ctx->who.pii_masked));
	return http_render_page(ctx, req, res, items, page.n, page.total, page.next_cursor);
}

static int get(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	const struct res_desc *d = desc_of(req);
	void *obj = arena_calloc(ctx->arena, 1, d->size);
	int rc;

	if ((rc = res_get(ctx, d, req->params[0], obj)))
		return rc;
	return render(ctx, req, res, 200, d, obj);
}

static int create(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	const struct res_desc *d = desc_of(req);
	void *obj = arena_calloc(ctx->arena, 1, d->size);
	cJSON *body;
	int rc;

	if ((rc = http_req_json(ctx, req, &body)) || (rc = res_create(ctx, d, body, obj)))
		return rc;
	return render(ctx, req, res, 201, d, obj);
}

static int patch(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	const struct res_desc *d = desc_of(req);
	void *obj = arena_calloc(ctx->arena, 1, d->size);
	int64_t version;
	cJSON *body;
	int rc;

	if ((rc = http_req_if_match(ctx, req, &version)) || (rc = http_req_json(ctx, req, &body)) ||
	    (rc = res_update(ctx, d, req->params[0], version, body, obj)))
		return rc;
	return render(ctx, req, res, 200, d, obj);
}

static int del(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	int64_t version;
	int rc;

	if ((rc = http_req_if_match(ctx, req, &version)) ||
	    (rc = res_delete(ctx, desc_of(req), req->params[0], version)))
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
		size_t len;
		char *one;

		if (!d->path)
			continue;
		len = strlen(d->path);
		one = xmalloc(len + sizeof("/{id}"));
		memcpy(one, d->path, len);
		memcpy(one + len, "/{id}", sizeof("/{id}"));
		routes[k++] = (struct http_route){"GET", d->path, list, d->perm_read, 0, d};
		routes[k++] = (struct http_route){"POST",	 d->path,	 create,
						  d->perm_write, HTTP_BODY_JSON, d};
		routes[k++] = (struct http_route){"GET", one, get, d->perm_read, 0, d};
		routes[k++] =
			(struct http_route){"PATCH", one, patch, d->perm_write, HTTP_BODY_PATCH, d};
		if (!d->no_delete)
			routes[k++] = (struct http_route){"DELETE", one, del, d->perm_write, 0, d};
	}
	return routes;
}
