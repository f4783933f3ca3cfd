/* /api/v1/permissions: the catalogue of permissions that roles group (roles and users are
 * resources of the layer: resource.c). */
#include "api/api.h"
#include "auth/auth.h"
#include "core/arena.h"
#include "core/banned.h"

static int permissions(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	struct auth_perm_info *items = arena_calloc(ctx->arena, PERM_COUNT, sizeof(*items));

	for (int i = 0; i < PERM_COUNT; i++)
		items[i] = (struct auth_perm_info){auth_perm_name(i), auth_perm_description(i)};
	return http_render_list(ctx, req, res, &auth_perm_info_desc, items, PERM_COUNT, PERM_COUNT);
}

const struct http_route api_permission_routes[] = {
	{"GET", "/api/v1/permissions", permissions, 0, 0, NULL},
	{0},
};
