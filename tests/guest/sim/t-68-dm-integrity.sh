# SPDX-License-Identifier: GPL-2.0
# Authenticated disk encryption through our gcm(aes): a LUKS2 volume with
# `--cipher aes-gcm-random --integrity aead` (dm-crypt's capi:gcm(aes)-random
# over dm-integrity: one gcm(aes) request per 4 KiB sector, the tag and the
# random IV in dm-integrity's metadata) on a loop device over a 40 MiB file in
# tmpfs.
#   (a) luksFormat (which wipes the integrity area through dm-crypt, that is
#       through our AEAD) and open work, and the mapping holds
#       gcm-aes-virtio-rs (dm-crypt allocates with the mask
#       CRYPTO_ALG_ALLOCATES_MEMORY: a driver setting that flag is never used);
#   (b) the whole mapping written with random data reads back equal, every
#       sector's encryption and decryption on the device (gcm-aes-virtio-rs's
#       counters; the format's wipe and the corrupted read likewise);
#   (c) the disk holds standard data: with our module unloaded, the software
#       implementation reads the same;
#   (d) with bytes of the integrity area flipped (outside the LUKS2 header),
#       reading the mapping through our driver gives I/O errors for the
#       blocks concerned (dm-crypt logs "INTEGRITY AEAD ERROR": our decryption
#       returned EBADMSG) and never wrong data: every block either reads as
#       written or fails (dd conv=noerror,sync zero-fills it); at least one
#       fails. The volume closes cleanly.

# No software rfc4106 instance left by earlier tests (dm-crypt looks it up by name).
# The registrations' self-tests repeat what t-50, t-52 and t-56 ran in full:
# 10 fuzz iterations at most (the runner restores the setting after every
# script).
fuzz_iterations 10

drop_software_instances "$AEAD_INSTANCES"
# The AEAD service (opt-in), gcm only: fewer self-tests.
grep -q '^vcrs_sim ' /proc/modules || insmod /vcrs/modules/vcrs_sim.ko
p=/sys/module/vcrs_sim/parameters
saved_params="services=$(cat $p/services) aead=$(cat $p/aead)"
echo 15 >$p/services
echo 2 >$p/aead # 1 << VIRTIO_CRYPTO_AEAD_GCM
check dmi-sim-dev-add vdpa dev add mgmtdev vdpasim_crypto name dmi0
check dmi-insmod insmod "$MOD"
wait_registered gcm-aes-virtio-rs 90 || fail dmi-gcm-aes-virtio-rs-registered "not in /proc/crypto"
expect_eq dmi-all-selftests-passed "$(wait_our_selftests)" ""
log_mark t68-dm-integrity
t0=$(date +%s)

head -c 64 /dev/urandom >/tmp/dm.key
dd if=/dev/zero of=/tmp/dmi.img bs=1M count=40 2>/dev/null
loop=$(losetup -f)
check dmi-loop-setup losetup "$loop" /tmp/dmi.img
OPEN="--key-file /tmp/dm.key $loop dmi"

# The mapping holds our transform: gcm-aes-virtio-rs referenced beyond its own count.
held() {
    local n
    n=$(proc_crypto_field gcm-aes-virtio-rs refcnt)
    [ "${n:-0}" -gt 1 ] || {
        echo "gcm-aes-virtio-rs refcnt '$n'; gcm(aes) drivers: $(grep -A1 '^name *: gcm(aes)$' /proc/crypto | sed -n 's/^driver *: //p' | tr '\n' ' ')"
        return 1
    }
}

format0=$(alg_snapshot)
format() {
    cryptsetup luksFormat -q --type luks2 --cipher aes-gcm-random --integrity aead --sector-size 4096 \
        --pbkdf pbkdf2 --pbkdf-force-iterations 1000 --key-file /tmp/dm.key "$loop"
}
check dmi-luks2-aead-format format
echo "-- t-68: luksFormat (with the integrity wipe) took $(($(date +%s) - t0)) s"
cryptsetup luksDump "$loop" | grep -iE 'cipher|integrity|offset|sector' | head -8
# shellcheck disable=SC2086 # OPEN: several arguments
check dmi-open cryptsetup open $OPEN
check dmi-uses-our-gcm held
dmsetup table 2>/dev/null | head -3
size=$(blockdev --getsize64 /dev/mapper/dmi 2>/dev/null)
echo "mapping: ${size:-?} bytes"
check dmi-mapping-size test "${size:-0}" -ge 8388608
# The wipe wrote every 4 KiB sector of the mapping through dm-crypt: one
# gcm(aes) encryption each, all on the device.
alg_expect dmi-format-wipe-on-device gcm-aes-virtio-rs $((${size:-0} / 4096)) "$format0"

