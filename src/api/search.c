/* GET /api/v1/search?q=&limit=: customers by phone, identification, customer number or
 * name, best first (domain/search.h). Not paged: the best `limit` hits, no total. */
#include <string.h>

#include "api/api.h"
#include "auth/auth.h"
#include "core/str.h"
#include "domain/search.h"
#include "core/banned.h"

static int search(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	const char *limit_text = http_req_query(req, "limit");
	int64_t limit = SEARCH_LIMIT_DEFAULT;
	struct search_hit *hits;
	size_t n;
	int rc;

	for (size_t i = 0; i < req->nquery; i++)
		if (strcmp(req->query[i].name, "q") != 0 &&
		    strcmp(req->query[i].name, "limit") != 0 &&
		    strcmp(req->query[i].name, "fields") != 0)
			return crm_err_set(&ctx->err, CRM_EINVAL, req->query[i].name,
					   "unknown search parameter '%s'", req->query[i].name);
	if (limit_text && !str_to_i64(str_from(limit_text), 1, SEARCH_LIMIT_MAX, &limit))
		return crm_err_set(&ctx->err, CRM_EINVAL, "limit",
				   "'limit' is a number from 1 to %d", SEARCH_LIMIT_MAX);
	if ((rc = search_customers(ctx, http_req_query(req, "q"), (size_t)limit, &hits, &n)))
		return rc;
	return http_render_list(ctx, req, res, &search_hit_desc, hits, n, -1);
}

const struct http_route api_search_routes[] = {
	{"GET", "/api/v1/search", search, PERM_CUSTOMER_READ, HTTP_QUERY, NULL},
	{0},
};
