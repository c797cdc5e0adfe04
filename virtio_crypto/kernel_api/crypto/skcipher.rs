// SPDX-License-Identifier: GPL-2.0

//! Asynchronous symmetric ciphers (`struct skcipher_alg`): the [`Skcipher`] trait an
//! algorithm implements, the [`Request`] handle it completes, and [`register`], which
//! registers the algorithm (unregistered when the registration is dropped).

use super::{
    place_job, registration::AlgType, registration::Registration, submitted_to_errno, AlgBase,
    AsyncRequest, Rejected, Submitted,
};
use crate::kernel_api::{
    bindings, errno,
    job::{self, Job, JobBox},
    scatterlist::SgList,
};
use core::{marker::PhantomData, ptr::NonNull};
use kernel::{
    ffi::{c_int, c_uint},
    prelude::*,
    sync::Arc,
    ThisModule,
};

/// A cipher algorithm, with per-transform state of type [`Skcipher::Tfm`].
pub(crate) trait Skcipher: Send + Sync + Sized + 'static {
    /// State of one transform (one user's key), stored in the Crypto API's tfm context.
    type Tfm: Send + Sync;

    /// State of one request on the device, which [`Request::into_job`] places in the
    /// request's own context memory (`reqsize`), so that requests need no allocation.
    type ReqCtx: Job;

    /// The generic implementation's key check beyond the length, made before
    /// [`Skcipher::set_key`] so the same keys fail with the same errno.
    fn key_check(&self) -> KeyCheck;

    /// Creates the state of a new transform. Process context.
    fn init_tfm(&self) -> Result<Self::Tfm>;

    /// Sets the key. The Crypto API forbids calling this concurrently with requests on the
    /// same transform, hence `&mut`. Process context.
    fn set_key(&self, tfm: &mut Self::Tfm, key: &[u8]) -> Result;

    /// Starts an encryption. May run in atomic context. Ends with the request finished
    /// ([`Request::done`]), refused ([`Request::reject`]: the caller gets the error
    /// directly) or in progress.
    fn encrypt(&self, tfm: &Self::Tfm, req: Request) -> Result<Submitted, Rejected>;

    /// Starts a decryption, under the same rules as [`Skcipher::encrypt`].
    fn decrypt(&self, tfm: &Self::Tfm, req: Request) -> Result<Submitted, Rejected>;
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

/// What an skcipher registration says beyond [`AlgBase`].
pub(crate) struct SkcipherInfo {
    /// Names, priority, block size, flags.
    pub(crate) base: AlgBase,
    /// Smallest key in bytes.
    pub(crate) min_keysize: u32,
    /// Largest key in bytes.
    pub(crate) max_keysize: u32,
    /// IV size in bytes.
    pub(crate) ivsize: u32,
    /// Step size of the underlying cipher (for stream modes: its block size).
    pub(crate) chunksize: u32,
}

/// The skcipher algorithm type, with the driver's implementation `T`.
pub(crate) struct SkcipherType<T>(PhantomData<T>);

// SAFETY: The skcipher registration functions, and `base` returns the embedded `crypto_alg`.
unsafe impl<T: Skcipher> AlgType for SkcipherType<T> {
    type Raw = bindings::skcipher_alg;
    type Algorithm = T;

    unsafe fn register(raw: *mut Self::Raw) -> c_int {
        // SAFETY: Per the trait's contract.
        unsafe { bindings::crypto_register_skcipher(raw) }
    }

    unsafe fn unregister(raw: *mut Self::Raw) {
        // SAFETY: Per the trait's contract.
        unsafe { bindings::crypto_unregister_skcipher(raw) }
    }

    fn base(raw: *mut Self::Raw) -> *mut bindings::crypto_alg {
        // SAFETY: Only the address of the field is computed; every variant of the union
        // places `base` at the same offset.
        unsafe { core::ptr::addr_of_mut!((*raw).__bindgen_anon_1.co.base) }
    }
}

