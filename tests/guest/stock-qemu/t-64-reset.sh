# SPDX-License-Identifier: GPL-2.0
# A transport reset with requests in flight (7.x: virtio_pci calls the driver's
# reset_prepare and reset_done around a reset of the PCI function; in this
# suite the device sits alone behind a PCI bridge, so the kernel can reset it
# with a secondary bus reset). A kernel thread (tests/speed/vcrs_load.ko)
# keeps 8 encryptions of 4 KiB in flight on our cbc(aes), each result compared
# with the kernel's synchronous software, while the function is reset twice:
# the driver stops the device as for a suspend (requests wait, those in flight
# finish), the reset happens, the driver sets the device up again with new
# sessions. No error, no wrong result, and the device serves the same
# transform again after each reset.

grep -q "^$DRIVER_NAME " /proc/modules || check reset-insmod insmod "$MOD"
expect_eq reset-selftest-passed "$(wait_selftest cbc-aes-virtio-rs)" passed
vdev=""
for d in /sys/bus/virtio/drivers/"$DRIVER_NAME"/virtio*; do
    [ -e "$d" ] && vdev=${d##*/} && break
done
pci=$(readlink -f "/sys/bus/virtio/devices/${vdev:-none}/..")
echo "   ${vdev:-no device} on $pci, reset methods: $(cat "$pci/reset_method" 2>&1)"
case "$pci" in
/sys/devices/pci*) check reset-function-can-be-reset test -w "$pci/reset" ;;
*) fail reset-function-can-be-reset "no PCI function for '$vdev': $pci" ;;
esac
[ -w "$pci/reset" ] || pci=/nonexistent
check reset-load-start insmod /vcrs/modules/vcrs_load.ko alg=cbc-aes-virtio-rs ref="cbc(aes)" \
    klen=16 depth=8 size=4096
sleep 2
check reset-load-running test "$(load_param ops)" -gt 0
load_on_device_for reset-on-the-device-before 1
restored_before=$(dmesg | grep -c "virtio_crypto_rs: $vdev: restored;")
for cycle in 1 2; do
    before=$(alg_snapshot)
    log_mark "reset-$cycle"
    check "reset-cycle$cycle-pci-reset" sh -c "echo 1 >$pci/reset"
    log_since "reset-$cycle" | grep -v vcrs-mark | sed 's/^/   /'
    alg_snapshot | grep '^cbc-aes-virtio-rs '
    # What ran in software ran so because the device was being reset (not
    # ready): never busy, limits or sessions.
    alg_expect "reset-cycle$cycle-software-only-not-ready" cbc-aes-virtio-rs "busy=0 limits=0 no_session=0 forced=0" "$before"
    load_on_device_for "reset-cycle$cycle-on-the-device-after" 2
done
expect_eq reset-restored-twice $(($(dmesg | grep -c "virtio_crypto_rs: $vdev: restored;") - restored_before)) 2
echo "VCRS-RELIABILITY reset-under-load cycles=2 requests=$(load_param ops) errors=$(load_param errors) wrong=$(load_param mismatches)"
expect_eq reset-load-no-errors "$(load_param errors)" 0
expect_eq reset-load-no-wrong-results "$(load_param mismatches)" 0
check reset-load-stop rmmod vcrs_load
dmesg | grep 'vcrs_load:' | tail -2
