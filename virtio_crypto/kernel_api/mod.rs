// SPDX-License-Identifier: GPL-2.0

//! The thin abstraction layer between the driver and the C kernel APIs that 6.12's `kernel`
//! crate does not cover: virtio devices and virtqueues, scatterlists, jobs in request
//! contexts, completions, an interrupt-safe lock, an owned workqueue, debugfs, key material,
//! the wire format as bytes, and the Crypto API (one file per algorithm type). All `unsafe`
//! code and raw bindings of the driver live here; the modules above use only the safe types
//! these modules export.

#[path = "aes.rs"]
pub(crate) mod aes;
// Raw bindings: for the abstraction modules only (private to `kernel_api`).
#[path = "bindings.rs"]
mod bindings;
#[path = "completion.rs"]
pub(crate) mod completion;
#[path = "crypto/mod.rs"]
pub(crate) mod crypto;
#[path = "debugfs.rs"]
pub(crate) mod debugfs;
#[path = "irq_lock.rs"]
pub(crate) mod irq_lock;
#[path = "job.rs"]
pub(crate) mod job;
#[path = "module_param.rs"]
pub(crate) mod module_param;
#[path = "ratelimit.rs"]
pub(crate) mod ratelimit;
#[path = "request.rs"]
pub(crate) mod request;
#[path = "scatterlist.rs"]
pub(crate) mod scatterlist;
#[path = "secret.rs"]
pub(crate) mod secret;
#[path = "virtio.rs"]
pub(crate) mod virtio;
#[path = "virtqueue.rs"]
pub(crate) mod virtqueue;
#[path = "wire_bytes.rs"]
pub(crate) mod wire_bytes;
#[path = "workqueue.rs"]
pub(crate) mod workqueue;

/// The kernel crate's marker traits for plain data: every byte initialized (`AsBytes`), any
/// bit pattern valid (`FromBytes`).
pub(crate) use plain_data::{AsBytes, FromBytes};

/// 6.12 has the marker traits in `kernel::types`, 7.x in `kernel::transmute`.
mod plain_data {
    #[cfg(vcrs_kernel_7)]
    pub(crate) use kernel::transmute::{AsBytes, FromBytes};
    #[cfg(not(vcrs_kernel_7))]
    pub(crate) use kernel::types::{AsBytes, FromBytes};
}

/// `s` with its terminating NUL (6.12's own `CStr`: `as_bytes_with_nul`; 7.x's is core's).
pub(crate) fn cstr_bytes_with_nul(s: &kernel::str::CStr) -> &[u8] {
    #[cfg(not(vcrs_kernel_7))]
    return s.as_bytes_with_nul();
    #[cfg(vcrs_kernel_7)]
    return s.to_bytes_with_nul();
}

/// `module!` with the fields the driver uses, as each kernel spells them (6.12: `author`;
/// 7.x: `authors`, a list).
#[cfg(not(vcrs_kernel_7))]
macro_rules! driver_module {
    (type: $type:ident, name: $name:tt, author: $author:tt, description: $description:tt,
     license: $license:tt, alias: [$($alias:tt),* $(,)?] $(,)?) => {
        kernel::prelude::module! {
            type: $type,
            name: $name,
            author: $author,
            description: $description,
            license: $license,
            alias: [$($alias),*],
        }
    };
}
#[cfg(vcrs_kernel_7)]
macro_rules! driver_module {
    (type: $type:ident, name: $name:tt, author: $author:tt, description: $description:tt,
     license: $license:tt, alias: [$($alias:tt),* $(,)?] $(,)?) => {
        kernel::prelude::module! {
            type: $type,
            name: $name,
            authors: [$author],
            description: $description,
            license: $license,
            alias: [$($alias),*],
        }
    };
}
pub(crate) use driver_module;

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

/// Milliseconds since boot (jiffies: coarse). Any context.
pub(crate) fn now_ms() -> u64 {
    // SAFETY: Reads the jiffies counter; no preconditions.
    unsafe { bindings::vcrs_now_ms() }
}

/// Nanoseconds since boot (the monotonic clock, `ktime_get`). Any context.
pub(crate) fn now_ns() -> u64 {
    // SAFETY: Reads the monotonic clock; no preconditions.
    let now = unsafe { bindings::ktime_get() };
    u64::try_from(now).unwrap_or(0)
}

crate::module_param! {
    /// `probe_unadvertised` (read-only after load).
    static PROBE_UNADVERTISED: bool = false, perm 0o444, "probe_unadvertised",
        "Also offer ciphers the device does not advertise but accepts in a trial session (QEMU's builtin backend serves ECB, CTR, XTS and 3DES without advertising them). Off by default: the specification says drivers follow the advertised masks.";
    /// `request_timeout_ms` (writable at run time).
    static REQUEST_TIMEOUT_MS: uint = 30000, perm 0o644, "request_timeout_ms",
        "How long a data queue may hold requests without answering any before the device is reset and set up again; its unanswered requests then run in software (default 30000; 0: never)";
    /// `force_software` (writable at run time).
    static FORCE_SOFTWARE: bool = false, perm 0o644, "force_software",
        "Diagnosis: run every request in software, as if no device could take it (counted as 'forced' in debugfs virtio_crypto_rs/algorithms). Devices are still bound and algorithms still registered. Writable at run time.";
    /// `complete_in_softirq` (writable at run time).
    static COMPLETE_IN_SOFTIRQ: bool = true, perm 0o644, "complete_in_softirq",
        "Finish the device's answers in softirq context (a bottom-half work item, right after the interrupt), handing a long run of answers over to a kernel worker; off: always in the worker, one thread hop more per interrupt (default on). Writable at run time.";
    /// `sync_software_below` (writable at run time).
    static SYNC_SOFTWARE_BELOW: int = -1, perm 0o644, "sync_software_below",
        "Requests whose submitter sleeps until they complete (AF_ALG, keyctl, crypto_wait_req users) run in software when that is faster than the device's round trip: -1 (default) decides per algorithm, direction and size from measured times; N > 0: below N bytes; 0: never (always offload). Counted as 'small' in debugfs virtio_crypto_rs/algorithms. Writable at run time.";
}

