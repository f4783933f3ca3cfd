/*
 * Arena allocator. Blocks form a singly linked list, newest first; an allocation larger
 * than a quarter of the block size gets a block of its own so large bodies do not waste
 * the tail of the current block.
 */
#include "core/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mem.h"
#include "core/banned.h"

#define ALIGN	      16
#define DEFAULT_BLOCK 8192

struct block {
	struct block *next;
	size_t size; /* usable bytes after the header */
	size_t used;
	_Alignas(ALIGN) unsigned char data[];
};

struct cleanup {
	struct cleanup *next;
	void (*fn)(void *data);
	void *data;
};

struct arena {
	struct block *head;
	struct cleanup *cleanups;
	size_t block_size;
	size_t total;
};

static struct block *block_new(size_t size)
{
	struct block *b = xmalloc(sizeof(*b) + size);

	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

struct arena *arena_new(size_t block_size)
{
	struct arena *a = xcalloc(1, sizeof(*a));

	a->block_size = block_size ? block_size : DEFAULT_BLOCK;
	a->head = block_new(a->block_size);
	return a;
}

static void run_cleanups(struct arena *a)
{
	while (a->cleanups) {
		struct cleanup *c = a->cleanups;

		a->cleanups = c->next;
		c->fn(c->data);
	}
}

void arena_free(struct arena *a)
{
	if (!a)
		return;
	run_cleanups(a);
	while (a->head) {
		struct block *b = a->head;

		a->head = b->next;
		free(b);
	}
	free(a);
}

void arena_reset(struct arena *a)
{
	struct block *keep = NULL;

	run_cleanups(a);
	while (a->head) {
		struct block *b = a->head;

		a->head = b->next;
		/* keep one standard-size block: the oldest one, which is standard */
		if (!a->head && b->size == a->block_size) {
			keep = b;
			break;
		}
		free(b);
	}
	if (!keep)
		keep = block_new(a->block_size);
	keep->used = 0;
	keep->next = NULL;
	a->head = keep;
	a->total = 0;
}

void *arena_alloc(struct arena *a, size_t n)
{
	struct block *b = a->head;
	size_t need = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	void *p;

	if (need < n)
		CRM_BUG("arena allocation of %zu bytes overflows", n);
	if (need > a->block_size / 4) {
		/* big: its own block, linked behind the current one so the head keeps filling */
		struct block *big = block_new(need);

		big->used = need;
		big->next = b->next;
		b->next = big;
		a->total += need;
		return big->data;
	}
	if (b->size - b->used < need) {
		b = block_new(a->block_size);
		b->next = a->head;
		a->head = b;
	}
	p = b->data + b->used;
	b->used += need;
	a->total += need;
	return p;
}

void *arena_calloc(struct arena *a, size_t count, size_t n)
{
	void *p;

	if (n && count > SIZE_MAX / n)
		CRM_BUG("arena_calloc(%zu, %zu) overflows", count, n);
	p = arena_alloc(a, count * n);
	memset(p, 0, count * n);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;
	char *p;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		CRM_BUG("bad format '%s'", fmt);
	p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

void arena_cleanup_add(struct arena *a, void (*fn)(void *data), void *data)
{
	struct cleanup *c = arena_alloc(a, sizeof(*c));

	c->fn = fn;
	c->data = data;
	c->next = a->cleanups;
	a->cleanups = c;
}

size_t arena_used(const struct arena *a)
{
	return a->total;
}
