// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * tcpstatectl events: a live stream of close-time events (close() with
 * unread data, SO_LINGER 0 aborts, writes that hit EPIPE/SIGPIPE), with the
 * process and the connection. Lost events (the socket buffer overflowed)
 * are counted exactly from the module's per-namespace sequence numbers and
 * reported on stderr.
 */
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "addr.h"
#include "ctl.h"
#include "duration.h"
#include "evstream.h"
#include "fmt.h"
#include "jsonfmt.h"
#include "optval.h"
#include "query.h"
#include "request.h"
#include "states.h"

static void events_usage(FILE *out)
{
	fprintf(out,
		"Usage: tcpstatectl events [--type T[,T...]] [--pid PID] [--port P]\n"
		"                          [--count N] [--timeout D] [--json]\n"
		"\n"
		"Stream close-time events of this network namespace as they happen:\n"
		"  unread-close   close() with unread data: the kernel discards it and\n"
		"                 sends RST instead of FIN (RFC 2525 2.17,\n"
		"                 TCPAbortOnClose); the closer, connection and bytes\n"
		"  linger-abort   close() with SO_LINGER 0: RST instead of FIN\n"
		"  epipe          a write to a connection that is gone: EPIPE, and\n"
		"                 SIGPIPE unless MSG_NOSIGNAL\n"
		"\n"
		"  --type T,...     only these types\n"
		"  --pid PID        only events of this process (tgid)\n"
		"  --port P         only connections with local or remote port P\n"
		"  --count N        exit after N events\n"
		"  --timeout D      exit after D (90s, 5m, 1h30m, 500ms; a bare\n"
		"                   number is seconds)\n"
		"  --json           one JSON object per line\n"
		"  --summary        at exit, print received and lost counts on stderr\n"
		"  --buffer BYTES   socket receive buffer (default 4 MiB)\n"
		"\n"
		"Lost events (the receive buffer overflowed) are counted exactly and\n"
		"reported on stderr. Needs CAP_NET_ADMIN in the network namespace.\n");
}

struct ev_ctx {
	uint32_t types;		/* 1 << type; 0: all */
	uint32_t pid;
	uint16_t port;
	long count;		/* events still to print; -1: no limit */
	bool json;
	bool summary;
	struct evstream es;
	uint64_t printed;
};

static uint32_t parse_types(const char *arg)
{
	char word[32];
	const char *p = arg, *end;
	uint32_t mask = 0;
	size_t len, i;
	int t;

	for (;;) {
		end = strchr(p, ',');
		len = end ? (size_t)(end - p) : strlen(p);
		if (len == 0 || len >= sizeof(word))
			goto bad;
		for (i = 0; i < len; i++)
			word[i] = p[i] == '_' ? '-' : (char)tolower((unsigned char)p[i]);
		word[len] = '\0';
		for (t = 1; t <= TCPSTATE_EV_MAX; t++)
			if (!strcmp(word, ts_event_type_name((unsigned int)t)))
				break;
		if (t > TCPSTATE_EV_MAX)
			goto bad;
		mask |= 1U << t;
		if (!end)
			return mask;
		p = end + 1;
	}
bad:
	ctl_usage_error("events",
			"--type: unknown type '%.32s' (unread-close, linger-abort, epipe)",
			arg);
}

/*
 * Losses are found one sequence number at a time; report them at most
 * once a second, and whatever is left at the end (@flush).
 */
static void lost(uint64_t n, bool flush)
{
	static uint64_t pending;
	static long long last;
	long long now = ts_now_ms();

	pending += n;
	if (!pending || (!flush && now - last < 1000))
		return;
	fprintf(stderr, "tcpstatectl: %llu events lost (receive buffer overflow)\n",
		(unsigned long long)pending);
	pending = 0;
	last = now;
}

/* Local wall-clock time with microseconds, like tcpdump. */
static void print_time(uint64_t ns)
{
	time_t sec = (time_t)(ns / 1000000000ULL);
	struct tm tm;
	char buf[32];

	localtime_r(&sec, &tm);
	strftime(buf, sizeof(buf), "%H:%M:%S", &tm);
	printf("%s.%06llu", buf, (unsigned long long)(ns % 1000000000ULL / 1000));
}

