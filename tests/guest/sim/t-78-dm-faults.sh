# SPDX-License-Identifier: GPL-2.0
# Data integrity across faults: a dm-crypt mapping (aes-xts-plain64) on our
# driver while the simulated device fails one cipher request in 257 (status
# ERR; a 64 KiB block is 128 requests of a 512-byte sector, so about every
# other block meets one), first while writing, then while reading, then loses requests (takes
# them, never answers) until it is removed. Failed requests reach dd as I/O
# errors, never as wrong data: every 64 KiB block whose write succeeded reads
# back intact, every read that succeeds returns the right data, and the
# requests the device lost are served in software when it goes, so those
# writes succeed and read back intact too (through the software
# implementation, the device being gone). Before the losses, the authenticated
# mapping of t-68 (LUKS2 aes-gcm-random over dm-integrity: one gcm(aes)
# request per 4 KiB sector, its tag in dm-integrity's metadata) gets the same
# write and read faults, on AEAD requests: failed writes reach dd, blocks
# written read back intact, failed reads reach dd, no read is wrong.

# The registrations' self-tests repeat what t-50, t-52 and t-56 ran in full:
# 10 fuzz iterations at most (the runner restores the setting after every
# script).
fuzz_iterations 10

# The AEAD service (opt-in) for the authenticated mapping, gcm only: fewer
# self-tests. No software instance of the names dm-crypt looks up is left by
# earlier tests.
drop_software_instances "$AEAD_INSTANCES"
sim_params services=15 aead=2
check dmf-dev-add vdpa dev add mgmtdev vdpasim_crypto name dmf0
grep -q "^$DRIVER_NAME " /proc/modules || check dmf-insmod insmod "$MOD"
check dmf-registered wait_registered xts-aes-virtio-rs 60
expect_eq dmf-all-selftests-passed "$(wait_our_selftests)" ""
dbg=/sys/kernel/debug/vcrs_sim/dmf0
# 64 KiB blocks: 4 MiB (was 8), 2 on the debug kernel (each phase then meets
# about 2 faults on AEAD requests, 16 per block; here about 4; the device fails
# every 257th request, not at random, so fewer blocks still meet faults).
if slow_kernel; then BLOCKS=32; else BLOCKS=64; fi
head -c 64 /dev/urandom >/tmp/dm.key
# shellcheck disable=SC2086
check dmf-mapping-open cryptsetup -q open --type plain --cipher aes-xts-plain64 --key-size 512 \
    --key-file /tmp/dm.key /dev/ram1 dmf
head -c $((BLOCKS << 16)) /dev/urandom >/tmp/dmf.a
# A 64 KiB block is 128 sectors of 512 bytes, one xts request each.
served dmf-write-without-faults-on-device xts-aes-virtio-rs $((BLOCKS * 128)) \
    dd if=/tmp/dmf.a of=/dev/mapper/dmf bs=64k oflag=direct
# /tmp/dmf.expect holds what each block must read back as.
cp /tmp/dmf.a /tmp/dmf.expect

# The mapping that write_blocks and read_blocks use.
MAP=/dev/mapper/dmf
block() { dd if="$1" bs=64k skip="$2" count=1 2>/dev/null; }
# write_blocks FILE: writes FILE block by block; a block whose write succeeded
# becomes its expected content. Prints the number of failed writes.
write_blocks() {
    local i=0 failed=0
    while [ $i -lt "$BLOCKS" ]; do
        if dd if="$1" of=$MAP bs=64k skip=$i seek=$i count=1 oflag=direct 2>/dev/null; then
            dd if="$1" of=/tmp/dmf.expect bs=64k skip=$i seek=$i count=1 conv=notrunc 2>/dev/null
        else
            failed=$((failed + 1))
            echo $i >>/tmp/dmf.unknown
        fi
        i=$((i + 1))
    done
    echo $failed
}
# read_blocks: reads every block; prints "FAILED WRONG": reads that failed, and
# reads that succeeded with other data than expected (blocks whose write
# failed have no expected content and are skipped).
read_blocks() {
    local i=0 failed=0 wrong=0
    while [ $i -lt "$BLOCKS" ]; do
        if grep -qx $i /tmp/dmf.unknown 2>/dev/null; then
            i=$((i + 1))
            continue
        fi
        if dd if=$MAP of=/tmp/dmf.got bs=64k skip=$i count=1 iflag=direct 2>/dev/null; then
            block /tmp/dmf.expect $i | cmp -s - /tmp/dmf.got || wrong=$((wrong + 1))
        else
            failed=$((failed + 1))
        fi
        i=$((i + 1))
    done
    echo "$failed $wrong"
}
rm -f /tmp/dmf.unknown

