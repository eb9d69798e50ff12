# Events reach only subscribers of the namespace where they happen, and
# only privileged ones.
# timeout: 400
. /tests/lib.sh

load_module
start_events host --json --timeout 8
# A child namespace with its own subscriber and its own failure.
unshare -n sh -c '
	. /tests/lib.sh
	ip link set lo up
	start_events child --json --timeout 6
	evscen unread -p 5931 -n 777 >/tmp/child.gen
	wait $EV_PID
'
evscen unread -p 5932 -n 888 >/tmp/host.gen
wait $EV_PID
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
