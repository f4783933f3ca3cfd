/*
 * domain/user.c, role.c and token.c on a real database: users and roles on the resource
 * layer with the grant rules (nobody grants or changes more than they hold), masked echo,
 * scope, the limits of string arrays, and the last role administrator kept; token
 * durations.
 */
#include "cmocka_all.h"

#include <string.h>

#include "../store/store_test.h"
#include "auth/auth.h"
#include "core/ctx.h"
#include "domain/role.h"
#include "domain/token.h"
#include "domain/user.h"

/* Parses text (JSON) into the context's arena; fails the test when it is not JSON. */
static cJSON *body(struct crm_ctx *ctx, const char *text)
{
	cJSON *tree = NULL;

	assert_int_equal(json_parse(ctx->arena, text, strlen(text), &tree, &ctx->err), 0);
	return tree;
}

static int create(struct crm_ctx *ctx, const struct res_desc *d, const char *text, void *out)
{
	crm_err_clear(&ctx->err);
	return res_create(ctx, d, body(ctx, text), NULL, out);
}

static int patch(struct crm_ctx *ctx, const struct res_desc *d, const char *id, int64_t version,
		 const char *text, void *out)
{
	crm_err_clear(&ctx->err);
	return res_update(ctx, d, id, version, body(ctx, text), out);
}

static void test_durations(void **state)
{
	struct crm_err err = {0};
	int64_t ms = 0;

	(void)state;
	assert_int_equal(token_duration_parse("30d", &ms, &err), 0);
	assert_int_equal(ms, 30LL * 86400 * 1000);
	assert_int_equal(token_duration_parse("12h", &ms, &err), 0);
	assert_int_equal(ms, 12LL * 3600 * 1000);
	assert_int_equal(token_duration_parse("90m", &ms, &err), 0);
	assert_int_equal(ms, 90LL * 60 * 1000);
	assert_int_equal(token_duration_parse("45s", &ms, &err), 0);
	assert_int_equal(ms, 45000);
	for (const char *const *bad = (const char *const[]){"", "d", "0d", "-1d", "3w", "1.5h",
							    "99999999999d", "12", NULL};
	     *bad; bad++) {
		crm_err_clear(&err);
		assert_int_equal(token_duration_parse(*bad, &ms, &err), CRM_EINVAL);
	}
}

