#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host tests of tests/scenario/jsoncheck.c, the guest's JSON parser: it
# accepts valid RFC 8259 texts and rejects each kind of malformed one
# (built with ASan and UBSan here); and tests/vm/json-schema.txt, the
# schema the guest checks the tool's JSON against, names exactly the keys
# and types man/tcpstatectl.8's JSON section documents.
# Ends with "N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/build/unit
mkdir -p "$out"
bin=$out/jsoncheck
pass=0
failed=0
ok() { echo "ok - $*"; pass=$((pass + 1)); }
nok() { echo "not ok - $*"; failed=$((failed + 1)); }

if ! cc -std=gnu11 -O1 -g -Wall -Wextra -Werror -D_GNU_SOURCE \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-o "$bin" "$top/tests/scenario/jsoncheck.c" 2>"$out/jsoncheck-build.log"; then
	cat "$out/jsoncheck-build.log" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1

# The texts are printf formats on purpose (\xNN, \n), and ARGS is empty
# or one word.
# shellcheck disable=SC2059,SC2086
# accept DESC TEXT [ARGS]: printf-escaped TEXT is valid.
accept() {
	local err
	if err=$(printf "$2" | "$bin" ${3:-} 2>&1 >/dev/null); then
		ok "accepts $1"
	else
		nok "accepts $1: $err"
	fi
}
# reject DESC TEXT [ARGS]: exit 1, a "line L, column C:" message, no output.
# shellcheck disable=SC2059,SC2086
reject() {
	local o rc
	o=$(printf "$2" | "$bin" ${3:-} 2>"$out/jsoncheck.err")
	rc=$?
	if [ "$rc" -eq 1 ] && [ -z "$o" ] &&
		grep -qE '^jsoncheck: line [0-9]+, column [0-9]+: ' "$out/jsoncheck.err"; then
		ok "rejects $1 ($(cat "$out/jsoncheck.err"))"
	else
		nok "rejects $1: exit $rc, stdout '$o', stderr '$(cat "$out/jsoncheck.err")'"
	fi
}

accept "an object" '{"a": 1, "b": [true, false, null], "c": {"d": "e"}}'
accept "a scalar text" '  42 \n'
accept "empty containers" '[{}, [], ""]'
accept "numbers" '[0, -0, 1.5, -12.25e+3, 1E-2, 10, 9007199254740993]'
accept "all escapes" '["\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\u20AC"]'
accept "a surrogate pair" '["\\ud83d\\ude00"]'
accept "raw UTF-8 (2, 3, 4 bytes)" '["\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"]'
accept "128 levels" "$(printf '%.0s[' $(seq 128))$(printf '%.0s]' $(seq 128))"
accept "the same key in two objects" '[{"a": 1}, {"a": 2}]'
accept "one text per line" '{"a": 1}\n{"a": 2}\n' --lines
accept "no lines at all" '' --lines
reject "empty input" ''
reject "only whitespace" ' \n\t '
reject "a duplicate key" '{"a": 1, "b": 2, "a": 3}'
reject "a duplicate key spelt with an escape" '{"a": 1, "\\u0061": 2}'
reject "a trailing comma in an object" '{"a": 1,}'
reject "a trailing comma in an array" '[1, 2,]'
reject "a missing comma" '{"a": 1 "b": 2}'
reject "a missing colon" '{"a" 1}'
reject "an unquoted key" '{a: 1}'
reject "single quotes" "['a']"
reject "a leading zero" '[01]'
reject "a leading plus" '[+1]'
reject "a bare fraction" '[.5]'
reject "a fraction without digits" '[1.]'
reject "an exponent without digits" '[1e+]'
reject "NaN" '[NaN]'
reject "a bad literal" '[tru]'
reject "an invalid escape" '["\\x41"]'
reject "a short \\\\u escape" '["\\u12"]'
reject "a lone high surrogate" '["\\ud83d"]'
reject "a lone low surrogate" '["\\ude00"]'
reject "a high surrogate before a non-surrogate" '["\\ud83d\\u0041"]'
reject "a raw tab in a string" '["a\tb"]'
reject "a raw newline in a string" '["a\nb"]'
reject "a NUL in a string" '["a\0b"]'
reject "an unterminated string" '["abc'
reject "an unterminated array" '[1, 2'
reject "invalid UTF-8" '["\xff"]'
reject "an overlong UTF-8 form" '["\xc0\xaf"]'
reject "a UTF-8 encoded surrogate" '["\xed\xa0\x80"]'
reject "a code point past U+10FFFF" '["\xf4\x90\x80\x80"]'
reject "a truncated UTF-8 sequence" '["\xe2\x82"]'
reject "trailing garbage" '{"a": 1} x'
reject "two texts" '{"a": 1} {"b": 2}'
reject "129 levels" "$(printf '%.0s[' $(seq 129))$(printf '%.0s]' $(seq 129))"
reject "100000 levels (no stack overflow)" "$(printf '%.0s[' $(seq 100000))"
reject "an empty line among texts" '{"a": 1}\n\n{"a": 2}\n' --lines
reject "two texts on one line" '{"a": 1} {"a": 2}\n' --lines
reject "a bad second line" '{"a": 1}\n{"a": }\n' --lines
reject "a form feed as whitespace" '\f[1]'

