#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The Debian packages, end to end, on this machine (make check):
#   1. build tcpstate-dkms and tcpstatectl from the files git tracks
#      (scripts/deb.sh, as make deb), with the source package, and run
#      lintian on all of them: no error, no warning;
#   2. install the first series' headers, then both packages with
#      `apt-get install ./tcpstate-dkms_*.deb ./tcpstatectl_*.deb` (the
#      package's postinst has DKMS build for that kernel), then the other
#      series' headers (DKMS's header hook builds for each): the module is
#      installed for every one of those kernels;
#   3. boot each kernel in QEMU with the module DKMS built there and the
#      tool the package installed: load, version, /proc, the socket table
#      against ss, and depmod + modprobe + autoload (16-dkms-modprobe);
#   4. the installed tool, manual page and bash completion work;
#   5. upgrade to the same tree with the next patch version: DKMS removes
#      the old version and builds the new one for the kernels it says,
#      and no module of the old version is left anywhere;
#   6. `apt-get purge` both: every file they installed is gone, and so is
#      every DKMS tree and built module;
#   7. the machine is as before: the header packages (and the image stubs,
#      below) this test installed are purged again (also on failure).
# It installs packages on the host, so it needs root (CI has it); without,
# it is skipped and says so.
# Usage: tests/deb/run.sh [SERIES...] (default: 6.1 6.12); ends with
# "N passed, N failed" (", 1 skipped" without root).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib/kernel.sh"
. "$top/tests/lib/tap.sh"

series_list=${*:-6.1 6.12}
guest_cases='^(10|11|12|16|20|26)-'
guest_ncases=6

if [ "$(id -u)" -ne 0 ]; then
	echo "skip - the Debian packages' install test needs root (it installs packages on this machine)"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi
for t in dpkg-buildpackage dpkg-source lintian dh_dkms dkms; do
	if ! command -v "$t" >/dev/null; then
		not_ok "$t is installed (scripts/deps.sh)"
		tap_summary
		exit 1
	fi
done
if dpkg-query -W -f='${Status}\n' tcpstate-dkms tcpstatectl 2>/dev/null | grep -q 'ok installed'; then
	not_ok "tcpstate-dkms or tcpstatectl is already installed here; this test does not touch it (apt-get purge tcpstate-dkms tcpstatectl, then run again)"
	tap_summary
	exit 1
fi

version=$(cat "$top/VERSION")
# make check exports the git-based version for its own builds; DKMS, run
# by apt in the package's postinst, would inherit it and stamp the module
# with it. An operator's apt has no such variable: neither have we.
unset TCPSTATE_VERSION
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tcpstate-debtest.XXXXXX") || exit 1
export DEBIAN_FRONTEND=noninteractive
# Wait for another apt (apt-daily, unattended-upgrades) instead of failing.
apt_log=$tmp/apt.log
apt_quiet() {
	apt-get -y -q -o Dpkg::Use-Pty=0 -o DPkg::Lock::Timeout=300 "$@" >>"$apt_log" 2>&1
}

# Stubs a killed run left behind (they stand in for kernel images and
# belong to this test alone).
old_stubs=$(dpkg-query -W -f='${Package}\n' 'tcpstate-test-image-stub-*' 2>/dev/null)
# shellcheck disable=SC2086
[ -n "$old_stubs" ] && apt_quiet purge $old_stubs

# What this test installs, to purge when it ends: of the packages that
# were not installed before, those it installs on purpose or that kernel
# headers pull in. Nothing else, even if another apt client installs
# something meanwhile.
dpkg-query -W -f='${Package} ${Status}\n' | awk '$NF == "installed" { print $1 }' |
	sort >"$tmp/before.list"
ls /lib/modules 2>/dev/null | sort >"$tmp/before.modules"
ours='^(tcpstate-dkms|tcpstatectl|tcpstate-test-image-stub-.*|linux-headers-.*|linux-kbuild-.*|linux-compiler-.*|linux-base)$'
cleaned=
cleanup_host() {
	local extra k rc=0
	[ -n "$cleaned" ] && return 0
	cleaned=1
	dpkg-query -W -f='${Package} ${Status}\n' | awk '$NF == "installed" { print $1 }' |
		sort >"$tmp/after.list"
	extra=$(comm -13 "$tmp/before.list" "$tmp/after.list" | grep -E "$ours")
	# shellcheck disable=SC2086
	[ -z "$extra" ] || apt_quiet purge $extra || rc=1
	# depmod's files for a kernel whose headers are gone again.
	for k in $(ls /lib/modules 2>/dev/null); do
		grep -qx "$k" "$tmp/before.modules" || rm -rf "/lib/modules/$k"
	done
	return $rc
}
trap 'cleanup_host; rm -rf "$tmp"' EXIT

