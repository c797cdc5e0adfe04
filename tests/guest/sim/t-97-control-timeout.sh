# SPDX-License-Identifier: GPL-2.0
# Driver error lines this script provokes on purpose (tests/guest/run-tests.sh):
# vcrs-expect-log: control command timed out after [0-9]+ ms
#
# A control request the device never answers: opening the session (when the
# key is set) times out with a clear log line (after 30 s) instead of waiting
# forever, the user sees no error, that direction's requests are served in
# software (a device session is a cache, not a requirement), and removing the
# device afterwards still works.

# The registrations' self-tests repeat what t-50, t-52 and t-56 ran in full:
# 10 fuzz iterations at most (the runner restores the setting after every
# script).
fuzz_iterations 10

insmod /vcrs/modules/vcrs_sim.ko
check ctl-dev-add vdpa dev add mgmtdev vdpasim_crypto name ct0
check ctl-insmod insmod "$MOD"
expect_eq ctl-all-selftests-passed "$(wait_our_selftests)" ""
# One control command lost: setting the key opens the transform's sessions at
# once, the encryption's first (its command times out after 30 s: the key is
# still set, no ETIMEDOUT reaches the user) and then the decryption's (the
# control queue works again: opened). The encryption then runs in software for
# want of a session (no_session), the decryption on the device.
echo 1 >/sys/kernel/debug/vcrs_sim/ct0/lose_ctrl_next
log_mark t-97
before=$(sim_requests ct0)
algs_before=$(alg_snapshot)
t1=$(date +%s)
# One operation of 4 KiB: an encryption and the decryption of its result
# through the same transform, both checked against the generic code.
out=$(afalg_stress -n 1 skcipher cbc-aes-virtio-rs "cbc(aes-generic)" 16 16 4096 4096 100 2>&1)
echo "-- t-97: $out, after $(($(date +%s) - t1)) s"
expect_eq ctl-no-error-right-results "$(echo "$out" | cut -d' ' -f1-6)" "ops 1 errors 0 mismatches 0"
expect_eq ctl-command-lost "$(cat /sys/kernel/debug/vcrs_sim/ct0/lose_ctrl_next)" 0
alg_expect ctl-encryption-no-session-decryption-on-device cbc-aes-virtio-rs \
    "device=1 software=1 no_session=1" "$algs_before"
expect_eq ctl-device-got-the-decryption "$(($(sim_requests ct0) - before))" 1
expect_eq ctl-timeout-logged-once "$(log_since t-97 | grep -c 'virtio_crypto_rs: virtio[0-9]*: control command timed out')" 1
check ctl-rmmod rmmod "$DRIVER_NAME"
check ctl-dev-del vdpa dev del ct0
rmmod vcrs_sim
