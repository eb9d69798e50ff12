# A counting walk (/proc/net/tcpstate) does not count entries twice when
# the socket it holds as its place goes between two lock holds. In a
# namespace with a one-bucket ehash, placechurn (a scenario helper) keeps
# 800 established sockets in one chain and closes, one pair at a time,
# the doomed pair at depth 511-512, where a walk that holds one place per
# 256 entries (the walk before this case) has its second place, while it
# reads the file again and again. The module's test knob walk_pause_us
# widens the gap between two lock holds (otherwise a cond_resched()) so
# that a place goes in it often. A walk that then goes back to its place
# before counts the 254 entries between twice; the walk now holds the last
# 16 entries of each hold as places and goes back only past places. Each
# total must be between what was there at the start of the read and at
# its end. Not deterministic (a close must fall into that gap): on the
# walk before this case about a third of the closes did; the counters
# walk_restarts and walk_abandoned are printed for the record.
# timeout: 600
. /tests/lib.sh
one_bucket_netns "$@"
load_module
echo "ehash buckets here: $(sysctl -n net.ipv4.tcp_ehash_entries)"

P=/sys/module/tcpstate/parameters
for k in walk_restarts walk_abandoned; do
	[ -w $P/$k ] && echo 0 >$P/$k
done
echo 5000 >$P/walk_pause_us
port=7500
for run in 1 2; do
	port=$((port + 1))
	out=$(placechurn -p $port 2>&1)
	rc=$?
	echo "run $run: $out"
	expect_eq "run $run: placechurn ran" "$rc" 0
	set -- $(echo "$out" | tr '=' ' ')
	# reads N closes N over N under N worst_over N worst_under N
	expect_eq "run $run: no total above what was there" "$6 (worst ${10})" "0 (worst 0)"
	expect_eq "run $run: no total below what was there" "$8 (worst ${12})" "0 (worst 0)"
	expect_le "run $run: it read while closing" 20 "$2"
done
echo 0 >$P/walk_pause_us
for k in walk_restarts walk_abandoned; do
	[ -r $P/$k ] && echo "$k $(cat $P/$k)"
done
finish
