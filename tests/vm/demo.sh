# SPDX-License-Identifier: GPL-2.0
# The guest side of `make demo`: build the stuck sockets of the mission
# (a server leaking CLOSE_WAIT, a client piling up TIME_WAIT toward one
# server, connections stuck unaccepted in a full accept queue) and let
# tcpstatectl diagnose them. Output goes to the console; the host prints it.
. /tests/lib.sh

say() {
	printf '\n$ %s\n' "$*"
	"$@"
}
note() { printf '\n# %s\n' "$*"; }

echo "==== tcpstate demo on Linux $(uname -r)"
sysctl -qw net.ipv4.ip_local_port_range="40000 44999"
load_module
say tcpstatectl version

note "Setting up: a server on :8080 that never calls close() after its clients hang up"
note "(CLOSE_WAIT leak); a client that opened and closed 3000 connections to one server,"
note "127.0.0.1:9090 (TIME_WAIT pile-up); a listener on :7071 whose full accept queue holds"
note "connections the peer has already closed."
start_scen leak -p 8080 estab:20 closewait:40 >/dev/null
start_scen tw -x -p 9090 timewait:3000 >/dev/null
start_scen q -p 7070 unaccepted:8 >/dev/null
sleep 2

note "How many sockets in which state? (counted in the kernel)"
say tcpstatectl counts
note "Which sockets are stuck in CLOSE_WAIT, and for how long?"
tcpstatectl list --state CLOSE_WAIT --sport 8080 >/tmp/cw
printf '\n$ tcpstatectl list --state CLOSE_WAIT --sport 8080 | head -n 6\n'
head -n 6 /tmp/cw
echo "... ($(($(wc -l </tmp/cw) - 1)) sockets)"
note "Which process leaks them? (owners found in the kernel, like ss -p but one pass)"
tcpstatectl list -p --state CLOSE_WAIT --sport 8080 >/tmp/cwp
printf '\n$ tcpstatectl list -p --state CLOSE_WAIT --sport 8080 | head -n 4\n'
head -n 4 /tmp/cwp
say tcpstatectl counts --by process --state CLOSE_WAIT
note "Only those stuck for more than a second:"
say tcpstatectl counts --state close-wait --older-than 1s
note "TIME_WAIT pile-up: toward which peer are the local ports going?"
say tcpstatectl counts --by raddr --state time-wait
note "A full accept queue: Recv-Q/Send-Q of a listener are its queue length and backlog"
say tcpstatectl list --state listen --sport 7071
say tcpstatectl list -p --state close-wait --sport 7071 -H
note "The same, for scripts:"
printf '\n$ tcpstatectl list --json --state close-wait --sport 7071 | head -n 3\n'
tcpstatectl list --json --state close-wait --sport 7071 | head -n 3
note "Who closes connections with unread data (RST instead of FIN), and who gets SIGPIPE?"
note "(a client that reads no reply; a server writing after its peer reset)"
tcpstatectl events --timeout 6 >/tmp/demo-events.out 2>&1 &
evp=$!
# diagnose watches the same 6 seconds: snapshots at both ends, the events between.
tcpstatectl diagnose --interval 6s >/tmp/demo-diag.out 2>&1 &
dgp=$!
sleep 1
evscen unread -p 8181 -n 5000 >/dev/null
evscen epipe -p 8182 >/dev/null
wait $evp
printf '\n$ tcpstatectl events\n'
cat /tmp/demo-events.out
note "All of it in one command: what is wrong, who causes it, and what to do."
wait $dgp
printf '\n$ tcpstatectl diagnose --interval 6s\n'
cat /tmp/demo-diag.out
say tcpstatectl stats
note "And without the tool:"
say cat /proc/net/tcpstate
echo
echo "==== end of demo"
