# SPDX-License-Identifier: GPL-2.0
# Documentation/usage.rst's dm-crypt instructions, run as a user would: a loop
# device on a file, cryptsetup with our cbc(aes) by driver name
# (capi:cbc-aes-virtio-rs-plain64), dmsetup's table naming it, 16 MiB written
# with O_DIRECT counted exactly (32768 requests on the device, none in
# software, QEMU's device interrupting), read back (32768 more), XTS by driver
# name, ESSIV by driver names through dmsetup, and force_software making the
# same write count as software. If these fail, usage.rst is wrong.

# Loaded as usage.rst says, after `make install`: its alias is the device's
# (the in-tree C driver, virtio_crypto, has the same one).
check usage-alias-names-the-driver grep -qx 'alias virtio:d00000014v\* virtio_crypto_rs' \
    "/lib/modules/$(uname -r)/modules.alias"
# (--software runs: the same switch the insmod wrapper of lib.sh adds.)
modprobe_args=""
grep -q 'vcrs\.force_software=1' /proc/cmdline && modprobe_args=force_software=1
check usage-modprobe modprobe virtio_crypto_rs ${modprobe_args:+"$modprobe_args"}
expect_eq usage-cbc-aes-selftest "$(wait_selftest cbc-aes-virtio-rs)" passed
truncate -s 64M /tmp/disk.img
check usage-losetup losetup /dev/loop0 /tmp/disk.img
head -c 32 /dev/urandom >/tmp/usage.key

# The usage.rst helpers, verbatim.
counts() { awk '$1 == "cbc-aes-virtio-rs" { print "device", $6, "software", $8 }' \
    /sys/kernel/debug/virtio_crypto_rs/algorithms; }
irqs() { awk '/virtio0-virtqueues/ { n = 0; for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) n += $i; print "interrupts", n }' /proc/interrupts; }
grep virtio /proc/interrupts

check usage-cryptsetup-by-driver-name cryptsetup open --type plain --cipher capi:cbc-aes-virtio-rs-plain64 \
    --key-size 256 --key-file /tmp/usage.key /dev/loop0 secret
table=$(dmsetup table secret)
echo "$table"
check usage-table-names-our-driver sh -c "echo '$table' | grep -q 'crypt capi:cbc-aes-virtio-rs-plain64 '"
write16() { dd if=/dev/urandom of=/dev/mapper/secret bs=1M count=16 oflag=direct 2>&1; }
read16() { dd if=/dev/mapper/secret of=/dev/null bs=1M count=16 iflag=direct 2>&1; }
i0=$(irqs | awk '{ print $2 }')
counts
served usage-write-16MiB-32768-on-device cbc-aes-virtio-rs "device=32768 software=0" write16
counts
i1=$(irqs | awk '{ print $2 }')
echo "interrupts $i0 -> $i1"
check usage-interrupt-line-virtqueues-grew test "${i1:-0}" -gt "${i0:-0}"
served usage-read-16MiB-32768-on-device cbc-aes-virtio-rs "device=32768 software=0" read16

# force_software: the same write counts as software (reason forced).
echo 1 >/sys/module/virtio_crypto_rs/parameters/force_software
served usage-forced-write-in-software cbc-aes-virtio-rs "device=0 software=32768 forced=32768" write16
echo 0 >/sys/module/virtio_crypto_rs/parameters/force_software
check usage-cryptsetup-close cryptsetup close secret

# XTS by driver name (a 512-bit key): XTS is ours only where the device serves
# it (QEMU's with probe_unadvertised=1, see t-40); otherwise it must be absent.
head -c 64 /dev/urandom >/tmp/usage.key64
if grep -q '^xts-aes-virtio-rs .* registered 1 ' /sys/kernel/debug/virtio_crypto_rs/algorithms; then
    check usage-xts-by-driver-name cryptsetup open --type plain --cipher capi:xts-aes-virtio-rs-plain64 \
        --key-size 512 --key-file /tmp/usage.key64 /dev/loop0 secretx
    cryptsetup close secretx
else
    check_fails usage-xts-by-driver-name-refused-without-it cryptsetup open --type plain \
        --cipher capi:xts-aes-virtio-rs-plain64 --key-size 512 --key-file /tmp/usage.key64 /dev/loop0 secretx
fi

# ESSIV by driver names through dmsetup (too long for cryptsetup 2.6.1).
key=$(od -An -tx1 /tmp/usage.key | tr -d ' \n')
# The software sha256's driver name: sha256-generic on 6.12, sha256-lib on 7.x.
sha=$(software_driver sha256)
check usage-essiv-by-driver-names-dmsetup dmsetup create secrete --table "0 $(blockdev --getsz /dev/loop0) crypt \
capi:cbc-aes-virtio-rs-essiv:$sha $key 0 /dev/loop0 0"
check usage-essiv-instance-over-ours grep -q "essiv(cbc-aes-virtio-rs,$sha)" /proc/crypto
write1() { dd if=/dev/urandom of=/dev/mapper/secrete bs=1M count=1 oflag=direct 2>&1; }
served usage-essiv-write-1MiB-2048-on-device cbc-aes-virtio-rs "device=2048 software=0" write1
check usage-essiv-remove dmsetup remove secrete

check usage-losetup-detach losetup -d /dev/loop0
check usage-rmmod rmmod "$DRIVER_NAME"
rm -f /tmp/disk.img /tmp/usage.key /tmp/usage.key64
