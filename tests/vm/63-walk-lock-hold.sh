# The counting walks (/proc/net/tcpstate, counts without grouping) hold
# each bucket lock for a bounded number of chain entries, however long a
# user makes a chain: a namespace with a one-bucket ehash (made while
# net.ipv4.tcp_child_ehash_entries=1 in its parent; any user may set it
# in a namespace it owns) full of established sockets, and a
# SO_REUSEPORT group in one listening-hash chain. Judged on the module's
# test counter walk_hold_max (the most entries looked at in one lock
# hold; a walk holding a lock for a whole chain of 10,001 shows 10,001)
# with a generous bound of 1,024 (the walk's own is 256), plus the
# counts being right. Read times are printed for the record.
# timeout: 900
. /tests/lib.sh
one_bucket_netns "$@"
load_module

P=/sys/module/tcpstate/parameters
BOUND=1024
PAIRS=$(volume 5000)
echo "ehash buckets here: $(sysctl -n net.ipv4.tcp_ehash_entries)"

rm -f /tmp/63.ready
tcpscen -p 7100 -r /tmp/63.ready estab:$PAIRS >/tmp/63.scen 2>&1 &
scen=$!
while [ ! -s /tmp/63.ready ] && kill -0 $scen 2>/dev/null; do sleep 0.5; done
[ -s /tmp/63.ready ] || { cat /tmp/63.scen; fail "tcpscen did not get ready"; finish; }
want=$((2 * PAIRS))

# hold WHAT CMD...: run CMD with the counter reset; sets HOLD and MS.
hold() {
	local what=$1 t0
	shift
	echo 0 >$P/walk_hold_max
	t0=$(uptime_ms)
	"$@" >/tmp/63.out
	MS=$(($(uptime_ms) - t0))
	HOLD=$(cat $P/walk_hold_max)
	echo "$what: longest lock hold $HOLD entries, $MS ms"
}
hold "/proc/net/tcpstate, one ehash chain of $want+1" cat /proc/net/tcpstate
expect_le "/proc/net/tcpstate: each ehash lock hold bounded" "$HOLD" $BOUND
expect_eq "/proc/net/tcpstate: established count" \
	"$(awk '$1 == "ESTABLISHED" {print $2}' /tmp/63.out)" "$want"
hold "counts, one ehash chain of $want+1" tcpstatectl counts -H
expect_le "counts: each ehash lock hold bounded" "$HOLD" $BOUND
expect_eq "counts: established count" \
	"$(awk '$1 == "ESTABLISHED" {print $2}' /tmp/63.out)" "$want"
kill $scen
wait $scen 2>/dev/null

N=$(volume 5000)
rm -f /tmp/63.ready
reuseport -n "$N" -p 7200 -r /tmp/63.ready &
rp=$!
while [ ! -s /tmp/63.ready ] && kill -0 $rp 2>/dev/null; do sleep 0.2; done
hold "/proc/net/tcpstate, a listening chain of $N" cat /proc/net/tcpstate
expect_le "/proc/net/tcpstate: each listening lock hold bounded" "$HOLD" $BOUND
expect_eq "/proc/net/tcpstate: listener count" \
	"$(awk '$1 == "LISTEN" {print $2}' /tmp/63.out)" "$N"
hold "counts, a listening chain of $N" tcpstatectl counts -H
expect_le "counts: each listening lock hold bounded" "$HOLD" $BOUND
expect_eq "counts: listener count" \
	"$(awk '$1 == "LISTEN" {print $2}' /tmp/63.out)" "$N"
kill $rp
wait $rp 2>/dev/null
finish
