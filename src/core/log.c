/* logfmt lines on stderr; see log.h. */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/time.h"
#include "core/banned.h"

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

void log_write(enum log_level level, const char *event, const char *fmt, ...)
{
	char line[4096], ts[TIME_ISO_MAX];
	va_list ap;
	int n;

	if (level < min_level)
		return;
	time_format_iso(time_now_ms(), ts);
	n = snprintf(line, sizeof(line), "ts=%s level=%s event=%s", ts, level_names[level], event);
	if (request_id && n < (int)sizeof(line))
		n += snprintf(line + n, sizeof(line) - (size_t)n, " req=%s", request_id);
	if (fmt && *fmt && n < (int)sizeof(line) - 1) {
		line[n++] = ' ';
		va_start(ap, fmt);
		n += vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
		va_end(ap);
	}
	if (n >= (int)sizeof(line) - 1)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, (size_t)n) < 0) {
		/* nowhere left to report it */
	}
}

const char *log_quote(const char *s, char *buf, unsigned n)
{
	unsigned o = 0;

	if (n < 8) {
		if (n)
			buf[0] = '\0';
		return buf;
	}
	buf[o++] = '"';
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (o + 6 >= n) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		if (c == '"' || c == '\\') {
			buf[o++] = '\\';
			buf[o++] = (char)c;
		} else if (c < 0x20 || c == 0x7f) {
			o += (unsigned)snprintf(buf + o, n - o, "\\x%02x", c);
		} else {
			buf[o++] = (char)c;
		}
	}
	buf[o++] = '"';
	buf[o] = '\0';
	return buf;
}
