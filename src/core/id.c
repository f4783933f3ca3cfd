/* UUIDv7 generation. Randomness comes from getrandom(), drawn into a per-thread pool
 * (the process never forks, so no two processes share a pool); the sub-millisecond counter
 * keeps ids monotonic within the process even when the wall clock stalls or steps back.
 * Ids are made for every request and two per customer of a bulk load: one getrandom call
 * per 32 ids, and hex written by hand. */
#include "core/id.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/random.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/time.h"
#include "core/banned.h"

static pthread_mutex_t id_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t last_ms;
static uint32_t seq; /* 12 bits used: rand_a */

/* n fresh random bytes; each byte of the pool is handed out once */
static void random_bytes(unsigned char *out, size_t n)
{
	static _Thread_local unsigned char pool[256];
	static _Thread_local size_t left;

	if (left < n) {
		if (getrandom(pool, sizeof(pool), 0) != (ssize_t)sizeof(pool))
			CRM_BUG("getrandom failed");
		left = sizeof(pool);
	}
	memcpy(out, pool + sizeof(pool) - left, n);
	left -= n;
}

/* digits lowercase hex digits of v at p; returns the end */
static char *put_hex(char *p, uint64_t v, int digits)
{
	static const char hex[] = "0123456789abcdef";

	for (int i = digits - 1; i >= 0; i--, v >>= 4)
		p[i] = hex[v & 0xf];
	return p + digits;
}

void id_new(char buf[ID_LEN + 1])
{
	unsigned char rnd[8];
	uint64_t ms, tail = 0;
	uint32_t s;
	char *p = buf;

	random_bytes(rnd, sizeof(rnd));
	pthread_mutex_lock(&id_lock);
	ms = (uint64_t)time_now_ms();
	if (ms <= last_ms) {
		ms = last_ms;
		if (++seq > 0xfff) {
			ms = ++last_ms;
			seq = 0;
		}
	} else {
		last_ms = ms;
		seq = rnd[0] & 0x3ff; /* random start, room to count up */
	}
	s = seq;
	pthread_mutex_unlock(&id_lock);

	/* xxxxxxxx-xxxx-7xxx-yxxx-xxxxxxxxxxxx: 48 bits of ms, version 7, 12 bits of counter,
	 * variant 10, 62 random bits */
	p = put_hex(p, ms >> 16, 8);
	*p++ = '-';
	p = put_hex(p, ms & 0xffff, 4);
	*p++ = '-';
	*p++ = '7';
	p = put_hex(p, s, 3);
	*p++ = '-';
	p = put_hex(p, 0x80u | (rnd[1] & 0x3fu), 2);
	p = put_hex(p, rnd[2], 2);
	*p++ = '-';
	for (int i = 3; i < 8; i++)
		tail = tail << 8 | rnd[i];
	tail = tail << 8 | (unsigned)(rnd[0] ^ rnd[3]);
	p = put_hex(p, tail, 12);
	*p = '\0';
}
char *id_new_in(struct arena *a)
{
	char *p = arena_alloc(a, ID_LEN + 1);

	id_new(p);
	return p;
}
