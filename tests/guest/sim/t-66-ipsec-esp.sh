# SPDX-License-Identifier: GPL-2.0
# IPsec ESP between two network namespaces joined by a veth pair, all inside
# the guest, on the simulated device offering everything (services=15
# chaining=1):
#   rfc4106(gcm(aes)) (transport mode; ESP wraps it in seqiv),
#   authenc(hmac(sha256),cbc(aes)) (tunnel mode; ESP wraps it in echainiv),
#   rfc7539esp(chacha20,poly1305) (transport mode; seqiv).
# For each: 20 pings and a 4 MiB download (busybox httpd in B, wget in A; A
# compares the sha256) arrive intact; the four states hold our driver's
# transforms (the IV generator's instance over ours in /proc/crypto, with the
# states' references); our algorithm's counters (debugfs algorithms) show at
# least as many requests on the device as the packets the states processed
# (each packet is one encryption or one decryption), none in software; then a
# wrong key on B's inbound state drops A's packets (the device's decryptions
# fail) and both the state ("failed") and /proc/net/xfrm_stat
# (XfrmInStateProtoError) count the integrity failures; no kernel warnings.
# rfc7539esp(chacha20,poly1305) is the driver's own (the kernel's is built from
# the chacha20 skcipher and the poly1305 hash, never over an rfc7539 aead).
#
# net/ipv4/esp4.c (6.12.117): one crypto_alloc_aead("GENIV(ALG)", 0, 0) per
# state; every packet is one request, with callback flags 0 (no MAY_SLEEP, no
# MAY_BACKLOG: output runs with BHs off, input in softirq), in place or, for
# fragmented skbs, out of place. A bad ICV is -EBADMSG, counted in the state's
# stats.integrity_failed and in XfrmInStateProtoError.

grep -q '^vcrs_sim ' /proc/modules || insmod /vcrs/modules/vcrs_sim.ko
p=/sys/module/vcrs_sim/parameters
saved_params="services=$(cat $p/services) chaining=$(cat $p/chaining)"
echo 15 >$p/services
echo 1 >$p/chaining
# The registration's self-tests with 10 fuzz iterations at most (t-56 runs the full
# ones), restored at the end.
fuzz_iterations 10
# No software instance of these names left by earlier tests: the lookups by
# name see what they would on a fresh kernel (plus our driver).
drop_software_instances "$AEAD_INSTANCES"
check esp-sim-dev-add vdpa dev add mgmtdev vdpasim_crypto name esp0
check esp-insmod insmod "$MOD"
wait_registered gcm-aes-virtio-rs 90 || fail esp-gcm-aes-virtio-rs-registered "not in /proc/crypto"
for drv in authenc-hmac-sha256-cbc-aes-virtio-rs rfc7539esp-chacha20-poly1305-virtio-rs; do
    wait_registered $drv 10 || fail esp-$drv-registered "not in /proc/crypto"
done
expect_eq esp-all-selftests-passed "$(wait_our_selftests)" ""

# The namespaces, addresses and veth of the IPsec helpers in lib.sh.
A=vcrs-esp-a B=vcrs-esp-b IPA=10.96.0.1 IPB=10.96.0.2
# 4 MiB each (1 on the debug kernel, where KASAN makes every packet slow): some
# 3000 full-size packets and their ACKs per case, which the driver's counters
# follow one by one (16 MiB were more of the same packets).
MIB=$(scaled_mib 4)
log_mark ipsec-esp
iproute2() { ip -V | grep iproute2; }
check esp-ip-is-iproute2 iproute2
check esp-netns-veth netns_pair
expect_eq esp-plain-ping-works "$(pings 2)" 2

# The states: ESPKEY (and ESPAUTH for authenc) are read when a state is added.
sa_gcm() { esp_sa "$1" "$2" "$3" "$4" "$5" aead 'rfc4106(gcm(aes))' "$ESPKEY" 128; }
sa_authenc() { esp_sa "$1" "$2" "$3" "$4" "$5" enc 'cbc(aes)' "$ESPKEY" auth-trunc 'hmac(sha256)' "$ESPAUTH" 128; }
sa_chacha() { esp_sa "$1" "$2" "$3" "$4" "$5" aead 'rfc7539esp(chacha20,poly1305)' "$ESPKEY" 128; }

# held DRIVER: DRIVER is registered and the states hold it (refcount beyond its own).
held() {
    local n
    n=$(proc_crypto_field "$1" refcnt)
    [ "${n:-0}" -gt 1 ] || {
        echo "$1 refcnt '$n'; ESP transforms: $(grep '^driver *: \(seqiv\|echainiv\)' /proc/crypto | sed 's/^driver *: //' | tr '\n' ' ')"
        return 1
    }
}

