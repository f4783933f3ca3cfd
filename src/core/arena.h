/*
 * Arena allocator: bump allocation from chained blocks, freed in one step. Cleanup
 * callbacks registered on an arena release non-memory resources (a borrowed connection, a
 * file) when the arena is reset or freed, newest first (nginx ngx_pool_cleanup_add).
 * An arena is not thread-safe: one request, one thread.
 */
#ifndef CRM_ARENA_H
#define CRM_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

/* Creates an arena whose blocks are at least block_size bytes (0: 8 KiB).
 * Caller frees with arena_free(). */
struct arena *arena_new(size_t block_size);

/* Runs the cleanups and frees every block. NULL is a no-op. */
void arena_free(struct arena *a);

/* Runs the cleanups and forgets every allocation, keeping the first block for reuse. */
void arena_reset(struct arena *a);

/* n bytes aligned for any type; never NULL (aborts when memory is exhausted). */
void *arena_alloc(struct arena *a, size_t n);

/* As arena_alloc, zero-filled. count * n must not overflow (checked). */
void *arena_calloc(struct arena *a, size_t count, size_t n);

/* Copies of strings, NUL-terminated, allocated in the arena. */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);

/* Registers fn(data) to run when the arena is reset or freed; newest runs first. */
void arena_cleanup_add(struct arena *a, void (*fn)(void *data), void *data);

/* Bytes handed out since creation or the last reset (for tests and metrics). */
size_t arena_used(const struct arena *a);

#endif
