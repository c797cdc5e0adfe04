# SPDX-License-Identifier: GPL-2.0
# The small-request policy on the simulated device (tests/guest/sync-policy.sh):
# PBKDF2's inner step, hmac(sha1) of a 20-byte message, 20,000 times from a
# submitter that waits for each (as libkcapi's PBKDF2 over AF_ALG does): almost
# all in software, within twice the time of the kernel's own hmac(sha1); the
# same for cbc(aes) at 16 bytes; a fixed limit, and 0 (always offload). The
# simulated device computes with the guest's own software, so no size is
# faster on it. Through vcrs_kapi, so on 6.12 and on 7.3 alike.
# shellcheck source=../sync-policy.sh # the guest has this folder as /vcrs/tests
. /vcrs/tests/sync-policy.sh

check policy-vdpa-sim load_vdpa_sim
check policy-virtio-vdpa modprobe virtio_vdpa
grep -q '^vcrs_sim ' /proc/modules || insmod /vcrs/modules/vcrs_sim.ko
added=""
if ! vdpa dev show pol0 >/dev/null 2>&1; then
    check policy-dev-add vdpa dev add mgmtdev vdpasim_crypto name pol0 && added=pol0
fi
loaded=""
if ! grep -q "^$DRIVER_NAME " /proc/modules; then
    check policy-insmod insmod "$MOD" && loaded=1
fi
expect_eq policy-hmac-sha1-selftest "$(wait_selftest hmac-sha1-virtio-rs)" passed
expect_eq policy-cbc-aes-selftest "$(wait_selftest cbc-aes-virtio-rs)" passed
check policy-kapi-loads kapi_load
policy_faster_in_software policy-pbkdf2-hmac-sha1-20B "hash hmac-sha1-virtio-rs $(hex 20) $(hex 20)" 20000
policy_faster_in_software policy-cbc-aes-16B "skcipher cbc-aes-virtio-rs dec $(hex 16) $(hex 16) $(hex 16)" 3000
policy_fixed policy-sha256-fixed "hash sha256-virtio-rs - $(hex 63)" "hash sha256-virtio-rs - $(hex 64)" 64
policy_never policy-hmac-sha1-20B "hash hmac-sha1-virtio-rs $(hex 20) $(hex 20)" 200
[ -z "$added" ] || vdpa dev del "$added"
# As it was found: the next scripts load the driver themselves.
[ -z "$loaded" ] || check policy-rmmod rmmod "$DRIVER_NAME"
