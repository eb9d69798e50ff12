# rmmod while a subscriber is connected and events are firing: the kernel
# stays healthy (runner), the subscriber says the module went away, and the
# module loads again and works.
# timeout: 400
. /tests/lib.sh
fresh_netns

load_module
start_events sub --json
evscen storm -p 5940 -n 3000 >/dev/null &
gen=$!
# Unload once events are flowing, however long the storm takes to start.
wait_for 60000 test -s /tmp/sub.out
unload_module
expect_eq "module unloaded under load" "$(test -d /sys/module/tcpstate && echo loaded || echo gone)" gone
wait $EV_PID
rc=$?
cat /tmp/sub.err
expect_eq "subscriber exits 1" "$rc" 1
expect_match "subscriber says why" "$(cat /tmp/sub.err)" 'module was unloaded'
expect_le "events were flowing" 1 "$(wc -l </tmp/sub.out)"
wait $gen
load_module
base=$(events_seq)
start_events again --json
evscen unread -p 5941 -n 100 >/dev/null
events_caught_up again "$base"
stop_events $EV_PID
expect_eq "events work after reload" "$(grep -c '"unread_bytes": 100' /tmp/again.out)" 1
finish
