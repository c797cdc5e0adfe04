# SPDX-License-Identifier: GPL-2.0
# Driver error lines this script provokes on purpose (tests/guest/run-tests.sh):
# vcrs-expect-log: dataq[0-9]+: invalid answer \(used length [0-9]+ of [0-9]+ writable bytes, status [0-9]+\)
#
# Asymmetric keys on the simulated device offering only the AKCIPHER service
# (services=16: RSA and ECDSA, computed there by the kernel's own software):
#   (a) `rsa` is registered as our driver, passes the kernel's self-tests, all
#       on the device: testmgr's 5 RSA vectors (one of them public-key only)
#       are 5 public-key and 4 private-key operations, exactly, after one
#       known-answer encryption that confirms the device computes raw RSA;
#   (b) raw RSA through vcrs_kapi equals the generic code's (rsa-generic),
#       output and errno alike, with 2048- and 4096-bit keys made by openssl:
#       public and private operations, short and long sources, destinations
#       shorter and longer than the key, split scatterlists, payloads at the
#       edges (0, 1, n-2, n-1, n), a private operation with a public key,
#       keys the generic code refuses; each operation one request on the
#       device, counted by the driver and by the device (a source longer
#       than the key: the generic code's, counted "limits");
#   (c) the kernel's templates over ours: pkcs1pad(rsa,sha256) signs through
#       our rsa (6.12) as openssl does;
#   (d) keyctl with an X.509 certificate and its PKCS#8 private key
#       (asymmetric key type): pkey_encrypt, pkey_decrypt, pkey_sign and
#       pkey_verify each one request on the device, results equal to
#       openssl's; a certificate chain: a keyring that accepts only keys
#       signed by a CA's key takes a certificate the CA signed (verified on the
#       device) and refuses one it did not;
#   (e) a device error fails the one request: a bad status, a result longer
#       than the key, a success with nothing written;
#   (g) sessions are a cache: 4 keys signing at once on a device with room
#       for 2 sessions all get openssl's signatures, each operation counted
#       on the device or in software for "no_session";
#   (f) on 6.12, ECDSA verification (ecdsa-nist-p192..p521): the self-tests
#       on the device, openssl's signatures verified on the device, the
#       generic code's errno for wrong digests (from the device) and for
#       malformed signatures (from the generic code), keyctl's certificate
#       and pkey_verify on the device.

# shellcheck source=../kapi.sh # the guest has this folder as /vcrs/tests
. /vcrs/tests/kapi.sh
# shellcheck source=../akcipher.sh
. /vcrs/tests/akcipher.sh

t0=$(date +%s)
# (Loaded by t-10 in a whole run; here too, so the script runs alone.)
load_vdpa_sim && modprobe virtio_vdpa
sim_params services=16 data_queues=1
check ak-dev-add vdpa dev add mgmtdev vdpasim_crypto name ak0
check ak-insmod insmod "$MOD"
echo rsa-virtio-rs | drivers_registered ak 60 5
show_registered
# (a) The self-tests, right after registration (the counters start at zero).
alg_expect ak-rsa-selftest-on-device rsa-virtio-rs "device=9 software=0" ""
# The device saw one encryption more: the driver's known-answer probe before
# registering (catalog/family.rs, confirm), counted by the device only.
expect_eq ak-rsa-selftest-reached-device "$(sim_opcode ak0 0x0400) $(sim_opcode ak0 0x0401)" "6 4"
expect_eq ak-rsa-picked "$(picked rsa)" rsa-virtio-rs

# rsa_case NAME ARGS...: ours equals rsa-generic for "akcipher ... ARGS", one
# request on the device (driver and device counts).
rsa_case() {
    local name=$1 algs sim
    shift
    algs=$(alg_snapshot) sim=$(sim_requests ak0)
    kapi_matches_ref "$name" akcipher rsa-virtio-rs rsa "$@" &&
        device_took "$name-on-device" rsa-virtio-rs "$sim" "$(sim_requests ak0)" "$algs"
}

