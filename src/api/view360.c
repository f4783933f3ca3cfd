/* /api/v1/customers/{id}/360: the customer 360° view, every section the caller may see
 * in one response (sections: domain/view360.c). */
#include "api/api.h"
#include "auth/auth.h"
#include "domain/view360.h"
#include "core/banned.h"

static int get(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	struct view360 v;
	int rc;

	if ((rc = view360_get(ctx, req->params[0], &v)))
		return rc;
	return http_render(ctx, req, res, 200, &view360_desc, &v, -1);
}

const struct http_route api_view360_routes[] = {
	{"GET", "/api/v1/customers/{id}/360", get, PERM_CUSTOMER_READ, 0, NULL},
	{0},
};
