# The driver's AEADs (gcm(aes), ccm(aes), rfc7539(chacha20,poly1305) on the
# AEAD service) and authenc(hmac(H),cbc(C)) (ALGORITHM_CHAINING) on the
# simulated device offering everything, with 1 and with 4 data queues, and on
# devices with small limits:
#   (a) every algorithm is registered as our driver and passed the kernel's
#       self-tests (with CONFIG_CRYPTO_MANAGER_EXTRA_TESTS: fuzzing against the
#       generic code, in place and out of place, split scatterlists), and the
#       Crypto API gives it for its name;
#   (b) the templates built over ours: rfc4106(gcm(aes)), rfc4309(ccm(aes)),
#       seqiv(rfc4106(gcm(aes))) and echainiv(authenc(hmac(sha256),cbc(aes)))
#       are instantiated over our driver and passed their self-tests; their
#       results equal the generic ones (the IV generators' output carries a
#       per-transform random salt: checked by decrypting each one's output
#       with the other); rfc7539esp(chacha20,poly1305), which the kernel
#       builds from the chacha20 skcipher and poly1305 hash (never over an
#       rfc7539 aead), works with our module loaded;
#   (c) AF_ALG requests (afalg_aead: one request each, out of place: AF_ALG
#       reads from its own pages and writes into the caller's) equal the
#       generic implementation's for payloads of 0, 1, 15 bytes, 4 KiB,
#       64 KiB and 1 MiB (authenc: whole blocks), several assoclens, every key
#       length and every tag length the generic code accepts; our decryption
#       of the generic ciphertext gives the plaintext back; one flipped bit in
#       the associated data, ciphertext or tag gives EBADMSG; bad keys, tag
#       lengths and IVs give the generic code's errno;
#   (d) the debugfs counters aead_ops/chain_ops show the device doing the
#       work; on a device with max_size 4096, max_cipher_key_len 16 and
#       max_auth_key_len 32, larger requests and keys run in software (the
#       software counter grows, the device's does not) with unchanged results,
#       and an hmac key longer than the hash's block size, which hmac digests
#       (to 32 bytes for sha256), goes to the device.
# The sim's module parameters are read when a device is added; they are set
# back at the end.

grep -q '^vcrs_sim ' /proc/modules || insmod /vcrs/modules/vcrs_sim.ko
p=/sys/module/vcrs_sim/parameters
saved_params=""
for param in data_queues max_size max_cipher_key_len max_auth_key_len; do
    saved_params="$saved_params $param=$(cat $p/$param)"
done
t0=$(date +%s)

# cra_name, our driver, the generic reference, kind (see set_kind)
AEADS="
gcm(aes) gcm-aes-virtio-rs gcm_base(ctr(aes-generic),ghash-generic) gcm
ccm(aes) ccm-aes-virtio-rs ccm_base(ctr(aes-generic),cbcmac(aes-generic)) ccm
rfc7539(chacha20,poly1305) rfc7539-chacha20-poly1305-virtio-rs rfc7539(chacha20-generic,poly1305-generic) chacha
"
for h in md5 sha1 sha224 sha256 sha384 sha512; do
    for c in aes des3_ede; do
        AEADS="$AEADS
authenc(hmac($h),cbc($c)) authenc-hmac-$h-cbc-$c-virtio-rs authenc(hmac($h-generic),cbc($c-generic)) $h:$c"
    done
done

