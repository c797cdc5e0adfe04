// SPDX-License-Identifier: GPL-2.0

//! What a device accepted in its trial sessions, keyed by service and algorithm: for each,
//! which of the algorithm's trial keys ([`KeySizes`]) it took. An algorithm counts as
//! served if the device took at least one; key lengths it refused go to software.

use crate::wire::service;
use core::sync::atomic::{AtomicBool, AtomicU16, Ordering};

/// Services results are kept for (the specification's go up to `AKCIPHER`).
const SERVICES: usize = service::AKCIPHER as usize + 1;

/// Algorithm numbers results are kept for, per service (masks are at most 64 bits wide).
const ALGOS: usize = 64;

/// The key lengths an algorithm takes, and which ones trial sessions try.
#[derive(Clone, Copy, Debug)]
pub(crate) enum KeySizes {
    /// No key (plain hashes): one trial without a key.
    None,
    /// Exactly these lengths (ciphers, AEAD): one trial each; at most 16.
    Each(&'static [usize]),
    /// Any length from `min` to `max` bytes (HMAC keys, RSA keys), confirmed with one trial
    /// key of `trial` bytes: a device that takes it is taken to take the range, within its
    /// configuration's limit.
    Range {
        /// Shortest key.
        min: usize,
        /// Longest key.
        max: usize,
        /// Length of the trial key.
        trial: usize,
    },
}

impl KeySizes {
    /// The lengths of the trial keys, in trial order; a range's trial key is shortened to
    /// `limit` (the device's longest key) if need be, so that a device with a low limit is
    /// asked about keys it may take.
    pub(crate) fn trials(&self, limit: usize) -> impl Iterator<Item = usize> + '_ {
        let (each, single): (&[usize], Option<usize>) = match *self {
            Self::None => (&[], Some(0)),
            Self::Each(lens) => (lens, None),
            Self::Range { min, trial, .. } => (&[], Some(trial.min(limit).max(min))),
        };
        each.iter().copied().take(16).chain(single)
    }

    /// The trial that decides whether a key of `len` bytes is taken, if `len` is valid.
    fn trial_for(&self, len: usize) -> Option<usize> {
        match *self {
            Self::None => (len == 0).then_some(0),
            Self::Each(lens) => lens.iter().take(16).position(|&l| l == len),
            Self::Range { min, max, .. } => (min..=max).contains(&len).then_some(0),
        }
    }
}

/// Trial results of one device.
pub(crate) struct TrialResults {
    /// Whether the trials ran (once, when the device is first ready).
    tried: AtomicBool,
    /// Per service and algorithm: bit `i` stands for the `i`-th trial key.
    accepted: [[AtomicU16; ALGOS]; SERVICES],
}

impl TrialResults {
    /// No trials yet.
    pub(crate) const fn new() -> Self {
        Self {
            tried: AtomicBool::new(false),
            accepted: [const { [const { AtomicU16::new(0) }; ALGOS] }; SERVICES],
        }
    }

    /// Whether the trials still have to run; true only for the first caller.
    pub(crate) fn take_turn(&self) -> bool {
        !self.tried.swap(true, Ordering::AcqRel)
    }

    fn mask(&self, service: u32, algo: u32) -> Option<&AtomicU16> {
        self.accepted
            .get(usize::try_from(service).ok()?)?
            .get(usize::try_from(algo).ok()?)
    }

    /// Records that the `trial`-th trial key of (`service`, `algo`) was accepted.
    pub(crate) fn record(&self, service: u32, algo: u32, trial: usize) {
        let bit = u32::try_from(trial).ok().and_then(|t| 1u16.checked_shl(t));
        if let (Some(mask), Some(bit)) = (self.mask(service, algo), bit) {
            mask.fetch_or(bit, Ordering::AcqRel);
        }
    }

    /// Whether (`service`, `algo`) accepted at least one trial key.
    pub(crate) fn serves(&self, service: u32, algo: u32) -> bool {
        self.mask(service, algo)
            .is_some_and(|m| m.load(Ordering::Acquire) != 0)
    }

    /// Whether (`service`, `algo`), whose keys are `sizes`, accepted keys of `len` bytes.
    pub(crate) fn accepts(&self, service: u32, algo: u32, sizes: &KeySizes, len: usize) -> bool {
        let accepted = self
            .mask(service, algo)
            .map_or(0, |m| m.load(Ordering::Acquire));
        sizes
            .trial_for(len)
            .and_then(|t| u32::try_from(t).ok())
            .and_then(|t| 1u16.checked_shl(t))
            .is_some_and(|bit| accepted & bit != 0)
    }
}
