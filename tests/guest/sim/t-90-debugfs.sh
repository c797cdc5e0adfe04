# The driver's debugfs interface: a directory per device with its
# configuration, the algorithms it serves, sessions open and per-queue counters.

# The registrations' self-tests repeat what t-50, t-52 and t-56 ran in full:
# 10 fuzz iterations at most (the runner restores the setting after every
# script).
fuzz_iterations 10

insmod /vcrs/modules/vcrs_sim.ko data_queues=2
check dbg-dev-add vdpa dev add mgmtdev vdpasim_crypto name dbg0
check dbg-insmod insmod "$MOD"
expect_eq dbg-all-selftests-passed "$(wait_our_selftests)" ""
status=$(ls -d /sys/kernel/debug/virtio_crypto_rs/virtio*/status 2>/dev/null | head -1)
check dbg-status-file-exists test -n "$status"
head -c 8192 /dev/urandom >/tmp/dbg.in
our_cbc_encrypt </tmp/dbg.in >/dev/null
cat "$status"
field() { sed -n "s/^$1 //p" "$status"; }
expect_eq dbg-data-queues "$(field data_queues)" 2
expect_eq dbg-hw-ready "$(field hw_ready)" true
check dbg-algorithms-listed sh -c "grep -q '^algorithms.* cbc-aes-virtio-rs' $status"
expect_eq dbg-sessions-closed "$(field sessions_open)" 0
check dbg-requests-counted test "$(our_requests)" -gt 0
check dbg-nothing-in-flight sh -c "! grep -q 'in_flight [1-9]' $status"
check dbg-rmmod rmmod "$DRIVER_NAME"
check dbg-dir-removed sh -c "! test -e /sys/kernel/debug/virtio_crypto_rs"
check dbg-dev-del vdpa dev del dbg0
rmmod vcrs_sim
