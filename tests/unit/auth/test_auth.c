/*
 * auth/: permission names and bits, the password policy, durations, argon2id hashing and
 * secrets; and, on a real database, users and roles with the grant rules and scope.
 */
#include "cmocka_all.h"

#include <string.h>

#include "../store/store_test.h"
#include "auth/auth.h"
#include "auth/auth_int.h"
#include "core/ctx.h"

static void test_perm_names_round_trip(void **state)
{
	struct arena *a = arena_new(0);
	struct crm_err err = {0};
	uint64_t bits = 0;

	(void)state;
	for (int i = 0; i < PERM_COUNT; i++) {
		assert_int_equal(auth_perm_parse(auth_perm_name(i), &bits, &err), 0);
		assert_int_equal(bits, 1ULL << i);
		assert_non_null(auth_perm_description(i));
	}
	assert_null(auth_perm_name(PERM_COUNT));
	assert_int_equal(auth_perm_parse("customer.read, pii.read  audit.read", &bits, &err), 0);
	assert_int_equal(bits, PERM_CUSTOMER_READ | PERM_PII_READ | PERM_AUDIT_READ);
	assert_string_equal(auth_perm_format(a, bits), "customer.read pii.read audit.read");
	assert_string_equal(auth_perm_format(a, 0), "");
	assert_int_equal(auth_perm_parse("", &bits, &err), 0);
	assert_int_equal(bits, 0);
	assert_int_equal(auth_perm_parse("customer.read customer.reed", &bits, &err), CRM_EINVAL);
	assert_string_equal(err.message, "unknown permission 'customer.reed'");
	/* stored text written by another version: unknown names are skipped */
	assert_int_equal(auth_perm_bits("hub.manage future.perm"), PERM_HUB_MANAGE);
	assert_int_equal(auth_perm_array(a, PERM_ADMIN_ORG | PERM_PII_READ).count, 2);
	arena_free(a);
}

static void test_password_policy(void **state)
{
	struct crm_err err = {0};

	(void)state;
	assert_int_equal(auth_password_check(&err, "password", "li.na", "short1"), CRM_EINVAL);
	assert_string_equal(err.message, "a password needs at least 10 characters");
	crm_err_clear(&err);
	assert_int_equal(auth_password_check(&err, "password", "li.na", "onlyletters"), CRM_EINVAL);
	assert_string_equal(err.message, "a password needs both letters and digits");
	crm_err_clear(&err);
	assert_int_equal(auth_password_check(&err, "password", "1234567890", "1234567890"),
			 CRM_EINVAL);
	crm_err_clear(&err);
	assert_int_equal(auth_password_check(&err, "password", "agent0042", "AGENT0042x"), 0);
	assert_int_equal(auth_password_check(&err, "password", "agent00421", "AGENT00421"),
			 CRM_EINVAL);
	assert_string_equal(err.message, "a password must not be the login");
	crm_err_clear(&err);
	assert_int_equal(auth_password_check(&err, "password", "x", "密码是安全的2026"), 0);
	{
		char longpw[AUTH_PASSWORD_MAX + 2];

		memset(longpw, 'a', sizeof(longpw) - 1);
		longpw[0] = '1';
		longpw[sizeof(longpw) - 1] = '\0';
		assert_int_equal(auth_password_check(&err, "password", "x", longpw), CRM_EINVAL);
	}
}

static void test_durations(void **state)
{
	struct crm_err err = {0};
	int64_t ms = 0;

	(void)state;
	assert_int_equal(auth_duration_parse("30d", &ms, &err), 0);
	assert_int_equal(ms, 30LL * 86400 * 1000);
	assert_int_equal(auth_duration_parse("12h", &ms, &err), 0);
	assert_int_equal(ms, 12LL * 3600 * 1000);
	assert_int_equal(auth_duration_parse("90m", &ms, &err), 0);
	assert_int_equal(ms, 90LL * 60 * 1000);
	assert_int_equal(auth_duration_parse("45s", &ms, &err), 0);
	assert_int_equal(ms, 45000);
	for (const char *const *bad = (const char *const[]){"", "d", "0d", "-1d", "3w", "1.5h",
							    "99999999999d", "12", NULL};
	     *bad; bad++) {
		crm_err_clear(&err);
		assert_int_equal(auth_duration_parse(*bad, &ms, &err), CRM_EINVAL);
	}
}

