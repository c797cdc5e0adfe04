#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The module on a distribution's unmodified kernel, in a QEMU guest with QEMU's
# virtio-crypto device: prepares the tree (scripts/stock-kernel.sh, which checks
# the Rust exports against the distribution's Module.symvers), builds
# virtio_crypto_rs.ko against it, packs an initramfs with the distribution's own
# modules that the guest loads (dm-crypt, brd, authenc...) and boots the
# distribution's vmlinuz with vcrs.mode=stock (tests/guest/stock.sh): insmod,
# the self-tests of every algorithm registered, dm-crypt with cbc(aes) served
# by the device (the driver's counters), rmmod; then the same module with the
# simulated device (tests/simdev on vdpa_sim, which is built from the tree's
# source when the distribution has none): every service's self-tests.
#   stock-guest.sh [KVER] [--help]     (KVER: default 7.3.4+deb13-amd64)
# Output: the guest's results and kernel log; the console in out/guest-stock.log.
# Ends with "N passed, N failed" and exits non-zero on any failure.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
help_option "$@"

kver=${1:-7.3.4+deb13-amd64}
mkdir -p "$OUT_DIR"
t0=$(date +%s)
stage "stock kernel: $kver"
KDIR=$("$REPO_ROOT/scripts/stock-kernel.sh" "$kver" | sed -n '$p; $!w /dev/stderr')
export KDIR
stage_done "stock: tree" "$t0"

t0=$(date +%s)
rm -f "$REPO_ROOT/virtio_crypto.o"
build_module "$KDIR" "$OUT_DIR/module-build-stock.log"
if grep -E '^(warning|error)' "$OUT_DIR/module-build-stock.log"; then
    die "the module build warns, see $OUT_DIR/module-build-stock.log"
fi
stage "module: $(modinfo -F vermagic "$REPO_ROOT/virtio_crypto_rs.ko")"
# The simulated device (every service): vdpa_sim from the tree's source where
# the distribution does not build it, then tests/simdev on it.
build_vdpa_sim "$KDIR" "$OUT_DIR/vdpa_sim-stock"
build_test_module "$KDIR" simdev
# vcrs_kapi (tests/speed): Crypto API requests by name for the guest scripts
# (tests/guest/kapi.sh; on 7.2 and later AF_ALG never reaches our driver).
build_test_module "$KDIR" speed
test_modules=("$REPO_ROOT"/tests/simdev/vcrs_sim.ko "$REPO_ROOT"/tests/speed/vcrs_kapi.ko)
[ -n "${KBUILD_EXTRA_SYMBOLS:-}" ] && test_modules+=("$(dirname "$KBUILD_EXTRA_SYMBOLS")"/*.ko)
stage_done "stock: module" "$t0"

t0=$(date +%s)
initramfs="$OUT_DIR/initramfs-stock.cpio"
stage "guest: initramfs $initramfs (the distribution's modules the guest loads)"
"$REPO_ROOT/scripts/build-initramfs.sh" "$KDIR" "$initramfs" "$REPO_ROOT/virtio_crypto_rs.ko" \
    "${test_modules[@]}"
stage "guest: $(du -h "$initramfs" | cut -f1) initramfs, booting $(guest_image "$KDIR")"
log="$OUT_DIR/guest-stock.log"
rc=0
"$REPO_ROOT/scripts/run-qemu.sh" "$KDIR" "$initramfs" "$log" "${VCRS_STOCK_TIMEOUT:-600}" vcrs.mode=stock || rc=$?
stage_done "stock: guest" "$t0"

sed -n '/^VCRS-BOOTED/,/^VCRS-KERNEL-LOG-BEGIN/p' "$log" | grep -av '^VCRS-KERNEL-LOG-BEGIN' | tr -d '\r'
echo "== the kernel log (whole boot)"
sed -n '/^VCRS-KERNEL-LOG-BEGIN/,/^VCRS-KERNEL-LOG-END/p' "$log" | grep -av '^VCRS-KERNEL-LOG' |
    tr -d '\r' >"$OUT_DIR/guest-stock.dmesg"
grep -aiE 'virtio_crypto_rs|virtio-rs|taint|alg: |Linux version|Command line' "$OUT_DIR/guest-stock.dmesg" | sed 's/^/   /'
bad=$(grep -aE "$BAD_LOG_PATTERNS" "$OUT_DIR/guest-stock.dmesg" || true)
passed=$(grep -ac '^VCRS-RESULT PASS' "$log.results" || true)
failed=$(grep -ac '^VCRS-RESULT FAIL' "$log.results" || true)
grep -a '^VCRS-RESULT FAIL' "$log.results" || true
if [ -n "$bad" ]; then
    echo "FAIL stock-kernel-log: $(echo "$bad" | head -5)"
    failed=$((failed + 1))
fi
if [ "$rc" -ne 0 ] || ! grep -aq '^VCRS-DONE' "$log"; then
    tail -20 "$log"
    echo "FAIL stock-guest: QEMU exit $rc, or the guest did not run to its end"
    failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