static void test_user_create_and_grant_rules(void **state)
{
	struct test_env *f = *state;
	struct crm_ctx *ctx = &f->ctx;
	struct user u, first;
	struct role r;

	assert_int_equal(
		create(ctx, &user_res,
		       "{\"login\":\"wang.fang\",\"displayName\":\"王芳\",\"orgId\":\"HQ\","
		       "\"roles\":[\"clerk\"],\"password\":\"Counter-2026\","
		       "\"mobile\":\"13812345678\"}",
		       &u),
		0);
	assert_string_equal(u.login, "wang.fang");
	assert_int_equal(u.roles.count, 1);
	assert_int_equal(u.permissions.count, 4);
	assert_int_equal(u.row.version, 1);
	assert_non_null(u.password_hash);
	assert_int_equal(res_get(ctx, &user_res, u.row.id, &first), 0);
	assert_string_equal(first.mobile, "13812345678");
	assert_string_equal(first.password_hash, u.password_hash);
	assert_null(first.password);
	assert_string_equal(((const char *const *)first.roles.items)[0], "clerk");
	/* the login is unique */
	assert_int_equal(create(ctx, &user_res,
				"{\"login\":\"wang.fang\",\"displayName\":\"x\",\"orgId\":\"HQ\","
				"\"roles\":[\"clerk\"],\"password\":\"Counter-2026\"}",
				&u),
			 CRM_ECONFLICT);
	assert_string_equal(ctx->err.message, "login 'wang.fang' is taken");
	/* unknown role, unknown org, bad login, no password */
	assert_int_equal(create(ctx, &user_res,
				"{\"login\":\"li.lei\",\"displayName\":\"x\",\"orgId\":\"HQ\","
				"\"roles\":[\"clark\"],\"password\":\"Counter-2026\"}",
				&u),
			 CRM_EINVAL);
	assert_string_equal(ctx->err.message, "unknown role 'clark'");
	assert_int_equal(create(ctx, &user_res,
				"{\"login\":\"li.lei\",\"displayName\":\"x\",\"orgId\":\"XX\","
				"\"roles\":[\"clerk\"],\"password\":\"Counter-2026\"}",
				&u),
			 CRM_EINVAL);
	assert_string_equal(ctx->err.message, "org unit 'XX' not found");
	assert_int_equal(create(ctx, &user_res,
				"{\"login\":\"Li Lei\",\"displayName\":\"x\",\"orgId\":\"HQ\","
				"\"roles\":[\"clerk\"],\"password\":\"Counter-2026\"}",
				&u),
			 CRM_EINVAL);
	assert_int_equal(create(ctx, &user_res,
				"{\"login\":\"li.lei\",\"displayName\":\"x\",\"orgId\":\"HQ\","
				"\"roles\":[\"clerk\"]}",
				&u),
			 CRM_EINVAL);
	assert_string_equal(ctx->err.message, "'password' is required");

	/* a caller holding only admin.users cannot grant clerk (customer.read and more) */
	assert_int_equal(create(ctx, &role_res,
				"{\"id\":\"user_admin\",\"name\":\"User administrator\","
				"\"permissions\":[\"admin.users\"]}",
				&r),
			 0);
	ctx->who.perms = PERM_ADMIN_USERS;
	ctx->who.pii_masked = true;
	assert_int_equal(create(ctx, &user_res,
				"{\"login\":\"li.lei\",\"displayName\":\"x\",\"orgId\":\"HQ\","
				"\"roles\":[\"clerk\"],\"password\":\"Counter-2026\"}",
				&u),
			 CRM_EPERM);
	assert_int_equal(create(ctx, &user_res,
				"{\"login\":\"li.lei\",\"displayName\":\"x\",\"orgId\":\"HQ\","
				"\"roles\":[\"user_admin\"],\"password\":\"Counter-2026\"}",
				&u),
			 0);
	/* nor change a user who holds more than the caller */
	assert_int_equal(patch(ctx, &user_res, first.row.id, -1, "{\"displayName\":\"x\"}", &u),
			 CRM_EPERM);
	/* nor grant a permission in a role */
	assert_int_equal(create(ctx, &role_res,
				"{\"id\":\"sneaky\",\"name\":\"Sneaky\","
				"\"permissions\":[\"admin.users\",\"pii.read\"]}",
				&r),
			 CRM_EPERM);
}

static void test_user_patch_masked_echo_password_and_stale(void **state)
{
	struct test_env *f = *state;
	struct crm_ctx *ctx = &f->ctx;
	struct user u, out;
	const char *hash;

	assert_int_equal(create(ctx, &user_res,
				"{\"login\":\"zhao.lei\",\"displayName\":\"赵磊\",\"orgId\":\"HQ\","
				"\"roles\":[\"agent\"],\"password\":\"Agent-pass-77\","
				"\"mobile\":\"13912345678\",\"email\":\"zhao.lei@example.com\"}",
				&u),
			 0);
	hash = u.password_hash;
	ctx->who.pii_masked = true; /* a caller without pii.read */
	assert_int_equal(patch(ctx, &user_res, u.row.id, 1,
			       "{\"mobile\":\"139****5678\",\"email\":\"z***@example.com\","
			       "\"displayName\":\"赵 磊\"}",
			       &out),
			 0);
	assert_string_equal(out.mobile, "13912345678");
	assert_string_equal(out.email, "zhao.lei@example.com");
	assert_string_equal(out.display_name, "赵 磊");
	assert_int_equal(out.row.version, 2);
	assert_string_equal(out.password_hash, hash);
	/* a masked value that is not the current one is refused */
	assert_int_equal(patch(ctx, &user_res, u.row.id, 2, "{\"mobile\":\"138****0000\"}", &out),
			 CRM_EINVAL);
	/* a stale version */
	assert_int_equal(patch(ctx, &user_res, u.row.id, 1, "{\"mobile\":\"13700000000\"}", &out),
			 CRM_ESTALE);
	/* 'locked' can only lift a lockout */
	assert_int_equal(patch(ctx, &user_res, u.row.id, -1, "{\"locked\":true}", &out),
			 CRM_EINVAL);
	/* a new password alone is a change: a new hash and version, the policy applied */
	assert_int_equal(patch(ctx, &user_res, u.row.id, -1, "{\"password\":\"zhao.lei\"}", &out),
			 CRM_EINVAL);
	assert_int_equal(
		patch(ctx, &user_res, u.row.id, 2, "{\"password\":\"Agent-pass-78\"}", &out), 0);
	assert_int_equal(out.row.version, 3);
	assert_string_not_equal(out.password_hash, hash);
	/* and a patch that changes nothing keeps the version */
	assert_int_equal(patch(ctx, &user_res, u.row.id, 3, "{\"displayName\":\"赵 磊\"}", &out),
			 0);
	assert_int_equal(out.row.version, 3);
}

