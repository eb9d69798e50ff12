#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The real DKMS flow on the host, for the newest 6.1 and 6.12 kernels
# (generic, rt and cloud flavours, KERNEL_SERIES_BUILD):
# dkms add, build -k KVER, install, status, remove, against the cached
# Debian header packages. Private trees (--dkmstree, --sourcetree,
# --installtree) keep the host's /var/lib/dkms and /lib/modules untouched.
# The installed module is copied to build/dkms/KVER/tcpstate.ko, where the
# guest test 16-dkms-modprobe picks it up for depmod + modprobe.
# Usage: tests/dkms/host.sh [SERIES...]; ends with "N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib/kernel.sh"

. "$top/tests/lib/tap.sh"

if ! command -v dkms >/dev/null; then
	not_ok "dkms is installed (make deps)"
	tap_summary
	exit 1
fi
version=$(cat "$top/VERSION")
conf_version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$top/dkms.conf")
check "dkms.conf PACKAGE_VERSION ($conf_version) is VERSION ($version)" \
	test "$conf_version" = "$version"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tcpstate-dkms.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
src=$tmp/src/tcpstate-$version
mkdir -p "$src" "$tmp/dkms" "$tmp/install"
# What a source package would ship (no tools, no tests): the module.
cp -r "$top/Kbuild" "$top/dkms.conf" "$top/VERSION" "$top/module" \
	"$top/include" "$src/"
# DKMS builds from a plain source tree: no version from our environment
# (make check exports the git-based one for its own builds).
unset TCPSTATE_VERSION
dk() {
	dkms --dkmstree "$tmp/dkms" --sourcetree "$tmp/src" \
		--installtree "$tmp/install" "$@"
}

check "dkms add" dk add -m tcpstate -v "$version"

for series in ${*:-$KERNEL_SERIES_BUILD}; do
	kver=$(kernel_resolve "$series") || { not_ok "resolve $series"; continue; }
	kdir=$(kernel_fetch "$kver") || { not_ok "fetch $kver"; continue; }
	hdr=$(readlink -f "$kdir/headers")
	log=$tmp/build-$kver.log
	if dk build -m tcpstate -v "$version" -k "$kver" \
		--kernelsourcedir "$hdr" >"$log" 2>&1; then
		ok "dkms build -k $kver"
	else
		not_ok "dkms build -k $kver"
		tail -n 30 "$log"
		cat "$tmp"/dkms/tcpstate/"$version"/build/make.log 2>/dev/null | tail -n 30
		continue
	fi
	# The install tree stands for /lib/modules: that kernel's directory.
	mkdir -p "$tmp/install/$kver/kernel"
	if dk install -m tcpstate -v "$version" -k "$kver" \
		--kernelsourcedir "$hdr" --no-depmod >"$log" 2>&1; then
		ok "dkms install -k $kver"
	else
		not_ok "dkms install -k $kver"
		tail -n 30 "$log"
		continue
	fi
	ko=$(find "$tmp/install" -path "*$kver*" -name 'tcpstate.ko*' | head -n 1)
	check "$kver: installed under updates/dkms" \
		sh -c "echo '$ko' | grep -q '/updates/dkms/tcpstate.ko'"
	[ -n "$ko" ] || continue
	case "$ko" in
	*.xz) xz -dc "$ko" >"$tmp/tcpstate.ko" ;;
	*.zst) zstd -qdc "$ko" >"$tmp/tcpstate.ko" ;;
	*) cp "$ko" "$tmp/tcpstate.ko" ;;
	esac
	vermagic=$(modinfo -F vermagic "$tmp/tcpstate.ko" | cut -d' ' -f1)
	check "$kver: vermagic $vermagic" test "$vermagic" = "$kver"
	modver=$(modinfo -F version "$tmp/tcpstate.ko")
	check "$kver: module version $modver is the release" test "$modver" = "$version"
	check "$kver: genl family alias for autoloading" \
		sh -c "modinfo -F alias '$tmp/tcpstate.ko' | grep -qx 'net-pf-16-proto-16-family-tcpstate'"
	check "$kver: dkms status says installed" \
		sh -c "dkms --dkmstree '$tmp/dkms' status -m tcpstate -k '$kver' 2>/dev/null | grep -q installed"
	mkdir -p "$top/build/dkms/$kver"
	cp "$tmp/tcpstate.ko" "$top/build/dkms/$kver/tcpstate.ko"
	dk uninstall -m tcpstate -v "$version" -k "$kver" >"$log" 2>&1
	check "$kver: dkms uninstall removes the module" \
		sh -c "! find '$tmp/install' -path '*$kver*' -name 'tcpstate.ko*' | grep -q ."
done

# A kernel outside BUILD_EXCLUSIVE_KERNEL is refused with DKMS's message.
fake=$tmp/fake-5.10
mkdir -p "$fake"
printf 'CONFIG_INET=y\n' >"$fake/.config"
out=$(dk build -m tcpstate -v "$version" -k 5.10.0-99-amd64 \
	--kernelsourcedir "$fake" 2>&1)
rc=$?
echo "$out" | tail -n 3
check "a 5.10 kernel is refused (BUILD_EXCLUSIVE)" \
	sh -c "[ $rc -ne 0 ] && echo \"\$1\" | grep -q 'BUILD_EXCLUSIVE'" _ "$out"

dk remove -m tcpstate -v "$version" --all >/dev/null 2>&1
check "dkms remove --all leaves nothing" \
	sh -c "! find '$tmp/dkms' -name 'tcpstate.ko*' | grep -q ."
tap_summary
