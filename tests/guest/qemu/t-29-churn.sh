# SPDX-License-Identifier: GPL-2.0
# Session churn on QEMU's device: COUNT cycles (2000; 500 on the debug kernel;
# vcrs.churn=N on the kernel command line sets another count) of
# a new AF_ALG transform of cbc-aes-virtio-rs with a new random key (two
# sessions created on the device, one per direction), one encryption and
# decryption checked against the generic code, and the transform freed (both
# sessions destroyed). QEMU's builtin backend holds at most 256 sessions: a
# leak would exhaust it within the first few hundred cycles. Every cycle must
# succeed with the right result, and the driver must hold as many sessions
# after as before.

COUNT=$(sed -n 's/.*vcrs\.churn=\([0-9]*\).*/\1/p' /proc/cmdline)
# A quarter on the debug kernel, where every cycle is several times slower.
# 2000 cycles (4000 sessions, 15 times QEMU's 256) find a leak as surely as
# 10000 did: the requests of a cycle run in software (no_session) as soon as
# leaked sessions fill the device, and the driver's session count must match.
COUNT=${COUNT:-$(slow_kernel && echo 500 || echo 2000)}
grep -q "^$DRIVER_NAME " /proc/modules || check churn-insmod insmod "$MOD"
expect_eq churn-selftest-passed "$(wait_selftest cbc-aes-virtio-rs)" passed
log_mark t-29
before=$(alg_snapshot)
churn churn-cbc-aes "$COUNT" skcipher cbc-aes-virtio-rs "cbc(aes-generic)" 32 16 16 4096
# Each cycle's encryption and decryption both on the device (a cycle whose
# session the device refused would run in software).
alg_expect churn-every-cycle-on-device cbc-aes-virtio-rs "device=$((2 * COUNT)) software=0" "$before"
no_session_error() { ! log_since t-29 | grep -q 'session.*failed\|WARNING:'; }
check churn-no-session-errors-logged no_session_error
