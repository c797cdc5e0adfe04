// SPDX-License-Identifier: GPL-2.0

//! Asymmetric ciphers (`struct akcipher_alg`): the [`Akcipher`] trait an algorithm
//! implements, the [`Request`] handle it completes, and [`register`], which registers the
//! algorithm (unregistered when the registration is dropped).
//!
//! Every transform carries the kernel's software implementation of the same algorithm
//! ([`Akcipher::software_name`]), owned by this layer: a key goes to it first, so that a key
//! the generic code refuses fails with the generic errno, `max_size` is the generic
//! answer, and a request the device cannot take runs on it through a sub-request in the
//! request's own context ([`Request::run_in_software`]), whose size this layer computes
//! (the driver cannot get it wrong).

use super::{
    adapter::{self, Adapter, Tfm},
    registration::Registration,
    AlgBase, Decrypt, Encrypt, Rejected, Submitted,
};
use crate::kernel_api::{
    bindings, errno,
    job::{self, Job},
    scatterlist::SgList,
};
use core::ptr::NonNull;
use kernel::{
    error::{from_err_ptr, to_result},
    ffi::{c_int, c_uint, c_void},
    prelude::*,
    str::CStr,
    ThisModule,
};

/// Which half of a key pair a key is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum KeyKind {
    /// A public key (`set_pub_key`).
    Public,
    /// A private key (`set_priv_key`), which includes the public half.
    Private,
}

/// An asymmetric cipher algorithm, with per-transform state of type [`Akcipher::Tfm`].
pub(crate) trait Akcipher: Send + Sync + Sized + 'static {
    /// State of one transform (one user's key).
    type Tfm: Send + Sync;

    /// State of one request on the device, placed in the request's own context.
    type ReqCtx: Job<Kind = AkcipherType>;

    /// Name of the synchronous software implementation every transform carries (for
    /// example `rsa`): it checks keys first and serves what the device cannot.
    fn software_name(&self) -> &'static CStr;

    /// Creates the state of a new transform. Process context.
    fn init_tfm(&self) -> Result<Self::Tfm>;

    /// Sets a key the software implementation has accepted (`&mut`: no request runs on
    /// the transform meanwhile). Process context.
    fn set_key(&self, tfm: &mut Self::Tfm, key: &[u8], kind: KeyKind) -> Result;

    /// Starts a public-key operation. Ends with the request finished, refused or in
    /// progress. Called only if [`Akcipher::OPS`] says `crypt`.
    fn encrypt(&self, tfm: &Self::Tfm, req: Request) -> Result<Submitted, Rejected> {
        let _ = tfm;
        Err(req.reject(errno::enosys()))
    }

    /// Starts a private-key operation, under the same rules as [`Akcipher::encrypt`].
    fn decrypt(&self, tfm: &Self::Tfm, req: Request) -> Result<Submitted, Rejected> {
        let _ = tfm;
        Err(req.reject(errno::enosys()))
    }

    /// Which operations the algorithm has (the others are the Crypto API's default,
    /// `-ENOSYS`).
    const OPS: Ops;

    /// Starts a signature verification (the source holds the signature, then the digest;
    /// no destination), under the same rules as [`Akcipher::encrypt`]. Only where the
    /// akcipher type has `verify` ([`HAS_VERIFY`]), if [`Akcipher::OPS`] says so.
    fn verify(&self, tfm: &Self::Tfm, req: Request) -> Result<Submitted, Rejected> {
        let _ = tfm;
        Err(req.reject(errno::enosys()))
    }
}

/// Whether the akcipher type has `verify` (before 6.13; from 6.13 signatures are
/// `sig_alg`): an algorithm whose [`Ops`] say `verify` registers only where it does.
pub(crate) const HAS_VERIFY: bool = cfg!(not(vcrs_kernel_7));

