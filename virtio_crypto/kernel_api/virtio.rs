// SPDX-License-Identifier: GPL-2.0

//! Virtio devices and drivers: a typed [`Device`], the [`Driver`] trait a virtio driver
//! implements, a [`Registration`] that registers the driver and unregisters it on drop, a
//! [`ConfigReader`] for configuration reads outside driver callbacks, and a [`Recovery`]
//! that resets a device and sets it up again.
//!
//! From the start of probe to the end of unbind, the abstraction keeps its own state of a
//! device (`Core`, in the device's `priv`): every queue [`Device::find_vqs`] created, which it
//! revokes before the queues are deleted, so no [`super::virtqueue::Virtqueue`] can reach a
//! deleted queue whatever the driver kept; the reset epoch that makes a [`Reset`] stale once
//! the device runs again; and the driver's data. Probe failure, start failure and remove all
//! end in one path (`unbind`).

use super::virtqueue::{self, QueueCell, RawQueue};
use crate::kernel_api::{bindings, FromBytes};
use core::{
    marker::{PhantomData, PhantomPinned},
    mem::MaybeUninit,
    pin::Pin,
    ptr::NonNull,
    sync::atomic::{AtomicBool, AtomicPtr, AtomicU64, Ordering},
};
use kernel::{
    ffi::{c_char, c_int, c_uint, c_void},
    new_mutex,
    prelude::*,
    str::CStr,
    sync::{Arc, Mutex},
    types::Opaque,
    ThisModule,
};

/// A virtio device type, as in a driver's id table (`virtio_device_id.device`).
#[derive(Clone, Copy)]
pub(crate) struct DeviceId(u32);

impl DeviceId {
    /// The crypto device (`VIRTIO_ID_CRYPTO`).
    pub(crate) const CRYPTO: Self = Self(bindings::VIRTIO_ID_CRYPTO);
}

/// A transport feature bit a driver may test with [`Device::has_feature`]. Only transport
/// features: the virtio core `BUG()`s on a device feature the driver's table does not list
/// (and this abstraction registers an empty table).
#[derive(Clone, Copy)]
pub(crate) struct Feature(u32);

impl Feature {
    /// `VIRTIO_F_VERSION_1`: the device is a virtio 1.0 (modern) device.
    pub(crate) const VERSION_1: Self = Self(bindings::VIRTIO_F_VERSION_1);
}

// Transport features only (see `Feature`).
const _: () = assert!(bindings::VIRTIO_F_VERSION_1 >= bindings::VIRTIO_TRANSPORT_F_START);

/// A configuration space layout: what [`Device::read_config`] and [`ConfigReader::read`]
/// may read.
///
/// # Safety
///
/// The type is no larger than the configuration space of the devices this driver binds
/// (reading past it would read outside the transport's mapping).
pub(crate) unsafe trait ConfigSpace: FromBytes {}

/// Proof that a device was reset and has not been made ready since: its queues' unused
/// buffers are the driver's again ([`super::virtqueue::VqGuard::detach_unused`]) and its
/// queues may be deleted ([`Device::delete_queues`]).
///
/// # Invariants
///
/// `vdev` was reset when the device's reset epoch was `epoch`; the proof holds while the
/// epoch is unchanged (making the device ready bumps it). Not `Send` or `Sync`: it stays on
/// the thread, and in the callback, that made it.
pub(crate) struct Reset {
    vdev: NonNull<bindings::virtio_device>,
    epoch: u64,
    _not_send: PhantomData<*mut ()>,
}

impl Reset {
    /// Resets `vdev` and returns the proof.
    ///
    /// # Safety
    ///
    /// `vdev` must be live and bound to this driver, with its `Core` set.
    unsafe fn new(vdev: *mut bindings::virtio_device) -> Self {
        // SAFETY: Per the caller.
        let core = unsafe { Core::of(vdev) };
        // SAFETY: Per the caller.
        unsafe { reset_device(vdev) };
        // INVARIANT: Reset just now, at the current epoch.
        Self {
            // SAFETY: A live device is not null.
            vdev: unsafe { NonNull::new_unchecked(vdev) },
            epoch: core.map_or(u64::MAX, Core::epoch),
            _not_send: PhantomData,
        }
    }

    /// Whether this proves that `vdev` is reset now.
    ///
    /// # Safety
    ///
    /// `vdev` must be live and bound to this driver.
    unsafe fn covers(&self, vdev: *mut bindings::virtio_device) -> bool {
        // SAFETY: Per the caller.
        let core = unsafe { Core::of(vdev) };
        self.vdev.as_ptr() == vdev && core.is_some_and(|c| c.epoch() == self.epoch)
    }

