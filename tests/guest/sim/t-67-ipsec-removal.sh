# SPDX-License-Identifier: GPL-2.0
# IPsec ESP across device removals: rfc4106(gcm(aes)) states (transport mode,
# ESP's seqiv over our gcm-aes-virtio-rs) between two network namespaces carry
# a download while the simulated device serving them is removed (vdpa dev
# del); the device is added back and fresh states (new keys) go to it; 3
# cycles (vcrs.ipsec_cycles). For the last second before each removal the
# device answers each request 100 ms late, so that its ring holds requests
# when it goes (at least one removal of the run must find some). Every
# download arrives intact. A request the device held in place at the removal
# fails with ENODEV (design.rst: what the device wrote may have reached its
# source), which ESP counts (XfrmOutStateProtoError, XfrmInStateProtoError)
# and drops like a lost packet, which TCP sends again; everything else goes on
# in software with the same keys: no more pings are lost than ESP counted
# failures, no more of those than the removal's log line counts (with the
# requests it served in software). The counts go to a VCRS-RELIABILITY line.

# The registration's self-tests with 10 fuzz iterations at most (t-56 runs the
# full ones); the runner restores the setting after the script.
fuzz_iterations 10
# Only gcm(aes): each add registers the device's algorithms again.
sim_params services=8 aead=2
grep -q "^$DRIVER_NAME " /proc/modules || check ipr-insmod insmod "$MOD"
drop_software_instances "$AEAD_INSTANCES"

# shellcheck disable=SC2034 # IPA: read by lib.sh's netns_pair and esp_pair
A=vcrs-ipr-a B=vcrs-ipr-b IPA=10.97.0.1 IPB=10.97.0.2
# 8 MiB (2 on the debug kernel; was 16): the download still runs 10 s and
# more (t-66 moves about 0.3 MiB/s through ESP), the removal comes 3 s into
# it, and thousands of packets follow it in software.
MIB=$(slow_kernel && echo 2 || echo 8)
CYCLES=$(sed -n 's/.*vcrs\.ipsec_cycles=\([0-9]*\).*/\1/p' /proc/cmdline)
CYCLES=${CYCLES:-3}
check ipr-netns-veth netns_pair
sa_gcm() { esp_sa "$1" "$2" "$3" "$4" "$5" aead 'rfc4106(gcm(aes))' "$ESPKEY" 128; }
# echo_replies NS: the ICMP echo replies namespace NS has received (the
# kernel's count: busybox's ping stops waiting for late replies).
echo_replies() {
    ip netns exec "$1" cat /proc/net/snmp | awk '
        $1 == "Icmp:" && $2 !~ /^[0-9]+$/ { for (i = 2; i <= NF; i++) if ($i == "InEchoReps") f = i; next }
        $1 == "Icmp:" && f { print $f; exit }'
}
# esp_errors: failed encryptions and decryptions of both namespaces.
esp_errors() {
    echo $(($(xfrm_stat $A XfrmOutStateProtoError) + $(xfrm_stat $B XfrmOutStateProtoError) +
        $(proto_errors $A) + $(proto_errors $B)))
}
# esp_packets: the packets the states of both namespaces processed.
esp_packets() { echo $(($(xfrm_packets $A) + $(xfrm_packets $B))); }
# in_errors: failed decryptions of both namespaces (a failed input is not
# counted in its state's packets, a failed output is).
in_errors() { echo $(($(proto_errors $A) + $(proto_errors $B))); }
# gcm_since BEFORE FIELD: how much FIELD of gcm-aes-virtio-rs's counters grew
# since the snapshot BEFORE (alg_snapshot).
gcm_since() {
    local was
    was=$(echo "$1" | awk -v f="$2" '$1 == "gcm-aes-virtio-rs" { for (i = 3; i < NF; i += 2) if ($i == f) print $(i + 1) }')
    echo $(($(alg_count gcm-aes-virtio-rs "$2") - ${was:-0}))
}
# serving: the device is bound and a new gcm(aes) transform reaches it.
serving() {
    local before
    before=$(sim_requests ipr0 2>/dev/null) || return 1
    [ "$(picked "gcm(aes)")" = gcm-aes-virtio-rs ] &&
        afalg_stress -n 2 aead "gcm(aes)" "gcm_base(ctr(aes-generic),ghash-generic)" 16 12 16 256 10 >/dev/null &&
        [ "$(sim_requests ipr0)" -gt "$before" ]
}

