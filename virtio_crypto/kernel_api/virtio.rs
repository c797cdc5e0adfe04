// SPDX-License-Identifier: GPL-2.0

//! Virtio devices and drivers: a typed [`Device`], the [`Driver`] trait a virtio driver
//! implements, a [`Registration`] that registers the driver and unregisters it on drop, a
//! [`ConfigReader`] for configuration reads outside driver callbacks, and a [`Recovery`]
//! that resets a device and sets it up again.

use super::virtqueue::{Detached, RawQueue};
use crate::kernel_api::bindings;
use core::{
    marker::PhantomPinned,
    mem::MaybeUninit,
    pin::Pin,
    ptr::NonNull,
    sync::atomic::{AtomicBool, Ordering},
};
use kernel::{
    ffi::{c_char, c_int, c_void},
    new_mutex,
    prelude::*,
    str::CStr,
    sync::{Arc, Mutex},
    types::{FromBytes, Opaque},
    ThisModule,
};

/// Proof that a device was reset: its queues' unused buffers are the driver's again
/// ([`super::virtqueue::VqGuard::detach_unused`]).
pub(crate) struct Reset {
    pub(super) vdev: NonNull<bindings::virtio_device>,
}

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
    pub(crate) fn read_config<C: FromBytes>(&self) -> C {
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
        // (`FromBytes`).
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
            // SAFETY: `find_vqs` returned a live queue; it stays live until `delete_queues`, which
            // only deletes it once it is detached.
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

    /// Resets the device: it stops processing and forgets its state (sessions included),
    /// and no queue callback runs any more when this returns. The returned proof
    /// lets the device's queues give back what the device never used.
    pub(crate) fn reset(&self) -> Reset {
        // SAFETY: The device is live.
        unsafe { reset_device(self.as_raw()) };
        Reset {
            vdev: NonNull::from(&self.0).cast(),
        }
    }

    /// Deletes the virtqueues of the reset device, given proof that it was reset and that
    /// every queue [`Self::find_vqs`] created was detached from the
    /// [`super::virtqueue::Virtqueue`] it was attached to. Without a proof for each queue, or
    /// with another device's proof of reset, nothing is deleted (`EBUSY`).
    pub(crate) fn delete_queues(&self, reset: &Reset, detached: &[Detached]) -> Result {
        if reset.vdev.as_ptr() != self.as_raw() {
            pr_err!(
                "virtio{}: proof of reset for another device\n",
                self.index()
            );
            return Err(EBUSY);
        }
        let mut raw = KVec::with_capacity(detached.len(), GFP_KERNEL)?;
        for d in detached {
            raw.push(d.0.as_ptr(), GFP_KERNEL)?;
        }
        let n = u32::try_from(raw.len()).map_err(|_| EINVAL)?;
        // SAFETY: The device is live; `raw` holds `n` queue pointers.
        let all = unsafe { bindings::vcrs_virtio_vqs_all_in(self.as_raw(), raw.as_ptr(), n) };
        if !all {
            pr_err!(
                "virtio{}: queues still attached; not deleted\n",
                self.index()
            );
            return Err(EBUSY);
        }
        // SAFETY: The device was reset (no callbacks, no device access to the rings), and
        // no `Virtqueue` refers to any of its queues any more (each was detached).
        unsafe { bindings::vcrs_virtio_del_vqs(self.as_raw()) };
        Ok(())
    }
}

/// A reference on a virtio device (`get_device`), given back on drop: its memory stays
/// valid, bound or not.
///
/// # Invariants
///
/// `dev` is a virtio device on which we hold a reference.
struct DeviceRef {
    dev: NonNull<bindings::virtio_device>,
}

// SAFETY: Device references may be taken, used and dropped on any thread.
unsafe impl Send for DeviceRef {}
// SAFETY: As above.
unsafe impl Sync for DeviceRef {}

impl DeviceRef {
    fn new(dev: &Device) -> Result<Self> {
        let ptr = NonNull::new(dev.as_raw()).ok_or(EINVAL)?;
        // SAFETY: The device is live; `get_device` takes a reference on its `struct device`,
        // given back in `drop`.
        unsafe { bindings::get_device(&mut (*ptr.as_ptr()).dev) };
        Ok(Self { dev: ptr })
    }

    fn as_ptr(&self) -> *mut bindings::virtio_device {
        self.dev.as_ptr()
    }
}

