# SPDX-License-Identifier: GPL-2.0
# Soak: mixed work on every service of a simulated device (services=15,
# chaining, 4 data queues) for SECONDS (30 here, 20 on the debug kernel;
# vcrs.soak=N on the kernel command line sets another duration:
# scripts/reliability.sh soaks 600 s on both kernels). Ten AF_ALG users at
# once, each with its own algorithm (ciphers, hashes, MACs, AEADs), random
# sizes, a new key every 64 requests, every result checked against the generic
# code; and a dm-crypt mapping written and read back in a loop. Zero errors and
# zero wrong results; the queue of every CPU served requests; the kernel log
# stays clean (the suite's check, and kmemleak in t-99).

SECONDS_TO_RUN=$(sed -n 's/.*vcrs\.soak=\([0-9]*\).*/\1/p' /proc/cmdline)
# (Were 60 and 30 s.) Every user then still runs
# thousands of requests and hundreds of new keys; the long soaks are
# scripts/reliability.sh's.
SECONDS_TO_RUN=${SECONDS_TO_RUN:-$(slow_kernel && echo 20 || echo 30)}
sim_params services=15 chaining=1 data_queues=4
fuzz_iterations 10
drop_software_instances "$AEAD_INSTANCES"
grep -q "^$DRIVER_NAME " /proc/modules || check soak-insmod insmod "$MOD"
check soak-dev-add vdpa dev add mgmtdev vdpasim_crypto name sk0
# (Hash messages up to 60 KiB: AF_ALG sends one digest() of up to 16 pages,
# and a 64 KiB message off a page boundary spans 17: init, update, finup,
# whose update outgrows the driver's buffer and runs in software by design,
# "limits"; t-52 covers that path. Here every request must be the device's.)
USERS="skcipher cbc(aes) cbc(aes-generic) 32 16 16 65536
skcipher xts(aes) xts(ecb(aes-generic)) 64 16 16 65536
skcipher ctr(aes) ctr(aes-generic) 16 16 1 16384
hash sha256 sha256-generic 0 0 1 61440
hash sha1 sha1-generic 0 0 1 16384
hash hmac(sha512) hmac(sha512-generic) 64 0 1 16384
hash cmac(aes) cmac(aes-generic) 16 0 1 4096
aead gcm(aes) gcm_base(ctr(aes-generic),ghash-generic) 16 12 1 16384
aead rfc7539(chacha20,poly1305) rfc7539(chacha20-generic,poly1305-generic) 32 12 1 16384
hash hmac(sha256) hmac(sha256-generic) 32 0 1 61440"
# Our driver for each user, in the order of USERS.
DRIVERS="cbc-aes-virtio-rs xts-aes-virtio-rs ctr-aes-virtio-rs sha256-virtio-rs sha1-virtio-rs
hmac-sha512-virtio-rs cmac-aes-virtio-rs gcm-aes-virtio-rs rfc7539-chacha20-poly1305-virtio-rs
hmac-sha256-virtio-rs"
for drv in $DRIVERS; do
    wait_registered "$drv" 90 || fail "soak-$drv-registered" "not in /proc/crypto"
done
expect_eq soak-all-selftests-passed "$(wait_our_selftests)" ""
# queue_requests Q: the requests the device's data queue Q has received.
queue_requests() { sed -n "s/^dataq${1}_requests //p" /sys/kernel/debug/vcrs_sim/sk0/stats; }

head -c 32 /dev/urandom >/tmp/dm.key
# shellcheck disable=SC2086
check soak-mapping-open cryptsetup -q open --type plain --cipher aes-xts-plain64 --key-size 256 \
    --key-file /tmp/dm.key /dev/ram2 soak
soak_dm() {
    local passes=0 errors=0 wrong=0
    head -c $((4 << 20)) /dev/urandom >/tmp/soak.dm
    while [ ! -e /tmp/soak.stop ]; do
        if ! dd if=/tmp/soak.dm of=/dev/mapper/soak bs=64k oflag=direct 2>/dev/null ||
            ! dd if=/dev/mapper/soak of=/tmp/soak.dm.back bs=64k count=64 iflag=direct 2>/dev/null; then
            errors=$((errors + 1))
        elif ! cmp -s /tmp/soak.dm /tmp/soak.dm.back; then
            wrong=$((wrong + 1))
        fi
        passes=$((passes + 1))
    done
    echo "passes $passes errors $errors wrong $wrong" >/tmp/soak.dm.result
}

