// SPDX-License-Identifier: GPL-2.0

//! Virtqueues with one interrupt-safe lock around every operation.
//!
//! The C driver's history shows why: `get_buf` without the lock that `add_sgs` takes caused
//! "id N is not a head!" under parallel load. Here the only way to touch a queue is through
//! a [`VqGuard`], which holds the queue's [`IrqSpinLock`].

use super::{
    irq_lock::{ArcIrqSpinLockGuard, IrqSpinLock},
    scatterlist::SgTable,
    virtio::Reset,
};
use crate::kernel_api::bindings;
use core::{marker::PhantomData, ops::Deref, ptr::NonNull};
use kernel::{ffi::c_void, prelude::*, sync::Arc};

/// What one virtqueue submission sends and receives: its buffers, described by an
/// [`SgTable`] that borrows from the submission itself.
pub(crate) trait Submission {
    /// The scatterlist segments: device-readable ones first, then device-writable ones.
    fn segments(&self) -> Result<SgTable<'_>>;
}

/// An owning pointer that a queue can carry as its token: turned into a raw pointer while
/// the ring holds it, and back when the ring returns it. The layer's own trait (the kernel
/// crate's `ForeignOwnable` changed its shape between 6.12 and 7.x).
///
/// # Safety
///
/// The pointee stays at one address, alive and unmoved, for as long as the pointer (or the
/// raw form `into_raw_token` turned it into) exists; `into_raw_token` never returns null,
/// and `from_raw_token` turns that form back into the pointer.
pub(crate) unsafe trait QueueToken: Deref + Send + Sized {
    /// Gives up the pointer for its raw form, which owns what the pointer owned.
    fn into_raw_token(self) -> *mut c_void;

    /// Takes back the pointer `into_raw_token` gave up.
    ///
    /// # Safety
    ///
    /// `ptr` came from `into_raw_token` of this type and is turned back only once.
    unsafe fn from_raw_token(ptr: *mut c_void) -> Self;
}

// SAFETY: An `Arc`'s value lives in one heap allocation until the last reference goes; the
// raw form holds a reference (`Arc::into_raw`), never null.
unsafe impl<T: Submission + Send + Sync + 'static> QueueToken for Arc<T> {
    fn into_raw_token(self) -> *mut c_void {
        Arc::into_raw(self).cast_mut().cast()
    }

    unsafe fn from_raw_token(ptr: *mut c_void) -> Self {
        // SAFETY: `ptr` came from `Arc::into_raw` above and is turned back once (caller).
        unsafe { Arc::from_raw(ptr.cast_const().cast()) }
    }
}

/// What a queue's owner gets back when it detaches the queue ([`VqGuard::detach`]): a record
/// that it gave up the transport's queue. Deleting the queues does not depend on it: the
/// device's abstraction revokes every queue it created before deleting them.
pub(crate) struct Detached(#[allow(dead_code)] NonNull<bindings::virtqueue>);

/// The transport's pointer to one virtqueue, `None` once detached or revoked.
pub(super) struct QueuePtr(Option<NonNull<bindings::virtqueue>>);

// SAFETY: A virtqueue pointer may be handed between threads; it is only used under the
// lock of the [`QueueCell`] that holds it.
unsafe impl Send for QueuePtr {}

/// One transport queue as the abstraction tracks it: shared by the [`Virtqueue`] it is
/// attached to and by its device's abstraction state, which revokes it (under this lock)
/// before the queue is deleted ([`revoke`]).
///
/// # Invariants
///
/// While the pointer is set, it is a live virtqueue of a device bound to this driver.
pub(super) type QueueCell = IrqSpinLock<QueuePtr>;

/// Creates the cell of a queue `find_vqs` is about to create (empty until [`fill_cell`]).
pub(super) fn empty_cell() -> Result<Arc<QueueCell>> {
    Arc::pin_init(
        IrqSpinLock::new(
            QueuePtr(None),
            crate::irq_lock_class!("virtqueue::QueueCell"),
        ),
        GFP_KERNEL,
    )
}

/// Puts the queue `find_vqs` created into its cell.
///
/// # Safety
///
/// `ptr` must be a live virtqueue of a device bound to this driver that stays live until
/// the cell is revoked ([`revoke`]).
pub(super) unsafe fn fill_cell(cell: &QueueCell, ptr: NonNull<bindings::virtqueue>) {
    // INVARIANT: Live until revoked, per the caller.
    cell.lock().0 = Some(ptr);
}

/// Revokes a queue: no [`Virtqueue`] can reach it any more once this returns (an operation
/// in progress holds the cell's lock, which this waits for). Returns whether it was still
/// attached (its owner did not detach it: buffers still on its ring are lost).
pub(super) fn revoke(cell: &QueueCell) -> bool {
    cell.lock().0.take().is_some()
}

/// A queue the transport created, not yet attached to a [`Virtqueue`]. Only
/// [`super::virtio::Device::find_vqs`] makes one.
pub(crate) struct RawQueue(Arc<QueueCell>);

impl RawQueue {
    /// Wraps a cell created by `find_vqs` (which keeps a reference to revoke it).
    pub(super) fn new(cell: Arc<QueueCell>) -> Self {
        Self(cell)
    }
}

/// A virtqueue whose submissions carry tokens of type `T` (owned while the device has them).
///
/// # Invariants
///
/// `attached` holds the cell of the transport queue last attached, if any. Every token in that
/// queue's ring was produced by `T::into_raw_token` in [`VqGuard::add`] and is turned back
/// exactly once.
#[pin_data]
pub(crate) struct Virtqueue<T: QueueToken> {
    // Not `slot`: 7.x's `pin_init!` names its own pointer so, and a field of that name
    // shadows it for the fields initialized after it.
    #[pin]
    attached: IrqSpinLock<Option<Arc<QueueCell>>>,
    _token: PhantomData<T>,
}

impl<T: QueueToken> Virtqueue<T> {
    /// Creates a queue with no C queue attached yet.
    pub(crate) fn new() -> impl PinInit<Self> {
        pin_init!(Self {
            attached <- IrqSpinLock::new(None, crate::irq_lock_class!("Virtqueue")),
            _token: PhantomData,
        })
    }

    /// Attaches the transport's queue (replacing any earlier one, which its device's
    /// abstraction revokes when it deletes it).
    pub(crate) fn attach(&self, raw: RawQueue) {
        *self.attached.lock() = Some(raw.0);
    }

    /// Takes the queue's lock.
    pub(crate) fn lock(&self) -> VqGuard<'_, T> {
        let cell = self.attached.lock().clone();
        VqGuard {
            state: cell.map(IrqSpinLock::lock_arc),
            _token: PhantomData,
            _queue: PhantomData,
        }
    }
}