# (b) The whole mapping, written and read back.
roundtrip() {
    head -c "$size" /dev/urandom >/tmp/dmi.data &&
        dd if=/tmp/dmi.data of=/dev/mapper/dmi bs=1M 2>/dev/null && sync &&
        echo 3 >/proc/sys/vm/drop_caches &&
        dd if=/dev/mapper/dmi of=/tmp/dmi.back bs=1M 2>/dev/null &&
        cmp -s /tmp/dmi.data /tmp/dmi.back
}
# Every 4 KiB sector is one encryption and one decryption (at least), all on
# the device, none in software.
served dmi-whole-mapping-roundtrip-on-device gcm-aes-virtio-rs $((2 * ${size:-0} / 4096)) roundtrip
cat /sys/kernel/debug/virtio_crypto_rs/virtio*/status
check dmi-close cryptsetup close dmi

# (c) Standard data: the software implementation reads it.
check dmi-module-unused wait_module_unused
check dmi-rmmod rmmod "$DRIVER_NAME"
software_reads() {
    # shellcheck disable=SC2086 # OPEN: several arguments
    cryptsetup open $OPEN || return 1
    dd if=/dev/mapper/dmi of=/tmp/dmi.back bs=1M 2>/dev/null
    cryptsetup close dmi || return 1
    cmp -s /tmp/dmi.data /tmp/dmi.back
}
check dmi-software-reads-same software_reads
check dmi-insmod-again insmod "$MOD"
wait_registered gcm-aes-virtio-rs 90 || fail dmi-gcm-aes-virtio-rs-registered-again "not in /proc/crypto"
expect_eq dmi-selftests-passed-again "$(wait_our_selftests)" ""

# (d) Flip one byte at 60, 70, 80 and 90 % of the integrity area (behind the
# LUKS2 header, in the data and tag areas: dm-integrity's superblock and
# journal are at its start).
offset=$(cryptsetup luksDump "$loop" | sed -n 's/^[[:space:]]*offset: \([0-9]*\) \[bytes\].*/\1/p' | head -1)
echo "data segment offset: ${offset:-?}"
check dmi-data-offset-known test "${offset:-0}" -ge 4096
img=$(stat -c %s /tmp/dmi.img)
area=$((img - ${offset:-0}))
for pct in 60 70 80 90; do
    at=$((offset + area * pct / 100 + 1234))
    old=$(dd if=/tmp/dmi.img bs=1 skip="$at" count=1 2>/dev/null | od -An -tu1 | tr -d ' ')
    # shellcheck disable=SC2059 # the format is one \ooo escape
    printf "\\$(printf '%03o' $(((old + 1) % 256)))" |
        dd of=/tmp/dmi.img bs=1 seek="$at" count=1 conv=notrunc 2>/dev/null
done
# The loop device reads the file directly: drop what it cached.
echo 3 >/proc/sys/vm/drop_caches
# shellcheck disable=SC2086 # OPEN: several arguments
check dmi-open-corrupted cryptsetup open $OPEN
check dmi-corrupted-uses-our-gcm held
log_mark t68-corrupted
corrupt0=$(alg_snapshot)
dd if=/dev/mapper/dmi of=/tmp/dmi.back bs=4096 conv=noerror,sync 2>/tmp/dmi.dderr
echo "dd: $(grep -c 'rror' /tmp/dmi.dderr) error lines: $(head -2 /tmp/dmi.dderr | tr '\n' ' ')"
# Blocks that differ from what was written: each must be all zeros (dd's fill of a failed read).
cmp -l /tmp/dmi.data /tmp/dmi.back >/tmp/dmi.diff 2>/dev/null
bad_blocks=$(awk '{ print int(($1 - 1) / 4096) }' /tmp/dmi.diff | uniq | wc -l)
wrong_bytes=$(awk '$3 != 0' /tmp/dmi.diff | wc -l)
echo "blocks that failed: $bad_blocks; bytes read back wrong (not zero-filled): $wrong_bytes"
check dmi-corruption-detected test "$bad_blocks" -ge 1
expect_eq dmi-never-wrong-data "$wrong_bytes" 0
check dmi-read-errors-reported grep -q 'rror' /tmp/dmi.dderr
aead_error() { log_since t68-corrupted | grep -q 'INTEGRITY AEAD ERROR'; }
check dmi-aead-integrity-error-logged aead_error
# Every sector decrypted on the device (those with a flipped byte fail there:
# the device's tag check), none in software.
alg_expect dmi-corrupted-reads-on-device gcm-aes-virtio-rs $((${size:-0} / 4096)) "$corrupt0"
check dmi-close-corrupted cryptsetup close dmi
check dmi-loop-detach losetup -d "$loop"
no_warnings() { ! log_since t68-dm-integrity | grep -E 'WARNING:|BUG:|Call Trace|Oops'; }
check dmi-no-kernel-warnings no_warnings
rm -f /tmp/dmi.* /tmp/dm.key
echo "-- t-68: done after $(($(date +%s) - t0)) s"
check dmi-module-unused-at-end wait_module_unused
check dmi-rmmod-at-end rmmod "$DRIVER_NAME"
check dmi-dev-del vdpa dev del dmi0
for param in $saved_params; do echo "${param#*=}" >"$p/${param%%=*}"; done
rmmod vcrs_sim
