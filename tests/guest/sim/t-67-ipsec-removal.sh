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

A=vcrs-ipr-a B=vcrs-ipr-b IPA=10.97.0.1 IPB=10.97.0.2
# 16 MiB (2 on the debug kernel): the download runs 10 s and more, the
# removal comes 3 s into it.
MIB=$(scaled_mib 16)
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
    dev0=$(ops_count aead_ops device)
    expect_eq "$pfx-pings-before" "$(pings 3)" 3
    grew_by "$pfx-states-on-the-device" "$dev0" "$(ops_count aead_ops device)" 6
    errors0=$(esp_errors) packets0=$(esp_packets) replies0=$(echo_replies $A)
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
    at_removal=$(esp_packets)
    wait $bulk
    check "$pfx-download-intact" test $? -eq 0
    # The rest of the download went on without the device (our transforms in
    # software), in the same states.
    after=$(esp_packets)
    check "$pfx-states-went-on-without-the-device" test $((after - at_removal)) -ge 100
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
    check "$pfx-esp-failures-are-the-removals" test "$cycle_errors" -le "$failed"
    packets=$((packets + cycle_packets)) errors=$((errors + cycle_errors))
    fell_back=$((fell_back + $served)) abandoned=$((abandoned + $failed))
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
