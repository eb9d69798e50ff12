# SPDX-License-Identifier: GPL-2.0
# Helpers for in-guest cases. Each case is a busybox sh script; it prints
# "ok - ..." / "FAIL - ..." lines for people and exits non-zero on failure.

KO=/lib/tcpstate/tcpstate.ko
FAILS=0

ok() { echo "  ok - $*"; }
# How much slower than Debian's kernel this one is (the debug lane's KASAN
# + lockdep kernel boots with tcpstate.timeout_scale=4): case limits and
# the slack of timing bounds grow with it.
SLOW=$(sed -n 's/.*tcpstate\.timeout_scale=\([0-9][0-9]*\).*/\1/p' /proc/cmdline 2>/dev/null)
SLOW=${SLOW:-1}
# The guest's clock in ms: bounds that must cover the time a slow guest
# takes between two points of a case measure it instead of guessing.
uptime_ms() { awk '{ printf "%d", $1 * 1000 }' /proc/uptime; }
# late BASE SLACK: an upper bound in ms, BASE plus SLACK scaled by SLOW.
late() { echo $(($1 + $2 * SLOW)); }
# wait_for MS COMMAND...: run COMMAND every 0.1 s until it succeeds, for
# at most MS ms times SLOW by the guest's clock (a count of sleeps runs
# long under TCG on a loaded host). False if it never did. MS bounds how
# long a failure takes to show, not how long a pass may take: be generous.
wait_for() {
	local deadline=$(($(uptime_ms) + $1 * SLOW))
	shift
	while :; do
		"$@" && return 0
		[ "$(uptime_ms)" -lt "$deadline" ] || return 1
		sleep 0.1
	done
}
# Upper bounds on an age are measured: uptime_ms before the socket got
# its state, and after the age was read. What is left to allow for is
# the clocks: /proc/uptime counts in 10 ms steps, the module's ages in
# jiffies (4 ms at HZ=250), and jiffies read with interrupts off on a vCPU
# the host has just descheduled lag until the tick is taken.
CLOCK_SLACK_MS=250
# since_ms T0: ms from T0 (an uptime_ms reading) to now, plus that slack.
since_ms() { echo $(($(uptime_ms) - $1 + CLOCK_SLACK_MS)); }
# genl_field STATS KEY: one figure (p50, p99, max...) of genlping's line.
genl_field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
# genl_bound MS IDLE KEY: an upper bound in us on genlping's KEY figure
# under load: late MS MS, plus four times the same guest's idle figure
# IDLE (genlping shares the guest's CPUs with the load, and gets at least
# a third of them). On Debian's kernels the idle p99 is under 1 ms; the RT
# debug kernel answers nlctrl in 0.1-0.5 s at p99 even idle, above any
# fixed bound a stalled nlctrl would still pass.
genl_bound() { echo $((($(late "$1" "$1") + 4 * $(genl_field "$2" "$3") / 1000) * 1000)); }
# volume N: N divided by SLOW. The volume cases (sockets, messages, load
# cycles, events) run 1/SLOW of their volume on the debug lane: its KASAN
# and lockdep check the same paths, not the volume, which make check on
# Debian's kernels holds in full.
volume() { echo $(($1 / SLOW)); }
# debug_kernel: true on the debug lane's kernel (tests/debug/: KASAN,
# lockdep, kmemleak). KASAN's quarantine keeps freed objects in the slab
# figures there, so slab comparisons mean nothing; 99-kmemleak checks
# leaks instead.
debug_kernel() {
	case "$(uname -r)" in
	*-tcpstate-debug | *-tcpstate-debug-rt) return 0 ;;
	esac
	return 1
}
fail() {
	echo "  FAIL - $*"
	FAILS=$((FAILS + 1))
}

# check DESCRIPTION COMMAND...: pass if the command succeeds.
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else fail "$desc"; fi
}

# expect_eq DESCRIPTION GOT WANT
expect_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		fail "$1: got '$2', want '$3'"
	fi
}

# expect_match DESCRIPTION TEXT EXTENDED_REGEX
expect_match() {
	if echo "$2" | grep -qE -- "$3"; then
		ok "$1"
	else
		fail "$1: '$2' does not match /$3/"
	fi
}

