// SPDX-License-Identifier: GPL-2.0

//! Authenticated encryption (`struct aead_alg`): the [`Aead`] trait an algorithm
//! implements, the [`Request`] handle it completes, [`register`] (unregistered when the
//! registration is dropped), and [`split_authenc_key`] for authenc key blobs.
//!
//! A request's context holds either the algorithm's job ([`Aead::ReqCtx`], on the device)
//! or the software implementation's sub-request ([`Request::run_in_software`]), never
//! both: `reqsize` is the larger of the two.

use super::{
    place_job, registration::AlgType, registration::Registration, soft_aead::SoftAead,
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
    ffi::{c_int, c_uint},
    prelude::*,
    sync::Arc,
    ThisModule,
};

/// An AEAD algorithm, with per-transform state of type [`Aead::Tfm`].
pub(crate) trait Aead: Send + Sync + Sized + 'static {
    /// State of one transform (one user's key and tag length).
    type Tfm: Send + Sync;

    /// State of one request on the device, placed in the request's own context memory
    /// by [`Request::into_job`].
    type ReqCtx: Job;

    /// Creates the state of a new transform. Process context.
    fn init_tfm(&self) -> Result<Self::Tfm>;

    /// The transform's software implementation (it sizes the request context).
    fn soft(tfm: &Self::Tfm) -> Option<&SoftAead>;

    /// Sets the key. No request runs on the transform meanwhile. Process context.
    fn set_key(&self, tfm: &mut Self::Tfm, key: &[u8]) -> Result;

    /// Sets the tag length. No request runs on the transform meanwhile. Process context.
    fn set_authsize(&self, tfm: &mut Self::Tfm, authsize: usize) -> Result;

    /// Starts an encryption. May run in atomic context. Ends with the request finished,
    /// refused, or in progress.
    fn encrypt(&self, tfm: &Self::Tfm, req: Request) -> Result<Submitted, Rejected>;

    /// Starts a decryption, under the same rules as [`Aead::encrypt`].
    fn decrypt(&self, tfm: &Self::Tfm, req: Request) -> Result<Submitted, Rejected>;
}

/// What an aead registration says beyond [`AlgBase`].
pub(crate) struct AeadInfo {
    /// Names, priority, block size, flags.
    pub(crate) base: AlgBase,
    /// IV size in bytes.
    pub(crate) ivsize: u32,
    /// Largest tag in bytes (also the default tag length).
    pub(crate) maxauthsize: u32,
    /// Step size of the underlying cipher.
    pub(crate) chunksize: u32,
}

/// The aead algorithm type, with the driver's implementation `T`.
pub(crate) struct AeadType<T>(PhantomData<T>);

// SAFETY: The aead registration functions, and `base` returns the embedded `crypto_alg`.
unsafe impl<T: Aead> AlgType for AeadType<T> {
    type Raw = bindings::aead_alg;
    type Algorithm = T;

    unsafe fn register(raw: *mut Self::Raw) -> c_int {
        // SAFETY: Per the trait's contract.
        unsafe { bindings::crypto_register_aead(raw) }
    }

    unsafe fn unregister(raw: *mut Self::Raw) {
        // SAFETY: Per the trait's contract.
        unsafe { bindings::crypto_unregister_aead(raw) }
    }

    fn base(raw: *mut Self::Raw) -> *mut bindings::crypto_alg {
        // SAFETY: Only the address of the field is computed.
        unsafe { core::ptr::addr_of_mut!((*raw).base) }
    }
}

/// A registered aead algorithm.
pub(crate) type AeadRegistration<T> = Registration<AeadType<T>>;

/// Registers `algorithm` under `info`; returns once the Crypto API's self-tests ran.
pub(crate) fn register<T: Aead>(
    info: &AeadInfo,
    algorithm: T,
    module: &'static ThisModule,
) -> Result<Arc<AeadRegistration<T>>> {
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
    let mut alg = bindings::aead_alg {
        setkey: Some(setkey_callback::<T>),
        setauthsize: Some(setauthsize_callback::<T>),
        encrypt: Some(encrypt_callback::<T>),
        decrypt: Some(decrypt_callback::<T>),
        init: Some(init_callback::<T>),
        exit: Some(exit_callback::<T>),
        ivsize: info.ivsize,
        maxauthsize: info.maxauthsize,
        chunksize: info.chunksize,
        ..Default::default()
    };
    info.base
        .fill(&mut alg.base, core::mem::size_of::<T::Tfm>(), module)?;
    Registration::new(alg, algorithm)
}

