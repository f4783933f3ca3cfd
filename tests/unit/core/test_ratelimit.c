/* Unit tests: token-bucket rate limiting with injected time (burst, refill, Retry-After,
 * clock steps), eviction at capacity, the hash index after many evictions, SipHash test
 * vectors, and threads sharing one limiter. */
#include "cmocka_all.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>

#include "core/ratelimit.c"

/* Every tracked entry is reachable through the index, the index holds nothing else, and
 * the LRU list links all entries both ways. */
static void check_table(struct ratelimit *rl)
{
	size_t used = 0, listed = 0;
	uint32_t prev = NIL;

	for (size_t i = 0; i <= rl->index_mask; i++)
		used += rl->index[i] != 0;
	assert_int_equal(used, rl->count);
	for (uint32_t e = 0; e < rl->count; e++) {
		const struct rl_entry *en = &rl->entries[e];

		assert_int_equal(*index_find(rl, en->hash, en->key, en->key_len), e + 1);
	}
	for (uint32_t e = rl->head; e != NIL; e = rl->entries[e].next) {
		assert_int_equal(rl->entries[e].prev, prev);
		prev = e;
		listed++;
	}
	assert_int_equal(rl->tail, prev);
	assert_int_equal(listed, rl->count);
}

static void test_siphash_vectors(void **state)
{
	/* from the reference implementation: key 00..0f, messages 00..(n-1) */
	unsigned char msg[64];
	uint64_t k0 = 0x0706050403020100ULL, k1 = 0x0f0e0d0c0b0a0908ULL;

	(void)state;
	for (int i = 0; i < 64; i++)
		msg[i] = (unsigned char)i;
	assert_true(siphash(msg, 0, k0, k1) == 0x726fdb47dd0e0e31ULL);
	assert_true(siphash(msg, 1, k0, k1) == 0x74f839c593dc67fdULL);
	assert_true(siphash(msg, 8, k0, k1) == 0x93f5f5799a932462ULL);
	assert_true(siphash(msg, 15, k0, k1) == 0xa129ca6149be45e5ULL);
	assert_true(siphash(msg, 63, k0, k1) == 0x958a324ceb064572ULL);
}

static void test_burst_then_refill(void **state)
{
	struct ratelimit *rl = ratelimit_new(2, 5, 16);
	int retry = -7;

	(void)state;
	for (int i = 0; i < 5; i++)
		assert_true(ratelimit_take(rl, "u1", 0, &retry));
	assert_int_equal(retry, -7); /* untouched when allowed */
	assert_false(ratelimit_take(rl, "u1", 0, &retry));
	assert_int_equal(retry, 1);
	assert_false(ratelimit_take(rl, "u1", 499, NULL));
	assert_true(ratelimit_take(rl, "u1", 500, NULL)); /* one token in 500 ms */
	assert_false(ratelimit_take(rl, "u1", 500, &retry));
	/* a long pause refills to burst, not beyond */
	for (int i = 0; i < 5; i++)
		assert_true(ratelimit_take(rl, "u1", 3600000, NULL));
	assert_false(ratelimit_take(rl, "u1", 3600000, NULL));
	/* keys are independent */
	assert_true(ratelimit_take(rl, "u2", 3600000, NULL));
	assert_true(ratelimit_take(rl, "", 3600000, NULL));
	assert_int_equal(ratelimit_count(rl), 3);
	ratelimit_free(rl);
}

/* Shared by two servers: half the rate and half the burst each, back to whole alone. */
static void test_share(void **state)
{
	struct ratelimit *rl = ratelimit_new(2, 6, 16);
	int retry = 0;

	(void)state;
	ratelimit_share(rl, 2);
	for (int i = 0; i < 3; i++)
		assert_true(ratelimit_take(rl, "u1", 0, NULL));
	assert_false(ratelimit_take(rl, "u1", 0, &retry));
	assert_int_equal(retry, 1);
	assert_false(ratelimit_take(rl, "u1", 999, NULL));
	assert_true(ratelimit_take(rl, "u1", 1000, NULL)); /* one token a second */
	/* a share that grows caps what a key holds at its new burst */
	ratelimit_share(rl, 6);
	assert_true(ratelimit_take(rl, "u2", 1000, NULL));
	assert_false(ratelimit_take(rl, "u2", 1000, NULL));
	ratelimit_share(rl, 1);
	for (int i = 0; i < 6; i++)
		assert_true(ratelimit_take(rl, "u3", 1000, NULL));
	assert_false(ratelimit_take(rl, "u3", 1000, NULL));
	ratelimit_share(rl, 0); /* as 1 */
	assert_true(ratelimit_take(rl, "u3", 1500, NULL));
	ratelimit_free(rl);
}