impl Drop for DeviceRef {
    fn drop(&mut self) {
        // SAFETY: We hold a reference (type invariant), given back exactly once.
        unsafe { bindings::put_device(&mut (*self.dev.as_ptr()).dev) };
    }
}

/// Reads of a bound device's configuration space from outside driver callbacks (such as a
/// work item reacting to a configuration change). The virtio abstraction stops them before
/// the device is unbound or suspended (a stop waits for a read in progress), and allows them
/// again after a restore.
///
/// # Invariants
///
/// While `readable` is set, the device is bound to this driver and not suspended.
#[pin_data]
pub(crate) struct ConfigReader {
    dev: DeviceRef,
    #[pin]
    readable: Mutex<bool>,
}

impl ConfigReader {
    fn new(dev: &Device) -> Result<Arc<Self>> {
        let dev = DeviceRef::new(dev)?;
        Arc::pin_init(
            pin_init!(Self {
                dev,
                readable <- new_mutex!(true),
            }),
            GFP_KERNEL,
        )
    }

    /// Reads the configuration space as a `C`; `None` while reads are stopped (the device
    /// is being unbound or is suspended). Process context.
    pub(crate) fn read<C: FromBytes>(&self) -> Option<C> {
        let readable = self.readable.lock();
        if !*readable {
            return None;
        }
        // SAFETY: Reads are allowed, and stay allowed while we hold the lock, so the device
        // is bound (type invariant).
        let dev = unsafe { Device::from_raw(self.dev.as_ptr()) };
        Some(dev.read_config::<C>())
    }

    fn set_readable(&self, readable: bool) {
        *self.readable.lock() = readable;
    }
}

/// Resets a bound device and sets it up again from outside the driver's callbacks (a work
/// item that found the device no longer answering): the virtio core's freeze and restore
/// steps around the driver's own [`Driver::freeze`] and [`Driver::restore`], under the
/// device lock, which serializes this with remove and with system sleep.
///
/// # Invariants
///
/// `bound` is set while the device is bound to this driver, `suspended` while the driver's
/// freeze left it suspended; both change only under the device lock.
pub(crate) struct Recovery {
    dev: DeviceRef,
    bound: AtomicBool,
    suspended: AtomicBool,
}

impl Recovery {
    fn new(dev: &Device) -> Result<Arc<Self>> {
        Ok(Arc::new(
            Self {
                dev: DeviceRef::new(dev)?,
                bound: AtomicBool::new(true),
                suspended: AtomicBool::new(false),
            },
            GFP_KERNEL,
        )?)
    }

    /// Resets the device and sets it up again through the driver's freeze and restore.
    /// `ENODEV` if it is no longer bound, or suspended. Process context; takes as long as
    /// the driver's freeze and restore.
    pub(crate) fn recover(&self) -> Result {
        // SAFETY: We hold a reference on the device, so it is live; the helper takes the
        // device lock and acts only if the flags (read under it) say the device is bound
        // and not suspended.
        kernel::error::to_result(unsafe {
            bindings::vcrs_virtio_recover(
                self.dev.as_ptr(),
                self.bound.as_ptr().cast_const(),
                self.suspended.as_ptr().cast_const(),
            )
        })
    }

    /// Whether the device set `DEVICE_NEEDS_RESET` in its status (it stopped serving until
    /// it is reset); `false` if it is no longer bound, or suspended. Process context.
    pub(crate) fn needs_reset(&self) -> bool {
        // SAFETY: As in `recover`: the device is live, and the helper reads its status
        // under the device lock only if the flags say it is bound and not suspended.
        unsafe {
            bindings::vcrs_virtio_needs_reset(
                self.dev.as_ptr(),
                self.bound.as_ptr().cast_const(),
                self.suspended.as_ptr().cast_const(),
            )
        }
    }
}

