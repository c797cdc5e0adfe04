// SPDX-License-Identifier: GPL-2.0

//! The virtio driver: binds devices, keeps the device list and their debugfs entries, and
//! leaves the algorithms to the [`Catalog`], which registers each one once while some ready
//! device serves it. Also the loaded module, which registers the driver.

use crate::{
    aead, ahash, akcipher,
    catalog::{family::Family, Catalog},
    device::{registry::DeviceList, CryptoDevice},
    kernel_api::{
        debugfs::{self, SeqWriter, Show},
        errno::Logged,
        virtio::{self, ConfigReader, Recovery},
        workqueue::OwnedQueue,
    },
    skcipher,
    util::slots::Slots,
};
use kernel::{
    c_str, new_mutex,
    prelude::*,
    str::CString,
    sync::{Arc, Mutex},
    ThisModule,
};

/// Every algorithm family the driver offers, in registration order.
static FAMILIES: [&dyn Family; 6] = [
    &skcipher::FAMILY,
    &ahash::FAMILY,
    &aead::FAMILY,
    &aead::AUTHENC_FAMILY,
    &akcipher::FAMILY,
    &akcipher::ECDSA_FAMILY,
];

/// What a device's debugfs status file shows: the device, and the catalog's algorithms it
/// serves.
struct DeviceStatus {
    device: Arc<CryptoDevice>,
    catalog: Arc<Catalog>,
}

impl Show for DeviceStatus {
    fn show(&self, out: &mut SeqWriter<'_>) -> core::fmt::Result {
        self.device.show_status(out)?;
        self.catalog.show_served(&self.device, out)
    }
}

/// What the debugfs `algorithms` file shows: one line per algorithm of the catalog.
struct AlgorithmsFile(Arc<Catalog>);

impl Show for AlgorithmsFile {
    fn show(&self, out: &mut SeqWriter<'_>) -> core::fmt::Result {
        self.0.show_algorithms(out)
    }
}

/// State shared by every bound device. Field order is drop order: the work queues go
/// last (they drain pending completions and catalog updates), the bottom-half one first
/// (its work items may hand over to the other).
pub(crate) struct VirtioCryptoDriver {
    catalog: Arc<Catalog>,
    /// Each device's `virtio<N>/status` file (which keeps its directory).
    debugfs_devices: Pin<KBox<Mutex<Slots<debugfs::File<DeviceStatus>>>>>,
    /// `algorithms`: where each algorithm's requests ran.
    _debugfs_algorithms: debugfs::File<AlgorithmsFile>,
    debugfs_root: debugfs::Dir,
    devices: Arc<DeviceList>,
    bh_wq: OwnedQueue,
    wq: OwnedQueue,
}

impl VirtioCryptoDriver {
    /// Creates the driver state.
    pub(crate) fn new(module: &'static ThisModule) -> Result<Self> {
        let devices = DeviceList::new()?;
        let wq = OwnedQueue::new(c_str!("virtio_crypto_rs"))?;
        let bh_wq = OwnedQueue::new_bh(c_str!("virtio_crypto_rs_bh"))?;
        let catalog = Catalog::new(&FAMILIES, devices.clone(), wq.handle(), module)?;
        let debugfs_root = debugfs::Dir::new(c_str!("virtio_crypto_rs"))?;
        let algorithms = Arc::new(AlgorithmsFile(catalog.clone()), GFP_KERNEL)?;
        Ok(Self {
            _debugfs_algorithms: debugfs::File::new(
                c_str!("algorithms"),
                &debugfs_root,
                algorithms,
            )?,
            catalog,
            debugfs_devices: KBox::pin_init(new_mutex!(Slots::new()), GFP_KERNEL)?,
            debugfs_root,
            devices,
            bh_wq,
            wq,
        })
    }

    /// Creates the device's debugfs directory and status file.
    fn add_debugfs(&self, device: Arc<CryptoDevice>) -> Result {
        let name = CString::try_from_fmt(core::format_args!("virtio{}", device.index()))?;
        let dir = self.debugfs_root.subdir(&name)?;
        let status = DeviceStatus {
            device,
            catalog: self.catalog.clone(),
        };
        let file = debugfs::File::new(c_str!("status"), &dir, Arc::new(status, GFP_KERNEL)?)?;
        self.debugfs_devices.lock().insert(file)
    }

