// SPDX-License-Identifier: GPL-2.0

//! virtio-crypto-rs: a driver for the virtio crypto device (virtio device id 20).
//!
//! It binds virtio crypto devices, negotiates and validates their configuration, creates
//! sessions on the control queue, submits requests on the data queues, and offers the
//! device's ciphers to the kernel through the Crypto API.
//!
//! Layering (see `Documentation/virtio-crypto-rs.rst`):
//! - [`wire`]: the wire format, plain data, unit-tested on the host;
//! - [`sys`]: thin safe abstractions over the C APIs the 6.12 `kernel` crate lacks;
//! - [`xts`]: XTS ciphertext stealing, plain computation, unit-tested on the host;
//! - [`control`], [`dataq`], [`device`], [`readiness`], [`registry`], [`sessions`],
//!   [`trials`], [`cipher`], [`xts_steal`], [`catalog`], [`driver`]:
//!   the driver.

use kernel::{c_str, prelude::*};

#[path = "virtio_crypto/catalog.rs"]
mod catalog;
#[path = "virtio_crypto/cipher.rs"]
mod cipher;
#[path = "virtio_crypto/control.rs"]
mod control;
#[path = "virtio_crypto/dataq.rs"]
mod dataq;
#[path = "virtio_crypto/device.rs"]
mod device;
#[path = "virtio_crypto/driver.rs"]
mod driver;
#[path = "virtio_crypto/readiness.rs"]
mod readiness;
#[path = "virtio_crypto/registry.rs"]
mod registry;
#[path = "virtio_crypto/sessions.rs"]
mod sessions;
#[path = "virtio_crypto/slots.rs"]
mod slots;
#[path = "virtio_crypto/sys/mod.rs"]
mod sys;
#[path = "virtio_crypto/trials.rs"]
mod trials;
#[path = "virtio_crypto/wire.rs"]
mod wire;
#[path = "virtio_crypto/wire_layout.rs"]
mod wire_layout;
#[path = "virtio_crypto/xts.rs"]
mod xts;
#[path = "virtio_crypto/xts_steal.rs"]
mod xts_steal;

module! {
    type: VirtioCryptoModule,
    name: "virtio_crypto_rs",
    author: "virtio-crypto-rs developers",
    description: "Virtio crypto device driver, in Rust",
    license: "GPL",
    alias: ["virtio:d00000014v*"],
}

/// The loaded module: the registered virtio driver, with everything it owns.
struct VirtioCryptoModule {
    _driver: Pin<KBox<sys::virtio::Registration<driver::VirtioCryptoDriver>>>,
}

impl kernel::Module for VirtioCryptoModule {
    fn init(module: &'static ThisModule) -> Result<Self> {
        let state = driver::VirtioCryptoDriver::new(module)?;
        let registration = sys::virtio::Registration::new(
            c_str!("virtio_crypto_rs"),
            sys::bindings::VIRTIO_ID_CRYPTO,
            state,
            module,
        )?;
        Ok(Self {
            _driver: registration,
        })
    }
}
