/* Clock readings and ISO-8601 formatting/parsing (civil-date arithmetic after H. Hinnant). */
#include "core/time.h"

#include <stdio.h>
#include <time.h>

#include "core/banned.h"

int64_t time_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t time_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t time_days_from_civil(int y, unsigned m, unsigned d)
{
	int64_t yy = y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	unsigned yoe = (unsigned)(yy - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + (int64_t)doe - 719468;
}

void time_civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

void time_format_iso(int64_t ms, char buf[TIME_ISO_MAX])
{
	int64_t days = ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
	int64_t rem = ms - days * 86400000;
	int y;
	unsigned m, d;

	time_civil_from_days(days, &y, &m, &d);
	snprintf(buf, TIME_ISO_MAX, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", y, m, d,
		 (int)(rem / 3600000), (int)(rem / 60000 % 60), (int)(rem / 1000 % 60),
		 (int)(rem % 1000));
}

static bool digits(struct str s, size_t at, size_t n, int *out)
{
	int v = 0;

	if (at + n > s.len)
		return false;
	for (size_t i = at; i < at + n; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return false;
		v = v * 10 + (s.p[i] - '0');
	}
	*out = v;
	return true;
}

int time_days_in_month(int y, int m)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m < 1 || m > 12)
		return 0;
	return mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

bool time_parse_iso(struct str s, int64_t *out_ms)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, ms = 0, oh = 0, om = 0, sign = 0;
	size_t i = 10;

	if (!digits(s, 0, 4, &y) || s.len < 10 || s.p[4] != '-' || !digits(s, 5, 2, &mo) ||
	    s.p[7] != '-' || !digits(s, 8, 2, &d))
		return false;
	if (d < 1 || d > time_days_in_month(y, mo))
		return false;
	if (i < s.len && (s.p[i] == 'T' || s.p[i] == ' ')) {
		if (!digits(s, i + 1, 2, &h) || i + 3 >= s.len || s.p[i + 3] != ':' ||
		    !digits(s, i + 4, 2, &mi))
			return false;
		i += 6;
		if (i < s.len && s.p[i] == ':') {
			if (!digits(s, i + 1, 2, &sec))
				return false;
			i += 3;
			if (i < s.len && s.p[i] == '.') {
				int scale = 100, n = 0;

				for (i++; i < s.len && s.p[i] >= '0' && s.p[i] <= '9'; i++, n++) {
					ms += (s.p[i] - '0') * scale;
					scale /= 10;
				}
				if (n == 0)
					return false;
			}
		}
		if (h > 23 || mi > 59 || sec > 60)
			return false;
		if (i < s.len && s.p[i] == 'Z') {
			i++;
		} else if (i < s.len && (s.p[i] == '+' || s.p[i] == '-')) {
			sign = s.p[i] == '+' ? 1 : -1;
			if (!digits(s, i + 1, 2, &oh) || i + 3 >= s.len || s.p[i + 3] != ':' ||
			    !digits(s, i + 4, 2, &om) || oh > 23 || om > 59)
				return false;
			i += 6;
		}
	}
	if (i != s.len)
		return false;
	*out_ms = time_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400000 +
		  (int64_t)h * 3600000 + (int64_t)mi * 60000 + (int64_t)sec * 1000 + ms -
		  (int64_t)sign * (oh * 3600000 + om * 60000);
	return true;
}