# Where the error is: line and column of the offending byte.
err=$(printf '{"a": 1,\n  "a": 2}' | "$bin" 2>&1)
if [ "$err" = "jsoncheck: line 2, column 6: duplicate key" ]; then
	ok "names the line and column ($err)"
else
	nok "names the line and column: got '$err'"
fi

# --flat: path, type and value of each value, containers after their
# children, with counts; strings decoded and escaped.
want=$(printf '%s\n' '$[0].a	number	-1.5e3' '$[0].b[0]	bool	true' '$[0].b[1]	null	null' \
	'$[0].b	array	2' '$[0]."c d"	string	x\ty\\é' '$[0]	object	3' '$[1]	object	0' '$	array	2')
got=$(printf '[{"a": -1.5e3, "b": [true, null], "c d": "x\\ty\\\\\\u00e9"}, {}]' | "$bin" --flat)
if [ "$got" = "$want" ]; then ok "--flat prints paths, types and values"; else nok "--flat: got '$got', want '$want'"; fi
got=$(printf '{"t": "a"}\n{"t": "b"}\n' | "$bin" --lines --flat)
want=$(printf '%s\n' '$[0].t	string	a' '$[0]	object	1' '$[1].t	string	b' '$[1]	object	1' '$	array	2')
if [ "$got" = "$want" ]; then ok "--lines --flat numbers the texts"; else nok "--lines --flat: got '$got', want '$want'"; fi

