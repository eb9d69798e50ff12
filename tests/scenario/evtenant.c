// SPDX-License-Identifier: GPL-2.0
/*
 * evtenant: one tenant's storm of close-time events spread over many
 * network namespaces, to show that it cannot take the event buffers of
 * namespaces that are not its own. Run as root of a user namespace the
 * caller owns (runas 1000 unshare -Ur evtenant ...).
 *
 *   evtenant -n NETNS -P PAIRS -o DIR [-j WORKERS] [-s SUBSCRIBERS]
 *            [-p PORT] [-t SECONDS]
 *
 * Creates NETNS network namespaces (loopback up, listeners on PORT ..
 * PORT + WORKERS - 1, SUBSCRIBERS (default 8) sockets joined to the
 * tcpstate "events" group, which a child drains: every batch the worker
 * sends is a copy per subscriber, and a
 * holder child sitting in it, whose pid lets root enter it to read its
 * stats), writes "ns I HOLDERPID" per namespace and then "storm" to
 * DIR/tenant. Then, in rounds until DIR/stop exists or SECONDS pass:
 * PAIRS connections per namespace whose client has one unread byte,
 * closed alternating between the namespaces at every close (each close
 * an unread-close event, in a namespace other than the previous one's).
 * Finally writes "closes=N" and "done" and waits to be killed; its
 * children die with it, and so do the namespaces.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "genl_family.h"

#define MAX_NS 64
#define ALIGN4(x) (((x) + 3) & ~3U)

#define MAX_WORKERS 8
#define MAX_SUBS 16

static int nns = 8, pairs = 16, port = 6100, seconds = 120, workers = 2;
static int subs = 8;
static const char *dir;
static int nsfd[MAX_NS], lfd[MAX_WORKERS][MAX_NS], subfd[MAX_NS * MAX_SUBS];
static FILE *out;

static void die(const char *what)
{
	fprintf(stderr, "evtenant: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* The "events" group's id, from CTRL_CMD_GETFAMILY on @nl. */
static uint32_t events_group(int nl)
{
	uint32_t id = 0;

	tcpstate_family_lookup(nl, 16384, "evtenant", &id);
	if (!id) {
		fprintf(stderr, "evtenant: no events group\n");
		exit(1);
	}
	return id;
}

static struct sockaddr_in lo_addr(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };

	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sa;
}

/* A new namespace, current from now on: loopback, listener, subscriber. */
static void make_ns(int i)
{
	struct sockaddr_in sa = lo_addr();
	struct ifreq ifr = { 0 };
	uint32_t grp;
	int s, w, one = 1;
	pid_t pid;

	if (unshare(CLONE_NEWNET))
		die("unshare(CLONE_NEWNET)");
	nsfd[i] = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (nsfd[i] < 0)
		die("open ns");
	s = socket(AF_INET, SOCK_DGRAM, 0);
	strcpy(ifr.ifr_name, "lo");
	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr))
		die("SIOCGIFFLAGS lo");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr))
		die("SIOCSIFFLAGS lo");
	close(s);
	for (w = 0; w < workers; w++) {
		int l = socket(AF_INET, SOCK_STREAM, 0);

		sa.sin_port = htons(port + w);
		setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (l < 0 || bind(l, (struct sockaddr *)&sa, sizeof(sa)) ||
		    listen(l, 4096))
			die("listen");
		lfd[w][i] = l;
	}
	for (w = 0; w < subs; w++) {
		s = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
		if (s < 0)
			die("netlink socket");
		tcpstate_family_id(s, 16384, "evtenant");
		grp = events_group(s);
		if (setsockopt(s, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp,
			       sizeof(grp)))
			die("join events group");
		subfd[i * subs + w] = s;
	}
	/* A holder in the namespace, for root's nsenter. */
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;)
			pause();
	}
	fprintf(out, "ns %d %d\n", i, (int)pid);
}

/* Reads and discards every subscriber's events, as a live reader would. */
static void drainer(void)
{
	static struct pollfd pfd[MAX_NS * MAX_SUBS];
	static char buf[65536];
	int i;

	if (fork())
		return;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (i = 0; i < nns * subs; i++) {
		pfd[i].fd = subfd[i];
		pfd[i].events = POLLIN;
	}
	for (;;) {
		if (poll(pfd, nns * subs, -1) < 0 && errno != EINTR)
			_exit(1);
		for (i = 0; i < nns * subs; i++)
			if (pfd[i].revents)
				while (recv(subfd[i], buf, sizeof(buf),
					    MSG_DONTWAIT) > 0 || errno == ENOBUFS)
					;
	}
}

