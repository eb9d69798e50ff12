# tcpstatectl diagnose: in one namespace, a process leaking CLOSE_WAIT
# sockets (10, then 6 more while diagnose watches), a listener whose full
# accept queue holds 3 connections closed before accept() and drops SYNs,
# 150 TIME_WAIT sockets toward one peer in a port range narrowed to 200,
# a close with 5000 unread bytes and a server killed by SIGPIPE. diagnose
# finds exactly those five rules, names each culprit's pid and comm with
# the right numbers (its JSON read by jsoncheck), and exits 3; with
# --min-severity info it also reports the SO_LINGER 0 abort of the SIGPIPE
# scenario's client. A TIME_WAIT table too small and orphans past half of
# tcp_max_orphans give time-wait-overflow and orphan-pressure. A fresh
# namespace gives no finding and exit 0; uid 1000 gets the event rules
# listed as skipped, with the reason.
. /tests/lib.sh
fresh_netns

load_module
sysctl -qw net.ipv4.ip_local_port_range="40000 40199"
ns=$(readlink /proc/self/ns/net | tr -dc 0-9)

# jv FLAT PATH: the value at PATH of a jsoncheck --flat file.
jv() { awk -F'\t' -v p="$2" '$1 == p { print $3; exit }' "$1"; }
# rules FLAT [PREFIX]: the rules of the findings, sorted, on one line.
rules() {
	awk -F'\t' -v p="${2:-\$}" 'index($1, p ".findings[") == 1 && $1 ~ /\]\.rule$/ { print $3 }' "$1" |
		sort | tr '\n' ' ' | sed 's/ $//'
}
# skipped FLAT [PREFIX]: the rules listed as skipped, sorted, on one line.
skipped() {
	awk -F'\t' -v p="${2:-\$}.skipped[" 'index($1, p) == 1 && $1 ~ /\]\.rule$/ { print $3 }' "$1" |
		sort | tr '\n' ' ' | sed 's/ $//'
}
# fidx FLAT RULE: $.findings[N] of the first finding of RULE.
fidx() {
	awk -F'\t' -v r="$2" '$1 ~ /^\$\.findings\[[0-9]+\]\.rule$/ && $3 == r {
		sub(/\.rule$/, "", $1); print $1; exit }' "$1"
}
# expect_fields FLAT PREFIX: for each line "NAME<TAB>PATH<TAB>WANT" of
# standard input, the value at PREFIX.PATH of FLAT is WANT (a check NAME).
expect_fields() {
	local name path want
	while IFS='	' read -r name path want; do
		expect_eq "$name" "$(jv "$1" "$2.$path")" "$want"
	done
}
# parse NAME: jsoncheck /tmp/NAME.json into /tmp/NAME.flat.
parse() {
	if jsoncheck --flat </tmp/$1.json >/tmp/$1.flat 2>/tmp/$1.jerr; then
		ok "$1: jsoncheck accepts it"
	else
		fail "$1: jsoncheck rejects it: $(cat /tmp/$1.jerr)"
		head -c 800 /tmp/$1.json
		: >/tmp/$1.flat
	fi
}

rm -f /tmp/leak.ready /tmp/aq.ready
diagscen leak -p 6100 -n 10 -g 6 -i 400 -l 64 -r /tmp/leak.ready >/tmp/leak.log 2>&1 &
diagscen acceptq -p 6200 -b 8 -n 8 -c 3 -s 3 -r /tmp/aq.ready >/tmp/aq.log 2>&1 &
wait_for 60000 test -s /tmp/leak.ready || fail "the leak did not get ready: $(cat /tmp/leak.log)"
wait_for 60000 test -s /tmp/aq.ready || fail "the accept queue did not get ready: $(cat /tmp/aq.log)"
leak_pid=$(cut -d' ' -f2 /tmp/leak.ready)
aq_pid=$(cut -d' ' -f2 /tmp/aq.ready)
# tw_count: TIME_WAIT sockets toward 127.0.0.1:6300, as ss and the tool see them.
tw_count() {
	echo "TIME_WAIT toward 6300: ss $(ss -tanH state time-wait dst 127.0.0.1:6300 | wc -l), list $(tcpstatectl list -H --state time-wait --dport 6300 | wc -l)"
}
echo "cw-leaker $leak_pid, aq-server $aq_pid"

