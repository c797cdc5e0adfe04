// SPDX-License-Identifier: GPL-2.0

//! Following a device's `HW_READY` bit. Configuration changes arrive in atomic context and
//! reading the configuration may sleep, so the driver re-reads it from a work item
//! ([`crate::catalog`]), which also decides what the change means for the algorithms.

use crate::{
    kernel_api::virtio::ConfigReader,
    wire::{Config, RawConfig},
};
use core::sync::atomic::{AtomicBool, Ordering};
use kernel::{prelude::*, sync::Arc};

/// Whether a device is ready, kept current from its configuration space.
pub(crate) struct Readiness {
    config: Arc<ConfigReader>,
    index: i32,
    ready: AtomicBool,
}

impl Readiness {
    /// Readiness of device `virtio<index>`, currently `ready`, read through `config`.
    pub(crate) fn new(config: Arc<ConfigReader>, index: i32, ready: bool) -> Self {
        Self {
            config,
            index,
            ready: AtomicBool::new(ready),
        }
    }

    /// Whether the device said `HW_READY` when last read.
    pub(crate) fn is_ready(&self) -> bool {
        self.ready.load(Ordering::Acquire)
    }

    /// Re-reads `HW_READY` (unless reads are stopped: the device is going away or
    /// suspended) and logs a change. Process context.
    pub(crate) fn refresh(&self) {
        let Some(raw) = self.config.read::<RawConfig>() else {
            return;
        };
        // An unusable configuration counts as not ready.
        let ready = Config::parse(&raw).is_ok_and(|c| c.hw_ready);
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
