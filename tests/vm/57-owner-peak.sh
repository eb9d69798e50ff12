# The owner table's peak fits in the user's budget: while list -p builds
# the table it holds more than it keeps (a doubled array is there twice;
# sorting holds the refs twice, plus the index; each accept queue read
# has its own array), and all of that counts against user_dump_kb, not
# only what the finished table keeps. uid 1000 lists -p on a netns of
# 2 * PAIRS TCP fds, all its own (a scan skips the processes it may not
# see, 58-owner-skip): H = what a finished dump holds (user_dump_bytes of
# one unread dump); the smallest budget list -p gets through with
# (bisected) must be at least H plus the sort's second copy of the refs
# (16 bytes a ref); a budget just above H is refused with the budget's
# extack message; root (exempt) still lists.
# timeout: 900
. /tests/lib.sh
fresh_netns
load_module

B=7820
PAIRS=$(volume 3000)
NREFS=$((2 * PAIRS))
PARAM=/sys/module/tcpstate/parameters/user_dump_kb
# uid 1000's own: its hard fd limit raised first, for ownscen's setrlimit.
sh -c "ulimit -n $((2 * PAIRS + 1024)) && exec runas 1000 ownscen spread $B 4 $PAIRS" \
	>/tmp/peak.out 2>&1 &
for i in $(seq 1 $((3000 * SLOW))); do
	grep -q '^ready' /tmp/peak.out 2>/dev/null && break
	sleep 0.1
done
grep -q '^ready' /tmp/peak.out || { cat /tmp/peak.out; fail "ownscen did not get ready"; finish; }
echo "TCP sockets in the netns: $(tcpstatectl counts -H | awk '$1 == "Total" {print $2}')"

held() {
	runas 1000 tcpstatectl stats --json | tr ',{}' '\n\n\n' |
		sed -n 's/.*"user_dump_bytes": *//p'
}
# What one finished -p dump holds: one dump started and never read.
runas 1000 h1pin 1 sock >/tmp/pin.out 2>&1 &
pin=$!
for i in $(seq 1 $((600 * SLOW))); do
	grep -q '^ready' /tmp/pin.out && break
	sleep 0.1
done
cat /tmp/pin.out
H=$(held)
kill $pin 2>/dev/null
wait $pin 2>/dev/null
echo "a finished list -p dump holds H=${H:-?} bytes ($NREFS refs)"
check "one unread dump held something" test "${H:-0}" -gt $((NREFS * 16))
H=${H:-0}

# try KB: uid 1000's list -p with user_dump_kb=KB: 0 listed, 1 refused
# by the budget, 2 another error.
try() {
	echo "$1" >$PARAM
	if runas 1000 tcpstatectl list -H -p --tsv >/tmp/peak.list 2>/tmp/peak.err; then
		return 0
	fi
	grep -q 'memory budget' /tmp/peak.err && return 1
	cat /tmp/peak.err
	return 2
}

lo=$((H / 1024))
hi=$((4 * H / 1024 + 64))
try $hi
r=$?
expect_eq "list -p with a budget of $hi KiB (4 H) gets through" $r 0
if [ $r -eq 0 ]; then
	while [ $((hi - lo)) -gt 4 ]; do
		mid=$(((lo + hi) / 2))
		try $mid
		r=$?
		[ $r -eq 2 ] && { fail "list -p failed other than by the budget"; break; }
		if [ $r -eq 0 ]; then hi=$mid; else lo=$mid; fi
	done
	echo "smallest budget list -p gets through with: $hi KiB (H = $((H / 1024)) KiB)"
	# The sort holds the table's refs twice (minus the dump's own state).
	check "that budget covers the build's peak (>= H + 16 bytes a ref - 4 KiB)" \
		test $((hi * 1024)) -ge $((H + NREFS * 16 - 4096))
fi

just=$(((H + 8191) / 1024))
try $just
r=$?
expect_eq "a budget of $just KiB (H + 8 KiB) is refused by the budget (1), not met (0)" $r 1
grep -o 'memory budget.*' /tmp/peak.err | head -n 1
expect_eq "nothing left held" "$(held)" 0
expect_match "root still lists with owners" \
	"$(tcpstatectl list -H -p --sport $B 2>&1 | head -n 1)" "own-holder"

# For the record: the memory cgroup's peak of one list -p by uid 1000
# (its tool's memory included) with the default budget.
echo 8192 >$PARAM
CG=/sys/fs/cgroup
mountpoint -q $CG 2>/dev/null || mount -t cgroup2 none $CG
echo +memory >$CG/cgroup.subtree_control 2>/dev/null
mkdir -p $CG/peak57
if [ -e $CG/peak57/memory.peak ]; then
	sh -c "echo \$\$ >$CG/peak57/cgroup.procs && exec runas 1000 tcpstatectl list -H -p --tsv" >/dev/null
	echo "memcg peak of one list -p: $(cat $CG/peak57/memory.peak) bytes"
fi
rmdir $CG/peak57 2>/dev/null

kill "$(sed -n 's/^ready //p' /tmp/peak.out)" 2>/dev/null
for p in /proc/[0-9]*; do
	[ "$(cat "$p/comm" 2>/dev/null)" = own-holder ] && kill "${p#/proc/}" 2>/dev/null
done
finish
