/*
 * Login cost and timing: the median time of an argon2id password check, and of a whole
 * failed login for a wrong password and for an unknown login — which must take the same
 * time, so that timing does not tell whether an account exists. Prints key=value lines
 * for bench/auth.sh.
 *   bench-auth [ROUNDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth/auth.h"
#include "auth/auth_int.h"
#include "core/arena.h"
#include "core/ctx.h"
#include "domain/user.h"
#include "core/banned.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp);
	return v[n / 2];
}

/* One failed login; returns its duration in ms. */
static double failed_login(struct db *db, const char *login)
{
	struct arena *a = arena_new(0);
	struct auth_login_input in = {login, "Wrong-pass-000"};
	struct auth_session s;
	struct crm_ctx ctx;
	double t;

	ctx_init_system(&ctx, a, db);
	ctx.who.login = "anonymous";
	t = now_ms();
	if (auth_login(&ctx, &in, "127.0.0.1", &s) != CRM_EAUTH)
		fprintf(stderr, "bench-auth: unexpected login result: %s\n", ctx.err.message);
	t = now_ms() - t;
	arena_free(a);
	return t;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 30;
	struct auth_settings st = {.session_idle_ms = 1800000,
				   .session_max_ms = 43200000,
				   .lockout_attempts = 1000000,
				   .lockout_ms = 1000};
	struct db_open_opts o = {.migrate = true};
	struct user in = {.row.org_id = "HQ",
			  .login = "bench.user",
			  .display_name = "bench",
			  .roles = {(const char *[]){"clerk"}, 1},
			  .password = "Right-pass-2026"};
	double *verify, *wrong, *unknown;
	char path[] = "/tmp/telcrm-bench-auth-XXXXXX";
	struct crm_err err = {0};
	struct user u;
	struct crm_ctx ctx;
	struct arena *a;
	const char *hash;
	struct db *db;
	int fd;

	if (rounds < 3)
		rounds = 3;
	if ((fd = mkstemp(path)) < 0)
		return perror("mkstemp"), 1;
	close(fd);
	unlink(path);
	if (db_open(path, &o, &db, &err) || auth_start(&st, &err))
		return fprintf(stderr, "bench-auth: %s\n", err.message), 1;
	a = arena_new(0);
	ctx_init_system(&ctx, a, db);
	if (res_create_obj(&ctx, &user_res, &in, &u) ||
	    auth_password_hash(a, in.password, &hash, &ctx.err))
		return fprintf(stderr, "bench-auth: %s\n", ctx.err.message), 1;

	verify = calloc((size_t)rounds, sizeof(double));
	wrong = calloc((size_t)rounds, sizeof(double));
	unknown = calloc((size_t)rounds, sizeof(double));
	for (int i = 0; i < rounds; i++) {
		double t = now_ms();

		if (!auth__password_verify(hash, in.password))
			return fprintf(stderr, "bench-auth: verify failed\n"), 1;
		verify[i] = now_ms() - t;
		/* interleaved, so drift in the machine's speed hits both alike */
		wrong[i] = failed_login(db, "bench.user");
		unknown[i] = failed_login(db, "no.such.user");
	}
	printf("rounds=%d\n", rounds);
	printf("verify_ms=%.1f\n", median(verify, rounds));
	printf("wrong_password_ms=%.1f\n", median(wrong, rounds));
	printf("unknown_login_ms=%.1f\n", median(unknown, rounds));
	auth_stop();
	arena_free(a);
	db_close(db);
	unlink(path);
	free(verify);
	free(wrong);
	free(unknown);
	return 0;
}
