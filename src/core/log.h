/*
 * Structured logging: one logfmt line per event on stderr,
 *   ts=2026-11-22T08:15:30.123Z level=info event=http.request req=0193... method=GET ...
 * The request id is per thread (set by http/ for the request being served). Lines up to
 * 4 KiB are written with one write(2), so concurrent threads never interleave. Personal
 * data is masked in every line (mask_text in mask.h: mobile and fixed-line numbers, id
 * numbers and other long digit runs, e-mail addresses), whatever the caller passes.
 */
#ifndef CRM_LOG_H
#define CRM_LOG_H

#include <stdbool.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Messages below level are dropped. Not thread-safe: call at start-up. */
void log_level_set(enum log_level level);
/* Parses "debug", "info", "warn", "error"; false for anything else. */
bool log_level_parse(const char *s, enum log_level *out);
bool log_enabled(enum log_level level);

/* The request id logged with this thread's lines (NULL: none). Borrowed until reset. */
void log_request_id_set(const char *id);

/* Writes one line: event is a dotted name; fmt gives further key=value pairs. Values
 * that may hold spaces or quotes should go through %s with log_quote(). What fmt makes is
 * masked (mask_text) before it is written; a line longer than 4 KiB is cut, before a
 * number or an address it would cut in two. Thread-safe. */
void log_write(enum log_level level, const char *event, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define log_debug(...) log_write(LOG_DEBUG, __VA_ARGS__)
#define log_info(...)  log_write(LOG_INFO, __VA_ARGS__)
#define log_warn(...)  log_write(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_write(LOG_ERROR, __VA_ARGS__)

/* Quotes s for a logfmt value into buf of size n and returns buf: personal data masked
 * (mask_text), then "..." with \" and \\ escaped and control characters and bytes that
 * are not UTF-8 as \xNN, so that the line stays valid UTF-8. Long values are cut with
 * "...", never in the middle of a character; only the first 4 KiB of s are looked at.
 * NULL quotes as "". Thread-safe. */
const char *log_quote(const char *s, char *buf, unsigned n);

#endif
