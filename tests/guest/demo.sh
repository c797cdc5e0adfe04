# SPDX-License-Identifier: GPL-2.0
# The demo: QEMU's virtio-crypto device and the simulated one (tests/simdev,
# which offers every service) in one guest; the driver loads, registers what
# they serve, and kernel users reach it by the algorithms' generic names:
# AF_ALG and dm-crypt with cbc(aes), then a hash, an AEAD and an authenc
# operation. Each step reads the driver's counters before and after and needs
# the exact numbers of device requests it implies, none in software, and a
# result equal to the kernel's software implementation. Then the simulated
# device is removed under load: every request must still finish right. A
# table at the end sums it up.
# shellcheck source=lib.sh # the guest has this folder as /vcrs/tests
. /vcrs/tests/lib.sh

DEMO_OK=1
# Kernel messages would cut into the demo's lines: they stay off the console
# until the end, where the whole kernel log is printed (the host checks it).
dmesg -n 1
TABLE=/tmp/demo.table
: >"$TABLE"
demo_fail() {
    DEMO_OK=0
    fail "$1" "$2"
}

# --- What a step reads before and after ---

# device_requests: "virtioN REQUESTS" for each of our devices (data requests
# sent to it, from the driver's debugfs status).
device_requests() {
    for f in /sys/kernel/debug/virtio_crypto_rs/virtio*/status; do
        [ -f "$f" ] || continue
        awk -v d="$(basename "$(dirname "$f")")" '/^dataq[0-9]+ requests / { n += $3 } END { print d, n + 0 }' "$f"
    done
}
# device_interrupts: "virtioN COUNT" for each virtio device with interrupt
# lines in /proc/interrupts (QEMU's PCI device; the simulated device has none).
device_interrupts() {
    awk '$NF ~ /^virtio[0-9]+-/ { n = 0; for (i = 2; i <= NF; i++) if ($i ~ /^[0-9]+$/) n += $i; else break
        d = $NF; sub(/-.*/, "", d); s[d] += n } END { for (d in s) print d, s[d] }' /proc/interrupts
}
# delta_of BEFORE DEVICE: DEVICE's count now minus in BEFORE ("name count" lines; $3 = now).
delta_of() {
    { printf '%s\n' "$1"; echo ---; printf '%s\n' "$3"; } |
        awk -v d="$2" 'BEGIN { a = 0 } $0 == "---" { a = 1; next } $1 == d { v[a] = $2 } END { print v[1] - v[0] }'
}
# per_device BEFORE NOW: "virtio0 +3 virtio1 +0" from two device_requests outputs.
per_device() {
    { printf '%s\n' "$1"; echo ---; printf '%s\n' "$2"; } |
        awk '$0 == "---" { a = 1; next } !a { b[$1] = $2; next } { printf "%s%s +%d", sep, $1, $2 - b[$1]; sep = ", " }'
}

# device_kind VIRTIO_DEV: which device it is (QEMU's sits on PCI).
device_kind() {
    if [ "$1" = "${SIM_DEV:-}" ]; then
        echo "simulated (tests/simdev on vDPA)"
    elif readlink -f "/sys/bus/virtio/devices/$1" | grep -q '/pci'; then
        echo "QEMU virtio-crypto-pci"
    else
        echo unknown
    fi
}