/// A virtio driver. One object serves every device the driver binds.
pub(crate) trait Driver: Send + Sync + Sized + 'static {
    /// Per-device state, kept while the device is bound.
    type Data: Send + Sync;

    /// Sets a device up (config, queues), before it is marked ready. No requests yet.
    /// `config` reads the configuration later, outside callbacks; `recovery` resets and
    /// sets up the device again if it stops answering.
    fn probe(
        &self,
        dev: &Device,
        config: Arc<ConfigReader>,
        recovery: Arc<Recovery>,
    ) -> Result<Self::Data>;

    /// The device is ready (`DRIVER_OK`): requests may flow. An error unbinds the device.
    fn start(&self, dev: &Device, data: &Self::Data) -> Result;

    /// The device was already reset (`reset`: no more callbacks or completions) and
    /// configuration reads are stopped; release it.
    fn remove(&self, dev: &Device, data: Self::Data, reset: Reset);

    /// The device changed its configuration space. Atomic context (the virtio core holds a
    /// spinlock), and configuration reads may sleep: defer the work.
    fn config_changed(&self, dev: &Device, data: &Self::Data);

    /// The system suspends (configuration reads are stopped already): stop using the
    /// device, reset it and delete its queues. Process context; an error aborts the
    /// suspend.
    fn freeze(&self, dev: &Device, data: &Self::Data) -> Result;

    /// The system resumes: the core reset the device and negotiated features again; create
    /// the queues, mark the device ready ([`Device::set_ready`]) and restore its state.
    /// Configuration reads are allowed again once this succeeds.
    fn restore(&self, dev: &Device, data: &Self::Data) -> Result;

    /// A queue has used buffers. Runs in hard-IRQ context: no sleeping, no completions of
    /// crypto requests here.
    fn queue_callback(data: &Self::Data, queue_index: u32);
}

