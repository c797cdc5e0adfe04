# SPDX-License-Identifier: GPL-2.0
# Lifecycle through the simulated device: several devices at once (algorithms
# registered once, transforms spread, one device leaving does not take the
# algorithm from the others); a request the device never completes is served
# in software when the device is removed, with the right result; removal under
# parallel load completes every request (with a result or an error) and leaves
# no task waiting.

# The registrations' self-tests repeat what t-50, t-52 and t-56 ran in full:
# 10 fuzz iterations at most (the runner restores the setting after every
# script).
fuzz_iterations 10

insmod /vcrs/modules/vcrs_sim.ko
check life-dev-add-a vdpa dev add mgmtdev vdpasim_crypto name la
check life-dev-add-b vdpa dev add mgmtdev vdpasim_crypto name lb
check life-insmod insmod "$MOD"
expect_eq life-all-selftests-passed "$(wait_our_selftests)" ""
check life-registered-once test "$(grep -c 'driver.*: cbc-aes-virtio-rs' /proc/crypto)" -eq 1
use_cbc() { our_cbc_encrypt </tmp/life.in >/tmp/life.out; }
head -c 4096 /dev/urandom >/tmp/life.in
# six_uses: six transforms, one request each.
six_uses() { for i in 1 2 3 4 5 6; do use_cbc || return 1; done; }
la=$(sim_requests la) lb=$(sim_requests lb)
served life-six-requests-on-devices cbc-aes-virtio-rs "device=6 software=0" six_uses
la=$(($(sim_requests la) - la)) lb=$(($(sim_requests lb) - lb))
echo "-- t-70: la took $la, lb took $lb of the six"
check life-transforms-spread-over-devices test "$la" -gt 0 -a "$lb" -gt 0 -a $((la + lb)) -eq 6
check life-dev-del-a vdpa dev del la
lb=$(sim_requests lb)
served life-other-device-still-serves cbc-aes-virtio-rs "device=1 software=0" use_cbc
expect_eq life-other-device-took-it "$(($(sim_requests lb) - lb))" 1
check life-algorithm-still-registered grep -q cbc-aes-virtio-rs /proc/crypto

# A lost request: the device takes it and never answers; removing the device
# serves it in software (the transform has the key) instead of leaving the
# caller waiting or failing it.
echo 1 >/sys/kernel/debug/vcrs_sim/lb/lose_every
log_mark t-70-lost
algs=$(alg_snapshot)
our_cbc_encrypt </tmp/life.in >/tmp/life.lost &
lost_pid=$!
sleep 2
check life-lost-request-pending kill -0 $lost_pid
check life-dev-del-with-lost-request vdpa dev del lb
wait $lost_pid
check life-lost-request-succeeded test $? -eq 0
right_result() {
    if afalg_reaches_driver; then
        afalg_crypt "cbc(aes-generic)" -e 000102030405060708090a0b0c0d0e0f 00000000000000000000000000000000 \
            </tmp/life.in | cmp -s - /tmp/life.lost
    else
        kapi_encrypt_stdin "cbc(aes)" 000102030405060708090a0b0c0d0e0f 00000000000000000000000000000000 \
            sync=1 </tmp/life.in | cmp -s - /tmp/life.lost
    fi
}
check life-lost-request-right-result right_result
served_in_software() {
    log_since t-70-lost | grep -q 'virtio_crypto_rs: virtio.*: removed (1 request(s) it had not answered served in software, 0 failed)'
}
check life-lost-request-served-in-software served_in_software
# Counted on the device when it took it; the software run at the removal is no
# fallback of the algorithm.
alg_expect life-lost-request-counted-on-device cbc-aes-virtio-rs "device=1 software=0" "$algs"

# Removal under load: six AF_ALG users on two devices, one device removed.
check life-dev-add-c vdpa dev add mgmtdev vdpasim_crypto name lc
check life-dev-add-d vdpa dev add mgmtdev vdpasim_crypto name ld
# The last device left above, so the algorithms were unregistered; lc brought
# them back, and their self-tests must finish before a device goes away.
expect_eq life-reregistered-selftests-passed "$(wait_our_selftests)" ""
load_user() {
    local i=0
    while [ $i -lt 30 ]; do
        our_cbc_encrypt </tmp/life.in >/dev/null 2>&1
        i=$((i + 1))
    done
    echo finished >"/tmp/life.$1"
}
rm -f /tmp/life.[0-9]
algs=$(alg_snapshot) ld=$(sim_requests ld)
for u in 1 2 3 4 5 6; do load_user $u & done
sleep 1
check life-dev-del-under-load vdpa dev del lc
wait
check life-every-user-finished test "$(find /tmp -maxdepth 1 -name 'life.[0-9]' | wc -l)" -eq 6
# Some of the 180 requests went to a device (ld kept taking its share), the
# rest ran in software (lc gone: no ready device, or no session on ld); each
# is counted once. (A transform whose setkey met the removal sends nothing.)
alg_expect life-under-load-devices-served cbc-aes-virtio-rs "device>=1 busy=0 limits=0 forced=0" "$algs"
# Every one of the 180 requests counted once, on a device or in software (the
# split is timing). alg_field FIELD BEFORE: cbc-aes-virtio-rs's FIELD in BEFORE.
alg_field() { printf '%s\n' "$2" | awk -v f="$1" '$1 == "cbc-aes-virtio-rs" { for (i = 3; i < NF; i += 2) if ($i == f) print $(i + 1) }'; }
under_load=$(($(alg_count cbc-aes-virtio-rs device) - $(alg_field device "$algs")))
under_load_sw=$(($(alg_count cbc-aes-virtio-rs software) - $(alg_field software "$algs")))
echo "-- t-70: under load: $under_load on a device, $under_load_sw in software"
expect_eq life-under-load-every-request-counted "$((under_load + under_load_sw))" 180
check life-under-load-ld-took-requests test "$(sim_requests ld)" -gt "$ld"
ld=$(sim_requests ld)
served life-survivor-serves cbc-aes-virtio-rs "device=1 software=0" use_cbc
expect_eq life-survivor-is-ld "$(($(sim_requests ld) - ld))" 1
check life-rmmod rmmod "$DRIVER_NAME"
check life-dev-del-d vdpa dev del ld
rmmod vcrs_sim