/// The module's version, `version=` in `.modinfo`: what C's `MODULE_VERSION("0.1.0")`
/// writes, which 6.12's `module!` has no key for. Written as `module!` writes its own strings
/// for a loadable module (a NUL-terminated `key=value`, byte-aligned, in `.modinfo`), so
/// `modinfo` and `/sys/module/virtio_crypto_rs/version` show it, and modpost gives a module
/// with a version a `srcversion` (a hash of its sources). Keep it in step with CHANGELOG.md;
/// scripts/test.sh checks what `modinfo` shows.
const VERSION: &str = "version=0.1.0\0";
#[link_section = ".modinfo"]
#[used]
static MODINFO_VERSION: [u8; VERSION.len()] = module_param::modinfo(VERSION);

/// The `request_timeout_ms` module parameter (writable at run time): how long a data queue
/// may hold requests without answering any; 0: no limit.
pub(crate) fn request_timeout_ms() -> u32 {
    REQUEST_TIMEOUT_MS.get()
}

/// The `force_software` module parameter (writable at run time): whether every request is
/// to run in software (a diagnosis switch).
pub(crate) fn force_software() -> bool {
    FORCE_SOFTWARE.get()
}

/// The `complete_in_softirq` module parameter (writable at run time): whether data queues
/// finish answers in softirq context first.
pub(crate) fn complete_in_softirq() -> bool {
    COMPLETE_IN_SOFTIRQ.get()
}

/// The `sync_software_below` module parameter (writable at run time), as a policy.
pub(crate) fn sync_software_below() -> SyncSoftware {
    match SYNC_SOFTWARE_BELOW.get() {
        0 => SyncSoftware::Never,
        n if n > 0 => SyncSoftware::Below(n as usize),
        _ => SyncSoftware::Measured,
    }
}

/// Which requests of a synchronous waiter run in software because they are small
/// (`sync_software_below`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SyncSoftware {
    /// None: every request goes to the device (`0`).
    Never,
    /// Those with fewer bytes than this (`N > 0`).
    Below(usize),
    /// Those for which software measured faster than the device (`-1`).
    Measured,
}

/// The `probe_unadvertised` module parameter (fixed after load): whether algorithms the
/// device does not advertise get trial sessions too.
pub(crate) fn probe_unadvertised() -> bool {
    PROBE_UNADVERTISED.get()
}

/// Errors the kernel crate of 6.12 has no constant for.
pub(crate) mod errno {
    use super::bindings;
    use kernel::error::Error;

    /// The C return value for `result`: 0, or the negative errno.
    pub(crate) fn to_c(result: kernel::error::Result) -> kernel::ffi::c_int {
        match result {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }

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

    /// Authentication failed: the tag does not match (`-EBADMSG`).
    pub(crate) fn ebadmsg() -> Error {
        Error::from_errno(-(bindings::EBADMSG as i32))
    }

    /// An output buffer is too small (`-EOVERFLOW`).
    pub(crate) fn eoverflow() -> Error {
        Error::from_errno(-(bindings::EOVERFLOW as i32))
    }

    /// A signature does not verify (`-EKEYREJECTED`, as the kernel's ECDSA says it).
    pub(crate) fn ekeyrejected() -> Error {
        Error::from_errno(-(bindings::EKEYREJECTED as i32))
    }

    /// The algorithm has no such operation (`-ENOSYS`, the Crypto API's default).
    pub(crate) fn enosys() -> Error {
        Error::from_errno(-(bindings::ENOSYS as i32))
    }

    /// A name does not fit (`-ENAMETOOLONG`).
    pub(crate) fn enametoolong() -> Error {
        Error::from_errno(-(bindings::ENAMETOOLONG as i32))
    }

    /// An error as the driver's log lines show it, the same on every kernel: `error -5`.
    /// (The kernel crate's `Debug` prints `Error(5)`, or `EIO` where the kernel has
    /// `CONFIG_SYMBOLIC_ERRNAME`, as Debian's does.)
    pub(crate) struct Logged(pub(crate) Error);

    // 7.x's `pr_*!` format with the kernel crate's own `Display` trait.
    #[cfg(not(vcrs_kernel_7))]
    use core::fmt::Display;
    #[cfg(vcrs_kernel_7)]
    use kernel::fmt::Display;

    impl Display for Logged {
        fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            write!(f, "error {}", self.0.to_errno())
        }
    }
}
