# SPDX-License-Identifier: GPL-2.0
# Driver error lines this script provokes on purpose (tests/guest/run-tests.sh):
# vcrs-expect-log: unusable configuration: (NoDataQueues|TooManyDataQueues)|cannot set up the [0-9]+ data queue\(s\) and the control queue
# vcrs-expect-log: (control|dataq[0-9]+): invalid answer \(used length
# vcrs-expect-log: the device gave a new session the id [0-9]+ of an open session; refused
# vcrs-expect-log: (dataq[0-9]+: (its ring is broken|it answered none of its requests in time)|it set DEVICE_NEEDS_RESET); resetting the device|no more resets
# vcrs-expect-log: destroying session [0-9]+ failed: error -5
#
# A hostile device (the simulated one's hostile mode, tests/simdev): the
# driver never reads or writes outside its own buffers (KASAN, on the debug
# kernel), never crashes or hangs, fails the affected requests with an error
# (never a wrong result), logs rate-limited messages, and keeps serving.
#
# (a) Its configuration space: no data queues, 2^32-1 of them, more than it
#     has (each refused at probe); fewer than it has (bound; its control queue
#     is a data queue: the trial session fails, nothing offered); max_size 0
#     (bound, every request in software); key limits of 0 (bound, the
#     trial session refused: nothing offered, users get software); max_size
#     2^64-1 with unknown bits in status, services and the algorithm masks
#     (bound, served as usual); HW_READY flapping 20 times under load (no
#     error, no wrong result).
# (b) Its answers, one misbehaviour on every request, then at random from a
#     seed: used lengths beyond the buffers, of 0 and one byte short (the
#     status not covered), status bytes no status has, on the data queues
#     (the request fails) and lengths on the control queue (logged; the
#     answer is judged by its content), an interrupt with nothing used, a new
#     session given the id of an open one; then requests it never answers: a used id that is no head, a
#     request answered twice (the virtio core marks the ring broken) and no
#     answer at all: the driver resets the device, the request runs in
#     software with the right result, the device serves again; the same when
#     the device sets DEVICE_NEEDS_RESET under load.

# The registrations' self-tests repeat what t-50, t-52 and t-56 ran in full:
# 10 fuzz iterations at most (the runner restores the setting after every
# script).
fuzz_iterations 10

grep -q '^vcrs_sim ' /proc/modules || insmod /vcrs/modules/vcrs_sim.ko
grep -q "^$DRIVER_NAME " /proc/modules || check hostile-insmod insmod "$MOD"
bound_devices() {
    set -- /sys/bus/virtio/drivers/"$DRIVER_NAME"/virtio*
    [ -e "$1" ] || shift
    echo $#
}
registered() { grep -q "driver *: $1\$" /proc/crypto; }
t0=$(date +%s)

# --- (a) the configuration space, on devices offering cbc(aes) only ---
only_cbc() {
    sim_params_restore
    sim_params services=1 cipher_l=8 cipher_h=0 hash=0 mac_l=0 mac_h=0 aead=0
}
# cbc_stress EXPECT_DEVICE EXPECT_SOFTWARE DEVICE: 4 operations through our
# cbc(aes) (8 requests: each encryption and its decryption), right results;
# the driver counted EXPECT_DEVICE on a device and EXPECT_SOFTWARE in
# software (the reason and its count: "limits 8"), and DEVICE received as many
# as the driver counted on a device. Says what it counted when not.
cbc_stress() {
    local algs sim out dev soft why
    algs=$(alg_snapshot) sim=$(sim_requests "$3")
    out=$(afalg_stress -n 4 skcipher cbc-aes-virtio-rs "cbc(aes-generic)" 16 16 16 4096 100 2>&1) || { echo "$out"; return 1; }
    dev=$(alg_grew cbc-aes-virtio-rs device "$algs") soft=$(alg_grew cbc-aes-virtio-rs software "$algs")
    why=$(alg_grew cbc-aes-virtio-rs "${2% *}" "$algs")
    echo "device +$dev, software +$soft (${2% *} +$why), $3 received +$(($(sim_requests "$3") - sim))"
    [ "$dev" -eq "$1" ] && [ "$soft" -eq "${2#* }" ] && [ "$why" -eq "${2#* }" ] &&
        [ $(($(sim_requests "$3") - sim)) -eq "$dev" ]
}
cbc_on_device() { cbc_stress 8 "not_ready 0" "$1"; } # DEVICE: all 8 requests on DEVICE
cbc_in_software() { cbc_stress 0 "limits 8" "$1"; }  # DEVICE: all 8 in software (limits)
# untouched_by DRIVER COMMAND...: COMMAND succeeds and DRIVER (not registered)
# counted nothing: its users got another implementation.
untouched_by() {
    local drv=$1 algs
    shift
    algs=$(alg_snapshot)
    "$@" >/dev/null || return 1
    [ "$(alg_grew "$drv" device "$algs") $(alg_grew "$drv" software "$algs")" = "0 0" ]
}

