# SPDX-License-Identifier: GPL-2.0
# The Rust driver on the simulated device offering every cipher, with 1, 4 and
# 16 data queues: each mode passes a trial session and the kernel's self-tests
# (extra fuzz tests included), and AF_ALG matches software from 1 byte to
# 1 MiB, CTR tails and XTS ciphertext stealing included. Then parallel users on the 16-queue
# device: AF_ALG processes checked against software, and `openssl speed -multi`.

insmod /vcrs/modules/vcrs_sim.ko
p=/sys/module/vcrs_sim/parameters

# matches_on_device NAME DRIVER ARGS...: afalg_matches NAME DRIVER ARGS, and
# DRIVER's own count across it: up to 128 KiB one request each way (2 on the
# device, none in software); beyond (kcapi-enc, its own chunks) at least 2.
# XTS of 17..31 bytes (one block and a partial one): the encryption sends the
# whole block to the device, the decryption is all ciphertext stealing, done
# by the driver itself with the AES library and counted as software for
# "limits" (skcipher/alg.rs, plan): 1 each.
matches_on_device() {
    local before want="device=2 software=0"
    before=$(alg_snapshot)
    afalg_matches "$@"
    [ "$6" -le 131072 ] || want="device>=2 software=0"
    case "$2:$6" in xts-*:1[7-9] | xts-*:2[0-9] | xts-*:3[01]) want="device=1 software=1 limits=1" ;; esac
    alg_expect "$1-on-device" "$2" "$want" "$before"
}

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
    # The 4- and 16-queue devices register the same modes again: their
    # self-tests with 10 fuzz iterations at most (the 1-queue device's run in
    # full), and one size per mode (the 1-queue device runs every size).
    [ "$nq" = 4 ] && fuzz_iterations 10
    check "rust-sim$nq-dev-add" vdpa dev add mgmtdev vdpasim_crypto name "rs$nq"
    check "rust-sim$nq-insmod" insmod "$MOD"
    check "rust-sim$nq-queues-logged" sh -c "dmesg | grep -q 'virtio_crypto_rs: virtio.*: $nq data queue(s)'"
    echo "$MODES" | while read -r drv ref keylen ivlen sizes; do
        [ -n "$drv" ] || continue
        st=$(wait_selftest "$drv")
        expect_eq "rust-sim$nq-$drv-selftest" "$st" passed
        # shellcheck disable=SC2086 # the sizes are words
        [ "$nq" = 1 ] || sizes=$(last $sizes | awk '{ print ($1 > 131072 ? 4096 : $1) }')
        for size in $sizes; do
            matches_on_device "rust-sim$nq-$drv-$size" "$drv" "$ref" "$keylen" "$ivlen" "$size"
        done
    done
    if [ "$nq" = 16 ]; then
        # Parallel users: 6 processes, 10 AF_ALG operations each, all checked.
        parallel_user() {
            local i=0
            head -c 16 /dev/urandom >"/tmp/p$1.key"
            while [ $i -lt 10 ]; do
                head -c 8192 /dev/urandom >"/tmp/p$1.plain"
                kcapi_cipher cbc-aes-virtio-rs -e "/tmp/p$1.key" 000102030405060708090a0b0c0d0e0f "/tmp/p$1.plain" "/tmp/p$1.dev"
                kcapi_cipher "cbc(aes-generic)" -e "/tmp/p$1.key" 000102030405060708090a0b0c0d0e0f "/tmp/p$1.plain" "/tmp/p$1.sw"
                cmp -s "/tmp/p$1.dev" "/tmp/p$1.sw" || { echo mismatch >"/tmp/p$1.failed"; return; }
                i=$((i + 1))
            done
        }
        rm -f /tmp/p*.failed
        before=$(alg_snapshot) qbefore=$(dataq_snapshot)
        for u in 1 2 3 4 5 6; do parallel_user $u & done
        wait
        check rust-sim16-parallel-users-correct sh -c "! ls /tmp/p*.failed 2>/dev/null | grep -q ."
        # 6 x 10 encryptions of 8 KiB, one request each.
        alg_expect rust-sim16-parallel-users-on-device cbc-aes-virtio-rs "device=60 software=0" "$before"
        dataq_snapshot | tr '\n' ' '
        check rust-sim16-several-queues-used test "$(queues_grown "$qbefore")" -ge 2
        # openssl speed -multi through OpenSSL's afalg engine: 4 processes of
        # asynchronous AF_ALG (AIO) requests on cbc(aes), which picks our driver.
        # At least one request per process, none in software.
        served rust-sim16-openssl-speed-multi cbc-aes-virtio-rs "device>=4 software=0" \
            openssl speed -engine afalg -elapsed -seconds 1 -bytes 16384 -multi 4 -evp aes-128-cbc
    fi
    check "rust-sim$nq-rmmod" rmmod "$DRIVER_NAME"
    check "rust-sim$nq-dev-del" vdpa dev del "rs$nq"
done
echo 1 >$p/data_queues
rmmod vcrs_sim
