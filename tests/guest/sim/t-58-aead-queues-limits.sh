# SPDX-License-Identifier: GPL-2.0
# The driver's AEADs and authencs on simulated devices (services=15
# chaining=1) other than t-56's:
#   (a) 4 data queues: every algorithm registered and passing its self-tests,
#       one request per algorithm equal to the generic code's, 4 processes in
#       parallel with checked gcm, ccm and authenc requests; the requests
#       spread over several queues;
#   (b) max_size 4096, cipher keys up to 16 bytes, hmac keys up to 32 bytes:
#       requests and keys above run in software (the debugfs software counter
#       grows, the device's does not) with unchanged results; an hmac key
#       longer than the hash's block size, which hmac digests (to 32 bytes for
#       sha256), goes to the device.
# The sim's module parameters are read when a device is added; they are set
# back at the end.

grep -q '^vcrs_sim ' /proc/modules || insmod /vcrs/modules/vcrs_sim.ko
p=/sys/module/vcrs_sim/parameters
saved_params=""
for param in data_queues max_size max_cipher_key_len max_auth_key_len services chaining; do
    saved_params="$saved_params $param=$(cat $p/$param)"
done
echo 15 >$p/services
echo 1 >$p/chaining
# The registrations' self-tests with 10 fuzz iterations at most (t-56 runs them with
# the default 100 on the same algorithms), restored at the end.
fuzz_iterations 10
t0=$(date +%s)

# counted NAME DRIVER EXPECT COMMAND...: runs COMMAND (which gives its own
# verdicts), then the verdict NAME on DRIVER's counters across it (alg_expect).
counted() {
    local name=$1 drv=$2 expect=$3 before
    shift 3
    before=$(alg_snapshot)
    "$@"
    alg_expect "$name" "$drv" "$expect" "$before"
}
# No software instance of these names left by earlier tests: the lookups by
# name see what they would on a fresh kernel (plus our driver).
drop_software_instances "$AEAD_INSTANCES"

pfx=aead-sim4
echo 4 >$p/data_queues
log_mark "t58-$pfx"
check "$pfx-dev-add" vdpa dev add mgmtdev vdpasim_crypto name ae4
check "$pfx-insmod" insmod "$MOD"
check_registered "$pfx" .
echo "-- t-58: 4-queue device registered after $(($(date +%s) - t0)) s"
echo "$AEADS" | while read -r name ours ref kind; do
    [ -n "$ours" ] || continue
    missing "$pfx" "$ours" && continue
    set_kind "$kind"
    # One encryption and one decryption on ours: 2 device requests.
    counted "$pfx-$ours-4KiB-on-device" "$ours" "device=2 software=0" \
        aead_matches "$pfx-$ours-4KiB" "$ours" "$ref" "$(key_for "$kind" "$(last "$KEYLENS")")" "$(last "$TAGS")" \
        $((MINAL + 8)) "$(iv_for "$kind")" 4096
done
# Parallel users: 4 processes, 5 rounds each of gcm, ccm and authenc
# requests, each checked against the generic code.
aead_user() {
    local i=0 k ka iv
    while [ $i -lt 5 ]; do
        k=$(hex 32) ka=$(authenc_key "$(hex 20)" "$(hex 16)") iv=$(hex 16)
        head -c 8208 /dev/urandom >"/tmp/au$1.in"
        if ! { afalg_aead -k "$k" -t 16 -a 16 -i "$(echo "$iv" | cut -c1-24)" -f "/tmp/au$1.in" -o "/tmp/au$1.a" gcm-aes-virtio-rs &&
            afalg_aead -k "$k" -t 16 -a 16 -i "$(echo "$iv" | cut -c1-24)" -f "/tmp/au$1.in" -o "/tmp/au$1.b" \
                'gcm_base(ctr(aes-generic),ghash-generic)' && cmp -s "/tmp/au$1.a" "/tmp/au$1.b" &&
            afalg_aead -k "$k" -t 8 -a 16 -i "03$(echo "$iv" | cut -c3-)" -f "/tmp/au$1.in" -o "/tmp/au$1.a" ccm-aes-virtio-rs &&
            afalg_aead -k "$k" -t 8 -a 16 -i "03$(echo "$iv" | cut -c3-)" -f "/tmp/au$1.in" -o "/tmp/au$1.b" \
                'ccm_base(ctr(aes-generic),cbcmac(aes-generic))' && cmp -s "/tmp/au$1.a" "/tmp/au$1.b" &&
            afalg_aead -k "$ka" -t 20 -a 16 -i "$iv" -f "/tmp/au$1.in" -o "/tmp/au$1.a" \
                authenc-hmac-sha1-cbc-aes-virtio-rs &&
            afalg_aead -d -k "$ka" -t 20 -a 16 -i "$iv" -f "/tmp/au$1.a" -o "/tmp/au$1.b" \
                'authenc(hmac(sha1-generic),cbc(aes-generic))' && cmp -s "/tmp/au$1.b" "/tmp/au$1.in"; }; then
            echo mismatch >"/tmp/au$1.failed"
            return
        fi
        i=$((i + 1))
    done
}
rm -f /tmp/au*.failed
before=$(alg_snapshot) qbefore=$(dataq_snapshot)
for u in 1 2 3 4; do aead_user $u >/dev/null 2>&1 & done
wait
check "$pfx-parallel-users-correct" sh -c "! ls /tmp/au*.failed 2>/dev/null | grep -q ."
rm -f /tmp/au*
# 4 users x 5 rounds: one request on ours each for gcm, ccm and authenc.
for drv in gcm-aes-virtio-rs ccm-aes-virtio-rs authenc-hmac-sha1-cbc-aes-virtio-rs; do
    alg_expect "$pfx-parallel-$drv-on-device" "$drv" "device=20 software=0" "$before"
