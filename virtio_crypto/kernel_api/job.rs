// SPDX-License-Identifier: GPL-2.0

//! Jobs: the per-request state of one device request, of any service, living in the crypto
//! request's own context memory (no allocation), and carried by a data queue that knows
//! nothing about the service: a [`JobBox`] owns a [`Job`] of any type together with the
//! request it serves (the slot owns the request, so no job can be placed in the context of
//! a request somebody else holds), and a [`JobFifo`] queues them through a link inside
//! each one.

use super::{
    crypto::adapter::{AlgType, Request},
    request::{AsyncRequest, Rejected, Submitted},
    scatterlist::SgTable,
    virtqueue::{QueueToken, Submission},
};
use core::{
    any::TypeId,
    ops::Deref,
    ptr::{self, NonNull},
};
use kernel::{ffi::c_void, prelude::*};

/// One device request of some service: every buffer the device reads or writes besides
/// the request's own. The request itself stays in the job's slot and is handed to each
/// method that needs it.
///
/// A service implements it for its request state; the data queue calls it.
pub(crate) trait Job: Send + Sync + Sized + 'static {
    /// The algorithm type of the requests it serves.
    type Kind: AlgType;

    /// The buffers of the device request, in the order the device takes them, for `req`
    /// (the request the job serves).
    fn segments<'a>(&'a self, req: &'a Request<Self::Kind>) -> Result<SgTable<'a>>;

    /// Reads what must be current when the job goes to the ring, such as the session id:
    /// a job that waited out a device reset in the backlog carries the re-created session.
    fn prepare(&mut self) -> Result;

    /// Bytes of data the job carries, for the queue's counters.
    fn data_len(&self) -> usize;

    /// Bytes the device may write for this job: its device-writable buffers, the status
    /// included. A device that says it wrote more answered wrongly.
    fn writable_len(&self) -> usize;

    /// The status byte as the device left it (untrusted).
    fn status_byte(&self) -> u8;

    /// Completes `req` from the device's answer: `used_len` is what the device says it
    /// wrote (untrusted), the status is in the job's buffers. Everything the job holds is
    /// dropped before the request completes. Returns whether the request succeeded.
    fn finish(self, req: Request<Self::Kind>, used_len: u32) -> bool;

    /// Completes `req` with `err`, without an answer from the device.
    fn cancel(self, req: Request<Self::Kind>, err: Error);

    /// The device will never answer (it was removed, or reset, first): serves `req` another
    /// way if the service can (in software, with the transform's key), else completes it
    /// with `err` as [`Job::cancel`] does. `was_on_ring`: the device had the request and
    /// may have written its destination before the reset, so a request whose destination
    /// shares memory with its source cannot be run again (its source may be gone); one from
    /// the backlog never reached the device. Process context. Returns whether the request
    /// succeeded.
    fn fall_back(self, req: Request<Self::Kind>, err: Error, was_on_ring: bool) -> bool {
        let _ = was_on_ring;
        self.cancel(req, err);
        false
    }
}

/// What the queue needs of a slot's contents, whatever the job's type.
pub(crate) trait Carried: Send + Sync {
    /// The buffers of the device request ([`Job::segments`]).
    fn segments(&self) -> Result<SgTable<'_>>;
    /// [`Job::prepare`].
    fn prepare(&mut self) -> Result;
    /// [`Job::data_len`].
    fn data_len(&self) -> usize;
    /// [`Job::writable_len`].
    fn writable_len(&self) -> usize;
    /// [`Job::status_byte`].
    fn status_byte(&self) -> u8;
    /// The crypto request the job serves.
    fn request(&self) -> &AsyncRequest;
}

/// A job and the request it serves.
struct Body<J: Job> {
    req: Request<J::Kind>,
    job: J,
}

