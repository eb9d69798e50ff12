#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The output of "tcpstatectl metrics" through Prometheus's own checker:
# tests/unit/metrics_sample.c renders canned snapshots (hostile process
# names included) with tools/metrics.c, and "promtool check metrics" must
# accept every rendering without a parse error or a lint complaint; and
# the alerting rules of contrib/prometheus pass promtool check rules and
# their own promtool test rules.
# promtool comes from Debian's prometheus package, newest version, unpacked
# (not installed) into the cache by tests/lib/debpkg.sh. Needs no module.
# Prints "ok - ..." or "not ok - ..." per check and ends with
# "N passed, N failed"; exits non-zero if any check failed.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd -P)
. "$top/tests/lib/tap.sh"
. "$top/tests/lib/debpkg.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tcpstate-promtool.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

finish() {
	tap_summary
	exit
}

# --- promtool -------------------------------------------------------------------

if ! root=$(debpkg_get prometheus usr/bin/promtool); then
	not_ok "promtool: cannot resolve or fetch Debian's prometheus package"
	finish
fi
ver=$(cat "$root/../.complete")
promtool=$root/usr/bin/promtool
if pv=$("$promtool" --version 2>&1 | head -n 1) && [ -n "$pv" ]; then
	ok "promtool from prometheus $ver runs ($pv)"
else
	not_ok "promtool from prometheus $ver runs: $pv"
	finish
fi

# --- the sample renderer ----------------------------------------------------------

lib=$(make -s -C "$top/tools" print-lib-srcs)
srcs=""
for f in $lib; do srcs="$srcs $top/tools/$f"; done
sample=$tmp/metrics_sample
# shellcheck disable=SC2046,SC2086 # word lists
if cc -std=gnu11 -O1 -g -Wall -Wextra -Werror -fsanitize=address,undefined \
	-fno-sanitize-recover=all -DMETRICS_SAMPLE_MAIN \
	-isystem "$top/include/uapi" $(pkg-config --cflags libmnl) \
	-o "$sample" $srcs "$top/tests/unit/metrics_sample.c" \
	$(pkg-config --libs libmnl) >"$tmp/build.log" 2>&1; then
	ok "tests/unit/metrics_sample.c builds with tools/metrics.c"
else
	not_ok "tests/unit/metrics_sample.c builds: $(head -n 5 "$tmp/build.log" | tr '\n' ' ')"
	finish
fi

# promcheck FILE: promtool accepts FILE, with no lint complaint. Sets $why.
promcheck() {
	local rc

	why=$("$promtool" check metrics <"$1" 2>&1)
	rc=$?
	[ "$rc" -eq 0 ] && [ -z "$why" ] && return 0
	why="exit $rc: $(head -n 3 <<<"$why" | tr '\n' ' ')"
	return 1
}

# dups FILE: the samples that occur twice (same name and labels), which
# node_exporter's textfile collector refuses and promtool lets through.
dups() {
	grep -v '^#' "$1" | sed 's/ [^ ]*$//' | sort | uniq -d
}

# --- the checks ---------------------------------------------------------------------

for run in "hostile 10" "hostile 1" "hostile 1000" "empty 10"; do
	# shellcheck disable=SC2086 # two words
	set -- $run
	out=$tmp/$1-$2.prom
	if ! "$sample" "$1" "$2" >"$out" 2>"$tmp/err"; then
		not_ok "render the $1 sample with --top $2: $(head -n 3 "$tmp/err" | tr '\n' ' ')"
		continue
	fi
	if promcheck "$out"; then
		ok "promtool check metrics accepts the $1 sample with --top $2 ($(grep -vc '^#' "$out") samples)"
	else
		not_ok "promtool check metrics accepts the $1 sample with --top $2: $why"
	fi
	d=$(dups "$out")
	if [ -z "$d" ]; then
		ok "no sample twice in the $1 sample with --top $2"
	else
		not_ok "no sample twice in the $1 sample with --top $2: $(head -n 3 <<<"$d" | tr '\n' ' ')"
	fi
done

hostile=$tmp/hostile-10.prom
# The hostile names really are in there, escaped.
if grep -qF 'comm="quo\"te"' "$hostile" && grep -qF 'comm="new\nline"' "$hostile" &&
	grep -qF 'comm="back\\slash"' "$hostile" &&
	grep -qF "comm=\"$(printf '\xef\xbf\xbd\xef\xbf\xbd') bad utf8\"" "$hostile"; then
	ok "the hostile sample holds quotes, backslashes, newlines and invalid UTF-8, escaped"
else
	not_ok "the hostile sample holds quotes, backslashes, newlines and invalid UTF-8, escaped"
fi

# Every family rendered is documented, and every documented one rendered.
rendered=$(sed -n 's/^# TYPE \([a-z_]*\) .*/\1/p' "$hostile" | sort)
manned=$(sed -n '/^\.SH METRICS OUTPUT/,/^\.SH /p' "$top/man/tcpstatectl.8" |
	awk 'prev == ".TP" { print } { prev = $0 }' |
	grep -oE '^\.BR? tcpstate_[a-z_]+' | awk '{ print $2 }' | sort)
