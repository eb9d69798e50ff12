// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The filters finished in the tool: port sets, negations, prefixes. */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "unit.h"
#include "../../tools/filter.h"
#include "../../tools/parse.h"
#include "../../tools/request.h"
#include "../../tools/states.h"

TEST(filter_portset_parse)
{
	struct ts_portset s = { 0 };

	CHECK_EQ(ts_parse_portset("80", &s), 0);
	CHECK_EQ(ts_portset_single(&s), 80);
	CHECK_EQ(ts_parse_portset("443,8000-8100", &s), 0);
	CHECK_EQ(s.n, 3);
	CHECK_EQ(ts_portset_single(&s), 0);
	CHECK(ts_portset_has(&s, 80));
	CHECK(ts_portset_has(&s, 443));
	CHECK(ts_portset_has(&s, 8000));
	CHECK(ts_portset_has(&s, 8050));
	CHECK(ts_portset_has(&s, 8100));
	CHECK(!ts_portset_has(&s, 8101));
	CHECK(!ts_portset_has(&s, 7999));
	CHECK(!ts_portset_has(&s, 22));
	/* Errors add nothing. */
	CHECK_EQ(ts_parse_portset("0", &s), -1);
	CHECK_EQ(ts_parse_portset("65536", &s), -1);
	CHECK_EQ(ts_parse_portset("100-50", &s), -1);
	CHECK_EQ(ts_parse_portset("80,", &s), -1);
	CHECK_EQ(ts_parse_portset(",80", &s), -1);
	CHECK_EQ(ts_parse_portset("80-", &s), -1);
	CHECK_EQ(ts_parse_portset("-80", &s), -1);
	CHECK_EQ(ts_parse_portset("22,http", &s), -1);
	CHECK_EQ(ts_parse_portset("1-2-3", &s), -1);
	CHECK_EQ(s.n, 3);
	CHECK(!ts_portset_has(&s, 22));
}

TEST(filter_portset_single)
{
	struct ts_portset s = { 0 };

	CHECK_EQ(ts_portset_single(&s), 0);
	CHECK_EQ(ts_parse_portset("80-80,80", &s), 0);
	CHECK_EQ(ts_portset_single(&s), 80);
	CHECK_EQ(ts_parse_portset("81", &s), 0);
	CHECK_EQ(ts_portset_single(&s), 0);
}

TEST(filter_portset_full)
{
	struct ts_portset s = { 0 };
	char many[TS_PORTSET_MAX * 6 + 8] = "1";
	int i;

	for (i = 2; i <= TS_PORTSET_MAX; i++)
		sprintf(many + strlen(many), ",%d", i);
	CHECK_EQ(ts_parse_portset(many, &s), 0);
	CHECK_EQ(s.n, TS_PORTSET_MAX);
	CHECK_EQ(ts_parse_portset("9", &s), -1);
}

static struct ts_prefix pfx(const char *s)
{
	struct ts_prefix p;
	char err[64];

	if (ts_parse_prefix(s, &p, err, sizeof(err)))
		abort();
	return p;
}

TEST(filter_prefix_match)
{
	struct ts_prefix p = pfx("10.1.0.0/16");
	uint8_t a4[4], a6[16];

	inet_pton(AF_INET, "10.1.2.3", a4);
	CHECK(ts_prefix_match(&p, AF_INET, a4));
	inet_pton(AF_INET, "10.2.2.3", a4);
	CHECK(!ts_prefix_match(&p, AF_INET, a4));
	/* An IPv4 prefix matches IPv4-mapped IPv6 addresses, as in the module. */
	inet_pton(AF_INET6, "::ffff:10.1.9.9", a6);
	CHECK(ts_prefix_match(&p, AF_INET6, a6));
	inet_pton(AF_INET6, "2001:db8::1", a6);
	CHECK(!ts_prefix_match(&p, AF_INET6, a6));
	p = pfx("2001:db8::/32");
	CHECK(ts_prefix_match(&p, AF_INET6, a6));
	p = pfx("::ffff:0.0.0.0/96");
	CHECK(ts_prefix_match(&p, AF_INET, a4));
	p = pfx("10.2.2.2/31");
	CHECK(ts_prefix_match(&p, AF_INET, a4));
	p = pfx("10.2.2.4/31");
	CHECK(!ts_prefix_match(&p, AF_INET, a4));
	p = pfx("0.0.0.0/0");
	CHECK(ts_prefix_match(&p, AF_INET, a4));
	CHECK(!ts_prefix_match(&p, AF_INET6, a6));
}

static struct ts_sock *sock(uint8_t state, uint16_t sport, uint16_t dport)
{
	static struct ts_sock sk;