    /// Whether this proves that the device of `vq` is reset now.
    ///
    /// # Safety
    ///
    /// `vq` must be a live virtqueue created by [`Device::find_vqs`] (its device is then
    /// bound, with its `Core` set: queues are revoked before a `Core` goes).
    pub(super) unsafe fn covers_queue(&self, vq: *mut bindings::virtqueue) -> bool {
        // SAFETY: Per the caller; `vdev` is a plain field of a live queue.
        unsafe { self.covers((*vq).vdev) }
    }
}

/// The abstraction's state of a device, in its `priv` from the start of probe to the end of
/// unbind.
///
/// # Invariants
///
/// `queues` holds the cell of every queue [`Device::find_vqs`] created and that was not yet
/// deleted; each is revoked before the queues are deleted. `data` is null or a
/// `KBox<T::Data>` of the device's `Registration<T>`, set once probe returned it, and
/// `queue_callback` is that `T`'s. `epoch` changes whenever the device is made ready.
#[pin_data]
struct Core {
    config: Arc<ConfigReader>,
    recovery: Arc<Recovery>,
    #[pin]
    queues: Mutex<KVec<Arc<QueueCell>>>,
    epoch: AtomicU64,
    data: AtomicPtr<c_void>,
    /// The callback of every queue: the device's driver's (`find_vqs` is not generic, so
    /// no queue can read the data as another driver's).
    queue_callback: bindings::vq_callback_t,
}

impl Core {
    /// The state of a device bound to the driver of `Registration<T>`.
    ///
    /// # Safety
    ///
    /// `vdev` must be a live virtio device.
    unsafe fn new<T: Driver>(vdev: *mut bindings::virtio_device) -> Result<Pin<KBox<Self>>> {
        // SAFETY: Per the caller.
        let config = ConfigReader::new(unsafe { DeviceRef::new(vdev) }?)?;
        // SAFETY: Per the caller.
        let recovery = Recovery::new(unsafe { DeviceRef::new(vdev) }?)?;
        // A function pointer before the initializer: it writes fields without coercion.
        let callback: unsafe extern "C" fn(*mut bindings::virtqueue) = queue_callback::<T>;
        KBox::pin_init(
            try_pin_init!(Self {
                config,
                recovery,
                queues <- new_mutex!(KVec::new()),
                epoch: AtomicU64::new(0),
                data: AtomicPtr::new(core::ptr::null_mut()),
                queue_callback: Some(callback),
            }),
            GFP_KERNEL,
        )
    }

    /// The state of `vdev`, if set.
    ///
    /// # Safety
    ///
    /// `vdev` must be live and bound to this driver; the reference must not outlive the
    /// binding (`unbind` frees the state last).
    unsafe fn of<'a>(vdev: *mut bindings::virtio_device) -> Option<&'a Self> {
        // SAFETY: `priv` is null or a `Core` from `KBox::into_raw` in probe, freed only at
        // the end of `unbind`, per the caller.
        unsafe { (*vdev).priv_.cast::<Self>().as_ref() }
    }

    fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::Acquire)
    }

    /// Marks the device ready (`DRIVER_OK`): it may use its queues from now on, so earlier
    /// proofs of reset prove nothing any more.
    ///
    /// # Safety
    ///
    /// `vdev` must be the live device whose state this is.
    unsafe fn make_ready(&self, vdev: *mut bindings::virtio_device) {
        self.epoch.fetch_add(1, Ordering::AcqRel);
        // SAFETY: The device is live, per the caller.
        unsafe { bindings::vcrs_virtio_device_ready(vdev) };
    }

    /// The driver's data, once probe returned it.
    ///
    /// # Safety
    ///
    /// `T` must be the driver of the device's `Registration<T>`, and the caller serialized
    /// with `unbind`'s taking of the data (a callback of the device, or after its reset).
    unsafe fn data<'a, T: Driver>(&self) -> Option<&'a T::Data> {
        // SAFETY: Null or a `KBox<T::Data>` (type invariant), alive until `unbind` takes
        // it, per the caller.
        unsafe { self.data.load(Ordering::Acquire).cast::<T::Data>().as_ref() }
    }

    /// Revokes and deletes every queue still there.
    ///
    /// # Safety
    ///
    /// `vdev` must be the live device whose state this is, reset and not made ready since.
    unsafe fn delete_queues(&self, vdev: *mut bindings::virtio_device, index: i32) {
        let mut queues = self.queues.lock();
        if queues.is_empty() {
            return;
        }
        let attached = queues.iter().filter(|cell| virtqueue::revoke(cell)).count();
        if attached > 0 {
            pr_warn!(
                "virtio{}: {} queue(s) still attached when deleted: revoked (buffers on them are lost)\n",
                index,
                attached
            );
        }
        // SAFETY: The device is reset (no callbacks, no device access to the rings), and no
        // `Virtqueue` can reach any of its queues (each was revoked; `find_vqs` registers
        // every queue it creates).
        unsafe { bindings::vcrs_virtio_del_vqs(vdev) };
        *queues = KVec::new();
    }
}

