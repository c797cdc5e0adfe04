// SPDX-License-Identifier: GPL-2.0

//! The devices the driver has bound, and how an algorithm's new transform picks one.

use crate::device::CryptoDevice;
use core::sync::atomic::{AtomicUsize, Ordering};
use kernel::{new_mutex, prelude::*, sync::Arc, sync::Mutex};

/// Every ready device. Removed devices leave an empty slot that the next one reuses.
#[pin_data]
pub(crate) struct DeviceList {
    #[pin]
    slots: Mutex<KVec<Option<Arc<CryptoDevice>>>>,
    next: AtomicUsize,
}

impl DeviceList {
    /// An empty list.
    pub(crate) fn new() -> Result<Arc<Self>> {
        Arc::pin_init(
            pin_init!(Self {
                slots <- new_mutex!(KVec::new()),
                next: AtomicUsize::new(0),
            }),
            GFP_KERNEL,
        )
    }

    /// Adds a device that is ready for requests.
    pub(crate) fn add(&self, dev: Arc<CryptoDevice>) -> Result {
        let mut slots = self.slots.lock();
        match slots.iter_mut().find(|s| s.is_none()) {
            Some(free) => *free = Some(dev),
            None => slots.push(Some(dev), GFP_KERNEL)?,
        }
        Ok(())
    }

    /// Removes a device (it is going away).
    pub(crate) fn remove(&self, dev: &Arc<CryptoDevice>) {
        for slot in self.slots.lock().iter_mut() {
            if slot.as_ref().is_some_and(|d| Arc::ptr_eq(d, dev)) {
                *slot = None;
            }
        }
    }

    /// Picks a live device that accepts `filter`, spreading transforms round robin.
    pub(crate) fn pick(&self, filter: impl Fn(&CryptoDevice) -> bool) -> Option<Arc<CryptoDevice>> {
        let slots = self.slots.lock();
        let n = slots.len();
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        (0..n)
            .filter_map(|i| slots[(start + i).checked_rem(n)?].as_ref())
            .find(|d| d.is_alive() && filter(d))
            .cloned()
    }
}