/// A locked [`Virtqueue`]: the lock of the transport queue attached when it was taken
/// (`None`: none was).
///
/// # Invariants
///
/// While `state` holds a pointer, it is a live virtqueue ([`QueueCell`]), and it stays so
/// while the guard holds the cell's lock.
pub(crate) struct VqGuard<'a, T: QueueToken> {
    state: Option<ArcIrqSpinLockGuard<QueuePtr>>,
    _token: PhantomData<T>,
    _queue: PhantomData<&'a Virtqueue<T>>,
}

impl<T: QueueToken> VqGuard<'_, T> {
    fn vq(&self) -> Option<*mut bindings::virtqueue> {
        self.state.as_ref()?.0.map(NonNull::as_ptr)
    }

    /// Adds one submission, the buffers its [`Submission::segments`] describe; the token
    /// owns them until the device returns it. On failure the token comes back with the
    /// error (`ENODEV` when detached, `ENOSPC` when the ring is full, the table's error
    /// when the segments cannot be described).
    pub(crate) fn add(&mut self, token: T) -> core::result::Result<(), (Error, T)>
    where
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
        let data = token.into_raw_token();
        let added = {
            // SAFETY: The pointee stays put and alive while the foreign form exists
            // (`QueueToken`), that is until `data` is turned back below or comes back from
            // the ring; the CPU only reads through this shared reference.
            let submission = unsafe { &*target };
            submission.segments().and_then(|mut sgs| {
                let (heads, n_out, n_in) = sgs.raw_heads()?;
                // SAFETY: `vq` is live and locked (type invariant); `heads` holds
                // `n_out + n_in` terminated scatterlists of linear-map buffers (`SgTable`)
                // that the token keeps alive until the device returns it.
                let ret = unsafe {
                    bindings::virtqueue_add_sgs(vq, heads, n_out, n_in, data.cast(), gfp)
                };
                kernel::error::to_result(ret)
            })
        };
        // SAFETY: On failure the ring did not take `data`, which came from `into_raw_token`
        // above and is turned back exactly once; the table borrowing it is gone.
        added.map_err(|e| (e, unsafe { T::from_raw_token(data) }))
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
        Some((unsafe { T::from_raw_token(data) }, len))
    }

    /// Takes back a submission the device never used, given proof that the queue's device
    /// was reset (`None` for another device's proof).
    pub(crate) fn detach_unused(&mut self, reset: &Reset) -> Option<T> {
        let vq = self.vq()?;
        // SAFETY: `vq` is live and locked (type invariant).
        if !unsafe { reset.covers_queue(vq) } {
            pr_err!("detach_unused: no proof that this queue's device is reset\n");
            return None;
        }
        // SAFETY: `vq` is live and locked; its device was reset and not made ready since
        // (`covers_queue`), so the device no longer uses its buffers.
        let data = unsafe { bindings::virtqueue_detach_unused_buf(vq) };
        if data.is_null() {
            return None;
        }
        // SAFETY: The ring returns only tokens we added, each once (type invariant).
        Some(unsafe { T::from_raw_token(data) })
    }

    /// Suppresses callbacks until [`Self::enable_cb_delayed`].
    pub(crate) fn disable_cb(&mut self) {
        if let Some(vq) = self.vq() {
            // SAFETY: `vq` is live and locked.
            unsafe { bindings::virtqueue_disable_cb(vq) };
        }
    }

    /// Re-enables callbacks, but asks the device (through the used event index) to
    /// interrupt only once about three quarters of the submissions now on the ring are
    /// done; `false` if that many arrived meanwhile (poll again). With one submission on the
    /// ring it interrupts on that one, as `virtqueue_enable_cb` would.
    pub(crate) fn enable_cb_delayed(&mut self) -> bool {
        match self.vq() {
            // SAFETY: `vq` is live and locked.
            Some(vq) => unsafe { bindings::virtqueue_enable_cb_delayed(vq) },
            None => true,
        }
    }

    /// Forgets the C queue (before it is deleted); later operations see a detached queue.
    /// Call [`Self::detach_unused`] and [`Self::get_buf`] until empty first. Returns the
    /// proof [`super::virtio::Device::delete_queues`] needs (`None` if already detached).
    pub(crate) fn detach(&mut self) -> Option<Detached> {
        self.state.as_mut()?.0.take().map(Detached)
    }
}
