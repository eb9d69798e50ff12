// SPDX-License-Identifier: GPL-2.0
/*
 * tcpscen: build the TCP situations tcpstate exists to diagnose, on
 * loopback, and hold them until killed (or -t SECONDS).
 *
 *   tcpscen [-p PORT] [-6 | -m] [-A NADDR] [-b BACKLOG] [-r READYFILE]
 *           [-t SECONDS] [-x] SPEC...
 *
 *   estab:N       N established pairs
 *   closewait:N   N server sockets in CLOSE_WAIT: the client closed, the
 *                 server never calls close() (the classic leak); the
 *                 orphaned client sockets linger as FIN_WAIT2 timewait
 *   finwait2:N    like closewait, but the client only shut down writing
 *                 and keeps its socket: a full FIN_WAIT2 socket
 *   timewait:N    N client sockets in TIME_WAIT (the client closes first)
 *   unaccepted:N  N connections the listener never accepts, closed by the
 *                 client: CLOSE_WAIT sockets inside the accept queue (uses
 *                 its own listener on PORT+1 with backlog N, or the -q
 *                 backlog when that is larger: then the queue's length
 *                 and its backlog differ, as a test of which is which needs)
 *   queued:N      N established pairs with data queued both ways, in
 *                 known amounts: pair I's client sends 1000 + I bytes the
 *                 server never reads (the server's Recv-Q); the server
 *                 writes 100000 + I bytes the client never reads, into a
 *                 client receive buffer far too small for them: what has
 *                 reached the client is its Recv-Q, the rest waits in the
 *                 server's Send-Q behind the closed window. Ready once
 *                 every queue has settled (sums as written, unchanged for
 *                 half a second). Prints "queued I SPORT CPORT SENT
 *                 WRITTEN" per pair: client.recv_q + server.send_q is
 *                 WRITTEN, server.recv_q is SENT, client.send_q is 0
 *   synrecv:N     N request sockets (NEW_SYN_RECV, ss's SYN-RECV): raw
 *                 SYNs to the listener from 10.99.0.1, a source that must
 *                 be routed into lo (ip route add 10.99.0.0/24 dev lo) so
 *                 the SYN-ACKs are dropped and the handshakes never end
 *   listen        just the listener
 *
 *   -6  IPv6 (::1)      -m  IPv4-mapped: server on [::], clients IPv4
 *   -A  spread clients over 127.0.0.1 .. 127.0.0.NADDR (more than 28k
 *       connections need more than one source address)
 *   -q  the unaccepted listener's backlog (default: N)
 *   -x  exit as soon as the situation is built (for TIME_WAIT, which
 *       outlives its process)
 *
 * When everything is set up it writes "ready <pid>" to READYFILE (or
 * stdout), then waits.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

static int port = 5000;
static int family = AF_INET;
static bool mapped;
static int naddr = 1;
static int backlog = 4096;
static int qbacklog;	/* the unaccepted listener's, if more than N */
static unsigned int rr;	/* round robin over source addresses */

static void die(const char *what)
{
	fprintf(stderr, "tcpscen: %s: %s\n", what, strerror(errno));
	exit(1);
}

static socklen_t server_addr(struct sockaddr_storage *ss, int p, bool bind_any)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET6 || (mapped && bind_any)) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(p);
		s6->sin6_addr = bind_any ? in6addr_any : in6addr_loopback;
		return sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(p);
		s4->sin_addr.s_addr = htonl(bind_any && naddr > 1 ?
					    INADDR_ANY : INADDR_LOOPBACK);
		return sizeof(*s4);
	}
}

static int listener(int p, int bl)
{
	struct sockaddr_storage ss;
	socklen_t len = server_addr(&ss, p, true);
	int fd, one = 1, zero = 0;

	fd = socket(ss.ss_family, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ss.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, mapped ? &zero : &one,
			   sizeof(int));
	if (bind(fd, (struct sockaddr *)&ss, len))
		die("bind");
	if (listen(fd, bl))
		die("listen");
	return fd;
}

/*
 * Where a client connects: with mapped, 127.0.0.1 (an IPv4 client of the
 * dual-stack listener), else the listener's own loopback address.
 */
static socklen_t client_addr(struct sockaddr_storage *ss, int p)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	if (!mapped)
		return server_addr(ss, p, false);
	memset(ss, 0, sizeof(*ss));
	s4->sin_family = AF_INET;
	s4->sin_port = htons(p);
	s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sizeof(*s4);
}

