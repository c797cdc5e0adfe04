// SPDX-License-Identifier: GPL-2.0

//! A synchronous software implementation of an skcipher algorithm (a `crypto_sync_skcipher`),
//! for keys a device refuses: the Crypto API's own code runs the request in the caller's
//! context, on an on-stack sub-request, so nothing is allocated per request.

use super::skcipher::Request;
use crate::kernel_api::bindings;
use core::ptr::NonNull;
use kernel::{
    error::{from_err_ptr, to_result},
    prelude::*,
    str::CStr,
};

/// A software transform of one algorithm, freed on drop.
///
/// # Invariants
///
/// `tfm` is a live transform from `crypto_alloc_sync_skcipher`, owned by `self`.
pub(crate) struct SoftCipher {
    tfm: NonNull<bindings::crypto_sync_skcipher>,
}

// SAFETY: A transform may be used from any thread; the Crypto API forbids only concurrent
// `set_key` and requests, which `&mut self` in `set_key` rules out.
unsafe impl Send for SoftCipher {}
// SAFETY: Requests (`&self`) may run concurrently on one transform.
unsafe impl Sync for SoftCipher {}

impl SoftCipher {
    /// The best synchronous implementation of `name` (for example `xts(aes)`). Process
    /// context.
    pub(crate) fn new(name: &CStr) -> Result<Self> {
        // Synchronous implementations that need no fallback only: never an asynchronous
        // driver such as this one.
        // SAFETY: `name` is a valid C string; the result is a transform or an error pointer.
        let tfm = from_err_ptr(unsafe {
            bindings::crypto_alloc_sync_skcipher(
                name.as_char_ptr(),
                0,
                bindings::CRYPTO_ALG_NEED_FALLBACK,
            )
        })?;
        // INVARIANT: a live transform, owned by the new value.
        Ok(Self {
            tfm: NonNull::new(tfm).ok_or(ENOMEM)?,
        })
    }

    /// Sets the key; the software implementation checks it as usual.
    pub(crate) fn set_key(&mut self, key: &[u8]) -> Result {
        let len = u32::try_from(key.len()).map_err(|_| EINVAL)?;
        // SAFETY: The transform is live (type invariant); `key` holds `len` bytes.
        to_result(unsafe {
            bindings::vcrs_soft_cipher_setkey(self.tfm.as_ptr(), key.as_ptr(), len)
        })
    }

    /// Runs `req` to the end (its source, destination, length and IV, output IV included:
    /// the request's IV is written, hence `&mut`).
    pub(crate) fn crypt(&self, req: &mut Request, encrypt: bool) -> Result {
        // The software cipher reads and writes its own IV size at the request's IV, which
        // holds the request's: they must agree (a transform of another mode would not).
        // SAFETY: The transform is live (type invariant).
        let soft_ivsize = unsafe { bindings::vcrs_soft_cipher_ivsize(self.tfm.as_ptr()) };
        if soft_ivsize as usize != req.iv().len() {
            return Err(EINVAL);
        }
        // SAFETY: The transform is live; `req` is a live request of ours whose buffers the
        // sub-request borrows only for the duration of this synchronous call; `&mut` rules
        // out any other reference to its IV meanwhile.
        to_result(unsafe {
            bindings::vcrs_soft_cipher_crypt(self.tfm.as_ptr(), req.as_raw(), encrypt)
        })
    }
}

impl Drop for SoftCipher {
    fn drop(&mut self) {
        // SAFETY: The transform is live and ours (type invariant); freed once. Freeing
        // wipes its key (`kfree_sensitive`).
        unsafe { bindings::vcrs_soft_cipher_free(self.tfm.as_ptr()) };
    }
}
