# SPDX-License-Identifier: GPL-2.0
# Driver error lines this script provokes on purpose (tests/guest/run-tests.sh):
# vcrs-expect-log: dataq[0-9]+: invalid answer \(used length [0-9]+ of [0-9]+ writable bytes, status 77\)
# vcrs-expect-log: destroying session [0-9]+ failed: error -5
#
# Device statuses of AEAD requests (AEAD_ENCRYPT 0x0300, AEAD_DECRYPT 0x0301,
# for gcm(aes)) and of chained requests (authenc(hmac(sha256),cbc(aes)): the
# CIPHER opcodes 0x0000 encrypt and 0x0001 decrypt with op_type
# ALGORITHM_CHAINING; the sim's fail_chain limits its faults to those) reach
# the AF_ALG caller as their errno (ERR EIO, BADMSG EBADMSG, NOTSUPP
# EOPNOTSUPP, INVSESS EINVAL, NOSPC ENOSPC, KEY_REJECTED EKEYREJECTED), an
# out-of-range status byte as EIO. Lost requests (taken by the device, never
# answered; unbound well before the watchdog's 30-second
# request timeout) complete with an error when the
# device is unbound, without a warning, and the device works again once bound
# anew. The sim's fail_opcode takes the whole opcode: (service << 8) | op.

# The registrations' self-tests repeat what t-50, t-52 and t-56 ran in full:
# 10 fuzz iterations at most (the runner restores the setting after every
# script).
fuzz_iterations 10

grep -q '^vcrs_sim ' /proc/modules || insmod /vcrs/modules/vcrs_sim.ko
p=/sys/module/vcrs_sim/parameters
saved_params=""
for param in data_queues services chaining cipher_l hash mac_l mac_h aead; do
    saved_params="$saved_params $param=$(cat $p/$param)"
done
# Few algorithms (fewer self-tests after the rebind below): CIPHER, MAC and
# AEAD services with AES-CBC, HMAC-SHA256 and GCM only: gcm(aes) and
# authenc(hmac(sha256),cbc(aes)) besides cbc(aes) and hmac(sha256).
echo 1 >$p/data_queues
echo 13 >$p/services # 1 << CIPHER | 1 << MAC | 1 << AEAD
echo 1 >$p/chaining
echo 8 >$p/cipher_l  # 1 << VIRTIO_CRYPTO_CIPHER_AES_CBC
echo 0 >$p/hash
echo 16 >$p/mac_l    # 1 << VIRTIO_CRYPTO_MAC_HMAC_SHA_256
echo 0 >$p/mac_h
echo 2 >$p/aead      # 1 << VIRTIO_CRYPTO_AEAD_GCM
check aerr-dev-add vdpa dev add mgmtdev vdpasim_crypto name aer0
check aerr-insmod insmod "$MOD"
dbg=/sys/kernel/debug/vcrs_sim/aer0
vdev=$(basename "$(readlink -f /sys/bus/vdpa/devices/aer0/virtio*)")
echo "aer0 is $vdev"
GCM=gcm-aes-virtio-rs AE=authenc-hmac-sha256-cbc-aes-virtio-rs
GCMREF='gcm_base(ctr(aes-generic),ghash-generic)' AEREF='authenc(hmac(sha256-generic),cbc(aes-generic))'
wait_registered $GCM 90 || fail aerr-$GCM-registered "not in /proc/crypto"
wait_registered $AE 10 || fail aerr-$AE-registered "not in /proc/crypto"
expect_eq aerr-all-selftests-passed "$(wait_our_selftests)" ""