# set_kind KIND: KEYLENS (cipher key lengths), TAGS (every valid tag length),
# IVLEN, BLK (the payload must be whole BLK-byte blocks) and,
# for authenc (KIND hash:cipher), DIGEST and AUTHBS (the hash's block size).
set_kind() {
    DIGEST=0 AUTHBS=0
    case "$1" in
    gcm) KEYLENS="16 24 32" TAGS="4 8 12 13 14 15 16" IVLEN=12 BLK=1 ;;
    ccm) KEYLENS="16 24 32" TAGS="4 6 8 10 12 14 16" IVLEN=16 BLK=1 ;;
    chacha) KEYLENS="32" TAGS="16" IVLEN=12 BLK=1 ;;
    *:*)
        case "${1%%:*}" in
        md5) DIGEST=16 AUTHBS=64 ;;
        sha1) DIGEST=20 AUTHBS=64 ;;
        sha224) DIGEST=28 AUTHBS=64 ;;
        sha256) DIGEST=32 AUTHBS=64 ;;
        sha384) DIGEST=48 AUTHBS=128 ;;
        sha512) DIGEST=64 AUTHBS=128 ;;
        esac
        TAGS=$(seq 1 $DIGEST | tr '\n' ' ')
        case "${1#*:}" in
        aes) KEYLENS="16 24 32" IVLEN=16 BLK=16 ;;
        des3_ede) KEYLENS="24" IVLEN=8 BLK=8 ;;
        esac
        ;;
    esac
}
# key_for KIND KEYLEN [AUTHKEYLEN]: a random key (authenc: the rtattr blob with
# an AUTHKEYLEN-byte hmac key, 32 bytes by default).
key_for() {
    case "$1" in
    *:*) authenc_key "$(hex "${3:-32}")" "$(hex "$2")" ;;
    *) hex "$2" ;;
    esac
}
# iv_for KIND [L']: a random IV; for ccm, iv[0] = L' (1..7, default 3), the
# nonce, then counter bytes (random: ccm clears them itself).
iv_for() {
    case "$1" in
    ccm) printf '%02x%s' "${2:-3}" "$(hex 15)" ;;
    *) hex "$IVLEN" ;;
    esac
}
# last WORDS: the last of WORDS.
last() { echo "$*" | awk '{ print $NF }'; }
# nth N WORDS: the Nth (from 0, cycling) of WORDS.
nth() { local n=$1; shift; echo "$*" | awk -v n="$n" '{ print $((n % NF) + 1) }'; }

# missing PREFIX OURS: true (after a verdict saying so) if OURS is not
# registered: its cases are skipped (each would only fail, slowly).
missing() {
    [ -n "$(proc_crypto_field "$2" driver)" ] && return 1
    fail "$1-$2-cases" "$2 is not registered: its cases were skipped"
}

# check_registered PREFIX FILTER: every algorithm of AEADS whose line matches
# FILTER (a grep pattern) is registered as our driver, passed its self-tests,
# has priority 200, and is what the Crypto API gives for its name.
check_registered() {
    local wait=90
    echo "$AEADS" | grep -e "$2" | while read -r name drv _; do
        [ -n "$drv" ] || continue
        if wait_registered "$drv" $wait; then
            wait=10
            pass "$1-$drv-registered"
        else
            wait=1
            fail "$1-$drv-registered" "not in /proc/crypto"
        fi
    done
    expect_eq "$1-all-selftests-passed" "$(wait_our_selftests)" ""
    echo "$AEADS" | grep -e "$2" | while read -r name drv _; do
        [ -n "$drv" ] || continue
        expect_eq "$1-$drv-selftest" "$(proc_crypto_field "$drv" selftest)" passed
        expect_eq "$1-$drv-priority" "$(proc_crypto_field "$drv" priority)" 200
        expect_eq "$1-$drv-picked-for-$name" "$(picked "$name")" "$drv"
    done
}

