// SPDX-License-Identifier: GPL-2.0

//! One virtio crypto device: its validated configuration, its control queue and its data
//! queues, and how requests are spread over them.

use crate::{
    cipher::MODES,
    control::ControlQueue,
    dataq::{CipherOp, DataQueue},
    readiness::Readiness,
    sys::{
        current_cpu,
        debugfs::{SeqWriter, Show},
        skcipher::{Request, Submitted},
        virtio,
    },
    wire::{Config, Direction, RawConfig},
};
use core::{
    fmt::Write,
    sync::atomic::{AtomicBool, AtomicU64, Ordering},
};
use kernel::{c_str, prelude::*, str::CStr, sync::Arc, workqueue::Queue};

/// A bound virtio crypto device.
pub(crate) struct CryptoDevice {
    index: i32,
    config: Config,
    control: Arc<ControlQueue>,
    data: KVec<Arc<DataQueue>>,
    alive: AtomicBool,
    /// The device's `HW_READY` bit, kept current.
    readiness: Arc<Readiness>,
    /// Cipher algorithms (bit = device algorithm number) that passed a trial session.
    ciphers: AtomicU64,
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
        let mut names = KVec::<&'static CStr>::with_capacity(n_data + 1, GFP_KERNEL)?;
        for _ in 0..n_data {
            names.push(c_str!("dataq"), GFP_KERNEL)?;
        }
        names.push(c_str!("controlq"), GFP_KERNEL)?;

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
            alive: AtomicBool::new(true),
            readiness: Readiness::new(dev, config.hw_ready, wq)?,
            ciphers: AtomicU64::new(0),
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

    /// The device's configuration changed. Any context.
    pub(crate) fn config_changed(&self) {
        self.readiness.schedule();
    }

    /// First step of removal: no more configuration reads once the driver's work queue has
    /// been flushed.
    pub(crate) fn stop_config_reads(&self) {
        self.readiness.unbind();
    }

    /// Whether cipher `algo` passed its trial session.
    pub(crate) fn serves_cipher(&self, algo: u32) -> bool {
        algo < 64 && self.ciphers.load(Ordering::Acquire) & (1 << algo) != 0
    }

    /// Creates and destroys a session for cipher `algo` with each of `keys`; records the
    /// algorithm as served if the device accepts them all. Process context.
    pub(crate) fn trial_cipher<'a>(&self, algo: u32, keys: impl Iterator<Item = &'a [u8]>) -> bool {
        let mut served = algo < 64;
        for key in keys {
            served = served
                && match self
                    .control
                    .create_cipher_session(algo, key, Direction::Encrypt)
                {
                    Ok(id) => self.control.destroy_cipher_session(id).is_ok(),
                    Err(_) => false,
                };
        }
        if served {
            self.ciphers.fetch_or(1 << algo, Ordering::AcqRel);
        }
        served
    }

    /// The control queue.
    pub(crate) fn control(&self) -> &ControlQueue {
        &self.control
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
