// SPDX-License-Identifier: GPL-2.0

//! virtio-crypto-rs: a driver for the virtio crypto device (virtio device id 20).
//!
//! It binds virtio crypto devices, negotiates and validates their configuration, creates
//! sessions on the control queue, submits requests on the data queues, and offers the
//! device's algorithms to the kernel through the Crypto API.
//!
//! Layers, from the bottom up (see `Documentation/design.rst`; a module uses only its own
//! layer and those below it, and no service uses another: `scripts/check-layering.py`):
//! - [`util`]: small shared containers;
//! - [`wire`]: the wire format, plain data, unit-tested on the host;
//! - [`kernel_api`]: the thin abstraction layer over the kernel's C APIs, the only module
//!   where `unsafe` code is allowed (every other one is declared `forbid(unsafe_code)`);
//! - [`transport`]: the control queue and the data queues, which carry jobs of any service;
//! - [`session`]: session descriptions and the sessions open on a device;
//! - [`device`]: one device, the bound devices, a transform's sessions on its device;
//! - [`catalog`]: algorithm families and their registrations;
//! - the services: [`skcipher`], the cipher family; [`ahash`], the hash and MAC family;
//!   [`aead`], the AEAD and authenc families; [`akcipher`], asymmetric keys (RSA, ECDSA verification);
//! - [`driver`]: the virtio driver and the module.

#[path = "virtio_crypto/aead/mod.rs"]
#[forbid(unsafe_code)]
mod aead;
#[path = "virtio_crypto/ahash/mod.rs"]
#[forbid(unsafe_code)]
mod ahash;
#[path = "virtio_crypto/akcipher/mod.rs"]
#[forbid(unsafe_code)]
mod akcipher;
#[path = "virtio_crypto/catalog/mod.rs"]
#[forbid(unsafe_code)]
mod catalog;
#[path = "virtio_crypto/device/mod.rs"]
#[forbid(unsafe_code)]
mod device;
#[path = "virtio_crypto/driver/mod.rs"]
#[forbid(unsafe_code)]
mod driver;
#[path = "virtio_crypto/kernel_api/mod.rs"]
mod kernel_api;
#[path = "virtio_crypto/session/mod.rs"]
#[forbid(unsafe_code)]
mod session;
#[path = "virtio_crypto/skcipher/mod.rs"]
#[forbid(unsafe_code)]
mod skcipher;
#[path = "virtio_crypto/transport/mod.rs"]
#[forbid(unsafe_code)]
mod transport;
#[path = "virtio_crypto/util/mod.rs"]
#[forbid(unsafe_code)]
mod util;
#[path = "virtio_crypto/wire/mod.rs"]
#[forbid(unsafe_code)]
mod wire;

use driver::VirtioCryptoModule;

// The module's version (`modinfo`'s `version:`) is `kernel_api::VERSION`: 6.12's `module!`
// has no key for it.
kernel_api::driver_module! {
    type: VirtioCryptoModule,
    name: "virtio_crypto_rs",
    author: "virtio-crypto-rs developers",
    description: "Virtio crypto device driver, in Rust",
    license: "GPL",
    alias: ["virtio:d00000014v*"],
}
