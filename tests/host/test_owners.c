// SPDX-License-Identifier: GPL-2.0
/*
 * The owner index of module/owners.c: its tables' growth and budget, the
 * grouping of (socket, process, fd) refs by socket behind a hash index,
 * lookups, the accept-queue children given their listener's holders, and
 * what a socket's owners are said to be. The functions come out of
 * owners.c itself (extract.sh, run.sh lists them): the rest of that file
 * walks tasks and fd tables, which a host test has not got, so the tests
 * fill the tables as scan_fd() would.
 */
#include <shim.h>

#include "tcpstate.h"
#include "budget.h"
#include "owners.h"
#include "host.h"
#include "unit.h"

/* The requester's budget (budget.c): a limit, and what is charged. */
static size_t budget_used, budget_limit = SIZE_MAX;

int tcpstate_budget_charge(struct tcpstate_requester *rq, size_t bytes)
{
	SHIM_ASSERT(rq);
	if (bytes > budget_limit - budget_used)
		return -ENOBUFS;
	budget_used += bytes;
	return 0;
}

void tcpstate_budget_uncharge(struct tcpstate_requester *rq, size_t bytes)
{
	SHIM_ASSERT(rq);
	SHIM_ASSERT(bytes <= budget_used);	/* never more than charged */
	budget_used -= bytes;
}

#include "owners_extract.c"

static struct tcpstate_owners o;
static s64 objects_before;

static void o_setup(void)
{
	memset(&o, 0, sizeof(o));
	o.rq = (struct tcpstate_requester *)&o;
	o.pidns = &init_pid_ns;
	budget_used = 0;
	budget_limit = SIZE_MAX;
	objects_before = atomic64_read(&tcpstate_objects);
}

/* As tcpstate_owners_build() ends: nothing charged, nothing held. */
static void o_teardown(void)
{
	uncharge(&o, o.charged);
	CHECK_EQ(budget_used, 0);
	tcpstate_owners_free(&o);
	CHECK_EQ(atomic64_read(&tcpstate_objects), objects_before);
}

static u32 add_proc(pid_t pid, bool visible, const char *comm)
{
	struct tcpstate_owner_proc *p;

	if (o.n_procs == o.cap_procs)
		SHIM_ASSERT(!grow(&o, (void **)&o.procs, &o.cap_procs,
				  sizeof(*o.procs), OWNERS_INITIAL_PROCS));
	p = &o.procs[o.n_procs];
	p->pid = pid;
	p->visible = visible;
	memset(p->comm, 0, sizeof(p->comm));
	strncpy(p->comm, comm, sizeof(p->comm) - 1);
	return o.n_procs++;
}

/* As scan_fd() adds one: the table grown first when full. */
static void add_ref(u64 key, u32 proc, u32 fd)
{
	struct tcpstate_owner_ref *r;

	if (o.n_refs == o.cap_refs)
		SHIM_ASSERT(!grow(&o, (void **)&o.refs, &o.cap_refs,
				  sizeof(*o.refs), OWNERS_INITIAL_REFS));
	r = &o.refs[o.n_refs++];
	r->key = key;
	r->proc = proc;
	r->fd = fd;
	r->unaccepted = 0;
}

