# SPDX-License-Identifier: GPL-2.0
# QEMU's device advertises HASH (SHA1) and MAC but refuses every hash and MAC
# session: the driver registers none of its ahash algorithms for it and says
# so once per device; IPsec AH with hmac(sha256) (between two network
# namespaces joined by a veth pair) still works, on the software hmac(sha256),
# with our module loaded.

# A fresh load: its log lines are counted below.
rmmod "$DRIVER_NAME" 2>/dev/null
log_mark hash-refused
check hashref-insmod insmod "$MOD"
# The self-tests of what it did register (cbc(aes)) ran: probing is over.
expect_eq hashref-cbc-aes-selftest "$(wait_selftest cbc-aes-virtio-rs)" passed
HASHES="sha256 md5 sha1 sha224 sha384 sha512 sha3-224 sha3-256 sha3-384 sha3-512
    hmac-sha256 hmac-md5 hmac-sha1 hmac-sha224 hmac-sha384 hmac-sha512 cmac-aes xcbc-aes"
for alg in $HASHES; do
    check "hashref-$alg-virtio-rs-not-registered" sh -c "! grep -q '^driver *: $alg-virtio-rs\$' /proc/crypto"
done
# The driver's own counters say the same: registered 0 for every one.
not_registered() {
    local alg bad=""
    for alg in $HASHES; do
        [ "$(alg_count "$alg-virtio-rs" registered)" = 0 ] || bad="$bad $alg:$(alg_count "$alg-virtio-rs" registered)"
    done
    [ -z "$bad" ] || { echo "registered:$bad"; return 1; }
}
check hashref-counters-none-registered not_registered
ALL_HASH_DRIVERS=$(for alg in $HASHES; do printf '%s-virtio-rs ' "$alg"; done)
# Exactly one "refuses their sessions" line for the ahash family per bound device.
one_line_per_device() {
    local dev n devices=0 bad=""
    for dev in /sys/bus/virtio/drivers/"$DRIVER_NAME"/virtio*; do
        [ -e "$dev" ] || continue
        dev=$(basename "$dev")
        devices=$((devices + 1))
        n=$(log_since hash-refused |
            grep -c "virtio_crypto_rs: $dev: the device offers ahash algorithms but refuses their sessions; none registered for it")
        [ "$n" = 1 ] || bad="$bad $dev:$n"
    done
    [ "$devices" -gt 0 ] || { echo "no device bound"; return 1; }
    [ -z "$bad" ] || { echo "lines per device:$bad"; return 1; }
}
check hashref-ahash-refusal-logged-once-per-device one_line_per_device

# The namespaces, addresses and veth of the IPsec helpers in lib.sh.
A=vcrs-ahq-a B=vcrs-ahq-b IPA=10.98.0.1 IPB=10.98.0.2
KAB=0x$(hex 32) KBA=0x$(hex 32)
ah_setup() {
    netns_pair &&
        sa $A $IPA $IPB 0x2001 "$KAB" && sa $A $IPB $IPA 0x2002 "$KBA" &&
        sa $B $IPA $IPB 0x2001 "$KAB" && sa $B $IPB $IPA 0x2002 "$KBA" &&
        pol $A $IPA $IPB out && pol $A $IPB $IPA in &&
        pol $B $IPB $IPA out && pol $B $IPA $IPB in
}
check hashref-ah-setup ah_setup
# The four states' transforms are the kernel's software hmac(sha256)
# (hmac(sha256-generic) on 6.12, hmac-sha256-lib on 7.x).
held() { [ "$(proc_crypto_field "$(software_driver 'hmac(sha256)')" refcnt)" -gt 1 ]; }
check hashref-ah-on-software-hmac held
# Nothing of ours saw AH's requests: no hash or MAC of ours counted any,
# neither on a device nor in software.
before=$(alg_snapshot)
expect_eq hashref-ah-10-pings-answered "$(pings 10)" 10
alg_expect hashref-ah-nothing-on-ours "$ALL_HASH_DRIVERS" "device=0 software=0" "$before"
ah_packets() {
    ip -n $B -s xfrm state list proto ah spi 0x2001 | sed -n 's/.*[0-9](bytes), *\([0-9][0-9]*\)(packets).*/\1/p'
}
check hashref-ah-requests-went-through-ah test "$(ah_packets)" -ge 10
teardown() {
    ip -n $A xfrm policy flush && ip -n $B xfrm policy flush &&
        ip -n $A xfrm state flush && ip -n $B xfrm state flush &&
        ip netns del $A && ip netns del $B
}
check hashref-ah-teardown teardown
check hashref-rmmod rmmod "$DRIVER_NAME"
