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

for st in established listening close-wait fin-wait-2 time-wait syn-recv; do
	same_tuples "list --state $st equals ss state $st" "ts_tuples --state $st" "ss_tuples state $st"
	echo "    ($(echo "$SAME_WANT" | grep -c .) sockets)"
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
# Inode and uid match ss -e for a CLOSE_WAIT socket.
ino=$(ss -tanHe state close-wait sport = :5000 | head -n 1 | grep -o 'ino:[0-9]*' | cut -d: -f2)
check "inode $ino reported by tcpstatectl" sh -c "tcpstatectl list --tsv -n --state close-wait | cut -f9 | grep -qx '$ino'"
finish
