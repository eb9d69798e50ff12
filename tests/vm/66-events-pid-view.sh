# Events name processes as the subscriber's side may see them. A container
# (new user, pid and network namespaces; its root is uid 1000 outside
# when unprivileged user namespaces are allowed) has CAP_NET_ADMIN over
# its own network namespace only: its subscriber must see its own
# processes by their pids in its pid namespace, and a host process that
# entered its network namespace as pid 0 (invisible), never by a pid of
# the initial pid namespace. A subscriber in the initial namespaces still
# sees the real (initial pid namespace) pids.
# timeout: 300
. /tests/lib.sh

load_module
# The host: initial user, pid and network namespaces.
start_events 66host --json --count 1 --timeout $((10 * SLOW))
h4unread -p 5661 -n 661 >/tmp/66host.gen
wait $EV_PID
cat /tmp/66host.out
hev=$(grep '"unread_bytes": 661' /tmp/66host.out)
expect_eq "host: sees its event" "$(echo "$hev" | grep -c .)" 1
expect_eq "host: real pid" "$(jf "$hev" pid)" "$(kv /tmp/66host.gen client_pid)"
expect_eq "host: real tid" "$(jf "$hev" tid)" "$(kv /tmp/66host.gen client_pid)"

# The container. It subscribes, closes one connection of its own with
# unread data, then waits for the host to close one in its namespace.
if runas 1000 unshare -Urn true 2>/dev/null; then
	as=1000
	run="runas 1000"
else
	echo "  note: unprivileged user namespaces are off; the container's root is uid 0 outside"
	as=0
	run=
fi
rm -f /tmp/66c.*
$run unshare -U -r -p -n -f sh -c '
	. /tests/lib.sh
	ip link set lo up
	tcpstatectl events --json --count 2 --timeout $((20 * SLOW)) \
		>/tmp/66c.out 2>/tmp/66c.err &
	sleep 1
	h4unread -p 5662 -n 662 >/tmp/66c.gen
	echo "shell_pid=$$" >>/tmp/66c.gen
	touch /tmp/66c.fired
	wait
' &
upid=$!
deadline=$(( $(cut -d. -f1 /proc/uptime) + 20 * SLOW ))
while [ ! -e /tmp/66c.fired ] && [ "$(cut -d. -f1 /proc/uptime)" -lt "$deadline" ]; do
	sleep 0.1
done
check "the container's connection closed" test -e /tmp/66c.fired
# A host process (initial user and pid namespaces) in the container's
# network namespace.
nsenter -t $upid -n h4unread -p 5663 -n 663 >/tmp/66x.gen
wait $upid
cat /tmp/66c.gen /tmp/66c.out /tmp/66c.err /tmp/66x.gen
expect_eq "container: its shell is pid 1 of its pid namespace" "$(kv /tmp/66c.gen shell_pid)" 1
cev=$(grep '"unread_bytes": 662' /tmp/66c.out)
expect_eq "container: sees its own event" "$(echo "$cev" | grep -c .)" 1
cpid=$(kv /tmp/66c.gen client_pid)
expect_eq "container: pid as its pid namespace sees it" "$(jf "$cev" pid)" "$cpid"
expect_eq "container: tid as its pid namespace sees it" "$(jf "$cev" tid)" "$cpid"
expect_eq "container: uid as its user namespace sees it" "$(jf "$cev" uid)" 0
xev=$(grep '"unread_bytes": 663' /tmp/66c.out)
expect_eq "container: sees the host process's event in its namespace" "$(echo "$xev" | grep -c .)" 1
expect_eq "container: the host process's pid is hidden (0)" "$(jf "$xev" pid)" 0
expect_eq "container: its tid too" "$(jf "$xev" tid)" 0
expect_eq "container: and its name" "$(echo "$xev" | grep -o '"comm": "[^"]*"')" '"comm": ""'
expect_match "container: its own process's name is shown" "$(echo "$cev" | grep -o '"comm": "[^"]*"')" '"comm": "[^"]+"'
check "the host process's real pid was not 0" test "$(kv /tmp/66x.gen client_pid)" -gt 0
expect_eq "container: no event of the host's namespace" "$(grep -c '"unread_bytes": 661' /tmp/66c.out)" 0
[ "$as" = 1000 ] && ok "the container's root was uid 1000 outside"
finish
