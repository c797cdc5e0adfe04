# SPDX-License-Identifier: GPL-2.0
# QEMU's device offers no AEAD service and rejects chaining sessions (ERR): the
# driver registers none of its AEADs (gcm, ccm, rfc7539, rfc7539esp) or authencs, and logs
# once per bound device and family ("aead", "authenc") either that the device
# offers none of its algorithms or that it refuses their sessions (exactly one
# of the two lines; which one depends on what the device advertises). IPsec
# ESP between two network namespaces joined by a veth pair still works with
# our module loaded, on software: rfc4106(gcm(aes)) and
# authenc(hmac(sha256),cbc(aes)) (whose cbc(aes) may well be our skcipher,
# which QEMU's device serves).

log_mark aead-refused
check aeadref-insmod insmod "$MOD"
# The self-tests of what it did register (cbc(aes)) ran: probing is over.
expect_eq aeadref-cbc-aes-selftest "$(wait_selftest cbc-aes-virtio-rs)" passed
AEADS="gcm-aes ccm-aes rfc7539-chacha20-poly1305 rfc7539esp-chacha20-poly1305"
for h in md5 sha1 sha224 sha256 sha384 sha512; do
    for c in aes des3_ede; do AEADS="$AEADS authenc-hmac-$h-cbc-$c"; done
done
for alg in $AEADS; do
    check "aeadref-$alg-virtio-rs-not-registered" sh -c "! grep -q '^driver *: $alg-virtio-rs\$' /proc/crypto"
done
# Nothing of ours of type aead at all.
no_aead_of_ours() {
    ! awk '/^driver/ { d = $3 } /^module/ { m = $3 } /^type/ && $3 == "aead" && m == "virtio_crypto_rs" { print d; f = 1 } END { exit !f }' /proc/crypto
}
check aeadref-no-aead-of-ours no_aead_of_ours

# Exactly one of the two lines per family per bound device.
one_line_per_family_and_device() {
    local dev fam n devices=0 bad=""
    for dev in /sys/bus/virtio/drivers/"$DRIVER_NAME"/virtio*; do
        [ -e "$dev" ] || continue
        dev=$(basename "$dev")
        devices=$((devices + 1))
        for fam in aead authenc; do
            n=$(log_since aead-refused | grep -cE \
                "virtio_crypto_rs: $dev: the device offers (no $fam algorithms|$fam algorithms but refuses their sessions; none registered for it)\$")
            [ "$n" = 1 ] || bad="$bad $dev/$fam:$n"
        done
    done
    log_since aead-refused | grep -E 'offers (no )?(aead|authenc) algorithms'
    [ "$devices" -gt 0 ] || { echo "no device bound"; return 1; }
    [ -z "$bad" ] || { echo "lines per device and family:$bad"; return 1; }
}
check aeadref-one-line-per-family-and-device one_line_per_family_and_device

# ESP on software.
# shellcheck disable=SC2034 # IPA, IPB: read by lib.sh's netns_pair and esp_pair
A=vcrs-aeq-a B=vcrs-aeq-b IPA=10.95.0.1 IPB=10.95.0.2
check aeadref-netns-veth netns_pair
sa_gcm() { esp_sa "$1" "$2" "$3" "$4" "$5" aead 'rfc4106(gcm(aes))' "$ESPKEY" 128; }
sa_authenc() { esp_sa "$1" "$2" "$3" "$4" "$5" enc 'cbc(aes)' "$ESPKEY" auth-trunc 'hmac(sha256)' "$ESPAUTH" 128; }
# software_held NAME: the states hold what NAME gives, which is not one of our AEADs.
software_held() {
    local drv n
    drv=$(picked "$1")
    n=$(proc_crypto_field "$drv" refcnt)
    echo "$1 gives '$drv' (refcnt '$n')"
    case "$drv" in
    "" | *-virtio-rs) return 1 ;;
    esac
    [ "${n:-0}" -gt 1 ]
}
# name, mode, state function, key bytes, the IV generator's name ESP allocates
ESPS="
gcm transport sa_gcm 20 seqiv(rfc4106(gcm(aes)))
authenc tunnel sa_authenc 16 echainiv(authenc(hmac(sha256),cbc(aes)))
"
echo "$ESPS" | while read -r case mode add keylen geniv; do
    [ -n "$case" ] || continue
    ESPKEY=0x$(hex "$keylen") ESPAUTH=0x$(hex 32)
    check "aeadref-esp-$case-$mode-setup" esp_pair "$mode" 0x5001 0x5002 "$add"
    check "aeadref-esp-$case-on-software" software_held "$geniv"
    before=$(alg_snapshot)
    expect_eq "aeadref-esp-$case-10-pings-answered" "$(pings 10)" 10
    check "aeadref-esp-$case-1MiB-download-intact" bulk_transfer 1
    packets=$(($(xfrm_packets $A) + $(xfrm_packets $B)))
    check "aeadref-esp-$case-packets-went-through-esp" test "$packets" -ge 40
    # What of ours the traffic used: gcm nothing (rfc4106(gcm(aes)) is all
    # software, our ctr(aes) is not registered on QEMU's device); authenc's
    # cbc(aes) is ours, on the device: one request per packet of every state
    # (each packet encrypted by the sender's state, decrypted by the
    # receiver's), none in software (its ring is never full at this traffic).
    if [ "$case" = authenc ]; then
        alg_expect "aeadref-esp-$case-cbc-aes-on-device" cbc-aes-virtio-rs "device>=$packets software=0" "$before"
    else
        alg_expect "aeadref-esp-$case-nothing-on-ours" "gcm-aes-virtio-rs cbc-aes-virtio-rs" "device=0 software=0" "$before"
    fi
    check "aeadref-esp-$case-flush" xfrm_flush
done
teardown() { ip netns del $A && ip netns del $B; }
check aeadref-teardown teardown
no_warnings() { ! log_since aead-refused | grep -E 'WARNING:|BUG:|Call Trace|Oops'; }
check aeadref-no-kernel-warnings no_warnings
check aeadref-module-unused wait_module_unused
check aeadref-rmmod rmmod "$DRIVER_NAME"
