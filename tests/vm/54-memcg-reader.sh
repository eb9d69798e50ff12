# A dump's memory is charged to its requester's memory cgroup, not to
# whoever reads the socket. uid 1000 in cgroup A sends GET_SOCK -p and
# GET_COUNTS by process over 20,000 sockets of its own processes and hands the sockets over
# before any part is built; root in cgroup B reads the first part of each
# (so their setup runs in its recvmsg()) and stops. What the two dumps
# hold (the module's accounting of uid 1000) must show in A's
# memory.current, not in B's.
# timeout: 900
. /tests/lib.sh
load_module

B=8400
PAIRS=$(volume 10000)
rm -f /tmp/spread.out
# uid 1000's own processes: its scan skips those it may not see
# (58-owner-skip), so only its own fds make its dumps' tables. Its hard
# fd limit is raised first, for ownscen's setrlimit.
sh -c "ulimit -n $((2 * PAIRS + 1024)) && exec runas 1000 ownscen spread $B $(volume 200) $PAIRS" \
	>/tmp/spread.out 2>&1 &
for i in $(seq 1 $((3000 * SLOW))); do
	grep -q '^ready' /tmp/spread.out 2>/dev/null && break
	sleep 0.1
done
grep -q '^ready' /tmp/spread.out || { cat /tmp/spread.out; fail "ownscen did not get ready"; finish; }
echo "sockets: $(tcpstatectl counts -H | awk '$1 == "Total" {print $2}')"

CG=/sys/fs/cgroup
mountpoint -q $CG 2>/dev/null || mount -t cgroup2 none $CG
echo +memory >$CG/cgroup.subtree_control 2>/dev/null
mkdir -p $CG/memA $CG/memB
if [ ! -f $CG/memA/memory.current ]; then
	rmdir $CG/memA $CG/memB 2>/dev/null
	# The debug lane's kernel (defconfig) has none; its RT variant has.
	debug_kernel && skip "no memory controller in $(uname -r) (make check-debug-rt has one)"
	fail "no memory controller in cgroup2"
	finish
fi

# memory.stat's "kernel" (slab, vmalloc, page tables... charged): unlike
# memory.current it holds neither the processes' own pages nor the 64
# pages a cgroup's first charge takes into a per-CPU stock. Its per-CPU
# counts are flushed every 2 s (FLUSH_TIME), so each reading waits 3 s.
kmem() { awk '$1 == "kernel" { print $2 }' $CG/$1/memory.stat; }
sync
sleep 3
a0=$(cat $CG/memA/memory.current)
b0=$(cat $CG/memB/memory.current)
ka0=$(kmem memA)
kb0=$(kmem memB)
rm -f /tmp/memdep.out
memdeputy 1000 $CG/memA $CG/memB >/tmp/memdep.out 2>&1 &
md=$!
for i in $(seq 1 $((1200 * SLOW))); do
	grep -q '^ready' /tmp/memdep.out && break
	kill -0 $md 2>/dev/null || break
	sleep 0.1
done
cat /tmp/memdep.out
grep -q '^ready' /tmp/memdep.out || fail "memdeputy did not get ready"
sleep 3
a1=$(cat $CG/memA/memory.current)
b1=$(cat $CG/memB/memory.current)
ka1=$(kmem memA)
kb1=$(kmem memB)
held=$(runas 1000 tcpstatectl stats --json | tr ',{}' '\n\n\n' | sed -n 's/.*"user_dump_bytes": *//p')
echo "module: uid 1000's dumps hold ${held:-?} bytes; memory.current: A (requester) +$((a1 - a0)), B (reader) +$((b1 - b0)) bytes"
da=$((ka1 - ka0))
db=$((kb1 - kb0))
echo "memory.stat kernel: A +$da, B +$db bytes"
# The tables grow with the sockets: a quarter of them on the debug lane
# (volume), where 5,000 sockets' dumps hold about 120 KB.
check "the dumps hold something (>= $(volume 256) KiB)" [ "${held:-0}" -ge $(volume 262144) ]
expect_le "requester's cgroup A pays (3/4 of what is held <= A's kernel growth)" \
	"$(( ${held:-1} * 3 / 4 ))" "$da"
expect_le "reader's cgroup B does not (B's kernel growth <= half of what is held)" \
	"$db" "$(( ${held:-1} / 2 ))"

kill $md 2>/dev/null
wait $md 2>/dev/null
kill "$(sed -n 's/^ready //p' /tmp/spread.out)" 2>/dev/null
for p in /proc/[0-9]*; do
	[ "$(cat "$p/comm" 2>/dev/null)" = own-holder ] && kill "${p#/proc/}" 2>/dev/null
done
sleep 1
rmdir $CG/memA $CG/memB 2>/dev/null
finish
