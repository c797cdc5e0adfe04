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

/// What [`change_shared`] did.
pub(crate) struct Changed {
    /// The slot holds a fresh value (none of the earlier changes are in it), or none at
    /// all (no value could be made).
    pub(crate) lost_earlier: bool,
    /// The change's result.
    pub(crate) result: Result,
}

/// Applies `change` to the value in `slot`: in place if nothing else holds it, else to a
/// value `fresh` makes (also when the slot is empty). The slot holds the value afterwards,
/// also when `change` failed, unless `fresh` failed.
pub(crate) fn change_shared<T: Unpin>(
    slot: &mut Option<Arc<T>>,
    fresh: impl FnOnce() -> Result<T>,
    change: impl FnOnce(&mut T) -> Result,
) -> Changed {
    let made = match slot.take().and_then(Arc::into_unique_or_drop) {
        Some(unique) => Ok((Pin::into_inner(unique), false)),
        None => fresh().and_then(|v| Ok((UniqueArc::new(v, GFP_KERNEL)?, true))),
    };
    let (mut value, is_fresh) = match made {
        Ok(made) => made,
        Err(e) => {
            return Changed {
                lost_earlier: true,
                result: Err(e),
            }
        }
    };
    let result = change(&mut value);
    *slot = Some(value.into());
    Changed {
        lost_earlier: is_fresh,
        result,
    }
}
