/*
 * Token buckets in a fixed table: max_keys entries threaded on a least-recently-used list
 * and found through an open-addressing index (linear probing, at most half full,
 * backward-shift deletion, so no tombstones). Keys are hashed with SipHash-2-4 under a
 * random key, because clients choose their addresses and must not be able to pile them
 * onto one probe run.
 */
#include "core/ratelimit.h"

#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "core/err.h"
#include "core/mem.h"
#include "core/banned.h"

#define RL_MAX_KEYS ((size_t)1 << 24)
#define NIL	    UINT32_MAX

struct rl_entry {
	char *key; /* heap copy, NUL-terminated */
	size_t key_len;
	uint64_t hash;
	double tokens;
	int64_t last_ms;
	uint32_t prev, next; /* the LRU list, most recently used first */
};

struct ratelimit {
	pthread_mutex_t lock;
	double rate_per_s; /* 0: unlimited, and nothing below is allocated */
	double burst;
	unsigned share; /* rate and burst are divided by it (ratelimit_share); 0 as 1 */
	uint32_t max_keys;
	uint32_t count;		  /* entries[0..count) are in use */
	uint32_t head, tail;	  /* most and least recently used entry, NIL when empty */
	struct rl_entry *entries; /* max_keys of them */
	uint32_t *index;	  /* entry number + 1 per slot, 0 when the slot is empty */
	size_t index_mask;	  /* slots - 1; slots is a power of two >= 2 * max_keys */
	uint64_t sip_k0, sip_k1;
};

/* SipHash-2-4 (Aumasson and Bernstein, 2012). */
static uint64_t rotl(uint64_t x, int b)
{
	return x << b | x >> (64 - b);
}

static void sip_round(uint64_t v[4])
{
	v[0] += v[1];
	v[1] = rotl(v[1], 13) ^ v[0];
	v[0] = rotl(v[0], 32);
	v[2] += v[3];
	v[3] = rotl(v[3], 16) ^ v[2];
	v[0] += v[3];
	v[3] = rotl(v[3], 21) ^ v[0];
	v[2] += v[1];
	v[1] = rotl(v[1], 17) ^ v[2];
	v[2] = rotl(v[2], 32);
}

static void sip_block(uint64_t v[4], uint64_t m)
{
	v[3] ^= m;
	sip_round(v);
	sip_round(v);
	v[0] ^= m;
}

