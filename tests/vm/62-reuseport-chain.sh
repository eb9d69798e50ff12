# A SO_REUSEPORT group of 2,000 listeners on one port sits in one
# listening-hash chain. Listing it must cost linear time: a walk that
# finds its place again by rescanning the chain from its head on every
# batch (and every dump read) is quadratic, with the bucket lock held for
# each rescan. The time of list for 2,000 listeners must stay within 2.5x
# that for 1,000; the cost above an empty baseline (same commands, no
# listeners) is shown for list, counts --by lport and the walk alone
# (h3walktime: dumps from one process whose filter the age check rejects,
# so nothing is sent and no process start-up is timed: there the rescans
# show); every listener is listed once. Minimum of several runs, against
# the noise of a shared host. Time under TCG hides the old quadratic
# resume at this size, so the work is judged as well: the chain entries
# the walk looks at under the bucket lock for one such dump (the module's
# test counter walk_scanned), which a walk that rescans the chain for its
# place makes grow 4x from 1,000 listeners to 2,000 (BATCH/N batches,
# each rescanning up to its place), and a walk that resumes by a held
# socket 2x.
# timeout: 900
. /tests/lib.sh
fresh_netns
load_module

PORT=6000
RUNS=15
P=/sys/module/tcpstate/parameters
list_cmd="tcpstatectl list -H --tsv --sport $PORT"
count_cmd="tcpstatectl counts -H --by lport --sport $PORT"
# measure N: sets M_LIST and M_COUNT (ms, minimum of RUNS) with N
# listeners listening.
measure() {
	local pid=
	if [ "$1" -gt 0 ]; then
		rm -f /tmp/62.ready
		reuseport -n "$1" -p $PORT -r /tmp/62.ready &
		pid=$!
		while [ ! -s /tmp/62.ready ] && kill -0 $pid 2>/dev/null; do sleep 0.2; done
		$list_cmd >/tmp/62.list
		expect_eq "$1 listeners: each listed once" \
			"$(sort -u /tmp/62.list | wc -l) $(wc -l </tmp/62.list)" "$1 $1"
	fi
	timeit -n $RUNS -w 1 "$list_cmd" "$count_cmd" >/tmp/62.time
	M_LIST=$(sed -n 1p /tmp/62.time | cut -d' ' -f1)
	M_COUNT=$(sed -n 2p /tmp/62.time | cut -d' ' -f1)
	# About a millisecond each: many, so that the minimum is a quiet one.
	M_WALK=$(h3walktime -p $PORT -n 101 | cut -d' ' -f1)
	# One dump, counted: work, not time.
	echo 0 >$P/walk_scanned
	h3walktime -p $PORT -n 1 >/dev/null
	M_SCAN=$(cat $P/walk_scanned)
	if [ -n "$pid" ]; then
		kill $pid
		wait $pid 2>/dev/null
	fi
}
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a < b ? a : b) }'; }
# The baseline is taken before and after, the smaller kept: a busy host
# once made all of the first runs slower than those with 1,000 listeners.
measure 0
b_list=$M_LIST b_count=$M_COUNT b_walk=$M_WALK b_scan=$M_SCAN
measure 1000
l1=$M_LIST c1=$M_COUNT w1=$M_WALK s1=$M_SCAN
measure 2000
l2=$M_LIST c2=$M_COUNT w2=$M_WALK s2=$M_SCAN
measure 0
b_list=$(min "$b_list" "$M_LIST") b_count=$(min "$b_count" "$M_COUNT")
b_walk=$(min "$b_walk" "$M_WALK")
echo "min ms: none $b_list/$b_count/$b_walk, 1000: $l1/$c1/$w1, 2000: $l2/$c2/$w2 (list/counts/walk)"
# ratio A B BASE: (B - BASE) / (A - BASE), two decimals
ratio() { awk -v a="$1" -v b="$2" -v z="$3" 'BEGIN { d = a - z; if (d < 0.1) d = 0.1; printf "%.2f", (b - z) / d }'; }
rl=$(ratio "$l1" "$l2" "$b_list")
rc=$(ratio "$c1" "$c2" "$b_count")
rw=$(ratio "$w1" "$w2" "$b_walk")
echo "2000 vs 1000 listeners, above the baseline: list ${rl}x, counts ${rc}x, walk ${rw}x"
within() { awk -v r="$1" 'BEGIN { exit !(r <= 2.5) }'; }
# Judged on the whole time, not above the baseline: the baseline is a
# process start (tens of ms) that a busy host stretches more than the
# listeners' share, and once exceeded the 1,000-listener time (82 vs 65
# ms, a "167x" above it). This bound holds linear growth to account but
# is too weak to catch the old quadratic resume at this size (1.37x).
rr=$(awk -v a="$l1" -v b="$l2" 'BEGIN { if (a < 0.1) a = 0.1; printf "%.2f", b / a }')
check "list: 2,000 listeners take within 2.5x the time of 1,000 (${rr}x)" within "$rr"
# Shown, not judged: under TCG on a busy host these swing between 1.2x
# and 4x from one run to the next, with the fix as without it (a few
# tenths of a millisecond measured, and an emulated TLB that 2,000
# sockets outgrow).
echo "counts --by lport ${rc}x, the walk alone ${rw}x (not judged)"
rs=$(ratio "$s1" "$s2" "$b_scan")
echo "chain entries looked at under the lock for one dump: none $b_scan, 1000: $s1, 2000: $s2 (${rs}x)"
check "walk: 2,000 listeners cost within 2.5x the chain entries of 1,000 (${rs}x)" within "$rs"
finish
