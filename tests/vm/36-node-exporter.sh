# End to end with Debian's node_exporter: "tcpstatectl metrics --output"
# writes into a textfile-collector directory, node_exporter serves it on
# its /metrics endpoint on loopback, and a scrape shows our samples. While
# the file is rewritten over and over, every scrape still parses (the
# rename is atomic); a half-written file, the failure that atomicity
# prevents, is caught by node_exporter as a scrape error.
. /tests/lib.sh
fresh_netns
load_module

ne=/usr/bin/node_exporter
if [ ! -x "$ne" ]; then
	fail "node_exporter is not in the guest (the host could not fetch Debian's prometheus-node-exporter)"
	finish
fi
echo "$($ne --version 2>&1 | head -n 1)"

pid=$(start_scen leak -p 8400 estab:2 closewait:4) || exit 1
evscen storm -p 8410 -n 3 >/dev/null
dir=/tmp/textfile
mkdir -p $dir
check "metrics --output into the textfile directory" \
	tcpstatectl metrics --output $dir/tcpstate.prom

url=http://127.0.0.1:9100/metrics
# A fetch may take 10 s, times SLOW: node_exporter is a Go program under
# TCG, slower still on the debug kernel.
fetch_s=$((10 * SLOW))
$ne --collector.disable-defaults --collector.textfile \
	--collector.textfile.directory=$dir \
	--web.listen-address=127.0.0.1:9100 >/tmp/ne.log 2>&1 &
nepid=$!
# Until it answers, for at most 60 s (times SLOW) by the guest's clock.
up=0
deadline=$(($(uptime_ms) + 60000 * SLOW))
while [ "$(uptime_ms)" -lt "$deadline" ]; do
	if timeout $fetch_s wget -q -O /tmp/scrape $url 2>/dev/null; then
		up=1
		break
	fi
	kill -0 $nepid 2>/dev/null || break
	sleep 0.25
done
expect_eq "node_exporter answers on 127.0.0.1:9100" $up 1
if [ $up -ne 1 ]; then
	tail -n 20 /tmp/ne.log
	finish
fi
s=$(cat /tmp/scrape)
echo "$s" | grep -E '^(tcpstate_|node_textfile)' | head -n 30
ns='netns="[0-9]+"'
expect_match "CLOSE_WAIT count served" "$s" "^tcpstate_sockets\{$ns,state=\"CLOSE_WAIT\"\} 4\$"
expect_match "ESTABLISHED count served" "$s" "^tcpstate_sockets\{$ns,state=\"ESTABLISHED\"\} 4\$"
expect_match "the leaking process served" "$s" \
	"^tcpstate_close_wait_sockets_by_process\{comm=\"tcpscen\",$ns,pid=\"$pid\"\} 4\$"
expect_match "event counter served" "$s" \
	'^tcpstate_events_total\{outcome="seen",type="unread-close"\} 3$'
expect_match "HELP text passed through" "$s" '^# HELP tcpstate_sockets '
expect_match "no textfile scrape error" "$s" '^node_textfile_scrape_error 0$'
expect_match "the file's mtime is exported" "$s" '^node_textfile_mtime_seconds\{file="[^"]*tcpstate.prom"\} '

# What every complete file holds, whatever the live counts: as many
# per-state lines as the first scrape, the leaking process with its 4
# sockets, and the sample that comes last in the file. The state
# counts themselves move while scraping (node_exporter's own side of a
# finished scrape sits in CLOSE_WAIT until Go closes it), so they are not
# compared.
nstates=$(echo "$s" | grep -c '^tcpstate_sockets{')
complete() {
	echo "$1" | grep -q '^node_textfile_scrape_error 0$' &&
		[ "$(echo "$1" | grep -c '^tcpstate_sockets{')" = "$nstates" ] &&
		echo "$1" | grep -qE "^tcpstate_close_wait_sockets_by_process\{comm=\"tcpscen\",$ns,pid=\"$pid\"\} 4\$" &&
		echo "$1" | grep -qE '^tcpstate_tracked_sockets [0-9]'
}
expect_eq "the first scrape is complete" "$(complete "$s" && echo yes)" yes

rm -f /tmp/writer.done
# Rewrite the file 20 times while scraping: no scrape may see a torn file.
(
	for _ in $(seq 1 20); do
		tcpstatectl metrics --output $dir/tcpstate.prom || echo "WRITE FAILED"
	done
	echo done >/tmp/writer.done
) >/tmp/writer.log 2>&1 &
writer=$!
# A torn file shows as node_textfile_scrape_error 1 in a good response; a
# failed fetch (busybox wget has crashed here) is logged, not counted.
n=0
bad=0
lost=0
while [ ! -e /tmp/writer.done ] || [ $n -lt 5 ]; do
	[ $((n + lost)) -ge 100 ] && break
	if ! s=$(timeout $fetch_s wget -q -O - $url 2>/tmp/wget.err); then
		lost=$((lost + 1))
		echo "a fetch failed: $(cat /tmp/wget.err) $(dmesg | tail -n 1)"
		continue
	fi
	n=$((n + 1))
	if ! complete "$s"; then
		bad=$((bad + 1))
		echo "torn scrape $n:"
		echo "$s" | grep -E '^(node_textfile|tcpstate_)'
	fi
done
wait $writer
echo "$n scrapes ($lost failed fetches) while the file was rewritten 20 times"
expect_eq "every rewrite succeeded" "$(grep -c 'WRITE FAILED' /tmp/writer.log)" 0
expect_eq "no scrape saw a torn or missing file" $bad 0
check "at least 5 scrapes" [ $n -ge 5 ]

# The negative control: half a file, as a non-atomic writer leaves it
# mid-write, is what node_exporter reports as a scrape error.
size=$(wc -c <$dir/tcpstate.prom)
head -c $((size / 2)) $dir/tcpstate.prom >$dir/torn.tmp
mv $dir/torn.tmp $dir/tcpstate.prom
for _ in 1 2 3; do
	s=$(timeout $fetch_s wget -q -O - $url 2>/dev/null) && break
done
expect_match "a half-written file is a scrape error" "$s" '^node_textfile_scrape_error 1$'

kill $nepid
wait $nepid 2>/dev/null
finish
