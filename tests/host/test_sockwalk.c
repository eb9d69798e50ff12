// SPDX-License-Identifier: GPL-2.0
/*
 * module/sockwalk.c, compiled whole: the walk over the listening and
 * established hash tables, resumed read after read from the sockets it
 * holds as places, while the chains change between reads (a dump's
 * reader coming back) and between lock holds (cond_resched(), where the
 * shim lets a test change them as another CPU would).
 *
 * What is checked is sockwalk.h's guarantee: a socket hashed for the
 * whole walk is visited (or counted) exactly once, as long as one of the
 * places the walk holds stays; no socket or connection (a request socket,
 * its child, its TIME_WAIT) is visited twice unless it left and came
 * back; and every reference the walk takes is given back.
 */
#include <stdio.h>

#include <shim.h>

#include "sockwalk.h"
#include "host.h"
#include "unit.h"

/* sockwalk.c's bounds. */
#define BATCH 32
#define SCAN 256
#define SCAN_EXTRA 16

#define MAXS 40000

static struct meta {
	struct sock *sk;	/* NULL once freed */
	int conn;		/* shared by a request socket, its child, its TIME_WAIT */
	bool listener;
	bool hashed;
	bool at_start;		/* hashed when the walk began */
	bool left;		/* unhashed while it ran */
	bool came_back;		/* and hashed again */
	int visits;
	unsigned long gen;	/* counted during hold number gen */
	int bucket;		/* ehash or lhash2 bucket */
	struct inet_hashinfo *table;
} m[MAXS];
static int n_socks, n_freed, n_conns;
static int conn_visits[MAXS];
static bool walking;
static int last_visited = -1;
static unsigned long hold_gen;
/*
 * The last TCPSTATE_WALK_PINS visited in the bucket of the last visit,
 * since the walk last went back to the head: the places a visiting walk
 * holds (it pins what it visits), or the last entries a counting hold
 * counted (its places).
 */
static int recent[TCPSTATE_WALK_PINS], n_recent;
static unsigned long restarts_seen;

static struct inet_hashinfo gh;	/* the global tables */
static unsigned long *p_restarts, *p_abandoned, *p_scanned;
static unsigned int *p_hold_max;

static void on_free(struct sock *sk)
{
	struct meta *x = &m[sk->shim_id];

	SHIM_ASSERT(x->sk == sk && !x->hashed);
	if (sk->sk_net_refcnt)
		put_net(sk->sk_net);
	x->sk = NULL;
	n_freed++;
	free(sk);
}

static void table_init(struct inet_hashinfo *h, unsigned int ebuckets,
		       unsigned int lbuckets, bool pernet)
{
	unsigned int i, nlocks = ebuckets < 4 ? ebuckets : 4;

	memset(h, 0, sizeof(*h));
	h->ehash = calloc(ebuckets, sizeof(*h->ehash));
	h->ehash_locks = calloc(nlocks, sizeof(*h->ehash_locks));
	h->ehash_mask = ebuckets - 1;
	h->ehash_locks_mask = nlocks - 1;
	h->pernet = pernet;
	for (i = 0; i < ebuckets; i++)
		INIT_HLIST_NULLS_HEAD(&h->ehash[i].chain, i);
	if (lbuckets) {
		h->lhash2 = calloc(lbuckets, sizeof(*h->lhash2));
		h->lhash2_mask = lbuckets - 1;
		for (i = 0; i < lbuckets; i++)
			INIT_HLIST_NULLS_HEAD(&h->lhash2[i].nulls_head,
					      i + LISTENING_NULLS_BASE);
	}
}

static void table_free(struct inet_hashinfo *h)
{
	free(h->ehash);
	free(h->ehash_locks);
	free(h->lhash2);
	memset(h, 0, sizeof(*h));
}

static void world(unsigned int ebuckets, unsigned int lbuckets)
{
	table_init(&gh, ebuckets, lbuckets, false);
	init_net.ipv4.tcp_death_row.hashinfo = &gh;
	memset(m, 0, sizeof(m));
	memset(conn_visits, 0, sizeof(conn_visits));
	n_socks = n_freed = n_conns = 0;
	walking = false;
	last_visited = -1;
	n_recent = 0;
	shim_sock_destructor = on_free;
	p_restarts = shim_param("walk_restarts");
	p_abandoned = shim_param("walk_abandoned");
	p_scanned = shim_param("walk_scanned");
	p_hold_max = shim_param("walk_hold_max");
	*p_restarts = *p_abandoned = *p_scanned = 0;
	*p_hold_max = 0;
}

static void unhash(struct sock *sk)
{
	struct meta *x = &m[sk->shim_id];

	SHIM_ASSERT(!shim_locks_held && x->hashed);
	hlist_nulls_del_init_rcu(&sk->sk_nulls_node);
	x->hashed = false;
	if (walking)
		x->left = true;
}

/* A socket leaves its chain and the table's reference goes: a close. */
static void unhash_put(struct sock *sk)
{
	unhash(sk);
	sock_put(sk);
}

/* The walk's recent places, those still in their chains, all closed. */
static void close_recent(void)
{
	int i;

	for (i = 0; i < n_recent; i++)
		if (m[recent[i]].hashed)
			unhash_put(m[recent[i]].sk);
	n_recent = 0;
	last_visited = -1;
}

