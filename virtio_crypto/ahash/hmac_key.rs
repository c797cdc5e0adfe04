// SPDX-License-Identifier: GPL-2.0

//! HMAC keys as a device takes them.

use crate::kernel_api::crypto::soft_hash::SoftHash;
use kernel::{prelude::*, str::CStr};

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
