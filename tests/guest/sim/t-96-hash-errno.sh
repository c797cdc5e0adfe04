# SPDX-License-Identifier: GPL-2.0
# Driver error lines this script provokes on purpose (tests/guest/run-tests.sh):
# vcrs-expect-log: dataq[0-9]+: invalid answer \(used length [0-9]+ of [0-9]+ writable bytes, status 77\)
# vcrs-expect-log: destroying session [0-9]+ failed: error -5
#
# Device statuses of HASH (opcode 0x0100) and MAC (0x0200) data requests reach
# the AF_ALG caller as their errno (wire::Status::to_errno: ERR EIO, BADMSG
# EBADMSG, NOTSUPP EOPNOTSUPP, INVSESS EINVAL, NOSPC ENOSPC, KEY_REJECTED
# EKEYREJECTED), for one-shot digests and short multi-part messages (buffered
# into one device request); an out-of-range status byte as EIO. Lost requests
# (the device takes them and never answers; unbound well before the
# watchdog's 30-second request timeout)
# complete with an error when the device is unbound, without a warning, and
# the device works again once bound anew.
# The sim's fail_opcode takes the whole opcode: (service << 8) | op.

# The registrations' self-tests repeat what t-50, t-52 and t-56 ran in full:
# 10 fuzz iterations at most (the runner restores the setting after every
# script).
fuzz_iterations 10

grep -q '^vcrs_sim ' /proc/modules || insmod /vcrs/modules/vcrs_sim.ko
p=/sys/module/vcrs_sim/parameters
saved_queues=$(cat $p/data_queues)
saved_services=$(cat $p/services)
echo 1 >$p/data_queues
# Hashes and MACs only (VIRTIO_CRYPTO_SERVICE_HASH | _MAC): fewer self-tests
# when the algorithms register again after the rebind below.
echo 6 >$p/services
check herr-dev-add vdpa dev add mgmtdev vdpasim_crypto name he0
check herr-insmod insmod "$MOD"
dbg=/sys/kernel/debug/vcrs_sim/he0
vdev=$(basename "$(readlink -f /sys/bus/vdpa/devices/he0/virtio*)")
echo "he0 is $vdev"
wait_registered sha256-virtio-rs 60
wait_registered cmac-aes-virtio-rs 5
expect_eq herr-all-selftests-passed "$(wait_our_selftests)" ""

head -c 1000 /dev/urandom >/tmp/he.msg
K16=000102030405060708090a0b0c0d0e0f
# name, our driver, the generic reference, key, opcode (decimal, then as stats print it)
CASES="
sha256 sha256-virtio-rs sha256-generic - 256 0x0100
hmac-sha256 hmac-sha256-virtio-rs hmac(sha256-generic) $K16 512 0x0200
cmac-aes cmac-aes-virtio-rs cmac(aes-generic) $K16 512 0x0200
"
echo "$CASES" | while read -r name drv ref key opcode stat; do
    [ -n "$name" ] || continue
    if [ -z "$(proc_crypto_field "$drv" driver)" ]; then
        fail "herr-$name-cases" "$drv is not registered: its cases were skipped"
        continue
    fi
    echo "$opcode" >$dbg/fail_opcode
    echo 1 >$dbg/fail_every
    for case in "1:Input/output error" "2:Bad message" "3:Operation not supported" \
        "4:Invalid argument" "5:No space left on device" "6:Key was rejected by service"; do
        echo "${case%%:*}" >$dbg/fail_status
        algs=$(alg_snapshot) sim=$(sim_opcode he0 "$stat")
        expect_eq "herr-$name-status-${case%%:*}-oneshot" "$(hash_error "$drv" "$key" '*' </tmp/he.msg)" "${case#*:}"
        device_took "herr-$name-status-${case%%:*}-oneshot-from-device" "$drv" "$sim" "$(sim_opcode he0 "$stat")" "$algs"
        # Three parts buffered into one device request.
        algs=$(alg_snapshot) sim=$(sim_opcode he0 "$stat")
        expect_eq "herr-$name-status-${case%%:*}-multipart" \
            "$(hash_error "$drv" "$key" 300,300,* </tmp/he.msg)" "${case#*:}"
        device_took "herr-$name-status-${case%%:*}-multipart-from-device" "$drv" "$sim" "$(sim_opcode he0 "$stat")" "$algs"
    done
    echo 0 >$dbg/fail_every
    echo 77 >$dbg/bad_status
    algs=$(alg_snapshot) sim=$(sim_opcode he0 "$stat")
    expect_eq "herr-$name-out-of-range-status-oneshot" "$(hash_error "$drv" "$key" '*' </tmp/he.msg)" "Input/output error"
    device_took "herr-$name-out-of-range-status-oneshot-from-device" "$drv" "$sim" "$(sim_opcode he0 "$stat")" "$algs"
    algs=$(alg_snapshot) sim=$(sim_opcode he0 "$stat")
    expect_eq "herr-$name-out-of-range-status-multipart" \
        "$(hash_error "$drv" "$key" 300,300,* </tmp/he.msg)" "Input/output error"
    device_took "herr-$name-out-of-range-status-multipart-from-device" "$drv" "$sim" "$(sim_opcode he0 "$stat")" "$algs"
    echo 0 >$dbg/bad_status
    want=$(afalg_hash_parts "$ref" "$key" '*' </tmp/he.msg)
    algs=$(alg_snapshot) sim=$(sim_opcode he0 "$stat")
    expect_eq "herr-$name-healthy-again" "$(afalg_hash_parts "$drv" "$key" '*' </tmp/he.msg 2>&1)" "$want"
    device_took "herr-$name-healthy-request-reached-device" "$drv" "$sim" "$(sim_opcode he0 "$stat")" "$algs"