# rsa_errno NAME EXPECT ARGS...: ours fails as rsa-generic does, our
# counters as EXPECT says (alg_expect's terms: "device=0 software=0" for a
# request refused before the device).
rsa_errno() {
    local name=$1 want=$2 algs
    shift 2
    algs=$(alg_snapshot)
    ak_same_errno "$name" rsa-virtio-rs rsa "$@"
    alg_expect "$name-counted" rsa-virtio-rs "$want" "$algs"
}

# A source longer than the key, which only the generic code judges: there,
# counted "limits".
SW1="device=0 software=1 limits=1"

for bits in 2048 4096; do
    pfx=ak-rsa$bits
    check "$pfx-keygen" rsa_keys $bits
    k=$((bits / 8))
    pub=$(file_hex $AK/rsa$bits.pub.der) priv=$(file_hex $AK/rsa$bits.priv.der)
    n=$(rsa_modulus_hex $AK/rsa$bits.pem)
    m=$(hex 32)
    rsa_case "$pfx-enc" enc pub "$pub" "$m" $k
    c=$(kapi_out)
    rsa_case "$pfx-dec" dec priv "$priv" "$c" $k
    expect_eq "$pfx-dec-roundtrip" "$(kapi_out)" "$(printf '%0*d' $((2 * (k - 32))) 0)$m"
    rsa_case "$pfx-enc-with-private-key" enc priv "$priv" "$m" $k
    rsa_case "$pfx-enc-segs" enc pub "$pub" "$(hex $k | sed 's/^../00/')" $k segs=5
    rsa_case "$pfx-dec-segs" dec priv "$priv" "$c" $k segs=7
    rsa_case "$pfx-enc-long-dst" enc pub "$pub" "$m" $((k + 44))
    rsa_case "$pfx-enc-leading-zeros" enc pub "$pub" "$(printf '%088d' 0)$m" $k
    algs=$(alg_snapshot)
    kapi_matches_ref "$pfx-enc-long-src" akcipher rsa-virtio-rs rsa enc pub "$pub" "$(printf '%0*d' $((2 * k)) 0)$m" $k
    alg_expect "$pfx-enc-long-src-in-software" rsa-virtio-rs "$SW1" "$algs"
    rsa_case "$pfx-payload-n-2" enc pub "$pub" "$(hex_be_plus "$n" -2)" $k
    rsa_errno "$pfx-short-dst" "device=1 software=0" enc pub "$pub" "$(hex $k | sed 's/^../7f/')" $((k - 8))
    rsa_errno "$pfx-payload-0" "device=0 software=0" enc pub "$pub" 00 $k
    rsa_errno "$pfx-payload-1" "device=0 software=0" enc pub "$pub" 0001 $k
    rsa_errno "$pfx-payload-n-1" "device=0 software=0" enc pub "$pub" "$(hex_be_plus "$n" -1)" $k
    rsa_errno "$pfx-payload-n" "device=0 software=0" dec priv "$priv" "$n" $k
    rsa_errno "$pfx-payload-beyond-key" "$SW1" enc pub "$pub" "01$(printf '%0*d' $((2 * k)) 0)" $k
    rsa_errno "$pfx-dec-with-public-key" "device=0 software=0" dec pub "$pub" "$c" $k
done
rsa_errno ak-rsa-garbage-key "device=0 software=0" enc pub "$(hex 64)" "$(hex 8)" 256
rsa_errno ak-rsa-truncated-key "device=0 software=0" enc pub "$(file_hex $AK/rsa2048.pub.der | cut -c1-200)" "$(hex 8)" 256
rsa_errno ak-rsa-private-key-as-public "device=0 software=0" enc pub "$(file_hex $AK/rsa2048.priv.der)" "$(hex 8)" 256
# The generic code takes moduli whose size in whole 64-bit limbs is 512, 1024,
# 1536, 2048, 3072 or 4096 bits: a 960-bit key is refused, a 1000-bit one taken
# (its max_size is 128, its results 125 bytes from the device).
for bits in 960 1000; do
    openssl genrsa -traditional -out $AK/rsa$bits.pem $bits 2>/dev/null
    openssl rsa -in $AK/rsa$bits.pem -RSAPublicKey_out -outform DER -out $AK/rsa$bits.pub.der 2>/dev/null
