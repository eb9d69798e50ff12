#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Assemble the guest's initramfs: busybox, tcpstatectl and the comparison
# tools (ss, netstat) with their shared libraries, the module under test,
# the kernel's own inet_diag modules (ss needs them), the scenario
# programs and the in-guest test scripts.
# Usage: mkinitramfs.sh KERNEL_DIR TCPSTATE_KO GUEST_BIN_DIR OUT.cpio.gz [DKMS_KO]
#   DKMS_KO: the module as DKMS built it (tests/dkms/host.sh), for the
#   modprobe case; optional.
#   env NOMCAST_KO: the module built with TCPSTATE_TEST_NO_MCAST_CAP=1, for
#   65-events-fail-closed; optional, that case fails without it.
#   env TCPSTATE_TOOL: this tcpstatectl instead of GUEST_BIN_DIR's (the
#   installed package's, tests/deb/run.sh); optional.
#   env NODE_EXPORTER: Debian's node_exporter binary, for the scrape case
#   (36-node-exporter); optional, that case fails without it.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
kdir=$1
ko=$2
bindir=$3
out=$4
dkms_ko=${5:-}
kver=$(basename "$(readlink -f "$kdir/modules")")

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
chmod 755 "$stage"
mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,lib,lib64,proc,sys,dev,tmp,run,root,etc,home/user,lib/tcpstate,tests}

busybox=$(command -v busybox)
cp "$busybox" "$stage/bin/busybox"
# Dynamic binaries keep their loader and libraries at the same paths.
add_bin() {
	local src=$1 dst=$2 lib
	cp -L "$src" "$stage$dst"
	for lib in $(ldd "$src" 2>/dev/null | grep -oE '/[^ ]+\.so[^ ]*'); do
		[ -e "$stage$lib" ] || { mkdir -p "$stage$(dirname "$lib")"; cp -L "$lib" "$stage$lib"; }
	done
}
add_bin "${TCPSTATE_TOOL:-$bindir/tcpstatectl}" /usr/bin/tcpstatectl
add_bin "$(command -v ss)" /usr/bin/ss
add_bin "$(command -v netstat)" /usr/bin/netstat
if [ -n "${NODE_EXPORTER:-}" ] && [ -x "$NODE_EXPORTER" ]; then
	add_bin "$NODE_EXPORTER" /usr/bin/node_exporter
fi
for f in "$bindir"/scenario/*; do
	[ -x "$f" ] && add_bin "$f" "/usr/bin/$(basename "$f")"
done

cp "$ko" "$stage/lib/tcpstate/tcpstate.ko"
if [ -n "$dkms_ko" ] && [ -f "$dkms_ko" ]; then
	mkdir -p "$stage/lib/tcpstate/dkms"
	cp "$dkms_ko" "$stage/lib/tcpstate/dkms/tcpstate.ko"
fi
if [ -n "${NOMCAST_KO:-}" ] && [ -f "$NOMCAST_KO" ]; then
	mkdir -p "$stage/lib/tcpstate/nomcast"
	cp "$NOMCAST_KO" "$stage/lib/tcpstate/nomcast/tcpstate.ko"
fi
# ss talks to inet_diag/tcp_diag, which Debian builds as modules.
for m in inet_diag tcp_diag; do
	src=$(find "$kdir/modules/kernel/net/ipv4" -name "$m.ko*" | head -n 1)
	case "$src" in
	*.xz) xz -dc "$src" >"$stage/lib/tcpstate/$m.ko" ;;
	*) cp "$src" "$stage/lib/tcpstate/$m.ko" ;;
	esac
done

# A module that registers a generic netlink family (and needs no other),
# for 54-genl-register: registering takes genetlink's cb_lock for writing.
# The debug lane's defconfig kernel has none: 54-genl-register skips there.
src=$(find "$kdir/modules/kernel/drivers/net/team" -name 'team.ko*' 2>/dev/null | head -n 1)
case "$src" in
'') ;;
*.xz) xz -dc "$src" >"$stage/lib/tcpstate/team.ko" ;;
*) cp "$src" "$stage/lib/tcpstate/team.ko" ;;
esac

cp -r "$top/tests/vm/." "$stage/tests/"
cp "$top/tests/qemu/init" "$stage/init"
chmod +x "$stage/init"
echo "$kver" >"$stage/etc/kernel-release"
printf 'root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:user:/home/user:/bin/sh\n' >"$stage/etc/passwd"
printf 'root:x:0:\nuser:x:1000:\n' >"$stage/etc/group"
chown 1000:1000 "$stage/home/user"

(cd "$stage" && find . | cpio -H newc -o --quiet | gzip -1) >"$out"
