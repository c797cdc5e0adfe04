// SPDX-License-Identifier: GPL-2.0

//! Asynchronous symmetric ciphers (`struct skcipher_alg`): the [`Skcipher`] trait an
//! algorithm implements, the [`Request`] handle it completes, and a [`Registration`] that
//! registers the algorithm with the Crypto API and unregisters it on drop.

use super::scatterlist::SgList;
use crate::sys::bindings;
use core::{marker::PhantomPinned, pin::Pin, ptr::NonNull};
use kernel::{
    ffi::{c_int, c_uint},
    prelude::*,
    str::CStr,
    types::Opaque,
    ThisModule,
};

/// How an accepted request proceeds.
pub(crate) enum Submitted {
    /// Finished synchronously (for example an empty request); the request is not completed
    /// through [`Request::complete`].
    Done,
    /// Handed to the device; [`Request::complete`] will be called exactly once.
    InProgress,
    /// The device's queue is full and the request allows backlogging
    /// (`CRYPTO_TFM_REQ_MAY_BACKLOG`): it waits in the driver; the submitter hears
    /// `-EINPROGRESS` ([`Request::notify_in_progress`]) when it moves on, then completion.
    Backlogged,
}

/// An algorithm, with per-transform state of type [`Skcipher::Tfm`].
pub(crate) trait Skcipher: Send + Sync + Sized + 'static {
    /// State of one transform (one user's key), stored in the Crypto API's tfm context.
    type Tfm: Send + Sync;

    /// State of one request, which [`Request::into_ctx`] places in the request's own
    /// context memory (`reqsize`), so that requests need no allocation.
    type ReqCtx: Send + Sync;

    /// Creates the state of a new transform. Process context.
    fn init_tfm(&self) -> Result<Self::Tfm>;

    /// Sets the key. The Crypto API forbids calling this concurrently with requests on the
    /// same transform, hence `&mut`. Process context.
    fn set_key(&self, tfm: &mut Self::Tfm, key: &[u8]) -> Result;

    /// Starts an encryption. May run in atomic context. On error the request is dropped
    /// uncompleted (the caller gets the error directly).
    fn encrypt(&self, tfm: &Self::Tfm, req: Request) -> Result<Submitted>;

    /// Starts a decryption, under the same rules as [`Skcipher::encrypt`].
    fn decrypt(&self, tfm: &Self::Tfm, req: Request) -> Result<Submitted>;
}

/// A key check the generic implementation makes, done before [`Skcipher::set_key`] so the
/// same keys fail with the same errno (weak-key policy included).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyCheck {
    /// Only the length, which the algorithm checks itself.
    None,
    /// Triple DES: `verify_skcipher_des3_key` on 24-byte keys.
    Des3,
    /// XTS: `xts_verify_key` (even length; distinct halves when weak keys are forbidden).
    Xts,
}

/// Static description of an algorithm.
pub(crate) struct AlgInfo {
    /// Algorithm name, for example `cbc(aes)`.
    pub(crate) name: &'static CStr,
    /// This implementation's unique name.
    pub(crate) driver_name: &'static CStr,
    /// Selection priority among implementations of `name`.
    pub(crate) priority: i32,
    /// Block size in bytes.
    pub(crate) block_size: u32,
    /// Smallest key in bytes.
    pub(crate) min_keysize: u32,
    /// Largest key in bytes.
    pub(crate) max_keysize: u32,
    /// IV size in bytes.
    pub(crate) ivsize: u32,
    /// Step size of the underlying cipher (for stream modes: its block size).
    pub(crate) chunksize: u32,
    /// Key check before `set_key`.
    pub(crate) key_check: KeyCheck,
    /// `CRYPTO_ALG_*` flags beyond `ASYNC | KERN_DRIVER_ONLY`.
    pub(crate) extra_flags: u32,
}

/// An in-flight request (`struct skcipher_request`), owned by the driver from the moment
/// `encrypt`/`decrypt` accepts it until [`Request::complete`].
///
/// # Invariants
///
/// `ptr` is a live request whose submitter waits for its completion; its `iv` holds
/// `ivsize` bytes, its scatterlists are valid for `cryptlen` bytes, and its context holds
/// `ctx_size` bytes (8-byte aligned) that only this driver uses.
pub(crate) struct Request {
    ptr: NonNull<bindings::skcipher_request>,
    ivsize: usize,
    ctx_size: usize,
}

/// A value living in a request's context memory: an allocation-free box. The memory
/// belongs to the request; this owns the value in it and drops it when dropped.
///
/// # Invariants
///
/// `ptr` points to an initialized `C` in the context of a live request, and no other
/// reference to it exists.
pub(crate) struct ReqBox<C> {
    ptr: NonNull<C>,
}

