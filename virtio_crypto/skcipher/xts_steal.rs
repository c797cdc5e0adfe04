// SPDX-License-Identifier: GPL-2.0

//! The software half of `xts(aes)`: ciphertext stealing for requests that are not whole
//! blocks, around the whole blocks the device processes (see [`super::xts`]).

use crate::{
    kernel_api::{aes::AesKey, crypto::skcipher::Request},
    skcipher::xts::{self, BlockCipher},
    wire::Direction,
};
use kernel::{prelude::*, sync::Arc};

impl BlockCipher for AesKey {
    fn encrypt(&self, block: &[u8; 16]) -> [u8; 16] {
        AesKey::encrypt(self, block)
    }

    fn decrypt(&self, block: &[u8; 16]) -> [u8; 16] {
        AesKey::decrypt(self, block)
    }
}

/// The two halves of an XTS key, expanded (wiped when dropped).
pub(crate) struct XtsKeys {
    k1: AesKey,
    k2: AesKey,
}

impl XtsKeys {
    /// Splits and expands an XTS key (two AES keys of equal length).
    pub(crate) fn new(key: &[u8]) -> Result<Arc<Self>> {
        let (k1, k2) = key.split_at(key.len() / 2);
        Ok(Arc::new(
            Self {
                k1: AesKey::new(k1)?,
                k2: AesKey::new(k2)?,
            },
            GFP_KERNEL,
        )?)
    }
}

/// Ciphertext stealing for one request.
pub(crate) struct XtsSteal {
    keys: Arc<XtsKeys>,
    iv: [u8; 16],
    dir: Direction,
}

impl XtsSteal {
    /// Stealing for a request with this IV, in direction `dir`.
    pub(crate) fn new(keys: Arc<XtsKeys>, iv: [u8; 16], dir: Direction) -> Self {
        Self { keys, iv, dir }
    }

    /// How many bytes of a `len`-byte request (not whole blocks, at least one block) the
    /// device processes: every whole block when encrypting, all but the last when
    /// decrypting (the stealing decrypts that one).
    pub(crate) fn device_len(dir: Direction, len: usize) -> usize {
        let whole_blocks = len / 16;
        match dir {
            Direction::Encrypt => whole_blocks * 16,
            Direction::Decrypt => whole_blocks.saturating_sub(1) * 16,
        }
    }

    /// Computes the last whole block and the partial block of the request's `len` bytes,
    /// once the device has processed the first [`XtsSteal::device_len`] bytes.
    pub(crate) fn finish(&self, req: &mut Request, len: usize) -> Result {
        let (m, r) = (len / 16, len % 16);
        if m == 0 || r == 0 {
            return Err(EINVAL);
        }
        let last = (m - 1) * 16;
        // Read before anything is written: an in-place request shares these bytes.
        let mut tail = [0u8; 16];
        let tail = tail.get_mut(..r).ok_or(EINVAL)?;
        req.src().copy_to_buffer(tail, m * 16)?;
        let mut block = [0u8; 16];
        let t_prev = xts::tweak(&self.keys.k2, &self.iv, (m - 1) as u64);
        let mut t_m = t_prev;
        xts::mul_alpha(&mut t_m);
        let (whole, partial) = match self.dir {
            Direction::Encrypt => {
                // The device's encryption of the last whole block.
                req.dst().copy_to_buffer(&mut block, last)?;
                xts::steal_encrypt(&self.keys.k1, &t_m, &block, tail)
            }
            Direction::Decrypt => {
                // The last whole ciphertext block, which the device did not touch.
                req.src().copy_to_buffer(&mut block, last)?;
                xts::steal_decrypt(&self.keys.k1, &t_prev, &t_m, &block, tail)
            }
        };
        req.dst().copy_from_buffer(&whole, last)?;
        req.dst()
            .copy_from_buffer(partial.get(..r).ok_or(EINVAL)?, m * 16)
    }
}
