// SPDX-License-Identifier: GPL-2.0
//! kernel_api knows a device and a service.
use crate::{
    util::Slots,
    device::{
        CryptoDevice,
    },
};
#[macro_export]
macro_rules! lock_class {
    () => { $crate::kernel_api::Class::new() };
}
pub(crate) fn digest() -> [u8; crate::ahash::job::MAX_DIGEST] {
    [0; 64]
}
