# One real user's dumps stay within one budget however many user
# namespaces and mapped ids it has. uid 1000 gets a user namespace with 4
# subordinate ids mapped (as newuidmap does for /etc/subuid), so its
# processes run as 5 different kuids; each of them starts 32 unread
# GET_COUNTS by process dumps over 20,000 sockets. At most user_dumps (16)
# may be in flight in all, and what they hold (charged to the memory
# cgroup they run in) stays within user_dump_kb (8 MiB) plus the
# processes' own memory.
# timeout: 900
. /tests/lib.sh
load_module

B=8600
PAIRS=$(volume 10000)
rm -f /tmp/spread.out
ownscen spread $B $(volume 200) $PAIRS >/tmp/spread.out 2>&1 &
for i in $(seq 1 $((3000 * SLOW))); do
	grep -q '^ready' /tmp/spread.out 2>/dev/null && break
	sleep 0.1
done
grep -q '^ready' /tmp/spread.out || { cat /tmp/spread.out; fail "ownscen did not get ready"; finish; }
echo "sockets: $(tcpstatectl counts -H | awk '$1 == "Total" {print $2}')"

CG=/sys/fs/cgroup
mountpoint -q $CG 2>/dev/null || mount -t cgroup2 none $CG
echo +memory >$CG/cgroup.subtree_control 2>/dev/null
mkdir -p $CG/nsb
K=4
OUT=/tmp/nsb
rm -rf $OUT
mkdir -m 1777 $OUT
sync
m0=$(cat $CG/nsb/memory.current 2>/dev/null || echo 0)
sh -c "echo \$\$ >$CG/nsb/cgroup.procs && exec nsbudget 1000 $K 32 counts $OUT"
for i in $(seq 1 $((1200 * SLOW))); do
	[ "$(cat $OUT/nsbudget.* 2>/dev/null | grep -c '^ready')" -ge $((K + 1)) ] && break
	sleep 0.1
done
grep . $OUT/nsbudget.*
m1=$(cat $CG/nsb/memory.current 2>/dev/null || echo 0)
accepted=$(cat $OUT/nsbudget.* | sed -n 's/^accepted=\([0-9]*\).*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
ready=$(cat $OUT/nsbudget.* | grep -c '^ready')
st() { runas "$1" tcpstatectl stats --json | tr ',{}' '\n\n\n' | sed -n "s/.*\"$2\": *//p"; }
per=""
for u in 1000 $(seq 100000 $((100000 + K - 1))); do
	per="$per $u:$(st $u user_dumps)/$(st $u user_dump_bytes)"
done
echo "module, kuid:dumps/bytes:$per"
echo "dumps in flight in all: $accepted; memcg of the namespace's processes: +$((m1 - m0)) bytes"
expect_eq "all $((K + 1)) kuids started their dumps" "$ready" $((K + 1))
expect_le "dumps in flight across the namespace's kuids (user_dumps)" "$accepted" 16
if [ -f $CG/nsb/memory.current ]; then
	# 8 MiB of dumps plus the 5 processes' own memory (static binaries).
	expect_le "memory they pin in all (user_dump_kb + 4 MiB)" "$((m1 - m0))" $((12 * 1024 * 1024))
else
	# The debug lane's defconfig kernel has no memory controller: the
	# module's own accounting of the folded owner, uid 1000, instead.
	debug_kernel || fail "no memory controller in cgroup2"
	expect_le "what uid 1000's budget holds for all of them (user_dump_kb)" \
		"$(st 1000 user_dump_bytes)" $(($(cat /sys/module/tcpstate/parameters/user_dump_kb) * 1024))
fi

for f in $OUT/nsbudget.*; do
	kill "$(sed -n 's/^ready //p' $f)" 2>/dev/null
done
sleep 1
expect_eq "nothing left held by uid 1000" "$(st 1000 user_dump_bytes)" 0
kill "$(sed -n 's/^ready //p' /tmp/spread.out)" 2>/dev/null
for p in /proc/[0-9]*; do
	[ "$(cat "$p/comm" 2>/dev/null)" = own-holder ] && kill "${p#/proc/}" 2>/dev/null
done
rmdir $CG/nsb 2>/dev/null
finish
