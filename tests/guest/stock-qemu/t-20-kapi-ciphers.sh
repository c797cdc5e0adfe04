# SPDX-License-Identifier: GPL-2.0
# The ciphers QEMU's device serves, through the Crypto API by name from a test
# module (tests/speed/vcrs_kapi.ko, tests/guest/kapi.sh: on 7.2 and later
# AF_ALG never reaches an asynchronous driver): a known answer, our driver
# against the kernel's synchronous implementation with random keys, IVs and
# data (every AES key length, one block to 64 KiB, lists of several entries,
# in place), each request counted on the device; then the errors the generic
# code gives for bad input, with nothing sent to the device.
# shellcheck source=../kapi.sh # the guest has this folder as /vcrs/tests
. /vcrs/tests/kapi.sh

grep -q "^$DRIVER_NAME " /proc/modules || check kapi-insmod insmod "$MOD"
expect_eq kapi-cbc-aes-selftest "$(wait_selftest cbc-aes-virtio-rs)" passed
check kapi-module-loads kapi_load

# NIST SP 800-38A, F.2.1 (CBC-AES128.Encrypt), its first two blocks.
key=2b7e151628aed2a6abf7158809cf4f3c
iv=000102030405060708090a0b0c0d0e0f
plain=6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51
cipher=7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2
served kapi-cbc-aes-sp800-38a-on-device cbc-aes-virtio-rs "device=1 software=0" \
    kapi_expect kapi-cbc-aes-sp800-38a-encrypt "$cipher" skcipher cbc-aes-virtio-rs enc "$key" "$iv" "$plain"
served kapi-cbc-aes-sp800-38a-decrypt-on-device cbc-aes-virtio-rs "device=1 software=0" \
    kapi_expect kapi-cbc-aes-sp800-38a-decrypt "$plain" skcipher cbc-aes-virtio-rs dec "$key" "$iv" "$cipher"

# cbc_case KEYLEN BYTES [OPTS]: random key, IV and data; encryption on the
# device (one request) equal to the kernel's synchronous implementation's, and
# decryption on the device (one request) back to the data.
cbc_case() {
    local keylen=$1 size=$2 opts=${3:-} name k v d c
    name=kapi-cbc-aes-$((keylen * 8))bit-${size}B${opts:+-$(echo "$opts" | tr '= ' '--')}
    k=$(hex "$keylen")
    v=$(hex 16)
    d=$(hex "$size")
    # shellcheck disable=SC2086 # OPTS: options, split on purpose
    served "$name-encrypt-on-device" cbc-aes-virtio-rs "device=1 software=0" \
        kapi_matches_ref "$name-encrypt" skcipher cbc-aes-virtio-rs "cbc(aes)" enc "$k" "$v" "$d" $opts || return
    c=$(kapi_out)
    # shellcheck disable=SC2086
    served "$name-decrypt-on-device" cbc-aes-virtio-rs "device=1 software=0" \
        kapi_expect "$name-decrypt" "$d" skcipher cbc-aes-virtio-rs dec "$k" "$v" "$c" $opts
}
for keylen in 16 24 32; do
    for size in 16 4096; do
        cbc_case "$keylen" "$size"
    done
done
cbc_case 32 65536
cbc_case 16 4112 segs=7
cbc_case 32 65536 segs=13
cbc_case 24 4096 inplace=1
cbc_case 16 1040 "segs=5 inplace=1"

# Bad input: the generic code's errno, the device never asked.
before=$(alg_snapshot)
kapi_errno kapi-cbc-aes-key-17-bytes "-22 setkey" skcipher cbc-aes-virtio-rs enc "$(hex 17)" "$(hex 16)" "$(hex 16)"
kapi_errno kapi-cbc-aes-15-bytes "-22 encrypt" skcipher cbc-aes-virtio-rs enc "$(hex 16)" "$(hex 16)" "$(hex 15)"
kapi_errno kapi-cbc-aes-decrypt-33-bytes "-22 decrypt" skcipher cbc-aes-virtio-rs dec "$(hex 32)" "$(hex 16)" "$(hex 33)"
kapi_errno kapi-cbc-aes-iv-8-bytes "-22 iv" skcipher cbc-aes-virtio-rs enc "$(hex 16)" "$(hex 8)" "$(hex 16)"
alg_expect kapi-cbc-aes-bad-input-not-on-device cbc-aes-virtio-rs "device=0" "$before"
