# Owner visibility equals /proc: for every process h2vis starts (same uid
# but not dumpable, same uid with another gid, another uid, same ids but
# more capabilities, root, live closers dumpable or not), list -p names it
# to a requester exactly when that requester can list the process's
# /proc/PID/fd (ls: the directory's DAC, mode 0500 owned by the task, or
# by root when it is not dumpable) and read the links in it (readlink:
# ptrace_may_access, what ss -p reads). Requesters: uid 1000, uid 1000
# with only CAP_NET_ADMIN (which opens neither), with only CAP_SYS_PTRACE
# (the links' check, not the directory's), with only CAP_DAC_READ_SEARCH
# (the directory's, not the links'), root.
. /tests/lib.sh
fresh_netns
load_module

P=7700
h2vis hold $P >/tmp/vis.out 2>&1 &
for i in $(seq 1 $((300 * SLOW))); do
	grep -q '^ready' /tmp/vis.out && break
	sleep 0.1
done
cat /tmp/vis.out
grep -q '^ready' /tmp/vis.out || { fail "h2vis did not get ready"; finish; }

# can_ls WRAPPER PID: the requester may list the process's /proc/PID/fd.
can_ls() {
	# shellcheck disable=SC2086
	$1 ls /proc/$2/fd >/dev/null 2>&1
}
# can_readlink WRAPPER PID FD: and read that fd's link.
can_readlink() {
	# shellcheck disable=SC2086
	$1 readlink /proc/$2/fd/$3 >/dev/null 2>&1
}
# oracle WRAPPER PID FD: /proc shows the requester that fd's socket: it
# may list the directory and read the link.
oracle() {
	can_ls "$1" "$2" && can_readlink "$1" "$2" "$3"
}
yn() { "$@" && echo yes || echo no; }
# shown WRAPPER ARGS...: the Process column of the matching sockets.
shown() {
	local w=$1
	shift
	# shellcheck disable=SC2086
	$w tcpstatectl list -H -p --tsv "$@" | awk -F'\t' '{ print $NF }'
}

REQS="runas 1000|h2vis caps 1000 net_admin|h2vis caps 1000 sys_ptrace|h2vis caps 1000 dac_read_search|env"
reqname() {
	case "$1" in
	"runas 1000") echo uid1000 ;;
	"h2vis caps 1000 "*) echo "${1##* }" ;;
	env) echo root ;;
	esac
}
checks=0
mismatches=0
IFS='|'
set -- $REQS
unset IFS
for req in "$@"; do
	name=$(reqname "$req")
	while read -r kind comm pid fd lport; do
		[ "$kind" = hold ] || continue
		got=$(shown "$req" --state estab --sport "$lport")
		echo "  $name: $comm: ls /proc/$pid/fd $(yn can_ls "$req" "$pid")," \
			"readlink $(yn can_readlink "$req" "$pid" "$fd"); list -p: $got"
		if oracle "$req" "$pid" "$fd"; then
			[ "$got" = "$pid/$comm" ] || mismatches=$((mismatches + 1))
			expect_eq "$name sees $comm, as /proc lets it" "$got" "$pid/$comm"
		else
			[ "$got" = "(hidden)" ] || mismatches=$((mismatches + 1))
			expect_eq "$name does not see $comm, as /proc does not" "$got" "(hidden)"
			expect_eq "$name cannot select $comm by pid" \
				"$($req tcpstatectl list -H --pid "$pid" --state estab --sport "$lport")" ""
		fi
		checks=$((checks + 1))
	done </tmp/vis.out
	# Live closers: the same rule; the closer still holds its other fd.
	while read -r kind comm pid lport; do
		[ "$kind" = closed ] || continue
		fd=$(awk -v c="$comm" '$1 == "hold" && $2 == c { print $4 }' /tmp/vis.out)
		got=$(shown "$req" --state fin-wait-2 --sport "$lport")
		echo "  $name: closer $comm: ls $(yn can_ls "$req" "$pid")," \
			"readlink $(yn can_readlink "$req" "$pid" "$fd"); list -p: $got"
		if oracle "$req" "$pid" "$fd"; then
			[ "$got" = "closed-by $pid/$comm" ] || mismatches=$((mismatches + 1))
			expect_eq "$name sees closer $comm" "$got" "closed-by $pid/$comm"
		else
			[ "$got" = "(closed by a hidden process)" ] || mismatches=$((mismatches + 1))
			expect_eq "$name does not see closer $comm" "$got" "(closed by a hidden process)"
		fi
		checks=$((checks + 1))
	done </tmp/vis.out
done
echo "list -p disagreed with /proc in $mismatches of $checks cases"
expect_eq "checked 8 holders and 2 closers for 5 requesters" $checks 50

# counts --by process names exactly the processes list -p names.
for req in "runas 1000" "h2vis caps 1000 net_admin" "h2vis caps 1000 sys_ptrace" \
	"h2vis caps 1000 dac_read_search"; do
	named=$($req tcpstatectl counts --by process --json --state estab |
		grep -o '"key": "[0-9]*/h2v-[a-z]*"' | sed 's/.*"\([0-9]*\/h2v-[a-z]*\)"/\1/' | sort)
	listed=$(shown "$req" --state estab | tr ',' '\n' | sed 's/ (+hidden)$//' |
		grep '/h2v-' | sort -u)
	expect_eq "$req: counts --by process names what list -p names" "$named" "$listed"
done
finish