static void print_event(const struct ts_event *ev, bool json)
{
	char local[64], peer[64], *e;
	const struct ts_sock *sk = &ev->sk;

	if (json) {
		ts_json_event(stdout, ev);
		return;
	}
	e = fmt_endpoint(local, sk->family, sk->saddr, sk->sport);
	*e = '\0';
	e = fmt_endpoint(peer, sk->family, sk->daddr, sk->dport);
	*e = '\0';
	print_time(ev->time_ns);
	printf(" %-12s %s -> %s %s pid ", ts_event_type_name(ev->type), local, peer,
	       ts_state_name(sk->state));
	/* 0: a process this namespace's side cannot see (a host's). */
	if (ev->pid)
		printf("%u (", ev->pid);
	else
		printf("- (");
	/* A process name is the process's to choose: print it safely. */
	for (e = (char *)ev->comm; *e; e++)
		putchar(*e >= 0x20 && *e < 0x7f ? *e : '?');
	printf(") uid %u: ", ev->uid);
	switch (ev->type) {
	case TCPSTATE_EV_UNREAD_CLOSE:
		printf("closed with %u unread bytes, %s\n", ev->unread,
		       ev->rst ? "RST sent instead of FIN" :
				 "data discarded (connection already closed)");
		break;
	case TCPSTATE_EV_LINGER_ABORT:
		printf("closed with SO_LINGER 0, %s\n",
		       ev->rst ? "RST sent" : "no RST needed");
		break;
	case TCPSTATE_EV_EPIPE:
		printf("wrote to a dead connection, %s\n",
		       ev->sigpipe ? "SIGPIPE sent" :
				     "EPIPE returned (MSG_NOSIGNAL)");
		break;
	default:
		printf("event type %u\n", ev->type);
	}
}

static bool wanted(const struct ev_ctx *c, const struct ts_event *ev)
{
	if (c->types && !(c->types & (1U << ev->type)))
		return false;
	if (c->pid && ev->pid != c->pid)
		return false;
	if (c->port && ev->sk.sport != c->port && ev->sk.dport != c->port)
		return false;
	return true;
}

/* An event of the stream (its number counted): print it if wanted. */
static void on_event(void *data, const struct ts_event *ev, uint64_t nlost)
{
	struct ev_ctx *c = data;

	lost(nlost, false);
	if (c->count != 0 && wanted(c, ev)) {
		print_event(ev, c->json);
		c->printed++;
		if (c->count > 0)
			c->count--;
	}
}

