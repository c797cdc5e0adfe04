# The Rust driver on the simulated device offering every cipher, with 1, 4 and
# 16 data queues: each mode passes a trial session and the kernel's self-tests
# (extra fuzz tests included), and AF_ALG matches software from 1 byte to
# 1 MiB, CTR tails and XTS ciphertext stealing included. Then parallel users on the 16-queue
# device: AF_ALG processes checked against software, and `openssl speed -multi`.

insmod /vcrs/modules/vcrs_sim.ko
p=/sys/module/vcrs_sim/parameters

# driver name, reference, key length, IV length, sizes
MODES="
ecb-aes-virtio-rs ecb(aes-generic) 32 0 16 4096 1048576
cbc-aes-virtio-rs cbc(aes-generic) 16 16 16 65536 1048576
ctr-aes-virtio-rs ctr(aes-generic) 24 16 1 15 17 4095 65536 1048573
xts-aes-virtio-rs xts(ecb(aes-generic)) 32 16 16 17 31 47 4096 65541 1048576
ecb-des3-virtio-rs ecb(des3_ede-generic) 24 0 8 4096
cbc-des3-virtio-rs cbc(des3_ede-generic) 24 8 8 65536
ctr-des3-virtio-rs ctr(des3_ede-generic) 24 8 1 7 9 4097
"

for nq in 1 4 16; do
    echo "$nq" >$p/data_queues
    check "rust-sim$nq-dev-add" vdpa dev add mgmtdev vdpasim_crypto name "rs$nq"
    check "rust-sim$nq-insmod" insmod "$MOD"
    check "rust-sim$nq-queues-logged" sh -c "dmesg | grep -q 'virtio_crypto_rs: virtio.*: $nq data queue(s)'"
    echo "$MODES" | while read -r drv ref keylen ivlen sizes; do
        [ -n "$drv" ] || continue
        st=$(wait_selftest "$drv")
        expect_eq "rust-sim$nq-$drv-selftest" "$st" passed
        for size in $sizes; do
            afalg_matches "rust-sim$nq-$drv-$size" "$drv" "$ref" "$keylen" "$ivlen" "$size"
        done
    done
    if [ "$nq" = 16 ]; then
        # Parallel users: 6 processes, 10 AF_ALG operations each, all checked.
        parallel_user() {
            local i=0
            head -c 16 /dev/urandom >/tmp/p$1.key
            while [ $i -lt 10 ]; do
                head -c 8192 /dev/urandom >/tmp/p$1.plain
                kcapi_cipher cbc-aes-virtio-rs -e /tmp/p$1.key 000102030405060708090a0b0c0d0e0f /tmp/p$1.plain /tmp/p$1.dev
                kcapi_cipher "cbc(aes-generic)" -e /tmp/p$1.key 000102030405060708090a0b0c0d0e0f /tmp/p$1.plain /tmp/p$1.sw
                cmp -s /tmp/p$1.dev /tmp/p$1.sw || { echo mismatch >/tmp/p$1.failed; return; }
                i=$((i + 1))
            done
        }
        rm -f /tmp/p*.failed
        for u in 1 2 3 4 5 6; do parallel_user $u & done
        wait
        check rust-sim16-parallel-users-correct sh -c "! ls /tmp/p*.failed 2>/dev/null | grep -q ."
        stats=/sys/kernel/debug/vcrs_sim/rs16/stats
        used=$(grep -c '^dataq[0-9]*_requests [1-9]' "$stats")
        grep '^dataq' "$stats" | tr '\n' ' '
        check rust-sim16-several-queues-used test "$used" -ge 2
        # openssl speed -multi through OpenSSL's afalg engine: 4 processes of
        # asynchronous AF_ALG (AIO) requests on cbc(aes), which picks our driver.
        before=$(our_requests)
        check rust-sim16-openssl-speed-multi openssl speed -engine afalg -elapsed -seconds 1 -bytes 16384 -multi 4 -evp aes-128-cbc
        check rust-sim16-openssl-speed-used-our-driver test "$(our_requests)" -gt "$before"
    fi
    check "rust-sim$nq-rmmod" rmmod "$DRIVER_NAME"
    check "rust-sim$nq-dev-del" vdpa dev del "rs$nq"
done
echo 1 >$p/data_queues
rmmod vcrs_sim
