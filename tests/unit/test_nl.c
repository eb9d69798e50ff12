// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "../../tools/nl.h"

/* Two messages of 20 and 16 bytes. */
static void two_msgs(unsigned char *buf, uint32_t second_len)
{
	struct nlmsghdr *a = (struct nlmsghdr *)buf;
	struct nlmsghdr *b = (struct nlmsghdr *)(buf + 20);

	memset(buf, 0, 36);
	a->nlmsg_len = 20;
	b->nlmsg_len = second_len;
}

TEST(nl_datagram_whole_messages)
{
	unsigned char buf[36];

	two_msgs(buf, 16);
	CHECK_EQ(tsnl_datagram_ok(buf, 36), 1);
	CHECK_EQ(tsnl_datagram_ok(buf, 20), 1);	/* the first alone */
}

TEST(nl_datagram_message_past_the_end)
{
	unsigned char buf[36];

	two_msgs(buf, 17);
	CHECK_EQ(tsnl_datagram_ok(buf, 36), 0);
	two_msgs(buf, 8);		/* shorter than a header */
	CHECK_EQ(tsnl_datagram_ok(buf, 36), 0);
}

/* The fuzzer's find: libmnl's mnl_nlmsg_ok() takes this for negative. */
TEST(nl_datagram_length_of_2_gib)
{
	unsigned char buf[36];

	two_msgs(buf, 0xa5a5a5a5u);
	CHECK_EQ(tsnl_datagram_ok(buf, 36), 0);
	CHECK_EQ(tsnl_msg_ok((struct nlmsghdr *)(buf + 20), 16), 0);
}