# step NAME CONSUMER ALGORITHM DEVICE_REQUESTS COMMAND...: runs COMMAND, which
# must succeed and print "equal" when its result equals the software
# implementation's; ALGORITHM's driver (what the Crypto API picked for its
# generic name) must have counted exactly DEVICE_REQUESTS requests on a
# device and none in software. Prints the deltas; adds a row to the table.
step() {
    local name=$1 consumer=$2 alg=$3 want=$4 drv algs reqs irqs out rc dev sw irq equal
    shift 4
    drv=$(picked "$alg")
    echo
    echo "== $consumer: $alg (the kernel picks $drv)"
    case "$drv" in
    *-virtio-rs) ;;
    *)
        demo_fail "$name" "the Crypto API picks $drv for $alg, not this driver (see Documentation/usage.rst)"
        printf '%s|%s|%s|%s|%s|%s\n' "$consumer" "$alg" "-" "-" "-" "-" >>"$TABLE"
        return
        ;;
    esac
    algs=$(alg_snapshot) reqs=$(device_requests) irqs=$(device_interrupts)
    out=$("$@" 2>&1)
    rc=$?
    dev=$(alg_grew "$drv" device "$algs")
    sw=$(alg_grew "$drv" software "$algs")
    irq=$(delta_of "$irqs" "$QEMU_DEV" "$(device_interrupts)")
    equal=no
    [ "$rc" -eq 0 ] && [ "$(echo "$out" | tail -1)" = equal ] && equal=yes
    echo "   $drv counted: device +$dev, software +$sw; requests by device: $(per_device "$reqs" "$(device_requests)"); interrupts of $QEMU_DEV (QEMU's): +$irq"
    echo "   result equal to software: $equal"
    printf '%s|%s|%s|%s|%s|%s\n' "$consumer" "$alg" "$equal" "$dev" "$sw" "$irq" >>"$TABLE"
    if [ "$equal" != yes ]; then
        demo_fail "$name" "the result differs from software or the action failed: $(echo "$out" | tail -2 | tr '\n' ' ')"
    elif [ "$dev" != "$want" ] || [ "$sw" != 0 ]; then
        demo_fail "$name" "expected device +$want software +0, counted device +$dev software +$sw"
    else
        pass "$name"
    fi
}

# equal_files A B: prints "equal" when the files are equal and not empty.
equal_files() { [ -s "$1" ] && cmp -s "$1" "$2" && echo equal; }

# --- The driver on QEMU's device ---

