# Events reach only subscribers of the namespace where they happen, and
# only privileged ones.
# timeout: 400
. /tests/lib.sh

load_module
# Both subscribers listen while both failures happen, the child's first.
# The host's subscriber stops at its first event, which must be its own;
# the child's waits for a second one, which must not come. Limits grow
# with the guest's slowness: each event's netlink round trips, scenario
# and namespace set-up take seconds on the debug kernel.
rm -f /tmp/child.fired
start_events host --json --count 1 --timeout $((10 * SLOW))
host_ev=$EV_PID
unshare -n sh -c '
	. /tests/lib.sh
	ip link set lo up
	start_events child --json --count 2 --timeout $((6 * SLOW))
	evscen unread -p 5931 -n 777 >/tmp/child.gen
	touch /tmp/child.fired
	wait $EV_PID
' &
ns_sh=$!
deadline=$(( $(cut -d. -f1 /proc/uptime) + 10 * SLOW ))
while [ ! -e /tmp/child.fired ] && [ "$(cut -d. -f1 /proc/uptime)" -lt "$deadline" ]; do
	sleep 0.1
done
evscen unread -p 5932 -n 888 >/tmp/host.gen
wait $host_ev
wait $ns_sh
cat /tmp/host.out /tmp/child.out
expect_eq "child saw its event" "$(grep -c '"unread_bytes": 777' /tmp/child.out)" 1
expect_eq "child did not see the host's" "$(grep -c '"unread_bytes": 888' /tmp/child.out)" 0
expect_eq "host saw its event" "$(grep -c '"unread_bytes": 888' /tmp/host.out)" 1
expect_eq "host did not see the child's" "$(grep -c '"unread_bytes": 777' /tmp/host.out)" 0
cns=$(jf "$(cat /tmp/child.out)" netns)
hns=$(readlink /proc/self/ns/net | tr -dc 0-9)
check "child event carries the child netns" test "$cns" != "$hns"

# Unprivileged: refused, with a clear message.
out=$(runas 1000 tcpstatectl events --timeout 1 2>&1)
rc=$?
echo "$out"
expect_eq "uid 1000 refused: exit 1" "$rc" 1
expect_match "clear permission message" "$out" 'permission denied: subscribing needs CAP_NET_ADMIN'
# Admin of its own namespace (a user namespace it owns): allowed there.
if runas 1000 unshare -Urn true 2>/dev/null; then
	runas 1000 unshare -Urn tcpstatectl events --timeout 1 >/tmp/userns.out 2>&1
	expect_eq "uid 1000 as root of its own user+net namespace may subscribe" "$?" 0
else
	echo "  note: unprivileged user namespaces are off; that check is not applicable"
fi
finish
