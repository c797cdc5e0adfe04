# Suspend and resume (freeze/restore) with a transform in use: a dm-crypt
# mapping on our cbc(aes) stays open across a system suspend (pm_test=devices:
# devices suspend and resume, the machine does not sleep). The driver resets
# the device, creates the mapping's sessions again on resume, and the data
# written before reads back correctly after, as does new data; the software
# implementation reads the same disk.

check suspend-insmod insmod "$MOD"
expect_eq suspend-cbc-aes-selftest "$(wait_selftest cbc-aes-virtio-rs)" passed
head -c 32 /dev/urandom >/tmp/dm.key
PLAIN="--type plain --cipher aes-cbc-plain64 --key-size 256"
# shellcheck disable=SC2086
cryptsetup -q open $PLAIN --key-file /tmp/dm.key /dev/ram1 susp
head -c $((8 << 20)) /dev/urandom >/tmp/susp.data
before=$(our_requests)
dd if=/tmp/susp.data of=/dev/mapper/susp bs=1M 2>/dev/null && sync
check suspend-mapping-on-our-driver test "$(our_requests)" -gt "$before"
sessions() { sed -n 's/^sessions_open //p' /sys/kernel/debug/virtio_crypto_rs/virtio*/status; }
sessions_before=$(sessions)
# The mapping wrote: its encryption session is open (decryption opens when read).
check suspend-mapping-has-sessions test "${sessions_before:-0}" -ge 1

[ -w /sys/module/suspend/parameters/pm_test_delay ] && echo 1 >/sys/module/suspend/parameters/pm_test_delay
check suspend-pm-test-devices sh -c "echo devices >/sys/power/pm_test"
check suspend-freeze-and-resume sh -c "echo freeze >/sys/power/state"
echo none >/sys/power/pm_test
check suspend-driver-suspended sh -c "dmesg | grep -q 'virtio_crypto_rs: virtio.*: suspended'"
check suspend-sessions-recreated sh -c "dmesg | grep -q 'virtio_crypto_rs: virtio.*: restored; $sessions_before session(s) re-created, 0 failed'"
expect_eq suspend-sessions-open-after "$(sessions)" "$sessions_before"

echo 3 >/proc/sys/vm/drop_caches
reads_back() {
    dd if=/dev/mapper/susp of=/tmp/susp.back bs=1M count=8 2>/dev/null && cmp -s /tmp/susp.data /tmp/susp.back
}
check suspend-data-reads-back-after-resume reads_back
head -c $((8 << 20)) /dev/urandom >/tmp/susp.data
dd if=/tmp/susp.data of=/dev/mapper/susp bs=1M 2>/dev/null && sync
echo 3 >/proc/sys/vm/drop_caches
check suspend-new-data-reads-back reads_back
# A second cycle: the re-created sessions are re-created once more (ids of the
# generation before are not reused), and the data still reads back. Both
# directions are open by now (the mapping was read back).
sessions_second=$(sessions)
check suspend-second-cycle sh -c "echo devices >/sys/power/pm_test && echo freeze >/sys/power/state"
echo none >/sys/power/pm_test
expect_eq suspend-second-cycle-restored-twice "$(dmesg | grep -c 'virtio_crypto_rs: virtio.*: restored;')" 2
expect_eq suspend-second-cycle-recreated "$(dmesg | grep 'virtio_crypto_rs: virtio.*: restored;' | tail -1 | sed 's/.*restored; //')" "$sessions_second session(s) re-created, 0 failed"
echo 3 >/proc/sys/vm/drop_caches
check suspend-second-cycle-reads-back reads_back
cryptsetup close susp
afalg_matches suspend-afalg-after-resume cbc-aes-virtio-rs "cbc(aes-generic)" 16 16 4096
check suspend-rmmod rmmod "$DRIVER_NAME"
# shellcheck disable=SC2086
check suspend-software-reads-same dm_crypt_reads_back susp /dev/ram1 8 /tmp/susp.data $PLAIN
rm -f /tmp/susp.data /tmp/susp.back
