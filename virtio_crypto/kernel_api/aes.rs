// SPDX-License-Identifier: GPL-2.0

//! Single AES blocks in software (the kernel's AES library, `lib/crypto/aes.c`), for the few
//! blocks a device cannot compute, such as XTS ciphertext stealing.
//!
//! 6.12's library expands a key into a `crypto_aes_ctx` (`aes_expandkey`); 7.x prepares a
//! `struct aes_key` (`aes_preparekey`) and `aes_encrypt` takes a union of key pointers.

use crate::kernel_api::bindings;
use kernel::prelude::*;

#[cfg(not(vcrs_kernel_7))]
type RawKey = bindings::crypto_aes_ctx;
#[cfg(vcrs_kernel_7)]
type RawKey = bindings::aes_key;

/// An expanded AES key; wiped when dropped.
pub(crate) struct AesKey(RawKey);

impl AesKey {
    /// Expands `key` (16, 24 or 32 bytes); `EINVAL` for other lengths.
    pub(crate) fn new(key: &[u8]) -> Result<Self> {
        // SAFETY: The key structure is plain data: all zeros is a valid (unprepared) value.
        let mut raw: RawKey = unsafe { core::mem::zeroed() };
        // SAFETY: `raw` is writable; `key` is readable for its length.
        #[cfg(not(vcrs_kernel_7))]
        let ret = unsafe { bindings::aes_expandkey(&mut raw, key.as_ptr(), key.len() as u32) };
        // SAFETY: As above.
        #[cfg(vcrs_kernel_7)]
        let ret = unsafe { bindings::aes_preparekey(&mut raw, key.as_ptr(), key.len()) };
        kernel::error::to_result(ret)?;
        Ok(Self(raw))
    }

    /// Encrypts one block.
    pub(crate) fn encrypt(&self, block: &[u8; 16]) -> [u8; 16] {
        let mut out = [0u8; 16];
        #[cfg(not(vcrs_kernel_7))]
        let key = &self.0;
        #[cfg(vcrs_kernel_7)]
        let key = bindings::aes_encrypt_arg { full_key: &self.0 };
        // SAFETY: The key is expanded; both blocks are 16 bytes.
        unsafe { bindings::aes_encrypt(key, out.as_mut_ptr(), block.as_ptr()) };
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
        // SAFETY: The key structure is plain data; any bytes (zeros) are a valid value.
        let bytes = unsafe {
            core::slice::from_raw_parts_mut(
                core::ptr::from_mut(&mut self.0).cast::<u8>(),
                core::mem::size_of::<RawKey>(),
            )
        };
        super::secret::wipe(bytes);
    }
}
