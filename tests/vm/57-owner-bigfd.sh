# The owner scan and a very large fd table: h2bigfd holds NFDS fds, every
# STRIDE-th a dup of one of NSOCKS loopback connections, the others of a
# pipe (166,000 TCP fds in 8,000,000 by default; the owner table fills and
# grows mid-table, between two holds). list -p must finish, name it with
# every fd counted, and hold the process's files->file_lock only briefly:
# h2bigfd's own thread times its dup() + close() pairs (each takes that
# lock) while list -p runs, on the last CPU, the dump on the first. With
# the scan reading the whole table under one hold, a pair waits for all
# of it.
#
# The reference is not an idle guest: the guests run QEMU's single-threaded
# TCG (run.sh, thread=single), which runs the two vCPUs in turn, giving
# the one that does not halt up to a 100 ms slice at a time (more when the
# host is loaded). While CPU 0 is busy, any pair on CPU 1 can wait a slice
# or two whether or not a lock is involved: an earlier version of this
# case compared the dump with an idle CPU 0 and saw 6.1 "stall" ~3 s on a
# loaded host. So the pairs are timed once while CPU 0 runs a busy loop in
# user space (same vCPU turns, no lock), with CPU 0 idle, and while it
# runs the dumps; what the lock holds add is the difference to the worse
# of the first two. At 8,000,000 fds one hold of the whole table takes
# ~3 s on this TCG guest (two dumps take ~7 s), far above that bound.
# That bound did not catch the scan before 4073550 on a quiet host (196 ms
# against 103 ms after, 2026-12-07), so the case also judges the work: the
# module's owner_hold_max, the most open fds looked at in one hold of a
# fd table's lock, must stay at its per-hold budget (256), not the
# 166,000 TCP fds of h2bigfd's table.
# timeout: 900
. /tests/lib.sh
fresh_netns
load_module

NFDS=${BIGFD_NFDS:-8000000}
NSOCKS=500
STRIDE=48
LIMIT_MS=$(late 750 250)
sysctl -qw fs.nr_open=$((NFDS + 64))
h2bigfd 7900 $NFDS $NSOCKS $STRIDE >/tmp/bf.out 2>&1 &
for i in $(seq 1 $((2400 * SLOW))); do
	grep -q '^ready' /tmp/bf.out && break
	sleep 0.1
done
cat /tmp/bf.out
grep -q '^ready' /tmp/bf.out || { fail "h2bigfd did not get ready"; finish; }
pid=$(awk '$1 == "ready" { print $2 }' /tmp/bf.out)

# stall: the longest dup()+close() of h2bigfd since the last USR1, in ms.
stall_ms() {
	local n
	n=$(grep -c '^stall' /tmp/bf.out)
	kill -USR2 $pid
	for i in $(seq 1 100); do
		[ "$(grep -c '^stall' /tmp/bf.out)" -gt "$n" ] && break
		sleep 0.1
	done
	awk '$1 == "stall" { v = $2 } END { printf "%d", v / 1000 }' /tmp/bf.out
}

kill -USR1 $pid
sleep 3
idle=$(stall_ms)
echo "longest dup+close with CPU 0 idle: $idle ms"

# CPU 0 busy in user space for about as long as the dumps take.
kill -USR1 $pid
t0=$(uptime_ms)
taskset 1 tcpstatectl list -H -p --tsv --sport 7900 >/dev/null
t1=$(uptime_ms)
kill -USR2 $pid
sleep 1
kill -USR1 $pid
timeout $(((2 * (t1 - t0) + 999) / 1000 + 2)) taskset 1 sh -c 'while :; do :; done'
spin=$(stall_ms)
echo "longest dup+close with CPU 0 spinning $(((2 * (t1 - t0) + 999) / 1000 + 2)) s: $spin ms"

P=/sys/module/tcpstate/parameters
echo 0 >$P/owner_hold_max
kill -USR1 $pid
t0=$(uptime_ms)
for n in 1 2; do
	taskset 1 tcpstatectl list -H -p --tsv --sport 7900 >/tmp/bf.list ||
		fail "list -p failed"
done
t1=$(uptime_ms)
busy=$(stall_ms)
echo "2 dumps in $((t1 - t0)) ms; longest dup+close meanwhile: $busy ms"
tcpstatectl list -p --json --sport 7900 | head -c 600
echo
expect_eq "every listed socket's owner is h2bigfd" \
	"$(awk -F'\t' '{ print $NF }' /tmp/bf.list | sort -u)" "$pid/h2bigfd"
expect_eq "the connections' ends from port 7900 listed" "$(wc -l </tmp/bf.list)" $NSOCKS
total=$(tcpstatectl list -p --json | grep -o '"fds_total": [0-9]*' |
	awk '{ s += $2 } END { print s }')
check "fds_total counts every socket dup ($total of about $((NFDS / STRIDE)))" \
	test "$total" -ge $((NFDS / STRIDE - 16))
base=$spin
[ "$idle" -gt "$base" ] && base=$idle
expect_le "h2bigfd's fd operations waited during list -p at most $LIMIT_MS ms more than without it ($base ms)" \
	"$busy" "$((base + LIMIT_MS))"
hold=$(cat $P/owner_hold_max)
check "the owner scan looked at 1 to 256 open fds per hold of the fd table's lock ($hold)" \
	test "$hold" -ge 1 -a "$hold" -le 256
check "no soft lockup" sh -c '! dmesg | grep -q "soft lockup"'
kill $pid
finish