log_mark t-74-noq
only_cbc
sim_params report_data_queues=1 reported_data_queues=0
bound=$(bound_devices)
check hostile-noq-dev-add vdpa dev add mgmtdev vdpasim_crypto name hq0
noq_refused() { log_since t-74-noq | grep -q 'virtio_crypto_rs: virtio.*: unusable configuration: NoDataQueues'; }
check hostile-no-data-queues-refused wait_until 10 noq_refused
expect_eq hostile-no-data-queues-not-bound "$(bound_devices)" "$bound"
check hostile-noq-dev-del vdpa dev del hq0

# More data queues than the driver accepts (at most 1023): refused before
# anything is allocated for them.
log_mark t-74-manyq
only_cbc
sim_params report_data_queues=1 reported_data_queues=4294967295
check hostile-4g-queues-dev-add vdpa dev add mgmtdev vdpasim_crypto name hq0
manyq_refused() { log_since t-74-manyq | grep -q 'virtio_crypto_rs: virtio.*: unusable configuration: TooManyDataQueues(4294967295)'; }
check hostile-4g-queues-refused wait_until 10 manyq_refused
expect_eq hostile-4g-queues-not-bound "$(bound_devices)" "$bound"
check hostile-4g-queues-dev-del vdpa dev del hq0

# A device with 70 data queues (more than the guest's CPUs, and than the 64
# earlier drivers of ours used): all are set up, its control queue is the 71st,
# sessions and requests work.
log_mark t-74-70q
only_cbc
sim_params data_queues=70
check hostile-70-queues-dev-add vdpa dev add mgmtdev vdpasim_crypto name hq0
check hostile-70-queues-registered wait_registered cbc-aes-virtio-rs 30
expect_eq hostile-70-queues-selftest "$(wait_selftest cbc-aes-virtio-rs)" passed
all_set_up() { log_since t-74-70q | grep -q 'virtio_crypto_rs: virtio.*: 70 data queue(s)'; }
check hostile-70-queues-all-set-up all_set_up
check hostile-70-queues-served-by-device cbc_on_device hq0
check hostile-70-queues-dev-del vdpa dev del hq0

# More data queues than the device has (2 of 5): the control queue the driver
# asks for (index 5) does not exist, setting up the queues fails (-ENOENT
# from virtio_vdpa; virtio-pci gives -EINVAL), the device is refused.
log_mark t-74-moreq
only_cbc
sim_params data_queues=2 report_data_queues=1 reported_data_queues=5
check hostile-more-queues-dev-add vdpa dev add mgmtdev vdpasim_crypto name hq0
moreq_refused() { log_since t-74-moreq | grep -q 'virtio_crypto_rs: virtio.*: cannot set up the 5 data queue(s) and the control queue its configuration announces: error -2'; }
check hostile-more-queues-refused wait_until 10 moreq_refused
expect_eq hostile-more-queues-not-bound "$(bound_devices)" "$bound"
check hostile-more-queues-dev-del vdpa dev del hq0