fail_count() { sed -n 's/^errors //p' $dbg/stats; }
# with_faults PFX ENCRYPT DECRYPT DRIVER PER_BLOCK: on the mapping MAP, whose blocks hold
# /tmp/dmf.expect, one ENCRYPT request in 257 fails (status ERR) while
# /tmp/dmf.b is written block by block, then one DECRYPT request in 257 while
# every block is read: failures reach dd, every block whose write succeeded
# reads back intact, no read is wrong, and all is intact once faults stop.
# Every phase's requests (PER_BLOCK per block, of our DRIVER) go to the
# device, the failed ones too: none runs in software.
# Sets INJECTED_W WRITE_FAILED INJECTED_R READ_FAILED READ_WRONG.
with_faults() {
    local pfx="$1" errors_before failed wrong drv="$4" per="$5" c0 nread unknown
    errors_before=$(fail_count)
    c0=$(alg_snapshot)
    echo "$2" >$dbg/fail_opcode
    echo 1 >$dbg/fail_status # VIRTIO_CRYPTO_ERR
    echo 257 >$dbg/fail_every
    WRITE_FAILED=$(write_blocks /tmp/dmf.b)
    echo 0 >$dbg/fail_every
    INJECTED_W=$(($(fail_count) - errors_before))
    alg_expect "$pfx-write-faults-on-device" "$drv" $((BLOCKS * per)) "$c0"
    # Blocks whose write failed are not read again (their content is unknown).
    unknown=0
    [ ! -f /tmp/dmf.unknown ] || unknown=$(wc -l </tmp/dmf.unknown)
    nread=$((BLOCKS - unknown))
    c0=$(alg_snapshot)
    check "$pfx-write-faults-injected" test "$INJECTED_W" -gt 0
    check "$pfx-write-faults-reach-dd" test "$WRITE_FAILED" -gt 0
    read -r failed wrong <<EOF
$(read_blocks)
EOF
    expect_eq "$pfx-after-write-faults-reads-succeed" "$failed" 0
    expect_eq "$pfx-after-write-faults-written-blocks-intact" "$wrong" 0
    alg_expect "$pfx-after-write-faults-reads-on-device" "$drv" $((nread * per)) "$c0"

    errors_before=$(fail_count)
    c0=$(alg_snapshot)
    echo "$3" >$dbg/fail_opcode
    echo 257 >$dbg/fail_every
    read -r READ_FAILED READ_WRONG <<EOF
$(read_blocks)
EOF
    echo 0 >$dbg/fail_every
    INJECTED_R=$(($(fail_count) - errors_before))
    alg_expect "$pfx-read-faults-on-device" "$drv" $((nread * per)) "$c0"
    echo "-- t-78: $pfx: writes: $WRITE_FAILED of $BLOCKS blocks failed, $INJECTED_W requests failed by the device; reads: $READ_FAILED blocks failed, $READ_WRONG wrong, $INJECTED_R requests failed"
    check "$pfx-read-faults-injected" test "$INJECTED_R" -gt 0
    check "$pfx-read-faults-reach-dd" test "$READ_FAILED" -gt 0
    expect_eq "$pfx-read-faults-no-wrong-data" "$READ_WRONG" 0
    read -r failed wrong <<EOF
$(read_blocks)
EOF
    expect_eq "$pfx-after-read-faults-all-intact" "$failed $wrong" "0 0"
}

# dm-crypt's cipher requests: VIRTIO_CRYPTO_CIPHER_ENCRYPT and _DECRYPT.
head -c $((BLOCKS << 16)) /dev/urandom >/tmp/dmf.b
with_faults dmf 0 1 xts-aes-virtio-rs 128
crypt_counts="write_faults=$INJECTED_W write_errors=$WRITE_FAILED read_faults=$INJECTED_R read_errors=$READ_FAILED wrong=$READ_WRONG"

# The authenticated mapping (t-68's LUKS2 aes-gcm-random over dm-integrity):
# its AEAD requests, VIRTIO_CRYPTO_AEAD_ENCRYPT and _DECRYPT.
dd if=/dev/zero of=/tmp/dmf.img bs=1M count=40 2>/dev/null
loop=$(losetup -f)
check dmfi-loop-setup losetup "$loop" /tmp/dmf.img
# No wipe of the integrity area: only blocks written first are ever read.
check dmfi-luks2-aead-format cryptsetup luksFormat -q --type luks2 --cipher aes-gcm-random --integrity aead \
    --integrity-no-wipe --sector-size 4096 --pbkdf pbkdf2 --pbkdf-force-iterations 1000 \
    --key-file /tmp/dm.key "$loop"
