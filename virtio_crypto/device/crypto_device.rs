// SPDX-License-Identifier: GPL-2.0

//! One virtio crypto device: its validated configuration, its control queue, its data
//! queues and how jobs are spread over them, its sessions, what its trial sessions found,
//! and how many transforms it serves.

use super::{
    op_counters::OpCounters, readiness::Readiness, trials::TrialResults, watchdog::Watchdog,
};
use crate::{
    kernel_api::{
        current_cpu,
        debugfs::SeqWriter,
        errno::Logged,
        job::JobBox,
        sleep_ms,
        virtio::{self, ConfigReader, Feature, Recovery, Reset},
        virtqueue::Detached,
        workqueue::QueueHandle,
    },
    session::{
        book::{self, DeviceSession, SessionBook},
        spec::SessionSpec,
    },
    transport::{
        control::ControlQueue,
        dataq::{DataQueue, Queued},
    },
    wire::{Config, Direction, RawConfig},
};
use core::{
    fmt::Write,
    sync::atomic::{AtomicBool, AtomicI64, Ordering},
};
use kernel::{c_str, prelude::*, str::CStr, sync::Arc};

/// How long a suspend waits for requests in flight before failing them, in milliseconds.
const FREEZE_WAIT_MS: u32 = 5_000;

/// The names of the queues of a device with `n_data` data queues, in virtqueue order.
fn queue_names(n_data: usize) -> Result<KVec<&'static CStr>> {
    let mut names = KVec::with_capacity(n_data + 1, GFP_KERNEL)?;
    for _ in 0..n_data {
        names.push(c_str!("dataq"), GFP_KERNEL)?;
    }
    names.push(c_str!("controlq"), GFP_KERNEL)?;
    Ok(names)
}

/// Where a device's transforms run: counters for debugfs.
#[derive(Default)]
pub(crate) struct Placement {
    /// Transforms with at least one session on the device.
    pub(crate) device: AtomicI64,
    /// Transforms the device refused a session, served in software.
    pub(crate) software: AtomicI64,
}

/// A bound virtio crypto device.
pub(crate) struct CryptoDevice {
    index: i32,
    config: Config,
    control: Arc<ControlQueue>,
    data: KVec<Arc<DataQueue>>,
    sessions: Pin<KBox<SessionBook>>,
    alive: AtomicBool,
    /// The device's `HW_READY` bit, kept current.
    readiness: Readiness,
    /// What the trial sessions found.
    trials: TrialResults,
    /// Where the driver's work items run (completions, sessions opened in the background).
    wq: QueueHandle,
    placement: Placement,
    ops: OpCounters,
    /// Resets the device if it stops answering.
    watchdog: Arc<Watchdog>,
}

impl CryptoDevice {
    /// Reads and validates the configuration and creates the queues (probe, before the
    /// device is ready). Work items run on `wq`, completions in softirq on `bh`; `reader`
    /// reads the configuration later; `recovery` resets the device if it stops answering.
    pub(crate) fn probe(
        dev: &virtio::Device,
        reader: Arc<ConfigReader>,
        recovery: Arc<Recovery>,
        wq: QueueHandle,
        bh: QueueHandle,
    ) -> Result<Self> {
        let index = dev.index();
        if !dev.has_feature(Feature::VERSION_1) {
            pr_err!(
                "virtio{}: device does not offer VIRTIO_F_VERSION_1\n",
                index
            );
            return Err(ENODEV);
        }
        let config = Config::parse(&dev.read_config::<RawConfig>()).map_err(|e| {
            pr_err!("virtio{}: unusable configuration: {:?}\n", index, e);
            EINVAL
        })?;

        let n_data = config.data_queues as usize;
        let names = queue_names(n_data)?;

        let control = Arc::pin_init(ControlQueue::new(index), GFP_KERNEL)?;
        let mut data = KVec::with_capacity(n_data, GFP_KERNEL)?;
        for queue in 0..n_data {
            data.push(
                Arc::pin_init(
                    DataQueue::new(wq.clone(), bh.clone(), index, queue),
                    GFP_KERNEL,
                )?,
                GFP_KERNEL,
            )?;
        }
        // A device with fewer virtqueues than its configuration announces fails here
        // (the transport refuses the queue index past its last one).
        let mut raw = dev
            .find_vqs(&names)
            .inspect_err(|e| {
                pr_err!(
                    "virtio{}: cannot set up the {} data queue(s) and the control queue its configuration announces: error {}\n",
                    index,
                    n_data,
                    e.to_errno()
                )
            })?
            .into_iter();
        for q in data.iter() {
            q.attach(raw.next().ok_or(EINVAL)?);
        }
        control.attach(raw.next().ok_or(EINVAL)?);
        let mut watched = KVec::with_capacity(data.len(), GFP_KERNEL)?;
        for q in data.iter() {
            watched.push(q.clone(), GFP_KERNEL)?;
        }
        let watchdog = Watchdog::new(index, watched, recovery, wq.clone())?;

        Ok(Self {
            index,
            config,
            control,
            data,
            sessions: KBox::pin_init(SessionBook::new(index), GFP_KERNEL)?,
            alive: AtomicBool::new(true),
            readiness: Readiness::new(reader, index, config.hw_ready),
            trials: TrialResults::new(),
            wq,
            placement: Placement::default(),
            ops: OpCounters::default(),
            watchdog,
        })
    }

