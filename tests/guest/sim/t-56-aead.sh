# SPDX-License-Identifier: GPL-2.0
# The driver's AEADs (gcm(aes), ccm(aes), rfc7539(chacha20,poly1305) and
# rfc7539esp(chacha20,poly1305) on the AEAD service) and
# authenc(hmac(H),cbc(C)) (ALGORITHM_CHAINING) on the simulated device offering
# everything (services=15 chaining=1) and one data queue (t-58: 4 queues and
# small limits; t-59: the templates over ours):
#   (a) every algorithm is registered as our driver and passed the kernel's
#       self-tests (with CONFIG_CRYPTO_MANAGER_EXTRA_TESTS: fuzzing against the
#       generic code, in place and out of place, split scatterlists), and the
#       Crypto API gives it for its name;
#   (b) AF_ALG requests (afalg_aead: one request each, out of place: AF_ALG
#       reads from its own pages and writes into the caller's) equal the
#       generic implementation's for payloads of 0, 1, 15 bytes, 4 KiB,
#       64 KiB and 1 MiB (authenc: whole blocks), several assoclens, every key
#       length and every tag length the generic code accepts; our decryption
#       of the generic ciphertext gives the plaintext back; one flipped bit in
#       the associated data, ciphertext or tag gives EBADMSG; bad keys, tag
#       lengths and IVs give the generic code's errno;
#   (c) the debugfs counters aead_ops/chain_ops and the device's own opcode
#       counters show the device doing the work.
# On the debug kernel the matrix keeps the main paths (see aead_matrix).
# The sim's module parameters are read when a device is added; they are set
# back at the end.

grep -q '^vcrs_sim ' /proc/modules || insmod /vcrs/modules/vcrs_sim.ko
p=/sys/module/vcrs_sim/parameters
saved_params=""
for param in data_queues services chaining; do
    saved_params="$saved_params $param=$(cat $p/$param)"
done
# Everything: the AEAD service and chaining are opt-in.
echo 15 >$p/services
echo 1 >$p/chaining
t0=$(date +%s)

# aead_errors PREFIX: invalid keys, tag lengths and IVs give the generic code's errno.
aead_errors() {
    local pfx=$1 name ours ref kind bad
    echo "$AEADS" | while read -r name ours ref kind; do
        [ -n "$ours" ] || continue
        missing "$pfx" "$ours" && continue
        set_kind "$kind"
        maxtag=$(last "$TAGS")
        in=$(hex 48)
        # On the debug kernel: gcm, ccm, rfc7539esp and one authenc only.
        if slow_kernel; then
            case "$kind" in gcm | ccm | esp | sha256:aes) ;; *) continue ;; esac
        fi
        # Key errors: the authencs of DEEP only.
        keys=1
        case "$kind" in *:*) deep "$kind" || keys=0 ;; esac
        case "$kind" in
        gcm | ccm | chacha | esp)
            for klen in 0 15 17 31 32 33 35 37; do
                [ "$klen" = 32 ] && [ "$kind" != esp ] && continue
                [ "$klen" = 31 ] || [ "$klen" = 33 ] && [ "$kind" = gcm ] && continue
                aead_same_error "$pfx-$ours-key$klen-errno" "$ours" "$ref" -k "$(hex $klen)" -t "$maxtag" -x "$in"
            done
            ;;
        *:*)
            # A truncated rtattr, a cipher key length beyond the blob, bad cipher key lengths.
            if [ "$keys" = 1 ]; then
                aead_same_error "$pfx-$ours-key-no-rtattr-errno" "$ours" "$ref" -k "$(printf '%040d' 0)" -t "$maxtag" -x "$in"
                aead_same_error "$pfx-$ours-key-short-rtattr-errno" "$ours" "$ref" -k 0800010000 -t "$maxtag" -x "$in"
                aead_same_error "$pfx-$ours-key-enclen-too-long-errno" "$ours" "$ref" \
                    -k "08000100000000ff$(hex 40)" -t "$maxtag" -x "$in"
                for klen in 0 8 15 17 23 33; do
                    aead_same_error "$pfx-$ours-cipher-key$klen-errno" "$ours" "$ref" \
                        -k "$(authenc_key "$(hex 20)" "$(hex $klen)")" -t "$maxtag" -x "$in"
                done
            fi
            ;;
        esac
        key=$(key_for "$kind" "$(last "$KEYLENS")")
        # Tag lengths the generic code refuses (0 included: setauthsize refuses it).
        case "$kind" in
        gcm) bad="0 1 3 5 11 17" ;;
        ccm) bad="0 2 3 5 15 18" ;;
        chacha | esp) bad="0 8 17" ;;
        *) bad="0 $((DIGEST + 1)) 255" ;;
        esac
        for ts in $bad; do
            aead_same_error "$pfx-$ours-tag$ts-errno" "$ours" "$ref" -k "$key" -t "$ts" -x "$in"
        done
        # authenc: not whole blocks (decryption: the random tag fails first);
        # ccm: bad L', a message too long for its length field; rfc7539esp:
        # associated data shorter than its IV.
        case "$kind" in
        esp)
            for al in 0 4 7; do
                aead_same_error "$pfx-$ours-assoc$al-errno" "$ours" "$ref" -k "$key" -t 16 -a $al \
                    -i "$(iv_for "$kind")" -x "$in"
            done
            ;;
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

