# SPDX-License-Identifier: GPL-2.0
# Every service on the simulated device (services=15 chaining=1), through the
# Crypto API by name from a test module (tests/speed/vcrs_kapi.ko,
# tests/guest/kapi.sh: on 7.2 and later AF_ALG never reaches an asynchronous
# driver). For every algorithm the driver registers: it passed the kernel's
# self-tests; its output for random keys, IVs and data equals the kernel's
# synchronous implementation of the same name (so never ours); each request
# it serves is counted on the device, exactly:
#   skcipher  encryption (1 request), decryption back (1);
#   hash/MAC  one digest (1), init/update per list entry/final (1: the
#             message is buffered for the device), init/update/finup (1), a
#             digest of data at a virtual address in the linear map (7.x's
#             CRYPTO_ALG_REQ_VIRT: 1), the same at a vmalloc address (0: the
#             device cannot read it, it runs in software under "limits"), an
#             exported and imported message (0: it continues in software);
#   AEAD      encryption (1), decryption back (1), a flipped tag bit: EBADMSG
#             from the device (1);
# and the errors the generic code gives for bad input, none asked of the
# device.
# shellcheck source=../kapi.sh # the guest has this folder as /vcrs/tests
. /vcrs/tests/kapi.sh

grep -q '^vcrs_sim ' /proc/modules || insmod /vcrs/modules/vcrs_sim.ko
p=/sys/module/vcrs_sim/parameters
saved="services=$(cat $p/services) chaining=$(cat $p/chaining)"
echo 15 >$p/services
echo 1 >$p/chaining
check kapi-dev-add vdpa dev add mgmtdev vdpasim_crypto name ks1
check kapi-insmod insmod "$MOD"
bad=$(wait_our_selftests)
if [ -z "$bad" ]; then pass kapi-selftests; else fail kapi-selftests "not passed: $bad"; fi
check kapi-module-loads kapi_load
ours=$(awk '$3 == "registered" && $4 == 1 { print $1, $2 }' "$ALGS_FILE")
echo "$ours" | sed 's/^/   registered: /'

# on_device NAME DRIVER N CMD...: CMD (a kapi_* check) with exactly N of
# DRIVER's requests on the device and none in software.
on_device() {
    local name=$1 drv=$2 n=$3
    shift 3
    served "$name-on-device" "$drv" "device=$n software=0" "$@"
}

skcipher_case() {
    local drv=$1 name=$2 klen ivlen bs size k v d c
    klen=$(proc_crypto_field "$drv" "max keysize")
    ivlen=$(proc_crypto_field "$drv" ivsize)
    bs=$(proc_crypto_field "$drv" blocksize)
    # Whole blocks; a stream or stealing mode (block size 1: ctr; xts) gets
    # an odd length too.
    size=4096
    case "$name" in ctr* | xts*) size=4099 ;; esac
    [ "$bs" -gt 1 ] && [ $((size % bs)) -ne 0 ] && size=4096
    k=$(hex "$klen")
    v=-
    [ "$ivlen" -gt 0 ] && v=$(hex "$ivlen")
    d=$(hex "$size")
    on_device "kapi-$drv-encrypt" "$drv" 1 kapi_matches_ref "kapi-$drv-encrypt" skcipher "$drv" "$name" enc "$k" "$v" "$d" segs=3 || return
    c=$(kapi_out)
    on_device "kapi-$drv-decrypt" "$drv" 1 kapi_expect "kapi-$drv-decrypt" "$d" skcipher "$drv" dec "$k" "$v" "$c"
    kapi_errno "kapi-$drv-key-$((klen + 1))-bytes" "-22 setkey" skcipher "$drv" enc "$(hex $((klen + 1)))" "$v" "$d"
}

hash_case() {
    local drv=$1 name=$2 k=- d mode
    case "$name" in
    hmac*) k=$(hex 32) ;;
    cmac* | xcbc*)
        k=$(hex 16)
        kapi_errno "kapi-$drv-without-key" "-126 digest" hash "$drv" - "$(hex 16)"
        ;;
    esac
    d=$(hex 1000)
    for mode in digest parts finup virt; do
        on_device "kapi-$drv-$mode" "$drv" 1 kapi_matches_ref "kapi-$drv-$mode" hash "$drv" "$name" "$k" "$d" mode=$mode segs=3
    done
    served "kapi-$drv-virt-vmalloc-in-software" "$drv" "device=0 limits=1 software=1" \
        kapi_matches_ref "kapi-$drv-virt-vmalloc" hash "$drv" "$name" "$k" "$d" mode=virt vmalloc=1
    served "kapi-$drv-export-import-not-on-device" "$drv" "device=0" \
        kapi_matches_ref "kapi-$drv-export-import" hash "$drv" "$name" "$k" "$d" mode=export
}

aead_case() {
    local drv=$1 name=$2 kind=$3 klen tag iv k al d c n tampered
    set_kind "$kind"
    klen=$(last "$KEYLENS")
    tag=$(last "$TAGS")
    k=$(key_for "$kind" "$klen")
    iv=$(iv_for "$kind")
    al=$((MINAL > 16 ? MINAL : 16))
    d=$(hex $((al + 1024)))
    on_device "kapi-$drv-encrypt" "$drv" 1 kapi_matches_ref "kapi-$drv-encrypt" aead "$drv" "$name" enc "$k" "$iv" "$tag" "$al" "$d" segs=3 || return
    c=$(kapi_out)
    on_device "kapi-$drv-decrypt" "$drv" 1 kapi_expect "kapi-$drv-decrypt" "$d" aead "$drv" dec "$k" "$iv" "$tag" "$al" "$c"
    # The tag's last byte with its low bit flipped.
    n=${#c}
    tampered=$(echo "$c" | cut -c1-$((n - 2)))$(printf '%02x' $((0x$(echo "$c" | cut -c$((n - 1))-) ^ 1)))
    on_device "kapi-$drv-bad-tag" "$drv" 1 kapi_errno "kapi-$drv-bad-tag-ebadmsg" "-74 decrypt" aead "$drv" dec "$k" "$iv" "$tag" "$al" "$tampered"
    kapi_errno "kapi-$drv-short-input" "-22 decrypt" aead "$drv" dec "$k" "$iv" "$tag" 0 "$(hex $((tag - 1)))"
}

echo "$ours" | while read -r drv name; do
    type=$(proc_crypto_field "$drv" type)
    case "$type" in
    skcipher) skcipher_case "$drv" "$name" ;;
    ahash) hash_case "$drv" "$name" ;;
    aead)
        kind=$(echo "$AEADS" | awk -v d="$drv" '$2 == d { print $4 }')
        if [ -n "$kind" ]; then aead_case "$drv" "$name" "$kind"; else fail "kapi-$drv-kind" "no AEADS line for $drv"; fi
        ;;
    *) fail "kapi-$drv-type" "type '$type'" ;;
    esac
done

check kapi-rmmod rmmod "$DRIVER_NAME"
check kapi-dev-del vdpa dev del ks1
for kv in $saved; do echo "${kv#*=}" >"$p/${kv%%=*}"; done