# Two watchers at once: the default report as JSON, everything as text.
# Their interval ends with SIGTERM once everything has happened (a fixed
# one ended before the leak had grown on a slow guest).
tcpstatectl diagnose --interval 10m --json >/tmp/d.json 2>/tmp/d.err &
dpid=$!
tcpstatectl diagnose --interval 10m --min-severity info >/tmp/t.txt 2>/tmp/t.err &
tpid=$!
wait_subscribed $dpid || fail "diagnose (json) did not subscribe"
wait_subscribed $tpid || fail "diagnose (text) did not subscribe"
# Their first snapshots, then what happens while they watch.
sleep $((2 * SLOW))
t0=$(uptime_ms)
kill -USR1 "$leak_pid" "$aq_pid"
evscen unread -p 5901 -n 5000 >/tmp/un.out
evscen epipe -p 5910 >/tmp/sig.out
wait_for 60000 grep -q 'leaked 6 more' /tmp/leak.log || fail "the leak did not grow: $(cat /tmp/leak.log)"
wait_for 60000 grep -q 'extra connects 3' /tmp/aq.log || fail "no extra connects: $(cat /tmp/aq.log)"
# The 150 TIME_WAIT sockets last: they expire after 60 s, and on a slow
# guest everything before took longer than that (135 of 150 were left).
tw_pid=$(start_scen tw -p 6300 -x timewait:150) || exit 1
echo "tcpscen (TIME_WAIT) $tw_pid"
tw_count
# The newest CLOSE_WAIT sockets past --close-wait-age (5 s).
sleep 6
kill -TERM $dpid $tpid
wait $dpid
rc=$?
wait $tpid
trc=$?
watched=$(( $(uptime_ms) - t0 ))
tw_count
cat /tmp/leak.log /tmp/aq.log /tmp/un.out /tmp/sig.out /tmp/d.err /tmp/t.err
cat /tmp/t.txt
expect_eq "diagnose exits 3 on findings" "$rc" 3
expect_eq "nothing on stderr" "$(cat /tmp/d.err)" ""
parse d
F=/tmp/d.flat
expect_eq "netns" "$(jv $F '$.netns')" "$ns"
iv=$(jv $F '$.interval_ms')
check "interval_ms ($iv) covers the $watched ms the scenarios took" test "${iv:-0}" -ge 8000 -a "${iv:-0}" -ge "$watched" -a "${iv:-0}" -lt 600000
expect_eq "exactly the five rules" "$(rules $F)" \
	"accept-queue-stall close-wait-leak ephemeral-port-exhaustion sigpipe unread-close-rst"
expect_eq "no rule skipped (root)" "$(jv $F '$.skipped')" 0
# Ordered by severity.
sevs=$(awk -F'\t' '$1 ~ /^\$\.findings\[[0-9]+\]\.severity$/ { print $3 }' $F |
	sed 's/critical/3/; s/warning/2/; s/info/1/' | tr '\n' ' ')
expect_eq "critical first, then warnings" "$(echo $sevs | tr ' ' '\n' | sort -rn | tr '\n' ' ')" "$sevs"

f=$(fidx $F close-wait-leak)
expect_fields $F "$f" <<EOF
close-wait-leak: pid	process.pid	$leak_pid
close-wait-leak: comm	process.comm	cw-leaker
close-wait-leak: 16 CLOSE_WAIT sockets	evidence.close_wait	16
close-wait-leak: 10 at the start	evidence.close_wait_start	10
close-wait-leak: grew by 6	evidence.growth	6
close-wait-leak: all 16 older than 5 s	evidence.stuck	16
close-wait-leak: its port	evidence.local_ports[0]	6100
close-wait-leak: one port	evidence.local_ports_total	1
close-wait-leak: RLIMIT_NOFILE	evidence.fd_limit	64
EOF
fds=$(jv $F "$f.evidence.fds_open")
check "close-wait-leak: open fds ($fds) hold the 16 sockets and the listener" test "${fds:-0}" -ge 17 -a "${fds:-0}" -le 40
emf=$(jv $F "$f.evidence.seconds_to_emfile")
# (64 - fds) fds left at 6 per interval: (64 - fds) * interval / 6000 s.
want=$(( ((64 - fds) * iv + 5999) / 6000 ))
expect_eq "close-wait-leak: seconds to EMFILE" "$emf" "$want"
expect_eq "close-wait-leak: critical (EMFILE within the hour)" "$(jv $F "$f.severity")" critical

