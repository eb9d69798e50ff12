# An unprivileged owner scan does not read the fd tables of processes it
# may not see: uid 1000's list -p and counts --by process decide /proc
# visibility first and skip other users' processes without taking their
# task_lock, files->file_lock or accept-queue locks. Observable: what the
# scan collects is charged to uid 1000's budget (user_dump_kb), and only
# an fd table read under those locks can add a ref. Root's h2bigfd holds
# NFDS fds, every one a dup of one of 2 loopback connections' ends (NFDS
# TCP fds: a table of 16 bytes a ref, twice that while sorted). With
# user_dump_kb at BUDGET KiB, far below that and far above what uid 1000's
# own view needs, uid 1000 still lists, sees those sockets as hidden, and
# root still names their owner. A scan that reads root's table first and
# judges visibility afterwards is refused by the budget.
# timeout: 600
. /tests/lib.sh
fresh_netns
load_module

P=7960
NFDS=$(volume 40000)
BUDGET=512
PARAM=/sys/module/tcpstate/parameters/user_dump_kb
old_kb=$(cat $PARAM)
h2bigfd $P $NFDS 2 1 >/tmp/skip.out 2>&1 &
wait_for 240000 grep -q '^ready' /tmp/skip.out
cat /tmp/skip.out
grep -q '^ready' /tmp/skip.out || { fail "h2bigfd did not get ready"; finish; }
pid=$(awk '$1 == "ready" { print $2 }' /tmp/skip.out)
echo "h2bigfd (root) holds $(ls /proc/$pid/fd | wc -l) fds"

echo $BUDGET >$PARAM
t0=$(uptime_ms)
runas 1000 tcpstatectl list -H -p --tsv --sport $P >/tmp/skip.list 2>/tmp/skip.err
rc=$?
t1=$(uptime_ms)
cat /tmp/skip.err
echo "uid 1000's list -p: exit $rc in $((t1 - t0)) ms"
expect_eq "uid 1000's list -p within $BUDGET KiB (not charged for root's fd table)" $rc 0
expect_eq "uid 1000 sees root's sockets as hidden" \
	"$(awk -F'\t' '{ print $NF }' /tmp/skip.list | sort -u)" "(hidden)"
expect_eq "both ends of both connections listed" "$(wc -l </tmp/skip.list)" 2
# Said in the answer: "(hidden)" here also covers "nobody".
expect_match "uid 1000's answer says its scan was partial" \
	"$(runas 1000 tcpstatectl list -H -p --json --sport $P 2>&1)" '"owners_partial": true'
out=$(runas 1000 tcpstatectl counts --by process --json --state estab 2>&1)
rc=$?
echo "$out" | head -c 400
echo
expect_eq "uid 1000's counts --by process within $BUDGET KiB" $rc 0
expect_match "uid 1000's counts group root's as hidden" "$out" '"key": "\(hidden\)"'
held=$(runas 1000 tcpstatectl stats --json | tr ',{}' '\n\n\n' | sed -n 's/.*"user_dump_bytes": *//p')
expect_eq "nothing left held by uid 1000" "$held" 0

t0=$(uptime_ms)
got=$(tcpstatectl list -H -p --tsv --sport $P | awk -F'\t' '{ print $NF }' | sort -u)
t1=$(uptime_ms)
echo "root's list -p (reads h2bigfd's table): $((t1 - t0)) ms"
expect_eq "root (exempt, may see it) names the owner" "$got" "$pid/h2bigfd"
check "root's answer is whole (no owners_partial)" \
	sh -c "! tcpstatectl list -H -p --json --sport $P | grep -q owners_partial"
echo "$old_kb" >$PARAM
kill $pid
finish