/* Everything unhashed: every socket must then be freed, none held. */
static void world_end(void)
{
	int i;

	for (i = 0; i < n_socks; i++)
		if (m[i].hashed) {
			unhash(m[i].sk);
			sock_put(m[i].sk);
		}
	CHECK_EQ(n_freed, n_socks);
	table_free(&gh);
	init_net.ipv4.tcp_death_row.hashinfo = NULL;
	CHECK_EQ(refcount_read(&init_net.count), 1);
	shim_sock_destructor = NULL;
	shim_resched_hook = NULL;
	shim_fatal_signal = false;
}

static struct sock *sock_new(struct net *net, int state, int conn)
{
	struct sock *sk = calloc(1, sizeof(*sk));
	int id = n_socks++;

	SHIM_ASSERT(sk && id < MAXS);
	sk->shim_id = (unsigned long)id;
	sk->sk_state = (unsigned char)state;
	sk->sk_family = AF_INET;
	sk->sk_net = net;
	refcount_set(&sk->sk_refcnt, 1);	/* the table's */
	if (sk_fullsock(sk)) {
		/* A full socket holds its namespace. */
		sk->sk_net_refcnt = true;
		get_net(net);
	}
	m[id].sk = sk;
	m[id].conn = conn;
	return sk;
}

/* A connection's keys, unique per connection id. */
static void conn_keys(struct sock *sk, int conn, u32 hash)
{
	sk->sk_daddr = htonl(0x0a000000u | (u32)conn);
	sk->sk_rcv_saddr = htonl(0x0b000000u | (u32)conn);
	sk->sk_dport = htons((u16)(1024 + conn % 60000));
	sk->sk_num = 80;
	sk->sk_hash = hash;
	sk->tcp.snd_una = (u32)conn * 1000003u;
	sk->tcp.write_seq = sk->tcp.snd_una + 1;
}

static void ehash_add(struct inet_hashinfo *h, struct sock *sk)
{
	struct meta *x = &m[sk->shim_id];

	SHIM_ASSERT(!shim_locks_held && !x->hashed);
	x->bucket = (int)(sk->sk_hash & h->ehash_mask);
	x->table = h;
	hlist_nulls_add_head_rcu(&sk->sk_nulls_node, &h->ehash[x->bucket].chain);
	if (walking && x->left)
		x->came_back = true;
	x->hashed = true;
}

/* A new connection (or request socket) at the head of @bucket's chain. */
static struct sock *conn_new(struct net *net, struct inet_hashinfo *h,
			     u32 bucket, int state)
{
	int conn = ++n_conns;
	struct sock *sk = sock_new(net, state, conn);

	conn_keys(sk, conn, bucket + (u32)conn * (h->ehash_mask + 1));
	if (state == TCP_TIME_WAIT)
		sk->tw_substate = TCP_TIME_WAIT;
	ehash_add(h, sk);
	return sk;
}

/* In place, with the same keys: a request's child, a socket's TIME_WAIT. */
static struct sock *replace(struct sock *old, int state)
{
	struct meta *x = &m[old->shim_id];
	struct sock *sk = sock_new(old->sk_net, state, x->conn);
	struct meta *y = &m[sk->shim_id];

	SHIM_ASSERT(!shim_locks_held && x->hashed);
	sk->sk_addrpair = old->sk_addrpair;
	sk->sk_portpair = old->sk_portpair;
	sk->sk_hash = old->sk_hash;
	sk->sk_family = old->sk_family;
	sk->sk_bound_dev_if = old->sk_bound_dev_if;
	sk->tcp = old->tcp;
	if (state == TCP_TIME_WAIT)
		sk->tw_substate = TCP_TIME_WAIT;
	hlist_nulls_replace_init_rcu(&old->sk_nulls_node, &sk->sk_nulls_node);
	x->hashed = false;
	if (walking)
		x->left = true;
	y->hashed = true;
	y->bucket = x->bucket;
	y->table = x->table;
	sock_put(old);
	return sk;
}

static u32 lbucket(const struct sock *sk)
{
	u32 hash = sk->sk_family == AF_INET6 ?
		ipv6_portaddr_hash(sock_net(sk), &sk->sk_v6_rcv_saddr, sk->sk_num) :
		ipv4_portaddr_hash(sock_net(sk), sk->sk_rcv_saddr, sk->sk_num);

	return hash & gh.lhash2_mask;
}

static void lhash_add(struct sock *sk, bool tail)
{
	struct meta *x = &m[sk->shim_id];
	struct inet_listen_hashbucket *ilb = &gh.lhash2[lbucket(sk)];

	SHIM_ASSERT(!shim_locks_held && !x->hashed);
	x->bucket = (int)lbucket(sk);
	x->table = NULL;
	if (tail)
		hlist_nulls_add_tail_rcu(&sk->sk_nulls_node, &ilb->nulls_head);
	else
		hlist_nulls_add_head_rcu(&sk->sk_nulls_node, &ilb->nulls_head);
	if (walking && x->left)
		x->came_back = true;
	x->hashed = true;
}

