/* /api/v1/permissions: the catalogue of permissions that roles group (roles and users are
 * resources of the layer: resource.c). */
#include "api/api.h"
#include "auth/auth.h"
#include "core/arena.h"
#include "core/banned.h"

static int permissions(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	struct auth_perm_info *items = arena_calloc(ctx->arena, PERM_COUNT, sizeof(*items));
	struct db_list_opts opts;
	size_t n = 0;
	int rc;

	/* a list like any other: offset and limit page it, and it has no filters */
	if ((rc = http_list_opts(ctx, req, NULL, &opts)))
		return rc;
	for (int64_t i = opts.offset; i < PERM_COUNT && (int64_t)n < opts.limit; i++)
		items[n++] = (struct auth_perm_info){auth_perm_name((int)i),
						     auth_perm_description((int)i)};
	return http_render_list(ctx, req, res, &auth_perm_info_desc, items, n, PERM_COUNT);
}

const struct http_route api_permission_routes[] = {
	{"GET", "/api/v1/permissions", permissions, 0, HTTP_QUERY, NULL},
	{0},
};
