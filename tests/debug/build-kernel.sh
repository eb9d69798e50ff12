#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build, once, a 6.12 kernel with KASAN, lockdep, DEBUG_ATOMIC_SLEEP and
# kmemleak (tests/debug/debug.config over defconfig + kvm_guest.config)
# from Debian's linux-source-6.12, into the kernel cache in the layout of
# tests/lib/kernel.sh, so tests/qemu/run.sh can boot it (TCPSTATE_KVER).
# Prints the kernel release on stdout; progress and the build time go to
# stderr. The cache key is the source version and a hash of the fragment.
#   env TCPSTATE_LINUX_SRC: an unpacked linux-source tree to use instead
#       of the newest linux-source-6.12 package (unpacked into the cache)
#   env DEBUG_VARIANT=rt: the PREEMPT_RT variant (debug-rt.config merged
#       over debug.config), released as VERSION-tcpstate-debug-rt
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib/kernel.sh"
. "$top/tests/lib/debpkg.sh"
log() { echo "debug-kernel: $*" >&2; }

"$top/scripts/deps.sh" debug >&2 || { log "cannot install the build dependencies"; exit 1; }
variant=${DEBUG_VARIANT:-}
fragments=$top/tests/debug/debug.config
suffix=-tcpstate-debug
case $variant in
"") ;;
rt)
	fragments="$fragments $top/tests/debug/debug-rt.config"
	suffix=$suffix-rt
	;;
*) log "unknown DEBUG_VARIANT '$variant' (known: rt)"; exit 1 ;;
esac
# shellcheck disable=SC2086
key=$(cat $fragments | sha256sum | cut -c1-8)
# Reuse the cached build of the newest packaged source without fetching it.
src=${TCPSTATE_LINUX_SRC:-}
if [ -z "$src" ]; then
	pv=$(debpkg_newest_listed linux-source-6.12)
	if [ -n "$pv" ]; then
		kver=${pv%%-*}$suffix
		dir=$TCPSTATE_CACHE/kernels/$kver
		if [ -e "$dir/.complete" ] && [ "$(cat "$dir/.complete")" = "$key" ]; then
			echo "$kver"
			exit 0
		fi
	fi
fi
if [ -z "$src" ]; then
	root=$(debpkg_get linux-source-6.12 usr/src) || exit 1
	tarball=$(ls "$root"/usr/src/linux-source-6.12*.tar.xz | head -n 1)
	src=$root/usr/src/$(basename "$tarball" .tar.xz)
	if [ ! -e "$src/Makefile" ]; then
		log "unpacking $tarball"
		tar -C "$root/usr/src" -xJf "$tarball"
	fi
fi
[ -e "$src/Makefile" ] || { log "no kernel source at $src"; exit 1; }
ver=$(make -s -C "$src" kernelversion)
kver=$ver$suffix
dir=$TCPSTATE_CACHE/kernels/$kver
if [ -e "$dir/.complete" ] && [ "$(cat "$dir/.complete")" = "$key" ]; then
	echo "$kver"
	exit 0
fi

obj=$dir/build
# A build that was interrupted (a session ends, a machine is reused) goes
# on where it stopped, if it was configured from the same fragment: make
# is incremental. Anything else starts over.
if [ -e "$dir/.configured" ] && [ "$(cat "$dir/.configured")" = "$key" ]; then
	log "resuming the build of $kver in $obj"
else
	rm -rf "$dir"
	mkdir -p "$dir/build" "$dir/root/boot"
	log "configuring $kver from $src (fragment $key)"
	make -s -C "$src" O="$obj" defconfig kvm_guest.config >/dev/null
	# shellcheck disable=SC2086
	"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" \
		$fragments >/dev/null
	make -s -C "$src" O="$obj" olddefconfig >/dev/null
	echo "$key" >"$dir/.configured"
fi
# The fragment must have stuck: a dependency can silently drop an option.
for opt in KASAN PROVE_LOCKING DEBUG_ATOMIC_SLEEP DEBUG_KMEMLEAK KPROBES \
	FUNCTION_TRACER IPV6 NET_NS; do
	grep -q "^CONFIG_$opt=y" "$obj/.config" || { log "CONFIG_$opt did not stick"; exit 1; }
done
if [ "$variant" = rt ]; then
	for opt in PREEMPT_RT PROVE_RAW_LOCK_NESTING; do
		grep -q "^CONFIG_$opt=y" "$obj/.config" || { log "CONFIG_$opt did not stick"; exit 1; }
	done
fi

log "building (nice 19, -j$(nproc)); this takes a while once"
t0=$(date +%s)
# The build time is the sum over resumed makes: a make that is stopped
# (INT, TERM, a failure) adds its share; only a SIGKILL loses it.
spent=$(cat "$dir/build-seconds.partial" 2>/dev/null || echo 0)
trap 'echo "$((spent + $(date +%s) - t0))" >"$dir/build-seconds.partial"' EXIT
nice -n 19 make -s -C "$src" O="$obj" -j"$(nproc)" bzImage modules >"$dir/build.log" 2>&1 ||
	{ tail -n 30 "$dir/build.log" >&2; exit 1; }
nice -n 19 make -s -C "$src" O="$obj" INSTALL_MOD_PATH="$dir/root" \
	modules_install >>"$dir/build.log" 2>&1
t1=$(date +%s)
rel=$(cat "$obj/include/config/kernel.release")
[ "$rel" = "$kver" ] || { log "unexpected release $rel"; exit 1; }
cp "$obj/arch/x86/boot/bzImage" "$dir/vmlinuz"
cp "$obj/.config" "$dir/root/boot/config-$kver"
ln -sfn build "$dir/headers"
ln -sfn "root/lib/modules/$kver" "$dir/modules"
trap - EXIT
rm -f "$dir/build-seconds.partial"
echo "$((spent + t1 - t0))" >"$dir/build-seconds"
log "built in $((spent + t1 - t0)) s of make ($((t1 - t0)) s in this run); $(du -sh "$dir/vmlinuz" | cut -f1) image"
echo "$key" >"$dir/.complete"
echo "$kver"
