# Loading binds the device, logs the config summary and registers cbc(aes),
# which passes the kernel's self-tests (extra fuzz tests included).

check load-insmod insmod "$MOD"
check load-binds test -e /sys/bus/virtio/drivers/$DRIVER_NAME/virtio0
check load-config-summary sh -c "dmesg | grep -q 'virtio_crypto_rs: virtio0: 1 data queue(s), services'"
st=$(wait_selftest cbc-aes-virtio-rs)
expect_eq proc-crypto-selftest-passed "$st" passed
expect_eq proc-crypto-name "$(proc_crypto_field cbc-aes-virtio-rs name)" "cbc(aes)"
expect_eq proc-crypto-module "$(proc_crypto_field cbc-aes-virtio-rs module)" "$DRIVER_NAME"
expect_eq proc-crypto-async "$(proc_crypto_field cbc-aes-virtio-rs async)" yes
