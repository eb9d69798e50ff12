/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Canned metrics snapshots, shared by test_metrics.c and promtool.sh. */
#ifndef TCPSTATE_METRICS_SAMPLE_H
#define TCPSTATE_METRICS_SAMPLE_H

#include "../../tools/metrics.h"

/*
 * Fill @s (after tsm_init) through the tsm_add_* functions, as the dumps
 * would: "hostile" (two namespaces, more processes than the top, process
 * names made to break the format), "empty" (one namespace, no socket, no
 * counters). Returns 0, or -1 for an unknown @kind.
 */
int tsm_sample(struct tsm_snapshot *s, const char *kind);

#endif
