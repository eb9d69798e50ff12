# SPDX-License-Identifier: GPL-2.0
# The guest side of `make demo`: load the module and show what tcpstatectl
# sees. Output goes to the console, which the host prints.
. /tests/lib.sh

say() { printf '\n$ %s\n' "$*"; "$@"; }

echo "==== tcpstate demo on Linux $(uname -r)"
load_module
say tcpstatectl version
say cat /proc/net/tcpstate
echo
echo "==== end of demo"
