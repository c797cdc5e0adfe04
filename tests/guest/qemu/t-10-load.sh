# SPDX-License-Identifier: GPL-2.0
# Loading binds the device, logs the config summary and registers cbc(aes),
# which passes the kernel's self-tests (extra fuzz tests included).

# The self-test of cbc(aes) runs each of the 10 vectors of aes_cbc_tv_template
# in 9 default configurations and fuzz_iterations (F) random ones, both
# directions (crypto/testmgr.c, 6.12). Measured on QEMU's device: 150 device
# requests at F=5 (the debug kernel), 366 at F=20, 1448 at F=100, none in
# software: fewer than 10 per configuration and direction (why is not
# established). The floor is 5 per configuration and direction.
F=$(cat /sys/module/cryptomgr/parameters/fuzz_iterations)
need=$((5 * (9 + F) * 2))
before=$(alg_snapshot)
check load-insmod insmod "$MOD"
check load-binds test -e "/sys/bus/virtio/drivers/$DRIVER_NAME/virtio0"
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
