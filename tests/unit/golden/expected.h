/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* An expected document of a golden test, as the generators print them. */
#ifndef TCPSTATE_GOLDEN_EXPECTED_H
#define TCPSTATE_GOLDEN_EXPECTED_H

#include <stddef.h>

struct golden_expected {
	const char *name;
	size_t len;
	const char *bytes;
};

#endif
