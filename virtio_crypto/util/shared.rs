// SPDX-License-Identifier: GPL-2.0

//! Changing a value that requests in flight may share.
//!
//! A transform's software implementation is shared with its requests on the device (which
//! it serves if the device never answers), yet its key is set in place: the Crypto API
//! forbids setting a key while requests are in flight, so when a key is set the transform
//! normally holds the only reference and the value is changed in place. Should a request
//! still hold it, the change goes to a fresh value instead and the request keeps the old.

use kernel::{
    prelude::*,
    sync::{Arc, UniqueArc},
};

/// Applies `change` to the value in `slot`: in place if nothing else holds it, else to a
/// value `fresh` makes (also when the slot is empty). The slot holds the changed value
/// afterwards, also when `change` failed (its caller then treats the transform as keyless).
/// Returns whether the value is a fresh one (earlier changes are not in it).
pub(crate) fn change_shared<T: Unpin>(
    slot: &mut Option<Arc<T>>,
    fresh: impl FnOnce() -> Result<T>,
    change: impl FnOnce(&mut T) -> Result,
) -> Result<bool> {
    let (mut value, is_fresh) = match slot.take().and_then(Arc::into_unique_or_drop) {
        Some(unique) => (Pin::into_inner(unique), false),
        None => (UniqueArc::new(fresh()?, GFP_KERNEL)?, true),
    };
    let result = change(&mut value);
    *slot = Some(value.into());
    result.map(|()| is_fresh)
}
