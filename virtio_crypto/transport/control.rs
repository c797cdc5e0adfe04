// SPDX-License-Identifier: GPL-2.0

//! The control queue: creating and destroying sessions of any service.
//!
//! Each command lives in its own heap allocation (never on the stack: VMAP_STACK), shared
//! between the waiting caller and the queue. The caller sleeps on a completion with a
//! timeout; the queue callback signals it.
//!
//! Session ids carry the queue's generation, which changes when the device is reset: an
//! id from an earlier generation names nothing (or, worse, a newer session), so destroying
//! it is refused without a command.

use crate::{
    kernel_api::{
        completion::Completion,
        errno,
        ratelimit::RateLimit,
        scatterlist::{DeviceWritable, SgTable},
        secret::SecretKey,
        virtio::Reset,
        virtqueue::{Detached, RawQueue, Submission, Virtqueue},
        wire_bytes::bytes_of,
    },
    wire::{answer_len_valid, CtrlRequest, InHdr, SessionInput, CTRL_REQUEST_LEN},
};
use core::sync::atomic::{AtomicBool, AtomicI64, AtomicU32, AtomicU64, Ordering};
use kernel::{prelude::*, sync::Arc};

/// How long a control command may take before the caller gives up, in milliseconds.
/// Generous, because guests here run under TCG.
const TIMEOUT_MS: u32 = 30_000;

/// A create-session request, as bytes: what a session description produces.
pub(crate) type CreateRequest = [u8; CTRL_REQUEST_LEN];

/// What the device writes back for a command.
enum Response {
    /// A create-session command's session input.
    Session(DeviceWritable<SessionInput>),
    /// A destroy-session command's status byte.
    Status(DeviceWritable<InHdr>),
}

impl Response {
    /// How many bytes the device may write: a whole answer.
    fn writable_len(&self) -> usize {
        match self {
            Self::Session(_) => core::mem::size_of::<SessionInput>(),
            Self::Status(_) => core::mem::size_of::<InHdr>(),
        }
    }

    /// Whether the device reported success.
    fn succeeded(&self) -> bool {
        match self {
            Self::Session(s) => s.read().result().is_ok(),
            Self::Status(s) => s.read().result().is_ok(),
        }
    }
}

/// One control command and its buffers.
#[pin_data]
struct Command {
    request: CreateRequest,
    /// The key material, wiped when the command is freed.
    key: SecretKey,
    response: Response,
    /// The used length the device reported with its answer (untrusted).
    used_len: AtomicU32,
    cancelled: AtomicBool,
    #[pin]
    done: Completion,
}

impl Submission for Command {
    fn segments(&self) -> Result<SgTable<'_>> {
        // Request, key and response: inline entries, no allocation.
        let mut sg = SgTable::new(3, GFP_ATOMIC)?;
        sg.push_out_buf(&self.request)?;
        if self.key.len() > 0 {
            sg.push_out_buf(self.key.bytes())?;
        }
        match &self.response {
            Response::Session(s) => sg.push_in_writable(s, self.response.writable_len())?,
            Response::Status(s) => sg.push_in_writable(s, self.response.writable_len())?,
        }
        Ok(sg)
    }
}

/// A session id with the control queue generation it was created in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct SessionId {
    /// The device's id.
    pub(crate) id: u64,
    /// [`ControlQueue::generation`] when the session was created.
    pub(crate) generation: u64,
}

/// The device's control queue.
#[pin_data]
pub(crate) struct ControlQueue {
    #[pin]
    vq: Virtqueue<Arc<Command>>,
    sessions_open: AtomicI64,
    /// Bumped (under the queue lock) each time the queue is shut down for a reset.
    generation: AtomicU64,
    /// Limits the messages about invalid answers.
    #[pin]
    complaints: RateLimit,
    /// Which device's queue (`virtio<device>`), for messages.
    device: i32,
}

impl ControlQueue {
    /// The control queue of device `virtio<device>`, not yet attached to its virtqueue.
    pub(crate) fn new(device: i32) -> impl PinInit<Self> {
        pin_init!(Self {
            vq <- Virtqueue::new(),
            sessions_open: AtomicI64::new(0),
            generation: AtomicU64::new(0),
            complaints <- RateLimit::new(),
            device,
        })
    }

    /// Attaches the transport's queue.
    pub(crate) fn attach(&self, raw: RawQueue) {
        self.vq.attach(raw);
    }