/*
 * A listener on @port of any address: IPv4 ones join their chain at the
 * head, IPv6 SO_REUSEPORT ones at the tail.
 */
static struct sock *listener_new(struct net *net, u16 port, bool v6_tail)
{
	struct sock *sk = sock_new(net, TCP_LISTEN, ++n_conns);

	m[sk->shim_id].listener = true;
	sk->sk_family = v6_tail ? AF_INET6 : AF_INET;
	sk->sk_num = port;
	sk->tcp.write_seq = (u32)n_conns * 7919u;
	lhash_add(sk, v6_tail);
	return sk;
}

static void walk_begin(void)
{
	int i;

	for (i = 0; i < n_socks; i++) {
		m[i].at_start = m[i].hashed;
		m[i].left = m[i].came_back = false;
		m[i].visits = 0;
	}
	memset(conn_visits, 0, sizeof(conn_visits));
	last_visited = -1;
	n_recent = 0;
	restarts_seen = *p_restarts;
	walking = true;
}

/*
 * Stable sockets once; nothing twice, nor any connection, unless it came
 * back. @expected: which stable sockets the walk is to see (NULL: all);
 * the others it must not.
 */
static void check_once(const char *what, bool (*expected)(const struct meta *x))
{
	int i, bad = 0;

	walking = false;
	for (i = 0; i < n_socks && bad < 5; i++) {
		const struct meta *x = &m[i];
		bool want = x->at_start && !x->left && (!expected || expected(x));

		if ((want && x->visits != 1) ||
		    (!want && expected && x->at_start && !x->left && x->visits) ||
		    (!x->came_back && x->visits > 1) ||
		    (!x->came_back && conn_visits[x->conn] > 1)) {
			unit_fail(__FILE__, __LINE__,
				  "%s: socket %d (conn %d%s%s%s) visited %d times, its connection %d",
				  what, i, x->conn, x->listener ? ", listener" : "",
				  want ? ", stable" : "", x->left ? ", left" : "",
				  x->visits, conn_visits[x->conn]);
			bad++;
		}
	}
	unit_checks++;
}

/* ---- visiting, read after read ---- */

struct reader {
	int budget;		/* visits this read may make */
	const struct tcpstate_filter *f;
};

static void note_visit(int id)
{
	const struct meta *x = &m[id];

	/* A return to the head lets go of every place held before. */
	if (*p_restarts != restarts_seen) {
		restarts_seen = *p_restarts;
		n_recent = 0;
	}
	if (n_recent && (m[recent[0]].bucket != x->bucket ||
			 m[recent[0]].table != x->table ||
			 m[recent[0]].listener != x->listener))
		n_recent = 0;
	if (n_recent == TCPSTATE_WALK_PINS) {
		memmove(recent, recent + 1, sizeof(recent) - sizeof(recent[0]));
		n_recent--;
	}
	recent[n_recent++] = id;
	last_visited = id;
}

static int visit(struct sock *sk, int state, void *arg)
{
	struct reader *r = arg;
	int id = (int)sk->shim_id;
	struct meta *x = &m[id];

	SHIM_ASSERT(id < n_socks && x->sk == sk);
	/* No hash lock held; the socket and its namespace are. */
	SHIM_ASSERT(!shim_locks_held);
	SHIM_ASSERT(refcount_read(&sk->sk_refcnt) >= (x->hashed ? 2u : 1u));
	SHIM_ASSERT(refcount_read(&sock_net(sk)->count) > 0);
	SHIM_ASSERT(state == (x->listener ? TCP_LISTEN : tcpstate_sk_state(sk)));
	SHIM_ASSERT(tcpstate_filter_match(r->f, sk, state));
	if (!r->budget)
		return -EMSGSIZE;	/* the dump's buffer is full */
	r->budget--;
	x->visits++;
	conn_visits[x->conn]++;
	note_visit(id);
	return 0;
}

/*
 * Walk with reads of 1..@maxread visits, calling @between after each
 * read that stopped; returns the number of reads.
 */
static int walk_reads(const struct tcpstate_filter *f, u64 *seed, int maxread,
		      void (*between)(u64 *seed))
{
	struct tcpstate_walk w;
	struct tcpstate_cursor c = { 0 };
	int reads = 0, ret;

	tcpstate_walk_init(&w, f);
	walk_begin();
	do {
		struct reader r = { .budget = 1 + (int)rnd_below(seed, (u32)maxread), .f = f };

		ret = tcpstate_walk(&w, &c, visit, &r);
		reads++;
		SHIM_ASSERT(ret == 0 || ret == -EMSGSIZE);
		SHIM_ASSERT(reads < 1000000);
		if (ret && between)
			between(seed);
	} while (ret);
	tcpstate_walk_release(&w);
	return reads;
}

static void filter_all(struct tcpstate_filter *f, struct net *net)
{
	memset(f, 0, sizeof(*f));
	f->states = TCPSTATE_STATE_MASK_ALL;
	f->net = net;
}

