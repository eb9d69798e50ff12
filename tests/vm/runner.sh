#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs every in-guest case (tests/vm/NN-*.sh) in order, each in its own
# shell under a timeout, and judges it by its exit status AND by the health
# of the kernel afterwards: any WARN/BUG/oops/stall in dmesg or any taint
# other than O (out-of-tree) and E (unsigned) fails the case. A case that
# exits 77 (lib.sh skip) is skipped, never passed. Results are written to
# fd 3 (the second serial port) as "RESULT PASS|FAIL|SKIP name".
# Usage: runner.sh [CASE_PATTERN]
pattern=${1:-}
cd /tests || exit 1
. /tests/lib.sh

result() { echo "RESULT $*" >&3; }

# Kernel messages that mean the kernel is no longer trustworthy.
BAD_DMESG='WARNING:|BUG:|Oops|general protection|Call Trace|soft lockup|hard LOCKUP|rcu_.*(stall|detected)|INFO: task .* blocked|refcount_t:|list_(add|del) corruption|kfence|KFENCE|Slab corruption|Redzone|Poison overwritten|objects leaked|tcpstate: .*(leak|bug)'
ALLOWED_TAINT=$((4096 | 8192))

dmesg_lines() { dmesg | wc -l; }

orphans() {
	awk '$1 == "TCP:" { for (i = 2; i < NF; i++) if ($i == "orphan") print $(i + 1) }' /proc/net/sockstat
}

# Orphaned sockets (closed, still finishing their FIN exchange) are
# counted host-wide against net.ipv4.tcp_max_orphans, whatever their
# netns. A case that closes 100,000 sockets leaves many for seconds after
# its processes are gone, and the next case's close() then sends RST
# instead of FIN ("TCP: too many orphaned sockets"): its CLOSE_WAIT
# peers become CLOSE. Wait for them to drain (at most 120 s).
wait_orphans_drained() {
	local n waited=0

	while n=$(orphans) && [ "${n:-0}" -gt 64 ] && [ $waited -lt 120 ]; do
		sleep 1
		waited=$((waited + 1))
	done
	[ $waited -gt 0 ] && echo "--- waited ${waited}s for orphaned sockets to drain ($(orphans) left)"
	return 0
}

kernel_health() {
	local since=$1 bad taint
	bad=$(dmesg | tail -n +"$((since + 1))" | grep -E "$BAD_DMESG" | head -n 5)
	if [ -n "$bad" ]; then
		echo "kernel reported: $bad" | tr '\n' ' '
		return 1
	fi
	taint=$(cat /proc/sys/kernel/tainted)
	if [ $((taint & ~ALLOWED_TAINT)) -ne 0 ]; then
		echo "kernel tainted: $taint"
		return 1
	fi
	return 0
}

passed=0
failed=0
skipped=0
# Cases under manual/ (emulator self-checks, long soaks) run only when
# the pattern names that directory, e.g. tcpstate.cases=manual/.
manual=
case "$pattern" in manual/*) manual=/tests/manual/*.sh ;; esac
for f in /tests/[0-9][0-9]-*.sh $manual; do
	name=$(basename "$f" .sh)
	case "$f" in /tests/manual/*) name=manual/$name ;; esac
	if [ -n "$pattern" ] && ! echo "$name" | grep -qE "$pattern"; then
		continue
	fi
	# A case may ask for a longer limit with a "# timeout: SECONDS" line.
	limit=$(sed -n 's/^# timeout: *\([0-9][0-9]*\).*/\1/p' "$f" | head -n 1)
	# A slower kernel stretches it (SLOW, lib.sh: tcpstate.timeout_scale).
	limit=$((${limit:-300} * SLOW))
	result "START $name"
	echo "=== case $name (timeout ${limit}s)"
	since=$(dmesg_lines)
	t0=$(cut -d. -f1 /proc/uptime)
	# Stream the output to the console as it comes (a hang shows where).
	rm -f /tmp/case.rc
	{
		timeout "$limit" sh "$f" 2>&1
		echo $? >/tmp/case.rc
	} | tee /tmp/case.log
	rc=$(cat /tmp/case.rc 2>/dev/null || echo 1)
	t1=$(cut -d. -f1 /proc/uptime)
	why=
	skip=
	if [ "$rc" -eq 77 ]; then
		# lib.sh skip(): the case does not apply here, and says why.
		skip=$(sed -n 's/^  SKIP - //p' /tmp/case.log | head -n 1)
		skip=${skip:-no reason given}
	elif [ "$rc" -eq 124 ] || [ "$rc" -eq 143 ]; then
		why="timed out after ${limit}s"
	elif [ "$rc" -ne 0 ]; then
		why="exit $rc: $(grep -E 'FAIL|not ok' /tmp/case.log | head -n 3 | tr '\n' ' ')"
	fi
	health=$(kernel_health "$since") || why="${why:+$why; }$health"
	# Leave the next case a clean slate.
	cleanup_guest >/dev/null 2>&1
	wait_orphans_drained
	if [ -z "$why" ] && [ -n "$skip" ]; then
		skipped=$((skipped + 1))
		result "SKIP $name $((t1 - t0))s $skip"
	elif [ -z "$why" ]; then
		passed=$((passed + 1))
		result "PASS $name $((t1 - t0))s"
	else
		failed=$((failed + 1))
		result "FAIL $name $((t1 - t0))s $why"
		echo "--- dmesg tail after $name"
		dmesg | tail -n 40
	fi
done
result "DONE $passed passed, $failed failed, $skipped skipped"
