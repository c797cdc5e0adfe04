// SPDX-License-Identifier: GPL-2.0

//! The one Crypto API adapter every algorithm type goes through: an [`AlgType`] names a
//! type's C structures and accessors (skcipher, ahash, aead: one small impl each), an
//! [`Adapter`] is what the generic callbacks need of the driver's implementation, an
//! [`Operation`] is one request entry point (`encrypt`, `digest`...), and [`Request`] is
//! the request handle of every type. Each unsafe argument about transforms and requests is
//! written once, here.
//!
//! A type's module adds its own request accessors (`impl Request<SkcipherType>`...), its
//! driver-facing trait (`Skcipher`, `Ahash`, `Aead`) and which callbacks its C structure
//! gets; optional operations (a keyless hash has no `setkey`) are decided at compile time
//! from the trait's constants.

use super::{
    place_job, registration::Registration, submitted_to_errno, AsyncRequest, Rejected, Submitted,
};
use crate::kernel_api::{
    bindings, errno,
    job::{Job, JobBox},
};
use core::ptr::NonNull;
use kernel::{
    ffi::{c_int, c_uint, c_void},
    prelude::*,
    types::Opaque,
};

/// An algorithm type of the Crypto API: its C structures and the accessors of its
/// transforms and requests.
///
/// # Safety
///
/// `RawAlg`, `RawTfm` and `RawReq` must be the type's algorithm, transform and request
/// structures, and each function the type's C function of the same purpose: `register`
/// and `unregister` register a `RawAlg`; `alg_base` returns the `crypto_alg` embedded in
/// it; `tfm_alg` the algorithm of a transform, `tfm_ctx` its context
/// (`crypto_tfm_ctx`), `set_reqsize` sets its requests' context size; `req_tfm`, `req_ctx`
/// and `req_base` the transform, context and `crypto_async_request` of a request.
/// `job_slot` must return a range within the first `size` bytes of a request context
/// (`size` being what the transform's `init` set) that the type uses for nothing but the
/// request's job, 8-byte aligned.
pub(crate) unsafe trait AlgType: Sized + 'static {
    /// The algorithm structure (`struct skcipher_alg`...).
    type RawAlg;
    /// The transform structure (`struct crypto_skcipher`...).
    type RawTfm;
    /// The request structure (`struct skcipher_request`...).
    type RawReq;
    /// What a [`Request`] knows of its transform (sizes, where its context's parts are).
    type ReqInfo: Copy + Send + Sync;

    /// `crypto_register_*`.
    ///
    /// # Safety
    ///
    /// `alg` must be fully initialized, unregistered, and stay at its address until
    /// [`Self::unregister`].
    unsafe fn register(alg: *mut Self::RawAlg) -> c_int;

    /// `crypto_unregister_*`.
    ///
    /// # Safety
    ///
    /// `alg` must be registered.
    unsafe fn unregister(alg: *mut Self::RawAlg);

    /// The `struct crypto_alg` embedded in `alg`.
    ///
    /// # Safety
    ///
    /// `alg` must point to a `RawAlg` (only the field's address is computed).
    unsafe fn alg_base(alg: *mut Self::RawAlg) -> *mut bindings::crypto_alg;

    /// The algorithm of a transform.
    ///
    /// # Safety
    ///
    /// `tfm` must be a live transform.
    unsafe fn tfm_alg(tfm: *mut Self::RawTfm) -> *mut Self::RawAlg;

    /// The transform's context (`cra_ctxsize` bytes).
    ///
    /// # Safety
    ///
    /// `tfm` must be a live transform.
    unsafe fn tfm_ctx(tfm: *mut Self::RawTfm) -> *mut c_void;

    /// Sets the size of the context of the transform's requests.
    ///
    /// # Safety
    ///
    /// `tfm` must be a transform in its `init` callback.
    unsafe fn set_reqsize(tfm: *mut Self::RawTfm, size: u32);

    /// The transform of a request.
    ///
    /// # Safety
    ///
    /// `req` must be a live request.
    unsafe fn req_tfm(req: *mut Self::RawReq) -> *mut Self::RawTfm;

    /// The request's context.
    ///
    /// # Safety
    ///
    /// `req` must be a live request.
    unsafe fn req_ctx(req: *mut Self::RawReq) -> *mut c_void;

    /// The request's `crypto_async_request`.
    ///
    /// # Safety
    ///
    /// `req` must point to a request (only the field's address is computed).
    unsafe fn req_base(req: *mut Self::RawReq) -> *mut bindings::crypto_async_request;

    /// Where in the request context the job slot is, and how many bytes it has.
    fn job_slot(info: &Self::ReqInfo) -> (usize, usize);
}

