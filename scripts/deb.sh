#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make deb: the Debian packages tcpstate-dkms (arch all) and tcpstatectl,
# built with dpkg-buildpackage -us -uc -b from a clean copy of the tree
# (the files git tracks, as a clone has them: no build product of the work
# tree rides along), into OUTDIR (default build/deb), with the source
# package (dpkg-source -b) beside them for lintian.
# The version is VERSION's: debian/changelog is written from it here, so
# the release number lives in one file.
# Usage: scripts/deb.sh [OUTDIR]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=$(mkdir -p "${1:-$top/build/deb}" && cd "${1:-$top/build/deb}" && pwd)
version=$(cat "$top/VERSION")
case $version in
[0-9]*.[0-9]*.[0-9]*) ;;
*) echo "deb: VERSION '$version' is not a release number" >&2; exit 1 ;;
esac
conf=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$top/dkms.conf")
if [ "$conf" != "$version" ]; then
	echo "deb: dkms.conf PACKAGE_VERSION ($conf) is not VERSION ($version)" >&2
	exit 1
fi

# dpkg-buildpackage writes the packages next to the source tree: a
# private parent, then only the results are moved to OUTDIR.
work=$(mktemp -d "${TMPDIR:-/tmp}/tcpstate-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
src=$work/tcpstate-$version
mkdir -p "$src"
# From a checkout: what git tracks (as edited in the work tree), as a
# clone would have it; a file nobody added is left out, so a package that
# needs it fails here, not on the next clone. safe.directory: root (CI,
# sudo) building a checkout another user owns.
git() { command git -c safe.directory="$top" -C "$top" "$@"; }
if [ -e "$top/.git" ]; then
	files=$(git ls-files -z --cached | tr '\0' '\n' | wc -l) || files=0
	if [ "$files" -eq 0 ]; then
		echo "deb: git cannot list the files of $top" >&2
		exit 1
	fi
	git ls-files -z --cached | (cd "$top" &&
		tar --null -T - --ignore-failed-read -cf - 2>/dev/null) |
		tar -xf - -C "$src"
else
	# A release tarball: everything but build products.
	tar -C "$top" --exclude=./build --exclude='*.o' --exclude='*.ko' \
		--exclude='*.mod.c' --exclude='.*.cmd' -cf - . | tar -xf - -C "$src"
fi

# The changelog's date is the last commit's (reproducible builds), or now
# outside a checkout.
date=$(git log -1 --format=%cD 2>/dev/null || date -R)
maint=$(sed -n 's/^Maintainer: //p' "$src/debian/control")
cat >"$src/debian/changelog" <<EOC
tcpstate ($version) unstable; urgency=medium

  * Release $version, built from the tree's VERSION file by scripts/deb.sh.
    The project's history is its git log.

 -- $maint  $date
EOC

# The source package too (not needed to install, but lintian checks what
# only it shows: debian/copyright, debian/control's source stanza).
(cd "$work" && dpkg-source -b "tcpstate-$version") >"$work/source.log" 2>&1 || {
	cp "$work/source.log" "$out/source-$version.log"
	tail -n 20 "$work/source.log" >&2
	echo "deb: dpkg-source -b failed (log: $out/source-$version.log)" >&2
	exit 1
}
echo "deb: dpkg-buildpackage for tcpstate $version in $src" >&2
if ! (cd "$src" && dpkg-buildpackage -us -uc -b) >"$work/build.log" 2>&1; then
	cp "$work/build.log" "$out/build-$version.log"
	tail -n 40 "$work/build.log" >&2
	echo "deb: dpkg-buildpackage failed (log: $out/build-$version.log)" >&2
	exit 1
fi
cp "$work/build.log" "$out/build-$version.log"
rm -f "$out"/tcpstate-dkms_"$version"_* "$out"/tcpstatectl_"$version"_* \
	"$out"/tcpstate_"$version"[._]*
mv "$work"/*.deb "$work"/*.changes "$work"/*.buildinfo "$work"/*.dsc \
	"$work"/*.tar.* "$out"/
ls "$out"/tcpstate-dkms_"$version"_all.deb "$out"/tcpstatectl_"$version"_*.deb \
	"$out"/tcpstate_"$version".dsc
