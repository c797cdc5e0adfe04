// SPDX-License-Identifier: GPL-2.0

//! Registering an algorithm of any type with the Crypto API, undone on drop.

use crate::kernel_api::bindings;
use core::sync::atomic::{AtomicBool, Ordering};
use kernel::{ffi::c_int, prelude::*, sync::Arc, types::Opaque};

/// An algorithm type of the Crypto API (skcipher, ahash, aead...): its C structure and how
/// to register it.
///
/// # Safety
///
/// `register` and `unregister` must be the type's registration functions, and `base` must
/// return the `struct crypto_alg` embedded in `Raw`.
pub(crate) unsafe trait AlgType: 'static {
    /// The C structure (`struct skcipher_alg`...).
    type Raw;
    /// The driver's implementation, called back from the type's callbacks.
    type Algorithm: Send + Sync;

    /// `crypto_register_*`.
    ///
    /// # Safety
    ///
    /// `raw` must be fully initialized, pinned and unregistered, and stay so until
    /// [`Self::unregister`].
    unsafe fn register(raw: *mut Self::Raw) -> c_int;

    /// `crypto_unregister_*`.
    ///
    /// # Safety
    ///
    /// `raw` must be registered.
    unsafe fn unregister(raw: *mut Self::Raw);

    /// The embedded `struct crypto_alg`.
    fn base(raw: *mut Self::Raw) -> *mut bindings::crypto_alg;
}

/// What the catalog needs of a registered algorithm of any type.
pub(crate) trait Registered: Send + Sync {
    /// Unregisters the algorithm, while the module stays loaded, if nothing else holds it
    /// (no transform, no lookup about to create one); returns whether it did. The check
    /// and the algorithm leaving the lookups happen at once (under the Crypto API's
    /// `crypto_alg_sem`), so no lookup can take it in between: the Crypto API warns when
    /// an algorithm is unregistered with transforms. Hand the registration to
    /// [`Self::release`] afterwards.
    fn retire(&self) -> bool;

    /// Lets go of a retired registration: freed, unless something took the algorithm
    /// anyway (a template instance spawning over it, a `crypto_user` report: paths that
    /// skip the lookups' check), in which case its memory is kept for good, since the
    /// Crypto API still points at it.
    fn release(self: Arc<Self>);
}

/// A registered algorithm; unregistered on drop (or by [`Registered::retire`]).
///
/// # Invariants
///
/// `alg` is registered while `registered` is set, and is the first field, so the Crypto
/// API's pointer to the `A::Raw` of one of our transforms is a pointer to `Self`. A
/// registration lives in an [`Arc`], so it never moves; it is dropped only when no
/// transform holds the algorithm (transforms hold the module, and [`Registered::retire`]
/// unregisters only an unused one).
#[repr(C)]
pub(crate) struct Registration<A: AlgType> {
    alg: Opaque<A::Raw>,
    algorithm: A::Algorithm,
    registered: AtomicBool,
}

// SAFETY: The C structure is written only before registration; the algorithm is
// `Send + Sync`.
unsafe impl<A: AlgType> Sync for Registration<A> {}
// SAFETY: As above.
unsafe impl<A: AlgType> Send for Registration<A> {}

impl<A: AlgType> Registration<A> {
    /// Registers `raw`, whose callbacks call `algorithm`. Registration runs the Crypto
    /// API's self-tests, which call back into `algorithm`; it returns once they are done.
    pub(super) fn new(raw: A::Raw, algorithm: A::Algorithm) -> Result<Arc<Self>> {
        let reg = Arc::new(
            Self {
                alg: Opaque::new(raw),
                algorithm,
                registered: AtomicBool::new(false),
            },
            GFP_KERNEL,
        )?;
        // SAFETY: `alg` is fully initialized and stays at one address inside the `Arc`; it is
        // unregistered in `drop` or `unregister`.
        kernel::error::to_result(unsafe { A::register(reg.alg.get()) })?;
        reg.registered.store(true, Ordering::Release);
        Ok(reg)
    }

    /// The registration whose `alg` is `raw`.
    ///
    /// # Safety
    ///
    /// `raw` must be the `alg` of a live `Registration<A>` (for example the algorithm of
    /// one of its transforms: registrations outlive their transforms).
    pub(super) unsafe fn from_raw<'a>(raw: *const A::Raw) -> &'a Self {
        // SAFETY: `alg` is the first field of this `repr(C)` struct (type invariant).
        unsafe { &*raw.cast::<Self>() }
    }

    /// The driver's implementation.
    pub(super) fn algorithm(&self) -> &A::Algorithm {
        &self.algorithm
    }
}

impl<A: AlgType> Registered for Registration<A> {
    fn retire(&self) -> bool {
        if !self.registered.load(Ordering::Acquire) {
            return true;
        }
        // SAFETY: `alg` is registered (type invariant); the helper reads its reference count
        // and marks it dying under `crypto_alg_sem`.
        if !unsafe { bindings::vcrs_crypto_alg_retire_if_unused(A::base(self.alg.get())) } {
            return false;
        }
        if self.registered.swap(false, Ordering::AcqRel) {
            // SAFETY: It was registered (type invariant), and only this call saw the flag
            // set; lookups no longer find it (dying).
            unsafe { A::unregister(self.alg.get()) };
        }
        true
    }

    fn release(self: Arc<Self>) {
        // SAFETY: `alg` was initialized in `new`; reading its reference count is always
        // allowed.
        let held = unsafe { bindings::vcrs_crypto_alg_refcount(A::base(self.alg.get())) } > 1;
        if held {
            pr_warn!("an algorithm was taken while unregistered; its memory is kept\n");
            let _ = Arc::into_raw(self);
        }
    }
}

impl<A: AlgType> Drop for Registration<A> {
    fn drop(&mut self) {
        if *self.registered.get_mut() {
            // SAFETY: Registered (type invariant).
            unsafe { A::unregister(self.alg.get()) };
        }
    }
}
