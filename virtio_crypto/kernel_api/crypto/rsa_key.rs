// SPDX-License-Identifier: GPL-2.0

//! RSA keys read with the kernel's own parser (`rsa_parse_pub_key`,
//! `rsa_parse_priv_key`: the PKCS#1 `RSAPublicKey`/`RSAPrivateKey` encodings the kernel's
//! `rsa` takes), for what the driver needs of a key: its modulus.

use super::akcipher::KeyKind;
use crate::kernel_api::bindings;
use kernel::{error::to_result, prelude::*};

/// The largest modulus the kernel's RSA takes (4096 bits).
pub(crate) const MAX_MODULUS_BYTES: usize = 512;

/// The public modulus of a key, big-endian without leading zeros.
pub(crate) struct Modulus {
    bytes: [u8; MAX_MODULUS_BYTES],
    len: usize,
}

impl Modulus {
    /// Parses `key` (a key of `kind`) with the kernel's parser and keeps its modulus.
    /// `EINVAL` (or the parser's errno) for a key it refuses, `EINVAL` for a modulus longer
    /// than [`MAX_MODULUS_BYTES`].
    pub(crate) fn parse(key: &[u8], kind: KeyKind) -> Result<Self> {
        let len = u32::try_from(key.len()).map_err(|_| EINVAL)?;
        let mut raw = bindings::rsa_key::default();
        // SAFETY: `key` holds `len` bytes; the parser only reads them and fills `raw` with
        // pointers into them, used below while `key` is borrowed.
        to_result(unsafe {
            match kind {
                KeyKind::Public => bindings::rsa_parse_pub_key(&mut raw, key.as_ptr().cast(), len),
                KeyKind::Private => {
                    bindings::rsa_parse_priv_key(&mut raw, key.as_ptr().cast(), len)
                }
            }
        })?;
        if raw.n.is_null() {
            return Err(EINVAL);
        }
        // SAFETY: The parser set `n` to `n_sz` bytes inside `key`.
        let n = unsafe { core::slice::from_raw_parts(raw.n, raw.n_sz) };
        let first = n.iter().position(|&b| b != 0).unwrap_or(n.len());
        let n = n.get(first..).ok_or(EINVAL)?;
        let mut bytes = [0u8; MAX_MODULUS_BYTES];
        bytes.get_mut(..n.len()).ok_or(EINVAL)?.copy_from_slice(n);
        Ok(Self {
            bytes,
            len: n.len(),
        })
    }

    /// The modulus, big-endian, without leading zeros.
    pub(crate) fn bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&[])
    }
}
