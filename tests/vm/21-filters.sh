# Every filter, applied in the kernel, returns exactly what the same
# filter returns from ss.
. /tests/lib.sh
fresh_netns

load_module
start_scen a -p 5000 -A 4 estab:12 closewait:8 timewait:6 unaccepted:3 >/dev/null || exit 1
start_scen b -6 -p 6000 estab:5 closewait:4 >/dev/null || exit 1
start_scen c -m -p 7000 estab:4 closewait:2 >/dev/null || exit 1

# same DESCRIPTION "TCPSTATECTL ARGS" "SS ARGS"
same() {
	same_tuples "$1" "ts_tuples $2" "ss_tuples $3"
	echo "    ($(echo "$SAME_WANT" | grep -c .) sockets)"
	[ -n "$SAME_WANT" ] || fail "$1: the oracle is empty, the check proves nothing"
}
same "--sport" "--sport 5000" "sport = :5000"
same "--dport" "--dport 5000" "dport = :5000"
same "--port" "--port 6000" "'( sport = :6000 or dport = :6000 )'"
same "--src address" "--src 127.0.0.2" "src 127.0.0.2"
same "--src prefix" "--src 127.0.0.0/31" "src 127.0.0.0/31"
same "--dst v6" "--dst ::1" "dst [::1]"
same "--src v4 matches v4-mapped" "--src 127.0.0.1 --sport 7000" "src 127.0.0.1 sport = :7000"
same "-4" "-4" "-4"
same "-6" "-6" "-6"
same "-6 with state" "-6 --state close-wait" "-6 state close-wait"
# TIME_WAIT lasts 60 s, and on the debug kernel the checks above take
# longer than that: fresh ones, so that "bucket" has sockets to compare.
start_scen d -p 5100 timewait:4 >/dev/null || exit 1
for g in connected synchronized bucket big all; do
	same "state group $g" "--state $g" "state $g"
done
same "several states" "--state close-wait,time-wait" "state close-wait state time-wait"
same "combined" "--state estab --sport 5000 --dst 127.0.0.3" "state established sport = :5000 dst 127.0.0.3"
# Case and spelling.
expect_eq "CLOSE_WAIT == close-wait" "$(ts_tuples --state CLOSE_WAIT)" "$(ts_tuples --state close-wait)"
expect_empty "nothing matches: no rows" tcpstatectl list -H --sport 1
tcpstatectl list --state bogus >/dev/null 2>/tmp/err
expect_eq "bad state is a usage error" "$?" 2
expect_match "it lists the valid names" "$(cat /tmp/err)" 'valid states:'
finish
