# SPDX-License-Identifier: GPL-2.0
# Hot-unplug of QEMU's device under load, and plugging it back, CYCLES times
# (3 here, 2 on the debug kernel; vcrs.hotplug_cycles=N on the kernel command line for the long run,
# scripts/reliability.sh). The host does the unplug and plug over QMP when
# asked (host_request, scripts/qmp-agent.py); QEMU's "pc" machine unplugs
# through ACPI: the guest ejects the device, our driver's remove runs with
# requests in flight.
#
# The load, all the time: two AF_ALG processes on "cbc(aes)" (ours while a
# device serves it, software while none does; a new transform every 64
# requests) comparing every request with cbc(aes-generic); a dm-crypt mapping
# (aes-cbc-plain64 on our driver) written and read back with O_DIRECT in a
# loop; and in every cycle tcrypt's multi-buffer mode (600, 8 requests in
# flight on cbc-aes-virtio-rs) started just before the unplug.
# Counted: requests and wrong results of the AF_ALG users, passes and errors
# of the dm-crypt loop. Wrong results must be 0; every error a user sees is
# counted: the driver serves what the lost device held in software, except
# requests that work in place (dm-crypt's reads, some of tcrypt's), which fail
# (the device may have written them); the AF_ALG users (never in place) must
# see no error, dm-crypt and tcrypt none beyond those the removal log counts. After each plug the algorithm is ours again and the new
# device serves new transforms; data written to the mapping before the cycles
# reads back intact, as does data written after, also through the software
# implementation (our module unloaded).
# On 7.2 and later AF_ALG reaches no asynchronous driver: there the first user
# is a kernel thread instead (tests/speed/vcrs_load.ko, 8 requests in flight
# on "cbc(aes)", each compared with the kernel's synchronous software), and
# new transforms are made through tests/speed/vcrs_kapi.ko.

CYCLES=$(sed -n 's/.*vcrs\.hotplug_cycles=\([0-9]*\).*/\1/p' /proc/cmdline)
# Two on the debug kernel (each cycle takes it about 40 s): the paths are the same.
slow_kernel && CYCLES=${CYCLES:-2}
CYCLES=${CYCLES:-3}
DEV_ID=crypto0

grep -q "^$DRIVER_NAME " /proc/modules || check hp-insmod insmod "$MOD"
expect_eq hp-selftest-passed "$(wait_selftest cbc-aes-virtio-rs)" passed

bound() { set -- /sys/bus/virtio/drivers/"$DRIVER_NAME"/virtio*; [ -e "$1" ]; }
unbound() { ! bound; }
ours_picked() { [ "$(picked "cbc(aes)")" = cbc-aes-virtio-rs ]; }
check hp-device-bound bound

# The mapping: the first 8 MiB hold data written before the cycles, the next
# 8 MiB are the loop's.
head -c 32 /dev/urandom >/tmp/dm.key
PLAIN="--type plain --cipher aes-cbc-plain64 --key-size 256"
# shellcheck disable=SC2086
check hp-mapping-open cryptsetup -q open $PLAIN --key-file /tmp/dm.key /dev/ram1 hp
head -c $((8 << 20)) /dev/urandom >/tmp/hp.before
# 8 MiB with O_DIRECT: one request per 512-byte sector, 16384, all on the device.
served hp-write-before-on-device cbc-aes-virtio-rs "device>=16384 software=0" \
    dd if=/tmp/hp.before of=/dev/mapper/hp bs=1M oflag=direct

# The dm-crypt loop: writes 8 MiB of new data after the first 8 MiB, reads it
# back (O_DIRECT, so the device-mapper really runs) and compares, until
# /tmp/hp.stop exists; counts passes, I/O errors and wrong data.
dm_loop() {
    local passes=0 errors=0 wrong=0
    head -c $((8 << 20)) /dev/urandom >/tmp/hp.loop
    while [ ! -e /tmp/hp.stop ]; do
        if ! dd if=/tmp/hp.loop of=/dev/mapper/hp bs=64k seek=128 oflag=direct 2>/tmp/hp.dd.err ||
            ! dd if=/dev/mapper/hp of=/tmp/hp.loop.back bs=64k skip=128 count=128 iflag=direct 2>>/tmp/hp.dd.err; then
            errors=$((errors + 1))
            cat /tmp/hp.dd.err
        elif ! cmp -s /tmp/hp.loop /tmp/hp.loop.back; then
            wrong=$((wrong + 1))
        fi
        passes=$((passes + 1))
    done
    echo "passes $passes errors $errors wrong $wrong" >/tmp/hp.dm.result
}