    /// Removes the device's debugfs directory.
    fn remove_debugfs(&self, device: &Arc<CryptoDevice>) {
        // Taken out under the lock, dropped (removing the file and its directory) after it.
        let entry = self
            .debugfs_devices
            .lock()
            .take_first(|f| Arc::ptr_eq(&f.value().device, device));
        drop(entry);
    }
}

impl virtio::Driver for VirtioCryptoDriver {
    type Data = Arc<CryptoDevice>;

    fn probe(
        &self,
        dev: &virtio::Device,
        config: Arc<ConfigReader>,
        recovery: Arc<Recovery>,
    ) -> Result<Arc<CryptoDevice>> {
        let device =
            CryptoDevice::probe(dev, config, recovery, self.wq.handle(), self.bh_wq.handle())?;
        Ok(Arc::new(device, GFP_KERNEL)?)
    }

    fn start(&self, _dev: &virtio::Device, device: &Arc<CryptoDevice>) -> Result {
        device.log_summary();
        if !device.config().hw_ready {
            pr_warn!(
                "virtio{}: HW_READY not set; its algorithms are offered once it is\n",
                device.index()
            );
        }
        if let Err(e) = self.add_debugfs(device.clone()) {
            pr_warn!(
                "virtio{}: no debugfs entry: {}\n",
                device.index(),
                Logged(e)
            );
        }
        self.devices.add(device.clone())?;
        self.catalog.refresh();
        Ok(())
    }

    fn remove(&self, dev: &virtio::Device, device: Arc<CryptoDevice>, reset: virtio::Reset) {
        // What earlier resets served in software or failed is not this removal's.
        let (fell_back, abandoned) = (device.fell_back(), device.abandoned());
        // Requests fail first: an update in progress may be waiting for some.
        device.shut_down(dev, &reset);
        self.remove_debugfs(&device);
        self.devices.remove(&device);
        self.catalog.refresh();
        pr_info!(
            "virtio{}: removed ({} request(s) it had not answered served in software, {} failed)\n",
            device.index(),
            device.fell_back().saturating_sub(fell_back),
            device.abandoned().saturating_sub(abandoned)
        );
    }

    /// Re-reads `HW_READY` in a work item (this runs in atomic context). While it is clear
    /// the device gets no new transforms, sessions or requests (requests in flight finish),
    /// and algorithms no other ready device serves are unregistered once unused. The
    /// watchdog reads the device status: a device that set `DEVICE_NEEDS_RESET` is reset.
    fn config_changed(&self, _dev: &virtio::Device, device: &Arc<CryptoDevice>) {
        self.catalog.schedule();
        device.status_changed();
    }

    fn freeze(&self, dev: &virtio::Device, device: &Arc<CryptoDevice>) -> Result {
        device.freeze(dev);
        pr_info!("virtio{}: suspended\n", device.index());
        Ok(())
    }

    fn restore(&self, dev: &virtio::Device, device: &Arc<CryptoDevice>) -> Result {
        device.restore(dev)?;
        self.catalog.schedule();
        Ok(())
    }

    fn queue_callback(device: &Arc<CryptoDevice>, queue_index: u32) {
        device.queue_callback(queue_index);
    }
}

/// The loaded module: the registered virtio driver, with everything it owns.
pub(crate) struct VirtioCryptoModule {
    _driver: Pin<KBox<virtio::Registration<VirtioCryptoDriver>>>,
}

impl kernel::Module for VirtioCryptoModule {
    fn init(module: &'static ThisModule) -> Result<Self> {
        let state = VirtioCryptoDriver::new(module)?;
        let registration = virtio::Registration::new(
            c_str!("virtio_crypto_rs"),
            virtio::DeviceId::CRYPTO,
            state,
            module,
        )?;
        Ok(Self {
            _driver: registration,
        })
    }
}
