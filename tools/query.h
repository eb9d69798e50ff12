/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Requests to the module, answered as parsed structs. */
#ifndef TCPSTATECTL_QUERY_H
#define TCPSTATECTL_QUERY_H

#include "nl.h"
#include "parse.h"

/* GET_STATS for the caller's netns. Returns 0 or a negative errno. */
int ctl_get_stats(struct tsnl *nl, struct ts_stats *st);

#endif
