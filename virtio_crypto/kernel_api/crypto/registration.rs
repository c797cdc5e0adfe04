// SPDX-License-Identifier: GPL-2.0

//! Registering an algorithm of any type with the Crypto API, undone on drop, with storage
//! that outlives every transform of the algorithm.
//!
//! The Crypto API reads an algorithm's structure (and through it our implementation) for as
//! long as anything holds the algorithm: a transform, or a template instance spawned over
//! it. So the storage is freed only when the algorithm left the Crypto API with nothing
//! holding it; otherwise it is kept for good (a few hundred bytes), whoever drops the
//! registration and whenever.

use super::adapter::AlgType;
use crate::kernel_api::bindings;
use core::{
    ptr::NonNull,
    sync::atomic::{AtomicBool, AtomicI32, Ordering},
};
use kernel::{prelude::*, types::Opaque};

/// What the catalog needs of a registered algorithm of any type.
pub(crate) trait Registered: Send + Sync {
    /// Unregisters the algorithm, while the module stays loaded, if nothing else holds it
    /// (no transform, no lookup about to create one); returns whether it is unregistered
    /// now. The check and the algorithm leaving the lookups happen at once, so no lookup
    /// can take it in between (the Crypto API warns when an algorithm is unregistered with
    /// transforms). A registration dropped without a successful `retire` is unregistered
    /// anyway, and its storage kept if the algorithm is still held.
    fn retire(&self) -> bool;
}

/// The algorithm's C structure and our implementation, at one address for as long as the
/// Crypto API may read them.
#[repr(C)]
struct Storage<K: AlgType, T> {
    /// First, so that a pointer to the C structure is a pointer to the storage.
    alg: Opaque<K::RawAlg>,
    algorithm: T,
}

/// A registered algorithm of type `K` implemented by `T`; unregistered on drop (or by
/// [`Registered::retire`]).
///
/// # Invariants
///
/// `storage` is a `KBox<Storage<K, T>>` turned into a raw pointer, owned by `self`, whose
/// `alg` is registered while `registered` is set. It is freed only once the algorithm is
/// unregistered and its reference count says nothing holds it; otherwise it is never
/// freed. So every transform of the algorithm finds it alive.
pub(crate) struct Registration<K: AlgType, T> {
    storage: NonNull<Storage<K, T>>,
    registered: AtomicBool,
}

// SAFETY: The C structure is written only before registration; `T` is `Send + Sync`.
unsafe impl<K: AlgType, T: Send + Sync> Sync for Registration<K, T> {}
// SAFETY: As above.
unsafe impl<K: AlgType, T: Send + Sync> Send for Registration<K, T> {}

impl<K: AlgType, T: Send + Sync> Registration<K, T> {
    /// Registers `raw`, whose callbacks call `algorithm`. Registration starts the Crypto
    /// API's self-tests, which call back into `algorithm`; while they run, their transforms
    /// hold the algorithm (a `retire` then says no).
    pub(super) fn new(raw: K::RawAlg, algorithm: T) -> Result<Self> {
        let storage = KBox::new(
            Storage::<K, T> {
                alg: Opaque::new(raw),
                algorithm,
            },
            GFP_KERNEL,
        )?;
        let storage = NonNull::from(KBox::leak(storage));
        // INVARIANT: the storage is ours, not yet registered.
        let reg = Self {
            storage,
            registered: AtomicBool::new(false),
        };
        // SAFETY: `alg` is fully initialized and stays at one address (heap, freed only as
        // the type invariant says).
        kernel::error::to_result(unsafe { K::register(reg.alg()) })?;
        // INVARIANT: registered.
        reg.registered.store(true, Ordering::Release);
        Ok(reg)
    }

    fn alg(&self) -> *mut K::RawAlg {
        // SAFETY: The storage is alive while `self` is (type invariant); only the field's
        // address is taken.
        unsafe { (*self.storage.as_ptr()).alg.get() }
    }

    fn base(&self) -> *mut bindings::crypto_alg {
        // SAFETY: `alg` points to a `K::RawAlg`.
        unsafe { K::alg_base(self.alg()) }
    }