/* Chains of every length around BATCH and SCAN, some listeners. */
static void populate(u64 *seed, unsigned int ebuckets)
{
	static const int lens[] = { 0, 1, 5, 31, 32, 33, 64, 257, 300 };
	unsigned int b;
	int i;

	for (b = 0; b < ebuckets; b++) {
		int len = lens[b % ARRAY_SIZE(lens)];

		for (i = 0; i < len; i++)
			conn_new(&init_net, &gh, b, i % 7 == 3 ? TCP_NEW_SYN_RECV :
				 i % 7 == 5 ? TCP_TIME_WAIT : TCP_ESTABLISHED);
	}
	for (i = 0; i < 150; i++)
		listener_new(&init_net, (u16)(1 + rnd_below(seed, 3)), i % 3 == 0);
}

TEST(walk_reads_of_every_size)
{
	struct tcpstate_filter f;
	u64 seed = 1;
	int maxread, reads;

	filter_all(&f, &init_net);
	for (maxread = 1; maxread <= 41; maxread += maxread < 4 ? 1 : 9) {
		world(16, 4);
		populate(&seed, 16);
		reads = walk_reads(&f, &seed, maxread, NULL);
		check_once("static", NULL);
		CHECK(maxread > 1 || reads >= n_socks);
		CHECK_EQ(*p_restarts, 0);
		world_end();
	}
}

/* ---- churn, as other CPUs make it ---- */

/* A hashed socket picked at random that @ok accepts, or -1. */
static int pick(u64 *seed, bool (*ok)(int id))
{
	int tries;

	for (tries = 0; tries < 64 && n_socks; tries++) {
		int id = (int)rnd_below(seed, (u32)n_socks);

		if (m[id].hashed && ok(id))
			return id;
	}
	return -1;
}

static bool is_protected(int id)
{
	/* The walk's most recent place, or what the last hold counted. */
	return id == last_visited || (m[id].gen && m[id].gen == hold_gen);
}

static bool conn_any(int id) { return !m[id].listener; }
static bool conn_deletable(int id) { return !m[id].listener && !is_protected(id); }
static bool conn_request(int id) { return conn_deletable(id) && m[id].sk->sk_state == TCP_NEW_SYN_RECV; }
static bool conn_full(int id) { return conn_deletable(id) && m[id].sk->sk_state == TCP_ESTABLISHED; }

/*
 * Not the first of its chain either: a listener found at the head where
 * it was not counts as having come back (sockwalk.h), and deleting the
 * ones ahead of a place would make it look so.
 */
static bool listener_deletable(int id)
{
	const struct sock *sk = m[id].sk;

	return m[id].listener && !is_protected(id) &&
	       gh.lhash2[m[id].bucket].nulls_head.first != &sk->sk_nulls_node;
}

static unsigned int churn_buckets;

static void churn(u64 *seed, int ops)
{
	while (ops--) {
		int id;

		switch (rnd_below(seed, 9)) {
		case 0:
			conn_new(&init_net, &gh, rnd_below(seed, churn_buckets),
				 TCP_ESTABLISHED);
			break;
		case 1:
			conn_new(&init_net, &gh, rnd_below(seed, churn_buckets),
				 TCP_NEW_SYN_RECV);
			break;
		case 2:
			id = pick(seed, conn_deletable);
			if (id >= 0)
				unhash_put(m[id].sk);
			break;
		case 3:
			id = pick(seed, conn_request);
			if (id >= 0)
				replace(m[id].sk, TCP_ESTABLISHED);
			break;
		case 4:
			id = pick(seed, conn_full);
			if (id >= 0)
				replace(m[id].sk, TCP_TIME_WAIT);
			break;
		case 5:
			/* Data sent and acknowledged: the same connection. */
			id = pick(seed, conn_any);
			if (id >= 0 && sk_fullsock(m[id].sk)) {
				struct tcp_sock *tp = &m[id].sk->tcp;
				u32 n = 1 + rnd_below(seed, 100000);

				tp->write_seq += n;
				if (rnd_below(seed, 2)) {
					tp->snd_una += n;
					tp->bytes_acked += n;
				}
			}
			break;
		case 6:
			listener_new(&init_net, (u16)(1 + rnd_below(seed, 3)),
				     rnd_below(seed, 2));
			break;
		case 7:
			id = pick(seed, listener_deletable);
			if (id >= 0)
				unhash_put(m[id].sk);
			break;
		case 8:
			/* shutdown() and listen() again: back at the head. */
			id = pick(seed, listener_deletable);
			if (id >= 0 && m[id].sk->sk_family == AF_INET) {
				struct sock *sk = m[id].sk;

				unhash(sk);
				sk->tcp.write_seq += 65535 + 2;
				lhash_add(sk, false);
			}
			break;
		}
	}
}

static void churn_between_reads(u64 *seed)
{
	churn(seed, (int)rnd_below(seed, 12));
}

TEST(walk_churn_between_reads)
{
	struct tcpstate_filter f;
	int round;

	filter_all(&f, &init_net);
	for (round = 0; round < 60; round++) {
		u64 seed = 1000 + (u64)round;

		world(round % 2 ? 1 : 8, round % 3 ? 1 : 4);
		churn_buckets = gh.ehash_mask + 1;
		populate(&seed, churn_buckets);
		walk_reads(&f, &seed, round % 5 == 0 ? 1 : 40, churn_between_reads);
		check_once("churn between reads", NULL);
		CHECK_EQ(*p_abandoned, 0);
		world_end();
	}
}