/// The operations an akcipher algorithm registers, and what its `max_size` needs.
#[derive(Clone, Copy)]
pub(crate) struct Ops {
    /// `encrypt` and `decrypt`.
    pub(crate) crypt: bool,
    /// `verify` (ignored from 6.13, where the type has none).
    pub(crate) verify: bool,
    /// Whether the software's `max_size` needs a key (RSA's reads the modulus: without a
    /// key the layer answers 0; ECDSA's answers the curve's size).
    pub(crate) max_size_needs_key: bool,
}

/// The `verify` entry point (before 6.13).
pub(crate) struct Verify;

impl<T: Akcipher> adapter::Operation<AkcipherType, T> for Verify {
    fn run(alg: &T, tfm: &AkTfm<T::Tfm>, req: Request) -> Result<Submitted, Rejected> {
        alg.verify(&tfm.inner, req)
    }
}

/// The kernel's software implementation of an algorithm, freed on drop.
///
/// # Invariants
///
/// `tfm` is a live transform from `crypto_alloc_akcipher` of a synchronous implementation,
/// owned by `self`.
struct SoftAkcipher {
    tfm: NonNull<bindings::crypto_akcipher>,
}

// SAFETY: A transform may be used from any thread; key changes take `&mut self`.
unsafe impl Send for SoftAkcipher {}
// SAFETY: Requests (`&self`) may run concurrently on one transform.
unsafe impl Sync for SoftAkcipher {}

impl SoftAkcipher {
    /// The best synchronous implementation of `name`. Process context.
    fn new(name: &CStr) -> Result<Self> {
        // Synchronous ones only: never an asynchronous driver such as this one.
        // SAFETY: `name` is a valid C string; the result is a transform or an error pointer.
        let tfm = from_err_ptr(unsafe {
            bindings::crypto_alloc_akcipher(
                name.as_char_ptr(),
                0,
                bindings::CRYPTO_ALG_ASYNC | bindings::CRYPTO_ALG_NEED_FALLBACK,
            )
        })?;
        // INVARIANT: a live transform, owned by the new value.
        Ok(Self {
            tfm: NonNull::new(tfm).ok_or(ENOMEM)?,
        })
    }

    fn set_key(&mut self, key: &[u8], kind: KeyKind) -> Result {
        let len = u32::try_from(key.len()).map_err(|_| EINVAL)?;
        // SAFETY: The transform is live (type invariant); `key` holds `len` bytes.
        to_result(unsafe {
            bindings::vcrs_soft_akcipher_set_key(
                self.tfm.as_ptr(),
                key.as_ptr().cast(),
                len,
                kind == KeyKind::Private,
            )
        })
    }

    /// Bytes of request context a sub-request on this transform needs.
    fn subreq_size(&self) -> usize {
        // SAFETY: The transform is live (type invariant).
        unsafe { bindings::vcrs_soft_akcipher_subreq_size(self.tfm.as_ptr()) as usize }
    }
}

impl Drop for SoftAkcipher {
    fn drop(&mut self) {
        // SAFETY: The transform is ours and live (type invariant); nothing uses it after.
        unsafe { bindings::vcrs_soft_akcipher_free(self.tfm.as_ptr()) }
    }
}

/// A transform's context: the driver's state and the software implementation, with
/// whether a key is set on it (`max_size` needs one).
pub(crate) struct AkTfm<T> {
    inner: T,
    soft: SoftAkcipher,
    keyed: bool,
}

/// The akcipher algorithm type.
pub(crate) struct AkcipherType;

/// What an akcipher request knows of its transform: where the job slot ends, and the
/// software transform and its sub-request's place in the context.
#[derive(Clone, Copy)]
pub(crate) struct AkcipherReqInfo {
    job_size: usize,
    soft: NonNull<bindings::crypto_akcipher>,
    subreq_offset: usize,
    keyed: bool,
}

// SAFETY: The software transform outlives every request of its transform (requests end
// before the transform is freed, a Crypto API rule) and may be used from any thread.
unsafe impl Send for AkcipherReqInfo {}
// SAFETY: As for `Send`; the info itself is only read.
unsafe impl Sync for AkcipherReqInfo {}

