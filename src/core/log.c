/* logfmt lines on stderr, personal data masked; see log.h. */
#include "core/log.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/mask.h"
#include "core/str.h"
#include "core/time.h"
#include "core/banned.h"

#define LINE_MAX_BYTES 4096

static enum log_level min_level = LOG_INFO;
static _Thread_local const char *request_id;
static const char *const level_names[] = {"debug", "info", "warn", "error"};

void log_level_set(enum log_level level)
{
	min_level = level;
}

bool log_level_parse(const char *s, enum log_level *out)
{
	for (int i = LOG_DEBUG; i <= LOG_ERROR; i++)
		if (strcmp(s, level_names[i]) == 0) {
			*out = (enum log_level)i;
			return true;
		}
	return false;
}

bool log_enabled(enum log_level level)
{
	return level >= min_level;
}

void log_request_id_set(const char *id)
{
	request_id = id;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Whether text[i] may be part of a number or an e-mail address (mask_text's rules). */
static bool in_token(const char *text, size_t len, size_t i)
{
	char c = text[i];

	if (is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || strchr("._%+-@", c))
		return true;
	/* a space inside a number: "139 1234 5678" */
	return c == ' ' && i > 0 && i + 1 < len && is_digit(text[i - 1]) && is_digit(text[i + 1]);
}

/* Where text of len bytes, cut from something longer when cut, may end so that no number
 * or e-mail address is left there in part, where the masking could not tell it for what it
 * is: before the trailing run of the characters they are made of, when that run has a
 * digit or an '@'. */
static size_t cut_clean(const char *text, size_t len, bool cut)
{
	size_t start = len;
	bool risky = false;

	if (!cut)
		return len;
	while (start > 0 && in_token(text, len, start - 1)) {
		risky |= is_digit(text[start - 1]) || text[start - 1] == '@';
		start--;
	}
	return risky ? start : len;
}

void log_write(enum log_level level, const char *event, const char *fmt, ...)
{
	char line[LINE_MAX_BYTES], tail[LINE_MAX_BYTES], ts[TIME_ISO_MAX];
	va_list ap;
	int n, t;

	if (level < min_level)
		return;
	time_format_iso(time_now_ms(), ts);
	n = snprintf(line, sizeof(line), "ts=%s level=%s event=%s", ts, level_names[level], event);
	if (request_id && n < (int)sizeof(line))
		n += snprintf(line + n, sizeof(line) - (size_t)n, " req=%s", request_id);
	if (n >= (int)sizeof(line) - 1)
		n = (int)sizeof(line) - 2;
	if (fmt && *fmt && n < (int)sizeof(line) - 2) {
		va_start(ap, fmt);
		t = vsnprintf(tail, sizeof(tail), fmt, ap);
		va_end(ap);
		if (t > 0) {
			size_t len = cut_clean(tail,
					       t < (int)sizeof(tail) ? (size_t)t : sizeof(tail) - 1,
					       t >= (int)sizeof(tail));

			line[n++] = ' ';
			/* every value, quoted or not, whoever wrote it: room left for '\n' */
			n += (int)mask_text(line + n, sizeof(line) - (size_t)n - 1, tail, len);
		}
	}
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, (size_t)n) < 0) {
		/* nowhere left to report it */
	}
}

const char *log_quote(const char *s, char *buf, unsigned n)
{
	char masked[LINE_MAX_BYTES];
	size_t len = 0, mlen, o = 0;
	bool cut;

	if (n < 8) {
		if (n)
			buf[0] = '\0';
		return buf;
	}
	while (s && s[len] && len < sizeof(masked) - 1)
		len++;
	cut = s && s[len];
	mlen = mask_text(masked, sizeof(masked), s ? s : "", cut_clean(s ? s : "", len, cut));
	buf[o++] = '"';
	for (size_t i = 0, seq; i < mlen; i += seq) {
		const unsigned char *u = (const unsigned char *)masked + i;
		bool hex = false, backslash = false;

		seq = u[0] < 0x80 ? 1 : str_utf8_seq(u, mlen - i, NULL);
		if (!seq || u[0] < 0x20 || u[0] == 0x7f)
			hex = true; /* not UTF-8, or a control character */
		else
			backslash = u[0] == '"' || u[0] == '\\';
		if (o + (hex ? 4 : backslash ? 2 : seq) + 5 > n) {
			cut = true;
			break;
		}
		if (hex) {
			o += (size_t)snprintf(buf + o, n - o, "\\x%02x", u[0]);
			seq = 1;
		} else {
			if (backslash)
				buf[o++] = '\\';
			memcpy(buf + o, u, seq);
			o += seq;
		}
	}
	if (cut) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o++] = '"';
	buf[o] = '\0';
	return buf;
}