    /// The validated configuration read at probe.
    pub(crate) fn config(&self) -> &Config {
        &self.config
    }

    /// The device's index, as in `virtio<index>`.
    pub(crate) fn index(&self) -> i32 {
        self.index
    }

    /// Whether the device is still bound and usable.
    pub(crate) fn is_alive(&self) -> bool {
        self.alive.load(Ordering::Acquire)
    }

    /// Whether the device is bound and says it is ready (`HW_READY`): only then do new
    /// transforms pick it, keys get sessions and requests go to it.
    pub(crate) fn is_ready(&self) -> bool {
        self.is_alive() && self.readiness.is_ready()
    }

    /// Re-reads `HW_READY`. Process context.
    pub(crate) fn refresh_readiness(&self) {
        self.readiness.refresh();
    }

    /// What the trial sessions found (written by the catalog when the device is first
    /// ready).
    pub(crate) fn trials(&self) -> &TrialResults {
        &self.trials
    }

    /// Creates and destroys the session `spec` describes: whether the device accepts it.
    /// Process context.
    pub(crate) fn try_session(&self, spec: &SessionSpec) -> bool {
        book::try_session(&self.control, spec, Direction::Encrypt)
    }

    /// Opens the session `spec` describes for direction `dir`, kept for re-creation after
    /// a reset. Process context.
    pub(crate) fn open_session(
        &self,
        spec: &Arc<SessionSpec>,
        dir: Direction,
    ) -> Result<Arc<DeviceSession>> {
        if !self.is_ready() {
            return Err(ENODEV);
        }
        self.sessions.open(&self.control, spec, dir)
    }

    /// Closes a session opened by [`Self::open_session`]. Process context.
    pub(crate) fn close_session(&self, session: &Arc<DeviceSession>) {
        self.sessions.close(&self.control, session);
    }

    /// How many sessions were closed on this device so far: a transform refused a session
    /// tries again once this changed.
    pub(crate) fn sessions_closed(&self) -> u64 {
        self.sessions.closed()
    }

    /// The queue for the driver's work items.
    pub(crate) fn work_queue(&self) -> &QueueHandle {
        &self.wq
    }

    /// Where the device's transforms run.
    pub(crate) fn placement(&self) -> &Placement {
        &self.placement
    }

    /// Where its transforms' operations ran.
    pub(crate) fn ops(&self) -> &OpCounters {
        &self.ops
    }