# aead_matrix PREFIX FULL: the comparison of every algorithm of AEADS with its
# reference (see the header, (c)); FULL=0 (debug kernel, 4-queue device) keeps
# the main paths only: fewer sizes, the shortest, a middle and the longest tag.
aead_matrix() {
    local pfx=$1 full=$2 name ours ref kind sizes i al ts key klen iv size tags lp
    echo "$AEADS" | while read -r name ours ref kind; do
        [ -n "$ours" ] || continue
        missing "$pfx" "$ours" && continue
        set_kind "$kind"
        maxtag=$(last $TAGS)
        if [ "$BLK" = 1 ]; then sizes="0 1 15 4096 65536"; else sizes="0 $BLK 4096 65536"; fi
        [ "$full" = 1 ] || sizes="0 $((BLK == 1 ? 15 : BLK)) 4096"
        # Sizes, each with no associated data and with some (lengths cycling
        # through 1, 16, 20, 255), the longest tag, key lengths cycling.
        i=0
        for size in $sizes; do
            for al in 0 $(nth $i 1 16 20 255); do
                klen=$(nth $i $KEYLENS)
                key=$(key_for "$kind" "$klen")
                iv=$(iv_for "$kind" $((i % 7 + 1)))
                aead_matches "$pfx-$ours-${size}B-assoc$al" "$ours" "$ref" "$key" "$maxtag" "$al" "$iv" "$size"
                i=$((i + 1))
            done
        done
        # Every tag length (FULL=0: the shortest, a middle one, the longest).
        tags=$TAGS
        [ "$full" = 1 ] || tags="$(nth 0 $TAGS) $(nth $(($(echo $TAGS | wc -w) / 2)) $TAGS) $maxtag"
        size=$((BLK == 1 ? 15 : 2 * BLK))
        for ts in $tags; do
            key=$(key_for "$kind" "$(last $KEYLENS)")
            iv=$(iv_for "$kind")
            aead_matches "$pfx-$ours-tag$ts" "$ours" "$ref" "$key" "$ts" 16 "$iv" "$size"
        done
        # Tampering, on a page-crossing request.
        key=$(key_for "$kind" "$(nth 0 $KEYLENS)")
        iv=$(iv_for "$kind")
        aead_matches "$pfx-$ours-4KiB-assoc20" "$ours" "$ref" "$key" "$maxtag" 20 "$iv" 4096
        aead_rejects_tampering "$pfx-$ours-tampered-gives-EBADMSG" "$ours" "$key" "$maxtag" 20 "$iv" 4096
        [ "$full" = 1 ] || continue
        # ccm: every L' (iv[0] 1..7: nonces of 13 down to 7 bytes on the wire).
        if [ "$kind" = ccm ]; then
            for lp in 1 2 3 4 5 6 7; do
                aead_matches "$pfx-$ours-iv0-$lp" "$ours" "$ref" "$(hex 16)" 16 8 "$(iv_for ccm $lp)" 100
            done
        fi
        # authenc: hmac keys of 0 bytes, shorter than, as long as and longer
        # than the hash's block size (hmac digests those), cipher keys of each length.
        case "$kind" in
        *:*)
            for klen in 0 20 $AUTHBS $((AUTHBS + 1)) $((2 * AUTHBS + 3)); do
                key=$(key_for "$kind" "$(last $KEYLENS)" "$klen")
                aead_matches "$pfx-$ours-hmac-key$klen" "$ours" "$ref" "$key" "$maxtag" 8 "$(iv_for "$kind")" 64
            done
            for klen in $KEYLENS; do
                key=$(key_for "$kind" "$klen" 20)
                aead_matches "$pfx-$ours-cipher-key$klen" "$ours" "$ref" "$key" "$maxtag" 8 "$(iv_for "$kind")" 64
            done
            # A 3DES key with K1 = K2 (degenerates to single DES): the generic
            # code takes it (weak keys are refused only when the caller asks).
            if [ "${kind#*:}" = des3_ede ]; then
                k1=$(hex 8)
                key=$(authenc_key "$(hex 20)" "$k1$k1$(hex 8)")
                aead_matches "$pfx-$ours-3des-k1-equals-k2" "$ours" "$ref" "$key" "$maxtag" 8 "$(iv_for "$kind")" 64
            fi
            ;;
        esac
    done
}

