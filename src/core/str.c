/* String views and the string builder. */
#include "core/str.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/banned.h"

struct str str_from(const char *s)
{
	return s ? (struct str){s, strlen(s)} : (struct str){"", 0};
}

bool str_eq(struct str a, struct str b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

bool str_eq_cstr(struct str a, const char *s)
{
	return str_eq(a, str_from(s));
}

bool str_starts_with(struct str s, struct str prefix)
{
	return s.len >= prefix.len && (prefix.len == 0 || memcmp(s.p, prefix.p, prefix.len) == 0);
}

bool str_eq_nocase(struct str a, struct str b)
{
	if (a.len != b.len)
		return false;
	for (size_t i = 0; i < a.len; i++)
		if (tolower((unsigned char)a.p[i]) != tolower((unsigned char)b.p[i]))
			return false;
	return true;
}

struct str str_split(struct str s, char sep, struct str *rest)
{
	const char *q = s.len ? memchr(s.p, sep, s.len) : NULL;

	if (!q) {
		if (rest)
			*rest = STR_NULL;
		return s;
	}
	if (rest)
		*rest = (struct str){q + 1, s.len - (size_t)(q - s.p) - 1};
	return (struct str){s.p, (size_t)(q - s.p)};
}

struct str str_trim(struct str s)
{
	while (s.len && isspace((unsigned char)s.p[0])) {
		s.p++;
		s.len--;
	}
	while (s.len && isspace((unsigned char)s.p[s.len - 1]))
		s.len--;
	return s;
}

char *str_dup(struct arena *a, struct str s)
{
	return arena_strndup(a, s.p ? s.p : "", s.len);
}

bool str_to_i64(struct str s, int64_t min, int64_t max, int64_t *out)
{
	int64_t v = 0;
	bool neg = false;
	size_t i = 0;

	if (s.len && (s.p[0] == '-' || s.p[0] == '+')) {
		neg = s.p[0] == '-';
		i = 1;
	}
	if (i == s.len || s.len - i > 18)
		return false;
	for (; i < s.len; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return false;
		v = v * 10 + (s.p[i] - '0');
	}
	if (neg)
		v = -v;
	if (v < min || v > max)
		return false;
	*out = v;
	return true;
}

void strbuf_init_arena(struct strbuf *sb, struct arena *a, size_t hint)
{
	sb->arena = a;
	sb->len = 0;
	sb->cap = hint ? hint : 64;
	sb->buf = arena_alloc(a, sb->cap + 1);
	sb->buf[0] = '\0';
}

void strbuf_release(struct strbuf *sb)
{
	if (!sb->arena)
		free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

void strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

void strbuf_grow(struct strbuf *sb, size_t extra)
{
	size_t want = sb->len + extra;
	size_t cap;

	if (want < sb->len)
		CRM_BUG("strbuf overflow");
	if (sb->buf && want <= sb->cap)
		return;
	cap = sb->cap ? sb->cap : 64;
	while (cap < want)
		cap *= 2;
	if (sb->arena) {
		char *nb = arena_alloc(sb->arena, cap + 1);

		if (sb->buf)
			memcpy(nb, sb->buf, sb->len + 1);
		else
			nb[0] = '\0';
		sb->buf = nb;
	} else {
		bool fresh = !sb->buf;

		sb->buf = xrealloc(sb->buf, cap + 1);
		if (fresh)
			sb->buf[0] = '\0';
	}
	sb->cap = cap;
}

void strbuf_add(struct strbuf *sb, const void *data, size_t n)
{
	strbuf_grow(sb, n);
	if (n)
		memcpy(sb->buf + sb->len, data, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void strbuf_addstr(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void strbuf_addch(struct strbuf *sb, char c)
{
	strbuf_add(sb, &c, 1);
}

void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	strbuf_grow(sb, 64);
	va_copy(ap2, ap);
	n = vsnprintf(sb->buf + sb->len, sb->cap - sb->len + 1, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		CRM_BUG("bad format '%s'", fmt);
	if ((size_t)n > sb->cap - sb->len) {
		strbuf_grow(sb, (size_t)n);
		vsnprintf(sb->buf + sb->len, sb->cap - sb->len + 1, fmt, ap);
	}
	sb->len += (size_t)n;
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

const char *strbuf_cstr(const struct strbuf *sb)
{
	return sb->buf ? sb->buf : "";
}

char *strbuf_detach(struct strbuf *sb, size_t *len)
{
	char *p;

	if (sb->arena)
		CRM_BUG("strbuf_detach on an arena buffer");
	strbuf_grow(sb, 0);
	p = sb->buf;
	if (len)
		*len = sb->len;
	sb->buf = NULL;
	sb->len = sb->cap = 0;
	return p;
}

size_t str_utf8_seq(const unsigned char *p, size_t n, uint32_t *out_cp)
{
	uint32_t c;
	size_t len;

	if (p[0] < 0x80) {
		if (out_cp)
			*out_cp = p[0];
		return 1;
	}
	if (p[0] < 0xc2)
		return 0;
	if (p[0] < 0xe0) {
		len = 2;
		c = p[0] & 0x1f;
	} else if (p[0] < 0xf0) {
		len = 3;
		c = p[0] & 0x0f;
	} else if (p[0] < 0xf5) {
		len = 4;
		c = p[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	if (out_cp)
		*out_cp = c;
	return len;
}

static const char b64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

char *str_base64url_encode(struct arena *a, const void *data, size_t n)
{
	const unsigned char *p = data;
	char *out = arena_alloc(a, (n + 2) / 3 * 4 + 1), *q = out;

	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;
		size_t left = n - i;

		if (left > 1)
			v |= (uint32_t)p[i + 1] << 8;
		if (left > 2)
			v |= p[i + 2];
		*q++ = b64url[(v >> 18) & 63];
		*q++ = b64url[(v >> 12) & 63];
		if (left > 1)
			*q++ = b64url[(v >> 6) & 63];
		if (left > 2)
			*q++ = b64url[v & 63];
	}
	*q = '\0';
	return out;
}

bool str_base64url_decode(struct arena *a, struct str text, char **out, size_t *out_len)
{
	char *buf = arena_alloc(a, text.len / 4 * 3 + 3), *q = buf;
	uint32_t v = 0;
	int bits = 0;

	if (text.len % 4 == 1)
		return false;
	for (size_t i = 0; i < text.len; i++) {
		const char *at = memchr(b64url, text.p[i], 64);

		if (!at || !text.p[i])
			return false;
		v = v << 6 | (uint32_t)(at - b64url);
		if ((bits += 6) >= 8) {
			bits -= 8;
			*q++ = (char)((v >> bits) & 0xff);
		}
	}
	*q = '\0';
	*out = buf;
	*out_len = (size_t)(q - buf);
	return true;
}

bool str_utf8_valid(const char *s)
{
	size_t n = strlen(s), k;

	for (const unsigned char *p = (const unsigned char *)s; n; p += k, n -= k)
		if (!(k = str_utf8_seq(p, n, NULL)))
			return false;
	return true;
}
