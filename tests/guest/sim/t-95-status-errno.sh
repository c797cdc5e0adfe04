# SPDX-License-Identifier: GPL-2.0
# Driver error lines this script provokes on purpose (tests/guest/run-tests.sh):
# vcrs-expect-log: dataq[0-9]+: invalid answer \(used length [0-9]+ of [0-9]+ writable bytes, status 77\)
# vcrs-expect-log: destroying session [0-9]+ failed: error -5
#
# Every status the device can report reaches the AF_ALG caller as the documented
# errno (wire::Status::to_errno), and an out-of-range status byte as EIO.

# The registrations' self-tests repeat what t-50, t-52 and t-56 ran in full:
# 10 fuzz iterations at most (the runner restores the setting after every
# script).
fuzz_iterations 10

insmod /vcrs/modules/vcrs_sim.ko
check errno-dev-add vdpa dev add mgmtdev vdpasim_crypto name st0
check errno-insmod insmod "$MOD"
expect_eq errno-all-selftests-passed "$(wait_our_selftests)" ""
dbg=/sys/kernel/debug/vcrs_sim/st0
head -c 4096 /dev/urandom >/tmp/st.in
encrypt_error() {
    our_cbc_encrypt </tmp/st.in 2>&1 >/dev/null | sed 's/^[^:]*: //'
}
echo 0 >$dbg/fail_opcode # CIPHER_ENCRYPT
echo 1 >$dbg/fail_every
for case in "1:Input/output error" "2:Bad message" "3:Operation not supported" \
    "4:Invalid argument" "5:No space left on device" "6:Key was rejected by service"; do
    echo "${case%%:*}" >$dbg/fail_status
    algs=$(alg_snapshot) sim=$(sim_requests st0)
    expect_eq "errno-status-${case%%:*}" "$(encrypt_error)" "${case#*:}"
    device_took "errno-status-${case%%:*}-from-device" cbc-aes-virtio-rs "$sim" "$(sim_requests st0)" "$algs"
done
echo 0 >$dbg/fail_every
echo 77 >$dbg/bad_status
algs=$(alg_snapshot) sim=$(sim_requests st0)
expect_eq errno-out-of-range-status "$(encrypt_error)" "Input/output error"
device_took errno-out-of-range-status-from-device cbc-aes-virtio-rs "$sim" "$(sim_requests st0)" "$algs"
echo 0 >$dbg/bad_status
algs=$(alg_snapshot) sim=$(sim_requests st0)
expect_eq errno-healthy-again "$(encrypt_error)" ""
device_took errno-healthy-again-on-device cbc-aes-virtio-rs "$sim" "$(sim_requests st0)" "$algs"
check errno-rmmod rmmod "$DRIVER_NAME"
check errno-dev-del vdpa dev del st0
rmmod vcrs_sim
