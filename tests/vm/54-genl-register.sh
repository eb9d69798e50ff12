# A dump's setup (owner scan, table walk, sort) must not run under
# genetlink's host-wide cb_lock. genl_rcv() holds it for reading around
# every request, and netlink runs a dump's .start and first .dumpit inside
# that sendmsg(); registering or unregistering any genl family (modprobe
# of team, wireguard, macsec...) takes it for writing, and while that
# writer waits every new genl request on the host queues behind it. So
# while uid 1000 loops list -p and counts --by process over 20,000
# sockets of its own 200 processes (so that its owner scan reads every
# fd), root loads and unloads team.ko (a genl family) and genlping times
# nlctrl GETFAMILY from another process. The loops run at nice 19, so the
# registrations get a CPU whenever they can run: what they wait for is
# the lock. They must stay near their idle time, far below the length of
# one setup (seconds under TCG).
# timeout: 900
. /tests/lib.sh
load_module
if [ ! -f /lib/tcpstate/team.ko ]; then
	# The debug lane's kernel (defconfig) builds no team; its RT variant
	# does. What this case measures is lock waits, not memory safety: the
	# same list -p and counts --by loops run under KASAN in 50-53.
	debug_kernel && skip "no team.ko in $(uname -r) (make check-debug-rt has it)"
	fail "no team.ko in the guest (tests/qemu/mkinitramfs.sh)"
	finish
fi

B=8200
PAIRS=$(volume 10000)
PROCS=$(volume 200)
rm -f /tmp/spread.out
# uid 1000 may not raise its own hard limit: root raises it for it.
ulimit -n $((2 * PAIRS + 1024))
runas 1000 ownscen spread $B $PROCS $PAIRS >/tmp/spread.out 2>&1 &
for i in $(seq 1 $((3000 * SLOW))); do
	grep -q '^ready' /tmp/spread.out 2>/dev/null && break
	sleep 0.1
done
grep -q '^ready' /tmp/spread.out || { cat /tmp/spread.out; fail "ownscen did not get ready"; finish; }
echo "sockets: $(tcpstatectl counts -H | awk '$1 == "Total" {print $2}')"

reg='insmod /lib/tcpstate/team.ko && rmmod team'
idle=$(timeit -n 10 -w 1 "$reg")
echo "register+unregister idle (ms min median max): $idle"
ping_idle=$(genlping -n 200 -i 2000)
echo "nlctrl idle:   $ping_idle"

rm -f /tmp/load.list /tmp/load.counts
runas 1000 sh -c 'while :; do tcpstatectl list -p >/dev/null; echo >>/tmp/load.list; done' &
l1=$!
runas 1000 sh -c 'while :; do tcpstatectl counts --by process >/dev/null; echo >>/tmp/load.counts; done' &
l2=$!
# Each loop's shell (runas execs it) and whatever it starts from now on.
renice 19 -p $l1 $l2 >/dev/null
sleep 2
genlping -n 300 -i 2000 >/tmp/ping.out 2>&1 &
pp=$!
loaded=$(timeit -n 20 -w 0 "$reg")
wait $pp
ping_loaded=$(cat /tmp/ping.out)
echo "register+unregister under load (ms min median max): $loaded"
echo "nlctrl under load: $ping_loaded"
kill $l1 $l2
wait $l1 $l2 2>/dev/null
rmmod team 2>/dev/null
rounds_list=$(cat /tmp/load.list 2>/dev/null | wc -l)
rounds_counts=$(cat /tmp/load.counts 2>/dev/null | wc -l)
echo "rounds under load: list -p $rounds_list, counts --by process $rounds_counts"

check "the load ran (list -p rounds: $rounds_list)" [ "$rounds_list" -ge 1 ]
check "the load ran (counts rounds: $rounds_counts)" [ "$rounds_counts" -ge 1 ]
# Generous: the loops and genlping share two vCPUs, so scheduling alone
# costs tens of ms; a setup under cb_lock costs a whole owner scan.
ms() { echo "$1" | awk -v f=$2 '{ printf "%d", $f }'; }
# Relative to the idle figures, as the host's load moves both.
expect_le "team register+unregister median under load (ms, <= 2 idle medians + slack)" \
	"$(ms "$loaded" 2)" "$(( 2 * $(ms "$idle" 2) + $(late 150 150) ))"
# The max moves with the host's own stalls under TCG (seen: 2.5 s after
# the fix, 1.6 s before it); bounded only against a hang.
expect_le "team register+unregister max under load (ms, hang guard)" \
	"$(ms "$loaded" 3)" "$(late 5000 5000)"
# Wider than 51's: a registration holds cb_lock for writing itself, and
# nlctrl waits for it 20 times here.
expect_le "nlctrl max under load (us)" "$(genl_field "$ping_loaded" max)" "$(genl_bound 300 "$ping_idle" max)"
expect_le "nlctrl p99 under load (us)" "$(genl_field "$ping_loaded" p99)" "$(genl_bound 50 "$ping_idle" p99)"

kill "$(sed -n 's/^ready //p' /tmp/spread.out)" 2>/dev/null
for p in /proc/[0-9]*; do
	[ "$(cat "$p/comm" 2>/dev/null)" = own-holder ] && kill "${p#/proc/}" 2>/dev/null
done
finish
