// SPDX-License-Identifier: GPL-2.0

//! The virtio driver: binds devices and ties the layers together ([`virtio_driver`]).

#[path = "virtio_driver.rs"]
pub(crate) mod virtio_driver;

pub(crate) use virtio_driver::VirtioCryptoModule;
