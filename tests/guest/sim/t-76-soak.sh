# Soak: mixed work on every service of a simulated device (services=15,
# chaining, 4 data queues) for SECONDS (60 here, 30 on the debug kernel;
# vcrs.soak=N on the kernel command line sets another duration:
# scripts/reliability.sh soaks 600 s on both kernels). Ten AF_ALG users at
# once, each with its own algorithm (ciphers, hashes, MACs, AEADs), random
# sizes, a new key every 64 requests, every result checked against the generic
# code; and a dm-crypt mapping written and read back in a loop. Zero errors and
# zero wrong results; the queue of every CPU served requests; the kernel log
# stays clean (the suite's check, and kmemleak in t-99).

SECONDS_TO_RUN=$(sed -n 's/.*vcrs\.soak=\([0-9]*\).*/\1/p' /proc/cmdline)
SECONDS_TO_RUN=${SECONDS_TO_RUN:-$(slow_kernel && echo 30 || echo 60)}
sim_params services=15 chaining=1 data_queues=4
fuzz_iterations 10
drop_software_instances "$AEAD_INSTANCES"
grep -q "^$DRIVER_NAME " /proc/modules || check soak-insmod insmod "$MOD"
check soak-dev-add vdpa dev add mgmtdev vdpasim_crypto name sk0
USERS="skcipher cbc(aes) cbc(aes-generic) 32 16 16 65536
skcipher xts(aes) xts(ecb(aes-generic)) 64 16 16 65536
skcipher ctr(aes) ctr(aes-generic) 16 16 1 16384
hash sha256 sha256-generic 0 0 1 65536
hash sha1 sha1-generic 0 0 1 16384
hash hmac(sha512) hmac(sha512-generic) 64 0 1 16384
hash cmac(aes) cmac(aes-generic) 16 0 1 4096
aead gcm(aes) gcm_base(ctr(aes-generic),ghash-generic) 16 12 1 16384
aead rfc7539(chacha20,poly1305) rfc7539(chacha20-generic,poly1305-generic) 32 12 1 16384
hash hmac(sha256) hmac(sha256-generic) 32 0 1 65536"
for drv in cbc-aes-virtio-rs xts-aes-virtio-rs ctr-aes-virtio-rs sha256-virtio-rs sha1-virtio-rs \
    hmac-sha512-virtio-rs cmac-aes-virtio-rs gcm-aes-virtio-rs rfc7539-chacha20-poly1305-virtio-rs \
    hmac-sha256-virtio-rs; do
    wait_registered $drv 90 || fail soak-$drv-registered "not in /proc/crypto"
done
expect_eq soak-all-selftests-passed "$(wait_our_selftests)" ""
before=$(our_requests)

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
requests=$(($(our_requests) - before))
echo "VCRS-RELIABILITY soak seconds=$SECONDS_TO_RUN afalg_requests=$total_ops device_requests=$requests errors=$((total_errors + $(field errors /tmp/soak.dm.result))) wrong=$((total_wrong + $(field wrong /tmp/soak.dm.result))) dm_passes=$(field passes /tmp/soak.dm.result)"
expect_eq soak-ten-users-ran "$(ls /tmp/soak.user.* | wc -l)" 10
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
queues_served() {
    local q=0
    while [ $q -lt "$used_queues" ]; do
        [ "$(sed -n "s/^dataq${q}_requests //p" /sys/kernel/debug/vcrs_sim/sk0/stats)" -gt 0 ] || return 1
        q=$((q + 1))
    done
}
check soak-queue-of-every-cpu-served queues_served
check soak-most-requests-on-the-device test "$requests" -gt $((total_ops / 2))
cryptsetup close soak
check soak-rmmod rmmod "$DRIVER_NAME"
check soak-dev-del vdpa dev del sk0
sim_params_restore
fuzz_iterations_restore
rmmod vcrs_sim
rm -f /tmp/soak.* /tmp/dm.key