static u64 hook_seed;

static void churn_between_holds(void)
{
	churn(&hook_seed, (int)rnd_below(&hook_seed, 8));
	hold_gen++;
}

TEST(walk_churn_between_holds)
{
	struct tcpstate_filter f;
	int round;

	filter_all(&f, &init_net);
	for (round = 0; round < 40; round++) {
		u64 seed = 2000 + (u64)round;

		world(round % 2 ? 1 : 4, 2);
		churn_buckets = gh.ehash_mask + 1;
		populate(&seed, churn_buckets);
		hook_seed = seed;
		shim_resched_hook = churn_between_holds;
		/* Long reads: most of the changes fall inside them. */
		walk_reads(&f, &seed, 1000, churn_between_reads);
		shim_resched_hook = NULL;
		check_once("churn between holds", NULL);
		CHECK_EQ(*p_abandoned, 0);
		world_end();
	}
}

/*
 * Every place the walk holds closes before the next read: it falls back
 * to the position, less the visited sockets known gone, which with
 * nothing else changed is exact. At most CLOSES times a bucket: each is
 * a return to the chain's head, of which a walk makes at most
 * TCPSTATE_WALK_RESTARTS in one bucket before it leaves the rest.
 */
#define CLOSES 6
static int closes, close_bucket = -1;

static void close_places(u64 *seed)
{
	int bucket;

	(void)seed;
	if (!n_recent)
		return;
	bucket = m[recent[0]].bucket;
	if (bucket != close_bucket) {
		close_bucket = bucket;
		closes = 0;
	}
	if (closes++ >= CLOSES)
		return;
	close_recent();
}

TEST(walk_all_places_gone)
{
	struct tcpstate_filter f;
	int round, i;

	filter_all(&f, &init_net);
	for (round = 0; round < 12; round++) {
		u64 seed = 3000 + (u64)round;

		world(2, 1);
		close_bucket = -1;
		for (i = 0; i < 400; i++)
			conn_new(&init_net, &gh, (u32)i % 2, TCP_ESTABLISHED);
		walk_reads(&f, &seed, 1 + round * 4, close_places);
		check_once("all places gone", NULL);
		CHECK_EQ(*p_restarts, 2 * CLOSES);
		CHECK_EQ(*p_abandoned, 0);
		world_end();
	}
}

/*
 * The most recent places replaced in place between reads: a request
 * socket by its child, a connection by its TIME_WAIT (the same keys, the
 * same place in the chain). The walk goes on from an older place and
 * must know the replacements it meets right after it for connections it
 * visited. With @replace_all, sometimes all of them: then it goes back
 * to the head and skips by position, and knows the replacements only
 * within that first lock hold (sockwalk.h), so only in chains that one
 * hold scans past their end.
 */
static bool replace_all;

static void replace_places(u64 *seed)
{
	int i, k, there = 0, held = 0;

	for (i = 0; i < n_recent; i++) {
		there += m[recent[i]].hashed;
		held += m[recent[i]].hashed && m[recent[i]].sk->sk_state != TCP_TIME_WAIT;
	}
	if (!held)
		return;
	/* The k most recent places still there and replaceable. */
	k = 1 + (int)rnd_below(seed, (u32)held);
	if (k == there) {
		int bucket = m[recent[0]].bucket;

		if (bucket != close_bucket) {
			close_bucket = bucket;
			closes = 0;
		}
		/* Every place: a return to the head, CLOSES a bucket at most. */
		if (!replace_all || closes++ >= CLOSES)
			k--;
	}
	for (i = n_recent - 1; i >= 0 && k; i--) {
		struct sock *sk = m[recent[i]].sk;

		if (!m[recent[i]].hashed || sk->sk_state == TCP_TIME_WAIT)
			continue;
		k--;
		replace(sk, sk->sk_state == TCP_NEW_SYN_RECV ? TCP_ESTABLISHED :
			TCP_TIME_WAIT);
	}
	last_visited = -1;
}

static void populate_replaceable(int n)
{
	int i;

	for (i = 0; i < n; i++)
		conn_new(&init_net, &gh, (u32)i % 2,
			 i % 3 ? TCP_NEW_SYN_RECV : TCP_ESTABLISHED);
}

TEST(walk_places_replaced_in_place)
{
	struct tcpstate_filter f;
	int round;

	filter_all(&f, &init_net);
	for (round = 0; round < 12; round++) {
		u64 seed = 3500 + (u64)round;

		world(2, 1);
		close_bucket = -1;
		/* Half the rounds: chains one hold scans, every place replaced. */
		replace_all = round % 2;
		populate_replaceable(replace_all ? 2 * (SCAN - 2 * TCPSTATE_WALK_PINS) : 600);
		walk_reads(&f, &seed, 1 + round * 3, replace_places);
		check_once("places replaced in place", NULL);
		/* Back at the head only when every place went. */
		CHECK(replace_all ? *p_restarts > 0 : *p_restarts == 0);
		CHECK_EQ(*p_abandoned, 0);
		world_end();
	}
	replace_all = false;
}

/*
 * Connections that send between reads keep their places: the initial
 * sequence number tells them, not write_seq, so the walk never goes back
 * to the head of a chain longer than one lock hold scans.
 */
