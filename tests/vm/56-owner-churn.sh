# Stale owners: sockets freed and reallocated while list -p dumps must
# never show another socket's owner. ownchurn's oc-churn resets and
# reopens connections from local ports BA.. in a loop (each freed socket
# is soon reused by its next client socket or by oc-server's next
# accepted one), oc-stable holds NB connections from ports BB.., and
# oc-server holds the accepted ends (port L). Accept queues churn too:
# oc-qchurn connects to port Q from ports BC.. and resets and reopens them
# every 500 ms, oc-backlog accepts and resets what its listener on Q
# queued every 250 ms, so children are keyed while queued (unaccepted,
# owned by oc-backlog) and freed soon after. Every process named for a socket must
# be the one whose ports it uses, in list -p, --pid and counts --by
# process, over many dumps: no foreign owner ever.
# timeout: 900
. /tests/lib.sh
fresh_netns
load_module

L=7800
BA=20000
NA=200
BB=21000
NB=$(volume 3000)
Q=7801
BC=25000
NC=20
ownchurn $L $BA $NA $BB $NB $Q $BC $NC >/tmp/oc.out 2>&1 &
for i in $(seq 1 $((600 * SLOW))); do
	grep -q '^ready' /tmp/oc.out && break
	sleep 0.1
done
cat /tmp/oc.out
grep -q '^ready' /tmp/oc.out || { fail "ownchurn did not get ready"; finish; }
S=$(awk '$1 == "server" { print $2 }' /tmp/oc.out)
A=$(awk '$1 == "churn" { print $2 }' /tmp/oc.out)
B=$(awk '$1 == "stable" { print $2 }' /tmp/oc.out)
K=$(awk '$1 == "backlog" { print $2 }' /tmp/oc.out)
C=$(awk '$1 == "qchurn" { print $2 }' /tmp/oc.out)

# owner_of_port: lines "BAD ..." for every named process that is not the
# owner of the socket's local port (TSV: field 5 local port, last the
# processes).
wrong_owners() {
	awk -F'\t' -v L=$L -v BA=$BA -v NA=$NA -v BB=$BB -v NB=$NB \
		-v Q=$Q -v BC=$BC -v NC=$NC -v K=$K -v C=$C \
		-v S=$S -v A=$A -v B=$B '{
		lp = $5 + 0
		if (lp == L) want = S
		else if (lp >= BA && lp < BA + NA) want = A
		else if (lp >= BB && lp < BB + NB) want = B
		else if (lp == Q) want = K
		else if (lp >= BC && lp < BC + NC) want = C
		else next
		n = split($NF, ps, ",")
		for (i = 1; i <= n; i++) {
			p = ps[i]
			sub(/^closed-by /, "", p)
			if (p !~ /^[0-9]+\//)
				continue
			split(p, q, "/")
			if (q[1] != want)
				print "BAD (owner " want "):", $0
		}
	}' "$1"
}
# in_range FILE LO N: lines of the TSV whose local port is outside [LO, LO+N).
outside() {
	awk -F'\t' -v lo=$2 -v n=$3 '$5 + 0 < lo || $5 + 0 >= lo + n' "$1"
}

end=$(( $(cut -d. -f1 /proc/uptime) + 120 * SLOW ))
dumps=0
unacc=0
bad_list=0
bad_pid=0
bad_counts=0
rounds0=$(cat /tmp/ownchurn.rounds 2>/dev/null || echo 0)
# At least 10 dumps however slow the host (the case's own time limit
# bounds them), then more until 120 s (scaled) or 60 dumps.
while [ $dumps -lt 60 ] && { [ $dumps -lt 10 ] || [ "$(cut -d. -f1 /proc/uptime)" -lt "$end" ]; }; do
	dumps=$((dumps + 1))
	tcpstatectl list -H -p --tsv >/tmp/oc.list
	unacc=$((unacc + $(grep -c "$K/oc-backlog \[unaccepted\]" /tmp/oc.list)))
	wrong_owners /tmp/oc.list >/tmp/oc.bad
	if [ -s /tmp/oc.bad ]; then
		bad_list=$((bad_list + 1))
		[ $bad_list -le 3 ] && head -n 3 /tmp/oc.bad
	fi
	# --pid: only the sockets of that process's ports.
	tcpstatectl list -H --tsv --pid $S >/tmp/oc.s
	tcpstatectl list -H --tsv --pid $A >/tmp/oc.a
	tcpstatectl list -H --tsv --pid $B >/tmp/oc.b
	o=$(outside /tmp/oc.s $L 1; outside /tmp/oc.a $BA $NA; outside /tmp/oc.b $BB $NB)
	if [ -n "$o" ]; then
		bad_pid=$((bad_pid + 1))
		[ $bad_pid -le 3 ] && echo "--pid listed another process's socket:" &&
			echo "$o" | head -n 3
	fi
	# counts --by process: the churn never holds more than NA sockets,
	# the stable process exactly NB.
	tcpstatectl counts --by process --json >/tmp/oc.counts
	na=$(grep -o "\"key\": \"$A/oc-churn\", \"total\": [0-9]*" /tmp/oc.counts | sed 's/.* //')
	nb=$(grep -o "\"key\": \"$B/oc-stable\", \"total\": [0-9]*" /tmp/oc.counts | sed 's/.* //')
	if [ "${na:-0}" -gt $NA ] || [ "${nb:-0}" -ne "$NB" ]; then
		bad_counts=$((bad_counts + 1))
		[ $bad_counts -le 3 ] && echo "counts: oc-churn ${na:-0} (at most $NA), oc-stable ${nb:-0} (want $NB)"
	fi
done
rounds1=$(cat /tmp/ownchurn.rounds 2>/dev/null || echo 0)
echo "$dumps rounds of dumps; the churn reopened $((rounds1 - rounds0)) connections meanwhile"
echo "queued children listed as oc-backlog's (unaccepted): $unacc"
check "many dumps ran" test $dumps -ge 10
check "the churn ran during the dumps" test $((rounds1 - rounds0)) -ge 1000
expect_eq "list -p: dumps that named a wrong owner" $bad_list 0
expect_eq "--pid: dumps that listed another process's socket" $bad_pid 0
expect_eq "counts --by process: dumps with wrong per-process totals" $bad_counts 0
kill $A $B $S $K $C 2>/dev/null
finish
