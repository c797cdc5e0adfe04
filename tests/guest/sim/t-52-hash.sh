# SPDX-License-Identifier: GPL-2.0
# The driver's hashes and MACs (ahash) on the simulated device offering every
# hash and MAC, with 1 and with 4 data queues, and on a device with a small
# max_auth_key_len (16) offering only MACs:
#   (a) each passes the kernel's self-tests (extra fuzz tests included);
#   (b) AF_ALG digests through it (afalg_hash, afalg_hash_parts, kcapi-dgst)
#       equal the generic implementation's, for empty to 1 MiB messages sent
#       in one piece and in parts (three, many small ones, across 4 KiB,
#       finalized by the last part, an empty send or the read, continued on
#       clones of the operation), hmac keys from 0 bytes to longer than the
#       block size, cmac/xcbc keys of 16, 24 and 32 bytes; invalid cmac/xcbc
#       key lengths give the generic code's errno;
#   (c) the debugfs counters show the device computing one-shot digests and
#       short multi-part messages, and software computing a 1 MiB one.
# The sim's module parameters are read when a device is added; they are set
# back to what they were at the end.

grep -q '^vcrs_sim ' /proc/modules || insmod /vcrs/modules/vcrs_sim.ko
p=/sys/module/vcrs_sim/parameters
saved_params=""
for param in data_queues services max_auth_key_len; do
    saved_params="$saved_params $param=$(cat $p/$param)"
done

# Software requests only for "limits" (messages beyond the request buffer,
# exported states, keys the device refuses); none for any other reason.
SWOK="not_ready=0 no_session=0 busy=0 forced=0"

# cra_name, our driver, the generic reference, block size (the rate of SHA-3), key kind
ALGS="
md5 md5-virtio-rs md5-generic 64 -
sha1 sha1-virtio-rs sha1-generic 64 -
sha224 sha224-virtio-rs sha224-generic 64 -
sha256 sha256-virtio-rs sha256-generic 64 -
sha384 sha384-virtio-rs sha384-generic 128 -
sha512 sha512-virtio-rs sha512-generic 128 -
sha3-224 sha3-224-virtio-rs sha3-224-generic 144 -
sha3-256 sha3-256-virtio-rs sha3-256-generic 136 -
sha3-384 sha3-384-virtio-rs sha3-384-generic 104 -
sha3-512 sha3-512-virtio-rs sha3-512-generic 72 -
hmac(md5) hmac-md5-virtio-rs hmac(md5-generic) 64 hmac
hmac(sha1) hmac-sha1-virtio-rs hmac(sha1-generic) 64 hmac
hmac(sha224) hmac-sha224-virtio-rs hmac(sha224-generic) 64 hmac
hmac(sha256) hmac-sha256-virtio-rs hmac(sha256-generic) 64 hmac
hmac(sha384) hmac-sha384-virtio-rs hmac(sha384-generic) 128 hmac
hmac(sha512) hmac-sha512-virtio-rs hmac(sha512-generic) 128 hmac
cmac(aes) cmac-aes-virtio-rs cmac(aes-generic) 16 aes
xcbc(aes) xcbc-aes-virtio-rs xcbc(aes-generic) 16 aes
"

# check_registered PREFIX FILTER: our drivers of the ALGS lines matching FILTER
# (a grep pattern) are registered and passed their self-tests (the first gets
# 60 s, the others 5 s each).
check_registered() {
    echo "$ALGS" | grep -e "$2" | awk '{ print $2 }' | drivers_registered "$1" 60 5
}

# hash_keys KIND BS: the key lengths tried for each kind of key.
hash_keys() {
    case "$1" in
    hmac) echo "0 1 20 $(($2 - 1)) $2 $(($2 + 1)) $((2 * $2 + 7))" ;;
    aes) echo "24 32" ;;
    esac
}

# missing PREFIX OURS: true (after a verdict saying so) if our driver OURS is
# not registered: its cases are skipped (each would only fail, and slowly:
# binding an unknown name makes the kernel try to load a module for it).
missing() {
    [ -n "$(proc_crypto_field "$2" driver)" ] && return 1
    fail "$1-$2-cases" "$2 is not registered: its cases were skipped"
}