# expect_empty DESCRIPTION COMMAND...: the command succeeds and prints
# nothing (a crash prints nothing too, so the status counts).
expect_empty() {
	local desc=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" -ne 0 ]; then
		fail "$desc: exit $rc: $(echo $out | head -c 200)"
	elif [ -n "$out" ]; then
		fail "$desc: got '$(echo $out | head -c 200)', want nothing"
	else
		ok "$desc"
	fi
}

# expect_le DESCRIPTION A B: A <= B (integers)
expect_le() {
	if [ "$2" -le "$3" ] 2>/dev/null; then
		ok "$1 ($2 <= $3)"
	else
		fail "$1: $2 > $3"
	fi
}

# skip REASON: the case does not apply to this kernel; counted as skipped
# (exit 77), never as passed. Only where the README says why. A case that
# has already failed a check fails: a skip never hides a failure.
skip() {
	if [ "$FAILS" -ne 0 ]; then
		echo "  (not skipped: $FAILS check(s) failed before: $*)"
		finish
	fi
	echo "  SKIP - $*"
	exit 77
}

finish() {
	if [ "$FAILS" -ne 0 ]; then
		echo "  $FAILS check(s) failed"
		exit 1
	fi
	exit 0
}

module_loaded() { [ -d /sys/module/tcpstate ]; }

load_module() {
	module_loaded || insmod "$KO" "$@"
}

try_rmmod() { rmmod tcpstate 2>/dev/null; }
unload_module() {
	module_loaded || return 0
	# An in-flight netlink dump holds a module reference for a moment:
	# 2 s (times SLOW) of it.
	wait_for 2000 try_rmmod && return 0
	rmmod tcpstate
}

