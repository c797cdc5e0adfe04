#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The device's own ceiling: how fast QEMU 7.2's virtio-crypto builtin backend
# could at best serve AES requests on this host, one at a time. Builds
# scripts/device-ceiling.c (the same nettle calls, allocation and copies QEMU
# makes per data request; see its top comment) and runs it on the host.
#
# Usage: scripts/device-ceiling.sh [SECONDS [ROUND [ALGS]]]
#   SECONDS per measurement (default 1), ROUND copied into the output,
#   ALGS a comma-separated list such as 'cbc(aes)-128,xts(aes)-256' or 'all'
#   (default cbc(aes)-128).
# Prints "VCRS-BENCH host ceiling mb ALG DIR SIZE 1 ROUND MB/s OPS/s -" lines.
# Single-threaded; numbers are noisy when guests run on the same host.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# nettle-dev (QEMU 7.2 as built by Debian uses nettle for its ciphers).
"$REPO_ROOT/scripts/setup.sh" --bench >&2
mkdir -p "$OUT_DIR"
bin="$OUT_DIR/device-ceiling"
src="$REPO_ROOT/scripts/device-ceiling.c"
if [ ! -x "$bin" ] || [ "$src" -nt "$bin" ]; then
    gcc -O2 -Wall -o "$bin.tmp" "$src" -lnettle
    mv "$bin.tmp" "$bin"
fi
exec "$bin" "$@"