/* A non-blocking connect from the next source address. */
static int client(int p)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, one = 1;
	int cfam = mapped ? AF_INET : family;

	fd = socket(cfam, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (fd < 0)
		die("socket (raise the fd limit?)");
	if (cfam == AF_INET && naddr > 1) {
		struct sockaddr_in src = { .sin_family = AF_INET };

		src.sin_addr.s_addr = htonl(0x7f000001 + (rr++ % naddr));
		setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one,
			   sizeof(one));
		if (bind(fd, (struct sockaddr *)&src, sizeof(src)))
			die("bind source");
	}
	len = client_addr(&ss, p);
	if (connect(fd, (struct sockaddr *)&ss, len) && errno != EINPROGRESS)
		die("connect");
	return fd;
}

/*
 * Up to 120 s: only how long a failure takes to show. 10 s was too short
 * for a batch of handshakes on a loaded host (25-scale died of it on 6.1).
 */
static void wait_fd(int fd, short ev)
{
	struct pollfd pfd = { .fd = fd, .events = ev };

	if (poll(&pfd, 1, 120000) != 1) {
		errno = ETIMEDOUT;
		die("poll");
	}
}

static int accept_one(int lfd)
{
	int fd;

	for (;;) {
		fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
		if (fd >= 0)
			return fd;
		if (errno != EAGAIN && errno != EINTR)
			die("accept");
		wait_fd(lfd, POLLIN);
	}
}

static void set_blocking(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
}

/* Wait until @fd reads EOF (the peer's FIN has arrived). */
static void wait_eof(int fd)
{
	char buf[256];
	ssize_t n;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n == 0)
			return;
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			die("read");
		if (n < 0)
			wait_fd(fd, POLLIN);
	}
}

#define BATCH 256

/* Connect and accept N pairs in batches; fds go into c[] and s[]. */
static void pairs(int lfd, int n, int *c, int *s)
{
	int i, j, k;

	for (i = 0; i < n; i += BATCH) {
		k = n - i < BATCH ? n - i : BATCH;
		for (j = 0; j < k; j++)
			c[i + j] = client(port);
		for (j = 0; j < k; j++)
			s[i + j] = accept_one(lfd);
		for (j = 0; j < k; j++) {
			wait_fd(c[i + j], POLLOUT);
			set_blocking(c[i + j]);
		}
	}
}

static int lfd = -1;

static int *alloc_fds(int n)
{
	int *p = calloc((size_t)n ? (size_t)n : 1, sizeof(int));

	if (!p)
		die("calloc");
	return p;
}

static void spec_estab(int n)
{
	int *c = alloc_fds(n), *s = alloc_fds(n);

	pairs(lfd, n, c, s);
	printf("estab %d pairs\n", n);
}

static void spec_closewait(int n, bool keep_client)
{
	int *c = alloc_fds(n), *s = alloc_fds(n), i;

	pairs(lfd, n, c, s);
	for (i = 0; i < n; i++) {
		if (keep_client)
			shutdown(c[i], SHUT_WR);
		else
			close(c[i]);
	}
	for (i = 0; i < n; i++)
		wait_eof(s[i]);	/* FIN received: server is in CLOSE_WAIT */
	printf("%s %d\n", keep_client ? "finwait2" : "closewait", n);
}

static void spec_timewait(int n)
{
	int *c = alloc_fds(n), *s = alloc_fds(n), i;

	pairs(lfd, n, c, s);
	for (i = 0; i < n; i++)
		close(c[i]);	/* active close: the client gets TIME_WAIT */
	for (i = 0; i < n; i++) {
		wait_eof(s[i]);
		close(s[i]);
	}
	printf("timewait %d\n", n);
}

static void spec_unaccepted(int n)
{
	int qfd = listener(port + 1, qbacklog > n ? qbacklog : n);
	int *c = alloc_fds(n), i;

	for (i = 0; i < n; i++) {
		c[i] = client(port + 1);
		wait_fd(c[i], POLLOUT);
	}
	for (i = 0; i < n; i++)
		close(c[i]);
	/* Let the FINs reach the queued children. */
	usleep(200000);
	printf("unaccepted %d (listener fd %d on port %d)\n", n, qfd, port + 1);
}

/* A non-blocking connect with a small receive buffer (set before the
 * handshake, so the window scale is chosen for it). */
