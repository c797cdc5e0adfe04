# SPDX-License-Identifier: GPL-2.0
# Fault injection and counters of the simulated device, seen through the C
# driver bound to crypto0: injected error statuses and out-of-range status
# bytes fail requests, delays slow them, HW_READY off/on reaches the driver as
# a configuration change. Each fault is switched off again afterwards.

dbg=/sys/kernel/debug/vcrs_sim/crypto0
head -c 16 /dev/urandom >/tmp/key
head -c 4096 /dev/urandom >/tmp/plain
encrypt() { kcapi_cipher virtio_crypto_aes_cbc -e /tmp/key 000102030405060708090a0b0c0d0e0f /tmp/plain /tmp/out; }
# on_device NAME: one encryption that must succeed and reach the device as
# exactly one data request (the device's own count: the C driver has no
# software path), after the fault before it was switched off.
on_device() {
    local reqs
    reqs=$(sim_requests crypto0)
    check "$1" encrypt
    expect_eq "$1-reached-device" "$(($(sim_requests crypto0) - reqs))" 1
}
stat_of() { sed -n "s/^$1 //p" $dbg/stats; }
errors0=$(stat_of errors) bytes0=$(stat_of bytes)

# Every CIPHER_ENCRYPT (opcode 0) fails with VIRTIO_CRYPTO_ERR.
echo 0 >$dbg/fail_opcode
echo 1 >$dbg/fail_status
echo 1 >$dbg/fail_every
check_fails sim-fault-fail-opcode-fails-request encrypt
echo 0 >$dbg/fail_every
on_device sim-fault-off-request-works

echo 200 >$dbg/bad_status
check_fails sim-fault-bad-status-fails-request encrypt
echo 0 >$dbg/bad_status
on_device sim-fault-bad-status-off-works

uptime_cs() { tr -d . </proc/uptime | cut -d' ' -f1; }
echo 100 >$dbg/delay_ms
t0=$(uptime_cs)
encrypt
t1=$(uptime_cs)
echo 0 >$dbg/delay_ms
# One AF_ALG encryption is at least 5 requests (2 sessions, 1 data, 2 destroys).
check sim-fault-delay-slows-requests test $((t1 - t0)) -ge 45

# HW_READY off: the C driver stops and unregisters its algorithms; on: back.
echo 0 >$dbg/hw_ready
i=0
while [ $i -lt 20 ] && grep -q virtio_crypto_aes_cbc /proc/crypto; do sleep 0.25; i=$((i + 1)); done
check sim-fault-hw-ready-off-reaches-driver sh -c "! grep -q virtio_crypto_aes_cbc /proc/crypto"
echo 1 >$dbg/hw_ready
st=$(wait_selftest virtio_crypto_aes_cbc)
expect_eq sim-fault-hw-ready-on-reaches-driver "$st" passed
on_device sim-fault-hw-ready-on-works

# Since the start of this script: the request failed with an error status
# counted as an error (the out-of-range status is written over an OK answer,
# not counted), and at least the 4 KiB of each of the 4 encryptions that
# worked counted as bytes (the device counts what the driver sent).
check sim-stats-errors-counted test $(($(stat_of errors) - errors0)) -ge 1
check sim-stats-bytes-counted test $(($(stat_of bytes) - bytes0)) -ge $((4 * 4096))

check sim-c-driver-rmmod rmmod virtio_crypto
check sim-dev-del-crypto0 vdpa dev del crypto0
