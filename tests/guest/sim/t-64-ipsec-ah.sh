# SPDX-License-Identifier: GPL-2.0
# IPsec AH (transport mode, hmac(sha256), 128-bit ICV) between two network
# namespaces joined by a veth pair, all inside the guest: pings pass, the four
# xfrm states hold hmac-sha256-virtio-rs, and the debugfs MAC counters count
# every AH packet (an ICV computed on output, checked on input). Then one side
# gets a wrong key: pings fail, and the receiver counts ICV failures.
#
# net/ipv4/ah4.c (6.12.117): crypto_alloc_ahash(x->aalg->alg_name, 0, 0) per
# state (async drivers allowed); every packet is one crypto_ahash_digest() with
# callback flags 0 (no MAY_SLEEP, no MAY_BACKLOG: output runs with BHs off,
# input in softirq), over a scatterlist of the skb (header with mutable fields
# zeroed, AH header with zeroed ICV, payload; may have several entries). A bad
# ICV is -EBADMSG, which xfrm_input() counts in the state's
# stats.integrity_failed ("failed" in `ip -s xfrm state`) and in
# LINUX_MIB_XFRMINSTATEPROTOERROR (XfrmInStateProtoError in /proc/net/xfrm_stat,
# per namespace; that one also counts other protocol errors).

# The registrations' self-tests repeat what t-50, t-52 and t-56 ran in full:
# 10 fuzz iterations at most (the runner restores the setting after every
# script).
fuzz_iterations 10

insmod /vcrs/modules/vcrs_sim.ko
check ah-sim-dev-add vdpa dev add mgmtdev vdpasim_crypto name ah0
check ah-insmod insmod "$MOD"
expect_eq ah-all-selftests-passed "$(wait_our_selftests)" ""
# wait_our_selftests waited for every algorithm we registered: ours must be one.
expect_eq ah-hmac-sha256-virtio-rs-selftest "$(proc_crypto_field hmac-sha256-virtio-rs selftest)" passed


# The namespaces, addresses and veth of the IPsec helpers in lib.sh.
A=vcrs-ah-a B=vcrs-ah-b IPA=10.99.0.1 IPB=10.99.0.2
# state_field NS SPI FIELD: "packets" (lifetime current: "N(bytes), N(packets)")
# or "failed" (integrity failures: "replay-window N replay N failed N") of the
# AH state SPI in namespace NS.
state_field() {
    ip -n "$1" -s xfrm state list proto ah spi "$2" 2>/dev/null | awk -v f="$3" '
        f == "packets" && /[0-9]\(bytes\), *[0-9]+\(packets\)/ { sub(/\(packets\).*/, ""); sub(/.*, */, ""); print; exit }
        f == "failed" && / failed / { for (i = 1; i < NF; i++) if ($i == "failed") { print $(i + 1); exit } }'
}
# proto_errors NS: XfrmInStateProtoError of namespace NS.
proto_errors() { ip netns exec "$1" cat /proc/net/xfrm_stat | awk '$1 == "XfrmInStateProtoError" { print $2 }'; }

iproute2() { ip -V | grep iproute2; }
check ah-ip-is-iproute2 iproute2
log_mark ipsec-ah
check ah-netns-veth netns_pair
expect_eq ah-plain-ping-works "$(pings 2)" 2

KAB=0x$(hex 32) KBA=0x$(hex 32)
xfrm_setup() {
    sa $A $IPA $IPB 0x1001 "$KAB" && sa $A $IPB $IPA 0x1002 "$KBA" &&
        sa $B $IPA $IPB 0x1001 "$KAB" && sa $B $IPB $IPA 0x1002 "$KBA" &&
        pol $A $IPA $IPB out && pol $A $IPB $IPA in &&
        pol $B $IPB $IPA out && pol $B $IPA $IPB in
}
check ah-xfrm-states-and-policies xfrm_setup
ip -n $A xfrm state
# Four states, each with its own transform of hmac(sha256): ours has the highest priority.
held() {
    local n
    n=$(proc_crypto_field hmac-sha256-virtio-rs refcnt)
    [ "${n:-0}" -gt 1 ] || { echo "hmac-sha256-virtio-rs refcnt '$n'; hmac(sha256) drivers: $(grep -A1 '^name *: hmac(sha256)$' /proc/crypto | sed -n 's/^driver *: //p' | tr '\n' ' ')"; return 1; }
}
check ah-states-hold-hmac-sha256-virtio-rs held

# 20 requests and 20 replies, each with an ICV computed by the sender and
# checked by the receiver: 80 digests, every one on the device (AH's requests
# may not wait: a full ring would show as busy, in software).
pings0=$(alg_snapshot)
expect_eq ah-20-pings-answered "$(pings 20)" 20
# Each echo request and reply is protected by AH: the receiver's inbound state counted them.
check ah-requests-went-through-ah test "$(state_field $B 0x1001 packets)" -ge 20
check ah-replies-went-through-ah test "$(state_field $A 0x1002 packets)" -ge 20
cat /sys/kernel/debug/virtio_crypto_rs/virtio*/status
alg_expect ah-every-icv-on-device hmac-sha256-virtio-rs 80 "$pings0"

# A wrong key on B's inbound state: B drops A's packets as ICV failures.
failed_before=$(state_field $B 0x1001 failed)
proto_before=$(proto_errors $B)
rekey() {
    ip -n $B xfrm state delete src $IPA dst $IPB proto ah spi 0x1001 &&
        sa $B $IPA $IPB 0x1001 "0x$(hex 32)"
}
check ah-wrong-key-installed rekey
wrong0=$(alg_snapshot)
expect_eq ah-wrong-key-pings-fail "$(pings 5)" 0
# A's 5 ICVs and B's 5 checks (the device's digests, which AH finds differ).
alg_expect ah-wrong-key-icvs-on-device hmac-sha256-virtio-rs 10 "$wrong0"
failed_after=$(state_field $B 0x1001 failed)
proto_after=$(proto_errors $B)
echo "B's state 0x1001 failed: $failed_before -> $failed_after; XfrmInStateProtoError: $proto_before -> $proto_after"
check ah-wrong-key-integrity-failures-counted test "$failed_after" -ge 5
check ah-wrong-key-xfrm-stat-counted test "$((proto_after - proto_before))" -ge 5
check ah-no-kernel-warnings sh -c "! dmesg | sed -n '/vcrs-mark ipsec-ah\$/,\$p' | grep -E 'WARNING:|BUG:|Call Trace|Oops'"

teardown() {
    ip -n $A xfrm policy flush && ip -n $B xfrm policy flush &&
        ip -n $A xfrm state flush && ip -n $B xfrm state flush &&
        ip netns del $A && ip netns del $B
}
check ah-teardown teardown
check ah-netns-gone sh -c "! ip netns list | grep -q vcrs-ah"
check ah-module-unused wait_module_unused
check ah-rmmod rmmod "$DRIVER_NAME"
check ah-dev-del vdpa dev del ah0
rmmod vcrs_sim
