# SPDX-License-Identifier: GPL-2.0
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
# 4 MiB (8 before: the size changes only how many requests): dm-crypt sends
# one request per 512-byte sector, 8192 for a write or a read of it, all on
# the device, none in software, before the suspend and after each resume.
MIB=4 SECTORS=8192
write_data() {
    head -c $((MIB << 20)) /dev/urandom >/tmp/susp.data &&
        dd if=/tmp/susp.data of=/dev/mapper/susp bs=1M 2>/dev/null && sync
}
served suspend-mapping-on-our-driver cbc-aes-virtio-rs "device>=$SECTORS software=0" write_data
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
    dd if=/dev/mapper/susp of=/tmp/susp.back bs=1M count=$MIB 2>/dev/null && cmp -s /tmp/susp.data /tmp/susp.back
}
served suspend-data-reads-back-after-resume cbc-aes-virtio-rs "device>=$SECTORS software=0" reads_back
served suspend-new-data-written-on-device cbc-aes-virtio-rs "device>=$SECTORS software=0" write_data
echo 3 >/proc/sys/vm/drop_caches
served suspend-new-data-reads-back cbc-aes-virtio-rs "device>=$SECTORS software=0" reads_back
# A second cycle: the re-created sessions are re-created once more (ids of the
# generation before are not reused), and the data still reads back. Both
# directions are open by now (the mapping was read back).
sessions_second=$(sessions)
check suspend-second-cycle sh -c "echo devices >/sys/power/pm_test && echo freeze >/sys/power/state"
echo none >/sys/power/pm_test
expect_eq suspend-second-cycle-restored-twice "$(dmesg | grep -c 'virtio_crypto_rs: virtio.*: restored;')" 2
expect_eq suspend-second-cycle-recreated "$(dmesg | grep 'virtio_crypto_rs: virtio.*: restored;' | tail -1 | sed 's/.*restored; //')" "$sessions_second session(s) re-created, 0 failed"
echo 3 >/proc/sys/vm/drop_caches
served suspend-second-cycle-reads-back cbc-aes-virtio-rs "device>=$SECTORS software=0" reads_back
cryptsetup close susp
# A new transform after the resumes: its encryption and decryption on the device.
before=$(alg_snapshot)
afalg_matches suspend-afalg-after-resume cbc-aes-virtio-rs "cbc(aes-generic)" 16 16 4096
alg_expect suspend-afalg-after-resume-on-device cbc-aes-virtio-rs "device=2 software=0" "$before"
check suspend-rmmod rmmod "$DRIVER_NAME"
# shellcheck disable=SC2086
check suspend-software-reads-same dm_crypt_reads_back susp /dev/ram1 $MIB /tmp/susp.data $PLAIN
rm -f /tmp/susp.data /tmp/susp.back
