// SPDX-License-Identifier: GPL-2.0

//! A first-in first-out queue of values living in request contexts ([`ReqBox`]), linked
//! through the values themselves, so queueing never allocates.

use super::skcipher::ReqBox;
use core::ptr;

/// A value that carries the link a [`ReqFifo`] needs.
pub(crate) trait Linked: Sized {
    /// The link to the next element; `None` while not queued.
    fn link(&mut self) -> &mut Option<ReqBox<Self>>;
}

/// A FIFO of [`ReqBox`]es.
///
/// # Invariants
///
/// `tail` is null exactly when `head` is `None`; otherwise it points to the last element of
/// the chain starting at `head`, which owns it.
pub(crate) struct ReqFifo<C: Linked> {
    head: Option<ReqBox<C>>,
    tail: *mut C,
}

// SAFETY: The queue owns its elements; `tail` only points into them.
unsafe impl<C: Linked + Send> Send for ReqFifo<C> {}

impl<C: Linked> ReqFifo<C> {
    /// An empty queue.
    pub(crate) const fn new() -> Self {
        Self {
            head: None,
            tail: ptr::null_mut(),
        }
    }

    /// Whether the queue is empty.
    pub(crate) fn is_empty(&self) -> bool {
        self.head.is_none()
    }

    /// Appends `v`.
    pub(crate) fn push_back(&mut self, mut v: ReqBox<C>) {
        *v.link() = None;
        let new_tail: *mut C = &mut *v;
        if self.tail.is_null() {
            self.head = Some(v);
        } else {
            // SAFETY: `tail` points to the last element, owned by the chain (type invariant),
            // and nothing else references it while we hold `&mut self`.
            unsafe { *(*self.tail).link() = Some(v) };
        }
        self.tail = new_tail;
    }

    /// Puts `v` back in front (it was taken with [`ReqFifo::pop_front`] and could not go on).
    pub(crate) fn push_front(&mut self, mut v: ReqBox<C>) {
        *v.link() = self.head.take();
        if self.tail.is_null() {
            self.tail = &mut *v;
        }
        self.head = Some(v);
    }

    /// Takes the oldest element.
    pub(crate) fn pop_front(&mut self) -> Option<ReqBox<C>> {
        let mut first = self.head.take()?;
        self.head = first.link().take();
        if self.head.is_none() {
            self.tail = ptr::null_mut();
        }
        Some(first)
    }
}

impl<C: Linked> Drop for ReqFifo<C> {
    fn drop(&mut self) {
        // Iteratively, so a long queue does not recurse; owners empty it before this.
        while self.pop_front().is_some() {}
    }
}
