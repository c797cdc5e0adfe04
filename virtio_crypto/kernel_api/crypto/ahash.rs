// SPDX-License-Identifier: GPL-2.0

//! Asynchronous hashes and MACs (`struct ahash_alg`): the [`Ahash`] trait an algorithm
//! implements, the [`HashRequest`] handle it serves, and [`register`].
//!
//! Unlike a cipher request, a hash request keeps state between calls (`init`, `update`...,
//! `final`), in its own context memory. This layer lays that memory out per transform:
//!
//! ```text
//! | State (the algorithm's, any bytes valid) | job slot | shash_desc + its state | buffer |
//! ```
//!
//! The job slot holds the request's [`Job`] while it is on a device; the `shash_desc` is the
//! request's state in the transform's [`SoftHash`]; the buffer (of the algorithm's chosen
//! length) holds message bytes kept for the device.

use super::{
    place_job, registration::AlgType, registration::Registration, soft_hash::SoftHash,
    submitted_to_errno, AlgBase, AsyncRequest, Rejected, Submitted,
};
use crate::kernel_api::{
    bindings, errno,
    job::{self, Job, JobBox},
    scatterlist::SgList,
};
use core::{marker::PhantomData, ptr::NonNull};
use kernel::{
    error::to_result,
    ffi::{c_int, c_uint, c_void},
    prelude::*,
    sync::Arc,
    types::FromBytes,
    ThisModule,
};

/// A hash or MAC algorithm, with per-transform state of type [`Ahash::Tfm`].
pub(crate) trait Ahash: Send + Sync + Sized + 'static {
    /// State of one transform (one user's key, its software hash).
    type Tfm: Send + Sync;

    /// State a request keeps between calls. The Crypto API hands the context over with
    /// anything in it (testmgr poisons it before `import`), hence `FromBytes`: every bit
    /// pattern is a value, which the algorithm validates.
    type State: FromBytes + Send + Sync;

    /// State of one request on the device.
    type Job: Job;

    /// Creates the state of a new transform. Process context.
    fn init_tfm(&self) -> Result<Self::Tfm>;

    /// The transform's software hash (its request state lives in each request).
    fn soft(tfm: &Self::Tfm) -> &SoftHash;

    /// Bytes of message a request can keep in its context for the device.
    fn buffer_len(&self) -> usize;

    /// Sets the key (MACs only). Process context; no request runs on the transform.
    fn set_key(&self, tfm: &mut Self::Tfm, key: &[u8]) -> Result;

    /// Starts a message.
    fn init(&self, tfm: &Self::Tfm, req: HashRequest<Self::State>) -> Result<Submitted, Rejected>;

    /// Adds the request's data to the message.
    fn update(&self, tfm: &Self::Tfm, req: HashRequest<Self::State>)
        -> Result<Submitted, Rejected>;

    /// Ends the message: the digest goes to the request's result.
    fn finish(&self, tfm: &Self::Tfm, req: HashRequest<Self::State>)
        -> Result<Submitted, Rejected>;

    /// Adds the request's data and ends the message.
    fn finup(&self, tfm: &Self::Tfm, req: HashRequest<Self::State>) -> Result<Submitted, Rejected>;

    /// The digest of the request's data alone (init, update and final in one).
    fn digest(&self, tfm: &Self::Tfm, req: HashRequest<Self::State>)
        -> Result<Submitted, Rejected>;

    /// Writes the request's state to `out` (the transform's state size), self-contained.
    fn export(&self, tfm: &Self::Tfm, req: &mut HashRequest<Self::State>, out: &mut [u8])
        -> Result;

    /// Restores a state [`Ahash::export`] wrote.
    fn import(&self, tfm: &Self::Tfm, req: &mut HashRequest<Self::State>, input: &[u8]) -> Result;
}

/// What an ahash registration says beyond [`AlgBase`].
pub(crate) struct HashInfo {
    /// Names, priority, block size, flags.
    pub(crate) base: AlgBase,
    /// Digest size in bytes.
    pub(crate) digest_size: u32,
    /// Exported state size (each transform sets its own software hash's size).
    pub(crate) state_size: u32,
    /// Whether the algorithm takes a key.
    pub(crate) keyed: bool,
}

