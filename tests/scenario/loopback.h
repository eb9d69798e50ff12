/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loopback TCP sockets that several scenario programs make alike: the
 * 127.0.0.1:PORT address, a blocking connection to it, a listener on it,
 * and a listener of an SO_REUSEPORT group on 127.0.0.1:PORT or
 * [::1]:PORT.
 */
#ifndef TCPSTATE_SCENARIO_LOOPBACK_H
#define TCPSTATE_SCENARIO_LOOPBACK_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "scen_die.h"

static inline struct sockaddr_in lo_addr(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port) };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

/* A connection to 127.0.0.1:@port, made before it returns. */
static inline int lo_connect(const char *prog, int port)
{
	struct sockaddr_in a = lo_addr(port);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		scen_die(prog, "socket");
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)))
		scen_die(prog, "connect");
	return fd;
}

/* A listener on 127.0.0.1:@port (SO_REUSEADDR) with @backlog. */
static inline int lo_listener(const char *prog, int port, int backlog)
{
	struct sockaddr_in a = lo_addr(port);
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	if (fd < 0)
		scen_die(prog, "socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, backlog))
		scen_die(prog, "bind/listen");
	return fd;
}

/*
 * One more listener (backlog 16) in the SO_REUSEPORT group on
 * 127.0.0.1:@port, or [::1]:@port with @v6: its fd, or -1 with errno set
 * by the step that failed (the fd, if any, is left open).
 */
static inline int reuseport_listener(int v6, int port)
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6,
				   .sin6_port = htons(port),
				   .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	struct sockaddr_in a4 = { .sin_family = AF_INET,
				  .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int one = 1, fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);

	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) < 0 ||
	    (v6 ? bind(fd, (struct sockaddr *)&a6, sizeof(a6)) :
		  bind(fd, (struct sockaddr *)&a4, sizeof(a4))) < 0 ||
	    listen(fd, 16) < 0)
		return -1;
	return fd;
}

#endif
