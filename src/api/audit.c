/* /api/v1/audit: the audit trail, read only (no route updates or deletes a row). */
#include "api/api.h"
#include "auth/auth.h"
#include "domain/audit.h"
#include "core/banned.h"

static int list(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	struct db_list_opts opts;
	struct audit_entry *items;
	size_t n;
	int64_t total;
	int rc;

	if ((rc = http_list_opts(ctx, req, audit_filterable, &opts)) ||
	    (rc = audit_list(ctx, &opts, &items, &n, &total)))
		return rc;
	return http_render_list(ctx, req, res, &audit_entry_desc, items, n, total);
}

const struct http_route api_audit_routes[] = {
	{"GET", "/api/v1/audit", list, PERM_AUDIT_READ, HTTP_QUERY, NULL},
	{0},
};
