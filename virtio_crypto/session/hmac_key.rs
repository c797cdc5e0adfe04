// SPDX-License-Identifier: GPL-2.0

//! HMAC keys as a device's sessions take them, for the hash service's HMACs and authenc's.

use crate::kernel_api::crypto::soft_hash::SoftHash;
use kernel::{prelude::*, str::CStr};

/// Largest digest any algorithm has, in bytes (`HASH_MAX_DIGESTSIZE`).
pub(crate) const MAX_DIGEST: usize = 64;

/// The HMAC key equivalent to `key` for the hash `inner`: `key` itself, or its digest
/// (written to `digest`) when it is longer than the hash's block size, as RFC 2104 says
/// (a device may take no longer keys). Process context.
pub(crate) fn hmac_device_key<'a>(
    inner: &CStr,
    key: &'a [u8],
    digest: &'a mut [u8],
) -> Result<&'a [u8]> {
    let hash = SoftHash::new(inner)?;
    if key.len() <= hash.block_size() {
        return Ok(key);
    }
    let out = digest.get_mut(..hash.digest_size()).ok_or(EINVAL)?;
    hash.digest(key, out)?;
    Ok(out)
}
