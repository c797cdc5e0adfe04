// SPDX-License-Identifier: GPL-2.0

//! Key material: one type for every copy of a key the driver keeps, wiped when dropped.

use super::bindings;
use kernel::prelude::*;

/// Erases `buf` in a way the compiler cannot elide (`memzero_explicit`).
pub(crate) fn wipe(buf: &mut [u8]) {
    // SAFETY: `buf` is writable for `buf.len()` bytes.
    unsafe { bindings::vcrs_memzero_explicit(buf.as_mut_ptr().cast(), buf.len()) };
}

/// A copy of key material in kmalloc memory (so it can go to a device), wiped on drop.
pub(crate) struct SecretKey {
    bytes: KVec<u8>,
}

impl SecretKey {
    /// Copies `key`. Process context (`GFP_KERNEL`).
    pub(crate) fn copy(key: &[u8]) -> Result<Self> {
        let mut bytes = KVec::with_capacity(key.len(), GFP_KERNEL)?;
        bytes.extend_from_slice(key, GFP_KERNEL)?;
        Ok(Self { bytes })
    }

    /// Copies the concatenation of `parts` (for example a cipher key and an
    /// authentication key). Process context.
    pub(crate) fn concat(parts: &[&[u8]]) -> Result<Self> {
        let len = parts.iter().map(|p| p.len()).sum();
        let mut bytes = KVec::with_capacity(len, GFP_KERNEL)?;
        for part in parts {
            bytes.extend_from_slice(part, GFP_KERNEL)?;
        }
        Ok(Self { bytes })
    }

    /// The key's bytes.
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The key's length in bytes.
    pub(crate) fn len(&self) -> usize {
        self.bytes.len()
    }
}

impl Drop for SecretKey {
    fn drop(&mut self) {
        wipe(&mut self.bytes);
    }
}

/// Whether `a` and `b` differ, compared in time independent of where they differ
/// (`crypto_memneq`), as authentication tags must be. Slices of different lengths differ.
pub(crate) fn differs(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return true;
    }
    // SAFETY: Both slices are readable for `a.len()` bytes.
    unsafe { bindings::vcrs_crypto_memneq(a.as_ptr().cast(), b.as_ptr().cast(), a.len()) }
}
