// SPDX-License-Identifier: GPL-2.0

//! Following a device's `HW_READY` bit. Configuration changes arrive in atomic context and
//! reading the configuration may sleep, so the driver re-reads it from a work item
//! ([`crate::catalog`]), which also decides what the change means for the algorithms.

use crate::{
    sys::virtio::{Device, DeviceRef},
    wire::{Config, RawConfig},
};
use core::sync::atomic::{AtomicBool, Ordering};
use kernel::prelude::*;

/// Whether a device is ready, kept current from its configuration space.
pub(crate) struct Readiness {
    dev: DeviceRef,
    index: i32,
    ready: AtomicBool,
    /// Whether the configuration may be read: cleared before the device is unbound or
    /// suspended, under the lock that serializes [`Readiness::refresh`].
    readable: AtomicBool,
}

impl Readiness {
    /// Readiness of `dev`, currently `ready`.
    pub(crate) fn new(device: &Device, ready: bool) -> Self {
        Self {
            dev: device.to_ref(),
            index: device.index(),
            ready: AtomicBool::new(ready),
            readable: AtomicBool::new(true),
        }
    }

    /// Whether the device said `HW_READY` when last read.
    pub(crate) fn is_ready(&self) -> bool {
        self.ready.load(Ordering::Acquire)
    }

    /// Allows or stops configuration reads. Stopping must be serialized with
    /// [`Self::refresh`] by the caller, and happen before the device is unbound.
    pub(crate) fn set_readable(&self, readable: bool) {
        self.readable.store(readable, Ordering::Release);
    }

    /// Re-reads `HW_READY` (unless reads are stopped) and logs a change. Process context.
    pub(crate) fn refresh(&self) {
        if !self.readable.load(Ordering::Acquire) {
            return;
        }
        // SAFETY: Still bound: reads are stopped (serialized with this call by the caller)
        // before the device's `remove` or `freeze` proceeds.
        let dev = unsafe { self.dev.device() };
        // An unusable configuration counts as not ready.
        let ready = Config::parse(&dev.read_config::<RawConfig>()).is_ok_and(|c| c.hw_ready);
        if self.ready.swap(ready, Ordering::AcqRel) != ready {
            pr_info!(
                "virtio{}: HW_READY {}\n",
                self.index,
                if ready {
                    "set: serving"
                } else {
                    "cleared: no new transforms, sessions or requests"
                }
            );
        }
    }
}
