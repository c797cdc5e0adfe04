# SPDX-License-Identifier: GPL-2.0
# dm-crypt uses the driver (its algorithms do not set CRYPTO_ALG_ALLOCATES_MEMORY):
# plain aes-xts-plain64 and aes-cbc-essiv:sha256 mappings and a LUKS2 volume on
# RAM disks; /proc/crypto shows our implementations in use; 64 MiB written and
# read back match (8 on the debug kernel, where the 64 took 10 minutes), and
# the same keys through the software implementations (our module unloaded) read
# the same data from the disks.
#
# Now 8, 4 and 4 MiB (1 on the debug kernel; were 64, 32 and 8: more of the
# same sectors, no more paths), and every roundtrip proves its requests went to
# the device (the driver's counters: dm-crypt sends one request per 512-byte
# sector each way, none in software).

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
XTS_MIB=$(scaled_mib 8) ESSIV_MIB=$(scaled_mib 4) LUKS_MIB=$(scaled_mib 4)
# sectors MIB: the 512-byte sectors of MIB MiB.
sectors() { echo $(($1 * 2048)); }

# While a mapping is open, the transform it holds shows in the refcount.
xts_held() { [ "$(proc_crypto_field xts-aes-virtio-rs refcnt)" -gt 1 ]; }
# shellcheck disable=SC2086
check dm-xts-uses-our-driver while_mapped dmx /dev/ram0 xts_held $XTS
# shellcheck disable=SC2086
# Every sector written, then read back: one xts request each way, all on the device.
served dm-xts-${XTS_MIB}MiB-roundtrip-on-device xts-aes-virtio-rs $((2 * $(sectors $XTS_MIB))) \
    dm_crypt_roundtrip dmx /dev/ram0 $XTS_MIB /tmp/dmx.data $XTS

essiv_on_ours() { grep -q 'essiv(cbc-aes-virtio-rs,' /proc/crypto; }
# shellcheck disable=SC2086
check dm-essiv-uses-our-driver while_mapped dme /dev/ram1 essiv_on_ours $ESSIV
# shellcheck disable=SC2086
# essiv(cbc(aes),sha256) over ours: one cbc-aes-virtio-rs request per sector each way.
served dm-essiv-${ESSIV_MIB}MiB-roundtrip-on-device cbc-aes-virtio-rs $((2 * $(sectors $ESSIV_MIB))) \
    dm_crypt_roundtrip dme /dev/ram1 $ESSIV_MIB /tmp/dme.data $ESSIV

# LUKS2 (its key slots go through AF_ALG, its data through dm-crypt).
luks() {
    cryptsetup luksFormat -q --type luks2 --pbkdf pbkdf2 --pbkdf-force-iterations 1000 \
        --cipher aes-xts-plain64 --key-size 512 --key-file /tmp/dm.key /dev/ram2 &&
        cryptsetup open --key-file /tmp/dm.key /dev/ram2 dml &&
        head -c $((LUKS_MIB << 20)) /dev/urandom >/tmp/luks.data &&
        dd if=/tmp/luks.data of=/dev/mapper/dml bs=1M 2>/dev/null && sync &&
        echo 3 >/proc/sys/vm/drop_caches &&
        dd if=/dev/mapper/dml of=/tmp/luks.back bs=1M count="$LUKS_MIB" 2>/dev/null &&
        cryptsetup close dml && cmp -s /tmp/luks.data /tmp/luks.back
}
# LUKS2 may pick 4096-byte sectors: at least one xts request per 4 KiB each way
# (the key slot's AF_ALG requests come on top).
served dm-luks2-roundtrip-on-device xts-aes-virtio-rs $((2 * LUKS_MIB * 256)) luks

# The disks hold standard ciphertext: the software implementations read them.
check dm-rmmod rmmod "$DRIVER_NAME"
# shellcheck disable=SC2086
check dm-xts-software-reads-same dm_crypt_reads_back dmx /dev/ram0 $XTS_MIB /tmp/dmx.data $XTS
# shellcheck disable=SC2086
check dm-essiv-software-reads-same dm_crypt_reads_back dme /dev/ram1 $ESSIV_MIB /tmp/dme.data $ESSIV
rm -f /tmp/dmx.data /tmp/dme.data /tmp/dm.back /tmp/luks.data /tmp/luks.back
check dm-vdpa-dev-del vdpa dev del dm0
rmmod vcrs_sim