# Kill what cases started and return to "module loaded, nothing running".
# Only the init (PID 1) and the calling shell survive; kernel threads have
# no /proc/PID/exe and are never touched.
# Kill every user process but init and this shell, and wait (at most
# 60 s, times SLOW) until each is a zombie or gone: only then has it
# closed its files, and one holding 100,000 sockets takes 20 s or more to
# close them under TCG. Left running, it once overlapped the next cases
# and pushed the orphan count over tcp_max_orphans (see
# wait_orphans_drained in runner.sh).
cleanup_guest() {
	local p st rest state ppid left tries=0
	while :; do
		left=0
		for p in $(ls /proc | grep -E '^[0-9]+$'); do
			[ "$p" -le 2 ] && continue
			[ "$p" = "$$" ] && continue
			read -r st <"/proc/$p/stat" 2>/dev/null || continue
			rest=${st##*) }
			state=${rest%% *}
			rest=${rest#* }
			ppid=${rest%% *}
			[ "$ppid" = 2 ] && continue	# a kernel thread
			[ "$state" = Z ] && continue
			kill -9 "$p" 2>/dev/null && left=$((left + 1))
		done
		{ [ $left -eq 0 ] || [ $tries -ge $((300 * SLOW)) ]; } && break
		tries=$((tries + 1))
		sleep 0.2
	done
	load_module
}

# start_scen READY_NAME ARGS...: run tcpscen in the background and wait
# until it has built its sockets. Prints its pid. It may take SCEN_WAIT
# seconds (default 60), times SLOW, by the guest's clock: a loop of
# 0.1 s sleeps takes longer than it counts under TCG on a loaded host.
start_scen() {
	local name=$1 deadline
	shift
	rm -f "/tmp/$name.ready"
	tcpscen -r "/tmp/$name.ready" "$@" >"/tmp/$name.log" 2>&1 &
	deadline=$(( $(cut -d. -f1 /proc/uptime) + ${SCEN_WAIT:-60} * SLOW ))
	while [ "$(cut -d. -f1 /proc/uptime)" -lt "$deadline" ]; do
		if [ -s "/tmp/$name.ready" ]; then
			cut -d' ' -f2 "/tmp/$name.ready"
			return 0
		fi
		kill -0 $! 2>/dev/null || break
		sleep 0.1
	done
	echo "tcpscen $name did not get ready in $((${SCEN_WAIT:-60} * SLOW)) s:" >&2
	cat "/tmp/$name.log" >&2
	return 1
}

# ss's state names, mapped to the kernel's (tcpstatectl's). Request sockets
# are SYN-RECV to ss.
ss_to_kernel_state() {
	sed -e 's/^ESTAB$/ESTABLISHED/' -e 's/^SYN-SENT$/SYN_SENT/' \
		-e 's/^SYN-RECV$/SYN_RECV/' -e 's/^FIN-WAIT-1$/FIN_WAIT1/' \
		-e 's/^FIN-WAIT-2$/FIN_WAIT2/' -e 's/^TIME-WAIT$/TIME_WAIT/' \
		-e 's/^UNCONN$/CLOSE/' -e 's/^CLOSE-WAIT$/CLOSE_WAIT/' \
		-e 's/^LAST-ACK$/LAST_ACK/'
}

# "STATE COUNT" lines, sorted, zero counts left out, from ss -tan.
ss_counts() {
	ss -tanH "$@" | awk '{print $1}' | ss_to_kernel_state | sort | uniq -c |
		awk '{print $2, $1}' | sort
}

# The same from tcpstatectl counts (NEW_SYN_RECV folded into SYN_RECV).
ts_counts() {
	tcpstatectl counts -H "$@" | awk '$1 != "Total" && $2 != 0 {print $1, $2}' |
		sed 's/^NEW_SYN_RECV /SYN_RECV /' |
		awk '{c[$1] += $2} END {for (s in c) print s, c[s]}' | sort
}

# msdiff A B: the lines of file B that A does not have, as multisets: a
# line B holds twice and A once is printed once (grep -vxF would not).
msdiff() {
	awk 'NR == FNR { n[$0]++; next } { if (n[$0] > 0) n[$0]--; else print }' "$1" "$2"
}

# same_tuples DESCRIPTION TCPSTATECTL_CMD SS_CMD: two snapshots of the
# socket tables, as sorted "LOCAL PEER" lines (ts_tuples / ss_tuples
# commands, eval'd), must be equal as multisets: a row listed twice is a
# failure. A scenario's sockets expire while a case runs (TIME_WAIT after
# 60 s, FIN_WAIT2 orphans after tcp_fin_timeout, each taking its
# CLOSE_WAIT peer along with its RST), and on a slow guest expiries fall
# between the two snapshots. Where this is used no new socket appears, so
# when they differ tcpstatectl's is taken once more (c) and the three must
# nest, c <= ss <= first: ss saw nothing tcpstatectl missed earlier, and
# tcpstatectl later showed nothing ss did not. Both commands must succeed.
# Sets SAME_WANT to the ss snapshot.
same_tuples() {
	local desc=$1 missed invented
	if ! eval "$2" >/tmp/same.a || ! eval "$3" >/tmp/same.b; then
		fail "$desc: a snapshot command failed"
		return
	fi
	SAME_WANT=$(cat /tmp/same.b)
	if cmp -s /tmp/same.a /tmp/same.b; then
		ok "$desc"
		return
	fi
	if ! eval "$2" >/tmp/same.c; then
		fail "$desc: the second snapshot failed"
		return
	fi
	missed=$(msdiff /tmp/same.a /tmp/same.b)
	invented=$(msdiff /tmp/same.b /tmp/same.c)
	if [ -z "$missed" ] && [ -z "$invented" ]; then
		ok "$desc ($(msdiff /tmp/same.b /tmp/same.a | wc -l) expired between the snapshots)"
	else
		fail "$desc: ss saw, tcpstatectl did not: '$(echo $missed)'; tcpstatectl saw, ss did not (or twice): '$(echo $invented)'"
	fi
}

# "LOCAL PEER" lines, sorted, as ss -tan prints them; ss's "*" for a
# dual-stack wildcard is written [::] as tcpstatectl does.
# Both fail when their command does (a crash prints nothing, as an empty
# table does).
ss_tuples() {
	ss -tanH "$@" >/tmp/tuples.ss || return 1
	awk '{print $(NF-1), $NF}' /tmp/tuples.ss |
		sed -e 's/^\*:/[::]:/' -e 's/ \*:/ [::]:/' | sort
}

ts_tuples() {
	tcpstatectl list -H "$@" >/tmp/tuples.ts || return 1
	awk '{print $4, $5}' /tmp/tuples.ts | sort
}

# Whole rows, every field of list that ss can show, one socket a line,
# sorted: "STATE RECV-Q SEND-Q LOCAL PEER UID INODE NETNS" with ss's state
# names and address forms. ss -e gives uid (printed only when not 0) and
# inode; ss has no netns column, but shows only the sockets of its own
# namespace, which is therefore the namespace of each of its rows. For
# same_tuples, which also takes care of sockets expiring between the
# snapshots; a socket whose queues move between them fails it, so they
# compare scenarios at rest. ss_rows takes no state filter: ss leaves its
# State column out under one. (ss -e complains on stderr about a missing
# cgroup2 mount once per socket: kept out of the log.)
ss_rows() {
	local ns
	case " $* " in *" state "*)
		echo "ss_rows: no state filter (ss drops the State column)" >&2
		return 1 ;;
	esac
	ns=$(readlink /proc/self/ns/net | tr -dc 0-9)
	ss -tanHe "$@" >/tmp/rows.ss 2>/tmp/rows.ss.err || return 1
	awk -v ns="$ns" '{
		ino = "-"; uid = 0
		for (i = 6; i <= NF; i++) {
			if ($i ~ /^ino:/) ino = substr($i, 5)
			if ($i ~ /^uid:/) uid = substr($i, 5)
		}
		print $1, $2, $3, $4, $5, uid, ino, ns
	}' /tmp/rows.ss | sed -e 's/ \*:/ [::]:/g' | sort
}

