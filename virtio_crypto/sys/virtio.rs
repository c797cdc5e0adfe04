// SPDX-License-Identifier: GPL-2.0

//! Virtio devices and drivers: a typed [`Device`], the [`Driver`] trait a virtio driver
//! implements, and a [`Registration`] that registers the driver and unregisters it on drop.

use super::virtqueue::RawQueue;
use crate::{sys::bindings, wire::Wire};
use core::{marker::PhantomPinned, mem::MaybeUninit, pin::Pin, ptr::NonNull};
use kernel::{
    ffi::{c_char, c_int, c_void},
    prelude::*,
    str::CStr,
    types::{ForeignOwnable, Opaque},
    ThisModule,
};

/// A virtio device (`struct virtio_device`) bound to our driver.
///
/// # Invariants
///
/// Wraps a live `virtio_device`; references exist only during driver callbacks, while the
/// device is bound.
#[repr(transparent)]
pub(crate) struct Device(Opaque<bindings::virtio_device>);

impl Device {
    /// # Safety
    ///
    /// `ptr` must be a live virtio device, bound to this driver, for `'a`.
    unsafe fn from_raw<'a>(ptr: *mut bindings::virtio_device) -> &'a Self {
        // SAFETY: Transparent wrapper; validity is the caller's promise.
        unsafe { &*ptr.cast() }
    }

    fn as_raw(&self) -> *mut bindings::virtio_device {
        self.0.get()
    }

    /// The device's index, as in its name `virtio<index>`.
    pub(crate) fn index(&self) -> i32 {
        // SAFETY: The device is live (type invariant); `index` is fixed after registration.
        unsafe { (*self.as_raw()).index }
    }

    /// Whether feature bit `bit` was negotiated.
    pub(crate) fn has_feature(&self, bit: u32) -> bool {
        // SAFETY: The device is live.
        unsafe { bindings::vcrs_virtio_has_feature(self.as_raw(), bit) }
    }

    /// Reads the configuration space from offset 0 as a `C` (a consistent snapshot:
    /// `virtio_cread_bytes` retries across config generation changes).
    pub(crate) fn read_config<C: Wire>(&self) -> C {
        let mut raw = MaybeUninit::<C>::zeroed();
        // SAFETY: The device is live; `raw` is writable for `size_of::<C>()` bytes.
        unsafe {
            bindings::vcrs_virtio_cread_bytes(
                self.as_raw(),
                0,
                raw.as_mut_ptr().cast(),
                core::mem::size_of::<C>(),
            )
        };
        // SAFETY: Zero-initialized, then overwritten; every bit pattern is a valid `C`
        // (`Wire` contract).
        unsafe { raw.assume_init() }
    }

