// SPDX-License-Identifier: GPL-2.0

//! A spinlock that disables local interrupts while held (6.12: `spin_lock_irqsave`; 7.x:
//! the kernel crate's `SpinLockIrq`, `spin_lock_irq_disable`, which counts nesting).
//!
//! The kernel crate's `SpinLock` in 6.12 leaves interrupts enabled, which is not enough for
//! state shared with virtqueue callbacks (hard IRQ) and with the crypto API (softirq): on
//! 6.12 the lock is the layer's own, on 7.x (`vcrs_kernel_7`) a wrapper of the kernel
//! crate's `SpinLockIrq`. The surface is the same on both: [`IrqSpinLock`], its guards and
//! [`irq_lock_class!`](crate::irq_lock_class).

#[cfg(vcrs_kernel_7)]
pub(crate) use kernel7::*;
#[cfg(not(vcrs_kernel_7))]
pub(crate) use own::*;

/// A `&'static` [`LockClass`] of its own for this call site, and a name for lockdep.
#[macro_export]
macro_rules! irq_lock_class {
    ($name:literal) => {{
        static CLASS: $crate::kernel_api::irq_lock::LockClass =
            $crate::kernel_api::irq_lock::LockClass::new();
        (&CLASS, ::kernel::c_str!($name))
    }};
}

/// 6.12: the layer's own lock over `spinlock_t`.
#[cfg(not(vcrs_kernel_7))]
mod own {
    use crate::kernel_api::bindings;
    use core::{
        cell::UnsafeCell,
        ops::{Deref, DerefMut},
    };
    use kernel::{ffi::c_ulong, prelude::*, sync::Arc, types::Opaque};

    /// A lock class for lockdep: every lock made with the same class counts as the same lock,
    /// so locks that nest need classes of their own. Make one per call site with
    /// [`irq_lock_class!`](crate::irq_lock_class).
    pub(crate) struct LockClass(Opaque<bindings::lock_class_key>);

    // SAFETY: lockdep only reads the key's address; it is never written through `&self`.
    unsafe impl Sync for LockClass {}

    impl LockClass {
        /// A class for a `static` (lockdep requires static keys).
        pub(crate) const fn new() -> Self {
            Self(Opaque::uninit())
        }
    }

    /// A value protected by an interrupt-safe spinlock.
    ///
    /// # Invariants
    ///
    /// `lock` is an initialized `spinlock_t`; `data` is only accessed through an
    /// [`IrqSpinLockGuard`], which exists only while `lock` is held.
    #[pin_data]
    pub(crate) struct IrqSpinLock<T> {
        #[pin]
        lock: Opaque<bindings::spinlock_t>,
        data: UnsafeCell<T>,
    }

    // SAFETY: The lock serializes every access to `data`, so sharing the lock between threads
    // only requires that `T` can be sent between them.
    unsafe impl<T: Send> Sync for IrqSpinLock<T> {}
    // SAFETY: Moving the lock moves `T` (when not pinned in place); `T: Send` suffices.
    unsafe impl<T: Send> Send for IrqSpinLock<T> {}

    impl<T> IrqSpinLock<T> {
        /// Creates a lock protecting `data`, of lockdep class `class` (see [`LockClass`]).
        pub(crate) fn new(
            data: T,
            (class, name): (&'static LockClass, &'static kernel::str::CStr),
        ) -> impl PinInit<Self> {
            pin_init!(Self {
                // SAFETY: `spin_lock_init` initializes the pinned, uninitialized `spinlock_t`;
                // the class key is static and the name outlives the lock.
                lock <- Opaque::ffi_init(|p| unsafe {
                    bindings::vcrs_spin_lock_init(p, name.as_char_ptr(), class.0.get())
                }),
                data: UnsafeCell::new(data),
            })
        }