done

# Lost requests: every data request from now on is taken and never answered.
log_mark t96-lost
echo 1 >$dbg/lose_every
lost_before=$(sed -n 's/^lost //p' $dbg/stats)
algs_lost=$(alg_snapshot)
afalg_hash sha256-virtio-rs </tmp/he.msg >/tmp/he.lost1 &
pid1=$!
afalg_hash_parts hmac-sha256-virtio-rs $K16 300,300,* </tmp/he.msg >/tmp/he.lost2 &
pid2=$!
sleep 2
check herr-lost-requests-pending sh -c "kill -0 $pid1 && kill -0 $pid2"
check herr-lost-requests-taken-by-device test "$(sed -n 's/^lost //p' $dbg/stats)" -ge $((lost_before + 2))
# Unbinding resets the device: the requests it never returned (a one-shot
# digest, and the final of a multi-part MAC) are computed in software instead,
# with the right result.
check herr-unbind-with-lost-requests sh -c "echo $vdev >/sys/bus/virtio/drivers/$DRIVER_NAME/unbind"
wait $pid1
rc1=$?
wait $pid2
rc2=$?
check herr-lost-request-1-succeeded test "$rc1" -eq 0
check herr-lost-request-2-succeeded test "$rc2" -eq 0
expect_eq herr-lost-request-1-right-digest "$(cat /tmp/he.lost1)" "$(afalg_hash sha256-generic </tmp/he.msg)"
expect_eq herr-lost-request-2-right-mac "$(cat /tmp/he.lost2)" "$(afalg_hash 'hmac(sha256-generic)' $K16 </tmp/he.msg)"
served_in_software() {
    log_since t96-lost | grep -q 'virtio_crypto_rs: virtio.*: removed (2 request(s) it had not answered served in software, 0 failed)'
}
check herr-lost-requests-served-in-software served_in_software
# Both were counted on the device when it took them; the software run at the
# removal is no fallback of the algorithm (no reason counted).
alg_expect herr-lost-requests-counted-on-device "sha256-virtio-rs hmac-sha256-virtio-rs" "device=2 software=0" "$algs_lost"
no_warning() { ! log_since t96-lost | grep -E 'WARNING:|BUG:|Call Trace|Oops'; }
check herr-lost-no-warning no_warning
log_since t96-lost | grep -i "$DRIVER_NAME\|vcrs_sim" | tail -5
echo 0 >$dbg/lose_every
check herr-rebind sh -c "echo $vdev >/sys/bus/virtio/drivers/$DRIVER_NAME/bind"
wait_registered sha256-virtio-rs 60
wait_registered hmac-sha256-virtio-rs 5
expect_eq herr-rebound-selftests-passed "$(wait_our_selftests)" ""
want=$(afalg_hash sha256-generic </tmp/he.msg)
algs=$(alg_snapshot) sim=$(sim_opcode he0 0x0100)
expect_eq herr-hash-works-again "$(afalg_hash sha256-virtio-rs </tmp/he.msg 2>&1)" "$want"
device_took herr-hash-again-reached-device sha256-virtio-rs "$sim" "$(sim_opcode he0 0x0100)" "$algs"
want=$(afalg_hash 'hmac(sha256-generic)' $K16 </tmp/he.msg)
algs=$(alg_snapshot) sim=$(sim_opcode he0 0x0200)
expect_eq herr-mac-works-again "$(afalg_hash_parts hmac-sha256-virtio-rs $K16 300,300,* </tmp/he.msg 2>&1)" "$want"
device_took herr-mac-again-reached-device hmac-sha256-virtio-rs "$sim" "$(sim_opcode he0 0x0200)" "$algs"
check herr-rmmod rmmod "$DRIVER_NAME"
check herr-dev-del vdpa dev del he0
echo "$saved_queues" >$p/data_queues
echo "$saved_services" >$p/services
rmmod vcrs_sim
rm -f /tmp/he.msg /tmp/he.lost1 /tmp/he.lost2
