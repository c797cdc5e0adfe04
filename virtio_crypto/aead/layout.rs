// SPDX-License-Identifier: GPL-2.0

//! Where an AEAD request's bytes go on the device, as plain arithmetic (host-tested):
//! the nonce the device takes for the Crypto API's IV, and the regions of the request's
//! lists each layout sends and receives.

use crate::wire::Direction;

/// Largest nonce or IV the device takes, in bytes.
pub(crate) const MAX_NONCE: usize = 16;

/// How the Crypto API's IV becomes the nonce the device takes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Nonce {
    /// The IV as it is (gcm, rfc7539: 12 bytes; authenc: the CBC IV).
    Iv,
    /// ccm's 16-byte IV: `iv[0]` is L - 1 (1 to 7), then a nonce of 15 - L bytes, then the
    /// counter; the device takes the nonce alone.
    Ccm,
    /// The key's salt, then the IV (rfc7539esp: 4 bytes of salt from the end of the key,
    /// 8 bytes of IV).
    SaltThenIv,
}

/// The device's nonce for `iv` (and the key's `salt`) and its length; `None` for a ccm IV
/// whose first byte is not 1 to 7 (the generic ccm refuses it with `EINVAL`) or a nonce
/// too long.
pub(crate) fn device_nonce(
    nonce: Nonce,
    salt: &[u8],
    iv: &[u8],
) -> Option<([u8; MAX_NONCE], usize)> {
    let (head, tail) = match nonce {
        Nonce::Iv => (iv, &[][..]),
        Nonce::SaltThenIv => (salt, iv),
        Nonce::Ccm => {
            let l_minus_1 = usize::from(*iv.first()?);
            if !(1..=7).contains(&l_minus_1) {
                return None;
            }
            // 15 - L nonce bytes follow the first.
            (iv.get(1..15 - l_minus_1)?, &[][..])
        }
    };
    let len = head.len().checked_add(tail.len())?;
    let mut out = [0u8; MAX_NONCE];
    out.get_mut(..head.len())?.copy_from_slice(head);
    out.get_mut(head.len()..len)?.copy_from_slice(tail);
    Some((out, len))
}

/// Which of the specification's operations carries a request.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Layout {
    /// The AEAD service: nonce, associated data, source out; destination in. The
    /// associated data is not copied to the destination (as in the generic gcm, ccm,
    /// rfc7539).
    Aead {
        /// Bytes at the end of the associated data that are the IV, not authenticated
        /// (rfc7539esp: 8; the others: 0).
        ad_iv: usize,
    },
    /// Algorithm chaining (authenc): nonce, then associated data and text as one source
    /// out; the device copies the associated data, ciphers the text and writes the MAC
    /// over both (over the ciphertext in either direction) after the destination.
    Chain,
}

/// The bytes of a request's lists the device reads and writes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Regions {
    /// Associated data sent as its own buffer, from the source's start.
    pub(crate) aad: usize,
    /// Source bytes the device reads, from `src_skip` on.
    pub(crate) src_skip: usize,
    /// Their number.
    pub(crate) src: usize,
    /// Destination bytes the device writes, from `dst_skip` on.
    pub(crate) dst_skip: usize,
    /// Their number.
    pub(crate) dst: usize,
    /// MAC bytes the device writes into the driver's own buffer (chained decryption),
    /// compared with the request's tag, which follows the `src` bytes.
    pub(crate) computed: usize,
    /// The plaintext area of the destination, (skip, length): a failed decryption zeroes
    /// it.
    pub(crate) plaintext: Option<(usize, usize)>,
}

impl Regions {
    /// The regions of a request with `assoclen` bytes of associated data, `cryptlen`
    /// bytes after them (decrypting: ciphertext and tag) and tags of `tag` bytes; `None`
    /// if the lengths do not add up (associated data shorter than its IV included).
    pub(crate) fn new(
        layout: Layout,
        dir: Direction,
        assoclen: usize,
        cryptlen: usize,
        tag: usize,
    ) -> Option<Self> {
        let text = match dir {
            Direction::Encrypt => cryptlen,
            Direction::Decrypt => cryptlen.checked_sub(tag)?,
        };
        let plaintext = (dir == Direction::Decrypt).then_some((assoclen, text));
        let with_ad = assoclen.checked_add(text)?;
        Some(match (layout, dir) {
            (Layout::Aead { ad_iv }, _) => Self {
                aad: assoclen.checked_sub(ad_iv)?,
                src_skip: assoclen,
                src: cryptlen,
                dst_skip: assoclen,
                dst: match dir {
                    Direction::Encrypt => cryptlen.checked_add(tag)?,
                    Direction::Decrypt => text,
                },
                computed: 0,
                plaintext,
            },
            // Destination: associated data, ciphertext, then the MAC as the tag.
            (Layout::Chain, Direction::Encrypt) => Self {
                aad: 0,
                src_skip: 0,
                src: with_ad,
                dst_skip: 0,
                dst: with_ad.checked_add(tag)?,
                computed: 0,
                plaintext,
            },
            (Layout::Chain, Direction::Decrypt) => Self {
                aad: 0,
                src_skip: 0,
                src: with_ad,
                dst_skip: 0,
                dst: with_ad,
                computed: tag,
                plaintext,
            },
        })
    }

    /// Bytes a successful answer writes, the status byte included.
    pub(crate) fn answer_len(&self) -> usize {
        self.dst + self.computed + 1
    }
}
