// SPDX-License-Identifier: GPL-2.0

//! What a device accepted in its trial sessions, keyed by session kind (service and
//! algorithm; for chaining, the cipher and MAC pair): for each, which of the algorithm's
//! trial keys ([`KeySizes`]) it took. An algorithm counts as served if the device took at
//! least one; key lengths it refused go to software.

use crate::{session::spec::SessionKind, wire::service};
use core::sync::atomic::{AtomicBool, AtomicU16, Ordering};

/// Rows of results: one per service (the specification's go up to `AKCIPHER`), and one for
/// chained pairs.
const ROWS: usize = service::AKCIPHER as usize + 2;

/// The row of chained pairs.
const CHAIN_ROW: usize = ROWS - 1;

/// Results kept per row: algorithm numbers (masks are at most 64 bits wide), or for
/// chained pairs `mac_algo * 16 + cipher_algo` (HMACs are 1..6, ciphers below 16).
const ALGOS: usize = 128;

/// Where the results of a session kind are kept, if anywhere.
fn slot_of(kind: &SessionKind) -> Option<(usize, usize)> {
    match *kind {
        SessionKind::Chain { algo, chain } => {
            let cipher = usize::try_from(algo).ok().filter(|&a| a < 16)?;
            let mac = usize::try_from(chain.mac_algo).ok()?;
            Some((CHAIN_ROW, mac.checked_mul(16)?.checked_add(cipher)?))
        }
        _ => Some((
            usize::try_from(kind.service()).ok()?,
            usize::try_from(kind.algo()).ok()?,
        )),
    }
}

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
    accepted: [[AtomicU16; ALGOS]; ROWS],
}

impl TrialResults {
    /// No trials yet.
    pub(crate) const fn new() -> Self {
        Self {
            tried: AtomicBool::new(false),
            accepted: [const { [const { AtomicU16::new(0) }; ALGOS] }; ROWS],
        }
    }

    /// Whether the trials still have to run; true only for the first caller.
    pub(crate) fn take_turn(&self) -> bool {
        !self.tried.swap(true, Ordering::AcqRel)
    }

    fn mask(&self, kind: &SessionKind) -> Option<&AtomicU16> {
        let (row, index) = slot_of(kind)?;
        self.accepted.get(row)?.get(index)
    }

    /// Records that the `trial`-th trial key of sessions of `kind` was accepted.
    pub(crate) fn record(&self, kind: &SessionKind, trial: usize) {
        let bit = u32::try_from(trial).ok().and_then(|t| 1u16.checked_shl(t));
        if let (Some(mask), Some(bit)) = (self.mask(kind), bit) {
            mask.fetch_or(bit, Ordering::AcqRel);
        }
    }

    /// Whether sessions of `kind` accepted at least one trial key.
    pub(crate) fn serves(&self, kind: &SessionKind) -> bool {
        self.mask(kind)
            .is_some_and(|m| m.load(Ordering::Acquire) != 0)
    }

    /// Whether sessions of `kind`, whose keys are `sizes`, accepted keys of `len` bytes.
    pub(crate) fn accepts(&self, kind: &SessionKind, sizes: &KeySizes, len: usize) -> bool {
        let accepted = self.mask(kind).map_or(0, |m| m.load(Ordering::Acquire));
        sizes
            .trial_for(len)
            .and_then(|t| u32::try_from(t).ok())
            .and_then(|t| 1u16.checked_shl(t))
            .is_some_and(|bit| accepted & bit != 0)
    }
}
