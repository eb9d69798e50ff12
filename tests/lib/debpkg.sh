# SPDX-License-Identifier: GPL-2.0
# Sourced helper: the newest version of a Debian package, unpacked (never
# installed) into a cache directory that later runs reuse. Used for the
# tools the tests check our output with: promtool (package prometheus) and
# node_exporter (package prometheus-node-exporter). Versions are resolved
# from the registry on every run; when the registry cannot be reached, the
# newest version already in the cache is used.
#
#   debpkg_get PACKAGE FILE   prints the unpacked root of the newest
#                             PACKAGE, whose FILE (e.g. usr/bin/promtool)
#                             must exist; logs to stderr; 1 on failure.
# Cache: ${TCPSTATE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tcpstate}/deb/PACKAGE/VERSION

debpkg_log() { echo "debpkg: $*" >&2; }

debpkg_cache() {
	echo "${TCPSTATE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tcpstate}/deb/$1"
}

# Directory of a version (an epoch's ':' is no file name).
debpkg_dir() {
	local v=$2
	echo "$(debpkg_cache "$1")/${v//:/%3a}"
}

debpkg_newest_listed() {
	local v best=

	for v in $(apt-cache show "$1" 2>/dev/null | sed -n 's/^Version: //p'); do
		if [ -z "$best" ] || dpkg --compare-versions "$v" gt "$best"; then
			best=$v
		fi
	done
	echo "$best"
}

debpkg_newest_cached() {
	local f v best=

	for f in "$(debpkg_cache "$1")"/*/.complete; do
		[ -e "$f" ] || continue
		v=$(cat "$f")
		if [ -z "$best" ] || dpkg --compare-versions "$v" gt "$best"; then
			best=$v
		fi
	done
	echo "$best"
}

# apt-get download, retried once after apt-get update (as root): the
# package lists may be older than the registry.
debpkg_download() {
	apt-get download "$@" >/dev/null 2>&1 && return 0
	if [ "$(id -u)" = 0 ]; then
		apt-get update -qq >/dev/null 2>&1 || true
		apt-get download "$@" >/dev/null 2>&1 && return 0
	fi
	return 1
}

# Unpack PACKAGE=VERSION into the cache unless it is there with FILE.
debpkg_unpack() {
	local pkg=$1 ver=$2 file=$3 dir dl

	dir=$(debpkg_dir "$pkg" "$ver")
	[ -e "$dir/.complete" ] && [ -e "$dir/root/$file" ] && return 0
	debpkg_log "fetching $pkg $ver into $dir"
	rm -rf "$dir"
	mkdir -p "$dir" || return 1
	dl=$(mktemp -d "$dir.dl.XXXXXX") || return 1
	if ! (cd "$dl" && debpkg_download "$pkg=$ver") ||
		! dpkg-deb -x "$dl"/*.deb "$dir/root" || [ ! -e "$dir/root/$file" ]; then
		rm -rf "$dl" "$dir"
		return 1
	fi
	rm -rf "$dl"
	echo "$ver" >"$dir/.complete"
}

debpkg_get() {
	local pkg=$1 file=$2 ver cached

	ver=$(debpkg_newest_listed "$pkg")
	if [ -z "$ver" ] && [ "$(id -u)" = 0 ]; then
		apt-get update -qq >/dev/null 2>&1 || true
		ver=$(debpkg_newest_listed "$pkg")
	fi
	if [ -z "$ver" ] || ! debpkg_unpack "$pkg" "$ver" "$file"; then
		cached=$(debpkg_newest_cached "$pkg")
		if [ -z "$cached" ]; then
			debpkg_log "cannot resolve or fetch Debian's $pkg (${ver:-no version in the package lists})"
			return 1
		fi
		debpkg_log "registry unreachable (${ver:-no version found}); using cached $pkg $cached"
		ver=$cached
	fi
	echo "$(debpkg_dir "$pkg" "$ver")/root"
}
