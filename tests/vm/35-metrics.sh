# tcpstatectl metrics against the real module: per-state counts, the
# process leaking CLOSE_WAIT sockets, the oldest CLOSE_WAIT age, event
# counters; --output replaces the file atomically, and keeps the old one
# when the module is gone.
. /tests/lib.sh
fresh_netns
load_module

t0=$(uptime_ms)
pid=$(start_scen leak -p 8300 estab:3 closewait:5) || exit 1
evscen storm -p 8310 -n 7 >/dev/null
# At least 1 s old (the sleep); at most as old as the time measured since
# the scenario started (since_ms), not a fixed 60 s.
sleep 2
out=$(tcpstatectl metrics)
rc=$?
echo "$out" | grep -v '^#'
expect_eq "metrics exits 0" $rc 0
ns='netns="[0-9]+"'
expect_match "CLOSE_WAIT count" "$out" "^tcpstate_sockets\{$ns,state=\"CLOSE_WAIT\"\} 5\$"
expect_match "ESTABLISHED count (both ends of 3 pairs)" "$out" "^tcpstate_sockets\{$ns,state=\"ESTABLISHED\"\} 6\$"
expect_match "the leaking process" "$out" \
	"^tcpstate_close_wait_sockets_by_process\{$ns,pid=\"$pid\",comm=\"tcpscen\"\} 5\$"
expect_match "the rest as other" "$out" \
	"^tcpstate_close_wait_sockets_by_process\{$ns,pid=\"other\",comm=\"other\"\} 0\$"
age=$(echo "$out" | sed -n 's/^tcpstate_close_wait_oldest_age_seconds{.*} //p')
echo "oldest CLOSE_WAIT: ${age}s"
max=$(since_ms $t0)
check "oldest CLOSE_WAIT age between 1 s and the $max ms since the scenario started" \
	awk -v a="$age" -v m="$max" 'BEGIN { exit !(a >= 1 && a * 1000 <= m) }'
expect_match "exact, not a lower bound" "$out" "^tcpstate_close_wait_oldest_age_lower_bound\{$ns\} 0\$"
expect_match "unread-close events seen" "$out" \
	"^tcpstate_events_total\{type=\"unread-close\",outcome=\"seen\"\} 7\$"
expect_match "abort-on-close tally" "$out" '^tcpstate_abort_on_close_total 7$'
expect_eq "every sample line has a HELP'd family" \
	"$(echo "$out" | grep -v '^#' | sed 's/[{ ].*//' | sort -u | while read -r m; do
		echo "$out" | grep -q "^# HELP $m " || echo "$m"; done)" ""

mkdir -p /tmp/textfile
check "--output" tcpstatectl metrics --output /tmp/textfile/tcpstate.prom
expect_eq "file has the same samples" \
	"$(grep -c '^tcpstate_' /tmp/textfile/tcpstate.prom)" "$(echo "$out" | grep -c '^tcpstate_')"
expect_eq "mode 0644" "$(stat -c %a /tmp/textfile/tcpstate.prom)" 644
expect_eq "no temporary file left" "$(ls /tmp/textfile)" tcpstate.prom
cp /tmp/textfile/tcpstate.prom /tmp/before.prom
unload_module
tcpstatectl metrics --output /tmp/textfile/tcpstate.prom 2>/tmp/err
expect_eq "without the module: exit 1" $? 1
expect_match "and says why" "$(cat /tmp/err)" 'not loaded'
check "the old file is kept intact" cmp -s /tmp/before.prom /tmp/textfile/tcpstate.prom
expect_eq "still no temporary file" "$(ls /tmp/textfile)" tcpstate.prom
finish