ts_rows() {
	tcpstatectl list --tsv -H "$@" >/tmp/rows.ts || return 1
	awk -F'\t' '
	function ep(a, p) {
		if (a ~ /:/) a = "[" a "]"
		return a ":" (p == 0 ? "*" : p)
	}
	{ print $1, $2, $3, ep($4, $5), ep($6, $7), $8, $9, $12 }' /tmp/rows.ts |
		ss_state_names | sort
}

# Owners, per socket: "STATE LOCAL PEER OWNERS", OWNERS the sorted
# comm/pid/fd of every fd that holds the socket, comma-separated, or "-"
# when none does. From ss -tanp, and from list -p --json (owner_kind
# "fd"; the unaccepted, closed-by and hidden kinds name no fd holder, and
# ss names none for them either).
ss_owner_rows() {
	case " $* " in *" state "*)
		echo "ss_owner_rows: no state filter (ss drops the State column)" >&2
		return 1 ;;
	esac
	ss -tanpH "$@" >/tmp/owners.ss || return 1
	awk '{
		s = $0; n = 0
		while (match(s, /\("[^"]*",pid=[0-9]+,fd=[0-9]+\)/)) {
			p = substr(s, RSTART + 2, RLENGTH - 3); s = substr(s, RSTART + RLENGTH)
			split(p, f, /",pid=|,fd=/)
			o[++n] = f[1] "/" f[2] "/" f[3]
		}
		print $1, $4, $5, n ? join(o, n) : "-"
	}
	function join(a, n,   i, j, t, r) {
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
		r = a[1]
		for (i = 2; i <= n; i++) r = r "," a[i]
		return r
	}' /tmp/owners.ss | sed -e 's/ \*:/ [::]:/g' | sort
}