rm -f /tmp/hp.stop /tmp/hp.dm.result /tmp/hp.afalg.*
dm_loop &
dm_pid=$!
if afalg_reaches_driver; then
    for i in 1 2; do
        afalg_stress skcipher "cbc(aes)" "cbc(aes-generic)" 32 16 16 65536 100000 /tmp/hp.stop \
            >/tmp/hp.afalg.$i 2>/tmp/hp.afalg.$i.err &
    done
else
    check hp-load-start insmod /vcrs/modules/vcrs_load.ko alg="cbc(aes)" ref="cbc(aes)" klen=16 depth=8 size=4096
fi

# abandoned_since MARK: requests the removals logged since MARK as failed (the
# device had them, and they worked in place: they cannot run again).
abandoned_since() { removals_since "$1" | cut -d' ' -f3; }
log_mark hp-cycles
cycle_ok=0
i=1
while [ $i -le "$CYCLES" ]; do
    sleep 2
    # tcrypt's multi-buffer mode (8 requests in flight, in place, on our
    # driver) in the middle of the unplug: its requests see the device go. No
    # request may fail, unless one was on the ring at the removal (in place, it
    # fails; tcrypt says so). (Not a correctness mode: testmgr warns on any
    # failure, and such a request must fail.)
    log_mark "hp-cycle$i"
    (tcrypt mode=600 alg=cbc-aes-virtio-rs klen=16 num_mb=8 sec=0 >/tmp/hp.tcrypt 2>&1) &
    tcrypt_pid=$!
    # A mapping opened now (its transform on the device of this cycle: the
    # long-lived mapping's stays in software after the first removal) written
    # with O_DIRECT in a loop: thousands of requests queued, so the removal
    # meets some; writes are not in place, those are served in software, and
    # no write may fail.
    # shellcheck disable=SC2086
    cryptsetup -q open $PLAIN --key-file /tmp/dm.key /dev/ram2 hpc$i
    rm -f /tmp/hp.cstop
    (n=0; while [ ! -e /tmp/hp.cstop ]; do
        dd if=/dev/zero of=/dev/mapper/hpc$i bs=1M count=4 oflag=direct 2>>/tmp/hp.cdd.err || n=$((n + 1))
    done; echo "$n" >/tmp/hp.cdd.failed) &
    cdd_pid=$!
    sleep 1
    host_request device_del $DEV_ID
    if ! wait_until 60 unbound; then
        fail "hp-cycle$i-unplugged" "the device is still bound after 60 s"
        break
    fi
    touch /tmp/hp.cstop
    wait $cdd_pid
    expect_eq "hp-cycle$i-writes-across-removal-no-error" "$(cat /tmp/hp.cdd.failed)" 0
    cryptsetup close hpc$i
    wait $tcrypt_pid
    tcrypt_bad=$(log_since "hp-cycle$i" | grep -iE 'failed flags=|one or more tests failed|alg: .*(fail|error)|WARNING:|BUG:' | head -3 | tr '\n' ' ')
    if ! grep -q 'Resource temporarily unavailable' /tmp/hp.tcrypt; then
        fail "hp-cycle$i-tcrypt-mb" "tcrypt did not end with EAGAIN: $(cat /tmp/hp.tcrypt)"
    elif [ -z "$tcrypt_bad" ]; then
        pass "hp-cycle$i-tcrypt-mb"
    elif [ "$(abandoned_since "hp-cycle$i")" -gt 0 ]; then
        echo "-- t-70: cycle $i: tcrypt met in-place requests failed at the removal: $tcrypt_bad"
        pass "hp-cycle$i-tcrypt-mb-failed-only-at-removal"
    else
        fail "hp-cycle$i-tcrypt-mb" "$tcrypt_bad"
    fi
    sleep 2
    host_request device_add virtio-crypto-pci "$DEV_ID" cryptodev=cryptodev0
    if ! wait_until 60 bound; then
        fail "hp-cycle$i-plugged-back" "no device bound 60 s after device_add"
        break
    fi
    if ! wait_until 120 ours_picked; then
        fail "hp-cycle$i-ours-again" "cbc(aes) is $(picked "cbc(aes)") 120 s after the plug"
        break
    fi
    # One removal logged for the unplug. Whether it met requests QEMU had not
    # answered yet is timing (QEMU answers each request as soon as it is
    # kicked): counted here, required over all cycles below.
    removals=$(removals_since "hp-cycle$i")
    echo "-- t-70: cycle $i: removals, unanswered requests served in software, failed: $removals"
    case "$removals" in
    "1 "*) pass "hp-cycle$i-one-removal-logged" ;;
    *) fail "hp-cycle$i-one-removal-logged" "removals, served in software, failed: '$removals'" ;;
    esac
    # The new device serves a new transform: one request of 4 KiB (the load
    # adds its own, on the device or, for transforms still bound to the removed
    # device, in software: no exact count here; the exact one follows the cycles).
    head -c 4096 /dev/urandom >/tmp/hp.plain
    before=$(alg_snapshot)
    new_transform_encrypt "cbc(aes)" /tmp/dm.key "$(hex 16)" /tmp/hp.plain /tmp/hp.enc
    alg_expect "hp-cycle$i-new-device-serves" cbc-aes-virtio-rs "device>=1" "$before"
    echo "-- t-70: cycle $i done ($(our_requests) requests on the new device)"
    cycle_ok=$((cycle_ok + 1))
    i=$((i + 1))
