/*
 * auth/: permission names and bits, the password policy, argon2id hashing and secrets
 * (users and roles are domain resources: tests/unit/domain/test_staff.c).
 */
#include "cmocka_all.h"

#include <string.h>

#include "auth/auth.h"
#include "core/arena.h"
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

static void test_hash_and_secrets(void **state)
{
	struct arena *a = arena_new(0);
	struct crm_err err = {0};
	const char *hash = NULL;
	char *s1, *s2;

	(void)state;
	assert_int_equal(auth_password_hash(a, "Correct-horse-42", &hash, &err), 0);
	assert_true(strncmp(hash, "$argon2id$", 10) == 0);
	assert_null(strstr(hash, "Correct-horse-42"));
	assert_true(auth__password_verify(hash, "Correct-horse-42"));
	assert_false(auth__password_verify(hash, "Correct-horse-43"));
	assert_false(auth__password_verify(NULL, "Correct-horse-42"));
	s1 = auth_secret_new(a, "tcrm_");
	s2 = auth_secret_new(a, "tcrm_");
	assert_int_equal(strlen(s1), 5 + 64);
	assert_string_not_equal(s1, s2);
	assert_int_equal(strlen(auth_secret_hash(a, s1)), 64);
	assert_string_equal(auth_secret_hash(a, "abc"),
			    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_true(auth__secret_equal(s1, s1));
	assert_false(auth__secret_equal(s1, s2));
	assert_false(auth__secret_equal("abc", "abcd"));
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_perm_names_round_trip),
		cmocka_unit_test(test_password_policy),
		cmocka_unit_test(test_hash_and_secrets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
