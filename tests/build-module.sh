#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build tcpstate.ko against one kernel's headers, in a private copy of the
# sources (two kernels must not share object files), with W=1 and sparse.
# Usage: tests/build-module.sh KERNEL_DIR OUT_DIR
# Prints nothing on success; the log is OUT_DIR/build.log and the module
# OUT_DIR/tcpstate.ko. Fails on any compiler or sparse warning.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
kdir=$1
out=$2
: "${TCPSTATE_VERSION:=$("$top/scripts/version.sh")}"
export TCPSTATE_VERSION

mkdir -p "$out"
# One build of a directory at a time: a benchmark may be prepared while a
# test run of the same kernel builds (the lock goes with this process).
exec 8>"$out/.lock"
flock 8

rm -rf "$out/src"
mkdir -p "$out/src"
cp -r "$top/Kbuild" "$top/VERSION" "$top/module" "$top/include" "$out/src/"
# Never carry objects from an in-tree build into the private copy.
find "$out/src" \( -name '*.o' -o -name '*.ko' -o -name '*.mod*' -o -name '.*.cmd' \) -delete

if ! make -C "$kdir/headers" M="$out/src" W=1 C=1 modules >"$out/build.log" 2>&1; then
	echo "module build failed against $(basename "$kdir"):" >&2
	tail -n 30 "$out/build.log" >&2
	exit 1
fi
# The 6.1 headers ship no vmlinux; their "Skipping BTF generation" note is
# expected. Anything else that says warning is a failure.
warnings=$(grep -E 'warning:|warning |WARNING' "$out/build.log" |
	grep -v 'Skipping BTF generation')
if [ -n "$warnings" ]; then
	echo "warnings building against $(basename "$kdir"):" >&2
	echo "$warnings" >&2
	exit 1
fi
cp "$out/src/module/tcpstate.ko" "$out/tcpstate.ko"