ts_owner_rows() {
	tcpstatectl list -p --json "$@" >/tmp/owners.ts || return 1
	awk '/"state": / {
		match($0, /"state": "[^"]*"/); st = substr($0, RSTART + 10, RLENGTH - 11)
		match($0, /"local_addr": "[^"]*"/); la = substr($0, RSTART + 15, RLENGTH - 16)
		match($0, /"local_port": [0-9]+/); lp = substr($0, RSTART + 14, RLENGTH - 14)
		match($0, /"remote_addr": "[^"]*"/); ra = substr($0, RSTART + 16, RLENGTH - 17)
		match($0, /"remote_port": [0-9]+/); rp = substr($0, RSTART + 15, RLENGTH - 15)
		if (la ~ /:/) la = "[" la "]"
		if (ra ~ /:/) ra = "[" ra "]"
		if (rp == 0) rp = "*"
		n = 0; s = $0
		if (index($0, "\"owner_kind\": \"fd\""))
			while (match(s, /"pid": [0-9]+, "comm": "[^"]*", "fds": [[][0-9, ]*[]]/)) {
				p = substr(s, RSTART, RLENGTH); s = substr(s, RSTART + RLENGTH)
				match(p, /"pid": [0-9]+/); pid = substr(p, RSTART + 7, RLENGTH - 7)
				match(p, /"comm": "[^"]*"/); comm = substr(p, RSTART + 9, RLENGTH - 10)
				match(p, /[[][0-9, ]*[]]/); f = substr(p, RSTART + 1, RLENGTH - 2)
				k = split(f, fds, ", ")
				for (i = 1; i <= k; i++) o[++n] = comm "/" pid "/" fds[i]
			}
		print st, la ":" lp, ra ":" rp, n ? join(o, n) : "-"
	}
	function join(a, n,   i, j, t, r) {
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
		r = a[1]
		for (i = 2; i <= n; i++) r = r "," a[i]
		return r
	}' /tmp/owners.ts | ss_state_names | sort
}

# Kernel state names (first word of each line) as ss prints them.
ss_state_names() {
	sed -e 's/^ESTABLISHED /ESTAB /' -e 's/^SYN_SENT /SYN-SENT /' \
		-e 's/^NEW_SYN_RECV /SYN-RECV /' -e 's/^SYN_RECV /SYN-RECV /' \
		-e 's/^FIN_WAIT1 /FIN-WAIT-1 /' -e 's/^FIN_WAIT2 /FIN-WAIT-2 /' \
		-e 's/^TIME_WAIT /TIME-WAIT /' -e 's/^CLOSE_WAIT /CLOSE-WAIT /' \
		-e 's/^LAST_ACK /LAST-ACK /' -e 's/^CLOSE /UNCONN /'
}

# Milliseconds in state of the sockets matching a list filter, one per line.
ts_ages() {
	tcpstatectl list --tsv -H "$@" >/tmp/ages.tsv || return 1
	cut -f10 /tmp/ages.tsv
}

# Run the rest of the calling case in a fresh network namespace with
# loopback up. Cases that compare two snapshots of the socket tables (ours
# and ss's) use it, so that sockets left by earlier cases, expiring as
# they go, cannot make the snapshots differ.
fresh_netns() {
	if [ -z "${TS_IN_NETNS:-}" ]; then
		TS_IN_NETNS=1 exec unshare -n sh "$0" "$@"
	fi
	ip link set lo up
	# FIN_WAIT2 orphans live tcp_fin_timeout (60 s); a slow guest's case
	# can outlast that, so they live as much longer as it is slower.
	sysctl -qw net.ipv4.tcp_fin_timeout=$((60 * SLOW))
}

# one_bucket_netns "$@": fresh_netns's new namespace, whose TCP ehash
# has a single bucket (tcp_child_ehash_entries=1, which any user may ask
# for its own namespaces): every connection in one chain, the walks'
# worst case. Call it with the case's arguments, before anything else.
one_bucket_netns() {
	if [ -z "${TS_IN_NETNS:-}" ]; then
		sysctl -qw net.ipv4.tcp_child_ehash_entries=1
		TS_IN_NETNS=1 unshare -n sh "$0" "$@"
		rc=$?
		sysctl -qw net.ipv4.tcp_child_ehash_entries=0
		exit $rc
	fi
	ip link set lo up
}