	memset(&sk, 0, sizeof(sk));
	sk.family = AF_INET;
	sk.state = state;
	sk.sport = sport;
	sk.dport = dport;
	inet_pton(AF_INET, "127.0.0.1", sk.saddr);
	inet_pton(AF_INET, "192.0.2.7", sk.daddr);
	return &sk;
}

TEST(filter_request_match)
{
	struct ts_request r = { 0 };
	struct ts_sock *sk;

	CHECK(ts_request_tool_only(&r) == NULL);
	CHECK(ts_request_match(&r, sock(TCPSTATE_ESTABLISHED, 22, 5000)));
	CHECK(ts_request_option(&r, OPT_NOT_SPORT, "22", "list"));
	CHECK(ts_request_tool_only(&r) != NULL);
	CHECK(!ts_request_match(&r, sock(TCPSTATE_ESTABLISHED, 22, 5000)));
	CHECK(ts_request_match(&r, sock(TCPSTATE_ESTABLISHED, 23, 22)));
	CHECK(ts_request_option(&r, OPT_DPORT, "80,443,8000-8100", "list"));
	CHECK(ts_request_match(&r, sock(TCPSTATE_ESTABLISHED, 5000, 8080)));
	CHECK(!ts_request_match(&r, sock(TCPSTATE_ESTABLISHED, 5000, 8101)));
	CHECK(ts_request_option(&r, OPT_NOT_STATE, "time-wait", "list"));
	CHECK(!ts_request_match(&r, sock(TCPSTATE_TIME_WAIT, 5000, 443)));
	CHECK(ts_request_option(&r, OPT_NOT_DST, "192.0.2.0/24", "list"));
	CHECK(!ts_request_match(&r, sock(TCPSTATE_ESTABLISHED, 5000, 443)));

	memset(&r, 0, sizeof(r));
	CHECK(ts_request_option(&r, OPT_NOT_SRC, "127.0.0.0/8", "list"));
	CHECK(!ts_request_match(&r, sock(TCPSTATE_LISTEN, 80, 0)));
	memset(&r, 0, sizeof(r));
	CHECK(ts_request_option(&r, OPT_PORT, "80,22", "list"));
	CHECK(ts_request_match(&r, sock(TCPSTATE_ESTABLISHED, 5000, 22)));
	CHECK(ts_request_match(&r, sock(TCPSTATE_ESTABLISHED, 80, 5000)));
	CHECK(!ts_request_match(&r, sock(TCPSTATE_ESTABLISHED, 81, 5000)));

	memset(&r, 0, sizeof(r));
	CHECK(ts_owner_option(&r, OPT_NOT_COMM, "sshd", "list"));
	CHECK(r.flags & TCPSTATE_F_PROCESSES);	/* the owners are needed */
	CHECK(ts_owner_option(&r, OPT_NOT_PID, "42", "list"));
	sk = sock(TCPSTATE_ESTABLISHED, 22, 5000);
	CHECK(ts_request_match(&r, sk));
	sk->nprocs = 2;
	sk->procs[0].pid = 7;
	strcpy(sk->procs[0].comm, "bash");
	sk->procs[1].pid = 8;
	strcpy(sk->procs[1].comm, "sshd");
	CHECK(!ts_request_match(&r, sk));
	strcpy(sk->procs[1].comm, "sshd2");
	CHECK(ts_request_match(&r, sk));
	sk->procs[1].pid = 42;
	CHECK(!ts_request_match(&r, sk));
}

TEST(filter_request_states)
{
	struct ts_request r = { 0 };

	CHECK_EQ(ts_request_states(&r), 0);
	CHECK(ts_request_option(&r, OPT_NOT_STATE, "syn-recv", "list"));
	/* Request sockets go with SYN_RECV, both ways. */
	CHECK_EQ(ts_request_states(&r),
		 TS_STATES_ALL & ~(TS_STATE_BIT(TCPSTATE_SYN_RECV) |
				   TS_STATE_BIT(TCPSTATE_NEW_SYN_RECV)));
	CHECK(ts_request_tool_only(&r) == NULL);	/* counts can */
	memset(&r, 0, sizeof(r));
	CHECK(ts_request_option(&r, OPT_STATE, "syn-recv,estab", "list"));
	CHECK_EQ(ts_request_states(&r), TS_STATE_BIT(TCPSTATE_SYN_RECV) |
					TS_STATE_BIT(TCPSTATE_NEW_SYN_RECV) |
					TS_STATE_BIT(TCPSTATE_ESTABLISHED));
	CHECK(ts_request_option(&r, OPT_NOT_STATE, "new_syn_recv", "list"));
	CHECK(ts_request_tool_only(&r) != NULL);
	CHECK(!ts_request_match(&r, sock(TCPSTATE_NEW_SYN_RECV, 80, 1)));
	CHECK(ts_request_match(&r, sock(TCPSTATE_SYN_RECV, 80, 1)));
}
