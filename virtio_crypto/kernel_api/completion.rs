// SPDX-License-Identifier: GPL-2.0

//! A one-shot completion (`struct completion`): one side waits, the other signals, from any
//! context.

use crate::kernel_api::bindings;
use kernel::{prelude::*, types::Opaque};

/// Wrapper for `struct completion`.
///
/// # Invariants
///
/// `inner` is an initialized completion.
#[pin_data]
pub(crate) struct Completion {
    #[pin]
    inner: Opaque<bindings::completion>,
}

// SAFETY: `complete` and `wait_for_completion_timeout` may be called from any thread.
unsafe impl Send for Completion {}
// SAFETY: As above; the C type synchronizes internally.
unsafe impl Sync for Completion {}

impl Completion {
    /// Creates a completion that has not completed yet.
    pub(crate) fn new() -> impl PinInit<Self> {
        pin_init!(Self {
            // SAFETY: `init_completion` initializes the pinned, uninitialized completion.
            inner <- Opaque::ffi_init(|p| unsafe { bindings::vcrs_init_completion(p) }),
        })
    }

    /// Signals the completion; wakes a waiter. Safe in hard-IRQ context.
    pub(crate) fn complete(&self) {
        // SAFETY: `inner` is initialized (type invariant).
        unsafe { bindings::complete(self.inner.get()) };
    }

    /// Sleeps until the completion is signalled or `timeout_ms` elapses; returns whether it
    /// was signalled. Must be called in process context.
    pub(crate) fn wait_timeout(&self, timeout_ms: u32) -> bool {
        // SAFETY: Pure conversion function.
        let jiffies = unsafe { bindings::__msecs_to_jiffies(timeout_ms) };
        // SAFETY: `inner` is initialized (type invariant); the caller is in process context.
        unsafe { bindings::wait_for_completion_timeout(self.inner.get(), jiffies) != 0 }
    }
}
