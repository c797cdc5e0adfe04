# SPDX-License-Identifier: GPL-2.0
# dm-crypt on QEMU's device: aes-cbc-essiv:sha256 picks our cbc(aes) (dm-crypt
# refuses algorithms that may allocate, as the in-tree C driver's do); 64 MiB
# written and read back match, and the software implementation (our module
# unloaded) reads the same data from the disk.

check qemu-dm-insmod insmod "$MOD"
expect_eq qemu-dm-cbc-aes-selftest "$(wait_selftest cbc-aes-virtio-rs)" passed
head -c 32 /dev/urandom >/tmp/dm.key
ESSIV="--type plain --cipher aes-cbc-essiv:sha256 --key-size 256"
essiv_on_ours() { grep -q 'essiv(cbc-aes-virtio-rs,' /proc/crypto; }
# shellcheck disable=SC2086
check qemu-dm-essiv-uses-our-driver while_mapped qdm /dev/ram0 essiv_on_ours $ESSIV
# 16 MiB (64 before: the size changes only how many requests): dm-crypt sends
# one request per 512-byte sector, 32768 to write, as many (at least: readahead)
# to read back, essiv's inner cbc(aes) ours, all on the device.
# shellcheck disable=SC2086
served qemu-dm-essiv-16MiB-roundtrip cbc-aes-virtio-rs "device>=65536 software=0" \
    dm_crypt_roundtrip qdm /dev/ram0 16 /tmp/qdm.data $ESSIV
check qemu-dm-rmmod rmmod "$DRIVER_NAME"
# shellcheck disable=SC2086
check qemu-dm-software-reads-same dm_crypt_reads_back qdm /dev/ram0 16 /tmp/qdm.data $ESSIV
rm -f /tmp/qdm.data /tmp/dm.back