    /// Logs the one-line summary of what the device offers.
    pub(crate) fn log_summary(&self) {
        let c = &self.config;
        pr_info!(
            "virtio{}: {} data queue(s), services {:#x}, cipher {:#x}, hash {:#x}, mac {:#x}, aead {:#x}, akcipher {:#x}, max key {}/{} (cipher/auth), max size {}, {}\n",
            self.index,
            c.data_queues,
            c.services,
            c.cipher_algos,
            c.hash_algos,
            c.mac_algos,
            c.aead_algos,
            c.akcipher_algos,
            c.max_cipher_key_len,
            c.max_auth_key_len,
            c.max_size,
            if c.hw_ready { "ready" } else { "not ready" }
        );
    }

    /// Submits a job on the data queue of the submitting CPU (CPUs spread evenly over the
    /// queues when there are fewer queues than CPUs). A job the device cannot take now (not
    /// ready, ring full for a request that may not wait in the backlog, paused) comes back
    /// with the error, so that the caller can serve its request another way (in software)
    /// or refuse it ([`JobBox::reject`]).
    pub(crate) fn offer(&self, job: JobBox) -> Result<Queued, (Error, JobBox)> {
        if !self.is_ready() {
            return Err((ENODEV, job));
        }
        if !self.config.request_fits(job.job().data_len()) {
            return Err((EINVAL, job));
        }
        let queue = current_cpu()
            .checked_rem(self.data.len())
            .and_then(|n| self.data.get(n));
        let queued = match queue {
            Some(q) => q.submit(job),
            None => Err((ENODEV, job)),
        };
        match &queued {
            // Watched until answered; a queue whose ring broke (`EIO`) gets looked at.
            Ok(_) => self.watchdog.arm(),
            Err((e, _)) if *e == EIO => self.watchdog.arm(),
            _ => {}
        }
        queued
    }

    /// Dispatches a queue callback. Hard-IRQ context.
    pub(crate) fn queue_callback(&self, queue_index: u32) {
        let i = queue_index as usize;
        if let Some(q) = self.data.get(i) {
            q.schedule();
        } else if i == self.data.len() {
            self.control.complete_finished();
        }
    }

    /// Deletes the queues of the reset device, each data queue detached by `detach` (which
    /// gives back what is on its ring first) and the control queue shut down. (Deleting
    /// revokes any queue left attached, so the proofs of detachment are not needed.)
    fn delete_queues(
        &self,
        dev: &virtio::Device,
        reset: &Reset,
        detach: impl Fn(&DataQueue) -> Option<Detached>,
    ) {
        for q in self.data.iter() {
            let _: Option<Detached> = detach(q);
        }
        let _: Option<Detached> = self.control.shut_down(reset);
        if let Err(e) = dev.delete_queues(reset) {
            pr_err!("virtio{}: queues not deleted: {}\n", self.index, Logged(e));
        }
    }

    /// The device raised a configuration interrupt: its watchdog reads the status (and
    /// resets a device that set `DEVICE_NEEDS_RESET`). Any context.
    pub(crate) fn status_changed(&self) {
        self.watchdog.status_changed();
    }

    /// Requests the device never answered that were served in software instead, so far.
    pub(crate) fn fell_back(&self) -> u64 {
        self.data
            .iter()
            .map(|q| q.stats().fell_back.load(Ordering::Relaxed))
            .sum()
    }

    /// Requests the device never answered that failed (in place), so far.
    pub(crate) fn abandoned(&self) -> u64 {
        self.data
            .iter()
            .map(|q| q.stats().abandoned.load(Ordering::Relaxed))
            .sum()
    }

    /// Stops using a device that was reset (`reset`): every pending request is served in
    /// software or fails, every command fails, the queues are detached, then deleted.
    pub(crate) fn shut_down(&self, dev: &virtio::Device, reset: &Reset) {
        self.alive.store(false, Ordering::Release);
        self.watchdog.stop();
        self.delete_queues(dev, reset, |q| q.shut_down(reset));
    }
}

impl CryptoDevice {
    /// Suspends: requests stop going to the device and wait in the backlogs, those in
    /// flight get [`FREEZE_WAIT_MS`] to finish (then fail), the device is reset (forgetting
    /// its sessions) and its queues are deleted. Process context.
    pub(crate) fn freeze(&self, dev: &virtio::Device) {
        for q in self.data.iter() {
            q.pause();
        }
        let mut waited = 0;
        while waited < FREEZE_WAIT_MS && !self.data.iter().all(|q| q.is_idle()) {
            sleep_ms(10);
            waited += 10;
        }
        let reset = dev.reset();
        self.delete_queues(dev, &reset, |q| q.suspend(&reset));
    }

