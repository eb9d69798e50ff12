# The module loads, registers its family and proc file, and says so.
. /tests/lib.sh

unload_module
check "insmod succeeds" insmod "$KO"
check "module is live" test "$(cat /sys/module/tcpstate/initstate)" = live
expect_match "load message in dmesg" "$(dmesg | grep 'tcpstate: version' | tail -n 1)" 'tcpstate: version .* loaded'
check "/proc/net/tcpstate exists" test -r /proc/net/tcpstate
# A second insmod must fail cleanly, not crash.
insmod "$KO" 2>/dev/null && fail "second insmod should fail" || ok "second insmod refused"
check "rmmod succeeds" rmmod tcpstate
check "family gone after rmmod" test ! -d /sys/module/tcpstate
check "/proc/net/tcpstate gone after rmmod" test ! -e /proc/net/tcpstate
check "insmod again" insmod "$KO"
finish