/// A registered skcipher algorithm.
pub(crate) type SkcipherRegistration<T> = Registration<SkcipherType<T>>;

/// Registers `algorithm` under `info`. Registration runs the Crypto API's self-tests, which
/// call back into `algorithm`; it returns once they are done.
pub(crate) fn register<T: Skcipher>(
    info: &SkcipherInfo,
    algorithm: T,
    module: &'static ThisModule,
) -> Result<Arc<SkcipherRegistration<T>>> {
    const {
        assert!(
            core::mem::align_of::<T::Tfm>() <= 8,
            "tfm context is 8-byte aligned"
        );
        assert!(
            job::ctx_align::<T::ReqCtx>() <= 8,
            "request context is 8-byte aligned"
        );
    }
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
    info.base
        .fill(&mut co.base, core::mem::size_of::<T::Tfm>(), module)?;
    Registration::new(alg, algorithm)
}

/// An in-flight request (`struct skcipher_request`), owned by the driver from the moment
/// `encrypt`/`decrypt` accepts it until it is completed.
///
/// # Invariants
///
/// `ptr` is a live request whose submitter waits for its completion; its `iv` holds
/// `ivsize` bytes, its scatterlists are valid for `cryptlen` bytes, and its context holds
/// `ctx_size` bytes (8-byte aligned) that only this driver uses.
pub(crate) struct Request {
    ptr: NonNull<bindings::skcipher_request>,
    base: AsyncRequest,
    ivsize: usize,
    ctx_size: usize,
}

// SAFETY: A request may be completed from any thread; the driver owns it exclusively.
unsafe impl Send for Request {}
// SAFETY: Shared references only read request fields the submitter does not change while
// the request is ours.
unsafe impl Sync for Request {}

impl Request {
    fn raw(&self) -> *mut bindings::skcipher_request {
        self.ptr.as_ptr()
    }

    /// The raw request, for other abstractions of this layer.
    pub(super) fn as_raw(&self) -> *mut bindings::skcipher_request {
        self.raw()
    }

