// SPDX-License-Identifier: GPL-2.0

//! The common part of every asynchronous crypto request (`struct crypto_async_request`):
//! completion, and the backlog and sleep flags. Every request type embeds it; a data queue
//! needs no more than this of the requests its jobs carry.
//!
//! A request callback ends with [`Submitted`] or [`Rejected`]. Saying that a request is
//! finished or refused hands it back to its submitter, who may free it: so those two are
//! made only from the request itself, by value ([`AsyncRequest::done`],
//! [`AsyncRequest::reject`], or a job holding it), and name it. Saying that it is in
//! progress needs no proof: the driver keeps it (at worst the submitter waits forever).

use super::{bindings, errno};
use core::ptr::NonNull;
use kernel::{
    ffi::{c_int, c_void},
    prelude::*,
};

/// How a request callback that accepted its request ended.
pub(crate) struct Submitted(Outcome);

enum Outcome {
    /// Finished synchronously (for example an empty request or one run in software).
    Done(NonNull<bindings::crypto_async_request>),
    /// Handed to the device; the request will be completed exactly once.
    InProgress,
    /// The device's queue is full and the request allows backlogging
    /// (`CRYPTO_TFM_REQ_MAY_BACKLOG`): it waits in the driver; the submitter hears
    /// `-EINPROGRESS` when it moves on, then the completion.
    Backlogged(NonNull<bindings::crypto_async_request>),
}

impl Submitted {
    /// The request went to the device and will be completed.
    pub(crate) fn in_progress() -> Self {
        Self(Outcome::InProgress)
    }

    /// `req` waits in a backlog and will be completed; only a backlog makes this
    /// ([`super::job::JobFifo::push_backlogged`]), for a request that allows it.
    pub(super) fn backlogged(req: &AsyncRequest) -> Self {
        Self(Outcome::Backlogged(req.ptr))
    }

    /// The callback's return value for request `req`, or `None` if this says another
    /// request is finished.
    pub(super) fn outcome(&self, req: NonNull<bindings::crypto_async_request>) -> Option<i32> {
        match self.0 {
            Outcome::Done(done) => (done == req).then_some(0),
            Outcome::InProgress => Some(errno::einprogress().to_errno()),
            Outcome::Backlogged(waiting) => (waiting == req).then_some(EBUSY.to_errno()),
        }
    }
}

/// A request a callback refused: the error, and which request (it goes back to its
/// submitter uncompleted).
pub(crate) struct Rejected {
    err: Error,
    req: NonNull<bindings::crypto_async_request>,
}

impl Rejected {
    /// `err` for the request at `req`, which the caller has dropped its handle to; an
    /// error that says "wait" (`-EINPROGRESS`, `-EBUSY`) becomes `-EIO`.
    pub(super) fn new(err: Error, req: NonNull<bindings::crypto_async_request>) -> Self {
        let waits = err.to_errno() == errno::einprogress().to_errno() || err == EBUSY;
        let err = if waits { EIO } else { err };
        Self { err, req }
    }

    /// The error and the request.
    pub(super) fn into_parts(self) -> (Error, NonNull<bindings::crypto_async_request>) {
        (self.err, self.req)
    }
}

/// The common part of an asynchronous request of any type (`struct crypto_async_request`),
/// owned by the driver from the moment a callback accepts it until
/// [`AsyncRequest::complete`].
///
/// # Invariants
///
/// `ptr` is the base of a live request whose submitter waits for its completion.
pub(crate) struct AsyncRequest {
    ptr: NonNull<bindings::crypto_async_request>,
}

// SAFETY: A request may be completed from any thread.
unsafe impl Send for AsyncRequest {}
// SAFETY: Shared references only read immutable request fields.
unsafe impl Sync for AsyncRequest {}

impl AsyncRequest {
    /// # Safety
    ///
    /// `ptr` must be the base of a live request that the driver now owns.
    pub(super) unsafe fn from_raw(ptr: NonNull<bindings::crypto_async_request>) -> Self {
        Self { ptr }
    }

    fn flags(&self) -> u32 {
        // SAFETY: The request is live (type invariant).
        unsafe { bindings::vcrs_crypto_request_flags(self.ptr.as_ptr()) }
    }

