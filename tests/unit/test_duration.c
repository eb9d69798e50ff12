// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdint.h>

#include "unit.h"
#include "../../tools/duration.h"

static long long dur(const char *s)
{
	uint64_t ms;

	return ts_parse_duration(s, &ms) ? -1 : (long long)ms;
}

TEST(duration_parse)
{
	CHECK_EQ(dur("90"), 90000);
	CHECK_EQ(dur("90s"), 90000);
	CHECK_EQ(dur("1.5s"), 1500);
	CHECK_EQ(dur("500ms"), 500);
	CHECK_EQ(dur("5m"), 300000);
	CHECK_EQ(dur("1h30m"), 5400000);
	CHECK_EQ(dur("2d"), 172800000);
	CHECK_EQ(dur("0"), 0);
	CHECK_EQ(dur("1m30s250ms"), 90250);
	CHECK_EQ(dur(".5s"), 500);
}

TEST(duration_errors)
{
	CHECK_EQ(dur(""), -1);
	CHECK_EQ(dur("s"), -1);
	CHECK_EQ(dur("-5s"), -1);
	CHECK_EQ(dur("5x"), -1);
	CHECK_EQ(dur("5 s"), -1);
	CHECK_EQ(dur("1h30"), -1);	/* a unitless part only alone */
	CHECK_EQ(dur("99999999999999999999999s"), -1);
	CHECK_EQ(dur("9007199254740993d"), -1);
	CHECK_EQ(dur("."), -1);
	CHECK_EQ(dur("1..5s"), -1);
}

TEST(duration_format)
{
	char b[32];

	*ts_fmt_duration(b, 850) = '\0';
	CHECK_STR(b, "850ms");
	*ts_fmt_duration(b, 12345) = '\0';
	CHECK_STR(b, "12.3s");
	*ts_fmt_duration(b, 303000) = '\0';
	CHECK_STR(b, "5m03s");
	*ts_fmt_duration(b, 7500000) = '\0';
	CHECK_STR(b, "2h05m");
	*ts_fmt_duration(b, 3ULL * 86400000 + 4 * 3600000) = '\0';
	CHECK_STR(b, "3d04h");
}
