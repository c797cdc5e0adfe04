# SPDX-License-Identifier: GPL-2.0
# Unload with the algorithm registered, then load again: clean both ways.

check unload-rmmod rmmod "$DRIVER_NAME"
check unload-algorithm-gone sh -c "! grep -q cbc-aes-virtio-rs /proc/crypto"
check unload-driver-gone sh -c "! test -e /sys/bus/virtio/drivers/$DRIVER_NAME"
check unload-sessions-destroyed sh -c "! dmesg | grep -q 'destroying session .* failed'"
check reload-insmod insmod "$MOD"
st=$(wait_selftest cbc-aes-virtio-rs)
expect_eq reload-selftest-passed "$st" passed
head -c 32 /dev/urandom >/tmp/key
iv=$(hex 16)
head -c 8192 /dev/urandom >/tmp/plain
# The reloaded driver's device serves it: one request of 8 KiB.
served reload-afalg-on-device cbc-aes-virtio-rs "device=1 software=0" \
    kcapi_cipher cbc-aes-virtio-rs -e /tmp/key "$iv" /tmp/plain /tmp/dev.enc
kcapi_cipher "cbc(aes-generic)" -e /tmp/key "$iv" /tmp/plain /tmp/sw.enc
check reload-afalg-matches cmp /tmp/dev.enc /tmp/sw.enc
check reload-rmmod rmmod "$DRIVER_NAME"