/// Implements [`AlgType`] for one algorithm type from the names of its C structures and
/// functions: `register`/`unregister` are `crypto_(un)register_*`, `base` the path of the
/// `crypto_alg` in the algorithm structure, the `tfm_*`/`req_*` names the type's accessors
/// (`helpers.c` wraps the static inlines). Only this module's type files use it: the names
/// they give are the safety argument of the `unsafe impl`.
macro_rules! impl_alg_type {
    (
        impl[$($generics:tt)*] AlgType for $ty:ty {
            raw: $raw_alg:ty, $raw_tfm:ty, $raw_req:ty;
            info: $info:ty;
            register: $register:ident, $unregister:ident;
            base: $($base:ident).+;
            tfm: $tfm_alg:ident, $tfm_ctx:ident, $set_reqsize:ident;
            req: $req_tfm:ident, $req_ctx:ident;
            job_slot: |$info_arg:ident| $job_slot:expr;
        }
    ) => {
        // SAFETY: The type's structures and its C functions (named at the invocation); the
        // job slot is as the invocation says, within the context its `init` sizes.
        unsafe impl<$($generics)*> $crate::kernel_api::crypto::adapter::AlgType for $ty {
            type RawAlg = $raw_alg;
            type RawTfm = $raw_tfm;
            type RawReq = $raw_req;
            type ReqInfo = $info;

            unsafe fn register(alg: *mut Self::RawAlg) -> kernel::ffi::c_int {
                // SAFETY: Per the trait's contract.
                unsafe { bindings::$register(alg) }
            }

            unsafe fn unregister(alg: *mut Self::RawAlg) {
                // SAFETY: Per the trait's contract.
                unsafe { bindings::$unregister(alg) }
            }

            unsafe fn alg_base(alg: *mut Self::RawAlg) -> *mut bindings::crypto_alg {
                // SAFETY: Only the address of the field is computed (every variant of a
                // union on the path places `base` at the same offset).
                unsafe { core::ptr::addr_of_mut!((*alg).$($base).+) }
            }

            unsafe fn tfm_alg(tfm: *mut Self::RawTfm) -> *mut Self::RawAlg {
                // SAFETY: Per the trait's contract.
                unsafe { bindings::$tfm_alg(tfm) }
            }

            unsafe fn tfm_ctx(tfm: *mut Self::RawTfm) -> *mut kernel::ffi::c_void {
                // SAFETY: Per the trait's contract.
                unsafe { bindings::$tfm_ctx(tfm) }
            }

            unsafe fn set_reqsize(tfm: *mut Self::RawTfm, size: u32) {
                // SAFETY: Per the trait's contract.
                unsafe { bindings::$set_reqsize(tfm, size) }
            }

            unsafe fn req_tfm(req: *mut Self::RawReq) -> *mut Self::RawTfm {
                // SAFETY: Per the trait's contract.
                unsafe { bindings::$req_tfm(req) }
            }

            unsafe fn req_ctx(req: *mut Self::RawReq) -> *mut kernel::ffi::c_void {
                // SAFETY: Per the trait's contract.
                unsafe { bindings::$req_ctx(req) }
            }

            unsafe fn req_base(
                req: *mut Self::RawReq,
            ) -> *mut bindings::crypto_async_request {
                // SAFETY: Only the address of the field is computed.
                unsafe { core::ptr::addr_of_mut!((*req).base) }
            }

            fn job_slot($info_arg: &$info) -> (usize, usize) {
                $job_slot
            }
        }
    };
}
pub(super) use impl_alg_type;