    /// The current generation: it changes when the device is reset.
    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Sends a command and sleeps until the device answers, the timeout passes or the
    /// device goes away. With `only_in`, the command is refused (`ENODEV`) unless the queue
    /// is still in that generation. Returns the command and the generation it ran in.
    /// Process context.
    fn execute(
        &self,
        request: CreateRequest,
        key: &[u8],
        response: Response,
        only_in: Option<u64>,
    ) -> Result<(Arc<Command>, u64)> {
        let key = SecretKey::copy(key)?;
        let cmd = Arc::pin_init(
            pin_init!(Command {
                request,
                key,
                response,
                used_len: AtomicU32::new(0),
                cancelled: AtomicBool::new(false),
                done <- Completion::new(),
            }),
            GFP_KERNEL,
        )?;
        let generation = {
            let mut q = self.vq.lock();
            // Read under the lock that `shut_down` bumps it under.
            let generation = self.generation();
            if only_in.is_some_and(|g| g != generation) {
                return Err(ENODEV);
            }
            q.add(cmd.clone()).map_err(|(e, _)| e)?;
            q.kick();
            generation
        };
        if !cmd.done.wait_timeout(TIMEOUT_MS) {
            pr_err!(
                "virtio{}: control command timed out after {} ms\n",
                self.device,
                TIMEOUT_MS
            );
            return Err(errno::etimedout());
        }
        if cmd.cancelled.load(Ordering::Acquire) {
            return Err(ENODEV);
        }
        self.note_length(&cmd);
        Ok((cmd, generation))
    }

    /// Logs (rate-limited) an answer to `cmd` whose used length is not possible
    /// ([`answer_len_valid`]). The command is judged by what its answer holds, not by the
    /// length: the response starts as an "unwritten" status, so an answer the device never
    /// wrote fails by itself, and a session the device did create is kept, so that it can
    /// be destroyed. (Refusing it would leave the device a session with a key the driver
    /// no longer knows, which a later answer could name as a new session's: wrong results
    /// the driver could not tell.)
    fn note_length(&self, cmd: &Command) {
        let used_len = cmd.used_len.load(Ordering::Acquire);
        let writable = cmd.response.writable_len();
        if !answer_len_valid(used_len, writable, cmd.response.succeeded())
            && self.complaints.allows()
        {
            pr_warn!(
                "virtio{}: control: invalid answer (used length {} of {} writable bytes); judged by its content\n",
                self.device,
                used_len,
                writable
            );
        }
    }

    /// Creates a session from a create-session request and its key material; returns its
    /// id.
    pub(crate) fn create_session(&self, request: CreateRequest, key: &[u8]) -> Result<SessionId> {
        let (cmd, generation) = self.execute(
            request,
            key,
            Response::Session(DeviceWritable::new(SessionInput::unwritten())),
            None,
        )?;
        let id = match &cmd.response {
            Response::Session(s) => s.read().result().map_err(Error::from_errno)?,
            Response::Status(_) => return Err(EINVAL),
        };
        self.sessions_open.fetch_add(1, Ordering::Relaxed);
        Ok(SessionId { id, generation })
    }

    /// Destroys a session with its service's destroy opcode; `ENODEV` without a command if
    /// the device was reset since the session was created (it is gone already).
    pub(crate) fn destroy_session(&self, opcode: u32, session: SessionId) -> Result {
        let mut request = [0u8; CTRL_REQUEST_LEN];
        let destroy = CtrlRequest::destroy_session(opcode, session.id);
        request.copy_from_slice(bytes_of(&destroy));
        let (cmd, _) = self.execute(
            request,
            &[],
            Response::Status(DeviceWritable::new(InHdr::unwritten())),
            Some(session.generation),
        )?;
        match &cmd.response {
            Response::Status(s) => s.read().result().map_err(Error::from_errno)?,
            Response::Session(_) => return Err(EINVAL),
        }
        self.sessions_open.fetch_sub(1, Ordering::Relaxed);
        Ok(())
    }

    /// Sessions created and not destroyed (as far as the driver knows).
    pub(crate) fn sessions_open(&self) -> i64 {
        self.sessions_open.load(Ordering::Relaxed)
    }

    /// Signals the waiters of finished commands. Hard-IRQ context.
    pub(crate) fn complete_finished(&self) {
        let mut q = self.vq.lock();
        while let Some((cmd, len)) = q.get_buf() {
            cmd.used_len.store(len, Ordering::Release);
            cmd.done.complete();
        }
    }

    /// Fails every pending command and detaches the queue; the device was reset and
    /// forgot every session, so a new generation starts. Returns the proof of detachment
    /// (`None` if it was detached already).
    pub(crate) fn shut_down(&self, reset: &Reset) -> Option<Detached> {
        let mut q = self.vq.lock();
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.sessions_open.store(0, Ordering::Relaxed);
        while let Some((cmd, len)) = q.get_buf() {
            cmd.used_len.store(len, Ordering::Release);
            cmd.done.complete();
        }
        while let Some(cmd) = q.detach_unused(reset) {
            cmd.cancelled.store(true, Ordering::Release);
            cmd.done.complete();
        }
        q.detach()
    }
}
