// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "metrics_sample.h"

static const char *esc(const char *s)
{
	static char buf[128];
	size_t n = tsm_escape_label(buf, sizeof(buf), s);

	CHECK_EQ(n, strlen(buf));
	return buf;
}

TEST(metrics_escape_label)
{
	CHECK_STR(esc("nginx"), "nginx");
	CHECK_STR(esc(""), "");
	CHECK_STR(esc("a\"b"), "a\\\"b");
	CHECK_STR(esc("a\\b"), "a\\\\b");
	CHECK_STR(esc("a\nb"), "a\\nb");
	CHECK_STR(esc("\\\"\\n"), "\\\\\\\"\\\\n");
	CHECK_STR(esc("} 1\nx 2"), "} 1\\nx 2");
	/* Other control characters are allowed raw by the format. */
	CHECK_STR(esc("a\tb\x1b[2J\r"), "a\tb\x1b[2J\r");
}

TEST(metrics_escape_label_utf8)
{
	CHECK_STR(esc("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
		  "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	CHECK_STR(esc("\xff"), "\xef\xbf\xbd");
	CHECK_STR(esc("a\xfe\xff" "b"), "a\xef\xbf\xbd\xef\xbf\xbd" "b");
	/* a character cut by the kernel's 15-byte comm */
	CHECK_STR(esc("ab\xf0\x9f"), "ab\xef\xbf\xbd\xef\xbf\xbd");
	CHECK_STR(esc("\xc0\xaf"), "\xef\xbf\xbd\xef\xbf\xbd");	/* overlong */
	CHECK_STR(esc("\xed\xa0\x80"),				/* surrogate */
		  "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	CHECK_STR(esc("\xf4\x90\x80\x80"),			/* > U+10FFFF */
		  "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
}

TEST(metrics_escape_label_cap)
{
	char buf[64];
	size_t n;

	memset(buf, 'X', sizeof(buf));
	CHECK_EQ(tsm_escape_label(buf, 0, "abc"), 0);
	CHECK_EQ(buf[0], 'X');
	CHECK_EQ(tsm_escape_label(buf, 1, "abc"), 0);
	CHECK_STR(buf, "");
	CHECK_EQ(tsm_escape_label(buf, 3, "abc"), 2);
	CHECK_STR(buf, "ab");
	/* never half an escape or half a character */
	CHECK_EQ(tsm_escape_label(buf, 4, "ab\""), 2);
	CHECK_STR(buf, "ab");
	CHECK_EQ(tsm_escape_label(buf, 5, "ab\""), 4);
	CHECK_STR(buf, "ab\\\"");
	CHECK_EQ(tsm_escape_label(buf, 2, "\xc3\xa9x"), 0);
	CHECK_EQ(tsm_escape_label(buf, 3, "\xc3\xa9x"), 2);
	CHECK_STR(buf, "\xc3\xa9");
	CHECK_EQ(tsm_escape_label(buf, 3, "\xff"), 0);
	CHECK_EQ(tsm_escape_label(buf, 4, "\xff"), 3);
	/* the worst 15-byte comm fits in 3 * 16 + 1 bytes */
	n = tsm_escape_label(buf, 49, "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff");
	CHECK_EQ(n, 45);
	n = tsm_escape_label(buf, 30, "\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"");
	CHECK_EQ(n, 28);
	CHECK_EQ(buf[27], '"');
}

static struct tsm_proc proc(uint32_t pid, const char *comm, uint64_t count)
{
	struct tsm_proc p;

	memset(&p, 0, sizeof(p));
	p.has_pid = pid != 0;
	p.pid = pid;
	snprintf(p.comm, sizeof(p.comm), "%s", comm);
	p.count = count;
	return p;
}

TEST(metrics_top_procs)
{
	struct tsm_proc p[8];
	uint64_t other = 99;
	size_t n = 0, shown;

	p[n++] = proc(5, "small", 1);
	p[n++] = proc(0, "", 50);	/* hidden: never named */
	p[n++] = proc(3, "big", 30);
	p[n++] = proc(4, "mid", 20);
	p[n++] = proc(6, "tiny", 1);
	p[n++] = proc(0, "", 2);	/* nobody */
	p[n++] = proc(2, "huge", 40);
	shown = tsm_top_procs(p, &n, 3, &other);
	CHECK_EQ(shown, 3);
	CHECK_EQ(n, 6);			/* the two ownerless merged */
	CHECK_EQ(p[0].pid, 2);
	CHECK_STR(p[0].comm, "huge");
	CHECK_EQ(p[0].count, 40);
	CHECK_EQ(p[1].pid, 3);
	CHECK_EQ(p[2].pid, 4);
	CHECK_EQ(other, 1 + 1 + 50 + 2);
}

TEST(metrics_top_procs_merges_a_pid)
{
	struct tsm_proc p[8];
	uint64_t other;
	size_t n = 0, shown;

	p[n++] = proc(101, "nginx", 40);
	p[n++] = proc(7, "a", 3);
	p[n++] = proc(101, "nginx", 5);	/* its unaccepted sockets */
	p[n++] = proc(7, "b", 4);	/* another name: still one series */
	shown = tsm_top_procs(p, &n, 10, &other);
	CHECK_EQ(shown, 2);
	CHECK_EQ(n, 2);
	CHECK_EQ(p[0].pid, 101);
	CHECK_EQ(p[0].count, 45);
	CHECK_EQ(p[1].pid, 7);
	CHECK_STR(p[1].comm, "b");	/* the name of the larger group */
	CHECK_EQ(p[1].count, 7);
	CHECK_EQ(other, 0);
}

TEST(metrics_top_procs_edges)
{
	struct tsm_proc p[4];
	uint64_t other = 99;
	size_t n = 0, shown;

	CHECK_EQ(tsm_top_procs(p, &n, 10, &other), 0);
	CHECK_EQ(other, 0);
	/* ties: by pid */
	p[n++] = proc(9, "x", 5);
	p[n++] = proc(8, "y", 5);
	p[n++] = proc(10, "z", 5);
	shown = tsm_top_procs(p, &n, 2, &other);
	CHECK_EQ(shown, 2);
	CHECK_EQ(p[0].pid, 8);
	CHECK_EQ(p[1].pid, 9);
	CHECK_EQ(other, 5);
	/* only ownerless groups */
	n = 0;
	p[n++] = proc(0, "", 5);
	p[n++] = proc(0, "", 6);
	CHECK_EQ(tsm_top_procs(p, &n, 10, &other), 0);
	CHECK_EQ(other, 11);
}

static struct ts_counts totals(uint32_t netns)
{
	struct ts_counts c;

	memset(&c, 0, sizeof(c));
	c.netns = netns;
	return c;
}

static struct ts_counts group(uint32_t netns, uint32_t pid, const char *comm,
			      uint32_t n)
{
	struct ts_counts c = totals(netns);

	c.is_group = true;
	c.has_pid = pid != 0;
	c.pid = pid;
	snprintf(c.comm, sizeof(c.comm), "%s", comm);
	c.owner_kind = pid ? TCPSTATE_OWNER_FD : TCPSTATE_OWNER_HIDDEN;
	c.states[TCPSTATE_CLOSE_WAIT] = n;
	c.total = n;
	return c;
}

static struct ts_sock cw_sock(uint32_t netns, uint64_t age_ms, uint32_t flags)
{
	struct ts_sock sk;

	memset(&sk, 0, sizeof(sk));
	sk.family = 2;
	sk.state = TCPSTATE_CLOSE_WAIT;
	sk.netns = netns;
	sk.age_ms = age_ms;
	sk.age_flags = flags;
	return sk;
}

TEST(metrics_snapshot_from_dumps)
{
	struct tsm_snapshot s;
	struct ts_counts c;
	struct ts_sock sk;

	tsm_init(&s);
	c = group(1, 10, "x", 1);
	CHECK_EQ(tsm_add_cw_group(&s, &c), -EPROTO);	/* before totals */

	c = totals(1);
	c.states[TCPSTATE_LISTEN] = 4;
	CHECK_EQ(tsm_add_states(&s, &c), 0);
	c = totals(2);
	CHECK_EQ(tsm_add_states(&s, &c), 0);
	c = totals(1);
	c.states[TCPSTATE_LISTEN] = 5;			/* replaces */
	CHECK_EQ(tsm_add_states(&s, &c), 0);
	CHECK_EQ(s.n_ns, 2);
	CHECK_EQ(s.ns[0].netns, 1);
	CHECK_EQ(s.ns[0].states[TCPSTATE_LISTEN], 5);

	c = totals(1);
	CHECK_EQ(tsm_add_cw_group(&s, &c), 0);
	c = group(1, 10, "x", 3);
	CHECK_EQ(tsm_add_cw_group(&s, &c), 0);
	c = group(1, 11, "y", 0);			/* no CLOSE_WAIT */
	CHECK_EQ(tsm_add_cw_group(&s, &c), 0);
	c = group(1, 0, "", 2);				/* hidden */
	CHECK_EQ(tsm_add_cw_group(&s, &c), 0);
	c = totals(3);					/* born since */
	CHECK_EQ(tsm_add_cw_group(&s, &c), 0);
	c = group(3, 12, "z", 9);
	CHECK_EQ(tsm_add_cw_group(&s, &c), 0);
	CHECK_EQ(s.n_ns, 2);
	CHECK_EQ(s.ns[0].nprocs, 2);
	CHECK_EQ(s.ns[0].procs[0].pid, 10);
	CHECK_STR(s.ns[0].procs[0].comm, "x");
	CHECK_EQ(s.ns[0].procs[0].count, 3);
	CHECK(!s.ns[0].procs[1].has_pid);
	CHECK_EQ(s.ns[1].nprocs, 0);

	sk = cw_sock(1, 5000, 0);
	CHECK_EQ(tsm_add_cw_sock(&s, &sk), 0);
	sk = cw_sock(1, 3000, TCPSTATE_AGE_F_LOWER_BOUND);
	CHECK_EQ(tsm_add_cw_sock(&s, &sk), 0);
	sk = cw_sock(1, 9000, 0);
	sk.state = TCPSTATE_ESTABLISHED;		/* not CLOSE_WAIT */
	CHECK_EQ(tsm_add_cw_sock(&s, &sk), 0);
	sk = cw_sock(7, 9000, 0);			/* unknown netns */
	CHECK_EQ(tsm_add_cw_sock(&s, &sk), 0);
	sk = cw_sock(0, 9000, 0);	/* no netns, two known: dropped */
	CHECK_EQ(tsm_add_cw_sock(&s, &sk), 0);
	CHECK_EQ(s.ns[0].cw_oldest_ms, 5000);
	/* the 3 s lower bound may hide one older than 5 s */
	CHECK(s.ns[0].cw_lower_bound);
	CHECK_EQ(s.ns[1].cw_oldest_ms, 0);
	CHECK(!s.ns[1].cw_lower_bound);
	tsm_free(&s);
	CHECK_EQ(s.n_ns, 0);

	/* One netns: a socket without a netns number counts for it. */
	c = totals(5);
	CHECK_EQ(tsm_add_states(&s, &c), 0);
	sk = cw_sock(0, 1234, 0);
	CHECK_EQ(tsm_add_cw_sock(&s, &sk), 0);
	CHECK_EQ(s.ns[0].cw_oldest_ms, 1234);
	tsm_free(&s);
}

static char *render(const struct tsm_snapshot *s, size_t top)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	CHECK_EQ(tsm_render(f, s, top), 0);
	fclose(f);
	return buf;
}

static const char expect_small[] =
	"# HELP tcpstate_sockets TCP sockets per state and network namespace.\n"
	"# TYPE tcpstate_sockets gauge\n"
	"tcpstate_sockets{netns=\"7\",state=\"ESTABLISHED\"} 3\n"
	"tcpstate_sockets{netns=\"7\",state=\"SYN_SENT\"} 0\n"
	"tcpstate_sockets{netns=\"7\",state=\"SYN_RECV\"} 0\n"
	"tcpstate_sockets{netns=\"7\",state=\"FIN_WAIT1\"} 0\n"
	"tcpstate_sockets{netns=\"7\",state=\"FIN_WAIT2\"} 0\n"
	"tcpstate_sockets{netns=\"7\",state=\"TIME_WAIT\"} 0\n"
	"tcpstate_sockets{netns=\"7\",state=\"CLOSE\"} 0\n"
	"tcpstate_sockets{netns=\"7\",state=\"CLOSE_WAIT\"} 4\n"
	"tcpstate_sockets{netns=\"7\",state=\"LAST_ACK\"} 0\n"
	"tcpstate_sockets{netns=\"7\",state=\"LISTEN\"} 1\n"
	"tcpstate_sockets{netns=\"7\",state=\"CLOSING\"} 0\n"
	"tcpstate_sockets{netns=\"7\",state=\"NEW_SYN_RECV\"} 0\n"
	"# HELP tcpstate_close_wait_sockets_by_process CLOSE_WAIT sockets per "
	"owning process, the largest owners by name, the rest and ownerless "
	"sockets as pid=\"other\".\n"
	"# TYPE tcpstate_close_wait_sockets_by_process gauge\n"
	"tcpstate_close_wait_sockets_by_process{netns=\"7\",pid=\"42\",comm=\"a\\\"b\"} 3\n"
	"tcpstate_close_wait_sockets_by_process{netns=\"7\",pid=\"other\",comm=\"other\"} 1\n"
	"# HELP tcpstate_close_wait_oldest_age_seconds Time the oldest "
	"CLOSE_WAIT socket has spent in CLOSE_WAIT (0 if none).\n"
	"# TYPE tcpstate_close_wait_oldest_age_seconds gauge\n"
	"tcpstate_close_wait_oldest_age_seconds{netns=\"7\"} 61.005\n"
	"# HELP tcpstate_close_wait_oldest_age_lower_bound 1 if the oldest "
	"CLOSE_WAIT age is only a lower bound (sockets older than the "
	"module's records), else 0.\n"
	"# TYPE tcpstate_close_wait_oldest_age_lower_bound gauge\n"
	"tcpstate_close_wait_oldest_age_lower_bound{netns=\"7\"} 0\n"
	"# HELP tcpstate_events_total Close-time events of this network "
	"namespace by type and outcome: seen, delivered to subscribers, "
	"dropped, unheard (nobody subscribed).\n"
	"# TYPE tcpstate_events_total counter\n"
	"tcpstate_events_total{type=\"unread-close\",outcome=\"seen\"} 5\n"
	"tcpstate_events_total{type=\"unread-close\",outcome=\"delivered\"} 2\n"
	"tcpstate_events_total{type=\"unread-close\",outcome=\"dropped\"} 1\n"
	"tcpstate_events_total{type=\"unread-close\",outcome=\"unheard\"} 2\n"
	"tcpstate_events_total{type=\"linger-abort\",outcome=\"seen\"} 0\n"
	"tcpstate_events_total{type=\"linger-abort\",outcome=\"delivered\"} 0\n"
	"tcpstate_events_total{type=\"linger-abort\",outcome=\"dropped\"} 0\n"
	"tcpstate_events_total{type=\"linger-abort\",outcome=\"unheard\"} 0\n"
	"tcpstate_events_total{type=\"epipe\",outcome=\"seen\"} 9\n"
	"tcpstate_events_total{type=\"epipe\",outcome=\"delivered\"} 0\n"
	"tcpstate_events_total{type=\"epipe\",outcome=\"dropped\"} 0\n"
	"tcpstate_events_total{type=\"epipe\",outcome=\"unheard\"} 9\n"
	"# HELP tcpstate_abort_on_close_total Closes with unread data answered "
	"with a RST (the module's tally of TCPAbortOnClose) in this network "
	"namespace.\n"
	"# TYPE tcpstate_abort_on_close_total counter\n"
	"tcpstate_abort_on_close_total 6\n"
	"# HELP tcpstate_tracked_sockets Sockets with a recorded state-entry "
	"time (module-wide).\n"
	"# TYPE tcpstate_tracked_sockets gauge\n"
	"tcpstate_tracked_sockets 8\n";

static void small(struct tsm_snapshot *s)
{
	struct ts_counts c = totals(7);
	struct ts_stats st;
	struct ts_sock sk;

	tsm_init(s);
	c.states[TCPSTATE_ESTABLISHED] = 3;
	c.states[TCPSTATE_CLOSE_WAIT] = 4;
	c.states[TCPSTATE_LISTEN] = 1;
	tsm_add_states(s, &c);
	c = totals(7);
	tsm_add_cw_group(s, &c);
	c = group(7, 42, "a\"b", 3);
	tsm_add_cw_group(s, &c);
	c = group(7, 0, "", 1);
	tsm_add_cw_group(s, &c);
	sk = cw_sock(7, 61005, 0);
	tsm_add_cw_sock(s, &sk);
	memset(&st, 0, sizeof(st));
	st.ev[TCPSTATE_EV_UNREAD_CLOSE].seen = 5;
	st.ev[TCPSTATE_EV_UNREAD_CLOSE].delivered = 2;
	st.ev[TCPSTATE_EV_UNREAD_CLOSE].dropped = 1;
	st.ev[TCPSTATE_EV_UNREAD_CLOSE].unheard = 2;
	st.ev[TCPSTATE_EV_EPIPE].seen = 9;
	st.ev[TCPSTATE_EV_EPIPE].unheard = 9;
	st.abort_on_close = 6;
	st.track_entries = 8;
	tsm_set_stats(s, &st);
}

TEST(metrics_render_exact)
{
	struct tsm_snapshot s;
	char *out;

	small(&s);
	out = render(&s, 10);
	CHECK_STR(out, expect_small);
	free(out);
	/* --top 1 names the same process: the same text */
	out = render(&s, 1);
	CHECK_STR(out, expect_small);
	free(out);
	tsm_free(&s);
}

TEST(metrics_render_without_stats_or_sockets)
{
	struct tsm_snapshot s;
	char *out;

	tsm_init(&s);
	CHECK_EQ(tsm_sample(&s, "empty"), 0);
	out = render(&s, 10);
	CHECK(out && strstr(out, "tcpstate_sockets{netns=\"4026531840\",state=\"CLOSE_WAIT\"} 0\n"));
	CHECK(out && strstr(out, "{netns=\"4026531840\",pid=\"other\",comm=\"other\"} 0\n"));
	CHECK(out && strstr(out, "tcpstate_close_wait_oldest_age_seconds{netns=\"4026531840\"} 0.000\n"));
	CHECK(out && strstr(out, "tcpstate_close_wait_oldest_age_lower_bound{netns=\"4026531840\"} 0\n"));
	CHECK(out && !strstr(out, "tcpstate_events_total"));
	CHECK(out && !strstr(out, "tcpstate_tracked_sockets"));
	free(out);
	tsm_free(&s);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The hostile sample: every line a comment or one sample whose family was
 * declared, no two samples with the same name and labels, no invalid
 * UTF-8 left, nothing counted twice or lost by the top-N aggregation.
 */
TEST(metrics_render_hostile_sample)
{
	static const char by_proc[] =
		"tcpstate_close_wait_sockets_by_process{netns=\"4026531840\",";
	char *out, *line, *save = NULL, *series[256], typed[16][64];
	size_t n = 0, ntyped = 0, i, j, by_proc_a = 0;
	unsigned long long sum_a = 0;
	struct tsm_snapshot s;

	tsm_init(&s);
	CHECK_EQ(tsm_sample(&s, "hostile"), 0);
	out = render(&s, 10);
	if (!out) {
		CHECK(out);
		tsm_free(&s);
		return;
	}
	CHECK(!strchr(out, '\xff') && !strchr(out, '\xfe'));
	CHECK(strstr(out, "pid=\"102\",comm=\"quo\\\"te\"} 35\n"));
	CHECK(strstr(out, "pid=\"104\",comm=\"new\\nline\"} 25\n"));
	CHECK(strstr(out, "pid=\"106\",comm=\"} 1\\nfake 2\"} 18\n"));
	CHECK(strstr(out, "pid=\"101\",comm=\"nginx\"} 45\n"));
	CHECK(strstr(out, "{netns=\"4026531840\",pid=\"other\",comm=\"other\"} 22\n"));
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char name[64], *sp;

		if (!strncmp(line, "# TYPE ", 7)) {
			CHECK(ntyped < 16);
			if (ntyped < 16)
				snprintf(typed[ntyped++], sizeof(typed[0]),
					 "%.*s", (int)strcspn(line + 7, " "),
					 line + 7);
			continue;
		}
		if (!strncmp(line, "# HELP ", 7))
			continue;
		snprintf(name, sizeof(name), "%.*s",
			 (int)strcspn(line, "{ "), line);
		for (i = 0; i < ntyped && strcmp(typed[i], name); i++)
			;
		if (i == ntyped)
			unit_fail(__FILE__, __LINE__, "undeclared: %s", line);
		sp = strrchr(line, ' ');
		CHECK(sp && sp[1] >= '0' && sp[1] <= '9');
		if (!sp)
			continue;
		*sp = '\0';
		if (!strncmp(line, by_proc, strlen(by_proc))) {
			by_proc_a++;
			sum_a += strtoull(sp + 1, NULL, 10);
		}
		CHECK(n < 256);
		if (n < 256)
			series[n++] = line;
	}
	CHECK_EQ(ntyped, 7);
	qsort(series, n, sizeof(series[0]), cmp_str);
	for (i = 1, j = 0; i < n; i++)
		if (!strcmp(series[i - 1], series[i])) {
			unit_fail(__FILE__, __LINE__, "twice: %s", series[i]);
			j++;
		}
	CHECK_EQ(j, 0);
	CHECK_EQ(by_proc_a, 11);	/* the top 10 and "other" */
	CHECK_EQ(sum_a, 247);		/* every group's sockets, once */
	free(out);
	tsm_free(&s);
}

static char *slurp(const char *path)
{
	static char buf[16384];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

/* The names in @dir, sorted and space-separated. */
static const char *ls(const char *dir)
{
	static char names[1024];
	struct dirent **ents;
	int n, i;

	names[0] = '\0';
	n = scandir(dir, &ents, NULL, alphasort);
	for (i = 0; i < n; i++) {
		if (ents[i]->d_name[0] != '.') {
			if (names[0])
				strncat(names, " ", sizeof(names) - strlen(names) - 1);
			strncat(names, ents[i]->d_name,
				sizeof(names) - strlen(names) - 1);
		}
		free(ents[i]);
	}
	if (n >= 0)
		free(ents);
	return names;
}

TEST(metrics_write_file_atomic)
{
	char dir[256], path[320], tmp[352], other[320], err[512], *want;
	struct tsm_snapshot s;
	struct stat sb;
	mode_t old;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/tcpstate-metrics.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir)) {
		CHECK(!"mkdtemp");
		return;
	}
	small(&s);
	want = render(&s, 10);
	snprintf(path, sizeof(path), "%s/tcpstate.prom", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	snprintf(other, sizeof(other), "%s/victim", dir);

	/* mode 0644 whatever the umask */
	old = umask(077);
	CHECK_EQ(tsm_write_file(path, &s, 10, err, sizeof(err)), 0);
	umask(old);
	CHECK(stat(path, &sb) == 0 && (sb.st_mode & 07777) == 0644);
	CHECK_STR(slurp(path), want);
	CHECK_STR(ls(dir), "tcpstate.prom");

	/* A planted link at the temporary name is not followed. */
	f = fopen(other, "w");
	if (f) {
		fputs("keep\n", f);
		fclose(f);
	}
	CHECK_EQ(symlink(other, tmp), 0);
	CHECK_EQ(tsm_write_file(path, &s, 10, err, sizeof(err)), 0);
	CHECK_STR(slurp(other), "keep\n");
	CHECK_STR(slurp(path), want);
	CHECK_STR(ls(dir), "tcpstate.prom victim");

	/* No directory: an error naming the file, nothing left behind. */
	snprintf(other, sizeof(other), "%s/no/such.prom", dir);
	CHECK_EQ(tsm_write_file(other, &s, 10, err, sizeof(err)), -1);
	CHECK(strstr(err, "cannot create") && strstr(err, "/no/such.prom.tmp."));

	/* Renaming over a directory fails: the temporary file goes away. */
	snprintf(other, sizeof(other), "%s/sub", dir);
	CHECK_EQ(mkdir(other, 0755), 0);
	CHECK_EQ(tsm_write_file(other, &s, 10, err, sizeof(err)), -1);
	CHECK(strstr(err, "cannot rename") != NULL);
	CHECK_STR(ls(dir), "sub tcpstate.prom victim");
	CHECK_STR(slurp(path), want);

	rmdir(other);
	snprintf(other, sizeof(other), "%s/victim", dir);
	unlink(other);
	unlink(path);
	CHECK_EQ(rmdir(dir), 0);
	free(want);
	tsm_free(&s);
}
