// SPDX-License-Identifier: GPL-2.0

//! One virtio crypto device: its validated configuration, its control queue and its data
//! queues, and how requests are spread over them.

use crate::{
    cipher::MODES,
    control::ControlQueue,
    dataq::{CipherOp, DataQueue},
    readiness::Readiness,
    sessions::{CipherSession, SessionBook},
    sys::{
        current_cpu,
        debugfs::{SeqWriter, Show},
        skcipher::{Request, Submitted},
        sleep_ms, virtio,
    },
    trials::TrialResults,
    wire::{Config, Direction, RawConfig},
};
use core::{
    fmt::Write,
    sync::atomic::{AtomicBool, Ordering},
};
use kernel::{c_str, prelude::*, str::CStr, sync::Arc, workqueue::Queue};

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
}

impl CryptoDevice {
    /// Reads and validates the configuration and creates the queues (probe, before the
    /// device is ready). Completions of data requests run on `wq`.
    pub(crate) fn probe<T: virtio::Driver>(
        dev: &virtio::Device,
        wq: &'static Queue,
    ) -> Result<Self> {
        let index = dev.index();
        if !dev.has_feature(crate::sys::bindings::VIRTIO_F_VERSION_1) {
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

        let control = Arc::pin_init(ControlQueue::new(), GFP_KERNEL)?;
        let mut data = KVec::with_capacity(n_data, GFP_KERNEL)?;
        for _ in 0..n_data {
            data.push(Arc::pin_init(DataQueue::new(wq), GFP_KERNEL)?, GFP_KERNEL)?;
        }
        let mut raw = dev.find_vqs::<T>(&names)?.into_iter();
        for q in data.iter() {
            q.attach(raw.next().ok_or(EINVAL)?);
        }
        control.attach(raw.next().ok_or(EINVAL)?);

        Ok(Self {
            index,
            config,
            control,
            data,
            sessions: KBox::pin_init(SessionBook::new(index), GFP_KERNEL)?,
            alive: AtomicBool::new(true),
            readiness: Readiness::new(dev, config.hw_ready),
            trials: TrialResults::new(),
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

    /// Re-reads `HW_READY`. Process context, serialized with
    /// [`Self::set_config_readable`].
    pub(crate) fn refresh_readiness(&self) {
        self.readiness.refresh();
    }

    /// Allows or stops configuration reads (stopped before the device is unbound or
    /// suspended; the caller serializes this with [`Self::refresh_readiness`]).
    pub(crate) fn set_config_readable(&self, readable: bool) {
        self.readiness.set_readable(readable);
    }

    /// Whether the trial sessions still have to run; true only for the first caller.
    pub(crate) fn take_trial_turn(&self) -> bool {
        self.trials.take_turn()
    }

    /// Whether cipher `algo` accepted at least one key length in its trial sessions.
    pub(crate) fn serves_cipher(&self, algo: u32) -> bool {
        self.trials.serves(algo)
    }

    /// Whether cipher `algo` accepted keys of `len` bytes in its trial sessions (and the
    /// configuration allows them).
    pub(crate) fn accepts_cipher_key(&self, algo: u32, len: usize) -> bool {
        self.config.cipher_key_fits(len) && self.trials.accepts(algo, len)
    }

    /// Creates and destroys a session for cipher `algo` with each of `keys`, and records
    /// the key lengths the device accepted; returns whether it accepted all of them.
    /// Process context.
    pub(crate) fn trial_cipher<'a>(&self, algo: u32, keys: impl Iterator<Item = &'a [u8]>) -> bool {
        let mut all = true;
        for key in keys {
            let accepted = match self
                .control
                .create_cipher_session(algo, key, Direction::Encrypt)
            {
                Ok(sid) => self.control.destroy_cipher_session(sid).is_ok(),
                Err(_) => false,
            };
            all &= self.trials.record(algo, key.len(), accepted);
        }
        all
    }

    /// Opens sessions for `key` with cipher `algo`, kept for re-creation after a reset.
    /// Process context.
    pub(crate) fn open_session(&self, algo: u32, key: &[u8]) -> Result<Arc<CipherSession>> {
        if !self.is_ready() {
            return Err(ENODEV);
        }
        self.sessions.open(&self.control, algo, key)
    }

    /// Closes sessions opened by [`Self::open_session`]. Process context.
    pub(crate) fn close_session(&self, session: &Arc<CipherSession>) {
        self.sessions.close(&self.control, session);
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

    /// Submits a cipher request on the data queue of the submitting CPU (CPUs spread evenly
    /// over the queues when there are fewer queues than CPUs).
    pub(crate) fn submit_cipher(&self, op: CipherOp, req: Request) -> Result<Submitted> {
        if !self.is_ready() {
            return Err(ENODEV);
        }
        if !self.config.request_fits(req.cryptlen()) {
            return Err(EINVAL);
        }
        let n = current_cpu().checked_rem(self.data.len()).ok_or(ENODEV)?;
        self.data[n].submit_cipher(op, req)
    }

    /// Dispatches a queue callback. Hard-IRQ context.
    pub(crate) fn queue_callback(&self, queue_index: u32) {
        let i = queue_index as usize;
        if i < self.data.len() {
            self.data[i].schedule();
        } else if i == self.data.len() {
            self.control.complete_finished();
        }
    }

    /// Stops using a device that was reset: every pending request and command fails, the
    /// queues are detached, then deleted.
    pub(crate) fn shut_down(&self, dev: &virtio::Device) {
        self.alive.store(false, Ordering::Release);
        for q in self.data.iter() {
            q.shut_down();
        }
        self.control.shut_down();
        // SAFETY: The device was reset before `remove` and every queue is detached above.
        unsafe { dev.del_vqs() };
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
        dev.reset();
        for q in self.data.iter() {
            q.suspend();
        }
        self.control.shut_down();
        // SAFETY: The device was reset above and every queue is detached.
        unsafe { dev.del_vqs() };
    }

    /// Resumes after [`Self::freeze`]: creates the queues again, marks the device ready,
    /// creates every transform's sessions again (new ids) and sends the backlog. On error
    /// the device is unusable: waiting requests fail. Process context.
    pub(crate) fn restore<T: virtio::Driver>(&self, dev: &virtio::Device) -> Result {
        let result = self.reattach::<T>(dev);
        if let Err(e) = result {
            pr_err!("virtio{}: restore failed: {:?}\n", self.index, e);
            self.alive.store(false, Ordering::Release);
            for q in self.data.iter() {
                q.shut_down();
            }
        }
        result
    }

    fn reattach<T: virtio::Driver>(&self, dev: &virtio::Device) -> Result {
        let mut raw = dev
            .find_vqs::<T>(&queue_names(self.data.len())?)?
            .into_iter();
        let mut data_raw = KVec::with_capacity(self.data.len(), GFP_KERNEL)?;
        for _ in self.data.iter() {
            data_raw.push(raw.next().ok_or(EINVAL)?, GFP_KERNEL)?;
        }
        self.control.attach(raw.next().ok_or(EINVAL)?);
        dev.set_ready();
        let (recreated, failed) = self.sessions.recreate_all(&self.control);
        pr_info!(
            "virtio{}: restored; {} session pair(s) re-created, {} failed\n",
            self.index,
            recreated,
            failed
        );
        for (q, r) in self.data.iter().zip(data_raw) {
            q.resume(r);
        }
        Ok(())
    }
}

impl Show for CryptoDevice {
    fn show(&self, out: &mut SeqWriter<'_>) -> core::fmt::Result {
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
        write!(out, "algorithms")?;
        for mode in MODES.iter().filter(|m| self.serves_cipher(m.algo)) {
            write!(out, " {}", mode.driver_name)?;
        }
        writeln!(out)?;
        writeln!(out, "sessions_open {}", self.control.sessions_open())?;
        for (i, q) in self.data.iter().enumerate() {
            let s = q.stats();
            writeln!(
                out,
                "dataq{} requests {} errors {} bytes {} in_flight {} backlog {}",
                i,
                s.requests.load(Ordering::Relaxed),
                s.errors.load(Ordering::Relaxed),
                s.bytes.load(Ordering::Relaxed),
                s.in_flight.load(Ordering::Relaxed),
                s.backlog.load(Ordering::Relaxed)
            )?;
        }
        Ok(())
    }
}