static int client_small_rcvbuf(int p, int rcvbuf)
{
	struct sockaddr_storage ss;
	socklen_t len = client_addr(&ss, p);
	int fd, cfam = mapped ? AF_INET : family;

	fd = socket(cfam, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (fd < 0)
		die("socket");
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)))
		die("SO_RCVBUF");
	if (connect(fd, (struct sockaddr *)&ss, len) && errno != EINPROGRESS)
		die("connect");
	return fd;
}

static void write_all(int fd, int n)
{
	static char buf[65536];
	ssize_t w;

	while (n > 0) {
		w = write(fd, buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf));
		if (w < 0 && errno == EAGAIN) {
			wait_fd(fd, POLLOUT);
			continue;
		}
		if (w < 0)
			die("write");
		n -= (int)w;
	}
}

static int ioctl_int(int fd, unsigned long req)
{
	int v;

	if (ioctl(fd, req, &v))
		die("ioctl SIOCINQ/SIOCOUTQ");
	return v;
}

#define QUEUED_RCVBUF 8192
#define QUEUED_SNDBUF (1 << 20)

static void spec_queued(int n)
{
	int *c = alloc_fds(n), *s = alloc_fds(n), i, stable = 0, tries;
	int sndbuf = QUEUED_SNDBUF, *last = calloc((size_t)n * 3 + 1, sizeof(int));

	if (!last)
		die("calloc");
	for (i = 0; i < n; i++) {
		c[i] = client_small_rcvbuf(port, QUEUED_RCVBUF);
		s[i] = accept_one(lfd);
		wait_fd(c[i], POLLOUT);
		/* Room for all of it on the sending side: what is not sent
		 * waits there, never in write(). FORCE passes wmem_max. */
		if (setsockopt(s[i], SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf,
			       sizeof(sndbuf)))
			setsockopt(s[i], SOL_SOCKET, SO_SNDBUF, &sndbuf,
				   sizeof(sndbuf));
		write_all(c[i], 1000 + i);
		write_all(s[i], 100000 + i);
	}
	/*
	 * Settled: every byte sent is acknowledged (the sums hold exactly
	 * only then) and no queue moves for 5 looks 100 ms apart. 30 s.
	 */
	for (tries = 0; tries < 300 && stable < 5; tries++) {
		bool same = true, sums = true;

		usleep(100000);
		for (i = 0; i < n; i++) {
			int cin = ioctl_int(c[i], SIOCINQ);
			int cout = ioctl_int(c[i], SIOCOUTQ);
			int sout = ioctl_int(s[i], SIOCOUTQ);

			if (cout != 0 || ioctl_int(s[i], SIOCINQ) != 1000 + i ||
			    cin + sout != 100000 + i || sout == 0)
				sums = false;
			if (last[3 * i] != cin || last[3 * i + 1] != cout ||
			    last[3 * i + 2] != sout)
				same = false;
			last[3 * i] = cin;
			last[3 * i + 1] = cout;
			last[3 * i + 2] = sout;
		}
		stable = sums && same ? stable + 1 : 0;
	}
	if (stable < 5) {
		errno = ETIMEDOUT;
		die("queued: the queues did not settle");
	}
	for (i = 0; i < n; i++) {
		struct sockaddr_storage a;
		socklen_t alen = sizeof(a);
		int cport;

		if (getsockname(c[i], (struct sockaddr *)&a, &alen))
			die("getsockname");
		cport = ntohs(a.ss_family == AF_INET6 ?
			      ((struct sockaddr_in6 *)&a)->sin6_port :
			      ((struct sockaddr_in *)&a)->sin_port);
		printf("queued %d %d %d %d %d\n", i, port, cport, 1000 + i,
		       100000 + i);
	}
	free(last);
}