static void places_send(u64 *seed)
{
	int i;

	for (i = 0; i < n_recent; i++) {
		struct tcp_sock *tp = &m[recent[i]].sk->tcp;
		u32 n = 1 + rnd_below(seed, 5000);

		tp->write_seq += n;
		tp->snd_una += n;
		tp->bytes_acked += n;
	}
}

TEST(walk_places_that_send_stay)
{
	struct tcpstate_filter f;
	u64 seed = 4000;
	int i;

	filter_all(&f, &init_net);
	world(1, 1);
	for (i = 0; i < 700; i++)
		conn_new(&init_net, &gh, 0, TCP_ESTABLISHED);
	walk_reads(&f, &seed, 6, places_send);
	check_once("places send", NULL);
	CHECK_EQ(*p_restarts, 0);
	world_end();
}

/*
 * The most recent place leaves and comes back at the head of its chain
 * between two reads: it must not be taken for the place it was, or the
 * walk would go on from the head and list everything again.
 */
enum comeback { RECONNECT_COUNTED, RECONNECT_SYN_SENT, RECONNECT_NEW_ISN, RELISTEN };
static enum comeback comeback;
static int comebacks;

static void come_back(u64 *seed)
{
	struct sock *sk;

	(void)seed;
	if (last_visited < 0 || !m[last_visited].hashed || comebacks > 20)
		return;
	sk = m[last_visited].sk;
	unhash(sk);
	comebacks++;
	switch (comeback) {
	case RECONNECT_COUNTED:
		/* tcp_disconnect(), counted by __inet_stream_connect(). */
		sk->tcp.write_seq += 65535 + 2;
		sk->tcp.bytes_acked = 0;
		sk->sk_disconnects++;
		sk->sk_state = TCP_SYN_SENT;
		break;
	case RECONNECT_SYN_SENT:
		/*
		 * Pinned in SYN_SENT, disconnected uncounted (a shutdown()
		 * in SYN_SENT) and hashed again before tcp_connect_init():
		 * only write_seq moved.
		 */
		sk->tcp.write_seq += 65535 + 2;
		break;
	case RECONNECT_NEW_ISN:
		/* After tcp_connect_init(): snd_una from the new write_seq. */
		sk->tcp.write_seq += 65535 + 2;
		sk->tcp.bytes_acked = 0;
		sk->tcp.snd_una = sk->tcp.write_seq;
		sk->sk_state = TCP_SYN_SENT;
		break;
	case RELISTEN:
		sk->tcp.write_seq += 65535 + 2;
		lhash_add(sk, false);
		return;
	}
	ehash_add(&gh, sk);
}

TEST(walk_place_that_came_back)
{
	static const char *names[] = {
		"reconnect", "reconnect in SYN_SENT", "reconnect, new isn", "relisten",
	};
	struct tcpstate_filter f;
	int c, i;

	filter_all(&f, &init_net);
	for (c = RECONNECT_COUNTED; c <= RELISTEN; c++) {
		u64 seed = 5000 + (u64)c;

		world(1, 1);
		comeback = (enum comeback)c;
		comebacks = 0;
		for (i = 0; i < 120; i++) {
			if (c == RELISTEN)
				listener_new(&init_net, 443, false);
			else
				conn_new(&init_net, &gh, 0,
					 c == RECONNECT_SYN_SENT ? TCP_SYN_SENT : TCP_ESTABLISHED);
		}
		walk_reads(&f, &seed, 7, come_back);
		check_once(names[c], NULL);
		CHECK(comebacks > 10);
		world_end();
	}
}

/*
 * Its places gone before every read and a new socket at the head each
 * time: the walk goes back to the head, and after TCPSTATE_WALK_RESTARTS
 * of those leaves the chain, rather than stay in it for ever.
 */
static void close_places_and_connect(u64 *seed)
{
	/* Bucket 0 only: the next one is walked undisturbed. */
	if (!n_recent || m[recent[0]].bucket != 0)
		return;
	close_recent();
	(void)seed;
	conn_new(&init_net, &gh, 0, TCP_ESTABLISHED);
}

TEST(walk_restart_budget)
{
	struct tcpstate_filter f;
	u64 seed = 6000;
	int i, visited = 0, reads;

	filter_all(&f, &init_net);
	world(2, 1);
	for (i = 0; i < 2000; i++)
		conn_new(&init_net, &gh, 0, TCP_ESTABLISHED);
	/* The next bucket is walked all the same. */
	for (i = 0; i < 50; i++)
		conn_new(&init_net, &gh, 1, TCP_ESTABLISHED);
	reads = walk_reads(&f, &seed, 20, close_places_and_connect);
	CHECK_EQ(*p_abandoned, 1);
	CHECK_EQ(*p_restarts, TCPSTATE_WALK_RESTARTS + 1);
	CHECK(reads < 100);
	for (i = 0; i < n_socks; i++)
		if (m[i].at_start && m[i].bucket == 1)
			visited += m[i].visits;
	CHECK_EQ(visited, 50);
	walking = false;
	world_end();
}

/* ---- a filter that matches few: bounded lock holds ---- */

static bool port7(const struct meta *x)
{
	return x->sk && x->sk->sk_num == 7;
}

