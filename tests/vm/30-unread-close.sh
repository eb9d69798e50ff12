# The mission's RST case: a client sends a request, the server replies, the
# client closes without reading. Linux sends RST instead of FIN; the server
# sees ECONNRESET; an unread-close event names the client, the connection
# and exactly the unread bytes. A clean close produces no event. The
# module's TCPAbortOnClose tally matches the kernel's counter.
. /tests/lib.sh
fresh_netns

# Three hooks, the same events: the ftrace_ops on __tcp_close (default),
# a kprobe there, and the kprobe on tcp_close where __tcp_close cannot be
# probed.
tracefs=/sys/kernel/tracing
mount -t tracefs none $tracefs 2>/dev/null
for mode in ftrace kprobe fallback; do
	unload_module
	case $mode in
	fallback)
		load_module close_kprobe_fallback=1
		expect_match "fallback announced" "$(dmesg | tail -n 3)" 'from tcp_close'
		;;
	kprobe)
		load_module close_kprobe=1
		expect_match "kprobe announced" "$(dmesg | tail -n 3)" 'kprobe on __tcp_close'
		;;
	*)
		load_module
		expect_match "ftrace hook announced" "$(dmesg | tail -n 3)" 'ftrace hook on __tcp_close'
		# ftrace lists the hooked function with our callback.
		expect_match "ftrace: __tcp_close calls our callback" \
			"$(grep '^__tcp_close' $tracefs/enabled_functions)" 'close_ftrace.*tcpstate'
		;;
	esac
	expect_match "$mode: capability advertised" "$(tcpstatectl stats)" 'unread-close'
	k0=$(netstat_counter TCPAbortOnClose)
	m0=$(stat_field abort_on_close)
	# The subscriber runs until it has printed every event the three
	# scenarios made (a fixed life missed late ones on a slow guest).
	base=$(events_seq)
	start_events ev --json
	evscen unread -p 5901 -n 5000 >/tmp/un.out
	evscen unread -p 5902 -n 3000 -c >/tmp/clean.out
	evscen linger -p 5903 >/tmp/ling.out
	events_caught_up ev "$base"
	stop_events $EV_PID
	cat /tmp/un.out /tmp/ev.out /tmp/ev.err
	expect_eq "$mode: the server saw the reset" "$(kv /tmp/un.out server_read)" "Connection reset by peer"
	expect_eq "$mode: the clean close gave the server EOF" "$(kv /tmp/clean.out server_read)" "EOF"
	ev=$(grep '"unread-close"' /tmp/ev.out)
	expect_eq "$mode: exactly one unread-close event" "$(echo "$ev" | grep -c .)" 1
	expect_eq "$mode: names the client pid" "$(jf "$ev" pid)" "$(kv /tmp/un.out client_pid)"
	expect_eq "$mode: names the client comm" "$(jf "$ev" comm)" ts-client
	expect_eq "$mode: local port" "$(jf "$ev" local_port)" "$(kv /tmp/un.out client_port)"
	expect_eq "$mode: remote port" "$(jf "$ev" remote_port)" 5901
	expect_eq "$mode: remote address" "$(jf "$ev" remote_addr)" 127.0.0.1
	expect_eq "$mode: exactly the unread bytes" "$(jf "$ev" unread_bytes)" 5000
	expect_eq "$mode: RST follows" "$(jf "$ev" rst)" true
	expect_eq "$mode: state at close" "$(jf "$ev" state)" ESTABLISHED
	expect_eq "$mode: uid" "$(jf "$ev" uid)" 0
	expect_eq "$mode: no event for the clean close" "$(grep -c ':5902\|"remote_port": 5902' /tmp/ev.out)" 0
	lev=$(grep '"linger-abort"' /tmp/ev.out)
	expect_eq "$mode: one linger-abort event" "$(echo "$lev" | grep -c .)" 1
	expect_eq "$mode: linger-abort names the client" "$(jf "$lev" pid)" "$(kv /tmp/ling.out client_pid)"
	expect_eq "$mode: linger-abort resets" "$(jf "$lev" rst)" true
	k1=$(netstat_counter TCPAbortOnClose)
	m1=$(stat_field abort_on_close)
	expect_eq "$mode: kernel TCPAbortOnClose rose by 1" "$((k1 - k0))" 1
	expect_eq "$mode: module tally matches the kernel" "$((m1 - m0))" "$((k1 - k0))"
done

# Unloaded: no hook of ours is left on __tcp_close.
unload_module
expect_eq "ftrace: nothing left on __tcp_close" "$(grep -c '^__tcp_close' $tracefs/enabled_functions)" 0

# The human format says it plainly.
load_module
start_events hum
evscen unread -p 5904 -n 1234 >/dev/null
wait_for 30000 grep -q unread-close /tmp/hum.out
stop_events $EV_PID
cat /tmp/hum.out
expect_match "human line" "$(cat /tmp/hum.out)" 'unread-close +127\.0\.0\.1:[0-9]+ -> 127\.0\.0\.1:5904 ESTABLISHED pid [0-9]+ \(ts-client\) uid 0: closed with 1234 unread bytes, RST sent instead of FIN'
finish
