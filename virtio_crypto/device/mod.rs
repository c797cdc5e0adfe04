// SPDX-License-Identifier: GPL-2.0

//! Devices: one bound device with its queues, sessions and trial results
//! ([`crypto_device`]), its
//! `HW_READY` bit ([`readiness`]), the list of bound devices transforms pick from
//! ([`registry`]), the device a transform runs on ([`tfm_device`]), a keyed transform's
//! sessions on its device ([`tfm_sessions`]), where operations ran, per device
//! ([`op_counters`]) and per algorithm ([`alg_stats`]), whether a synchronous waiter's small request runs
//! faster in software ([`sync_costs`]), and the watchdog that resets a
//! device that stops answering ([`watchdog`]).

#[path = "alg_stats.rs"]
pub(crate) mod alg_stats;
#[path = "crypto_device.rs"]
pub(crate) mod crypto_device;
#[path = "op_counters.rs"]
pub(crate) mod op_counters;
#[path = "readiness.rs"]
pub(crate) mod readiness;
#[path = "registry.rs"]
pub(crate) mod registry;
#[path = "sync_costs.rs"]
pub(crate) mod sync_costs;
#[path = "tfm_device.rs"]
pub(crate) mod tfm_device;
#[path = "tfm_sessions.rs"]
pub(crate) mod tfm_sessions;
#[path = "trials.rs"]
pub(crate) mod trials;
#[path = "watchdog.rs"]
pub(crate) mod watchdog;

pub(crate) use crypto_device::CryptoDevice;
