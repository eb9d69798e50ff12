# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Sourced by the golden generators (json-gen.sh, diag-gen.sh): a commit's
# tools/ and include/ to build a generator against. Sets $top (the tree)
# and $here (this folder).
#   golden_tree REV: REV's tree in $tmp (removed at exit); sets $cflags,
#   $libsrcs (REV's library sources, paths), $libs and $shortrev.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../../.." && pwd)
# The sourcing script reads what this sets.
# shellcheck disable=SC2034
golden_tree() {
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	git -C "$top" archive "$1" tools include | tar -x -C "$tmp"
	echo '#define TCPSTATE_TOOL_VERSION "golden"' >"$tmp/tools/version.gen.h"
	cflags="-std=gnu11 -O1 -g -I$tmp/tools -isystem $tmp/include/uapi $(pkg-config --cflags libmnl)"
	libsrcs=$(make -s -C "$tmp/tools" print-lib-srcs | tr ' ' '\n' | sed "s|^|$tmp/tools/|")
	libs=$(pkg-config --libs libmnl)
	shortrev=$(git -C "$top" rev-parse --short "$1")
}