f=$(fidx $F accept-queue-stall)
expect_fields $F "$f" <<EOF
accept-queue-stall: pid	process.pid	$aq_pid
accept-queue-stall: comm	process.comm	aq-server
EOF
expect_eq "accept-queue-stall: listener" "$(jv $F "$f.listener.local_addr"):$(jv $F "$f.listener.local_port")" 127.0.0.1:6200
expect_fields $F "$f" <<EOF
accept-queue-stall: queue of 9 (backlog 8, one more)	evidence.accept_queue	9
accept-queue-stall: effective backlog	evidence.effective_backlog	8
accept-queue-stall: somaxconn	evidence.somaxconn	$(sysctl -n net.core.somaxconn)
accept-queue-stall: not capped by it	evidence.backlog_capped	false
accept-queue-stall: 3 closed before accept	evidence.closed_in_queue	3
EOF
expect_eq "accept-queue-stall: full, and at the start" "$(jv $F "$f.evidence.full") $(jv $F "$f.evidence.full_at_start")" "true true"
ovf=$(jv $F "$f.evidence.listen_overflows")
check "accept-queue-stall: ListenOverflows grew ($ovf)" [ "${ovf:-0}" -ge 1 ]
expect_eq "accept-queue-stall: overflows attributed" "$(jv $F "$f.evidence.overflows_attributed")" true
check "accept-queue-stall: oldest queued age" [ -n "$(jv $F "$f.evidence.oldest_queued_ms")" ]
expect_eq "accept-queue-stall: critical" "$(jv $F "$f.severity")" critical

f=$(fidx $F ephemeral-port-exhaustion)
expect_eq "ephemeral: peer" "$(jv $F "$f.peer.remote_addr"):$(jv $F "$f.peer.remote_port")" 127.0.0.1:6300
expect_fields $F "$f" <<EOF
ephemeral: local address	evidence.local_addr	127.0.0.1
ephemeral: 150 sockets	evidence.sockets	150
ephemeral: all TIME_WAIT	evidence.time_wait	150
ephemeral: range 200	evidence.port_range	200
ephemeral: 75 %	evidence.share_pct	75
EOF
expect_eq "ephemeral: opened by tcpscen (closed-by)" "$(jv $F "$f.process.pid")/$(jv $F "$f.process.comm")" "$tw_pid/tcpscen"
expect_eq "ephemeral: warning" "$(jv $F "$f.severity")" warning

f=$(fidx $F unread-close-rst)
expect_fields $F "$f" <<EOF
unread-close-rst: pid	process.pid	$(kv /tmp/un.out client_pid)
unread-close-rst: comm	process.comm	ts-client
unread-close-rst: one connection	evidence.connections	1
unread-close-rst: 5000 bytes	evidence.bytes_discarded	5000
unread-close-rst: reset	evidence.rst	1
unread-close-rst: TCPAbortOnClose grew by 1	evidence.abort_on_close	1
EOF
expect_eq "unread-close-rst: peer" "$(jv $F "$f.peer.remote_addr"):$(jv $F "$f.peer.remote_port")" 127.0.0.1:5901

f=$(fidx $F sigpipe)
expect_eq "sigpipe: the server was killed" "$(kv /tmp/sig.out server_killed_by)" 13
expect_fields $F "$f" <<EOF
sigpipe: pid	process.pid	$(kv /tmp/sig.out server_pid)
sigpipe: comm	process.comm	ts-server
sigpipe: one SIGPIPE	evidence.sigpipe	1
sigpipe: the process is gone	evidence.process_gone	true
sigpipe: critical	severity	critical
EOF

