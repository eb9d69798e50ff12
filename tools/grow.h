/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Arrays that grow by doubling, as the tool collects what it is sent. */
#ifndef TCPSTATECTL_GROW_H
#define TCPSTATECTL_GROW_H

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/*
 * Room for element @n of the array at *@arrayp (a pointer to the array's
 * pointer) of *@cap elements of @size bytes: when it is full, twice as
 * many (@first at the start). Returns 0, or -ENOMEM with the array as it
 * was.
 */
static inline int ts_grow(void *arrayp, size_t *cap, size_t n, size_t size,
			  size_t first)
{
	size_t want = *cap ? *cap * 2 : first;
	void *a;

	if (n < *cap)
		return 0;
	memcpy(&a, arrayp, sizeof(a));
	a = want <= SIZE_MAX / size ? realloc(a, want * size) : NULL;
	if (!a)
		return -ENOMEM;
	memcpy(arrayp, &a, sizeof(a));
	*cap = want;
	return 0;
}

#endif
