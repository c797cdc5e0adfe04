# SPDX-License-Identifier: GPL-2.0
# Asymmetric-key helpers for the guest scripts: keys and certificates made with
# the guest's openssl, Crypto API requests through vcrs_kapi's akcipher command
# (kapi.sh), and keyctl's asymmetric keys. Source it after lib.sh and kapi.sh.

AK=/tmp/ak
mkdir -p "$AK"

# openssl's req and x509 want a configuration file: the guest has none but this.
printf '[req]\ndistinguished_name = dn\n[dn]\n' >"$AK/openssl.cnf"
export OPENSSL_CONF="$AK/openssl.cnf"

# file_hex FILE: FILE's bytes as one hex string.
file_hex() { od -An -v -tx1 "$1" | tr -d ' \n'; }

# rsa_keys BITS: makes (once) an RSA key pair of BITS bits:
# $AK/rsaBITS.pem (PKCS#1 PEM), .priv.der (RSAPrivateKey), .pub.der
# (RSAPublicKey: the encodings the kernel's rsa and the device take), .p8
# (PKCS#8 DER, for keyctl) and .crt (a self-signed X.509 certificate, DER).
rsa_keys() {
    local b=$AK/rsa$1
    mkdir -p "$AK"
    [ -s "$b.crt" ] && return 0
    openssl genrsa -traditional -out "$b.pem" "$1" 2>/dev/null &&
        openssl rsa -in "$b.pem" -traditional -outform DER -out "$b.priv.der" 2>/dev/null &&
        openssl rsa -in "$b.pem" -RSAPublicKey_out -outform DER -out "$b.pub.der" 2>/dev/null &&
        openssl pkcs8 -topk8 -nocrypt -in "$b.pem" -outform DER -out "$b.p8" 2>/dev/null &&
        openssl req -x509 -new -key "$b.pem" -sha256 -days 30 -subj "/CN=vcrs rsa$1" \
            -addext basicConstraints=critical,CA:TRUE -outform DER -out "$b.crt" 2>/dev/null
}

# ak_same_errno NAME ARGS...: "akcipher OURS ARGS..." and the generic code's
# ("akcipher GENERIC ARGS... sync=1", ARGS starting with OURS GENERIC) fail with
# the same "ERRNO STEP".
ak_same_errno() {
    local name=$1 ours=$2 ref=$3 a b
    shift 3
    a=$(kapi akcipher "$ours" "$@")
    b=$(kapi akcipher "$ref" "$@" sync=1)
    case "$b" in
    "err "*) ;;
    *)
        fail "$name" "the generic code did not fail: $(kapi_short "$b")"
        return 1
        ;;
    esac
    expect_eq "$name" "$a" "$b"
}

# hex_be_plus HEX N: the big-endian number HEX plus N (0 <= N < 256), as many
# hex digits as HEX (a carry out of the top is dropped).
hex_be_plus() {
    echo "$1" | awk -v n="$2" '{
        s = $0; out = ""; c = n
        for (i = length(s) - 1; i >= 1; i -= 2) {
            v = index("0123456789abcdef", substr(s, i, 1)) * 16 + index("0123456789abcdef", substr(s, i + 1, 1)) - 17 + c
            c = int(v / 256); v = v % 256
            if (v < 0) { v += 256; c = -1 }
            out = sprintf("%02x", v) out
        }
        print out }'
}

# rsa_modulus_hex PEM: the modulus of the key in PEM, as hex without leading zeros.
rsa_modulus_hex() {
    openssl rsa -in "$1" -noout -modulus 2>/dev/null | sed 's/^Modulus=//' | tr 'A-F' 'a-f'
}
