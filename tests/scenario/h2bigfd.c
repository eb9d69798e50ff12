// SPDX-License-Identifier: GPL-2.0
/*
 * h2bigfd: a process with a very large fd table, and a measure of how
 * long its own fd operations wait while something else holds its
 * files->file_lock, for the owner-scan case (57-owner-bigfd).
 *
 * h2bigfd PORT NFDS NSOCKS STRIDE: NSOCKS loopback connections to a
 * listener on 127.0.0.1:PORT (both ends held here), then every fd up to
 * NFDS - 1 filled by dup2(): every STRIDE-th with one of those sockets,
 * round robin, the others with a pipe (RLIMIT_NOFILE is raised to NFDS;
 * raise fs.nr_open first). Prints "ready PID NFDS" and then waits for
 * signals:
 *
 *   SIGUSR1  start measuring: a thread times dup()+close() pairs, each
 *            of which takes file_lock twice, in a loop; it runs on the
 *            last CPU only, so that whatever runs on the others (the
 *            dump: run it there) cannot delay it but through that lock
 *   SIGUSR2  stop and print "stall MAX_US COUNT" (the longest pair in
 *            microseconds and the number of pairs)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static atomic_int measuring;
static atomic_long max_ns, pairs;

static void die(const char *what)
{
	fprintf(stderr, "h2bigfd: %s: %s\n", what, strerror(errno));
	exit(1);
}

static long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static void *timer(void *arg)
{
	cpu_set_t cpus;
	long t0, d;
	int fd;

	(void)arg;
	CPU_ZERO(&cpus);
	CPU_SET(sysconf(_SC_NPROCESSORS_ONLN) - 1, &cpus);
	if (sched_setaffinity(0, sizeof(cpus), &cpus))
		die("sched_setaffinity");
	for (;;) {
		if (!atomic_load(&measuring)) {
			usleep(10000);
			continue;
		}
		t0 = now_ns();
		fd = dup(0);
		if (fd >= 0)
			close(fd);
		d = now_ns() - t0;
		if (d > atomic_load(&max_ns))
			atomic_store(&max_ns, d);
		atomic_fetch_add(&pairs, 1);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int port, nfds, nsocks, stride, lsn, one = 1, i, sig, *socks, p[2];
	struct rlimit rl;
	pthread_t th;
	sigset_t set;

	if (argc != 5) {
		fprintf(stderr, "usage: h2bigfd PORT NFDS NSOCKS STRIDE\n");
		return 2;
	}
	port = atoi(argv[1]);
	nfds = atoi(argv[2]);
	nsocks = atoi(argv[3]);
	stride = atoi(argv[4]);
	if (nsocks < 1 || stride < 1)
		return 2;
	prctl(PR_SET_NAME, "h2bigfd", 0, 0, 0);
	rl.rlim_cur = rl.rlim_max = nfds;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		die("setrlimit");
	socks = calloc(2 * nsocks, sizeof(*socks));
	if (!socks)
		die("calloc");
	a.sin_port = htons(port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lsn = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(lsn, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lsn, (struct sockaddr *)&a, sizeof(a)) || listen(lsn, 4096))
		die("listen");
	for (i = 0; i < nsocks; i++) {
		socks[2 * i] = socket(AF_INET, SOCK_STREAM, 0);
		if (socks[2 * i] < 0 ||
		    connect(socks[2 * i], (struct sockaddr *)&a, sizeof(a)))
			die("connect");
		socks[2 * i + 1] = accept(lsn, NULL, NULL);
		if (socks[2 * i + 1] < 0)
			die("accept");
	}
	if (pipe(p))
		die("pipe");
	/* One free slot below the top, for the timer's dup(). */
	close(lsn);
	/* Fill the table from the top down: it is sized once. */
	for (i = nfds - 1; i > p[1]; i--)
		if (dup2(i % stride ? p[0] : socks[(i / stride) % (2 * nsocks)],
			 i) < 0)
			die("dup2");
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (pthread_create(&th, NULL, timer, NULL))
		die("pthread_create");
	printf("ready %d %d\n", getpid(), nfds);
	fflush(stdout);
	for (;;) {
		if (sigwait(&set, &sig))
			continue;
		if (sig == SIGUSR1) {
			atomic_store(&max_ns, 0);
			atomic_store(&pairs, 0);
			atomic_store(&measuring, 1);
		} else {
			atomic_store(&measuring, 0);
			usleep(20000);
			printf("stall %ld %ld\n", atomic_load(&max_ns) / 1000,
			       atomic_load(&pairs));
			fflush(stdout);
		}
	}
}
