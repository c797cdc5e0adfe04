# SPDX-License-Identifier: GPL-2.0
# tcrypt's correctness mode for cbc(aes), the one algorithm QEMU's device
# advertises (and so the one the driver registers on it), run while ours is
# the implementation the Crypto API picks for "cbc(aes)". Mode 10
# (crypto/tcrypt.c, 6.12.117) also tests ecb, xts, ctr, rfc3686(ctr) of AES
# in software; for cbc(aes) it runs testmgr's vectors and the fuzz comparison
# with the generic code (cryptomgr.fuzz_iterations=20 at most here, restored at the
# end) on our driver. Loading tcrypt always "fails" with EAGAIN when every test
# passed (tcrypt_mode in lib.sh); the device must have served requests.

fuzz_iterations 20
grep -q "^$DRIVER_NAME " /proc/modules || check qemu-tcrypt-insmod insmod "$MOD"
expect_eq qemu-tcrypt-selftest-passed "$(wait_selftest cbc-aes-virtio-rs)" passed
expect_eq qemu-tcrypt-ours-picked-for-cbc-aes "$(picked "cbc(aes)")" cbc-aes-virtio-rs
# Mode 10 runs testmgr's whole test of cbc(aes) on ours again: at least
# 10 vectors x 9 default configs x 2 directions = 180 requests
# (crypto/testmgr.c, 6.12; the random ones come on top, 366 in all measured
# with fuzz_iterations=20), all on the device, none in software.
before=$(alg_snapshot)
tcrypt_mode qemu-tcrypt-mode10 mode=10
alg_snapshot | grep '^cbc-aes-virtio-rs '
alg_expect qemu-tcrypt-mode10-on-device cbc-aes-virtio-rs "device>=180 software=0" "$before"
fuzz_iterations_restore