static uint64_t siphash(const void *data, size_t len, uint64_t k0, uint64_t k1)
{
	const unsigned char *p = data;
	uint64_t v[4] = {k0 ^ 0x736f6d6570736575ULL, k1 ^ 0x646f72616e646f6dULL,
			 k0 ^ 0x6c7967656e657261ULL, k1 ^ 0x7465646279746573ULL};
	uint64_t last = (uint64_t)len << 56;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		uint64_t m = 0;

		for (int b = 7; b >= 0; b--)
			m = m << 8 | p[i + (size_t)b];
		sip_block(v, m);
	}
	for (int b = 0; i < len; i++, b++)
		last |= (uint64_t)p[i] << (8 * b);
	sip_block(v, last);
	v[2] ^= 0xff;
	for (int r = 0; r < 4; r++)
		sip_round(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

struct ratelimit *ratelimit_new(double rate_per_s, double burst, size_t max_keys)
{
	struct ratelimit *rl;
	unsigned char seed[16];
	size_t slots = 2;

	if (!(rate_per_s >= 0) || !isfinite(rate_per_s))
		CRM_BUG("rate limit of %g per second", rate_per_s);
	rl = xcalloc(1, sizeof(*rl));
	rl->rate_per_s = rate_per_s;
	if (rate_per_s == 0)
		return rl;
	if (!(burst >= 1) || !isfinite(burst) || max_keys < 1 || max_keys > RL_MAX_KEYS)
		CRM_BUG("rate limit burst %g, %zu keys", burst, max_keys);
	if (getrandom(seed, sizeof(seed), 0) != (ssize_t)sizeof(seed))
		CRM_BUG("getrandom failed");
	memcpy(&rl->sip_k0, seed, 8);
	memcpy(&rl->sip_k1, seed + 8, 8);
	while (slots < 2 * max_keys)
		slots *= 2;
	pthread_mutex_init(&rl->lock, NULL);
	rl->burst = burst;
	rl->max_keys = (uint32_t)max_keys;
	rl->head = rl->tail = NIL;
	rl->entries = xcalloc(max_keys, sizeof(*rl->entries));
	rl->index = xcalloc(slots, sizeof(*rl->index));
	rl->index_mask = slots - 1;
	return rl;
}

void ratelimit_free(struct ratelimit *rl)
{
	if (!rl)
		return;
	if (rl->rate_per_s != 0) {
		for (uint32_t e = 0; e < rl->count; e++)
			free(rl->entries[e].key);
		free(rl->entries);
		free(rl->index);
		pthread_mutex_destroy(&rl->lock);
	}
	free(rl);
}

/* The index slot holding key, or the empty slot where it would go (the index is at most
 * half full, so there is one). */
static uint32_t *index_find(struct ratelimit *rl, uint64_t hash, const char *key, size_t len)
{
	for (size_t i = hash & rl->index_mask;; i = (i + 1) & rl->index_mask) {
		uint32_t *slot = &rl->index[i];
		const struct rl_entry *en;

		if (!*slot)
			return slot;
		en = &rl->entries[*slot - 1];
		if (en->hash == hash && en->key_len == len && memcmp(en->key, key, len) == 0)
			return slot;
	}
}

/* Removes entry e from the index, moving later members of its probe run back into the
 * hole so that every lookup still reaches its entry without crossing an empty slot. */
static void index_remove(struct ratelimit *rl, uint32_t e)
{
	size_t mask = rl->index_mask, i = rl->entries[e].hash & mask;

	while (rl->index[i] != e + 1)
		i = (i + 1) & mask;
	for (size_t j = (i + 1) & mask; rl->index[j]; j = (j + 1) & mask) {
		size_t home = rl->entries[rl->index[j] - 1].hash & mask;

		/* the entry at j may fill the hole unless its home lies in (i, j] */
		if (((j - home) & mask) >= ((j - i) & mask)) {
			rl->index[i] = rl->index[j];
			i = j;
		}
	}
	rl->index[i] = 0;
}

static void lru_unlink(struct ratelimit *rl, uint32_t e)
{
	struct rl_entry *en = &rl->entries[e];

	if (en->prev != NIL)
		rl->entries[en->prev].next = en->next;
	else
		rl->head = en->next;
	if (en->next != NIL)
		rl->entries[en->next].prev = en->prev;
	else
		rl->tail = en->prev;
}

static void lru_push_front(struct ratelimit *rl, uint32_t e)
{
	struct rl_entry *en = &rl->entries[e];

	en->prev = NIL;
	en->next = rl->head;
	if (rl->head != NIL)
		rl->entries[rl->head].prev = e;
	else
		rl->tail = e;
	rl->head = e;
}

/* The entry for a key not in the table: a free one, or the least recently used one. */
static uint32_t entry_claim(struct ratelimit *rl)
{
	uint32_t e;

	if (rl->count < rl->max_keys)
		return rl->count++;
	e = rl->tail;
	lru_unlink(rl, e);
	index_remove(rl, e);
	free(rl->entries[e].key);
	rl->entries[e].key = NULL;
	return e;
}

bool ratelimit_bucket_take(double *tokens, int64_t *last_ms, double rate_per_s, double burst,
			   int64_t now_ms, double *wait_s)
{
	if (now_ms > *last_ms) {
		/* unsigned: the difference of any two int64_t fits */
		double elapsed_ms = (double)((uint64_t)now_ms - (uint64_t)*last_ms);

		*tokens += elapsed_ms * rate_per_s / 1000;
	}
	if (*tokens > burst) /* also when the burst just shrank (ratelimit_share) */
		*tokens = burst;
	*last_ms = now_ms;
	if (*tokens >= 1) {
		*tokens -= 1;
		return true;
	}
	if (wait_s)
		*wait_s = (1 - *tokens) / rate_per_s;
	return false;
}

bool ratelimit_take(struct ratelimit *rl, const char *key, int64_t now_ms, int *out_retry_after_s)
{
	struct rl_entry *en;
	uint64_t hash;
	uint32_t *slot, e;
	size_t len;
	double wait_s = 0, rate, burst;
	bool ok;

	if (!key)
		CRM_BUG("rate limit key is NULL");
	if (rl->rate_per_s == 0)
		return true;
	len = strlen(key);
	hash = siphash(key, len, rl->sip_k0, rl->sip_k1);

	pthread_mutex_lock(&rl->lock);
	rate = rl->share > 1 ? rl->rate_per_s / rl->share : rl->rate_per_s;
	burst = rl->share > 1 ? rl->burst / rl->share : rl->burst;
	if (burst < 1)
		burst = 1;
	slot = index_find(rl, hash, key, len);
	if (*slot) {
		e = *slot - 1;
		en = &rl->entries[e];
		lru_unlink(rl, e);
	} else {
		bool evicting = rl->count == rl->max_keys;

		e = entry_claim(rl);
		if (evicting) /* the removal may have moved slots */
			slot = index_find(rl, hash, key, len);
		en = &rl->entries[e];
		en->key = xmalloc(len + 1);
		memcpy(en->key, key, len + 1);
		en->key_len = len;
		en->hash = hash;
		en->tokens = burst;
		en->last_ms = now_ms;
		*slot = e + 1;
	}
	lru_push_front(rl, e);
	ok = ratelimit_bucket_take(&en->tokens, &en->last_ms, rate, burst, now_ms, &wait_s);
	pthread_mutex_unlock(&rl->lock);

	if (!ok && out_retry_after_s) {
		double secs = ceil(wait_s);

		*out_retry_after_s = secs < 1 ? 1 : secs >= INT_MAX ? INT_MAX : (int)secs;
	}
	return ok;
}

void ratelimit_share(struct ratelimit *rl, unsigned n)
{
	if (rl->rate_per_s == 0)
		return;
	pthread_mutex_lock(&rl->lock);
	rl->share = n ? n : 1;
	pthread_mutex_unlock(&rl->lock);
}

size_t ratelimit_count(struct ratelimit *rl)
{
	size_t n;

	if (rl->rate_per_s == 0)
		return 0;
	pthread_mutex_lock(&rl->lock);
	n = rl->count;
	pthread_mutex_unlock(&rl->lock);
	return n;
}