/// The accessors a cipher-like request type shares (skcipher, aead: the same `src`, `dst`
/// and `iv` fields, an `ivsize` in its info): written once for both.
macro_rules! impl_cipher_accessors {
    ($kind:ty) => {
        impl $crate::kernel_api::crypto::adapter::Request<$kind> {
            /// The source (for an AEAD: associated data, then the data).
            pub(crate) fn src(&self) -> &SgList {
                // SAFETY: The request is live and its `src` list is valid while we own it.
                unsafe { SgList::from_raw((*self.as_raw()).src) }
            }

            /// The destination (the same list as [`Self::src`] for an in-place request).
            pub(crate) fn dst(&self) -> &SgList {
                // SAFETY: The request is live and its `dst` list is valid while we own it.
                unsafe { SgList::from_raw((*self.as_raw()).dst) }
            }

            /// The IV (empty for modes without one, whose `iv` pointer may be null).
            pub(crate) fn iv(&self) -> &[u8] {
                let ivsize = self.info().ivsize;
                if ivsize == 0 {
                    return &[];
                }
                // SAFETY: `iv` holds the transform's `ivsize` bytes (a Crypto API rule),
                // owned by the submitter, who does not touch them while the request is ours.
                unsafe { core::slice::from_raw_parts((*self.as_raw()).iv, ivsize) }
            }

            /// Number of bytes to process (for an AEAD: after the associated data, the tag
            /// included when decrypting).
            pub(crate) fn cryptlen(&self) -> usize {
                // SAFETY: The request is live (type invariant).
                unsafe { (*self.as_raw()).cryptlen as usize }
            }
        }
    };
}
pub(super) use impl_cipher_accessors;

/// The `encrypt` and `decrypt` operations of a cipher-like type (skcipher, aead), whose
/// trait `$trait` has `encrypt` and `decrypt` methods: written once for both.
macro_rules! impl_cipher_ops {
    ($kind:ty, $trait:ident) => {
        impl<T: $trait> $crate::kernel_api::crypto::adapter::Operation<$kind, T>
            for $crate::kernel_api::crypto::Encrypt
        {
            fn run(
                alg: &T,
                tfm: &T::Tfm,
                req: $crate::kernel_api::crypto::adapter::Request<$kind>,
            ) -> Result<Submitted, Rejected> {
                alg.encrypt(tfm, req)
            }
        }

        impl<T: $trait> $crate::kernel_api::crypto::adapter::Operation<$kind, T>
            for $crate::kernel_api::crypto::Decrypt
        {
            fn run(
                alg: &T,
                tfm: &T::Tfm,
                req: $crate::kernel_api::crypto::adapter::Request<$kind>,
            ) -> Result<Submitted, Rejected> {
                alg.decrypt(tfm, req)
            }
        }
    };
}
pub(super) use impl_cipher_ops;

/// A transform of type `K`, borrowed from the Crypto API for the duration of a callback.
///
/// # Invariants
///
/// The wrapped structure is a live transform of one of our algorithms of type `K`.
#[repr(transparent)]
pub(crate) struct Tfm<K: AlgType>(Opaque<K::RawTfm>);

impl<K: AlgType> Tfm<K> {
    /// # Safety
    ///
    /// `ptr` must be a live transform of one of our algorithms of type `K`, alive for `'a`.
    unsafe fn from_raw<'a>(ptr: *mut K::RawTfm) -> &'a Self {
        // SAFETY: `Tfm` is a transparent wrapper of the transform (per the caller, live).
        unsafe { &*ptr.cast::<Self>() }
    }

    /// The raw transform, for the accessors of the type's module.
    pub(super) fn as_raw(&self) -> *mut K::RawTfm {
        self.0.get()
    }
}

