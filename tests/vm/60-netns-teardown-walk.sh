# --all-netns walks while network namespaces full of TIME_WAIT, listening
# and unaccepted sockets are created and torn down: a namespace's TIME_WAIT
# and request sockets hold no reference on it, so a walk that visits them
# after dropping the bucket lock must pin the namespace itself. Freed
# namespaces are poisoned here (slub_debug=P): a netns inode read from one
# comes out as 0x6b6b6b6b (1802201963); the debug lane's KASAN reports the
# read itself. Both the shared global ehash and private ones are churned.
# The window is between a batch's lock hold and its visit: to make it
# wide, the kernel preempts fully (PREEMPT_DYNAMIC, switched at run time)
# and the listings run at nice 19 on a CPU that a busy loop keeps taking.
# timeout: 600
. /tests/lib.sh
load_module

[ -e /sys/kernel/debug/sched ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null
pmode=/sys/kernel/debug/sched/preempt
old_mode=
if [ -w $pmode ]; then
	old_mode=$(sed 's/.*(\(.*\)).*/\1/' $pmode)
	echo full >$pmode
	echo "preemption: $(cat $pmode)"
fi
taskset 1 sh -c 'while :; do :; done' &
hog=$!

POISON=1802201963
# 45 s of churn, longer on a slower kernel (the debug lane tore down 13
# namespaces in 45 s where 20 are asked for).
churn_s=$((45 * SLOW))
rm -f /tmp/60.*
# Two listing loops until the churn is over, each recording its failures
# and any netns inode read from freed memory.
lister() {
	local name=$1 runs=0 bad=0 poisoned=0
	shift
	while [ ! -e /tmp/60.stop ]; do
		if ! "$@" >/tmp/60.$name.out 2>/tmp/60.$name.err; then
			bad=$((bad + 1))
			head -n 2 /tmp/60.$name.err
		fi
		grep -qE "(^|[^0-9])$POISON([^0-9]|\$)" /tmp/60.$name.out &&
			poisoned=$((poisoned + 1))
		runs=$((runs + 1))
	done
	echo "$runs $bad $poisoned" >/tmp/60.$name.res
}
for ehash in 0 64; do
	# 64: every namespace made from now on gets a private ehash.
	sysctl -qw net.ipv4.tcp_child_ehash_entries=$ehash
	rm -f /tmp/60.stop /tmp/60.*.res
	lister counts taskset 1 tcpstatectl counts --all-netns --by raddr -H &
	lc=$!
	lister list taskset 1 tcpstatectl list --all-netns -p --tsv -H &
	ll=$!
	renice -n 19 -p $lc $ll >/dev/null
	# Up to three rounds, until 20 namespaces were torn down: how many
	# fit in a round depends on the CPU the guest gets (11 and 12 in one
	# round on the RT debug kernel beside a CI run).
	cycles=0 rc=0 round=0
	while [ $round -lt 3 ] && [ "$cycles" -lt 20 ] && [ $rc -eq 0 ]; do
		netnsgen -c "$churn_s" -j 3 -w 40 -p 5000 >/tmp/60.churn 2>&1
		rc=$?
		c=$(kv /tmp/60.churn cycles)
		cycles=$((cycles + ${c:-0}))
		round=$((round + 1))
	done
	touch /tmp/60.stop
	wait $lc $ll
	echo "ehash $ehash: $cycles namespaces torn down in $round round(s); counts: $(cat /tmp/60.counts.res); list: $(cat /tmp/60.list.res) (runs failed poisoned)"
	expect_eq "ehash $ehash: the churn ran" "$rc" 0
	expect_le "ehash $ehash: at least 20 namespaces torn down" 20 "${cycles:-0}"
	for name in counts list; do
		set -- $(cat /tmp/60.$name.res)
		expect_le "ehash $ehash: $name --all-netns ran" 1 "$1"
		expect_eq "ehash $ehash: $name --all-netns never failed" "$2" 0
		expect_eq "ehash $ehash: $name never read a freed namespace" "$3" 0
	done
done
sysctl -qw net.ipv4.tcp_child_ehash_entries=0
kill $hog
wait $hog 2>/dev/null
[ -n "$old_mode" ] && echo "$old_mode" >$pmode
finish
