# --all-netns lists and counts every network namespace, however many have
# a private ehash: 200 namespaces (each with its own ehash, a listener and
# 1..5 established pairs), each namespace's sockets compared with what the
# scenario made and, for some, with ss run inside it. A walk that dropped
# namespaces past a fixed number would miss most of them here.
# timeout: 900
. /tests/lib.sh
load_module

N=200
rm -f /tmp/61.ready
sysctl -qw net.ipv4.tcp_child_ehash_entries=16
netnsgen -n $N -p 5000 -r /tmp/61.ready >/tmp/61.log 2>&1 &
gen=$!
deadline=$(( $(cut -d. -f1 /proc/uptime) + 300 * SLOW ))
while [ ! -s /tmp/61.ready ] && kill -0 $gen 2>/dev/null &&
	[ "$(cut -d. -f1 /proc/uptime)" -lt "$deadline" ]; do
	sleep 0.5
done
sysctl -qw net.ipv4.tcp_child_ehash_entries=0
if [ ! -s /tmp/61.ready ]; then
	cat /tmp/61.log
	fail "netnsgen did not build $N namespaces"
	finish
fi
# "INODE SOCKETS PID", one line per namespace.
tail -n +2 /tmp/61.ready | sort >/tmp/61.want
expect_eq "$N namespaces built" "$(wc -l </tmp/61.want)" $N

# Per namespace: the sockets list --all-netns shows, and the totals of
# counts --all-netns; only the scenario's namespaces are compared.
tcpstatectl list --all-netns --tsv -H | cut -f12 | sort | uniq -c |
	awk '{print $2, $1}' >/tmp/61.list
tcpstatectl counts --all-netns --json |
	grep -o '"netns": [0-9]*, "total": [0-9]*' |
	awk '{gsub(",", ""); print $2, $4}' >/tmp/61.counts
compare() {
	awk -v what="$1" 'NR == FNR { got[$1] = $2; next }
		{ n++; if (!($1 in got)) { missing++; if (missing <= 3) print what ": netns " $1 " missing" }
		  else if (got[$1] != $2) { wrong++; if (wrong <= 3) print what ": netns " $1 ": " got[$1] " sockets, want " $2 } }
		END { printf "%s: %d of %d namespaces missing, %d with a wrong count\n", what, missing, n, wrong }' "$2" /tmp/61.want
}
out=$(compare list /tmp/61.list)
echo "$out"
expect_eq "list --all-netns: every namespace, every socket" "$(echo "$out" | tail -n 1)" \
	"list: 0 of $N namespaces missing, 0 with a wrong count"
out=$(compare counts /tmp/61.counts)
echo "$out"
expect_eq "counts --all-netns: every namespace, right totals" "$(echo "$out" | tail -n 1)" \
	"counts: 0 of $N namespaces missing, 0 with a wrong count"

# ss inside every 10th namespace agrees with what --all-netns reported.
bad=0
checked=0
while read -r ino want pid; do
	checked=$((checked + 1))
	[ $((checked % 10)) -eq 1 ] || continue
	ss_n=$(nsenter -t "$pid" -n ss -tanH | wc -l)
	got=$(awk -v i="$ino" '$1 == i {print $2}' /tmp/61.list)
	if [ "$ss_n" != "${got:-0}" ] || [ "$ss_n" != "$want" ]; then
		echo "netns $ino: ss $ss_n, --all-netns ${got:-0}, made $want"
		bad=$((bad + 1))
	fi
done </tmp/61.want
expect_eq "ss inside 20 of the namespaces agrees" "$bad" 0
kill $gen
wait $gen 2>/dev/null
finish
