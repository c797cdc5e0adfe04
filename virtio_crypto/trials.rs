// SPDX-License-Identifier: GPL-2.0

//! What a device accepted in its trial sessions: for each cipher, the key lengths it took.
//! A cipher counts as served if it took at least one; the other lengths go to software.

use core::sync::atomic::{AtomicBool, AtomicU16, Ordering};

/// Cipher algorithm numbers results are kept for (the specification's go up to 13).
const MAX_CIPHER_ALGO: usize = 32;

/// The bit of a key length in a mask (lengths are multiples of 8 bytes up to 120), or
/// `None`.
fn key_bit(len: usize) -> Option<u16> {
    let n = (len % 8 == 0).then_some(len / 8)?;
    1u16.checked_shl(u32::try_from(n).ok()?)
}

/// Trial results of one device.
pub(crate) struct TrialResults {
    /// Whether the trials ran (once, when the device is first ready).
    tried: AtomicBool,
    /// Per cipher (index = device algorithm number): bit `n` stands for `8 * n`-byte keys.
    cipher_keys: [AtomicU16; MAX_CIPHER_ALGO],
}

impl TrialResults {
    /// No trials yet.
    pub(crate) const fn new() -> Self {
        Self {
            tried: AtomicBool::new(false),
            cipher_keys: [const { AtomicU16::new(0) }; MAX_CIPHER_ALGO],
        }
    }

    /// Whether the trials still have to run; true only for the first caller.
    pub(crate) fn take_turn(&self) -> bool {
        !self.tried.swap(true, Ordering::AcqRel)
    }

    fn mask(&self, algo: u32) -> Option<&AtomicU16> {
        self.cipher_keys.get(usize::try_from(algo).ok()?)
    }

    /// Records that cipher `algo` accepted (`true`) or refused a key of `len` bytes;
    /// returns whether the result could be recorded as accepted.
    pub(crate) fn record(&self, algo: u32, len: usize, accepted: bool) -> bool {
        match (self.mask(algo), key_bit(len)) {
            (Some(mask), Some(bit)) if accepted => {
                mask.fetch_or(bit, Ordering::AcqRel);
                true
            }
            _ => false,
        }
    }

    /// Whether cipher `algo` accepted at least one key length.
    pub(crate) fn serves(&self, algo: u32) -> bool {
        self.mask(algo)
            .is_some_and(|m| m.load(Ordering::Acquire) != 0)
    }

    /// Whether cipher `algo` accepted keys of `len` bytes.
    pub(crate) fn accepts(&self, algo: u32, len: usize) -> bool {
        let accepted = self.mask(algo).map_or(0, |m| m.load(Ordering::Acquire));
        key_bit(len).is_some_and(|b| accepted & b != 0)
    }
}
