/* UUIDv7 generation. Randomness comes from getrandom(); the sub-millisecond counter keeps
 * ids monotonic within the process even when the wall clock stalls or steps back. */
#include "core/id.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/random.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/time.h"
#include "core/banned.h"

static pthread_mutex_t id_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t last_ms;
static uint32_t seq; /* 12 bits used: rand_a */

void id_new(char buf[ID_LEN + 1])
{
	unsigned char rnd[8];
	uint64_t ms;
	uint32_t s;

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		CRM_BUG("getrandom failed");
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

	snprintf(buf, ID_LEN + 1, "%08x-%04x-7%03x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 (unsigned)(ms >> 16), (unsigned)(ms & 0xffff), (unsigned)s,
		 (unsigned)(0x80 | (rnd[1] & 0x3f)), rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7],
		 (unsigned)(rnd[0] ^ rnd[3]));
}

char *id_new_in(struct arena *a)
{
	char *p = arena_alloc(a, ID_LEN + 1);

	id_new(p);
	return p;
}