impl<J: Job> Carried for Body<J> {
    fn segments(&self) -> Result<SgTable<'_>> {
        self.job.segments(&self.req)
    }

    fn prepare(&mut self) -> Result {
        self.job.prepare()
    }

    fn data_len(&self) -> usize {
        self.job.data_len()
    }

    fn writable_len(&self) -> usize {
        self.job.writable_len()
    }

    fn status_byte(&self) -> u8 {
        self.job.status_byte()
    }

    fn request(&self) -> &AsyncRequest {
        self.req.base()
    }
}

/// Where the time a device took to answer a job goes ([`JobBox::time_answer`]): a measure
/// of the device's time for one kind of request, which also counts the requests of its
/// kind in flight. Any context.
pub(crate) trait LatencySink: Sync {
    /// A timed request of this kind is offered: counts it in; returns how many of its kind
    /// were in flight before it.
    fn offered(&self) -> u64;
    /// Its answer came `ns` after it was offered, with `ahead` requests of its kind before
    /// it: counts it out and records the time.
    fn answered(&self, ns: u64, ahead: u64);
    /// It will not be answered (taken back, dropped, served another way): counts it out.
    fn abandoned(&self);
}

/// A job's measurement of the device's time ([`JobBox::time_answer`]): counted in its
/// sink from creation until answered ([`Stopwatch::answer`]) or dropped.
struct Stopwatch {
    sink: &'static dyn LatencySink,
    offered_ns: u64,
    ahead: u64,
}

impl Stopwatch {
    /// Records the answer's time and counts the job out.
    fn answer(self) {
        let this = core::mem::ManuallyDrop::new(self);
        let elapsed = super::now_ns().saturating_sub(this.offered_ns);
        this.sink.answered(elapsed, this.ahead);
    }
}

impl Drop for Stopwatch {
    fn drop(&mut self) {
        self.sink.abandoned();
    }
}

/// What every job in a request context starts with.
struct Header {
    /// The body that follows the header in the same slot.
    body: NonNull<dyn Carried>,
    /// The job's type, for [`JobBox::take_or_reject`].
    type_id: TypeId,
    finish: unsafe fn(NonNull<Header>, u32) -> bool,
    fall_back: unsafe fn(NonNull<Header>, Error, bool) -> bool,
    drop: unsafe fn(NonNull<Header>),
    /// Link of a [`JobFifo`].
    next: Option<JobBox>,
    /// Whether the job entered a backlog ([`JobFifo::push_backlogged`]: its request allows
    /// it, and its submitter hears `-EBUSY`) and its submitter was not yet told that it
    /// left (`-EINPROGRESS`, [`JobBox::leave_backlog`]).
    backlogged: bool,
    /// Where the time until the device's answer goes, when the job was offered, and how
    /// many requests of its kind were in flight ahead of it. Taken out (and so counted
    /// out of its sink) by every path that consumes the box.
    stopwatch: Option<Stopwatch>,
}

/// A job, its request and its header, as placed in a request context.
#[repr(C)]
struct Slot<J: Job> {
    header: Header,
    body: Body<J>,
}

/// Size a request context needs to hold a job of type `J` in a [`JobBox`].
pub(crate) const fn ctx_size<J: Job>() -> usize {
    core::mem::size_of::<Slot<J>>()
}

/// Alignment a request context needs to hold a job of type `J`.
pub(crate) const fn ctx_align<J: Job>() -> usize {
    core::mem::align_of::<Slot<J>>()
}

/// Takes the slot's body out and completes it from the device's answer.
///
/// # Safety
///
/// `h` points to an initialized `Slot<J>` that is read exactly once.
unsafe fn finish_slot<J: Job>(h: NonNull<Header>, used_len: u32) -> bool {
    // SAFETY: Per the caller.
    let body = unsafe { ptr::read(ptr::addr_of!((*h.cast::<Slot<J>>().as_ptr()).body)) };
    body.job.finish(body.req, used_len)
}

