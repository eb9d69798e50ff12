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
	resyn_run $run $S -c $C -p $port
done
[ -r $P/walk_restarts ] && echo "walk_restarts $(cat $P/walk_restarts)"
finish
