// SPDX-License-Identifier: GPL-2.0

//! A workqueue the module owns, so that module exit can wait for every queued work item
//! (`destroy_workqueue` drains it) before the module's code goes away.
//!
//! The owner ([`OwnedQueue`]) destroys the queue when dropped; users hold counted handles
//! ([`QueueHandle`]) that can outlive it: once the queue is destroyed, enqueueing through a
//! handle refuses the work item instead of touching freed memory.

use super::{bindings, irq_lock::IrqSpinLock};
use core::ptr::NonNull;
use kernel::{
    prelude::*,
    str::CStr,
    sync::Arc,
    workqueue::{Queue, RawWorkItem},
};

/// The queue's pointer, shared by the owner and the handles.
///
/// # Invariants
///
/// While the lock holds `Some`, the pointer is a live workqueue from `alloc_workqueue`.
#[pin_data]
struct Shared {
    #[pin]
    queue: IrqSpinLock<Option<QueuePtr>>,
}

struct QueuePtr(NonNull<bindings::workqueue_struct>);

// SAFETY: A workqueue may be used from any thread.
unsafe impl Send for QueuePtr {}

/// An allocated workqueue, destroyed (after draining) on drop.
pub(crate) struct OwnedQueue {
    shared: Arc<Shared>,
}

/// A counted handle to an [`OwnedQueue`], for enqueueing work.
#[derive(Clone)]
pub(crate) struct QueueHandle {
    shared: Arc<Shared>,
}

impl OwnedQueue {
    /// Allocates a high-priority workqueue with a rescuer thread (`WQ_MEM_RECLAIM`), as
    /// block-layer users such as dm-crypt require for forward progress.
    pub(crate) fn new(name: &'static CStr) -> Result<Self> {
        Self::with_flags(name, bindings::WQ_MEM_RECLAIM | bindings::WQ_HIGHPRI)
    }

    /// Allocates a queue with `flags` (`WQ_*`, which `alloc_workqueue` checks).
    fn with_flags(name: &'static CStr, flags: u32) -> Result<Self> {
        // SAFETY: The name is a C string that outlives the queue (`'static`).
        let ptr = unsafe { bindings::vcrs_alloc_workqueue(name.as_char_ptr(), flags) };
        let ptr = QueuePtr(NonNull::new(ptr).ok_or(ENOMEM)?);
        let shared = Arc::pin_init(
            pin_init!(Shared {
                queue <- IrqSpinLock::new(Some(ptr), crate::irq_lock_class!("OwnedQueue")),
            }),
            GFP_KERNEL,
        )?;
        Ok(Self { shared })
    }

    /// Allocates a high-priority bottom-half workqueue (`WQ_BH`): its work items run in
    /// softirq context on the CPU that queued them, as tasklets did, right after the
    /// interrupt that queued them returns. They must not sleep.
    pub(crate) fn new_bh(name: &'static CStr) -> Result<Self> {
        Self::with_flags(name, bindings::WQ_BH | bindings::WQ_HIGHPRI)
    }

    /// A handle for enqueueing work on this queue.
    pub(crate) fn handle(&self) -> QueueHandle {
        QueueHandle {
            shared: self.shared.clone(),
        }
    }
}

impl Drop for OwnedQueue {
    fn drop(&mut self) {
        // No handle can enqueue once the pointer is taken out.
        let taken = self.shared.queue.lock().take();
        if let Some(QueuePtr(ptr)) = taken {
            // SAFETY: `ptr` is live (type invariant of `Shared`) and no longer reachable by
            // handles; destroying drains work already queued.
            unsafe { bindings::destroy_workqueue(ptr.as_ptr()) };
        }
    }
}

impl QueueHandle {
    /// Enqueues `w`; `Err(())` if the queue is destroyed already. Returns the work item's
    /// enqueue result otherwise (for example whether it was queued already). Any context.
    pub(crate) fn enqueue<W, const ID: u64>(
        &self,
        w: W,
    ) -> core::result::Result<W::EnqueueOutput, ()>
    where
        W: RawWorkItem<ID> + Send + 'static,
    {
        let queue = self.shared.queue.lock();
        let QueuePtr(ptr) = queue.as_ref().ok_or(())?;
        // SAFETY: The queue is live while the lock holds it (type invariant of `Shared`), and
        // the lock is held across the use, so the owner cannot destroy it meanwhile.
        let q = unsafe { Queue::from_raw(ptr.as_ptr().cast()) };
        Ok(q.enqueue(w))
    }
}
