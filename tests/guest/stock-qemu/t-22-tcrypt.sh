# SPDX-License-Identifier: GPL-2.0
# The kernel's tcrypt module (CONFIG_CRYPTO_BENCHMARK) tests the AES modes by
# generic name (mode 10), and the kernel gives cbc(aes) to our driver. 7.3's
# testmgr (CRYPTO_SELFTESTS without _FULL) runs the test vectors only, no
# random fuzz tests, so tcrypt sends exactly the requests of the self-test at
# registration again: the device must take exactly as many, none in software.

rmmod "$DRIVER_NAME" 2>/dev/null
check tcrypt-insmod insmod "$MOD"
expect_eq tcrypt-selftest-passed "$(wait_selftest cbc-aes-virtio-rs)" passed
selftest=$(alg_count cbc-aes-virtio-rs device)
echo "   the self-test at registration: $selftest requests on the device"
check tcrypt-selftest-on-device test "$selftest" -gt 0
expect_eq tcrypt-ours-picked-for-cbc-aes "$(picked "cbc(aes)")" cbc-aes-virtio-rs
before=$(alg_snapshot)
tcrypt_mode tcrypt-mode10 mode=10
alg_snapshot | grep '^cbc-aes-virtio-rs '
alg_expect tcrypt-mode10-on-device cbc-aes-virtio-rs "device=$selftest software=0" "$before"