static uint16_t csum(const void *data, size_t len, uint32_t sum)
{
	const uint8_t *p = data;

	while (len > 1) {
		sum += (uint32_t)(p[0] << 8 | p[1]);
		p += 2;
		len -= 2;
	}
	if (len)
		sum += (uint32_t)(p[0] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Handshakes that never complete: SYNs whose SYN-ACKs go nowhere. */
static void spec_synrecv(int n)
{
	struct sockaddr_in dst = { .sin_family = AF_INET };
	struct {
		struct iphdr ip;
		struct tcphdr tcp;
	} pkt;
	struct {
		uint32_t saddr, daddr;
		uint8_t zero, proto;
		uint16_t len;
		struct tcphdr tcp;
	} pseudo;
	int fd, i, one = 1;

	fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (fd < 0)
		die("raw socket (needs CAP_NET_RAW)");
	setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one));
	dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (i = 0; i < n; i++) {
		memset(&pkt, 0, sizeof(pkt));
		pkt.ip.version = 4;
		pkt.ip.ihl = 5;
		pkt.ip.ttl = 64;
		pkt.ip.protocol = IPPROTO_TCP;
		pkt.ip.tot_len = htons(sizeof(pkt));
		pkt.ip.saddr = htonl(0x0a630001);	/* 10.99.0.1 */
		pkt.ip.daddr = htonl(INADDR_LOOPBACK);
		pkt.ip.check = htons(csum(&pkt.ip, sizeof(pkt.ip), 0));
		pkt.tcp.source = htons((uint16_t)(30000 + i));
		pkt.tcp.dest = htons((uint16_t)port);
		pkt.tcp.seq = htonl(1000u * (unsigned int)i + 1);
		pkt.tcp.doff = 5;
		pkt.tcp.syn = 1;
		pkt.tcp.window = htons(65535);
		pseudo.saddr = pkt.ip.saddr;
		pseudo.daddr = pkt.ip.daddr;
		pseudo.zero = 0;
		pseudo.proto = IPPROTO_TCP;
		pseudo.len = htons(sizeof(pkt.tcp));
		pseudo.tcp = pkt.tcp;
		pkt.tcp.check = htons(csum(&pseudo, sizeof(pseudo), 0));
		if (sendto(fd, &pkt, sizeof(pkt), 0, (struct sockaddr *)&dst,
			   sizeof(dst)) < 0)
			die("sendto");
	}
	close(fd);
	usleep(200000);
	printf("synrecv %d\n", n);
}

static void raise_nofile(void)
{
	struct rlimit rl = { 1 << 20, 1 << 20 };

	if (setrlimit(RLIMIT_NOFILE, &rl)) {
		getrlimit(RLIMIT_NOFILE, &rl);
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

int main(int argc, char **argv)
{
	const char *ready = NULL;
	int opt, seconds = -1, i, n;
	bool exit_now = false;
	char kind[32];
	FILE *f;

	while ((opt = getopt(argc, argv, "p:6mA:b:q:r:t:x")) != -1) {
		switch (opt) {
		case 'p':
			port = atoi(optarg);
			break;
		case '6':
			family = AF_INET6;
			break;
		case 'm':
			mapped = true;
			break;
		case 'A':
			naddr = atoi(optarg);
			break;
		case 'b':
			backlog = atoi(optarg);
			break;
		case 'q':
			qbacklog = atoi(optarg);
			break;
		case 'r':
			ready = optarg;
			break;
		case 't':
			seconds = atoi(optarg);
			break;
		case 'x':
			exit_now = true;
			break;
		default:
			fprintf(stderr, "usage: see the comment in tcpscen.c\n");
			return 2;
		}
	}
	if (optind >= argc || naddr < 1 || naddr > 250) {
		fprintf(stderr, "tcpscen: need a SPEC (estab:N ...)\n");
		return 2;
	}
	raise_nofile();
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	lfd = listener(port, backlog);
	for (i = optind; i < argc; i++) {
		n = 0;
		if (strcmp(argv[i], "listen") == 0)
			continue;
		if (sscanf(argv[i], "%31[a-z2]:%d", kind, &n) != 2 || n < 0 ||
		    n > 1000000) {
			fprintf(stderr, "tcpscen: bad spec '%s'\n", argv[i]);
			return 2;
		}
		if (!strcmp(kind, "estab"))
			spec_estab(n);
		else if (!strcmp(kind, "closewait"))
			spec_closewait(n, false);
		else if (!strcmp(kind, "finwait2"))
			spec_closewait(n, true);
		else if (!strcmp(kind, "timewait"))
			spec_timewait(n);
		else if (!strcmp(kind, "unaccepted"))
			spec_unaccepted(n);
		else if (!strcmp(kind, "queued"))
			spec_queued(n);
		else if (!strcmp(kind, "synrecv"))
			spec_synrecv(n);
		else {
			fprintf(stderr, "tcpscen: unknown kind '%s'\n", kind);
			return 2;
		}
	}
	f = ready ? fopen(ready, "w") : stdout;
	if (!f)
		die("ready file");
	fprintf(f, "ready %d\n", (int)getpid());
	fflush(f);
	if (ready)
		fclose(f);
	if (exit_now)
		return 0;
	if (seconds >= 0)
		sleep((unsigned int)seconds);
	else
		for (;;)
			pause();
	return 0;
}