static void test_scope_hides_users(void **state)
{
	struct test_env *f = *state;
	struct crm_ctx *ctx = &f->ctx;
	struct db_list_opts lo = {.limit = 100};
	struct res_page page;
	struct user u, out;

	assert_int_equal(create(ctx, &user_res,
				"{\"login\":\"hq.boss\",\"displayName\":\"HQ\",\"orgId\":\"HQ\","
				"\"roles\":[\"manager\"],\"password\":\"Manager-pass-1\"}",
				&u),
			 0);
	ctx->who.org_path = "/HQ/GD/"; /* a caller in a province that has no users */
	assert_int_equal(res_get(ctx, &user_res, u.row.id, &out), CRM_ENOTFOUND);
	crm_err_clear(&ctx->err);
	assert_int_equal(res_list(ctx, &user_res, &lo, &page), 0);
	assert_int_equal(page.n, 0);
	assert_int_equal(page.total, 0);
}

static void test_roles(void **state)
{
	struct test_env *f = *state;
	struct crm_ctx *ctx = &f->ctx;
	struct role r;

	assert_int_equal(res_get(ctx, &role_res, "clerk", &r), 0);
	assert_true(r.builtin);
	assert_int_equal(res_delete(ctx, &role_res, "clerk", -1), CRM_ECONFLICT);
	crm_err_clear(&ctx->err);
	assert_int_equal(create(ctx, &role_res,
				"{\"id\":\"night_shift\",\"name\":\"Night shift\","
				"\"permissions\":[\"ticket.handle\",\"customer.read\"]}",
				&r),
			 0);
	assert_int_equal(r.permissions.count, 2);
	assert_string_equal(((const char *const *)r.permissions.items)[0], "customer.read");
	assert_false(r.builtin);
	assert_int_equal(create(ctx, &role_res,
				"{\"id\":\"pilot\",\"name\":\"Pilot\","
				"\"permissions\":[\"customer.fly\"]}",
				&r),
			 CRM_EINVAL);
	assert_int_equal(create(ctx, &role_res,
				"{\"id\":\"pilot\",\"name\":\"Pilot\",\"builtin\":true,"
				"\"permissions\":[]}",
				&r),
			 CRM_EINVAL);
	assert_int_equal(res_delete(ctx, &role_res, "night_shift", 2), CRM_ESTALE);
	crm_err_clear(&ctx->err);
	assert_int_equal(res_delete(ctx, &role_res, "night_shift", 1), 0);
	assert_int_equal(res_get(ctx, &role_res, "night_shift", &r), CRM_ENOTFOUND);
	crm_err_clear(&ctx->err);
	/* nobody gives a depth beyond their own reach, the default one included */
	ctx->who.depth[0] = CRM_DEPTH_UNIT; /* customer.read, the unit alone */
	assert_int_equal(
		create(ctx, &role_res,
		       "{\"id\":\"wide\",\"name\":\"Wide\",\"permissions\":[\"customer.read\"]}",
		       &r),
		CRM_EPERM);
	assert_int_equal(
		create(ctx, &role_res,
		       "{\"id\":\"wide\",\"name\":\"Wide\",\"permissions\":[\"customer.read\"],"
		       "\"depths\":[{\"permission\":\"customer.read\",\"depth\":\"unit\"}]}",
		       &r),
		0);
	ctx->who.depth[0] = 0;
	/* only headquarters staff change roles */
	ctx->who.org_path = "/HQ/GD/";
	assert_int_equal(patch(ctx, &role_res, "clerk", -1, "{\"name\":\"Clerk\"}", &r), CRM_EPERM);
}

/* A role may grant every permission (PERM_COUNT names, the longest longer than
 * PERM_COUNT bytes), and a role id of the full 32 bytes can be given to a user: a string
 * array's count and the length of its items are separate limits. */
