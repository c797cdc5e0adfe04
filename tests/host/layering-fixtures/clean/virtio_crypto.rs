// SPDX-License-Identifier: GPL-2.0
// The crate root is above every layer; every module but kernel_api refuses unsafe code.
#[path = "virtio_crypto/driver/mod.rs"]
#[forbid(unsafe_code)]
mod driver;
#[path = "virtio_crypto/kernel_api/mod.rs"]
mod kernel_api;
#[deny(unsafe_code)]
pub(crate) mod util;
use driver::Module;
use crate::{ahash, skcipher::Mode};
