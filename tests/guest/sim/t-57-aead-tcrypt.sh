# SPDX-License-Identifier: GPL-2.0
# tcrypt's AEAD modes on the driver's AEADs and authencs, while ours are the
# implementations the Crypto API picks (highest priority for the name), on the
# simulated device offering them all.
# Correctness modes (crypto/tcrypt.c, do_test, 6.12.117): 35 gcm(aes), 37
# ccm(aes), 151 rfc4106(gcm(aes)), 45 rfc4309(ccm(aes)), 155
# authenc(hmac(sha1),cbc(aes)), 182/184/186/188/190
# authenc(hmac(sha1/224/256/384/512),cbc(des3_ede)). Each runs testmgr's vectors (and, with
# CONFIG_CRYPTO_MANAGER_EXTRA_TESTS, the fuzz comparison with the generic code)
# on whatever implementation the name gives. The fuzz comparison runs with
# cryptomgr.fuzz_iterations=10 at most here (t-56 runs the registration's with the
# default 100; a mode took 100 s with it), restored at the end. 6.12 has no
# correctness mode for rfc7539(chacha20,poly1305) or rfc7539esp and none for
# the other authenc combinations: for those "mode=0 alg=NAME type=3" (an
# existence check of an AEAD, CRYPTO_ALG_TYPE_AEAD; testmgr checked ours at
# registration: t-56).
# The AEAD speed modes decrypt what they encrypted (a wrong tag fails the
# decryption), so with sec=0 (a few operations per size) they are consistency
# checks: 211 rfc4106(gcm(aes)) and gcm(aes), 212 rfc4309(ccm(aes)), 213
# rfc7539esp(chacha20,poly1305) (the driver's own rfc7539esp).
# Loading tcrypt always "fails" with EAGAIN when every test passed; a failed
# test logs "tcrypt: one or more tests failed!", testmgr's "alg: ..." or the
# speed test's "... failed" lines. Besides passing, each mode must have used our
# driver: the name gives ours (for templates: the instance over ours) and our
# debugfs counter grew.

grep -q '^vcrs_sim ' /proc/modules || insmod /vcrs/modules/vcrs_sim.ko
p=/sys/module/vcrs_sim/parameters
saved_params=""
for param in data_queues services chaining; do
    saved_params="$saved_params $param=$(cat $p/$param)"
done
echo 1 >$p/data_queues
# The AEAD service and chaining are opt-in.
echo 15 >$p/services
echo 1 >$p/chaining
fuzz_iterations 10