static void test_retry_after(void **state)
{
	struct ratelimit *rl = ratelimit_new(0.1, 1, 4);
	int retry = 0;

	(void)state;
	assert_true(ratelimit_take(rl, "ip", 0, &retry));
	assert_false(ratelimit_take(rl, "ip", 0, &retry));
	assert_int_equal(retry, 10);
	assert_false(ratelimit_take(rl, "ip", 5000, &retry));
	assert_int_equal(retry, 5);
	assert_false(ratelimit_take(rl, "ip", 9001, &retry));
	assert_int_equal(retry, 1); /* rounded up, never 0 */
	assert_true(ratelimit_take(rl, "ip", 10000, &retry));
	ratelimit_free(rl);

	rl = ratelimit_new(1.0 / 3600, 1, 4);
	assert_true(ratelimit_take(rl, "k", 0, &retry));
	assert_false(ratelimit_take(rl, "k", 0, &retry));
	assert_int_equal(retry, 3600);
	ratelimit_free(rl);

	rl = ratelimit_new(1e-12, 1, 4);
	assert_true(ratelimit_take(rl, "k", 0, &retry));
	assert_false(ratelimit_take(rl, "k", 0, &retry));
	assert_int_equal(retry, INT_MAX);
	ratelimit_free(rl);

	/* a fractional burst: half a token left after the first request */
	rl = ratelimit_new(1, 1.5, 4);
	assert_true(ratelimit_take(rl, "k", 0, &retry));
	assert_false(ratelimit_take(rl, "k", 0, &retry));
	assert_int_equal(retry, 1);
	assert_true(ratelimit_take(rl, "k", 500, &retry));
	ratelimit_free(rl);

	/* many requests a second: under a second to wait is still 1 */
	rl = ratelimit_new(1000, 1, 4);
	assert_true(ratelimit_take(rl, "k", 0, &retry));
	assert_false(ratelimit_take(rl, "k", 0, &retry));
	assert_int_equal(retry, 1);
	assert_true(ratelimit_take(rl, "k", 1, &retry));
	ratelimit_free(rl);
}

static void test_clock_steps(void **state)
{
	struct ratelimit *rl = ratelimit_new(1, 1, 4);

	(void)state;
	assert_true(ratelimit_take(rl, "k", 10000, NULL));
	/* a step back refills nothing and restarts the count from there */
	assert_false(ratelimit_take(rl, "k", 5000, NULL));
	assert_false(ratelimit_take(rl, "k", 5999, NULL));
	assert_true(ratelimit_take(rl, "k", 6000, NULL));
	/* the extremes of int64_t without overflow */
	assert_true(ratelimit_take(rl, "x", INT64_MIN, NULL));
	assert_false(ratelimit_take(rl, "x", INT64_MIN, NULL));
	assert_true(ratelimit_take(rl, "x", INT64_MAX, NULL));
	assert_false(ratelimit_take(rl, "x", INT64_MAX, NULL));
	ratelimit_free(rl);
}

static void test_rate_zero_is_unlimited(void **state)
{
	struct ratelimit *rl = ratelimit_new(0, 0, 0);
	int retry = -7;

	(void)state;
	for (int i = 0; i < 10000; i++)
		assert_true(ratelimit_take(rl, "k", 0, &retry));
	assert_int_equal(retry, -7);
	assert_int_equal(ratelimit_count(rl), 0);
	ratelimit_free(rl);
	ratelimit_free(NULL);
}

static void test_eviction_order(void **state)
{
	struct ratelimit *rl = ratelimit_new(1, 1, 3);

	(void)state;
	assert_true(ratelimit_take(rl, "a", 0, NULL));
	assert_true(ratelimit_take(rl, "b", 0, NULL));
	assert_true(ratelimit_take(rl, "c", 0, NULL));
	assert_false(ratelimit_take(rl, "a", 0, NULL)); /* order now a c b */
	assert_true(ratelimit_take(rl, "d", 0, NULL));	/* evicts b: d a c */
	assert_int_equal(ratelimit_count(rl), 3);
	assert_false(ratelimit_take(rl, "a", 0, NULL)); /* a d c */
	assert_false(ratelimit_take(rl, "c", 0, NULL)); /* c a d */
	assert_true(ratelimit_take(rl, "b", 0, NULL));	/* fresh again, evicts d: b c a */
	assert_true(ratelimit_take(rl, "d", 0, NULL));	/* evicts a: d b c */
	assert_false(ratelimit_take(rl, "c", 0, NULL));
	assert_false(ratelimit_take(rl, "b", 0, NULL));
	assert_true(ratelimit_take(rl, "a", 0, NULL));
	check_table(rl);
	ratelimit_free(rl);
}