# key_of LENGTH: a random key of LENGTH bytes in hex, "" for 0 bytes.
key_of() { [ "$1" -gt 0 ] && hex "$1"; }

# hash_matrix PREFIX VARIANTS FULL: every algorithm of ALGS: sizes 0, 1, block
# size - 1, block size, + 1, 4096, 4097 (the end of a short multi-part message)
# and 65536 with a 32-byte hmac key and a 16-byte AES key, in VARIANTS (see
# hash_matches); with FULL=1 also every key length of hash_keys with 0 and
# block size + 1 bytes, and invalid cmac/xcbc key lengths.
hash_matrix() {
    local pfx=$1 variants=$2 full=$3
    echo "$ALGS" | while read -r _ ours ref bs kind; do
        [ -n "$ours" ] || continue
        missing "$pfx" "$ours" && continue
        drv=$ours
        case "$kind" in
        -) key=- ;;
        hmac) key=$(hex 32) ;;
        aes) key=$(hex 16) ;;
        esac
        before=$(alg_snapshot)
        for size in 0 1 $((bs - 1)) $bs $((bs + 1)) 4096 4097 65536; do
            hash_matches "$pfx-$ours-${size}B" "$drv" "$ref" "$key" "$size" "$variants"
        done
        # At least the one-shot digests of the 7 sizes up to 4097 bytes and the
        # three-part ones within the request buffer (ahash/algos.rs: a hash
        # buffers 4096 + 256 bytes, all 7 sizes: 14; a MAC 2048 bytes, the 5
        # sizes up to block size + 1: 12; the rest in software, "limits").
        min=14
        [ "$kind" = - ] || min=12
        alg_expect "$pfx-$ours-sizes-used-device" "$ours" "device>=$min $SWOK" "$before"
        [ "$full" = 1 ] || continue
        for klen in $(hash_keys "$kind" "$bs"); do
            key=$(key_of "$klen")
            for size in 0 $((bs + 1)); do
                hash_matches "$pfx-$ours-key${klen}-${size}B" "$drv" "$ref" "$key" "$size" "$variants"
            done
        done
        if [ "$kind" = aes ]; then
            for klen in 0 1 15 17 23 33 64; do
                key=$(key_of "$klen")
                expect_eq "$pfx-$ours-bad-key$klen-errno" "$(hash_error "$drv" "$key" 0 </dev/null)" \
                    "$(hash_error "$ref" "$key" 0 </dev/null)"
            done
        fi
    done
}

# Variants of hash_matches: all on the 1-queue device; on the debug kernel
# (about 3 times slower) the main paths only: one-shot, parts, final() on an
# empty send, export/import.
if slow_kernel; then
    V1="oneshot split3 zerofinal clone" V4="oneshot split3" VMK="oneshot split3"
else
    V1="oneshot split3 small cross4k readfinal zerofinal clone kcapi"
    V4="oneshot split3" VMK="oneshot split3 kcapi"