# The self-tests' random (fuzz) cases: the test suites run them in full.
fuzz_iterations 10
echo "== insmod $MOD (QEMU's device is there from boot)"
log_mark demo-load
insmod "$MOD" || { demo_fail demo-insmod "insmod failed"; exit 0; }
bad=$(wait_our_selftests)
[ -z "$bad" ] || demo_fail demo-selftests "self-tests did not pass: $bad"
log_since demo-load | grep 'virtio_crypto_rs' | sed 's/^/   /'
QEMU_DEV=""
for d in /sys/bus/virtio/devices/virtio*; do
    [ "$(cat "$d/device")" = 0x0014 ] && QEMU_DEV=${d##*/}
done
[ -n "$QEMU_DEV" ] || demo_fail demo-qemu-device "no virtio-crypto device on PCI"

head -c 32 /dev/urandom >/tmp/key
key=$(od -An -v -tx1 </tmp/key | tr -d ' \n')
iv=$(hex 16)
head -c 65536 /dev/urandom >/tmp/plain

afalg_cbc() {
    afalg_crypt "cbc(aes)" -e "$key" "$iv" </tmp/plain >/tmp/dev.enc &&
        afalg_crypt "cbc(aes-generic)" -e "$key" "$iv" </tmp/plain >/tmp/sw.enc &&
        equal_files /tmp/dev.enc /tmp/sw.enc
}
# One AF_ALG request of 64 KiB.
step demo-afalg-cbc-aes "AF_ALG (one 64 KiB request)" "cbc(aes)" 1 afalg_cbc

# dm-crypt on a 2 MiB mapping of a RAM disk: one request per 512-byte sector,
# 4096 to write and 4096 to read back after the page cache is dropped (the
# mapping ends at 2 MiB: no readahead beyond it). The disk is then read with
# the generic cbc(aes) by name: the device's ciphertext is the software's.
cp /tmp/key /tmp/dm.key
PLAIN_CBC="--type plain --cipher aes-cbc-plain64 --key-size 256 --size 4096"
dm_cbc() {
    # shellcheck disable=SC2086
    dm_crypt_roundtrip demo /dev/ram0 2 /tmp/dm.data $PLAIN_CBC || return 1
    dm_crypt_reads_back demo /dev/ram0 2 /tmp/dm.data --type plain --cipher 'capi:cbc(aes-generic)-plain64' \
        --key-size 256 --size 4096 && echo equal
}
step demo-dm-crypt-cbc-aes "dm-crypt (2 MiB write + read)" "cbc(aes)" 8192 dm_cbc

# --- The simulated device joins ---

echo
echo "== the simulated device (tests/simdev on the vDPA simulator: every service)"
log_mark demo-sim
if ! { modprobe vdpa_sim && modprobe virtio_vdpa &&
    insmod /vcrs/modules/vcrs_sim.ko services=31 chaining=1 &&
    vdpa dev add mgmtdev vdpasim_crypto name sim0; }; then
    demo_fail demo-sim-device "the simulated device did not come up"
fi
SIM_DEV=$(basename "$(readlink -f /sys/bus/vdpa/devices/sim0/virtio*)")
bad=$(wait_our_selftests)
[ -z "$bad" ] || demo_fail demo-selftests "self-tests did not pass: $bad"
log_since demo-sim | grep 'virtio_crypto_rs' | grep -v 'registered .* as ' | sed 's/^/   /'
echo "   ... and $(log_since demo-sim | grep -c 'virtio_crypto_rs: registered .* as ') 'registered NAME as DRIVER' lines"

echo
echo "== devices (virtio id 20)"
for d in $QEMU_DEV $SIM_DEV; do
    echo "   $d: $(device_kind "$d"), bound to $(basename "$(readlink -f "/sys/bus/virtio/devices/$d/driver")"), serves:"
    sed -n 's/^algorithms //p' "/sys/kernel/debug/virtio_crypto_rs/$d/status" | fold -s -w 90 | sed 's/^/      /'
done

echo
echo "== algorithms registered by $DRIVER_NAME"
show_registered

# --- Services only the simulated device offers ---

head -c 4096 /dev/urandom >/tmp/msg
afalg_sha256() {
    [ "$(afalg_hash sha256 </tmp/msg)" = "$(afalg_hash sha256-generic </tmp/msg)" ] && echo equal
}
step demo-afalg-sha256 "AF_ALG hash (4 KiB)" sha256 1 afalg_sha256

# An AEAD: encryption by ours and by the generic code, then ours decrypts the
# generic ciphertext: two requests.
aead_pair() {
    local ours=$1 ref=$2 k=$3 ivh=$4
    afalg_aead -e -k "$k" -t 16 -a 16 -i "$ivh" -f /tmp/msg -o /tmp/aead.dev "$ours" &&
        afalg_aead -e -k "$k" -t 16 -a 16 -i "$ivh" -f /tmp/msg -o /tmp/aead.sw "$ref" &&
        afalg_aead -d -k "$k" -t 16 -a 16 -i "$ivh" -f /tmp/aead.sw -o /tmp/aead.dec "$ours" &&
        cmp -s /tmp/aead.dev /tmp/aead.sw && equal_files /tmp/aead.dec /tmp/msg
}
afalg_gcm() { aead_pair "gcm(aes)" "gcm_base(ctr(aes-generic),ghash-generic)" "$key" "$(hex 12)"; }
step demo-afalg-gcm-aes "AF_ALG AEAD (4 KiB, encrypt + decrypt)" "gcm(aes)" 2 afalg_gcm
afalg_authenc() {
    aead_pair "authenc(hmac(sha256),cbc(aes))" "authenc(hmac(sha256-generic),cbc(aes-generic))" \
        "$(authenc_key "$(hex 32)" "$key")" "$iv"
}
step demo-afalg-authenc "AF_ALG authenc (4 KiB, encrypt + decrypt)" "authenc(hmac(sha256),cbc(aes))" 2 afalg_authenc

# An RSA signature with keyctl: a PKCS#8 private key and its certificate in a
# keyring, openssl's signature of a SHA-256 digest made again by the kernel
# (pkcs1pad/pkcs1 over ours: one raw RSA private-key operation), and checked
# (one public-key operation).
. /vcrs/tests/akcipher.sh
grep -q pkcs8 /proc/modules || modprobe pkcs8_key_parser 2>/dev/null
rsa_keys 2048
printf 'hello' >"$AK/msg"
openssl dgst -sha256 -binary -out "$AK/msg.sha256" "$AK/msg"
openssl dgst -sha256 -sign "$AK/rsa2048.pem" -out "$AK/msg.sig" "$AK/msg"
kr=$(keyctl newring demo @u)
priv=$(keyctl padd asymmetric demo-key "$kr" <"$AK/rsa2048.p8")
# The kernel builds its PKCS#1 template over ours on first use and self-tests
# it: one signature first, not counted.
keyctl pkey_sign "$priv" 0 "$AK/msg.sha256" enc=pkcs1 hash=sha256 >/dev/null
keyctl_rsa() {
    keyctl pkey_sign "$priv" 0 "$AK/msg.sha256" enc=pkcs1 hash=sha256 >"$AK/msg.ksig" &&
        keyctl pkey_verify "$priv" 0 "$AK/msg.sha256" "$AK/msg.ksig" enc=pkcs1 hash=sha256 &&
        equal_files "$AK/msg.ksig" "$AK/msg.sig"
}
step demo-keyctl-rsa "keyctl RSA-2048 sign + verify" rsa 2 keyctl_rsa
keyctl unlink "$kr" @u >/dev/null

# --- The simulated device removed under load ---

# Four AF_ALG users (two cbc(aes), two sha256, by generic name; each result
# checked against the generic code by afalg_stress) for 5 s; the device answers
# each request 10 ms late, so some are on its ring when it goes 2 s in. Every
# request must still finish, right: the driver runs what the device had not
# answered in software, and later ones go to QEMU's device or to software.
echo
echo "== removing the simulated device ($SIM_DEV) under load"
echo 10 >/sys/kernel/debug/vcrs_sim/sim0/delay_ms
log_mark demo-removal
reqs=$(device_requests) algs=$(alg_snapshot)
for u in 1 2; do
    afalg_stress -r 8 skcipher "cbc(aes)" "cbc(aes-generic)" 32 16 16 4096 5 >/tmp/load.$u 2>&1 &
    afalg_stress -r 8 hash sha256 sha256-generic 0 0 1 4096 5 >/tmp/load.$((u + 2)) 2>&1 &
done
sleep 2
took=$(delta_of "$reqs" "$SIM_DEV" "$(device_requests)")
vdpa dev del sim0 || demo_fail demo-removal "vdpa dev del failed"
wait
dev=$(($(alg_grew cbc-aes-virtio-rs device "$algs") + $(alg_grew sha256-virtio-rs device "$algs")))
sw=$(($(alg_grew cbc-aes-virtio-rs software "$algs") + $(alg_grew sha256-virtio-rs software "$algs")))
cat /tmp/load.[1-4] | awk '/^ops / { n++; ops += $2; e += $4 + $6 } END { print n + 0, ops + 0, e + 0 }' >/tmp/load.sum
read -r users ops errors </tmp/load.sum
removal=$(log_since demo-removal | sed -n 's/.*virtio_crypto_rs: \(virtio[0-9]*: removed .*\)/\1/p' | tail -1)
echo "   4 users (2 x cbc(aes), 2 x sha256) for 5 s, every result checked against the generic code"
echo "   the simulated device had taken $took requests when its removal began"
echo "   driver: ${removal:-no removal line}"
echo "   users finished: $users of 4, requests $ops, failed or wrong: $errors"
echo "   cbc-aes-virtio-rs and sha256-virtio-rs counted: device +$dev, software +$sw (no device serves"
echo "   sha256 after the removal: its requests run in software, counted not_ready, until the driver"
echo "   unregisters it, which it does once no transform holds it)"
if [ "$users" = 4 ] && [ "$errors" = 0 ] && [ "$ops" -gt 0 ] && [ -n "$removal" ]; then
    pass demo-removal-under-load
else
    demo_fail demo-removal-under-load "users finished $users of 4, errors $errors, removal logged: '${removal:-no}' $(cat /tmp/load.[1-4] | head -5 | tr '\n' ' ')"
fi
printf '%s|%s|%s|%s|%s|%s\n' "simulated device removed under load" "cbc(aes), sha256 ($ops requests)" \
    "$([ "$errors" = 0 ] && echo yes || echo no)" "$dev" "$sw" "-" >>"$TABLE"
sha256_gone() { [ "$(alg_count sha256-virtio-rs registered)" = 0 ]; }
wait_until 10 sha256_gone || demo_fail demo-sha256-unregistered "sha256-virtio-rs still registered 10 s after its last user"
echo "   still registered: $(awk '$3 == "registered" && $4 == 1 { printf "%s ", $1 }' "$ALGS_FILE")(what QEMU's device serves)"

# --- Summary ---

echo
echo "== summary (device, software: requests this driver counted for the algorithm; interrupts: QEMU's device)"
printf '   %-42s %-32s %-6s %7s %8s %10s\n' consumer algorithm equal device software interrupts
while IFS='|' read -r consumer alg equal dev sw irq; do
    printf '   %-42s %-32s %-6s %7s %8s %10s\n' "$consumer" "$alg" "$equal" "$dev" "$sw" "$irq"
done <"$TABLE"
rmmod "$DRIVER_NAME" || demo_fail demo-rmmod "rmmod failed"
echo "== kernel log"
dmesg
if [ "$DEMO_OK" = 1 ]; then
    pass demo
else
    fail demo "a step above failed"
fi
