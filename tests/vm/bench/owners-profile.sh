# SPDX-License-Identifier: GPL-2.0
# Where the time of `tcpstatectl list -p` goes, at 10,000 sockets held by
# 1,000 processes (the owners benchmark's harder case): process start-up,
# the kernel's dump (nlcheck reads and discards it, no parsing), and the
# tool's parsing and formatting, each as a median of interleaved runs.
. /tests/bench/lib.sh

load_module
row "| what | command | median ms |"
row "|---|---|---|"
port=3000
ownscen spread $port 1000 5000 >/tmp/spread.out 2>&1 &
for i in $(seq 1 3000); do
	grep -q '^ready' /tmp/spread.out 2>/dev/null && break
	sleep 0.1
done
grep -q '^ready' /tmp/spread.out || { cat /tmp/spread.out; exit 1; }
one() {
	local what=$1 cmd=$2 out
	out=$(timeit -n "$RUNS" -w 1 "$cmd") || { row "| $what | $(cell "$cmd") | failed |"; return; }
	row "| $what | $(cell "$cmd") | $(echo "$out" | cut -d' ' -f2) |"
}
one "shell start-up" "true"
one "tool start-up, one request" "tcpstatectl version"
one "kernel dump, discarded" "nlcheck ok-dump"
one "kernel dump with owners, discarded" "nlcheck ok-processes"
one "kernel dump, packed, discarded" "nlcheck ok-packed"
one "kernel dump with owners, packed, discarded" "nlcheck ok-packed-processes"
one "kernel walk, nothing matches" "nlcheck ok-packed-none"
one "kernel walk and owner table, nothing matches" "nlcheck ok-packed-processes-none"
one "list, TSV" "tcpstatectl list --tsv"
one "list -p, TSV" "tcpstatectl list -p --tsv"
one "list" "tcpstatectl list"
one "list -p" "tcpstatectl list -p"
one "list -p, per-field records" "TCPSTATECTL_PACKED=0 tcpstatectl list -p"
one "ss, no processes" "ss -tan"
one "ss -p" "ss -tanp"
