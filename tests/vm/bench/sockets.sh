# SPDX-License-Identifier: GPL-2.0
# Issue 3 benchmark: tcpstatectl counts/list against ss at 10,000 and
# 100,000 sockets (ESTABLISHED, CLOSE_WAIT, TIME_WAIT mix), one boot.
# BENCH_VARS: MAXSIZE=10000 skips the 100,000 round; ONLY=K runs only the
# K-th comparison of each round (1 counts ... 5 TSV list), as bisecting
# one command's regression needs.
. /tests/bench/lib.sh

sysctl -qw net.ipv4.tcp_max_tw_buckets=262144
# Listener ports (2000+) stay below the ephemeral range.
sysctl -qw net.ipv4.ip_local_port_range="10000 65000"
load_module
row "| sockets | what | tcpstatectl | median ms | other | median ms | speedup |"
row "|---|---|---|---|---|---|---|"
SS_COUNT="ss -tan | awk 'NR > 1 {n[\$1]++} END {for (s in n) print s, n[s]}'"
port=2000
for size in 10000 100000; do
	[ "$size" -le "${MAXSIZE:-100000}" ] || continue
	e=$((size / 4)); c=$((size / 5)); t=$((size * 14 / 100))
	start_scen "s$size" -p $port -A 8 estab:$e closewait:$c >/dev/null || exit 1
	port=$((port + 10))
	# TIME_WAIT lasts 60 s: rebuild it before each comparison.
	tw() {
		start_scen "tw$port" -x -p $port -A 8 timewait:$t >/dev/null
		port=$((port + 10))
	}
	tw
	n=$(tcpstatectl counts -H | awk '$1 == "Total" {print $2}')
	label="$n"
	k=0
	# next_cmp WHAT OURS THEIRS: the next comparison, unless ONLY picks another;
	# TIME_WAIT is rebuilt before each but the TSV list (the full list's).
	next_cmp() {
		k=$((k + 1))
		[ "${ONLY:-0}" = 0 ] || [ "$ONLY" = "$k" ] || return 0
		case $k in 1 | 5) ;; *) [ "${ONLY:-0}" != 0 ] || tw ;; esac
		compare "$label" "$@"
	}
	next_cmp "counts per state" "tcpstatectl counts" "$SS_COUNT"
	next_cmp "counts (vs ss -s)" "tcpstatectl counts" "ss -s"
	next_cmp "CLOSE_WAIT list" "tcpstatectl list --state CLOSE_WAIT" "ss -tan state close-wait"
	next_cmp "full list" "tcpstatectl list" "ss -tan"
	next_cmp "full list, TSV" "tcpstatectl list --tsv" "ss -tan"
	kill "$(cat /tmp/s$size.ready | cut -d' ' -f2)"
	sleep 2
done