i=1 spi=8192 cycles_ok=0 packets=0 errors=0 fell_back=0 abandoned=0
while [ $i -le "$CYCLES" ]; do
    pfx=ipr-cycle$i
    if ! vdpa dev add mgmtdev vdpasim_crypto name ipr0; then
        fail "$pfx-dev-add" "vdpa dev add failed"
        break
    fi
    if ! wait_until 120 serving; then
        fail "$pfx-device-serves" "gcm(aes) is $(picked "gcm(aes)"), no request on the device after 120 s"
        break
    fi
    ESPKEY=0x$(hex 36)
    if ! esp_pair transport $spi $((spi + 1)) sa_gcm; then
        fail "$pfx-states" "ip xfrm failed"
        break
    fi
    spi=$((spi + 16))
    fresh0=$(alg_snapshot)
    expect_eq "$pfx-pings-before" "$(pings 3)" 3
    # The fresh states on the re-added device: 3 echo requests and 3 replies,
    # each encrypted and decrypted, all on the device.
    alg_expect "$pfx-fresh-states-on-the-device" gcm-aes-virtio-rs 12 "$fresh0"
    errors0=$(esp_errors) packets0=$(esp_packets) replies0=$(echo_replies $A) in0=$(in_errors)
    cycle0=$(alg_snapshot)
    log_mark "$pfx"
    bulk_transfer "$MIB" >/tmp/ipr.bulk 2>&1 &
    bulk=$!
    ip netns exec $A ping -c 60 -i 0.25 -W 5 $IPB >/dev/null 2>&1 &
    ping=$!
    sleep 2
    echo 100 >/sys/kernel/debug/vcrs_sim/ipr0/delay_ms
    sleep 1
    check "$pfx-download-running-at-removal" kill -0 $bulk
    check "$pfx-dev-del-under-traffic" vdpa dev del ipr0
    # (The counters first: a packet between the two reads counts on their
    # side, never only on the packets' side.)
    removal0=$(alg_snapshot) at_removal=$(esp_packets)
    wait $bulk
    check "$pfx-download-intact" test $? -eq 0
    # The rest of the download went on without the device (our transforms in
    # software: no device, or no session with it), in the same states.
    after=$(esp_packets)
    check "$pfx-states-went-on-without-the-device" test $((after - at_removal)) -ge 100
    # Every packet since, one request in software (no device: not_ready; or
    # no session with it), none on a device. A decryption in progress at the
    # snapshot counts its request before it and its packet after: at most one
    # per CPU (software decryptions are synchronous, in softirq).
    alg_expect "$pfx-after-removal-in-software" gcm-aes-virtio-rs \
        "device=0 software>=$((after - at_removal - $(nproc))) busy=0 limits=0 forced=0" "$removal0"
    wait $ping
    sleep 2
    replies=$(($(echo_replies $A) - replies0))
    # (Not `set --`: the runner's own arguments are this shell's.)
    counts=$(removals_since "$pfx")
    removals=$(echo "$counts" | cut -d' ' -f1)
    served=$(echo "$counts" | cut -d' ' -f2) failed=$(echo "$counts" | cut -d' ' -f3)
    check "$pfx-removal-logged" test "$removals" -eq 1
    cycle_errors=$(($(esp_errors) - errors0))
    cycle_packets=$(($(esp_packets) - packets0))
    echo "-- t-67: cycle $i: $cycle_packets packets, $((60 - ${replies:-0})) of 60 pings lost, $cycle_errors failed in ESP; removal: $served requests served in software, $failed failed"
    check "$pfx-lost-pings-counted-by-esp" test $((60 - ${replies:-0})) -le "$cycle_errors"
    # Every ESP failure is a request the removal failed (none fails otherwise).
    expect_eq "$pfx-esp-failures-are-the-removals" "$cycle_errors" "$failed"
    # Every packet of the cycle was one request of ours (on the device, or in
    # software when the ring was full or the device gone), and so was every
    # failed decryption: the counters account for each exactly once.
    requests=$(($(gcm_since "$cycle0" device) + $(gcm_since "$cycle0" software)))
    echo "-- t-67: cycle $i: requests device +$(gcm_since "$cycle0" device) software +$(gcm_since "$cycle0" software) (busy +$(gcm_since "$cycle0" busy), not_ready +$(gcm_since "$cycle0" not_ready), no_session +$(gcm_since "$cycle0" no_session)); packets $cycle_packets, failed decryptions $(($(in_errors) - in0))"
    expect_eq "$pfx-every-packet-counted-once" "$requests" $((cycle_packets + $(in_errors) - in0))
    packets=$((packets + cycle_packets)) errors=$((errors + cycle_errors))
    fell_back=$((fell_back + served)) abandoned=$((abandoned + failed))
    check "$pfx-flush" xfrm_flush
    cycles_ok=$((cycles_ok + 1))
    i=$((i + 1))
done
expect_eq ipr-cycles-completed "$cycles_ok" "$CYCLES"
# Not every removal finds a request on the ring (TCP waits for the slow
# device); some must, or the accounting above compared zeros.
check ipr-requests-on-the-ring-at-removals test $((fell_back + abandoned)) -gt 0
# A cycle that stopped early may have left the device.
if vdpa dev show ipr0 >/dev/null 2>&1; then
    check ipr-leftover-dev-del vdpa dev del ipr0
fi
echo "VCRS-RELIABILITY ipsec-removal cycles=$cycles_ok packets=$packets esp_errors=$errors served_in_software=$fell_back failed_at_removal=$abandoned"

teardown() { ip netns del $A && ip netns del $B; }
check ipr-teardown teardown
check ipr-module-unused wait_module_unused
check ipr-rmmod rmmod "$DRIVER_NAME"
sim_params_restore
