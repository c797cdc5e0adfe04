// SPDX-License-Identifier: GPL-2.0

//! Asynchronous symmetric ciphers (`struct skcipher_alg`): the [`Skcipher`] trait an
//! algorithm implements, the [`Request`] handle it completes, and [`register`], which
//! registers the algorithm (unregistered when the registration is dropped). The callbacks
//! are the generic ones of [`super::adapter`].

use super::{
    adapter::{self, Adapter, Tfm},
    registration::Registration,
    AlgBase, Decrypt, Encrypt, Rejected, Submitted,
};
use crate::kernel_api::{
    bindings,
    job::{self, Job},
    scatterlist::SgList,
};
use kernel::{prelude::*, ThisModule};

/// A cipher algorithm, with per-transform state of type [`Skcipher::Tfm`].
pub(crate) trait Skcipher: Send + Sync + Sized + 'static {
    /// State of one transform (one user's key), stored in the Crypto API's tfm context.
    type Tfm: Send + Sync;

    /// State of one request on the device, which [`adapter::Request::into_job`] places in
    /// the request's own context memory (`reqsize`), so that requests need no allocation.
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

/// The skcipher algorithm type.
pub(crate) struct SkcipherType;

/// What a cipher request knows of its transform.
#[derive(Clone, Copy)]
pub(crate) struct SkcipherReqInfo {
    ivsize: usize,
    ctx_size: usize,
}

adapter::impl_alg_type! {
    impl[] AlgType for SkcipherType {
        raw: bindings::skcipher_alg, bindings::crypto_skcipher, bindings::skcipher_request;
        info: SkcipherReqInfo;
        register: crypto_register_skcipher, crypto_unregister_skcipher;
        base: __bindgen_anon_1.co.base;
        tfm: vcrs_crypto_skcipher_alg, vcrs_crypto_skcipher_ctx, vcrs_crypto_skcipher_set_reqsize;
        req: vcrs_crypto_skcipher_reqtfm, vcrs_skcipher_request_ctx;
        // The whole request context, which holds nothing else.
        job_slot: |info| (0, info.ctx_size);
    }
}

impl Tfm<SkcipherType> {
    /// The transform's IV size.
    fn ivsize(&self) -> usize {
        // SAFETY: The transform is live (type invariant).
        unsafe { bindings::vcrs_crypto_skcipher_ivsize(self.as_raw()) as usize }
    }

    /// The generic implementation's check `check` of `key` (weak-key policy included: the
    /// transform's flags say whether weak keys are forbidden).
    fn check_key(&self, check: KeyCheck, key: &[u8]) -> Result {
        let len = u32::try_from(key.len()).map_err(|_| EINVAL)?;
        // SAFETY: The transform is live (type invariant); `key` holds `len` bytes.
        kernel::error::to_result(unsafe {
            match check {
                KeyCheck::Des3 if key.len() == 24 => {
                    bindings::vcrs_verify_des3_key(self.as_raw(), key.as_ptr())
                }
                KeyCheck::Xts => bindings::vcrs_verify_xts_key(self.as_raw(), key.as_ptr(), len),
                _ => 0,
            }
        })
    }
}

impl<T: Skcipher> super::sealed::Sealed<SkcipherType> for T {}

impl<T: Skcipher> Adapter<SkcipherType> for T {
    type TfmCtx = T::Tfm;

    fn init_tfm(&self, _tfm: &Tfm<SkcipherType>) -> Result<(T::Tfm, usize)> {
        Ok((Skcipher::init_tfm(self)?, job::ctx_size::<T::ReqCtx>()))
    }

    fn set_key(&self, ctx: &mut T::Tfm, tfm: &Tfm<SkcipherType>, key: &[u8]) -> Result {
        tfm.check_key(self.key_check(), key)?;
        Skcipher::set_key(self, ctx, key)
    }

    fn request_info(_ctx: &T::Tfm, tfm: &Tfm<SkcipherType>) -> SkcipherReqInfo {
        SkcipherReqInfo {
            ivsize: tfm.ivsize(),
            ctx_size: job::ctx_size::<T::ReqCtx>(),
        }
    }
}

adapter::impl_cipher_ops!(SkcipherType, Skcipher);

/// A registered skcipher algorithm.
pub(crate) type SkcipherRegistration<T> = Registration<SkcipherType, T>;

/// Registers `algorithm` under `info`. Registration starts the Crypto API's self-tests,
/// which call back into `algorithm` (until they end, their transforms hold the algorithm).
pub(crate) fn register<T: Skcipher>(
    info: &SkcipherInfo,
    algorithm: T,
    module: &'static ThisModule,
) -> Result<SkcipherRegistration<T>> {
    const { adapter::assert_aligned::<T::Tfm, T::ReqCtx>() };
    let mut alg = bindings::skcipher_alg {
        setkey: Some(adapter::setkey_callback::<SkcipherType, T>),
        encrypt: adapter::request_fn::<SkcipherType, T, Encrypt>(),
        decrypt: adapter::request_fn::<SkcipherType, T, Decrypt>(),
        init: Some(adapter::init_callback::<SkcipherType, T>),
        exit: Some(adapter::exit_callback::<SkcipherType, T>),
        ..Default::default()
    };
    // SAFETY: `alg` is zeroed (`Default`), and every variant of the union is plain data
    // for which zero is valid, so viewing it as `co` is sound.
    let co = unsafe { &mut alg.__bindgen_anon_1.co };
    co.min_keysize = info.min_keysize;
    co.max_keysize = info.max_keysize;
    co.ivsize = info.ivsize;
    co.chunksize = info.chunksize;
    info.base.fill(
        &mut co.base,
        adapter::tfm_ctx_size::<SkcipherType, T>(),
        module,
    )?;
    Registration::new(alg, algorithm)
}

/// An in-flight cipher request (`struct skcipher_request`); its IV holds `ivsize` bytes,
/// its scatterlists are valid for `cryptlen` bytes.
pub(crate) type Request = adapter::Request<SkcipherType>;

adapter::impl_cipher_accessors!(SkcipherType);

impl Request {
    /// The IV, to store the output IV (chaining value) before completion.
    pub(crate) fn iv_mut(&mut self) -> &mut [u8] {
        let ivsize = self.info().ivsize;
        if ivsize == 0 {
            return &mut [];
        }
        // SAFETY: As in `iv`; `&mut self` makes this the only access.
        unsafe { core::slice::from_raw_parts_mut((*self.as_raw()).iv, ivsize) }
    }
}
