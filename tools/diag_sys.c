// SPDX-License-Identifier: GPL-2.0 OR MIT
#define _GNU_SOURCE	/* setns */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag_sys.h"

/* The next whitespace-separated word of *p, or NULL at the end of line. */
static const char *word(const char **p, size_t *len)
{
	const char *s = *p, *w;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s || *s == '\n') {
		*p = s;
		return NULL;
	}
	w = s;
	while (*s && *s != ' ' && *s != '\t' && *s != '\n')
		s++;
	*len = (size_t)(s - w);
	*p = s;
	return w;
}

static bool word_is(const char *w, size_t len, const char *s)
{
	return strlen(s) == len && !memcmp(w, s, len);
}

static uint64_t word_u64(const char *w, size_t len)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < len && isdigit((unsigned char)w[i]); i++)
		v = v * 10 + (uint64_t)(w[i] - '0');
	return v;
}

/* The line after the one at @p, or NULL. */
static const char *next_line(const char *p)
{
	p = strchr(p, '\n');
	return p ? p + 1 : NULL;
}

int diag_parse_netstat(const char *text, struct diag_counters *c)
{
	static const struct {
		const char *name;
		size_t off;
	} names[] = {
		{ "ListenOverflows", offsetof(struct diag_counters, listen_overflows) },
		{ "ListenDrops", offsetof(struct diag_counters, listen_drops) },
		{ "TCPTimeWaitOverflow", offsetof(struct diag_counters, tw_overflow) },
		{ "TCPAbortOnMemory", offsetof(struct diag_counters, abort_on_memory) },
		{ "TCPAbortOnClose", offsetof(struct diag_counters, abort_on_close) },
	};
	const char *hdr, *val, *hw, *vw;
	size_t hl, vl, i;

	for (hdr = text; hdr; hdr = next_line(hdr)) {
		if (strncmp(hdr, "TcpExt:", 7))
			continue;
		val = next_line(hdr);
		if (!val || strncmp(val, "TcpExt:", 7))
			return -1;
		hdr += 7;
		val += 7;
		for (;;) {
			hw = word(&hdr, &hl);
			vw = word(&val, &vl);
			if (!hw || !vw)
				break;
			for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
				uint64_t v;

				if (!word_is(hw, hl, names[i].name))
					continue;
				v = word_u64(vw, vl);
				memcpy((char *)c + names[i].off, &v, sizeof(v));
			}
		}
		c->has_netstat = true;
		return 0;
	}
	return -1;
}

int diag_parse_sockstat(const char *text, struct diag_counters *c)
{
	const char *line, *w;
	size_t len;

	for (line = text; line; line = next_line(line)) {
		if (strncmp(line, "TCP:", 4))
			continue;
		line += 4;
		while ((w = word(&line, &len))) {
			bool orphan = word_is(w, len, "orphan");
			bool tw = word_is(w, len, "tw");

			w = word(&line, &len);
			if (!w)
				break;
			if (orphan)
				c->orphans = word_u64(w, len);
			else if (tw)
				c->tw = word_u64(w, len);
		}
		c->has_sockstat = true;
		return 0;
	}
	return -1;
}

int64_t diag_parse_nofile(const char *text)
{
	const char *line, *p, *w;
	size_t len;

	for (line = text; line; line = next_line(line)) {
		if (strncmp(line, "Max open files", 14))
			continue;
		p = line + 14;
		w = word(&p, &len);
		if (!w || !isdigit((unsigned char)w[0]))
			return -1;	/* "unlimited" */
		return (int64_t)word_u64(w, len);
	}
	return -1;
}

/* The whole of a small file into @buf; false if it cannot be read. */
static bool slurp(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t n = 0;
	ssize_t r;

	if (fd < 0)
		return false;
	while (n + 1 < cap && (r = read(fd, buf + n, cap - 1 - n)) > 0)
		n += (size_t)r;
	close(fd);
	buf[n] = '\0';
	return n > 0;
}

void diag_read_counters(struct diag_counters *c)
{
	static char buf[1 << 16];

	memset(c, 0, sizeof(*c));
	if (slurp("/proc/net/netstat", buf, sizeof(buf)))
		diag_parse_netstat(buf, c);
	if (slurp("/proc/net/sockstat", buf, sizeof(buf)))
		diag_parse_sockstat(buf, c);
}

static int64_t read_int(const char *path)
{
	char buf[64];
	long long v;

	if (!slurp(path, buf, sizeof(buf)) || sscanf(buf, "%lld", &v) != 1)
		return -1;
	return v;
}

/*
 * net.ipv4.tcp_max_orphans is host-wide and exists only in the initial
 * network namespace's /proc/sys: read it there (through init's
 * namespace, which needs CAP_SYS_ADMIN), -1 if that cannot be done.
 */