done
expect_eq hp-cycles-completed "$cycle_ok" "$CYCLES"

touch /tmp/hp.stop
wait $dm_pid
wait
echo "-- t-70: dm-crypt loop: $(cat /tmp/hp.dm.result)"
# Whether a removal meets requests QEMU has not answered is timing: QEMU
# answers each request as soon as it is kicked, and in session 11 the same code
# met 107 and 55 at two removals in one run and none at three in the next (on
# either kernel). So here it is reported, not required: the simulated device,
# which can hold requests, proves the path exactly (sim t-70: 1 request held at
# a removal, served in software; t-98: 2; t-67: under IPsec).
met() {
    # shellcheck disable=SC2046 # its three numbers, split on purpose
    set -- $(removals_since hp-cycles)
    echo "removals $1, unanswered requests served in software $2, failed $3"
}
echo "-- t-70: $(met)"
abandoned=$(abandoned_since hp-cycles)
# field NAME FILE: the number after the word NAME in FILE (0 if none).
field() { awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) n = $(i + 1) } END { print n + 0 }' "$2"; }
dm_counts="dm_passes=$(field passes /tmp/hp.dm.result) dm_errors=$(field errors /tmp/hp.dm.result) dm_wrong=$(field wrong /tmp/hp.dm.result) in_place_failed_at_removal=$abandoned"
if afalg_reaches_driver; then
    for i in 1 2; do
        echo "-- t-70: AF_ALG user $i: $(cat /tmp/hp.afalg.$i)"
        sed 's/^/   /' /tmp/hp.afalg.$i.err
    done
    sum_field() { echo $(($(field "$1" /tmp/hp.afalg.1) + $(field "$1" /tmp/hp.afalg.2))); }
    ops=$(sum_field ops)
    echo "VCRS-RELIABILITY hotplug cycles=$cycle_ok afalg_requests=$ops afalg_errors=$(sum_field errors) afalg_unavailable=$(sum_field unavailable) afalg_wrong=$(sum_field mismatches) $dm_counts"
    check hp-afalg-users-ran test "$ops" -gt 0
    expect_eq hp-afalg-wrong-results "$(sum_field mismatches)" 0
    expect_eq hp-afalg-errors-seen-by-users "$(sum_field errors)" 0
    # While the device is away "cbc(aes)" is still ours (its users keep it
    # registered): a new transform must work (in software), not fail to bind.
    expect_eq hp-afalg-new-transforms-always-bind "$(sum_field unavailable)" 0
