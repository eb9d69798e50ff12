// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdint.h>

#include "ctl.h"
#include "duration.h"
#include "optval.h"

int ts_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *v)
{
	uint64_t n = 0;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (n > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return -1;
		n = n * 10 + (uint64_t)(*p - '0');
	}
	if (*p || n < min || n > max)
		return -1;
	*v = n;
	return 0;
}

uint64_t ctl_opt_uint(const char *cmd, const char *name, const char *arg,
		      uint64_t min, uint64_t max)
{
	uint64_t v;

	if (ts_parse_uint(arg, min, max, &v))
		ctl_usage_error(cmd, "--%s: '%.32s' is not a number (%llu-%llu)",
				name, arg, (unsigned long long)min,
				(unsigned long long)max);
	return v;
}

uint64_t ctl_opt_duration(const char *cmd, const char *name, const char *arg)
{
	uint64_t ms;

	if (ts_parse_duration(arg, &ms))
		ctl_usage_error(cmd,
				"--%s: '%.32s' is not a duration (e.g. 90s, 5m, 1h30m, 500ms)",
				name, arg);
	return ms;
}
