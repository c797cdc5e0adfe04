// SPDX-License-Identifier: GPL-2.0

//! The devices the driver has bound, and how an algorithm's new transform picks one.

use super::crypto_device::CryptoDevice;
use crate::util::slots::Slots;
use core::sync::atomic::{AtomicUsize, Ordering};
use kernel::{new_mutex, prelude::*, sync::Arc, sync::Mutex};

/// Every bound device, ready or not. Removed devices leave an empty slot that the next one
/// reuses.
#[pin_data]
pub(crate) struct DeviceList {
    #[pin]
    slots: Mutex<Slots<Arc<CryptoDevice>>>,
    next: AtomicUsize,
}

impl DeviceList {
    /// An empty list.
    pub(crate) fn new() -> Result<Arc<Self>> {
        Arc::pin_init(
            pin_init!(Self {
                slots <- new_mutex!(Slots::new()),
                next: AtomicUsize::new(0),
            }),
            GFP_KERNEL,
        )
    }

    /// Adds a bound device.
    pub(crate) fn add(&self, dev: Arc<CryptoDevice>) -> Result {
        self.slots.lock().insert(dev)
    }

    /// Removes a device (it is going away).
    pub(crate) fn remove(&self, dev: &Arc<CryptoDevice>) {
        self.slots.lock().take_first(|d| Arc::ptr_eq(d, dev));
    }

    /// Every device in the list, in slot order.
    pub(crate) fn snapshot(&self) -> Result<KVec<Arc<CryptoDevice>>> {
        let slots = self.slots.lock();
        let mut all = KVec::with_capacity(slots.len(), GFP_KERNEL)?;
        for d in slots.iter() {
            all.push(d.clone(), GFP_KERNEL)?;
        }
        Ok(all)
    }

    /// Whether some live device accepts `filter`.
    pub(crate) fn any(&self, filter: impl Fn(&CryptoDevice) -> bool) -> bool {
        self.slots.lock().iter().any(|d| d.is_alive() && filter(d))
    }

    /// Picks a live device that accepts `filter`, spreading transforms round robin.
    pub(crate) fn pick(&self, filter: impl Fn(&CryptoDevice) -> bool) -> Option<Arc<CryptoDevice>> {
        let slots = self.slots.lock();
        let n = slots.len();
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        (0..n)
            .filter_map(|i| slots.get((start + i).checked_rem(n)?))
            .find(|d| d.is_alive() && filter(d))
            .cloned()
    }
}
