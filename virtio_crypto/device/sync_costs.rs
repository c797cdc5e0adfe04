// SPDX-License-Identifier: GPL-2.0

//! Whether a small request of a synchronous waiter runs faster in software than on the
//! device (the `sync_software_below` module parameter).
//!
//! A submitter that sleeps until its request completes (`crypto_wait_req`: AF_ALG,
//! keyctl, PBKDF2 in user space over AF_ALG) pays the device's whole round trip for each
//! request: notification, the device's work, interrupt, completion. For a small request
//! that costs more than the CPU would have spent computing it. With the default policy
//! (`-1`) the driver measures both, per algorithm, direction and size class (powers of
//! two from 16 bytes to 64 KiB and more): the device's time from offering a request to its
//! answer (divided by one more than the timed requests of its class in flight ahead of
//! it: when a submitter overlaps its requests, what each costs), and the software implementation's time for the whole
//! request. A request goes where the measured mean (an exponentially weighted one) is
//! lower; the first [`SETTLE`] of a class alternate between the device and software (the
//! first to the device), and one in
//! [`EXPLORE_EVERY`] or more ([`explore_every`]) goes to the slower side so that its mean
//! stays current. Submitters with callbacks of their own (dm-crypt, IPsec, AF_ALG's
//! asynchronous I/O) overlap their requests and always get the device; so do the kernel's
//! self-tests of an algorithm (its requests before `CRYPTO_ALG_TESTED`).

use crate::{
    kernel_api::{crypto::AsyncRequest, job::LatencySink, sync_software_below, SyncSoftware},
    wire::Direction,
};
use core::sync::atomic::{AtomicU32, AtomicU64, Ordering};

/// Size classes: class `k` holds requests of `2^(k + 4)` bytes up to the next power of two;
/// the last one everything from 64 KiB.
const CLASSES: usize = 13;

/// At least one request in this many of a class goes to the side measured slower.
const EXPLORE_EVERY: u32 = 256;

/// How often a class tries the side measured slower: every [`EXPLORE_EVERY`] requests,
/// or less often when that side is much slower, so that trying it adds at most about a
/// sixteenth to the faster side's mean (`16 * slower / faster` requests apart).
fn explore_every(software: u32, device: u32) -> u32 {
    let (fast, slow) = (software.min(device).max(1), software.max(device));
    (slow / fast)
        .saturating_mul(16)
        .clamp(EXPLORE_EVERY, 1 << 16)
}

/// One request in this many of those a class runs in software is timed.
const MEASURE_EVERY: u32 = 16;

/// A class's first decisions alternate between the device and software, each measured,
/// before the means decide.
const SETTLE: u32 = 16;

/// The class of a request of `len` bytes.
fn class_of(len: usize) -> usize {
    let log2 = (usize::BITS - 1).saturating_sub(len.max(1).leading_zeros()) as usize;
    log2.clamp(4, 4 + CLASSES - 1) - 4
}

/// The smallest length of class `class`.
fn class_floor(class: usize) -> usize {
    1 << (class + 4)
}

/// A weighted mean of measured times, in nanoseconds (0: nothing measured yet). Updates
/// race benignly: a lost update loses one measurement.
struct MeanNs(AtomicU32);

impl MeanNs {
    const fn new() -> Self {
        Self(AtomicU32::new(0))
    }

    /// The mean, 0 while nothing was measured.
    fn get(&self) -> u32 {
        self.0.load(Ordering::Relaxed)
    }

    /// Moves the mean an eighth of the way to `ns` (the first measurement sets it); a
    /// `settling` mean (one of a class still in its first [`SETTLE`] decisions) moves half
    /// the way, so that a first measurement inflated by cold code (under TCG, the first
    /// run of a path includes translating it) does not decide for long.
    fn record(&self, ns: u64, settling: bool) {
        let ns = u32::try_from(ns).unwrap_or(u32::MAX).max(1);
        let old = self.get();
        let weight = if settling { 2 } else { 8 };
        let new = if old == 0 {
            ns
        } else {
            let old = i64::from(old);
            (old + (i64::from(ns) - old) / weight).clamp(1, i64::from(u32::MAX)) as u32
        };
        self.0.store(new, Ordering::Relaxed);
    }
}

/// The measurements of one size class.
struct ClassCosts {
    device: MeanNs,
    software: MeanNs,
    /// Requests decided in this class (for the exploration).
    decided: AtomicU32,
    /// Timed requests of this class on a device now.
    timed: AtomicU64,
}

impl LatencySink for ClassCosts {
    fn offered(&self) -> u64 {
        self.timed.fetch_add(1, Ordering::Relaxed)
    }

    /// Records the device's time per request: `ns` divided by one more than the requests
    /// of this class that were in flight ahead of it (a submitter that overlaps its
    /// requests, as tcrypt's `num_mb` does, pays that share of each; other submitters'
    /// requests ahead of it are part of its round trip).
    fn answered(&self, ns: u64, ahead: u64) {
        self.timed.fetch_sub(1, Ordering::Relaxed);
        self.device
            .record(ns / ahead.saturating_add(1), self.settling());
    }

    fn abandoned(&self) {
        self.timed.fetch_sub(1, Ordering::Relaxed);
    }
}

impl ClassCosts {
    const fn new() -> Self {
        Self {
            device: MeanNs::new(),
            software: MeanNs::new(),
            decided: AtomicU32::new(0),
            timed: AtomicU64::new(0),
        }
    }