adapter::impl_alg_type! {
    impl[] AlgType for AkcipherType {
        raw: bindings::akcipher_alg, bindings::crypto_akcipher, bindings::akcipher_request;
        info: AkcipherReqInfo;
        register: crypto_register_akcipher, crypto_unregister_akcipher;
        base: base;
        tfm: vcrs_crypto_akcipher_alg, vcrs_akcipher_tfm_ctx, vcrs_akcipher_set_reqsize;
        req: vcrs_crypto_akcipher_reqtfm, vcrs_akcipher_request_ctx;
        // The job first; the software sub-request after it.
        job_slot: |info| (0, info.job_size);
    }
}

/// Where the software sub-request starts in a request context after a job of `job_size`.
const fn subreq_offset(job_size: usize) -> usize {
    job_size.next_multiple_of(8)
}

impl<T: Akcipher> super::sealed::Sealed<AkcipherType> for T {}

impl<T: Akcipher> Adapter<AkcipherType> for T {
    type TfmCtx = AkTfm<T::Tfm>;

    fn init_tfm(&self, _tfm: &Tfm<AkcipherType>) -> Result<(AkTfm<T::Tfm>, usize)> {
        let soft = SoftAkcipher::new(self.software_name())?;
        let job_size = job::ctx_size::<T::ReqCtx>();
        let size = subreq_offset(job_size)
            .checked_add(soft.subreq_size())
            .ok_or(EINVAL)?;
        let inner = Akcipher::init_tfm(self)?;
        Ok((
            AkTfm {
                inner,
                soft,
                keyed: false,
            },
            size,
        ))
    }

    /// Not used: an akcipher has a callback per key kind ([`set_key_callback`]).
    fn set_key(&self, _ctx: &mut AkTfm<T::Tfm>, _tfm: &Tfm<AkcipherType>, _key: &[u8]) -> Result {
        Err(EINVAL)
    }

    fn request_info(ctx: &AkTfm<T::Tfm>, _tfm: &Tfm<AkcipherType>) -> AkcipherReqInfo {
        let job_size = job::ctx_size::<T::ReqCtx>();
        AkcipherReqInfo {
            job_size,
            soft: ctx.soft.tfm,
            subreq_offset: subreq_offset(job_size),
            keyed: ctx.keyed,
        }
    }
}

impl<T: Akcipher> adapter::Operation<AkcipherType, T> for Encrypt {
    fn run(alg: &T, tfm: &AkTfm<T::Tfm>, req: Request) -> Result<Submitted, Rejected> {
        alg.encrypt(&tfm.inner, req)
    }
}

impl<T: Akcipher> adapter::Operation<AkcipherType, T> for Decrypt {
    fn run(alg: &T, tfm: &AkTfm<T::Tfm>, req: Request) -> Result<Submitted, Rejected> {
        alg.decrypt(&tfm.inner, req)
    }
}

/// Sets a key of `kind`: on the software implementation first (its errno is the generic
/// one), then on the driver's state. After a failure the transform has no key for its
/// requests ([`Request::keyed`] is false), whatever the software kept.
///
/// # Safety
///
/// As [`adapter::setkey_callback`].
unsafe fn set_key_callback<T: Akcipher>(
    tfm: *mut bindings::crypto_akcipher,
    key: *const c_void,
    keylen: c_uint,
    kind: KeyKind,
) -> c_int {
    // SAFETY: The transform is initialized; the Crypto API forbids requests during a key
    // change, so the `&mut` is exclusive; `key` holds `keylen` bytes.
    let (alg, ctx, key) = unsafe {
        let (alg, _, ctx) = adapter::tfm_parts::<AkcipherType, T>(tfm);
        let key = match keylen {
            0 => &[][..],
            n => core::slice::from_raw_parts(key.cast::<u8>(), n as usize),
        };
        (alg, &mut *ctx, key)
    };
    ctx.keyed = false;
    let result = ctx
        .soft
        .set_key(key, kind)
        .and_then(|()| alg.set_key(&mut ctx.inner, key, kind));
    ctx.keyed = result.is_ok();
    crate::kernel_api::errno::to_c(result)
}