readme=$(grep -oE '^\| `tcpstate_[a-z_]+' "$top/README.md" | tr -d '|` ' | sort)
# The tool is built if missing: without it this check would prove nothing.
[ -x "$top/tools/tcpstatectl" ] || make -s -C "$top/tools" >/dev/null 2>&1
help=$("$top/tools/tcpstatectl" metrics --help 2>/dev/null | grep -oE 'tcpstate_[a-z_]+' | sort -u)
if [ "$(wc -l <<<"$rendered")" -ge 7 ] && [ "$rendered" = "$manned" ] &&
	[ "$rendered" = "$readme" ]; then
	ok "the $(wc -l <<<"$rendered") families are those of the man page's METRICS OUTPUT and README's table"
else
	not_ok "the families are those of the man page and README: rendered: ${rendered//$'\n'/ }; man: ${manned//$'\n'/ }; README: ${readme//$'\n'/ }"
fi
if [ -x "$top/tools/tcpstatectl" ] && [ "$rendered" = "$help" ]; then
	ok "tcpstatectl metrics --help names every family"
else
	not_ok "tcpstatectl metrics --help names every family: ${help//$'\n'/ }"
fi

# --- the alerting rules (contrib/prometheus) -----------------------------------------

rules=$top/contrib/prometheus/tcpstate-alerts.yml
rtests=$top/contrib/prometheus/tcpstate-alerts.test.yml
if out=$("$promtool" check rules "$rules" 2>&1); then
	ok "promtool check rules accepts contrib/prometheus/tcpstate-alerts.yml ($(grep -o '[0-9]* rules found' <<<"$out"))"
else
	not_ok "promtool check rules: $(tail -n 3 <<<"$out" | tr '\n' ' ')"
fi
# promtool test rules runs from the test file's directory (rule_files is
# relative to it).
rtest() {
	(cd "$(dirname "$1")" && "$promtool" test rules "$(basename "$1")") >"$tmp/rtest.log" 2>&1
}
if rtest "$rtests"; then
	ok "promtool test rules: each alert fires on its situation and not on its look-alike"
else
	not_ok "promtool test rules: $(grep -v '^ *$' "$tmp/rtest.log" | head -n 6 | tr '\n' ' ')"
fi
# Every metric the rules use is one tcpstatectl renders.
used=$(grep -oE 'tcpstate_[a-z_]+' "$rules" | sort -u)
unknown=$(comm -23 <(echo "$used") <(echo "$rendered"))
if [ -n "$used" ] && [ -z "$unknown" ]; then
	ok "the rules use only metrics tcpstatectl renders ($(wc -l <<<"$used"))"
else
	not_ok "the rules use metrics tcpstatectl does not render: ${unknown//$'\n'/ }"
fi
# The rule tests can fail: a leak rule that forgets growth fires on the
# steady pool, an age threshold of two hours misses the old socket.
mkdir -p "$tmp/rules"
cp "$rtests" "$tmp/rules/"
sed '/and delta(tcpstate_close_wait_sockets_by_process/d' "$rules" >"$tmp/rules/tcpstate-alerts.yml"
if ! rtest "$tmp/rules/tcpstate-alerts.test.yml"; then
	ok "the rule tests catch a leak rule without growth (the steady pool would page)"
else
	not_ok "the rule tests catch a leak rule without growth"
fi
sed 's/tcpstate_close_wait_oldest_age_seconds > 3600/tcpstate_close_wait_oldest_age_seconds > 7200/' \
	"$rules" >"$tmp/rules/tcpstate-alerts.yml"
if ! rtest "$tmp/rules/tcpstate-alerts.test.yml"; then
	ok "the rule tests catch a wrong age threshold"
else
	not_ok "the rule tests catch a wrong age threshold"
fi

# --- the checks above can fail ------------------------------------------------------

# broken COMMAND...: COMMAND turns the hostile sample into $tmp/broken.prom.
broken() {
	"$@" <"$hostile" >"$tmp/broken.prom"
}

broken sed 's/\\"/"/'
if ! promcheck "$tmp/broken.prom"; then
	ok "promtool rejects an unescaped double quote in a label"
else
	not_ok "promtool rejects an unescaped double quote in a label"
fi
broken sed 's/comm="nginx"/comm="ng\xffinx"/'
if ! promcheck "$tmp/broken.prom"; then
	ok "promtool rejects invalid UTF-8 in a label"
else
	not_ok "promtool rejects invalid UTF-8 in a label"
fi
broken sed 's/^tcpstate_abort_on_close_total/tcpstate_abort_on_close/; s/ tcpstate_abort_on_close_total / tcpstate_abort_on_close /'
if ! promcheck "$tmp/broken.prom"; then
	ok "promtool rejects a counter without _total (lint)"
else
	not_ok "promtool rejects a counter without _total (lint)"
fi
broken sed '/^# HELP tcpstate_sockets /d'
if ! promcheck "$tmp/broken.prom"; then
	ok "promtool rejects a family without HELP (lint)"
else
	not_ok "promtool rejects a family without HELP (lint)"
fi
broken awk '{ print } /pid="101"/ { print }'
if [ -n "$(dups "$tmp/broken.prom")" ]; then
	ok "the duplicate check catches a sample given twice"
else
	not_ok "the duplicate check catches a sample given twice"
fi

finish
