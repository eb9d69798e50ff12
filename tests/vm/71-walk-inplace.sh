# A dump resumes at the right place in an ehash chain whose established
# connections stay put but change what the walk recognizes them by:
# between two reads of a dump (resyn -E, a scenario helper), each
# connection the walk holds for its place writes a byte that is dropped
# and waits for its retransmission timeout, which draws a new txhash,
# counts a timeout rehash and has moved write_seq on. Such a connection
# did not leave its chain; a walk that takes every place it holds for
# gone goes back to the head and lists them again (before: write_seq
# moved was read as a disconnect). Every connection is listed exactly
# once, and the dump ends. 400 of them: more than one lock hold scans
# (256 entries), so pins wrongly judged gone lie past the first hold of
# the walk's return to the head, which skips them only while it lasts.
# timeout: 900
. /tests/lib.sh
one_bucket_netns "$@"
ip route add 10.99.0.0/24 dev lo
ip addr add 10.99.0.1/32 dev lo
sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.lo.rp_filter=0 2>/dev/null
# On by default; the walk's judgement rests on what it changes.
sysctl -qw net.core.txrehash=1 2>/dev/null
load_module
echo "ehash buckets here: $(sysctl -n net.ipv4.tcp_ehash_entries)"

P=/sys/module/tcpstate/parameters
S=$(volume 400)
port=7500
for run in 1 2; do
	port=$((port + 1))
	resyn_run $run $S -E -p $port
done
[ -r $P/walk_restarts ] && echo "walk_restarts $(cat $P/walk_restarts)"
finish
