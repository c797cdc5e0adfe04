// SPDX-License-Identifier: GPL-2.0

//! The thin layer between the driver and the C kernel APIs that 6.12's `kernel` crate does
//! not cover: virtio devices and virtqueues, scatterlists, completions, an interrupt-safe
//! lock, an owned workqueue and skcipher registration. All `unsafe` code and raw bindings
//! live here; the driver modules above use only the safe types these modules export.

#[path = "aes.rs"]
pub(crate) mod aes;
#[path = "bindings.rs"]
pub(crate) mod bindings;
#[path = "completion.rs"]
pub(crate) mod completion;
#[path = "debugfs.rs"]
pub(crate) mod debugfs;
#[path = "irq_lock.rs"]
pub(crate) mod irq_lock;
#[path = "reqfifo.rs"]
pub(crate) mod reqfifo;
#[path = "scatterlist.rs"]
pub(crate) mod scatterlist;
#[path = "skcipher.rs"]
pub(crate) mod skcipher;
#[path = "soft_cipher.rs"]
pub(crate) mod soft_cipher;
#[path = "virtio.rs"]
pub(crate) mod virtio;
#[path = "virtqueue.rs"]
pub(crate) mod virtqueue;
#[path = "workqueue.rs"]
pub(crate) mod workqueue;

use kernel::alloc::{flags, Flags};

/// Converts the kernel crate's allocation flags into a raw `gfp_t` for C calls.
///
/// The driver only ever uses `GFP_KERNEL` and `GFP_ATOMIC`; anything else maps to the
/// stricter `GFP_ATOMIC`.
pub(crate) fn gfp(f: Flags) -> bindings::gfp_t {
    if f == flags::GFP_KERNEL {
        bindings::GFP_KERNEL
    } else {
        bindings::GFP_ATOMIC
    }
}

/// The CPU the caller runs on (it may move right after; only for spreading load).
pub(crate) fn current_cpu() -> usize {
    // SAFETY: Reading the CPU number has no preconditions.
    unsafe { bindings::vcrs_raw_smp_processor_id() as usize }
}

/// Sleeps for at least `ms` milliseconds. Process context.
pub(crate) fn sleep_ms(ms: u32) {
    // SAFETY: Sleeping has no preconditions beyond process context, which callers promise.
    unsafe { bindings::msleep(ms) };
}

/// The `probe_unadvertised` module parameter (declared in `helpers.c`).
pub(crate) fn probe_unadvertised() -> bool {
    // SAFETY: Reads a module parameter, fixed after load.
    unsafe { bindings::vcrs_probe_unadvertised() }
}

/// Erases `buf` in a way the compiler cannot elide (`memzero_explicit`); for key material.
pub(crate) fn wipe(buf: &mut [u8]) {
    // SAFETY: `buf` is writable for `buf.len()` bytes.
    unsafe { bindings::vcrs_memzero_explicit(buf.as_mut_ptr().cast(), buf.len()) };
}

/// Errors the kernel crate of 6.12 has no constant for.
pub(crate) mod errno {
    use super::bindings;
    use kernel::error::Error;

    /// The operation continues asynchronously (`-EINPROGRESS`).
    pub(crate) fn einprogress() -> Error {
        Error::from_errno(-(bindings::EINPROGRESS as i32))
    }

    /// A wait timed out (`-ETIMEDOUT`).
    pub(crate) fn etimedout() -> Error {
        Error::from_errno(-(bindings::ETIMEDOUT as i32))
    }

    /// No key was set (`-ENOKEY`).
    pub(crate) fn enokey() -> Error {
        Error::from_errno(-(bindings::ENOKEY as i32))
    }

    /// A name does not fit (`-ENAMETOOLONG`).
    pub(crate) fn enametoolong() -> Error {
        Error::from_errno(-(bindings::ENAMETOOLONG as i32))
    }
}
