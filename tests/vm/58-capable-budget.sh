# A capable requester's memory is not held against its uid: a process of
# uid 1000 with CAP_NET_ADMIN (in the initial user namespace) is never
# refused memory, and what its dumps hold does not count in uid 1000's
# byte budget, so plain uid 1000 keeps its own. (The count of dumps,
# user_dumps, still applies to both.) uid 1000 fills its budget
# (user_dump_kb set to KB) with unread GET_COUNTS by process dumps; the
# capable process still counts and lists; then, with plain uid 1000's
# dumps gone, the capable process pins PIN unread dumps holding more than
# KB, and plain uid 1000 still counts, its module byte count at 0.
# timeout: 600
. /tests/lib.sh
# Its own namespace: the sizes are those of its sockets alone, not of
# what earlier cases left (TIME_WAIT after 32-event-storm made one plain
# counts --by process need more than KB).
fresh_netns
load_module

B=8800
PAIRS=$(volume 2000)
KB=512
PIN=8
PARAM=/sys/module/tcpstate/parameters/user_dump_kb
old_kb=$(cat $PARAM)
rm -f /tmp/capb.out
ownscen spread $B 20 $PAIRS >/tmp/capb.out 2>&1 &
wait_for 300000 grep -q '^ready' /tmp/capb.out
grep -q '^ready' /tmp/capb.out || { cat /tmp/capb.out; fail "ownscen did not get ready"; finish; }
echo "sockets: $(tcpstatectl counts -H | awk '$1 == "Total" {print $2}')"
st() { runas 1000 tcpstatectl stats --json | tr ',{}' '\n\n\n' | sed -n "s/.*\"$1\": *//p"; }
CAP="h2vis caps 1000 net_admin"

# pin WRAPPER N: N unread dumps by WRAPPER's process; sets PIN_PID and
# PIN_OUT.
pin() {
	rm -f /tmp/capb.pin
	# shellcheck disable=SC2086
	$1 h1pin $2 counts >/tmp/capb.pin 2>&1 &
	PIN_PID=$!
	wait_for 120000 grep -q '^ready' /tmp/capb.pin
	PIN_OUT=$(cat /tmp/capb.pin)
	echo "$PIN_OUT"
}
unpin() {
	kill $PIN_PID 2>/dev/null
	wait $PIN_PID 2>/dev/null
	wait_for 10000 sh -c "[ \"\$(runas 1000 tcpstatectl stats --json | grep -o '\"user_dumps\": *[0-9]*' | grep -o '[0-9]*\$')\" = 0 ]"
}

echo $KB >$PARAM
pin "runas 1000" 16
echo "uid 1000: $(st user_dumps) dumps hold $(st user_dump_bytes) bytes"
expect_match "plain uid 1000 fills its budget" "$PIN_OUT" 'refused: .*memory budget'
out=$(runas 1000 tcpstatectl counts --by process 2>&1)
expect_match "plain uid 1000 is refused more" "$out" 'memory budget'
check "uid 1000 with CAP_NET_ADMIN still counts by process" \
	sh -c "$CAP tcpstatectl counts --by process >/dev/null"
check "uid 1000 with CAP_NET_ADMIN still lists with owners" \
	sh -c "$CAP tcpstatectl list -H -p >/dev/null"
unpin

pin "$CAP" $PIN
expect_match "the capable process's $PIN dumps are all accepted" "$PIN_OUT" "^accepted=$PIN refused=0"
dumps=$(st user_dumps)
bytes=$(st user_dump_bytes)
echo "uid 1000 while the capable process pins $PIN dumps: $dumps dumps, $bytes bytes"
expect_eq "its dumps count as uid 1000's dumps" "$dumps" $PIN
expect_eq "their bytes are not uid 1000's" "$bytes" 0
check "plain uid 1000 still counts by process" \
	sh -c "runas 1000 tcpstatectl counts --by process >/dev/null"
check "plain uid 1000 still lists with owners" \
	sh -c "runas 1000 tcpstatectl list -H -p >/dev/null"
unpin
expect_eq "nothing left held by uid 1000" "$(st user_dump_bytes)" 0
echo "$old_kb" >$PARAM
kill "$(sed -n 's/^ready //p' /tmp/capb.out)" 2>/dev/null
for p in /proc/[0-9]*; do
	[ "$(cat "$p/comm" 2>/dev/null)" = own-holder ] && kill "${p#/proc/}" 2>/dev/null
done
finish
