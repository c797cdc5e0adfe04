// SPDX-License-Identifier: GPL-2.0

//! Following a device's `HW_READY` bit. Configuration changes arrive in atomic context and
//! reading the configuration may sleep, so a work item reads it in process context.

use crate::{
    sys::virtio::{Device, DeviceRef},
    wire::{Config, RawConfig},
};
use core::sync::atomic::{AtomicBool, Ordering};
use kernel::{
    prelude::*,
    sync::Arc,
    workqueue::{impl_has_work, new_work, Queue, Work, WorkItem},
};

/// Whether a device is ready, kept current from its configuration space.
#[pin_data]
pub(crate) struct Readiness {
    #[pin]
    work: Work<Readiness>,
    dev: DeviceRef,
    index: i32,
    ready: AtomicBool,
    /// Cleared (and the work queue flushed) before the device is unbound.
    bound: AtomicBool,
    wq: &'static Queue,
}

impl_has_work! {
    impl HasWork<Self> for Readiness { self.work }
}

impl WorkItem for Readiness {
    type Pointer = Arc<Readiness>;

    fn run(this: Arc<Readiness>) {
        this.refresh();
    }
}

impl Readiness {
    /// Readiness of `dev`, currently `ready`; re-reads run on `wq`.
    pub(crate) fn new(device: &Device, ready: bool, wq: &'static Queue) -> Result<Arc<Self>> {
        let (dev, index) = (device.to_ref(), device.index());
        Arc::pin_init(
            pin_init!(Self {
                work <- new_work!("virtio_crypto_rs::Readiness::work"),
                dev,
                index,
                ready: AtomicBool::new(ready),
                bound: AtomicBool::new(true),
                wq,
            }),
            GFP_KERNEL,
        )
    }

    /// Whether the device said `HW_READY` when last read.
    pub(crate) fn is_ready(&self) -> bool {
        self.ready.load(Ordering::Acquire)
    }

    /// The configuration changed: re-read it soon. Any context.
    pub(crate) fn schedule(self: &Arc<Self>) {
        // Already queued is fine: that run reads the newest configuration.
        let _ = self.wq.enqueue(self.clone());
    }

    /// Stops re-reading; the caller then flushes the work queue before unbinding.
    pub(crate) fn unbind(&self) {
        self.bound.store(false, Ordering::Release);
    }

    fn refresh(&self) {
        if !self.bound.load(Ordering::Acquire) {
            return;
        }
        // SAFETY: Still bound: `unbind` clears `bound` and the driver flushes the work queue
        // (waiting for this run) before its `remove` returns.
        let dev = unsafe { self.dev.device() };
        // An unusable configuration counts as not ready.
        let ready = Config::parse(&dev.read_config::<RawConfig>()).is_ok_and(|c| c.hw_ready);
        if self.ready.swap(ready, Ordering::AcqRel) != ready {
            pr_info!(
                "virtio{}: HW_READY {}\n",
                self.index,
                if ready {
                    "set: serving again"
                } else {
                    "cleared: no new transforms, sessions or requests"
                }
            );
        }
    }
}
