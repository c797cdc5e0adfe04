# SPDX-License-Identifier: GPL-2.0
# Driver error lines this script provokes on purpose (tests/guest/run-tests.sh):
# vcrs-expect-log: HW_READY not set; its algorithms are offered once it is
#
# HW_READY off and on again, raised by the device as a configuration change:
# while it is off the driver gives the device no new transforms, sessions or
# requests, and unregisters the algorithms no other ready device serves once
# nothing uses them (at once when unused; when the last user goes otherwise);
# once it is on again they are registered again and the device serves as
# before. A device that is not ready when it binds is used once it is.

# Log lines are counted from here (earlier scripts logged registrations too).
# The registrations' self-tests repeat what t-50, t-52 and t-56 ran in full:
# 10 fuzz iterations at most (the runner restores the setting after every
# script).
fuzz_iterations 10

log_mark t-80
insmod /vcrs/modules/vcrs_sim.ko
check ready-dev-add vdpa dev add mgmtdev vdpasim_crypto name rd
check ready-insmod insmod "$MOD"
# Every algorithm's self-tests finish first: they would fail on a device that is not ready.
expect_eq ready-all-selftests-passed "$(wait_our_selftests)" ""
head -c 4096 /dev/urandom >/tmp/ready.in
use_cbc() { our_cbc_encrypt </tmp/ready.in >/tmp/ready.out; }
# One AF_ALG encryption of 4 KiB: one request, on the device.
served ready-serves cbc-aes-virtio-rs 1 use_cbc
# The driver re-reads the configuration in a work item: wait for its log lines.
wait_log() {
    local i=0
    while [ $i -lt 100 ] && [ "$(log_since t-80 | grep -c "$1")" -lt "${2:-1}" ]; do
        sleep 0.1
        i=$((i + 1))
    done
    [ "$(log_since t-80 | grep -c "$1")" -ge "${2:-1}" ]
}
registered() { grep -q "driver *: $1\$" /proc/crypto; }
# all_registered N: waits until the catalog registered every mode for the Nth
# time (ctr(des3_ede) is the last one it registers).
all_registered() { wait_log 'virtio_crypto_rs: registered ctr(des3_ede) as ctr-des3-virtio-rs' "$1"; }
echo 0 >/sys/kernel/debug/vcrs_sim/rd/hw_ready
check ready-cleared-logged wait_log 'virtio_crypto_rs: virtio.*: HW_READY cleared'
check ready-cleared-unregisters wait_log 'virtio_crypto_rs: unregistered cbc-aes-virtio-rs: no ready device serves it'
check_fails ready-cleared-cbc-gone registered cbc-aes-virtio-rs
check_fails ready-cleared-xts-gone registered xts-aes-virtio-rs
algs=$(alg_snapshot)
check_fails ready-cleared-refuses-new-users use_cbc
# Refused when binding: no request at all, neither on the device nor in software.
alg_expect ready-cleared-refused-nothing-counted cbc-aes-virtio-rs "device=0 software=0" "$algs"

echo 1 >/sys/kernel/debug/vcrs_sim/rd/hw_ready
check ready-set-logged wait_log 'virtio_crypto_rs: virtio.*: HW_READY set'
check ready-set-registers-again all_registered 2
expect_eq ready-set-selftests-passed "$(wait_our_selftests)" ""
served ready-set-serves-again cbc-aes-virtio-rs 1 use_cbc

# A user holds cbc(aes) (a dm-crypt mapping) when HW_READY clears: the
# algorithm stays registered while it is used, its requests run in software
# (the transform keeps its key; the device gets nothing), and it is
# unregistered once the mapping is closed.
# alg_sum DRIVER BEFORE FIELD...: the growth of DRIVER's FIELDs, summed, since
# the snapshot BEFORE.
alg_sum() {
    local drv=$1 before=$2 n=0 f b a
    shift 2
    for f in "$@"; do
        b=$(printf '%s\n' "$before" | awk -v d="$drv" -v f="$f" '$1 == d { for (i = 3; i < NF; i += 2) if ($i == f) print $(i + 1) }')
        a=$(alg_count "$drv" "$f")
        n=$((n + a - ${b:-0}))
    done
    echo $n
}
head -c 32 /dev/urandom >/tmp/dm.key
cryptsetup -q open --type plain --cipher aes-cbc-plain64 --key-size 256 --key-file /tmp/dm.key /dev/ram2 rdm
# dm-crypt's requests may not sleep: the first ones run in software (no
# session yet) while a work item opens the session, the later ones reach the
# device. 1 MiB in 512-byte sectors: 2048 requests, each counted once.
algs=$(alg_snapshot)
dd if=/dev/mapper/rdm of=/dev/null bs=4096 count=256 iflag=direct 2>/dev/null
alg_expect ready-mapping-on-our-driver cbc-aes-virtio-rs "device>=1024 not_ready=0 busy=0 limits=0 forced=0" "$algs"
expect_eq ready-mapping-every-sector-counted "$(alg_sum cbc-aes-virtio-rs "$algs" device software)" 2048
echo 0 >/sys/kernel/debug/vcrs_sim/rd/hw_ready
check ready-cleared-again-logged wait_log 'virtio_crypto_rs: virtio.*: HW_READY cleared' 2
check ready-unused-ones-unregistered wait_log 'virtio_crypto_rs: unregistered ecb-aes-virtio-rs' 2
check ready-used-one-stays registered cbc-aes-virtio-rs
before=$(our_requests)
# 4 KiB: 8 sectors, all in software because the device is not ready.
served ready-used-one-runs-in-software cbc-aes-virtio-rs "device=0 software=8 not_ready=8" \
    dd if=/dev/mapper/rdm of=/dev/null bs=4096 count=1 iflag=direct
expect_eq ready-used-one-sends-nothing "$(our_requests)" "$before"
cryptsetup close rdm
check ready-unregistered-after-last-user wait_log 'virtio_crypto_rs: unregistered cbc-aes-virtio-rs' 2
check_fails ready-cbc-gone-after-last-user registered cbc-aes-virtio-rs
echo 1 >/sys/kernel/debug/vcrs_sim/rd/hw_ready
check ready-registered-third-time all_registered 3
expect_eq ready-third-selftests-passed "$(wait_our_selftests)" ""
check ready-rmmod rmmod "$DRIVER_NAME"
check ready-dev-del vdpa dev del rd

# Not ready when it binds: nothing is offered until HW_READY is set.
echo 0 >/sys/module/vcrs_sim/parameters/ready_at_start
check late-dev-add vdpa dev add mgmtdev vdpasim_crypto name late
echo 1 >/sys/module/vcrs_sim/parameters/ready_at_start
check late-insmod insmod "$MOD"
check late-not-ready-logged wait_log 'virtio_crypto_rs: virtio.*: HW_READY not set'
check_fails late-nothing-registered registered cbc-aes-virtio-rs
expect_eq late-counters-say-unregistered "$(alg_count cbc-aes-virtio-rs registered)" 0
echo 1 >/sys/kernel/debug/vcrs_sim/late/hw_ready
check late-set-registers all_registered 4
expect_eq late-selftests-passed "$(wait_our_selftests)" ""
served late-serves cbc-aes-virtio-rs 1 use_cbc
check late-rmmod rmmod "$DRIVER_NAME"
check late-dev-del vdpa dev del late
rmmod vcrs_sim
