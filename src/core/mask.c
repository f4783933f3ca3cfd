/*
 * Personal data masks (rules in mask.h). Everything works on bytes and code points read by
 * a strict UTF-8 decoder, so no locale is involved and a multi-byte character is never cut;
 * bytes outside valid sequences are shown as '*', which keeps the output valid UTF-8.
 */
#include "core/mask.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/str.h"
#include "core/banned.h"

/* Fewest phone digit slots that are masked rather than starred whole, and fewest starred. */
#define PHONE_MIN_SLOTS	 7
#define PHONE_MIN_HIDDEN 4
#define PHONE_KEEP_FIRST 3
#define PHONE_KEEP_LAST	 4
/* How far into an address the district-level unit may end, and what is kept without one. */
#define ADDR_MAX_CP	 24
#define ADDR_FALLBACK_CP 6

#define CP_DI	 0x5730 /* 地 */
#define CP_ZI	 0x81ea /* 自 */
#define CP_ZHI	 0x6cbb /* 治 */
#define CP_XING	 0x884c /* 行 */
#define CP_ZHENG 0x653f /* 政 */
#define CP_QU	 0x533a /* 区 */
#define CP_XIAN	 0x53bf /* 县 */
#define CP_QI	 0x65d7 /* 旗 */

/* Byte length of the unit at p: a code point, or one invalid byte (*valid false). */
static size_t unit_at(const char *p, size_t n, bool *valid)
{
	uint32_t cp;
	size_t len = str_utf8_seq((const unsigned char *)p, n, &cp);

	*valid = len > 0;
	return len ? len : 1;
}

static size_t count_units(const char *p, size_t n)
{
	size_t units = 0;
	bool valid;

	for (size_t i = 0; i < n; i += unit_at(p + i, n - i, &valid))
		units++;
	return units;
}

static void add_stars(struct strbuf *sb, size_t count)
{
	while (count--)
		strbuf_addch(sb, '*');
}

/* Shows the first keep_first and last keep_last of the units of p and stars the rest. */
static void mask_units(struct strbuf *sb, const char *p, size_t n, size_t keep_first,
		       size_t keep_last)
{
	size_t units = count_units(p, n), u = 0, len;
	bool valid;

	for (size_t i = 0; i < n; i += len, u++) {
		len = unit_at(p + i, n - i, &valid);
		if ((u < keep_first || u + keep_last >= units) && valid)
			strbuf_add(sb, p + i, len);
		else
			strbuf_addch(sb, '*');
	}
}

/* The value as it is, invalid bytes shown as '*'. */
static void add_clean(struct strbuf *sb, const char *p, size_t n)
{
	mask_units(sb, p, n, SIZE_MAX, 0);
}

/* Strings without a rule of their own, passports and other short ids. */
static void mask_generic(struct strbuf *sb, const char *p, size_t n)
{
	if (count_units(p, n) >= 6)
		mask_units(sb, p, n, 1, 2);
	else
		mask_units(sb, p, n, 0, 0);
}

static void mask_id_number(struct strbuf *sb, const char *p, size_t n)
{
	if (count_units(p, n) >= 15)
		mask_units(sb, p, n, 6, 4);
	else
		mask_generic(sb, p, n);
}

static void mask_name(struct strbuf *sb, const char *p, size_t n)
{
	if (count_units(p, n) == 1)
		strbuf_addch(sb, '*');
	else
		mask_units(sb, p, n, 1, 0);
}

static void mask_email(struct strbuf *sb, const char *p, size_t n)
{
	size_t at = n, len;
	bool valid;

	while (at > 0 && p[at - 1] != '@')
		at--;
	if (at < 2 || at == n) { /* no '@', or nothing before or after the last one */
		mask_generic(sb, p, n);
		return;
	}
	at--;
	len = unit_at(p, at, &valid);
	if (valid)
		strbuf_add(sb, p, len);
	else
		strbuf_addch(sb, '*');
	strbuf_add(sb, "***@", 4);
	add_clean(sb, p + at + 1, n - at - 1);
}

static bool is_slot(char c)
{
	return (c >= '0' && c <= '9') || c == '*';
}

static size_t count_slots(const char *p, size_t n)
{
	size_t slots = 0;

	for (size_t i = 0; i < n; i++)
		slots += is_slot(p[i]);
	return slots;
}