# aead_errors PREFIX: invalid keys, tag lengths and IVs give the generic code's errno.
aead_errors() {
    local pfx=$1 name ours ref kind bad
    echo "$AEADS" | while read -r name ours ref kind; do
        [ -n "$ours" ] || continue
        missing "$pfx" "$ours" && continue
        set_kind "$kind"
        maxtag=$(last $TAGS)
        in=$(hex 48)
        case "$kind" in
        gcm | ccm | chacha)
            for klen in 0 1 15 17 31 33 64; do
                aead_same_error "$pfx-$ours-key$klen-errno" "$ours" "$ref" -k "$(hex $klen)" -t "$maxtag" -x "$in"
            done
            ;;
        *:*)
            # A truncated rtattr, a cipher key length beyond the blob, bad cipher key lengths.
            aead_same_error "$pfx-$ours-key-no-rtattr-errno" "$ours" "$ref" -k "$(printf '%040d' 0)" -t "$maxtag" -x "$in"
            aead_same_error "$pfx-$ours-key-short-rtattr-errno" "$ours" "$ref" -k 0800010000 -t "$maxtag" -x "$in"
            aead_same_error "$pfx-$ours-key-enclen-too-long-errno" "$ours" "$ref" \
                -k "08000100000000ff$(hex 40)" -t "$maxtag" -x "$in"
            for klen in 0 8 15 17 23 33; do
                aead_same_error "$pfx-$ours-cipher-key$klen-errno" "$ours" "$ref" \
                    -k "$(authenc_key "$(hex 20)" "$(hex $klen)")" -t "$maxtag" -x "$in"
            done
            ;;
        esac
        key=$(key_for "$kind" "$(last $KEYLENS)")
        # Tag lengths the generic code refuses (0 included: setauthsize refuses it).
        case "$kind" in
        gcm) bad="0 1 2 3 5 6 7 9 10 11 17" ;;
        ccm) bad="0 1 2 3 5 7 9 15 17 18" ;;
        chacha) bad="0 8 12 15 17" ;;
        *) bad="0 $((DIGEST + 1)) 255" ;;
        esac
        for ts in $bad; do
            aead_same_error "$pfx-$ours-tag$ts-errno" "$ours" "$ref" -k "$key" -t "$ts" -x "$in"
        done
        # authenc: not whole blocks (decryption: the random tag fails first);
        # ccm: bad L', a message too long for its length field.
        case "$kind" in
        *:*)
            aead_same_error "$pfx-$ours-partial-block-encrypt-errno" "$ours" "$ref" -k "$key" -t "$maxtag" \
                -a 8 -i "$(iv_for "$kind")" -x "$(hex $((8 + BLK + 1)))"
            aead_same_error "$pfx-$ours-partial-block-decrypt-errno" "$ours" "$ref" -d -k "$key" -t "$maxtag" \
                -a 8 -i "$(iv_for "$kind")" -x "$(hex $((8 + BLK + 1 + maxtag)))"
            ;;
        ccm)
            # iv[0] (L') outside 1..7; a 65537-byte message with L' = 1 (2-byte length field).
            for lp in 00 08 ff; do
                aead_same_error "$pfx-$ours-iv0-$lp-errno" "$ours" "$ref" -k "$key" -t 16 \
                    -i "$lp$(hex 15)" -x "$in"
                aead_same_error "$pfx-$ours-iv0-$lp-decrypt-errno" "$ours" "$ref" -d -k "$key" -t 16 \
                    -i "$lp$(hex 15)" -x "$in"
            done
            head -c 65537 /dev/zero >/tmp/ae.big
            aead_same_error "$pfx-$ours-65537B-with-2-byte-length-errno" "$ours" "$ref" -k "$key" -t 16 \
                -i "01$(hex 15)" -f /tmp/ae.big
            rm -f /tmp/ae.big
            ;;
        esac
    done
}

# ran_on NAME WHERE COUNTER COMMAND...: runs COMMAND (which gives its own
# verdicts); passes if the debugfs COUNTER (aead_ops, chain_ops) grew on WHERE
# (device or software) and not on the other side.
ran_on() {
    local name=$1 where=$2 counter=$3 other dev0 sw0 dev1 sw1
    shift 3
    other=device
    [ "$where" = device ] && other=software
    dev0=$(ops_count "$counter" "$where") sw0=$(ops_count "$counter" "$other")
    "$@"
    dev1=$(ops_count "$counter" "$where") sw1=$(ops_count "$counter" "$other")
    grew_by "$name-ran-on-$where" "$dev0" "$dev1" 1
    expect_eq "$name-not-on-$other" "$sw1" "$sw0"
}