/// Where each part of a request's context lives, per transform.
#[derive(Clone, Copy)]
struct CtxLayout {
    job: usize,
    desc: usize,
    buffer: usize,
    buffer_len: usize,
    digest_size: usize,
    state_size: usize,
}

const fn align8(n: usize) -> usize {
    (n + 7) & !7
}

impl CtxLayout {
    fn new<T: Ahash>(alg: &T, soft: &SoftHash, digest_size: usize) -> Result<Self> {
        let job = align8(core::mem::size_of::<T::State>());
        let desc = align8(job + job::ctx_size::<T::Job>());
        let buffer = desc + core::mem::size_of::<bindings::shash_desc>() + soft.desc_size();
        Ok(Self {
            job,
            desc,
            buffer,
            buffer_len: alg.buffer_len(),
            digest_size,
            state_size: soft.state_size(),
        })
    }

    fn req_size(&self) -> Result<u32> {
        u32::try_from(self.buffer + self.buffer_len).map_err(|_| EINVAL)
    }
}

/// A transform's context: the layout of its requests and the algorithm's state.
struct TfmCtx<T: Ahash> {
    layout: CtxLayout,
    inner: T::Tfm,
}

/// The ahash algorithm type, with the driver's implementation `T`.
pub(crate) struct AhashType<T>(PhantomData<T>);

// SAFETY: The ahash registration functions, and `base` returns the embedded `crypto_alg`.
unsafe impl<T: Ahash> AlgType for AhashType<T> {
    type Raw = bindings::ahash_alg;
    type Algorithm = T;

    unsafe fn register(raw: *mut Self::Raw) -> c_int {
        // SAFETY: Per the trait's contract.
        unsafe { bindings::crypto_register_ahash(raw) }
    }

    unsafe fn unregister(raw: *mut Self::Raw) {
        // SAFETY: Per the trait's contract.
        unsafe { bindings::crypto_unregister_ahash(raw) }
    }

    fn base(raw: *mut Self::Raw) -> *mut bindings::crypto_alg {
        // SAFETY: Only the address of the field is computed.
        unsafe { core::ptr::addr_of_mut!((*raw).halg.base) }
    }
}

/// A registered ahash algorithm.
pub(crate) type AhashRegistration<T> = Registration<AhashType<T>>;

/// Registers `algorithm` under `info`. Registration runs the Crypto API's self-tests, which
/// call back into `algorithm`; it returns once they are done.
pub(crate) fn register<T: Ahash>(
    info: &HashInfo,
    algorithm: T,
    module: &'static ThisModule,
) -> Result<Arc<AhashRegistration<T>>> {
    const {
        assert!(
            core::mem::align_of::<TfmCtx<T>>() <= 8,
            "tfm context is 8-byte aligned"
        );
        assert!(
            job::ctx_align::<T::Job>() <= 8,
            "request context is 8-byte aligned"
        );
        assert!(core::mem::align_of::<T::State>() <= 8);
        assert!(core::mem::align_of::<bindings::shash_desc>() <= 8);
    }
    let mut alg = bindings::ahash_alg {
        init: Some(init_callback::<T>),
        update: Some(update_callback::<T>),
        final_: Some(final_callback::<T>),
        finup: Some(finup_callback::<T>),
        digest: Some(digest_callback::<T>),
        export: Some(export_callback::<T>),
        import: Some(import_callback::<T>),
        setkey: if info.keyed {
            Some(setkey_callback::<T>)
        } else {
            None
        },
        init_tfm: Some(init_tfm_callback::<T>),
        exit_tfm: Some(exit_tfm_callback::<T>),
        ..Default::default()
    };
    alg.halg.digestsize = info.digest_size;
    alg.halg.statesize = info.state_size;
    info.base.fill(
        &mut alg.halg.base,
        core::mem::size_of::<TfmCtx<T>>(),
        module,
    )?;
    Registration::new(alg, algorithm)
}

