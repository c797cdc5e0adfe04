// SPDX-License-Identifier: GPL-2.0

//! The virtio driver: binds devices, keeps the device list and registers each algorithm
//! once, when the first device that serves it is ready.

use crate::{
    cipher::{CipherAlg, MODES},
    device::CryptoDevice,
    registry::DeviceList,
    slots::Slots,
    sys::{debugfs, skcipher, virtio, workqueue::OwnedQueue},
};
use core::ptr::NonNull;
use kernel::{
    c_str, fmt, new_mutex,
    prelude::*,
    str::CString,
    sync::{Arc, Mutex},
    ThisModule,
};

/// The algorithms registered so far; each stays registered until the module unloads.
struct Algorithms {
    ciphers: KVec<Pin<KBox<skcipher::Registration<CipherAlg>>>>,
    /// Which entries of [`MODES`] are registered.
    registered: [bool; MODES.len()],
}

/// A device's debugfs directory (`virtio_crypto_rs/virtio<N>/status`). Field order is drop
/// order: the file goes before the device it shows.
struct DeviceDebugfs {
    _status: debugfs::File<CryptoDevice>,
    _dir: debugfs::Dir,
    device: Arc<CryptoDevice>,
}

/// State shared by every bound device. Field order is drop order: algorithms first (no
/// transform can exist then), the workqueue last (it drains pending completions).
pub(crate) struct VirtioCryptoDriver {
    algorithms: Pin<KBox<Mutex<Algorithms>>>,
    debugfs_devices: Pin<KBox<Mutex<Slots<DeviceDebugfs>>>>,
    debugfs_root: debugfs::Dir,
    devices: Arc<DeviceList>,
    wq: OwnedQueue,
    module: &'static ThisModule,
}

impl VirtioCryptoDriver {
    /// Creates the driver state.
    pub(crate) fn new(module: &'static ThisModule) -> Result<Self> {
        Ok(Self {
            algorithms: KBox::pin_init(
                new_mutex!(Algorithms {
                    ciphers: KVec::new(),
                    registered: [false; MODES.len()],
                }),
                GFP_KERNEL,
            )?,
            debugfs_devices: KBox::pin_init(new_mutex!(Slots::new()), GFP_KERNEL)?,
            debugfs_root: debugfs::Dir::new(c_str!("virtio_crypto_rs"), None),
            devices: DeviceList::new()?,
            wq: OwnedQueue::new(c_str!("virtio_crypto_rs"))?,
            module,
        })
    }

    /// Confirms with a trial session each mode the device offers (a device may advertise
    /// what it cannot serve, or serve what it does not advertise).
    fn trial_modes(&self, dev: &CryptoDevice) {
        for mode in MODES.iter().filter(|m| m.offered_by(dev.config())) {
            if !dev.trial_cipher(mode.algo, mode.trial_keys()) {
                pr_info!(
                    "virtio{}: {} offered but refused in a trial session; not used\n",
                    dev.index(),
                    mode.name
                );
            }
        }
    }

    /// Creates the device's debugfs directory and status file.
    fn add_debugfs(&self, device: Arc<CryptoDevice>) -> Result {
        let name = CString::try_from_fmt(fmt!("virtio{}", device.index()))?;
        let dir = debugfs::Dir::new(&name, Some(&self.debugfs_root));
        // SAFETY: The file shows the device that the same entry keeps alive, and is
        // dropped first (field order of `DeviceDebugfs`).
        let status =
            unsafe { debugfs::File::new(c_str!("status"), &dir, NonNull::from(&*device))? };
        let entry = DeviceDebugfs {
            _status: status,
            _dir: dir,
            device,
        };
        self.debugfs_devices.lock().insert(entry)
    }

    /// Removes the device's debugfs directory.
    fn remove_debugfs(&self, device: &Arc<CryptoDevice>) {
        // Taken out under the lock, dropped (removing the files) after it.
        let entry = self
            .debugfs_devices
            .lock()
            .take_first(|e| Arc::ptr_eq(&e.device, device));
        drop(entry);
    }

    /// Registers every mode `dev` serves that is not registered yet.
    fn register_algorithms(&self, dev: &CryptoDevice) -> Result {
        let mut algs = self.algorithms.lock();
        for (i, mode) in MODES.iter().enumerate() {
            if algs.registered[i] || !mode.served_by(dev) {
                continue;
            }
            let alg = CipherAlg::new(mode, self.devices.clone());
            match skcipher::Registration::new(&mode.alg_info(), alg, self.module) {
                Ok(reg) => {
                    algs.ciphers.push(reg, GFP_KERNEL)?;
                    algs.registered[i] = true;
                    pr_info!("registered {} as {}\n", mode.name, mode.driver_name);
                }
                Err(e) => pr_err!("registering {} failed: {:?}\n", mode.name, e),
            }
        }
        Ok(())
    }
}

impl virtio::Driver for VirtioCryptoDriver {
    type Data = Arc<CryptoDevice>;

    fn probe(&self, dev: &virtio::Device) -> Result<Arc<CryptoDevice>> {
        let device = CryptoDevice::probe::<Self>(dev, self.wq.queue())?;
        Ok(Arc::new(device, GFP_KERNEL)?)
    }

    fn start(
        &self,
        _dev: &virtio::Device,
        device: kernel::sync::ArcBorrow<'_, CryptoDevice>,
    ) -> Result {
        device.log_summary();
        if !device.config().hw_ready {
            pr_warn!(
                "virtio{}: HW_READY not set; no algorithms offered\n",
                device.index()
            );
            return Ok(());
        }
        self.trial_modes(&device);
        if let Err(e) = self.add_debugfs(device.into()) {
            pr_warn!("virtio{}: no debugfs entry: {:?}\n", device.index(), e);
        }
        self.devices.add(device.into())?;
        self.register_algorithms(&device)
    }

    fn remove(&self, dev: &virtio::Device, device: Arc<CryptoDevice>) {
        device.stop_config_reads();
        self.wq.flush();
        self.remove_debugfs(&device);
        self.devices.remove(&device);
        device.shut_down(dev);
        pr_info!("virtio{}: removed\n", device.index());
    }

    /// Follows `HW_READY` (read in a work item: this runs in atomic context). While it is
    /// clear, the device gets no new transforms, sessions or requests (requests in flight
    /// finish). Algorithms stay registered: unregistering one that transforms still use
    /// trips the Crypto API's `WARN_ON`; they go at unload.
    fn config_changed(
        &self,
        _dev: &virtio::Device,
        device: kernel::sync::ArcBorrow<'_, CryptoDevice>,
    ) {
        device.config_changed();
    }

    fn queue_callback(device: kernel::sync::ArcBorrow<'_, CryptoDevice>, queue_index: u32) {
        device.queue_callback(queue_index);
    }
}
