# SPDX-License-Identifier: GPL-2.0
# Suspend and resume with requests in flight: a kernel thread
# (tests/speed/vcrs_load.ko; the freezer stops user processes before devices
# suspend, and waits for their requests, but leaves kernel threads alone)
# keeps 8 encryptions of 4 KiB in flight on our cbc(aes) while the device is
# suspended and resumed (pm_test=devices), twice. Requests in flight at the
# suspend finish or run in software, those submitted while it is suspended
# wait in the backlog; afterwards the same transform runs on the device again,
# on re-created sessions. Every result is checked against software: no error,
# no wrong result (REF "cbc(aes)": vcrs_load allocates it synchronous, so
# never ours, whatever the kernel names its software AES).

grep -q "^$DRIVER_NAME " /proc/modules || check load-insmod insmod "$MOD"
expect_eq load-selftest-passed "$(wait_selftest cbc-aes-virtio-rs)" passed
check load-start insmod /vcrs/modules/vcrs_load.ko alg=cbc-aes-virtio-rs ref="cbc(aes)" \
    klen=16 depth=8 size=4096
sleep 2
check load-running test "$(load_param ops)" -gt 0
[ -w /sys/module/suspend/parameters/pm_test_delay ] && echo 1 >/sys/module/suspend/parameters/pm_test_delay
restored_before=$(dmesg | grep -c 'virtio_crypto_rs: virtio.*: restored;')
load_on_device_for load-on-the-device-before-suspend 1
for cycle in 1 2; do
    before=$(alg_snapshot)
    check "load-cycle$cycle-suspend-and-resume" sh -c "echo devices >/sys/power/pm_test && echo freeze >/sys/power/state"
    echo none >/sys/power/pm_test
    # Across the cycle, what ran in software ran so because the device was not
    # ready (requests it lost at the suspend): never busy, limits or sessions.
    alg_snapshot | grep '^cbc-aes-virtio-rs '
    alg_expect "load-cycle$cycle-software-only-not-ready" cbc-aes-virtio-rs "busy=0 limits=0 no_session=0 forced=0" "$before"
    # After the resume the transform's requests reach the device again.
    load_on_device_for "load-cycle$cycle-on-the-device-after-resume" 2
done
expect_eq load-restored-twice $(($(dmesg | grep -c 'virtio_crypto_rs: virtio.*: restored;') - restored_before)) 2
fell_back=$(cat /sys/kernel/debug/virtio_crypto_rs/virtio*/status | awk '/^dataq/ { for (i = 1; i < NF; i++) if ($i == "fell_back") n += $(i + 1) } END { print n + 0 }')
echo "VCRS-RELIABILITY suspend-under-load cycles=2 requests=$(load_param ops) errors=$(load_param errors) wrong=$(load_param mismatches) served_in_software=$fell_back"
expect_eq load-no-errors "$(load_param errors)" 0
expect_eq load-no-wrong-results "$(load_param mismatches)" 0
check load-stop rmmod vcrs_load
dmesg | grep 'vcrs_load:' | tail -2
