# Results are scoped to the caller's network namespace, with the shared
# global ehash and with a private per-netns ehash alike.
# timeout: 400
. /tests/lib.sh
# The "host" is a namespace of its own: its orphans then outlive a slow
# guest's case (fresh_netns), and the shared/private ehash modes apply
# to the namespaces it creates just the same.
fresh_netns

load_module
start_scen host -p 5000 estab:3 closewait:2 >/dev/null || exit 1
host_list=$(ts_tuples)

inside() {
	unshare -n sh -c '
		. /tests/lib.sh
		ip link set lo up
		# start_scen waits for the scenario as long as a slow guest needs
		# (a fixed 10 s did not scale with SLOW).
		scen=$(start_scen ns -p 5000 estab:7 closewait:5) || exit 1
		echo "ts: $(ts_counts | tr "\n" " ")"
		echo "ss: $(ss_counts | tr "\n" " ")"
		# Every field, the namespace included (ss_rows: ss shows this
		# namespace only).
		echo "rows-equal: $([ "$(ts_rows)" = "$(ss_rows)" ] && echo yes || echo no)"
		echo "netns: $(readlink /proc/self/ns/net | tr -dc 0-9)"
		echo "json-netns: $(tcpstatectl list --json | grep -o "\"netns\": [0-9]*" | sort -u | cut -d" " -f2)"
		echo "proc: $(grep -E "^(ESTABLISHED|CLOSE_WAIT) " /proc/net/tcpstate | tr -s " " | tr "\n" " ")"
		echo "ehash: $(sysctl -n net.ipv4.tcp_ehash_entries)"
		kill $scen
	'
}
for mode in shared private; do
	if [ $mode = private ]; then
		sysctl -qw net.ipv4.tcp_child_ehash_entries=1024
	fi
	out=$(inside)
	echo "$out"
	ts=$(echo "$out" | sed -n 's/^ts: //p')
	expect_eq "$mode ehash: counts inside equal ss inside" "$ts" "$(echo "$out" | sed -n 's/^ss: //p')"
	expect_eq "$mode ehash: only the namespace's sockets" "$ts" "CLOSE_WAIT 5 ESTABLISHED 14 FIN_WAIT2 5 LISTEN 1 "
	expect_eq "$mode ehash: every field of every socket equals ss inside" "$(echo "$out" | sed -n 's/^rows-equal: //p')" yes
	expect_eq "$mode ehash: JSON netns is the child's" "$(echo "$out" | sed -n 's/^json-netns: //p')" "$(echo "$out" | sed -n 's/^netns: //p')"
	expect_eq "$mode ehash: proc counts inside" "$(echo "$out" | sed -n 's/^proc: //p')" "ESTABLISHED 14 CLOSE_WAIT 5 "
	expect_eq "$mode ehash: host view unchanged" "$(ts_tuples)" "$host_list"
	eh=$(echo "$out" | sed -n 's/^ehash: //p')
	if [ $mode = private ]; then
		expect_eq "the namespace owns a 1024-bucket ehash" "$eh" 1024
	else
		expect_le "the namespace shares the global ehash" "$eh" -1
	fi
done
sysctl -qw net.ipv4.tcp_child_ehash_entries=0

# --all-netns (initial-namespace admin): both namespaces, each socket tagged.
# The other namespace's scenario lives until the listing is done (a fixed
# life was too short for the debug kernel).
rm -f /tmp/ns2.ready /tmp/ns2.done /tmp/ns2.ss /tmp/ns2.id
unshare -n sh -c '
	. /tests/lib.sh
	ip link set lo up
	scen=$(start_scen ns2 -p 5000 estab:2) || exit 1
	readlink /proc/self/ns/net | tr -dc 0-9 >/tmp/ns2.id
	ss -tanH | wc -l >/tmp/ns2.ss.tmp
	mv /tmp/ns2.ss.tmp /tmp/ns2.ss
	while [ ! -e /tmp/ns2.done ]; do sleep 0.1; done
	kill "$scen"
' &
bg=$!
deadline=$(( $(cut -d. -f1 /proc/uptime) + 60 * SLOW ))
while [ ! -s /tmp/ns2.ss ] && [ "$(cut -d. -f1 /proc/uptime)" -lt "$deadline" ]; do
	sleep 0.1
done
# Both namespaces by name, each with all its sockets (not merely "two
# namespaces": a leftover of an earlier case would make two).
tcpstatectl list --all-netns --tsv -H >/tmp/all.tsv || fail "list --all-netns failed"
touch /tmp/ns2.done
me=$(readlink /proc/self/ns/net | tr -dc 0-9)
ns2=$(cat /tmp/ns2.id 2>/dev/null)
expect_eq "--all-netns: the other namespace's sockets, as ss counted them inside" \
	"$(awk -F'\t' -v n="${ns2:-none}" '$12 == n' /tmp/all.tsv | wc -l)" "$(cat /tmp/ns2.ss 2>/dev/null)"
expect_eq "--all-netns: this namespace's sockets, as ss counts them" \
	"$(awk -F'\t' -v n="$me" '$12 == n' /tmp/all.tsv | wc -l)" "$(ss -tanH | wc -l)"
wait $bg
finish