static void test_role_every_permission_and_long_id(void **state)
{
	struct test_env *f = *state;
	struct crm_ctx *ctx = &f->ctx;
	const char *long_id = "regional_campaign_supervisor_011"; /* 32 bytes */
	char all[1024], text[2048];
	size_t n = 0;
	struct role r;
	struct user u;

	assert_int_equal(strlen(long_id), 32);
	for (int i = 0; i < PERM_COUNT; i++)
		n += (size_t)snprintf(all + n, sizeof(all) - n, "%s\"%s\"", i ? "," : "",
				      auth_perm_name(i));
	snprintf(text, sizeof(text), "{\"id\":\"%s\",\"name\":\"All\",\"permissions\":[%s]}",
		 long_id, all);
	assert_int_equal(create(ctx, &role_res, text, &r), 0);
	assert_int_equal(r.permissions.count, PERM_COUNT);
	/* the full list as a patch, to the built-in admin role */
	snprintf(text, sizeof(text), "{\"permissions\":[%s]}", all);
	assert_int_equal(patch(ctx, &role_res, "admin", -1, text, &r), 0);
	assert_int_equal(r.permissions.count, PERM_COUNT);
	/* the 32-byte id is given to a user */
	snprintf(text, sizeof(text),
		 "{\"login\":\"zhou.min\",\"displayName\":\"Zhou\",\"orgId\":\"HQ\","
		 "\"roles\":[\"clerk\",\"%s\"],\"password\":\"Campaign-2026\"}",
		 long_id);
	assert_int_equal(create(ctx, &user_res, text, &u), 0);
	assert_int_equal(u.roles.count, 2);
	assert_string_equal(((const char *const *)u.roles.items)[1], long_id);
	assert_int_equal(patch(ctx, &user_res, u.row.id, -1,
			       "{\"roles\":[\"regional_campaign_supervisor_011\"]}", &u),
			 0);
	assert_int_equal(u.roles.count, 1);

	/* the limits still hold: one item too many, an item too long, an id too long */
	n = (size_t)snprintf(text, sizeof(text), "{\"permissions\":[");
	for (int i = 0; i <= PERM_COUNT; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s\"customer.read\"",
				      i ? "," : "");
	snprintf(text + n, sizeof(text) - n, "]}");
	assert_int_equal(patch(ctx, &role_res, "admin", -1, text, &r), CRM_EINVAL);
	snprintf(text, sizeof(text), "'permissions' has more than %d items", PERM_COUNT);
	assert_string_equal(ctx->err.message, text);
	n = (size_t)snprintf(text, sizeof(text), "{\"roles\":[\"");
	for (int i = 0; i <= JSON_ITEM_MAX; i++)
		text[n++] = 'r';
	snprintf(text + n, sizeof(text) - n, "\"]}");
	assert_int_equal(patch(ctx, &user_res, u.row.id, -1, text, &u), CRM_EINVAL);
	assert_string_equal(ctx->err.message, "'roles[0]' is longer than 256 bytes");
	assert_int_equal(create(ctx, &role_res,
				"{\"id\":\"regional_campaign_supervisor_0112\","
				"\"name\":\"x\",\"permissions\":[]}",
				&r),
			 CRM_EINVAL);
	assert_string_equal(ctx->err.message, "'id' is longer than 32 bytes");
	crm_err_clear(&ctx->err);
}

static int user_set(struct crm_ctx *ctx, const char *id, const char *text)
{
	struct user out;

	return patch(ctx, &user_res, id, -1, text, &out);
}

static int role_set(struct crm_ctx *ctx, const char *id, uint64_t perms)
{
	struct json_array names = auth_perm_array(ctx->arena, perms);
	char text[1024];
	size_t n = (size_t)snprintf(text, sizeof(text), "{\"permissions\":[");
	struct role out;

	for (size_t i = 0; i < names.count; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s\"%s\"", i ? "," : "",
				      ((const char *const *)names.items)[i]);
	snprintf(text + n, sizeof(text) - n, "]}");
	return patch(ctx, &role_res, id, -1, text, &out);
}

#define LOCKOUT_MESSAGE                                                                            \
	"at least one active user at headquarters must keep a role granting 'admin.roles', or "    \
	"nobody could change roles any more; give one to another user first"

/* No change leaves the operator without an active HQ user who can change roles: not a
 * role losing admin.roles, nor its last holder losing the role or being disabled. */
