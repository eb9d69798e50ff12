#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Command-line checks that need no module: every bad argument is a usage
# error (exit 2) that names the problem; help works for every command.
# Usage: cli.sh PATH_TO_TCPSTATECTL. Prints PASS/FAIL lines and a summary.
bin=$1
passed=0
failed=0

# expect RC REGEX ARGS...: exit status RC and stderr+stdout matching REGEX.
expect() {
	local rc=$1 re=$2 out got
	shift 2
	out=$("$bin" "$@" 2>&1)
	got=$?
	if [ "$got" = "$rc" ] && echo "$out" | tr '\n' ' ' | grep -qE -- "$re"; then
		passed=$((passed + 1))
		echo "PASS cli: $*"
	else
		failed=$((failed + 1))
		echo "FAIL cli: $* (exit $got, want $rc /$re/): $(echo "$out" | head -n 3)"
	fi
}

expect 0 'Usage: tcpstatectl COMMAND' --help
expect 0 'Usage: tcpstatectl COMMAND' help
expect 2 'Usage: tcpstatectl COMMAND'
expect 0 '^tcpstatectl [0-9]' --version
for c in list counts events stats metrics diagnose version; do
	expect 0 "Usage: tcpstatectl $c" "$c" --help
	expect 0 "Usage: tcpstatectl $c" help "$c"
done
expect 2 "unknown command 'frobnicate'" frobnicate
expect 2 "unknown command 'frobnicate'" help frobnicate
expect 2 "unknown option '--bogus'" --bogus
expect 2 "unknown state 'bogus'.*valid states:.*CLOSE_WAIT" list --state bogus
expect 2 "unknown state 'nope'" list --state estab,nope
expect 2 "unknown state ''" list --state ''
expect 2 "unknown state" counts --state 'close-wait,'
expect 2 "--sport: '0' is not a port" list --sport 0
expect 2 "--dport: '70000' is not a port" list --dport 70000
expect 2 "--port: 'http' is not a port" list --port http
expect 2 "--src: bad prefix length '33'" list --src 10.0.0.0/33
expect 2 "--dst: 'nowhere' is not an IPv4 or IPv6 address" list --dst nowhere
expect 2 "--src: bad prefix length '129'" list --src ::/129
expect 2 "--older-than: '5 minutes' is not a duration" list --older-than '5 minutes'
expect 2 "--pid: 'abc' is not a number \\(1-2147483647\\)" list --pid abc
expect 2 "--pid: '0' is not a number" list --pid 0
expect 2 "--pid: '-5' is not a number" list --pid -5
expect 2 "--pid: '99999999999' is not a number" list --pid 99999999999
expect 2 "--comm needs a name of 1 to 15 bytes" list --comm ''
expect 2 "--comm needs a name of 1 to 15 bytes" list --comm 0123456789abcdef
expect 2 "--older-than: '-1s' is not a duration" list --older-than -1s
expect 2 "--json and --tsv exclude each other" list --json --tsv
expect 2 "-4 and -6 exclude each other" list -4 -6
expect 2 "unexpected argument 'extra'" list extra
expect 2 "unknown or ambiguous option '--frob'" list --frob
expect 2 "option '--state' needs a value" list --state
expect 2 "--by: unknown key 'pid'" counts --by pid
expect 2 "--top needs --by" counts --top 3
expect 2 "--top: 'x' is not a number" counts --by raddr --top x
expect 2 "unexpected argument 'x'" version x
expect 2 "--type: unknown type 'rst'" events --type rst
expect 2 "--type: unknown type" events --type 'epipe,'
expect 2 "--count: '0' is not a number" events --count 0
expect 2 "--count: '-5' is not a number" events --count -5
expect 2 "--timeout: '1x' is not a duration" events --timeout 1x
expect 2 "--pid: 'abc' is not a number" events --pid abc
expect 2 "--buffer: '99999999999' is not a number" events --buffer 99999999999
expect 2 "--port: '0' is not a port" events --port 0
expect 2 "unexpected argument 'now'" events now
expect 2 "unknown or ambiguous option '--all'" stats --all
expect 2 "--top: '0' is not a number" metrics --top 0
expect 2 "--top: 'x' is not a number" metrics --top x
expect 2 "--top: '-3' is not a number" metrics --top -3
expect 2 "--top: '\+3' is not a number" metrics --top +3
expect 2 "--top: '' is not a number" metrics --top ''
expect 2 "--top: '5x' is not a number" metrics --top 5x
expect 2 "--top: '99999999999999999999999' is not a number" metrics --top 99999999999999999999999
expect 2 "option '--top' needs a value" metrics --top
expect 2 "--output needs a file name" metrics --output ''
expect 2 "option '--output' needs a value" metrics --output
expect 2 "unknown or ambiguous option '--json'" metrics --json
expect 2 "unknown option '-4'" metrics -4
expect 2 "unexpected argument 'now'" metrics now
expect 2 "unexpected argument 'x.prom'" metrics --top 3 x.prom
# Hostile strings: long, non-UTF-8, control characters. Names truncated.
long=$(head -c 5000 /dev/zero | tr '\0' 'a')
expect 2 "unknown state 'a{64}' " list --state "$long"
expect 2 "is not an address|is not an IPv4" list --src "$long"
expect 2 "is not a duration" list --older-than "$long"
expect 2 "--top: 'a{32}' is not" metrics --top "$long"
expect 2 "unknown state" list --state "$(printf '\xff\xfe\x01')"
expect 2 "is not a port" list --port "$(printf '8\x1b[2J')"
# one RC ARGS...: exit status RC and exactly one message on stderr (its
# "Try ... --help" line aside), none of getopt's ("list: unrecognized ...").
one() {
	local rc=$1 err got
	shift
	err=$("$bin" "$@" 2>&1 >/dev/null)
	got=$?
	if [ "$got" = "$rc" ] && [ "$(grep -vc '^Try ' <<<"$err")" = 1 ] &&
		grep -q '^tcpstatectl: ' <<<"$err"; then
		passed=$((passed + 1))
		echo "PASS cli: one message: $*"
	else
		failed=$((failed + 1))
		echo "FAIL cli: one message: $* (exit $got, want $rc): $(echo "$err" | head -n 3 | tr '\n' '|')"
	fi
}
for c in list counts events metrics stats diagnose version; do
	one 2 "$c" --frob
	one 2 "$c" -Z
