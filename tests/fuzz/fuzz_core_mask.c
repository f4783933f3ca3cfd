/*
 * libFuzzer target: masks arbitrary bytes under every kind and checks what mask.h promises:
 * valid UTF-8 out, at most 4 bytes longer, a mask masks to itself and is its value's echo,
 * phones keep their shape and star at least 4 digits (a mobile always its middle four).
 * The input is also split at newlines into structured address parts and echo pairs, and
 * masked as free text (mask_text): at most 3 bytes longer per '@', masking it again only
 * stars digits, no run of 9 digits or more outside a UUID and no e-mail local part survive.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/mask.h"

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			abort();                                                                   \
	} while (0)

/* Length of the valid UTF-8 sequence at p, 0 if none (written apart from mask.c's). */
static size_t seq_len(const unsigned char *p, size_t n)
{
	uint32_t c;
	size_t len;

	if (p[0] < 0x80)
		return 1;
	len = (p[0] & 0xe0) == 0xc0 ? 2 : (p[0] & 0xf0) == 0xe0 ? 3 : (p[0] & 0xf8) == 0xf0 ? 4 : 0;
	if (!len || n < len)
		return 0;
	c = p[0] & (0x7f >> len);
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (c < (len == 2   ? 0x80u
		 : len == 3 ? 0x800u
			    : 0x10000u) ||
	    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	return len;
}

static bool utf8_valid(const char *s)
{
	size_t n = strlen(s), len;

	for (size_t i = 0; i < n; i += len)
		if (!(len = seq_len((const unsigned char *)s + i, n - i)))
			return false;
	return true;
}

/* Code points, an invalid byte counting as one. */
static size_t units(const char *s)
{
	size_t n = strlen(s), u = 0, len;

	for (size_t i = 0; i < n; i += len ? len : 1, u++)
		len = seq_len((const unsigned char *)s + i, n - i);
	return u;
}

static bool is_slot(char c)
{
	return (c >= '0' && c <= '9') || c == '*';
}

static void check_phone(const char *in, const char *out)
{
	size_t n = strlen(in), slots = 0, starred = 0;
	bool shaped = true, mobile = n == 11 && in[0] == '1';

	for (size_t i = 0; i < n; i++) {
		if (is_slot(in[i]))
			slots++;
		else if (!strchr(" -().", in[i]) && !(in[i] == '+' && i == 0))
			shaped = false;
		if (in[i] < '0' || in[i] > '9')
			mobile = false;
	}
	if (!shaped) {
		CHECK(strspn(out, "*") == strlen(out) && strlen(out) == units(in));
		return;
	}
	CHECK(strlen(out) == n);
	for (size_t i = 0; i < n; i++) {
		if (slots < 7 || is_slot(in[i]))
			CHECK(out[i] == in[i] || out[i] == '*');
		else
			CHECK(out[i] == in[i]); /* separators stay */
		starred += is_slot(in[i]) && out[i] == '*';
	}
	if (slots < 7)
		CHECK(strspn(out, "*") == n);
	else
		CHECK(starred >= 4);
	if (mobile)
		CHECK(memcmp(out, in, 3) == 0 && memcmp(out + 3, "****", 4) == 0 &&
		      memcmp(out + 7, in + 7, 4) == 0);
}

static void check_kind(struct arena *a, enum mask_kind k, const char *in)
{
	const char *out = mask_apply(a, k, in);
	size_t n = strlen(in), m = strlen(out);

	CHECK(strcmp(mask_apply(a, k, out), out) == 0);
	if (k == MASK_NONE) {
		CHECK(strcmp(out, in) == 0);
		CHECK(mask_check_echo(k, in, out) == MASK_ECHO_NONE);
		return;
	}
	CHECK(utf8_valid(out));
	CHECK(m <= n + 4);
	CHECK(n == 0 ? m == 0 : strchr(out, '*') != NULL);
	CHECK(mask_check_echo(k, in, out) == MASK_ECHO_SAME);
	switch (k) {
	case MASK_PHONE:
		check_phone(in, out);
		break;
	case MASK_ID_NUMBER:
	case MASK_NAME:
		CHECK(units(out) == units(in));
		break;
	case MASK_ADDRESS:
		if (n)
			CHECK(m >= 4 && strcmp(out + m - 4, "****") == 0 &&
			      memcmp(out, in, m - 4) == 0);
		break;
	case MASK_EMAIL: {
		const char *at = strrchr(in, '@');

		if (at && at != in && at[1] && utf8_valid(at))
			CHECK(m >= strlen(at) && strcmp(out + m - strlen(at), at) == 0);
		break;
	}
	default:
		break;
	}
}

/* Whether out[a..b) lies inside a UUID (8-4-4-4-12 hex digits) of out. */
static bool in_uuid(const char *out, size_t len, size_t a, size_t b)
{
	for (size_t u = a >= 35 ? a - 35 : 0; u <= a && u + 36 <= len; u++) {
		bool ok = b <= u + 36;

		for (size_t k = 0; ok && k < 36; k++) {
			char c = out[u + k];
			bool dash = k == 8 || k == 13 || k == 18 || k == 23;

			ok = dash ? c == '-'
				  : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
					     (c >= 'A' && c <= 'F');
		}
		if (ok)
			return true;
	}
	return false;
}

static bool is_local_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       strchr("._%+-", c);
}

