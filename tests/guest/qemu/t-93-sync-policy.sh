# SPDX-License-Identifier: GPL-2.0
# The small-request policy on QEMU's device (tests/guest/sync-policy.sh):
# cbc(aes) requests of 16 bytes from a submitter that waits for each one run
# in software, within twice the software's time; 64 KiB ones run on the
# device, which is faster for them (but for the policy's measurements); a fixed limit and 0 (always offload) do
# exactly what they say. Through vcrs_kapi, so on 6.12 and on 7.3 alike.
# shellcheck source=../sync-policy.sh # the guest has this folder as /vcrs/tests
. /vcrs/tests/sync-policy.sh

grep -q "^$DRIVER_NAME " /proc/modules || check policy-insmod insmod "$MOD"
expect_eq policy-cbc-aes-selftest "$(wait_selftest cbc-aes-virtio-rs)" passed
check policy-kapi-loads kapi_load
key=$(hex 16) iv=$(hex 16)
policy_faster_in_software policy-cbc-aes-16B "skcipher cbc-aes-virtio-rs enc $key $iv $(hex 16)" 3000
policy_faster_on_device policy-cbc-aes-64KiB "skcipher cbc-aes-virtio-rs enc $key $iv $(hex 65536)" 40
policy_fixed policy-cbc-aes-fixed "skcipher cbc-aes-virtio-rs enc $key $iv $(hex 1008)" \
    "skcipher cbc-aes-virtio-rs dec $key $iv $(hex 1024)" 1024
policy_never policy-cbc-aes-16B "skcipher cbc-aes-virtio-rs dec $key $iv $(hex 16)" 200