/// An ahash request (`struct ahash_request`), handed to the driver by one entry point.
/// For `init`, `update`, `final`, `finup` and `digest` the driver owns it until it is
/// completed (or reported done or refused); for `export` and `import` it is only borrowed.
///
/// # Invariants
///
/// `ptr` is a live request of a transform whose context is a `TfmCtx` with `layout`; its
/// context holds `layout.req_size()` bytes (8-byte aligned) that only this driver uses,
/// the first of them a `S`; its `result` holds `digest_size` bytes and its `src` list at
/// least `nbytes` bytes.
pub(crate) struct HashRequest<S> {
    ptr: NonNull<bindings::ahash_request>,
    base: AsyncRequest,
    layout: CtxLayout,
    soft: NonNull<bindings::crypto_shash>,
    _state: PhantomData<S>,
}

// SAFETY: A request may be completed from any thread; the driver owns it exclusively.
unsafe impl<S: Send> Send for HashRequest<S> {}
// SAFETY: Shared references only read request fields the submitter does not change while
// the request is ours.
unsafe impl<S: Sync> Sync for HashRequest<S> {}

impl<S: FromBytes> HashRequest<S> {
    fn raw(&self) -> *mut bindings::ahash_request {
        self.ptr.as_ptr()
    }

    fn ctx(&self) -> *mut u8 {
        // SAFETY: The request is live (type invariant).
        unsafe { bindings::vcrs_ahash_request_ctx(self.raw()) }.cast::<u8>()
    }

    fn desc(&self) -> *mut bindings::shash_desc {
        self.ctx().wrapping_add(self.layout.desc).cast()
    }

    /// What every request type shares: flags and completion.
    pub(crate) fn base(&self) -> &AsyncRequest {
        &self.base
    }

    /// Bytes of data the request carries.
    pub(crate) fn nbytes(&self) -> usize {
        // SAFETY: The request is live (type invariant).
        unsafe { (*self.raw()).nbytes as usize }
    }

    /// The data; `None` when the request has no list (callers may leave it null when
    /// `nbytes` is 0, as dm-verity's `final` does).
    pub(crate) fn src(&self) -> Option<&SgList> {
        // SAFETY: The request is live (type invariant).
        let src = unsafe { (*self.raw()).src };
        if src.is_null() {
            return None;
        }
        // SAFETY: A non-null `src` is a valid list while we own the request.
        Some(unsafe { SgList::from_raw(src) })
    }

    /// Stores the digest in the request's result (the first [`Self::digest_size`] bytes
    /// of `digest`).
    pub(crate) fn set_result(&mut self, digest: &[u8]) -> Result {
        let digest = digest.get(..self.layout.digest_size).ok_or(EINVAL)?;
        // SAFETY: `result` holds `digest_size` bytes (type invariant), owned by the
        // submitter, who does not touch it while the request is ours.
        unsafe {
            core::ptr::copy_nonoverlapping(digest.as_ptr(), (*self.raw()).result, digest.len())
        };
        Ok(())
    }

    /// The state the request keeps between calls.
    pub(crate) fn state(&self) -> &S {
        // SAFETY: The context starts with `size_of::<S>()` bytes, 8-byte aligned, of which
        // any content is a valid `S` (`FromBytes`), used by this driver alone.
        unsafe { &*self.ctx().cast::<S>() }
    }

    /// The state the request keeps between calls, to change it.
    pub(crate) fn state_mut(&mut self) -> &mut S {
        // SAFETY: As in `state`; `&mut self` makes this the only reference.
        unsafe { &mut *self.ctx().cast::<S>() }
    }

    /// The message bytes the request keeps in its context.
    pub(crate) fn buffer(&self) -> &[u8] {
        // SAFETY: The context holds `buffer_len` bytes at `buffer` (type invariant), which
        // only this driver uses. The context is memory its submitter allocated (slab or
        // page memory, never fresh from the compiler's view), so its bytes hold some
        // content, and any content is a valid `u8`; the driver reads only bytes it wrote
        // (its state says how many).
        unsafe {
            core::slice::from_raw_parts(
                self.ctx().wrapping_add(self.layout.buffer),
                self.layout.buffer_len,
            )
        }
    }

    /// The message bytes the request keeps in its context, to change them.
    pub(crate) fn buffer_mut(&mut self) -> &mut [u8] {
        // SAFETY: As in `buffer`; `&mut self` makes this the only reference.
        unsafe {
            core::slice::from_raw_parts_mut(
                self.ctx().wrapping_add(self.layout.buffer),
                self.layout.buffer_len,
            )
        }
    }

