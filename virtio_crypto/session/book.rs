// SPDX-License-Identifier: GPL-2.0

//! The sessions open on one device, each kept with its description and key so that it can
//! be created again when the device was reset (freeze/restore): a reset device has
//! forgotten every session, and reusing an old id would reach no session or, worse, another
//! one.
//!
//! Ids carry the control queue's generation ([`SessionId`]), so an id from before a reset
//! is recognized and never destroyed. Commands run without the book's lock (a device that
//! does not answer delays only its own caller), except the re-creations: after a reset
//! (all of them), and of a session created just before one.

use super::spec::SessionSpec;
use crate::{
    kernel_api::{
        errno::{self, Logged},
        ratelimit::RateLimit,
    },
    transport::control::{ControlQueue, SessionId},
    util::slots::Slots,
    wire::Direction,
};
use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use kernel::{new_mutex, prelude::*, sync::Arc, sync::Mutex};

/// One session on a device: a key's session for one direction (or its only session, for
/// kinds without a direction). The id changes when the device is reset and the session is
/// created again.
pub(crate) struct DeviceSession {
    spec: Arc<SessionSpec>,
    dir: Direction,
    id: AtomicU64,
    /// The control queue generation of `id`.
    generation: AtomicU64,
    /// Cleared when the device was reset and creating the session again failed.
    usable: AtomicBool,
}

impl DeviceSession {
    /// The session id; `EIO` if the device lost it and refused to create it again.
    pub(crate) fn id(&self) -> Result<u64> {
        if !self.usable.load(Ordering::Acquire) {
            return Err(EIO);
        }
        Ok(self.id.load(Ordering::Acquire))
    }

    /// Whether `other` has the same id in the same generation (both usable).
    fn same_id(&self, other: &DeviceSession) -> bool {
        let usable = |s: &DeviceSession| s.usable.load(Ordering::Acquire);
        usable(self)
            && usable(other)
            && self.id.load(Ordering::Acquire) == other.id.load(Ordering::Acquire)
            && self.generation.load(Ordering::Acquire) == other.generation.load(Ordering::Acquire)
    }

    /// Creates the session on the device and records its id.
    fn create(&self, control: &ControlQueue) -> Result {
        let request = self.spec.create_request(self.dir)?;
        let sid = control.create_session(request, self.spec.key())?;
        self.id.store(sid.id, Ordering::Release);
        self.generation.store(sid.generation, Ordering::Release);
        self.usable.store(true, Ordering::Release);
        Ok(())
    }

    /// Destroys the session on the device (best effort, logged; an id of an earlier
    /// generation is gone already and skipped).
    fn destroy(&self, control: &ControlQueue, index: i32) {
        if !self.usable.load(Ordering::Acquire) {
            return;
        }
        let sid = SessionId {
            id: self.id.load(Ordering::Acquire),
            generation: self.generation.load(Ordering::Acquire),
        };
        match control.destroy_session(self.spec.kind().destroy_opcode(), sid) {
            Ok(()) => {}
            Err(e) if e == ENODEV => {}
            Err(e) => pr_warn!(
                "virtio{}: destroying session {} failed: {}\n",
                index,
                sid.id,
                Logged(e)
            ),
        }
    }
}

/// Creates a session described by `spec` for direction `dir` and destroys it again:
/// whether the device accepts such sessions. Process context.
pub(crate) fn try_session(control: &ControlQueue, spec: &SessionSpec, dir: Direction) -> bool {
    let created = spec
        .create_request(dir)
        .and_then(|request| control.create_session(request, spec.key()));
    match created {
        Ok(sid) => control
            .destroy_session(spec.kind().destroy_opcode(), sid)
            .is_ok(),
        Err(_) => false,
    }
}

/// Every session open on a device.
#[pin_data]
pub(crate) struct SessionBook {
    #[pin]
    sessions: Mutex<Slots<Arc<DeviceSession>>>,
    index: i32,
    /// Sessions closed so far: a transform the device refused a session may try again
    /// once this changed.
    closed: AtomicU64,
    /// Limits the messages about invalid answers.
    #[pin]
    complaints: RateLimit,
}