# tcrypt mode and its arguments, the name tested, the driver it must give,
# the driver that counts its requests (a template over ours counts on ours:
# rfc4106(gcm(aes)) on gcm-aes-virtio-rs) and what it must count.
# Correctness modes: testmgr (test_aead_vec) sends each of V vectors in
# crypto/testmgr.h (gcm 13, ccm 24 of which 4 decryption-only, rfc4106 22,
# rfc4309 22, authenc sha1/aes 6, each sha/des3_ede 1; none a setkey or
# setauthsize error) in the 9 default_cipher_testvec_configs and F
# (fuzz_iterations) random ones, both directions: (2V - decryption-only) x
# (9 + F) requests, all on the device (no vector is beyond what it takes). With
# EXTRA_TESTS, the comparison with the generic code (F x 8 random vectors, both
# directions) and the inauthentic inputs (F x 8 decryptions at most) add up to
# F x 24. The rfc4106 and rfc4309 instances over ours are created by the
# mode's lookup: their registration self-test and tcrypt's test both run
# (twice the count), unless an instance was left from earlier tests. ccm's
# fuzz makes up IVs only the generic code judges (a first byte outside 1..7):
# those run in software for "limits" (a run: device 846, limits 197), none for
# another reason; no other mode runs anything in software.
# Speed modes (test_aead_speed, sec=0: 4 warm-up and 8 measured requests for
# each key size and each of the 8 aead_sizes, decryption one more encryption
# each): 211 rfc4106 and gcm, 3 key sizes each, both directions: 2 x (3 x 8 x
# 12 + 3 x 8 x 13) = 1200 on gcm; 212 rfc4309, 1 key size: 8 x 12 + 8 x 13 =
# 200; 213 rfc7539esp: 200; exactly those, all on the device (the largest,
# 8192 bytes, is far below max_size).
F=$(cat /sys/module/cryptomgr/parameters/fuzz_iterations)
# tmgr N TWICE: the correctness-mode bounds for N vector requests per config
# (TWICE=2: a template instance tested twice); software none.
tmgr() { echo "device>=$(($1 * (9 + F))),device<=$(($2 * ($1 * (9 + F) + F * 24))),software=0"; }
SWOK="not_ready=0,no_session=0,busy=0,forced=0"
MODES="
35 gcm(aes) gcm-aes-virtio-rs gcm-aes-virtio-rs $(tmgr 26 1)
37 ccm(aes) ccm-aes-virtio-rs ccm-aes-virtio-rs device>=$((44 * (9 + F))),device<=$((44 * (9 + F) + F * 24)),$SWOK
151 rfc4106(gcm(aes)) rfc4106(gcm-aes-virtio-rs) gcm-aes-virtio-rs $(tmgr 44 2)
45 rfc4309(ccm(aes)) rfc4309(ccm-aes-virtio-rs) ccm-aes-virtio-rs $(tmgr 44 2)
155 authenc(hmac(sha1),cbc(aes)) authenc-hmac-sha1-cbc-aes-virtio-rs authenc-hmac-sha1-cbc-aes-virtio-rs $(tmgr 12 1)
182 authenc(hmac(sha1),cbc(des3_ede)) authenc-hmac-sha1-cbc-des3_ede-virtio-rs authenc-hmac-sha1-cbc-des3_ede-virtio-rs $(tmgr 2 1)
184 authenc(hmac(sha224),cbc(des3_ede)) authenc-hmac-sha224-cbc-des3_ede-virtio-rs authenc-hmac-sha224-cbc-des3_ede-virtio-rs $(tmgr 2 1)
186 authenc(hmac(sha256),cbc(des3_ede)) authenc-hmac-sha256-cbc-des3_ede-virtio-rs authenc-hmac-sha256-cbc-des3_ede-virtio-rs $(tmgr 2 1)
188 authenc(hmac(sha384),cbc(des3_ede)) authenc-hmac-sha384-cbc-des3_ede-virtio-rs authenc-hmac-sha384-cbc-des3_ede-virtio-rs $(tmgr 2 1)
190 authenc(hmac(sha512),cbc(des3_ede)) authenc-hmac-sha512-cbc-des3_ede-virtio-rs authenc-hmac-sha512-cbc-des3_ede-virtio-rs $(tmgr 2 1)
211;sec=0 gcm(aes) gcm-aes-virtio-rs gcm-aes-virtio-rs device=1200,software=0
212;sec=0 rfc4309(ccm(aes)) rfc4309(ccm-aes-virtio-rs) ccm-aes-virtio-rs device=200,software=0
213;sec=0 rfc7539esp(chacha20,poly1305) rfc7539esp-chacha20-poly1305-virtio-rs rfc7539esp-chacha20-poly1305-virtio-rs device=200,software=0
"
# The rest have no correctness mode: "mode=0 alg=NAME" (tcrypt only checks that
# NAME exists; testmgr ran their vectors at registration, t-56) while ours is
# the one NAME gives; then one AF_ALG encryption and decryption of 1000 bytes
# compared with the generic code: exactly 2 requests on the device.
for pair in "rfc7539(chacha20,poly1305) rfc7539-chacha20-poly1305-virtio-rs" \
    "rfc7539esp(chacha20,poly1305) rfc7539esp-chacha20-poly1305-virtio-rs" \
    "authenc(hmac(md5),cbc(des3_ede)) authenc-hmac-md5-cbc-des3_ede-virtio-rs"; do
    MODES="$MODES
