# dm-crypt uses the driver (its algorithms do not set CRYPTO_ALG_ALLOCATES_MEMORY):
# plain aes-xts-plain64 and aes-cbc-essiv:sha256 mappings and a LUKS2 volume on
# RAM disks; /proc/crypto shows our implementations in use; 64 MiB written and
# read back match (8 on the debug kernel, where the 64 took 10 minutes), and
# the same keys through the software implementations (our module unloaded) read
# the same data from the disks.

# The registrations' self-tests repeat what t-50, t-52 and t-56 ran in full:
# 10 fuzz iterations at most (the runner restores the setting after every
# script).
fuzz_iterations 10

insmod /vcrs/modules/vcrs_sim.ko
check dm-sim-dev-add vdpa dev add mgmtdev vdpasim_crypto name dm0
check dm-insmod insmod "$MOD"
expect_eq dm-all-selftests-passed "$(wait_our_selftests)" ""
head -c 64 /dev/urandom >/tmp/dm.key
XTS="--type plain --cipher aes-xts-plain64 --key-size 512"
ESSIV="--type plain --cipher aes-cbc-essiv:sha256 --key-size 256"
XTS_MIB=$(scaled_mib 64) ESSIV_MIB=$(scaled_mib 32) LUKS_MIB=$(scaled_mib 8)

# While a mapping is open, the transform it holds shows in the refcount.
xts_held() { [ "$(proc_crypto_field xts-aes-virtio-rs refcnt)" -gt 1 ]; }
# shellcheck disable=SC2086
check dm-xts-uses-our-driver while_mapped dmx /dev/ram0 xts_held $XTS
# shellcheck disable=SC2086
check dm-xts-${XTS_MIB}MiB-roundtrip dm_crypt_roundtrip dmx /dev/ram0 $XTS_MIB /tmp/dmx.data $XTS
check dm-xts-device-saw-requests sh -c "grep -q '^dataq0_requests [1-9]' /sys/kernel/debug/vcrs_sim/dm0/stats"

essiv_on_ours() { grep -q 'essiv(cbc-aes-virtio-rs,' /proc/crypto; }
# shellcheck disable=SC2086
check dm-essiv-uses-our-driver while_mapped dme /dev/ram1 essiv_on_ours $ESSIV
# shellcheck disable=SC2086
check dm-essiv-${ESSIV_MIB}MiB-roundtrip dm_crypt_roundtrip dme /dev/ram1 $ESSIV_MIB /tmp/dme.data $ESSIV

# LUKS2 (its key slots go through AF_ALG, its data through dm-crypt).
luks() {
    cryptsetup luksFormat -q --type luks2 --pbkdf pbkdf2 --pbkdf-force-iterations 1000 \
        --cipher aes-xts-plain64 --key-size 512 --key-file /tmp/dm.key /dev/ram2 &&
        cryptsetup open --key-file /tmp/dm.key /dev/ram2 dml &&
        head -c $((LUKS_MIB << 20)) /dev/urandom >/tmp/luks.data &&
        dd if=/tmp/luks.data of=/dev/mapper/dml bs=1M 2>/dev/null && sync &&
        echo 3 >/proc/sys/vm/drop_caches &&
        dd if=/dev/mapper/dml of=/tmp/luks.back bs=1M count=$LUKS_MIB 2>/dev/null &&
        cryptsetup close dml && cmp -s /tmp/luks.data /tmp/luks.back
}
check dm-luks2-roundtrip luks

# The disks hold standard ciphertext: the software implementations read them.
check dm-rmmod rmmod "$DRIVER_NAME"
# shellcheck disable=SC2086
check dm-xts-software-reads-same dm_crypt_reads_back dmx /dev/ram0 $XTS_MIB /tmp/dmx.data $XTS
# shellcheck disable=SC2086
check dm-essiv-software-reads-same dm_crypt_reads_back dme /dev/ram1 $ESSIV_MIB /tmp/dme.data $ESSIV
rm -f /tmp/dmx.data /tmp/dme.data /tmp/dm.back /tmp/luks.data /tmp/luks.back
check dm-vdpa-dev-del vdpa dev del dm0
rmmod vcrs_sim
