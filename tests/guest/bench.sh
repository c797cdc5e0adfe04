# The guest half of scripts/bench.sh: AES-128-CBC encryption throughput through
# AF_ALG with the in-tree C driver and with ours, one after the other on the
# same QEMU device, plus the generic software code for reference; then dm-crypt
# writes through our driver and through software (dm-crypt never picks the C
# driver). Prints "VCRS-BENCH WHAT SIZE PROCS OPS MB/s" lines.
. /vcrs/tests/lib.sh

SECONDS_EACH=3
afalg_series() {
    local label=$1 drv=$2 size procs r
    for size in 512 4096 65536; do
        for procs in 1 2 4; do
            r=$(afalg_bench "$drv" 16 16 "$size" "$SECONDS_EACH" "$procs") || r="failed 0"
            echo "VCRS-BENCH $label $size $procs $r"
        done
    done
}

modprobe virtio_crypto
[ "$(wait_selftest virtio_crypto_aes_cbc)" = passed ] && afalg_series c-driver virtio_crypto_aes_cbc
rmmod virtio_crypto

insmod "$MOD"
[ "$(wait_selftest cbc-aes-virtio-rs)" = passed ] && afalg_series rust-driver cbc-aes-virtio-rs
afalg_series software "cbc(aes-generic)"

# dm-crypt: 32 MiB written with O_DIRECT, aes-cbc-essiv:sha256, 1 MiB blocks.
head -c 32 /dev/urandom >/tmp/dm.key
dm_write_mbs() {
    local start end
    cryptsetup -q open --type plain --cipher aes-cbc-essiv:sha256 --key-size 256 \
        --key-file /tmp/dm.key /dev/ram0 bench || return 1
    start=$(cut -d' ' -f1 /proc/uptime)
    dd if=/dev/zero of=/dev/mapper/bench bs=1M count=32 oflag=direct 2>/dev/null
    end=$(cut -d' ' -f1 /proc/uptime)
    cryptsetup close bench
    awk -v s="$start" -v e="$end" 'BEGIN { printf "32 %.2f\n", (e > s) ? 33.554432 / (e - s) : 0 }'
}
echo "VCRS-BENCH dm-crypt-rust-driver 1048576 1 $(dm_write_mbs || echo failed 0)"
rmmod "$DRIVER_NAME"
echo "VCRS-BENCH dm-crypt-software 1048576 1 $(dm_write_mbs || echo failed 0)"
