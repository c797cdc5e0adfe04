// SPDX-License-Identifier: GPL-2.0

//! Watching a device for requests it does not answer.
//!
//! While requests are on its rings, a work item looks at the device's data queues every
//! second. A queue whose ring the virtio core marked broken (an answer naming a buffer it
//! never had), or that held requests without answering any for `request_timeout_ms` (a
//! module parameter), gets the device reset and set up again ([`Recovery`]): the requests
//! it held run in software, as on removal, the sessions are created again and the backlog
//! goes to the fresh rings. A device that sets `DEVICE_NEEDS_RESET` (the configuration
//! interrupt tells, [`Watchdog::status_changed`]) gets the same at once. A device that
//! needs this more than [`MAX_RECOVERIES`] times is given up: its unanswered requests then
//! wait for its removal.

use crate::{
    kernel_api::{
        errno::Logged, now_ms, request_timeout_ms, sleep_ms, virtio::Recovery,
        workqueue::QueueHandle,
    },
    transport::dataq::DataQueue,
};
use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use kernel::{
    prelude::*,
    sync::Arc,
    workqueue::{impl_has_work, new_work, Work, WorkItem},
};

/// How often the queues are looked at while requests are in flight, in milliseconds.
const CHECK_EVERY_MS: u32 = 1000;

/// How many times a device is reset before it is given up.
pub(crate) const MAX_RECOVERIES: u32 = 3;

/// The watchdog of one device.
#[pin_data]
pub(crate) struct Watchdog {
    index: i32,
    queues: KVec<Arc<DataQueue>>,
    recovery: Arc<Recovery>,
    wq: QueueHandle,
    /// Set while the work item is queued or running.
    armed: AtomicBool,
    /// Set when the device goes away: the work item ends at its next look.
    stopped: AtomicBool,
    /// Set by a configuration interrupt: the next look reads the device status.
    status_changed: AtomicBool,
    /// Resets so far.
    recoveries: AtomicU32,
    #[pin]
    work: Work<Watchdog>,
}

impl_has_work! {
    impl HasWork<Self> for Watchdog { self.work }
}

impl WorkItem for Watchdog {
    type Pointer = Arc<Watchdog>;

    fn run(this: Arc<Watchdog>) {
        // No delayed work in 6.12's kernel crate: this worker sleeps instead.
        sleep_ms(CHECK_EVERY_MS);
        if this.stopped.load(Ordering::Acquire) {
            this.armed.store(false, Ordering::Release);
            return;
        }
        this.look();
        if this.is_idle() {
            this.armed.store(false, Ordering::Release);
            // A request or an interrupt that came meanwhile may have seen it armed: look
            // again for it.
            if this.is_idle() || this.armed.swap(true, Ordering::AcqRel) {
                return;
            }
        }
        let _ = this.wq.enqueue(this.clone());
    }
}

impl Watchdog {
    /// The watchdog of device `virtio<index>` with data queues `queues`, resetting it
    /// through `recovery`; its work item runs on `wq`.
    pub(crate) fn new(
        index: i32,
        queues: KVec<Arc<DataQueue>>,
        recovery: Arc<Recovery>,
        wq: QueueHandle,
    ) -> Result<Arc<Self>> {
        Arc::pin_init(
            pin_init!(Self {
                index,
                queues,
                recovery,
                wq,
                armed: AtomicBool::new(false),
                stopped: AtomicBool::new(false),
                status_changed: AtomicBool::new(false),
                recoveries: AtomicU32::new(0),
                work <- new_work!("virtio_crypto_rs::Watchdog::work"),
            }),
            GFP_KERNEL,
        )
    }

    /// A request went to a ring or a backlog: watch the queues until they hold none again.
    /// Any context.
    pub(crate) fn arm(self: &Arc<Self>) {
        if self.armed.load(Ordering::Relaxed) || self.armed.swap(true, Ordering::AcqRel) {
            return;
        }
        let _ = self.wq.enqueue(self.clone());
    }

    /// The device raised a configuration interrupt (it may have set `DEVICE_NEEDS_RESET`):
    /// the work item reads its status at its next look. Any context.
    pub(crate) fn status_changed(self: &Arc<Self>) {
        self.status_changed.store(true, Ordering::Release);
        self.arm();
    }

    /// The device goes away: the work item ends.
    pub(crate) fn stop(&self) {
        self.stopped.store(true, Ordering::Release);
    }

    /// Nothing to watch: no request on the rings or in the backlogs, no status to read.
    fn is_idle(&self) -> bool {
        self.queues.iter().all(|q| q.is_quiet()) && !self.status_changed.load(Ordering::Acquire)
    }

    /// Resets so far.
    pub(crate) fn recoveries(&self) -> u32 {
        self.recoveries.load(Ordering::Relaxed)
    }

    /// Looks at the device status (after a configuration interrupt) and at every queue;
    /// resets the device if it needs a reset, or a queue is broken or stalled.
    fn look(&self) {
        let timeout = u64::from(request_timeout_ms());
        let now = now_ms();
        let needs_reset =
            self.status_changed.swap(false, Ordering::AcqRel) && self.recovery.needs_reset();
        let stuck = self.queues.iter().enumerate().find_map(|(i, q)| {
            if q.is_broken() {
                Some((i, "its ring is broken"))
            } else if timeout > 0 && q.unanswered_for(now) > timeout {
                Some((i, "it answered none of its requests in time"))
            } else {
                None
            }
        });
        if !needs_reset && stuck.is_none() {
            return;
        }
        let done = self.recoveries.load(Ordering::Relaxed);
        if done >= MAX_RECOVERIES {
            return;
        }
        match stuck {
            Some((queue, why)) => pr_warn!(
                "virtio{}: dataq{}: {}; resetting the device ({} of {})\n",
                self.index,
                queue,
                why,
                done + 1,
                MAX_RECOVERIES
            ),
            None => pr_warn!(
                "virtio{}: it set DEVICE_NEEDS_RESET; resetting the device ({} of {})\n",
                self.index,
                done + 1,
                MAX_RECOVERIES
            ),
        }
        match self.recovery.recover() {
            Ok(()) => pr_info!("virtio{}: reset and set up again\n", self.index),
            // Removed, suspended or shutting down meanwhile: not an attempt.
            Err(e) if e == ENODEV => {
                pr_info!("virtio{}: not reset: gone or suspended\n", self.index);
                return;
            }
            Err(e) => pr_err!("virtio{}: reset failed: {}\n", self.index, Logged(e)),
        }
        self.recoveries.store(done + 1, Ordering::Relaxed);
        if done + 1 == MAX_RECOVERIES {
            pr_warn!(
                "virtio{}: no more resets; requests it does not answer wait for its removal\n",
                self.index
            );
        }
    }
}