else
    echo "VCRS-RELIABILITY hotplug cycles=$cycle_ok load_requests=$(load_param ops) load_errors=$(load_param errors) load_wrong=$(load_param mismatches) $dm_counts"
    check hp-load-ran test "$(load_param ops)" -gt 0
    # vcrs_load encrypts in place: such a request on the ring at a removal
    # fails, like dm-crypt's reads (the removal log counts both); nothing else.
    load_errors_explained() {
        [ $(($(load_param errors) + $(field errors /tmp/hp.dm.result))) -le "$abandoned" ]
    }
    check hp-load-errors-only-from-in-place-requests-at-removal load_errors_explained
    expect_eq hp-load-wrong-results "$(load_param mismatches)" 0
    check hp-load-stop rmmod vcrs_load
fi
check hp-dm-loop-ran test "$(field passes /tmp/hp.dm.result)" -gt 0
expect_eq hp-dm-wrong-data "$(field wrong /tmp/hp.dm.result)" 0
# dm-crypt decrypts reads in place: such a request on the ring at a removal
# fails (an I/O error, never wrong data); nothing else may.
dm_errors_explained() { [ "$(field errors /tmp/hp.dm.result)" -le "$abandoned" ]; }
check hp-dm-io-errors-only-from-in-place-requests-at-removal dm_errors_explained

# Before and after: what was written reads back, through ours and through the
# software implementation.
reads_back() { # OFFSET_MIB FILE
    dd if=/dev/mapper/hp of=/tmp/hp.back bs=1M skip="$1" count=8 iflag=direct 2>/dev/null && cmp -s "$2" /tmp/hp.back
}
# The mapping's transform was bound to the first device: a transform looks for
# a device again only when a key is set, so it runs in software (not_ready),
# one request per 512-byte sector (16384 for 8 MiB).
SW16K="device=0 software=16384 not_ready=16384"
served hp-data-before-reads-back cbc-aes-virtio-rs "$SW16K" reads_back 0 /tmp/hp.before
head -c $((8 << 20)) /dev/urandom >/tmp/hp.after
served hp-write-after cbc-aes-virtio-rs "$SW16K" dd if=/tmp/hp.after of=/dev/mapper/hp bs=1M seek=8 oflag=direct
served hp-data-after-reads-back cbc-aes-virtio-rs "$SW16K" reads_back 8 /tmp/hp.after
# The device plugged in last serves after the cycles: a new transform, one
# request, on the device.
served hp-after-cycles-new-transform-on-device cbc-aes-virtio-rs "device=1 software=0" \
    new_transform_encrypt cbc-aes-virtio-rs /tmp/dm.key "$(hex 16)" /tmp/hp.plain /tmp/hp.enc
# The mapping holds our transform: unloading the module is refused, and the
# mapping keeps working; once it is closed the module unloads.
check_fails hp-rmmod-refused-while-in-use rmmod "$DRIVER_NAME"
check hp-mapping-works-after-refused-rmmod reads_back 8 /tmp/hp.after
cryptsetup close hp
# Opened again (its key set anew), the mapping's transform runs on the device
# plugged in last: all 16384 requests of the read on it.
# shellcheck disable=SC2086
check hp-mapping-reopened cryptsetup -q open $PLAIN --key-file /tmp/dm.key /dev/ram1 hp
served hp-reopened-mapping-reads-on-device cbc-aes-virtio-rs "device=16384 software=0" reads_back 8 /tmp/hp.after
cryptsetup close hp
check hp-rmmod rmmod "$DRIVER_NAME"
# shellcheck disable=SC2086
check hp-software-mapping-open cryptsetup -q open $PLAIN --key-file /tmp/dm.key /dev/ram1 hp
check hp-software-reads-before reads_back 0 /tmp/hp.before
check hp-software-reads-after reads_back 8 /tmp/hp.after
cryptsetup close hp
rm -f /tmp/hp.*
