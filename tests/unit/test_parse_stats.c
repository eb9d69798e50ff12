// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "unit.h"
#include "nlbuf.h"
#include "../../tools/parse.h"

static struct nlbuf b;

TEST(stats_full_reply)
{
	struct nlmsghdr *nlh = nlbuf_init(&b);
	struct nlattr *st, *ev;
	struct ts_stats s;
	const void *a;
	size_t len;

	mnl_attr_put_strz(nlh, TCPSTATE_A_VERSION, "1.2.3");
	mnl_attr_put_u32(nlh, TCPSTATE_A_CAPS, 0x15);
	mnl_attr_put_u32(nlh, TCPSTATE_A_NETNS, 4026531840u);
	st = mnl_attr_nest_start(nlh, TCPSTATE_A_STATS);
	mnl_attr_put_u64(nlh, TCPSTATE_STATS_A_EVENT_SEQ, 42);
	mnl_attr_put_u64(nlh, TCPSTATE_STATS_A_OBJECTS, 7);
	mnl_attr_put_u64(nlh, TCPSTATE_STATS_A_TW_RECORDS, 3);
	ev = mnl_attr_nest_start(nlh, TCPSTATE_STATS_A_EVTYPE);
	mnl_attr_put_u8(nlh, TCPSTATE_EVSTAT_A_TYPE, TCPSTATE_EV_EPIPE);
	mnl_attr_put_u64(nlh, TCPSTATE_EVSTAT_A_SEEN, 9);
	mnl_attr_put_u64(nlh, TCPSTATE_EVSTAT_A_DROPPED, 2);
	mnl_attr_nest_end(nlh, ev);
	mnl_attr_nest_end(nlh, st);

	a = nlbuf_attrs(&b, &len);
	CHECK_EQ(ts_parse_stats(a, len, &s), 0);
	CHECK_STR(s.version, "1.2.3");
	CHECK_EQ(s.caps, 0x15);
	CHECK_EQ(s.netns, 4026531840u);
	CHECK_EQ(s.event_seq, 42);
	CHECK_EQ(s.objects, 7);
	CHECK_EQ(s.tw_records, 3);
	CHECK_EQ(s.ev[TCPSTATE_EV_EPIPE].seen, 9);
	CHECK_EQ(s.ev[TCPSTATE_EV_EPIPE].dropped, 2);
	CHECK_EQ(s.ev[TCPSTATE_EV_UNREAD_CLOSE].seen, 0);
}

TEST(stats_unknown_attributes_ignored)
{
	struct nlmsghdr *nlh = nlbuf_init(&b);
	struct ts_stats s;
	const void *a;
	size_t len;

	mnl_attr_put_u32(nlh, 200, 1);
	mnl_attr_put_strz(nlh, TCPSTATE_A_VERSION, "x");
	mnl_attr_put_u64(nlh, 0x3fff, 5);
	a = nlbuf_attrs(&b, &len);
	CHECK_EQ(ts_parse_stats(a, len, &s), 0);
	CHECK_STR(s.version, "x");
}

TEST(stats_wrong_length_rejected)
{
	struct nlmsghdr *nlh = nlbuf_init(&b);
	struct ts_stats s;
	const void *a;
	size_t len;

	mnl_attr_put_u16(nlh, TCPSTATE_A_CAPS, 1);	/* u32 expected */
	a = nlbuf_attrs(&b, &len);
	CHECK_EQ(ts_parse_stats(a, len, &s), -EINVAL);
}

TEST(stats_unterminated_string_rejected)
{
	struct nlmsghdr *nlh = nlbuf_init(&b);
	struct ts_stats s;
	const void *a;
	size_t len;

	mnl_attr_put(nlh, TCPSTATE_A_VERSION, 3, "abc");
	a = nlbuf_attrs(&b, &len);
	CHECK_EQ(ts_parse_stats(a, len, &s), -EINVAL);
}

TEST(stats_long_version_truncated)
{
	struct nlmsghdr *nlh = nlbuf_init(&b);
	char big[300];
	struct ts_stats s;
	const void *a;
	size_t len;

	memset(big, 'v', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	mnl_attr_put_strz(nlh, TCPSTATE_A_VERSION, big);
	a = nlbuf_attrs(&b, &len);
	CHECK_EQ(ts_parse_stats(a, len, &s), 0);
	CHECK_EQ(strlen(s.version), sizeof(s.version) - 1);
}

TEST(stats_truncated_buffers_never_overread)
{
	struct nlmsghdr *nlh = nlbuf_init(&b);
	struct nlattr *st;
	struct ts_stats s;
	const void *a;
	size_t len, cut;

	mnl_attr_put_strz(nlh, TCPSTATE_A_VERSION, "1.0");
	st = mnl_attr_nest_start(nlh, TCPSTATE_A_STATS);
	mnl_attr_put_u64(nlh, TCPSTATE_STATS_A_EVENT_SEQ, 1);
	mnl_attr_nest_end(nlh, st);
	a = nlbuf_attrs(&b, &len);
	/* Every prefix must parse or fail, never read past its end (ASan). */
	for (cut = 0; cut <= len; cut++) {
		char *copy = malloc(cut ? cut : 1);
		int rc;

		memcpy(copy, a, cut);
		memset(&s, 0, sizeof(s));
		rc = ts_parse_stats(copy, cut, &s);
		free(copy);
		/*
		 * The whole reply parses with its values; a prefix may parse
		 * (a cut attribute is ignored) but never yields a value it
		 * did not hold whole.
		 */
		if (cut == len) {
			CHECK_EQ(rc, 0);
			CHECK_STR(s.version, "1.0");
			CHECK_EQ(s.event_seq, 1);
		} else if (rc == 0) {
			CHECK(s.event_seq == 0);
			CHECK(cut >= 8 || s.version[0] == 0);
		}
	}
}

TEST(stats_nested_garbage_rejected)
{
	struct nlmsghdr *nlh = nlbuf_init(&b);
	struct ts_stats s;
	const void *a;
	size_t len;
	/* A "nest" whose payload claims an attribute longer than itself. */
	uint16_t bogus[2] = { 200, TCPSTATE_STATS_A_EVENT_SEQ };

	mnl_attr_put(nlh, TCPSTATE_A_STATS, sizeof(bogus), bogus);
	a = nlbuf_attrs(&b, &len);
	CHECK_EQ(ts_parse_stats(a, len, &s), 0);	/* walked safely, skipped */
	CHECK_EQ(s.event_seq, 0);
}