KGCM=$(hex 16) IVGCM=$(hex 12)
KAE=$(authenc_key "$(hex 32)" "$(hex 16)") IVAE=$(hex 16)
head -c 1040 /dev/urandom >/tmp/ae.in # 16 bytes of associated data, 1024 of plaintext
afalg_aead -e -k "$KGCM" -t 16 -a 16 -i "$IVGCM" -f /tmp/ae.in -o /tmp/ae.gcm "$GCMREF"
afalg_aead -e -k "$KAE" -t 32 -a 16 -i "$IVAE" -f /tmp/ae.in -o /tmp/ae.ae "$AEREF"
# one_op KIND DIR DRIVER: one request through DRIVER; prints its output's sha256
# or the errno name.
one_op() {
    local out o
    o=$(mktemp /tmp/ae.out.XXXXXX)
    case "$1 $2" in
    "gcm -e") out=$(afalg_aead -e -k "$KGCM" -t 16 -a 16 -i "$IVGCM" -f /tmp/ae.in -o "$o" "$3" 2>/dev/null) ;;
    "gcm -d") out=$(afalg_aead -d -k "$KGCM" -t 16 -a 16 -i "$IVGCM" -f /tmp/ae.gcm -o "$o" "$3" 2>/dev/null) ;;
    "ae -e") out=$(afalg_aead -e -k "$KAE" -t 32 -a 16 -i "$IVAE" -f /tmp/ae.in -o "$o" "$3" 2>/dev/null) ;;
    "ae -d") out=$(afalg_aead -d -k "$KAE" -t 32 -a 16 -i "$IVAE" -f /tmp/ae.ae -o "$o" "$3" 2>/dev/null) ;;
    esac
    if [ -z "$out" ]; then sha256sum <"$o" | cut -d' ' -f1; else echo "$out"; fi
    rm -f "$o"
}

# kind, direction, driver, reference, opcode (decimal), fail_chain, opcode as the sim's stats print it
CASES="
gcm -e $GCM $GCMREF 768 0 0x0300
gcm -d $GCM $GCMREF 769 0 0x0301
ae -e $AE $AEREF 0 1 0x0000
ae -d $AE $AEREF 1 1 0x0001
"
echo "$CASES" | while read -r kind dir drv ref opcode chain stat; do
    [ -n "$kind" ] || continue
    name=$kind$dir
    if [ -z "$(proc_crypto_field "$drv" driver)" ]; then
        fail "aerr-$name-cases" "$drv is not registered: its cases were skipped"
        continue
    fi
    want_ok=$(one_op "$kind" "$dir" "$ref")
    echo "$opcode" >$dbg/fail_opcode
    echo "$chain" >$dbg/fail_chain
    echo 1 >$dbg/fail_every
    for case in 1:EIO 2:EBADMSG 3:EOPNOTSUPP 4:EINVAL 5:ENOSPC 6:EKEYREJECTED; do
        echo "${case%%:*}" >$dbg/fail_status
        algs=$(alg_snapshot) sim=$(sim_opcode aer0 "$stat")
        expect_eq "aerr-$name-status-${case%%:*}" "$(one_op "$kind" "$dir" "$drv")" "${case#*:}"
        device_took "aerr-$name-status-${case%%:*}-from-device" "$drv" "$sim" "$(sim_opcode aer0 "$stat")" "$algs"
    done
    echo 0 >$dbg/fail_every
    echo 0 >$dbg/fail_chain
    echo 77 >$dbg/bad_status
    algs=$(alg_snapshot) sim=$(sim_opcode aer0 "$stat")
    expect_eq "aerr-$name-out-of-range-status" "$(one_op "$kind" "$dir" "$drv")" EIO
    device_took "aerr-$name-out-of-range-status-from-device" "$drv" "$sim" "$(sim_opcode aer0 "$stat")" "$algs"
    echo 0 >$dbg/bad_status
    algs=$(alg_snapshot) sim=$(sim_opcode aer0 "$stat")
    expect_eq "aerr-$name-healthy-again" "$(one_op "$kind" "$dir" "$drv")" "$want_ok"
    device_took "aerr-$name-healthy-request-reached-device" "$drv" "$sim" "$(sim_opcode aer0 "$stat")" "$algs"
done
# fail_chain spares plain cipher requests of the same opcode: cbc(aes) still works.
echo 0 >$dbg/fail_opcode
echo 1 >$dbg/fail_chain
echo 2 >$dbg/fail_status
echo 1 >$dbg/fail_every
head -c 1024 /tmp/ae.in >/tmp/ae.cbc
cbc_want=$(afalg_crypt 'cbc(aes-generic)' -e 000102030405060708090a0b0c0d0e0f 00000000000000000000000000000000 </tmp/ae.cbc | sha256sum | cut -d' ' -f1)
algs=$(alg_snapshot) sim=$(sim_opcode aer0 0x0000)
expect_eq aerr-chain-fault-spares-plain-cbc "$(our_cbc_encrypt </tmp/ae.cbc 2>&1 | sha256sum | cut -d' ' -f1)" \
    "$cbc_want"
