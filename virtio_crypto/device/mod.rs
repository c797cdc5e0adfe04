// SPDX-License-Identifier: GPL-2.0

//! Devices: one bound device with its queues, sessions and trial results
//! ([`crypto_device`]), its
//! `HW_READY` bit ([`readiness`]), the list of bound devices transforms pick from
//! ([`registry`]), the device a transform runs on ([`tfm_device`]), a keyed transform's
//! sessions on its device ([`tfm_sessions`]), and where operations ran ([`op_counters`]).

#[path = "crypto_device.rs"]
pub(crate) mod crypto_device;
#[path = "op_counters.rs"]
pub(crate) mod op_counters;
#[path = "readiness.rs"]
pub(crate) mod readiness;
#[path = "registry.rs"]
pub(crate) mod registry;
#[path = "tfm_device.rs"]
pub(crate) mod tfm_device;
#[path = "tfm_sessions.rs"]
pub(crate) mod tfm_sessions;
#[path = "trials.rs"]
pub(crate) mod trials;

pub(crate) use crypto_device::CryptoDevice;
