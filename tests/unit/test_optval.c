// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdint.h>

#include "unit.h"
#include "../../tools/optval.h"

static long long num(const char *s, uint64_t min, uint64_t max)
{
	uint64_t v;

	return ts_parse_uint(s, min, max, &v) ? -1 : (long long)v;
}

TEST(optval_uint)
{
	CHECK_EQ(num("0", 0, 10), 0);
	CHECK_EQ(num("10", 0, 10), 10);
	CHECK_EQ(num("007", 1, 10), 7);
	CHECK_EQ(num("2147483647", 1, 0x7fffffff), 2147483647LL);
	CHECK_EQ(num("2147483648", 1, 0x7fffffff), -1);
	CHECK_EQ(num("0", 1, 10), -1);
	CHECK_EQ(num("", 0, 10), -1);
	CHECK_EQ(num("-1", 0, 10), -1);
	CHECK_EQ(num("+1", 0, 10), -1);
	CHECK_EQ(num(" 1", 0, 10), -1);
	CHECK_EQ(num("1 ", 0, 10), -1);
	CHECK_EQ(num("0x10", 0, 100), -1);
	CHECK_EQ(num("5s", 0, 10), -1);
	CHECK_EQ(num("18446744073709551615", 0, UINT64_MAX), -1LL);
	CHECK_EQ(num("18446744073709551616", 0, UINT64_MAX), -1);
	CHECK_EQ(num("99999999999999999999999", 0, UINT64_MAX), -1);
}
