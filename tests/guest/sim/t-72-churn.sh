# SPDX-License-Identifier: GPL-2.0
# Session churn on the simulated device, for every service it serves (it
# offers every one: services=15; 8 sessions at most, so a leak shows within a
# few cycles and the self-tests meet a full device): COUNT cycles per service
# (500 here, 200 on the debug kernel; vcrs.churn=N on the kernel command line
# sets another count: scripts/reliability.sh runs 10000) of a new AF_ALG
# transform with a new random key, one request checked against the generic
# code, and the transform freed. Every cycle must succeed with the right result, every
# request must reach the device, and afterwards both the driver and the device
# hold as many sessions as before.

COUNT=$(sed -n 's/.*vcrs\.churn=\([0-9]*\).*/\1/p' /proc/cmdline)
# 200 on the debug kernel, where every cycle is several times slower: a leak of one session per cycle fills a device holding 8 within a
# few cycles.
COUNT=${COUNT:-$(slow_kernel && echo 200 || echo 500)}
sim_params services=15 max_sessions=8
# The registrations' self-tests with 10 fuzz iterations at most (t-56 runs
# them in full).
fuzz_iterations 10
drop_software_instances "$AEAD_INSTANCES"
check churn-dev-add vdpa dev add mgmtdev vdpasim_crypto name ch0
check churn-insmod insmod "$MOD"
for drv in cbc-aes-virtio-rs sha256-virtio-rs hmac-sha256-virtio-rs gcm-aes-virtio-rs; do
    wait_registered $drv 60 || fail churn-$drv-registered "not in /proc/crypto"
done
expect_eq churn-all-selftests-passed "$(wait_our_selftests)" ""
device_sessions() { sed -n 's/^sessions_open //p' /sys/kernel/debug/vcrs_sim/ch0/stats; }
before=$(device_sessions)
log_mark t-72
# churned NAME REQUESTS TYPE DRIVER ARGS...: churn NAME, and NAME-on-device:
# every cycle's REQUESTS requests (skcipher and aead: the encryption and its
# decryption; hash: the digest) counted on the device, none in software (each
# new transform opens its session on its first request, which may sleep).
churned() {
    local name=$1 per=$2 algs
    shift 2
    algs=$(alg_snapshot)
    churn "$name" "$COUNT" "$@"
    alg_expect "$name-on-device" "$2" "device=$((per * COUNT)) software=0" "$algs"
}
churned churn-cipher-cbc-aes 2 skcipher cbc-aes-virtio-rs "cbc(aes-generic)" 16 16 16 4096
churned churn-hash-sha256 1 hash sha256-virtio-rs sha256-generic 0 0 1 4096
churned churn-mac-hmac-sha256 1 hash hmac-sha256-virtio-rs "hmac(sha256-generic)" 32 0 1 4096
churned churn-aead-gcm-aes 2 aead gcm-aes-virtio-rs "gcm_base(ctr(aes-generic),ghash-generic)" 16 12 1 4096
expect_eq churn-device-sessions-as-before "$(device_sessions)" "$before"
no_session_error() { ! log_since t-72 | grep -q 'session.*failed\|WARNING:'; }
check churn-no-session-errors-logged no_session_error
check churn-rmmod rmmod "$DRIVER_NAME"
expect_eq churn-device-sessions-none-after-unload "$(device_sessions)" 0
check churn-dev-del vdpa dev del ch0
sim_params_restore
fuzz_iterations_restore
rmmod vcrs_sim
