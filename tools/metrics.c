// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The Prometheus text exposition format (version 0.0.4) of a metrics
 * snapshot, and its atomic write for node_exporter's textfile collector.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json.h"
#include "metrics.h"
#include "states.h"

void tsm_init(struct tsm_snapshot *s)
{
	memset(s, 0, sizeof(*s));
	s->cur = -1;
}

void tsm_free(struct tsm_snapshot *s)
{
	size_t i;

	for (i = 0; i < s->n_ns; i++)
		free(s->ns[i].procs);
	free(s->ns);
	tsm_init(s);
}

static int find_ns(const struct tsm_snapshot *s, uint32_t netns)
{
	size_t i;

	for (i = 0; i < s->n_ns; i++)
		if (s->ns[i].netns == netns)
			return (int)i;
	return -1;
}

int tsm_add_states(struct tsm_snapshot *s, const struct ts_counts *c)
{
	struct tsm_netns *ns;
	int i;

	if (c->is_group)
		return 0;	/* not asked for: no grouping */
	i = find_ns(s, c->netns);
	if (i >= 0) {
		ns = &s->ns[i];
	} else {
		if (s->n_ns == s->cap_ns) {
			size_t cap = s->cap_ns ? s->cap_ns * 2 : 4;
			void *p;

			if (cap > 1u << 20)
				return -E2BIG;
			p = realloc(s->ns, cap * sizeof(*s->ns));
			if (!p)
				return -ENOMEM;
			s->ns = p;
			s->cap_ns = cap;
		}
		ns = &s->ns[s->n_ns++];
		memset(ns, 0, sizeof(*ns));
		ns->netns = c->netns;
	}
	memcpy(ns->states, c->states, sizeof(ns->states));
	return 0;
}

int tsm_add_cw_group(struct tsm_snapshot *s, const struct ts_counts *c)
{
	struct tsm_netns *ns;
	struct tsm_proc *pr;

	if (!c->is_group) {
		s->cur = find_ns(s, c->netns);
		if (s->cur < 0)
			s->cur = -2;	/* a netns born since: skip it */
		return 0;
	}
	if (s->cur == -1)
		return -EPROTO;		/* a group before its totals */
	if (s->cur < 0 || !c->states[TCPSTATE_CLOSE_WAIT])
		return 0;
	ns = &s->ns[s->cur];
	if (ns->nprocs == ns->cap) {
		size_t cap = ns->cap ? ns->cap * 2 : 16;
		void *p = realloc(ns->procs, cap * sizeof(*ns->procs));

		if (!p)
			return -ENOMEM;
		ns->procs = p;
		ns->cap = cap;
	}
	pr = &ns->procs[ns->nprocs++];
	memset(pr, 0, sizeof(*pr));
	pr->has_pid = c->has_pid;
	if (c->has_pid) {
		pr->pid = c->pid;
		memcpy(pr->comm, c->comm, sizeof(pr->comm) - 1);
	}
	pr->count = c->states[TCPSTATE_CLOSE_WAIT];
	return 0;
}

int tsm_add_cw_sock(struct tsm_snapshot *s, const struct ts_sock *sk)
{
	struct tsm_netns *ns;
	int i;

	if (sk->state != TCPSTATE_CLOSE_WAIT)
		return 0;
	i = find_ns(s, sk->netns);
	if (i < 0 && !sk->netns && s->n_ns == 1)
		i = 0;
	if (i < 0)
		return 0;
	ns = &s->ns[i];
	if (sk->age_ms > ns->cw_oldest_ms)
		ns->cw_oldest_ms = sk->age_ms;
	/*
	 * A lower-bound age may hide a socket older than the oldest exact
	 * one: then the oldest age itself is only a lower bound.
	 */
	if (sk->age_flags & TCPSTATE_AGE_F_LOWER_BOUND)
		ns->cw_lower_bound = true;
	return 0;
}

void tsm_set_stats(struct tsm_snapshot *s, const struct ts_stats *st)
{
	s->stats = *st;
	s->has_stats = true;
}

size_t tsm_escape_label(char *dst, size_t cap, const char *src)
{
	const unsigned char *p = (const unsigned char *)src;
	char one[4];
	size_t len = 0, n;
	int used;

	if (!cap)
		return 0;
	while (*p) {
		used = 1;
		if (*p == '\\' || *p == '"' || *p == '\n') {
			one[0] = '\\';
			one[1] = *p == '\n' ? 'n' : (char)*p;
			n = 2;
		} else if ((used = json_utf8_len(p)) > 0) {
			memcpy(one, p, (size_t)used);
			n = (size_t)used;
		} else {
			memcpy(one, "\xef\xbf\xbd", 3);	/* U+FFFD */
			n = 3;
			used = 1;
		}
		if (len + n >= cap)
			break;
		memcpy(dst + len, one, n);
		len += n;
		p += used;
	}
	dst[len] = '\0';
	return len;
}

