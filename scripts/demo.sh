#!/usr/bin/env bash
# The main job: installs what is missing, builds the kernel (cached) and the
# module, boots a guest with QEMU's virtio-crypto device, loads the driver and
# shows it working: its /proc/crypto entries and an AF_ALG encryption through
# it, checked against the kernel's software implementation.
# Usage: scripts/demo.sh [--help]
# Environment: VCRS_CACHE where the guest kernel is cached (default
# ~/.cache/virtio-crypto-rs). The guest console goes to out/guest-demo.log.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
help_option "$@"

prepare_guest
log="$OUT_DIR/guest-demo.log"
boot_guest demo 600 "$log"
tr -d '\r' <"$log" | sed -n '/^VCRS-BOOTED/,/^VCRS-DONE/p' | grep -av '^VCRS-\(BOOTED\|DONE\)'
if ! tr -d '\r' <"$log.results" | grep -aq '^VCRS-RESULT PASS demo'; then
    tail -20 "$log"
    die "demo failed"
fi
if grep -aE "$BAD_LOG_PATTERNS" "$log"; then
    die "the guest kernel log shows problems: $log"
fi
stage "demo done"
