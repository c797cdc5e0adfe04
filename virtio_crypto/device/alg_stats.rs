// SPDX-License-Identifier: GPL-2.0

//! Where each algorithm's requests ran: how many went to a device, and how many ran in
//! software and why. One line per algorithm in debugfs `virtio_crypto_rs/algorithms`, so
//! that a user (and every test) can tell the device's work from the software fallback's.

use super::sync_costs::{Learned, SyncCosts};
use crate::{kernel_api::debugfs::SeqWriter, wire::Direction};
use core::{
    fmt::Write,
    sync::atomic::{AtomicBool, AtomicU64, Ordering},
};
use kernel::{prelude::*, str::CStr};

/// Why a request ran in software instead of on a device.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Fallback {
    /// No device, or the transform's device is not ready (`HW_READY` clear, suspended,
    /// being reset, removed).
    NotReady = 0,
    /// The key has no open session on the device: refused (no room), still being opened,
    /// dropped, or lost (not re-created after a reset or restore).
    NoSession = 1,
    /// The device could not take the request now (ring full for a request that may not
    /// wait).
    Busy = 2,
    /// Beyond what the device takes: a request larger than its `max_size`, a key length
    /// or tag length it refuses, an IV or length only the generic code judges, a message
    /// that outgrew a hash request's buffer or was exported.
    Limits = 3,
    /// The `force_software` module parameter is set.
    Forced = 4,
    /// A synchronous waiter's request small enough to finish sooner in software than the
    /// device's round trip (`sync_software_below`, [`super::sync_costs`]).
    Small = 5,
}

/// Number of [`Fallback`] reasons.
const FALLBACKS: usize = 6;

/// The reasons' names in debugfs, by number.
const FALLBACK_NAMES: [&str; FALLBACKS] = [
    "not_ready",
    "no_session",
    "busy",
    "limits",
    "forced",
    "small",
];

// Every reason has a counter and a name.
const _: () = assert!(Fallback::Small as usize + 1 == FALLBACKS);

impl Fallback {
    /// The reason a device's refusal of a request (`CryptoDevice::offer`) with `err`
    /// stands for.
    pub(crate) fn from_offer_error(err: Error) -> Self {
        if err == EINVAL {
            Self::Limits
        } else if err == ENODEV || err == EIO {
            Self::NotReady
        } else {
            Self::Busy
        }
    }
}

/// The request counters of one algorithm, kept for the module's lifetime (they live in the
/// algorithm's static description). Any context.
pub(crate) struct AlgStats {
    registered: AtomicBool,
    device: AtomicU64,
    software: [AtomicU64; FALLBACKS],
    /// What the small-request policy measured of this algorithm.
    pub(crate) sync_costs: SyncCosts,
}

/// A zero counter, to fill the array of a `const` constructor.
#[allow(clippy::declare_interior_mutable_const)]
const ZERO: AtomicU64 = AtomicU64::new(0);

impl AlgStats {
    /// Counters at zero, for a static algorithm description.
    pub(crate) const fn new() -> Self {
        Self {
            registered: AtomicBool::new(false),
            device: ZERO,
            software: [ZERO; FALLBACKS],
            sync_costs: SyncCosts::new(),
        }
    }

    /// Counts one request sent to a device.
    pub(crate) fn on_device(&self) {
        self.device.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts one request run in software, for `why`.
    pub(crate) fn in_software(&self, why: Fallback) {
        if let Some(counter) = self.software.get(why as usize) {
            counter.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Records whether the algorithm is registered with the Crypto API now.
    pub(crate) fn set_registered(&self, registered: bool) {
        self.registered.store(registered, Ordering::Relaxed);
    }

    /// Writes `<driver> <name> registered 0|1 device N software M` and then each reason's
    /// count (`not_ready N no_session N busy N limits N forced N small N`; `software` is
    /// their sum), then from which size a synchronous waiter's requests measured faster on
    /// the device (`sync_device_from_enc B sync_device_from_dec B`: bytes, `never`, or `-`
    /// while unmeasured), on one line.
    pub(crate) fn show(
        &self,
        out: &mut SeqWriter<'_>,
        driver_name: &CStr,
        name: &CStr,
    ) -> core::fmt::Result {
        let software = self.software.each_ref().map(|c| c.load(Ordering::Relaxed));
        write!(
            out,
            "{} {} registered {} device {} software {}",
            driver_name.to_str().unwrap_or("?"),
            name.to_str().unwrap_or("?"),
            u8::from(self.registered.load(Ordering::Relaxed)),
            self.device.load(Ordering::Relaxed),
            software.iter().sum::<u64>()
        )?;
        for (count, why) in software.iter().zip(FALLBACK_NAMES) {
            write!(out, " {} {}", why, count)?;
        }
        for (dir, name) in [(Direction::Encrypt, "enc"), (Direction::Decrypt, "dec")] {
            match self.sync_costs.device_from(dir) {
                Learned::From(bytes) => write!(out, " sync_device_from_{} {}", name, bytes)?,
                Learned::Never => write!(out, " sync_device_from_{} never", name)?,
                Learned::Unmeasured => write!(out, " sync_device_from_{} -", name)?,
            }
        }
        writeln!(out)
    }
}