impl SessionBook {
    /// An empty book for device `virtio<index>`.
    pub(crate) fn new(index: i32) -> impl PinInit<Self> {
        pin_init!(Self {
            sessions <- new_mutex!(Slots::new()),
            index,
            closed: AtomicU64::new(0),
            complaints <- RateLimit::new(),
        })
    }

    /// Opens the session `spec` describes for direction `dir` and records it. Process
    /// context.
    pub(crate) fn open(
        &self,
        control: &ControlQueue,
        spec: &Arc<SessionSpec>,
        dir: Direction,
    ) -> Result<Arc<DeviceSession>> {
        let session = Arc::new(
            DeviceSession {
                spec: spec.clone(),
                dir,
                id: AtomicU64::new(0),
                generation: AtomicU64::new(0),
                usable: AtomicBool::new(false),
            },
            GFP_KERNEL,
        )?;
        session.create(control)?;
        let mut sessions = self.sessions.lock();
        // A reset after the creation: `recreate_all` did not see this session, so its id
        // is already gone; create it again (the queue is attached again by now, or this
        // fails with `ENODEV`).
        if session.generation.load(Ordering::Acquire) != control.generation() {
            session.create(control)?;
        }
        // An id the device gave an open session already (untrusted input): requests on
        // either would reach the other's key. Neither is destroyed (that would end the
        // other's session too); this one is refused.
        if sessions.iter().any(|s| s.same_id(&session)) {
            drop(sessions);
            self.complain_duplicate(&session);
            return Err(EIO);
        }
        if let Err(e) = sessions.insert(session.clone()) {
            drop(sessions);
            session.destroy(control, self.index);
            return Err(e);
        }
        Ok(session)
    }

    /// Logs (rate-limited) that the device gave `session` the id of an open session.
    fn complain_duplicate(&self, session: &DeviceSession) {
        if self.complaints.allows() {
            pr_warn!(
                "virtio{}: the device gave a new session the id {} of an open session; refused\n",
                self.index,
                session.id.load(Ordering::Acquire)
            );
        }
    }

    /// Forgets `session` and destroys it on the device. Process context.
    pub(crate) fn close(&self, control: &ControlQueue, session: &Arc<DeviceSession>) {
        self.sessions.lock().take_first(|s| Arc::ptr_eq(s, session));
        session.destroy(control, self.index);
        self.closed.fetch_add(1, Ordering::AcqRel);
    }

    /// How many sessions were closed so far.
    pub(crate) fn closed(&self) -> u64 {
        self.closed.load(Ordering::Acquire)
    }

    /// Creates every recorded session of an earlier generation again after a reset, with
    /// new ids; a session the device refuses is left unusable (its requests run in
    /// software). After a command timed out the rest are not tried (each would wait as
    /// long, with the device lock held by a recovery). Returns how many were re-created and
    /// how many failed. Process context, with the control queue attached again.
    pub(crate) fn recreate_all(&self, control: &ControlQueue) -> (usize, usize) {
        let sessions = self.sessions.lock();
        let (mut ok, mut failed) = (0, 0);
        let mut timed_out = false;
        for session in sessions.iter() {
            if session.generation.load(Ordering::Acquire) == control.generation() {
                continue;
            }
            session.usable.store(false, Ordering::Release);
            if timed_out {
                failed += 1;
                continue;
            }
            match session.create(control) {
                // The id of another open session (untrusted input): this one's requests
                // would reach the other's key; it is left unusable (software).
                Ok(())
                    if sessions
                        .iter()
                        .any(|s| !Arc::ptr_eq(s, session) && s.same_id(session)) =>
                {
                    session.usable.store(false, Ordering::Release);
                    self.complain_duplicate(session);
                    failed += 1;
                }
                Ok(()) => ok += 1,
                Err(e) => {
                    pr_err!(
                        "virtio{}: re-creating a session after reset failed: {}\n",
                        self.index,
                        Logged(e)
                    );
                    timed_out = e == errno::etimedout();
                    failed += 1;
                }
            }
        }
        (ok, failed)
    }
}