/// Takes the slot's body out and serves it without the device.
///
/// # Safety
///
/// As for [`finish_slot`].
unsafe fn fall_back_slot<J: Job>(h: NonNull<Header>, err: Error, was_on_ring: bool) -> bool {
    // SAFETY: Per the caller.
    let body = unsafe { ptr::read(ptr::addr_of!((*h.cast::<Slot<J>>().as_ptr()).body)) };
    body.job.fall_back(body.req, err, was_on_ring)
}

/// Drops the slot's body in place.
///
/// # Safety
///
/// As for [`finish_slot`].
unsafe fn drop_slot<J: Job>(h: NonNull<Header>) {
    // SAFETY: Per the caller.
    unsafe { ptr::drop_in_place(ptr::addr_of_mut!((*h.cast::<Slot<J>>().as_ptr()).body)) };
}

/// Owns a job of any type and its request, in the request's context memory: an
/// allocation-free box. Dropping it drops the job without completing the request (the
/// request goes back to its submitter with the error the caller returns).
///
/// # Invariants
///
/// `ptr` points to an initialized `Slot<J>` (for the `J` its header's functions were made
/// for) in the context of the live request the slot holds, owned by this box alone; the
/// slot does not move.
pub(crate) struct JobBox {
    ptr: NonNull<Header>,
}

// SAFETY: A `JobBox` owns its slot exclusively, like a `Box<dyn Carried>`, and
// `Carried: Send + Sync`.
unsafe impl Send for JobBox {}
// SAFETY: As above.
unsafe impl Sync for JobBox {}

impl JobBox {
    /// Places `job` and `req`, the request it serves, in `req`'s context memory at `ctx`.
    ///
    /// # Safety
    ///
    /// `ctx` must be valid for writes of [`ctx_size::<J>`] bytes, aligned to
    /// [`ctx_align::<J>`], within the context of `req` in a part that holds no live value
    /// and that nothing else uses, and stay valid and unmoved until the request completes
    /// (which the job does, consuming itself and the request).
    pub(super) unsafe fn emplace<J: Job>(
        ctx: NonNull<u8>,
        req: Request<J::Kind>,
        job: J,
    ) -> JobBox {
        let slot = ctx.cast::<Slot<J>>();
        // SAFETY: `slot` is valid for writes (caller); the body is written first, then the
        // header that points to it.
        unsafe {
            let body_ptr = ptr::addr_of_mut!((*slot.as_ptr()).body);
            body_ptr.write(Body { req, job });
            ptr::addr_of_mut!((*slot.as_ptr()).header).write(Header {
                body: NonNull::new_unchecked(body_ptr as *mut dyn Carried),
                type_id: TypeId::of::<J>(),
                finish: finish_slot::<J>,
                fall_back: fall_back_slot::<J>,
                drop: drop_slot::<J>,
                next: None,
                backlogged: false,
                stopwatch: None,
            });
        }
        // INVARIANT: the slot is initialized, in its own request's context, and ours.
        JobBox { ptr: slot.cast() }
    }

    fn header(&self) -> &Header {
        // SAFETY: Initialized and owned by `self` (type invariant).
        unsafe { self.ptr.as_ref() }
    }

    fn header_mut(&mut self) -> &mut Header {
        // SAFETY: Initialized and exclusively owned by `self` (type invariant).
        unsafe { self.ptr.as_mut() }
    }

    /// The job and its request, as the queue sees them.
    pub(crate) fn job(&self) -> &dyn Carried {
        // SAFETY: The header points to the body in the same slot, owned by `self`.
        unsafe { self.header().body.as_ref() }
    }

    /// Measures the time from now until the device answers (just before [`Self::finish`]
    /// completes the request) into `sink`, divided by one more than the requests of its
    /// kind that were in flight ahead of it (`sink` counts them): what one request costs
    /// when a submitter overlaps several, the round trip when it was alone. A job the
    /// device never answers measures nothing.
    pub(crate) fn time_answer(&mut self, sink: &'static dyn LatencySink) {
        let ahead = sink.offered();
        // A stopwatch set before is counted out as it is replaced.
        self.header_mut().stopwatch = Some(Stopwatch {
            sink,
            offered_ns: super::now_ns(),
            ahead,
        });
    }

