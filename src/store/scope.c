/*
 * Data scope as a range predicate. A scope is a materialised org path ending in '/', so
 * "this unit and everything under it" is  path >= '/HQ/GD/' AND path < '/HQ/GD0'  —
 * '0' being the byte after '/' — which an ordinary index on the path column serves; "this
 * unit alone" is  path >= '/HQ/GD/' AND path < '/HQ/GD/\x01'. How far a permission reaches
 * (its depth: the unit, the unit and below, the province, everything) picks the path.
 * The own-records depth reaches the rows of an owned table by their owner instead.
 */
#include "store/db_int.h"

#include <string.h>

#include "core/arena.h"
#include "core/ctx.h"
#include "core/banned.h"

struct db_scope db_scope_all(void)
{
	return (struct db_scope){"/", NULL, false, false};
}

struct db_scope db_scope_of(const struct crm_ctx *ctx)
{
	return (struct db_scope){ctx->who.org_path, ctx->who.user_id, false, false};
}

/* The first n components of path ("/HQ/GD/GD-GZ/", 2: "/HQ/GD/"), or path itself when it
 * has no more. */
static const char *path_head(struct arena *a, const char *path, int n)
{
	const char *p = path;

	for (int i = 0; i < n && p && *p; i++)
		p = strchr(p + 1, '/');
	if (!p || !p[0] || !p[1])
		return path;
	return arena_strndup(a, path, (size_t)(p - path) + 1);
}

struct db_scope db_scope_at(const struct crm_ctx *ctx, enum crm_depth depth)
{
	struct db_scope s = db_scope_of(ctx);

	if (!s.org_path)
		return s;
	switch (depth) {
	case CRM_DEPTH_OWN:
		s.own = true;
		s.exact = true;
		break;
	case CRM_DEPTH_UNIT:
		s.exact = true;
		break;
	case CRM_DEPTH_PROVINCE: /* the root, then the province: /HQ/GD/ */
		s.org_path = path_head(ctx->arena, s.org_path, 2);
		break;
	case CRM_DEPTH_ALL:
		s.org_path = "/";
		break;
	case CRM_DEPTH_DEFAULT:
	case CRM_DEPTH_BELOW:
		break;
	}
	return s;
}

struct db_scope db_scope_for(const struct crm_ctx *ctx, uint64_t perm)
{
	int bit = perm ? __builtin_ctzll(perm) : -1;

	if (bit < 0 || bit >= CRM_DEPTH_BITS)
		return db_scope_of(ctx);
	return db_scope_at(ctx, (enum crm_depth)ctx->who.depth[bit]);
}

bool db_scope_holds(struct db_scope scope, const char *path, bool owned, const char *owner)
{
	const char *p = scope.org_path && *scope.org_path ? scope.org_path : "/";
	size_t n = strlen(p);

	if (scope.own && owned)
		return owner && scope.owner_id && strcmp(owner, scope.owner_id) == 0;
	if (!path || strncmp(path, p, n) != 0)
		return false;
	return !scope.exact || path[n] == '\0';
}

void db__bind_scope(struct db_stmt *s, int i, struct db_scope scope, struct arena *a)
{
	const char *lo = scope.org_path && *scope.org_path ? scope.org_path : "/";
	size_t n = strlen(lo);
	char *hi = arena_alloc(a, n + 2);

	if (lo[n - 1] != '/')
		CRM_BUG("scope path '%s' does not end in '/'", lo);
	memcpy(hi, lo, n + 1);
	if (scope.exact) {
		/* the unit alone: below '/HQ/GD/' + any code, whose bytes are all above 0x01 */
		hi[n] = '\x01';
		hi[n + 1] = '\0';
		n++;
	} else {
		hi[n - 1] = '/' + 1;
	}
	db__bind_textn(s, i, lo, strlen(lo));
	db__bind_textn(s, i + 1, hi, n);
}
