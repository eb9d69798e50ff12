// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <sys/socket.h>

#include "unit.h"
#include "../../tools/addr.h"
#include "../../tools/fmt.h"

static char err[128];

TEST(prefix_v4)
{
	struct ts_prefix p;

	CHECK_EQ(ts_parse_prefix("10.1.2.3", &p, err, sizeof(err)), 0);
	CHECK_EQ(p.family, AF_INET);
	CHECK_EQ(p.len, 32);
	CHECK_EQ(p.addr[0], 10);
	CHECK_EQ(p.addr[3], 3);
	CHECK_EQ(ts_parse_prefix("10.0.0.0/8", &p, err, sizeof(err)), 0);
	CHECK_EQ(p.len, 8);
	CHECK_EQ(ts_parse_prefix("0.0.0.0/0", &p, err, sizeof(err)), 0);
	CHECK_EQ(p.len, 0);
}

TEST(prefix_v6)
{
	struct ts_prefix p;

	CHECK_EQ(ts_parse_prefix("::1", &p, err, sizeof(err)), 0);
	CHECK_EQ(p.family, AF_INET6);
	CHECK_EQ(p.len, 128);
	CHECK_EQ(p.addr[15], 1);
	CHECK_EQ(ts_parse_prefix("[2001:db8::]/32", &p, err, sizeof(err)), 0);
	CHECK_EQ(p.len, 32);
	CHECK_EQ(p.addr[1], 0x01);
	CHECK_EQ(ts_parse_prefix("::ffff:127.0.0.1/104", &p, err, sizeof(err)), 0);
	CHECK_EQ(p.len, 104);
}

/* A host route, the family's full length, is a valid prefix (mutant 29
 * refused /32 and /128 and survived every test before this one). */
TEST(prefix_full_length)
{
	struct ts_prefix p;

	CHECK_EQ(ts_parse_prefix("10.1.2.3/32", &p, err, sizeof(err)), 0);
	CHECK_EQ(p.family, AF_INET);
	CHECK_EQ(p.len, 32);
	CHECK_EQ(ts_parse_prefix("::1/128", &p, err, sizeof(err)), 0);
	CHECK_EQ(p.family, AF_INET6);
	CHECK_EQ(p.len, 128);
	CHECK_EQ(ts_parse_prefix("[::ffff:127.0.0.1]/128", &p, err, sizeof(err)), 0);
	CHECK_EQ(p.len, 128);
	CHECK_EQ(ts_parse_prefix("10.1.2.3/31", &p, err, sizeof(err)), 0);
	CHECK_EQ(p.len, 31);
}

TEST(prefix_errors)
{
	struct ts_prefix p;

	CHECK_EQ(ts_parse_prefix("", &p, err, sizeof(err)), -1);
	CHECK_EQ(ts_parse_prefix("/8", &p, err, sizeof(err)), -1);
	CHECK_EQ(ts_parse_prefix("10.0.0.0/33", &p, err, sizeof(err)), -1);
	CHECK(strstr(err, "0-32") != NULL);
	CHECK_EQ(ts_parse_prefix("::/129", &p, err, sizeof(err)), -1);
	CHECK_EQ(ts_parse_prefix("10.0.0.0/", &p, err, sizeof(err)), -1);
	CHECK_EQ(ts_parse_prefix("10.0.0.0/8x", &p, err, sizeof(err)), -1);
	CHECK_EQ(ts_parse_prefix("10.0.0.0/-1", &p, err, sizeof(err)), -1);
	CHECK_EQ(ts_parse_prefix("10.0.0.0/+8", &p, err, sizeof(err)), -1);
	CHECK_EQ(ts_parse_prefix("256.0.0.1", &p, err, sizeof(err)), -1);
	CHECK_EQ(ts_parse_prefix("example.com", &p, err, sizeof(err)), -1);
	CHECK_EQ(ts_parse_prefix("[::1", &p, err, sizeof(err)), -1);
	CHECK_EQ(ts_parse_prefix("\xff\xfe", &p, err, sizeof(err)), -1);
	CHECK_EQ(ts_parse_prefix("1111111111111111111111111111111111111111111111111111111111",
				 &p, err, sizeof(err)), -1);
}