// SAFETY: `ReqBox<C>` owns its `C` exclusively, like a `Box`.
unsafe impl<C: Send> Send for ReqBox<C> {}
// SAFETY: As above.
unsafe impl<C: Sync> Sync for ReqBox<C> {}

impl<C> ReqBox<C> {
    /// Moves the value out; the request context is free again.
    pub(crate) fn into_inner(self) -> C {
        let ptr = self.ptr;
        core::mem::forget(self);
        // SAFETY: `ptr` holds an initialized `C` that nothing else owns (type invariant);
        // `self` was forgotten, so it is read exactly once.
        unsafe { ptr.as_ptr().read() }
    }
}

impl<C> core::ops::Deref for ReqBox<C> {
    type Target = C;

    fn deref(&self) -> &C {
        // SAFETY: Initialized and exclusively owned (type invariant).
        unsafe { self.ptr.as_ref() }
    }
}

impl<C> core::ops::DerefMut for ReqBox<C> {
    fn deref_mut(&mut self) -> &mut C {
        // SAFETY: Initialized and exclusively owned (type invariant).
        unsafe { self.ptr.as_mut() }
    }
}

impl<C> Drop for ReqBox<C> {
    fn drop(&mut self) {
        // SAFETY: Initialized and exclusively owned (type invariant); dropped once.
        unsafe { core::ptr::drop_in_place(self.ptr.as_ptr()) };
    }
}

impl<C: 'static> kernel::types::ForeignOwnable for ReqBox<C> {
    type Borrowed<'a> = &'a C;

    fn into_foreign(self) -> *const kernel::ffi::c_void {
        let ptr = self.ptr.as_ptr();
        core::mem::forget(self);
        ptr.cast_const().cast()
    }

    unsafe fn borrow<'a>(ptr: *const kernel::ffi::c_void) -> &'a C {
        // SAFETY: By the trait's contract `ptr` came from `into_foreign` and is still owned
        // by the foreign side, so it points to a live `C`.
        unsafe { &*ptr.cast::<C>() }
    }

    unsafe fn from_foreign(ptr: *const kernel::ffi::c_void) -> Self {
        // SAFETY: By the trait's contract `ptr` came from `into_foreign` (non-null).
        let ptr = unsafe { NonNull::new_unchecked(ptr.cast_mut().cast()) };
        Self { ptr }
    }
}

// SAFETY: A request may be completed from any thread.
unsafe impl Send for Request {}
// SAFETY: Shared references only read immutable request fields.
unsafe impl Sync for Request {}

impl Request {
    fn raw(&self) -> *mut bindings::skcipher_request {
        self.ptr.as_ptr()
    }

    /// The raw request, for other abstractions of this layer.
    pub(super) fn as_raw(&self) -> *mut bindings::skcipher_request {
        self.raw()
    }

    /// Number of bytes to process.
    pub(crate) fn cryptlen(&self) -> usize {
        // SAFETY: The request is live (type invariant).
        unsafe { (*self.raw()).cryptlen as usize }
    }

    /// The source data.
    pub(crate) fn src(&self) -> &SgList {
        // SAFETY: The request is live and its `src` list is valid while we own it.
        unsafe { SgList::from_raw((*self.raw()).src) }
    }

    /// The destination (the same list as [`Self::src`] for an in-place request).
    pub(crate) fn dst(&self) -> &SgList {
        // SAFETY: The request is live and its `dst` list is valid while we own it.
        unsafe { SgList::from_raw((*self.raw()).dst) }
    }

    /// The IV (empty for modes without one, whose `iv` pointer may be null).
    pub(crate) fn iv(&self) -> &[u8] {
        if self.ivsize == 0 {
            return &[];
        }
        // SAFETY: `iv` holds `ivsize` bytes (type invariant), owned by the submitter.
        unsafe { core::slice::from_raw_parts((*self.raw()).iv, self.ivsize) }
    }

    /// The IV, to store the output IV (chaining value) before completion.
    pub(crate) fn iv_mut(&mut self) -> &mut [u8] {
        if self.ivsize == 0 {
            return &mut [];
        }
        // SAFETY: As in `iv`; `&mut self` makes this the only access.
        unsafe { core::slice::from_raw_parts_mut((*self.raw()).iv, self.ivsize) }
    }

