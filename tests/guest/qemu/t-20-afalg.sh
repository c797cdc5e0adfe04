# AF_ALG through the driver gives the same bytes as the software implementation,
# for several sizes and key lengths, encrypting and decrypting.

afalg_case() {
    local size=$1 keylen=$2 iv name=afalg-cbc-aes-$2bit-$1B
    head -c "$keylen" /dev/urandom >/tmp/key
    iv=$(hex 16)
    head -c "$size" /dev/urandom >/tmp/plain
    kcapi_cipher cbc-aes-virtio-rs -e /tmp/key "$iv" /tmp/plain /tmp/dev.enc || { fail "$name-encrypt" "kcapi-enc failed"; return; }
    kcapi_cipher "cbc(aes-generic)" -e /tmp/key "$iv" /tmp/plain /tmp/sw.enc || { fail "$name-encrypt" "software kcapi-enc failed"; return; }
    if [ "$(stat -c %s /tmp/dev.enc)" = "$size" ] && cmp -s /tmp/dev.enc /tmp/sw.enc; then
        pass "$name-encrypt"
    else
        fail "$name-encrypt" "ciphertext differs from software"
    fi
    kcapi_cipher cbc-aes-virtio-rs -d /tmp/key "$iv" /tmp/sw.enc /tmp/dev.dec || { fail "$name-decrypt" "kcapi-enc -d failed"; return; }
    if cmp -s /tmp/dev.dec /tmp/plain; then
        pass "$name-decrypt"
    else
        fail "$name-decrypt" "plaintext differs"
    fi
}

for keylen in 16 24 32; do
    for size in 16 4096 65536 1048576; do
        afalg_case "$size" "$keylen"
    done
done
