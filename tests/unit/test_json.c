// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdio.h>
#include <stdlib.h>

#include "unit.h"
#include "../../tools/json.h"

static char *render(const char *s)
{
	static char out[512];
	FILE *f = fmemopen(out, sizeof(out), "w");

	json_str(f, s);
	fclose(f);
	return out;
}

TEST(json_plain_and_escapes)
{
	CHECK_STR(render("nginx"), "\"nginx\"");
	CHECK_STR(render("a\"b\\c"), "\"a\\\"b\\\\c\"");
	CHECK_STR(render("x\ny\tz"), "\"x\\ny\\tz\"");
	CHECK_STR(render("\x01\x1f\x7f"), "\"\\u0001\\u001f\\u007f\"");
}

TEST(json_utf8_kept_invalid_replaced)
{
	CHECK_STR(render("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
	CHECK_STR(render("\xe2\x82\xac"), "\"\xe2\x82\xac\"");
	CHECK_STR(render("\xff"), "\"\\ufffd\"");
	CHECK_STR(render("\xc3"), "\"\\ufffd\"");		/* truncated */
	CHECK_STR(render("\xc0\xaf"), "\"\\ufffd\\ufffd\"");	/* overlong */
	CHECK_STR(render("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\""); /* surrogate */
}

static char *render_buf(const char *s, size_t cap)
{
	static char out[512];
	char *e = json_str_buf(out, cap, s);

	*e = '\0';
	return out;
}

TEST(json_buf_matches_stream)
{
	const char *cases[] = { "nginx", "a\"b\\c", "x\ny\tz", "\x01\x7f",
				"caf\xc3\xa9", "\xff", "\xed\xa0\x80" };
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char expect[512];

		strcpy(expect, render(cases[i]));
		CHECK_STR(render_buf(cases[i], 400), expect);
	}
}

TEST(json_buf_cuts_at_character_boundary)
{
	/* Room for the quotes and 4 bytes: "caf" then no half of é. */
	CHECK_STR(render_buf("caf\xc3\xa9", 6), "\"caf\"");
	CHECK_STR(render_buf("\x01\x02", 8), "\"\\u0001\"");
	CHECK_STR(render_buf("abc", 1), "");
	CHECK_STR(render_buf("", 2), "\"\"");
}
