# SPDX-License-Identifier: GPL-2.0
# The in-tree C driver (virtio_crypto, which on 7.x completes in a BH
# workqueue) binds to the simulated device; its cbc(aes) passes the kernel's
# self-tests, and requests through the Crypto API by its driver name
# (tests/guest/kapi.sh: on 7.2 and later AF_ALG reaches neither driver) equal
# the kernel's synchronous implementation's, each one request on the device
# (the simulated device's own count: the C driver has no counters and no
# software path).
# shellcheck source=../kapi.sh # the guest has this folder as /vcrs/tests
. /vcrs/tests/kapi.sh

check c-driver-modprobe modprobe virtio_crypto
check c-driver-dev-add vdpa dev add mgmtdev vdpasim_crypto name crypto0
expect_eq c-driver-cbc-aes-selftest "$(wait_selftest virtio_crypto_aes_cbc)" passed
check c-driver-kapi-loads kapi_load

c_case() {
    local size=$1 keylen=$2 name=c-driver-cbc-aes-$(($2 * 8))bit-$1B k v d reqs
    k=$(hex "$keylen")
    v=$(hex 16)
    d=$(hex "$size")
    reqs=$(sim_requests crypto0)
    kapi_matches_ref "$name-encrypt" skcipher virtio_crypto_aes_cbc "cbc(aes)" enc "$k" "$v" "$d" || return
    expect_eq "$name-encrypt-one-device-request" $(($(sim_requests crypto0) - reqs)) 1
    reqs=$(sim_requests crypto0)
    kapi_expect "$name-decrypt" "$d" skcipher virtio_crypto_aes_cbc dec "$k" "$v" "$(kapi_out)"
    expect_eq "$name-decrypt-one-device-request" $(($(sim_requests crypto0) - reqs)) 1
}
for size in 16 4096 65536; do
    c_case "$size" 16
done
c_case 4096 32
kapi_errno c-driver-cbc-aes-15-bytes "-22 encrypt" skcipher virtio_crypto_aes_cbc enc "$(hex 16)" "$(hex 16)" "$(hex 15)"
check c-driver-dev-del vdpa dev del crypto0
check c-driver-rmmod rmmod virtio_crypto