TEST(owners_grow)
{
	u32 cap = 0, big = 1U << 28, i, *arr = NULL, *before;
	void *none = NULL;
	size_t used;

	o_setup();
	CHECK_EQ(grow(&o, (void **)&arr, &cap, sizeof(*arr), 0), 0);
	CHECK_EQ(cap, 16);
	CHECK_EQ(budget_used, 16 * sizeof(*arr));
	CHECK_EQ(atomic64_read(&tcpstate_objects), objects_before + 1);
	for (i = 0; i < cap; i++)
		arr[i] = i * 7;
	/* Doubled, kept, the old size given back, still one object. */
	CHECK_EQ(grow(&o, (void **)&arr, &cap, sizeof(*arr), 0), 0);
	CHECK_EQ(cap, 32);
	for (i = 0; i < 16; i++)
		CHECK_EQ(arr[i], i * 7);
	CHECK_EQ(budget_used, 32 * sizeof(*arr));
	CHECK_EQ(o.charged, budget_used);
	CHECK_EQ(atomic64_read(&tcpstate_objects), objects_before + 1);
	/* At least the minimum asked. */
	CHECK_EQ(grow(&o, (void **)&arr, &cap, sizeof(*arr), 100), 0);
	CHECK_EQ(cap, 100);
	/* The peak (old and new at once) must fit in the budget. */
	budget_limit = budget_used + 200 * sizeof(*arr) - 1;
	before = arr;
	used = budget_used;
	CHECK_EQ(grow(&o, (void **)&arr, &cap, sizeof(*arr), 0), -ENOBUFS);
	CHECK(arr == before);
	CHECK_EQ(cap, 100);
	CHECK_EQ(budget_used, used);
	budget_limit = SIZE_MAX;
	shim_alloc_fail_in = 1;
	CHECK_EQ(grow(&o, (void **)&arr, &cap, sizeof(*arr), 0), -ENOMEM);
	CHECK(arr == before);
	CHECK_EQ(cap, 100);
	CHECK_EQ(budget_used, used);
	/* A size past INT_MAX bytes is refused before anything is charged. */
	CHECK_EQ(grow(&o, &none, &big, 16, 0), -E2BIG);
	CHECK_EQ(budget_used, used);
	free_table(arr);
	o_teardown();
}

/* One expected ref: (key, proc, fd, unaccepted). */
struct eref {
	u64 key;
	u32 proc, fd, unaccepted;
};

static int eref_cmp(const void *a, const void *b)
{
	const struct eref *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->proc != y->proc)
		return x->proc < y->proc ? -1 : 1;
	return x->fd < y->fd ? -1 : x->fd > y->fd;
}

/*
 * Everything a built index promises, against the refs that went in
 * (@want, any order): the index's shape, each ref in its key's hash
 * bucket, each key's refs one run in (process, fd) order, no run for a
 * key not in, and every table charged (the listeners' too, while held).
 */
static void check_index(struct eref *want, u32 n)
{
	u32 i, j, nb, bits, first, end;

	CHECK_EQ(o.n_refs, n);
	if (o.n_refs != n)
		return;
	if (!n) {
		CHECK(!o.index);
		CHECK_EQ(refs_of(&o, 12345, &first), 0);
		CHECK_EQ(first, 0);
		return;
	}
	bits = max_t(unsigned int, 4, ilog2(roundup_pow_of_two(n)));
	CHECK_EQ(o.index_bits, bits);
	if (o.index_bits != bits)
		return;
	nb = 1U << bits;
	CHECK_EQ(o.index[0], 0);
	CHECK_EQ(o.index[nb], n);
	for (i = 0; i < nb; i++)
		if (o.index[i] > o.index[i + 1])
			break;
	CHECK_EQ(i, nb);
	for (i = 0; i < n; i++) {
		u32 b = hash_64(o.refs[i].key, bits);

		if (!(o.index[b] <= i && i < o.index[b + 1]))
			break;
	}
	CHECK_EQ(i, n);
	qsort(want, n, sizeof(*want), eref_cmp);
	for (i = 0; i < n; i = j) {
		for (j = i; j < n && want[j].key == want[i].key; j++)
			;
		end = refs_of(&o, want[i].key, &first);
		CHECK_EQ(end - first, j - i);
		if (end - first != j - i)
			return;
		for (; first < end; first++, i++) {
			const struct tcpstate_owner_ref *r = &o.refs[first];

			if (r->key != want[i].key || r->proc != want[i].proc ||
			    r->fd != want[i].fd || r->unaccepted != want[i].unaccepted) {
				unit_fail(__FILE__, __LINE__, "key %llu: ref %u differs",
					  (unsigned long long)want[i].key, first);
				return;
			}
		}
	}
	/* Keys that are not in: an empty run. */
	for (i = 0; i < 64; i++) {
		u64 key = want[n - 1].key + 1 + i;

		end = refs_of(&o, key, &first);
		CHECK(first == o.n_refs && end == o.n_refs);
	}
	CHECK_EQ(o.charged, tcpstate_owners_bytes(&o) +
		 (size_t)o.cap_listeners * sizeof(*o.listeners));
}