    /// Whether the submitter accepts backlogging (`CRYPTO_TFM_REQ_MAY_BACKLOG`).
    pub(crate) fn may_backlog(&self) -> bool {
        // SAFETY: The request is live.
        let req_flags = unsafe { bindings::vcrs_skcipher_request_flags(self.raw()) };
        req_flags & bindings::CRYPTO_TFM_REQ_MAY_BACKLOG != 0
    }

    /// Tells the submitter of a backlogged request that it left the backlog
    /// (`-EINPROGRESS`); the request stays ours until [`Request::complete`]. Call once per
    /// backlogged request, before its completion, never from hard-IRQ context or under a
    /// spinlock.
    pub(crate) fn notify_in_progress(&self) {
        // SAFETY: The request is live and ours; `-EINPROGRESS` is a notification that does
        // not hand it back.
        unsafe {
            bindings::vcrs_skcipher_request_complete(
                self.raw(),
                super::errno::einprogress().to_errno(),
            )
        };
    }

    /// Moves the request into its own context memory as part of a value `f` builds: the
    /// value owns the request, and no allocation is made. `EINVAL` if `C` does not fit the
    /// context (the algorithm's [`Skcipher::ReqCtx`] decides its size).
    pub(crate) fn into_ctx<C>(self, f: impl FnOnce(Request) -> C) -> Result<ReqBox<C>> {
        if core::mem::size_of::<C>() > self.ctx_size || core::mem::align_of::<C>() > 8 {
            return Err(EINVAL);
        }
        // SAFETY: The request is live; its context is `ctx_size` bytes, 8-byte aligned, and
        // ours alone (type invariant), so it can hold a `C`.
        let ptr = unsafe { bindings::vcrs_skcipher_request_ctx(self.raw()) }.cast::<C>();
        let ptr = NonNull::new(ptr).ok_or(EINVAL)?;
        // SAFETY: See above; the context holds no live value (a request carries at most one
        // `ReqBox` at a time, since the request itself moves into it).
        unsafe { ptr.as_ptr().write(f(self)) };
        Ok(ReqBox { ptr })
    }

    /// Completes the request with `result`, handing it back to its submitter. Runs the
    /// submitter's callback with bottom halves disabled; never call from hard-IRQ context.
    pub(crate) fn complete(self, result: Result) {
        let err = match result {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        };
        // SAFETY: The request is live and we own it; completing hands it back exactly once
        // (`self` is consumed).
        unsafe { bindings::vcrs_skcipher_request_complete(self.raw(), err) };
    }
}

/// A registered algorithm; unregistered on drop (or by [`Registration::unregister`]).
///
/// # Invariants
///
/// `alg` is registered while `registered` is set, and is the first field, so the Crypto
/// API's `skcipher_alg` pointer of one of our transforms is a pointer to `Self`. Memory of
/// an unregistered algorithm that transforms still use is kept until the module unloads
/// (see [`Registration::unregister`]).
#[repr(C)]
pub(crate) struct Registration<T: Skcipher> {
    alg: Opaque<bindings::skcipher_alg>,
    algorithm: T,
    ivsize: usize,
    key_check: KeyCheck,
    registered: bool,
    _pin: PhantomPinned,
}

// SAFETY: The C structure is written only before registration; `T` is `Send + Sync`.
unsafe impl<T: Skcipher> Sync for Registration<T> {}
// SAFETY: As above.
unsafe impl<T: Skcipher> Send for Registration<T> {}

fn copy_name(dst: &mut [kernel::ffi::c_char], src: &CStr) -> Result {
    let bytes = src.as_bytes_with_nul();
    if bytes.len() > dst.len() {
        return Err(super::errno::enametoolong());
    }
    for (d, s) in dst.iter_mut().zip(bytes) {
        *d = *s as kernel::ffi::c_char;
    }
    Ok(())
}