pfx=aead-sim1
echo 1 >$p/data_queues
log_mark "t56-$pfx"
check "$pfx-dev-add" vdpa dev add mgmtdev vdpasim_crypto name ae1
check "$pfx-insmod" insmod "$MOD"
check_registered "$pfx" .
echo "-- t-56: registered after $(($(date +%s) - t0)) s"
full=1
slow_kernel && full=0
before=$(alg_snapshot)
aead_matrix "$pfx" $full
# Each algorithm proves its own device requests across the matrix: at least
# the 3 tag lengths (the shortest, a middle, the longest; deep ones: every
# one), 2 sizes with data (each with 2 assoclens) and the 4 KiB case, 2
# requests each (encryption and decryption on ours), and the 3 tampered
# decryptions: 19. Software only for "limits" (what only the generic code judges).
echo "$AEADS" | while read -r _ ours _; do
    if [ -z "$ours" ] || [ -z "$(proc_crypto_field "$ours" driver)" ]; then continue; fi
    alg_expect "$pfx-$ours-matrix-used-device" "$ours" "device>=19 not_ready=0 no_session=0 busy=0 forced=0" "$before"
done
echo "-- t-56: matrix after $(($(date +%s) - t0)) s"
aead_errors "$pfx"
echo "-- t-56: errno cases after $(($(date +%s) - t0)) s"
# 1 MiB: one request each (the debug kernel: gcm and one authenc only).
for line in "gcm 16" "ccm 16" "chacha 16" "esp 16" "sha256:aes 32" "sha1:des3_ede 20" "sha512:aes 64"; do
    kind=${line%% *}
    slow_kernel && case "$kind" in gcm | sha256:aes) ;; *) continue ;; esac
    echo "$AEADS" | awk -v k="$kind" '$4 == k' | while read -r _ ours ref _; do
        missing "$pfx" "$ours" && continue
        set_kind "$kind"
        before=$(alg_snapshot)
        aead_matches "$pfx-$ours-1MiB" "$ours" "$ref" "$(key_for "$kind" "$(last "$KEYLENS")")" \
            "${line#* }" "$MINAL" "$(iv_for "$kind")" 1048576
        # One request each way, both on the device (max_size is 4 MiB).
        alg_expect "$pfx-$ours-1MiB-on-device" "$ours" "device=2 software=0" "$before"
    done
done
echo "-- t-56: 1 MiB after $(($(date +%s) - t0)) s"
# The device did the work: our counters and the device's own.
gcm_once() { aead_matches "$pfx-gcm-counted" gcm-aes-virtio-rs 'gcm_base(ctr(aes-generic),ghash-generic)' "$(hex 16)" 16 16 "$(hex 12)" 1000; }
authenc_once() {
    aead_matches "$pfx-authenc-counted" authenc-hmac-sha256-cbc-aes-virtio-rs \
        'authenc(hmac(sha256-generic),cbc(aes-generic))' "$(authenc_key "$(hex 32)" "$(hex 16)")" 32 16 "$(hex 16)" 1008
}
# Each: ours encrypts once and decrypts once (the reference runs in software).
before=$(alg_snapshot)
sim_before=$(sim_opcode ae1 0x0300)/$(sim_opcode ae1 0x0301)
gcm_once
alg_expect "$pfx-gcm-counted-device" gcm-aes-virtio-rs "device=2 software=0" "$before"
# The device's own count: one AEAD_ENCRYPT (0x0300), one AEAD_DECRYPT (0x0301).
expect_eq "$pfx-aead-requests-reached-device" "$(sim_opcode ae1 0x0300)/$(sim_opcode ae1 0x0301)" \
    "$((${sim_before%/*} + 1))/$((${sim_before#*/} + 1))"
before=$(alg_snapshot)
sim_before=$(sim_opcode ae1 0x0000)/$(sim_opcode ae1 0x0001)
authenc_once
alg_expect "$pfx-authenc-counted-device" authenc-hmac-sha256-cbc-aes-virtio-rs "device=2 software=0" "$before"
# Chained requests: one CIPHER_ENCRYPT (0x0000), one CIPHER_DECRYPT (0x0001).
expect_eq "$pfx-chained-requests-reached-device" "$(sim_opcode ae1 0x0000)/$(sim_opcode ae1 0x0001)" \
    "$((${sim_before%/*} + 1))/$((${sim_before#*/} + 1))"
cat /sys/kernel/debug/virtio_crypto_rs/virtio*/status
# The matrix instantiated the generic references by driver name: for authenc
# these software instances have priority 10 * cipher + hash (1100). The name
# must still give ours (a kernel that instantiated the software one first,
# before our device was ready, say, is no different).
echo "$AEADS" | grep '^authenc' | while read -r name ours _; do
    [ -n "$(proc_crypto_field "$ours" driver)" ] || continue
    sw=$(highest_priority "$name")
    expect_eq "$pfx-$ours-picked-beside-software-instances" "$(picked "$name") (highest priority of the name: $sw)" \
        "$ours (highest priority of the name: $sw)"
done
check "$pfx-rmmod" rmmod "$DRIVER_NAME"
check "$pfx-dev-del" vdpa dev del ae1
# Later tests look names up afresh.
drop_software_instances "$AEAD_INSTANCES"
for param in $saved_params; do echo "${param#*=}" >"$p/${param%%=*}"; done
echo "-- t-56: done after $(($(date +%s) - t0)) s"
rmmod vcrs_sim
rm -f /tmp/am.*
