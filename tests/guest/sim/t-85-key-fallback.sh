# SPDX-License-Identifier: GPL-2.0
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
# sim_params: vcrs_sim may be loaded already (t-10 leaves it loaded), and a
# device reads the parameters when it is added.
sim_params max_cipher_key_len=32
check fallback-dev-add vdpa dev add mgmtdev vdpasim_crypto name fb
check fallback-insmod insmod "$MOD"
expect_eq fallback-all-selftests-passed "$(wait_our_selftests)" ""
refusal_logged() { log_since t-85 | grep -q 'xts(aes) refuses some key lengths in trial sessions; software serves those'; }
check fallback-logged refusal_logged
# matched NAME DRIVER EXPECT AFALG_MATCHES_ARGS...: afalg_matches NAME, and
# NAME-counted: its two requests through DRIVER (an encryption and a
# decryption, one AF_ALG request each) counted as EXPECT (alg_expect), and
# the simulated device fb received as many as the driver counted on it.
matched() {
    local name=$1 drv=$2 expect=$3 algs sim dev
    shift 3
    algs=$(alg_snapshot) sim=$(sim_requests fb) dev=$(alg_count "$drv" device)
    afalg_matches "$name" "$drv" "$@"
    if [ $(($(sim_requests fb) - sim)) -ne $(($(alg_count "$drv" device) - dev)) ]; then
        fail "$name-counted" "fb received $(($(sim_requests fb) - sim)) request(s), the driver counted $(($(alg_count "$drv" device) - dev)) on a device"
    else
        alg_expect "$name-counted" "$drv" "$expect" "$algs"
    fi
}
# Key lengths the device refuses: both requests in software, for limits.
matched fallback-xts-aes-64B-key xts-aes-virtio-rs "device=0 software=2 limits=2" "xts(ecb(aes-generic))" 64 16 65536
matched fallback-xts-aes-48B-key-tail xts-aes-virtio-rs "device=0 software=2 limits=2" "xts(ecb(aes-generic))" 48 16 4099
matched fallback-xts-aes-32B-key-device xts-aes-virtio-rs "device=2 software=0" "xts(ecb(aes-generic))" 32 16 4099
check fallback-rmmod rmmod "$DRIVER_NAME"
check fallback-dev-del vdpa dev del fb

sim_params_restore
sim_params max_size=4096
check oversize-dev-add vdpa dev add mgmtdev vdpasim_crypto name fb
sim_params_restore
check oversize-insmod insmod "$MOD"
expect_eq oversize-all-selftests-passed "$(wait_our_selftests)" ""
# Larger than max_size: software, for limits.
matched oversize-cbc-aes-64KiB cbc-aes-virtio-rs "device=0 software=2 limits=2" "cbc(aes-generic)" 32 16 65536
matched oversize-xts-aes-4097B xts-aes-virtio-rs "device=0 software=2 limits=2" "xts(ecb(aes-generic))" 64 16 4097
# Hashes and MACs too: a digest of more than max_size bytes runs in software.
head -c 65536 /dev/urandom >/tmp/fb.big
head -c 4096 /tmp/fb.big >/tmp/fb.small
head -c 5000 /tmp/fb.big >/tmp/fb.5000
k32=$(hex 32)
# hashed NAME DRIVER EXPECT FILE [KEY]: DRIVER's digest of FILE (one AF_ALG
# digest) equals the generic one, and is counted as EXPECT.
hashed() {
    local ref=sha256-generic want algs
    [ -n "$5" ] && ref='hmac(sha256-generic)'
    want=$(afalg_hash "$ref" ${5:+"$5"} <"$4")
    algs=$(alg_snapshot)
    expect_eq "$1" "$(afalg_hash "$2" ${5:+"$5"} <"$4" 2>&1)" "$want"
    alg_expect "$1-counted" "$2" "$3" "$algs"
}
sim=$(sim_requests fb)
hashed oversize-sha256-64KiB sha256-virtio-rs "device=0 software=1 limits=1" /tmp/fb.big
hashed oversize-hmac-sha256-5000B hmac-sha256-virtio-rs "device=0 software=1 limits=1" /tmp/fb.5000 "$k32"
expect_eq oversize-hash-no-device-requests "$(sim_requests fb)" "$sim"
hashed oversize-sha256-4KiB-device sha256-virtio-rs "device=1 software=0" /tmp/fb.small
expect_eq oversize-hash-device-requests "$(($(sim_requests fb) - sim))" 1
rm -f /tmp/fb.big /tmp/fb.small /tmp/fb.5000
matched oversize-cbc-aes-4KiB-device cbc-aes-virtio-rs "device=2 software=0" "cbc(aes-generic)" 32 16 4096
check oversize-rmmod rmmod "$DRIVER_NAME"
check oversize-dev-del vdpa dev del fb
rmmod vcrs_sim