done
one 2 list --state
one 2 counts --by
one 2 events --type
one 2 list --st	# ambiguous: --state, --sport
# -h is help only where it is an option, not as an option's value.
expect 1 "module" list --comm -h
expect 1 "module" counts --comm --help
expect 2 "unknown state '-h'" list --state -h
expect 0 "Usage: tcpstatectl list" list -4 -h
expect 0 "Usage: tcpstatectl stats" stats --json --help
expect 0 "Usage: tcpstatectl version" version -h
expect 2 "unexpected argument '-h'" list -- -h
# Ports as ranges and lists, negations: list finishes them after the dump,
# counts (computed in the kernel) refuses them.
expect 1 "module" list --sport 8000-8100
expect 1 "module" list --dport 80,443 --port 1-1024,8080
expect 1 "module" list --not-sport 22 --not-dport 80,443 --not-port 1-10
expect 1 "module" list --not-src 10.0.0.0/8 --not-dst ::1 --not-state listen
expect 1 "module" list --not-pid 1 --not-comm sshd
expect 1 "module" counts --not-state time-wait --sport 80-80
expect 2 "--sport: '100-50' is not a port, range or list" list --sport 100-50
expect 2 "--dport: '80,' is not a port, range or list" list --dport 80,
expect 2 "--not-port: '0' is not a port" list --not-port 0
expect 2 "--not-src: bad prefix length '33'" list --not-src 10.0.0.0/33
expect 2 "--not-pid: 'x' is not a number" list --not-pid x
expect 2 "--not-comm needs a name of 1 to 15 bytes" list --not-comm ''
expect 2 "unknown state 'nope'" list --not-state nope
expect 2 "--not-state excludes every state asked for" list --state estab --not-state connected
expect 2 "--not-sport: the kernel counts and cannot filter on it" counts --not-sport 22
expect 2 "--sport with a list or range: the kernel counts" counts --sport 80,443
expect 2 "--not-comm: the kernel counts" counts --not-comm x
# --sort KEY [-r], after the dump.
for k in age state local remote recv-q send-q process; do
	expect 1 "module" list --sort "$k"
done
expect 1 "module" list --state close-wait --sort age -r --json
expect 1 "module" list --sort send-q --reverse --tsv
expect 2 "--sort: 'inode' is not a sort key \\(age, state" list --sort inode
expect 2 "option '--sort' needs a value" list --sort
expect 2 "-r/--reverse needs --sort" list -r
# -W/--wide: the Process column whole on a terminal.
expect 1 "module" list -W -p
expect 1 "module" list --wide
# Without the module, why and what to run, on one line (the host has no
# module; scripts filter on the line's start).
if [ ! -e /sys/module/tcpstate ]; then
	expect 1 "^tcpstatectl [^ ]+ tcpstatectl: tcpstate module is not loaded: [^ ].*sudo modprobe tcpstate" version
	if ! ls /lib/modules/"$(uname -r)" 2>/dev/null | grep -q . ||
		! find /lib/modules/"$(uname -r)" -name 'tcpstate.ko*' 2>/dev/null | grep -q .; then
		expect 1 "not loaded: none is installed for the running kernel $(uname -r | sed 's/[.+]/\\&/g') .*dkms status tcpstate" list
	fi
	n=$("$bin" stats 2>&1 | wc -l)
	if [ "$n" = 1 ]; then passed=$((passed + 1)); echo "PASS cli: missing module: one line"
	else failed=$((failed + 1)); echo "FAIL cli: missing module: one line (got $n)"; fi
