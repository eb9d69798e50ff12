# SPDX-License-Identifier: GPL-2.0
# Sourced helpers: find the newest Debian kernel of a series in the package
# registry and unpack its image, modules and headers into a cache directory.
# Nothing is installed on the host. Versions move and old ones vanish from
# the registry, so nothing here names a version: it is resolved every run.

TCPSTATE_CACHE=${TCPSTATE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tcpstate}
# make check's kernels: the generic flavour of both series, every case,
# and their PREEMPT_RT flavour (spinlock_t sleeps there, so the probes'
# locking is only really exercised on them), KERNEL_CASES_RT.
KERNEL_SERIES_ALL="6.1 6.12 6.1-rt 6.12-rt"
# Also known: 6.1-cloud and 6.12-cloud, the flavour of cloud images (fewer
# drivers and options). Their guests are not in the default make check
# (KERNEL_CASES_CLOUD below runs when they are named in KERNEL_SERIES),
# but the module is built against their headers and through DKMS by
# default: KERNEL_SERIES_BUILD, what the build matrix and the DKMS test
# cover when KERNEL_SERIES is not set.
KERNEL_SERIES_KNOWN="$KERNEL_SERIES_ALL 6.1-cloud 6.12-cloud"
KERNEL_SERIES_BUILD=$KERNEL_SERIES_KNOWN
# What make check runs on the rt flavour: the cases that load and unload
# the module (with dumps and events in flight), fire its probes and
# timers and take its locks (events, the event storm, tenants' event
# buffers, the walk's lock holds, 70-rt-churn, which crashed the rt
# kernel while the state-change probe allocated), the socket table, owners
# and budgets: about 10 minutes a kernel. The whole suite on both (about
# 30 minutes a kernel, side by side) is make check-rt, which sets this
# empty: every case. The volume and lifecycle cases left out here
# (25-scale, 40-lifecycle-churn, 56-owner-churn, 60-netns-teardown-walk,
# ...) exercise the same code paths as the ones kept.
KERNEL_CASES_RT=${KERNEL_CASES_RT-'^(1[0-6]|2[0-4]|29|3[0-4]|5[0-2]|59|6[3-5]|70)-'}
# What make check runs on the cloud flavour: its config has every option
# the module uses (probes, tracepoints, namespaces, memcg: the same as the
# generic flavour's), it differs in drivers. So it runs the cases of what
# the module does (load, socket table, owners, events), not the volume and
# lifecycle ones, which exercise the same code on the same core kernel.
KERNEL_CASES_CLOUD='^(1[0-3]|2[0-46-9]|3[0-4]|5[0-6]|6[5-7])-'


kernel_log() { echo "kernel: $*" >&2; }

# The apt-cache name pattern of a series' unsigned image.
kernel_pattern() {
	case "$1" in
	6.1) echo '^linux-image-6\.1\.0-[0-9]+-amd64-unsigned$' ;;
	6.12) echo '^linux-image-6\.12\.[0-9]+\+deb12-amd64-unsigned$' ;;
	6.1-rt) echo '^linux-image-6\.1\.0-[0-9]+-rt-amd64-unsigned$' ;;
	6.12-rt) echo '^linux-image-6\.12\.[0-9]+\+deb12-rt-amd64-unsigned$' ;;
	6.1-cloud) echo '^linux-image-6\.1\.0-[0-9]+-cloud-amd64-unsigned$' ;;
	6.12-cloud) echo '^linux-image-6\.12\.[0-9]+\+deb12-cloud-amd64-unsigned$' ;;
	*) return 1 ;;
	esac
}

