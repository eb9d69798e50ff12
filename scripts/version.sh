#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The version string shared by the module and the tool: the release in
# VERSION, plus the git commit when built from a checkout, so that
# `tcpstatectl version` can tell two builds of the same release apart.
top=$(cd "$(dirname "$0")/.." && pwd)
v=$(cat "$top/VERSION")
if command -v git >/dev/null 2>&1 &&
	[ "$(git -C "$top" rev-parse --show-toplevel 2>/dev/null)" = "$top" ]; then
	h=$(git -C "$top" rev-parse --short=12 HEAD 2>/dev/null) && v="$v+g$h"
	if [ -n "$h" ] && ! git -C "$top" diff --quiet HEAD -- 2>/dev/null; then
		v="$v.dirty"
	fi
fi
echo "$v"
