// SPDX-License-Identifier: GPL-2.0

//! The common part of every asynchronous crypto request (`struct crypto_async_request`):
//! completion, and the backlog and sleep flags. Every request type embeds it; a data queue
//! needs no more than this of the requests its jobs carry.

use super::{bindings, errno};
use core::ptr::NonNull;
use kernel::prelude::*;

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
    pub(crate) unsafe fn from_raw(ptr: NonNull<bindings::crypto_async_request>) -> Self {
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

    /// Tells the submitter of a backlogged request that it left the backlog
    /// (`-EINPROGRESS`); the request stays ours until [`Self::complete`]. Call once per
    /// backlogged request, before its completion, never from hard-IRQ context or under a
    /// spinlock.
    pub(crate) fn notify_in_progress(&self) {
        // SAFETY: The request is live and ours; `-EINPROGRESS` is a notification that does
        // not hand it back.
        unsafe {
            bindings::vcrs_crypto_request_complete(
                self.ptr.as_ptr(),
                errno::einprogress().to_errno(),
            )
        };
    }

    /// Completes the request with `result`, handing it back to its submitter. Runs the
    /// submitter's callback with bottom halves disabled; never call from hard-IRQ context.
    pub(crate) fn complete(self, result: Result) {
        // SAFETY: The request is live and ours; completing hands it back exactly once
        // (`self` is consumed).
        unsafe { bindings::vcrs_crypto_request_complete(self.ptr.as_ptr(), errno::to_c(result)) };
    }
}
