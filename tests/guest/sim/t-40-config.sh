# SPDX-License-Identifier: GPL-2.0
# Per-device configuration: a device added after changing the module
# parameters offers exactly that (here QEMU's offer: CIPHER|HASH|MAC, AES-CBC
# only, SHA1), with 4 data queues. Then the whole-device failure fault.

p=/sys/module/vcrs_sim/parameters
echo 4 >$p/data_queues
echo 7 >$p/services
echo 8 >$p/cipher_l
echo 4 >$p/hash
check sim-config-dev-add vdpa dev add mgmtdev vdpasim_crypto name qemulike
check sim-config-c-driver-modprobe modprobe virtio_crypto
check sim-config-c-driver-sees-4-queues sh -c "dmesg | grep -q 'virtio_crypto virtio.*max_queues: 4'"
st=$(wait_selftest virtio_crypto_aes_cbc)
expect_eq sim-config-c-driver-selftest "$st" passed

# The device fails as a whole: DEVICE_NEEDS_RESET in its status until the
# driver resets it (here: by unbinding).
dev_status() { cat /sys/bus/vdpa/devices/qemulike/virtio*/status; }
echo 1 >/sys/kernel/debug/vcrs_sim/qemulike/needs_reset
check sim-needs-reset-set test "$(cat /sys/kernel/debug/vcrs_sim/qemulike/needs_reset)" = 1
check sim-needs-reset-in-device-status test $(($(dev_status) & 0x40)) -eq 64
check sim-config-c-driver-rmmod rmmod virtio_crypto
check sim-needs-reset-cleared-by-reset test "$(cat /sys/kernel/debug/vcrs_sim/qemulike/needs_reset)" = 0
check sim-config-dev-del vdpa dev del qemulike
check sim-rmmod rmmod vcrs_sim
