// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "unit.h"

static struct unit_test *tests;
static int current_failures;
unsigned long unit_checks;

void unit_register(struct unit_test *t)
{
	struct unit_test **p = &tests;

	/* Keep registration order stable: append. */
	while (*p)
		p = &(*p)->next;
	*p = t;
}

void unit_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "    %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	current_failures++;
}

void unit_check_bytes(const char *file, int line, const char *what,
		      const char *got, size_t len, const char *want,
		      size_t wantlen)
{
	size_t at, from;

	for (at = 0; at < len && at < wantlen && got[at] == want[at]; at++)
		;
	unit_checks++;
	if (len == wantlen && at == len)
		return;
	from = at > 20 ? at - 20 : 0;
	unit_fail(file, line,
		  "%s: %zu bytes, want %zu; first difference at byte %zu: \"%.60s\" != \"%.60s\"",
		  what, len, wantlen, at, from < len ? got + from : "",
		  from < wantlen ? want + from : "");
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0;
	struct unit_test *t;

	for (t = tests; t; t = t->next) {
		if (argc > 1 && !strstr(t->name, argv[1]))
			continue;
		current_failures = 0;
		unit_checks = 0;
		t->fn();
		if (!unit_checks) {
			/* A test that checked nothing proves nothing. */
			printf("FAIL %s (made no check)\n", t->name);
			failed++;
		} else if (current_failures) {
			printf("FAIL %s\n", t->name);
			failed++;
		} else {
			printf("PASS %s\n", t->name);
			passed++;
		}
		fflush(stdout);
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