/*
 * A scan's worth of refs: processes in order, each with ascending fds,
 * on sockets some of which several fds or processes share.
 */
static u32 scan_like(u64 *seed, u32 n, u32 nkeys, struct eref *want)
{
	u32 procs = n / 8 + 1, i = 0, p, fd;

	for (p = 0; p < procs; p++)
		add_proc((pid_t)(100 + p), true, "p");
	for (p = 0; p < procs && i < n; p++) {
		u32 nfd = p == procs - 1 ? n - i : rnd_below(seed, 16);

		for (fd = 3; nfd-- && i < n; fd += 1 + rnd_below(seed, 4), i++) {
			u64 key = 1 + rnd_below(seed, nkeys);

			add_ref(key, p, fd);
			want[i] = (struct eref){ key, p, fd, 0 };
		}
	}
	return i;
}

TEST(owners_index_sizes)
{
	static const u32 sizes[] = { 0, 1, 2, 15, 16, 17, 100, 1024, 1025, 5000 };
	static struct eref want[5000];
	u64 seed = 42;
	u32 s, n;

	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		o_setup();
		/* Few keys: runs of several refs; many: mostly one each. */
		n = scan_like(&seed, sizes[s], sizes[s] / (s % 2 ? 3 : 1) + 1, want);
		CHECK_EQ(n, sizes[s]);
		shim_sort_calls = 0;
		CHECK_EQ(sort_refs(&o), 0);
		/*
		 * In scan order, each socket's refs come out of the stable
		 * bucket pass in (process, fd) order: no run needs lib/sort.
		 */
		CHECK_EQ(shim_sort_calls, 0);
		check_index(want, n);
		o_teardown();
	}
}

/*
 * Keys that all hash to one bucket, met in descending order, each by
 * process 1 before process 0.
 */
TEST(owners_index_collisions)
{
	struct eref want[64];
	u64 keys[16], k;
	u32 nk = 0, i, p, n = 0;

	o_setup();
	for (k = 1; nk < ARRAY_SIZE(keys); k++)
		if (hash_64(k, 5) == 3)
			keys[nk++] = k;
	for (p = 0; p < 2; p++)
		add_proc((pid_t)(10 + p), true, "p");
	/* 32 refs: 2^5 buckets. Process 1's refs first, then process 0's. */
	for (p = 2; p-- > 0;)
		for (i = nk; i-- > 0;) {
			add_ref(keys[i], p, 3 + i);
			want[n++] = (struct eref){ keys[i], p, 3 + i, 0 };
		}
	shim_sort_calls = 0;
	CHECK_EQ(sort_refs(&o), 0);
	/* Each key's run came out process 1 first: each is sorted once. */
	CHECK_EQ(shim_sort_calls, nk);
	CHECK_EQ(o.index_bits, 5);
	check_index(want, n);
	o_teardown();
}

/*
 * Sorted again after refs were appended (add_unaccepted() does it): the
 * old index goes, and a run whose appended refs came out of order is
 * put in (process, fd) order.
 */
TEST(owners_index_resort)
{
	static struct eref want[300];
	u64 seed = 7;
	u32 n, i;

	o_setup();
	n = scan_like(&seed, 200, 40, want);
	CHECK_EQ(sort_refs(&o), 0);
	check_index(want, n);
	/* Process 0 holds every key again, after all of those. */
	for (i = 0; i < 40; i++) {
		add_ref(1 + i, 0, 1);
		want[n++] = (struct eref){ 1 + i, 0, 1, 0 };
	}
	CHECK_EQ(sort_refs(&o), 0);
	check_index(want, n);
	o_teardown();
}