# The templates over ours (see the header, (b)).
templates() {
    local pfx=$1 key iv in drv
    # rfc4106: key + 4-byte salt, 8-byte IV, assoclen 16 or 20 (SPI, sequence
    # number, IV: the child gets assoclen - 8); tags 8, 12, 16.
    for ts in 8 12 16; do
        for al in 16 20; do
            aead_matches "$pfx-rfc4106-gcm-aes-tag$ts-assoc$al" 'rfc4106(gcm(aes))' \
                'rfc4106(gcm_base(ctr(aes-generic),ghash-generic))' "$(hex 20)" $ts $al "$(hex 8)" 1000
        done
    done
    key=$(hex 20) iv=$(hex 8)
    aead_matches "$pfx-rfc4106-gcm-aes-4KiB" 'rfc4106(gcm(aes))' \
        'rfc4106(gcm_base(ctr(aes-generic),ghash-generic))' "$key" 16 20 "$iv" 4096
    aead_rejects_tampering "$pfx-rfc4106-gcm-aes-tampered" 'rfc4106(gcm(aes))' "$key" 16 20 "$iv" 4096
    # rfc4309: key + 3-byte salt, 8-byte IV, assoclen 16 or 20; tags 8, 12, 16.
    for ts in 8 12 16; do
        for al in 16 20; do
            aead_matches "$pfx-rfc4309-ccm-aes-tag$ts-assoc$al" 'rfc4309(ccm(aes))' \
                'rfc4309(ccm_base(ctr(aes-generic),cbcmac(aes-generic)))' "$(hex 19)" $ts $al "$(hex 8)" 1000
        done
    done
    aead_matches "$pfx-rfc7539esp-chacha20-poly1305" 'rfc7539esp(chacha20,poly1305)' \
        'rfc7539esp(chacha20-generic,poly1305-generic)' "$(hex 36)" 16 16 "$(hex 8)" 1000
    for t in "rfc4106(gcm(aes)) rfc4106(gcm-aes-virtio-rs)" "rfc4309(ccm(aes)) rfc4309(ccm-aes-virtio-rs)"; do
        drv=${t#* }
        expect_eq "$pfx-$drv-selftest" "$(wait_selftest "$drv")" passed
        expect_eq "$pfx-$drv-picked" "$(picked "${t%% *}")" "$drv"
    done
    # The IV generators of ESP: ours encrypts, the generic decrypts, and back.
    geniv_cross "$pfx-seqiv-rfc4106" 'seqiv(rfc4106(gcm(aes)))' \
        'seqiv(rfc4106(gcm_base(ctr(aes-generic),ghash-generic)))' "$(hex 20)" 16 8 8 1400
    geniv_cross "$pfx-echainiv-authenc" 'echainiv(authenc(hmac(sha256),cbc(aes)))' \
        'echainiv(authenc(hmac(sha256-generic),cbc(aes-generic)))' \
        "$(authenc_key "$(hex 32)" "$(hex 16)")" 16 8 16 1408
    for drv in 'seqiv(rfc4106(gcm-aes-virtio-rs))' 'echainiv(authenc-hmac-sha256-cbc-aes-virtio-rs)'; do
        expect_eq "$pfx-$drv-selftest" "$(wait_selftest "$drv")" passed
    done
    no_failed_selftest() { ! log_since "t56-$pfx" | grep 'alg: .*fail'; }
    check "$pfx-no-template-selftest-failed" no_failed_selftest
}

# geniv_cross NAME OURS REF KEYHEX AUTHSIZE ASSOCLEN IVLEN SIZE: an IV generator
# (seqiv, echainiv) over ours and over the generic code: input ASSOCLEN bytes of
# associated data, IVLEN bytes the generator fills in, SIZE of plaintext; each
# one's ciphertext decrypts with the other to the plaintext; a flipped bit in
# ours's tag gives EBADMSG.
geniv_cross() {
    local name=$1 ours=$2 ref=$3 key=$4 ts=$5 al=$6 ivl=$7 size=$8 bad="" skip out
    skip=$((al + ivl))
    { hex_to_file "$(hex "$al")" /tmp/gc.ad && cat /tmp/gc.ad && head -c "$ivl" /dev/zero &&
        head -c "$size" /dev/urandom >/tmp/gc.pt && cat /tmp/gc.pt; } >/tmp/gc.in
    seq=$(hex "$ivl")
    for dir in "$ours $ref" "$ref $ours"; do
        rm -f /tmp/gc.ct /tmp/gc.dec
        out=$(afalg_aead -e -k "$key" -t "$ts" -a "$al" -i "$seq" -f /tmp/gc.in -o /tmp/gc.ct "${dir%% *}" 2>&1) ||
            { bad="$bad encrypt-${dir%% *}($out)"; continue; }
        out=$(afalg_aead -d -k "$key" -t "$ts" -a "$al" -i "$seq" -f /tmp/gc.ct -o /tmp/gc.dec "${dir#* }" 2>&1) ||
            { bad="$bad decrypt-${dir#* }($out)"; continue; }
        tail -c +$((skip + 1)) /tmp/gc.dec | cmp -s - /tmp/gc.pt || bad="$bad ${dir%% *}-to-${dir#* }-differs"
    done
    out=$(afalg_aead -d -k "$key" -t "$ts" -a "$al" -i "$seq" -f /tmp/gc.ct -F -1 "$ours" 2>/dev/null)
    [ "$out" = EBADMSG ] || bad="$bad tampered:'$out'"
    rm -f /tmp/gc.*
    if [ -z "$bad" ]; then pass "$name"; else fail "$name" "$bad"; fi
}

for nq in 1 4; do
    pfx=aead-sim$nq
    echo "$nq" >$p/data_queues
    log_mark "t56-$pfx"
    check "$pfx-dev-add" vdpa dev add mgmtdev vdpasim_crypto name ae$nq
    check "$pfx-insmod" insmod "$MOD"
    check_registered "$pfx" .
    echo "-- t-56: $nq-queue device registered after $(($(date +%s) - t0)) s"
    if [ "$nq" = 1 ]; then
        full=1
        slow_kernel && full=0
        aead_matrix "$pfx" $full
        echo "-- t-56: matrix after $(($(date +%s) - t0)) s"
        aead_errors "$pfx"
        echo "-- t-56: errno cases after $(($(date +%s) - t0)) s"
        # 1 MiB: one request each (the debug kernel: gcm and one authenc only).
        for line in "gcm 16" "ccm 16" "chacha 16" "sha256:aes 32" "sha1:des3_ede 20" "sha512:aes 64"; do
            kind=${line%% *}
            slow_kernel && case "$kind" in gcm | sha256:aes) ;; *) continue ;; esac
            echo "$AEADS" | awk -v k="$kind" '$4 == k' | while read -r _ ours ref _; do
                missing "$pfx" "$ours" && continue
                set_kind "$kind"
                aead_matches "$pfx-$ours-1MiB" "$ours" "$ref" "$(key_for "$kind" "$(last $KEYLENS)")" \
                    "${line#* }" 16 "$(iv_for "$kind")" 1048576
            done
        done
        echo "-- t-56: 1 MiB after $(($(date +%s) - t0)) s"
        templates "$pfx"
        echo "-- t-56: templates after $(($(date +%s) - t0)) s"
        # The device did the work: our counters and the device's own.
        gcm_once() { aead_matches "$pfx-gcm-counted" gcm-aes-virtio-rs 'gcm_base(ctr(aes-generic),ghash-generic)' "$(hex 16)" 16 16 "$(hex 12)" 1000; }
        authenc_once() {
            aead_matches "$pfx-authenc-counted" authenc-hmac-sha256-cbc-aes-virtio-rs \
                'authenc(hmac(sha256-generic),cbc(aes-generic))' "$(authenc_key "$(hex 32)" "$(hex 16)")" 32 16 "$(hex 16)" 1008
        }
        ran_on "$pfx-gcm" device aead_ops gcm_once
        ran_on "$pfx-authenc" device chain_ops authenc_once
        before=$(sim_opcode ae1 0x0300)
        gcm_once
        check "$pfx-aead-encrypt-reached-device" test "$(sim_opcode ae1 0x0300)" -gt "$before"
        before=$(sim_opcode ae1 0x0301)
        gcm_once
        check "$pfx-aead-decrypt-reached-device" test "$(sim_opcode ae1 0x0301)" -gt "$before"
        before=$(($(sim_opcode ae1 0x0000) + $(sim_opcode ae1 0x0001)))
        authenc_once
        check "$pfx-chained-requests-reached-device" \
            test $(($(sim_opcode ae1 0x0000) + $(sim_opcode ae1 0x0001))) -ge $((before + 2))
        cat /sys/kernel/debug/virtio_crypto_rs/virtio*/status
    else
        aead_matrix "$pfx" 0
        # Parallel users: 4 processes, 6 requests each of gcm and authenc, checked.
        aead_user() {
            local i=0 k ka
            while [ $i -lt 6 ]; do
                k=$(hex 32) ka=$(authenc_key "$(hex 20)" "$(hex 16)")
                head -c 8208 /dev/urandom >/tmp/au$1.in
                afalg_aead -k "$k" -t 16 -a 16 -i 000102030405060708090a0b -f /tmp/au$1.in -o /tmp/au$1.a gcm-aes-virtio-rs &&
                    afalg_aead -k "$k" -t 16 -a 16 -i 000102030405060708090a0b -f /tmp/au$1.in -o /tmp/au$1.b \
                        'gcm_base(ctr(aes-generic),ghash-generic)' && cmp -s /tmp/au$1.a /tmp/au$1.b &&
                    afalg_aead -k "$ka" -t 20 -a 16 -i "$(hex 16)" -f /tmp/au$1.in -o /tmp/au$1.a \
                        authenc-hmac-sha1-cbc-aes-virtio-rs &&
                    afalg_aead -d -k "$ka" -t 20 -a 16 -i "$(hex 16)" -f /tmp/au$1.a -o /tmp/au$1.b \
                        'authenc(hmac(sha1-generic),cbc(aes-generic))' >/dev/null 2>&1 ||
                    { echo mismatch >/tmp/au$1.failed; return; }
                i=$((i + 1))
            done
        }
        rm -f /tmp/au*.failed
        for u in 1 2 3 4; do aead_user $u & done
        wait
        check "$pfx-parallel-users-correct" sh -c "! ls /tmp/au*.failed 2>/dev/null | grep -q ."
        rm -f /tmp/au*
        used=$(grep -c '^dataq[0-9]*_requests [1-9]' /sys/kernel/debug/vcrs_sim/ae4/stats)
        grep '^dataq\|^opcode' /sys/kernel/debug/vcrs_sim/ae4/stats | tr '\n' ' '
        check "$pfx-several-queues-used" test "$used" -ge 2
    fi
    echo "-- t-56: $nq-queue device done after $(($(date +%s) - t0)) s"
    check "$pfx-rmmod" rmmod "$DRIVER_NAME"
    check "$pfx-dev-del" vdpa dev del ae$nq
