/*
 * In-memory token-bucket rate limiting keyed by a string: a user id, a token id or a client
 * address. Each key's bucket holds at most burst tokens, refills at rate_per_s and pays one
 * token per request. The table has a fixed capacity; it never grows.
 */
#ifndef CRM_RATELIMIT_H
#define CRM_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ratelimit;

/*
 * A limiter of rate_per_s requests a second per key, with bursts of up to burst requests,
 * tracking at most max_keys keys. rate_per_s 0 means unlimited (burst and max_keys are then
 * ignored). Otherwise rate_per_s must be positive and finite, burst finite and at least 1,
 * max_keys between 1 and 2^24; anything else is a bug (CRM_BUG). Caller frees with
 * ratelimit_free().
 *
 * When all max_keys are tracked, a new key replaces the least recently seen one. If that
 * bucket had refilled to burst nothing is lost, a full bucket being what a new key gets;
 * otherwise the evicted key starts again with a full bucket. Size max_keys so that this
 * happens only under a flood of distinct keys.
 */
struct ratelimit *ratelimit_new(double rate_per_s, double burst, size_t max_keys);

/* Frees the limiter and its keys. NULL is a no-op. */
void ratelimit_free(struct ratelimit *rl);

/*
 * Takes one token from key's bucket (key borrowed for the call, never NULL; a new key
 * starts full). now_ms is a monotonic clock in milliseconds, e.g. time_mono_ns() / 1000000;
 * a reading earlier than the key's last one counts as no time elapsed. Returns true when
 * the request may proceed. Otherwise returns false and, if out_retry_after_s is not NULL,
 * sets it to the whole seconds until a token is available (at least 1, for Retry-After);
 * on true it is left untouched. Thread-safe: one mutex guards the table, held for a hash
 * lookup and a few arithmetic operations.
 */
bool ratelimit_take(struct ratelimit *rl, const char *key, int64_t now_ms, int *out_retry_after_s);

/*
 * The arithmetic of one bucket, for buckets kept elsewhere (the login limit's, in the
 * database): *tokens refilled at rate_per_s since *last_ms, up to burst (a clock set back
 * counts as no time elapsed), *last_ms moved to now_ms, and one token taken if there is
 * one. Returns true when taken; otherwise *wait_s (if not NULL) gets the seconds until a
 * token is there. A new bucket is *tokens = burst, *last_ms = now_ms.
 */
bool ratelimit_bucket_take(double *tokens, int64_t *last_ms, double rate_per_s, double burst,
			   int64_t now_ms, double *wait_s);

/* Makes each key's rate and burst 1/n of what the limiter was made with (n >= 1; a burst
 * of at least 1): the share of one of n servers that enforce one limit together.
 * Thread-safe. */
void ratelimit_share(struct ratelimit *rl, unsigned n);

/* How many keys are tracked now (for tests and metrics). Thread-safe. */
size_t ratelimit_count(struct ratelimit *rl);

#endif
