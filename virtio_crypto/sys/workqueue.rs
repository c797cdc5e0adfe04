// SPDX-License-Identifier: GPL-2.0

//! A workqueue the module owns, so that module exit can wait for every queued work item
//! (`destroy_workqueue` drains it) before the module's code goes away.

use crate::sys::bindings;
use core::ptr::NonNull;
use kernel::{c_str, prelude::*, str::CStr, workqueue::Queue};

/// An allocated workqueue, destroyed (after draining) on drop.
///
/// # Invariants
///
/// `ptr` is a live workqueue allocated by `alloc_workqueue`.
pub(crate) struct OwnedQueue {
    ptr: NonNull<bindings::workqueue_struct>,
}

// SAFETY: Workqueues may be used and destroyed from any thread.
unsafe impl Send for OwnedQueue {}
// SAFETY: As above.
unsafe impl Sync for OwnedQueue {}

impl OwnedQueue {
    /// Allocates a high-priority workqueue with a rescuer thread (`WQ_MEM_RECLAIM`), as
    /// block-layer users such as dm-crypt require for forward progress.
    pub(crate) fn new(name: &'static CStr) -> Result<Self> {
        // SAFETY: The format is "%s" with one string argument that outlives the queue.
        let ptr = unsafe {
            bindings::alloc_workqueue(
                c_str!("%s").as_char_ptr(),
                bindings::WQ_MEM_RECLAIM | bindings::WQ_HIGHPRI,
                0,
                name.as_char_ptr(),
            )
        };
        Ok(Self {
            ptr: NonNull::new(ptr).ok_or(ENOMEM)?,
        })
    }

    /// The queue, for enqueueing work.
    ///
    /// The `'static` lifetime rests on how the module uses it: the queue is dropped only at
    /// module exit, after the virtio driver is unregistered, so no device can enqueue work
    /// on it any more, and destroying it waits for work already queued.
    pub(crate) fn queue(&self) -> &'static Queue {
        // SAFETY: `ptr` is live (type invariant) and, by the module's structure described
        // above, outlives every user of the returned reference.
        unsafe { Queue::from_raw(self.ptr.as_ptr().cast()) }
    }
}

impl Drop for OwnedQueue {
    fn drop(&mut self) {
        // SAFETY: `ptr` is live (type invariant); destroying drains queued work first.
        unsafe { bindings::destroy_workqueue(self.ptr.as_ptr()) };
    }
}