static int stop_asked(void)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/stop", dir);
	return !access(path, F_OK);
}

/* One worker's storm; returns its closes. */
static long long storm(int w, int *cl, int *sv)
{
	struct sockaddr_in sa = lo_addr();
	long long closes = 0;
	time_t end = time(NULL) + seconds;
	int i, j;

	sa.sin_port = htons(port + w);
	while (!stop_asked() && time(NULL) < end) {
		for (i = 0; i < nns; i++) {
			if (setns(nsfd[i], CLONE_NEWNET))
				die("setns");
			for (j = 0; j < pairs; j++) {
				int c = socket(AF_INET, SOCK_STREAM, 0);
				int k = i * pairs + j;

				if (c < 0 || connect(c, (struct sockaddr *)&sa,
						     sizeof(sa)))
					die("connect");
				sv[k] = accept(lfd[w][i], NULL, NULL);
				if (sv[k] < 0 || write(sv[k], "x", 1) != 1)
					die("accept/write");
				cl[k] = c;
			}
		}
		/* Every client holds its byte: each close is a RST. */
		for (i = 0; i < nns * pairs; i++) {
			struct pollfd p = { .fd = cl[i], .events = POLLIN };

			poll(&p, 1, 1000);
		}
		/* Alternating: every close in another namespace. */
		fprintf(out, "burst %d\n", w);
		for (j = 0; j < pairs; j++)
			for (i = 0; i < nns; i++) {
				close(cl[i * pairs + j]);
				closes++;
			}
		for (i = 0; i < nns * pairs; i++)
			close(sv[i]);
	}
	return closes;
}

int main(int argc, char **argv)
{
	long long closes = 0, n;
	struct rlimit rl;
	char path[4096];
	int *cl, *sv, opt, i, w, pfd[2];

	while ((opt = getopt(argc, argv, "n:P:p:o:t:j:s:")) != -1) {
		switch (opt) {
		case 'n': nns = atoi(optarg); break;
		case 'P': pairs = atoi(optarg); break;
		case 'p': port = atoi(optarg); break;
		case 'o': dir = optarg; break;
		case 't': seconds = atoi(optarg); break;
		case 'j': workers = atoi(optarg); break;
		case 's': subs = atoi(optarg); break;
		default: goto usage;
		}
	}
	if (!dir || nns < 1 || nns > MAX_NS || pairs < 1 || workers < 1 ||
	    workers > MAX_WORKERS || subs < 1 || subs > MAX_SUBS)
		goto usage;
	if (!getrlimit(RLIMIT_NOFILE, &rl)) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if ((rlim_t)(2 * nns * pairs + (2 + subs + workers) * nns + 16) > rl.rlim_cur) {
		fprintf(stderr, "evtenant: %d x %d pairs need more fds than %ld\n",
			nns, pairs, (long)rl.rlim_cur);
		return 1;
	}
	cl = calloc((size_t)nns * pairs, sizeof(*cl));
	sv = calloc((size_t)nns * pairs, sizeof(*sv));
	snprintf(path, sizeof(path), "%s/tenant", dir);
	out = fopen(path, "w");
	if (!cl || !sv || !out || pipe(pfd))
		die("setup");
	setvbuf(out, NULL, _IOLBF, 0);
	for (i = 0; i < nns; i++)
		make_ns(i);
	drainer();
	fprintf(out, "storm\n");
	for (w = 0; w < workers; w++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (!pid) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			n = storm(w, cl, sv);
			if (write(pfd[1], &n, sizeof(n)) != sizeof(n))
				_exit(1);
			_exit(0);
		}
	}
	for (w = 0; w < workers; w++)
		if (read(pfd[0], &n, sizeof(n)) == sizeof(n))
			closes += n;
	fprintf(out, "closes=%lld\ndone\n", closes);
	for (;;)
		pause();
usage:
	fprintf(stderr, "usage: evtenant -n NETNS -P PAIRS -o DIR [-j WORKERS] [-s SUBSCRIBERS] [-p PORT] [-t SECONDS]\n");
	return 2;
}