TEST(owners_sort_failures)
{
	static struct eref want[600];
	struct tcpstate_owner_ref *copy;
	u64 seed = 99;
	u32 n, bits;
	size_t scratch, used;

	o_setup();
	n = scan_like(&seed, 500, 100, want);
	CHECK_EQ(sort_refs(&o), 0);
	CHECK(o.index != NULL);
	copy = malloc(n * sizeof(*copy));
	memcpy(copy, o.refs, n * sizeof(*copy));
	bits = o.index_bits;
	scratch = n * sizeof(*o.refs) + index_bytes(bits);
	/* The scratch refused: the old index gone, the refs as they were. */
	used = budget_used - index_bytes(bits);
	budget_limit = used + scratch - 1;
	CHECK_EQ(sort_refs(&o), -ENOBUFS);
	CHECK(!o.index);
	CHECK_EQ(budget_used, used);
	CHECK_EQ(o.charged, used);
	CHECK_EQ(o.n_refs, n);
	CHECK(!memcmp(o.refs, copy, n * sizeof(*copy)));
	budget_limit = SIZE_MAX;
	/* Either allocation failing: nothing kept, nothing charged. */
	shim_alloc_fail_in = 1;
	CHECK_EQ(sort_refs(&o), -ENOMEM);
	CHECK_EQ(budget_used, used);
	shim_alloc_fail_in = 2;
	CHECK_EQ(sort_refs(&o), -ENOMEM);
	CHECK_EQ(budget_used, used);
	CHECK(!memcmp(o.refs, copy, n * sizeof(*copy)));
	/* And then it works. */
	CHECK_EQ(sort_refs(&o), 0);
	check_index(want, n);
	free(copy);
	o_teardown();
}

/* ---- sockets and what their owners are said to be ---- */

static struct sock *new_sock(int state)
{
	struct sock *sk = calloc(1, sizeof(*sk));

	SHIM_ASSERT(sk);
	sk->sk_state = (unsigned char)state;
	sk->sk_family = AF_INET;
	sk->sk_protocol = IPPROTO_TCP;
	sk->sk_type = SOCK_STREAM;
	sk->sk_net = &init_net;
	refcount_set(&sk->sk_refcnt, 1);
	/* A file: any non-NULL struct socket pointer, never followed. */
	sk->sk_socket = (struct socket *)sk;
	return sk;
}

struct seen {
	int n;
	pid_t pid[8];
	u8 kind[8];
};

static int see(void *arg, const struct tcpstate_owner_proc *p, u8 kind)
{
	struct seen *s = arg;

	SHIM_ASSERT(s->n < 8);
	s->pid[s->n] = p ? p->pid : -1;
	s->kind[s->n] = kind;
	s->n++;
	return 0;
}

static struct seen owners_of(struct sock *sk)
{
	struct seen s = { .n = 0 };

	CHECK_EQ(tcpstate_owners_each(&o, sk, see, &s), 0);
	return s;
}

/* Exactly one call, with no process and @kind. */
#define CHECK_KIND_ONLY(sk, k) \
	do { \
		struct seen _s = owners_of(sk); \
		CHECK_EQ(_s.n, 1); \
		CHECK_EQ(_s.pid[0], -1); \
		CHECK_EQ(_s.kind[0], k); \
	} while (0)

