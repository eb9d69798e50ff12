// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "../../tools/table.h"

TEST(table_aligns_columns)
{
	static const char *const h[] = { "State", "Q", "Local" };
	const char *r1[] = { "ESTABLISHED", "0", "1.2.3.4:80" };
	const char *r2[] = { "LISTEN", "128", "[::]:22" };
	char out[512];
	struct table *t = table_new(3, h, "lrl");
	FILE *f = fmemopen(out, sizeof(out), "w");

	CHECK(t != NULL);
	CHECK_EQ(table_add(t, r1), 0);
	CHECK_EQ(table_add(t, r2), 0);
	CHECK_EQ(table_rows(t), 2);
	table_print(t, f, true);
	fclose(f);
	CHECK_STR(out, "State          Q  Local\n"
		       "ESTABLISHED    0  1.2.3.4:80\n"
		       "LISTEN       128  [::]:22\n");
	table_free(t);
}

TEST(table_limits)
{
	static const char *const h[] = { "x" };

	CHECK(table_new(0, h, "l") == NULL);
	CHECK(table_new(65, h, "l") == NULL);
	table_free(NULL);
}

TEST(table_many_rows)
{
	static const char *const h[] = { "a", "b" };
	const char *r[] = { "xxxxxxxxxxxxxxxxxxxx", "1" };
	struct table *t = table_new(2, h, "ll");
	int i;

	for (i = 0; i < 20000; i++)
		CHECK_EQ(table_add(t, r), 0);
	CHECK_EQ(table_rows(t), 20000);
	table_free(t);
}

/* A row formatted in place prints as the same row given as cells. */
TEST(table_row_in_place)
{
	static const char *const h[] = { "A", "B" };
	const char *r[] = { "left", "12345" };
	char out1[128] = "", out2[128] = "", *ends[2], *p;
	struct table *t1 = table_new(2, h, "lr"), *t2 = table_new(2, h, "lr");
	FILE *f;

	CHECK(t1 && t2);
	CHECK_EQ(table_add(t1, r), 0);
	p = table_row_space(t2, 64);
	CHECK(p != NULL);
	memcpy(p, "left12345", 9);
	ends[0] = p + 4;
	ends[1] = p + 9;
	CHECK_EQ(table_row_commit(t2, ends), 0);
	f = fmemopen(out1, sizeof(out1), "w");
	table_print(t1, f, true);
	fclose(f);
	f = fmemopen(out2, sizeof(out2), "w");
	table_print(t2, f, true);
	fclose(f);
	CHECK_STR(out2, out1);
	CHECK_STR(out1, "A         B\nleft  12345\n");
	table_free(t1);
	table_free(t2);
}

/* A cell over 65535 bytes is refused, and the table keeps its rows. */
TEST(table_cell_too_long)
{
	static const char *const h[] = { "a", "b" };
	const char *ok[] = { "x", "y" };
	const char *bad[2];
	char *big = malloc(70000);
	struct table *t = table_new(2, h, "ll");

	CHECK(big && t);
	memset(big, 'z', 69999);
	big[69999] = '\0';
	bad[0] = "x";
	bad[1] = big;
	CHECK_EQ(table_add(t, ok), 0);
	CHECK_EQ(table_add(t, bad), -E2BIG);
	CHECK_EQ(table_rows(t), 1);
	CHECK_EQ(table_add(t, ok), 0);
	CHECK_EQ(table_rows(t), 2);
	table_free(t);
	free(big);
}

TEST(table_cut_len)
{
	CHECK_EQ(table_cut_len("abcdef", 6, 6), 6);
	CHECK_EQ(table_cut_len("abcdef", 6, 10), 6);
	CHECK_EQ(table_cut_len("abcdefgh", 8, 6), 3);	/* "abc..." */
	CHECK_EQ(table_cut_len("abcdefgh", 8, 2), 0);
	/* "ab" then U+00E9 (2 bytes): never half of it. */
	CHECK_EQ(table_cut_len("ab\xc3\xa9xyzw", 8, 6), 2);
	CHECK_EQ(table_cut_len("abc\xc3\xa9xyzw", 9, 6), 3);
}

/* The last column is cut to the width, other columns never. */
TEST(table_max_width)
{
	static const char *const h[] = { "State", "Process" };
	const char *r1[] = { "ESTAB", "1/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" };
	const char *r2[] = { "LISTEN", "2/b" };
	char out[512] = "";
	struct table *t = table_new(2, h, "ll");
	FILE *f = fmemopen(out, sizeof(out), "w");

	CHECK_EQ(table_add(t, r1), 0);
	CHECK_EQ(table_add(t, r2), 0);
	table_set_max_width(t, 28);
	table_print(t, f, true);
	fclose(f);
	CHECK_STR(out, "State   Process\n"
		       "ESTAB   1/aaaaaaaaaaaaaaa...\n"
		       "LISTEN  2/b\n");
	/* Never narrower than TABLE_MIN_LAST; 0: no limit. */
	memset(out, 0, sizeof(out));
	f = fmemopen(out, sizeof(out), "w");
	table_set_max_width(t, 5);
	table_print(t, f, false);
	fclose(f);
	CHECK_STR(out, "ESTAB   1/aaaaaaaaaaa...\n"
		       "LISTEN  2/b\n");
	memset(out, 0, sizeof(out));
	f = fmemopen(out, sizeof(out), "w");
	table_set_max_width(t, 0);
	table_print(t, f, false);
	fclose(f);
	CHECK_STR(out, "ESTAB   1/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
		       "LISTEN  2/b\n");
	table_free(t);
}