    /// Copies the request's data into the buffer at `offset`.
    pub(crate) fn copy_src_to_buffer(&mut self, offset: usize) -> Result {
        let len = self.nbytes();
        if len == 0 {
            return Ok(());
        }
        let end = offset.checked_add(len).ok_or(EINVAL)?;
        let src = self.src().ok_or(EINVAL)? as *const SgList;
        let dst = self.buffer_mut().get_mut(offset..end).ok_or(EINVAL)?;
        // SAFETY: `src` is the request's list (valid while we own the request); it does not
        // point into the context buffer, which only this driver uses.
        unsafe { &*src }.copy_to_buffer(dst, 0)
    }

    /// Whether the context is in the kernel's linear map, so a device can read and write
    /// it (not on a stack or in vmalloc memory).
    pub(crate) fn ctx_is_dma_capable(&self) -> bool {
        // SAFETY: `virt_addr_valid` only computes on the address.
        unsafe { bindings::vcrs_virt_addr_valid(self.ctx().cast()) }
    }

    /// Starts a message in software.
    pub(crate) fn soft_init(&mut self) -> Result {
        // SAFETY: The transform is live; `desc` is the request's descriptor space (desc
        // header plus the software hash's state size, type invariant).
        to_result(unsafe { bindings::vcrs_soft_hash_init(self.soft.as_ptr(), self.desc()) })
    }

    /// Adds the first `len` bytes of the buffer to the software message.
    pub(crate) fn soft_update_buffer(&mut self, len: usize) -> Result {
        if len > self.layout.buffer_len {
            return Err(EINVAL);
        }
        if len == 0 {
            return Ok(());
        }
        let data = self.ctx().wrapping_add(self.layout.buffer);
        // SAFETY: The descriptor was initialized by `soft_init`/`soft_import` (the
        // algorithm's state says so); `data` holds `len` bytes and does not overlap it.
        to_result(unsafe { bindings::vcrs_soft_hash_update_buf(self.desc(), data, len as c_uint) })
    }

    /// Adds the request's data to the software message.
    pub(crate) fn soft_update(&mut self) -> Result {
        // SAFETY: The descriptor is initialized (as in `soft_update_buffer`); the request is
        // live with `nbytes` bytes of `src`.
        to_result(unsafe { bindings::vcrs_soft_hash_update_req(self.desc(), self.raw()) })
    }

    /// Ends the software message; the digest goes to the result.
    pub(crate) fn soft_final(&mut self) -> Result {
        // SAFETY: The descriptor is initialized; `result` holds the digest.
        to_result(unsafe { bindings::vcrs_soft_hash_final(self.desc(), (*self.raw()).result) })
    }

    /// Adds the request's data and ends the software message.
    pub(crate) fn soft_finup(&mut self) -> Result {
        // SAFETY: As in `soft_update` and `soft_final`.
        to_result(unsafe { bindings::vcrs_soft_hash_finup_req(self.desc(), self.raw()) })
    }

    /// The digest of the request's data alone, in software.
    pub(crate) fn soft_digest(&mut self) -> Result {
        // SAFETY: The transform is live; the descriptor space is ours (it is initialized
        // here); the request is live.
        to_result(unsafe {
            bindings::vcrs_soft_hash_digest_req(self.soft.as_ptr(), self.desc(), self.raw())
        })
    }

    /// Exports the software message's state into `out` (the state size).
    pub(crate) fn soft_export(&mut self, out: &mut [u8]) -> Result {
        if out.len() < self.layout.state_size {
            return Err(EINVAL);
        }
        // SAFETY: The descriptor is initialized; `out` holds the state size.
        to_result(unsafe {
            bindings::vcrs_soft_hash_export(self.desc(), out.as_mut_ptr().cast::<c_void>())
        })
    }

    /// Imports a software state from `input` (the state size).
    pub(crate) fn soft_import(&mut self, input: &[u8]) -> Result {
        if input.len() < self.layout.state_size {
            return Err(EINVAL);
        }
        // SAFETY: The transform is live; the descriptor space is ours (initialized here);
        // `input` holds the state size.
        to_result(unsafe {
            bindings::vcrs_soft_hash_import(
                self.soft.as_ptr(),
                self.desc(),
                input.as_ptr().cast::<c_void>(),
            )
        })
    }

