# A dump resumes at the right place in an ehash chain whose connections
# leave and come back while it is read: connections in SYN_SENT (to an
# address routed to lo where nothing answers) in a namespace with a
# one-bucket ehash, listed by resyn (a scenario helper) a page per read;
# after each read, each churn connection that read returned is shut down
# and connects again: in SYN_SENT, inet_shutdown() disconnects it without
# counting a disconnect in sk_disconnects (af_inet.c, 6.1 and 6.12), so
# the same socket is back at the head of the chain with the generation the
# walk recorded. The walk holds the last sockets it went past to find its
# place; one that came back at the head must not be taken for it (a walk
# that does lists the stable rows before it again). Every stable
# connection is listed exactly once, and no row twice: the churn ones
# come back before the place the walk resumes from.
# timeout: 900
. /tests/lib.sh
one_bucket_netns "$@"
ip route add 10.99.0.0/24 dev lo
sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.lo.rp_filter=0 2>/dev/null
load_module
echo "ehash buckets here: $(sysctl -n net.ipv4.tcp_ehash_entries)"

P=/sys/module/tcpstate/parameters
S=$(volume 300)
C=$(volume 600)
port=7400
for run in 1 2 3; do
	port=$((port + 1))
	out=$(resyn -s $S -c $C -p $port 2>&1)
	rc=$?
	echo "run $run: $out"
	expect_eq "run $run: resyn ran" "$rc" 0
	set -- $(echo "$out" | tr '=' ' ')
	# round R reads N rows N stable_once N stable_missing N stable_dup N dup_rows N ended 0|1
	expect_eq "run $run: every stable connection listed once" \
		"$8 missing ${10} twice ${12}" "$S missing 0 twice 0"
	expect_eq "run $run: no row twice" "${14}" 0
	expect_eq "run $run: the dump ended" "${16}" 1
done
[ -r $P/walk_restarts ] && echo "walk_restarts $(cat $P/walk_restarts)"
finish