static int comm_cmp(const struct tsm_proc *a, const struct tsm_proc *b)
{
	return strncmp(a->comm, b->comm, sizeof(a->comm));
}

/*
 * Owners first, then by pid; a pid's largest group first (its comm names
 * the merged series), then by comm.
 */
static int by_pid(const void *pa, const void *pb)
{
	const struct tsm_proc *a = pa, *b = pb;

	if (a->has_pid != b->has_pid)
		return a->has_pid ? -1 : 1;
	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return comm_cmp(a, b);
}

/* Owners first, largest first, then by pid. */
static int by_count(const void *pa, const void *pb)
{
	const struct tsm_proc *a = pa, *b = pb;

	if (a->has_pid != b->has_pid)
		return a->has_pid ? -1 : 1;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return by_pid(pa, pb);
}

size_t tsm_top_procs(struct tsm_proc *procs, size_t *n, size_t top,
		     uint64_t *other)
{
	size_t i, j, shown;

	*other = 0;
	if (!*n)
		return 0;
	/*
	 * A process comes twice when it holds some sockets and has others
	 * unaccepted in its listeners' queues (the kernel keys groups by
	 * owner kind and pid). One series per pid, whatever its groups are
	 * named, so that no two series can have the same labels.
	 */
	qsort(procs, *n, sizeof(*procs), by_pid);
	for (i = 1, j = 1; i < *n; i++) {
		if (procs[i].has_pid == procs[j - 1].has_pid &&
		    procs[i].pid == procs[j - 1].pid)
			procs[j - 1].count += procs[i].count;
		else
			procs[j++] = procs[i];
	}
	*n = j;
	qsort(procs, *n, sizeof(*procs), by_count);
	for (shown = 0; shown < *n && shown < top; shown++)
		if (!procs[shown].has_pid)
			break;
	for (i = shown; i < *n; i++)
		*other += procs[i].count;
	return shown;
}