# Fewer data queues than the device has (1 of 2): the driver's control queue
# is the device's second data queue, which answers a session request as a data
# request for a session it does not have (INVSESS, in the last byte; the
# session status stays "unwritten"): the trial session fails, nothing is
# offered, users get software.
log_mark t-74-fewerq
only_cbc
sim_params data_queues=2 report_data_queues=1 reported_data_queues=1
check hostile-fewer-queues-dev-add vdpa dev add mgmtdev vdpasim_crypto name hq0
fewerq_trial_refused() { log_since t-74-fewerq | grep -q 'virtio_crypto_rs: virtio.*: cbc(aes) offered but refused in a trial session'; }
check hostile-fewer-queues-trial-refused wait_until 30 fewerq_trial_refused
expect_eq hostile-fewer-queues-bound "$(bound_devices)" $((bound + 1))
check_fails hostile-fewer-queues-cbc-not-offered registered cbc-aes-virtio-rs
check hostile-fewer-queues-users-get-software untouched_by cbc-aes-virtio-rs \
    afalg_stress -n 4 skcipher "cbc(aes)" "cbc(aes-generic)" 16 16 16 4096 100
check hostile-fewer-queues-dev-del vdpa dev del hq0

only_cbc
sim_params max_size=0
check hostile-max-size-0-dev-add vdpa dev add mgmtdev vdpasim_crypto name hq1
check hostile-max-size-0-registered wait_registered cbc-aes-virtio-rs 30
expect_eq hostile-max-size-0-selftest "$(wait_selftest cbc-aes-virtio-rs)" passed
check hostile-max-size-0-all-in-software cbc_in_software hq1
check hostile-max-size-0-dev-del vdpa dev del hq1

# Key limits of 0: the trial session (its key is longer) is refused, so
# cbc(aes) is not offered; the device stays bound, users get software.
log_mark t-74-keys
only_cbc
sim_params max_cipher_key_len=0 max_auth_key_len=0
bound=$(bound_devices)
check hostile-key-limits-0-dev-add vdpa dev add mgmtdev vdpasim_crypto name hq2
keys_trial_refused() { log_since t-74-keys | grep -q 'virtio_crypto_rs: virtio.*: cbc(aes) offered but refused in a trial session'; }
check hostile-key-limits-0-trial-refused wait_until 30 keys_trial_refused
expect_eq hostile-key-limits-0-bound "$(bound_devices)" $((bound + 1))
check_fails hostile-key-limits-0-cbc-not-offered registered cbc-aes-virtio-rs
software_cbc() { afalg_stress -n 4 skcipher "cbc(aes)" "cbc(aes-generic)" 16 16 16 4096 100 >/dev/null; }
check hostile-key-limits-0-users-get-software untouched_by cbc-aes-virtio-rs software_cbc
check hostile-key-limits-0-dev-del vdpa dev del hq2

only_cbc
sim_params report_max_size=1 reported_max_size=18446744073709551615 status_extra=$((0xfffffffe)) \
    services=$((0x80000001)) cipher_l=$((0xfff00008)) cipher_h=$((0x80000000)) \
    hash=$((0x40000000)) aead=$((0x10000000))
check hostile-odd-config-dev-add vdpa dev add mgmtdev vdpasim_crypto name hq3
check hostile-odd-config-registered wait_registered cbc-aes-virtio-rs 30
expect_eq hostile-odd-config-selftest "$(wait_selftest cbc-aes-virtio-rs)" passed
check hostile-odd-config-served-by-device cbc_on_device hq3

# HW_READY flapping under load: users of "cbc(aes)" (ours while the device is
# ready, software while not) see no error and no wrong result.
log_mark t-74-flap
rm -f /tmp/hostile.stop
algs=$(alg_snapshot)
for i in 1 2; do
    afalg_stress skcipher "cbc(aes)" "cbc(aes-generic)" 16 16 16 4096 600 /tmp/hostile.stop \
        >/tmp/hostile.flap.$i 2>&1 &
done
i=0
while [ $i -lt 20 ]; do
    echo $((i % 2)) >/sys/kernel/debug/vcrs_sim/hq3/hw_ready
    sleep 0.$((3 + i % 5))
    i=$((i + 1))
