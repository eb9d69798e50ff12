// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The JSON writer: escapes, layout, and its buffer. */
#include <stdio.h>
#include <stdlib.h>

#include "unit.h"
#include "../../tools/json.h"
#include "../../tools/jsonfmt.h"

/* What writing @s as a string (a top-level value) gives. */
static char *render(const char *s)
{
	static char out[8192];
	FILE *f = fmemopen(out, sizeof(out), "w");
	struct json_w w;

	json_w_init(&w, f);
	json_w_str(&w, JSON_ITEM, s);
	json_w_flush(&w);
	fclose(f);
	return out;
}

TEST(json_plain_and_escapes)
{
	CHECK_STR(render("nginx"), "\"nginx\"");
	CHECK_STR(render("a\"b\\c"), "\"a\\\"b\\\\c\"");
	CHECK_STR(render("x\ny\tz"), "\"x\\ny\\tz\"");
	CHECK_STR(render("\x01\x1f\x7f"), "\"\\u0001\\u001f\\u007f\"");
	CHECK_STR(render("\r\b\f/"), "\"\\u000d\\u0008\\u000c/\"");
	CHECK_STR(render(""), "\"\"");
}

TEST(json_utf8_kept_invalid_replaced)
{
	CHECK_STR(render("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
	CHECK_STR(render("\xe2\x82\xac"), "\"\xe2\x82\xac\"");
	CHECK_STR(render("\xf0\x9f\x98\x80"), "\"\xf0\x9f\x98\x80\"");
	CHECK_STR(render("\xff"), "\"\\ufffd\"");
	CHECK_STR(render("\xc3"), "\"\\ufffd\"");		/* truncated */
	CHECK_STR(render("\xe2\x82"), "\"\\ufffd\\ufffd\"");	/* truncated */
	CHECK_STR(render("\xc0\xaf"), "\"\\ufffd\\ufffd\"");	/* overlong */
	CHECK_STR(render("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\""); /* surrogate */
	CHECK_STR(render("\xf4\x90\x80\x80"),			/* past U+10FFFF */
		  "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
}

/* A sequence cut by the string's length is invalid, not read past it. */
TEST(json_strn_stops_at_its_length)
{
	static char out[64];
	FILE *f = fmemopen(out, sizeof(out), "w");
	struct json_w w;

	json_w_init(&w, f);
	json_w_strn(&w, JSON_ITEM, "ab\xe2\x82\xac", 4);
	json_w_strn(&w, JSON_ITEM, "\"x", 1);
	json_w_flush(&w);
	fclose(f);
	CHECK_STR(out, "\"ab\\ufffd\\ufffd\", \"\\\"\"");
}

/* Every layout the tool's documents use, members of every kind. */
TEST(json_writer_layout)
{
	static char out[1024];
	FILE *f = fmemopen(out, sizeof(out), "w");
	struct json_w w;
	char key[16];

	json_w_init(&w, f);
	json_w_obj(&w, JSON_ITEM);
	json_w_u64(&w, JSON_KEY("u"), UINT64_MAX);
	json_w_i64(&w, JSON_KEY("i"), INT64_MIN);
	json_w_i64(&w, JSON_KEY("j"), 7);
	json_w_bool(&w, JSON_KEY("t"), true);
	json_w_bool(&w, JSON_KEY("f"), false);
	json_w_null(&w, JSON_KEY("n"));
	json_w_name(&w, JSON_KEY("s"), "CLOSE_WAIT");
	json_w_lit(&w, key, json_key(key, "x-y"), "1.5", 3);
	json_w_arr(&w, JSON_KEY("a"));
	json_w_u64(&w, JSON_ITEM, 1);
	json_w_obj(&w, JSON_ITEM);
	json_w_obj_end(&w);
	json_w_arr(&w, JSON_ITEM);
	json_w_arr_end(&w);
	json_w_arr_end(&w);
	json_w_arr_lines(&w, JSON_KEY("l"));
	json_w_u64(&w, JSON_ITEM, 2);
	json_w_u64(&w, JSON_ITEM, 3);
	json_w_arr_end(&w);
	json_w_arr_lines(&w, JSON_KEY("e"));
	json_w_arr_end(&w);
	json_w_obj_end(&w);
	json_w_u64(&w, JSON_ITEM, 4);	/* top level: separated too */
	json_w_endline(&w);
	json_w_u64(&w, JSON_ITEM, 5);	/* a new line starts afresh */
	json_w_endline(&w);
	fclose(f);
	CHECK_STR(out, "{\"u\": 18446744073709551615, \"i\": -9223372036854775808, "
		       "\"j\": 7, \"t\": true, \"f\": false, \"n\": null, "
		       "\"s\": \"CLOSE_WAIT\", \"x-y\": 1.5, \"a\": [1, {}, []], "
		       "\"l\": [\n  2,\n  3\n], \"e\": []}, 4\n5\n");
}

/* Past the buffer: flushed on the way, the same bytes. */
TEST(json_writer_long_strings)
{
	size_t n = 3 * JSON_W_CAP, i, len;
	char *s = malloc(n + 1), *out, *want, *p;
	FILE *f;
	struct json_w w;

	CHECK(s != NULL);
	if (!s)
		return;
	for (i = 0; i < n; i++)
		s[i] = "a\"\x01\xc3\xa9\xff"[i % 6];
	s[n] = '\0';
	f = open_memstream(&out, &len);
	json_w_init(&w, f);
	json_w_arr(&w, JSON_ITEM);
	for (i = 0; i < 3; i++) {
		json_w_str(&w, JSON_ITEM, s);
		json_w_u64(&w, JSON_ITEM, i);
	}
	json_w_arr_end(&w);
	json_w_endline(&w);
	fclose(f);
	want = malloc(3 * (n / 6 * 17 + 16) + 16);
	CHECK(want != NULL);
	if (want) {
		p = want;
		*p++ = '[';
		for (i = 0; i < 3; i++) {
			size_t k;

			*p++ = '"';
			for (k = 0; k < n / 6; k++) {
				memcpy(p, "a\\\"\\u0001\xc3\xa9\\ufffd", 17);
				p += 17;
			}
			p += sprintf(p, "\", %zu%s", i, i < 2 ? ", " : "");
		}
		strcpy(p, "]\n");
		CHECK_EQ(len, strlen(want));
		CHECK(len == strlen(want) && !memcmp(out, want, len));
		free(want);
	}
	free(out);
	free(s);
}

/*
 * stats --json's version, the module's string: escaped like every other
 * string (1bea987 printed it raw, so a quote in it broke the document).
 */
TEST(json_stats_version_escaped)
{
	static const char want[] = "{\"version\": \"1.0\\\"x\\\\\\u0001\\ufffd\", ";
	static char out[2048];
	static struct ts_stats st;
	FILE *f = fmemopen(out, sizeof(out), "w");

	strcpy(st.version, "1.0\"x\\\x01\xff");
	ts_json_stats(f, &st);
	fclose(f);
	CHECK(strncmp(out, want, strlen(want)) == 0);
}
