// SPDX-License-Identifier: GPL-2.0
/*
 * h4unread: a client closes with a known number of unread bytes, after
 * reading part of what arrived and, optionally, after the peer's FIN.
 * The process names are evscen's ("ts-client", "ts-server").
 *
 *   h4unread [-p PORT] [-n BYTES] [-k READ] [-s WRITES] [-f]
 *       The server writes BYTES (default 5000) in WRITES writes (default
 *       1; TCP_NODELAY, so several segments), and with -f then shuts its
 *       side down (FIN). The client waits until all of it (and the FIN)
 *       has arrived, reads exactly READ bytes (default 0; never the FIN)
 *       and closes. With BYTES - READ > 0 the kernel sends RST and the
 *       server's read fails with ECONNRESET; otherwise it sends FIN.
 *
 * Prints client_pid, client_port, unread (BYTES - READ), state (the
 * client's TCP state at close) and server_read (the server's next read:
 * "Connection reset by peer", "EOF" or "data").
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static int port = 5670;

static void die(const char *what)
{
	fprintf(stderr, "h4unread: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int tcp_state(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len))
		die("TCP_INFO");
	return ti.tcpi_state;
}

int main(int argc, char **argv)
{
	int bytes = 5000, want_read = 0, writes = 1, fin = 0, opt;
	int lfd, fd, sv[2], one = 1, avail = 0, i, status, state;
	struct sockaddr_in a = { .sin_family = AF_INET };
	static char buf[1 << 20];
	socklen_t alen = sizeof(a);
	pid_t server;
	ssize_t n;

	while ((opt = getopt(argc, argv, "p:n:k:s:f")) != -1) {
		switch (opt) {
		case 'p': port = atoi(optarg); break;
		case 'n': bytes = atoi(optarg); break;
		case 'k': want_read = atoi(optarg); break;
		case 's': writes = atoi(optarg); break;
		case 'f': fin = 1; break;
		default: return 2;
		}
	}
	if (bytes < 0 || bytes > (int)sizeof(buf) || want_read < 0 ||
	    want_read > bytes || writes < 1 || writes > bytes + 1)
		return 2;
	memset(buf, 'r', sizeof(buf));
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	a.sin_port = htons(port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&a, sizeof(a)) || listen(lfd, 16))
		die("listen");
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		die("socketpair");
	server = fork();
	if (server == 0) {
		int left = bytes, chunk = bytes / writes;
		char c;

		prctl(PR_SET_NAME, "ts-server", 0, 0, 0);
		fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			die("accept");
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		for (i = 0; i < writes && left > 0; i++) {
			int w = i == writes - 1 ? left : chunk;

			if (write(fd, buf, (size_t)w) != w)
				die("write");
			left -= w;
			usleep(2000);
		}
		if (fin)
			shutdown(fd, SHUT_WR);
		/* The client has closed: what does reading give now? */
		if (read(sv[1], &c, 1) != 1)
			die("sync");
		usleep(200000);
		n = read(fd, buf, sizeof(buf));
		printf("server_read=%s\n",
		       n < 0 ? strerror(errno) : n == 0 ? "EOF" : "data");
		fflush(stdout);
		_exit(0);
	}
	prctl(PR_SET_NAME, "ts-client", 0, 0, 0);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)))
		die("connect");
	/* Everything (and the FIN, which FIONREAD leaves out) arrived. */
	for (i = 0; i < 5000; i++) {
		if (ioctl(fd, FIONREAD, &avail) == 0 && avail >= bytes &&
		    (!fin || tcp_state(fd) == TCP_CLOSE_WAIT))
			break;
		usleep(1000);
	}
	if (avail < bytes) {
		fprintf(stderr, "h4unread: only %d of %d bytes arrived\n", avail, bytes);
		return 1;
	}
	for (i = 0; i < want_read; i += (int)n) {
		n = read(fd, buf, (size_t)(want_read - i));
		if (n <= 0)
			die("read");
	}
	state = tcp_state(fd);
	getsockname(fd, (struct sockaddr *)&a, &alen);
	printf("client_pid=%d\nclient_port=%d\nunread=%d\nstate=%s\n",
	       (int)getpid(), ntohs(a.sin_port), bytes - want_read,
	       state == TCP_CLOSE_WAIT ? "CLOSE_WAIT" :
	       state == TCP_ESTABLISHED ? "ESTABLISHED" : "other");
	fflush(stdout);
	close(fd);
	if (write(sv[0], "x", 1) != 1)
		die("sync");
	waitpid(server, &status, 0);
	return 0;
}
