# When every socket the walk holds for its place is gone between two
# reads, it goes back to the chain's head and finds its place by position:
# the matching sockets before it, less those gone. resyn -K closes the
# connections of the last TCPSTATE_WALK_PINS (16) rows of the second reply
# before it is read, in a namespace with a one-bucket ehash: exactly the
# sockets the walk holds, and nothing else before its place leaves, so the
# position is exact. The socket the reply had no room for must be the
# next one listed: a cursor left one socket on (mutant 07) skips it. Every
# connection is listed once (the closed ones in the reply read after they
# closed), and the walk went back to the head at least once per run.
# timeout: 600
. /tests/lib.sh
one_bucket_netns "$@"
ip route add 10.99.0.0/24 dev lo
sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.lo.rp_filter=0 2>/dev/null
load_module
echo "ehash buckets here: $(sysctl -n net.ipv4.tcp_ehash_entries)"

P=/sys/module/tcpstate/parameters
# Enough for three replies of a few dozen rows; fewer than one lock hold
# scans (256), so the chain is one hold and the ring holds only rows.
S=120
port=7600
for run in 1 2 3; do
	port=$((port + 1))
	before=$(cat $P/walk_restarts 2>/dev/null || echo 0)
	resyn_run $run $S -K 16 -p $port
	after=$(cat $P/walk_restarts 2>/dev/null || echo 0)
	expect_le "run $run: the walk went back to the head" 1 $((after - before))
done
finish