    /// Creates the device's virtqueues, all with the driver's queue callback; `names` gives
    /// their number. Returns them in order.
    pub(crate) fn find_vqs<T: Driver>(&self, names: &[&'static CStr]) -> Result<KVec<RawQueue>> {
        let n = names.len();
        let mut vqs = KVec::<*mut bindings::virtqueue>::with_capacity(n, GFP_KERNEL)?;
        let mut callbacks = KVec::with_capacity(n, GFP_KERNEL)?;
        let mut cnames = KVec::<*const c_char>::with_capacity(n, GFP_KERNEL)?;
        for name in names {
            vqs.push(core::ptr::null_mut(), GFP_KERNEL)?;
            let cb: bindings::vq_callback_t = Some(queue_callback::<T>);
            callbacks.push(cb, GFP_KERNEL)?;
            cnames.push(name.as_char_ptr(), GFP_KERNEL)?;
        }
        // SAFETY: The device is live and in probe; the arrays hold `n` entries each.
        let ret = unsafe {
            bindings::vcrs_virtio_find_vqs(
                self.as_raw(),
                n as u32,
                vqs.as_mut_ptr(),
                callbacks.as_mut_ptr(),
                cnames.as_ptr(),
            )
        };
        if ret != 0 {
            return Err(Error::from_errno(ret));
        }
        let mut out = KVec::with_capacity(n, GFP_KERNEL)?;
        for vq in vqs.iter() {
            let vq = NonNull::new(*vq).ok_or(EINVAL)?;
            // SAFETY: `find_vqs` returned a live queue; it stays live until `del_vqs`, which
            // the caller may only call after detaching (see `del_vqs`).
            out.push(unsafe { RawQueue::new(vq) }, GFP_KERNEL)?;
        }
        Ok(out)
    }

    /// Marks the device ready (`DRIVER_OK`) after its queues were created again in
    /// [`Driver::restore`], so that requests may flow before restore returns.
    pub(crate) fn set_ready(&self) {
        // SAFETY: The device is live; restore created its queues.
        unsafe { bindings::vcrs_virtio_device_ready(self.as_raw()) };
    }

    /// Resets the device: it stops processing and forgets its state (sessions included).
    /// When this returns, no queue callback runs any more.
    pub(crate) fn reset(&self) {
        // SAFETY: The device is live.
        unsafe { bindings::virtio_reset_device(self.as_raw()) };
    }

    /// Deletes the device's virtqueues.
    ///
    /// # Safety
    ///
    /// Every [`super::virtqueue::Virtqueue`] the queues were attached to must have been
    /// detached, and the device must have been reset.
    pub(crate) unsafe fn del_vqs(&self) {
        // SAFETY: The device is live; the caller promises nobody uses the queues any more.
        unsafe { bindings::vcrs_virtio_del_vqs(self.as_raw()) };
    }
}

/// A counted reference to a virtio device, for work that runs outside driver callbacks
/// (such as reacting to a configuration change in process context). The reference keeps
/// the memory alive; using the device needs it to be bound still ([`DeviceRef::device`]).
///
/// # Invariants
///
/// `ptr` is a virtio device on which we hold a reference (`get_device`).
pub(crate) struct DeviceRef(NonNull<bindings::virtio_device>);

// SAFETY: Device references may be taken, used and dropped on any thread.
unsafe impl Send for DeviceRef {}
// SAFETY: As above; `&DeviceRef` only gives access through the unsafe `device`.
unsafe impl Sync for DeviceRef {}

impl Device {
    /// A counted reference to this device.
    pub(crate) fn to_ref(&self) -> DeviceRef {
        // SAFETY: The device is live; `get_device` takes a reference on its `struct device`.
        unsafe { bindings::get_device(&mut (*self.as_raw()).dev) };
        DeviceRef(NonNull::from(&self.0).cast())
    }
}

impl DeviceRef {
    /// The device.
    ///
    /// # Safety
    ///
    /// The device must still be bound to this driver for as long as the result is used
    /// (its `remove` callback has not returned).
    pub(crate) unsafe fn device(&self) -> &Device {
        // SAFETY: The memory is alive (type invariant) and, by the caller's promise, bound.
        unsafe { Device::from_raw(self.0.as_ptr()) }
    }
}

impl Drop for DeviceRef {
    fn drop(&mut self) {
        // SAFETY: We hold a reference (type invariant), given back exactly once.
        unsafe { bindings::put_device(&mut (*self.0.as_ptr()).dev) };
    }
}

/// A virtio driver. One object serves every device the driver binds.
pub(crate) trait Driver: Send + Sync + Sized + 'static {
    /// Per-device state, kept in the device's `priv` pointer while bound.
    type Data: ForeignOwnable + Send + Sync;

    /// Sets a device up (config, queues), before it is marked ready. No requests yet.
    fn probe(&self, dev: &Device) -> Result<Self::Data>;