log_mark t-76
rm -f /tmp/soak.stop /tmp/soak.user.*
soak0=$(alg_snapshot)
queues0=$(for q in 0 1 2 3; do queue_requests $q; done | tr '\n' ' ')
before=$(our_requests)
soak_dm &
# (Loops read here-documents, not pipes: a pipe's loop runs in a subshell, whose
# background jobs this shell would not wait for.)
n=0
while read -r type name ref keylen ivlen unit maxlen; do
    n=$((n + 1))
    afalg_stress "$type" "$name" "$ref" "$keylen" "$ivlen" "$unit" "$maxlen" "$SECONDS_TO_RUN" \
        >/tmp/soak.user.$n 2>&1 &
done <<EOF
$USERS
EOF
sleep "$SECONDS_TO_RUN"
touch /tmp/soak.stop
wait
field() { awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) n += $(i + 1) } END { print n + 0 }' "$2"; }
total_ops=0 total_errors=0 total_wrong=0 total_unavailable=0 n=0
while read -r type name rest; do
    n=$((n + 1))
    echo "-- t-76: $type $name: $(cat /tmp/soak.user.$n)"
done <<EOF
$USERS
EOF
for f in /tmp/soak.user.*; do
    total_ops=$((total_ops + $(field ops "$f")))
    total_errors=$((total_errors + $(field errors "$f")))
    total_wrong=$((total_wrong + $(field mismatches "$f")))
    total_unavailable=$((total_unavailable + $(field unavailable "$f")))
done
echo "-- t-76: dm-crypt: $(cat /tmp/soak.dm.result)"
echo "VCRS-RELIABILITY soak seconds=$SECONDS_TO_RUN afalg_requests=$total_ops device_requests=$(($(our_requests) - before)) errors=$((total_errors + $(field errors /tmp/soak.dm.result))) wrong=$((total_wrong + $(field wrong /tmp/soak.dm.result))) dm_passes=$(field passes /tmp/soak.dm.result)"
grep -- -virtio-rs /sys/kernel/debug/virtio_crypto_rs/algorithms | grep -v ' device 0 software 0 '
# Each user's requests on the device, by its own algorithm: a hash's op is one
# digest, a cipher's or AEAD's an encryption and a decryption; xts also has
# dm-crypt's: each pass writes 4 MiB and reads them back, 512-byte sectors,
# one request each. None in software (no fallback is expected here).
n=0
for drv in $DRIVERS; do
    n=$((n + 1))
    ops=$(field ops /tmp/soak.user.$n)
    case "$drv" in sha* | hmac* | cmac*) want=$ops ;; *) want=$((2 * ops)) ;; esac
    [ "$drv" = xts-aes-virtio-rs ] && want=$((want + $(field passes /tmp/soak.dm.result) * 2 * 8192))
    alg_expect "soak-$drv-on-device" "$drv" "$want" "$soak0"
done
expect_eq soak-ten-users-ran "$(find /tmp -maxdepth 1 -name 'soak.user.*' | wc -l)" 10
every_user_ran() { for f in /tmp/soak.user.*; do [ "$(field ops "$f")" -gt 0 ] || return 1; done; }
check soak-every-user-ran every_user_ran
expect_eq soak-wrong-results "$total_wrong" 0
expect_eq soak-errors "$total_errors" 0
expect_eq soak-unavailable "$total_unavailable" 0
expect_eq soak-dm-crypt-wrong-data "$(field wrong /tmp/soak.dm.result)" 0
expect_eq soak-dm-crypt-io-errors "$(field errors /tmp/soak.dm.result)" 0
check soak-dm-crypt-ran test "$(field passes /tmp/soak.dm.result)" -gt 0
# Requests go to the queue of the submitting CPU (CPU n to queue n mod 4).
used_queues=$(nproc)
[ "$used_queues" -gt 4 ] && used_queues=4
# (The self-tests used the queues before: the soak's own requests count.)
queues_served() {
    local q=0 n0
    for n0 in $queues0; do
        [ $q -lt "$used_queues" ] || break
        [ "$(queue_requests $q)" -gt "$n0" ] || { echo "queue $q: $n0 -> $(queue_requests $q)"; return 1; }
        q=$((q + 1))
    done
    [ $q -eq "$used_queues" ] || { echo "only $q queues counted"; return 1; }
}
check soak-queue-of-every-cpu-served queues_served
cryptsetup close soak
check soak-rmmod rmmod "$DRIVER_NAME"
check soak-dev-del vdpa dev del sk0
sim_params_restore
fuzz_iterations_restore
rmmod vcrs_sim
rm -f /tmp/soak.* /tmp/dm.key