    /// Wipes the software message's state (after its digest was taken).
    pub(crate) fn soft_wipe(&mut self) {
        // SAFETY: The descriptor space is ours; zeroing it is always allowed.
        unsafe { bindings::vcrs_soft_hash_zero(self.desc()) };
    }

    /// Moves the request into its job slot as part of the job `f` builds: the job owns the
    /// request, and no allocation is made.
    pub(crate) fn into_job<J: Job>(
        self,
        f: impl FnOnce(HashRequest<S>) -> J,
    ) -> Result<JobBox, Rejected> {
        let ctx = self.ctx().wrapping_add(self.layout.job);
        let room = self.layout.desc - self.layout.job;
        // SAFETY: `ctx` is the request's job slot: `room` bytes, 8-byte aligned, ours
        // alone, and free (the request itself moves into the job, so it carries one at a
        // time).
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

    /// Completes the request with `result`, handing it back to its submitter. Never call
    /// from hard-IRQ context.
    pub(crate) fn complete(self, result: Result) {
        self.base.complete(result);
    }
}

/// Our registration and transform context for a raw transform.
///
/// # Safety
///
/// `tfm` must be a live transform of an algorithm registered by [`register`] with `T`.
unsafe fn tfm_parts<'a, T: Ahash>(
    tfm: *mut bindings::crypto_ahash,
) -> (&'a AhashRegistration<T>, *mut TfmCtx<T>) {
    // SAFETY: The transform's algorithm is the `alg` of our registration, which outlives
    // its transforms.
    unsafe {
        let reg = AhashRegistration::<T>::from_raw(bindings::vcrs_crypto_ahash_alg(tfm));
        (
            reg,
            bindings::vcrs_crypto_ahash_ctx(tfm).cast::<TfmCtx<T>>(),
        )
    }
}

/// `ahash_alg.init_tfm`: creates the transform state and sizes its requests.
///
/// # Safety
///
/// Called by the Crypto API with a new transform of an algorithm registered by
/// [`register`] with `T`, whose context is uninitialized.
unsafe extern "C" fn init_tfm_callback<T: Ahash>(tfm: *mut bindings::crypto_ahash) -> c_int {
    // SAFETY: Called for a new transform of our algorithm; the context is `cra_ctxsize` =
    // `size_of::<TfmCtx<T>>()` bytes, suitably aligned, not yet initialized.
    let (reg, ctx) = unsafe { tfm_parts::<T>(tfm) };
    let alg = reg.algorithm();
    // SAFETY: The transform is live.
    let digest_size = unsafe { bindings::vcrs_crypto_ahash_digestsize(tfm) } as usize;
    let made = alg.init_tfm().and_then(|inner| {
        let layout = CtxLayout::new(alg, T::soft(&inner), digest_size)?;
        let req_size = layout.req_size()?;
        let state_size = u32::try_from(layout.state_size).map_err(|_| EINVAL)?;
        Ok((TfmCtx { layout, inner }, req_size, state_size))
    });
    match made {
        Ok((state, req_size, state_size)) => {
            // SAFETY: See above; `exit_tfm_callback` drops it. Setting the request and
            // state sizes is what an init callback is for.
            unsafe {
                ctx.write(state);
                bindings::vcrs_crypto_ahash_set_reqsize(tfm, req_size);
                bindings::vcrs_crypto_ahash_set_statesize(tfm, state_size);
            }
            0
        }
        Err(e) => e.to_errno(),
    }
}

/// `ahash_alg.exit_tfm`: drops the transform state.
///
/// # Safety
///
/// Called once by the Crypto API for a transform whose `init_tfm_callback` succeeded.
unsafe extern "C" fn exit_tfm_callback<T: Ahash>(tfm: *mut bindings::crypto_ahash) {
    // SAFETY: Called once per transform whose init succeeded.
    unsafe {
        let (_, ctx) = tfm_parts::<T>(tfm);
        core::ptr::drop_in_place(ctx);
    }
}

