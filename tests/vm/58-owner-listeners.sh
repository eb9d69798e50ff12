# A finished owner table does not keep its listeners array: the
# listeners met in fd tables are held only while the build reads their
# accept queues, and the array that held them is freed (and no longer
# charged to the requester's budget) when the build ends. uid 1000 holds
# N fds of TCP sockets in one process, first N fds of one listener, then
# N fds of one connection's ends: the same N refs, the same process
# table, the same index. The bytes one unread list -p dump of uid 1000
# holds (user_dump_bytes) must be the same in both; an array of N
# listeners kept until the dump ends adds 16 bytes a listener (rounded up
# to a power of two) to the first.
# timeout: 300
. /tests/lib.sh
fresh_netns
load_module

P=7980
N=4000
held() {
	runas 1000 tcpstatectl stats --json | tr ',{}' '\n\n\n' |
		sed -n 's/.*"user_dump_bytes": *//p'
}
# measure MODE: user_dump_bytes of one unread list -p dump by uid 1000
# while lsndup MODE holds N fds.
measure() {
	local l h
	runas 1000 lsndup $P $N $1 >/tmp/ld.out 2>&1 &
	l=$!
	wait_for 60000 grep -q '^ready' /tmp/ld.out || cat /tmp/ld.out >&2
	runas 1000 h1pin 1 sock >/tmp/ld.pin 2>&1 &
	h=$!
	wait_for 60000 grep -q '^ready' /tmp/ld.pin || cat /tmp/ld.pin >&2
	held
	kill $h $l 2>/dev/null
	wait $h $l 2>/dev/null
	wait_for 10000 sh -c "[ \"\$(runas 1000 tcpstatectl stats --json | grep -o '\"user_dumps\": *[0-9]*' | grep -o '[0-9]*\$')\" = 0 ]"
}
HL=$(measure listen)
HE=$(measure conn)
echo "one unread list -p dump holds: $HL bytes with $N listener fds, $HE bytes with $N connection fds"
check "a dump was held in both" test "${HL:-0}" -gt $((N * 16)) -a "${HE:-0}" -gt $((N * 16))
expect_eq "the listeners' array is not kept (bytes held with $N listener fds = with $N connection fds)" \
	"$HL" "$HE"
finish