fi
t0=$(date +%s)
for nq in 1 4; do
    pfx=hash-sim$nq
    echo "$nq" >$p/data_queues
    # The 4-queue device registers the same algorithms again: its self-tests
    # with 10 fuzz iterations at most (the 1-queue device's run in full).
    [ "$nq" = 4 ] && fuzz_iterations 10
    check "$pfx-dev-add" vdpa dev add mgmtdev vdpasim_crypto name hs$nq
    check "$pfx-insmod" insmod "$MOD"
    check_registered "$pfx" .
    if [ "$nq" = 1 ]; then
        hash_matrix "$pfx" "$V1" 1
        echo "-- t-52: 1-queue matrix after $(($(date +%s) - t0)) s"
        # 1 MiB: a few algorithms (the sim hashes slowly under TCG). AF_ALG
        # gives the transform at most 16 pages per update(), so even the
        # single send is a multi-part message.
        for line in "sha256 -" "sha512 -" "sha3-256 -" "hmac(sha1) $(hex 100)" "cmac(aes) $(hex 16)"; do
            echo "$ALGS" | grep "^${line%% *} " | while read -r _ ours ref _; do
                missing "$pfx" "$ours" && continue
                hash_matches "$pfx-$ours-1MiB" "$ours" "$ref" "${line#* }" 1048576 "oneshot cross4k kcapi"
            done
        done
        echo "-- t-52: 1 MiB cases after $(($(date +%s) - t0)) s"
                head -c 1000 /dev/urandom >/tmp/hc.msg
        head -c 1048576 /dev/urandom >/tmp/hc.big
        k32=$(hex 32)
        one_hash() { afalg_hash sha256-virtio-rs </tmp/hc.msg; }
        one_mac() { afalg_hash hmac-sha256-virtio-rs "$k32" </tmp/hc.msg; }
        short_parts() { afalg_hash_parts sha256-virtio-rs - 300,300,* </tmp/hc.msg; }
        short_mac_parts() { afalg_hash_parts hmac-sha256-virtio-rs "$k32" 300,300,* </tmp/hc.msg; }
        big_parts() { afalg_hash_parts sha256-virtio-rs - 4000,200,* </tmp/hc.big; }
        big_mac_parts() { afalg_hash_parts hmac-sha256-virtio-rs "$k32" 4000,200,* </tmp/hc.big; }
        # Our driver's count by algorithm: a one-shot digest and a short
        # multi-part message (buffered, one request at the end) are one device
        # request each; a 1 MiB multi-part message outgrows the request buffer
        # and runs in software by design ("limits"), none of it on the device.
        served "$pfx-oneshot-hash-counted-device" sha256-virtio-rs "device=1 software=0" one_hash
        served "$pfx-oneshot-mac-counted-device" hmac-sha256-virtio-rs "device=1 software=0" one_mac
        served "$pfx-short-multipart-hash-counted-device" sha256-virtio-rs "device=1 software=0" short_parts
        served "$pfx-short-multipart-mac-counted-device" hmac-sha256-virtio-rs "device=1 software=0" short_mac_parts
        served "$pfx-1MiB-multipart-hash-counted-software" sha256-virtio-rs "device=0 limits>=1 $SWOK" big_parts
        served "$pfx-1MiB-multipart-mac-counted-software" hmac-sha256-virtio-rs "device=0 limits>=1 $SWOK" big_mac_parts
        # The device's own count: HASH (0x0100) and MAC (0x0200) requests, one each.
        before=$(sim_opcode hs1 0x0100)
        one_hash >/dev/null
        expect_eq "$pfx-oneshot-hash-reached-device" "$(($(sim_opcode hs1 0x0100) - before))" 1
        before=$(sim_opcode hs1 0x0200)
        one_mac >/dev/null
        expect_eq "$pfx-oneshot-mac-reached-device" "$(($(sim_opcode hs1 0x0200) - before))" 1
        before=$(sim_opcode hs1 0x0100)
        short_parts >/dev/null
        expect_eq "$pfx-short-multipart-reached-device" "$(($(sim_opcode hs1 0x0100) - before))" 1
        cat /sys/kernel/debug/virtio_crypto_rs/virtio*/status
        rm -f /tmp/hc.msg /tmp/hc.big
    else
        hash_matrix "$pfx" "$V4" 0
        # Parallel users: 4 processes, 8 digests each of a hash and a MAC, checked.
        hash_user() {
            local i=0 k
            k=$(hex 32)
            while [ $i -lt 8 ]; do
                head -c 8192 /dev/urandom >"/tmp/hu$1.msg"
                if [ "$(afalg_hash sha256-virtio-rs <"/tmp/hu$1.msg")" != \
                    "$(afalg_hash sha256-generic <"/tmp/hu$1.msg")" ] ||
                    [ "$(afalg_hash hmac-sha1-virtio-rs "$k" <"/tmp/hu$1.msg")" != \
                        "$(afalg_hash 'hmac(sha1-generic)' "$k" <"/tmp/hu$1.msg")" ]; then
                    echo mismatch >"/tmp/hu$1.failed"
                    return
                fi
                i=$((i + 1))
            done
        }
        rm -f /tmp/hu*.failed
        before=$(alg_snapshot) qbefore=$(dataq_snapshot)
        for u in 1 2 3 4; do hash_user $u & done
        wait
        check "$pfx-parallel-users-correct" sh -c "! ls /tmp/hu*.failed 2>/dev/null | grep -q ."
        rm -f /tmp/hu*
        # 4 x 8 one-shot digests of 8 KiB (one request each) per algorithm.
        alg_expect "$pfx-parallel-sha256-on-device" sha256-virtio-rs "device=32 software=0" "$before"
        alg_expect "$pfx-parallel-hmac-sha1-on-device" hmac-sha1-virtio-rs "device=32 software=0" "$before"
        dataq_snapshot | tr '\n' ' '
        check "$pfx-several-queues-used" test "$(queues_grown "$qbefore")" -ge 2
    fi
    echo "-- t-52: $nq-queue device done after $(($(date +%s) - t0)) s"
    check "$pfx-rmmod" rmmod "$DRIVER_NAME"
    check "$pfx-dev-del" vdpa dev del hs$nq
