/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * tcpstatectl diagnose: what the rules need from /proc besides the module:
 * the TcpExt counters (/proc/net/netstat), the TCP line of
 * /proc/net/sockstat, the sysctls that bound each resource, and a
 * process's open fds, RLIMIT_NOFILE and whether it still runs. The
 * parsers take text (unit-tested); the readers read the caller's network
 * namespace, or another one they enter with setns().
 */
#ifndef TCPSTATECTL_DIAG_SYS_H
#define TCPSTATECTL_DIAG_SYS_H

#include <stddef.h>
#include <stdint.h>

#include "diag_rules.h"

/* The TcpExt header and value lines of /proc/net/netstat. 0 or -1. */
int diag_parse_netstat(const char *text, struct diag_counters *c);
/* "TCP: inuse N orphan N tw N alloc N mem N" of sockstat. 0 or -1. */
int diag_parse_sockstat(const char *text, struct diag_counters *c);
/*
 * The soft "Max open files" of /proc/PID/limits: the number, or -1 when
 * absent or "unlimited".
 */
int64_t diag_parse_nofile(const char *text);

/* Counters of the current network namespace (has_* say what was read). */
void diag_read_counters(struct diag_counters *c);
/* Sysctls of the current network namespace (unknown ones negative). */
void diag_read_sysctls(struct diag_sysctls *s);
/* What /proc says of process @pid now. */
void diag_read_proc(uint32_t pid, struct diag_proc *p);

/*
 * Enter network namespace @netns (its inode number) to read its files,
 * and come back with diag_netns_leave(). Returns 0, or a negative errno
 * (no process or /run/netns file of it found, or setns() refused) with
 * the reason in @why.
 */
int diag_netns_enter(uint32_t netns, char *why, size_t len);
void diag_netns_leave(void);

#endif
