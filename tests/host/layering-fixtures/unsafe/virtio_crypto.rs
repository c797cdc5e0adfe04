// SPDX-License-Identifier: GPL-2.0
// Modules that may hold unsafe code outside kernel_api.
#[path = "virtio_crypto/kernel_api/mod.rs"]
mod kernel_api;
#[path = "virtio_crypto/util/mod.rs"]
mod util;
#[allow(unsafe_code)]
#[path = "virtio_crypto/wire/mod.rs"]
mod wire;
#[forbid(unsafe_code)]
mod device;