        /// Takes the lock with local interrupts disabled. Callable from any context.
        pub(crate) fn lock(&self) -> IrqSpinLockGuard<'_, T> {
            // SAFETY: `lock` is initialized (type invariant).
            let flags = unsafe { bindings::vcrs_spin_lock_irqsave(self.lock.get()) };
            // INVARIANT: The lock is held with these flags until the guard is dropped.
            IrqSpinLockGuard {
                lock: self,
                flags,
                _not_send: core::marker::PhantomData,
            }
        }
    }

    /// Proof that an [`IrqSpinLock`] is held; unlocks and restores interrupts on drop.
    pub(crate) struct IrqSpinLockGuard<'a, T> {
        lock: &'a IrqSpinLock<T>,
        flags: c_ulong,
        /// Not `Send`: the lock is released on the CPU that took it, with its saved flags.
        _not_send: core::marker::PhantomData<*mut ()>,
    }

    impl<T> Deref for IrqSpinLockGuard<'_, T> {
        type Target = T;

        fn deref(&self) -> &T {
            // SAFETY: The guard holds the lock, so no other reference to `data` is live.
            unsafe { &*self.lock.data.get() }
        }
    }

    impl<T> DerefMut for IrqSpinLockGuard<'_, T> {
        fn deref_mut(&mut self) -> &mut T {
            // SAFETY: The guard holds the lock and is borrowed mutably, so this is the only
            // reference to `data`.
            unsafe { &mut *self.lock.data.get() }
        }
    }

    impl<T> Drop for IrqSpinLockGuard<'_, T> {
        fn drop(&mut self) {
            // SAFETY: The guard was created by taking the lock with these saved flags.
            unsafe { bindings::vcrs_spin_unlock_irqrestore(self.lock.lock.get(), self.flags) };
        }
    }

    impl<T> IrqSpinLock<T> {
        /// Takes the lock of a shared lock with local interrupts disabled; the guard keeps its
        /// `Arc`, so it may outlive the caller's reference. Callable from any context.
        pub(crate) fn lock_arc(this: Arc<Self>) -> ArcIrqSpinLockGuard<T> {
            // SAFETY: `lock` is initialized (type invariant).
            let flags = unsafe { bindings::vcrs_spin_lock_irqsave(this.lock.get()) };
            // INVARIANT: The lock is held with these flags until the guard is dropped.
            ArcIrqSpinLockGuard {
                lock: this,
                flags,
                _not_send: core::marker::PhantomData,
            }
        }
    }

    /// Proof that a shared [`IrqSpinLock`] is held; unlocks and restores interrupts on drop.
    ///
    /// # Invariants
    ///
    /// `lock` is held, taken with `flags`, for as long as the guard exists.
    pub(crate) struct ArcIrqSpinLockGuard<T> {
        lock: Arc<IrqSpinLock<T>>,
        flags: c_ulong,
        /// Not `Send`: the lock is released on the CPU that took it, with its saved flags.
        _not_send: core::marker::PhantomData<*mut ()>,
    }

    impl<T> Deref for ArcIrqSpinLockGuard<T> {
        type Target = T;

        fn deref(&self) -> &T {
            // SAFETY: The guard holds the lock (type invariant), so no other reference to
            // `data` is live.
            unsafe { &*self.lock.data.get() }
        }
    }

    impl<T> DerefMut for ArcIrqSpinLockGuard<T> {
        fn deref_mut(&mut self) -> &mut T {
            // SAFETY: The guard holds the lock (type invariant) and is borrowed mutably, so
            // this is the only reference to `data`.
            unsafe { &mut *self.lock.data.get() }
        }
    }

    impl<T> Drop for ArcIrqSpinLockGuard<T> {
        fn drop(&mut self) {
            // SAFETY: The guard holds the lock, taken with these saved flags (type invariant);
            // the `Arc` keeps it alive until after this.
            unsafe { bindings::vcrs_spin_unlock_irqrestore(self.lock.lock.get(), self.flags) };
        }
    }
}

