// SPDX-License-Identifier: GPL-2.0

//! A synchronous software implementation of a hash or MAC (a `crypto_shash`), for what a
//! device cannot take: multi-part messages it cannot buffer, exported state, keys it
//! refuses, messages larger than its `max_size`. Its per-request state (a `shash_desc`)
//! lives in the ahash request's own context (see [`super::ahash`]), so nothing is
//! allocated per request.

use crate::kernel_api::bindings;
use core::ptr::NonNull;
use kernel::{
    error::{from_err_ptr, to_result},
    prelude::*,
    str::CStr,
};

/// Priority of the kernel's own software hashes and MACs (the implementations
/// [`SoftHash`] allocates): 6.12's generic C code, 100 (its x86 SIMD ones, 150 to 170, are
/// optional modules); 7.x's library-based ones, 300 (`sha256-lib`, `hmac-sha256-lib`,
/// `cmac-aes-lib`...), which use the CPU's extensions themselves when it has them.
pub(crate) const SOFTWARE_HASH_PRIORITY: i32 = if cfg!(vcrs_kernel_7) { 300 } else { 100 };

/// A software hash transform of one algorithm, freed on drop.
///
/// # Invariants
///
/// `tfm` is a live transform from `crypto_alloc_shash`, owned by `self`.
pub(crate) struct SoftHash {
    tfm: NonNull<bindings::crypto_shash>,
}

// SAFETY: A transform may be used from any thread; the Crypto API forbids only concurrent
// `set_key` and requests, which `&mut self` in `set_key` rules out.
unsafe impl Send for SoftHash {}
// SAFETY: Requests (`&self`) may run concurrently on one transform.
unsafe impl Sync for SoftHash {}

impl SoftHash {
    /// The best synchronous implementation of `name` (for example `hmac(sha256)`). Process
    /// context.
    pub(crate) fn new(name: &CStr) -> Result<Self> {
        // shash implementations are synchronous; none needing a fallback: never a driver
        // such as this one.
        // SAFETY: `name` is a valid C string; the result is a transform or an error pointer.
        let tfm = from_err_ptr(unsafe {
            bindings::crypto_alloc_shash(name.as_char_ptr(), 0, bindings::CRYPTO_ALG_NEED_FALLBACK)
        })?;
        // INVARIANT: a live transform, owned by the new value.
        Ok(Self {
            tfm: NonNull::new(tfm).ok_or(ENOMEM)?,
        })
    }

    /// The raw transform.
    fn as_raw(&self) -> *mut bindings::crypto_shash {
        self.tfm.as_ptr()
    }

    /// The transform, for the request operations of [`super::ahash`], which keep it no
    /// longer than the transform that owns `self`.
    pub(super) fn as_non_null(&self) -> NonNull<bindings::crypto_shash> {
        self.tfm
    }

    /// Bytes of per-request state after the `shash_desc` header.
    pub(crate) fn desc_size(&self) -> usize {
        // SAFETY: The transform is live (type invariant).
        unsafe { bindings::vcrs_soft_hash_descsize(self.as_raw()) as usize }
    }

    /// Bytes of exported state.
    pub(crate) fn state_size(&self) -> usize {
        // SAFETY: The transform is live (type invariant).
        unsafe { bindings::vcrs_soft_hash_statesize(self.as_raw()) as usize }
    }

    /// Digest size in bytes.
    pub(crate) fn digest_size(&self) -> usize {
        // SAFETY: The transform is live (type invariant).
        unsafe { bindings::vcrs_soft_hash_digestsize(self.as_raw()) as usize }
    }

    /// Block size in bytes.
    pub(crate) fn block_size(&self) -> usize {
        // SAFETY: The transform is live (type invariant).
        unsafe { bindings::vcrs_soft_hash_blocksize(self.as_raw()) as usize }
    }

    /// Sets the key; the software implementation checks it as usual (same errno).
    pub(crate) fn set_key(&mut self, key: &[u8]) -> Result {
        let len = u32::try_from(key.len()).map_err(|_| EINVAL)?;
        // SAFETY: The transform is live (type invariant); `key` holds `len` bytes.
        to_result(unsafe { bindings::vcrs_soft_hash_setkey(self.as_raw(), key.as_ptr(), len) })
    }

    /// The digest of `data` into `out`, which must hold [`Self::digest_size`] bytes.
    pub(crate) fn digest(&self, data: &[u8], out: &mut [u8]) -> Result {
        if out.len() < self.digest_size() {
            return Err(EINVAL);
        }
        let len = u32::try_from(data.len()).map_err(|_| EINVAL)?;
        // SAFETY: The transform is live; `data` holds `len` bytes and `out` the digest.
        to_result(unsafe {
            bindings::vcrs_soft_hash_digest_buf(self.as_raw(), data.as_ptr(), len, out.as_mut_ptr())
        })
    }
}

impl Drop for SoftHash {
    fn drop(&mut self) {
        // SAFETY: The transform is live and ours (type invariant); freed once. Freeing
        // wipes its key (`kfree_sensitive`).
        unsafe { bindings::vcrs_soft_hash_free(self.as_raw()) };
    }
}
