// SPDX-License-Identifier: GPL-2.0

//! ECDSA signatures as the device takes them (DER `Ecdsa-Sig-Value ::= SEQUENCE { r
//! INTEGER, s INTEGER }`, virtio 1.3 and the kernel's 6.12 `ecdsa-nist-*` alike), and the
//! curves the driver offers. A signature goes to the device only if it is strict DER with
//! `0 < r, s < n` (what follows the element is not sent, as the generic code ignores it): then the generic code's answer can only be success or `-EKEYREJECTED`,
//! which the device's answer maps to one to one; anything else (BER forms, out-of-range
//! values) runs in the generic code, whose errno the caller then gets exactly. Plain
//! computation, host-tested (tests/host).

/// A NIST curve: the device's number for it and its order.
pub(crate) struct Curve {
    /// `VIRTIO_CRYPTO_CURVE_*`.
    pub(crate) virtio_id: u32,
    /// The order `n` of the base point, big-endian.
    pub(crate) order: &'static [u8],
    /// The longest digest both the generic code and the standard reduce alike: any for a
    /// curve of whole bytes (both take its leftmost bytes); for P-521 what fits in 520
    /// bits (the generic code takes up to 72 bytes as the number, the standard the
    /// leftmost 521 bits).
    pub(crate) exact_digest_len: usize,
}

/// The order of NIST P-192, big-endian.
const P192_ORDER: [u8; 24] = [
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x99, 0xde, 0xf8, 0x36,
    0x14, 0x6b, 0xc9, 0xb1, 0xb4, 0xd2, 0x28, 0x31,
];

/// The order of NIST P-256, big-endian.
const P256_ORDER: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];

/// The order of NIST P-384, big-endian.
const P384_ORDER: [u8; 48] = [
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xc7, 0x63, 0x4d, 0x81, 0xf4, 0x37, 0x2d, 0xdf,
    0x58, 0x1a, 0x0d, 0xb2, 0x48, 0xb0, 0xa7, 0x7a, 0xec, 0xec, 0x19, 0x6a, 0xcc, 0xc5, 0x29, 0x73,
];

/// The order of NIST P-521, big-endian.
const P521_ORDER: [u8; 66] = [
    0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xfa, 0x51, 0x86, 0x87, 0x83, 0xbf, 0x2f, 0x96, 0x6b, 0x7f, 0xcc, 0x01, 0x48, 0xf7, 0x09,
    0xa5, 0xd0, 0x3b, 0xb5, 0xc9, 0xb8, 0x89, 0x9c, 0x47, 0xae, 0xbb, 0x6f, 0xb7, 0x1e, 0x91, 0x38,
    0x64, 0x09,
];

/// NIST P-192.
pub(crate) const NIST_P192: Curve = Curve {
    virtio_id: 1,
    order: &P192_ORDER,
    exact_digest_len: usize::MAX,
};

/// NIST P-256.
pub(crate) const NIST_P256: Curve = Curve {
    virtio_id: 3,
    order: &P256_ORDER,
    exact_digest_len: usize::MAX,
};

/// NIST P-384.
pub(crate) const NIST_P384: Curve = Curve {
    virtio_id: 4,
    order: &P384_ORDER,
    exact_digest_len: usize::MAX,
};

/// NIST P-521.
pub(crate) const NIST_P521: Curve = Curve {
    virtio_id: 5,
    order: &P521_ORDER,
    exact_digest_len: 65,
};

/// Splits a DER element with tag `tag` off the front of `der`: its value and the rest.
/// Definite lengths in their shortest form only (below 128 one byte, else `0x81 LL`).
fn element(der: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (&t, rest) = der.split_first()?;
    if t != tag {
        return None;
    }
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = match first {
        0..=0x7f => (usize::from(first), rest),
        0x81 => {
            let (&len, rest) = rest.split_first()?;
            if len < 0x80 {
                return None;
            }
            (usize::from(len), rest)
        }
        _ => return None,
    };
    if rest.len() < len {
        return None;
    }
    Some(rest.split_at(len))
}

/// A DER INTEGER's value as an unsigned big-endian number, if it is positive and minimal.
fn positive_integer(value: &[u8]) -> Option<&[u8]> {
    match value {
        [] => None,
        [first, ..] if first & 0x80 != 0 => None,
        [0, second, ..] if second & 0x80 != 0 => value.get(1..),
        [0, ..] if value.len() > 1 => None,
        _ => Some(value),
    }
}

/// Whether `x` (big-endian) is in `1..n`.
fn in_range(x: &[u8], n: &[u8]) -> bool {
    x.iter().any(|&b| b != 0) && super::rsa_math::below(x, n)
}

/// If `sig` is a signature the device gets on `curve` (see the module's doc): the length
/// of its DER element, which is what the device gets. Bytes after it are allowed, as the
/// kernel's BER decoder ignores them (keyctl's `pkey_verify` passes the key's largest
/// signature size, the signature's bytes first).
pub(crate) fn for_device(sig: &[u8], curve: &Curve) -> Option<usize> {
    let (body, rest) = element(sig, 0x30)?;
    let (r, after_r) = element(body, 0x02)?;
    let (s, []) = element(after_r, 0x02)? else {
        return None;
    };
    let (r, s) = (positive_integer(r)?, positive_integer(s)?);
    (in_range(r, curve.order) && in_range(s, curve.order)).then(|| sig.len() - rest.len())
}