/// What the generic callbacks need of an algorithm of type `K`: each type's module
/// implements it for every implementation of its own trait. Sealed: the request size it
/// gives and the request info decide where the callbacks write, so only this module's
/// type files vouch for them.
pub(crate) trait Adapter<K: AlgType>:
    super::sealed::Sealed<K> + Send + Sync + Sized + 'static
{
    /// What a transform's context holds.
    type TfmCtx: Send + Sync;

    /// Creates the context of a new transform and says how many bytes of context its
    /// requests need. Process context.
    fn init_tfm(&self, tfm: &Tfm<K>) -> Result<(Self::TfmCtx, usize)>;

    /// Sets the key. No request runs on the transform meanwhile (a Crypto API rule).
    fn set_key(&self, ctx: &mut Self::TfmCtx, tfm: &Tfm<K>, key: &[u8]) -> Result;

    /// What a request of the transform needs to know of it.
    fn request_info(ctx: &Self::TfmCtx, tfm: &Tfm<K>) -> K::ReqInfo;
}

/// One request entry point of algorithm type `K` (encrypt, decrypt, digest...), as a type
/// so that its callback is generated once for every algorithm.
pub(crate) trait Operation<K: AlgType, T: Adapter<K>> {
    /// Starts the operation on `req`. May run in atomic context. Ends with the request
    /// finished ([`Request::done`]), refused ([`Request::reject`]: the caller gets the
    /// error directly) or in progress.
    fn run(alg: &T, ctx: &T::TfmCtx, req: Request<K>) -> Result<Submitted, Rejected>;
}

/// An in-flight request of type `K`, owned by the driver from the moment an entry point
/// accepts it until it is completed (or reported done or refused).
///
/// # Invariants
///
/// `ptr` is a live request of a transform of one of our algorithms of type `K`, whose
/// submitter waits for its completion; `info` is what [`Adapter::request_info`] said of
/// that transform; the request's context holds the size the transform's `init` set,
/// 8-byte aligned, used by this driver alone.
pub(crate) struct Request<K: AlgType> {
    ptr: NonNull<K::RawReq>,
    base: AsyncRequest,
    info: K::ReqInfo,
}

// SAFETY: A request may be completed from any thread; the driver owns it exclusively.
unsafe impl<K: AlgType> Send for Request<K> {}
// SAFETY: Shared references only read request fields the submitter does not change while
// the request is ours.
unsafe impl<K: AlgType> Sync for Request<K> {}

impl<K: AlgType> Request<K> {
    /// The raw request, for the accessors of the type's module.
    pub(super) fn as_raw(&self) -> *mut K::RawReq {
        self.ptr.as_ptr()
    }

    /// What the request knows of its transform.
    pub(super) fn info(&self) -> &K::ReqInfo {
        &self.info
    }

    /// What the request knows, to add what its entry point says.
    pub(super) fn info_mut(&mut self) -> &mut K::ReqInfo {
        &mut self.info
    }

    /// The request's context memory.
    pub(super) fn ctx(&self) -> *mut u8 {
        // SAFETY: The request is live (type invariant).
        unsafe { K::req_ctx(self.as_raw()) }.cast::<u8>()
    }

    /// What every request type shares: flags and completion.
    pub(crate) fn base(&self) -> &AsyncRequest {
        &self.base
    }