done
echo 1 >/sys/kernel/debug/vcrs_sim/hq3/hw_ready
sleep 1
touch /tmp/hostile.stop
wait
flap_clean() { grep -q '^ops [1-9][0-9]* errors 0 mismatches 0 .*unavailable 0$' "$1"; }
for i in 1 2; do
    echo "-- t-74: HW_READY flapping, AF_ALG user $i: $(cat /tmp/hostile.flap.$i)"
    check "hostile-hw-ready-flap-user-$i-no-error" flap_clean /tmp/hostile.flap.$i
done
# How many of their requests ours took is timing; while it was ready, some.
alg_expect hostile-hw-ready-flap-device-used cbc-aes-virtio-rs "device>=1" "$algs"
check hostile-hw-ready-flap-logged sh -c "dmesg | grep -c 'virtio_crypto_rs: virtio.*: HW_READY cleared' | grep -qv '^0$'"
check hostile-after-flap-served-by-device wait_until 30 cbc_on_device hq3
check hostile-odd-config-dev-del vdpa dev del hq3
sim_params_restore
echo "-- t-74: configuration space done after $(($(date +%s) - t0)) s"

# --- (b) the answers, on a device with ciphers, hashes and MACs ---
sim_params data_queues=2
check hostile-dev-add vdpa dev add mgmtdev vdpasim_crypto name hz0
for drv in cbc-aes-virtio-rs sha256-virtio-rs hmac-sha256-virtio-rs; do
    wait_registered $drv 60 || fail hostile-$drv-registered "not in /proc/crypto"
done
expect_eq hostile-all-selftests-passed "$(wait_our_selftests)" ""
h=/sys/kernel/debug/vcrs_sim/hz0
# hostile MASK EVERY [SEED [QUEUES]]: the misbehaviours (vcrs_sim_hostile.c),
# one request in EVERY, in turn (SEED 0) or at random, on the data queues (1),
# the control queue (2) or both (3, the default).
hostile() {
    echo "$1" >$h/hostile_mask && echo "$2" >$h/hostile_every &&
        echo "${3:-0}" >$h/hostile_seed && echo "${4:-3}" >$h/hostile_queues
}
stats_of() { sed -n "s/^hostile_$1 //p" $h/stats; }
# run_all N: N requests each through our cbc(aes), sha256 and hmac(sha256),
# checked against software; prints the three afalg_stress summaries.
run_all() {
    afalg_stress -n "$1" skcipher cbc-aes-virtio-rs "cbc(aes-generic)" 16 16 16 4096 100 2>/dev/null
    afalg_stress -n "$1" hash sha256-virtio-rs sha256-generic 0 0 1 4096 100 2>/dev/null
    afalg_stress -n "$1" hash hmac-sha256-virtio-rs "hmac(sha256-generic)" 32 0 1 4096 100 2>/dev/null
}
sum_of() { echo "$2" | awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) n += $(i + 1) } END { print n + 0 }'; }
ALL="cbc-aes-virtio-rs sha256-virtio-rs hmac-sha256-virtio-rs"
# run_all_on_device NAME N: run_all N with no error and no wrong result, and
# all its 4N requests (cbc: the encryption and its decryption; the hashes: one
# digest) counted on the device, none in software. One verdict.
run_all_on_device() {
    local algs out
    algs=$(alg_snapshot)
    out=$(run_all "$2")
    if [ "$(sum_of errors "$out") $(sum_of mismatches "$out")" != "0 0" ]; then
        fail "$1" "$(echo "$out" | tr '\n' ';')"
    else
        alg_expect "$1" "$ALL" "device=$((4 * $2)) software=0" "$algs"
    fi
}

