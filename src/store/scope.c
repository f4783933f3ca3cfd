/*
 * Data scope as a range predicate. A scope is a materialised org path ending in '/', so
 * "this unit and everything under it" is  path >= '/HQ/GD/' AND path < '/HQ/GD0'  —
 * '0' being the byte after '/' — which an ordinary index on the path column serves.
 */
#include "store/db_int.h"

#include <string.h>

#include "core/arena.h"
#include "core/ctx.h"
#include "core/banned.h"

struct db_scope db_scope_all(void)
{
	return (struct db_scope){"/", NULL};
}

struct db_scope db_scope_of(const struct crm_ctx *ctx)
{
	return (struct db_scope){ctx->who.org_path, ctx->who.user_id};
}

void db__bind_scope(struct db_stmt *s, int i, struct db_scope scope, struct arena *a)
{
	const char *lo = scope.org_path && *scope.org_path ? scope.org_path : "/";
	size_t n = strlen(lo);
	char *hi = arena_strndup(a, lo, n);

	if (hi[n - 1] != '/')
		CRM_BUG("scope path '%s' does not end in '/'", lo);
	hi[n - 1] = '/' + 1;
	db__bind_textn(s, i, lo, n);
	db__bind_textn(s, i + 1, hi, n);
}
