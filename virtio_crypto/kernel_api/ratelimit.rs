// SPDX-License-Identifier: GPL-2.0

//! Rate limits for messages (`struct ratelimit_state`): a device that misbehaves on every
//! request must not flood the kernel log.

use super::bindings;
use kernel::{prelude::*, types::Opaque};

/// A rate limit of its own: at most 10 messages per 5 seconds, as `printk_ratelimited`; the
/// kernel reports how many were suppressed.
#[pin_data]
pub(crate) struct RateLimit {
    #[pin]
    state: Opaque<bindings::ratelimit_state>,
}

// SAFETY: The state is only used through `__ratelimit`, which takes its own lock.
unsafe impl Send for RateLimit {}
// SAFETY: As above.
unsafe impl Sync for RateLimit {}

impl RateLimit {
    /// A new rate limit.
    pub(crate) fn new() -> impl PinInit<Self> {
        pin_init!(Self {
            // SAFETY: `ratelimit_state_init` initializes the whole state in place.
            state <- Opaque::ffi_init(|p| unsafe { bindings::vcrs_ratelimit_init(p) }),
        })
    }

    /// Whether a message may go out now.
    pub(crate) fn allows(&self) -> bool {
        // SAFETY: The state was initialized in `new` and stays pinned.
        unsafe { bindings::vcrs_ratelimit(self.state.get()) }
    }
}