# Each misbehaviour on every data request: every request fails (with EIO),
# none is wrong.
for kind in used_huge:1 used_zero:2 bad_status:4 used_short:256; do
    name=${kind%%:*}
    # A new rate-limit interval (5 s) for each: each must log.
    sleep 5
    log_mark "t-74-$name"
    hostile "${kind#*:}" 1 0 1
    algs=$(alg_snapshot)
    out=$(run_all 10)
    hostile 0 0
    # A failed encryption is not followed by its decryption: 30 requests, all
    # taken by the device (the failure is its answer), none in software.
    alg_expect "hostile-$name-failures-from-device" "$ALL" "device=30 software=0" "$algs"
    echo "-- t-74: $name on every request: $(echo "$out" | tr '\n' ';')"
    expect_eq "hostile-$name-no-wrong-result" "$(sum_of mismatches "$out")" 0
    expect_eq "hostile-$name-every-request-fails" "$(sum_of errors "$out")" "$(sum_of ops "$out")"
    check "hostile-$name-injected" test "$(stats_of "$name")" -ge 30
    logged=$(log_since "t-74-$name" | grep -c 'virtio_crypto_rs: virtio.*: dataq.: invalid answer')
    # 30 invalid answers, at most 10 messages per queue in 5 seconds.
    check "hostile-$name-logged-rate-limited" test "$logged" -ge 1 -a "$logged" -le 20
    run_all_on_device "hostile-$name-then-device-serves-again" 5
done

# Invalid lengths in every control answer: logged, and the answers are judged
# by what they hold (the status the device wrote): the sessions it created are
# kept and used, so the driver can destroy them. (Refusing them would leave
# the device sessions with keys the driver no longer knows, which a later
# answer could name as a new session's: the random case below then gave
# wrong results.) No error, no wrong result.
sleep 5
log_mark t-74-control
ctrl_before=$(($(stats_of used_huge) + $(stats_of used_zero) + $(stats_of used_short)))
algs=$(alg_snapshot)
hostile 259 1 0 2
out=$(run_all 10)
hostile 0 0
echo "-- t-74: invalid control answers: $(echo "$out" | tr '\n' ';')"
check hostile-control-injected test $(($(stats_of used_huge) + $(stats_of used_zero) + $(stats_of used_short) - ctrl_before)) -ge 3
expect_eq hostile-control-no-error "$(sum_of errors "$out") $(sum_of mismatches "$out")" "0 0"
alg_expect hostile-control-sessions-on-the-device "$ALL" "device=40 software=0" "$algs"
control_logged() { log_since t-74-control | grep -q 'virtio_crypto_rs: virtio[0-9]*: control: invalid answer'; }
check hostile-control-logged control_logged

# Interrupts with nothing used: harmless.
hostile 16 1
algs=$(alg_snapshot)
out=$(run_all 10)
hostile 0 0
alg_expect hostile-spurious-irq-on-device "$ALL" "device=40 software=0" "$algs"
echo "-- t-74: spurious_irq on every request: $(echo "$out" | tr '\n' ';')"
check hostile-spurious-irq-injected test "$(stats_of spurious_irq)" -ge 30
expect_eq hostile-spurious-irq-no-error "$(sum_of errors "$out") $(sum_of mismatches "$out")" "0 0"

# A new session given the id of an open one: refused (the transform runs in
# software), the open one keeps working. (The device really ends the session
# it created: a device that gave the id of a session only it knows of, with
# another key, would give wrong results no driver can tell from right ones
# without computing them itself.)
log_mark t-74-bogus
rm -f /tmp/hostile.stop
afalg_stress -r 1000000 skcipher cbc-aes-virtio-rs "cbc(aes-generic)" 16 16 16 4096 600 /tmp/hostile.stop \
    >/tmp/hostile.holder 2>&1 &
sleep 2
hostile 8 1
algs=$(alg_snapshot)
out=$(afalg_stress -r 1 -n 10 skcipher cbc-aes-virtio-rs "cbc(aes-generic)" 16 16 16 4096 100 2>&1)
hostile 0 0
# The new keys' 20 requests (10 encryptions, their decryptions) ran in
# software for want of a session (the holder's requests are on the device).
alg_expect hostile-bogus-session-new-keys-no-session cbc-aes-virtio-rs "no_session=20 not_ready=0 busy=0 limits=0 forced=0" "$algs"
touch /tmp/hostile.stop
wait
echo "-- t-74: bogus_session: new keys: $out; the open one: $(cat /tmp/hostile.holder)"
check hostile-bogus-session-injected test "$(stats_of bogus_session)" -ge 10
check hostile-bogus-session-new-keys-right sh -c "echo '$out' | grep -q '^ops 10 errors 0 mismatches 0 '"
check hostile-bogus-session-open-one-right grep -q '^ops [1-9][0-9]* errors 0 mismatches 0 ' /tmp/hostile.holder
bogus_logged() { log_since t-74-bogus | grep -q 'gave a new session the id .* of an open session; refused'; }
check hostile-bogus-session-refused-logged bogus_logged