    /// Our implementation behind the algorithm structure at `raw`.
    ///
    /// # Safety
    ///
    /// `raw` must be the `alg` of a `Registration<K, T>` (for example the algorithm of one
    /// of its transforms), and `'a` no longer than the transform or callback that found it.
    pub(super) unsafe fn algorithm_of<'a>(raw: *const K::RawAlg) -> &'a T {
        // SAFETY: `alg` is the first field of the `repr(C)` storage, which stays alive
        // while anything holds the algorithm (type invariant); `algorithm` is never
        // written after registration.
        unsafe { &(*raw.cast::<Storage<K, T>>()).algorithm }
    }
}

/// The algorithm's reference count: 1 while only its registration holds it.
///
/// # Safety
///
/// `alg` must be a registered algorithm, or one that was and whose storage is alive.
unsafe fn refcount(alg: *mut bindings::crypto_alg) -> i32 {
    // SAFETY: `cra_refcnt` is a `refcount_t`, an atomic `int` the Crypto API changes
    // atomically; reading it is `refcount_read`. Acquire: a count of 1 seen before freeing
    // the storage comes after every access of the users that dropped their references
    // (their decrements release).
    unsafe {
        AtomicI32::from_ptr(core::ptr::addr_of_mut!((*alg).cra_refcnt.refs.counter))
            .load(Ordering::Acquire)
    }
}

/// Marks `alg` dying if nothing but its registration holds it; from then on lookups skip
/// it, so it can be unregistered without a transform taking it in between. Returns whether
/// it did.
///
/// # Safety
///
/// `alg` must be registered.
unsafe fn mark_dying_if_unused(alg: *mut bindings::crypto_alg) -> bool {
    // SAFETY: `crypto_alg_sem` is the Crypto API's lock over its algorithm list and the
    // flags lookups read (exported for this kind of use by its modules); lookups take it
    // for reading around both the `CRYPTO_ALG_DYING` check and taking a reference, so
    // under the write lock the count cannot grow from a lookup, and the flag is written
    // with no reader.
    unsafe {
        let sem = core::ptr::addr_of_mut!(bindings::crypto_alg_sem);
        bindings::down_write(sem);
        let unused = refcount(alg) == 1;
        if unused {
            (*alg).cra_flags |= bindings::CRYPTO_ALG_DYING;
        }
        bindings::up_write(sem);
        unused
    }
}

impl<K: AlgType, T: Send + Sync> Registered for Registration<K, T> {
    fn retire(&self) -> bool {
        if !self.registered.load(Ordering::Acquire) {
            return true;
        }
        // SAFETY: Registered (type invariant: the flag is set).
        if !unsafe { mark_dying_if_unused(self.base()) } {
            return false;
        }
        if self.registered.swap(false, Ordering::AcqRel) {
            // SAFETY: It was registered, and only this call saw the flag set; lookups no
            // longer find it (dying).
            // INVARIANT: the flag is clear once the algorithm is unregistered.
            unsafe { K::unregister(self.alg()) };
        }
        true
    }
}

impl<K: AlgType, T> Drop for Registration<K, T> {
    fn drop(&mut self) {
        // SAFETY: The storage is alive until freed below (type invariant).
        let alg = unsafe { (*self.storage.as_ptr()).alg.get() };
        // SAFETY: `alg` points to a `K::RawAlg`.
        let base = unsafe { K::alg_base(alg) };
        let mut held = false;
        if *self.registered.get_mut() {
            // SAFETY: Registered (the flag is set).
            held = !unsafe { mark_dying_if_unused(base) };
            // SAFETY: Registered; unregistered once, here. An algorithm still held leaves
            // the lookups all the same (the Crypto API warns), and its storage stays.
            unsafe { K::unregister(alg) };
        }
        // A template instance or a `crypto_user` report can take the algorithm without the
        // lookups' check: then it is held though it looked unused.
        // SAFETY: The storage is alive; the count was set when registration began (and
        // is 0 if it never did).
        if held || unsafe { refcount(base) } > 1 {
            pr_warn!("an algorithm still in use was unregistered; its memory is kept\n");
            return;
        }
        // SAFETY: Unregistered and held by nothing: the Crypto API no longer reaches the
        // storage, which came from `KBox::leak` in `new` and is freed once, here.
        drop(unsafe { KBox::from_raw(self.storage.as_ptr()) });
    }
}
