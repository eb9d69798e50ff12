// SPDX-License-Identifier: GPL-2.0
/*
 * h3walktime: time the module's socket walk alone, from one process and
 * one netlink socket (no process start-up, no per-socket output): RUNS
 * GET_SOCK dumps of the sockets with local port PORT that are at least
 * 10^12 ms in their state, which is none of them, so that every matching
 * socket is walked, referenced and visited but nothing is sent. Only
 * listeners are asked for (the listening hash alone is walked). With
 * -q PORT2, dumps of PORT2 (the baseline: an unused port) alternate with
 * those of PORT, so that both see the same load. Prints "min median max"
 * milliseconds for PORT, then the same for PORT2 if given.
 *
 *   h3walktime -p PORT [-q PORT2] [-n RUNS]
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "../../include/uapi/linux/tcpstate.h"
#include "genl_family.h"
#include "genl_msg.h"
#include "timing.h"

static int nl;
static uint16_t family;
static uint32_t events_group;

static void resolve(void)
{
	family = tcpstate_family_lookup(nl, 8192, "h3walktime", &events_group);
}

static double dump_ms(int port)
{
	uint64_t age = 1000000000000ULL;
	uint32_t listen = 1U << 10;	/* TCP_LISTEN */
	char ext[256];
	struct msg m;
	double t0;
	int err;

	put_hdr(&m, family, NLM_F_DUMP, TCPSTATE_CMD_GET_SOCK);
	put_u16(&m, TCPSTATE_A_SPORT, (uint16_t)port);
	put(&m, TCPSTATE_A_STATE_MASK, &listen, sizeof(listen));
	put(&m, TCPSTATE_A_MIN_AGE_MS, &age, sizeof(age));
	t0 = now_ms();
	err = genl_run(nl, &m, ext, sizeof(ext), NULL, NULL);
	if (err) {
		fprintf(stderr, "h3walktime: dump: %s %s\n", strerror(err), ext);
		exit(1);
	}
	return now_ms() - t0;
}

static void report(double *t, int runs)
{
	qsort(t, runs, sizeof(*t), cmp_ms);
	printf("%.3f %.3f %.3f\n", t[0], t[runs / 2], t[runs - 1]);
}

int main(int argc, char **argv)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int c, i, port = 0, port2 = 0, runs = 9;
	double *t, *t2;

	while ((c = getopt(argc, argv, "p:q:n:")) != -1) {
		switch (c) {
		case 'p':
			port = atoi(optarg);
			break;
		case 'q':
			port2 = atoi(optarg);
			break;
		case 'n':
			runs = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: h3walktime -p PORT [-q PORT2] [-n RUNS]\n");
			return 2;
		}
	}
	if (port <= 0 || runs <= 0)
		return 2;
	t = calloc(runs, sizeof(*t));
	t2 = calloc(runs, sizeof(*t2));
	nl = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
	if (!t || !t2 || nl < 0 ||
	    bind(nl, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("h3walktime: netlink");
		return 1;
	}
	resolve();
	for (i = 0; i < runs; i++) {
		t[i] = dump_ms(port);
		if (port2)
			t2[i] = dump_ms(port2);
	}
	report(t, runs);
	if (port2)
		report(t2, runs);
	return 0;
}
