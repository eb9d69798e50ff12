// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "duration.h"
#include "fmt.h"

static const struct {
	const char *suffix;
	uint64_t ms;
} units[] = {
	/* Longest suffix first so "ms" is not read as "m". */
	{ "ms", 1 },
	{ "s", 1000 },
	{ "m", 60 * 1000 },
	{ "h", 3600 * 1000 },
	{ "d", 86400 * 1000 },
};

#define MAX_MS (UINT64_C(1) << 53)	/* far beyond any real age */

int ts_parse_duration(const char *s, uint64_t *ms)
{
	uint64_t total = 0;
	const char *p = s;
	int parts = 0;

	if (!*p)
		return -1;
	while (*p) {
		uint64_t whole = 0, frac = 0, scale = 1, unit = 0;
		int digits = 0;
		size_t i, slen;

		while (*p >= '0' && *p <= '9') {
			whole = whole * 10 + (uint64_t)(*p++ - '0');
			if (whole > MAX_MS)
				return -1;
			digits++;
		}
		if (*p == '.') {
			p++;
			while (*p >= '0' && *p <= '9') {
				if (scale < 1000000) {
					frac = frac * 10 + (uint64_t)(*p - '0');
					scale *= 10;
				}
				p++;
				digits++;
			}
		}
		if (!digits)
			return -1;
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			slen = strlen(units[i].suffix);
			if (strncmp(p, units[i].suffix, slen) == 0) {
				unit = units[i].ms;
				p += slen;
				break;
			}
		}
		if (!unit) {
			/* Only a lone number may omit its unit (seconds). */
			if (*p || parts)
				return -1;
			unit = 1000;
		}
		if (whole > MAX_MS / unit)
			return -1;
		total += whole * unit + frac * unit / scale;
		if (total > MAX_MS)
			return -1;
		parts++;
	}
	*ms = total;
	return 0;
}

/* Two digits, zero-padded: the minutes of "5m03s". */
static char *fmt_2d(char *p, uint64_t v)
{
	*p++ = (char)('0' + v / 10 % 10);
	*p++ = (char)('0' + v % 10);
	return p;
}

/*
 * Formatted by hand, not with snprintf: a table of 100,000 sockets has an
 * Age cell in every row.
 */
char *ts_fmt_duration(char *p, uint64_t ms)
{
	uint64_t s = ms / 1000;

	if (ms < 1000) {
		p = fmt_u64(p, ms);
		*p++ = 'm';
		*p++ = 's';
	} else if (s < 60) {
		p = fmt_u64(p, s);
		*p++ = '.';
		*p++ = (char)('0' + ms % 1000 / 100);
		*p++ = 's';
	} else if (s < 3600) {
		p = fmt_u64(p, s / 60);
		*p++ = 'm';
		p = fmt_2d(p, s % 60);
		*p++ = 's';
	} else if (s < 86400) {
		p = fmt_u64(p, s / 3600);
		*p++ = 'h';
		p = fmt_2d(p, s % 3600 / 60);
		*p++ = 'm';
	} else {
		p = fmt_u64(p, s / 86400);
		*p++ = 'd';
		p = fmt_2d(p, s % 86400 / 3600);
		*p++ = 'h';
	}
	return p;
}

long long ts_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}
