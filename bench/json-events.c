// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host micro-benchmark of events --json's printer: N event records printed
 * to stdout (pointed at /dev/null by bench/json-events.sh), the time per
 * record on stdout's last line. Built against one tree's tools/: with
 * -DOLD_CMD_EVENTS against a tree whose printer is cmd_events.c's static
 * print_json() (1bea987 and before), else against tools/jsonfmt.h.
 *   json-events N      print N records, then on stderr "ns/record R": the
 *                      process's CPU time per record (the host may be busy:
 *                      wall-clock time would count the waits)
 */
#ifdef OLD_CMD_EVENTS
#include "cmd_events.c"
#define PRINT_EVENT(ev) print_json(ev)
#else
#include "jsonfmt.h"
#define PRINT_EVENT(ev) ts_json_event(stdout, ev)
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define NEV 64

/* A plausible mix: mostly IPv4, common names, a few odd ones. */
static void make_events(struct ts_event *ev)
{
	static const char *const comms[] = {
		"nginx", "java", "python3", "node", "postgres", "envoy",
		"curl", "redis-server", "caf\xc3\xa9", "a\"b",
	};
	unsigned int i, j;

	memset(ev, 0, NEV * sizeof(*ev));
	for (i = 0; i < NEV; i++) {
		struct ts_sock *sk = &ev[i].sk;

		ev[i].type = (uint8_t)(1 + i % 3);
		ev[i].netns = 4026531840U;
		ev[i].pid = 1000 + i * 37;
		ev[i].tid = ev[i].pid + i % 4;
		ev[i].uid = i % 5 ? 1000 : 0;
		strcpy(ev[i].comm, comms[i % (sizeof(comms) / sizeof(comms[0]))]);
		ev[i].has_rst = ev[i].type != 3;
		ev[i].rst = i % 7 != 0;
		ev[i].has_unread = ev[i].type == 1;
		ev[i].unread = 17 + i * 101;
		ev[i].has_sigpipe = ev[i].type == 3;
		ev[i].sigpipe = i % 2;
		sk->family = i % 8 == 5 ? AF_INET6 : AF_INET;
		sk->state = i % 4 ? 8 /* CLOSE_WAIT */ : 1;
		if (sk->family == AF_INET) {
			uint8_t s[4] = { 10, 0, 0, (uint8_t)(1 + i % 3) };
			uint8_t d[4] = { 10, 1, (uint8_t)(i / 4), (uint8_t)(i * 7) };

			memcpy(sk->saddr, s, 4);
			memcpy(sk->daddr, d, 4);
		} else {
			for (j = 0; j < 16; j++) {
				sk->saddr[j] = (uint8_t)(j < 2 ? 0x20 + j : j == 15);
				sk->daddr[j] = (uint8_t)(j < 2 ? 0x20 + j : j * i);
			}
		}
		sk->sport = (uint16_t)(i % 3 ? 443 : 8080);
		sk->dport = (uint16_t)(32768 + i * 301);
		sk->inode = 1000000 + i * 13;
	}
}

int main(int argc, char **argv)
{
	static struct ts_event ev[NEV];
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 3000000;
	uint64_t t0 = 1767323045ULL * 1000000000ULL;
	struct timespec a, b;
	unsigned long i;
	double ns;

	make_events(ev);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
	for (i = 0; i < n; i++) {
		struct ts_event *e = &ev[i % NEV];

		/* One event every 10 us: a new second each 100,000. */
		e->seq = i + 1;
		e->time_ns = t0 + i * 10007ULL;
		PRINT_EVENT(e);
	}
	fflush(stdout);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
	ns = (double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec);
	fprintf(stderr, "ns/record %.1f\n", n ? ns / (double)n : 0.0);
	return 0;
}
