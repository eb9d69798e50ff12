/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Presenting a socket's owning processes (list -p). */
#ifndef TCPSTATECTL_OWNER_H
#define TCPSTATECTL_OWNER_H

#include <stddef.h>
#include <stdio.h>

#include "parse.h"

/* "fd", "unaccepted", "closed-by", "none", "hidden" (JSON owner_kind). */
const char *ts_owner_kind_name(unsigned int kind);

/*
 * The Process column: "1234/nginx,1240/nginx" (like netstat -p), then a
 * mark: " [unaccepted]", "+N" for processes beyond those listed. Owners
 * that cannot be named read "(hidden)", "(kernel)", "(no fd)",
 * "(closed by a hidden process)", "(closed, closer unknown)" or "-". An
 * orphan reads "closed-by 1234/nginx". Writes at most @cap bytes including
 * the NUL; returns the length written, without the NUL.
 */
size_t ts_format_owner(char *buf, size_t cap, const struct ts_sock *sk);

#endif
