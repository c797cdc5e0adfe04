# SPDX-License-Identifier: GPL-2.0
# The simulated device comes up on the vDPA simulator and answers the checks
# of vcrs_sim_check (a minimal driver that sends hand-built requests, valid and
# malformed): known answers for cipher, hash, MAC, AEAD and chaining, the
# documented status for each kind of bad request, and the session limit.

SIM_PARAMS=/sys/module/vcrs_sim/parameters
check sim-modprobe-vdpa-sim load_vdpa_sim
check sim-modprobe-virtio-vdpa modprobe virtio_vdpa
# AEAD and chaining are opt-in: the checks cover them.
check sim-insmod insmod /vcrs/modules/vcrs_sim.ko max_sessions=16 queue_size=128 services=15 chaining=1
check sim-mgmtdev-listed sh -c "vdpa mgmtdev show | grep -q vdpasim_crypto"
check sim-check-insmod insmod /vcrs/modules/vcrs_sim_check.ko session_limit=16
check sim-dev-add vdpa dev add mgmtdev vdpasim_crypto name check0
check sim-virtio-device-id-20 sh -c "grep -q 0x0014 /sys/bus/virtio/devices/*/device"

i=0
while [ $i -lt 120 ] && ! dmesg | grep -q 'vcrs_sim_check: done'; do
    sleep 0.5
    i=$((i + 1))
done
check sim-check-ran-to-the-end sh -c "dmesg | grep -q 'vcrs_sim_check: done'"
check sim-queue-size-configurable sh -c "dmesg | grep -q 'ring sizes: dataq 128, controlq 128'"
dmesg | sed -n 's/.*vcrs_sim_check: RESULT \(PASS\|FAIL\) \([^ ]*\) *\(.*\)/\1 \2 \3/p' >/tmp/checks
check sim-check-count-25 test "$(wc -l </tmp/checks)" -ge 25
while read -r verdict name detail; do
    if [ "$verdict" = PASS ]; then pass "sim-check-$name"; else fail "sim-check-$name" "$detail"; fi
done </tmp/checks

# Faults the C driver cannot survive, and fault switches of the device, checked
# with hand-built requests.
run_check() {
    echo "$1" >/sys/kernel/debug/vcrs_sim_check/run
    dmesg | sed -n "s/.*vcrs_sim_check: RESULT \(PASS\|FAIL\) $2 *\(.*\)/\1 \2/p" | tail -1 | {
        read -r verdict detail
        if [ "$verdict" = PASS ]; then pass "sim-check-$2"; else fail "sim-check-$2" "${detail:-no result}"; fi
    }
}
sim=/sys/kernel/debug/vcrs_sim/check0
echo 2 >$sim/lose_every
run_check lost fault-lost-request
echo 0 >$sim/lose_every
echo 5 >$sim/used_len
run_check used-len-5 fault-used-len
echo 0 >$sim/used_len
# fail_chain: only chained requests (CIPHER_ENCRYPT, op_type ALGORITHM_CHAINING)
# fail; plain CIPHER_ENCRYPT requests pass.
echo 0 >$sim/fail_opcode
echo 1 >$sim/fail_chain
echo 2 >$sim/fail_status
echo 1 >$sim/fail_every
run_check chain-fault-2 fault-chain-only
echo 0 >$sim/fail_every
echo 0 >$sim/fail_chain
check sim-stats-counts-lost sh -c "grep -q '^lost 1$' $sim/stats"

stats=/sys/kernel/debug/vcrs_sim/check0/stats
check sim-stats-counts-data-requests sh -c "grep -q '^dataq0_requests [1-9]' $stats"
check sim-stats-counts-opcodes sh -c "grep -q '^opcode_0x0002 [1-9]' $stats"
check sim-stats-sessions-closed grep -q '^sessions_open 0$' $stats
check sim-dev-del vdpa dev del check0
check sim-check-rmmod rmmod vcrs_sim_check
echo 256 >$SIM_PARAMS/max_sessions
echo 256 >$SIM_PARAMS/queue_size
echo 7 >$SIM_PARAMS/services
echo 0 >$SIM_PARAMS/chaining