check dmfi-open cryptsetup open --key-file /tmp/dm.key "$loop" dmfi
check dmfi-uses-our-gcm test "$(proc_crypto_field gcm-aes-virtio-rs refcnt)" -gt 1
MAP=/dev/mapper/dmfi
# 4 KiB sectors: 16 gcm(aes) requests per 64 KiB block, all on the device.
served dmfi-write-without-faults-on-device gcm-aes-virtio-rs $((BLOCKS * 16)) \
    dd if=/tmp/dmf.a of=$MAP bs=64k oflag=direct
# What the dm-crypt mapping's blocks hold is kept for later.
cp /tmp/dmf.expect /tmp/dmf.crypt-expect
mv /tmp/dmf.unknown /tmp/dmf.crypt-unknown 2>/dev/null
cp /tmp/dmf.a /tmp/dmf.expect
# 4 KiB sectors: 16 gcm(aes) requests per block.
with_faults dmfi 768 769 gcm-aes-virtio-rs 16
echo "VCRS-RELIABILITY dm-integrity-aead-faults blocks=$BLOCKS write_faults=$INJECTED_W write_errors=$WRITE_FAILED read_faults=$INJECTED_R read_errors=$READ_FAILED wrong=$READ_WRONG"
check dmfi-close cryptsetup close dmfi
losetup -d "$loop"
rm -f /tmp/dmf.img
# Back to the dm-crypt mapping and what its blocks hold.
MAP=/dev/mapper/dmf
cp /tmp/dmf.crypt-expect /tmp/dmf.expect
rm -f /tmp/dmf.unknown
mv /tmp/dmf.crypt-unknown /tmp/dmf.unknown 2>/dev/null

# Lost requests: the device takes one write request in 50 and never answers;
# the writes wait until the device is removed, then run in software.
log_mark t-78-lost
head -c $((BLOCKS << 16)) /dev/urandom >/tmp/dmf.c
lost_before=$(sed -n 's/^lost //p' $dbg/stats)
lost0=$(alg_snapshot)
echo 50 >$dbg/lose_every
dd if=/tmp/dmf.c of=/dev/mapper/dmf bs=64k oflag=direct 2>/tmp/dmf.dd &
writer=$!
sleep 3
lost=$(($(sed -n 's/^lost //p' $dbg/stats) - lost_before))
check dmf-requests-lost test "$lost" -gt 0
check dmf-writer-waits kill -0 $writer
check dmf-dev-del-with-lost-requests vdpa dev del dmf0
wait $writer
check dmf-lost-writes-succeeded test $? -eq 0
# The requests the device took (the lost ones among them) count on the device,
# those after its removal in software (no device: not_ready; its sessions
# gone: no_session), no other reason; together exactly the writes' sectors.
alg_expect dmf-lost-phase-device-then-software xts-aes-virtio-rs \
    "device>=$lost busy=0 limits=0 forced=0" "$lost0"
lost_total() {
    local d0 s0
    d0=$(echo "$lost0" | awk '$1 == "xts-aes-virtio-rs" { for (i = 3; i < NF; i += 2) if ($i == "device") print $(i + 1) }')
    s0=$(echo "$lost0" | awk '$1 == "xts-aes-virtio-rs" { for (i = 3; i < NF; i += 2) if ($i == "software") print $(i + 1) }')
    echo $(($(alg_count xts-aes-virtio-rs device) - d0 + $(alg_count xts-aes-virtio-rs software) - s0))
}
expect_eq dmf-lost-phase-every-sector-once "$(lost_total)" $((BLOCKS * 128))
lost_served() { log_since t-78-lost | grep -q 'virtio_crypto_rs: virtio.*: removed ([1-9][0-9]* request(s) it had not answered served in software, 0 failed)'; }
check dmf-lost-requests-served-in-software lost_served
cp /tmp/dmf.c /tmp/dmf.expect
rm -f /tmp/dmf.unknown
read -r failed wrong <<EOF
$(read_blocks)
EOF
expect_eq dmf-after-lost-requests-all-intact "$failed $wrong" "0 0"
echo "VCRS-RELIABILITY dm-crypt-faults blocks=$BLOCKS $crypt_counts lost=$lost"
cryptsetup close dmf
# The disk holds standard ciphertext: the software implementation reads it.
check dmf-rmmod rmmod "$DRIVER_NAME"
# shellcheck disable=SC2086
check dmf-software-mapping-open cryptsetup -q open --type plain --cipher aes-xts-plain64 --key-size 512 \
    --key-file /tmp/dm.key /dev/ram1 dmf
read -r failed wrong <<EOF
$(read_blocks)
EOF
expect_eq dmf-software-reads-the-same "$failed $wrong" "0 0"
cryptsetup close dmf
sim_params_restore
rmmod vcrs_sim
rm -f /tmp/dmf.* /tmp/dm.key
