# SPDX-License-Identifier: GPL-2.0
# Suspend and resume with requests in flight: a kernel thread
# (tests/speed/vcrs_load.ko; the freezer stops user processes before devices
# suspend, and waits for their requests, but leaves kernel threads alone)
# keeps 8 encryptions of 4 KiB in flight on our cbc(aes) while the device is
# suspended and resumed (pm_test=devices), twice. Requests in flight at the
# suspend finish or run in software, those submitted while it is suspended
# wait in the backlog; afterwards the same transform runs on the device again,
# on re-created sessions. Every result is checked against software: no error,
# no wrong result.

grep -q "^$DRIVER_NAME " /proc/modules || check load-insmod insmod "$MOD"
expect_eq load-selftest-passed "$(wait_selftest cbc-aes-virtio-rs)" passed
param() { cat "/sys/module/vcrs_load/parameters/$1"; }
check load-start insmod /vcrs/modules/vcrs_load.ko alg=cbc-aes-virtio-rs ref="cbc(aes-generic)" \
    klen=16 depth=8 size=4096
sleep 2
check load-running test "$(param ops)" -gt 0
[ -w /sys/module/suspend/parameters/pm_test_delay ] && echo 1 >/sys/module/suspend/parameters/pm_test_delay
restored_before=$(dmesg | grep -c 'virtio_crypto_rs: virtio.*: restored;')
# on_device_for NAME SECONDS: vcrs_load's requests over SECONDS all on the
# device: each completed op was one request of cbc-aes-virtio-rs, so the device
# took at least the ops completed minus the 8 in flight at the start; none in
# software.
on_device_for() {
    local name=$1 ops before
    # The counters first: requests completed from here on were submitted
    # after them, but for those in flight now (8 at most).
    before=$(alg_snapshot)
    ops=$(param ops)
    sleep "$2"
    ops=$(($(param ops) - ops))
    if [ "$ops" -le 8 ]; then
        fail "$name" "only $ops ops in $2 s"
    else
        alg_expect "$name" cbc-aes-virtio-rs "device>=$((ops - 8)) software=0" "$before"
    fi
}
on_device_for load-on-the-device-before-suspend 1
for cycle in 1 2; do
    before=$(alg_snapshot)
    check "load-cycle$cycle-suspend-and-resume" sh -c "echo devices >/sys/power/pm_test && echo freeze >/sys/power/state"
    echo none >/sys/power/pm_test
    # Across the cycle, what ran in software ran so because the device was not
    # ready (requests it lost at the suspend): never busy, limits or sessions.
    alg_snapshot | grep '^cbc-aes-virtio-rs '
    alg_expect "load-cycle$cycle-software-only-not-ready" cbc-aes-virtio-rs "busy=0 limits=0 no_session=0 forced=0" "$before"
    # After the resume the transform's requests reach the device again.
    on_device_for "load-cycle$cycle-on-the-device-after-resume" 2
done
expect_eq load-restored-twice $(($(dmesg | grep -c 'virtio_crypto_rs: virtio.*: restored;') - restored_before)) 2
fell_back=$(cat /sys/kernel/debug/virtio_crypto_rs/virtio*/status | awk '/^dataq/ { for (i = 1; i < NF; i++) if ($i == "fell_back") n += $(i + 1) } END { print n + 0 }')
echo "VCRS-RELIABILITY suspend-under-load cycles=2 requests=$(param ops) errors=$(param errors) wrong=$(param mismatches) served_in_software=$fell_back"
expect_eq load-no-errors "$(param errors)" 0
expect_eq load-no-wrong-results "$(param mismatches)" 0
check load-stop rmmod vcrs_load
dmesg | grep 'vcrs_load:' | tail -2
