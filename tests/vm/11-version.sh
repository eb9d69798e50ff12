# tcpstatectl version reports the tool and module versions, and they match.
. /tests/lib.sh

load_module
out=$(tcpstatectl version 2>&1)
rc=$?
echo "$out"
expect_eq "version exits 0" "$rc" 0
tool=$(echo "$out" | sed -n 's/^tcpstatectl //p')
mod=$(echo "$out" | sed -n 's/^tcpstate module //p')
expect_match "tool version printed" "$tool" '^[0-9]+\.[0-9]+\.[0-9]+'
expect_eq "module version matches tool" "$mod" "$tool"
expect_eq "modinfo version matches" "$(cat /sys/module/tcpstate/version)" "$tool"
expect_match "no mismatch warning" "$(echo "$out" | grep -c warning)" '^0$'

# Help and usage errors.
tcpstatectl --help >/tmp/h 2>&1
expect_eq "--help exits 0" "$?" 0
expect_match "--help lists version" "$(cat /tmp/h)" 'version'
tcpstatectl version --help >/tmp/h 2>&1
expect_eq "version --help exits 0" "$?" 0
expect_match "version --help shows usage" "$(cat /tmp/h)" 'Usage: tcpstatectl version'
tcpstatectl no-such-command >/tmp/h 2>&1
expect_eq "unknown command exits 2" "$?" 2
expect_match "unknown command named" "$(cat /tmp/h)" "unknown command 'no-such-command'"
tcpstatectl version extra >/tmp/h 2>&1
expect_eq "extra argument exits 2" "$?" 2
tcpstatectl >/tmp/h 2>&1
expect_eq "no command exits 2" "$?" 2
finish
