// SPDX-License-Identifier: GPL-2.0
use crate::{catalog::device, kernel_api::lock::Lock};
use super::skcipher::modes::Mode; // super:: of a mod.rs, back into skcipher
pub(crate) fn f() -> [u8; crate::wire::MAX] { todo!() }
