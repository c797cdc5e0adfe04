#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boots the guest kernel with an initramfs and a virtio crypto device, captures
# the serial console to LOG and the second serial port (the guest's test
# results, see tests/guest/lib.sh) to LOG.results, and enforces a hard timeout.
#   run-qemu.sh KDIR INITRAMFS LOG TIMEOUT_SECONDS KERNEL_ARGS...
# Environment: VCRS_QEMU_DEVICES overrides the device arguments (default: one
# virtio-crypto-pci on cryptodev-backend-builtin; "none": no device);
# VCRS_QEMU_MEM the guest memory (default 1G); VCRS_KERNEL_IMAGE the kernel
# image (default: KDIR's, see guest_image in lib.sh: a tree prepared by
# scripts/stock-kernel.sh boots the distribution's unmodified vmlinuz).
# QEMU listens on a QMP socket served by scripts/qmp-agent.py, which carries out
# the guest's requests to the host (hot-unplug and plug of the device), logged
# to LOG.agent.
# Exit status: 0 when the guest powered off by itself, 124 on timeout, else QEMU's.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kdir=$1 initrd=$2 log=$3 timeout_s=$4
shift 4
image=$(guest_image "$kdir")
[ -f "$image" ] || die "no kernel image $image"
devices=${VCRS_QEMU_DEVICES:--object cryptodev-backend-builtin,id=cryptodev0 -device virtio-crypto-pci,id=crypto0,cryptodev=cryptodev0}
[ "$devices" = none ] && devices=""

# KVM only when a probe proved that a guest really boots with it (cached per host boot).
accel() {
    local stamp
    stamp="$CACHE_DIR/accel-$(cat /proc/sys/kernel/random/boot_id)"
    if [ ! -f "$stamp" ]; then
        local result=tcg
        if [ -w /dev/kvm ] && grep -qE 'vmx|svm' /proc/cpuinfo; then
            local plog
            plog=$(mktemp)
            timeout 30 qemu-system-x86_64 -accel kvm -m 256M -nographic -no-reboot \
                -kernel "$image" -append "console=ttyS0 panic=-1 rdinit=/vcrs-none" \
                >"$plog" 2>&1 || true
            grep -q "Kernel panic" "$plog" && result=kvm
            rm -f "$plog"
        fi
        mkdir -p "$CACHE_DIR"
        echo "$result" >"$stamp"
    fi
    cat "$stamp"
}

# QEMU's file backend does not truncate: a longer old log would leave its tail.
rm -f "$log" "$log.results" "$log.agent"
# log_buf_len: the guest scripts read the kernel log with dmesg and never clear
# it, so the buffer holds a whole suite (the default is 128 KiB).
# A short path: a unix socket's name has at most 107 bytes.
qmp_dir=$(mktemp -d /tmp/vcrs-qmp.XXXXXX)
python3 "$REPO_ROOT/scripts/qmp-agent.py" "$qmp_dir/qmp" "$log.results" "$log.agent" &
agent=$!
rc=0
# shellcheck disable=SC2086
timeout -k 5 "$timeout_s" qemu-system-x86_64 \
    -accel "$(accel)" -m "${VCRS_QEMU_MEM:-1G}" -smp 2 -no-reboot \
    -display none -monitor none -serial "file:$log" -serial "file:$log.results" \
    -qmp "unix:$qmp_dir/qmp,server=on,wait=off" \
    -kernel "$image" -initrd "$initrd" \
    -append "console=ttyS0 panic=-1 loglevel=7 hung_task_panic=1 softlockup_panic=1 brd.rd_nr=3 brd.rd_size=73728 log_buf_len=16M $*" \
    $devices || rc=$?
# The agent ends when QEMU closes the socket; a stuck one is not waited for.
kill "$agent" 2>/dev/null || true
wait "$agent" 2>/dev/null || true
rm -rf "$qmp_dir"
exit "$rc"