    /// The device is ready (`DRIVER_OK`): requests may flow. An error unbinds the device.
    fn start(&self, dev: &Device, data: <Self::Data as ForeignOwnable>::Borrowed<'_>) -> Result;

    /// The device was already reset (no more callbacks or completions); release it.
    fn remove(&self, dev: &Device, data: Self::Data);

    /// The device changed its configuration space. Atomic context (the virtio core holds a
    /// spinlock), and configuration reads may sleep: defer the work.
    fn config_changed(&self, dev: &Device, data: <Self::Data as ForeignOwnable>::Borrowed<'_>);

    /// The system suspends: stop using the device, reset it and delete its queues. Process
    /// context; an error aborts the suspend.
    fn freeze(&self, dev: &Device, data: <Self::Data as ForeignOwnable>::Borrowed<'_>) -> Result;

    /// The system resumes: the core reset the device and negotiated features again; create
    /// the queues, mark the device ready ([`Device::set_ready`]) and restore its state.
    fn restore(&self, dev: &Device, data: <Self::Data as ForeignOwnable>::Borrowed<'_>) -> Result;

    /// A queue has used buffers. Runs in hard-IRQ context: no sleeping, no completions of
    /// crypto requests here.
    fn queue_callback(data: <Self::Data as ForeignOwnable>::Borrowed<'_>, queue_index: u32);
}

/// A registered virtio driver; unregistered (removing every bound device) on drop.
///
/// # Invariants
///
/// `drv` is registered with the virtio core for as long as the registration exists, and
/// `drv.driver` is the first field of `drv`, which is the first field of `Self`, so a
/// `device_driver` pointer of a bound device is a pointer to `Self`.
#[repr(C)]
pub(crate) struct Registration<T: Driver> {
    drv: Opaque<bindings::virtio_driver>,
    id_table: [bindings::virtio_device_id; 2],
    driver: T,
    _pin: PhantomPinned,
}

// SAFETY: The C structures are only written before registration; `T` is `Send + Sync`.
unsafe impl<T: Driver> Sync for Registration<T> {}
// SAFETY: As above.
unsafe impl<T: Driver> Send for Registration<T> {}

impl<T: Driver> Registration<T> {
    /// Registers `driver` for virtio devices with device id `device_id`.
    pub(crate) fn new(
        name: &'static CStr,
        device_id: u32,
        driver: T,
        module: &'static ThisModule,
    ) -> Result<Pin<KBox<Self>>> {
        let mut id_table = [bindings::virtio_device_id::default(); 2];
        id_table[0].device = device_id;
        id_table[0].vendor = bindings::VIRTIO_DEV_ANY_ID;
        let reg = KBox::pin(
            Self {
                drv: Opaque::uninit(),
                id_table,
                driver,
                _pin: PhantomPinned,
            },
            GFP_KERNEL,
        )?;
        let drv = reg.drv.get();
        // SAFETY: `drv` is ours and not registered yet; writing every field we use, zeroing
        // the rest, initializes it. `id_table` lives (pinned) as long as the registration.
        unsafe {
            drv.write(bindings::virtio_driver::default());
            (*drv).driver.name = name.as_char_ptr();
            (*drv).id_table = reg.id_table.as_ptr();
            (*drv).probe = Some(probe_callback::<T>);
            (*drv).remove = Some(remove_callback::<T>);
            (*drv).config_changed = Some(config_changed_callback::<T>);
            (*drv).freeze = Some(freeze_callback::<T>);
            (*drv).restore = Some(restore_callback::<T>);
        }
        // SAFETY: `drv` is fully initialized and pinned; it is unregistered in `drop`.
        kernel::error::to_result(unsafe {
            bindings::__register_virtio_driver(drv, module.as_ptr().cast())
        })?;
        Ok(reg)
    }
}

impl<T: Driver> Drop for Registration<T> {
    fn drop(&mut self) {
        // SAFETY: Registered in `new` (type invariant); this removes every bound device.
        unsafe { bindings::unregister_virtio_driver(self.drv.get()) };
    }
}

/// Finds our registration and device from a raw device in a driver callback.
///
/// # Safety
///
/// `vdev` must be live and bound to a driver registered by `Registration<T>`.
unsafe fn context<'a, T: Driver>(
    vdev: *mut bindings::virtio_device,
) -> (&'a Registration<T>, &'a Device) {
    // SAFETY: Bound to our driver, so `dev.driver` points to the `device_driver` at the start
    // of our `Registration<T>` (type invariant), which outlives every bound device.
    unsafe {
        let reg = &*(*vdev).dev.driver.cast::<Registration<T>>();
        (reg, Device::from_raw(vdev))
    }
}

/// `virtio_driver.probe`.
///
/// # Safety
///
/// Called by the virtio core with a live device bound to a driver registered by
/// `Registration<T>`.
unsafe extern "C" fn probe_callback<T: Driver>(vdev: *mut bindings::virtio_device) -> c_int {
    // SAFETY: The virtio core calls probe with a live device bound to our driver.
    let (reg, dev) = unsafe { context::<T>(vdev) };
    let data = match reg.driver.probe(dev) {
        Ok(data) => data,
        Err(e) => return e.to_errno(),
    };
    // SAFETY: The device is live; `priv` belongs to the driver while bound.
    unsafe { (*vdev).priv_ = data.into_foreign() as *mut c_void };
    // SAFETY: The device is set up; from here on it may use its queues.
    unsafe { bindings::vcrs_virtio_device_ready(vdev) };
    // SAFETY: `priv` was set above from `into_foreign` and is released only in remove.
    let started = reg
        .driver
        .start(dev, unsafe { T::Data::borrow((*vdev).priv_) });
    match started {
        Ok(()) => 0,
        Err(e) => {
            // SAFETY: As in `remove_callback`: stop the device, then take `priv` back.
            unsafe {
                bindings::virtio_reset_device(vdev);
                let data = T::Data::from_foreign((*vdev).priv_);
                (*vdev).priv_ = core::ptr::null_mut();
                reg.driver.remove(dev, data);
            }
            e.to_errno()
        }
    }
}

/// `virtio_driver.remove`.
///
/// # Safety
///
/// Called by the virtio core with a live device bound to a driver registered by
/// `Registration<T>`.
unsafe extern "C" fn remove_callback<T: Driver>(vdev: *mut bindings::virtio_device) {
    // SAFETY: The virtio core calls remove with a live device bound to our driver.
    let (reg, dev) = unsafe { context::<T>(vdev) };
    // SAFETY: Resetting first stops the device and synchronizes with running callbacks, so
    // nobody borrows `priv` after it is taken back; it came from `into_foreign` in probe.
    let data = unsafe {
        bindings::virtio_reset_device(vdev);
        let data = T::Data::from_foreign((*vdev).priv_);
        (*vdev).priv_ = core::ptr::null_mut();
        data
    };
    reg.driver.remove(dev, data);
}

/// `virtio_driver.config_changed`.
///
/// # Safety
///
/// Called by the virtio core with a live device bound to a driver registered by
/// `Registration<T>`.
unsafe extern "C" fn config_changed_callback<T: Driver>(vdev: *mut bindings::virtio_device) {
    // SAFETY: The virtio core calls this with a live device bound to our driver.
    let (reg, dev) = unsafe { context::<T>(vdev) };
    // SAFETY: The device is live.
    let data = unsafe { (*vdev).priv_ };
    if !data.is_null() {
        // SAFETY: `priv` is set between probe and remove, which the core serializes with this.
        reg.driver
            .config_changed(dev, unsafe { T::Data::borrow(data) });
    }
}

/// Runs a power-management callback `f` of the driver on a bound device; 0 for a device
/// without driver data.
///
/// # Safety
///
/// `vdev` must be live and bound to a driver registered by `Registration<T>`, in a PM
/// callback (which the PM core serializes with probe and remove).
unsafe fn pm_callback<T: Driver>(
    vdev: *mut bindings::virtio_device,
    f: impl FnOnce(&T, &Device, <T::Data as ForeignOwnable>::Borrowed<'_>) -> Result,
) -> c_int {
    // SAFETY: Per the caller; `priv` is set between probe and remove.
    let ((reg, dev), data) = unsafe { (context::<T>(vdev), (*vdev).priv_) };
    if data.is_null() {
        return 0;
    }
    // SAFETY: `data` came from `into_foreign` in probe and is taken back only in remove.
    match f(&reg.driver, dev, unsafe { T::Data::borrow(data) }) {
        Ok(()) => 0,
        Err(e) => e.to_errno(),
    }
}

/// `virtio_driver.freeze`.
///
/// # Safety
///
/// Called by the virtio core with a live device bound to a driver registered by
/// `Registration<T>`.
unsafe extern "C" fn freeze_callback<T: Driver>(vdev: *mut bindings::virtio_device) -> c_int {
    // SAFETY: The virtio core calls this PM callback with a live device bound to our driver.
    unsafe { pm_callback::<T>(vdev, |drv, dev, data| drv.freeze(dev, data)) }
}

/// `virtio_driver.restore`.
///
/// # Safety
///
/// Called by the virtio core with a live device bound to a driver registered by
/// `Registration<T>`.
unsafe extern "C" fn restore_callback<T: Driver>(vdev: *mut bindings::virtio_device) -> c_int {
    // SAFETY: The virtio core calls this PM callback with a live device bound to our driver.
    unsafe { pm_callback::<T>(vdev, |drv, dev, data| drv.restore(dev, data)) }
}

/// The callback of every queue created by [`Device::find_vqs`].
///
/// # Safety
///
/// Called by the virtio transport with a live queue of a live device of ours.
unsafe extern "C" fn queue_callback<T: Driver>(vq: *mut bindings::virtqueue) {
    // SAFETY: The transport calls this with a live queue of a live device.
    let (vdev, index) = unsafe { ((*vq).vdev, (*vq).index) };
    // SAFETY: As above.
    let data = unsafe { (*vdev).priv_ };
    if !data.is_null() {
        // SAFETY: `priv` stays valid until remove, which resets the device (synchronizing
        // with callbacks) before taking it back.
        T::queue_callback(unsafe { T::Data::borrow(data) }, index);
    }
}