done
rsa_errno ak-rsa-960-bit-key "device=0 software=0" enc pub "$(file_hex $AK/rsa960.pub.der)" "$(hex 8)" 120
rsa_case ak-rsa-1000-bit-key enc pub "$(file_hex $AK/rsa1000.pub.der)" "$(hex 8)" 128
rsa_errno ak-rsa-1000-bit-key-125-byte-dst "device=1 software=0" enc pub "$(file_hex $AK/rsa1000.pub.der)" "7f$(hex 123)" 125
echo "-- t-53: raw RSA after $(($(date +%s) - t0)) s"

# (c) pkcs1pad(rsa,sha256) over ours: a PKCS#1 v1.5 signature of a SHA-256
# digest, as openssl makes it (6.12: akcipher sign; 7.x has signatures as
# sig_alg, checked through keyctl below).
printf 'a message to sign' >$AK/msg
openssl dgst -sha256 -binary -out $AK/msg.sha256 $AK/msg
openssl dgst -sha256 -sign $AK/rsa2048.pem -out $AK/msg.sig $AK/msg
if [ "$(uname -r | cut -d. -f1)" -lt 7 ]; then
    algs=$(alg_snapshot)
    kapi_expect ak-pkcs1pad-sign-like-openssl "$(file_hex $AK/msg.sig)" \
        akcipher 'pkcs1pad(rsa,sha256)' sign priv "$(file_hex $AK/rsa2048.priv.der)" "$(file_hex $AK/msg.sha256)" 256
    expect_eq ak-pkcs1pad-over-ours "$(kapi_served)" "pkcs1pad(rsa-virtio-rs,sha256)"
    alg_expect ak-pkcs1pad-sign-on-device rsa-virtio-rs "device>=1 software=0" "$algs"
fi

# (d) keyctl: the asymmetric key type's operations through the kernel's
# public_key code, which asks for pkcs1pad(rsa,sha256) (6.12) or
# pkcs1(rsa,sha256) and pkcs1pad(rsa) (7.x): built over our rsa.
if ! command -v keyctl >/dev/null; then
    fail ak-keyctl "keyctl missing in the guest"
