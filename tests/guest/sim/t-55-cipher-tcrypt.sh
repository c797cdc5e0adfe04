# SPDX-License-Identifier: GPL-2.0
# tcrypt's correctness modes for every cipher the driver offers, run while the
# driver's implementation is the one the Crypto API picks (highest priority
# for the name) on the simulated device offering them all.
# Mode 10 (crypto/tcrypt.c, do_test, 6.12.117) tests ecb(aes), cbc(aes),
# xts(aes), ctr(aes) (ours), rfc3686(ctr(aes)) (the template over our ctr),
# lrw(aes) and xctr(aes) (not configured: testmgr skips a name nothing
# implements); mode 4 tests ecb(des3_ede), cbc(des3_ede), ctr(des3_ede). Each
# name runs testmgr's vectors and, with CONFIG_CRYPTO_MANAGER_EXTRA_TESTS, the
# fuzz comparison with the generic code, here with
# cryptomgr.fuzz_iterations=20 at most (restored at the end). Loading tcrypt always
# "fails" with EAGAIN when every test passed (tcrypt_mode in lib.sh). Each mode
# must also have sent data requests to the device.

grep -q '^vcrs_sim ' /proc/modules || insmod /vcrs/modules/vcrs_sim.ko
saved_queues=$(cat /sys/module/vcrs_sim/parameters/data_queues)
echo 1 >/sys/module/vcrs_sim/parameters/data_queues
fuzz_iterations 20

# tcrypt mode, then the names it tests that our driver implements
# (cra_name:driver:V), V: its vectors in crypto/testmgr.h (aes_tv_template 4,
# aes_cbc 5, aes_xts 5, aes_ctr 5, des3_ede 4, des3_ede_cbc 2, des3_ede_ctr 2;
# none of them a setkey error, an empty text or an XTS text of 17..31 bytes,
# whose decryption is the driver's own stealing and sent nowhere). testmgr
# (test_skcipher_vec) encrypts and decrypts each vector in the 9
# default_cipher_testvec_configs and fuzz_iterations (F) random ones: exactly
# V x (9 + F) x 2 requests, each one request. With EXTRA_TESTS it then compares
# with the generic code on F x 8 random vectors, both directions: at most F x 16
# more (a random key length the device refuses fails setkey, a length that is
# not whole blocks fails with EINVAL, an empty text is sent nowhere: neither
# counts). rfc3686(ctr(aes)) of mode 10 (7 vectors, F x 16 fuzz) runs over our
# ctr(aes) when no other rfc3686 instance is left from earlier tests, and then
# twice: the new instance's registration self-test, and tcrypt's own test of
# it: ctr's upper bound allows for both (a run counted 1822 with F = 20).
MODES="
10 ecb(aes):ecb-aes-virtio-rs:4 cbc(aes):cbc-aes-virtio-rs:5 xts(aes):xts-aes-virtio-rs:5 ctr(aes):ctr-aes-virtio-rs:5
4 ecb(des3_ede):ecb-des3-virtio-rs:4 cbc(des3_ede):cbc-des3-virtio-rs:2 ctr(des3_ede):ctr-des3-virtio-rs:2
"
F=$(cat /sys/module/cryptomgr/parameters/fuzz_iterations)
# Every request of these tests fits the device (testmgr's largest text is 2
# pages): none in software, for any reason.


check cipher-tcrypt-dev-add vdpa dev add mgmtdev vdpasim_crypto name ctc0
check cipher-tcrypt-insmod insmod "$MOD"
for pair in $(echo "$MODES" | awk '{ $1 = ""; print }'); do
    drv=${pair#*:} drv=${drv%:*}
    wait_registered "$drv" 60 || fail "cipher-tcrypt-$drv-registered" "not in /proc/crypto"
done
expect_eq cipher-tcrypt-all-selftests-passed "$(wait_our_selftests)" ""
t0=$(date +%s)
echo "$MODES" | while read -r mode pairs; do
    [ -n "$mode" ] || continue
    for pair in $pairs; do
        drv=${pair#*:} drv=${drv%:*}
        expect_eq "cipher-tcrypt-mode$mode-$drv-picked-for-${pair%%:*}" "$(picked "${pair%%:*}")" "$drv"
    done
    before=$(alg_snapshot)
    tcrypt_mode "cipher-tcrypt-mode$mode" mode="$mode"
    # Each algorithm of the mode proves its own device requests.
    for pair in $pairs; do
        drv=${pair#*:} drv=${drv%:*}
        v=${pair##*:} extra=0
        [ "$drv" = ctr-aes-virtio-rs ] && extra=$((2 * (7 * (9 + F) * 2 + F * 16)))
        # XTS decryptions of 17 to 31 bytes (the fuzz tests make some) are all
        # ciphertext stealing, done by the driver and counted as software for
        # "limits"; nothing else may run in software.
        sw="software=0"
        [ "$drv" = xts-aes-virtio-rs ] && sw="not_ready=0 no_session=0 busy=0 forced=0"
        alg_show_delta "$drv" "$before"
        alg_expect "cipher-tcrypt-mode$mode-$drv-used-device" "$drv" \
            "device>=$((v * (9 + F) * 2)) device<=$((v * (9 + F) * 2 + F * 16 + extra)) $sw" "$before"
    done
done
echo "-- t-55: tcrypt modes took $(($(date +%s) - t0)) s"
check cipher-tcrypt-rmmod rmmod "$DRIVER_NAME"
check cipher-tcrypt-dev-del vdpa dev del ctc0
echo "$saved_queues" >/sys/module/vcrs_sim/parameters/data_queues
fuzz_iterations_restore
rmmod vcrs_sim
