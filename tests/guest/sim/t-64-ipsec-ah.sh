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

insmod /vcrs/modules/vcrs_sim.ko
check ah-sim-dev-add vdpa dev add mgmtdev vdpasim_crypto name ah0
check ah-insmod insmod "$MOD"
expect_eq ah-all-selftests-passed "$(wait_our_selftests)" ""
# wait_our_selftests waited for every algorithm we registered: ours must be one.
expect_eq ah-hmac-sha256-virtio-rs-selftest "$(proc_crypto_field hmac-sha256-virtio-rs selftest)" passed

# ops_count KIND WHERE: the debugfs "KIND device N software M" counter WHERE
# (device or software) summed over our devices; "missing" without such a line.
ops_count() {
    cat /sys/kernel/debug/virtio_crypto_rs/virtio*/status 2>/dev/null | awk -v kind="$1" -v where="$2" '
        $1 == kind { found = 1; for (i = 2; i < NF; i++) if ($i == where) n += $(i + 1) }
        END { if (found) print n + 0; else print "missing" }'
}
# sum_ops A B: A + B, or "missing" if either is.
sum_ops() { case "$1$2" in *missing*) echo missing ;; *) echo $(($1 + $2)) ;; esac; }
# grew_by NAME BEFORE AFTER MIN: passes if both counts exist and AFTER - BEFORE >= MIN.
grew_by() {
    case "$2$3" in
    *missing*) fail "$1" "no such counter in the debugfs status (before '$2', after '$3')" ;;
    *) if [ $(($3 - $2)) -ge "$4" ]; then pass "$1"; else fail "$1" "grew by $(($3 - $2)), expected at least $4"; fi ;;
    esac
}
# wait_module_unused: up to 30 s for every user of our module (transforms) to
# go; xfrm frees a deleted state's transform from a work item.
wait_module_unused() {
    local i=0
    while [ $i -lt 60 ] && [ "$(cat /sys/module/"$DRIVER_NAME"/refcnt 2>/dev/null)" != 0 ]; do
        sleep 0.5
        i=$((i + 1))
    done
    [ "$(cat /sys/module/"$DRIVER_NAME"/refcnt 2>/dev/null)" = 0 ]
}

# Busybox's sh runs its own applets before searching PATH; its ip has neither
# netns nor xfrm: iproute2's is called by its path.
ip() { /usr/bin/ip "$@"; }
A=vcrs-ah-a B=vcrs-ah-b IPA=10.99.0.1 IPB=10.99.0.2
# netns_pair: namespaces A and B, veth vcrsa (in A, IPA) to vcrsb (in B, IPB).
netns_pair() {
    ip netns add $A && ip netns add $B &&
        ip -n $A link add vcrsa type veth peer name vcrsb netns $B &&
        ip -n $A addr add $IPA/24 dev vcrsa && ip -n $B addr add $IPB/24 dev vcrsb &&
        ip -n $A link set lo up && ip -n $B link set lo up &&
        ip -n $A link set vcrsa up && ip -n $B link set vcrsb up
}
# sa NS SRC DST SPI KEY: an AH transport-mode state with hmac(sha256), 128-bit ICV.
sa() { ip -n "$1" xfrm state add src "$2" dst "$3" proto ah spi "$4" mode transport auth-trunc 'hmac(sha256)' "$5" 128; }
# pol NS SRC DST DIR: AH required for SRC -> DST in direction DIR.
pol() { ip -n "$1" xfrm policy add src "$2"/32 dst "$3"/32 dir "$4" tmpl src "$2" dst "$3" proto ah mode transport; }
# pings N: N pings from A to B; prints the number of replies.
pings() {
    ip netns exec $A ping -c "$1" -i 0.2 -W 2 $IPB 2>&1 |
        sed -n 's/.* \([0-9]*\) packets received.*/\1/p'
}
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

mac_dev=$(ops_count mac_ops device) mac_sw=$(ops_count mac_ops software)
expect_eq ah-20-pings-answered "$(pings 20)" 20
# Each echo request and reply is protected by AH: the receiver's inbound state counted them.
check ah-requests-went-through-ah test "$(state_field $B 0x1001 packets)" -ge 20
check ah-replies-went-through-ah test "$(state_field $A 0x1002 packets)" -ge 20
cat /sys/kernel/debug/virtio_crypto_rs/virtio*/status
grew_by ah-mac-ops-on-device "$mac_dev" "$(ops_count mac_ops device)" 1
# 20 requests and 20 replies, each with an ICV computed by the sender and
# checked by the receiver: 80 MACs, on the device or in our software fallback.
grew_by ah-every-icv-by-our-driver "$(sum_ops "$mac_dev" "$mac_sw")" \
    "$(sum_ops "$(ops_count mac_ops device)" "$(ops_count mac_ops software)")" 80

# A wrong key on B's inbound state: B drops A's packets as ICV failures.
failed_before=$(state_field $B 0x1001 failed)
proto_before=$(proto_errors $B)
rekey() {
    ip -n $B xfrm state delete src $IPA dst $IPB proto ah spi 0x1001 &&
        sa $B $IPA $IPB 0x1001 "0x$(hex 32)"
}
check ah-wrong-key-installed rekey
expect_eq ah-wrong-key-pings-fail "$(pings 5)" 0
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
