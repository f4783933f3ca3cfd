/*
 * Heap allocation that never returns NULL: out of memory aborts here, so callers carry
 * no OOM branches (Redis zmalloc, PostgreSQL palloc).
 */
#ifndef CRM_MEM_H
#define CRM_MEM_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
