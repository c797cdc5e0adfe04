# Driver error lines this script provokes on purpose (tests/guest/run-tests.sh):
# vcrs-expect-log: control command timed out after [0-9]+ ms
#
# A control request the device never answers: opening the session (on the
# first request, which may sleep under AF_ALG) times out with a clear log line
# (after 30 s) instead of waiting forever, the request is served in software
# (a device session is a cache, not a requirement), and removing the device
# afterwards still works.

# The registrations' self-tests repeat what t-50, t-52 and t-56 ran in full:
# 10 fuzz iterations at most (the runner restores the setting after every
# script).
fuzz_iterations 10

insmod /vcrs/modules/vcrs_sim.ko
check ctl-dev-add vdpa dev add mgmtdev vdpasim_crypto name ct0
check ctl-insmod insmod "$MOD"
expect_eq ctl-all-selftests-passed "$(wait_our_selftests)" ""
echo 1 >/sys/kernel/debug/vcrs_sim/ct0/lose_ctrl
head -c 4096 /dev/urandom >/tmp/ct.in
before=$(sim_requests ct0)
ours=$(our_cbc_encrypt </tmp/ct.in | od -An -tx1 | tr -d ' \n')
soft=$(afalg_crypt "cbc(aes-generic)" -e 000102030405060708090a0b0c0d0e0f 00000000000000000000000000000000 </tmp/ct.in | od -An -tx1 | tr -d ' \n')
check ctl-request-served-in-software test -n "$ours" -a "$ours" = "$soft"
expect_eq ctl-no-data-request "$(sim_requests ct0)" "$before"
check ctl-timeout-logged sh -c "dmesg | grep -q 'virtio_crypto_rs: virtio[0-9]*: control command timed out'"
check ctl-rmmod rmmod "$DRIVER_NAME"
check ctl-dev-del vdpa dev del ct0
rmmod vcrs_sim
rm -f /tmp/ct.in