TEST(owners_match_and_each)
{
	struct sock *held = new_sock(TCP_ESTABLISHED);
	struct sock *hidden = new_sock(TCP_ESTABLISHED);
	struct sock *mixed = new_sock(TCP_ESTABLISHED);
	struct sock *nobody = new_sock(TCP_ESTABLISHED);
	struct sock *tw = new_sock(TCP_TIME_WAIT);
	struct sock *orphan = new_sock(TCP_FIN_WAIT1);
	struct sock *kern = new_sock(TCP_ESTABLISHED);
	struct sock *lsk = new_sock(TCP_LISTEN);
	struct sock *req = new_sock(TCP_NEW_SYN_RECV);
	u32 nginx, sshd, nginx2, curl;
	struct seen s;

	o_setup();
	nginx = add_proc(100, true, "nginx");
	sshd = add_proc(200, false, "sshd");
	nginx2 = add_proc(300, true, "nginx");
	curl = add_proc(400, true, "curl");
	add_ref(sock_key(held), nginx, 3);
	add_ref(sock_key(held), nginx, 9);
	add_ref(sock_key(hidden), sshd, 5);
	add_ref(sock_key(mixed), sshd, 6);
	add_ref(sock_key(lsk), nginx2, 4);
	add_ref(sock_key(held), nginx2, 7);
	add_ref(sock_key(mixed), curl, 8);
	CHECK_EQ(sort_refs(&o), 0);

	/* One call per visible process, however many fds. */
	s = owners_of(held);
	CHECK_EQ(s.n, 2);
	CHECK_EQ(s.pid[0], 100);
	CHECK_EQ(s.pid[1], 300);
	CHECK(s.kind[0] == TCPSTATE_OWNER_FD && s.kind[1] == TCPSTATE_OWNER_FD);
	CHECK(tcpstate_owners_match(&o, held, 0, ""));
	CHECK(tcpstate_owners_match(&o, held, 100, ""));
	CHECK(tcpstate_owners_match(&o, held, 300, "nginx"));
	CHECK(tcpstate_owners_match(&o, held, 0, "nginx"));
	CHECK(!tcpstate_owners_match(&o, held, 400, ""));
	CHECK(!tcpstate_owners_match(&o, held, 100, "curl"));
	CHECK(!tcpstate_owners_match(&o, held, 0, "nginx2"));
	/* Hidden holders are neither shown nor matched. */
	CHECK_KIND_ONLY(hidden, TCPSTATE_OWNER_HIDDEN);
	CHECK(!tcpstate_owners_match(&o, hidden, 200, ""));
	CHECK(!tcpstate_owners_match(&o, hidden, 0, "sshd"));
	s = owners_of(mixed);
	CHECK_EQ(s.n, 1);
	CHECK_EQ(s.pid[0], 400);
	/* Nobody in the table. */
	CHECK(!tcpstate_owners_match(&o, nobody, 100, ""));
	CHECK_KIND_ONLY(nobody, TCPSTATE_OWNER_NONE);
	CHECK_KIND_ONLY(tw, TCPSTATE_OWNER_CLOSED_BY);
	orphan->sk_socket = NULL;
	orphan->sk_flags |= 1UL << SOCK_DEAD;
	CHECK_KIND_ONLY(orphan, TCPSTATE_OWNER_CLOSED_BY);
	kern->sk_kern_sock = true;
	CHECK_KIND_ONLY(kern, TCPSTATE_OWNER_NONE);
	/* A request socket is its listener's holders', as unaccepted. */
	req->rsk_listener = lsk;
	s = owners_of(req);
	CHECK_EQ(s.n, 1);
	CHECK_EQ(s.pid[0], 300);
	CHECK_EQ(s.kind[0], TCPSTATE_OWNER_UNACCEPTED);
	CHECK(tcpstate_owners_match(&o, req, 300, "nginx"));
	req->rsk_listener = NULL;
	CHECK_KIND_ONLY(req, TCPSTATE_OWNER_NONE);
	/* Processes the scan skipped may hold any of these. */
	o.skipped = true;
	CHECK_KIND_ONLY(nobody, TCPSTATE_OWNER_HIDDEN);
	CHECK_KIND_ONLY(req, TCPSTATE_OWNER_HIDDEN);
	CHECK_KIND_ONLY(tw, TCPSTATE_OWNER_CLOSED_BY);
	o.skipped = false;
	/* A holder outside the caller's pid namespace is not its to name. */
	o.pidns = (struct pid_namespace *)&o;
	CHECK_KIND_ONLY(nobody, TCPSTATE_OWNER_HIDDEN);
	o.pidns = &init_pid_ns;
	o_teardown();
	free(held);
	free(hidden);
	free(mixed);
	free(nobody);
	free(tw);
	free(orphan);
	free(kern);
	free(lsk);
	free(req);
}

/*
 * Children in a listener's accept queue get its holders, once per
 * process, marked unaccepted; one accepted since the scan keeps only the
 * fd that holds it. The queue is longer than the first guess
 * (sk_ack_backlog + 16), the refs table is full when the first child is
 * added, and the listener is met through three fds.
 */