    /// Moves the request, with `job`, into its job slot: the slot owns both, and no
    /// allocation is made. Refused with `EINVAL` if the job does not fit the slot (the
    /// algorithm's job type decides the context's size).
    pub(crate) fn into_job<J: Job<Kind = K>>(self, job: J) -> Result<JobBox, Rejected> {
        let (offset, room) = K::job_slot(&self.info);
        let ctx = self.ctx().wrapping_add(offset);
        // SAFETY: `ctx` is the request's job slot (`AlgType::job_slot`): `room` bytes,
        // 8-byte aligned, used for nothing else, and free: the request moves into the
        // slot, so it carries one at a time, and a `Request` by value is in none.
        unsafe { place_job(self, ctx, room, job) }.map_err(|req| req.reject(EINVAL))
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

    /// Finished with `result` here: done, or refused with the error.
    pub(crate) fn finish_with(self, result: Result) -> Result<Submitted, Rejected> {
        match result {
            Ok(()) => Ok(self.done()),
            Err(e) => Err(self.reject(e)),
        }
    }
}

/// A transform's context as the layer lays it out: the implementation's context, and
/// whether `init` made it. The Crypto API zeroes a context before `init` and may call
/// `exit` on one whose `init` never ran (a failed `crypto_clone_ahash` frees its clone):
/// zero means "nothing to drop".
#[repr(C)]
struct TfmSlot<C> {
    ctx: core::mem::MaybeUninit<C>,
    live: u8,
}

/// [`TfmSlot::live`]'s value once `init` wrote the context.
const LIVE: u8 = 1;

/// Bytes of transform context (`cra_ctxsize`) an algorithm of `T` needs.
pub(super) const fn tfm_ctx_size<K: AlgType, T: Adapter<K>>() -> usize {
    core::mem::size_of::<TfmSlot<T::TfmCtx>>()
}

/// The slot of a transform's context.
///
/// # Safety
///
/// `tfm` must be a live transform of an algorithm registered with `T`.
unsafe fn tfm_slot<K: AlgType, T: Adapter<K>>(tfm: *mut K::RawTfm) -> *mut TfmSlot<T::TfmCtx> {
    // SAFETY: Per the caller; the context is `cra_ctxsize` = `tfm_ctx_size` bytes, aligned
    // (asserted at registration).
    unsafe { K::tfm_ctx(tfm).cast() }
}

/// Our implementation, transform handle and context for a raw transform.
///
/// # Safety
///
/// `tfm` must be a live transform of an algorithm registered with `T` (by
/// [`Registration::new`]), alive for `'a`. The context pointer is to initialized memory
/// only after `init` succeeded.
pub(super) unsafe fn tfm_parts<'a, K: AlgType, T: Adapter<K>>(
    tfm: *mut K::RawTfm,
) -> (&'a T, &'a Tfm<K>, *mut T::TfmCtx) {
    // SAFETY: The transform's algorithm is the `alg` of our registration, whose storage
    // outlives every transform (`Registration`'s invariant); the slot is the context.
    unsafe {
        (
            Registration::<K, T>::algorithm_of(K::tfm_alg(tfm)),
            Tfm::from_raw(tfm),
            core::ptr::addr_of_mut!((*tfm_slot::<K, T>(tfm)).ctx).cast::<T::TfmCtx>(),
        )
    }
}

/// The `init` callback of every type: creates the transform's context and sizes its
/// requests' context.
///
/// # Safety
///
/// Called by the Crypto API with a new transform of an algorithm registered with `T`,
/// whose context is uninitialized.
pub(super) unsafe extern "C" fn init_callback<K: AlgType, T: Adapter<K>>(
    tfm: *mut K::RawTfm,
) -> c_int {
    // SAFETY: A new transform of our algorithm (per the caller).
    let (alg, handle, ctx) = unsafe { tfm_parts::<K, T>(tfm) };
    let made = alg
        .init_tfm(handle)
        .and_then(|(state, size)| Ok((state, u32::try_from(size).map_err(|_| EINVAL)?)));
    match made {
        Ok((state, size)) => {
            // SAFETY: The context is uninitialized memory for a `T::TfmCtx` (per the
            // caller); `exit_callback` drops it. Setting the request size is what an init
            // callback is for.
            // INVARIANT: from here on the context holds an initialized `T::TfmCtx`, and
            // the slot says so.
            unsafe {
                ctx.write(state);
                (*tfm_slot::<K, T>(tfm)).live = LIVE;
                K::set_reqsize(tfm, size);
            }
            0
        }
        Err(e) => e.to_errno(),
    }
}

/// The `exit` callback of every type: drops the transform's context.
///
/// # Safety
///
/// Called once by the Crypto API for a transform of ours, whose context `init_callback`
/// wrote or the Crypto API zeroed.
pub(super) unsafe extern "C" fn exit_callback<K: AlgType, T: Adapter<K>>(tfm: *mut K::RawTfm) {
    // SAFETY: A transform of ours (per the caller); the slot's `live` byte is `LIVE` only
    // if `init` wrote the context, which is then dropped here once and never used again.
    unsafe {
        let slot = tfm_slot::<K, T>(tfm);
        if (*slot).live == LIVE {
            (*slot).live = 0;
            core::ptr::drop_in_place((*slot).ctx.as_mut_ptr());
        }
    }
}