/// The `set_pub_key` callback.
///
/// # Safety
///
/// As [`adapter::setkey_callback`].
unsafe extern "C" fn set_pub_key_callback<T: Akcipher>(
    tfm: *mut bindings::crypto_akcipher,
    key: *const c_void,
    keylen: c_uint,
) -> c_int {
    // SAFETY: Per the caller.
    unsafe { set_key_callback::<T>(tfm, key, keylen, KeyKind::Public) }
}

/// The `set_priv_key` callback.
///
/// # Safety
///
/// As [`adapter::setkey_callback`].
unsafe extern "C" fn set_priv_key_callback<T: Akcipher>(
    tfm: *mut bindings::crypto_akcipher,
    key: *const c_void,
    keylen: c_uint,
) -> c_int {
    // SAFETY: Per the caller.
    unsafe { set_key_callback::<T>(tfm, key, keylen, KeyKind::Private) }
}

/// The `max_size` callback: the software implementation's answer for the same key (0
/// without a key where the software's answer needs one, which the generic code would
/// read through a null pointer).
///
/// # Safety
///
/// Called by the Crypto API with an initialized transform of ours.
unsafe extern "C" fn max_size_callback<T: Akcipher>(tfm: *mut bindings::crypto_akcipher) -> c_uint {
    // SAFETY: An initialized transform of ours (per the caller); only read.
    let ctx = unsafe { &*adapter::tfm_parts::<AkcipherType, T>(tfm).2 };
    if !ctx.keyed && T::OPS.max_size_needs_key {
        return 0;
    }
    // SAFETY: The software transform is live; it has a key, or its `max_size` needs none.
    unsafe { bindings::vcrs_soft_akcipher_max_size(ctx.soft.tfm.as_ptr()) }
}

/// What an akcipher registration says beyond [`AlgBase`].
pub(crate) struct AkcipherInfo {
    /// Names and priority (block size 0).
    pub(crate) base: AlgBase,
    /// Registered for the driver's own use (`CRYPTO_ALG_INTERNAL`): only a lookup that
    /// asks for internal algorithms finds it ([`encrypt_once`]).
    pub(crate) internal: bool,
}

/// Encrypts `src` into `dst` (all of it) with the public key `key` on the internal
/// akcipher algorithm whose driver name is `driver`, synchronously. Process context.
pub(crate) fn encrypt_once(driver: &CStr, key: &[u8], src: &[u8], dst: &mut [u8]) -> Result {
    let len = |b: &[u8]| u32::try_from(b.len()).map_err(|_| EINVAL);
    let (klen, slen, dlen) = (len(key)?, len(src)?, len(dst)?);
    // SAFETY: `driver` is a C string; `key`, `src` and `dst` hold the lengths given, and
    // `dst` is exclusively borrowed.
    to_result(unsafe {
        bindings::vcrs_akcipher_encrypt_once(
            driver.as_char_ptr(),
            key.as_ptr().cast(),
            klen,
            src.as_ptr().cast(),
            slen,
            dst.as_mut_ptr().cast(),
            dlen,
        )
    })
}

/// A registered akcipher algorithm.
pub(crate) type AkcipherRegistration<T> = Registration<AkcipherType, T>;

