#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The main job: installs what is missing, builds the guest kernel (cached),
# the module and the simulated device, boots one guest with QEMU's
# virtio-crypto device and the simulated device (every service), and shows the
# driver at work: its probe and registration lines, every algorithm it
# registered (priority, self-test), AF_ALG and dm-crypt using cbc(aes) by its
# generic name, a hash, an AEAD and an authenc operation, each with the
# driver's device and software counts and QEMU's device interrupts, the
# simulated device removed under load, and a closing table. About a minute
# when the kernel is cached.
# Usage: scripts/demo.sh [--help]
# Environment: VCRS_CACHE where the guest kernel is cached (default
# ~/.cache/virtio-crypto-rs). The guest console goes to out/guest-demo.log.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
help_option "$@"

setup_toolchain
KDIR=$(guest_kernel normal)
export KDIR
# Only what the demo uses: no clippy pass, no benchmark modules.
build_module "$KDIR" "$OUT_DIR/module-build.log"
build_test_module "$KDIR" simdev
initramfs="$OUT_DIR/initramfs-demo.cpio"
stage "guest: initramfs $initramfs"
"$REPO_ROOT/scripts/build-initramfs.sh" "$KDIR" "$initramfs" \
    "$REPO_ROOT/virtio_crypto_rs.ko" "$REPO_ROOT"/tests/simdev/*.ko

log="$OUT_DIR/guest-demo.log"
boot_guest demo 600 "$log" "$initramfs"
# What the demo printed, up to the guest's kernel log (which the guest prints
# last, for the check below).
tr -d '\r' <"$log" | sed -n '/^VCRS-BOOTED/,/^== kernel log/p' |
    grep -av '^VCRS-BOOTED\|^== kernel log\|^$\|^\[ *[0-9.]*\] '
results=$(tr -d '\r' <"$log.results")
if grep -aq '^VCRS-RESULT FAIL' <<<"$results" || ! grep -aqx 'VCRS-RESULT PASS demo' <<<"$results"; then
    grep -a '^VCRS-RESULT FAIL' <<<"$results" || true
    die "demo failed (guest console: $log)"
fi
if grep -aE "$BAD_LOG_PATTERNS" "$log"; then
    die "the guest kernel log shows problems: $log"
fi
stage "demo done: $(grep -ac '^VCRS-RESULT PASS' <<<"$results") checks passed"