# At random, from a seed: one request in 4 misbehaves in one of these ways.
log_mark t-74-random
hostile 31 4 1234
out=$(run_all 60)
hostile 0 0
echo "-- t-74: random (seed 1234, 1 in 4): $(echo "$out" | tr '\n' ';')"
echo "-- t-74: injected: $(grep '^hostile_' $h/stats | tr '\n' ' ')"
expect_eq hostile-random-no-wrong-result "$(sum_of mismatches "$out")" 0
check hostile-random-some-failed test "$(sum_of errors "$out")" -gt 0
run_all_on_device hostile-random-then-device-serves-again 5

# Requests the device never answers, three ways: a used id that is no head
# and a request answered twice (the virtio core marks the ring broken), and a
# request never answered at all (request_timeout_ms, a module parameter, set
# to 3 s here). Each time the driver's watchdog resets the device and sets it
# up again: the request it held runs in software (the caller gets the right
# result), the device serves again on fresh rings and sessions.
timeout=/sys/module/$DRIVER_NAME/parameters/request_timeout_ms
saved_timeout=$(cat "$timeout")
echo 3000 >"$timeout"
head -c 4096 /dev/urandom >/tmp/hostile.in
resets() { sed -n 's/^resets //p' /sys/kernel/debug/virtio_crypto_rs/virtio*/status | head -1; }
right_result() { # FILE: the encryption of /tmp/hostile.in our_cbc_encrypt gives
    afalg_crypt "cbc(aes-generic)" -e 000102030405060708090a0b0c0d0e0f 00000000000000000000000000000000 \
        </tmp/hostile.in | cmp -s - "$1"
}
# unanswered NAME MASK CPU: one request on CPU's queue (dataq0 or dataq1) meets
# misbehaviour MASK; it must come back right after a reset, and the device
# must serve requests again.
unanswered() {
    local name=$1 resets_before pid t1
    resets_before=$(resets)
    log_mark "t-74-$name"
    hostile "$2" 1 0 1
    algs=$(alg_snapshot)
    t1=$(date +%s)
    taskset "$3" afalg_crypt cbc-aes-virtio-rs -e 000102030405060708090a0b0c0d0e0f \
        00000000000000000000000000000000 </tmp/hostile.in >"/tmp/hostile.out.$name" &
    pid=$!
    sleep 1
    hostile 0 0
    check "hostile-$name-injected" test "$(stats_of "$name")" -ge 1
    wait $pid
    check "hostile-$name-request-completed" test $? -eq 0
    echo "-- t-74: $name: the request came back after $(($(date +%s) - t1)) s"
    check "hostile-$name-right-result" right_result "/tmp/hostile.out.$name"
    # Counted on the device, which took it; its run in software after the
    # reset is no fallback of the algorithm.
    alg_expect "hostile-$name-request-counted-on-device" cbc-aes-virtio-rs "device=1 software=0" "$algs"
    # A ring broken by a second answer to a finished request shows at the next
    # request on that queue (it runs in software).
    taskset "$3" afalg_stress -n 3 skcipher cbc-aes-virtio-rs "cbc(aes-generic)" 16 16 16 4096 100 >/dev/null
    reset_done() { [ "$(resets)" -eq $((resets_before + 1)) ]; }
    check "hostile-$name-device-reset" wait_until 30 reset_done
    # (check's own local "name" hides this function's: pass the mark.)
    reset_logged() { log_since "$1" | grep -q 'virtio_crypto_rs: virtio.*: reset and set up again'; }
    check "hostile-$name-reset-logged" reset_logged "t-74-$name"
    run_all_on_device "hostile-$name-then-device-serves-again" 5
}
unanswered wrong_id 64 1
broken() { log_since t-74-wrong_id | grep -q 'out of range\|is not a head'; }
check hostile-wrong-id-queue-was-broken broken
unanswered double_answer 128 2
unanswered no_answer 32 1
# The watchdog gives up after three resets (MAX_RECOVERIES): hz0 had them. A
# request it never answers now waits (no fourth reset) until the device is
# removed, and then runs in software with the right result.
give_up_logged() { log_since t-74-wrong_id | grep -q 'virtio_crypto_rs: virtio.*: no more resets; requests it does not answer wait for its removal'; }
check hostile-give-up-logged give_up_logged
resets_before=$(resets)
hostile 32 1 0 1
algs=$(alg_snapshot)
taskset 1 afalg_crypt cbc-aes-virtio-rs -e 000102030405060708090a0b0c0d0e0f \
    00000000000000000000000000000000 </tmp/hostile.in >/tmp/hostile.out.give_up &
