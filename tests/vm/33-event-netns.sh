# Events reach only subscribers of the namespace where they happen, and
# only privileged ones.
# timeout: 400
. /tests/lib.sh

load_module
# Both subscribers listen while both failures happen, the child's first.
# The host's stops at its first event, which must be its own; it is
# started once the child's subscriber has printed the child's event, so a
# leak of that event to the host would already be there. The child's
# subscriber runs until the host's has its event: the module has then
# multicast it, so a leak to the child is on the child's socket, and
# stopped (SIGTERM), it prints what is queued. No fixed lives: each event's
# netlink round trips and the namespace set-up take seconds on the debug
# kernel. The --timeout only bounds how long a failure takes.
rm -f /tmp/child.pid /tmp/child.out
unshare -n sh -c '
	. /tests/lib.sh
	ip link set lo up
	start_events child --json
	echo $EV_PID >/tmp/child.pid
	evscen unread -p 5931 -n 777 >/tmp/child.gen
	wait $EV_PID
' &
ns_sh=$!
wait_for 60000 grep -q '"unread_bytes": 777' /tmp/child.out ||
	fail "the child's subscriber did not print the child's event"
start_events host --json --count 1 --timeout $((60 * SLOW))
host_ev=$EV_PID
evscen unread -p 5932 -n 888 >/tmp/host.gen
wait $host_ev
kill -TERM "$(cat /tmp/child.pid)"
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
# Debian's kernels allow unprivileged user namespaces; where a sysctl has
# turned them off, they are turned on for the check. A kernel without
# them cannot run it: that is a skip (README), never a pass.
# (Put back as they were afterwards, for the cases that follow.)
clone=$(sysctl -n kernel.unprivileged_userns_clone 2>/dev/null)
maxns=$(sysctl -n user.max_user_namespaces 2>/dev/null)
if ! runas 1000 unshare -Urn true 2>/dev/null; then
	[ -n "$clone" ] && sysctl -qw kernel.unprivileged_userns_clone=1
	[ "$maxns" = 0 ] && sysctl -qw user.max_user_namespaces=1000
fi
userns=no
runas 1000 unshare -Urn true 2>/dev/null && userns=yes
[ "$userns" = yes ] && runas 1000 unshare -Urn tcpstatectl events --timeout 1 >/tmp/userns.out 2>&1
rc=$?
[ -n "$clone" ] && sysctl -qw kernel.unprivileged_userns_clone="$clone"
[ -n "$maxns" ] && sysctl -qw user.max_user_namespaces="$maxns"
if [ "$userns" = no ]; then
	skip "uid 1000 cannot create a user namespace in this kernel, so the check that the root of one may subscribe cannot run"
fi
cat /tmp/userns.out
expect_eq "uid 1000 as root of its own user+net namespace may subscribe" "$rc" 0
finish
