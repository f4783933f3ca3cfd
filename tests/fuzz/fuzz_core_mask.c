/*
 * libFuzzer target: masks arbitrary bytes under every kind and checks what mask.h promises:
 * valid UTF-8 out, at most 4 bytes longer, a mask masks to itself and is its value's echo,
 * phones keep their shape and star at least 4 digits (a mobile always its middle four).
 * The input is also split at newlines into structured address parts and echo pairs.
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
