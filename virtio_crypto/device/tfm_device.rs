// SPDX-License-Identifier: GPL-2.0

//! The device a transform runs on, if any.
//!
//! A transform picks a ready device that serves its algorithm when it is created. It may
//! find none: an algorithm stays registered while transforms use it, also after its last
//! device was removed (hot-unplug). Such a transform, like one whose device went away,
//! runs in software; it looks for a device again whenever a key is set.

use super::{op_counters::OpCounters, registry::DeviceList, CryptoDevice};
use kernel::sync::Arc;

/// The device of one transform, or none.
pub(crate) struct TfmDevice {
    device: Option<Arc<CryptoDevice>>,
}

impl TfmDevice {
    /// Picks a device of `devices` that `serves` the algorithm, if there is one.
    pub(crate) fn pick(devices: &DeviceList, serves: impl Fn(&CryptoDevice) -> bool) -> Self {
        Self {
            device: devices.pick(serves),
        }
    }

    /// Picks again if the device is gone or there was none (a key is being set, in
    /// process context, with no request in flight). A device that is only not ready now
    /// is kept: it may become ready again.
    pub(crate) fn repick_if_gone(
        &mut self,
        devices: &DeviceList,
        serves: impl Fn(&CryptoDevice) -> bool,
    ) {
        if !self.device.as_ref().is_some_and(|d| d.is_alive()) {
            if let Some(device) = devices.pick(serves) {
                self.device = Some(device);
            }
        }
    }

    /// The device, if any (ready or not).
    pub(crate) fn get(&self) -> Option<&Arc<CryptoDevice>> {
        self.device.as_ref()
    }

    /// The device if it is ready to take sessions and requests.
    pub(crate) fn ready(&self) -> Option<&Arc<CryptoDevice>> {
        self.device.as_ref().filter(|d| d.is_ready())
    }

    /// Counts an operation on the device's counters (nothing without a device).
    pub(crate) fn count(&self, f: impl FnOnce(&OpCounters)) {
        if let Some(device) = &self.device {
            f(device.ops());
        }
    }
}
