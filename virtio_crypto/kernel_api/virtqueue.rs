// SPDX-License-Identifier: GPL-2.0

//! Virtqueues with one interrupt-safe lock around every operation.
//!
//! The C driver's history shows why: `get_buf` without the lock that `add_sgs` takes caused
//! "id N is not a head!" under parallel load. Here the only way to touch a queue is through
//! a [`VqGuard`], which holds the queue's [`IrqSpinLock`].

use super::{
    irq_lock::{IrqSpinLock, IrqSpinLockGuard},
    scatterlist::SgTable,
    virtio::Reset,
};
use crate::kernel_api::bindings;
use core::{marker::PhantomData, ops::Deref, ptr::NonNull};
use kernel::{prelude::*, sync::Arc, types::ForeignOwnable};

/// What one virtqueue submission sends and receives: its buffers, described by an
/// [`SgTable`] that borrows from the submission itself.
pub(crate) trait Submission {
    /// The scatterlist segments: device-readable ones first, then device-writable ones.
    fn segments(&self) -> Result<SgTable<'_>>;
}

/// An owning pointer to a [`Submission`] that a queue can carry as its token.
///
/// # Safety
///
/// The pointee stays at one address, alive and unmoved, for as long as the pointer (or the
/// foreign form `into_foreign` turned it into) exists, and `from_foreign` turns that form
/// back into the pointer.
pub(crate) unsafe trait QueueToken: ForeignOwnable + Deref + Send
where
    Self::Target: Submission,
{
}

// SAFETY: An `Arc`'s value lives in one heap allocation until the last reference goes; the
// foreign form holds a reference.
unsafe impl<T: Submission + Send + Sync + 'static> QueueToken for Arc<T> {}

/// Proof that a queue was detached: it no longer refers to the transport's queue, which may
/// now be deleted ([`super::virtio::Device::delete_queues`]).
pub(crate) struct Detached(pub(super) NonNull<bindings::virtqueue>);

/// A queue the transport created, not yet attached to a [`Virtqueue`].
pub(crate) struct RawQueue(NonNull<bindings::virtqueue>);

// SAFETY: A virtqueue pointer may be handed between threads; all use goes through the lock.
unsafe impl Send for RawQueue {}

impl RawQueue {
    /// Wraps a queue returned by `find_vqs`.
    ///
    /// # Safety
    ///
    /// `ptr` must be a live virtqueue that stays live until it is detached from the
    /// [`Virtqueue`] it is attached to.
    pub(crate) unsafe fn new(ptr: NonNull<bindings::virtqueue>) -> Self {
        Self(ptr)
    }
}

/// The lock-protected state of a queue: the C queue, or `None` once detached.
struct QueueState {
    vq: Option<NonNull<bindings::virtqueue>>,
}

// SAFETY: Only accessed under the queue's lock.
unsafe impl Send for QueueState {}

/// A virtqueue whose submissions carry tokens of type `T` (owned while the device has them).
///
/// # Invariants
///
/// While attached, `state.vq` is a live virtqueue. Every token in the ring was produced by
/// `T::into_foreign` in [`VqGuard::add`] and is turned back exactly once.
#[pin_data]
pub(crate) struct Virtqueue<T: ForeignOwnable> {
    #[pin]
    state: IrqSpinLock<QueueState>,
    _token: PhantomData<T>,
}

impl<T: ForeignOwnable> Virtqueue<T> {
    /// Creates a queue with no C queue attached yet.
    pub(crate) fn new() -> impl PinInit<Self> {
        pin_init!(Self {
            state <- IrqSpinLock::new(QueueState { vq: None }, crate::irq_lock_class!("Virtqueue")),
            _token: PhantomData,
        })
    }

    /// Attaches the transport's queue.
    pub(crate) fn attach(&self, raw: RawQueue) {
        self.state.lock().vq = Some(raw.0);
    }

    /// Takes the queue's lock.
    pub(crate) fn lock(&self) -> VqGuard<'_, T> {
        VqGuard {
            state: self.state.lock(),
            _token: PhantomData,
        }
    }
}

/// A locked [`Virtqueue`].
pub(crate) struct VqGuard<'a, T: ForeignOwnable> {
    state: IrqSpinLockGuard<'a, QueueState>,
    _token: PhantomData<T>,
}