else
    # keyctl_one NAME DEVICE_OPS COMMAND...: COMMAND succeeds with exactly
    # DEVICE_OPS operations of our rsa on the device (and the device's own
    # count), none in software.
    keyctl_one() {
        local name=$1 ops=$2 sim
        shift 2
        sim=$(sim_requests ak0)
        served "$name" rsa-virtio-rs "device=$ops software=0" "$@" &&
            expect_eq "$name-reached-device" "$(($(sim_requests ak0) - sim))" "$ops"
    }
    # PKCS#8 private keys: built in on 6.12, a module on Debian's 7.3.
    grep -q pkcs8 /proc/modules || modprobe pkcs8_key_parser 2>/dev/null || true
    kr=$(keyctl newring vcrs-ak @u)
    # The templates public_key asks for are instantiated on first use, and
    # their self-tests then run over our rsa (7.x: pkcs1(rsa,sha256),
    # pkcs1pad(rsa)): one round of each operation first, not counted.
    warm=$(keyctl newring vcrs-warm @u)
    keyctl padd asymmetric warm-cert "$warm" <$AK/rsa2048.crt >$AK/warm.id
    head -c 16 /dev/urandom >$AK/warm.in
    keyctl pkey_encrypt "$(cat $AK/warm.id)" 0 $AK/warm.in enc=pkcs1 >/dev/null
    keyctl unlink "$warm" @u >/dev/null
    # Adding the self-signed certificate verifies its signature: one public-key operation.
    keyctl_one ak-keyctl-padd-cert 1 sh -c "keyctl padd asymmetric vcrs-cert $kr <$AK/rsa2048.crt >$AK/cert.id"
    check ak-keyctl-padd-priv sh -c "keyctl padd asymmetric vcrs-priv $kr <$AK/rsa2048.p8 >$AK/priv.id"
    cert=$(cat $AK/cert.id) privk=$(cat $AK/priv.id)
    head -c 100 /dev/urandom >$AK/plain
    keyctl_one ak-keyctl-encrypt 1 sh -c "keyctl pkey_encrypt $cert 0 $AK/plain enc=pkcs1 >$AK/plain.enc"
    keyctl_one ak-keyctl-decrypt 1 sh -c "keyctl pkey_decrypt $privk 0 $AK/plain.enc enc=pkcs1 >$AK/plain.dec"
    check ak-keyctl-roundtrip cmp $AK/plain $AK/plain.dec
    check ak-keyctl-openssl-decrypts-ours sh -c \
        "openssl pkeyutl -decrypt -inkey $AK/rsa2048.pem -in $AK/plain.enc | cmp - $AK/plain"
    openssl pkeyutl -encrypt -certin -inkey "$AK/rsa2048.crt" -keyform DER -in $AK/plain -out $AK/plain.ossl 2>/dev/null ||
        openssl pkeyutl -encrypt -inkey "$AK/rsa2048.pem" -in $AK/plain -out $AK/plain.ossl
    keyctl_one ak-keyctl-decrypt-openssls 1 sh -c "keyctl pkey_decrypt $privk 0 $AK/plain.ossl enc=pkcs1 | cmp - $AK/plain"
    keyctl_one ak-keyctl-sign 1 sh -c "keyctl pkey_sign $privk 0 $AK/msg.sha256 enc=pkcs1 hash=sha256 >$AK/msg.ksig"
    check ak-keyctl-sign-like-openssl cmp $AK/msg.ksig $AK/msg.sig
    keyctl_one ak-keyctl-verify 1 keyctl pkey_verify "$cert" 0 $AK/msg.sha256 $AK/msg.sig enc=pkcs1 hash=sha256
    cp $AK/msg.sig $AK/msg.badsig
    printf '\001' | dd of=$AK/msg.badsig bs=1 seek=100 conv=notrunc 2>/dev/null
    algs=$(alg_snapshot)
    check_fails ak-keyctl-verify-bad-signature keyctl pkey_verify "$cert" 0 $AK/msg.sha256 $AK/msg.badsig enc=pkcs1 hash=sha256
    alg_expect ak-keyctl-verify-bad-signature-on-device rsa-virtio-rs "device=1 software=0" "$algs"

    # A chain: a CA, a keyring that takes only what the CA's key signed.
    openssl genrsa -traditional -out $AK/ca.pem 2048 2>/dev/null
    openssl req -x509 -new -key $AK/ca.pem -sha256 -days 30 -subj "/CN=vcrs ca" \
        -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign \
        -addext subjectKeyIdentifier=hash -outform DER -out $AK/ca.crt 2>/dev/null
    openssl genrsa -traditional -out $AK/leaf.pem 2048 2>/dev/null
    openssl req -new -key $AK/leaf.pem -subj "/CN=vcrs leaf" -out $AK/leaf.csr 2>/dev/null
    # The kernel finds the signer by the authority key identifier.
    printf 'authorityKeyIdentifier=keyid:always\nbasicConstraints=CA:FALSE\n' >$AK/leaf.ext
    openssl x509 -req -in $AK/leaf.csr -CA $AK/ca.crt -CAform DER -CAkey $AK/ca.pem -CAcreateserial \
        -sha256 -days 30 -extfile $AK/leaf.ext -outform DER -out $AK/leaf.crt 2>/dev/null
    # The same request signed by another key: not the CA's.
    openssl x509 -req -in $AK/leaf.csr -CA $AK/rsa2048.crt -CAform DER -CAkey $AK/rsa2048.pem -CAcreateserial \
        -sha256 -days 30 -extfile $AK/leaf.ext -outform DER -out $AK/stranger.crt 2>/dev/null
    ca_ring=$(keyctl newring vcrs-ca "$kr")
    keyctl_one ak-chain-ca-added 1 sh -c "keyctl padd asymmetric vcrs-ca-cert $ca_ring <$AK/ca.crt >/dev/null"
    chain=$(keyctl newring vcrs-chain "$kr")
    check ak-chain-restrict keyctl restrict_keyring "$chain" asymmetric "key_or_keyring:$ca_ring"
    keyctl_one ak-chain-signed-leaf-accepted 1 sh -c "keyctl padd asymmetric vcrs-leaf $chain <$AK/leaf.crt >/dev/null"
    algs=$(alg_snapshot)
    check_fails ak-chain-stranger-refused sh -c "keyctl padd asymmetric vcrs-stranger $chain <$AK/stranger.crt"
    alg_expect ak-chain-stranger-no-device-work rsa-virtio-rs "device<=1 software=0" "$algs"
    keyctl unlink "$kr" @u >/dev/null