static bool sparse_deletable(int id)
{
	/* Only matching ones: an unmatched socket may be a place. */
	return conn_deletable(id) && m[id].sk->sk_num == 7;
}

static void sparse_churn(u64 *seed)
{
	int k = (int)rnd_below(seed, 6);

	while (k--) {
		struct sock *sk;
		int id;

		if (rnd_below(seed, 2)) {
			sk = conn_new(&init_net, &gh, 0, TCP_ESTABLISHED);
			if (!rnd_below(seed, 4))
				sk->sk_num = 7;
		} else if ((id = pick(seed, sparse_deletable)) >= 0) {
			unhash_put(m[id].sk);
		}
	}
}

TEST(walk_sparse_filter)
{
	struct tcpstate_filter f;
	int round, i;

	for (round = 0; round < 6; round++) {
		u64 seed = 7000 + (u64)round;
		unsigned long scanned;
		int reads;

		world(1, 1);
		for (i = 0; i < 3000; i++) {
			struct sock *sk = conn_new(&init_net, &gh, 0, TCP_ESTABLISHED);

			if (rnd_below(&seed, 40) == 0)
				sk->sk_num = 7;
		}
		filter_all(&f, &init_net);
		f.port = 7;
		reads = walk_reads(&f, &seed, 3, round % 2 ? sparse_churn : NULL);
		scanned = *p_scanned;
		check_once("sparse", port7);
		/* No lock hold looked at more than SCAN entries... */
		CHECK(*p_hold_max <= SCAN);
		/* ...nor, with nothing changed, at any entry twice but in a
		 * read's last hold, which the next read scans again from its
		 * last visit. */
		if (round % 2 == 0)
			CHECK(scanned <= 3000 + (unsigned long)reads * SCAN);
		world_end();
	}
}

/* ---- counting under the lock ---- */

static void count_one(const struct sock *sk, int state, void *arg)
{
	int id = (int)sk->shim_id;
	struct meta *x = &m[id];

	(void)arg;
	SHIM_ASSERT(shim_locks_held == 1);	/* the bucket's lock */
	SHIM_ASSERT(x->sk == sk && x->hashed);
	SHIM_ASSERT(state == (x->listener ? TCP_LISTEN : tcpstate_sk_state(sk)));
	x->visits++;
	conn_visits[x->conn]++;
	x->gen = hold_gen;
	if (n_recent && hold_gen != m[recent[n_recent - 1]].gen)
		n_recent = 0;
	if (n_recent == TCPSTATE_WALK_PINS) {
		memmove(recent, recent + 1, sizeof(recent) - sizeof(recent[0]));
		n_recent--;
	}
	recent[n_recent++] = id;
}

static void count_walk(const struct tcpstate_filter *f)
{
	struct tcpstate_walk w;

	tcpstate_walk_init(&w, f);
	walk_begin();
	hold_gen = 1;
	tcpstate_walk_locked(&w, count_one, NULL);
	tcpstate_walk_release(&w);
}

static void populate_long(unsigned int ebuckets)
{
	static const int lens[] = { 0, 1, 255, 256, 257, 600, 1500 };
	unsigned int b;
	int i;

	for (b = 0; b < ebuckets; b++)
		for (i = 0; i < lens[b % ARRAY_SIZE(lens)]; i++)
			conn_new(&init_net, &gh, b, i % 5 == 1 ? TCP_NEW_SYN_RECV :
				 TCP_ESTABLISHED);
	for (i = 0; i < 700; i++)
		listener_new(&init_net, 8080, i % 2);
}

TEST(walk_count_static)
{
	struct tcpstate_filter f;

	filter_all(&f, &init_net);
	world(8, 2);
	populate_long(8);
	count_walk(&f);
	check_once("count", NULL);
	CHECK(*p_hold_max <= SCAN + 1);
	world_end();
}

static void count_churn(void)
{
	churn(&hook_seed, (int)rnd_below(&hook_seed, 10));
	hold_gen++;
}

TEST(walk_count_churn)
{
	struct tcpstate_filter f;
	int round;

	filter_all(&f, &init_net);
	for (round = 0; round < 30; round++) {
		world(round % 2 ? 1 : 8, 1);
		churn_buckets = gh.ehash_mask + 1;
		populate_long(churn_buckets);
		hook_seed = 8000 + (u64)round;
		shim_resched_hook = count_churn;
		count_walk(&f);
		shim_resched_hook = NULL;
		check_once("count churn", NULL);
		CHECK_EQ(*p_abandoned, 0);
		world_end();
	}
}

/* The last entries of a hold, its places, all closing in the gap after. */
static void count_places_gone(void)
{
	close_places(NULL);
	hold_gen++;
}

TEST(walk_count_places_gone)
{
	struct tcpstate_filter f;
	int i;

	filter_all(&f, &init_net);
	world(1, 1);
	close_bucket = -1;
	for (i = 0; i < 1400; i++)
		conn_new(&init_net, &gh, 0, TCP_ESTABLISHED);
	shim_resched_hook = count_places_gone;
	count_walk(&f);
	shim_resched_hook = NULL;
	check_once("count, places gone", NULL);
	CHECK_EQ(*p_restarts, CLOSES);
	world_end();
}

