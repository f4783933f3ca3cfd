/* Request contexts made outside HTTP. */
#include "core/ctx.h"

#include <string.h>

#include "core/banned.h"

void ctx_init_system(struct crm_ctx *ctx, struct arena *a, struct db *db)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->arena = a;
	ctx->db = db;
	ctx->who.login = "system";
	ctx->who.org_path = "/";
	ctx->who.perms = ~(uint64_t)0;
	id_new(ctx->request_id);
}

bool ctx_at_root(const struct crm_ctx *ctx)
{
	const char *p = ctx->who.org_path, *end;

	return p && p[0] == '/' && (p[1] == '\0' || ((end = strchr(p + 1, '/')) && end[1] == '\0'));
}
