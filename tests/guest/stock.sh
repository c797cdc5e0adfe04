# SPDX-License-Identifier: GPL-2.0
# The stock kernel's guest (vcrs.mode=stock, scripts/stock-guest.sh): the module
# on a distribution's unmodified kernel with QEMU's virtio-crypto device. Loads
# it, waits for the self-tests of every algorithm it registers, then runs
# dm-crypt with cbc(aes) by its generic name (on 7.2 and later AF_ALG never
# reaches an asynchronous driver: in-kernel users only) and reads the driver's
# counters: the requests must have been served by the device, none in software.
# The data is then read back with the kernel's own software cbc(aes). Last, the
# modes QEMU serves without advertising them (probe_unadvertised=1) and their
# self-tests.
# shellcheck source=lib.sh # the guest has this folder as /vcrs/tests
. /vcrs/tests/lib.sh

dmesg -n 1
echo "== kernel $(uname -r): $(cat /proc/version)"
echo "== taint before loading: $(cat /proc/sys/kernel/tainted)"
log_mark stock-load
# insmod resolves no dependencies: what modinfo names, from the distribution.
for dep in $(modinfo -F depends "$MOD" | tr ',' ' '); do
    modprobe "$dep" || fail stock-deps "modprobe $dep failed"
done
if insmod "$MOD"; then
    pass stock-insmod
else
    fail stock-insmod "insmod failed: $(log_since stock-load | tail -3 | tr '\n' ' ')"
    exit 0
fi
echo "== taint after loading: $(cat /proc/sys/kernel/tainted)"
bad=$(wait_our_selftests)
if [ -z "$bad" ]; then pass stock-selftests; else fail stock-selftests "not passed: $bad"; fi
expect_eq stock-cbc-aes-selftest "$(proc_crypto_field cbc-aes-virtio-rs selftest)" passed

echo
echo "== the kernel log since insmod"
log_since stock-load | grep -v 'vcrs-mark' | sed 's/^/   /'

echo
echo "== algorithms registered by $DRIVER_NAME"
show_registered
echo "== cbc(aes): the kernel picks $(picked 'cbc(aes)')"
expect_eq stock-cbc-aes-picked "$(picked 'cbc(aes)')" cbc-aes-virtio-rs

# dm-crypt on a 2 MiB mapping of a RAM disk: one request per 512-byte sector,
# 4096 to write and 4096 to read back (the page cache is dropped before).
echo
echo "== dm-crypt, capi:cbc(aes)-plain64 on /dev/ram0 (2 MiB write + read)"
if ! { modprobe brd rd_nr=1 rd_size=8192 && modprobe dm-crypt; }; then
    fail stock-dm-modules "modprobe brd dm-crypt failed"
fi
head -c 32 /dev/urandom >/tmp/dm.key
before=$(alg_snapshot)
echo "   before: $(grep '^cbc-aes-virtio-rs ' "$ALGS_FILE")"
check stock-dm-crypt-roundtrip dm_crypt_roundtrip stock /dev/ram0 2 /tmp/dm.data \
    --type plain --cipher 'capi:cbc(aes)-plain64' --key-size 256 --size 4096
echo "   after:  $(grep '^cbc-aes-virtio-rs ' "$ALGS_FILE")"
echo "   device +$(alg_grew cbc-aes-virtio-rs device "$before"), software +$(alg_grew cbc-aes-virtio-rs software "$before")"
alg_expect stock-dm-crypt-device cbc-aes-virtio-rs "device>=8192 software=0" "$before"
check stock-dm-crypt-software-reads-back dm_crypt_reads_back stock /dev/ram0 2 /tmp/dm.data \
    --type plain --cipher 'capi:cbc-aes-lib-plain64' --key-size 256 --size 4096
for f in /sys/kernel/debug/virtio_crypto_rs/virtio*/status; do
    echo "== $f"
    sed 's/^/   /' "$f"
done

echo
echo "== rmmod"
log_mark stock-unload
check stock-rmmod rmmod "$DRIVER_NAME"
log_since stock-unload | grep -v 'vcrs-mark' | sed 's/^/   /'
# QEMU's builtin backend also serves ECB, CTR and XTS of AES and 3DES without
# advertising them: with probe_unadvertised=1 the driver registers those too,
# and the kernel's self-tests run on each (XTS's with ciphertext stealing,
# whose odd blocks the driver computes with the kernel's AES library).
echo
echo "== insmod probe_unadvertised=1"
log_mark stock-unadvertised
if insmod "$MOD" probe_unadvertised=1; then
    bad=$(wait_our_selftests)
    if [ -z "$bad" ]; then pass stock-unadvertised-selftests; else fail stock-unadvertised-selftests "not passed: $bad"; fi
    printf '   %-44s %-36s %8s  %s\n' driver name priority self-test
    awk '$3 == "registered" && $4 == 1 { print $1, $2 }' "$ALGS_FILE" | while read -r drv name; do
        printf '   %-44s %-36s %8s  %s\n' "$drv" "$name" "$(proc_crypto_field "$drv" priority)" \
            "$(proc_crypto_field "$drv" selftest)"
    done
    check stock-unadvertised-rmmod rmmod "$DRIVER_NAME"
else
    fail stock-unadvertised-insmod "insmod probe_unadvertised=1 failed"
fi
log_since stock-unadvertised | grep -v 'vcrs-mark' | grep -v ': registered .* as ' | sed 's/^/   /'

# The simulated device (tests/simdev on vdpa_sim; scripts/stock-guest.sh builds
# vdpa_sim, and vringh, from the distribution's source when it has none): every
# service, so every family's algorithms register and run the self-tests here:
# ahash (with CRYPTO_ALG_REQ_VIRT on 7.x), aead.
if [ -f /vcrs/modules/vcrs_sim.ko ]; then
    echo
    echo "== the simulated device"
    log_mark stock-sim
    load_vdpa_sim && modprobe virtio_vdpa && insmod /vcrs/modules/vcrs_sim.ko services=15 chaining=1 &&
        vdpa dev add mgmtdev vdpasim_crypto name sim0
    check stock-sim-device test -d /sys/bus/vdpa/devices/sim0
    check stock-sim-insmod insmod "$MOD"
    bad=$(wait_our_selftests)
    if [ -z "$bad" ]; then pass stock-sim-selftests; else fail stock-sim-selftests "not passed: $bad"; fi
    printf '   %-44s %-36s %8s  %-9s %s\n' driver name priority self-test "device requests (self-tests)"
    awk '$3 == "registered" && $4 == 1 { print $1, $2 }' "$ALGS_FILE" | while read -r drv name; do
        printf '   %-44s %-36s %8s  %-9s %s\n' "$drv" "$name" "$(proc_crypto_field "$drv" priority)" \
            "$(proc_crypto_field "$drv" selftest)" "$(alg_count "$drv" device)"
    done
    echo "   flags of sha256-virtio-rs: $(proc_crypto_field sha256-virtio-rs async) async"
    check stock-sim-rmmod rmmod "$DRIVER_NAME"
    log_since stock-sim | grep -v 'vcrs-mark' | grep -v ': registered .* as ' | sed 's/^/   /'
fi

echo "VCRS-KERNEL-LOG-BEGIN"
dmesg
echo "VCRS-KERNEL-LOG-END"