static int events_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "type", required_argument, NULL, OPT_TYPE },
		{ "pid", required_argument, NULL, OPT_PID },
		{ "port", required_argument, NULL, OPT_PORT },
		{ "count", required_argument, NULL, OPT_COUNT },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "summary", no_argument, NULL, 'S' },
		{ "buffer", required_argument, NULL, 'B' },
		CTL_HELP_LONGOPT,
		{ NULL, 0, NULL, 0 },
	};
	struct ev_ctx c = { .count = -1 };
	struct ts_stats st;
	long long deadline = -1, left;
	int opt, ret, bufsize = 4 << 20, status = EXIT_OK;
	struct tsnl nl, q;
	const struct timespec coalesce = { 0, 5 * 1000 * 1000 };
	struct pollfd pfd;
	uint64_t before;

	while ((opt = ctl_getopt(&cmd_events, argc, argv, "", opts)) !=
	       -1) {
		switch (opt) {
		case OPT_TYPE:
			c.types = parse_types(optarg);
			break;
		case OPT_PID:
			c.pid = (uint32_t)ctl_opt_uint("events", "pid", optarg,
							1, 0x7fffffff);
			break;
		case OPT_COUNT:
			c.count = (long)ctl_opt_uint("events", "count", optarg,
						      1, 0x7fffffff);
			break;
		case OPT_TIMEOUT:
			deadline = (long long)ctl_opt_duration("events", "timeout",
							       optarg);
			break;
		case 'B':
			bufsize = (int)ctl_opt_uint("events", "buffer", optarg,
						    1, 0x7fffffff);
			break;
		case OPT_PORT:
			if (ts_parse_port(optarg, &c.port))
				ctl_usage_error("events",
						"--port: '%.32s' is not a port (1-65535)",
						optarg);
			break;
		case OPT_JSON:
			c.json = true;
			break;
		case 'S':
			c.summary = true;
			break;
		}
	}
	if (optind < argc)
		ctl_usage_error("events", "unexpected argument '%.64s'",
				argv[optind]);

	if (ctl_open(&nl))
		return EXIT_RUNTIME;
	ret = ctl_get_stats(&nl, &st);
	if (!ret && (st.caps & TCPSTATE_CAP_EV_OFF_UNRESTRICTED)) {
		fprintf(stderr,
			"tcpstatectl: events: off: this kernel cannot restrict them to "
			"CAP_NET_ADMIN (no GENL_MCAST_CAP_NET_ADMIN), so the module "
			"offers no events group\n");
		tsnl_close(&nl);
		return EXIT_RUNTIME;
	}
	if (!ret)
		ret = evstream_open(&c.es, &nl, st.event_seq, bufsize, on_event,
				    &c);
	if (ret == -EPERM || ret == -EACCES) {
		fprintf(stderr,
			"tcpstatectl: events: permission denied: subscribing needs "
			"CAP_NET_ADMIN in this network namespace (try: sudo tcpstatectl events)\n");
		tsnl_close(&nl);
		return EXIT_RUNTIME;
	}
	if (ret) {
		tsnl_perror(&nl, "cannot subscribe to events", ret);
		tsnl_close(&nl);
		return EXIT_RUNTIME;
	}
	c.es.stop = &ctl_stop;
	ctl_catch_stop();
	signal(SIGPIPE, SIG_IGN);
	if (deadline >= 0)
		deadline += ts_now_ms();

	pfd.fd = c.es.fd;
	pfd.events = POLLIN;
	while (!ctl_stop && !c.es.unloaded && c.count != 0) {
		/* Output goes out whenever we are about to wait. */
		errno = 0;
		fflush(stdout);
		if (ferror(stdout)) {
			/* The reader went away: the normal end of a stream. */
			if (errno == EPIPE)
				ctl_stdout_reader_gone();
			break;
		}
		left = deadline < 0 ? -1 : deadline - ts_now_ms();
		if (deadline >= 0 && left <= 0)
			break;
		ret = poll(&pfd, 1, left < 0 || left > 1000 ? 1000 : (int)left);
		if (ret < 0 && errno != EINTR) {
			perror("tcpstatectl: poll");
			status = EXIT_RUNTIME;
			break;
		}
		if (ret <= 0)
			continue;
		/* Take everything queued, many events per system call. */
		before = c.es.seq.received + c.es.seq.late;
		ret = evstream_receive(&c.es);
		if (ret < 0) {
			perror("tcpstatectl: recv");
			status = EXIT_RUNTIME;
			break;
		}
		/*
		 * Events are coming: let a few milliseconds of them gather
		 * before the next wakeup, instead of a wakeup and two context
		 * switches per event. The 4 MiB buffer holds far more than that.
		 */
		if (c.es.seq.received + c.es.seq.late != before && !ctl_stop)
			nanosleep(&coalesce, NULL);
	}
	fflush(stdout);

	if (c.es.unloaded) {
		fprintf(stderr, "tcpstatectl: the tcpstate module was unloaded\n");
		status = EXIT_RUNTIME;
	} else if (tsnl_open(&q) == 0) {
		/* The newest event number, then whatever is still queued. */
		if (ctl_get_stats(&q, &st) == 0)
			lost(evstream_finish(&c.es, st.event_seq), false);
		tsnl_close(&q);
	}
	lost(0, true);
	if (c.summary || c.es.seq.lost)
		fprintf(stderr, "tcpstatectl: events: %llu received, %llu lost, %llu shown\n",
			(unsigned long long)c.es.seq.received,
			(unsigned long long)c.es.seq.lost,
			(unsigned long long)c.printed);
	tsnl_close(&nl);
	return status;
}

const struct command cmd_events = {
	.name = "events",
	.summary = "stream close-time events (unread data, SIGPIPE)",
	.run = events_run,
	.usage = events_usage,
};
