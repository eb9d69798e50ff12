# Without the module, tcpstatectl says so and how to fix it.
. /tests/lib.sh

unload_module
out=$(tcpstatectl version 2>&1)
rc=$?
echo "$out"
expect_eq "exit status 1" "$rc" 1
expect_match "clear message, why and what to run" "$out" 'tcpstate module is not loaded: .*sudo modprobe tcpstate'
expect_match "no raw errno text" "$(echo "$out" | grep -c 'No such file')" '^0$'
expect_match "tool version still printed" "$out" '^tcpstatectl '
load_module
finish
