# SPDX-License-Identifier: GPL-2.0
# tcrypt (CONFIG_CRYPTO_BENCHMARK) tests the algorithms by generic name (each
# test mode runs testmgr's vectors through the Crypto API for a list of names,
# the same test as the self-test at registration) on the simulated device
# offering everything, and the kernel gives ours for each name. 7.3's testmgr
# (CRYPTO_SELFTESTS without _FULL) runs the vectors only, no random fuzz
# tests, so a mode sends each algorithm of ours it names exactly the requests
# of its self-test again: as many on the device as right after registration,
# and as many in software (key lengths the device refuses, empty messages).
# Mode 10 also tests lrw(aes) and rfc3686(ctr(aes)), instances over our ecb
# and ctr: those two get at least their own count. An algorithm the kernel
# does not give ours for its name fails, unless it is a software one of
# higher priority by design (7.3's rfc7539 over chacha20-lib, 300, above our
# AEADs' 280, as aes-aesni is above our ciphers; no mode tests it anyway).

# NAME MODE EXPECT: the tcrypt mode that tests NAME, and "=" (exactly the
# self-test's count) or ">=" (at least it).
MODES="
md5 1 =
sha1 2 =
ecb(des3_ede) 4 =
cbc(des3_ede) 4 =
ctr(des3_ede) 4 =
sha256 6 =
ecb(aes) 10 >=
cbc(aes) 10 =
xts(aes) 10 =
ctr(aes) 10 >=
sha384 11 =
sha512 12 =
sha224 33 =
gcm(aes) 35 =
ccm(aes) 37 =
sha3-224 48 =
sha3-256 49 =
sha3-384 50 =
sha3-512 51 =
hmac(md5) 100 =
hmac(sha1) 101 =
hmac(sha256) 102 =
hmac(sha384) 103 =
hmac(sha512) 104 =
hmac(sha224) 105 =
xcbc(aes) 106 =
cmac(aes) 153 =
authenc(hmac(sha1),cbc(aes)) 155 =
authenc(hmac(sha1),cbc(des3_ede)) 182 =
authenc(hmac(sha224),cbc(des3_ede)) 184 =
authenc(hmac(sha256),cbc(des3_ede)) 186 =
authenc(hmac(sha384),cbc(des3_ede)) 188 =
authenc(hmac(sha512),cbc(des3_ede)) 190 =
"

grep -q '^vcrs_sim ' /proc/modules || insmod /vcrs/modules/vcrs_sim.ko
p=/sys/module/vcrs_sim/parameters
saved="services=$(cat $p/services) chaining=$(cat $p/chaining)"
echo 15 >$p/services
echo 1 >$p/chaining
rmmod "$DRIVER_NAME" 2>/dev/null
check tcrypt-dev-add vdpa dev add mgmtdev vdpasim_crypto name tc1
check tcrypt-insmod insmod "$MOD"
bad=$(wait_our_selftests)
if [ -z "$bad" ]; then pass tcrypt-selftests; else fail tcrypt-selftests "not passed: $bad"; fi
# What each self-test sent, before anything else uses the algorithms.
selftest=$(alg_snapshot)
count_in() { echo "$selftest" | awk -v d="$1" -v f="$2" '$1 == d { for (i = 3; i < NF; i += 2) if ($i == f) print $(i + 1) }'; }
ours_for() { awk -v n="$1" '$2 == n && $3 == "registered" && $4 == 1 { print $1 }' "$ALGS_FILE"; }
tested=0
for mode in $(echo "$MODES" | awk 'NF { print $2 }' | uniq); do
    before=$(alg_snapshot)
    tcrypt_mode "tcrypt-mode$mode" mode="$mode"
    echo "$MODES" | awk -v m="$mode" '$2 == m { print $1, $3 }' | while read -r name op; do
        drv=$(ours_for "$name")
        if [ -z "$drv" ]; then
            fail "tcrypt-mode$mode-$name-ours" "not registered by our driver"
            continue
        fi
        expect_eq "tcrypt-mode$mode-$drv-picked" "$(picked "$name")" "$drv"
        alg_expect "tcrypt-mode$mode-$drv-as-its-selftest" "$drv" \
            "device$op$(count_in "$drv" device) software$op$(count_in "$drv" software)" "$before"
    done
    tested=$((tested + 1))
done
echo "   $tested tcrypt modes"
check tcrypt-rmmod rmmod "$DRIVER_NAME"
check tcrypt-dev-del vdpa dev del tc1
for kv in $saved; do echo "${kv#*=}" >"$p/${kv%%=*}"; done