/// 7.x: the kernel crate's `SpinLockIrq`, with the layer's names and `lock_arc`.
#[cfg(vcrs_kernel_7)]
mod kernel7 {
    use core::{
        mem::ManuallyDrop,
        ops::{Deref, DerefMut},
    };
    use kernel::{
        prelude::*,
        sync::{Arc, LockClassKey, SpinLockIrq, SpinLockIrqGuard},
    };

    /// A lock class for lockdep: every lock made with the same class counts as the same
    /// lock, so locks that nest need classes of their own. Make one per call site with
    /// [`irq_lock_class!`](crate::irq_lock_class). The kernel crate's key, never dropped.
    pub(crate) struct LockClass(ManuallyDrop<LockClassKey>);

    impl LockClass {
        /// A class for a `static` (lockdep requires static keys).
        pub(crate) const fn new() -> Self {
            // SAFETY: The key's destructor never runs (`ManuallyDrop`), and it is used only
            // through `key`, which takes it by `&'static`: in place for good, so pinned.
            Self(ManuallyDrop::new(unsafe { LockClassKey::new_static() }))
        }

        fn key(&'static self) -> Pin<&'static LockClassKey> {
            Pin::static_ref(&*self.0)
        }
    }

    /// A value protected by an interrupt-safe spinlock.
    #[pin_data]
    pub(crate) struct IrqSpinLock<T> {
        #[pin]
        inner: SpinLockIrq<T>,
    }

    impl<T> IrqSpinLock<T> {
        /// Creates a lock protecting `data`, of lockdep class `class` (see [`LockClass`]).
        pub(crate) fn new(
            data: T,
            (class, name): (&'static LockClass, &'static kernel::str::CStr),
        ) -> impl PinInit<Self> {
            pin_init!(Self {
                inner <- SpinLockIrq::new(data, name, class.key()),
            })
        }

        /// Takes the lock with local interrupts disabled. Callable from any context.
        pub(crate) fn lock(&self) -> IrqSpinLockGuard<'_, T> {
            IrqSpinLockGuard(self.inner.lock())
        }

        /// Takes the lock of a shared lock with local interrupts disabled; the guard keeps
        /// its `Arc`, so it may outlive the caller's reference. Callable from any context.
        pub(crate) fn lock_arc(this: Arc<Self>) -> ArcIrqSpinLockGuard<T> {
            let guard = this.inner.lock();
            // SAFETY: Only the lifetime changes. The guard borrows the lock inside `this`'s
            // allocation, which does not move and lives as long as the `Arc` stored beside
            // the guard; the guard is dropped first (field order), so it never outlives it.
            let guard = unsafe {
                core::mem::transmute::<SpinLockIrqGuard<'_, T>, SpinLockIrqGuard<'static, T>>(guard)
            };
            ArcIrqSpinLockGuard { guard, _lock: this }
        }
    }

    /// Proof that an [`IrqSpinLock`] is held; unlocks and restores interrupts on drop.
    pub(crate) struct IrqSpinLockGuard<'a, T>(SpinLockIrqGuard<'a, T>);

    impl<T> Deref for IrqSpinLockGuard<'_, T> {
        type Target = T;

        fn deref(&self) -> &T {
            &self.0
        }
    }

    impl<T: Unpin> DerefMut for IrqSpinLockGuard<'_, T> {
        fn deref_mut(&mut self) -> &mut T {
            &mut self.0
        }
    }

    /// Proof that a shared [`IrqSpinLock`] is held; unlocks and restores interrupts on drop.
    ///
    /// # Invariants
    ///
    /// `guard` holds the lock inside `_lock`, and is dropped before it (declared first).
    pub(crate) struct ArcIrqSpinLockGuard<T: 'static> {
        guard: SpinLockIrqGuard<'static, T>,
        _lock: Arc<IrqSpinLock<T>>,
    }

    impl<T> Deref for ArcIrqSpinLockGuard<T> {
        type Target = T;

        fn deref(&self) -> &T {
            &self.guard
        }
    }

    impl<T: Unpin> DerefMut for ArcIrqSpinLockGuard<T> {
        fn deref_mut(&mut self) -> &mut T {
            &mut self.guard
        }
    }
}
