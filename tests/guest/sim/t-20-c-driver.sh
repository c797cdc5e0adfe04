# SPDX-License-Identifier: GPL-2.0
# The in-tree C driver binds to the simulated device; its cbc(aes) passes the
# kernel's self-tests, as on QEMU's device, and AF_ALG through it matches the
# software implementation.

check sim-c-driver-modprobe modprobe virtio_crypto
check sim-dev-add-crypto0 vdpa dev add mgmtdev vdpasim_crypto name crypto0
st=$(wait_selftest virtio_crypto_aes_cbc)
expect_eq sim-c-driver-cbc-aes-selftest "$st" passed

kat_case() {
    local size=$1 keylen=$2 iv name=sim-c-driver-kat-$2bit-$1B
    head -c "$keylen" /dev/urandom >/tmp/key
    iv=$(hex 16)
    head -c "$size" /dev/urandom >/tmp/plain
    reqs=$(sim_requests crypto0)
    kcapi_cipher virtio_crypto_aes_cbc -e /tmp/key "$iv" /tmp/plain /tmp/dev.enc
    kcapi_cipher "cbc(aes-generic)" -e /tmp/key "$iv" /tmp/plain /tmp/sw.enc
    kcapi_cipher virtio_crypto_aes_cbc -d /tmp/key "$iv" /tmp/sw.enc /tmp/dev.dec
    # The device's own count (the C driver has no software path): at least one
    # data request each way.
    check "$name-reached-device" test $(($(sim_requests crypto0) - reqs)) -ge 2
    if [ -s /tmp/dev.enc ] && cmp -s /tmp/dev.enc /tmp/sw.enc && cmp -s /tmp/dev.dec /tmp/plain; then
        pass "$name"
    else
        fail "$name" "device and software differ"
    fi
}
for size in 16 4096 65536 1048576; do
    kat_case "$size" 16
done
kat_case 4096 32
