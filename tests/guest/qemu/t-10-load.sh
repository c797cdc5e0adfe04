# Loading binds the device, logs the config summary and registers cbc(aes),
# which passes the kernel's self-tests (extra fuzz tests included).

# The self-test of cbc(aes) sends the implementation under test at least
# 10 vectors (aes_cbc_tv_template) x 9 default configs x 2 directions = 180
# requests (crypto/testmgr.c, 6.12); the random ones of the extra tests come
# on top (their number varies with the kernel's fuzz_iterations).
need=180
before=$(alg_snapshot)
check load-insmod insmod "$MOD"
check load-binds test -e /sys/bus/virtio/drivers/$DRIVER_NAME/virtio0
check load-config-summary sh -c "dmesg | grep -q 'virtio_crypto_rs: virtio0: 1 data queue(s), services'"
st=$(wait_selftest cbc-aes-virtio-rs)
expect_eq proc-crypto-selftest-passed "$st" passed
# The self-tests ran on the device (counted from the load on: the counters are
# new with the module), none of their requests in software.
alg_snapshot | grep '^cbc-aes-virtio-rs '
alg_expect load-selftests-on-device cbc-aes-virtio-rs "device>=$need software=0" "$before"
expect_eq proc-crypto-name "$(proc_crypto_field cbc-aes-virtio-rs name)" "cbc(aes)"
expect_eq proc-crypto-module "$(proc_crypto_field cbc-aes-virtio-rs module)" "$DRIVER_NAME"
expect_eq proc-crypto-async "$(proc_crypto_field cbc-aes-virtio-rs async)" yes
