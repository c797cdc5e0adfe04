# SPDX-License-Identifier: GPL-2.0
# With probe_unadvertised=1 the driver also offers what QEMU's device serves
# without advertising it (each mode confirmed by trial sessions with every key
# size), and every mode it registers passes the self-tests and matches software
# through AF_ALG.

check unadvertised-insmod insmod "$MOD" probe_unadvertised=1
for drv in ecb-aes-virtio-rs cbc-aes-virtio-rs ctr-aes-virtio-rs; do
    st=$(wait_selftest "$drv")
    expect_eq "unadvertised-$drv-selftest" "$st" passed
done
# on_device NAME EXPECT DRV REFERENCE KEYLEN IVLEN SIZE: afalg_matches NAME
# (results equal software's), and NAME-counted: DRV's counters across it match
# EXPECT. Up to 128 KiB afalg_matches sends DRV two requests (one encryption,
# one decryption): "device=2 software=0" when the device serves the mode.
on_device() {
    local name=$1 expect=$2 before
    shift 2
    before=$(alg_snapshot)
    afalg_matches "$name" "$@"
    alg_expect "$name-counted" "$1" "$expect" "$before"
}
on_device unadvertised-ctr-aes-tail-17B "device=2 software=0" ctr-aes-virtio-rs "ctr(aes-generic)" 16 16 17
on_device unadvertised-ctr-aes-65535B "device=2 software=0" ctr-aes-virtio-rs "ctr(aes-generic)" 32 16 65535
# QEMU refuses 48-byte XTS keys, which the generic xts(aes) takes: the trial
# sessions see it, xts(aes) is offered all the same, and keys of that length go
# to the software implementation (reason limits, no device request) while the
# others go to the device.
expect_eq unadvertised-xts-aes-virtio-rs-selftest "$(wait_selftest xts-aes-virtio-rs)" passed
check unadvertised-xts-refusal-logged sh -c "dmesg | grep -q 'xts(aes) refuses some key lengths in trial sessions; software serves those'"
on_device unadvertised-xts-aes-48B-key-software "device=0 limits=2 software=2" \
    xts-aes-virtio-rs "xts(ecb(aes-generic))" 48 16 4099
on_device unadvertised-xts-aes-64B-key-device "device=2 software=0" xts-aes-virtio-rs "xts(ecb(aes-generic))" 64 16 4099
on_device unadvertised-xts-aes-32B-key-device "device=2 software=0" xts-aes-virtio-rs "xts(ecb(aes-generic))" 32 16 65536
on_device unadvertised-ecb-aes-4096B "device=2 software=0" ecb-aes-virtio-rs "ecb(aes-generic)" 16 0 4096
# 3DES (QEMU's builtin backend serves ecb, cbc and ctr of des3_ede): each mode
# registered, self-tested and served by the device.
for mode in ecb cbc ctr; do
    drv=$mode-des3-virtio-rs
    if ! grep -q "^driver *: $drv\$" /proc/crypto; then
        fail "unadvertised-$drv-registered" "not in /proc/crypto"
        continue
    fi
    expect_eq "unadvertised-$drv-selftest" "$(wait_selftest "$drv")" passed
    ivlen=8
    [ $mode = ecb ] && ivlen=0
    on_device "unadvertised-$drv-4096B" "device=2 software=0" "$drv" "$mode(des3_ede-generic)" 24 $ivlen 4096
done
check unadvertised-rmmod rmmod "$DRIVER_NAME"