impl<T: ForeignOwnable> VqGuard<'_, T> {
    fn vq(&self) -> Option<*mut bindings::virtqueue> {
        self.state.vq.map(NonNull::as_ptr)
    }

    /// Adds one submission, the buffers its [`Submission::segments`] describe; the token
    /// owns them until the device returns it. On failure the token comes back with the
    /// error (`ENODEV` when detached, `ENOSPC` when the ring is full, the table's error
    /// when the segments cannot be described).
    pub(crate) fn add(&mut self, token: T) -> core::result::Result<(), (Error, T)>
    where
        T: QueueToken,
        T::Target: Submission,
    {
        let Some(vq) = self.vq() else {
            return Err((ENODEV, token));
        };
        // Under an interrupt-safe lock: the ring's own allocations (an indirect descriptor
        // table) must not sleep. Their failure is handled, so it is not worth a warning:
        // the ring falls back to direct descriptors, or says it is full (`ENOSPC`) and the
        // job waits in the backlog or runs in software.
        let gfp = bindings::GFP_ATOMIC_NOWARN;
        let target: *const T::Target = &*token;
        let data = token.into_foreign() as *mut core::ffi::c_void;
        let added = {
            // SAFETY: The pointee stays put and alive while the foreign form exists
            // (`QueueToken`), that is until `data` is turned back below or comes back from
            // the ring; the CPU only reads through this shared reference.
            let submission = unsafe { &*target };
            submission.segments().and_then(|mut sgs| {
                let (heads, n_out, n_in) = sgs.raw_heads()?;
                // SAFETY: `vq` is live (type invariant) and we hold its lock; `heads` holds
                // `n_out + n_in` terminated scatterlists of linear-map buffers (`SgTable`)
                // that the token keeps alive until the device returns it.
                let ret = unsafe {
                    bindings::virtqueue_add_sgs(vq, heads, n_out, n_in, data.cast(), gfp)
                };
                kernel::error::to_result(ret)
            })
        };
        // SAFETY: On failure the ring did not take `data`, which came from `into_foreign`
        // above and is turned back exactly once; the table borrowing it is gone.
        added.map_err(|e| (e, unsafe { T::from_foreign(data) }))
    }

    /// Whether the virtio core found the ring broken (an answer naming a buffer that was
    /// not in flight, or the device marked failed): nothing can be added or taken any
    /// more until the device is reset.
    pub(crate) fn is_broken(&self) -> bool {
        match self.vq() {
            // SAFETY: `vq` is live and locked; a plain query.
            Some(vq) => unsafe { bindings::virtqueue_is_broken(vq) },
            None => false,
        }
    }

    /// Whether the ring holds no submissions at all (every descriptor free).
    pub(crate) fn is_idle(&self) -> bool {
        match self.vq() {
            // SAFETY: `vq` is live and locked; both reads are plain fields/queries.
            Some(vq) => unsafe { (*vq).num_free == bindings::virtqueue_get_vring_size(vq) },
            None => true,
        }
    }

    /// Notifies the device of new submissions.
    pub(crate) fn kick(&mut self) {
        if let Some(vq) = self.vq() {
            // SAFETY: `vq` is live and locked.
            unsafe { bindings::virtqueue_kick(vq) };
        }
    }

    /// Takes the next submission the device has finished, with the number of bytes the
    /// device says it wrote (untrusted).
    pub(crate) fn get_buf(&mut self) -> Option<(T, u32)> {
        let vq = self.vq()?;
        let mut len = 0u32;
        // SAFETY: `vq` is live and locked.
        let data = unsafe { bindings::virtqueue_get_buf(vq, &mut len) };
        if data.is_null() {
            return None;
        }
        // SAFETY: The ring returns only tokens we added, each once (type invariant).
        Some((unsafe { T::from_foreign(data) }, len))
    }

    /// Takes back a submission the device never used, given proof that the queue's device
    /// was reset (`None` for another device's proof).
    pub(crate) fn detach_unused(&mut self, reset: &Reset) -> Option<T> {
        let vq = self.vq()?;
        // SAFETY: `vq` is live and locked; `vdev` is a plain field.
        if unsafe { (*vq).vdev } != reset.vdev.as_ptr() {
            pr_err!("detach_unused: proof of reset for another device\n");
            return None;
        }
        // SAFETY: `vq` is live and locked; the caller reset the device.
        let data = unsafe { bindings::virtqueue_detach_unused_buf(vq) };
        if data.is_null() {
            return None;
        }
        // SAFETY: The ring returns only tokens we added, each once (type invariant).
        Some(unsafe { T::from_foreign(data) })
    }

    /// Suppresses callbacks until [`Self::enable_cb`].
    pub(crate) fn disable_cb(&mut self) {
        if let Some(vq) = self.vq() {
            // SAFETY: `vq` is live and locked.
            unsafe { bindings::virtqueue_disable_cb(vq) };
        }
    }

    /// Re-enables callbacks; `false` if more buffers arrived meanwhile (poll again).
    pub(crate) fn enable_cb(&mut self) -> bool {
        match self.vq() {
            // SAFETY: `vq` is live and locked.
            Some(vq) => unsafe { bindings::virtqueue_enable_cb(vq) },
            None => true,
        }
    }

    /// Forgets the C queue (before it is deleted); later operations see a detached queue.
    /// Call [`Self::detach_unused`] and [`Self::get_buf`] until empty first. Returns the
    /// proof [`super::virtio::Device::delete_queues`] needs (`None` if already detached).
    pub(crate) fn detach(&mut self) -> Option<Detached> {
        self.state.vq.take().map(Detached)
    }
}
