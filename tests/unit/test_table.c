// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdio.h>

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