TEST(owners_unaccepted)
{
	enum { KIDS = 40 };
	struct sock *lsk = new_sock(TCP_LISTEN), *kids[KIDS];
	struct request_sock reqs[KIDS + 1];
	struct eref want[3 + 1 + 2 * KIDS];
	u32 a, b, c, i, n = 0;
	u64 lkey;
	struct seen s;

	o_setup();
	a = add_proc(10, true, "a");
	b = add_proc(20, true, "b");
	c = add_proc(30, true, "c");
	SHIM_ASSERT(!grow(&o, (void **)&o.listeners, &o.cap_listeners,
			  sizeof(*o.listeners), 16));
	lkey = sock_key(lsk);
	/* As scan_fd() meets it: a ref and a held listener per fd. */
	add_ref(lkey, a, 3);
	add_ref(lkey, a, 7);
	add_ref(lkey, b, 4);
	for (i = 0; i < 3; i++) {
		sock_hold(lsk);
		o.listeners[o.n_listeners].sk = lsk;
		o.listeners[o.n_listeners].key = lkey;
		o.n_listeners++;
		want[n++] = (struct eref){ lkey, i < 2 ? a : b, i == 0 ? 3 : i == 1 ? 7 : 4, 0 };
	}
	for (i = 0; i < KIDS; i++) {
		kids[i] = new_sock(TCP_ESTABLISHED);
		kids[i]->sk_socket = NULL;
		reqs[i].sk = kids[i];
		reqs[i].dl_next = &reqs[i + 1];
	}
	/* A request with no child yet is passed over. */
	reqs[KIDS].sk = NULL;
	reqs[KIDS].dl_next = NULL;
	lsk->icsk_accept_queue.rskq_accept_head = &reqs[0];
	lsk->sk_ack_backlog = 0;
	/* Child 5 was accepted by c since: its fd holds it. */
	add_ref(sock_key(kids[5]), c, 9);
	want[n++] = (struct eref){ sock_key(kids[5]), c, 9, 0 };
	for (i = 0; i < KIDS; i++) {
		if (i == 5)
			continue;
		want[n++] = (struct eref){ sock_key(kids[i]), a, 0, 1 };
		want[n++] = (struct eref){ sock_key(kids[i]), b, 0, 1 };
	}
	CHECK_EQ(sort_refs(&o), 0);
	CHECK_EQ(o.cap_refs, o.n_refs);	/* the next ref grows the table */
	CHECK_EQ(add_unaccepted(&o), 0);
	CHECK_EQ(sort_refs(&o), 0);
	release_listeners(&o);
	CHECK_EQ(refcount_read(&lsk->sk_refcnt), 1);
	check_index(want, n);
	s = owners_of(kids[0]);
	CHECK_EQ(s.n, 2);
	CHECK(s.pid[0] == 10 && s.pid[1] == 20);
	CHECK(s.kind[0] == TCPSTATE_OWNER_UNACCEPTED && s.kind[1] == TCPSTATE_OWNER_UNACCEPTED);
	s = owners_of(kids[5]);
	CHECK_EQ(s.n, 1);
	CHECK_EQ(s.pid[0], 30);
	CHECK_EQ(s.kind[0], TCPSTATE_OWNER_FD);
	/* Orphaned since (its listener closed): no longer theirs. */
	kids[7]->sk_flags |= 1UL << SOCK_DEAD;
	CHECK_KIND_ONLY(kids[7], TCPSTATE_OWNER_CLOSED_BY);
	CHECK(!tcpstate_owners_match(&o, kids[7], 10, ""));
	CHECK(tcpstate_owners_match(&o, kids[8], 10, "a"));
	o_teardown();
	for (i = 0; i < KIDS; i++)
		free(kids[i]);
	free(lsk);
}

/* Freed with listeners still held: they are let go. */
TEST(owners_free_releases)
{
	struct sock *lsk = new_sock(TCP_LISTEN);

	o_setup();
	add_proc(1, true, "x");
	add_ref(sock_key(lsk), 0, 3);
	SHIM_ASSERT(!grow(&o, (void **)&o.listeners, &o.cap_listeners,
			  sizeof(*o.listeners), 16));
	sock_hold(lsk);
	o.listeners[0].sk = lsk;
	o.listeners[0].key = sock_key(lsk);
	o.n_listeners = 1;
	CHECK_EQ(sort_refs(&o), 0);
	CHECK_EQ(atomic64_read(&tcpstate_objects), objects_before + 4);
	o_teardown();
	CHECK_EQ(refcount_read(&lsk->sk_refcnt), 1);
	CHECK(o.refs == NULL && o.index == NULL && o.n_refs == 0);
	free(lsk);
}
