// SPDX-License-Identifier: GPL-2.0

//! Single AES blocks in software (the kernel's AES library, `lib/crypto/aes.c`), for the few
//! blocks a device cannot compute, such as XTS ciphertext stealing.

use crate::kernel_api::bindings;
use kernel::prelude::*;

/// An expanded AES key; wiped when dropped.
pub(crate) struct AesKey(bindings::crypto_aes_ctx);

impl AesKey {
    /// Expands `key` (16, 24 or 32 bytes); `EINVAL` for other lengths.
    pub(crate) fn new(key: &[u8]) -> Result<Self> {
        let mut ctx = bindings::crypto_aes_ctx::default();
        // SAFETY: `ctx` is writable; `key` is readable for its length.
        let ret = unsafe { bindings::aes_expandkey(&mut ctx, key.as_ptr(), key.len() as u32) };
        kernel::error::to_result(ret)?;
        Ok(Self(ctx))
    }

    /// Encrypts one block.
    pub(crate) fn encrypt(&self, block: &[u8; 16]) -> [u8; 16] {
        let mut out = [0u8; 16];
        // SAFETY: The key is expanded; both blocks are 16 bytes.
        unsafe { bindings::aes_encrypt(&self.0, out.as_mut_ptr(), block.as_ptr()) };
        out
    }

    /// Decrypts one block.
    pub(crate) fn decrypt(&self, block: &[u8; 16]) -> [u8; 16] {
        let mut out = [0u8; 16];
        // SAFETY: The key is expanded; both blocks are 16 bytes.
        unsafe { bindings::aes_decrypt(&self.0, out.as_mut_ptr(), block.as_ptr()) };
        out
    }
}

impl Drop for AesKey {
    fn drop(&mut self) {
        // SAFETY: `crypto_aes_ctx` is plain data; any bytes (zeros) are a valid value.
        let bytes = unsafe {
            core::slice::from_raw_parts_mut(
                (&mut self.0 as *mut bindings::crypto_aes_ctx).cast::<u8>(),
                core::mem::size_of::<bindings::crypto_aes_ctx>(),
            )
        };
        super::secret::wipe(bytes);
    }
}
