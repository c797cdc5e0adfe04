// SPDX-License-Identifier: GPL-2.0

//! A synchronous software implementation of an AEAD algorithm (a `crypto_aead` allocated
//! without asynchronous or fallback-needing implementations, so never a driver like this
//! one), for what a device cannot take. Its sub-request lives in the aead request's own
//! context (see [`super::aead`]), so nothing is allocated per request.

use crate::kernel_api::bindings;
use core::ptr::NonNull;
use kernel::{
    error::{from_err_ptr, to_result},
    prelude::*,
    str::CStr,
};

/// A software AEAD transform of one algorithm, freed on drop.
///
/// # Invariants
///
/// `tfm` is a live transform from `crypto_alloc_aead`, synchronous, owned by `self`.
pub(crate) struct SoftAead {
    tfm: NonNull<bindings::crypto_aead>,
}

// SAFETY: A transform may be used from any thread; the Crypto API forbids only concurrent
// `set_key`/`set_authsize` and requests, which `&mut self` there rules out.
unsafe impl Send for SoftAead {}
// SAFETY: Requests (`&self`) may run concurrently on one transform.
unsafe impl Sync for SoftAead {}

impl SoftAead {
    /// The best synchronous implementation of `name` (for example `gcm(aes)`). Process
    /// context.
    pub(crate) fn new(name: &CStr) -> Result<Self> {
        // Synchronous implementations that need no fallback only: never a driver like this
        // one.
        // SAFETY: `name` is a valid C string; the result is a transform or an error pointer.
        let tfm = from_err_ptr(unsafe {
            bindings::crypto_alloc_aead(
                name.as_char_ptr(),
                0,
                bindings::CRYPTO_ALG_ASYNC | bindings::CRYPTO_ALG_NEED_FALLBACK,
            )
        })?;
        // INVARIANT: a live transform, owned by the new value.
        Ok(Self {
            tfm: NonNull::new(tfm).ok_or(ENOMEM)?,
        })
    }

    /// The raw transform, for the request operations of [`super::aead`].
    pub(super) fn as_raw(&self) -> *mut bindings::crypto_aead {
        self.tfm.as_ptr()
    }

    /// Sets the key; the software implementation checks it as usual (the generic errno).
    pub(crate) fn set_key(&mut self, key: &[u8]) -> Result {
        let len = u32::try_from(key.len()).map_err(|_| EINVAL)?;
        // SAFETY: The transform is live (type invariant); `key` holds `len` bytes.
        to_result(unsafe { bindings::vcrs_soft_aead_setkey(self.as_raw(), key.as_ptr(), len) })
    }

    /// Sets the tag length; the software implementation checks it (the generic errno).
    pub(crate) fn set_authsize(&mut self, authsize: usize) -> Result {
        let len = u32::try_from(authsize).map_err(|_| EINVAL)?;
        // SAFETY: The transform is live (type invariant).
        to_result(unsafe { bindings::vcrs_soft_aead_setauthsize(self.as_raw(), len) })
    }

    /// Bytes of request context a request run on this transform needs.
    pub(crate) fn request_size(&self) -> usize {
        // SAFETY: The transform is live (type invariant).
        unsafe { bindings::vcrs_soft_aead_request_size(self.as_raw()) as usize }
    }
}

impl Drop for SoftAead {
    fn drop(&mut self) {
        // SAFETY: The transform is live and ours (type invariant); freed once. Freeing
        // wipes its key.
        unsafe { bindings::vcrs_soft_aead_free(self.as_raw()) };
    }
}
