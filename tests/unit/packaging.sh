#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Packaging checks, on the host, without the module: the man page renders
# without a warning and documents every command and option that the tool's
# --help prints; the bash completion offers them and completes values; make
# install/uninstall honour DESTDIR and PREFIX and leave the module alone.
# Usage: packaging.sh [PATH_TO_TCPSTATECTL] (default tools/tcpstatectl,
# built with make -C tools if missing). Prints "ok - ..." or "not ok - ..."
# per check and ends with "N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd -P)
manpage=$top/man/tcpstatectl.8
comp=$top/completion/tcpstatectl.bash
bin=${1:-$top/tools/tcpstatectl}
. "$top/tests/lib/tap.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tcpstate-packaging.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# Word $2 occurs in text $1 with no letter, digit, '_' or '-' on either side.
has_word() {
	grep -qE -- "(^|[^A-Za-z0-9_-])$2([^A-Za-z0-9_-]|\$)" <<<"$1"
}

# --- the man page renders without warnings -----------------------------------

# render_warnings FILE: what either renderer says on stderr (or how it
# failed); empty when the page is clean.
render_warnings() {
	local f=$1 out rc

	if ! command -v man >/dev/null || ! command -v groff >/dev/null; then
		echo "man or groff is missing (make deps)"
		return
	fi
	out=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$f" 2>&1 >/dev/null)
	rc=$?
	[ -n "$out" ] && echo "man: $out"
	[ "$rc" -eq 0 ] || echo "man: exit $rc"
	out=$(groff -man -ww -z "$f" 2>&1)
	rc=$?
	[ -n "$out" ] && echo "groff: $out"
	[ "$rc" -eq 0 ] || echo "groff: exit $rc"
}

check "man page man/tcpstatectl.8 exists" test -s "$manpage"
check "completion completion/tcpstatectl.bash exists" test -s "$comp"
check "man page uses the man macros (.TH), not mdoc" \
	eval "grep -q '^\.TH TCPSTATECTL 8 ' '$manpage' && ! grep -q '^\.Dd' '$manpage'"

warn=$(render_warnings "$manpage")
if [ -z "$warn" ]; then
	ok "man page renders with no warning (man --warnings, groff -ww)"
else
	not_ok "man page renders with no warning: $(head -n 5 <<<"$warn" | tr '\n' ' ')"
fi

# The same check must catch a broken page.
{
	cat "$manpage"
	printf '.BOGUSMACRO x\n\\fQbad font\\fR\n'
} >"$tmp/broken.8"
if [ -n "$(render_warnings "$tmp/broken.8")" ]; then
	ok "the render check catches a page with warnings"
else
	not_ok "the render check catches a page with warnings"
fi

if command -v man >/dev/null; then
	LC_ALL=C.UTF-8 MANWIDTH=80 man -E UTF-8 -l "$manpage" 2>/dev/null >"$tmp/man.txt"
	wide=$(awk 'length > 80' "$tmp/man.txt" | head -n 3)
	if [ -s "$tmp/man.txt" ] && [ -z "$wide" ]; then
		ok "man page fits in 80 columns"
	else
		not_ok "man page fits in 80 columns: ${wide:-no output}"
	fi
else
	not_ok "man page fits in 80 columns: man is missing (make deps)"
fi

