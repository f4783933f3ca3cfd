/*
 * Fuzzes the TMF request conventions: the input's first line is a request path, the rest
 * a query string. Routes the path, parses the query, derives list options and applies any
 * fields= value to a fixed resource, asserting the invariants each step promises.
 */
/* the invariants are the point: keep assert() in release builds */
#undef NDEBUG
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "http/http_int.h"
#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int h(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	(void)ctx;
	(void)req;
	(void)res;
	return 0;
}

static const struct http_route routes[] = {
	{"GET", "/tmf-api/{api}/v4/hub/{id}", h, 0, 0, NULL},
	{"GET", "/tmf-api/party/v4/individual/{id}", h, 0, 0, NULL},
	{"GET", "/api/v1/org-units", h, 0, 0, NULL},
	{"GET", "/api/v1/org-units/{id}/children/{child}", h, 0, 0, NULL},
	{0},
};
static const struct http_route *const tables[] = {routes, NULL};

static const char *const filterable[] = {"name", "status", "createdAt", "contactMedium.type", NULL};

static const char resource[] =
	"{\"id\":\"1\",\"href\":\"/c/1\",\"@type\":\"Customer\",\"name\":\"Ann\","
	"\"contactMedium\":[{\"mediumType\":\"email\",\"characteristic\":{\"emailAddress\":"
	"\"a@b.c\"}},3,{\"mediumType\":\"phone\"}],\"account\":{\"id\":\"9\",\"name\":\"x\"}}";

static bool declared(const char *field)
{
	for (size_t i = 0; filterable[i]; i++)
		if (strcmp(filterable[i], field) == 0)
			return true;
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct http_router *router;
	const char *text = (const char *)data, *nl = memchr(data, '\n', size);
	size_t plen = nl ? (size_t)(nl - text) : size;
	struct http_query_param *q;
	struct db_list_opts o;
	struct http_match m;
	struct http_req req = {0};
	struct crm_ctx ctx;
	struct arena *a;
	const char *fields;
	char *path;
	int64_t v;

	if (!router) {
		struct crm_err err = {0};

		if (http__router_new(tables, &router, &err))
			return 0;
	}
	a = arena_new(0);
	ctx_init_system(&ctx, a, NULL);

	path = arena_strndup(a, text, plen);
	if (strlen(path) == plen) {
		int rc = http__router_match(router, "GET", path, a, &m, &ctx.err);

		assert(rc == 0 || rc == CRM_ENOTFOUND || rc == CRM_EMETHOD || rc == CRM_EINVAL);
		assert((rc == 0) == (m.route != NULL));
		for (size_t i = 0; rc == 0 && i < HTTP_MAX_PARAMS && m.params[i]; i++)
			assert(m.params[i][0] != '\0');
		crm_err_clear(&ctx.err);
		if (http__if_match_parse(path, &v, &ctx.err) == 0)
			assert(v >= -1);
		crm_err_clear(&ctx.err);
	}
	if (!nl)
		goto out;
	if (http__query_parse(a, nl + 1, size - plen - 1, &q, &req.nquery, &ctx.err))
		goto out;
	assert(req.nquery <= HTTP_MAX_QUERY);
	req.query = q;
	if (http_list_opts(&ctx, &req, filterable, &o) == 0) {
		assert(o.offset >= 0);
		assert(o.limit >= 1 && o.limit <= HTTP_LIST_LIMIT_MAX);
		for (size_t i = 0; i < o.nfilters; i++) {
			assert(declared(o.filters[i].field));
			assert(o.filters[i].nvalues >= 1);
			assert(o.filters[i].op == DB_EQ || o.filters[i].nvalues == 1);
		}
	}
	crm_err_clear(&ctx.err);
	if ((fields = http_req_query(&req, "fields"))) {
		cJSON *tree = json_adopt(a, cJSON_Parse(resource));

		if (http__fields_apply(a, fields, tree, &ctx.err) == 0) {
			/* TMF630: id, href and @type survive any selection */
			assert(cJSON_GetObjectItemCaseSensitive(tree, "id"));
			assert(cJSON_GetObjectItemCaseSensitive(tree, "href"));
			assert(cJSON_GetObjectItemCaseSensitive(tree, "@type"));
			assert(json_print(a, tree, NULL));
		} else {
			assert(ctx.err.code == CRM_EINVAL);
		}
	}
out:
	arena_free(a);
	return 0;
}