    /// Calls [`Job::prepare`].
    pub(crate) fn prepare(&mut self) -> Result {
        let mut body = self.header().body;
        // SAFETY: As in `job`; `&mut self` makes this the only reference.
        unsafe { body.as_mut() }.prepare()
    }

    /// The job leaves the backlog it entered with [`JobFifo::push_backlogged`]: its
    /// submitter hears `-EINPROGRESS` (once; nothing happens for a job that is in no
    /// backlog or was told already). The request stays the job's. Process or softirq
    /// context, outside spinlocks (the submitter's callback runs).
    pub(crate) fn leave_backlog(&mut self) {
        if core::mem::replace(&mut self.header_mut().backlogged, false) {
            // The flag is set only for a request that allows backlogging and whose
            // submitter was told `-EBUSY` (`push_backlogged`): told once that it moves on.
            self.job().request().notify_in_progress();
        }
    }

    /// Refuses the job's request with `err`: the job is dropped and the request goes back
    /// to its submitter uncompleted.
    pub(crate) fn reject(self, err: Error) -> Rejected {
        let req = self.job().request().raw();
        drop(self);
        Rejected::new(err, req)
    }

    /// Takes the job and its request out of the request context if the job is a `J` (so
    /// that the request can be served another way); otherwise refuses its request with
    /// `err` (see [`Self::reject`]).
    pub(crate) fn take_or_reject<J: Job>(
        mut self,
        err: Error,
    ) -> core::result::Result<(J, Request<J::Kind>), Rejected> {
        if self.header().type_id != TypeId::of::<J>() {
            return Err(self.reject(err));
        }
        // A submitter told `-EBUSY` hears `-EINPROGRESS` before anything else.
        self.leave_backlog();
        drop(self.header_mut().stopwatch.take());
        let this = core::mem::ManuallyDrop::new(self);
        // SAFETY: The slot is initialized and owned (type invariant) and holds a `J` (its
        // header records `J`'s type id); `this` is never dropped, so it is read once.
        let body = unsafe { ptr::read(ptr::addr_of!((*this.ptr.cast::<Slot<J>>().as_ptr()).body)) };
        Ok((body.job, body.req))
    }

    /// Calls [`Job::finish`] on the job, taken out of the request context.
    pub(crate) fn finish(mut self, used_len: u32) -> bool {
        if let Some(watch) = self.header_mut().stopwatch.take() {
            watch.answer();
        }
        // A submitter told `-EBUSY` hears `-EINPROGRESS` before the completion.
        self.leave_backlog();
        let this = core::mem::ManuallyDrop::new(self);
        let finish = this.header().finish;
        // SAFETY: The slot is initialized and owned (type invariant); `this` is never
        // dropped, so the slot is read exactly once.
        unsafe { finish(this.ptr, used_len) }
    }

    /// Calls [`Job::fall_back`] on the job, taken out of the request context (a submitter
    /// told `-EBUSY` hears `-EINPROGRESS` first).
    pub(crate) fn fall_back(mut self, err: Error, was_on_ring: bool) -> bool {
        self.leave_backlog();
        drop(self.header_mut().stopwatch.take());
        let this = core::mem::ManuallyDrop::new(self);
        let fall_back = this.header().fall_back;
        // SAFETY: As in `finish`.
        unsafe { fall_back(this.ptr, err, was_on_ring) }
    }
}

impl Drop for JobBox {
    fn drop(&mut self) {
        drop(self.header_mut().stopwatch.take());
        let drop_fn = self.header().drop;
        // SAFETY: Initialized and owned (type invariant); dropped once.
        unsafe { drop_fn(self.ptr) };
    }
}

/// What a data queue sees of a job it carries.
#[repr(transparent)]
pub(crate) struct QueuedJob(Header);