/* A hold's places, its last entries, replaced in the gap after it. */
static void count_places_replaced(void)
{
	replace_places(&hook_seed);
	hold_gen++;
}

TEST(walk_count_places_replaced)
{
	struct tcpstate_filter f;
	int round;

	filter_all(&f, &init_net);
	for (round = 0; round < 10; round++) {
		world(2, 1);
		close_bucket = -1;
		populate_replaceable(600);
		hook_seed = 8500 + (u64)round;
		shim_resched_hook = count_places_replaced;
		count_walk(&f);
		shim_resched_hook = NULL;
		check_once("count, places replaced", NULL);
		CHECK_EQ(*p_restarts, 0);
		world_end();
	}
}

/* ---- namespaces ---- */

static struct tnet *ns_a, *ns_b, *ns_dying;
static struct inet_hashinfo priv_b;

static bool live_only(const struct meta *x)
{
	return x->sk && sock_net(x->sk) != &ns_dying->net;
}

static struct net *only_net;
static bool of_only_net(const struct meta *x)
{
	return x->sk && sock_net(x->sk) == only_net;
}

TEST(walk_namespaces)
{
	struct tcpstate_filter f;
	u64 seed = 9000;
	int i, pass;

	world(4, 2);
	table_init(&priv_b, 2, 0, true);
	ns_a = tnet_new(11, &gh);
	ns_b = tnet_new(12, &priv_b);
	ns_dying = tnet_new(13, &gh);
	for (i = 0; i < 200; i++) {
		conn_new(&init_net, &gh, (u32)i % 4, i % 3 ? TCP_ESTABLISHED : TCP_TIME_WAIT);
		conn_new(&ns_a->net, &gh, (u32)i % 4, i % 4 ? TCP_ESTABLISHED : TCP_NEW_SYN_RECV);
		conn_new(&ns_b->net, &priv_b, (u32)i % 2, i % 5 ? TCP_ESTABLISHED : TCP_TIME_WAIT);
		/* What holds no namespace: TIME_WAIT and request sockets. */
		conn_new(&ns_dying->net, &gh, (u32)i % 4, i % 2 ? TCP_TIME_WAIT : TCP_NEW_SYN_RECV);
	}
	for (i = 0; i < 30; i++) {
		listener_new(&init_net, 22, false);
		listener_new(&ns_a->net, 22, true);
		listener_new(&ns_b->net, 22, false);
	}
	/* Its last reference gone: being dismantled. */
	put_net(&ns_dying->net);
	for (pass = 0; pass < 4; pass++) {
		u32 before_a = refcount_read(&ns_a->net.count);
		u32 before_b = refcount_read(&ns_b->net.count);

		switch (pass) {
		case 0:	/* every namespace, the private table too */
			filter_all(&f, NULL);
			walk_reads(&f, &seed, 25, NULL);
			check_once("all namespaces", live_only);
			break;
		case 1:
			only_net = &init_net;
			filter_all(&f, only_net);
			walk_reads(&f, &seed, 25, NULL);
			check_once("init_net only", of_only_net);
			break;
		case 2:
			only_net = &ns_a->net;
			filter_all(&f, only_net);
			walk_reads(&f, &seed, 25, NULL);
			check_once("a namespace sharing the global table", of_only_net);
			break;
		case 3:
			only_net = &ns_b->net;
			filter_all(&f, only_net);
			walk_reads(&f, &seed, 25, NULL);
			check_once("a namespace with its own table", of_only_net);
			break;
		}
		/* Every namespace reference given back. */
		CHECK_EQ(refcount_read(&ns_a->net.count), before_a);
		CHECK_EQ(refcount_read(&ns_b->net.count), before_b);
		CHECK_EQ(refcount_read(&ns_dying->net.count), 0);
	}
	refcount_set(&ns_dying->net.count, 1);
	for (i = 0; i < n_socks; i++)
		if (m[i].hashed) {
			unhash(m[i].sk);
			sock_put(m[i].sk);
		}
	CHECK_EQ(refcount_read(&ns_a->net.count), 1);
	CHECK_EQ(refcount_read(&ns_b->net.count), 1);
	tnet_free(ns_a);
	tnet_free(ns_b);
	tnet_free(ns_dying);
	table_free(&priv_b);
	world_end();
}

/* A reader killed, or gone, mid-walk: everything held is let go. */
TEST(walk_stopped_midway)
{
	struct tcpstate_filter f;
	struct tcpstate_walk w;
	struct tcpstate_cursor c = { 0 };
	struct reader r = { .budget = 50, .f = &f };
	u64 seed = 10000;

	filter_all(&f, NULL);
	world(2, 1);
	populate(&seed, 2);
	tcpstate_walk_init(&w, &f);
	walk_begin();
	CHECK_EQ(tcpstate_walk(&w, &c, visit, &r), -EMSGSIZE);
	shim_fatal_signal = true;
	r.budget = 50;
	CHECK_EQ(tcpstate_walk(&w, &c, visit, &r), -EINTR);
	shim_fatal_signal = false;
	tcpstate_walk_release(&w);
	walking = false;
	/* Released after a stop: no place, no namespace held. */
	world_end();
}
