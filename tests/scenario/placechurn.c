// SPDX-License-Identifier: GPL-2.0
/*
 * placechurn: /proc/net/tcpstate read again and again while the sockets
 * a counting walk holds as its places go, to check what it counts then.
 *
 *   placechurn [-t TOP] [-m DOOMED] [-b BOTTOM] [-p PORT] [-d DEPTH]
 *
 * Run in a namespace with a one-bucket ehash (tests/vm/69), where every
 * connection is in one chain, newest first: per pair the accepted socket
 * (its request socket, replaced in place by it) above the connecting
 * one. From the oldest: BOTTOM pairs, DOOMED pairs, TOP pairs, all
 * established on 127.0.0.1:PORT. A counting walk looks at 256 entries
 * per lock hold (sockwalk.c, SCAN) and, before the fix, held the entry it
 * stopped on as its only place: the entries at depth 256, 512, ...; the
 * module's walk_pause_us makes the walk sleep between two holds. A thread
 * closes (RST: both sockets unhashed, none replaced) the doomed pair at
 * depth DEPTH - 1 and DEPTH (512 by default), one pair at a time; the
 * pair below it moves up, so the next one is at the same depth. A walk
 * whose place at DEPTH goes between two holds and that goes back to the
 * place before it counts the entries between twice.
 *
 * Meanwhile the main thread reads the file and checks each total against
 * what can be there: at most the sockets not yet closed when the read
 * began (a closed pair's connecting socket is gone when close() returns,
 * its peer once the RST is processed), at least those not closed when it
 * ended. Prints "reads=N closes=N over=N under=N worst_over=N
 * worst_under=N" and exits 0 if it could run.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

static int port = 7500, top = 200, doomed = 150, bottom = 50, depth = 512;
static int *dc, *ds; /* doomed pairs, oldest first: client, server */
static atomic_int closed, done;

static void die(const char *what)
{
	fprintf(stderr, "placechurn: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void pair(int lfd, int *c, int *s)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };

	*c = socket(AF_INET, SOCK_STREAM, 0);
	if (*c < 0 || connect(*c, (struct sockaddr *)&a, sizeof(a)) < 0)
		die("connect");
	*s = accept(lfd, NULL, NULL);
	if (*s < 0)
		die("accept");
}

/* The "total" line of /proc/net/tcpstate. */
static long total(void)
{
	char line[256];
	long t = -1;
	FILE *f = fopen("/proc/net/tcpstate", "r");

	if (!f)
		die("/proc/net/tcpstate");
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "total %ld", &t) == 1)
			break;
	fclose(f);
	return t;
}

/*
 * Close the doomed pair at DEPTH - 1, DEPTH, then the one that moved up
 * there, until the doomed pairs above it are all that is left.
 */
static void *closer(void *arg)
{
	struct linger l = { .l_onoff = 1, .l_linger = 0 };
	/* doomed pair j is at depth 2 * (TOP + DOOMED - 1 - j) + 1, + 2 */
	int j = doomed - 1 - (depth / 2 - 1 - top);

	(void)arg;
	for (; j >= 0; j--) {
		usleep(20000);
		if (setsockopt(dc[j], SOL_SOCKET, SO_LINGER, &l, sizeof(l)) < 0)
			die("SO_LINGER");
		close(dc[j]);
		close(ds[j]);
		atomic_fetch_add(&closed, 1);
	}
	atomic_store(&done, 1);
	return NULL;
}

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int c, i, lfd, one = 1, reads = 0, over = 0, under = 0;
	long init, worst_over = 0, worst_under = 0;
	struct rlimit rl;
	pthread_t t;

	while ((c = getopt(argc, argv, "t:m:b:p:d:")) != -1) {
		switch (c) {
		case 't':
			top = atoi(optarg);
			break;
		case 'm':
			doomed = atoi(optarg);
			break;
		case 'b':
			bottom = atoi(optarg);
			break;
		case 'p':
			port = atoi(optarg);
			break;
		case 'd':
			depth = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: placechurn [-t TOP] [-m DOOMED] [-b BOTTOM] [-p PORT] [-d DEPTH]\n");
			return 2;
		}
	}
	/* The pair at DEPTH must be a doomed one, and stay one a while. */
	if (depth % 2 || 2 * top >= depth ||
	    2 * (top + doomed) < depth + 64 || bottom < 0)
		return 2;
	rl.rlim_cur = rl.rlim_max = 2 * (top + doomed + bottom) + 64;
	setrlimit(RLIMIT_NOFILE, &rl);
	dc = calloc(doomed, sizeof(*dc));
	ds = calloc(doomed, sizeof(*ds));
	if (!dc || !ds)
		die("calloc");
	a.sin_port = htons(port);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0 ||
	    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(lfd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(lfd, 64) < 0)
		die("listener");
	for (i = 0; i < bottom + doomed + top; i++) {
		int cs, ss;

		pair(lfd, &cs, &ss);
		if (i >= bottom && i < bottom + doomed) {
			dc[i - bottom] = cs;
			ds[i - bottom] = ss;
		}
	}
	/* and the listener, in the listening hash */
	init = total();
	if (init != 2 * (top + doomed + bottom) + 1) {
		fprintf(stderr, "placechurn: %ld sockets counted, %d made\n",
			init, 2 * (top + doomed + bottom) + 1);
		return 1;
	}
	if (pthread_create(&t, NULL, closer, NULL))
		die("pthread_create");
	while (!atomic_load(&done)) {
		long before = atomic_load(&closed), n = total(), after;

		after = atomic_load(&closed);
		reads++;
		if (n > init - before) {
			over++;
			if (n - (init - before) > worst_over)
				worst_over = n - (init - before);
		}
		/* + 2: the pair whose close() may be under way */
		if (n < init - 2 * (after + 1)) {
			under++;
			if (init - 2 * (after + 1) - n > worst_under)
				worst_under = init - 2 * (after + 1) - n;
		}
	}
	pthread_join(t, NULL);
	printf("reads=%d closes=%d over=%d under=%d worst_over=%ld worst_under=%ld\n",
	       reads, atomic_load(&closed), over, under, worst_over,
	       worst_under);
	return 0;
}