impl Submission for QueuedJob {
    fn segments(&self) -> Result<SgTable<'_>> {
        // SAFETY: The header points to the body in the same slot, alive as long as `self`.
        unsafe { self.0.body.as_ref() }.segments()
    }
}

impl Deref for JobBox {
    type Target = QueuedJob;

    fn deref(&self) -> &QueuedJob {
        // SAFETY: `QueuedJob` is a transparent wrapper of the header, which is initialized
        // and owned (type invariant).
        unsafe { self.ptr.cast::<QueuedJob>().as_ref() }
    }
}

// SAFETY: The slot lives in request context memory that does not move until the request
// completes, which only the job does when the box (or its raw form) is consumed; the raw
// form is the box's non-null pointer.
unsafe impl QueueToken for JobBox {
    fn into_raw_token(self) -> *mut c_void {
        let ptr = self.ptr.as_ptr();
        core::mem::forget(self);
        ptr.cast()
    }

    unsafe fn from_raw_token(ptr: *mut c_void) -> Self {
        // SAFETY: By the trait's contract `ptr` came from `into_raw_token` (non-null).
        let ptr = unsafe { NonNull::new_unchecked(ptr.cast()) };
        Self { ptr }
    }
}

/// A first-in first-out queue of jobs, linked through their headers, so queueing never
/// allocates.
///
/// # Invariants
///
/// `tail` is null exactly when `head` is `None`; otherwise it points to the header of the
/// last job of the chain starting at `head`, which owns it.
pub(crate) struct JobFifo {
    head: Option<JobBox>,
    tail: *mut Header,
}

// SAFETY: The queue owns its jobs; `tail` only points into them.
unsafe impl Send for JobFifo {}

impl JobFifo {
    /// An empty queue.
    pub(crate) const fn new() -> Self {
        Self {
            head: None,
            tail: ptr::null_mut(),
        }
    }

    /// Whether the queue is empty.
    pub(crate) fn is_empty(&self) -> bool {
        self.head.is_none()
    }

    /// Appends `job`, whose request waits in this backlog: the return value is what its
    /// entry point reports (`-EBUSY`). Gives the job back if its request does not allow
    /// backlogging (`CRYPTO_TFM_REQ_MAY_BACKLOG`).
    pub(crate) fn push_backlogged(
        &mut self,
        mut job: JobBox,
    ) -> core::result::Result<Submitted, JobBox> {
        if !job.job().request().may_backlog() {
            return Err(job);
        }
        let submitted = Submitted::backlogged(job.job().request());
        // INVARIANT: set for a request that allows backlogging, whose entry point reports
        // `-EBUSY` (`submitted`, which names the request).
        job.header_mut().backlogged = true;
        self.push_back(job);
        Ok(submitted)
    }

    /// Appends `job`.
    fn push_back(&mut self, mut job: JobBox) {
        job.header_mut().next = None;
        let new_tail = job.ptr.as_ptr();
        if self.tail.is_null() {
            self.head = Some(job);
        } else {
            // SAFETY: `tail` points to the last job's header, owned by the chain (type
            // invariant), and nothing else references it while we hold `&mut self`.
            unsafe { (*self.tail).next = Some(job) };
        }
        self.tail = new_tail;
    }

    /// Puts `job` back in front (it was taken with [`Self::pop_front`] and could not go on).
    pub(crate) fn push_front(&mut self, mut job: JobBox) {
        job.header_mut().next = self.head.take();
        if self.tail.is_null() {
            self.tail = job.ptr.as_ptr();
        }
        self.head = Some(job);
    }

    /// Takes the oldest job.
    pub(crate) fn pop_front(&mut self) -> Option<JobBox> {
        let mut first = self.head.take()?;
        self.head = first.header_mut().next.take();
        if self.head.is_none() {
            self.tail = ptr::null_mut();
        }
        Some(first)
    }
}

impl Drop for JobFifo {
    fn drop(&mut self) {
        // Iteratively, so a long queue does not recurse; owners empty it before this.
        while self.pop_front().is_some() {}
    }
}
