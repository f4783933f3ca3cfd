/*
 * Time: milliseconds since the Unix epoch (UTC) as int64_t, and ISO-8601 text in the TMF
 * form 2026-11-22T08:15:30.123Z.
 */
#ifndef CRM_TIME_H
#define CRM_TIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"

#define TIME_ISO_MAX 64 /* room for any int year, so the compiler can prove no truncation */

/* Wall-clock now, ms since the epoch. Thread-safe. */
int64_t time_now_ms(void);
/* Monotonic clock in nanoseconds, for durations. Thread-safe. */
int64_t time_mono_ns(void);

/* Writes ms as "YYYY-MM-DDTHH:MM:SS.mmmZ" into buf (at least TIME_ISO_MAX bytes). */
void time_format_iso(int64_t ms, char buf[TIME_ISO_MAX]);

/* Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff]]" followed by "Z", "+hh:mm", "-hh:mm"
 * or nothing (UTC). Checks ranges (month, day of that month, hour...). */
bool time_parse_iso(struct str s, int64_t *out_ms);

/* Days since the epoch of a civil date, and back (proleptic Gregorian). */
int64_t time_days_from_civil(int y, unsigned m, unsigned d);
void time_civil_from_days(int64_t days, int *y, unsigned *m, unsigned *d);
/* Days in month m (1..12) of year y of the proleptic Gregorian calendar; 0 for another m. */
int time_days_in_month(int y, int m);

#endif