fi
# version --json: an object, module null without the module (exit 1).
expect 1 '\{"tool": "[^"]+", "module": null\}' version --json
expect 2 "unexpected argument 'x'" version --json x
# ENVIRONMENT names every variable the tool reads.
top=$(cd "$(dirname "$0")/../.." && pwd)
for v in $(grep -ho 'getenv("[A-Z_0-9]*")' "$top"/tools/*.c | sed 's/getenv("\(.*\)")/\1/' | sort -u); do
	if sed -n '/^\.SH ENVIRONMENT/,/^\.SH /p' "$top/man/tcpstatectl.8" | grep -qx "\.B $v"; then
		passed=$((passed + 1)); echo "PASS cli: ENVIRONMENT documents $v"
	else
		failed=$((failed + 1)); echo "FAIL cli: ENVIRONMENT does not document $v"
	fi
done
# -H/--no-header drops the header, -n/--numeric is ss's no-op.
for c in list counts; do
	expect 1 "module" "$c" -H
	expect 1 "module" "$c" --no-header
	expect 1 "module" "$c" -n
	expect 1 "module" "$c" --numeric
	expect 0 "-H, --no-header +no header line.*-n, --numeric +accepted for ss users" "$c" --help
done
expect 1 "module" list -Hnp
# full ARGS...: with standard output on /dev/full, exit 1 and say so.
full() {
	local err got
	err=$("$bin" "$@" 2>&1 >/dev/full)
	got=$?
	if [ "$got" = 1 ] && grep -q "cannot write to standard output: No space left on device" <<<"$err"; then
		passed=$((passed + 1))
		echo "PASS cli: write error: $*"
	else
		failed=$((failed + 1))
		echo "FAIL cli: write error: $* (exit $got, want 1): $(echo "$err" | head -n 3 | tr '\n' '|')"
	fi
}
if [ -w /dev/full ]; then
	full --help
	full --version
	full help
	full help list
	full version
	for c in list counts events stats metrics diagnose version; do
		full "$c" --help
	done
fi
# diagnose: every bad value a usage error naming it; good ones get as far
# as the module (exit 1 here).
expect 2 "--interval: '5 m' is not a duration" diagnose --interval '5 m'
expect 2 "--interval: '-1s' is not a duration" diagnose --interval -1s
expect 2 "--interval: '2d' is longer than a day" diagnose --interval 2d
expect 2 "option '--interval' needs a value" diagnose --interval
expect 2 "--min-severity: unknown severity 'error' \\(info, warning or critical\\)" diagnose --min-severity error
expect 2 "--min-severity: unknown severity 'WARNING'" diagnose --min-severity WARNING
expect 2 "--min-severity: unknown severity ''" diagnose --min-severity ''
expect 2 "--close-wait-min: '0' is not a number" diagnose --close-wait-min 0
expect 2 "--close-wait-min: 'x' is not a number" diagnose --close-wait-min x
expect 2 "--close-wait-age: '5 s' is not a duration" diagnose --close-wait-age '5 s'
expect 2 "--port-share: '101' is not a number \\(1-100\\)" diagnose --port-share 101
expect 2 "--port-share: '0' is not a number" diagnose --port-share 0
expect 2 "--tw-share: '50%' is not a number" diagnose --tw-share 50%
expect 2 "--orphan-share: '-1' is not a number" diagnose --orphan-share -1
expect 2 "--events-min: '0' is not a number" diagnose --events-min 0
expect 2 "--events-min: '99999999999' is not a number" diagnose --events-min 99999999999
expect 2 "unexpected argument 'now'" diagnose now
expect 2 "^tcpstatectl: diagnose: option '--json' takes no value Try" diagnose --json=1
expect 2 "unknown or ambiguous option '--state'" diagnose --state close-wait
expect 2 "--min-severity: unknown severity 'a{32}'" diagnose --min-severity "$long"
one 2 diagnose --interval
one 2 diagnose --min-severity
expect 1 "module" diagnose
expect 1 "module" diagnose --interval 0 --json --min-severity info
expect 1 "module" diagnose --interval 1.5s --all-netns --close-wait-min 3 \
	--close-wait-age 30s --port-share 80 --tw-share 95 --orphan-share 60 --events-min 2
# One parser for every duration: --timeout takes what --older-than takes
# (with no module the command gets past its options and fails with 1).
expect 1 "module" events --timeout 5m
expect 1 "module" events --timeout 1h30m --count 3
expect 2 "--timeout: '5 m' is not a duration" events --timeout '5 m'
# A long option given a value it takes none of is named by its spelling,
# on one line (getopt's optopt is then the option's val: a control byte
# for long-only options, another option's letter for the others).
for o in all-netns json tsv wide processes; do
	expect 2 "^tcpstatectl: list: option '--$o' takes no value Try" list --$o=1
done
expect 2 "^tcpstatectl: counts: option '--json' takes no value Try" counts --json=yes
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
