# Every column of the list table against ss and the TSV output, the uid of
# sockets an ordinary user owns (as root and as that user sees them), and
# /proc/net/tcpstate's request-socket line. Written for the mutation lane
# (tests/mutants/): a swapped UID/Inode column, a uid taken from the
# requester instead of the socket, and a /proc table that drops its last
# state passed every other case, all of whose sockets belong to root.
. /tests/lib.sh
fresh_netns

ip route add 10.99.0.0/24 dev lo
sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.lo.rp_filter=0 2>/dev/null
load_module
start_scen root81 -p 5810 estab:3 closewait:2 >/dev/null || exit 1
# uid 1000's own sockets (start_scen runs tcpscen as root).
rm -f /tmp/u81.ready
runas 1000 tcpscen -r /tmp/u81.ready -p 5820 estab:3 closewait:2 >/tmp/u81.log 2>&1 &
deadline=$(( $(cut -d. -f1 /proc/uptime) + 60 * SLOW ))
while [ ! -s /tmp/u81.ready ] && [ "$(cut -d. -f1 /proc/uptime)" -lt "$deadline" ]; do
	sleep 0.1
done
[ -s /tmp/u81.ready ] || { fail "uid 1000's tcpscen did not get ready: $(cat /tmp/u81.log)"; finish; }
start_scen syn81 -p 5830 -b 64 synrecv:4 >/dev/null || exit 1

# "local peer inode uid" of the connected sockets of a port, from ss -e
# (which prints uid:N only when it is not 0).
ss_iu() {
	ss -tanHe "( sport = :$1 or dport = :$1 )" | awk '$1 != "LISTEN" { ino = 0; uid = 0
		for (i = 1; i <= NF; i++) {
			if ($i ~ /^ino:/) ino = substr($i, 5)
			if ($i ~ /^uid:/) uid = substr($i, 5)
		}
		print $4, $5, ino, uid }' | sort
}
# The same from the table: State Recv-Q Send-Q Local Peer Age UID Inode.
ts_iu() {
	"$@" tcpstatectl list -H --port "$P" | awk '$1 != "LISTEN" { print $4, $5, $8, $7 }' | sort
}
for P in 5810 5820; do
	want=$(ss_iu $P)
	n=$(echo "$want" | grep -c .)
	expect_le "ss lists port $P's connected sockets ($n)" 10 "$n"
	expect_eq "port $P: table's Inode and UID columns equal ss -e, as root" "$(ts_iu)" "$want"
	expect_eq "port $P: the same as uid 1000" "$(ts_iu runas 1000)" "$want"
done
expect_match "uid 1000's sockets have uid 1000" "$(ss_iu 5820 | awk '{print $4}' | sort -u)" '^1000$'

# The table's columns equal the TSV's, row for row (same dump order).
tcpstatectl list -H >/tmp/t81.table || fail "list failed"
tcpstatectl list --tsv -H >/tmp/t81.tsv || fail "list --tsv failed"
tab=$(awk '{ print $1, $2, $3, $7, $8 }' /tmp/t81.table | sort)
tsv=$(awk -F'\t' '{ print $1, $2, $3, $8, $9 }' /tmp/t81.tsv | sort)
expect_le "rows to compare ($(echo "$tab" | grep -c .))" 20 "$(echo "$tab" | grep -c .)"
expect_eq "table State, Recv-Q, Send-Q, UID, Inode equal the TSV's" "$tab" "$tsv"

# /proc/net/tcpstate has every state, request sockets included, and its
# total adds them all up.
proc_n() { awk -v s="$1" '$1 == s {print $2}' /proc/net/tcpstate; }
ts_n() { tcpstatectl counts -H | awk -v s="$1" '$1 == s {print $2}'; }
# The SYNs reach the listener a moment after tcpscen is ready (28-request-socks).
deadline=$(( $(cut -d. -f1 /proc/uptime) + 10 * SLOW ))
while [ "$(ts_n NEW_SYN_RECV)" != 4 ] && [ "$(cut -d. -f1 /proc/uptime)" -lt "$deadline" ]; do
	sleep 0.2
done
cat /proc/net/tcpstate
expect_eq "proc NEW_SYN_RECV: the 4 request sockets" "$(proc_n NEW_SYN_RECV)" 4
expect_eq "proc total equals counts' Total" "$(proc_n total)" "$(ts_n Total)"
finish
