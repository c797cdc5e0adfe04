# The demo: load the driver, show what it registered, and encrypt through it
# with AF_ALG, checked against the kernel's software implementation.
. /vcrs/tests/lib.sh

echo "== loading $MOD"
insmod "$MOD" || { fail demo "insmod failed"; exit 0; }
st=$(wait_selftest cbc-aes-virtio-rs)
echo "== /proc/crypto entries of $DRIVER_NAME (self-test: $st)"
awk '/^name/ { entry = $0 "\n"; next } { entry = entry $0 "\n" } /^$/ { if (entry ~ /module *: virtio_crypto_rs/) printf "%s", entry }' /proc/crypto

echo "== AF_ALG: cbc(aes) through the device vs. software"
head -c 32 /dev/urandom >/tmp/key
iv=$(hex 16)
head -c 65536 /dev/urandom >/tmp/plain
kcapi_cipher cbc-aes-virtio-rs -e /tmp/key "$iv" /tmp/plain /tmp/dev.enc
kcapi_cipher "cbc(aes-generic)" -e /tmp/key "$iv" /tmp/plain /tmp/sw.enc
echo "device:   $(sha256sum </tmp/dev.enc | cut -c1-64)"
echo "software: $(sha256sum </tmp/sw.enc | cut -c1-64)"
if cmp -s /tmp/dev.enc /tmp/sw.enc; then
    pass "demo: 64 KiB AES-256-CBC through virtio-crypto-rs matches software"
else
    fail demo "ciphertexts differ"
fi
rmmod virtio_crypto_rs
