// SPDX-License-Identifier: GPL-2.0

//! Authenticated encryption (`struct aead_alg`): the [`Aead`] trait an algorithm
//! implements, the [`Request`] handle it completes, [`register`] (unregistered when the
//! registration is dropped), and [`split_authenc_key`] for authenc key blobs. The
//! callbacks are the generic ones of [`super::adapter`].
//!
//! A request's context holds either the algorithm's job ([`Aead::ReqCtx`], on the device)
//! or the software implementation's sub-request ([`Request::run_in_software`]), never
//! both: `reqsize` is the larger of the two. Both need the request by value, which a job
//! holding it rules out.

use super::{
    adapter::{self, Adapter, Tfm},
    registration::Registration,
    soft_aead::SoftAead,
    AlgBase, Decrypt, Encrypt, Rejected, Submitted,
};
use crate::kernel_api::{
    bindings,
    job::{self, Job},
    scatterlist::SgList,
};
use kernel::{
    error::to_result,
    ffi::{c_int, c_uint},
    prelude::*,
    ThisModule,
};

/// An AEAD algorithm, with per-transform state of type [`Aead::Tfm`].
pub(crate) trait Aead: Send + Sync + Sized + 'static {
    /// State of one transform (one user's key and tag length).
    type Tfm: Send + Sync;

    /// State of one request on the device, placed in the request's own context memory
    /// by [`adapter::Request::into_job`].
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

/// The aead algorithm type.
pub(crate) struct AeadType;

/// What an AEAD request knows of its transform.
#[derive(Clone, Copy)]
pub(crate) struct AeadReqInfo {
    ivsize: usize,
    authsize: usize,
    ctx_size: usize,
}

adapter::impl_alg_type! {
    impl[] AlgType for AeadType {
        raw: bindings::aead_alg, bindings::crypto_aead, bindings::aead_request;
        info: AeadReqInfo;
        register: crypto_register_aead, crypto_unregister_aead;
        base: base;
        tfm: vcrs_crypto_aead_alg, vcrs_crypto_aead_ctx, vcrs_crypto_aead_set_reqsize;
        req: vcrs_crypto_aead_reqtfm, vcrs_aead_request_ctx;
        // The whole request context: the job, or (by value only) the software sub-request.
        job_slot: |info| (0, info.ctx_size);
    }
}

impl<T: Aead> super::sealed::Sealed<AeadType> for T {}

impl<T: Aead> Adapter<AeadType> for T {
    type TfmCtx = T::Tfm;

    fn init_tfm(&self, _tfm: &Tfm<AeadType>) -> Result<(T::Tfm, usize)> {
        let state = Aead::init_tfm(self)?;
        let size =
            job::ctx_size::<T::ReqCtx>().max(T::soft(&state).map_or(0, SoftAead::request_size));
        Ok((state, size))
    }

    fn set_key(&self, ctx: &mut T::Tfm, _tfm: &Tfm<AeadType>, key: &[u8]) -> Result {
        Aead::set_key(self, ctx, key)
    }

    fn request_info(_ctx: &T::Tfm, tfm: &Tfm<AeadType>) -> AeadReqInfo {
        let raw = tfm.as_raw();
        // SAFETY: The transform is live (`Tfm`'s invariant).
        unsafe {
            AeadReqInfo {
                ivsize: bindings::vcrs_crypto_aead_ivsize(raw) as usize,
                authsize: bindings::vcrs_crypto_aead_authsize(raw) as usize,
                // The size `init_tfm` set.
                ctx_size: bindings::vcrs_crypto_aead_reqsize(raw) as usize,
            }
        }
    }
}

adapter::impl_cipher_ops!(AeadType, Aead);

/// `aead_alg.setauthsize`.
///
/// # Safety
///
/// Called by the Crypto API with an initialized transform of ours and no request on it.
unsafe extern "C" fn setauthsize_callback<T: Aead>(
    tfm: *mut bindings::crypto_aead,
    authsize: c_uint,
) -> c_int {
    // SAFETY: The transform is initialized (the generic init ran); no request runs on it
    // (a Crypto API rule), so the `&mut` is exclusive.
    let result = unsafe {
        let (alg, _, ctx) = adapter::tfm_parts::<AeadType, T>(tfm);
        alg.set_authsize(&mut *ctx, authsize as usize)
    };
    crate::kernel_api::errno::to_c(result)
}

/// A registered aead algorithm.
pub(crate) type AeadRegistration<T> = Registration<AeadType, T>;

/// Registers `algorithm` under `info`. Registration starts the Crypto API's self-tests,
/// which call back into `algorithm` (until they end, their transforms hold the algorithm).
pub(crate) fn register<T: Aead>(
    info: &AeadInfo,
    algorithm: T,
    module: &'static ThisModule,
) -> Result<AeadRegistration<T>> {
    const { adapter::assert_aligned::<T::Tfm, T::ReqCtx>() };
    let mut alg = bindings::aead_alg {
        setkey: Some(adapter::setkey_callback::<AeadType, T>),
        setauthsize: Some(setauthsize_callback::<T>),
        encrypt: adapter::request_fn::<AeadType, T, Encrypt>(),
        decrypt: adapter::request_fn::<AeadType, T, Decrypt>(),
        init: Some(adapter::init_callback::<AeadType, T>),
        exit: Some(adapter::exit_callback::<AeadType, T>),
        ivsize: info.ivsize,
        maxauthsize: info.maxauthsize,
        chunksize: info.chunksize,
        ..Default::default()
    };
    info.base.fill(
        &mut alg.base,
        adapter::tfm_ctx_size::<AeadType, T>(),
        module,
    )?;
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

/// An in-flight AEAD request (`struct aead_request`): its IV holds `ivsize` bytes, its
/// scatterlists are valid for `assoclen + cryptlen` bytes (and the tag the operation
/// writes).
pub(crate) type Request = adapter::Request<AeadType>;

adapter::impl_cipher_accessors!(AeadType);

impl Request {
    /// Bytes of associated data at the start of the source (and destination).
    pub(crate) fn assoclen(&self) -> usize {
        // SAFETY: The request is live (type invariant).
        unsafe { (*self.as_raw()).assoclen as usize }
    }

    /// The transform's tag length.
    pub(crate) fn authsize(&self) -> usize {
        self.info().authsize
    }

    /// Runs the request to the end on `soft`, the transform's software implementation
    /// (same key and tag length), with its sub-request in this request's context; gives
    /// the request back with the result. By value: a request in a job cannot get here, so
    /// the sub-request never overwrites a job.
    pub(crate) fn run_in_software(self, soft: &SoftAead, encrypt: bool) -> (Self, Result) {
        let raw = soft.as_raw();
        // SAFETY: The software transform is live (`SoftAead`'s invariant).
        let (ivsize, authsize) = unsafe {
            (
                bindings::vcrs_crypto_aead_ivsize(raw) as usize,
                bindings::vcrs_crypto_aead_authsize(raw) as usize,
            )
        };
        // The software reads its IV size at the request's IV and writes its tag length into
        // the request's lists, sized for the request's: they must agree.
        let info = self.info();
        if soft.request_size() > info.ctx_size || ivsize != info.ivsize || authsize != info.authsize
        {
            return (self, Err(EINVAL));
        }
        // SAFETY: The request is live; its context (`ctx_size` bytes, enough for the
        // sub-request, checked above) holds no job, since we hold the request by value;
        // the call is synchronous.
        let result = to_result(unsafe {
            bindings::vcrs_soft_aead_crypt(soft.as_raw(), self.as_raw(), encrypt)
        });
        (self, result)
    }
}