    /// What every request type shares: flags and completion.
    pub(crate) fn base(&self) -> &AsyncRequest {
        &self.base
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

    /// Moves the request into its own context memory as part of the job `f` builds: the
    /// job owns the request, and no allocation is made. Refused with `EINVAL` if `J` does
    /// not fit the context (the algorithm's [`Skcipher::ReqCtx`] decides its size).
    pub(crate) fn into_job<J: Job>(self, f: impl FnOnce(Request) -> J) -> Result<JobBox, Rejected> {
        // SAFETY: The request is live (type invariant).
        let ctx = unsafe { bindings::vcrs_skcipher_request_ctx(self.raw()) }.cast::<u8>();
        let room = self.ctx_size;
        // SAFETY: `ctx` is the request's context: `ctx_size` bytes, 8-byte aligned, ours
        // alone, and free while the request is not in a job (type invariant).
        unsafe { place_job(self, ctx, room, f) }.map_err(|req| req.reject(EINVAL))
    }

    /// The request finished synchronously (see [`AsyncRequest::done`]).
    pub(crate) fn done(self) -> Submitted {
        self.base.done()
    }

    /// The request is refused with `err` (see [`AsyncRequest::reject`]).
    pub(crate) fn reject(self, err: Error) -> Rejected {
        self.base.reject(err)
    }

    /// Completes the request with `result`, handing it back to its submitter. Runs the
    /// submitter's callback with bottom halves disabled; never call from hard-IRQ context.
    pub(crate) fn complete(self, result: Result) {
        self.base.complete(result);
    }
}

/// Our registration and transform state for a raw transform.
///
/// # Safety
///
/// `tfm` must be a live transform of an algorithm registered by [`register`] with `T`,
/// whose context holds an initialized `T::Tfm` (after `init_callback` succeeded).
unsafe fn tfm_parts<'a, T: Skcipher>(
    tfm: *mut bindings::crypto_skcipher,
) -> (&'a SkcipherRegistration<T>, *mut T::Tfm) {
    // SAFETY: The transform's algorithm is the `alg` of our registration, which outlives
    // its transforms.
    unsafe {
        let reg = SkcipherRegistration::<T>::from_raw(bindings::vcrs_crypto_skcipher_alg(tfm));
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
/// [`register`] with `T`, whose context is uninitialized.
unsafe extern "C" fn init_callback<T: Skcipher>(tfm: *mut bindings::crypto_skcipher) -> c_int {
    // SAFETY: Called by the Crypto API for a new transform of our algorithm; the context is
    // `cra_ctxsize` = `size_of::<T::Tfm>()` bytes, suitably aligned, not yet initialized.
    let (reg, ctx) = unsafe { tfm_parts::<T>(tfm) };
    match reg.algorithm().init_tfm() {
        Ok(state) => {
            // SAFETY: See above; `exit_callback` drops it. Setting the request size is what
            // an init callback is for.
            unsafe {
                ctx.write(state);
                bindings::vcrs_crypto_skcipher_set_reqsize(
                    tfm,
                    job::ctx_size::<T::ReqCtx>() as u32,
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
        match reg.algorithm().key_check() {
            KeyCheck::Des3 if key.len() == 24 => {
                kernel::error::to_result(bindings::vcrs_verify_des3_key(tfm, key.as_ptr()))
            }
            KeyCheck::Xts => {
                kernel::error::to_result(bindings::vcrs_verify_xts_key(tfm, key.as_ptr(), keylen))
            }
            _ => Ok(()),
        }
        .and_then(|()| reg.algorithm().set_key(&mut *ctx, key))
    };
    errno::to_c(result)
}

/// Wraps a raw request for `T`'s `encrypt`/`decrypt`.
///
/// # Safety
///
/// `req` must be a live request on an initialized transform of our algorithm.
unsafe fn request_parts<'a, T: Skcipher>(
    req: *mut bindings::skcipher_request,
) -> (&'a T, &'a T::Tfm, Request) {
    // SAFETY: Per the caller; requests only read the transform state (`&`).
    unsafe {
        let tfm = bindings::vcrs_crypto_skcipher_reqtfm(req);
        let (reg, ctx) = tfm_parts::<T>(tfm);
        let alg = reg.algorithm();
        let request = Request {
            ptr: NonNull::new_unchecked(req),
            base: AsyncRequest::from_raw(NonNull::new_unchecked(core::ptr::addr_of_mut!(
                (*req).base
            ))),
            ivsize: bindings::vcrs_crypto_skcipher_ivsize(tfm) as usize,
            ctx_size: job::ctx_size::<T::ReqCtx>(),
        };
        (alg, &*ctx, request)
    }
}

/// `skcipher_alg.encrypt`.
///
/// # Safety
///
/// Called by the Crypto API with a live request on an initialized transform of ours.
unsafe extern "C" fn encrypt_callback<T: Skcipher>(req: *mut bindings::skcipher_request) -> c_int {
    // SAFETY: The Crypto API calls this with a live request on one of our transforms.
    let (alg, tfm, request) = unsafe { request_parts::<T>(req) };
    let base = request.base().raw();
    submitted_to_errno(base, alg.encrypt(tfm, request))
}

/// `skcipher_alg.decrypt`.
///
/// # Safety
///
/// Called by the Crypto API with a live request on an initialized transform of ours.
unsafe extern "C" fn decrypt_callback<T: Skcipher>(req: *mut bindings::skcipher_request) -> c_int {
    // SAFETY: The Crypto API calls this with a live request on one of our transforms.
    let (alg, tfm, request) = unsafe { request_parts::<T>(req) };
    let base = request.base().raw();
    submitted_to_errno(base, alg.decrypt(tfm, request))
}
