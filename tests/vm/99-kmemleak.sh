# kmemleak over a load / exercise / unload of the module: no object the
# module allocated may be left unreferenced. Only the debug kernel of
# tests/debug/ has kmemleak (Debian's kernels do not); there it must be
# present; elsewhere the case is skipped (not passed), and says so.
. /tests/lib.sh
mount -t debugfs none /sys/kernel/debug 2>/dev/null
kml=/sys/kernel/debug/kmemleak
if ! debug_kernel; then
	skip "no kmemleak in $(uname -r) (the debug lane runs this: make check-debug)"
fi
if [ ! -e $kml ]; then
	fail "the debug kernel has no $kml"
	finish
fi

# Forget what boot and earlier cases left.
unload_module
echo scan >$kml
echo clear >$kml

fresh_netns
load_module
start_scen leak -p 8700 estab:5 closewait:5 timewait:5 >/dev/null || exit 1
start_events ev --json
evscen storm -p 8710 -n 20 >/dev/null
evscen loop -p 8711 -n 20 >/dev/null
tcpstatectl list -p >/dev/null
tcpstatectl list --json -p --state close-wait >/dev/null
tcpstatectl counts --by process >/dev/null
tcpstatectl counts --by raddr >/dev/null
tcpstatectl metrics >/dev/null
nlcheck >/dev/null 2>&1
nlfuzz -n 2000 -p 2 -s 99 >/dev/null 2>&1
kill $EV_PID
wait $EV_PID 2>/dev/null
sleep 1

# While the module is loaded its allocation sites resolve to tcpstate
# symbols. kmemleak reports an object only after it stayed unreferenced
# through two scans.
echo scan >$kml
sleep 6
echo scan >$kml
cat $kml >/tmp/kml.loaded
expect_eq "no leak attributed to tcpstate while loaded" \
	"$(grep -c 'tcpstate' /tmp/kml.loaded)" 0

unload_module
sleep 1
echo scan >$kml
sleep 6
echo scan >$kml
cat $kml >/tmp/kml.unloaded
n=$(grep -c '^unreferenced object' /tmp/kml.unloaded)
echo "kmemleak after unload: $n unreferenced objects"
head -n 60 /tmp/kml.unloaded
# After rmmod the module's frames print as bare addresses in the module
# area; any of those, or a tcpstate symbol, is ours.
expect_eq "no leak from module code after unload" \
	"$(grep -cE 'tcpstate|\[<?0?x?ffffffffc0' /tmp/kml.unloaded)" 0
finish
