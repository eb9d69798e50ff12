#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check-debug: the guest suite on a 6.12 kernel with KASAN, lockdep
# (PROVE_LOCKING), DEBUG_ATOMIC_SLEEP and kmemleak, built once into the
# cache by tests/debug/build-kernel.sh, ending with 99-kmemleak's scan.
# Any KASAN report, lockdep splat or sleep-in-atomic message is a
# "BUG:"/"WARNING:" line, which fails the case (tests/vm/runner.sh) and,
# with panic_on_warn, ends the guest.
#   env CASES: case regex (default: every case but 16-dkms-modprobe, whose
#       DKMS-built module exists only for Debian's kernels)
#   env DEBUG_VARIANT=rt: the PREEMPT_RT variant of that kernel
#       (tests/debug/debug-rt.config; make check-debug-rt)
# Ends with "N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
t0=$(date +%s)
if ! kver=$("$top/tests/debug/build-kernel.sh"); then
	echo "debug kernel build failed"
	echo "0 passed, 1 failed"
	exit 1
fi
t1=$(date +%s)
echo "debug kernel $kver ready in $((t1 - t0)) s (build time when built: $(cat \
	"${TCPSTATE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tcpstate}/kernels/$kver/build-seconds") s)"
# KASAN and lockdep make the guest several times slower.
# no5lvl: -cpu max offers LA57, and one boot in a few of this KASAN kernel
# died before any case ran ("KASAN: wild-memory-access" on an irq_desc
# lock at ff11..., the 5-level direct map, from get_cpu_vendor in
# start_kernel); 4-level paging keeps KASAN's shadow where it is tested.
# Every case gets 4 times its limit (tcpstate.timeout_scale).
TCPSTATE_KVER=$kver QEMU_APPEND="no5lvl tcpstate.timeout_scale=4${QEMU_APPEND:+ $QEMU_APPEND}" \
	QEMU_TIMEOUT=${QEMU_TIMEOUT:-14400} QEMU_MEM=${QEMU_MEM:-3072} \
	"$top/tests/qemu/run.sh" 6.12 "${CASES:-^(1[0-5]|[2-9][0-9])-}"
rc=$?
echo "debug lane: $(($(date +%s) - t1)) s in the guest"
# The lane takes hours, so it may run in parts (CASES), in several boots:
# a part's result holds for the module source it ran, named by this hash
# (git's tree of module/ and include/, with uncommitted changes counted).
src_hash=$(cd "$top" && { git ls-files -s module include; git diff HEAD -- module include; } 2>/dev/null |
	sha256sum | cut -c1-12)
echo "debug lane: module source $src_hash, kernel $kver, cases /${CASES:-^(1[0-5]|[2-9][0-9])-}/"
exit $rc
