#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make demo`: install what is missing, then boot the newest Debian 6.12
# kernel in QEMU with the module loaded and let tcpstatectl diagnose the
# stuck sockets that tests/vm/demo.sh creates.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/deps.sh" >/dev/null
TCPSTATE_MODE=demo exec "$top/tests/qemu/run.sh" "${DEMO_SERIES:-6.12}"