# Newest cached kernel release of a series (offline fallback).
kernel_cached() {
	local pat
	pat=$(kernel_pattern "$1") || return 1
	pat=${pat#^linux-image-}
	pat=${pat%-unsigned\$}\$
	ls "$TCPSTATE_CACHE/kernels" 2>/dev/null | grep -E "$pat" |
		while read -r k; do
			[ -e "$TCPSTATE_CACHE/kernels/$k/.complete" ] && echo "$k"
		done | sort -V | tail -n 1
}

# Print the newest kernel release (e.g. 6.1.0-56-amd64) of a series whose
# image and headers are both in the registry.
kernel_resolve() {
	local series=$1 pat names k
	pat=$(kernel_pattern "$series") || {
		kernel_log "unknown series '$series' (known: $KERNEL_SERIES_KNOWN)"
		return 1
	}
	names=$(apt-cache search --names-only "$pat" 2>/dev/null | awk '{print $1}')
	if [ -z "$names" ] && [ "$(id -u)" = 0 ]; then
		kernel_log "no $series image in the package lists; running apt-get update"
		apt-get update -qq >/dev/null 2>&1 || true
		names=$(apt-cache search --names-only "$pat" 2>/dev/null | awk '{print $1}')
	fi
	for k in $(echo "$names" | sed 's/^linux-image-//; s/-unsigned$//' | sort -Vr); do
		if apt-cache show "linux-headers-$k" >/dev/null 2>&1; then
			echo "$k"
			return 0
		fi
	done
	k=$(kernel_cached "$series")
	if [ -n "$k" ]; then
		kernel_log "registry unreachable; using cached $k"
		echo "$k"
		return 0
	fi
	kernel_log "no $series kernel with headers found in the registry"
	return 1
}

# Exact-version download of a package, retried once after apt-get update
# (the lists may be older than the registry).
kernel_download() {
	apt-get download "$@" >/dev/null 2>&1 && return 0
	if [ "$(id -u)" = 0 ]; then
		apt-get update -qq >/dev/null 2>&1 || true
		apt-get download "$@" >/dev/null 2>&1 && return 0
	fi
	kernel_log "apt-get download $* failed"
	return 1
}

# Make sure $TCPSTATE_CACHE/kernels/KVER holds the unpacked kernel; print the
# directory. Layout: vmlinuz, headers/ (a KDIR), modules/ (lib/modules/KVER).
kernel_fetch() {
	local kver=$1 dir tmp ver deps pkgs p
	dir=$TCPSTATE_CACHE/kernels/$kver
	if [ -e "$dir/.complete" ]; then
		echo "$dir"
		return 0
	fi
	kernel_log "fetching $kver into $dir"
	rm -rf "$dir"
	mkdir -p "$dir"
	tmp=$(mktemp -d "$TCPSTATE_CACHE/dl.XXXXXX") || return 1
	ver=$(apt-cache show --no-all-versions "linux-headers-$kver" | sed -n 's/^Version: //p')
	deps=$(apt-cache show --no-all-versions "linux-headers-$kver" | sed -n 's/^Depends: //p')
	# The headers depend on their -common part and on linux-kbuild at the
	# same upload; both are needed to build modules.
	pkgs="linux-image-$kver-unsigned=$ver linux-headers-$kver=$ver"
	for p in $(echo "$deps" | tr ',|' '\n\n' | awk '{print $1}' |
		grep -E '^linux-(headers-.*-common|kbuild-)'); do
		pkgs="$pkgs $p=$ver"
	done
	(cd "$tmp" && kernel_download $pkgs) || { rm -rf "$tmp" "$dir"; return 1; }
	for p in "$tmp"/*.deb; do
		dpkg-deb -x "$p" "$dir/root" || { rm -rf "$tmp" "$dir"; return 1; }
	done
	rm -rf "$tmp"
	# The headers' Makefile includes the -common tree by absolute path.
	sed -i "s#^include /usr/src/#include $dir/root/usr/src/#" \
		"$dir/root/usr/src/linux-headers-$kver/Makefile"
	ln -s "root/boot/vmlinuz-$kver" "$dir/vmlinuz"
	ln -s "root/usr/src/linux-headers-$kver" "$dir/headers"
	ln -s "root/lib/modules/$kver" "$dir/modules"
	echo "$ver" >"$dir/package-version"
	touch "$dir/.complete"
	echo "$dir"
}

# Series name ("6.1", "6.12", "6.1-rt", "6.12-cloud", ...) of a kernel release.
kernel_series_of() {
	case "$1" in
	6.1.*-rt-amd64) echo 6.1-rt ;;
	6.12.*-rt-amd64) echo 6.12-rt ;;
	6.1.*-cloud-amd64) echo 6.1-cloud ;;
	6.12.*-cloud-amd64) echo 6.12-cloud ;;
	6.1.*) echo 6.1 ;;
	6.12.*) echo 6.12 ;;
	*) echo "${1%.*}" ;;
	esac
}