fi
echo "-- t-53: keyctl after $(($(date +%s) - t0)) s"

# (f) ECDSA verification (6.12: akcipher ecdsa-nist-p192..p521; from 6.13
# signatures are sig_alg, which the driver does not offer yet).
if [ "$(uname -r | cut -d. -f1)" -lt 7 ]; then
    echo "ecdsa-nist-p192-virtio-rs ecdsa-nist-p256-virtio-rs ecdsa-nist-p384-virtio-rs ecdsa-nist-p521-virtio-rs" |
        tr ' ' '\n' | drivers_registered ak-ecdsa 30 5
    # testmgr's vectors, one verification each: 5, 11, 5 and 4 (6.12).
    for cv in p192:5 p256:11 p384:5 p521:4; do
        alg_expect "ak-ecdsa-${cv%:*}-selftest-on-device" "ecdsa-nist-${cv%:*}-virtio-rs" "device=${cv#*:} software=0" ""
        expect_eq "ak-ecdsa-${cv%:*}-picked" "$(picked "ecdsa-nist-${cv%:*}")" "ecdsa-nist-${cv%:*}-virtio-rs"
    done
    for cv in P-256:p256:65:sha256 P-384:p384:97:sha384; do
        curve=${cv%%:*} rest=${cv#*:}
        short=${rest%%:*} rest=${rest#*:}
        plen=${rest%%:*} hash=${rest#*:}
        ours=ecdsa-nist-$short-virtio-rs pfx=ak-ecdsa-$short
        openssl req -x509 -newkey ec -pkeyopt "ec_paramgen_curve:$curve" -nodes -keyout "$AK/$short.pem" \
            -"$hash" -days 30 -subj "/CN=vcrs $short" -outform DER -out "$AK/$short.crt" 2>/dev/null
        openssl ec -in "$AK/$short.pem" -pubout -outform DER -out "$AK/$short.spki" 2>/dev/null
        point=$(tail -c "$plen" "$AK/$short.spki" | od -An -v -tx1 | tr -d ' \n')
        openssl dgst -"$hash" -binary -out "$AK/$short.dgst" $AK/msg
        openssl dgst -"$hash" -sign "$AK/$short.pem" -out "$AK/$short.sig" $AK/msg
        sig=$(file_hex "$AK/$short.sig") dgst=$(file_hex "$AK/$short.dgst")
        dlen=$(($(wc -c <"$AK/$short.dgst")))
        algs=$(alg_snapshot) sim=$(sim_requests ak0)
        kapi_matches_ref "$pfx-verify-openssl" akcipher "$ours" "ecdsa-nist-$short" verify pub "$point" "$sig$dgst" "$dlen" &&
            device_took "$pfx-verify-openssl-on-device" "$ours" "$sim" "$(sim_requests ak0)" "$algs"
        # A wrong digest: the generic code's -EKEYREJECTED, from the device.
        algs=$(alg_snapshot)
        ak_same_errno "$pfx-wrong-digest" "$ours" "ecdsa-nist-$short" verify pub "$point" "$sig$(hex "$dlen")" "$dlen"
        alg_expect "$pfx-wrong-digest-on-device" "$ours" "device=1 software=0" "$algs"
        # A signature the generic code refuses before computing (r = 0; a
        # truncated DER): its errno, from the generic code ("limits").
        algs=$(alg_snapshot)
        ak_same_errno "$pfx-r-zero" "$ours" "ecdsa-nist-$short" verify pub "$point" "3006020100020101$dgst" "$dlen"
        ak_same_errno "$pfx-truncated-der" "$ours" "ecdsa-nist-$short" verify pub "$point" "$(echo "$sig" | cut -c1-20)$dgst" "$dlen"
        alg_expect "$pfx-malformed-in-software" "$ours" "device=0 software=2 limits=2" "$algs"
        ak_same_errno "$pfx-point-off-curve" "$ours" "ecdsa-nist-$short" verify pub "04$(hex $((plen - 1)))" "$sig$dgst" "$dlen"
        ak_same_errno "$pfx-no-private-keys" "$ours" "ecdsa-nist-$short" verify priv "$point" "$sig$dgst" "$dlen"
        # keyctl: the self-signed certificate's signature, verified when it is
        # added; then an openssl signature through pkey_verify (X9.62 encoding).
        if command -v keyctl >/dev/null; then
            kr=$(keyctl newring "vcrs-$short" @u)
            served "$pfx-keyctl-padd-cert" "$ours" "device=1 software=0" \
                sh -c "keyctl padd asymmetric vcrs-$short $kr <$AK/$short.crt >$AK/$short.id"
            served "$pfx-keyctl-verify" "$ours" "device=1 software=0" \
                keyctl pkey_verify "$(cat "$AK/$short.id")" 0 "$AK/$short.dgst" "$AK/$short.sig" enc=x962 "hash=$hash"
            keyctl unlink "$kr" @u >/dev/null
        fi
    done
    echo "-- t-53: ECDSA after $(($(date +%s) - t0)) s"
fi

# (e) Device errors fail the one request: a status, and answers the driver
# must not believe (the simulated device's akcipher faults).
dbg=/sys/kernel/debug/vcrs_sim/ak0
pub=$(file_hex $AK/rsa2048.pub.der)
echo $((0x400)) >$dbg/fail_opcode
echo 1 >$dbg/fail_every
for st in "1 -5" "2 -74" "3 -95"; do
    echo "${st% *}" >$dbg/fail_status
    algs=$(alg_snapshot)
    kapi_errno "ak-status-${st% *}" "${st#* } encrypt" akcipher rsa-virtio-rs enc pub "$pub" "$(hex 32)" 256
    alg_expect "ak-status-${st% *}-from-device" rsa-virtio-rs "device=1 software=0" "$algs"
done
echo 0 >$dbg/fail_every
# The simulated device's akcipher misbehaviours (vcrs_sim_hostile.c), every
# request: a used length beyond the buffers (the result would be longer than
# the key: EIO, nothing copied), a success turned into BADMSG (EBADMSG), and a
# failure (a payload the device refuses: here a status forced to ERR) turned
# into a success with nothing written (EIO: the result is missing).
echo 1 >$dbg/hostile_every
echo 1 >$dbg/hostile_queues
for case in "512:-5" "1024:-74"; do
    echo "${case%%:*}" >$dbg/hostile_mask
    algs=$(alg_snapshot)
    kapi_errno "ak-hostile-${case%%:*}" "${case#*:} encrypt" akcipher rsa-virtio-rs enc pub "$pub" "$(hex 32)" 256
    alg_expect "ak-hostile-${case%%:*}-from-device" rsa-virtio-rs "device=1 software=0" "$algs"
done
echo 1 >$dbg/fail_every
echo 1 >$dbg/fail_status
algs=$(alg_snapshot)
kapi_errno ak-hostile-failure-as-success "-5 encrypt" akcipher rsa-virtio-rs enc pub "$pub" "$(hex 32)" 256
alg_expect ak-hostile-failure-as-success-from-device rsa-virtio-rs "device=1 software=0" "$algs"
echo 0 >$dbg/fail_every
echo 0 >$dbg/hostile_mask
kapi_matches_ref ak-healthy-again akcipher rsa-virtio-rs rsa enc pub "$pub" "$(hex 32)" 256
echo "-- t-53: done after $(($(date +%s) - t0)) s"

# (g) Sessions are a cache: on a device with room for 2 sessions, 4 private
# keys sign at once (keyctl: each operation a transform of its own, whose key
# opens a session): every signature is openssl's, and every operation ran on
# the device or, when the device had no room, in software for that reason.
check ak-cache-dev-del vdpa dev del ak0
sim_params max_sessions=2
check ak-cache-dev-add vdpa dev add mgmtdev vdpasim_crypto name ak1
wait_registered rsa-virtio-rs 60 >/dev/null
if command -v keyctl >/dev/null; then
    kr=$(keyctl newring vcrs-cache @u)
    for key in rsa2048 rsa4096 ca leaf; do
        openssl pkcs8 -topk8 -nocrypt -in "$AK/$key.pem" -outform DER -out "$AK/$key.cache.p8" 2>/dev/null
        keyctl padd asymmetric "cache-$key" "$kr" <"$AK/$key.cache.p8" >"$AK/$key.cache.id"
        openssl pkeyutl -sign -inkey "$AK/$key.pem" -pkeyopt digest:sha256 -in $AK/msg.sha256 -out "$AK/$key.cache.sig" 2>/dev/null
    done
    # The new device registered rsa again: the templates over it are built (and
    # self-tested) anew on first use, not counted.
    keyctl pkey_sign "$(cat "$AK/rsa2048.cache.id")" 0 $AK/msg.sha256 enc=pkcs1 hash=sha256 >/dev/null
    algs=$(alg_snapshot)
    for key in rsa2048 rsa4096 ca leaf; do
        (
            for _ in 1 2 3 4 5 6; do
                keyctl pkey_sign "$(cat "$AK/$key.cache.id")" 0 $AK/msg.sha256 enc=pkcs1 hash=sha256 |
                    cmp -s - "$AK/$key.cache.sig" || echo "$key: a signature differs from openssl's"
            done
        ) >"$AK/$key.cache.out" 2>&1 &
    done
    wait
    expect_eq ak-cache-signatures-right "$(cat $AK/*.cache.out)" ""
    alg_expect ak-cache-counted rsa-virtio-rs "device>=1 not_ready=0 busy=0 limits=0 forced=0 small=0" "$algs"
    total=$(( $(alg_grew rsa-virtio-rs device "$algs") + $(alg_grew rsa-virtio-rs no_session "$algs") ))
    expect_eq ak-cache-every-operation-counted "$total" 24
    alg_show_delta rsa-virtio-rs "$algs"
    keyctl unlink "$kr" @u >/dev/null
fi

check ak-rmmod rmmod "$DRIVER_NAME"
check ak-dev-del vdpa dev del ak1
sim_params_restore
rmmod vcrs_sim
rm -rf $AK
