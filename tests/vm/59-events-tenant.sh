# Events are bounded per namespace: an ordinary user (uid 1000) owning 16
# network namespaces (unshare -Ur, then one netns after another) subscribes
# (8 sockets in each, every batch sent is a copy per subscriber)
# to their events and closes sockets with unread data alternating between
# them as fast as it can (two processes, one per CPU), so that every close
# hands a batch on. Meanwhile root, in the initial namespace, subscribes
# and makes K unread closes of its own, as fast as it can too. Root gets all K, none dropped in the initial namespace; what
# the tenant loses is counted in the tenant's namespaces (their seen,
# delivered, dropped and unheard add up to its closes). Then a second
# storm is killed mid-way: its namespaces are torn down with batches
# still in flight (runner checks dmesg and taint).
# timeout: 900
. /tests/lib.sh
load_module

NS=16
K=300
# Long bursts: each worker sets up NS x PAIRS connections, then closes
# them all (the fds root lets uid 1000 have).
PAIRS=$(volume 300)
ulimit -n $((2 * NS * PAIRS + 1000)) || fail "cannot raise the fd limit"

# Unprivileged user namespaces, as in 33-event-netns (put back after).
clone=$(sysctl -n kernel.unprivileged_userns_clone 2>/dev/null)
maxns=$(sysctl -n user.max_user_namespaces 2>/dev/null)
if ! runas 1000 unshare -Urn true 2>/dev/null; then
	[ -n "$clone" ] && sysctl -qw kernel.unprivileged_userns_clone=1
	[ "$maxns" = 0 ] && sysctl -qw user.max_user_namespaces=1000
fi
restore_userns() {
	[ -n "$clone" ] && sysctl -qw kernel.unprivileged_userns_clone="$clone"
	[ -n "$maxns" ] && sysctl -qw user.max_user_namespaces="$maxns"
}
if ! runas 1000 unshare -Urn true 2>/dev/null; then
	restore_userns
	skip "uid 1000 cannot create a user namespace in this kernel"
fi

# evf FIELD [nsenter args]: the unread-close FIELD of a namespace's stats.
evf() {
	local f=$1
	shift
	"$@" tcpstatectl stats --json |
		sed -n 's/.*"unread-close": {\([^}]*\)}.*/\1/p' |
		tr ',' '\n' | sed -n "s/.*\"$f\": *//p"
}
# settled [nsenter args]: no event of the namespace waits to be sent.
settled() {
	[ "$(evf seen "$@")" = "$(($(evf delivered "$@") + $(evf dropped "$@") + $(evf unheard "$@")))" ]
}

OUT=/tmp/evt
rm -rf $OUT
mkdir -m 1777 $OUT
d0=$(evf dropped)
s0=$(evf seen)
start_events root --json
runas 1000 unshare -Ur evtenant -n $NS -P $PAIRS -o $OUT -t $((600 * SLOW)) 2>$OUT/err &
tpid=$!
wait_for 120000 grep -q '^storm' $OUT/tenant 2>/dev/null ||
	{ cat $OUT/err; fail "the tenant's namespaces were not set up"; }
holders=$(sed -n 's/^ns [0-9]* //p' $OUT/tenant)
# Root closes while the tenant's first burst of closes is on.
wait_for 300000 grep -q '^burst' $OUT/tenant ||
	fail "the tenant's storm did not start"
evscen storm -p 6200 -n $K >/dev/null
touch $OUT/stop
wait_for 120000 grep -q '^done' $OUT/tenant || fail "the tenant's storm did not end"
wait_for 30000 settled || fail "the initial namespace's events were not all sent"
for h in $holders; do
	wait_for 30000 settled nsenter -t "$h" -n || fail "namespace of holder $h not settled"
done
stop_events $EV_PID

got=$(grep -c '"remote_port": 6200' /tmp/root.out)
d1=$(evf dropped)
s1=$(evf seen)
closes=$(sed -n 's/^closes=//p' $OUT/tenant)
tseen=0 tdel=0 tdrop=0 tunh=0 per=""
for h in $holders; do
	a=$(evf seen nsenter -t "$h" -n)
	b=$(evf delivered nsenter -t "$h" -n)
	c=$(evf dropped nsenter -t "$h" -n)
	e=$(evf unheard nsenter -t "$h" -n)
	tseen=$((tseen + a)) tdel=$((tdel + b)) tdrop=$((tdrop + c)) tunh=$((tunh + e))
	per="$per $b/$c"
done
echo "tenant: $NS namespaces x $PAIRS pairs x 2 workers, $closes closes; seen $tseen delivered $tdel dropped $tdrop unheard $tunh"
echo "tenant delivered/dropped per namespace:$per"
echo "root: $got of $K events received; initial namespace seen +$((s1 - s0)) dropped +$((d1 - d0))"
expect_eq "root's subscriber got all $K of root's events" "$got" $K
expect_eq "no event dropped in the initial namespace" "$((d1 - d0))" 0
expect_eq "the initial namespace saw exactly root's events" "$((s1 - s0))" $K
expect_eq "every tenant close counted in a tenant namespace" "$tseen" "$closes"
expect_eq "tenant: delivered + dropped + unheard = seen" "$((tdel + tdrop + tunh))" "$tseen"
# That the storm overflowed the buffers at all (else the case proves
# nothing): on Debian's kernels. The debug lane runs a quarter of the
# storm on a kernel several times slower, where the worker keeps up
# (0 of 4,800 dropped on 2026-12-07); there it checks memory safety
# and root's count only.
if debug_kernel; then
	echo "debug lane: the tenant dropped $tdrop (not required here)"
else
	check "the tenant lost events, in its own namespaces" test "$tdrop" -gt 0
fi
kill -TERM $tpid
wait $tpid 2>/dev/null

# Teardown with batches in flight: a second storm, killed while it runs.
rm -rf $OUT
mkdir -m 1777 $OUT
runas 1000 unshare -Ur evtenant -n $NS -P $PAIRS -o $OUT -t $((600 * SLOW)) 2>$OUT/err &
tpid=$!
wait_for 120000 grep -q '^storm' $OUT/tenant 2>/dev/null ||
	fail "the second tenant was not set up"
h0=$(sed -n 's/^ns 0 //p' $OUT/tenant)
# Killed once it drops events; on the debug lane, where the worker keeps
# up (see above), once its events flow (seen), which still leaves batches
# in flight.
if debug_kernel; then
	field=seen nothing="made no event"
else
	field=dropped nothing="dropped nothing"
fi
tcounted() { [ "$(evf $field nsenter -t "$h0" -n)" -gt 0 ] 2>/dev/null; }
wait_for 300000 tcounted || fail "the second storm $nothing"
kill -KILL $tpid
wait $tpid 2>/dev/null
restore_userns
# Whatever was in flight is sent or dropped; the module still delivers.
start_events after --json --count 1 --timeout $((60 * SLOW))
evscen unread -p 6299 -n 4322 >/dev/null
wait $EV_PID
expect_eq "an event after the teardown arrives" "$(grep -c '"unread_bytes": 4322' /tmp/after.out)" 1
finish