# The page's source as plain text: no dash or font escapes, so that an
# option reads as it is typed. Hyphenation cannot split words here.
sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\f([A-Z][A-Z]//g' \
	-e 's/\\&//g' -e 's/\\%//g' -e 's/\\ / /g' "$manpage" >"$tmp/man.src"
mansrc=$(cat "$tmp/man.src")
# The SYNOPSIS section, and every .TP tag (the described options).
synopsis=$(sed -n '/^\.SH SYNOPSIS/,/^\.SH /p' "$tmp/man.src")
tags=$(awk 'prev == ".TP" { print } { prev = $0 }' "$tmp/man.src")

# --- what the tool's --help prints ----------------------------------------------

if [ ! -x "$bin" ]; then
	make -s -C "$top/tools" >"$tmp/build.log" 2>&1 ||
		sed 's/^/# /' "$tmp/build.log" | tail -n 20
fi
check "tcpstatectl is built ($bin)" test -x "$bin"

# Commands: the lines of the "Commands:" block of tcpstatectl --help.
"$bin" --help >"$tmp/help" 2>&1
commands=$(awk '/^Commands:/ { on = 1; next }
	on && /^$/ { on = 0 }
	on && /^  [a-z]/ { print $1 }' "$tmp/help")
ncmd=$(wc -w <<<"$commands")
if [ "$ncmd" -ge 5 ]; then
	ok "tcpstatectl --help lists $ncmd commands: ${commands//$'\n'/ }"
else
	not_ok "tcpstatectl --help lists the commands (found: ${commands:-none})"
fi

# Long options in a help text; short options where an option list or a
# usage line names them ("  -p, --processes", "[-4|-6]", "[-n]").
long_opts() {
	grep -oE -- '(^|[^A-Za-z0-9-])--[a-z][a-z0-9-]*' "$1" | sed 's/^[^-]*//' | sort -u
}
short_opts() {
	grep -oE -- '(^|[][ ,|])-[A-Za-z0-9]([],| |]|$)' "$1" |
		grep -oE -- '-[A-Za-z0-9]' | sort -u
}

# --- completion ----------------------------------------------------------------

# complete WORD...: the candidates the completion function gives for the
# command line WORD... (the last word is the one being completed), one per
# line, from a clean bash. COMP_WORDBREAKS as bash sets it by default.
cat >"$tmp/complete.sh" <<'EOF'
# shellcheck disable=SC1090
source "$1" || exit 1
shift
COMP_WORDS=("$@")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
COMPREPLY=()
_tcpstatectl tcpstatectl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}" || exit 1
[ ${#COMPREPLY[@]} -eq 0 ] || printf '%s\n' "${COMPREPLY[@]}"
EOF
complete_words() {
	bash --norc --noprofile "$tmp/complete.sh" "$comp" "$@" 2>&1
}

# offers LINE...: the completion of LINE includes the last word itself.
offers() {
	local word=${*: -1}

	complete_words "$@" | grep -qxF -- "$word"
}

# expect_completion WANT WORD...: the candidates are exactly WANT
# (space-separated, in order).
expect_completion() {
	local want=$1 got

	shift
	got=$(complete_words "$@" | tr '\n' ' ')
	got=${got% }
	if [ "$got" = "$want" ]; then
		ok "completing '$*' gives '$want'"
	else
		not_ok "completing '$*' gives '$want' (got '$got')"
	fi
}

reg=$(bash --norc --noprofile -c "source '$comp' && complete -p tcpstatectl" 2>&1)
if [ "$reg" = "complete -F _tcpstatectl tcpstatectl" ]; then
	ok "completion registers with complete -F _tcpstatectl tcpstatectl"
else
	not_ok "completion registers with complete -F _tcpstatectl tcpstatectl (got: $reg)"
fi

expect_completion "list" tcpstatectl li
expect_completion "--state" tcpstatectl list --st
expect_completion "CLOSE_WAIT" tcpstatectl list --state CLOSE_
expect_completion "CLOSE_WAIT" tcpstatectl list --state = CLOSE_
expect_completion "--state=CLOSE_WAIT" tcpstatectl list --state=CLOSE_
expect_completion "CLOSE_WAIT,TIME_WAIT" tcpstatectl list --state CLOSE_WAIT,TIME_
expect_completion "raddr" tcpstatectl counts --by r
expect_completion "remote recv-q" tcpstatectl list --sort re
expect_completion "unread-close" tcpstatectl events --type unr
expect_completion "epipe" tcpstatectl events --type = e
expect_completion "counts" tcpstatectl help cou
expect_completion "" tcpstatectl list --no-such-option
expect_completion "" tcpstatectl version --st

# --- every command and option, in the man page and the completion ------------

# The checks below must catch what is missing.
if ! has_word "$tags" --no-such-option && ! offers tcpstatectl list --no-such-option; then
	ok "the option checks catch an undocumented, uncompleted option"
else
	not_ok "the option checks catch an undocumented, uncompleted option"
fi

missing_man=
missing_comp=
for c in $commands; do
	has_word "$synopsis" "tcpstatectl $c" || missing_man="$missing_man $c(synopsis)"
	grep -qxE "\.BR? $c( .*)?" <<<"$tags" || missing_man="$missing_man $c(COMMANDS)"
	offers tcpstatectl "$c" || missing_comp="$missing_comp $c"
done
if [ -n "$commands" ] && [ -z "$missing_man" ]; then
	ok "man page has every command in SYNOPSIS and COMMANDS"
else
	not_ok "man page has every command in SYNOPSIS and COMMANDS; missing:${missing_man:- (no commands parsed)}"
fi
if [ -n "$commands" ] && [ -z "$missing_comp" ]; then
	ok "completion offers every command"
else
	not_ok "completion offers every command; missing:${missing_comp:- (no commands parsed)}"
fi

# Options of the bare tool.
opts=$(long_opts "$tmp/help")
missing_man=
missing_comp=
for o in $opts -h -V --version; do
	has_word "$synopsis" "$o" && has_word "$tags" "$o" || missing_man="$missing_man $o"
	offers tcpstatectl "$o" || missing_comp="$missing_comp $o"
done
if [ -z "$missing_man" ]; then
	ok "man page documents the general options ${opts//$'\n'/ } -h -V --version"
else
	not_ok "man page documents the general options; missing:$missing_man"
fi
if [ -z "$missing_comp" ]; then
	ok "completion offers the general options"
else
	not_ok "completion offers the general options; missing:$missing_comp"
fi

# Options of each command: in its synopsis, described in an option list
# (a .TP tag), and offered by the completion after the command.
for c in $commands; do
	[ "$c" = help ] && continue
	if ! "$bin" "$c" --help >"$tmp/help.$c" 2>&1; then
		not_ok "tcpstatectl $c --help exits 0"
		continue
	fi
	opts=$( (long_opts "$tmp/help.$c"; short_opts "$tmp/help.$c") | sort -u)
	syn=$(awk -v c="$c" '$0 == ".B tcpstatectl " c { on = 1 }
		on && /^\.(PP|SH|hy)/ { on = 0 } on' "$tmp/man.src")
	missing_man=
	missing_comp=
	for o in $opts; do
		if [ "$o" != --help ]; then
			has_word "$syn" "$o" || missing_man="$missing_man $o(synopsis)"
			has_word "$tags" "$o" || missing_man="$missing_man $o(description)"
		fi
		offers tcpstatectl "$c" "$o" || missing_comp="$missing_comp $o"
	done
	n=$(wc -w <<<"$opts")
	if [ -n "$syn" ] && [ -z "$missing_man" ]; then
		ok "man page documents the $n option(s) of $c"
	else
		not_ok "man page documents the $n option(s) of $c; missing:${missing_man:- the synopsis of $c}"
	fi
	if [ -z "$missing_comp" ]; then
		ok "completion offers the $n option(s) of $c"
	else
		not_ok "completion offers the $n option(s) of $c; missing:$missing_comp"
	fi
done

# --- option values: states, event types, --by keys ---------------------------

# State names and groups as tools/states.c spells them.
states=$(grep -oE '\] = "[A-Z_0-9]+"' "$top/tools/states.c" | grep -oE '[A-Z_0-9]+' | sort -u)
groups=$(sed -n 's/.*valid groups: \([a-z ]*\).*/\1/p' "$top/tools/states.c")
comp_states=$(complete_words tcpstatectl list --state "")
missing_man=
missing_comp=
for s in $states $groups; do
	has_word "$mansrc" "$s" || missing_man="$missing_man $s"
	grep -qxF -- "$s" <<<"$comp_states" || missing_comp="$missing_comp $s"
done
if [ "$(wc -w <<<"$states")" -ge 12 ] && [ -n "$groups" ] && [ -z "$missing_man" ]; then
	ok "man page names every state and group of tools/states.c"
else
	not_ok "man page names every state and group of tools/states.c; missing:${missing_man:- (none parsed)}"
fi
if [ -n "$states" ] && [ -z "$missing_comp" ]; then
	ok "completion offers every state and group of tools/states.c"
else
	not_ok "completion offers every state and group of tools/states.c; missing:${missing_comp:- (none parsed)}"
fi

# Event types and --by keys as the tool spells them.
types=$(grep -oE '\[TCPSTATE_EV_[A-Z_]+\] = "[a-z-]+"' "$top/tools/states.c" |
	grep -oE '"[a-z-]+"' | tr -d '"')
keys=$(grep -oE 'strcmp\(arg, "[a-z]+"\)' "$top/tools/cmd_counts.c" | grep -oE '"[a-z]+"' | tr -d '"')
comp_types=$(complete_words tcpstatectl events --type "")
comp_keys=$(complete_words tcpstatectl counts --by "")
missing_man=
missing_comp=
for t in $types; do
	has_word "$mansrc" "$t" || missing_man="$missing_man --type=$t"
	grep -qxF -- "$t" <<<"$comp_types" || missing_comp="$missing_comp --type=$t"
done
for k in $keys; do
	has_word "$tags" "$k" || missing_man="$missing_man --by=$k"
	grep -qxF -- "$k" <<<"$comp_keys" || missing_comp="$missing_comp --by=$k"
done
if [ -n "$types" ] && [ -n "$keys" ] && [ -z "$missing_man" ]; then
	ok "man page documents every event type and --by key: ${types//$'\n'/ } ${keys//$'\n'/ }"
else
	not_ok "man page documents every event type and --by key; missing:${missing_man:- (none parsed)}"
fi
if [ -n "$types" ] && [ -n "$keys" ] && [ -z "$missing_comp" ]; then
	ok "completion offers every event type and --by key"
else
	not_ok "completion offers every event type and --by key; missing:${missing_comp:- (none parsed)}"
fi

# Every value the completion offers is one the tool accepts (a bad one is
# a usage error, exit 2; a good one gets as far as the module: 0 or 1).
bad=
for s in $comp_states; do
	"$bin" list --state "$s" >/dev/null 2>&1
	[ $? -eq 2 ] && bad="$bad --state=$s"
done
for t in $comp_types; do
	"$bin" events --type "$t" --timeout 0 >/dev/null 2>&1
	[ $? -eq 2 ] && bad="$bad --type=$t"
done
for k in $comp_keys; do
	"$bin" counts --by "$k" >/dev/null 2>&1
	[ $? -eq 2 ] && bad="$bad --by=$k"
done
"$bin" list --state no-such-state >/dev/null 2>&1
rc_bogus=$?
if [ -n "$comp_states" ] && [ -z "$bad" ] && [ "$rc_bogus" -eq 2 ]; then
	ok "the tool accepts every value the completion offers ($(wc -w <<<"$comp_states $comp_types $comp_keys"))"
else
	not_ok "the tool accepts every value the completion offers; rejected:${bad:- none} (bogus state: exit $rc_bogus, want 2)"
fi

# --- make install / uninstall ---------------------------------------------------

dest=$tmp/root
# A kernel build directory that records any use: install must not touch it.
mkdir -p "$tmp/kdir"
# shellcheck disable=SC2016 # make's variables, not the shell's
printf '%%:\n\t@echo "$@ M=$(M) INSTALL_MOD_PATH=$(INSTALL_MOD_PATH)" >>%s\n' \
	"$tmp/kdir.log" >"$tmp/kdir/Makefile"

if make -s -C "$top" install DESTDIR="$dest" PREFIX=/usr KDIR="$tmp/kdir" \
	>"$tmp/install.log" 2>&1; then
	ok "make install DESTDIR=\$tmp PREFIX=/usr"
else
	not_ok "make install DESTDIR=\$tmp PREFIX=/usr: $(tail -n 5 "$tmp/install.log" | tr '\n' ' ')"
fi

# installed SOURCE PATH MODE
installed() {
	local src=$1 path=$dest$2 mode=$3 got

	if [ ! -f "$path" ]; then
		not_ok "installed $2 (missing)"
		return
	fi
	got=$(stat -c %a "$path")
	if [ "$got" = "$mode" ] && cmp -s "$src" "$path"; then
		ok "installed $2, mode $mode"
	else
		not_ok "installed $2, mode $mode (mode $got$(cmp -s "$src" "$path" || echo ', differs from the source'))"
	fi
}
installed "$top/tools/tcpstatectl" /usr/sbin/tcpstatectl 755
installed "$manpage" /usr/share/man/man8/tcpstatectl.8 644
installed "$comp" /usr/share/bash-completion/completions/tcpstatectl 644

extra=$(cd "$dest" 2>/dev/null && find . -type f | sort | grep -vxE \
	'\./usr/(sbin/tcpstatectl|share/man/man8/tcpstatectl\.8|share/bash-completion/completions/tcpstatectl)')
if [ -d "$dest" ] && [ -z "$extra" ] && [ ! -e "$tmp/kdir.log" ]; then
	ok "make install installs nothing else and leaves the module alone"
else
	not_ok "make install installs nothing else and leaves the module alone:" \
		"${extra//$'\n'/ }" "$(cat "$tmp/kdir.log" 2>/dev/null)"
fi

if make -s -C "$top" uninstall DESTDIR="$dest" PREFIX=/usr >"$tmp/uninstall.log" 2>&1; then
	left=$(find "$dest" -type f 2>/dev/null)
	if [ -z "$left" ]; then
		ok "make uninstall DESTDIR=\$tmp PREFIX=/usr removes the three files"
	else
		not_ok "make uninstall DESTDIR=\$tmp PREFIX=/usr removes the three files; left: ${left//$'\n'/ }"
	fi
else
	not_ok "make uninstall DESTDIR=\$tmp PREFIX=/usr: $(tail -n 5 "$tmp/uninstall.log" | tr '\n' ' ')"
fi

# modules_install goes through the kernel's build system, passing
# INSTALL_MOD_PATH through only when it is set.
rm -f "$tmp/kdir.log"
make -s -C "$top" modules_install KDIR="$tmp/kdir" INSTALL_MOD_PATH="$tmp/mods" \
	>"$tmp/mi.log" 2>&1
got=$(cat "$tmp/kdir.log" 2>/dev/null)
if [ "$got" = "modules_install M=$top INSTALL_MOD_PATH=$tmp/mods" ]; then
	ok "make modules_install runs the kernel's modules_install with INSTALL_MOD_PATH"
else
	not_ok "make modules_install runs the kernel's modules_install with INSTALL_MOD_PATH (got: ${got:-nothing}; $(tail -n 3 "$tmp/mi.log" | tr '\n' ' '))"
fi
rm -f "$tmp/kdir.log"
env -u INSTALL_MOD_PATH make -s -C "$top" modules_install KDIR="$tmp/kdir" >"$tmp/mi.log" 2>&1
got=$(cat "$tmp/kdir.log" 2>/dev/null)
if [ "$got" = "modules_install M=$top INSTALL_MOD_PATH=" ]; then
	ok "make modules_install without INSTALL_MOD_PATH passes none"
else
	not_ok "make modules_install without INSTALL_MOD_PATH passes none (got: ${got:-nothing})"
fi

tap_summary
