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
for cycle in 1 2; do
    ops=$(param ops)
    check "load-cycle$cycle-suspend-and-resume" sh -c "echo devices >/sys/power/pm_test && echo freeze >/sys/power/state"
    echo none >/sys/power/pm_test
    sleep 2
    check "load-cycle$cycle-requests-go-on" test "$(param ops)" -gt "$ops"
done
expect_eq load-restored-twice $(($(dmesg | grep -c 'virtio_crypto_rs: virtio.*: restored;') - restored_before)) 2
# After the resume the transform's requests reach the device again.
requests=$(our_requests)
sleep 1
check load-on-the-device-after-resume test "$(our_requests)" -gt "$requests"
fell_back=$(cat /sys/kernel/debug/virtio_crypto_rs/virtio*/status | awk '/^dataq/ { for (i = 1; i < NF; i++) if ($i == "fell_back") n += $(i + 1) } END { print n + 0 }')
echo "VCRS-RELIABILITY suspend-under-load cycles=2 requests=$(param ops) errors=$(param errors) wrong=$(param mismatches) served_in_software=$fell_back"
expect_eq load-no-errors "$(param errors)" 0
expect_eq load-no-wrong-results "$(param mismatches)" 0
check load-stop rmmod vcrs_load
dmesg | grep 'vcrs_load:' | tail -2