/// `ahash_alg.setkey`.
///
/// # Safety
///
/// Called by the Crypto API with an initialized transform of ours, no request running on
/// it, and a key of `keylen` readable bytes.
unsafe extern "C" fn setkey_callback<T: Ahash>(
    tfm: *mut bindings::crypto_ahash,
    key: *const u8,
    keylen: c_uint,
) -> c_int {
    // SAFETY: The transform is live and initialized; no request runs during setkey, so the
    // `&mut` is exclusive; `key` holds `keylen` bytes (or is unused when `keylen` is 0).
    let result = unsafe {
        let (reg, ctx) = tfm_parts::<T>(tfm);
        let key = match keylen {
            0 => &[],
            n => core::slice::from_raw_parts(key, n as usize),
        };
        reg.algorithm().set_key(&mut (*ctx).inner, key)
    };
    errno::to_c(result)
}

/// Wraps a raw request for `T`.
///
/// # Safety
///
/// `req` must be a live request on an initialized transform of our algorithm.
unsafe fn request_parts<'a, T: Ahash>(
    req: *mut bindings::ahash_request,
) -> (&'a T, &'a T::Tfm, HashRequest<T::State>) {
    // SAFETY: Per the caller; requests only read the transform state (`&`).
    unsafe {
        let tfm = bindings::vcrs_crypto_ahash_reqtfm(req);
        let (reg, ctx) = tfm_parts::<T>(tfm);
        let ctx = &*ctx;
        let request = HashRequest {
            ptr: NonNull::new_unchecked(req),
            base: AsyncRequest::from_raw(NonNull::new_unchecked(core::ptr::addr_of_mut!(
                (*req).base
            ))),
            layout: ctx.layout,
            soft: NonNull::new_unchecked(T::soft(&ctx.inner).as_raw()),
            _state: PhantomData,
        };
        (reg.algorithm(), &ctx.inner, request)
    }
}

macro_rules! request_callback {
    ($name:ident, $method:ident, $what:literal) => {
        #[doc = concat!("`ahash_alg.", $what, "`.")]
        ///
        /// # Safety
        ///
        /// Called by the Crypto API with a live request on an initialized transform of ours.
        unsafe extern "C" fn $name<T: Ahash>(req: *mut bindings::ahash_request) -> c_int {
            // SAFETY: The Crypto API calls this with a live request on one of our transforms.
            let (alg, tfm, request) = unsafe { request_parts::<T>(req) };
            let base = request.base().raw();
            submitted_to_errno(base, alg.$method(tfm, request))
        }
    };
}

request_callback!(init_callback, init, "init");
request_callback!(update_callback, update, "update");
request_callback!(final_callback, finish, "final");
request_callback!(finup_callback, finup, "finup");
request_callback!(digest_callback, digest, "digest");

/// `ahash_alg.export`.
///
/// # Safety
///
/// Called by the Crypto API with a live request on an initialized transform of ours and
/// `out` holding the transform's state size.
unsafe extern "C" fn export_callback<T: Ahash>(
    req: *mut bindings::ahash_request,
    out: *mut c_void,
) -> c_int {
    // SAFETY: The Crypto API calls this with a live request on one of our transforms and a
    // buffer of the transform's state size, which the layout recorded.
    let result = unsafe {
        let (alg, tfm, mut request) = request_parts::<T>(req);
        let out = core::slice::from_raw_parts_mut(out.cast::<u8>(), request.layout.state_size);
        alg.export(tfm, &mut request, out)
    };
    errno::to_c(result)
}

/// `ahash_alg.import`.
///
/// # Safety
///
/// Called by the Crypto API with a live request on an initialized transform of ours and
/// `input` holding the transform's state size.
unsafe extern "C" fn import_callback<T: Ahash>(
    req: *mut bindings::ahash_request,
    input: *const c_void,
) -> c_int {
    // SAFETY: As in `export_callback`.
    let result = unsafe {
        let (alg, tfm, mut request) = request_parts::<T>(req);
        let input = core::slice::from_raw_parts(input.cast::<u8>(), request.layout.state_size);
        alg.import(tfm, &mut request, input)
    };
    errno::to_c(result)
}