static void test_last_role_administrator_is_kept(void **state)
{
	struct test_env *f = *state;
	struct crm_ctx *ctx = &f->ctx;
	uint64_t all = ~(uint64_t)0 >> (64 - PERM_COUNT), no_roles = all & ~PERM_ADMIN_ROLES;
	struct user boss, deputy;
	struct role r;

	/* nobody holds admin.roles yet: nobody is locked out by taking it from a role */
	assert_int_equal(role_set(ctx, "admin", no_roles), 0);
	assert_int_equal(role_set(ctx, "admin", all), 0);
	assert_int_equal(create(ctx, &user_res,
				"{\"login\":\"boss\",\"displayName\":\"Boss\",\"orgId\":\"HQ\","
				"\"roles\":[\"admin\"],\"password\":\"Boss-pass-2026\"}",
				&boss),
			 0);

	/* the only role administrator: the role cannot lose it, nor the user the role */
	assert_int_equal(role_set(ctx, "admin", no_roles), CRM_ECONFLICT);
	assert_string_equal(ctx->err.message, LOCKOUT_MESSAGE);
	assert_int_equal(res_get(ctx, &role_res, "admin", &r), 0);
	assert_int_equal(r.permissions.count, PERM_COUNT);
	assert_int_equal(user_set(ctx, boss.row.id, "{\"roles\":[\"clerk\"]}"), CRM_ECONFLICT);
	assert_string_equal(ctx->err.message, LOCKOUT_MESSAGE);
	assert_int_equal(user_set(ctx, boss.row.id, "{\"status\":\"disabled\"}"), CRM_ECONFLICT);
	assert_int_equal(res_get(ctx, &user_res, boss.row.id, &boss), 0);
	assert_string_equal(boss.status, "active");
	assert_int_equal(boss.roles.count, 1);
	/* other changes to them go through */
	assert_int_equal(user_set(ctx, boss.row.id, "{\"displayName\":\"The boss\"}"), 0);
	assert_int_equal(user_set(ctx, boss.row.id, "{\"roles\":[\"admin\",\"clerk\"]}"), 0);

	/* with a second one, the first may go; then the second must stay */
	assert_int_equal(create(ctx, &role_res,
				"{\"id\":\"role_admin\",\"name\":\"Role administrator\","
				"\"permissions\":[\"admin.roles\"]}",
				&r),
			 0);
	assert_int_equal(create(ctx, &user_res,
				"{\"login\":\"deputy\",\"displayName\":\"Deputy\",\"orgId\":\"HQ\","
				"\"roles\":[\"role_admin\"],\"password\":\"Boss-pass-2026\"}",
				&deputy),
			 0);
	assert_int_equal(user_set(ctx, boss.row.id, "{\"status\":\"disabled\"}"), 0);
	assert_int_equal(user_set(ctx, deputy.row.id, "{\"status\":\"disabled\"}"), CRM_ECONFLICT);
	assert_int_equal(role_set(ctx, "role_admin", 0), CRM_ECONFLICT);
	/* the admin role may lose it now: the deputy's role still grants it */
	assert_int_equal(role_set(ctx, "admin", no_roles), 0);
	assert_int_equal(res_delete(ctx, &role_res, "role_admin", -1), CRM_ECONFLICT);
	crm_err_clear(&ctx->err);
	/* a disabled holder does not count */
	assert_int_equal(role_set(ctx, "admin", all), 0);
	assert_int_equal(user_set(ctx, deputy.row.id, "{\"roles\":[\"clerk\"]}"), CRM_ECONFLICT);
	/* an active one again: the deputy may step down */
	assert_int_equal(user_set(ctx, boss.row.id, "{\"status\":\"active\"}"), 0);
	assert_int_equal(user_set(ctx, deputy.row.id, "{\"roles\":[\"clerk\"]}"), 0);
	crm_err_clear(&ctx->err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_durations),
		cmocka_unit_test_setup_teardown(test_user_create_and_grant_rules, test_env_setup,
						test_env_teardown),
		cmocka_unit_test_setup_teardown(test_user_patch_masked_echo_password_and_stale,
						test_env_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_scope_hides_users, test_env_setup,
						test_env_teardown),
		cmocka_unit_test_setup_teardown(test_roles, test_env_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_role_every_permission_and_long_id,
						test_env_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_last_role_administrator_is_kept,
						test_env_setup, test_env_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