device_took aerr-chain-fault-plain-cbc-on-device cbc-aes-virtio-rs "$sim" "$(sim_opcode aer0 0x0000)" "$algs"
algs=$(alg_snapshot) sim=$(sim_opcode aer0 0x0000)
expect_eq aerr-chain-fault-hits-authenc "$(one_op ae -e $AE)" EBADMSG
device_took aerr-chain-fault-authenc-from-device $AE "$sim" "$(sim_opcode aer0 0x0000)" "$algs"
echo 0 >$dbg/fail_every
echo 0 >$dbg/fail_chain

# Lost requests: every data request from now on is taken and never answered.
log_mark t98-lost
echo 1 >$dbg/lose_every
lost_before=$(sed -n 's/^lost //p' $dbg/stats)
algs_lost=$(alg_snapshot)
one_op gcm -e $GCM >/tmp/ae.lost1 &
pid1=$!
one_op ae -d $AE >/tmp/ae.lost2 &
pid2=$!
sleep 2
check aerr-lost-requests-pending sh -c "kill -0 $pid1 && kill -0 $pid2"
check aerr-lost-requests-taken-by-device test "$(sed -n 's/^lost //p' $dbg/stats)" -ge $((lost_before + 2))
# Unbinding resets the device: the requests it never returned (a GCM
# encryption, a chained decryption) run in software instead, with the right
# results. (AF_ALG's aead in 6.12 reads from the sent data and writes to the
# receive buffer: not in place. A request the device had whose destination
# shares memory with its source would fail instead: t-70's dm-crypt reads.)
check aerr-unbind-with-lost-requests sh -c "echo $vdev >/sys/bus/virtio/drivers/$DRIVER_NAME/unbind"
wait $pid1
wait $pid2
echo "lost requests ended with: '$(cat /tmp/ae.lost1)' '$(cat /tmp/ae.lost2)'"
expect_eq aerr-lost-aead-request-right-result "$(cat /tmp/ae.lost1)" "$(one_op gcm -e "$GCMREF")"
expect_eq aerr-lost-chained-request-right-result "$(cat /tmp/ae.lost2)" "$(one_op ae -d "$AEREF")"
served_in_software() {
    log_since t98-lost | grep -q 'virtio_crypto_rs: virtio.*: removed (2 request(s) it had not answered served in software, 0 failed)'
}
check aerr-lost-requests-served-in-software served_in_software
# Both were counted on the device when it took them; the software run at the
# removal is no fallback of the algorithm (no reason counted).
alg_expect aerr-lost-requests-counted-on-device "$GCM $AE" "device=2 software=0" "$algs_lost"
no_warning() { ! log_since t98-lost | grep -E 'WARNING:|BUG:|Call Trace|Oops'; }
check aerr-lost-no-warning no_warning
log_since t98-lost | grep -i "$DRIVER_NAME\|vcrs_sim" | tail -5
echo 0 >$dbg/lose_every
check aerr-rebind sh -c "echo $vdev >/sys/bus/virtio/drivers/$DRIVER_NAME/bind"
wait_registered $GCM 90 || fail aerr-$GCM-registered-again "not in /proc/crypto"
wait_registered $AE 10 || fail aerr-$AE-registered-again "not in /proc/crypto"
expect_eq aerr-rebound-selftests-passed "$(wait_our_selftests)" ""
want=$(one_op gcm -e "$GCMREF")
algs=$(alg_snapshot) sim=$(sim_opcode aer0 0x0300)
expect_eq aerr-gcm-works-again "$(one_op gcm -e $GCM)" "$want"
device_took aerr-gcm-again-reached-device $GCM "$sim" "$(sim_opcode aer0 0x0300)" "$algs"
want=$(one_op ae -d "$AEREF")
algs=$(alg_snapshot) sim=$(sim_opcode aer0 0x0001)
expect_eq aerr-authenc-works-again "$(one_op ae -d $AE)" "$want"
device_took aerr-authenc-again-reached-device $AE "$sim" "$(sim_opcode aer0 0x0001)" "$algs"
check aerr-rmmod rmmod "$DRIVER_NAME"
check aerr-dev-del vdpa dev del aer0
for param in $saved_params; do echo "${param#*=}" >"$p/${param%%=*}"; done
rmmod vcrs_sim
rm -f /tmp/ae.*
