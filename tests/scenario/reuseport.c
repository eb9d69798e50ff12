// SPDX-License-Identifier: GPL-2.0
/*
 * reuseport: N TCP listeners in one SO_REUSEPORT group on 127.0.0.1:PORT
 * (or [::1]:PORT with -6), all in one listening-hash chain. Writes
 * "ready <pid>" to READYFILE (or stdout) once they listen, then waits.
 *
 *   reuseport -n N [-p PORT] [-6] [-r READYFILE]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "loopback.h"

int main(int argc, char **argv)
{
	int c, i, n = 0, port = 5000, v6 = 0;
	const char *ready = NULL;
	struct rlimit rl;
	FILE *out;

	while ((c = getopt(argc, argv, "n:p:r:6")) != -1) {
		switch (c) {
		case 'n':
			n = atoi(optarg);
			break;
		case 'p':
			port = atoi(optarg);
			break;
		case 'r':
			ready = optarg;
			break;
		case '6':
			v6 = 1;
			break;
		default:
			fprintf(stderr, "usage: reuseport -n N [-p PORT] [-6] [-r READY]\n");
			return 2;
		}
	}
	rl.rlim_cur = rl.rlim_max = n + 64;
	setrlimit(RLIMIT_NOFILE, &rl);
	for (i = 0; i < n; i++) {
		if (reuseport_listener(v6, port) < 0) {
			fprintf(stderr, "reuseport: listener %d: %s\n", i, strerror(errno));
			return 1;
		}
	}
	out = ready ? fopen(ready, "w") : stdout;
	if (!out)
		return 1;
	fprintf(out, "ready %d\n", (int)getpid());
	fclose(out);
	for (;;)
		pause();
}
