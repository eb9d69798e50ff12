// SPDX-License-Identifier: GPL-2.0 OR MIT
/* list --sort: keys and orders. */
#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "unit.h"
#include "../../tools/sort.h"

static struct ts_sock socks[5];

static void setup(void)
{
	static const struct {
		uint8_t state;
		const char *src;
		uint16_t sport;
		uint64_t age;
		uint32_t recv_q;
		const char *comm;
	} d[5] = {
		{ TCPSTATE_CLOSE_WAIT, "10.0.0.2", 80, 5000, 0, "nginx" },
		{ TCPSTATE_ESTABLISHED, "10.0.0.1", 443, 90000, 7, "apache" },
		{ TCPSTATE_CLOSE_WAIT, "10.0.0.1", 80, 700000, 3, NULL },
		{ TCPSTATE_LISTEN, "::1", 22, 10, 0, "sshd" },
		{ TCPSTATE_TIME_WAIT, "10.0.0.1", 81, 700000, 0, "apache" },
	};
	int i;

	memset(socks, 0, sizeof(socks));
	for (i = 0; i < 5; i++) {
		struct ts_sock *s = &socks[i];

		s->state = d[i].state;
		s->family = strchr(d[i].src, ':') ? AF_INET6 : AF_INET;
		inet_pton(s->family, d[i].src, s->saddr);
		s->sport = d[i].sport;
		s->age_ms = d[i].age;
		s->recv_q = d[i].recv_q;
		s->inode = 100 + (uint64_t)i;
		if (d[i].comm) {
			s->nprocs = 1;
			s->procs[0].pid = 1000 + (uint32_t)i;
			strcpy(s->procs[0].comm, d[i].comm);
		}
	}
}

/* The inodes - 100, in sorted order, as digits: "21043". */
static const char *order(enum ts_sort_key key, bool reverse)
{
	static char out[6];
	struct ts_sock *v[5];
	int i;

	setup();
	for (i = 0; i < 5; i++)
		v[i] = &socks[i];
	ts_sort_socks(v, 5, key, reverse);
	for (i = 0; i < 5; i++)
		out[i] = (char)('0' + v[i]->inode - 100);
	out[5] = '\0';
	return out;
}

TEST(sort_keys)
{
	CHECK_EQ(ts_sort_key("age"), TS_SORT_AGE);
	CHECK_EQ(ts_sort_key("recv-q"), TS_SORT_RECV_Q);
	CHECK_EQ(ts_sort_key("process"), TS_SORT_PROCESS);
	CHECK_EQ(ts_sort_key("Age"), TS_SORT_NONE);
	CHECK_EQ(ts_sort_key(""), TS_SORT_NONE);
	CHECK_EQ(ts_sort_key("inode"), TS_SORT_NONE);
}

TEST(sort_orders)
{
	/* Oldest first; equal ages by local endpoint (10.0.0.1:80 first). */
	CHECK_STR(order(TS_SORT_AGE, false), "24103");
	CHECK_STR(order(TS_SORT_AGE, true), "30142");
	/* By name: CLOSE_WAIT, ESTABLISHED, LISTEN, TIME_WAIT. */
	CHECK_STR(order(TS_SORT_STATE, false), "20134");
	/* IPv4 first, then address, then port. */
	CHECK_STR(order(TS_SORT_LOCAL, false), "24103");
	CHECK_STR(order(TS_SORT_RECV_Q, false), "12403");
	/* apache (pid 1001, 1004), nginx, sshd, then no owner. */
	CHECK_STR(order(TS_SORT_PROCESS, false), "14032");
	CHECK_STR(order(TS_SORT_PROCESS, true), "23041");
}

/*
 * Two TIME_WAIT sockets with the same tuple in two namespaces (--all-netns)
 * have no inode: the namespace still orders them, so the order is total.
 */
TEST(sort_ties_by_netns)
{
	struct ts_sock a, b;

	setup();
	a = socks[4];
	b = socks[4];
	a.inode = b.inode = 0;
	a.netns = 4026531840U;
	b.netns = 4026532000U;
	CHECK(ts_sock_cmp(&a, &b, TS_SORT_AGE) < 0);
	CHECK(ts_sock_cmp(&b, &a, TS_SORT_AGE) > 0);
	CHECK(ts_sock_cmp(&a, &a, TS_SORT_AGE) == 0);
}