static int64_t read_int_in_init_ns(const char *path)
{
	int here = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	int init = open("/proc/1/ns/net", O_RDONLY | O_CLOEXEC);
	int64_t v = -1;

	if (here >= 0 && init >= 0 && setns(init, CLONE_NEWNET) == 0) {
		v = read_int(path);
		if (setns(here, CLONE_NEWNET)) {
			perror("tcpstatectl: diagnose: setns back");
			exit(1);
		}
	}
	if (here >= 0)
		close(here);
	if (init >= 0)
		close(init);
	return v;
}

void diag_read_sysctls(struct diag_sysctls *s)
{
	char buf[64];
	long long lo, hi;

	s->somaxconn = read_int("/proc/sys/net/core/somaxconn");
	s->max_tw_buckets = read_int("/proc/sys/net/ipv4/tcp_max_tw_buckets");
	s->max_orphans = read_int("/proc/sys/net/ipv4/tcp_max_orphans");
	if (s->max_orphans < 0)
		s->max_orphans =
			read_int_in_init_ns("/proc/sys/net/ipv4/tcp_max_orphans");
	s->port_lo = s->port_hi = -1;
	if (slurp("/proc/sys/net/ipv4/ip_local_port_range", buf, sizeof(buf)) &&
	    sscanf(buf, "%lld %lld", &lo, &hi) == 2) {
		s->port_lo = lo;
		s->port_hi = hi;
	}
}

void diag_read_proc(uint32_t pid, struct diag_proc *p)
{
	char path[64], buf[4096], *s;
	struct dirent *d;
	DIR *dir;
	int64_t n = 0;

	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->fds = -1;
	p->fd_limit = -1;
	snprintf(path, sizeof(path), "/proc/%u/stat", pid);
	if (!slurp(path, buf, sizeof(buf))) {
		p->gone = true;
		return;
	}
	/* The state follows the last ')' (the name may hold any). */
	s = strrchr(buf, ')');
	if (s && s[1] == ' ' && (s[2] == 'Z' || s[2] == 'X')) {
		p->gone = true;
		return;
	}
	snprintf(path, sizeof(path), "/proc/%u/limits", pid);
	if (slurp(path, buf, sizeof(buf)))
		p->fd_limit = diag_parse_nofile(buf);
	snprintf(path, sizeof(path), "/proc/%u/fd", pid);
	dir = opendir(path);
	if (!dir)
		return;		/* not ours to list */
	while ((d = readdir(dir)))
		n += d->d_name[0] != '.';
	closedir(dir);
	p->fds = n;
}

static int home_ns = -1;

/* An open fd of network namespace @netns, or -1. */
static int find_netns(uint32_t netns)
{
	static const char *const dirs[] = { "/run/netns", "/var/run/netns" };
	char path[300];
	struct dirent *d;
	struct stat st;
	size_t i;
	DIR *dir;
	int fd = -1;

	dir = opendir("/proc");
	while (dir && fd < 0 && (d = readdir(dir))) {
		if (!isdigit((unsigned char)d->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/net", d->d_name);
		if (stat(path, &st) == 0 && st.st_ino == netns)
			fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (dir)
		closedir(dir);
	for (i = 0; fd < 0 && i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		dir = opendir(dirs[i]);
		while (dir && fd < 0 && (d = readdir(dir))) {
			if (d->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", dirs[i], d->d_name);
			if (stat(path, &st) == 0 && st.st_ino == netns)
				fd = open(path, O_RDONLY | O_CLOEXEC);
		}
		if (dir)
			closedir(dir);
	}
	return fd;
}

int diag_netns_enter(uint32_t netns, char *why, size_t len)
{
	int fd, err;

	if (home_ns < 0)
		home_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (home_ns < 0) {
		err = -errno;
		snprintf(why, len, "cannot open /proc/self/ns/net: %s",
			 strerror(errno));
		return err;
	}
	fd = find_netns(netns);
	if (fd < 0) {
		snprintf(why, len,
			 "no process or /run/netns entry of network namespace %u found to read its counters and sysctls",
			 netns);
		return -ENOENT;
	}
	if (setns(fd, CLONE_NEWNET)) {
		err = -errno;
		snprintf(why, len,
			 "cannot enter network namespace %u to read its counters and sysctls: %s",
			 netns, strerror(errno));
		close(fd);
		return err;
	}
	close(fd);
	return 0;
}

void diag_netns_leave(void)
{
	if (home_ns >= 0 && setns(home_ns, CLONE_NEWNET)) {
		/* Not where we started: nothing read from here on is right. */
		perror("tcpstatectl: diagnose: setns back");
		exit(1);
	}
}
