// SPDX-License-Identifier: GPL-2.0

//! A transform's sessions on its device. Device sessions are a cache, not a limit:
//!
//! - a direction's session is opened when the algorithm asks ([`TfmSessions::open_for_key`]:
//!   ciphers, MACs and AEADs when a key is set, hashes when the transform is created);
//! - a device that refuses the session (out of room, or a key it does not take) leaves the
//!   direction in software; a later request tries again once some session on the device
//!   was closed: at once when the request may sleep, else in a work item while that
//!   request (and the next ones, until the session is open) runs in software;
//! - the device counts its transforms by where they run ([`Placement`]).

use super::{
    alg_stats::Fallback,
    crypto_device::{CryptoDevice, Placement},
};
use crate::{
    kernel_api::irq_lock::IrqSpinLock,
    session::{book::DeviceSession, spec::SessionSpec},
    wire::Direction,
};
use core::sync::atomic::{AtomicBool, Ordering};
use kernel::{
    new_mutex,
    prelude::*,
    sync::{Arc, Mutex},
    workqueue::{impl_has_work, new_work, Work, WorkItem},
};

/// The state of one direction's session.
#[derive(Clone)]
enum SlotState {
    /// Not used yet.
    Unopened,
    /// A work item opens it; requests run in software meanwhile.
    Opening,
    /// Open on the device.
    Open(Arc<DeviceSession>),
    /// The device refused it when `closed` sessions had been closed on it: try again once
    /// more were.
    Refused { closed: u64 },
    /// Never on the device, for this reason: it does not take this key (its trial sessions
    /// refused the length, or its configuration's limit: `Limits`), it was not ready when
    /// the key was set (`NotReady`), or the key was dropped.
    Unsupported(Fallback),
}

/// Where a request runs.
pub(crate) enum Route {
    /// On the device, with this session.
    Device(Arc<DeviceSession>),
    /// In software, for this reason.
    Software(Fallback),
}

/// Where a transform runs, for the device's [`Placement`] counters.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Placed {
    Nowhere,
    Device,
    Software,
}

/// A transform's sessions: one per direction for kinds that have one
/// ([`crate::session::spec::SessionKind::has_direction`]), else one. The transform holds
/// them through a [`KeySessions`], which retires them when it drops.
#[pin_data]
pub(crate) struct TfmSessions {
    device: Arc<CryptoDevice>,
    spec: Arc<SessionSpec>,
    #[pin]
    encrypt: IrqSpinLock<SlotState>,
    #[pin]
    decrypt: IrqSpinLock<SlotState>,
    /// Serializes opening, closing and the placement counters. Process context only.
    #[pin]
    placed: Mutex<Placed>,
    /// Set when the transform dropped this key: nothing is opened any more.
    retired: AtomicBool,
    #[pin]
    work: Work<TfmSessions>,
}

impl_has_work! {
    impl HasWork<Self> for TfmSessions { self.work }
}

impl WorkItem for TfmSessions {
    type Pointer = Arc<TfmSessions>;

    fn run(this: Arc<TfmSessions>) {
        for dir in [Direction::Encrypt, Direction::Decrypt] {
            if matches!(*this.slot(dir).lock(), SlotState::Opening) {
                this.open(dir);
            }
        }
    }
}

/// A transform's hold on the sessions of its key: dropping it (the transform drops the key,
/// sets another, or goes) retires them, so a transform never leaves sessions open on the
/// device, also when setting a key fails half-way. Work items and requests hold the
/// sessions' `Arc` only. Dropped in process context (a transform's `setkey` and `exit`).
pub(crate) struct KeySessions(Arc<TfmSessions>);

impl core::ops::Deref for KeySessions {
    type Target = Arc<TfmSessions>;

    fn deref(&self) -> &Arc<TfmSessions> {
        &self.0
    }
}

impl Drop for KeySessions {
    fn drop(&mut self) {
        self.0.retire();
    }
}

impl TfmSessions {
    /// The sessions of a key described by `spec` on `device`, opened now in every
    /// direction the kind has if `on_device`: keys are set in process context, and the
    /// requests that follow may never sleep (tcrypt's speed loops, a busy AF_ALG user,
    /// IPsec): opened on first use, the sessions would wait for a work item that a CPU busy
    /// with such a loop does not run, and the requests would all go to software meanwhile.
    /// `on_device` false: the device does not take the key at all (every request runs in
    /// software, counted as not ready when the device is not ready now, else as beyond its
    /// limits). Process context.
    pub(crate) fn open_for_key(
        device: Arc<CryptoDevice>,
        spec: SessionSpec,
        on_device: bool,
    ) -> Result<KeySessions> {
        let this = KeySessions(Self::new(device, spec, on_device)?);
        if on_device {
            this.open_now(Direction::Encrypt);
            if this.spec.kind().has_direction() {
                this.open_now(Direction::Decrypt);
            }
        }
        Ok(this)
    }