TEST(ports)
{
	uint16_t port;

	CHECK_EQ(ts_parse_port("80", &port), 0);
	CHECK_EQ(port, 80);
	CHECK_EQ(ts_parse_port("65535", &port), 0);
	CHECK_EQ(ts_parse_port("0", &port), -1);
	CHECK_EQ(ts_parse_port("65536", &port), -1);
	CHECK_EQ(ts_parse_port("-1", &port), -1);
	CHECK_EQ(ts_parse_port("8o", &port), -1);
	CHECK_EQ(ts_parse_port("", &port), -1);
	CHECK_EQ(ts_parse_port(" 80", &port), -1);
	CHECK_EQ(ts_parse_port("99999999999999999999", &port), -1);
}

TEST(endpoints_like_ss)
{
	uint8_t v4[16] = { 127, 0, 0, 1 }, any[16] = { 0 };
	uint8_t v6[16] = { [15] = 1 };
	char buf[TS_ADDRSTRLEN];

	ts_format_endpoint(buf, sizeof(buf), AF_INET, v4, 8080);
	CHECK_STR(buf, "127.0.0.1:8080");
	ts_format_endpoint(buf, sizeof(buf), AF_INET, any, 0);
	CHECK_STR(buf, "0.0.0.0:*");
	ts_format_endpoint(buf, sizeof(buf), AF_INET6, v6, 443);
	CHECK_STR(buf, "[::1]:443");
	ts_format_endpoint(buf, sizeof(buf), AF_INET6, any, 0);
	CHECK_STR(buf, "[::]:*");
}

TEST(fmt_numbers)
{
	char b[32], *e;

	e = fmt_u64(b, 0);
	*e = '\0';
	CHECK_STR(b, "0");
	e = fmt_u64(b, 18446744073709551615ULL);
	*e = '\0';
	CHECK_STR(b, "18446744073709551615");
	e = fmt_u64(b, 4026531840u);
	*e = '\0';
	CHECK_STR(b, "4026531840");
}

/* Every digit-count boundary, against printf. */
TEST(fmt_numbers_every_length)
{
	char b[32], want[32], *e;
	uint64_t pow = 1;
	int i, d;

	for (i = 0; i < 20; i++) {
		for (d = -1; d <= 1; d++) {
			uint64_t v = pow + (uint64_t)(int64_t)d;

			e = fmt_u64(b, v);
			*e = '\0';
			snprintf(want, sizeof(want), "%llu", (unsigned long long)v);
			CHECK_STR(b, want);
		}
		pow *= 10;
	}
}

/* The address memo must not return the previous address's text. */
TEST(fmt_addr_memo_changes)
{
	const uint8_t a[4] = { 10, 0, 0, 1 }, c[4] = { 10, 0, 0, 2 };
	uint8_t v6[16] = { 0 };
	char b[64], *e;

	e = fmt_addr(b, AF_INET, a);
	*e = '\0';
	CHECK_STR(b, "10.0.0.1");
	e = fmt_addr(b, AF_INET, c);
	*e = '\0';
	CHECK_STR(b, "10.0.0.2");
	v6[15] = 1;
	e = fmt_addr(b, AF_INET6, v6);
	*e = '\0';
	CHECK_STR(b, "::1");
	e = fmt_addr(b, AF_INET, c);
	*e = '\0';
	CHECK_STR(b, "10.0.0.2");
	v6[15] = 2;
	e = fmt_addr(b, AF_INET6, v6);
	*e = '\0';
	CHECK_STR(b, "::2");
}

TEST(fmt_v6_endpoint_longest)
{
	uint8_t a[16];
	char b[TS_ADDRSTRLEN];

	memset(a, 0xff, sizeof(a));
	ts_format_endpoint(b, sizeof(b), AF_INET6, a, 65535);
	CHECK_STR(b, "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535");
	ts_format_endpoint(b, 8, AF_INET6, a, 65535);	/* truncated, terminated */
	CHECK_EQ(strlen(b), 7);
}

/* fmt_u64 against printf, at every digit-count boundary and at random. */
TEST(fmt_u64_matches_printf)
{
	char got[32], want[32];
	uint64_t v, p10 = 1, x = 0x9e3779b97f4a7c15ULL;
	int i;

	for (i = 0; i < 2000; i++) {
		if (i < 20) {
			v = p10;	/* 10^i, and its neighbours below */
			p10 *= 10;
		} else if (i < 40) {
			v = (uint64_t)-1 >> (i - 20);
		} else {
			x ^= x << 13;	/* xorshift64 */
			x ^= x >> 7;
			x ^= x << 17;
			v = x >> (x % 64);
		}
		for (int d = -1; d <= 1; d++) {
			uint64_t w = v + (uint64_t)d;

			*fmt_u64(got, w) = '\0';
			snprintf(want, sizeof(want), "%llu", (unsigned long long)w);
			CHECK_STR(got, want);
		}
	}
}
