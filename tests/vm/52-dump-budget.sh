# What a user's unread dumps may pin: uid 1000 starts 64 dumps it never
# reads (GET_COUNTS by process, then GET_SOCK -p) on a host of 20,000
# sockets. They are charged to its memory cgroup, bounded by its byte
# budget (user_dump_kb, 8 MiB) and dump count (user_dumps, 16), further
# ones are refused with an extack message the tool prints, and root's
# requests still work. Figures (module accounting, memcg, MemAvailable)
# are printed for the record. The debug lane runs 1/SLOW of the sockets,
# so its dumps are that much smaller: the byte budget is scaled the same
# way, or 16 dumps would fit under 8 MiB there and none be refused for
# bytes.
# timeout: 900
. /tests/lib.sh
load_module
P=/sys/module/tcpstate/parameters
KB0=$(cat $P/user_dump_kb)
KB=$((KB0 / SLOW))
echo $KB >$P/user_dump_kb

B=7800
PAIRS=$(volume 10000)
rm -f /tmp/spread.out
ownscen spread $B $(volume 200) $PAIRS >/tmp/spread.out 2>&1 &
for i in $(seq 1 $((3000 * SLOW))); do
	grep -q '^ready' /tmp/spread.out 2>/dev/null && break
	sleep 0.1
done
grep -q '^ready' /tmp/spread.out || { cat /tmp/spread.out; fail "ownscen did not get ready"; finish; }
echo "sockets: $(tcpstatectl counts -H | awk '$1 == "Total" {print $2}')"

# uid 1000's dumps run in a memory cgroup of their own.
CG=/sys/fs/cgroup
mountpoint -q $CG 2>/dev/null || mount -t cgroup2 none $CG
echo +memory >$CG/cgroup.subtree_control 2>/dev/null
mkdir -p $CG/h1pin
# The debug lane's kernel (defconfig) has no memory controller; the
# RT debug variant and Debian's kernels have one.
MEMCG=1
if [ ! -f $CG/h1pin/memory.current ]; then
	debug_kernel || { fail "no memory controller in cgroup2"; finish; }
	echo "no memory controller in $(uname -r): the memcg figures are not checked"
	MEMCG=0
fi
memavail() { awk '$1 == "MemAvailable:" { print $2 }' /proc/meminfo; }

# pin KIND: 64 unread dumps of KIND by uid 1000; sets PIN_OUT, PIN_PID,
# PIN_MEMCG (bytes charged to the cgroup by them) and PIN_AVAIL (KiB of
# MemAvailable they took).
pin() {
	local m0 a0 i
	sync
	a0=$(memavail)
	m0=$(cat $CG/h1pin/memory.current 2>/dev/null || echo 0)
	rm -f /tmp/pin.out
	sh -c "echo \$\$ >$CG/h1pin/cgroup.procs && exec runas 1000 h1pin 64 $1" >/tmp/pin.out 2>&1 &
	PIN_PID=$!
	for i in $(seq 1 $((600 * SLOW))); do
		grep -q '^ready' /tmp/pin.out && break
		sleep 0.1
	done
	PIN_OUT=$(cat /tmp/pin.out)
	echo "$PIN_OUT"
	PIN_MEMCG=$(($(cat $CG/h1pin/memory.current 2>/dev/null || echo 0) - m0))
	PIN_AVAIL=$((a0 - $(memavail)))
	echo "memcg: +$PIN_MEMCG bytes, MemAvailable: -$PIN_AVAIL KiB"
}
unpin() {
	kill $PIN_PID 2>/dev/null
	wait $PIN_PID 2>/dev/null
	sleep 1
}

pin counts
accepted=$(echo "$PIN_OUT" | sed -n 's/^accepted=\([0-9]*\).*/\1/p')
held=$(runas 1000 tcpstatectl stats --json | tr ',{}' '\n\n\n' | sed -n 's/.*"user_dump_bytes": *//p')
echo "module: uid 1000 holds ${held:-?} bytes in $(runas 1000 tcpstatectl stats --json | tr ',{}' '\n\n\n' | sed -n 's/.*"user_dumps": *//p') dumps"
expect_le "counts by process: 64 unread dumps, at most 16 set up" "${accepted:-99}" 16
expect_match "the others were refused by the byte budget (ENOBUFS)" "$PIN_OUT" \
	'^refused: No buffer space available: .*memory budget'
expect_le "module accounting: uid 1000 holds at most user_dump_kb ($KB KiB)" "${held:-99999999999}" $((KB * 1024))
[ $MEMCG = 1 ] && expect_le "what they hold is charged to its memory cgroup (memcg >= half of it)" \
	"$(( ${held:-1} / 2 ))" "$PIN_MEMCG"
out=$(runas 1000 tcpstatectl counts --by process 2>&1)
expect_match "the tool prints the refusal" "$out" 'memory budget'
expect_match "root still lists with owners" "$(tcpstatectl list -H -p --sport $B 2>&1 | head -n 1)" "own-holder"
expect_match "root still counts by process" "$(tcpstatectl counts --by process 2>&1 | head -n 3)" "own-holder|Total"
unpin

pin sock
expect_match "list -p: 16 dumps in flight at most" "$PIN_OUT" '^accepted=([0-9]|1[0-6]) refused=(4[89]|[5-6][0-9])$'
expect_match "the others were refused: too many dumps" "$PIN_OUT" \
	'^refused: .*(too many dumps|memory budget)'
unpin
expect_eq "nothing left held" "$(runas 1000 tcpstatectl stats --json | tr ',{}' '\n\n\n' | sed -n 's/.*"user_dump_bytes": *//p')" 0

kill "$(sed -n 's/^ready //p' /tmp/spread.out)" 2>/dev/null
for p in /proc/[0-9]*; do
	[ "$(cat "$p/comm" 2>/dev/null)" = own-holder ] && kill "${p#/proc/}" 2>/dev/null
done
rmdir $CG/h1pin 2>/dev/null
echo $KB0 >$P/user_dump_kb
finish
