// SPDX-License-Identifier: GPL-2.0
pub(crate) mod bindings;
use kernel::bindings as kb;
fn f() -> u32 { bindings::VIRTIO_F_VERSION_1 + kernel::bindings::GFP_KERNEL }