static void test_hash_and_secrets(void **state)
{
	struct arena *a = arena_new(0);
	struct crm_err err = {0};
	const char *hash = NULL;
	char *s1, *s2;

	(void)state;
	assert_int_equal(auth__password_hash(a, "Correct-horse-42", &hash, &err), 0);
	assert_true(strncmp(hash, "$argon2id$", 10) == 0);
	assert_null(strstr(hash, "Correct-horse-42"));
	assert_true(auth__password_verify(hash, "Correct-horse-42"));
	assert_false(auth__password_verify(hash, "Correct-horse-43"));
	assert_false(auth__password_verify(NULL, "Correct-horse-42"));
	s1 = auth__secret_new(a, "tcrm_");
	s2 = auth__secret_new(a, "tcrm_");
	assert_int_equal(strlen(s1), 5 + 64);
	assert_string_not_equal(s1, s2);
	assert_int_equal(strlen(auth__secret_hash(a, s1)), 64);
	assert_string_equal(auth__secret_hash(a, "abc"),
			    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_true(auth__secret_equal(s1, s1));
	assert_false(auth__secret_equal(s1, s2));
	assert_false(auth__secret_equal("abc", "abcd"));
	arena_free(a);
}

/* ---- users and roles on a database ---- */

static struct json_array words(const char **items, size_t n)
{
	return (struct json_array){items, n};
}

static void test_user_create_and_grant_rules(void **state)
{
	struct test_env *f = *state;
	struct crm_ctx *ctx = &f->ctx;
	struct auth_user_input in = {
		.login = "wang.fang",
		.display_name = "王芳",
		.org_id = "HQ",
		.roles = words((const char *[]){"clerk"}, 1),
		.password = "Counter-2026",
		.mobile = "13812345678",
	};
	struct auth_user u, again;
	struct auth_role r;
	struct auth_role_input rin = {
		.id = "user_admin",
		.name = "User administrator",
		.permissions = words((const char *[]){"admin.users"}, 1),
	};

	assert_int_equal(auth_user_create(ctx, &in, &u), 0);
	assert_string_equal(u.login, "wang.fang");
	assert_int_equal(u.roles.count, 1);
	assert_int_equal(u.version, 1);
	assert_int_equal(auth_user_get(ctx, u.id, &again), 0);
	assert_string_equal(again.mobile, "13812345678");
	/* the login is unique */
	assert_int_equal(auth_user_create(ctx, &in, &u), CRM_ECONFLICT);
	crm_err_clear(&ctx->err);
	/* unknown role, unknown org, bad login */
	in.login = "li.lei";
	in.roles = words((const char *[]){"clark"}, 1);
	assert_int_equal(auth_user_create(ctx, &in, &u), CRM_EINVAL);
	assert_string_equal(ctx->err.message, "unknown role 'clark'");
	crm_err_clear(&ctx->err);
	in.roles = words((const char *[]){"clerk"}, 1);
	in.org_id = "XX";
	assert_int_equal(auth_user_create(ctx, &in, &u), CRM_EINVAL);
	crm_err_clear(&ctx->err);
	in.org_id = "HQ";
	in.login = "Li Lei";
	assert_int_equal(auth_user_create(ctx, &in, &u), CRM_EINVAL);
	crm_err_clear(&ctx->err);

	/* a caller holding only admin.users cannot grant clerk (customer.read and more) */
	assert_int_equal(auth_role_create(ctx, &rin, &r), 0);
	ctx->who.perms = PERM_ADMIN_USERS;
	ctx->who.pii_masked = true;
	in.login = "li.lei";
	assert_int_equal(auth_user_create(ctx, &in, &u), CRM_EPERM);
	crm_err_clear(&ctx->err);
	in.roles = words((const char *[]){"user_admin"}, 1);
	assert_int_equal(auth_user_create(ctx, &in, &u), 0);
	/* nor change a user who holds more than the caller */
	{
		struct auth_user_input patch = {.display_name = "x"};

		json_mark_present(&auth_user_patch_desc, &patch, "displayName");
		assert_int_equal(auth_user_update(ctx, again.id, -1, &patch, &u), CRM_EPERM);
		crm_err_clear(&ctx->err);
	}
	/* nor grant a permission in a role */
	rin.id = "sneaky";
	rin.permissions = words((const char *[]){"admin.users", "pii.read"}, 2);
	assert_int_equal(auth_role_create(ctx, &rin, &r), CRM_EPERM);
	crm_err_clear(&ctx->err);
}

static void test_user_patch_masked_echo_and_stale(void **state)
{
	struct test_env *f = *state;
	struct crm_ctx *ctx = &f->ctx;
	struct auth_user_input in = {
		.login = "zhao.lei",
		.display_name = "赵磊",
		.org_id = "HQ",
		.roles = words((const char *[]){"agent"}, 1),
		.password = "Agent-pass-77",
		.mobile = "13912345678",
		.email = "zhao.lei@example.com",
	};
	struct auth_user_input patch = {0};
	struct auth_user u, out;

	assert_int_equal(auth_user_create(ctx, &in, &u), 0);
	ctx->who.pii_masked = true; /* a caller without pii.read */
	patch.mobile = "139****5678";
	patch.email = "z***@example.com";
	patch.display_name = "赵 磊";
	json_mark_present(&auth_user_patch_desc, &patch, "mobile");
	json_mark_present(&auth_user_patch_desc, &patch, "email");
	json_mark_present(&auth_user_patch_desc, &patch, "displayName");
	assert_int_equal(auth_user_update(ctx, u.id, 1, &patch, &out), 0);
	assert_string_equal(out.mobile, "13912345678");
	assert_string_equal(out.email, "zhao.lei@example.com");
	assert_string_equal(out.display_name, "赵 磊");
	assert_int_equal(out.version, 2);
	/* a masked value that is not the current one is refused */
	patch.mobile = "138****0000";
	assert_int_equal(auth_user_update(ctx, u.id, 2, &patch, &out), CRM_EINVAL);
	crm_err_clear(&ctx->err);
	/* a stale version */
	patch.mobile = "13700000000";
	assert_int_equal(auth_user_update(ctx, u.id, 1, &patch, &out), CRM_ESTALE);
	crm_err_clear(&ctx->err);
	/* 'locked' can only lift a lockout */
	memset(&patch, 0, sizeof(patch));
	patch.locked = true;
	json_mark_present(&auth_user_patch_desc, &patch, "locked");
	assert_int_equal(auth_user_update(ctx, u.id, -1, &patch, &out), CRM_EINVAL);
	crm_err_clear(&ctx->err);
}

static void test_scope_hides_users(void **state)
{
	struct test_env *f = *state;
	struct crm_ctx *ctx = &f->ctx;
	struct db_list_opts lo = {.limit = 100};
	struct auth_user_input in = {
		.login = "hq.boss",
		.display_name = "HQ",
		.org_id = "HQ",
		.roles = words((const char *[]){"manager"}, 1),
		.password = "Manager-pass-1",
	};
	struct auth_user u, out, *items;
	size_t n;
	int64_t total;

	assert_int_equal(auth_user_create(ctx, &in, &u), 0);
	ctx->who.org_path = "/HQ/GD/"; /* a caller in a province that has no users */
	assert_int_equal(auth_user_get(ctx, u.id, &out), CRM_ENOTFOUND);
	crm_err_clear(&ctx->err);
	assert_int_equal(auth_user_list(ctx, &lo, &items, &n, &total), 0);
	assert_int_equal(n, 0);
	assert_int_equal(total, 0);
}

static void test_roles(void **state)
{
	struct test_env *f = *state;
	struct crm_ctx *ctx = &f->ctx;
	struct auth_role_input in = {
		.id = "night_shift",
		.name = "Night shift",
		.permissions = words((const char *[]){"customer.read", "ticket.handle"}, 2),
	};
	struct auth_role r;

	assert_int_equal(auth_role_get(ctx, "clerk", &r), 0);
	assert_true(r.builtin);
	assert_int_equal(auth_role_delete(ctx, "clerk", -1), CRM_ECONFLICT);
	crm_err_clear(&ctx->err);
	assert_int_equal(auth_role_create(ctx, &in, &r), 0);
	assert_int_equal(r.permissions.count, 2);
	in.permissions = words((const char *[]){"customer.fly"}, 1);
	in.id = "pilot";
	assert_int_equal(auth_role_create(ctx, &in, &r), CRM_EINVAL);
	crm_err_clear(&ctx->err);
	assert_int_equal(auth_role_delete(ctx, "night_shift", 2), CRM_ESTALE);
	crm_err_clear(&ctx->err);
	assert_int_equal(auth_role_delete(ctx, "night_shift", 1), 0);
	assert_int_equal(auth_role_get(ctx, "night_shift", &r), CRM_ENOTFOUND);
}

/* Decodes text with desc as the API would (json_parse, json_decode); 0 or the error. */
static int decode_text(struct crm_ctx *ctx, const char *text, const struct json_desc *desc,
		       void *out, enum json_mode mode)
{
	cJSON *tree;
	int rc;

	crm_err_clear(&ctx->err);
	if ((rc = json_parse(ctx->arena, text, strlen(text), &tree, &ctx->err)))
		return rc;
	return json_decode(ctx->arena, tree, desc, out, mode, &ctx->err);
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
	struct auth_role_input rin;
	struct auth_user_input uin;
	struct auth_role r;
	struct auth_user u;

	assert_int_equal(strlen(long_id), 32);
	for (int i = 0; i < PERM_COUNT; i++)
		n += (size_t)snprintf(all + n, sizeof(all) - n, "%s\"%s\"", i ? "," : "",
				      auth_perm_name(i));
	snprintf(text, sizeof(text), "{\"id\":\"%s\",\"name\":\"All\",\"permissions\":[%s]}",
		 long_id, all);
	assert_int_equal(decode_text(ctx, text, &auth_role_create_desc, &rin, JSON_CREATE), 0);
	assert_int_equal(auth_role_create(ctx, &rin, &r), 0);
	assert_int_equal(r.permissions.count, PERM_COUNT);
	/* the full list as a patch, to the built-in admin role */
	snprintf(text, sizeof(text), "{\"permissions\":[%s]}", all);
	assert_int_equal(decode_text(ctx, text, &auth_role_patch_desc, &rin, JSON_PATCH), 0);
	assert_int_equal(auth_role_update(ctx, "admin", -1, &rin, &r), 0);
	assert_int_equal(r.permissions.count, PERM_COUNT);
	/* the 32-byte id is given to a user */
	snprintf(text, sizeof(text),
		 "{\"login\":\"zhou.min\",\"displayName\":\"Zhou\",\"orgId\":\"HQ\","
		 "\"roles\":[\"clerk\",\"%s\"],\"password\":\"Campaign-2026\"}",
		 long_id);
	assert_int_equal(decode_text(ctx, text, &auth_user_create_desc, &uin, JSON_CREATE), 0);
	assert_int_equal(auth_user_create(ctx, &uin, &u), 0);
	assert_int_equal(u.roles.count, 2);
	assert_string_equal(((const char *const *)u.roles.items)[1], long_id);
	assert_int_equal(decode_text(ctx, "{\"roles\":[\"regional_campaign_supervisor_011\"]}",
				     &auth_user_patch_desc, &uin, JSON_PATCH),
			 0);
	assert_int_equal(auth_user_update(ctx, u.id, -1, &uin, &u), 0);
	assert_int_equal(u.roles.count, 1);

	/* the limits still hold: one item too many, an item too long, an id too long */
	n = (size_t)snprintf(text, sizeof(text), "{\"permissions\":[");
	for (int i = 0; i <= PERM_COUNT; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s\"customer.read\"",
				      i ? "," : "");
	snprintf(text + n, sizeof(text) - n, "]}");
	assert_int_equal(decode_text(ctx, text, &auth_role_patch_desc, &rin, JSON_PATCH),
			 CRM_EINVAL);
	assert_string_equal(ctx->err.message, "'permissions' has more than 14 items");
	n = (size_t)snprintf(text, sizeof(text), "{\"roles\":[\"");
	for (int i = 0; i <= JSON_ITEM_MAX; i++)
		text[n++] = 'r';
	snprintf(text + n, sizeof(text) - n, "\"]}");
	assert_int_equal(decode_text(ctx, text, &auth_user_patch_desc, &uin, JSON_PATCH),
			 CRM_EINVAL);
	assert_string_equal(ctx->err.message, "'roles[0]' is longer than 256 bytes");
	assert_int_equal(decode_text(ctx,
				     "{\"id\":\"regional_campaign_supervisor_0112\","
				     "\"name\":\"x\",\"permissions\":[]}",
				     &auth_role_create_desc, &rin, JSON_CREATE),
			 CRM_EINVAL);
	assert_string_equal(ctx->err.message, "'id' is longer than 32 bytes");
	crm_err_clear(&ctx->err);
}

static int user_patch(struct crm_ctx *ctx, const char *id, const char *field,
		      struct auth_user_input *in)
{
	struct auth_user out;

	crm_err_clear(&ctx->err);
	json_mark_present(&auth_user_patch_desc, in, field);
	return auth_user_update(ctx, id, -1, in, &out);
}

static int role_set(struct crm_ctx *ctx, const char *id, struct json_array perms)
{
	struct auth_role_input in = {.permissions = perms};
	struct auth_role out;

	crm_err_clear(&ctx->err);
	json_mark_present(&auth_role_patch_desc, &in, "permissions");
	return auth_role_update(ctx, id, -1, &in, &out);
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
	struct json_array all = auth_perm_array(ctx->arena, ~(uint64_t)0);
	struct json_array no_roles = auth_perm_array(ctx->arena, ~PERM_ADMIN_ROLES);
	struct auth_user_input in = {
		.login = "boss",
		.display_name = "Boss",
		.org_id = "HQ",
		.roles = words((const char *[]){"admin"}, 1),
		.password = "Boss-pass-2026",
	};
	struct auth_role_input rin = {
		.id = "role_admin",
		.name = "Role administrator",
		.permissions = words((const char *[]){"admin.roles"}, 1),
	};
	struct auth_user boss, deputy;
	struct auth_role r;

	/* nobody holds admin.roles yet: nobody is locked out by taking it from a role */
	assert_int_equal(role_set(ctx, "admin", no_roles), 0);
	assert_int_equal(role_set(ctx, "admin", all), 0);
	assert_int_equal(auth_user_create(ctx, &in, &boss), 0);

	/* the only role administrator: the role cannot lose it, nor the user the role */
	assert_int_equal(role_set(ctx, "admin", no_roles), CRM_ECONFLICT);
	assert_string_equal(ctx->err.message, LOCKOUT_MESSAGE);
	assert_int_equal(auth_role_get(ctx, "admin", &r), 0);
	assert_int_equal(r.permissions.count, PERM_COUNT);
	assert_int_equal(
		user_patch(ctx, boss.id, "roles",
			   &(struct auth_user_input){.roles = words((const char *[]){"clerk"}, 1)}),
		CRM_ECONFLICT);
	assert_string_equal(ctx->err.message, LOCKOUT_MESSAGE);
	assert_int_equal(
		user_patch(ctx, boss.id, "status", &(struct auth_user_input){.status = "disabled"}),
		CRM_ECONFLICT);
	assert_int_equal(auth_user_get(ctx, boss.id, &boss), 0);
	assert_string_equal(boss.status, "active");
	assert_int_equal(boss.roles.count, 1);
	/* other changes to them go through */
	assert_int_equal(user_patch(ctx, boss.id, "displayName",
				    &(struct auth_user_input){.display_name = "The boss"}),
			 0);
	assert_int_equal(user_patch(ctx, boss.id, "roles",
				    &(struct auth_user_input){
					    .roles = words((const char *[]){"admin", "clerk"}, 2)}),
			 0);

	/* with a second one, the first may go; then the second must stay */
	assert_int_equal(auth_role_create(ctx, &rin, &r), 0);
	in.login = "deputy";
	in.roles = words((const char *[]){"role_admin"}, 1);
	assert_int_equal(auth_user_create(ctx, &in, &deputy), 0);
	assert_int_equal(
		user_patch(ctx, boss.id, "status", &(struct auth_user_input){.status = "disabled"}),
		0);
	assert_int_equal(user_patch(ctx, deputy.id, "status",
				    &(struct auth_user_input){.status = "disabled"}),
			 CRM_ECONFLICT);
	assert_int_equal(role_set(ctx, "role_admin", words(NULL, 0)), CRM_ECONFLICT);
	/* the admin role may lose it now: the deputy's role still grants it */
	assert_int_equal(role_set(ctx, "admin", no_roles), 0);
	assert_int_equal(auth_role_delete(ctx, "role_admin", -1), CRM_ECONFLICT);
	crm_err_clear(&ctx->err);
	/* a disabled holder does not count */
	assert_int_equal(role_set(ctx, "admin", all), 0);
	assert_int_equal(
		user_patch(ctx, deputy.id, "roles",
			   &(struct auth_user_input){.roles = words((const char *[]){"clerk"}, 1)}),
		CRM_ECONFLICT);
	/* an active one again: the deputy may step down */
	assert_int_equal(
		user_patch(ctx, boss.id, "status", &(struct auth_user_input){.status = "active"}),
		0);
	assert_int_equal(
		user_patch(ctx, deputy.id, "roles",
			   &(struct auth_user_input){.roles = words((const char *[]){"clerk"}, 1)}),
		0);
	crm_err_clear(&ctx->err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_perm_names_round_trip),
		cmocka_unit_test(test_password_policy),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_hash_and_secrets),
		cmocka_unit_test_setup_teardown(test_user_create_and_grant_rules, test_env_setup,
						test_env_teardown),
		cmocka_unit_test_setup_teardown(test_user_patch_masked_echo_and_stale,
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
