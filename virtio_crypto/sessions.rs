// SPDX-License-Identifier: GPL-2.0

//! The cipher sessions open on one device, each kept with its key so that it can be
//! created again when the device was reset (freeze/restore): a reset device has forgotten
//! every session, and reusing an old id would reach no session or, worse, another one.
//!
//! Ids carry the control queue's generation ([`SessionId`]), so an id from before a reset
//! is recognized and never destroyed. Commands run without the book's lock (a device that
//! does not answer delays only its own caller); the lock covers membership, and the
//! re-creation after a reset.

use crate::{
    control::{ControlQueue, SessionId},
    slots::Slots,
    sys::wipe,
    wire::Direction,
};
use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use kernel::{new_mutex, prelude::*, sync::Arc, sync::Mutex};

/// A key's pair of device sessions (the device fixes the direction per session). The ids
/// change when the device is reset and the sessions are created again.
pub(crate) struct CipherSession {
    algo: u32,
    /// The key, kept for re-creation; wiped when the session is dropped.
    key: KVec<u8>,
    encrypt: AtomicU64,
    decrypt: AtomicU64,
    /// The control queue generation of both ids.
    generation: AtomicU64,
    /// Cleared when the device was reset and creating the sessions again failed.
    usable: AtomicBool,
}

impl CipherSession {
    /// The session id for `dir`; `EIO` if the device lost it and refused to create it again.
    pub(crate) fn id(&self, dir: Direction) -> Result<u64> {
        if !self.usable.load(Ordering::Acquire) {
            return Err(EIO);
        }
        Ok(match dir {
            Direction::Encrypt => self.encrypt.load(Ordering::Acquire),
            Direction::Decrypt => self.decrypt.load(Ordering::Acquire),
        })
    }

    fn ids(&self) -> [SessionId; 2] {
        let generation = self.generation.load(Ordering::Acquire);
        [&self.encrypt, &self.decrypt].map(|id| SessionId {
            id: id.load(Ordering::Acquire),
            generation,
        })
    }

    /// Creates both sessions on the device and records their ids. A reset between the two
    /// commands leaves ids of two generations: that is a failure (`EAGAIN`).
    fn create(&self, control: &ControlQueue) -> Result {
        let encrypt = control.create_cipher_session(self.algo, &self.key, Direction::Encrypt)?;
        let decrypt = control
            .create_cipher_session(self.algo, &self.key, Direction::Decrypt)
            .and_then(|d| match d.generation == encrypt.generation {
                true => Ok(d),
                false => Err(EAGAIN),
            });
        let decrypt = match decrypt {
            Ok(d) => d,
            Err(e) => {
                // Best effort (refused for a stale id): the error that matters is `e`.
                let _ = control.destroy_cipher_session(encrypt);
                return Err(e);
            }
        };
        self.encrypt.store(encrypt.id, Ordering::Release);
        self.decrypt.store(decrypt.id, Ordering::Release);
        self.generation.store(encrypt.generation, Ordering::Release);
        self.usable.store(true, Ordering::Release);
        Ok(())
    }

    /// Destroys both sessions on the device (best effort, logged; ids of an earlier
    /// generation are gone already and skipped).
    fn destroy(&self, control: &ControlQueue, index: i32) {
        if !self.usable.load(Ordering::Acquire) {
            return;
        }
        for sid in self.ids() {
            match control.destroy_cipher_session(sid) {
                Ok(()) => {}
                Err(e) if e == ENODEV => return,
                Err(e) => pr_warn!(
                    "virtio{}: destroying session {} failed: {:?}\n",
                    index,
                    sid.id,
                    e
                ),
            }
        }
    }
}

impl Drop for CipherSession {
    fn drop(&mut self) {
        wipe(&mut self.key);
    }
}

/// Every cipher session open on a device.
#[pin_data]
pub(crate) struct SessionBook {
    #[pin]
    sessions: Mutex<Slots<Arc<CipherSession>>>,
    index: i32,
}

impl SessionBook {
    /// An empty book for device `virtio<index>`.
    pub(crate) fn new(index: i32) -> impl PinInit<Self> {
        pin_init!(Self {
            sessions <- new_mutex!(Slots::new()),
            index,
        })
    }

    /// Opens the sessions for `key` with cipher `algo` and records them. Process context.
    pub(crate) fn open(
        &self,
        control: &ControlQueue,
        algo: u32,
        key: &[u8],
    ) -> Result<Arc<CipherSession>> {
        let mut key_copy = KVec::with_capacity(key.len(), GFP_KERNEL)?;
        key_copy.extend_from_slice(key, GFP_KERNEL)?;
        let session = Arc::new(
            CipherSession {
                algo,
                key: key_copy,
                encrypt: AtomicU64::new(0),
                decrypt: AtomicU64::new(0),
                generation: AtomicU64::new(0),
                usable: AtomicBool::new(false),
            },
            GFP_KERNEL,
        )?;
        session.create(control)?;
        let mut sessions = self.sessions.lock();
        // A reset after the creation: `recreate_all` did not see this session, so its ids
        // are already gone; create them again (the queue is attached again by now, or this
        // fails with `ENODEV`).
        if session.generation.load(Ordering::Acquire) != control.generation() {
            session.create(control)?;
        }
        if let Err(e) = sessions.insert(session.clone()) {
            drop(sessions);
            session.destroy(control, self.index);
            return Err(e);
        }
        Ok(session)
    }

    /// Forgets `session` and destroys it on the device. Process context.
    pub(crate) fn close(&self, control: &ControlQueue, session: &Arc<CipherSession>) {
        self.sessions.lock().take_first(|s| Arc::ptr_eq(s, session));
        session.destroy(control, self.index);
    }

    /// Creates every recorded session of an earlier generation again after a reset, with
    /// new ids; a session the device refuses fails its requests with `EIO`. Returns how
    /// many were re-created and how many failed. Process context, with the control queue
    /// attached again.
    pub(crate) fn recreate_all(&self, control: &ControlQueue) -> (usize, usize) {
        let sessions = self.sessions.lock();
        let (mut ok, mut failed) = (0, 0);
        for session in sessions.iter() {
            if session.generation.load(Ordering::Acquire) == control.generation() {
                continue;
            }
            session.usable.store(false, Ordering::Release);
            match session.create(control) {
                Ok(()) => ok += 1,
                Err(e) => {
                    pr_err!(
                        "virtio{}: re-creating a session after reset failed: {:?}\n",
                        self.index,
                        e
                    );
                    failed += 1;
                }
            }
        }
        (ok, failed)
    }
}
