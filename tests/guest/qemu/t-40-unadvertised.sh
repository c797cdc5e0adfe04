# With probe_unadvertised=1 the driver also offers what QEMU's device serves
# without advertising it (each mode confirmed by trial sessions with every key
# size), and every mode it registers passes the self-tests and matches software
# through AF_ALG.

check unadvertised-insmod insmod "$MOD" probe_unadvertised=1
for drv in ecb-aes-virtio-rs cbc-aes-virtio-rs ctr-aes-virtio-rs; do
    st=$(wait_selftest "$drv")
    expect_eq "unadvertised-$drv-selftest" "$st" passed
done
afalg_matches unadvertised-ctr-aes-tail-17B ctr-aes-virtio-rs "ctr(aes-generic)" 16 16 17
afalg_matches unadvertised-ctr-aes-65535B ctr-aes-virtio-rs "ctr(aes-generic)" 32 16 65535
# QEMU refuses 48-byte XTS keys, which the generic xts(aes) takes: the trial
# sessions see it, xts(aes) is offered all the same, and keys of that length go
# to the software implementation (no device request) while the others go to
# the device.
expect_eq unadvertised-xts-aes-virtio-rs-selftest "$(wait_selftest xts-aes-virtio-rs)" passed
check unadvertised-xts-refusal-logged sh -c "dmesg | grep -q 'xts(aes) refuses some key lengths in trial sessions; software serves those'"
before=$(our_requests)
afalg_matches unadvertised-xts-aes-48B-key-software xts-aes-virtio-rs "xts(ecb(aes-generic))" 48 16 4099
expect_eq unadvertised-xts-48B-key-no-device-request "$(our_requests)" "$before"
afalg_matches unadvertised-xts-aes-64B-key-device xts-aes-virtio-rs "xts(ecb(aes-generic))" 64 16 4099
check unadvertised-xts-64B-key-device-requests test "$(our_requests)" -gt "$before"
afalg_matches unadvertised-xts-aes-32B-key-device xts-aes-virtio-rs "xts(ecb(aes-generic))" 32 16 65536
afalg_matches unadvertised-ecb-aes-4096B ecb-aes-virtio-rs "ecb(aes-generic)" 16 0 4096
for drv in ecb-des3-virtio-rs cbc-des3-virtio-rs ctr-des3-virtio-rs; do
    if grep -q "$drv" /proc/crypto; then
        st=$(wait_selftest "$drv")
        expect_eq "unadvertised-$drv-selftest" "$st" passed
    fi
done
check unadvertised-rmmod rmmod "$DRIVER_NAME"