# Cases: name, mode, state function, key bytes, the transform the states must
# hold, our algorithm under it (whose counters count the packets), the AEAD
# name the states ask the Crypto API for.
CASES="
gcm transport sa_gcm 36 seqiv(rfc4106(gcm-aes-virtio-rs)) gcm-aes-virtio-rs rfc4106(gcm(aes))
authenc tunnel sa_authenc 16 echainiv(authenc-hmac-sha256-cbc-aes-virtio-rs) authenc-hmac-sha256-cbc-aes-virtio-rs authenc(hmac(sha256),cbc(aes))
chacha transport sa_chacha 36 seqiv(rfc7539esp-chacha20-poly1305-virtio-rs) rfc7539esp-chacha20-poly1305-virtio-rs rfc7539esp(chacha20,poly1305)
"

# rekey: B's inbound state of the case (SPI $ab, of the loop below) replaced by
# one with new keys.
rekey() {
    ip -n "$B" xfrm state delete src "$IPA" dst "$IPB" proto esp spi "$ab" &&
        ESPKEY=0x$(hex "$keylen") ESPAUTH=0x$(hex 32) "$add" "$B" "$IPA" "$IPB" "$ab" "$mode"
}
spi=4096
echo "$CASES" | while read -r case mode add keylen drv ours name; do
    [ -n "$case" ] || continue
    pfx=esp-$case
    # Where the kernel has a software AEAD of that name registered already
    # (7.3's rfc4106-gcm-aes-lib), a lookup by the name finds it and never
    # builds the template over ours (none registered: the first state builds
    # it): IPsec does not use ours, so there is nothing of ours to count.
    got=$(picked "$name")
    case "$got" in
    "" | *virtio-rs*) ;;
    *)
        skip "$pfx" "the kernel gives $got (priority $(proc_crypto_field "$got" priority)) for $name"
        continue
        ;;
    esac
    ab=$((spi + 1)) ba=$((spi + 2))
    spi=$((spi + 16))
    ESPKEY=0x$(hex "$keylen") ESPAUTH=0x$(hex 32)
    check "$pfx-$mode-states-and-policies" esp_pair "$mode" "$ab" "$ba" "$add"
    ip -n $A xfrm state | grep -E 'aead|enc|auth'
    check "$pfx-states-hold-$drv" held "$drv"
    traffic0=$(alg_snapshot)
    expect_eq "$pfx-20-pings-answered" "$(pings 20)" 20
    t1=$(date +%s)
    check "$pfx-${MIB}MiB-download-intact" bulk_transfer "$MIB"
    echo "-- t-66: $case: $MIB MiB in $(($(date +%s) - t1)) s"
    packets=$(($(xfrm_packets $A) + $(xfrm_packets $B)))
    echo "$case: the states processed $packets packets"
    # 1 MiB is over 700 full-size packets, each sent and received.
    check "$pfx-packets-went-through-esp" test "$packets" -ge $((MIB * 1250))
    cat /sys/kernel/debug/virtio_crypto_rs/virtio*/status
    # Each packet the states processed (the output counted before its
    # encryption, the input after its decryption) is one request of ours: all
    # on the device, none in software.
    alg_expect "$pfx-every-packet-on-device" "$ours" "$packets" "$traffic0"

    # A wrong key on B's inbound state: B drops A's packets as ICV failures.
    failed_before=$(xfrm_failed $B $ab)
    proto_before=$(proto_errors $B)
    check "$pfx-wrong-key-installed" rekey
    wrong0=$(alg_snapshot)
    expect_eq "$pfx-wrong-key-pings-fail" "$(pings 5)" 0
    # A's 5 encryptions and B's 5 decryptions, whose tags the device rejected.
    alg_expect "$pfx-wrong-key-packets-on-device" "$ours" 10 "$wrong0"
    failed_after=$(xfrm_failed $B $ab)
    proto_after=$(proto_errors $B)
    echo "B's state $ab failed: $failed_before -> $failed_after; XfrmInStateProtoError: $proto_before -> $proto_after"
    check "$pfx-wrong-key-integrity-failures-counted" test "${failed_after:-0}" -ge 5
    check "$pfx-wrong-key-xfrm-stat-counted" test "$((proto_after - proto_before))" -ge 5
    check "$pfx-flush" xfrm_flush
done

no_warnings() { ! log_since ipsec-esp | grep -E 'WARNING:|BUG:|Call Trace|Oops'; }
check esp-no-kernel-warnings no_warnings
teardown() { ip netns del $A && ip netns del $B; }
check esp-teardown teardown
check esp-netns-gone sh -c "! ip netns list | grep -q vcrs-esp"
check esp-module-unused wait_module_unused
check esp-rmmod rmmod "$DRIVER_NAME"
check esp-dev-del vdpa dev del esp0
for param in $saved_params; do echo "${param#*=}" >"$p/${param%%=*}"; done
rmmod vcrs_sim
fuzz_iterations_restore