/* Bytes of a leading fixed-line area code with its delimiter ("010-", "(0755) "), 0 when
 * there is none. The area code is 0 and two or three more digits. */
static size_t fixed_line_area(const char *p, size_t n)
{
	size_t i = 0, digits = 0;
	bool paren = false, delimited = false;

	if (i < n && p[i] == '(') {
		paren = true;
		i++;
	}
	if (i >= n || p[i] != '0')
		return 0;
	while (i < n && p[i] >= '0' && p[i] <= '9' && digits < 5) {
		i++;
		digits++;
	}
	if (digits < 3 || digits > 4)
		return 0;
	if (paren) {
		if (i >= n || p[i] != ')')
			return 0;
		i++;
		delimited = true;
	}
	if (i < n && (p[i] == ' ' || p[i] == '-')) {
		i++;
		delimited = true;
	}
	return delimited ? i : 0;
}

/*
 * The kept prefix (country code or area code) is found only from characters that stay
 * visible, and starring digits never creates such a prefix, so a mask masks to itself.
 */
static void mask_phone(struct strbuf *sb, const char *p, size_t n)
{
	size_t slots = 0, start = 0, first = PHONE_KEEP_FIRST, keep_last, keep_first, masked, s = 0;

	for (size_t i = 0; i < n; i++) {
		char c = p[i];

		if (is_slot(c)) {
			slots++;
		} else if (!(c == ' ' || c == '-' || c == '(' || c == ')' || c == '.' ||
			     (c == '+' && i == 0))) {
			add_stars(sb, count_units(p, n)); /* not phone-shaped */
			return;
		}
	}
	if (slots < PHONE_MIN_SLOTS) {
		add_stars(sb, n);
		return;
	}
	if (n >= 3 && memcmp(p, "+86", 3) == 0 && count_slots(p + 3, n - 3) >= PHONE_MIN_SLOTS) {
		start = 3;
	} else if (n >= 4 && memcmp(p, "0086", 4) == 0 &&
		   count_slots(p + 4, n - 4) >= PHONE_MIN_SLOTS) {
		start = 4;
	} else {
		size_t area = fixed_line_area(p, n);

		if (area && count_slots(p + area, n - area) >= PHONE_MIN_SLOTS) {
			start = area;
			first = 0;
		}
	}
	masked = count_slots(p + start, n - start);
	keep_last = masked - PHONE_MIN_HIDDEN;
	if (keep_last > PHONE_KEEP_LAST)
		keep_last = PHONE_KEEP_LAST;
	keep_first = masked - PHONE_MIN_HIDDEN - keep_last;
	if (keep_first > first)
		keep_first = first;
	strbuf_add(sb, p, start);
	for (size_t i = start; i < n; i++) {
		if (!is_slot(p[i])) {
			strbuf_addch(sb, p[i]);
			continue;
		}
		strbuf_addch(sb, s < keep_first || s + keep_last >= masked ? p[i] : '*');
		s++;
	}
}

/* Whether cp, following prev2 and prev1, is a district-level unit. */
static bool is_district(uint32_t prev2, uint32_t prev1, uint32_t cp)
{
	if (cp == CP_XIAN || cp == CP_QI)
		return true;
	if (cp != CP_QU || prev1 == CP_DI)
		return false;
	return !((prev2 == CP_ZI && prev1 == CP_ZHI) || (prev2 == CP_XING && prev1 == CP_ZHENG));
}

/*
 * Only the leading run of valid UTF-8 without '*' is looked at, and what is kept is a
 * prefix of it ending where that run ends in the mask: a mask masks to itself.
 */
static void mask_address(struct strbuf *sb, const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p;
	uint32_t cp, prev1 = 0, prev2 = 0;
	size_t i = 0, len, cps = 0, cut = 0, fallback = 0;

	while (cps < ADDR_MAX_CP && i < n && p[i] != '*' &&
	       (len = str_utf8_seq(u + i, n - i, &cp))) {
		i += len;
		cps++;
		if (cps == ADDR_FALLBACK_CP)
			fallback = i;
		if (is_district(prev2, prev1, cp)) {
			cut = i;
			break;
		}
		prev2 = prev1;
		prev1 = cp;
	}
	if (!cut)
		cut = cps < ADDR_FALLBACK_CP ? i : fallback;
	strbuf_add(sb, p, cut);
	strbuf_add(sb, "****", 4);
}

