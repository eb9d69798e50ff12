/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A minimal unit-test harness: TEST(name) { ... } registers a test; CHECK*
 * record failures with file and line. The runner prints one line per test
 * and "N passed, N failed".
 */
#ifndef TCPSTATE_UNIT_H
#define TCPSTATE_UNIT_H

#include <stdio.h>
#include <string.h>

struct unit_test {
	const char *name;
	void (*fn)(void);
	struct unit_test *next;
};

/* Checks made by the running test: a test that made none fails. */
extern unsigned long unit_checks;

void unit_register(struct unit_test *t);
void unit_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define TEST(name)                                                        \
	static void test_##name(void);                                    \
	static struct unit_test unit_##name = { #name, test_##name, NULL }; \
	__attribute__((constructor)) static void reg_##name(void)          \
	{                                                                 \
		unit_register(&unit_##name);                              \
	}                                                                 \
	static void test_##name(void)

#define CHECK(cond)                                                       \
	do {                                                              \
		unit_checks++;                                            \
		if (!(cond))                                              \
			unit_fail(__FILE__, __LINE__, "%s", #cond);       \
	} while (0)

#define CHECK_EQ(a, b)                                                    \
	do {                                                              \
		long long _a = (long long)(a), _b = (long long)(b);       \
		unit_checks++;                                            \
		if (_a != _b)                                             \
			unit_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld", \
				  #a, #b, _a, _b);                        \
	} while (0)

#define CHECK_STR(a, b)                                                   \
	do {                                                              \
		const char *_a = (a), *_b = (b);                          \
		unit_checks++;                                            \
		if (!_a || !_b || strcmp(_a, _b) != 0)                    \
			unit_fail(__FILE__, __LINE__, "%s == %s: \"%s\" != \"%s\"", \
				  #a, #b, _a ? _a : "(null)",             \
				  _b ? _b : "(null)");                    \
	} while (0)

/*
 * @got (@len bytes) is exactly @want (@wantlen bytes): else a failure
 * naming @what, both lengths and the first difference, in context.
 */
void unit_check_bytes(const char *file, int line, const char *what,
		      const char *got, size_t len, const char *want,
		      size_t wantlen);
#define CHECK_BYTES(what, got, len, want, wantlen)                        \
	unit_check_bytes(__FILE__, __LINE__, what, got, len, want, wantlen)

#endif
