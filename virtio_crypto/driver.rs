// SPDX-License-Identifier: GPL-2.0

//! The virtio driver: binds devices, keeps the device list, and leaves the algorithms to
//! the [`Catalog`], which registers each one once while some ready device serves it.

use crate::{
    catalog::Catalog,
    device::CryptoDevice,
    registry::DeviceList,
    slots::Slots,
    sys::{debugfs, virtio, workqueue::OwnedQueue},
};
use core::ptr::NonNull;
use kernel::{
    c_str, fmt, new_mutex,
    prelude::*,
    str::CString,
    sync::{Arc, Mutex},
    ThisModule,
};

/// A device's debugfs directory (`virtio_crypto_rs/virtio<N>/status`). Field order is drop
/// order: the file goes before the device it shows.
struct DeviceDebugfs {
    _status: debugfs::File<CryptoDevice>,
    _dir: debugfs::Dir,
    device: Arc<CryptoDevice>,
}

/// State shared by every bound device. Field order is drop order: the work queue goes
/// last (it drains pending completions and catalog updates).
pub(crate) struct VirtioCryptoDriver {
    catalog: Arc<Catalog>,
    debugfs_devices: Pin<KBox<Mutex<Slots<DeviceDebugfs>>>>,
    debugfs_root: debugfs::Dir,
    devices: Arc<DeviceList>,
    wq: OwnedQueue,
}

impl VirtioCryptoDriver {
    /// Creates the driver state.
    pub(crate) fn new(module: &'static ThisModule) -> Result<Self> {
        let devices = DeviceList::new()?;
        let wq = OwnedQueue::new(c_str!("virtio_crypto_rs"))?;
        Ok(Self {
            catalog: Catalog::new(devices.clone(), wq.queue(), module)?,
            debugfs_devices: KBox::pin_init(new_mutex!(Slots::new()), GFP_KERNEL)?,
            debugfs_root: debugfs::Dir::new(c_str!("virtio_crypto_rs"), None),
            devices,
            wq,
        })
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
                "virtio{}: HW_READY not set; its algorithms are offered once it is\n",
                device.index()
            );
        }
        if let Err(e) = self.add_debugfs(device.into()) {
            pr_warn!("virtio{}: no debugfs entry: {:?}\n", device.index(), e);
        }
        self.devices.add(device.into())?;
        self.catalog.refresh();
        Ok(())
    }

    fn remove(&self, dev: &virtio::Device, device: Arc<CryptoDevice>) {
        // Requests fail first: an update in progress may be waiting for some.
        device.shut_down(dev);
        self.catalog.set_config_readable(&device, false);
        self.remove_debugfs(&device);
        self.devices.remove(&device);
        self.catalog.refresh();
        pr_info!("virtio{}: removed\n", device.index());
    }

    /// Re-reads `HW_READY` in a work item (this runs in atomic context). While it is clear
    /// the device gets no new transforms, sessions or requests (requests in flight finish),
    /// and algorithms no other ready device serves are unregistered once unused.
    fn config_changed(
        &self,
        _dev: &virtio::Device,
        _device: kernel::sync::ArcBorrow<'_, CryptoDevice>,
    ) {
        self.catalog.schedule();
    }

    fn freeze(
        &self,
        dev: &virtio::Device,
        device: kernel::sync::ArcBorrow<'_, CryptoDevice>,
    ) -> Result {
        self.catalog.set_config_readable(&device, false);
        device.freeze(dev);
        pr_info!("virtio{}: suspended\n", device.index());
        Ok(())
    }

    fn restore(
        &self,
        dev: &virtio::Device,
        device: kernel::sync::ArcBorrow<'_, CryptoDevice>,
    ) -> Result {
        device.restore::<Self>(dev)?;
        self.catalog.set_config_readable(&device, true);
        self.catalog.schedule();
        Ok(())
    }

    fn queue_callback(device: kernel::sync::ArcBorrow<'_, CryptoDevice>, queue_index: u32) {
        device.queue_callback(queue_index);
    }
}
