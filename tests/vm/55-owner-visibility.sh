# Owner visibility equals /proc: for every process h2vis starts (same uid
# but not dumpable, same uid with another gid, another uid, same ids but
# more capabilities, root, live closers dumpable or not), list -p names it
# to a requester exactly when that requester can read the process's
# /proc/PID/fd links (readlink, what ss -p reads). Requesters: uid 1000,
# uid 1000 with CAP_NET_ADMIN (which does not open /proc/PID/fd), root.
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

# oracle WRAPPER PID FD: the requester may read the process's fd links.
oracle() {
	local pid=$2 fd=$3
	# shellcheck disable=SC2086
	$1 readlink /proc/$pid/fd/$fd >/dev/null 2>&1
}
# shown WRAPPER ARGS...: the Process column of the matching sockets.
shown() {
	local w=$1
	shift
	# shellcheck disable=SC2086
	$w tcpstatectl list -n -p --tsv "$@" | awk -F'\t' '{ print $NF }'
}

checks=0
for req in "runas 1000" "h2vis netadmin 1000" "env"; do
	name=${req%% *}
	[ "$req" = "h2vis netadmin 1000" ] && name=netadmin
	[ "$req" = env ] && name=root
	while read -r kind comm pid fd lport; do
		[ "$kind" = hold ] || continue
		got=$(shown "$req" --state estab --sport "$lport")
		echo "  $name: /proc/$pid/fd: ls $($req ls /proc/$pid/fd >/dev/null 2>&1 && echo yes || echo no)," \
			"readlink $(oracle "$req" "$pid" "$fd" && echo yes || echo no); list -p: $got"
		if oracle "$req" "$pid" "$fd"; then
			expect_eq "$name sees $comm, as /proc lets it" "$got" "$pid/$comm"
		else
			expect_eq "$name does not see $comm, as /proc does not" "$got" "(hidden)"
			expect_eq "$name cannot select $comm by pid" \
				"$($req tcpstatectl list -n --pid "$pid" --state estab --sport "$lport")" ""
		fi
		checks=$((checks + 1))
	done </tmp/vis.out
	# Live closers: the same rule; the closer still holds its other fd.
	while read -r kind comm pid lport; do
		[ "$kind" = closed ] || continue
		fd=$(awk -v c="$comm" '$1 == "hold" && $2 == c { print $4 }' /tmp/vis.out)
		got=$(shown "$req" --state fin-wait-2 --sport "$lport")
		if oracle "$req" "$pid" "$fd"; then
			expect_eq "$name sees closer $comm" "$got" "closed-by $pid/$comm"
		else
			expect_eq "$name does not see closer $comm" "$got" "(closed by a hidden process)"
		fi
		checks=$((checks + 1))
	done </tmp/vis.out
done
expect_eq "checked 8 holders and 2 closers for 3 requesters" $checks 30

# counts --by process names exactly the processes list -p names.
for req in "runas 1000" "h2vis netadmin 1000"; do
	named=$($req tcpstatectl counts --by process --json --state estab |
		grep -o '"key": "[0-9]*/h2v-[a-z]*"' | sed 's/.*"\([0-9]*\/h2v-[a-z]*\)"/\1/' | sort)
	listed=$(shown "$req" --state estab | tr ',' '\n' | sed 's/ (+hidden)$//' |
		grep '/h2v-' | sort -u)
	expect_eq "$req: counts --by process names what list -p names" "$named" "$listed"
done
finish