/// A virtio device (`struct virtio_device`) bound to our driver.
///
/// # Invariants
///
/// Wraps a live `virtio_device`; references exist only during driver callbacks, while the
/// device is bound, with its `Core` set.
#[repr(transparent)]
pub(crate) struct Device(Opaque<bindings::virtio_device>);

impl Device {
    /// # Safety
    ///
    /// `ptr` must be a live virtio device, bound to this driver, with its `Core` set, for
    /// `'a`.
    unsafe fn from_raw<'a>(ptr: *mut bindings::virtio_device) -> &'a Self {
        // SAFETY: Transparent wrapper; validity is the caller's promise.
        unsafe { &*ptr.cast() }
    }

    fn as_raw(&self) -> *mut bindings::virtio_device {
        self.0.get()
    }

    fn core(&self) -> Result<&Core> {
        // SAFETY: The device is live and bound (type invariant); the reference lives no
        // longer than `self`, which lives no longer than the binding.
        unsafe { Core::of(self.as_raw()) }.ok_or(ENODEV)
    }

    /// The device's index, as in its name `virtio<index>`.
    pub(crate) fn index(&self) -> i32 {
        // SAFETY: The device is live (type invariant); `index` is fixed after registration.
        unsafe { (*self.as_raw()).index }
    }

    /// Whether transport feature `feature` was negotiated.
    pub(crate) fn has_feature(&self, feature: Feature) -> bool {
        // SAFETY: The device is live; `feature` is a transport feature (`Feature`), which
        // the core checks without consulting the driver's feature table.
        unsafe { bindings::vcrs_virtio_has_feature(self.as_raw(), feature.0) }
    }

    /// Reads the configuration space from offset 0 as a `C` (a consistent snapshot:
    /// `virtio_cread_bytes` retries across config generation changes).
    pub(crate) fn read_config<C: ConfigSpace>(&self) -> C {
        // SAFETY: The device is live and bound (type invariant).
        unsafe { read_config(self.as_raw()) }
    }