static void mask_to(struct strbuf *sb, enum mask_kind k, const char *p, size_t n)
{
	if (n == 0)
		return;
	switch (k) {
	case MASK_NONE:
		strbuf_add(sb, p, n);
		break;
	case MASK_PHONE:
		mask_phone(sb, p, n);
		break;
	case MASK_ID_NUMBER:
		mask_id_number(sb, p, n);
		break;
	case MASK_EMAIL:
		mask_email(sb, p, n);
		break;
	case MASK_ADDRESS:
		mask_address(sb, p, n);
		break;
	case MASK_NAME:
		mask_name(sb, p, n);
		break;
	default:
		CRM_BUG("unknown mask kind %d", (int)k);
	}
}

const char *mask_apply(struct arena *a, enum mask_kind k, const char *value)
{
	struct strbuf sb;
	size_t n;

	if (!value)
		return NULL;
	n = strlen(value);
	strbuf_init_arena(&sb, a, n + 8);
	mask_to(&sb, k, value, n);
	return strbuf_cstr(&sb);
}

const char *mask_address_parts(struct arena *a, const char *province, const char *city,
			       const char *district, const char *street)
{
	const char *parts[] = {province, city, district};
	struct strbuf sb;

	strbuf_init_arena(&sb, a, 64);
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (parts[i])
			add_clean(&sb, parts[i], strlen(parts[i]));
	if (street && *street)
		strbuf_add(&sb, "****", 4);
	return strbuf_cstr(&sb);
}

enum mask_echo mask_check_echo(enum mask_kind k, const char *current, const char *incoming)
{
	if (!incoming || k == MASK_NONE)
		return MASK_ECHO_NONE;
	if (current) {
		struct strbuf sb = STRBUF_INIT;
		bool same;

		mask_to(&sb, k, current, strlen(current));
		same = strcmp(strbuf_cstr(&sb), incoming) == 0;
		strbuf_release(&sb);
		if (same)
			return MASK_ECHO_SAME;
	}
	return strchr(incoming, '*') ? MASK_ECHO_BAD : MASK_ECHO_NONE;
}

/* ---- free text (mask_text) ---- */

/* Digit groups a number may join (+86 139 1234 5678 has four). */
#define TEXT_MAX_GROUPS 6
/* Fewest digits of a run that is masked without a rule of its own. */
#define TEXT_LONG_RUN 9

struct sink {
	char *p;
	size_t cap, len;
};

static void put(struct sink *o, char c)
{
	if (o->len + 1 < o->cap)
		o->p[o->len++] = c;
}