# The human report, everything down to info.
expect_eq "text: exit 3" "$trc" 3
expect_match "text: the count" "$(head -n 1 /tmp/t.txt)" "^netns $ns, watched [0-9][0-9.ms]*: 6 findings \(3 critical, 2 warning, 1 info\)$"
expect_match "text: the SO_LINGER 0 abort of the SIGPIPE scenario's client" "$(grep -A 2 '^INFO linger-abort$' /tmp/t.txt)" 'ts-client aborted 1 connection with SO_LINGER 0'
expect_match "text: culprit and fix" "$(grep -A 30 '^CRITICAL close-wait-leak$' /tmp/t.txt | tr '\n' ' ')" "Culprit: process $leak_pid/cw-leaker .*Fix: +Fix the code of $leak_pid/cw-leaker"
expect_eq "text: fits in 80 columns" "$(awk 'length > 80' /tmp/t.txt | head -n 2)" ""

# One snapshot: no events, no growth; the event rules say why.
tcpstatectl diagnose --interval 0 --json >/tmp/z.json 2>&1
expect_eq "--interval 0: exit 3" "$?" 3
parse z
expect_eq "--interval 0: interval_ms" "$(jv /tmp/z.flat '$.interval_ms')" 0
expect_eq "--interval 0: the event rules are skipped" "$(skipped /tmp/z.flat)" \
	"linger-abort sigpipe unread-close-rst"
expect_match "--interval 0: and say why" "$(jv /tmp/z.flat '$.skipped[0].reason')" '^--interval 0'
f=$(fidx /tmp/z.flat close-wait-leak)
expect_eq "--interval 0: the leak, without growth" "$(jv /tmp/z.flat "$f.evidence.close_wait")/$(jv /tmp/z.flat "$f.evidence.growth")" "16/"

# Every namespace (the caller's first), a second one with a leak of 3:
# its counters and sysctls read by entering it; its events are not seen.
rm -f /tmp/leak2.ready
unshare -n sh -c 'ip link set lo up; exec diagscen leak -p 6400 -n 3 -r /tmp/leak2.ready' >/tmp/leak2.log 2>&1 &
wait_for 60000 test -s /tmp/leak2.ready || fail "the second leak did not get ready: $(cat /tmp/leak2.log)"
leak2_pid=$(cut -d' ' -f2 /tmp/leak2.ready)
ns2=$(readlink /proc/$leak2_pid/ns/net | tr -dc 0-9)
tcpstatectl diagnose --all-netns --interval 0 --close-wait-age 0 --json >/tmp/a.json 2>&1
expect_eq "--all-netns: exit 3" "$?" 3
parse a
expect_eq "--all-netns: the caller's namespace first" "$(jv /tmp/a.flat '$[0].netns')" "$ns"
expect_match "--all-netns: its findings" "$(rules /tmp/a.flat '$[0]')" 'close-wait-leak'
k=$(awk -F'\t' -v n="$ns2" '$1 ~ /^\$\[[0-9]+\]\.netns$/ && $3 == n { sub(/\.netns$/, "", $1); print $1 }' /tmp/a.flat)
check "--all-netns: the second namespace ($ns2) is there" test -n "$k"
expect_eq "--all-netns: its one finding" "$(rules /tmp/a.flat "$k")" close-wait-leak
expect_eq "--all-netns: its leak" "$(jv /tmp/a.flat "$k.findings[0].process.pid") $(jv /tmp/a.flat "$k.findings[0].evidence.close_wait")" "$leak2_pid 3"
expect_eq "--all-netns: its sysctls were read (nothing skipped but events)" \
	"$(skipped /tmp/a.flat "$k")" "linger-abort sigpipe unread-close-rst"
expect_match "--all-netns: its events are not seen" "$(jv /tmp/a.flat "$k.skipped[0].reason")" "caller's network namespace"

# uid 1000: no events to subscribe to, and the owners are root's.
runas 1000 tcpstatectl diagnose --interval 1s --json >/tmp/u.json 2>/tmp/u.err
urc=$?
cat /tmp/u.err
check "uid 1000: exit 3 or 0, not an error ($urc)" test "$urc" = 3 -o "$urc" = 0
parse u
expect_eq "uid 1000: the event rules are skipped" "$(skipped /tmp/u.flat)" \
	"linger-abort sigpipe unread-close-rst"