/* A domain of two labels or more starts at p (written apart from mask.c's). */
static bool domain_follows(const char *p)
{
	size_t labels = 0;

	for (;;) {
		size_t n = strspn(
			p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");

		if (!n)
			return false;
		labels++;
		p += n;
		if (p[0] != '.' || !p[1] ||
		    !strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789-",
			    p[1]))
			return labels >= 2;
		p++;
	}
}

static void check_text(struct arena *a, const char *s)
{
	size_t n = strlen(s), ats = 0, cap, len;
	char *out, *again;

	for (size_t i = 0; i < n; i++)
		ats += s[i] == '@';
	cap = n + 3 * ats + 1;
	out = arena_alloc(a, cap);
	len = mask_text(out, cap, s, n);
	CHECK(len == strlen(out) && len <= n + 3 * ats);
	/* a second pass only stars digits the first one kept */
	again = arena_alloc(a, len + 3 * ats + 1);
	CHECK(mask_text(again, len + 3 * ats + 1, out, len) == len);
	for (size_t i = 0; i < len; i++)
		CHECK(again[i] == out[i] || (again[i] == '*' && out[i] >= '0' && out[i] <= '9'));
	for (size_t i = 0; i < len;) {
		size_t j = i;

		while (j < len && out[j] >= '0' && out[j] <= '9')
			j++;
		if (j - i >= 9)
			CHECK(in_uuid(out, len, i, j));
		i = j > i ? j : i + 1;
	}
	for (size_t i = 1; i < len; i++)
		if (out[i] == '@' && domain_follows(out + i + 1))
			CHECK(!is_local_char(out[i - 1]));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena *a;
	char *s, *parts[4] = {NULL, NULL, NULL, NULL};
	size_t np = 0;

	if (!a)
		a = arena_new(0);
	s = arena_strndup(a, (const char *)data, size); /* up to the first NUL */
	for (int k = MASK_NONE; k <= MASK_NAME; k++)
		check_kind(a, (enum mask_kind)k, s);
	check_text(a, s);

	/* "province\ncity\ndistrict\nstreet", and "current\nincoming" for the echo check */
	for (char *p = s; p && np < 4; np++) {
		parts[np] = p;
		if ((p = strchr(p, '\n')))
			*p++ = '\0';
	}
	{
		const char *out = mask_address_parts(a, parts[0], parts[1], parts[2], parts[3]);

		CHECK(utf8_valid(out));
		CHECK(strlen(out) <= size + 4);
	}
	if (np >= 2) {
		for (int k = MASK_PHONE; k <= MASK_NAME; k++) {
			const char *mine = mask_apply(a, (enum mask_kind)k, parts[0]);
			enum mask_echo e = mask_check_echo((enum mask_kind)k, parts[0], parts[1]);

			if (strcmp(mine, parts[1]) == 0)
				CHECK(e == MASK_ECHO_SAME);
			else
				CHECK(e ==
				      (strchr(parts[1], '*') ? MASK_ECHO_BAD : MASK_ECHO_NONE));
		}
	}
	arena_reset(a);
	return 0;
}
