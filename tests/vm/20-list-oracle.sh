# The mission's situations, IPv4, IPv6 and IPv4-mapped: tcpstatectl counts
# equal ss's per-state counts, and list --state X returns exactly the
# 4-tuples of ss -tan state X, for every state present.
. /tests/lib.sh
fresh_netns

load_module
start_scen v4 -p 5000 estab:20 closewait:15 finwait2:7 timewait:12 unaccepted:5 >/dev/null || exit 1
start_scen v6 -6 -p 6000 estab:6 closewait:4 timewait:3 >/dev/null || exit 1
start_scen mapped -m -p 7000 estab:5 closewait:3 >/dev/null || exit 1

ssc=$(ss_counts)
tsc=$(ts_counts)
echo "ss:"; echo "$ssc"
echo "tcpstatectl:"; echo "$tsc"
expect_eq "per-state counts equal ss" "$tsc" "$ssc"
expect_match "34 CLOSE_WAIT sockets" "$tsc" 'CLOSE_WAIT 34'

# Every state the scenarios make, each non-empty (an empty pair of lists
# would prove nothing). Request sockets (SYN_RECV): 28-request-socks.
for st in established listening close-wait fin-wait-2 time-wait; do
	same_tuples "list --state $st equals ss state $st" "ts_tuples --state $st" "ss_tuples state $st"
	n=$(echo "$SAME_WANT" | grep -c .)
	expect_le "ss has $st sockets to compare ($n)" 1 "$n"
done
# The whole table, every state at once.
same_tuples "full list equals ss -tan" ts_tuples ss_tuples

# IPv6 in brackets, mapped addresses as ss prints them.
expect_match "IPv6 peer in brackets" "$(tcpstatectl list -6 -n --state estab)" '\[::1\]:6000'
expect_match "v4-mapped shown as ::ffff:" "$(tcpstatectl list -n --state estab --sport 7000)" '\[::ffff:127\.0\.0\.1\]:7000'

# JSON: exactly the documented keys, valid per socket.
json=$(tcpstatectl list --json --state close-wait --sport 5000)
n=$(echo "$json" | grep -c '"state": "CLOSE_WAIT"')
expect_eq "JSON lists the 15+7 CLOSE_WAIT sockets of port 5000" "$n" 22
for k in family state local_addr local_port remote_addr remote_port recv_q send_q uid inode age_ms age_is_lower_bound netns; do
	expect_eq "JSON key $k on every object" "$(echo "$json" | grep -c "\"$k\": ")" "$n"
done
expect_match "JSON is an array" "$(echo "$json" | head -c 1)$(echo "$json" | tail -c 2)" '^\[\]$'
# TSV: stable columns.
tsv=$(tcpstatectl list --tsv --state close-wait --sport 5000)
expect_eq "TSV header" "$(echo "$tsv" | head -n 1)" "$(printf 'state\trecv_q\tsend_q\tlocal_addr\tlocal_port\tremote_addr\tremote_port\tuid\tinode\tage_ms\tage_is_lower_bound\tnetns\tfamily')"
expect_eq "TSV rows have 13 columns" "$(echo "$tsv" | awk -F'\t' 'NF != 13' | wc -l)" 0
expect_eq "TSV row count" "$(echo "$tsv" | tail -n +2 | wc -l)" 22
# Inode and uid of every connected socket of port 5000 equal ss -e's (ss
# prints uid:N only when it is not 0; the scenarios run as root).
ss -tanHe sport = :5000 >/tmp/ss-e.out || fail "ss -tanHe failed"
ss_iu=$(awk '$1 != "LISTEN" { ino = 0; uid = 0
	for (i = 1; i <= NF; i++) {
		if ($i ~ /^ino:/) ino = substr($i, 5)
		if ($i ~ /^uid:/) uid = substr($i, 5)
	}
	print $4, $5, ino, uid }' /tmp/ss-e.out | sort)
tcpstatectl list --tsv -n --sport 5000 >/tmp/ts-e.out || fail "list --tsv failed"
ts_iu=$(awk -F'\t' '$1 != "LISTEN" { print $4 ":" $5, $6 ":" $7, $9, $8 }' /tmp/ts-e.out | sort)
expect_le "ss lists port 5000's sockets ($(echo "$ss_iu" | grep -c .))" 20 "$(echo "$ss_iu" | grep -c .)"
expect_eq "address, inode and uid of every port-5000 socket equal ss -e" "$ts_iu" "$ss_iu"
finish