impl<T: Skcipher> Registration<T> {
    /// Registers `algorithm` under `info`. Registration runs the Crypto API's self-tests,
    /// which call back into `algorithm`; it returns once they are done.
    pub(crate) fn new(
        info: &AlgInfo,
        algorithm: T,
        module: &'static ThisModule,
    ) -> Result<Pin<KBox<Self>>> {
        const {
            assert!(
                core::mem::align_of::<T::Tfm>() <= 8,
                "tfm context is 8-byte aligned"
            );
            assert!(
                core::mem::align_of::<T::ReqCtx>() <= 8,
                "request context is 8-byte aligned"
            );
        }
        let mut reg = KBox::pin(
            Self {
                alg: Opaque::uninit(),
                algorithm,
                ivsize: info.ivsize as usize,
                key_check: info.key_check,
                registered: false,
                _pin: PhantomPinned,
            },
            GFP_KERNEL,
        )?;
        let mut alg = bindings::skcipher_alg {
            setkey: Some(setkey_callback::<T>),
            encrypt: Some(encrypt_callback::<T>),
            decrypt: Some(decrypt_callback::<T>),
            init: Some(init_callback::<T>),
            exit: Some(exit_callback::<T>),
            ..Default::default()
        };
        // SAFETY: `alg` is zeroed (`Default`), and every variant of the union is plain data
        // for which zero is valid, so viewing it as `co` is sound.
        let co = unsafe { &mut alg.__bindgen_anon_1.co };
        co.min_keysize = info.min_keysize;
        co.max_keysize = info.max_keysize;
        co.ivsize = info.ivsize;
        co.chunksize = info.chunksize;
        let base = &mut co.base;
        copy_name(&mut base.cra_name, info.name)?;
        copy_name(&mut base.cra_driver_name, info.driver_name)?;
        base.cra_priority = info.priority;
        base.cra_flags =
            bindings::CRYPTO_ALG_ASYNC | bindings::CRYPTO_ALG_KERN_DRIVER_ONLY | info.extra_flags;
        base.cra_blocksize = info.block_size;
        base.cra_ctxsize = core::mem::size_of::<T::Tfm>() as u32;
        base.cra_module = module.as_ptr().cast();
        // SAFETY: Not registered yet, so we are the only user; pinning is preserved, as
        // only the contents of `alg` are written.
        let raw = unsafe {
            let this = reg.as_mut().get_unchecked_mut();
            this.alg.get().write(alg);
            this.alg.get()
        };
        // SAFETY: `raw` is fully initialized and pinned; it is unregistered in `drop`.
        kernel::error::to_result(unsafe { bindings::crypto_register_skcipher(raw) })?;
        // SAFETY: Only a plain field is written; nothing moves.
        unsafe { reg.as_mut().get_unchecked_mut().registered = true };
        Ok(reg)
    }

    /// Whether anything besides the registration holds the algorithm: transforms, or a
    /// lookup that is about to create one.
    pub(crate) fn in_use(&self) -> bool {
        // SAFETY: `alg` was initialized in `new`; reading its reference count is always
        // allowed.
        unsafe { bindings::vcrs_skcipher_alg_refcount(self.alg.get()) > 1 }
    }

    /// Unregisters the algorithm while the module stays loaded; check [`Self::in_use`]
    /// first, since the Crypto API warns when transforms still hold it. If one took it
    /// meanwhile, the registration comes back (unregistered): its memory must then be kept
    /// until the module unloads, when no transform can exist.
    pub(crate) fn unregister(mut self: Pin<KBox<Self>>) -> Option<Pin<KBox<Self>>> {
        // SAFETY: Registered (type invariant, `registered` is set by `new`).
        unsafe { bindings::crypto_unregister_skcipher(self.alg.get()) };
        // SAFETY: Only a plain field is written; nothing moves.
        unsafe { self.as_mut().get_unchecked_mut().registered = false };
        self.in_use().then_some(self)
    }
}

impl<T: Skcipher> Drop for Registration<T> {
    fn drop(&mut self) {
        if self.registered {
            // SAFETY: Registered (type invariant).
            unsafe { bindings::crypto_unregister_skcipher(self.alg.get()) };
        }
    }
}

/// Our registration and transform state for a raw transform.
///
/// # Safety
///
/// `tfm` must be a live transform of an algorithm registered by `Registration<T>`, whose
/// context holds an initialized `T::Tfm` (after `init_callback` succeeded).
unsafe fn tfm_parts<'a, T: Skcipher>(
    tfm: *mut bindings::crypto_skcipher,
) -> (&'a Registration<T>, *mut T::Tfm) {
    // SAFETY: By the type invariant of `Registration`, the transform's algorithm pointer is
    // a pointer to our registration, which outlives its transforms.
    unsafe {
        let reg = &*bindings::vcrs_crypto_skcipher_alg(tfm).cast::<Registration<T>>();
        (
            reg,
            bindings::vcrs_crypto_skcipher_ctx(tfm).cast::<T::Tfm>(),
        )
    }
}

