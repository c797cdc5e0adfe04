# A control request the device never answers: setting a key times out with a
# clear error (after 30 s) instead of waiting forever, and removing the device
# afterwards still works.

insmod /vcrs/modules/vcrs_sim.ko
check ctl-dev-add vdpa dev add mgmtdev vdpasim_crypto name ct0
check ctl-insmod insmod "$MOD"
expect_eq ctl-all-selftests-passed "$(wait_our_selftests)" ""
echo 1 >/sys/kernel/debug/vcrs_sim/ct0/lose_ctrl
setkey_error() {
    our_cbc_encrypt </dev/null 2>&1 >/dev/null | sed 's/^[^:]*: //'
}
expect_eq ctl-setkey-times-out "$(setkey_error)" "Connection timed out"
check ctl-timeout-logged sh -c "dmesg | grep -q 'virtio_crypto_rs: control command timed out'"
check ctl-rmmod rmmod "$DRIVER_NAME"
check ctl-dev-del vdpa dev del ct0
rmmod vcrs_sim