static void test_many_keys_beyond_capacity(void **state)
{
	struct ratelimit *rl = ratelimit_new(0.001, 1, 100);
	char key[32];

	(void)state;
	for (int i = 0; i < 20000; i++) {
		snprintf(key, sizeof(key), "10.0.%d.%d", i / 256, i % 256);
		assert_true(ratelimit_take(rl, key, i, NULL));
		if (i % 997 == 0)
			check_table(rl);
	}
	assert_int_equal(ratelimit_count(rl), 100);
	check_table(rl);
	/* the last 100 keys are still tracked, and exhausted */
	for (int i = 19900; i < 20000; i++) {
		snprintf(key, sizeof(key), "10.0.%d.%d", i / 256, i % 256);
		assert_false(ratelimit_take(rl, key, 20000, NULL));
	}
	/* an early key was evicted and starts full */
	assert_true(ratelimit_take(rl, "10.0.0.0", 20000, NULL));
	check_table(rl);
	ratelimit_free(rl);

	/* the smallest table: every new key evicts the one before */
	rl = ratelimit_new(1, 1, 1);
	assert_true(ratelimit_take(rl, "a", 0, NULL));
	assert_false(ratelimit_take(rl, "a", 0, NULL));
	assert_true(ratelimit_take(rl, "b", 0, NULL));
	assert_true(ratelimit_take(rl, "a", 0, NULL));
	check_table(rl);
	ratelimit_free(rl);
}

#define NTHREADS 8
#define NKEYS	 64

struct worker {
	struct ratelimit *rl;
	int id;
	long allowed;
};

/* Shared keys, no time passing: exactly burst requests per key may pass in total. */
static void *hammer_shared(void *arg)
{
	struct worker *w = arg;
	char key[16];

	for (int round = 0; round < 300; round++) {
		for (int k = 0; k < NKEYS; k++) {
			snprintf(key, sizeof(key), "user-%d", (k + w->id) % NKEYS);
			w->allowed += ratelimit_take(w->rl, key, 0, NULL);
		}
	}
	return NULL;
}

/* Distinct keys beyond capacity, with a moving clock: evictions from every thread. */
static void *hammer_evict(void *arg)
{
	struct worker *w = arg;
	char key[32];

	for (int i = 0; i < 20000; i++) {
		snprintf(key, sizeof(key), "%d:%d", w->id, i % 500);
		w->allowed += ratelimit_take(w->rl, key, i, NULL);
	}
	return NULL;
}

static void run_threads(struct ratelimit *rl, void *(*fn)(void *), long *out_allowed)
{
	pthread_t t[NTHREADS];
	struct worker w[NTHREADS];

	*out_allowed = 0;
	for (int i = 0; i < NTHREADS; i++) {
		w[i] = (struct worker){rl, i, 0};
		assert_int_equal(pthread_create(&t[i], NULL, fn, &w[i]), 0);
	}
	for (int i = 0; i < NTHREADS; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		*out_allowed += w[i].allowed;
	}
}

static void test_threads(void **state)
{
	struct ratelimit *rl = ratelimit_new(1, 100, 1000);
	long allowed;

	(void)state;
	run_threads(rl, hammer_shared, &allowed);
	assert_int_equal(allowed, NKEYS * 100);
	assert_int_equal(ratelimit_count(rl), NKEYS);
	check_table(rl);
	ratelimit_free(rl);

	rl = ratelimit_new(10, 2, 256);
	run_threads(rl, hammer_evict, &allowed);
	assert_true(allowed >= 500 * NTHREADS); /* each key is new once */
	assert_int_equal(ratelimit_count(rl), 256);
	check_table(rl);
	ratelimit_free(rl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_siphash_vectors),
		cmocka_unit_test(test_burst_then_refill),
		cmocka_unit_test(test_share),
		cmocka_unit_test(test_retry_after),
		cmocka_unit_test(test_clock_steps),
		cmocka_unit_test(test_rate_zero_is_unlimited),
		cmocka_unit_test(test_eviction_order),
		cmocka_unit_test(test_many_keys_beyond_capacity),
		cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
