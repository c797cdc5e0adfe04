# SPDX-License-Identifier: GPL-2.0
# tcrypt's correctness modes for every hash and MAC the driver offers, run
# while the driver's implementation is the one the Crypto API picks (highest
# priority for the algorithm's name) on the simulated device offering them all.
# tcrypt's mode N runs testmgr's tests (with CONFIG_CRYPTO_MANAGER_EXTRA_TESTS
# also the fuzz comparison with the generic code) on the algorithm by its name
# (alg_test(name, name)), so on whatever implementation has the highest
# priority. Loading tcrypt always "fails" with EAGAIN when every test passed
# (by design: it does its work in init); a failed test makes it fail with the
# test's error and log "tcrypt: one or more tests failed!" and testmgr's
# "alg: ..." lines. (mode=0 alg=NAME only checks that NAME exists.)

# The tcrypt modes' and the registration's self-tests with 20 fuzz iterations
# at most (t-52 runs the registration's in full; the runner restores the
# setting after every script).
fuzz_iterations 20

grep -q '^vcrs_sim ' /proc/modules || insmod /vcrs/modules/vcrs_sim.ko
saved_queues=$(cat /sys/module/vcrs_sim/parameters/data_queues)
echo 1 >/sys/module/vcrs_sim/parameters/data_queues

# cra_name, tcrypt mode (crypto/tcrypt.c, do_test), our driver, device
# opcode (sim stats), and the device requests testmgr must send to our driver
# at least: its vectors in crypto/testmgr.h, each in the 8 of the 9
# default_hash_testvec_configs that keep the message in the driver (the
# import/export one runs in software by design: "limits"); the fuzz
# iterations come on top.
MODES="
md5 1 md5-virtio-rs 0x0100 48
sha1 2 sha1-virtio-rs 0x0100 48
sha224 33 sha224-virtio-rs 0x0100 40
sha256 6 sha256-virtio-rs 0x0100 40
sha384 11 sha384-virtio-rs 0x0100 48
sha512 12 sha512-virtio-rs 0x0100 48
sha3-224 48 sha3-224-virtio-rs 0x0100 32
sha3-256 49 sha3-256-virtio-rs 0x0100 32
sha3-384 50 sha3-384-virtio-rs 0x0100 32
sha3-512 51 sha3-512-virtio-rs 0x0100 32
hmac(md5) 100 hmac-md5-virtio-rs 0x0200 56
hmac(sha1) 101 hmac-sha1-virtio-rs 0x0200 56
hmac(sha224) 105 hmac-sha224-virtio-rs 0x0200 32
hmac(sha256) 102 hmac-sha256-virtio-rs 0x0200 80
hmac(sha384) 103 hmac-sha384-virtio-rs 0x0200 32
hmac(sha512) 104 hmac-sha512-virtio-rs 0x0200 32
cmac(aes) 153 cmac-aes-virtio-rs 0x0200 48
xcbc(aes) 106 xcbc-aes-virtio-rs 0x0200 40
"

# On the debug kernel (KASAN, several times slower under TCG) one algorithm of
# each kind: what matters there is what KASAN and lockdep see on the driver's
# paths; the normal kernel runs every mode.
if slow_kernel; then
    MODES=$(echo "$MODES" | grep -E '^(sha256|sha3-256|hmac\(sha256\)|cmac\(aes\)|xcbc\(aes\)) ')
fi


check tcrypt-dev-add vdpa dev add mgmtdev vdpasim_crypto name tc0
check tcrypt-insmod insmod "$MOD"
# The hashes register once the device is ready; then their self-tests run.
if wait_registered sha256-virtio-rs 60; then
    for drv in $(echo "$MODES" | awk '{ print $3 }'); do wait_registered "$drv" 5; done
fi
expect_eq tcrypt-all-selftests-passed "$(wait_our_selftests)" ""
t0=$(date +%s)
echo "$MODES" | while read -r name mode drv opcode n; do
    [ -n "$name" ] || continue
    expect_eq "tcrypt-$drv-picked-for-$name" "$(picked "$name")" "$drv"
    before=$(alg_snapshot)
    sim_before=$(sim_opcode tc0 "$opcode")
    tcrypt_mode "tcrypt-mode$mode-$name" mode="$mode"
    # Our driver's count for this algorithm (software only for "limits":
    # exported states, messages beyond the request buffer), and the device's own.
    alg_expect "tcrypt-mode$mode-$name-used-device" "$drv" "device>=$n not_ready=0 no_session=0 busy=0 forced=0" "$before"
    check "tcrypt-mode$mode-$name-reached-device" test $(($(sim_opcode tc0 "$opcode") - sim_before)) -ge "$n"
done
echo "-- t-54: tcrypt modes took $(($(date +%s) - t0)) s"
check tcrypt-rmmod rmmod "$DRIVER_NAME"
check tcrypt-dev-del vdpa dev del tc0
echo "$saved_queues" >/sys/module/vcrs_sim/parameters/data_queues
rmmod vcrs_sim
