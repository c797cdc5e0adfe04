# SPDX-License-Identifier: GPL-2.0
# The last script: the driver stays loaded with a kernel thread
# (tests/speed/vcrs_load.ko) keeping 8 requests in flight on the device, so
# the guest's reboot at the end of the suite (init's reboot -f) runs 7.x's
# shutdown callback with requests in flight: the driver releases the device as
# at remove (reset, what it held served in software). A hang there fails the
# suite's guest-completed (QEMU's time limit), a crash or warning its
# guest-kernel-log-clean; the console log shows the driver's removal line
# after VCRS-DONE.

grep -q "^$DRIVER_NAME " /proc/modules || check shutdown-insmod insmod "$MOD"
expect_eq shutdown-selftest-passed "$(wait_selftest cbc-aes-virtio-rs)" passed
check shutdown-load-start insmod /vcrs/modules/vcrs_load.ko alg=cbc-aes-virtio-rs ref="cbc(aes)" \
    klen=16 depth=8 size=4096
load_on_device_for shutdown-load-on-the-device 1
