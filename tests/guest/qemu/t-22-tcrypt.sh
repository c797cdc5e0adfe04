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
before=$(our_requests)
tcrypt_mode qemu-tcrypt-mode10 mode=10
grew_by qemu-tcrypt-mode10-used-device "$before" "$(our_requests)" 1
fuzz_iterations_restore