/// The `setkey` callback of every type.
///
/// # Safety
///
/// Called by the Crypto API with an initialized transform of ours, no request running on
/// it, and `keylen` readable bytes at `key` (any pointer when `keylen` is 0).
pub(super) unsafe extern "C" fn setkey_callback<K: AlgType, T: Adapter<K>>(
    tfm: *mut K::RawTfm,
    key: *const u8,
    keylen: c_uint,
) -> c_int {
    // SAFETY: The transform is initialized; the Crypto API forbids requests during setkey,
    // so the `&mut` is exclusive; `key` holds `keylen` bytes.
    let result = unsafe {
        let (alg, handle, ctx) = tfm_parts::<K, T>(tfm);
        let key = match keylen {
            0 => &[],
            n => core::slice::from_raw_parts(key, n as usize),
        };
        alg.set_key(&mut *ctx, handle, key)
    };
    errno::to_c(result)
}

/// Our implementation, the transform's context and the raw request's parts, borrowed for a
/// callback that does not take the request (`export`, `import`).
///
/// # Safety
///
/// `req` must be a live request on an initialized transform of an algorithm registered
/// with `T`, alive for `'a`.
pub(super) unsafe fn borrowed_parts<'a, K: AlgType, T: Adapter<K>>(
    req: *mut K::RawReq,
) -> (&'a T, &'a T::TfmCtx, K::ReqInfo) {
    // SAFETY: Per the caller; requests only read the transform's context (`&`).
    unsafe {
        let tfm = K::req_tfm(req);
        let (alg, handle, ctx) = tfm_parts::<K, T>(tfm);
        let ctx = &*ctx;
        (alg, ctx, T::request_info(ctx, handle))
    }
}

/// Every request entry point of every type: wraps the request, runs `O`, and turns how it
/// ended into the C return value.
///
/// # Safety
///
/// Called by the Crypto API with a live request on an initialized transform of an
/// algorithm registered with `T`, which it hands to the driver until completion.
pub(super) unsafe extern "C" fn request_callback<K: AlgType, T: Adapter<K>, O: Operation<K, T>>(
    req: *mut K::RawReq,
) -> c_int {
    // SAFETY: Per the caller.
    let (alg, ctx, info) = unsafe { borrowed_parts::<K, T>(req) };
    // SAFETY: `req` is non-null and live (per the caller); its base is inside it.
    let (ptr, base) = unsafe {
        (
            NonNull::new_unchecked(req),
            NonNull::new_unchecked(K::req_base(req)),
        )
    };
    // SAFETY: The request is the driver's until it is completed (per the caller).
    let async_base = unsafe { AsyncRequest::from_raw(base) };
    // INVARIANT: a live request of our transform, with that transform's info.
    let request = Request {
        ptr,
        base: async_base,
        info,
    };
    submitted_to_errno(base, O::run(alg, ctx, request))
}

/// Compile-time check of a type's contexts: the transform's state `Tfm` and the job `J`
/// need no more than the 8-byte alignment the Crypto API gives (`CRYPTO_MINALIGN`).
pub(super) const fn assert_aligned<Tfm, J: Job>() {
    assert!(
        core::mem::align_of::<TfmSlot<Tfm>>() <= 8,
        "tfm context is 8-byte aligned"
    );
    assert!(
        crate::kernel_api::job::ctx_align::<J>() <= 8,
        "request context is 8-byte aligned"
    );
}

/// A callback of `Op` as the C structure's field takes it.
pub(super) const fn request_fn<K: AlgType, T: Adapter<K>, O: Operation<K, T>>(
) -> Option<unsafe extern "C" fn(*mut K::RawReq) -> c_int> {
    Some(request_callback::<K, T, O>)
}