/// `skcipher_alg.init`: creates the transform state.
///
/// # Safety
///
/// Called by the Crypto API with a new transform of an algorithm registered by
/// `Registration<T>`, whose context is uninitialized.
unsafe extern "C" fn init_callback<T: Skcipher>(tfm: *mut bindings::crypto_skcipher) -> c_int {
    // SAFETY: Called by the Crypto API for a new transform of our algorithm; the context is
    // `cra_ctxsize` = `size_of::<T::Tfm>()` bytes, suitably aligned, not yet initialized.
    let (reg, ctx) = unsafe { tfm_parts::<T>(tfm) };
    match reg.algorithm.init_tfm() {
        Ok(state) => {
            // SAFETY: See above; `exit_callback` drops it. Setting the request size is what
            // an init callback is for.
            unsafe {
                ctx.write(state);
                bindings::vcrs_crypto_skcipher_set_reqsize(
                    tfm,
                    core::mem::size_of::<T::ReqCtx>() as u32,
                );
            }
            0
        }
        Err(e) => e.to_errno(),
    }
}

/// `skcipher_alg.exit`: drops the transform state.
///
/// # Safety
///
/// Called once by the Crypto API for a transform whose `init_callback` succeeded.
unsafe extern "C" fn exit_callback<T: Skcipher>(tfm: *mut bindings::crypto_skcipher) {
    // SAFETY: Called once per transform whose `init_callback` succeeded.
    unsafe {
        let (_, ctx) = tfm_parts::<T>(tfm);
        core::ptr::drop_in_place(ctx);
    }
}

/// `skcipher_alg.setkey`.
///
/// # Safety
///
/// Called by the Crypto API with an initialized transform of ours, no request running on
/// it, and a key of `keylen` readable bytes.
unsafe extern "C" fn setkey_callback<T: Skcipher>(
    tfm: *mut bindings::crypto_skcipher,
    key: *const u8,
    keylen: c_uint,
) -> c_int {
    // SAFETY: The transform is live and initialized; the Crypto API forbids concurrent
    // requests during setkey, so the `&mut` is exclusive; `key` holds `keylen` bytes.
    let result = unsafe {
        let (reg, ctx) = tfm_parts::<T>(tfm);
        let key = core::slice::from_raw_parts(key, keylen as usize);
        match reg.key_check {
            KeyCheck::Des3 if key.len() == 24 => {
                kernel::error::to_result(bindings::vcrs_verify_des3_key(tfm, key.as_ptr()))
            }
            KeyCheck::Xts => {
                kernel::error::to_result(bindings::vcrs_verify_xts_key(tfm, key.as_ptr(), keylen))
            }
            _ => Ok(()),
        }
        .and_then(|()| reg.algorithm.set_key(&mut *ctx, key))
    };
    match result {
        Ok(()) => 0,
        Err(e) => e.to_errno(),
    }
}

fn submitted_to_errno(result: Result<Submitted>) -> c_int {
    match result {
        Ok(Submitted::Done) => 0,
        Ok(Submitted::InProgress) => super::errno::einprogress().to_errno(),
        Ok(Submitted::Backlogged) => EBUSY.to_errno(),
        Err(e) => e.to_errno(),
    }
}

/// Wraps a raw request for `T`'s `encrypt`/`decrypt`.
///
/// # Safety
///
/// `req` must be a live request on an initialized transform of our algorithm.
unsafe fn request_parts<'a, T: Skcipher>(
    req: *mut bindings::skcipher_request,
) -> (&'a Registration<T>, &'a T::Tfm, Request) {
    // SAFETY: Per the caller; requests only read the transform state (`&`).
    unsafe {
        let (reg, ctx) = tfm_parts::<T>(bindings::vcrs_crypto_skcipher_reqtfm(req));
        let request = Request {
            ptr: NonNull::new_unchecked(req),
            ivsize: reg.ivsize,
            ctx_size: core::mem::size_of::<T::ReqCtx>(),
        };
        (reg, &*ctx, request)
    }
}

/// `skcipher_alg.encrypt`.
///
/// # Safety
///
/// Called by the Crypto API with a live request on an initialized transform of ours.
unsafe extern "C" fn encrypt_callback<T: Skcipher>(req: *mut bindings::skcipher_request) -> c_int {
    // SAFETY: The Crypto API calls this with a live request on one of our transforms.
    let (reg, tfm, request) = unsafe { request_parts::<T>(req) };
    submitted_to_errno(reg.algorithm.encrypt(tfm, request))
}

/// `skcipher_alg.decrypt`.
///
/// # Safety
///
/// Called by the Crypto API with a live request on an initialized transform of ours.
unsafe extern "C" fn decrypt_callback<T: Skcipher>(req: *mut bindings::skcipher_request) -> c_int {
    // SAFETY: The Crypto API calls this with a live request on one of our transforms.
    let (reg, tfm, request) = unsafe { request_parts::<T>(req) };
    submitted_to_errno(reg.algorithm.decrypt(tfm, request))
}