    /// Whether the submitter accepts backlogging (`CRYPTO_TFM_REQ_MAY_BACKLOG`).
    pub(crate) fn may_backlog(&self) -> bool {
        self.flags() & bindings::CRYPTO_TFM_REQ_MAY_BACKLOG != 0
    }

    /// Whether the submitter runs in a context that may sleep (`CRYPTO_TFM_REQ_MAY_SLEEP`).
    pub(crate) fn may_sleep(&self) -> bool {
        self.flags() & bindings::CRYPTO_TFM_REQ_MAY_SLEEP != 0
    }

    /// Whether the submitter sleeps until this request completes: its callback is the
    /// kernel's `crypto_req_done`, which `crypto_wait_req` waits on (AF_ALG, keyctl,
    /// testmgr, tcrypt, every in-kernel user of `DECLARE_CRYPTO_WAIT`). Such a submitter
    /// pays the device's whole round trip for the request; one with a callback of its own
    /// (dm-crypt, IPsec, AF_ALG's asynchronous I/O) overlaps its requests.
    pub(crate) fn has_synchronous_waiter(&self) -> bool {
        // SAFETY: The request is live (type invariant); its callback is set by the
        // submitter before submission and not changed while the driver owns it.
        let complete = unsafe { (*self.ptr.as_ptr()).complete };
        let waiter: unsafe extern "C" fn(*mut c_void, c_int) = bindings::crypto_req_done;
        // Compared as addresses: one function, one address within the kernel image.
        complete.is_some_and(|f| f as usize == waiter as usize)
    }

    /// Whether the algorithm the request was made for passed its self-tests already
    /// (`CRYPTO_ALG_TESTED`): until then its requests are the kernel's own checks of it
    /// (testmgr, at registration).
    pub(crate) fn alg_tested(&self) -> bool {
        // SAFETY: The request is live (type invariant); its transform, and the algorithm
        // that transform holds, outlive it. The flags word is read once, volatile: the
        // Crypto API sets `CRYPTO_ALG_TESTED` in it (under its own lock) when the
        // self-tests end, and either value is an answer.
        let flags = unsafe {
            let tfm = (*self.ptr.as_ptr()).tfm;
            if tfm.is_null() || (*tfm).__crt_alg.is_null() {
                return false;
            }
            core::ptr::read_volatile(core::ptr::addr_of!((*(*tfm).__crt_alg).cra_flags))
        };
        flags & bindings::CRYPTO_ALG_TESTED != 0
    }

    /// Tells the submitter of a backlogged request that it left the backlog
    /// (`-EINPROGRESS`); the request stays ours until [`Self::complete`]. Only
    /// [`super::job::JobBox::leave_backlog`] calls it: once, for a request that allows
    /// backlogging and was reported `-EBUSY`.
    pub(super) fn notify_in_progress(&self) {
        // SAFETY: The request is live and ours; `-EINPROGRESS` is a notification that does
        // not hand it back.
        unsafe {
            bindings::vcrs_crypto_request_complete(
                self.ptr.as_ptr(),
                errno::einprogress().to_errno(),
            )
        };
    }

    /// The request's address, which names it in [`Submitted`] and [`Rejected`].
    pub(super) fn raw(&self) -> NonNull<bindings::crypto_async_request> {
        self.ptr
    }

    /// The request finished synchronously: it goes back to its submitter with success.
    pub(crate) fn done(self) -> Submitted {
        Submitted(Outcome::Done(self.ptr))
    }

    /// The request is refused with `err`: it goes back to its submitter uncompleted.
    /// `-EINPROGRESS` and `-EBUSY` would tell the submitter to wait for a completion that
    /// never comes: they are refused as `-EIO`.
    pub(crate) fn reject(self, err: Error) -> Rejected {
        Rejected::new(err, self.ptr)
    }

    /// Completes the request with `result`, handing it back to its submitter. Runs the
    /// submitter's callback with bottom halves disabled; never call from hard-IRQ context.
    pub(crate) fn complete(self, result: Result) {
        // SAFETY: The request is live and ours; completing hands it back exactly once
        // (`self` is consumed).
        unsafe { bindings::vcrs_crypto_request_complete(self.ptr.as_ptr(), errno::to_c(result)) };
    }
}
