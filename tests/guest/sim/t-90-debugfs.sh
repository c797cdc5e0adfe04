# SPDX-License-Identifier: GPL-2.0
# The driver's debugfs interface: a directory per device with its
# configuration, the algorithms it serves, sessions open and per-queue counters.

# The registrations' self-tests repeat what t-50, t-52 and t-56 ran in full:
# 10 fuzz iterations at most (the runner restores the setting after every
# script).
fuzz_iterations 10

# Independent of what ran before: vcrs_sim (sim_params loads it if an earlier
# script left it unloaded) and our driver may already be loaded; the device
# added here reads data_queues=2 when it is added, and only its own status
# file is read. (vdpa_sim, which t-10 loads, is loaded here too: the script runs alone.)
load_vdpa_sim && modprobe virtio_vdpa
sim_params data_queues=2
check dbg-dev-add vdpa dev add mgmtdev vdpasim_crypto name dbg0
grep -q "^$DRIVER_NAME " /proc/modules || check dbg-insmod insmod "$MOD"
expect_eq dbg-all-selftests-passed "$(wait_our_selftests)" ""
vdev=$(basename "$(readlink -f /sys/bus/vdpa/devices/dbg0/virtio*)")
status=/sys/kernel/debug/virtio_crypto_rs/$vdev/status
check dbg-status-file-exists test -f "$status"
head -c 8192 /dev/urandom >/tmp/dbg.in
dev_requests() { awk '/^dataq/ { n += $3 } END { print n + 0 }' "$status"; }
before=$(dev_requests)
# One AF_ALG encryption of 8 KiB: one request, on this device (the only one:
# earlier scripts delete theirs).
encrypt_8k() { our_cbc_encrypt </tmp/dbg.in >/dev/null; }
served dbg-requests-counted cbc-aes-virtio-rs 1 encrypt_8k
expect_eq dbg-requests-counted-on-the-device "$(($(dev_requests) - before))" 1
cat "$status"
field() { sed -n "s/^$1 //p" "$status"; }
expect_eq dbg-data-queues "$(field data_queues)" 2
expect_eq dbg-hw-ready "$(field hw_ready)" true
check dbg-algorithms-listed sh -c "grep -q '^algorithms.* cbc-aes-virtio-rs' $status"
expect_eq dbg-sessions-closed "$(field sessions_open)" 0
check dbg-nothing-in-flight sh -c "grep -q 'in_flight 0' $status && ! grep -q 'in_flight [1-9]' $status"
check dbg-rmmod rmmod "$DRIVER_NAME"
check dbg-dir-removed sh -c "! test -e /sys/kernel/debug/virtio_crypto_rs"
check dbg-dev-del vdpa dev del dbg0
sim_params_restore
rmmod vcrs_sim