# --- 1. build and lint -------------------------------------------------
t0=$(date +%s)
if "$top/scripts/deb.sh" "$tmp/cur" >"$tmp/deb-cur.log" 2>&1; then
	ok "make deb builds tcpstate-dkms and tcpstatectl $version ($(($(date +%s) - t0)) s)"
else
	not_ok "make deb builds the packages"
	tail -n 30 "$tmp/deb-cur.log"
	tap_summary
	exit 1
fi
dkms_deb=$tmp/cur/tcpstate-dkms_${version}_all.deb
tool_deb=$(ls "$tmp"/cur/tcpstatectl_"$version"_*.deb)
lint=$(lintian --fail-on error,warning --tag-display-limit 0 \
	"$tmp"/cur/tcpstate_"$version"_*.changes "$tmp/cur/tcpstate_$version.dsc" 2>/dev/null)
rc=$?
[ -n "$lint" ] && echo "$lint" | sed 's/^/  lintian: /'
check "lintian: no error or warning on the binary and source packages" \
	sh -c "[ $rc -eq 0 ] && ! echo \"\$1\" | grep -q '^[EW]: '" _ "$lint"
check "tcpstate-dkms depends on dkms" \
	sh -c "dpkg-deb -f '$dkms_deb' Depends | grep -q '^dkms'"
check "tcpstatectl's dependencies come from its libraries (libmnl)" \
	sh -c "dpkg-deb -f '$tool_deb' Depends | grep -q 'libmnl'"
check "tcpstatectl does not depend on dkms" \
	sh -c "! dpkg-deb -f '$tool_deb' Depends | grep -q dkms"

# --- 2. install ----------------------------------------------------------
kvers=
for s in $series_list; do
	k=$(kernel_resolve "$s") || { not_ok "resolve the newest $s kernel"; continue; }
	kvers="$kvers $k"
done
kvers=${kvers# }

# install_headers KVER: its header package. Debian's 6.12 header packages
# depend on their kernel image. This machine never boots it (QEMU boots an
# unpacked copy), and installing an image runs update-initramfs and pulls
# in udev (minutes, and a changed host): a stub package that provides the
# image's name stands in for it.
install_headers() {
	local k=$1 v stub= t0
	if apt-cache show "linux-headers-$k" | sed -n 's/^Depends: //p' | head -n 1 |
		grep -q "linux-image-$k"; then
		v=$(apt-cache show "linux-headers-$k" | sed -n 's/^Version: //p' | head -n 1)
		mkdir -p "$tmp/stub-$k/DEBIAN"
		cat >"$tmp/stub-$k/DEBIAN/control" <<EOF
Package: tcpstate-test-image-stub-$k
Version: $v
Architecture: all
Maintainer: tcpstate developers <tcpstate@example.org>
Provides: linux-image-$k (= $v)
Description: stand-in for linux-image-$k (tcpstate's package test)
 Lets its headers install on a machine that never boots that kernel.
EOF
		dpkg-deb -b "$tmp/stub-$k" "$tmp/stub-$k.deb" >/dev/null &&
			stub=$tmp/stub-$k.deb
	fi
	t0=$(date +%s)
	# shellcheck disable=SC2086
	apt_quiet install --no-install-recommends $stub "linux-headers-$k"
	check "apt-get install linux-headers-$k${stub:+ (and a stub for its image)} ($(($(date +%s) - t0)) s)" \
		test $? -eq 0
}

# mod_file KVER: the module DKMS installed for that kernel.
mod_file() {
	find "/lib/modules/$1/updates/dkms" -name 'tcpstate.ko*' 2>/dev/null | head -n 1
}
# mod_version FILE: modinfo's version of a (maybe compressed) module,
# unpacked into $tmp/m.ko.
mod_version() {
	case $1 in
	*.xz) xz -dc "$1" >"$tmp/m.ko" ;;
	*.zst) zstd -qdc "$1" >"$tmp/m.ko" ;;
	*) cp "$1" "$tmp/m.ko" ;;
	esac
	modinfo -F version "$tmp/m.ko"
}
# dkms_installed VERSION KVER: DKMS says that version is installed there.
dkms_installed() {
	dkms status -m tcpstate -v "$1" -k "$2" 2>/dev/null | grep -q ': installed'
}