expect_match "uid 1000: because events need CAP_NET_ADMIN" "$(jv /tmp/u.flat '$.skipped[0].reason')" 'CAP_NET_ADMIN'
f=$(fidx /tmp/u.flat close-wait-leak)
expect_eq "uid 1000: the leak, its holder hidden" "$(jv /tmp/u.flat "$f.evidence.hidden")/$(jv /tmp/u.flat "$f.process.pid")" "true/"

# time-wait-overflow and orphan-pressure, in a namespace of their own: a
# TIME_WAIT table of 20 buckets that 40 closes overflow, and 10 orphans
# (closed with data their peer never reads) against a host-wide
# tcp_max_orphans of 16, set in the initial namespace (the only one that
# has it) for the time of the run.
cat >/tmp/ovf.sh <<'EOF'
. /tests/lib.sh
ip link set lo up
sysctl -qw net.ipv4.tcp_max_tw_buckets=20
tcpstatectl diagnose --interval 10m --json >/tmp/o.json 2>/tmp/o.err &
d=$!
wait_subscribed $d || echo "diagnose did not subscribe" >>/tmp/o.err
sleep $((2 * SLOW))
tcpscen -p 6500 -x -r /tmp/tw2.ready timewait:40 >/tmp/tw2.log 2>&1
diagscen orphans -p 6600 -n 10 -r /tmp/orph.ready >/tmp/orph.log 2>&1 &
wait_for 60000 test -s /tmp/orph.ready || echo "no orphans: $(cat /tmp/orph.log)" >>/tmp/o.err
sleep 1
kill -TERM $d
wait $d
echo $? >/tmp/o.rc
EOF
max_orphans=$(nsenter -t 1 -n sysctl -n net.ipv4.tcp_max_orphans)
nsenter -t 1 -n sysctl -qw net.ipv4.tcp_max_orphans=16
unshare -n sh /tmp/ovf.sh
nsenter -t 1 -n sysctl -qw net.ipv4.tcp_max_orphans="$max_orphans"
cat /tmp/tw2.log /tmp/orph.log /tmp/o.err
expect_eq "overflows: exit 3" "$(cat /tmp/o.rc)" 3
parse o
F=/tmp/o.flat
expect_eq "overflows: exactly the two rules" "$(rules $F)" "orphan-pressure time-wait-overflow"
f=$(fidx $F time-wait-overflow)
expect_fields $F "$f" <<EOF
time-wait-overflow: 20 connections skipped TIME_WAIT	evidence.tw_overflow	20
time-wait-overflow: 20 TIME_WAIT sockets	evidence.time_wait	20
time-wait-overflow: of 20 buckets	evidence.max_tw_buckets	20
time-wait-overflow: critical	severity	critical
EOF
f=$(fidx $F orphan-pressure)
expect_eq "orphan-pressure: of tcp_max_orphans 16" "$(jv $F "$f.evidence.max_orphans")" 16
orph=$(jv $F "$f.evidence.orphans")
check "orphan-pressure: the 10 orphans ($orph; host-wide)" test "${orph:-0}" -ge 10
expect_eq "orphan-pressure: host-wide" "$(jv $F "$f.evidence.host_wide")" true
expect_match "orphan-pressure: a warning at 62 % or more" "$(jv $F "$f.severity")" '^(warning|critical)$'

# A fresh namespace: nothing to say, exit 0.
unshare -n sh -c 'ip link set lo up; exec tcpstatectl diagnose --interval 1s --json' >/tmp/i.json 2>/tmp/i.err
expect_eq "idle namespace: exit 0" "$?" 0
parse i
expect_eq "idle namespace: no finding" "$(jv /tmp/i.flat '$.findings')" 0
expect_eq "idle namespace: nothing skipped" "$(jv /tmp/i.flat '$.skipped')" 0
unshare -n sh -c 'ip link set lo up; exec tcpstatectl diagnose --interval 0' >/tmp/i.txt 2>&1
expect_match "idle namespace: one line" "$(cat /tmp/i.txt)" '^netns [0-9]+, one snapshot: no finding$'
finish