static void family(FILE *out, const char *name, const char *type,
		   const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static int render_procs(FILE *out, const struct tsm_netns *ns, size_t top)
{
	char comm[3 * sizeof(ns->procs->comm) + 1];
	struct tsm_proc *procs = NULL;
	size_t n = ns->nprocs, shown, i;
	uint64_t other;

	if (n) {
		procs = malloc(n * sizeof(*procs));
		if (!procs)
			return -1;
		memcpy(procs, ns->procs, n * sizeof(*procs));
	}
	shown = tsm_top_procs(procs, &n, top, &other);
	for (i = 0; i < shown; i++) {
		tsm_escape_label(comm, sizeof(comm), procs[i].comm);
		fprintf(out,
			"tcpstate_close_wait_sockets_by_process{netns=\"%u\",pid=\"%u\",comm=\"%s\"} %llu\n",
			ns->netns, procs[i].pid, comm,
			(unsigned long long)procs[i].count);
	}
	fprintf(out,
		"tcpstate_close_wait_sockets_by_process{netns=\"%u\",pid=\"other\",comm=\"other\"} %llu\n",
		ns->netns, (unsigned long long)other);
	free(procs);
	return 0;
}

int tsm_render(FILE *out, const struct tsm_snapshot *s, size_t top)
{
	const struct ts_stats *st = &s->stats;
	unsigned int st_i, t;
	size_t i;

	family(out, "tcpstate_sockets", "gauge",
	       "TCP sockets per state and network namespace.");
	for (i = 0; i < s->n_ns; i++)
		for (st_i = 1; st_i <= TCPSTATE_STATE_MAX; st_i++)
			fprintf(out,
				"tcpstate_sockets{netns=\"%u\",state=\"%s\"} %u\n",
				s->ns[i].netns, ts_state_name(st_i),
				s->ns[i].states[st_i]);

	family(out, "tcpstate_close_wait_sockets_by_process", "gauge",
	       "CLOSE_WAIT sockets per owning process, the largest owners by "
	       "name, the rest and ownerless sockets as pid=\"other\".");
	for (i = 0; i < s->n_ns; i++)
		if (render_procs(out, &s->ns[i], top))
			return -1;

	family(out, "tcpstate_close_wait_oldest_age_seconds", "gauge",
	       "Time the oldest CLOSE_WAIT socket has spent in CLOSE_WAIT "
	       "(0 if none).");
	for (i = 0; i < s->n_ns; i++)
		fprintf(out,
			"tcpstate_close_wait_oldest_age_seconds{netns=\"%u\"} %llu.%03llu\n",
			s->ns[i].netns,
			(unsigned long long)(s->ns[i].cw_oldest_ms / 1000),
			(unsigned long long)(s->ns[i].cw_oldest_ms % 1000));

	family(out, "tcpstate_close_wait_oldest_age_lower_bound", "gauge",
	       "1 if the oldest CLOSE_WAIT age is only a lower bound (sockets "
	       "older than the module's records), else 0.");
	for (i = 0; i < s->n_ns; i++)
		fprintf(out,
			"tcpstate_close_wait_oldest_age_lower_bound{netns=\"%u\"} %d\n",
			s->ns[i].netns, s->ns[i].cw_lower_bound ? 1 : 0);

	if (s->has_stats) {
		family(out, "tcpstate_events_total", "counter",
		       "Close-time events of this network namespace by type "
		       "and outcome: seen, delivered to subscribers, dropped, "
		       "unheard (nobody subscribed).");
		for (t = 1; t <= TCPSTATE_EV_MAX; t++) {
			const struct ts_evstats *e = &st->ev[t];

			fprintf(out,
				"tcpstate_events_total{type=\"%s\",outcome=\"seen\"} %llu\n"
				"tcpstate_events_total{type=\"%s\",outcome=\"delivered\"} %llu\n"
				"tcpstate_events_total{type=\"%s\",outcome=\"dropped\"} %llu\n"
				"tcpstate_events_total{type=\"%s\",outcome=\"unheard\"} %llu\n",
				ts_event_type_name(t), (unsigned long long)e->seen,
				ts_event_type_name(t), (unsigned long long)e->delivered,
				ts_event_type_name(t), (unsigned long long)e->dropped,
				ts_event_type_name(t), (unsigned long long)e->unheard);
		}
		family(out, "tcpstate_abort_on_close_total", "counter",
		       "Closes with unread data answered with a RST (the "
		       "module's tally of TCPAbortOnClose) in this network "
		       "namespace.");
		fprintf(out, "tcpstate_abort_on_close_total %llu\n",
			(unsigned long long)st->abort_on_close);
		if (!st->host_wide_absent) {
			family(out, "tcpstate_tracked_sockets", "gauge",
			       "Sockets with a recorded state-entry time (module-wide).");
			fprintf(out, "tcpstate_tracked_sockets %llu\n",
				(unsigned long long)st->track_entries);
		}
	}
	if (ferror(out)) {
		if (!errno)
			errno = EIO;
		return -1;
	}
	return 0;
}

/* fsync the directory of @path, so that the rename survives a crash. */
static void sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd;

	if (!slash)
		dir = strdup(".");
	else if (slash == path)
		dir = strdup("/");
	else
		dir = strndup(path, (size_t)(slash - path));
	if (!dir)
		return;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd < 0)
		return;
	fsync(fd);
	close(fd);
}

int tsm_write_file(const char *path, const struct tsm_snapshot *s,
		   size_t top, char *err, size_t errlen)
{
	const char *what = "create";
	char *tmp = NULL;
	FILE *f = NULL;
	int fd = -1, e;
	size_t len;

	len = strlen(path) + sizeof(".tmp.") + 20;
	tmp = malloc(len);
	if (!tmp) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	snprintf(tmp, len, "%s.tmp.%ld", path, (long)getpid());
	/*
	 * O_EXCL: never write through a link someone planted. A leftover of
	 * a killed run of the same pid is removed once.
	 */
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0 && errno == EEXIST && unlink(tmp) == 0)
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create %s: %s", tmp,
			 strerror(errno));
		free(tmp);
		return -1;
	}
	what = "write";
	f = fdopen(fd, "w");
	if (!f)
		goto fail;
	errno = 0;
	if (tsm_render(f, s, top) || fflush(f))
		goto fail;
	what = "sync";
	if (fsync(fd))
		goto fail;
	what = "set the mode of";
	if (fchmod(fd, 0644))
		goto fail;
	what = "close";
	e = fclose(f);
	f = NULL;
	fd = -1;
	if (e)
		goto fail;
	if (rename(tmp, path)) {
		e = errno;
		snprintf(err, errlen, "cannot rename %s to %s: %s", tmp, path,
			 strerror(e));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	sync_dir(path);
	free(tmp);
	return 0;
fail:
	e = errno ? errno : EIO;
	snprintf(err, errlen, "cannot %s %s: %s", what, tmp, strerror(e));
	if (f)
		fclose(f);
	else if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return -1;
}