    /// Resumes after [`Self::freeze`]: creates the queues again, marks the device ready,
    /// creates every session again (new ids) and sends the backlog. On error the device is
    /// unusable: waiting requests fail. Process context.
    pub(crate) fn restore(&self, dev: &virtio::Device) -> Result {
        let result = self.reattach(dev);
        if let Err(e) = result {
            pr_err!("virtio{}: restore failed: {}\n", self.index, Logged(e));
            self.alive.store(false, Ordering::Release);
            let reset = dev.reset();
            for q in self.data.iter() {
                // Fails the backlog; the queues were not attached again.
                let _ = q.shut_down(&reset);
            }
        }
        result
    }

    fn reattach(&self, dev: &virtio::Device) -> Result {
        let mut raw = dev.find_vqs(&queue_names(self.data.len())?)?.into_iter();
        let mut data_raw = KVec::with_capacity(self.data.len(), GFP_KERNEL)?;
        for _ in self.data.iter() {
            data_raw.push(raw.next().ok_or(EINVAL)?, GFP_KERNEL)?;
        }
        self.control.attach(raw.next().ok_or(EINVAL)?);
        dev.set_ready();
        let (recreated, failed) = self.sessions.recreate_all(&self.control);
        pr_info!(
            "virtio{}: restored; {} session(s) re-created, {} failed\n",
            self.index,
            recreated,
            failed
        );
        for (q, r) in self.data.iter().zip(data_raw) {
            q.resume(r);
        }
        Ok(())
    }

    /// Writes the device's part of its debugfs status: configuration, readiness, sessions,
    /// transforms and per-queue counters.
    pub(crate) fn show_status(&self, out: &mut SeqWriter<'_>) -> core::fmt::Result {
        let c = &self.config;
        writeln!(out, "device virtio{}", self.index)?;
        writeln!(out, "bound {}", self.is_alive())?;
        writeln!(out, "hw_ready {}", self.readiness.is_ready())?;
        writeln!(out, "data_queues {}", c.data_queues)?;
        writeln!(out, "services {:#x}", c.services)?;
        writeln!(out, "cipher_algos {:#x}", c.cipher_algos)?;
        writeln!(out, "hash_algos {:#x}", c.hash_algos)?;
        writeln!(out, "mac_algos {:#x}", c.mac_algos)?;
        writeln!(out, "aead_algos {:#x}", c.aead_algos)?;
        writeln!(out, "akcipher_algos {:#x}", c.akcipher_algos)?;
        writeln!(out, "max_cipher_key_len {}", c.max_cipher_key_len)?;
        writeln!(out, "max_auth_key_len {}", c.max_auth_key_len)?;
        writeln!(out, "max_size {}", c.max_size)?;
        writeln!(out, "sessions_open {}", self.control.sessions_open())?;
        writeln!(out, "resets {}", self.watchdog.recoveries())?;
        writeln!(
            out,
            "transforms_device {}",
            self.placement.device.load(Ordering::Relaxed)
        )?;
        writeln!(
            out,
            "transforms_software {}",
            self.placement.software.load(Ordering::Relaxed)
        )?;
        self.ops.show(out)?;
        for (i, q) in self.data.iter().enumerate() {
            let s = q.stats();
            writeln!(
                out,
                "dataq{} requests {} errors {} bytes {} in_flight {} backlog {} fell_back {} abandoned {}",
                i,
                s.requests.load(Ordering::Relaxed),
                s.errors.load(Ordering::Relaxed),
                s.bytes.load(Ordering::Relaxed),
                s.in_flight.load(Ordering::Relaxed),
                s.backlog.load(Ordering::Relaxed),
                s.fell_back.load(Ordering::Relaxed),
                s.abandoned.load(Ordering::Relaxed)
            )?;
        }
        Ok(())
    }
}
