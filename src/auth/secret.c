/*
 * Passwords and secrets. Passwords are argon2id strings (libsodium's crypto_pwhash_str,
 * interactive limits: ~50 ms and 64 MiB each). Session ids, CSRF and API tokens are 32
 * random bytes; only their SHA-256 is stored, which is enough for secrets of that entropy.
 */
#include "auth/auth_int.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "core/banned.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int sodium_ok;
static char dummy_hash[crypto_pwhash_STRBYTES];

static void init(void)
{
	sodium_ok =
		sodium_init() >= 0 && crypto_pwhash_str(dummy_hash, "not a password of anyone", 24,
							crypto_pwhash_OPSLIMIT_INTERACTIVE,
							crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0;
}

static int ready(struct crm_err *err)
{
	pthread_once(&once, init);
	return sodium_ok ? 0 : crm_err_set(err, CRM_EINTERNAL, NULL, "libsodium failed to start");
}

int auth_password_hash(struct arena *a, const char *password, const char **out, struct crm_err *err)
{
	char hash[crypto_pwhash_STRBYTES];
	int rc;

	if ((rc = ready(err)))
		return rc;
	if (crypto_pwhash_str(hash, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return crm_err_set(err, CRM_EIO, NULL, "out of memory hashing a password");
	*out = arena_strdup(a, hash);
	sodium_memzero(hash, sizeof(hash));
	return 0;
}

bool auth__password_verify(const char *hash, const char *password)
{
	bool ok;

	if (ready(NULL))
		return false;
	/* unknown users verify against a hash of the same cost, so both paths take as long */
	ok = crypto_pwhash_str_verify(hash ? hash : dummy_hash, password, strlen(password)) == 0;
	return ok && hash;
}

int auth_password_check(struct crm_err *err, const char *field, const char *login,
			const char *password)
{
	size_t n = strlen(password);
	bool letter = false, digit = false;

	if (n < AUTH_PASSWORD_MIN)
		return crm_err_set(err, CRM_EINVAL, field,
				   "a password needs at least %d characters", AUTH_PASSWORD_MIN);
	if (n > AUTH_PASSWORD_MAX)
		return crm_err_set(err, CRM_EINVAL, field,
				   "a password may have at most %d characters", AUTH_PASSWORD_MAX);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)password[i];

		letter |= (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
		digit |= c >= '0' && c <= '9';
	}
	if (!letter || !digit)
		return crm_err_set(err, CRM_EINVAL, field,
				   "a password needs both letters and digits");
	if (login && strcasecmp(login, password) == 0)
		return crm_err_set(err, CRM_EINVAL, field, "a password must not be the login");
	return 0;
}

char *auth_secret_new(struct arena *a, const char *prefix)
{
	unsigned char raw[32];
	char hex[sizeof(raw) * 2 + 1];

	pthread_once(&once, init);
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(hex, sizeof(hex), raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
	return arena_printf(a, "%s%s", prefix, hex);
}

char *auth_secret_hash(struct arena *a, const char *secret)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[sizeof(h) * 2 + 1];

	pthread_once(&once, init);
	crypto_hash_sha256(h, (const unsigned char *)secret, strlen(secret));
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	return arena_strdup(a, hex);
}

bool auth__secret_equal(const char *a, const char *b)
{
	size_t n = strlen(a);

	return n == strlen(b) && sodium_memcmp(a, b, n) == 0;
}