/// What the abstraction keeps in a bound device's `priv`: the driver's data and the
/// configuration reader it stops before unbinding or suspending.
struct Bound<T: Driver> {
    config: Arc<ConfigReader>,
    recovery: Arc<Recovery>,
    data: T::Data,
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

/// Resets a device and waits for queue callbacks in progress (`virtio_reset_device` alone
/// waits for them on virtio-pci only).
///
/// # Safety
///
/// `vdev` must be a live virtio device.
unsafe fn reset_device(vdev: *mut bindings::virtio_device) {
    // SAFETY: Per the caller.
    unsafe {
        bindings::virtio_reset_device(vdev);
        bindings::vcrs_virtio_synchronize_cbs(vdev);
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

/// The driver's state of a bound device, if probe has set it.
///
/// # Safety
///
/// `vdev` must be live, and the caller serialized with `remove` (which frees the state).
unsafe fn bound<'a, T: Driver>(vdev: *mut bindings::virtio_device) -> Option<&'a Bound<T>> {
    // SAFETY: `priv` is null or a `Bound<T>` from `KBox::into_raw` in probe, freed only in
    // remove, with which the caller is serialized.
    unsafe { (*vdev).priv_.cast::<Bound<T>>().as_ref() }
}

/// Takes the driver's state back from a device that was reset (no callback runs any more).
///
/// # Safety
///
/// `vdev` must be live and reset, with `priv` set by probe; no reference from [`bound`]
/// may be alive.
unsafe fn take_bound<T: Driver>(vdev: *mut bindings::virtio_device) -> KBox<Bound<T>> {
    // SAFETY: Per the caller, `priv` came from `KBox::into_raw` and nobody borrows it.
    unsafe {
        let state = KBox::from_raw((*vdev).priv_.cast::<Bound<T>>());
        (*vdev).priv_ = core::ptr::null_mut();
        state
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
    let setup = ConfigReader::new(dev).and_then(|config| {
        let recovery = Recovery::new(dev)?;
        let data = reg.driver.probe(dev, config.clone(), recovery.clone())?;
        Ok(KBox::new(
            Bound::<T> {
                config,
                recovery,
                data,
            },
            GFP_KERNEL,
        )?)
    });
    let state = match setup {
        Ok(state) => state,
        Err(e) => {
            // SAFETY: The driver's state is gone, and with it every `Virtqueue` its queues
            // were attached to; the device is reset before its queues are deleted.
            unsafe {
                reset_device(vdev);
                bindings::vcrs_virtio_del_vqs(vdev);
            }
            return e.to_errno();
        }
    };
    // SAFETY: The device is live; `priv` belongs to the driver while bound.
    unsafe { (*vdev).priv_ = KBox::into_raw(state).cast::<c_void>() };
    // SAFETY: The device is set up; from here on it may use its queues.
    unsafe { bindings::vcrs_virtio_device_ready(vdev) };
    // SAFETY: `priv` was set above and is freed only in remove (or below).
    let started = match unsafe { bound::<T>(vdev) } {
        Some(state) => reg.driver.start(dev, &state.data),
        None => Err(EINVAL),
    };
    match started {
        Ok(()) => 0,
        Err(e) => {
            // SAFETY: A bound device of ours whose `priv` was set above.
            unsafe { unbind::<T>(vdev) };
            e.to_errno()
        }
    }
}

/// Resets the device, takes the driver's state back, stops configuration reads and lets
/// the driver release the device.
///
/// # Safety
///
/// `vdev` must be live and bound to a driver registered by `Registration<T>`, with `priv`
/// set by probe, and no other callback of this driver running on it except queue
/// callbacks (which the reset waits for).
unsafe fn unbind<T: Driver>(vdev: *mut bindings::virtio_device) {
    // SAFETY: Per the caller.
    let (reg, dev) = unsafe { context::<T>(vdev) };
    // SAFETY: Resetting first stops the device and synchronizes with running callbacks, so
    // nobody borrows `priv` after it is taken back.
    let state = unsafe {
        reset_device(vdev);
        take_bound::<T>(vdev)
    };
    let reset = Reset {
        vdev: NonNull::from(&dev.0).cast(),
    };
    let Bound {
        config,
        recovery,
        data,
    } = KBox::into_inner(state);
    config.set_readable(false);
    // Under the device lock (the driver core holds it around probe and remove).
    recovery.bound.store(false, Ordering::Release);
    reg.driver.remove(dev, data, reset);
}

/// `virtio_driver.remove`.
///
/// # Safety
///
/// Called by the virtio core with a live device bound to a driver registered by
/// `Registration<T>`.
unsafe extern "C" fn remove_callback<T: Driver>(vdev: *mut bindings::virtio_device) {
    // SAFETY: The virtio core calls remove with a live device bound to our driver, whose
    // probe succeeded (so `priv` is set).
    unsafe { unbind::<T>(vdev) };
}

/// `virtio_driver.config_changed`.
///
/// # Safety
///
/// Called by the virtio core with a live device bound to a driver registered by
/// `Registration<T>`.
unsafe extern "C" fn config_changed_callback<T: Driver>(vdev: *mut bindings::virtio_device) {
    // SAFETY: The virtio core calls this with a live device bound to our driver, serialized
    // with probe and remove.
    let ((reg, dev), state) = unsafe { (context::<T>(vdev), bound::<T>(vdev)) };
    if let Some(state) = state {
        reg.driver.config_changed(dev, &state.data);
    }
}

/// `virtio_driver.freeze`.
///
/// # Safety
///
/// Called by the virtio core with a live device bound to a driver registered by
/// `Registration<T>`.
unsafe extern "C" fn freeze_callback<T: Driver>(vdev: *mut bindings::virtio_device) -> c_int {
    // SAFETY: The PM core calls this with a live device bound to our driver, serialized with
    // probe and remove.
    let ((reg, dev), state) = unsafe { (context::<T>(vdev), bound::<T>(vdev)) };
    let Some(state) = state else {
        return 0;
    };
    state.config.set_readable(false);
    let result = reg.driver.freeze(dev, &state.data);
    match result {
        // Under the device lock (held around PM callbacks, and by `Recovery`).
        Ok(()) => state.recovery.suspended.store(true, Ordering::Release),
        // The suspend is aborted: the device stays in use.
        Err(_) => state.config.set_readable(true),
    }
    super::errno::to_c(result)
}

/// `virtio_driver.restore`.
///
/// # Safety
///
/// Called by the virtio core with a live device bound to a driver registered by
/// `Registration<T>`.
unsafe extern "C" fn restore_callback<T: Driver>(vdev: *mut bindings::virtio_device) -> c_int {
    // SAFETY: As in `freeze_callback`.
    let ((reg, dev), state) = unsafe { (context::<T>(vdev), bound::<T>(vdev)) };
    let Some(state) = state else {
        return 0;
    };
    let result = reg.driver.restore(dev, &state.data);
    if result.is_ok() {
        state.config.set_readable(true);
        state.recovery.suspended.store(false, Ordering::Release);
    }
    super::errno::to_c(result)
}

/// The callback of every queue created by [`Device::find_vqs`].
///
/// # Safety
///
/// Called by the virtio transport with a live queue of a live device of ours.
unsafe extern "C" fn queue_callback<T: Driver>(vq: *mut bindings::virtqueue) {
    // SAFETY: The transport calls this with a live queue of a live device; `priv` stays
    // valid until remove, which resets the device (synchronizing with callbacks) before
    // taking it back.
    let (state, index) = unsafe { (bound::<T>((*vq).vdev), (*vq).index) };
    if let Some(state) = state {
        T::queue_callback(&state.data, index);
    }
}