static void put_n(struct sink *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put(o, s[i]);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_local(char c)
{
	return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

static bool is_domain(char c)
{
	return is_alnum(c) || c == '-';
}

static bool is_separator(char c)
{
	return c == ' ' || c == '-' || c == '+';
}

/* Whether a UUID starts at s[i] (and does not continue a word or run on into one). */
static bool uuid_at(const char *s, size_t n, size_t i)
{
	if (n - i < 36 || (i > 0 && (is_alnum(s[i - 1]) || s[i - 1] == '-')) ||
	    (n - i > 36 && (is_alnum(s[i + 36]) || s[i + 36] == '-')))
		return false;
	for (size_t k = 0; k < 36; k++) {
		bool dash = k == 8 || k == 13 || k == 18 || k == 23;

		if (dash ? s[i + k] != '-' : !is_hex(s[i + k]))
			return false;
	}
	return true;
}

/* Bytes of the e-mail domain at s (two or more labels joined by '.'), 0 if none. */
static size_t domain_len(const char *s, size_t n)
{
	size_t i = 0, labels = 0, end = 0;

	while (i < n && is_domain(s[i])) {
		while (i < n && is_domain(s[i]))
			i++;
		labels++;
		end = i;
		if (i + 1 < n && s[i] == '.' && is_domain(s[i + 1]))
			i++;
		else
			break;
	}
	return labels >= 2 ? end : 0;
}

/* End of the e-mail local part that starts at s[i] (the '@' after it), 0 if none does. */
static size_t email_at(const char *s, size_t n, size_t i)
{
	size_t j = i;

	if (i > 0 && is_local(s[i - 1]))
		return 0; /* not where the local part would start */
	while (j < n && is_local(s[j]))
		j++;
	return j > i && j < n && s[j] == '@' && domain_len(s + j + 1, n - j - 1) ? j : 0;
}

static bool is_mobile(const char *d)
{
	return d[0] == '1' && d[1] >= '3' && d[1] <= '9';
}

/* What part of a number's digits d[0..nd) to keep, in groups of glen[0..ng) (ng == 1: one
 * run; x: an 'X' follows that run). False when the number is no personal data. */
static bool number_rule(const char *d, size_t nd, const size_t *glen, size_t ng, bool x,
			size_t *out_first, size_t *out_last)
{
	size_t cc = nd == 13 && memcmp(d, "86", 2) == 0	    ? 2
		    : nd == 15 && memcmp(d, "0086", 4) == 0 ? 4
							    : 0;

	if (nd == cc + 11 && is_mobile(d + cc)) {
		*out_first = cc + 3;
		*out_last = 4;
		return true;
	}
	if (ng == 2 && (glen[0] == 3 || glen[0] == 4) && d[0] == '0' && d[1] != '0' &&
	    (glen[1] == 7 || glen[1] == 8)) {
		*out_first = glen[0];
		*out_last = 4;
		return true;
	}
	if (ng != 1)
		return false;
	if (nd == 18 || (nd == 17 && x)) {
		*out_first = 4;
		*out_last = nd == 18 ? 4 : 3;
		return true;
	}
	if (nd >= TEXT_LONG_RUN) {
		*out_first = 2;
		*out_last = nd >= 12 ? 4 : 2;
		return true;
	}
	return false;
}

/* The number whose first digit is s[i]: masked into o when a rule takes it, else its first
 * run copied. Returns where to go on. */
static size_t mask_number(struct sink *o, const char *s, size_t n, size_t i)
{
	size_t start[TEXT_MAX_GROUPS], end[TEXT_MAX_GROUPS], glen[TEXT_MAX_GROUPS];
	size_t ng = 0, j = i, first, last;
	char d[32]; /* the digits of joined groups: a rule on groups takes 15 at most */

	for (;;) {
		start[ng] = j;
		while (j < n && is_digit(s[j]))
			j++;
		end[ng] = j;
		glen[ng] = j - start[ng];
		ng++;
		if (ng == TEXT_MAX_GROUPS || j + 1 >= n || !is_separator(s[j]) ||
		    !is_digit(s[j + 1]))
			break;
		/* after a space a new word begins, which may be an e-mail address's */
		if (s[j] == ' ' && email_at(s, n, j + 1))
			break;
		j++;
	}
	for (size_t m = ng; m >= 1; m--) {
		const char *digits = s + start[0];
		size_t nd = glen[0];
		bool x = false;

		if (m == 1) {
			x = end[0] < n && (s[end[0]] == 'X' || s[end[0]] == 'x');
		} else {
			for (size_t g = 1; g < m; g++)
				nd += glen[g];
			if (nd > sizeof(d))
				continue; /* too long for any rule on groups */
			nd = 0;
			for (size_t g = 0; g < m; g++) {
				memcpy(d + nd, s + start[g], glen[g]);
				nd += glen[g];
			}
			digits = d;
		}
		if (!number_rule(digits, nd, glen, m, x, &first, &last))
			continue;
		for (size_t k = i, digit = 0; k < end[m - 1]; k++) {
			if (!is_digit(s[k])) {
				put(o, s[k]);
				continue;
			}
			put(o, digit < first || digit + last >= nd ? s[k] : '*');
			digit++;
		}
		return end[m - 1];
	}
	put_n(o, s + i, glen[0]);
	return end[0];
}

size_t mask_text(char *out, size_t cap, const char *s, size_t n)
{
	struct sink o = {out, cap, 0};
	size_t i = 0;

	while (i < n) {
		char c = s[i];
		size_t at;

		/* an address first: a UUID or a number may be its local part */
		if (is_local(c) && (at = email_at(s, n, i))) {
			put(&o, c);
			put_n(&o, "***", 3);
			i = at; /* the domain goes through the rules like any text */
			continue;
		}
		if (is_hex(c) && uuid_at(s, n, i)) {
			put_n(&o, s + i, 36);
			i += 36;
			continue;
		}
		if (is_digit(c)) {
			i = mask_number(&o, s, n, i);
			continue;
		}
		put(&o, c);
		i++;
	}
	if (cap)
		out[o.len] = '\0';
	return o.len;
}
