/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Wall-clock timing for the programs that report "min median max"
 * milliseconds of repeated runs (h3walktime, timeit): a monotonic clock
 * in ms and the comparison that sorts the samples.
 */
#ifndef TCPSTATE_SCENARIO_TIMING_H
#define TCPSTATE_SCENARIO_TIMING_H

#include <time.h>

static inline double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* qsort() order of doubles. */
static inline int cmp_ms(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

#endif
