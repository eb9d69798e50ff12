# The unread-byte count of every close hook equals what __tcp_close throws
# away: data in the receive queue past copied_seq, without the peer's FIN.
# Each hook (the ftrace_ops and the kprobe on __tcp_close, which run under
# the socket lock and walk the queue; the kprobe on tcp_close, which runs
# before it and counts from the sequence numbers) sees: a close after a
# partial read of several segments; a close in CLOSE_WAIT (the FIN
# arrived, unread); a close in CLOSE_WAIT after reading all the data but
# not a separate FIN (no data lost: FIN, no event); and both at once.
# timeout: 400
. /tests/lib.sh
fresh_netns

# name port bytes read writes fin(0/1) want_unread want_state
CASES="partial 5671 6000 1000 3 0 5000 ESTABLISHED
fin 5672 3000 0 1 1 3000 CLOSE_WAIT
fin-all-read 5673 3000 3000 2 1 0 CLOSE_WAIT
fin-partial 5674 4000 1500 4 1 2500 CLOSE_WAIT"

for mode in ftrace kprobe fallback; do
	unload_module
	case $mode in
	fallback) load_module close_kprobe_fallback=1; want='from tcp_close' ;;
	kprobe) load_module close_kprobe=1; want='kprobe on __tcp_close' ;;
	*) load_module; want='ftrace hook on __tcp_close' ;;
	esac
	expect_match "$mode: hook announced" "$(dmesg | tail -n 3)" "$want"
	k0=$(netstat_counter TCPAbortOnClose)
	m0=$(stat_field abort_on_close)
	start_events ev --json --timeout $((8 * SLOW)) --type unread-close
	echo "$CASES" | while read -r name port bytes rd wr fin want want_state; do
		f=
		[ "$fin" = 1 ] && f=-f
		h4unread -p $port -n $bytes -k $rd -s $wr $f >/tmp/67.$name.gen
	done
	wait $EV_PID
	cat /tmp/ev.out /tmp/ev.err
	rsts=0
	while read -r name port bytes rd wr fin want want_state; do
		gen=/tmp/67.$name.gen
		cat $gen
		expect_eq "$mode $name: client state at close" "$(kv $gen state)" "$want_state"
		ev=$(grep "\"remote_port\": $port," /tmp/ev.out)
		if [ "$want" = 0 ]; then
			expect_eq "$mode $name: no unread-close event" "$(echo "$ev" | grep -c .)" 0
			expect_eq "$mode $name: the server got EOF" "$(kv $gen server_read)" EOF
			continue
		fi
		rsts=$((rsts + 1))
		expect_eq "$mode $name: one event" "$(echo "$ev" | grep -c .)" 1
		expect_eq "$mode $name: exactly the unread bytes" "$(jf "$ev" unread_bytes)" "$want"
		expect_eq "$mode $name: names the client" "$(jf "$ev" pid)" "$(kv $gen client_pid)"
		expect_eq "$mode $name: RST follows" "$(jf "$ev" rst)" true
		expect_eq "$mode $name: the server saw the reset" "$(kv $gen server_read)" "Connection reset by peer"
	done <<EOF
$CASES
EOF
	k1=$(netstat_counter TCPAbortOnClose)
	m1=$(stat_field abort_on_close)
	expect_eq "$mode: kernel TCPAbortOnClose rose by $rsts" "$((k1 - k0))" "$rsts"
	expect_eq "$mode: module tally matches the kernel" "$((m1 - m0))" "$((k1 - k0))"
done
unload_module
load_module
finish
