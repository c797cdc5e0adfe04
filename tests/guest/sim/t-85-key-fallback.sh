# What the device cannot take goes to software. Key lengths it refuses: a
# device whose largest cipher key is 32 bytes still offers XTS-AES with 48- and
# 64-byte keys; those requests never reach the device, 32-byte ones do, and
# all match software. Requests larger than its max_size: a device taking at
# most 4 KiB per request gets 4 KiB requests, and larger ones run in software
# (ciphers, hashes and MACs).

# The registrations' self-tests repeat what t-50, t-52 and t-56 ran in full:
# 10 fuzz iterations at most (the runner restores the setting after every
# script).
fuzz_iterations 10

log_mark t-85
insmod /vcrs/modules/vcrs_sim.ko max_cipher_key_len=32
check fallback-dev-add vdpa dev add mgmtdev vdpasim_crypto name fb
check fallback-insmod insmod "$MOD"
expect_eq fallback-all-selftests-passed "$(wait_our_selftests)" ""
refusal_logged() { log_since t-85 | grep -q 'xts(aes) refuses some key lengths in trial sessions; software serves those'; }
check fallback-logged refusal_logged
before=$(sim_requests fb)
afalg_matches fallback-xts-aes-64B-key xts-aes-virtio-rs "xts(ecb(aes-generic))" 64 16 65536
afalg_matches fallback-xts-aes-48B-key-tail xts-aes-virtio-rs "xts(ecb(aes-generic))" 48 16 4099
expect_eq fallback-no-device-requests "$(sim_requests fb)" "$before"
afalg_matches fallback-xts-aes-32B-key-device xts-aes-virtio-rs "xts(ecb(aes-generic))" 32 16 4099
check fallback-device-requests test "$(sim_requests fb)" -gt "$before"
check fallback-rmmod rmmod "$DRIVER_NAME"
check fallback-dev-del vdpa dev del fb

echo 4096 >/sys/module/vcrs_sim/parameters/max_size
check oversize-dev-add vdpa dev add mgmtdev vdpasim_crypto name fb
echo 4194304 >/sys/module/vcrs_sim/parameters/max_size
check oversize-insmod insmod "$MOD"
expect_eq oversize-all-selftests-passed "$(wait_our_selftests)" ""
before=$(sim_requests fb)
afalg_matches oversize-cbc-aes-64KiB cbc-aes-virtio-rs "cbc(aes-generic)" 32 16 65536
afalg_matches oversize-xts-aes-4097B xts-aes-virtio-rs "xts(ecb(aes-generic))" 64 16 4097
expect_eq oversize-no-device-requests "$(sim_requests fb)" "$before"
# Hashes and MACs too: a digest of more than max_size bytes runs in software.
head -c 65536 /dev/urandom >/tmp/fb.big
head -c 4096 /tmp/fb.big >/tmp/fb.small
head -c 5000 /tmp/fb.big >/tmp/fb.5000
k32=$(hex 32)
expect_eq oversize-sha256-64KiB "$(afalg_hash sha256-virtio-rs </tmp/fb.big 2>&1)" \
    "$(afalg_hash sha256-generic </tmp/fb.big)"
expect_eq oversize-hmac-sha256-5000B "$(afalg_hash hmac-sha256-virtio-rs "$k32" </tmp/fb.5000 2>&1)" \
    "$(afalg_hash 'hmac(sha256-generic)' "$k32" </tmp/fb.5000)"
expect_eq oversize-hash-no-device-requests "$(sim_requests fb)" "$before"
expect_eq oversize-sha256-4KiB-device "$(afalg_hash sha256-virtio-rs </tmp/fb.small 2>&1)" \
    "$(afalg_hash sha256-generic </tmp/fb.small)"
check oversize-hash-device-requests test "$(sim_requests fb)" -gt "$before"
rm -f /tmp/fb.big /tmp/fb.small /tmp/fb.5000
before=$(sim_requests fb)
afalg_matches oversize-cbc-aes-4KiB-device cbc-aes-virtio-rs "cbc(aes-generic)" 32 16 4096
check oversize-device-requests test "$(sim_requests fb)" -gt "$before"
check oversize-rmmod rmmod "$DRIVER_NAME"
check oversize-dev-del vdpa dev del fb
rmmod vcrs_sim