first=${kvers%% *}
rest=${kvers#"$first"}
install_headers "$first"
t0=$(date +%s)
# Without the Recommends (linux-headers-amd64 would add the headers of
# whatever kernel that metapackage names): the headers here are the set.
apt_quiet install --no-install-recommends "$dkms_deb" "$tool_deb"
rc=$?
check "apt-get install ./$(basename "$dkms_deb") ./$(basename "$tool_deb") ($(($(date +%s) - t0)) s)" \
	test "$rc" -eq 0
[ "$rc" -eq 0 ] || tail -n 40 "$apt_log"
dpkg -L tcpstate-dkms tcpstatectl 2>/dev/null | sort -u >"$tmp/files.list"
check "the module's source is under /usr/src/tcpstate-$version" \
	test -f "/usr/src/tcpstate-$version/dkms.conf"
check "$first: the package's postinst had DKMS install $version" \
	dkms_installed "$version" "$first"
# Kernels whose headers come later: DKMS's hook, as on a machine that
# installs a new kernel.
check "DKMS's header hook is there (/etc/kernel/header_postinst.d/dkms)" \
	test -x /etc/kernel/header_postinst.d/dkms
for k in $rest; do
	install_headers "$k"
done
dkms status -m tcpstate 2>/dev/null | sed 's/^/  dkms status: /'
for k in $kvers; do
	check "dkms status: tcpstate/$version installed for $k" dkms_installed "$version" "$k"
	m=$(mod_file "$k")
	check "$k: the module is in /lib/modules/$k/updates/dkms" test -n "$m"
	[ -n "$m" ] || continue
	check "$k: the built module is version $version" \
		test "$(mod_version "$m")" = "$version"
	check "$k: and its vermagic is that kernel's" \
		test "$(modinfo -F vermagic "$tmp/m.ko" | cut -d' ' -f1)" = "$k"
	mkdir -p "$tmp/ko/$k"
	cp "$tmp/m.ko" "$tmp/ko/$k/tcpstate.ko"
done

# --- 3. the guests boot what DKMS built ---------------------------------
for s in $series_list; do
	k=$(kernel_resolve "$s") || continue
	[ -f "$tmp/ko/$k/tcpstate.ko" ] || { not_ok "$s: no DKMS-built module to boot"; continue; }
	t0=$(date +%s)
	TCPSTATE_KO=$tmp/ko/$k/tcpstate.ko TCPSTATE_TOOL=/usr/sbin/tcpstatectl \
		"$top/tests/qemu/run.sh" "$s" "$guest_cases" >"$tmp/qemu-$s.log" 2>&1
	rc=$?
	grep -E '^  \[' "$tmp/qemu-$s.log"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$tmp/qemu-$s.log" | tail -n 1)
	check "$s: the DKMS-built module and the packaged tool pass all $guest_ncases cases of $guest_cases ($line, $(($(date +%s) - t0)) s)" \
		sh -c "[ $rc -eq 0 ] && [ '$line' = '$guest_ncases passed, 0 failed, 0 skipped' ]"
done

# --- 4. the installed tool, manual page, completion ---------------------
out=$(/usr/sbin/tcpstatectl --version 2>&1)
check "/usr/sbin/tcpstatectl --version says the release: '$out'" \
	test "$out" = "tcpstatectl $version"
check "man tcpstatectl renders from /usr/share/man" \
	sh -c "man -w tcpstatectl | grep -q '^/usr/share/man/man8/tcpstatectl.8' &&
		MANPAGER=cat MANWIDTH=80 man tcpstatectl 2>/dev/null | grep -q 'tcpstatectl'"
check "bash completion completes a command from the installed file" \
	bash -c '. /usr/share/bash-completion/completions/tcpstatectl &&
		COMP_WORDS=(tcpstatectl li) COMP_CWORD=1 COMP_LINE="tcpstatectl li" COMP_POINT=14 &&
		f=$(complete -p tcpstatectl | sed -n "s/.*-F \([^ ]*\).*/\1/p") &&
		"$f" tcpstatectl li tcpstatectl && printf "%s\n" "${COMPREPLY[@]}" | grep -qx list'
check "the metrics units are installed, not enabled" \
	sh -c "test -f /lib/systemd/system/tcpstate-metrics.timer &&
		! ls /etc/systemd/system/timers.target.wants/tcpstate-metrics.timer 2>/dev/null"
check "the Prometheus alerting rules are installed" \
	test -f /usr/share/tcpstatectl/prometheus/tcpstate-alerts.yml
check "the modules-load.d example is shipped, not active" \
	sh -c "test -f /usr/share/doc/tcpstate-dkms/examples/tcpstate.conf &&
		! ls /etc/modules-load.d/tcpstate.conf /usr/lib/modules-load.d/tcpstate.conf 2>/dev/null"

# --- 5. upgrade to the next patch version -------------------------------
next=$(echo "$version" | awk -F. '{ printf "%d.%d.%d", $1, $2, $3 + 1 }')
mkdir -p "$tmp/next"
git -c safe.directory="$top" -C "$top" ls-files -z --cached | (cd "$top" &&
	tar --null -T - --ignore-failed-read -cf - 2>/dev/null) | tar -xf - -C "$tmp/next"
echo "$next" >"$tmp/next/VERSION"
sed -i "s/^PACKAGE_VERSION=.*/PACKAGE_VERSION=\"$next\"/" "$tmp/next/dkms.conf"
if "$tmp/next/scripts/deb.sh" "$tmp/nextdeb" >"$tmp/deb-next.log" 2>&1; then
	ok "the packages of the next version ($next) build"
	t0=$(date +%s)
	apt_log=$tmp/apt-upgrade.log
	apt_quiet install --no-install-recommends "$tmp/nextdeb/tcpstate-dkms_${next}_all.deb" \
		"$(ls "$tmp"/nextdeb/tcpstatectl_"$next"_*.deb)"
	rc=$?
	cat "$apt_log" >>"$tmp/apt.log"
	check "apt-get install upgrades both to $next ($(($(date +%s) - t0)) s)" \
		sh -c "[ $rc -eq 0 ] && dpkg-query -W -f='\${Version}' tcpstate-dkms | grep -qx '$next' &&
			dpkg-query -W -f='\${Version}' tcpstatectl | grep -qx '$next'"
	dkms status -m tcpstate 2>/dev/null | sed 's/^/  dkms status: /'
	check "DKMS forgot $version" sh -c "! dkms status -m tcpstate -v '$version' 2>/dev/null | grep -q ."
	check "no /usr/src/tcpstate-$version, no /var/lib/dkms/tcpstate/$version" \
		sh -c "test ! -e /usr/src/tcpstate-$version && test ! -e /var/lib/dkms/tcpstate/$version"
	# Debian's dkms (common.postinst) says for which kernels it builds on
	# an upgrade: the running one and the newest installed one, or, on a
	# machine that runs none of them (this one), every one.
	built=$(sed -n 's/^Building for //p' "$apt_log" | tail -n 1 |
		sed 's/,/ /g; s/ and / /g')
	echo "  the upgrade built for: $built"
	check "the upgrade built for at least one kernel" test -n "$built"
	for k in $kvers; do
		m=$(mod_file "$k")
		if echo " $built " | grep -q " $k "; then
			check "$k: DKMS installed $next" dkms_installed "$next" "$k"
			check "$k: the module is now version $next" \
				sh -c "[ -n '$m' ] && [ \"\$(modinfo -F version '$m')\" = '$next' ]"
		else
			check "$k: no module of $version left" \
				sh -c "[ -z '$m' ] || [ \"\$(modinfo -F version '$m')\" != '$version' ]"
		fi
	done
	dpkg -L tcpstate-dkms tcpstatectl 2>/dev/null >>"$tmp/files.list"
	apt_log=$tmp/apt.log
else
	not_ok "the packages of the next version ($next) build"
	tail -n 30 "$tmp/deb-next.log"
fi

# --- 6. purge ------------------------------------------------------------
apt_quiet purge tcpstatectl tcpstate-dkms
rc=$?
check "apt-get purge tcpstatectl tcpstate-dkms" \
	sh -c "[ $rc -eq 0 ] && ! dpkg-query -W -f='\${Status}\n' tcpstatectl tcpstate-dkms 2>/dev/null | grep -q 'ok installed'"
# Files and links; not directories (/lib is a link to usr/lib here).
left=$(sort -u "$tmp/files.list" | while read -r f; do
	{ [ -e "$f" ] || [ -L "$f" ]; } && [ ! -d "$f" ] && echo "$f"
done)
[ -n "$left" ] && echo "$left" | sed 's/^/  left behind: /'
check "every file the packages installed is gone" test -z "$left"
check "nothing under /usr/src/tcpstate-*" sh -c '! ls -d /usr/src/tcpstate-* 2>/dev/null'
check "nothing under /var/lib/dkms/tcpstate" test ! -e /var/lib/dkms/tcpstate
check "no tcpstate module under /lib/modules" \
	sh -c "! find /lib/modules -name 'tcpstate.ko*' 2>/dev/null | grep -q ."
check "no systemd state of the units left" \
	sh -c "! find /var/lib/systemd -name '*tcpstate*' 2>/dev/null | grep -q ."

# --- 7. the machine as before -------------------------------------------
check "the headers and stubs this test installed are purged again" cleanup_host
check "no package of this test left installed" \
	sh -c "! dpkg-query -W -f='\${Package} \${Status}\n' 2>/dev/null |
		awk '\$NF == \"installed\" { print \$1 }' | grep -E '$ours' |
		grep -vxF -f '$tmp/before.list' | grep -q ."
tap_summary
