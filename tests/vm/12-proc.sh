# /proc/net/tcpstate exists per network namespace and shows the version.
. /tests/lib.sh

load_module
ver=$(cat /sys/module/tcpstate/version)
out=$(cat /proc/net/tcpstate)
echo "$out"
expect_eq "proc shows version" "$(echo "$out" | sed -n 's/^version //p')" "$ver"
ns=$(readlink /proc/self/ns/net | tr -dc 0-9)
expect_match "proc shows this netns" "$out" "^netns $ns\$"
# A new namespace gets its own file, with its own inode number.
child=$(unshare -n sh -c 'readlink /proc/self/ns/net | tr -dc 0-9; echo; cat /proc/net/tcpstate')
echo "$child"
cns=$(echo "$child" | head -n 1)
expect_match "child netns has its own file" "$child" "^netns $cns\$"
check "child netns differs" test "$cns" != "$ns"
# Unprivileged users can read it too.
check "uid 1000 can read it" runas 1000 cat /proc/net/tcpstate
finish
