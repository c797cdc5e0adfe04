# HW_READY off and on again, raised by the device as a configuration change:
# while it is off the driver gives the device no new transforms, sessions or
# requests; once it is on again the device serves as before.

insmod /vcrs/modules/vcrs_sim.ko
check ready-dev-add vdpa dev add mgmtdev vdpasim_crypto name rd
check ready-insmod insmod "$MOD"
# Every algorithm's self-tests finish first: they would fail on a device that is not ready.
expect_eq ready-all-selftests-passed "$(wait_our_selftests)" ""
head -c 4096 /dev/urandom >/tmp/ready.in
use_cbc() { our_cbc_encrypt </tmp/ready.in >/tmp/ready.out; }
check ready-serves use_cbc
# The driver re-reads the configuration in a work item: wait for its log line.
wait_log() {
    local i=0
    while [ $i -lt 50 ] && ! dmesg | grep -q "$1"; do
        sleep 0.1
        i=$((i + 1))
    done
    dmesg | grep -q "$1"
}
echo 0 >/sys/kernel/debug/vcrs_sim/rd/hw_ready
check ready-cleared-logged wait_log 'virtio_crypto_rs: virtio.*: HW_READY cleared'

check_fails ready-cleared-refuses-new-users use_cbc
echo 1 >/sys/kernel/debug/vcrs_sim/rd/hw_ready
check ready-set-logged wait_log 'virtio_crypto_rs: virtio.*: HW_READY set'
check ready-set-serves-again use_cbc
check ready-rmmod rmmod "$DRIVER_NAME"
check ready-dev-del vdpa dev del rd
rmmod vcrs_sim