done

# Limits: max_size 4096, cipher keys up to 16 bytes, hmac keys up to 32 bytes.
pfx=aead-limits
echo 1 >$p/data_queues
echo 4096 >$p/max_size
echo 16 >$p/max_cipher_key_len
echo 32 >$p/max_auth_key_len
log_mark "t56-$pfx"
check "$pfx-dev-add" vdpa dev add mgmtdev vdpasim_crypto name ael
check "$pfx-insmod" insmod "$MOD"
# chacha20 (32-byte keys only) and 3DES (24) have no key the device takes:
# whether they register (all in software) is the driver's choice.
check_registered "$pfx" 'gcm\|ccm\|cbc(aes)'
GCMREF='gcm_base(ctr(aes-generic),ghash-generic)'
CCMREF='ccm_base(ctr(aes-generic),cbcmac(aes-generic))'
AEREF='authenc(hmac(sha256-generic),cbc(aes-generic))'
AE=authenc-hmac-sha256-cbc-aes-virtio-rs
if ! missing "$pfx" gcm-aes-virtio-rs; then
    gcm_small() { aead_matches "$pfx-gcm-key16-1000B" gcm-aes-virtio-rs "$GCMREF" "$(hex 16)" 16 16 "$(hex 12)" 1000; }
    gcm_bigkey() { aead_matches "$pfx-gcm-key32-1000B" gcm-aes-virtio-rs "$GCMREF" "$(hex 32)" 16 16 "$(hex 12)" 1000; }
    gcm_big() { aead_matches "$pfx-gcm-key16-8192B" gcm-aes-virtio-rs "$GCMREF" "$(hex 16)" 16 16 "$(hex 12)" 8192; }
    ran_on "$pfx-gcm-key16-1000B" device aead_ops gcm_small
    ran_on "$pfx-gcm-key32-1000B" software aead_ops gcm_bigkey
    ran_on "$pfx-gcm-key16-8192B" software aead_ops gcm_big