done

# max_auth_key_len=16, MACs only: an hmac key longer than the block size is
# replaced by its digest (16 bytes or more: the driver keeps keys it cannot
# give the device in software), keys of 17 bytes to the block size stay in
# software, cmac/xcbc keys of 24 and 32 bytes too. Results must not change.
pfx=hash-mk16
echo 1 >$p/data_queues
echo 4 >$p/services # VIRTIO_CRYPTO_SERVICE_MAC only
echo 16 >$p/max_auth_key_len
check "$pfx-dev-add" vdpa dev add mgmtdev vdpasim_crypto name mk16
check "$pfx-insmod" insmod "$MOD"
check_registered "$pfx" 'hmac\|cmac\|xcbc'
echo "$ALGS" | grep 'hmac\|cmac\|xcbc' | while read -r _ ours ref bs kind; do
    missing "$pfx" "$ours" && continue
    drv=$ours
    if [ "$kind" = hmac ]; then
        klens="0 16 17 $bs $((bs + 1)) $((2 * bs + 7))"
    else
        klens="16 24 32"
    fi
    for klen in $klens; do
        key=$(key_of "$klen")
        before=$(alg_snapshot)
        for size in 1 $((bs + 1)) 4096; do
            hash_matches "$pfx-$ours-key$klen-${size}B" "$drv" "$ref" "$key" "$size" "$VMK"
        done
        # A 16-byte key goes to the device: the 3 sizes one-shot, three-part
        # and through kcapi-dgst, except the 4096-byte three-part and kcapi
        # messages, beyond the 2048 bytes a MAC request buffers (ahash/algos.rs,
        # MAC_BUFFER): 7 on the device, 2 in software for "limits" (a run
        # counted exactly that). A key of 17 bytes (hmac) or 24 (cmac, xcbc),
        # more than the device takes, keeps every request in software with
        # reason "limits".
        case "$klen" in
        16)
            # Without kcapi (the debug kernel's VMK): 5 and 1.
            case " $VMK " in *" kcapi "*) want16="device=7 limits=2" ;; *) want16="device=5 limits=1" ;; esac
            alg_expect "$pfx-$ours-key16-used-device" "$ours" "$want16 $SWOK" "$before"
            ;;
        17 | 24) alg_expect "$pfx-$ours-key$klen-in-software" "$ours" "device=0 limits>=6 $SWOK" "$before" ;;
        esac
    done
done
before=$(sim_opcode mk16 0x0200)
served "$pfx-16-byte-key-counted-device" hmac-sha256-virtio-rs "device=1 software=0" \
    sh -c "head -c 100 /dev/urandom | afalg_hash hmac-sha256-virtio-rs $(hex 16) >/dev/null"
expect_eq "$pfx-16-byte-key-reached-device" "$(($(sim_opcode mk16 0x0200) - before))" 1
cat /sys/kernel/debug/virtio_crypto_rs/virtio*/status
check "$pfx-rmmod" rmmod "$DRIVER_NAME"
check "$pfx-dev-del" vdpa dev del mk16
for param in $saved_params; do echo "${param#*=}" >"$p/${param%%=*}"; done
echo "-- t-52: done after $(($(date +%s) - t0)) s"
rmmod vcrs_sim
rm -f /tmp/hm.msg /tmp/hm.key