    /// Whether the class is still in its first [`SETTLE`] decisions.
    fn settling(&self) -> bool {
        self.decided.load(Ordering::Relaxed) <= SETTLE
    }

    /// Whether the next request of this class runs in software, and whether its time is
    /// to be measured.
    fn software_next(&self) -> (bool, bool) {
        // Counted without a locked instruction: a lost count only moves the exploration.
        let n = self.decided.load(Ordering::Relaxed);
        self.decided.store(n.wrapping_add(1), Ordering::Relaxed);
        let (device, software) = (self.device.get(), self.software.get());
        if device == 0 {
            return (false, true);
        }
        if software == 0 || n < SETTLE {
            return (n % 2 == 1, true);
        }
        let explore = n % explore_every(software, device) == 0;
        let software_next = (software < device) != explore;
        // Software's time is steady: one request in MEASURE_EVERY keeps its mean. The
        // device's changes with what else is in flight: each one is measured.
        let measure = !software_next || explore || n % MEASURE_EVERY == 0;
        (software_next, measure)
    }
}

/// The measurements of one direction of one algorithm.
struct DirectionCosts([ClassCosts; CLASSES]);

/// The measurements of one algorithm, both directions (a hash uses one). They live in the
/// algorithm's static description ([`super::alg_stats::AlgStats`]).
pub(crate) struct SyncCosts([DirectionCosts; 2]);

/// A fresh class, to fill the arrays of a `const` constructor.
#[allow(clippy::declare_interior_mutable_const)]
const CLASS: ClassCosts = ClassCosts::new();

impl SyncCosts {
    /// Nothing measured yet.
    pub(crate) const fn new() -> Self {
        Self([
            DirectionCosts([CLASS; CLASSES]),
            DirectionCosts([CLASS; CLASSES]),
        ])
    }

    fn direction(&self, dir: Direction) -> &DirectionCosts {
        let [encrypt, decrypt] = &self.0;
        match dir {
            Direction::Encrypt => encrypt,
            Direction::Decrypt => decrypt,
        }
    }

    /// Where the device measured faster than software in direction `dir` for a
    /// synchronous waiter: what debugfs shows as the learned threshold.
    pub(crate) fn device_from(&self, dir: Direction) -> Learned {
        let mut learned = Learned::Unmeasured;
        for (class, costs) in self.direction(dir).0.iter().enumerate().rev() {
            let (device, software) = (costs.device.get(), costs.software.get());
            if device == 0 || software == 0 {
                continue;
            }
            if device > software {
                break;
            }
            // Class 0 holds everything below 32 bytes.
            learned = Learned::From(if class == 0 { 0 } else { class_floor(class) });
        }
        if learned == Learned::Unmeasured
            && self
                .direction(dir)
                .0
                .iter()
                .any(|c| c.device.get() != 0 && c.software.get() != 0)
        {
            return Learned::Never;
        }
        learned
    }
}

/// What the measurements of one direction say (see [`SyncCosts::device_from`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Learned {
    /// No size class has both measurements yet.
    Unmeasured,
    /// Software measured faster in the largest class with both measurements.
    Never,
    /// From this many bytes up, every size class with both measurements measured the
    /// device faster.
    From(usize),
}

/// What the policy decided for one request, and what it wants measured.
pub(crate) struct SyncDecision {
    /// The request runs in software because it is small.
    pub(crate) software: bool,
    /// Where its time goes (only under the measured policy, for a synchronous waiter).
    measure: Option<&'static ClassCosts>,
}

impl SyncDecision {
    /// The device, unmeasured: for requests no policy applies to (a driver's own probe).
    pub(crate) fn device_only() -> Self {
        Self {
            software: false,
            measure: None,
        }
    }

    /// Decides for a request of `len` bytes in direction `dir` of the algorithm whose
    /// measurements are `costs`.
    pub(crate) fn new(
        costs: &'static SyncCosts,
        dir: Direction,
        len: usize,
        req: &AsyncRequest,
    ) -> Self {
        let offload = Self {
            software: false,
            measure: None,
        };
        match sync_software_below() {
            SyncSoftware::Never => offload,
            // The kernel's self-tests of the algorithm wait for each request: they check
            // the device, whatever is faster.
            _ if !req.has_synchronous_waiter() || !req.alg_tested() => offload,
            SyncSoftware::Below(limit) => Self {
                software: len < limit,
                measure: None,
            },
            SyncSoftware::Measured => {
                let classes = &costs.direction(dir).0;
                match classes.get(class_of(len)).or(classes.last()) {
                    Some(class) => {
                        let (software, measure) = class.software_next();
                        Self {
                            software,
                            measure: measure.then_some(class),
                        }
                    }
                    None => offload,
                }
            }
        }
    }

    /// Where the device's answer time goes, if measured.
    pub(crate) fn device_sink(&self) -> Option<&'static dyn LatencySink> {
        self.measure.map(|c| c as &'static dyn LatencySink)
    }

    /// Runs `software` (the request, in software), measuring its time if wanted.
    pub(crate) fn time_software<R>(&self, software: impl FnOnce() -> R) -> R {
        let Some(class) = self.measure.filter(|_| self.software) else {
            return software();
        };
        let start = crate::kernel_api::now_ns();
        let result = software();
        class.software.record(
            crate::kernel_api::now_ns().saturating_sub(start),
            class.settling(),
        );
        result
    }
}
