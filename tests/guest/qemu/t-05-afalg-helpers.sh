# SPDX-License-Identifier: GPL-2.0
# The AF_ALG helpers of tests/guest-programs/afalg.h for hash and aead
# transforms (afalg_hash, afalg_crypt with AUTHSIZE ASSOCLEN), on the kernel's
# software implementations before any driver is loaded: published known
# answers, and kcapi-dgst for a digest of random data. Tests of the driver's
# hash and aead services will stand on these helpers.

# shellcheck disable=SC2059 # the format is only \xNN escapes
unhex() { printf "$(echo "$1" | sed 's/../\\x&/g')"; }

# FIPS 180-2 "abc"; RFC 4231 test case 2.
expect_eq afalg-hash-sha256-known-answer "$(printf abc | afalg_hash sha256-generic)" \
    ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
expect_eq afalg-hash-hmac-sha256-known-answer \
    "$(printf 'what do ya want for nothing?' | afalg_hash 'hmac(sha256-generic)' 4a656665)" \
    5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843
head -c 1048576 /dev/urandom >/tmp/h.in
expect_eq afalg-hash-sha256-1MiB-equals-kcapi-dgst "$(afalg_hash sha256-generic </tmp/h.in)" \
    "$(kcapi-dgst -c sha256 --hex </tmp/h.in)"

# The GCM specification's test cases 2 (no associated data) and 4 (20 bytes of
# it, a 60-byte message); output and input of AF_ALG both start with the
# associated data.
gcm() { unhex "$4" | afalg_crypt 'gcm(aes)' "$1" "$2" "$3" 16 "$5" | od -An -v -tx1 | tr -d ' \n'; }
Z16=00000000000000000000000000000000
expect_eq afalg-aead-gcm-aes-tc2-encrypt "$(gcm -e $Z16 000000000000000000000000 $Z16 0)" \
    0388dace60b6a392f328c2b971b2fe78ab6e47d42cec13bdf53a67b21257bddf
K4=feffe9928665731c6d6a8f9467308308 IV4=cafebabefacedbaddecaf888
A4=feedfacedeadbeeffeedfacedeadbeefabaddad2
P4=d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39
C4=42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091
T4=5bc94fbc3221a5db94fae95ae7121a47
expect_eq afalg-aead-gcm-aes-tc4-encrypt "$(gcm -e $K4 $IV4 $A4$P4 20)" "$A4$C4$T4"
expect_eq afalg-aead-gcm-aes-tc4-decrypt "$(gcm -d $K4 $IV4 $A4$C4$T4 20)" "$A4$P4"
# A tag that does not verify: EBADMSG (the error message, stdout dropped).
# shellcheck disable=SC2069
bad_tag() { unhex "$A4$C4${T4%??}00" | afalg_crypt 'gcm(aes)' -d $K4 $IV4 16 20 2>&1 >/dev/null; }
expect_eq afalg-aead-gcm-aes-bad-tag-ebadmsg "$(bad_tag | sed 's/^[^:]*: //')" "Bad message"
rm -f /tmp/h.in