fi
if ! missing "$pfx" ccm-aes-virtio-rs; then
    ccm_small() { aead_matches "$pfx-ccm-key16-1000B" ccm-aes-virtio-rs "$CCMREF" "$(hex 16)" 12 16 "02$(hex 15)" 1000; }
    ccm_big() { aead_matches "$pfx-ccm-key24-8192B" ccm-aes-virtio-rs "$CCMREF" "$(hex 24)" 12 16 "02$(hex 15)" 8192; }
    ran_on "$pfx-ccm-key16-1000B" device aead_ops ccm_small
    ran_on "$pfx-ccm-key24-8192B" software aead_ops ccm_big
fi
if ! missing "$pfx" "$AE"; then
    # ae_case NAME HMACKEYLEN AESKEYLEN SIZE
    ae_case() {
        aead_matches "$pfx-authenc-$1" "$AE" "$AEREF" "$(authenc_key "$(hex "$2")" "$(hex "$3")")" 16 16 "$(hex 16)" "$4"
    }
    ae_small() { ae_case hmac20-aes16-1008B 20 16 1008; }
    ae_hmac40() { ae_case hmac40-aes16-1008B 40 16 1008; }
    ae_hmac64() { ae_case hmac64-aes16-1008B 64 16 1008; }
    ae_hmac100() { ae_case hmac100-aes16-1008B 100 16 1008; }
    ae_aes32() { ae_case hmac20-aes32-1008B 20 32 1008; }
    ae_big() { ae_case hmac20-aes16-8192B 20 16 8192; }
    ran_on "$pfx-authenc-hmac20-aes16" device chain_ops ae_small
    ran_on "$pfx-authenc-hmac40-aes16" software chain_ops ae_hmac40
    ran_on "$pfx-authenc-hmac64-aes16" software chain_ops ae_hmac64
    # 100 bytes: longer than sha256's 64-byte block, so hmac's key is its 32-byte digest.
    ran_on "$pfx-authenc-hmac100-digested-aes16" device chain_ops ae_hmac100
    ran_on "$pfx-authenc-hmac20-aes32" software chain_ops ae_aes32
    ran_on "$pfx-authenc-hmac20-aes16-8192B" software chain_ops ae_big
fi
cat /sys/kernel/debug/virtio_crypto_rs/virtio*/status
check "$pfx-rmmod" rmmod "$DRIVER_NAME"
check "$pfx-dev-del" vdpa dev del ael
for param in $saved_params; do echo "${param#*=}" >"$p/${param%%=*}"; done
echo "-- t-56: done after $(($(date +%s) - t0)) s"
rmmod vcrs_sim
rm -f /tmp/am.*