/// Registers `algorithm` under `info`. Registration starts the Crypto API's self-tests
/// (none for an internal algorithm).
pub(crate) fn register<T: Akcipher>(
    info: &AkcipherInfo,
    algorithm: T,
    module: &'static ThisModule,
) -> Result<AkcipherRegistration<T>> {
    const { adapter::assert_aligned::<AkTfm<T::Tfm>, T::ReqCtx>() };
    #[cfg(vcrs_kernel_7)]
    if T::OPS.verify {
        // Signatures are `sig_alg` from 6.13 on: not an akcipher operation. (The entry
        // point is still named, so the same driver code builds for every kernel.)
        let _not_registrable = adapter::request_fn::<AkcipherType, T, Verify>();
        return Err(errno::enosys());
    }
    let crypt = T::OPS.crypt;
    #[cfg(not(vcrs_kernel_7))]
    let verify = T::OPS.verify;
    let mut alg = bindings::akcipher_alg {
        encrypt: adapter::request_fn::<AkcipherType, T, Encrypt>().filter(|_| crypt),
        decrypt: adapter::request_fn::<AkcipherType, T, Decrypt>().filter(|_| crypt),
        #[cfg(not(vcrs_kernel_7))]
        verify: adapter::request_fn::<AkcipherType, T, Verify>().filter(|_| verify),
        set_pub_key: Some(set_pub_key_callback::<T>),
        set_priv_key: Some(set_priv_key_callback::<T>),
        max_size: Some(max_size_callback::<T>),
        init: Some(adapter::init_callback::<AkcipherType, T>),
        exit: Some(adapter::exit_callback::<AkcipherType, T>),
        ..Default::default()
    };
    info.base.fill(
        &mut alg.base,
        adapter::tfm_ctx_size::<AkcipherType, T>(),
        module,
    )?;
    if info.internal {
        alg.base.cra_flags |= bindings::CRYPTO_ALG_INTERNAL;
    }
    Registration::new(alg, algorithm)
}

/// An in-flight akcipher request (`struct akcipher_request`).
pub(crate) type Request = adapter::Request<AkcipherType>;

/// What [`Request::run_in_software`] runs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum SoftOp {
    /// `crypto_akcipher_encrypt`.
    Encrypt = 0,
    /// `crypto_akcipher_decrypt`.
    Decrypt = 1,
    /// `crypto_akcipher_verify` (before 6.13; `-EOPNOTSUPP` from 6.13).
    Verify = 3,
}

impl Request {
    /// The source (`src_len` bytes).
    pub(crate) fn src(&self) -> Option<&SgList> {
        // SAFETY: The request is live; its `src` list, when set, is valid while we own it.
        unsafe { NonNull::new((*self.as_raw()).src).map(|p| SgList::from_raw(p.as_ptr())) }
    }

    /// The destination (`dst_len` bytes), absent for a verification.
    pub(crate) fn dst(&self) -> Option<&SgList> {
        // SAFETY: As in `src`.
        unsafe { NonNull::new((*self.as_raw()).dst).map(|p| SgList::from_raw(p.as_ptr())) }
    }

    /// Bytes of source.
    pub(crate) fn src_len(&self) -> usize {
        // SAFETY: The request is live (type invariant).
        unsafe { (*self.as_raw()).src_len as usize }
    }

    /// Bytes of room in the destination.
    pub(crate) fn dst_len(&self) -> usize {
        // SAFETY: The request is live (type invariant).
        unsafe { (*self.as_raw()).dst_len as usize }
    }

    /// Whether the transform had a key when the request started.
    pub(crate) fn keyed(&self) -> bool {
        self.info().keyed
    }

    /// Runs the request to the end on the transform's software implementation, on its own
    /// source and destination (the output length included), in the submitter's context,
    /// as the generic code would run there (the kernel's software RSA and ECDSA allocate
    /// with `GFP_KERNEL`: every in-kernel submitter may sleep), or in the data queue's
    /// worker for a request the device lost.
    pub(crate) fn run_in_software(&mut self, op: SoftOp) -> Result {
        let info = *self.info();
        let subreq = self.ctx().wrapping_add(info.subreq_offset);
        // SAFETY: The request is live and ours (`&mut`: nothing else uses it); the context
        // holds `subreq_offset + subreq_size` bytes (the transform's `init` sized it so),
        // the sub-request's part used by nothing else, 8-byte aligned; the software
        // transform outlives the request.
        to_result(unsafe {
            bindings::vcrs_soft_akcipher_run(
                info.soft.as_ptr(),
                self.as_raw(),
                subreq.cast(),
                op as c_uint,
            )
        })
    }
}