    /// Creates the device's virtqueues, all with the driver's queue callback; `names` gives
    /// their number. Returns them in order. `EBUSY` while queues created earlier are not
    /// deleted. Process context.
    pub(crate) fn find_vqs(&self, names: &[&'static CStr]) -> Result<KVec<RawQueue>> {
        let core = self.core()?;
        let n = names.len();
        let mut queues = core.queues.lock();
        if !queues.is_empty() {
            return Err(EBUSY);
        }
        let mut vqs = KVec::<*mut bindings::virtqueue>::with_capacity(n, GFP_KERNEL)?;
        let mut callbacks = KVec::with_capacity(n, GFP_KERNEL)?;
        let mut cnames = KVec::<*const c_char>::with_capacity(n, GFP_KERNEL)?;
        let mut cells = KVec::with_capacity(n, GFP_KERNEL)?;
        let mut out = KVec::with_capacity(n, GFP_KERNEL)?;
        for name in names {
            vqs.push(core::ptr::null_mut(), GFP_KERNEL)?;
            callbacks.push(core.queue_callback, GFP_KERNEL)?;
            cnames.push(name.as_char_ptr(), GFP_KERNEL)?;
            let cell = virtqueue::empty_cell()?;
            out.push(RawQueue::new(cell.clone()), GFP_KERNEL)?;
            cells.push(cell, GFP_KERNEL)?;
        }
        let nvqs = u32::try_from(n).map_err(|_| EINVAL)?;
        // SAFETY: The device is live; the arrays hold `n` entries each.
        let ret = unsafe {
            bindings::vcrs_virtio_find_vqs(
                self.as_raw(),
                nvqs,
                vqs.as_mut_ptr(),
                callbacks.as_mut_ptr(),
                cnames.as_ptr(),
            )
        };
        if ret != 0 {
            // The transport deleted whatever it had created.
            return Err(Error::from_errno(ret));
        }
        // Every queue is tracked from here on, whatever happens next.
        *queues = cells;
        for (cell, vq) in queues.iter().zip(vqs.iter()) {
            let vq = NonNull::new(*vq).ok_or(EINVAL)?;
            // SAFETY: `find_vqs` returned a live queue; it stays live until deleted, which
            // happens only after its cell (registered in `Core::queues` above) is revoked.
            unsafe { virtqueue::fill_cell(cell, vq) };
        }
        Ok(out)
    }

    /// Marks the device ready (`DRIVER_OK`) after its queues were created again in
    /// [`Driver::restore`], so that requests may flow before restore returns. Every
    /// [`Reset`] made before is stale from then on.
    pub(crate) fn set_ready(&self) {
        if let Ok(core) = self.core() {
            // SAFETY: The device is live, and `core` is its state.
            unsafe { core.make_ready(self.as_raw()) };
        }
    }

    /// Resets the device: it stops processing and forgets its state (sessions included),
    /// and no queue callback runs any more when this returns. The returned proof
    /// lets the device's queues give back what the device never used, until the device is
    /// made ready again.
    pub(crate) fn reset(&self) -> Reset {
        // SAFETY: The device is live and bound, with its `Core` (type invariant).
        unsafe { Reset::new(self.as_raw()) }
    }

    /// Deletes the virtqueues of the reset device, given proof that it is reset (and not
    /// made ready since). Every queue [`Self::find_vqs`] created is revoked first: a
    /// [`super::virtqueue::Virtqueue`] still attached to one finds it detached (and what was
    /// on its ring is lost: detach the queues first). `EBUSY` without a current proof.
    pub(crate) fn delete_queues(&self, reset: &Reset) -> Result {
        let core = self.core()?;
        // SAFETY: The device is live and bound.
        if !unsafe { reset.covers(self.as_raw()) } {
            pr_err!(
                "virtio{}: no current proof of reset; queues not deleted\n",
                self.index()
            );
            return Err(EBUSY);
        }
        // SAFETY: The device is live, `core` is its state, and it is reset (`covers`).
        unsafe { core.delete_queues(self.as_raw(), self.index()) };
        Ok(())
    }
}

/// Reads the configuration space from offset 0 as a `C`.
///
/// # Safety
///
/// `vdev` must be live and bound to this driver.
unsafe fn read_config<C: ConfigSpace>(vdev: *mut bindings::virtio_device) -> C {
    let mut raw = MaybeUninit::<C>::zeroed();
    // SAFETY: The device is live; `raw` is writable for `size_of::<C>()` bytes, which lie
    // within the configuration space (`ConfigSpace`).
    unsafe {
        bindings::vcrs_virtio_cread_bytes(
            vdev,
            0,
            raw.as_mut_ptr().cast(),
            core::mem::size_of::<C>(),
        )
    };
    // SAFETY: Zero-initialized, then overwritten; every bit pattern is a valid `C`
    // (`FromBytes`).
    unsafe { raw.assume_init() }
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
    /// # Safety
    ///
    /// `vdev` must be a live virtio device.
    unsafe fn new(vdev: *mut bindings::virtio_device) -> Result<Self> {
        let ptr = NonNull::new(vdev).ok_or(EINVAL)?;
        // SAFETY: The device is live, per the caller; `get_device` takes a reference on its
        // `struct device`, given back in `drop`.
        unsafe { bindings::get_device(&mut (*ptr.as_ptr()).dev) };
        // INVARIANT: We hold the reference taken just now.
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
    fn new(dev: DeviceRef) -> Result<Arc<Self>> {
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
    pub(crate) fn read<C: ConfigSpace>(&self) -> Option<C> {
        let readable = self.readable.lock();
        if !*readable {
            return None;
        }
        // SAFETY: Reads are allowed, and stay allowed while we hold the lock, so the device
        // is bound (type invariant); we hold a reference, so it is live.
        Some(unsafe { read_config::<C>(self.dev.as_ptr()) })
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
    fn new(dev: DeviceRef) -> Result<Arc<Self>> {
        Ok(Arc::new(
            Self {
                dev,
                bound: AtomicBool::new(true),
                suspended: AtomicBool::new(false),
            },
            GFP_KERNEL,
        )?)
    }

    /// The device's status, if the driver holds it (bound, not suspended) and it reads as
    /// a device that is there (not all ones, as a removed PCI device reads).
    fn live_status(&self, locked: &DeviceLock<'_>) -> Option<u8> {
        // Under the device lock (`locked`), which the flags change under.
        if !self.bound.load(Ordering::Acquire) || self.suspended.load(Ordering::Acquire) {
            return None;
        }
        // SAFETY: The device is live (we hold a reference) and bound to this driver (the
        // flag, read under the device lock it changes under), so its transport is there.
        let status = unsafe { bindings::vcrs_virtio_get_status(locked.0.as_ptr()) };
        (status != 0xff).then_some(status)
    }

    /// Resets the device and sets it up again through the driver's freeze and restore (the
    /// virtio core's own steps around them: status, features). Under the system sleep lock
    /// (system suspend takes it for the whole transition; the transport's PM callbacks run
    /// under its own device's lock, not this one's) and the device lock (remove). Not done
    /// (`ENODEV`) if the device is no longer bound, or suspended, the system is not running
    /// (shutdown, kexec: the virtio core broke and reset the device on purpose), or the
    /// device is gone or not live (a status of all ones, or without `DRIVER_OK`). Process
    /// context; takes as long as the driver's freeze and restore.
    #[cfg(CONFIG_PM_SLEEP)]
    pub(crate) fn recover(&self) -> Result {
        let _sleep = SystemSleepLock::lock();
        let locked = DeviceLock::lock(&self.dev);
        let live = system_running()
            && self
                .live_status(&locked)
                .is_some_and(|status| u32::from(status) & bindings::VIRTIO_CONFIG_S_DRIVER_OK != 0);
        if !live {
            return Err(ENODEV);
        }
        let vdev = self.dev.as_ptr();
        // SAFETY: The device is live (we hold a reference) and bound to this driver, not
        // suspended, with `DRIVER_OK` (checked under the device lock, which we hold as the
        // PM core would, and which keeps remove and system sleep away).
        kernel::error::to_result(unsafe { bindings::virtio_device_freeze(vdev) })?;
        // SAFETY: As above; the freeze succeeded, so the driver expects its restore.
        kernel::error::to_result(unsafe { bindings::virtio_device_restore(vdev) })
        // The device lock, then the system sleep lock, are released here.
    }

    /// Without `CONFIG_PM_SLEEP` the virtio core has no freeze and restore: `EOPNOTSUPP`.
    #[cfg(not(CONFIG_PM_SLEEP))]
    pub(crate) fn recover(&self) -> Result {
        Err(EOPNOTSUPP)
    }

    /// Whether the device set `DEVICE_NEEDS_RESET` in its status (it stopped serving until
    /// it is reset); `false` if it is no longer bound, or suspended (read under the device
    /// lock, with the flags [`Self::recover`] checks). Process context.
    pub(crate) fn needs_reset(&self) -> bool {
        let locked = DeviceLock::lock(&self.dev);
        self.live_status(&locked)
            .is_some_and(|status| u32::from(status) & bindings::VIRTIO_CONFIG_S_NEEDS_RESET != 0)
    }
}

/// Whether the system is running (`system_state == SYSTEM_RUNNING`): not booting, shutting
/// down or restarting.
fn system_running() -> bool {
    // SAFETY: Reads a global that is only ever written with whole values.
    unsafe { bindings::vcrs_system_running() }
}

/// The system sleep lock (`lock_system_sleep`), held until drop: no system suspend or
/// hibernation starts or runs meanwhile.
struct SystemSleepLock(c_uint);

impl SystemSleepLock {
    fn lock() -> Self {
        // SAFETY: No preconditions (process context, which every caller is in).
        Self(unsafe { bindings::vcrs_lock_system_sleep() })
    }
}

impl Drop for SystemSleepLock {
    fn drop(&mut self) {
        // SAFETY: Taken in `lock`, with these flags; released once.
        unsafe { bindings::vcrs_unlock_system_sleep(self.0) };
    }
}

/// The device lock (`device_lock`) of a device we hold a reference on, held until drop.
///
/// # Invariants
///
/// The lock of `dev`'s `struct device` is held for as long as this exists.
struct DeviceLock<'a>(&'a DeviceRef);

impl<'a> DeviceLock<'a> {
    fn lock(dev: &'a DeviceRef) -> Self {
        // SAFETY: We hold a reference on the device, so it is live.
        unsafe { bindings::vcrs_device_lock(&mut (*dev.as_ptr()).dev) };
        // INVARIANT: Locked just now.
        Self(dev)
    }
}

impl Drop for DeviceLock<'_> {
    fn drop(&mut self) {
        // SAFETY: Locked by `lock` (type invariant), unlocked once.
        unsafe { bindings::vcrs_device_unlock(&mut (*self.0.as_ptr()).dev) };
    }
}

/// A virtio driver. One object serves every device the driver binds.
pub(crate) trait Driver: Send + Sync + Sized + 'static {
    /// Per-device state, kept while the device is bound.
    type Data: Send + Sync;

    /// Sets a device up (config, queues), before it is marked ready. No requests yet.
    /// `config` reads the configuration later, outside callbacks; `recovery` resets and
    /// sets up the device again if it stops answering. On error the device is reset, both
    /// are stopped, and every queue created is revoked and deleted, whatever the driver kept
    /// of it.
    fn probe(
        &self,
        dev: &Device,
        config: Arc<ConfigReader>,
        recovery: Arc<Recovery>,
    ) -> Result<Self::Data>;

    /// The device is ready (`DRIVER_OK`): requests may flow. An error unbinds the device.
    fn start(&self, dev: &Device, data: &Self::Data) -> Result;

    /// The device was already reset (`reset`: no more callbacks or completions) and
    /// configuration reads and recovery are stopped; release it (detach and delete the
    /// queues). Queues left are revoked and deleted when this returns.
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
    /// Registers `driver` for virtio devices of type `device_id`.
    pub(crate) fn new(
        name: &'static CStr,
        device_id: DeviceId,
        driver: T,
        module: &'static ThisModule,
    ) -> Result<Pin<KBox<Self>>> {
        let mut id_table = [bindings::virtio_device_id::default(); 2];
        id_table[0].device = device_id.0;
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
        // 7.x: a transport reset (virtio_pci on a PCI function reset) stops and restarts the
        // device as a system sleep does, and shutdown releases it as remove does.
        #[cfg(vcrs_kernel_7)]
        // SAFETY: As above.
        unsafe {
            (*drv).reset_prepare = Some(reset_prepare_callback::<T>);
            (*drv).reset_done = Some(reset_done_callback::<T>);
            (*drv).shutdown = Some(shutdown_callback::<T>);
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
/// `vdev` must be live and bound to a driver registered by `Registration<T>`, with its
/// `Core` set, for `'a`.
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

/// The abstraction's state and the driver's data of a bound device, if probe set them.
///
/// # Safety
///
/// `vdev` must be live and bound to a driver registered by `Registration<T>`, and the
/// caller serialized with `unbind` (a driver callback other than a queue callback, or a
/// queue callback, which `unbind`'s reset waits for).
unsafe fn bound<'a, T: Driver>(
    vdev: *mut bindings::virtio_device,
) -> Option<(&'a Core, &'a T::Data)> {
    // SAFETY: Per the caller.
    let core = unsafe { Core::of(vdev) }?;
    // SAFETY: `T` is the device's driver, and the caller is serialized with `unbind`.
    let data = unsafe { core.data::<T>() }?;
    Some((core, data))
}

/// `virtio_driver.probe`.
///
/// # Safety
///
/// Called by the virtio core with a live device bound to a driver registered by
/// `Registration<T>`.
unsafe extern "C" fn probe_callback<T: Driver>(vdev: *mut bindings::virtio_device) -> c_int {
    // The abstraction's state first: from here on every way out goes through `unbind`.
    // SAFETY: The virtio core calls probe with a live device.
    let core = match unsafe { Core::new::<T>(vdev) } {
        Ok(core) => core,
        Err(e) => return e.to_errno(),
    };
    // SAFETY: `priv` belongs to the driver while bound; the pinned state stays where it is
    // until `unbind` frees it.
    unsafe { (*vdev).priv_ = KBox::into_raw(Pin::into_inner_unchecked(core)).cast::<c_void>() };
    // SAFETY: The device is live and bound to our driver, with its `Core` set above.
    let (reg, dev) = unsafe { context::<T>(vdev) };
    // SAFETY: Set above; freed only by `unbind`, below or at remove.
    let Some(core) = (unsafe { Core::of(vdev) }) else {
        return EINVAL.to_errno();
    };
    let probed = reg
        .driver
        .probe(dev, core.config.clone(), core.recovery.clone())
        .and_then(|data| Ok(KBox::new(data, GFP_KERNEL)?));
    let data = match probed {
        Ok(data) => data,
        Err(e) => {
            // SAFETY: A bound device of ours with its `Core` set, in probe.
            unsafe { unbind::<T>(vdev) };
            return e.to_errno();
        }
    };
    // INVARIANT: A `KBox<T::Data>` of this device's `Registration<T>`.
    core.data
        .store(KBox::into_raw(data).cast::<c_void>(), Ordering::Release);
    // SAFETY: The device is set up; from here on it may use its queues.
    unsafe { core.make_ready(vdev) };
    // SAFETY: The data was set above and is freed only by `unbind` (below, or at remove).
    let started = match unsafe { core.data::<T>() } {
        Some(data) => reg.driver.start(dev, data),
        None => Err(EINVAL),
    };
    match started {
        Ok(()) => 0,
        Err(e) => {
            // SAFETY: A bound device of ours with its `Core` set, in probe.
            unsafe { unbind::<T>(vdev) };
            e.to_errno()
        }
    }
}

/// The one way a device's state ends (probe or start failed, or remove): resets the device,
/// stops configuration reads and recovery, lets the driver release its data (if probe
/// returned any) with the proof of reset, then revokes and deletes every queue still there
/// and frees the abstraction's state.
///
/// # Safety
///
/// `vdev` must be live and bound to a driver registered by `Registration<T>`, with its
/// `Core` set, under the device lock (probe or remove), and no other callback of this
/// driver running on it except queue callbacks (which the reset waits for).
unsafe fn unbind<T: Driver>(vdev: *mut bindings::virtio_device) {
    // SAFETY: Per the caller.
    let (reg, dev) = unsafe { context::<T>(vdev) };
    // SAFETY: Per the caller; freed at the end of this function only.
    let Some(core) = (unsafe { Core::of(vdev) }) else {
        return;
    };
    // Resetting first stops the device and synchronizes with running callbacks, so nobody
    // borrows the data after it is taken back.
    // SAFETY: The device is live and bound, with its `Core`.
    let reset = unsafe { Reset::new(vdev) };
    let epoch = reset.epoch;
    core.config.set_readable(false);
    // Under the device lock (the driver core holds it around probe and remove).
    core.recovery.bound.store(false, Ordering::Release);
    let data = core.data.swap(core::ptr::null_mut(), Ordering::AcqRel);
    if !data.is_null() {
        // SAFETY: A `KBox<T::Data>` from probe (type invariant of `Core`), taken back once
        // (swapped out); no callback borrows it any more (reset above).
        let data = unsafe { KBox::from_raw(data.cast::<T::Data>()) };
        reg.driver.remove(dev, KBox::into_inner(data), reset);
    }
    // Whatever the driver left goes too, on a device that is reset now (remove may have
    // made it ready again).
    if core.epoch() != epoch {
        // SAFETY: The device is live.
        unsafe { reset_device(vdev) };
    }
    // SAFETY: The device is live and bound, `core` is its state, and it is reset (above,
    // or at `epoch`, unchanged since).
    unsafe { core.delete_queues(vdev, dev.index()) };
    // SAFETY: `priv` holds the pinned `Core` from probe; no reference to it is used after
    // this (queues revoked and deleted, callbacks synchronized by the reset, the data
    // taken back).
    unsafe {
        (*vdev).priv_ = core::ptr::null_mut();
        drop(Pin::new_unchecked(KBox::from_raw(
            core::ptr::from_ref(core).cast_mut(),
        )));
    }
}

/// `virtio_driver.remove`.
///
/// # Safety
///
/// Called by the virtio core with a live device bound to a driver registered by
/// `Registration<T>`.
unsafe extern "C" fn remove_callback<T: Driver>(vdev: *mut bindings::virtio_device) {
    // SAFETY: The virtio core calls remove with a live device bound to our driver, whose
    // probe succeeded (so its `Core` is set), under the device lock.
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
    // with probe and remove (configuration changes are disabled around them).
    if let Some((_, data)) = unsafe { bound::<T>(vdev) } {
        // SAFETY: Bound, with its `Core` set (`bound` found it).
        let (reg, dev) = unsafe { context::<T>(vdev) };
        reg.driver.config_changed(dev, data);
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
    // probe and remove (under the device lock).
    let Some((core, data)) = (unsafe { bound::<T>(vdev) }) else {
        return 0;
    };
    // SAFETY: Bound, with its `Core` set.
    let (reg, dev) = unsafe { context::<T>(vdev) };
    core.config.set_readable(false);
    let result = reg.driver.freeze(dev, data);
    match result {
        // Under the device lock (held around PM callbacks, and by `Recovery`).
        Ok(()) => core.recovery.suspended.store(true, Ordering::Release),
        // The suspend is aborted: the device stays in use.
        Err(_) => core.config.set_readable(true),
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
    let Some((core, data)) = (unsafe { bound::<T>(vdev) }) else {
        return 0;
    };
    // SAFETY: Bound, with its `Core` set.
    let (reg, dev) = unsafe { context::<T>(vdev) };
    let result = reg.driver.restore(dev, data);
    // The virtio core marks the device ready after a successful restore if the driver did
    // not: any proof of reset from before is stale either way.
    core.epoch.fetch_add(1, Ordering::AcqRel);
    if result.is_ok() {
        core.config.set_readable(true);
        core.recovery.suspended.store(false, Ordering::Release);
    }
    super::errno::to_c(result)
}

/// Runs `f` under `vdev`'s device lock.
///
/// # Safety
///
/// `vdev` must be live, and the lock not held by this thread.
#[cfg(vcrs_kernel_7)]
unsafe fn with_device_lock<R>(vdev: *mut bindings::virtio_device, f: impl FnOnce() -> R) -> R {
    // SAFETY: Live (per the caller).
    unsafe { bindings::vcrs_device_lock(&mut (*vdev).dev) };
    let result = f();
    // SAFETY: Locked above, unlocked once.
    unsafe { bindings::vcrs_device_unlock(&mut (*vdev).dev) };
    result
}

/// `virtio_driver.reset_prepare` (7.x): the transport is about to reset the device (a PCI
/// function reset); the virtio core stopped configuration changes. The same as a suspend:
/// requests wait in the backlogs, those in flight get their time to finish, the device is
/// reset and its queues deleted; [`reset_done_callback`] resumes. The module is held until
/// then: the core calls both without the device lock, so an unbind or `rmmod` could
/// otherwise free the driver between them.
///
/// # Safety
///
/// Called by the virtio core with a live device bound to a driver registered by
/// `Registration<T>`.
#[cfg(vcrs_kernel_7)]
unsafe extern "C" fn reset_prepare_callback<T: Driver>(
    vdev: *mut bindings::virtio_device,
) -> c_int {
    // SAFETY: Live (per the caller).
    if !unsafe { bindings::vcrs_virtio_driver_module_get(vdev) } {
        return ENODEV.to_errno();
    }
    // The transport holds its own device's lock (the PCI function's), not this one's, which
    // `freeze_callback` needs to be serialized with probe, remove and recovery: taken here,
    // child after parent as the driver core does. (7.3's core takes neither.)
    // SAFETY: Live and bound (per the caller); this thread holds only the parent's lock.
    let ret = unsafe { with_device_lock(vdev, || freeze_callback::<T>(vdev)) };
    if ret != 0 {
        // No reset_done follows a failed prepare.
        // SAFETY: Taken above.
        unsafe { bindings::vcrs_virtio_driver_module_put(vdev) };
    }
    ret
}

/// `virtio_driver.reset_done` (7.x): the transport reset the device, and the virtio core
/// negotiated the features again, as before a restore. Fails (`ENODEV`) if the driver's
/// state went meanwhile, so the core does not mark a driverless device ready.
///
/// # Safety
///
/// As for [`reset_prepare_callback`], after it succeeded (which holds the module).
#[cfg(vcrs_kernel_7)]
unsafe extern "C" fn reset_done_callback<T: Driver>(vdev: *mut bindings::virtio_device) -> c_int {
    // SAFETY: As in `reset_prepare_callback`; `bound` under the device lock, serialized with
    // unbind.
    let ret = unsafe {
        with_device_lock(vdev, || match bound::<T>(vdev) {
            Some(_) => restore_callback::<T>(vdev),
            None => ENODEV.to_errno(),
        })
    };
    // SAFETY: Taken by the successful `reset_prepare_callback`.
    unsafe { bindings::vcrs_virtio_driver_module_put(vdev) };
    ret
}

/// `virtio_driver.shutdown` (7.x): the system goes down (or kexec's). Without it the core
/// breaks and resets the device with requests in flight, which would never finish; here the
/// device is released as at remove (reset, its requests served in software, queues
/// deleted), so nothing is lost and the next kernel finds it reset. Unlike remove, the core
/// leaves configuration changes enabled: they are stopped first.
///
/// # Safety
///
/// Called by the driver core with a live device bound to a driver registered by
/// `Registration<T>`, under the device lock.
#[cfg(vcrs_kernel_7)]
unsafe extern "C" fn shutdown_callback<T: Driver>(vdev: *mut bindings::virtio_device) {
    // SAFETY: Live; waits for a running config-change callback and holds later ones.
    unsafe { bindings::vcrs_virtio_config_driver_disable(vdev) };
    // SAFETY: Live, bound, under the device lock, with no config-change callback now, like
    // remove (a later remove finds no `Core` and does nothing).
    unsafe { unbind::<T>(vdev) };
}

/// The callback of every queue created by [`Device::find_vqs`].
///
/// # Safety
///
/// Called by the virtio transport with a live queue of a live device of ours.
unsafe extern "C" fn queue_callback<T: Driver>(vq: *mut bindings::virtqueue) {
    // SAFETY: The transport calls this with a live queue of a live device; its state stays
    // valid until `unbind`, which resets the device (synchronizing with callbacks) before
    // taking the data back and deletes the queues before freeing the state.
    let (state, index) = unsafe { (bound::<T>((*vq).vdev), (*vq).index) };
    if let Some((_, data)) = state {
        T::queue_callback(data, index);
    }
}
