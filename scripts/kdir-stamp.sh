#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Which kernel tree and configuration a module directory was last built against.
#   kdir-stamp.sh KDIR STAMP          exit 0 if STAMP matches KDIR and its .config
#   kdir-stamp.sh KDIR STAMP --write  record KDIR and its .config in STAMP
set -euo pipefail
kdir=$(cd "$1" && pwd)
current="$kdir $(sha256sum <"$kdir/.config" | cut -c1-16)"
if [ "${3:-}" = --write ]; then
    echo "$current" >"$2"
else
    [ "$(cat "$2" 2>/dev/null)" = "$current" ]
fi