    /// The sessions of a key, none open yet (see [`Self::open_for_key`]).
    fn new(device: Arc<CryptoDevice>, spec: SessionSpec, on_device: bool) -> Result<Arc<Self>> {
        let why = match device.is_ready() {
            true => Fallback::Limits,
            false => Fallback::NotReady,
        };
        let initial = || match on_device {
            true => SlotState::Unopened,
            false => SlotState::Unsupported(why),
        };
        let spec = Arc::new(spec, GFP_KERNEL)?;
        let this = Arc::pin_init(
            pin_init!(Self {
                device,
                spec,
                encrypt <- IrqSpinLock::new(initial(), crate::irq_lock_class!("TfmSessions::encrypt")),
                decrypt <- IrqSpinLock::new(initial(), crate::irq_lock_class!("TfmSessions::decrypt")),
                placed <- new_mutex!(Placed::Nowhere),
                retired: AtomicBool::new(false),
                work <- new_work!("virtio_crypto_rs::TfmSessions::work"),
            }),
            GFP_KERNEL,
        )?;
        if !on_device {
            this.update_placement(&mut this.placed.lock());
        }
        Ok(this)
    }

    fn slot(&self, dir: Direction) -> &IrqSpinLock<SlotState> {
        match (self.spec.kind().has_direction(), dir) {
            (true, Direction::Decrypt) => &self.decrypt,
            _ => &self.encrypt,
        }
    }

    /// Where a request in direction `dir` runs. Opens the session first if the request
    /// `may_sleep`, else has a work item open it while the request runs in software. Any
    /// context.
    pub(crate) fn route(self: &Arc<Self>, dir: Direction, may_sleep: bool) -> Route {
        let state = self.slot(dir).lock().clone();
        let try_now = match state {
            SlotState::Open(session) => return Route::Device(session),
            SlotState::Unsupported(why) => return Route::Software(why),
            SlotState::Opening => false,
            SlotState::Refused { closed } => closed != self.device.sessions_closed(),
            SlotState::Unopened => true,
        };
        if !try_now || self.retired.load(Ordering::Acquire) {
            return Route::Software(Fallback::NoSession);
        }
        if may_sleep {
            return self.open(dir);
        }
        {
            let mut slot = self.slot(dir).lock();
            if !matches!(*slot, SlotState::Unopened | SlotState::Refused { .. }) {
                return Route::Software(Fallback::NoSession);
            }
            *slot = SlotState::Opening;
        }
        // Already queued is fine: that run opens this direction too.
        let _ = self.device.work_queue().enqueue(self.clone());
        Route::Software(Fallback::NoSession)
    }

    /// Opens the session for `dir` now, so that the first request finds it open (users
    /// whose requests never sleep would otherwise run in software until a work item
    /// opened it). Process context.
    fn open_now(&self, dir: Direction) {
        let _ = self.open(dir);
    }

    /// Opens the session for `dir` unless it is open, or refused with nothing closed since;
    /// returns the route it settled on. Process context.
    fn open(&self, dir: Direction) -> Route {
        let mut placed = self.placed.lock();
        let state = self.slot(dir).lock().clone();
        let attempt = match state {
            SlotState::Open(session) => return Route::Device(session),
            SlotState::Unsupported(why) => return Route::Software(why),
            SlotState::Refused { closed } => closed != self.device.sessions_closed(),
            SlotState::Unopened | SlotState::Opening => true,
        };
        let new_state = if !attempt || self.retired.load(Ordering::Acquire) {
            match state {
                SlotState::Opening => SlotState::Unopened,
                other => other,
            }
        } else {
            let closed = self.device.sessions_closed();
            match self.device.open_session(&self.spec, dir) {
                Ok(session) => SlotState::Open(session),
                Err(_) => SlotState::Refused { closed },
            }
        };
        let route = match &new_state {
            SlotState::Open(session) => Route::Device(session.clone()),
            SlotState::Unsupported(why) => Route::Software(*why),
            _ => Route::Software(Fallback::NoSession),
        };
        *self.slot(dir).lock() = new_state;
        self.update_placement(&mut placed);
        route
    }

    /// Counts the transform where it runs now. Called with `placed` locked.
    fn update_placement(&self, placed: &mut Placed) {
        let states = [self.encrypt.lock().clone(), self.decrypt.lock().clone()];
        let now = if self.retired.load(Ordering::Acquire) {
            Placed::Nowhere
        } else if states.iter().any(|s| matches!(s, SlotState::Open(_))) {
            Placed::Device
        } else if states
            .iter()
            .any(|s| matches!(s, SlotState::Refused { .. } | SlotState::Unsupported(_)))
        {
            Placed::Software
        } else {
            Placed::Nowhere
        };
        let counters: &Placement = self.device.placement();
        let counter = |p: Placed| match p {
            Placed::Device => Some(&counters.device),
            Placed::Software => Some(&counters.software),
            Placed::Nowhere => None,
        };
        if now != *placed {
            if let Some(c) = counter(*placed) {
                c.fetch_sub(1, Ordering::Relaxed);
            }
            if let Some(c) = counter(now) {
                c.fetch_add(1, Ordering::Relaxed);
            }
            *placed = now;
        }
    }

    /// The transform drops this key (its [`KeySessions`] drops): closes its sessions;
    /// nothing is opened any more (a work item still queued finds it retired). Process
    /// context.
    fn retire(&self) {
        let mut placed = self.placed.lock();
        self.retired.store(true, Ordering::Release);
        for slot in [&self.encrypt, &self.decrypt] {
            let state = core::mem::replace(
                &mut *slot.lock(),
                SlotState::Unsupported(Fallback::NoSession),
            );
            if let SlotState::Open(session) = state {
                self.device.close_session(&session);
            }
        }
        self.update_placement(&mut placed);
    }
}