0;alg=${pair% *};type=3 ${pair% *} ${pair#* } ${pair#* } afalg"
done
for hash in md5 sha224 sha256 sha384 sha512; do
    MODES="$MODES
0;alg=authenc(hmac($hash),cbc(aes));type=3 authenc(hmac($hash),cbc(aes)) authenc-hmac-$hash-cbc-aes-virtio-rs authenc-hmac-$hash-cbc-aes-virtio-rs afalg"
done
# On the debug kernel (KASAN, several times slower under TCG) one mode of each
# kind: what matters there is what KASAN and lockdep see on the driver's paths.
if slow_kernel; then
    MODES=$(echo "$MODES" | grep -E '^(35|151|155|186|211;sec=0|0;.*) ')
fi


# No software instance of these names left by earlier tests: the lookups by
# name see what they would on a fresh kernel (plus our driver).
drop_software_instances "$AEAD_INSTANCES"
check aead-tcrypt-dev-add vdpa dev add mgmtdev vdpasim_crypto name atc0
check aead-tcrypt-insmod insmod "$MOD"
if wait_registered gcm-aes-virtio-rs 90; then
    for drv in ccm-aes-virtio-rs rfc7539-chacha20-poly1305-virtio-rs rfc7539esp-chacha20-poly1305-virtio-rs $(echo "$MODES" | awk '$3 ~ /^authenc-.*-virtio-rs$/ { print $3 }' | sort -u); do
        wait_registered "$drv" 10 || fail "aead-tcrypt-$drv-registered" "not in /proc/crypto"
    done
else
    fail aead-tcrypt-gcm-aes-virtio-rs-registered "not in /proc/crypto"
fi
expect_eq aead-tcrypt-all-selftests-passed "$(wait_our_selftests)" ""
t0=$(date +%s)
echo "$MODES" | while read -r mode name drv counted expect; do
    [ -n "$mode" ] || continue
    m=${mode%%;*}
    # Plain names must give ours before the run; templates are instantiated by it.
    case "$drv" in
    *"("*) ;;
    *) expect_eq "aead-tcrypt-mode$m-$drv-picked-for-$name" "$(picked "$name")" "$drv" ;;
    esac
    before=$(alg_snapshot)
    # shellcheck disable=SC2046 # "211;sec=0": mode=211 sec=0
    tcrypt_mode "aead-tcrypt-mode$m-$name" mode=$(echo "$mode" | tr ';' ' ')
    expect_eq "aead-tcrypt-mode$m-$name-gives-$drv" "$(picked "$name")" "$drv"
    if [ "$expect" = afalg ]; then
        alg_expect "aead-tcrypt-mode$m-$name-no-requests" "$counted" "device=0 software=0" "$before"
        # One request each way of its own, by driver name.
        kind=$(echo "$AEADS" | awk -v d="$drv" '$2 == d { print $4 }')
        ref=$(echo "$AEADS" | awk -v d="$drv" '$2 == d { print $3 }')
        set_kind "$kind"
        before=$(alg_snapshot)
        aead_matches "aead-tcrypt-$drv-1000B" "$drv" "$ref" "$(key_for "$kind" "$(last "$KEYLENS")")" \
            "$(last "$TAGS")" $((MINAL + 16)) "$(iv_for "$kind")" $((1000 / BLK * BLK))
        alg_expect "aead-tcrypt-$drv-1000B-used-device" "$counted" "device=2 software=0" "$before"
        continue
    fi
    alg_show_delta "$counted" "$before"
    alg_expect "aead-tcrypt-mode$m-$name-used-device" "$counted" "$(echo "$expect" | tr , ' ')" "$before"
done
echo "-- t-57: tcrypt modes took $(($(date +%s) - t0)) s"
cat /sys/kernel/debug/virtio_crypto_rs/virtio*/status
check aead-tcrypt-rmmod rmmod "$DRIVER_NAME"
check aead-tcrypt-dev-del vdpa dev del atc0
for param in $saved_params; do echo "${param#*=}" >"$p/${param%%=*}"; done
fuzz_iterations_restore
rmmod vcrs_sim
