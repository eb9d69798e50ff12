#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install, idempotently, every Debian package that building, testing and the
# demo need. Kernel images and headers are NOT installed: the test harness
# unpacks them into a cache (tests/lib/kernel.sh).
#   scripts/deps.sh          what make check and make demo need
#   scripts/deps.sh debug    also what building the debug-lane kernel from
#                            source needs (make check-debug)
set -eu
# Tool and module builds (the Debian headers build with gcc-12; pahole is
# needed for 6.12 module BTF, sparse for make C=1), the guest initramfs,
# QEMU, the oracles and benchmark peers (ss, netstat), DKMS, clang
# with libFuzzer for tests/fuzz, and what make deb and its test need.
pkgs=(
	gcc gcc-12 make pkg-config libc6-dev git bc
	libmnl-dev
	sparse dwarves
	kmod xz-utils cpio busybox-static
	qemu-system-x86
	iproute2 net-tools
	dkms
	man-db groff-base
	clang libclang-rt-14-dev
	debhelper dh-dkms dpkg-dev lintian
)
# A kernel build from linux-source: kconfig's lexer and parser, objtool's
# libelf, the certificate tools' libssl.
[ "${1:-}" = debug ] && pkgs+=(flex bison libelf-dev libssl-dev xz-utils)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "deps: all ${#pkgs[@]} packages present"
	exit 0
fi
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
