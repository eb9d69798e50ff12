# 20,000 closes with unread data while a slow subscriber reads through a
# small buffer: events are lost, and delivered + reported lost equals what
# was generated, per the tool and per the module. No WARN, no stall.
# The debug lane's 5,000 (volume) still overflow the 64 KiB buffer.
# timeout: 600
. /tests/lib.sh
fresh_netns
N=$(volume 20000)

load_module
k0=$(netstat_counter TCPAbortOnClose)
m0=$(stat_field abort_on_close)
# The reader stalls until the module has dropped an event (the 64 KiB
# socket buffer overflowed) or the storm is over, then reads on: the
# overflow path runs however fast or slow the kernel generates (a fixed
# 8 s stall let a slow debug kernel's storm trickle through unharmed).
dropped() {
	tcpstatectl stats --json | sed 's/.*"unread-close": {[^}]*"dropped": \([0-9]*\).*/\1/'
}
# Its pid from the shell it replaces (pidof would also find the reader's
# tcpstatectl stats).
rm -f /tmp/storm.done /tmp/storm.pid
(sh -c 'echo $$ >/tmp/storm.pid; exec tcpstatectl events --json --summary --buffer 65536' 2>/tmp/storm.err |
	(while [ ! -e /tmp/storm.done ] && [ "$(dropped)" = 0 ]; do sleep 0.2; done
	 cat >/tmp/storm.out)) &
wait_for 30000 test -s /tmp/storm.pid || fail "the subscriber did not start"
pid=$(cat /tmp/storm.pid)
wait_subscribed "$pid" || fail "the subscriber did not join the group"
t0=$(date +%s)
evscen storm -p 5920 -n $N >/tmp/storm.gen
echo "storm took $(( $(date +%s) - t0 ))s"
touch /tmp/storm.done
# Stop the subscriber once it has everything it can get: the module has
# sent (delivered or dropped) every event it saw, and nothing is left
# queued on the subscriber's socket. A fixed wait (10 s) was a guess
# about how fast a guest works through 20,000 events.
evstat() {
	tcpstatectl stats --json | sed "s/.*\"unread-close\": {[^}]*\"$1\": \([0-9]*\).*/\1/"
}
all_sent() { [ $(($(evstat delivered) + $(evstat dropped))) -ge "$(evstat seen)" ]; }
# Bytes queued on the generic netlink sockets of PID (/proc/net/netlink:
# protocol 16, Rmem).
nl_queued() {
	local fd ino q=0 r
	for fd in /proc/"$1"/fd/*; do
		ino=$(readlink "$fd" 2>/dev/null | sed -n 's/^socket:\[\([0-9]*\)\]$/\1/p')
		[ -n "$ino" ] || continue
		r=$(awk -v i="$ino" '$2 == 16 && $NF == i { print $5 }' /proc/net/netlink)
		q=$((q + ${r:-0}))
	done
	echo $q
}
drained() { [ "$(nl_queued "$pid")" = 0 ]; }
wait_for 120000 all_sent || fail "the module has not sent every event it saw: $(tcpstatectl stats --json)"
wait_for 120000 drained || fail "the subscriber did not read its socket empty: $(nl_queued "$pid") bytes left"
kill -TERM "$pid"
wait
cat /tmp/storm.err
summary=$(tail -n 1 /tmp/storm.err)
recv=$(echo "$summary" | sed -n 's/.*events: \([0-9]*\) received.*/\1/p')
lost=$(echo "$summary" | sed -n 's/.* \([0-9]*\) lost.*/\1/p')
shown=$(wc -l </tmp/storm.out)
echo "received=$recv lost=$lost shown=$shown"
expect_eq "received + lost = $N generated" "$((recv + lost))" "$N"
expect_le "some events were lost (the overflow path ran)" 1 "$lost"
expect_eq "every received event was printed" "$shown" "$recv"
seen=$(tcpstatectl stats --json | sed 's/.*"unread-close": {\([^}]*\)}.*/\1/')
echo "module: $seen"
expect_match "module saw $N" "$seen" "\"seen\": $N,"
d=$(echo "$seen" | sed 's/.*"delivered": \([0-9]*\).*/\1/')
x=$(echo "$seen" | sed 's/.*"dropped": \([0-9]*\).*/\1/')
expect_eq "module: delivered + dropped = $N" "$((d + x))" "$N"
expect_eq "module dropped = tool lost" "$x" "$lost"
expect_eq "module delivered = tool received" "$d" "$recv"
k1=$(netstat_counter TCPAbortOnClose)
m1=$(stat_field abort_on_close)
expect_eq "TCPAbortOnClose rose by $N" "$((k1 - k0))" "$N"
expect_eq "module tally matches" "$((m1 - m0))" "$N"
finish