# The schema against the man page. man_keys SECTION prints "NAME TYPE"
# ("?" where the page gives no type) for each key the .SS "SECTION --json"
# subsection documents: .TP items ('.BR a ", " b " (type)"'), '{ a (type),
# b ...}' lists, '.B name' followed by a '(type' line, and "name": in
# .nf examples. Upper-case names (the states) are left to the STATE NAMES
# check below.
man=$top/man/tcpstatectl.8
schema=$top/tests/vm/json-schema.txt
man_keys() {
	sed -e 's/\\-/-/g' -e 's/\\(dq/"/g' "$man" | awk -v sec="$1" '
	function tok(s, a,   n, q) {		# roff arguments, quotes kept
		n = 0
		while (match(s, /^[ \t]*("[^"]*"|[^ \t"]+)/)) {
			q = substr(s, RSTART, RLENGTH)
			sub(/^[ \t]*/, "", q)
			a[++n] = q
			s = substr(s, RSTART + RLENGTH)
		}
		return n
	}
	function typ(s) {
		if (!match(s, /\([a-z]+/))
			return ""
		s = substr(s, RSTART + 1, RLENGTH - 1)
		sub(/^boolean$/, "bool", s)
		sub(/^numbers$/, "number", s)
		sub(/^strings$/, "string", s)
		return s
	}
	function key(k, t) { if (k ~ /^[a-z_]+$/) print k, (t == "" ? "?" : t) }
	/^\.S[HS] / { on = ($0 == ".SS " sec " --json"); next }
	!on { next }
	/^\.nf/ { nf = 1; next }
	/^\.fi/ { nf = 0; next }
	nf {
		s = $0
		while (match(s, /"[A-Za-z_]+":/)) {
			key(substr(s, RSTART + 1, RLENGTH - 3), "")
			s = substr(s, RSTART + RLENGTH)
		}
		next
	}
	pend != "" {			# names waiting for a type on this line
		t = typ($0)
		if ($0 ~ /^\(/ && t != "") {
			n = split(pend, p, " ")
			for (i = 1; i <= n; i++)
				key(p[i], t)
		}
		pend = ""
	}
	tp && /^\.BR? / {
		n = tok($0, a)
		t = ""
		for (i = 2; i <= n; i++)
			if (a[i] ~ /^"/ && typ(a[i]) != "")
				t = typ(a[i])
		if (t != "")
			for (i = 2; i <= n; i++)
				if (a[i] !~ /^"/)
					key(a[i], t)
		tp = 0
		next
	}
	{ tp = ($0 == ".TP") }
	/^\.RB \{/ {
		n = tok($0, a)
		for (i = 2; i <= n; i++) {
			if (a[i] ~ /^"/ || a[i] ~ /^[{}]$/)
				continue
			if (i < n && typ(a[i + 1]) != "")
				key(a[i], typ(a[i + 1]))
			else
				pend = pend " " a[i]
		}
		next
	}
	/^\.B [a-z_]+$/ { pend = $2 }
	' | sort -u | awk '{ t[$1] = (t[$1] == "" || t[$1] == "?") ? $2 : t[$1] }
		END { for (k in t) print k, t[k] }' | sort
}
# schema_keys OUTPUTS...: "NAME TYPE" of the schema's keys for those
# outputs, but the state names (keys of .states), stats' event types
# (keys of $.events) and diagnose's evidence (keys of .evidence).
schema_keys() {
	local o
	for o in "$@"; do
		awk -v o="$o" '!/^#/ && NF == 4 && ("," $1 ",") ~ ("," o ",")' "$schema"
	done | awk '{ p = $2 }
		p ~ /\.states\.[A-Z_]+$/ || p ~ /^\$\.events\.[a-z-]+$/ { next }
		p ~ /\.evidence\.[a-z_]+$/ { next }
		match(p, /\.[a-z_]+$/) { print substr(p, RSTART + 1), $3 }' | sort -u
}
for sec in "list:list list-p" "counts:counts counts-by counts-all" "events:events" "stats:stats" \
	"diagnose:diagnose diagnose-all"; do
	name=${sec%%:*}
	m=$(man_keys "$name")
	# shellcheck disable=SC2086
	s=$(schema_keys ${sec#*:})
	if [ "$(echo "$m" | grep -c .)" -lt 5 ]; then
		nok "man page: $name --json documents at least 5 keys (found '$(echo $m)')"
		continue
	fi
	# Each documented name once, with the schema's type where the page
	# gives one.
	bad=$(join -a 1 -a 2 -e MISSING -o 0,1.2,2.2 \
		<(echo "$m" | awk '{print $1, $2}' | sort -u) \
		<(echo "$s" | awk '{print $1, $2}' | sort -u) |
		awk '$2 == "MISSING" || $3 == "MISSING" || ($2 != "?" && $2 != $3)')
	if [ -z "$bad" ]; then
		ok "schema's $name keys and types are the man page's ($(echo "$m" | wc -l) keys)"
	else
		nok "schema's $name keys differ from the man page (key man-type schema-type): $(echo $bad)"
	fi
done
# The states' keys: the names of STATE NAMES, in every states object.
st_man=$(sed -n '/^\.SH STATE NAMES/,/^\.PP/s/^\.BR \([A-Z_0-9]*\) [,.]$/\1/p' "$man" | sort)
bad=""
for p in $(awk '!/^#/ && $2 ~ /\.states$/ { print $1 "|" $2 }' "$schema"); do
	got=$(awk -v o="${p%%|*}" -v p="${p#*|}" '!/^#/ && $1 == o && index($2, p ".") == 1 { print substr($2, length(p) + 2) }' "$schema" | sort)
	[ "$got" = "$st_man" ] || bad="$bad $p"
done
if [ "$(echo "$st_man" | grep -c .)" -ge 12 ] && [ -z "$bad" ]; then
	ok "every states object has the $(echo "$st_man" | grep -c .) state names of STATE NAMES"
else
	nok "states objects differ from STATE NAMES ($(echo $st_man)):$bad"
fi
# stats' events: one key per event type of events --json's type.
ty_man=$(sed -e 's/\\-/-/g' -e 's/\\(dq/"/g' "$man" | sed -n '/^\.SS events --json/,/^\.SS /p' |
	sed -n '/^\.BR type /,/^\.TP/p' | grep -o '"[a-z-]*"' | tr -d '"' | sort)
ty_schema=$(awk '!/^#/ && $1 == "stats" && $2 ~ /^\$\.events\.[a-z-]+$/ { sub(/^\$\.events\./, "", $2); print $2 }' "$schema" | sort)
if [ "$(echo "$ty_man" | grep -c .)" -ge 3 ] && [ "$ty_man" = "$ty_schema" ]; then
	ok "stats events keys are the event types ($(echo $ty_man))"
else
	nok "stats events keys '$(echo $ty_schema)' differ from the event types '$(echo $ty_man)'"
fi

# diagnose's evidence: the keys tools/diag_rules.c writes (ev_TYPE(f,
# "key", ...)), with their JSON types, a list's elements and its "_total"
# (diag_report.c); the keys the rules of DIAGNOSE OUTPUT list after
# "Evidence:" (.B or .BR, not a manual reference like listen(2)); and the
# schema's, under each finding's evidence in both diagnose outputs.
ev_code=$(grep -oE 'ev_[a-z0-9]+\(f, "[a-z_]+"' "$top/tools/diag_rules.c" | sed -E 's/\(f, "/ /; s/"$//' | awk '
	$1 == "ev_bool" { print $2, "bool"; next }
	$1 == "ev_str" { print $2, "string"; next }
	$1 == "ev_u64s" || $1 == "ev_strs" {
		print $2, "array"
		print $2 "[]", ($1 == "ev_strs" ? "string" : "number")
		print $2 "_total", "number"
		next
	}
	{ print $2, "number" }' | sort -u)
ev_man=$(sed -e 's/\\-/-/g' "$man" | awk '
	/^\.SH / { on = ($0 == ".SH DIAGNOSE OUTPUT"); ev = 0; next }
	!on { next }
	/^\.(TP|PP)$/ { ev = 0; next }
	/Evidence:/ { ev = 1; next }
	ev && /^\.BR? [a-z_]+( |$)/ && $3 !~ /^\([0-9]\)/ { print $2 }' | sort -u)
bad=""
for o in diagnose diagnose-all; do
	ev_schema=$(awk -v o="$o" '!/^#/ && NF == 4 && $1 == o && match($2, /\.evidence\./) {
		print substr($2, RSTART + RLENGTH), $3 }' "$schema" | sort -u)
	[ "$ev_schema" = "$ev_code" ] || bad="$bad $o: code '$(echo $ev_code)', schema '$(echo $ev_schema)';"
	[ "$(echo "$ev_schema" | awk '$1 !~ /\[\]$/ { print $1 }')" = "$ev_man" ] ||
		bad="$bad $o: man page '$(echo $ev_man)', schema '$(echo "$ev_schema" | awk '$1 !~ /\[\]$/ { print $1 }')';"
done
if [ "$(echo "$ev_code" | grep -c .)" -ge 40 ] && [ -z "$bad" ]; then
	ok "diagnose's evidence keys: the schema's are diag_rules.c's and DIAGNOSE OUTPUT's ($(echo "$ev_man" | wc -l) keys)"
else
	nok "diagnose's evidence keys differ:$bad"
fi

echo "$pass passed, $failed failed"
[ "$failed" -eq 0 ]