/// Splits an authenc key blob (`crypto_authenc_extractkeys`: an rtattr with the cipher
/// key's length, the MAC key, the cipher key) into the cipher key and the MAC key;
/// `EINVAL` for a malformed blob, as the generic authenc.
pub(crate) fn split_authenc_key(key: &[u8]) -> Result<(&[u8], &[u8])> {
    let len = u32::try_from(key.len()).map_err(|_| EINVAL)?;
    let (mut enc, mut enc_len, mut auth, mut auth_len) =
        (core::ptr::null(), 0u32, core::ptr::null(), 0u32);
    // SAFETY: `key` holds `len` bytes; the outputs are written on success only, with
    // pointers into `key`.
    to_result(unsafe {
        bindings::vcrs_authenc_split_key(
            key.as_ptr(),
            len,
            &mut enc,
            &mut enc_len,
            &mut auth,
            &mut auth_len,
        )
    })?;
    let offset = |p: *const u8| (p as usize).checked_sub(key.as_ptr() as usize);
    let part = |p: *const u8, n: u32| {
        let start = offset(p).ok_or(EINVAL)?;
        key.get(start..start.checked_add(n as usize).ok_or(EINVAL)?)
            .ok_or(EINVAL)
    };
    Ok((part(enc, enc_len)?, part(auth, auth_len)?))
}

/// An in-flight request (`struct aead_request`), owned by the driver from the moment
/// `encrypt`/`decrypt` accepts it until it is completed.
///
/// # Invariants
///
/// `ptr` is a live request whose submitter waits for its completion; its `iv` holds
/// `ivsize` bytes, its scatterlists are valid for `assoclen + cryptlen` bytes (and the
/// tag the operation writes), its transform's tag length is `authsize`, and its context
/// holds `ctx_size` bytes (8-byte aligned) that only this driver uses.
pub(crate) struct Request {
    ptr: NonNull<bindings::aead_request>,
    base: AsyncRequest,
    ivsize: usize,
    authsize: usize,
    ctx_size: usize,
}

// SAFETY: A request may be completed from any thread; the driver owns it exclusively.
unsafe impl Send for Request {}
// SAFETY: Shared references only read request fields the submitter does not change while
// the request is ours.
unsafe impl Sync for Request {}

impl Request {
    fn raw(&self) -> *mut bindings::aead_request {
        self.ptr.as_ptr()
    }

    /// What every request type shares: flags and completion.
    pub(crate) fn base(&self) -> &AsyncRequest {
        &self.base
    }

    /// Bytes of associated data at the start of the source (and destination).
    pub(crate) fn assoclen(&self) -> usize {
        // SAFETY: The request is live (type invariant).
        unsafe { (*self.raw()).assoclen as usize }
    }

    /// Bytes of plaintext (encryption) or of ciphertext and tag (decryption) after the
    /// associated data.
    pub(crate) fn cryptlen(&self) -> usize {
        // SAFETY: The request is live (type invariant).
        unsafe { (*self.raw()).cryptlen as usize }
    }

    /// The transform's tag length.
    pub(crate) fn authsize(&self) -> usize {
        self.authsize
    }

    /// The source: associated data, then the data.
    pub(crate) fn src(&self) -> &SgList {
        // SAFETY: The request is live and its `src` list is valid while we own it.
        unsafe { SgList::from_raw((*self.raw()).src) }
    }

    /// The destination (the same list as [`Self::src`] for an in-place request).
    pub(crate) fn dst(&self) -> &SgList {
        // SAFETY: The request is live and its `dst` list is valid while we own it.
        unsafe { SgList::from_raw((*self.raw()).dst) }
    }

    /// The IV.
    pub(crate) fn iv(&self) -> &[u8] {
        if self.ivsize == 0 {
            return &[];
        }
        // SAFETY: `iv` holds `ivsize` bytes (type invariant), owned by the submitter.
        unsafe { core::slice::from_raw_parts((*self.raw()).iv, self.ivsize) }
    }

    /// Runs the request to the end on `soft`, the transform's software implementation
    /// (same key and tag length), with its sub-request in this request's context.
    pub(crate) fn run_in_software(&self, soft: &SoftAead, encrypt: bool) -> Result {
        if soft.request_size() > self.ctx_size {
            return Err(EINVAL);
        }
        // SAFETY: The request is live; its context (`ctx_size` bytes, enough for the
        // sub-request, checked above) holds no job, since the request is not in one while
        // we hold it by value or reference outside a job; the call is synchronous.
        to_result(unsafe { bindings::vcrs_soft_aead_crypt(soft.as_raw(), self.raw(), encrypt) })
    }

    /// Moves the request into its own context memory as part of the job `f` builds (no
    /// allocation). Refused with `EINVAL` if `J` does not fit the context.
    pub(crate) fn into_job<J: Job>(self, f: impl FnOnce(Request) -> J) -> Result<JobBox, Rejected> {
        // SAFETY: The request is live (type invariant).
        let ctx = unsafe { bindings::vcrs_aead_request_ctx(self.raw()) }.cast::<u8>();
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

    /// Completes the request with `result`; never call from hard-IRQ context.
    pub(crate) fn complete(self, result: Result) {
        self.base.complete(result);
    }
}

/// Our registration and transform state for a raw transform.
///
/// # Safety
///
/// `tfm` must be a live transform of an algorithm registered by [`register`] with `T`.
unsafe fn tfm_parts<'a, T: Aead>(
    tfm: *mut bindings::crypto_aead,
) -> (&'a AeadRegistration<T>, *mut T::Tfm) {
    // SAFETY: The transform's algorithm is the `alg` of our registration, which outlives
    // its transforms.
    unsafe {
        let reg = AeadRegistration::<T>::from_raw(bindings::vcrs_crypto_aead_alg(tfm));
        (reg, bindings::vcrs_crypto_aead_ctx(tfm).cast::<T::Tfm>())
    }
}

