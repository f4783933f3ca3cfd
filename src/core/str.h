/*
 * Length-counted string views (struct str, like nginx ngx_str_t) and a growable string
 * builder (struct strbuf, like git's strbuf). A view never owns its bytes.
 */
#ifndef CRM_STR_H
#define CRM_STR_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;

struct str {
	const char *p;
	size_t len;
};

#define STR_LIT(s) ((struct str){(s), sizeof(s) - 1})
#define STR_NULL   ((struct str){NULL, 0})

/* A view of a NUL-terminated string (NULL gives the empty view). */
struct str str_from(const char *s);
bool str_eq(struct str a, struct str b);
bool str_eq_cstr(struct str a, const char *s);
bool str_starts_with(struct str s, struct str prefix);
/* Case-insensitive ASCII comparison. */
bool str_eq_nocase(struct str a, struct str b);
/* The part of s before the first sep (whole s if none); *rest gets what follows the sep,
 * or an empty view with p == NULL when there was no sep. */
struct str str_split(struct str s, char sep, struct str *rest);
struct str str_trim(struct str s);
/* A NUL-terminated copy allocated in the arena. */
char *str_dup(struct arena *a, struct str s);
/* Parses a whole view as a base-10 integer within [min, max]; false otherwise. */
bool str_to_i64(struct str s, int64_t min, int64_t max, int64_t *out);
/* Length of the valid UTF-8 sequence at p (n > 0 bytes left), or 0 when p starts none:
 * overlong forms, surrogates, values past U+10FFFF and truncated sequences are invalid.
 * *out_cp (if not NULL) gets the code point. */
size_t str_utf8_seq(const unsigned char *p, size_t n, uint32_t *out_cp);
/* Whether the NUL-terminated s is valid UTF-8 throughout. */
bool str_utf8_valid(const char *s);

/* Base64url without padding (RFC 4648 §5): n bytes of data as text allocated in the
 * arena; and back, NUL-terminated in the arena (*out_len bytes), false for text that is
 * not base64url. For opaque tokens in URLs (list cursors). */
char *str_base64url_encode(struct arena *a, const void *data, size_t n);
bool str_base64url_decode(struct arena *a, struct str text, char **out, size_t *out_len);

/* A string builder. Zero-initialised or STRBUF_INIT is an empty buffer; buf is always
 * NUL-terminated. With an arena (strbuf_init_arena) memory comes from the arena and
 * strbuf_release is unnecessary; otherwise caller frees with strbuf_release(). */
struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
	struct arena *arena;
};

#define STRBUF_INIT                                                                                \
	{                                                                                          \
		NULL, 0, 0, NULL                                                                   \
	}

void strbuf_init_arena(struct strbuf *sb, struct arena *a, size_t hint);
void strbuf_release(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_add(struct strbuf *sb, const void *data, size_t n);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, char c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
/* The contents, NUL-terminated ("" for an empty buffer; never NULL). */
const char *strbuf_cstr(const struct strbuf *sb);
/* Heap buffer only: hands the buffer to the caller (who frees with free()) and resets sb. */
char *strbuf_detach(struct strbuf *sb, size_t *len);

#endif