done
dataq_snapshot | tr '\n' ' '
check "$pfx-several-queues-used" test "$(queues_grown "$qbefore")" -ge 2
check "$pfx-rmmod" rmmod "$DRIVER_NAME"
check "$pfx-dev-del" vdpa dev del ae4
echo "-- t-58: 4-queue device done after $(($(date +%s) - t0)) s"

# Limits: max_size 4096, cipher keys up to 16 bytes, hmac keys up to 32 bytes.
pfx=aead-limits
echo 1 >$p/data_queues
echo 4096 >$p/max_size
echo 16 >$p/max_cipher_key_len
echo 32 >$p/max_auth_key_len
log_mark "t58-$pfx"
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
    counted "$pfx-gcm-key16-1000B-on-device" gcm-aes-virtio-rs "device=2 software=0" gcm_small
    counted "$pfx-gcm-key32-1000B-in-software" gcm-aes-virtio-rs "device=0 software=2 limits=2" gcm_bigkey
    counted "$pfx-gcm-key16-8192B-in-software" gcm-aes-virtio-rs "device=0 software=2 limits=2" gcm_big
fi
if ! missing "$pfx" ccm-aes-virtio-rs; then
    ccm_small() { aead_matches "$pfx-ccm-key16-1000B" ccm-aes-virtio-rs "$CCMREF" "$(hex 16)" 12 16 "02$(hex 15)" 1000; }
    ccm_big() { aead_matches "$pfx-ccm-key24-8192B" ccm-aes-virtio-rs "$CCMREF" "$(hex 24)" 12 16 "02$(hex 15)" 8192; }
    counted "$pfx-ccm-key16-1000B-on-device" ccm-aes-virtio-rs "device=2 software=0" ccm_small
    counted "$pfx-ccm-key24-8192B-in-software" ccm-aes-virtio-rs "device=0 software=2 limits=2" ccm_big
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
    counted "$pfx-authenc-hmac20-aes16-on-device" "$AE" "device=2 software=0" ae_small
    counted "$pfx-authenc-hmac40-aes16-in-software" "$AE" "device=0 software=2 limits=2" ae_hmac40
    counted "$pfx-authenc-hmac64-aes16-in-software" "$AE" "device=0 software=2 limits=2" ae_hmac64
    # 100 bytes: longer than sha256's 64-byte block, so hmac's key is its 32-byte digest.
    counted "$pfx-authenc-hmac100-digested-aes16-on-device" "$AE" "device=2 software=0" ae_hmac100
    counted "$pfx-authenc-hmac20-aes32-in-software" "$AE" "device=0 software=2 limits=2" ae_aes32
    counted "$pfx-authenc-hmac20-aes16-8192B-in-software" "$AE" "device=0 software=2 limits=2" ae_big
fi
cat /sys/kernel/debug/virtio_crypto_rs/virtio*/status
check "$pfx-rmmod" rmmod "$DRIVER_NAME"
check "$pfx-dev-del" vdpa dev del ael
for param in $saved_params; do echo "${param#*=}" >"$p/${param%%=*}"; done
fuzz_iterations_restore
echo "-- t-58: done after $(($(date +%s) - t0)) s"
rmmod vcrs_sim
rm -f /tmp/am.*