/// `aead_alg.init`: creates the transform state and sizes the request context.
///
/// # Safety
///
/// Called by the Crypto API with a new transform of our algorithm, context uninitialized.
unsafe extern "C" fn init_callback<T: Aead>(tfm: *mut bindings::crypto_aead) -> c_int {
    // SAFETY: A new transform of ours; the context is `cra_ctxsize` bytes, aligned.
    let (reg, ctx) = unsafe { tfm_parts::<T>(tfm) };
    match reg.algorithm().init_tfm() {
        Ok(state) => {
            let reqsize =
                job::ctx_size::<T::ReqCtx>().max(T::soft(&state).map_or(0, SoftAead::request_size));
            // SAFETY: See above; `exit_callback` drops it.
            unsafe {
                ctx.write(state);
                bindings::vcrs_crypto_aead_set_reqsize(tfm, reqsize as u32);
            }
            0
        }
        Err(e) => e.to_errno(),
    }
}

/// `aead_alg.exit`: drops the transform state.
///
/// # Safety
///
/// Called once by the Crypto API for a transform whose `init_callback` succeeded.
unsafe extern "C" fn exit_callback<T: Aead>(tfm: *mut bindings::crypto_aead) {
    // SAFETY: Called once per transform whose `init_callback` succeeded.
    unsafe {
        let (_, ctx) = tfm_parts::<T>(tfm);
        core::ptr::drop_in_place(ctx);
    }
}

/// `aead_alg.setkey`.
///
/// # Safety
///
/// Called with an initialized transform of ours, no request on it, `keylen` bytes at `key`.
unsafe extern "C" fn setkey_callback<T: Aead>(
    tfm: *mut bindings::crypto_aead,
    key: *const u8,
    keylen: c_uint,
) -> c_int {
    // SAFETY: The transform is live and initialized; no concurrent requests (Crypto API
    // rule), so the `&mut` is exclusive; `key` holds `keylen` bytes.
    let result = unsafe {
        let (reg, ctx) = tfm_parts::<T>(tfm);
        let key = core::slice::from_raw_parts(key, keylen as usize);
        reg.algorithm().set_key(&mut *ctx, key)
    };
    errno::to_c(result)
}

/// `aead_alg.setauthsize`.
///
/// # Safety
///
/// Called with an initialized transform of ours and no request on it.
unsafe extern "C" fn setauthsize_callback<T: Aead>(
    tfm: *mut bindings::crypto_aead,
    authsize: c_uint,
) -> c_int {
    // SAFETY: As in `setkey_callback`.
    let result = unsafe {
        let (reg, ctx) = tfm_parts::<T>(tfm);
        reg.algorithm().set_authsize(&mut *ctx, authsize as usize)
    };
    errno::to_c(result)
}

/// Wraps a raw request for `T`'s `encrypt`/`decrypt`.
///
/// # Safety
///
/// `req` must be a live request on an initialized transform of our algorithm.
unsafe fn request_parts<'a, T: Aead>(
    req: *mut bindings::aead_request,
) -> (&'a T, &'a T::Tfm, Request) {
    // SAFETY: Per the caller; requests only read the transform state (`&`).
    unsafe {
        let tfm = bindings::vcrs_crypto_aead_reqtfm(req);
        let (reg, ctx) = tfm_parts::<T>(tfm);
        let state = &*ctx;
        let request = Request {
            ptr: NonNull::new_unchecked(req),
            base: AsyncRequest::from_raw(NonNull::new_unchecked(core::ptr::addr_of_mut!(
                (*req).base
            ))),
            ivsize: bindings::vcrs_crypto_aead_ivsize(tfm) as usize,
            authsize: bindings::vcrs_crypto_aead_authsize(tfm) as usize,
            // The size `init_callback` set.
            ctx_size: bindings::vcrs_crypto_aead_reqsize(tfm) as usize,
        };
        (reg.algorithm(), state, request)
    }
}

/// `aead_alg.encrypt`.
///
/// # Safety
///
/// Called by the Crypto API with a live request on an initialized transform of ours.
unsafe extern "C" fn encrypt_callback<T: Aead>(req: *mut bindings::aead_request) -> c_int {
    // SAFETY: The Crypto API calls this with a live request on one of our transforms.
    let (alg, tfm, request) = unsafe { request_parts::<T>(req) };
    let base = request.base().raw();
    submitted_to_errno(base, alg.encrypt(tfm, request))
}

/// `aead_alg.decrypt`.
///
/// # Safety
///
/// Called by the Crypto API with a live request on an initialized transform of ours.
unsafe extern "C" fn decrypt_callback<T: Aead>(req: *mut bindings::aead_request) -> c_int {
    // SAFETY: The Crypto API calls this with a live request on one of our transforms.
    let (alg, tfm, request) = unsafe { request_parts::<T>(req) };
    let base = request.base().raw();
    submitted_to_errno(base, alg.decrypt(tfm, request))
}