# resyn_run RUN STABLE ARGS...: one run of resyn (tests/scenario/resyn.c)
# and its checks: it ran, each of the STABLE connections is listed exactly
# once, no row twice, and the dump ended.
resyn_run() {
	local run=$1 stable=$2 out rc
	shift 2
	out=$(resyn -s "$stable" "$@" 2>&1)
	rc=$?
	echo "run $run: $out"
	expect_eq "run $run: resyn ran" "$rc" 0
	# round R reads N rows N stable_once N stable_missing N stable_dup N dup_rows N ended 0|1
	set -- $(echo "$out" | tr '=' ' ')
	expect_eq "run $run: every stable connection listed once" \
		"$8 missing ${10} twice ${12}" "$stable missing 0 twice 0"
	expect_eq "run $run: no row twice" "${14}" 0
	expect_eq "run $run: the dump ended" "${16}" 1
}

# A TcpExt counter of this netns from /proc/net/netstat (what nstat shows).
netstat_counter() {
	awk -v name="$1" '/^TcpExt:/ {
		if (!h) { for (i = 2; i <= NF; i++) col[i] = $i; h = 1 }
		else { for (i = 2; i <= NF; i++) if (col[i] == name) print $i }
	}' /proc/net/netstat
}

# A field of tcpstatectl stats --json, e.g. stat_field abort_on_close.
stat_field() {
	tcpstatectl stats --json | tr ',{}' '\n\n\n' | grep "\"$1\":" | head -n 1 |
		sed 's/.*: *//'
}

# key=value from a scenario's output file.
kv() { sed -n "s/^$2=//p" "$1" | head -n 1; }

# JSON field of one event line (numbers, strings, booleans).
jf() { echo "$1" | tr ',{}' '\n\n\n' | grep "\"$2\":" | head -n 1 | sed 's/.*": *//; s/"//g'; }

# Start an event subscriber in the background; waits until it has joined.
# Usage: start_events NAME [tcpstatectl events args...]; pid in $EV_PID.
start_events() {
	local name=$1
	shift
	tcpstatectl events "$@" >"/tmp/$name.out" 2>"/tmp/$name.err" &
	EV_PID=$!
	# Wait until it has joined the group, however slow the guest.
	wait_subscribed "$EV_PID" || fail "events subscriber $name did not join the group"
}

# The newest event number of this namespace (stats): read it before a
# subscriber joins, as the BASE of events_caught_up.
events_seq() { stat_field event_seq; }

# events_caught_up NAME BASE: wait until the subscriber started as
# "start_events NAME --json" (no filter) has printed every event of this
# namespace numbered after BASE, up to the newest there is now. Events go
# out from a worker a tick or more after they happen, so a subscriber
# stopped at a fixed time may miss some on a slow guest; once this one has
# them all, the module has multicast them all, to every subscriber of the
# namespace, and whatever a subscriber should not have got, it has got.
# At most 30 s (times SLOW): that is only how long a failure takes.
events_caught_up() {
	local want=$(($(events_seq) - $2))
	wait_for 30000 events_printed "$1" "$want" && return 0
	fail "subscriber $1 printed $(grep -c '"seq": ' "/tmp/$1.out") of the $want events since it joined"
	return 1
}
events_printed() { [ "$(grep -c '"seq": ' "/tmp/$1.out")" -ge "$2" ]; }

# stop_events PID: SIGTERM a subscriber: it takes what is still queued on
# its socket, prints it and exits. Returns its exit status.
stop_events() {
	kill -TERM "$1" 2>/dev/null
	wait "$1"
}

# wait_subscribed PID: until a generic netlink socket of PID has joined a
# multicast group (/proc/net/netlink: protocol 16, Groups not zero), at
# most 2 s plus 3 s per SLOW; false if it never does or PID exits.
wait_subscribed() {
	local pid=$1 deadline fd ino
	deadline=$(($(uptime_ms) + $(late 2000 3000)))
	while [ "$(uptime_ms)" -lt "$deadline" ] && [ -d "/proc/$pid" ]; do
		for fd in /proc/"$pid"/fd/*; do
			ino=$(readlink "$fd" 2>/dev/null | sed -n 's/^socket:\[\([0-9]*\)\]$/\1/p')
			[ -n "$ino" ] || continue
			awk -v i="$ino" '$2 == 16 && $NF == i && $4 != "00000000" { f = 1 } END { exit !f }' \
				/proc/net/netlink && return 0
		done
		sleep 0.05
	done
	return 1
}