pid=$!
# Twice the request timeout (3 s) and the watchdog's look (1 s).
sleep 8
hostile 0 0
check hostile-give-up-request-still-waiting kill -0 $pid
expect_eq hostile-give-up-no-fourth-reset "$(resets)" "$resets_before"
echo "$saved_timeout" >"$timeout"
log_since t-74-wrong_id | grep 'virtio_crypto_rs\|virtio' | head -14
log_mark t-74-give-up-del
check hostile-dev-del vdpa dev del hz0
wait $pid
check hostile-give-up-request-completed test $? -eq 0
check hostile-give-up-right-result right_result /tmp/hostile.out.give_up
# One removal, its one unanswered request served in software (the removal line
# counts only what the device held when it was removed, not what its resets
# served), none failed.
expect_eq hostile-give-up-served-at-removal "$(removals_since t-74-give-up-del)" "1 1 0"
alg_expect hostile-give-up-request-counted-on-device cbc-aes-virtio-rs "device=1 software=0" "$algs"

# A device that sets DEVICE_NEEDS_RESET (and stops serving) under load: the
# configuration interrupt tells the driver, which resets it at once (a fresh
# device: hz0 had its three resets); what it held runs in software, the user
# sees no error and no wrong result, the device serves again.
check hostile-nr-dev-add vdpa dev add mgmtdev vdpasim_crypto name nr0
check hostile-nr-registered wait_registered cbc-aes-virtio-rs 60
expect_eq hostile-nr-selftests-passed "$(wait_our_selftests)" ""
log_mark t-74-needs-reset
rm -f /tmp/hostile.stop
afalg_stress -r 1000000 skcipher cbc-aes-virtio-rs "cbc(aes-generic)" 16 16 16 4096 600 /tmp/hostile.stop \
    >/tmp/hostile.nr 2>&1 &
sleep 2
echo 1 >/sys/kernel/debug/vcrs_sim/nr0/needs_reset
nr_reset() {
    log_since t-74-needs-reset | grep -q 'virtio_crypto_rs: virtio.*: it set DEVICE_NEEDS_RESET; resetting the device' &&
        log_since t-74-needs-reset | grep -q 'virtio_crypto_rs: virtio.*: reset and set up again'
}
check hostile-needs-reset-device-reset wait_until 30 nr_reset
check hostile-needs-reset-cleared test "$(cat /sys/kernel/debug/vcrs_sim/nr0/needs_reset)" = 0
sleep 2
touch /tmp/hostile.stop
wait
echo "-- t-74: DEVICE_NEEDS_RESET under load: $(cat /tmp/hostile.nr)"
check hostile-needs-reset-user-right grep -q '^ops [1-9][0-9]* errors 0 mismatches 0 ' /tmp/hostile.nr
before=$(sim_requests nr0)
run_all_on_device hostile-needs-reset-then-device-serves-again 5
expect_eq hostile-needs-reset-then-on-the-device "$(($(sim_requests nr0) - before))" 20
check hostile-nr-dev-del vdpa dev del nr0
no_warning() { ! log_since t-74-noq | grep -E 'WARNING:|BUG:|Call Trace|Oops'; }
check hostile-no-warning no_warning
sim_params_restore
check hostile-rmmod rmmod "$DRIVER_NAME"
rmmod vcrs_sim
rm -f /tmp/hostile.*
echo "-- t-74: done after $(($(date +%s) - t0)) s"
