// SPDX-License-Identifier: GPL-2.0

//! Asynchronous hashes and MACs (`struct ahash_alg`): the [`Ahash`] trait an algorithm
//! implements, the [`HashRequest`] handle it serves, the [`HashState`] view `export` and
//! `import` borrow, and [`register`]. The callbacks are the generic ones of
//! [`super::adapter`], with `export` and `import` here.
//!
//! Unlike a cipher request, a hash request keeps state between calls (`init`, `update`...,
//! `final`), in its own context memory. This layer lays that memory out per transform:
//!
//! ```text
//! | bytes buffered | State (the algorithm's) | job slot | list entry | shash_desc + its state | buffer |
//! ```
//!
//! The layer writes the first two whenever a message starts (`init`, `digest`, `import`),
//! before the algorithm sees the request, so it never reads them uninitialized (the other
//! entry points follow one of those on the same request: a Crypto API rule). The job slot
//! holds the request's [`Job`] while it is on a device; the list entry describes data the
//! request carries as a virtual address (7.x: `CRYPTO_ALG_REQ_VIRT`, below); the `shash_desc` is the request's
//! state in the transform's [`SoftHash`]; the buffer (of the algorithm's chosen length)
//! holds message bytes kept for the device, readable only as far as they were written.

use super::{
    adapter::{self, Adapter, Operation, Tfm},
    registration::Registration,
    soft_hash::SoftHash,
    AlgBase, Rejected, Submitted,
};
use crate::kernel_api::{
    bindings, errno,
    job::{self, Job},
    scatterlist::SgList,
};
use core::{marker::PhantomData, ptr::NonNull};
use kernel::{
    error::to_result,
    ffi::{c_int, c_uint, c_void},
    prelude::*,
    ThisModule,
};

/// A hash or MAC algorithm, with per-transform state of type [`Ahash::Tfm`].
pub(crate) trait Ahash: Send + Sync + Sized + 'static {
    /// State of one transform (one user's key, its software hash).
    type Tfm: Send + Sync;

    /// State a request keeps between calls, set to its default by the layer whenever a
    /// message starts (`init`, `digest`, `import`).
    type State: Default + Send + Sync + 'static;

    /// State of one request on the device.
    type Job: Job;

    /// Creates the state of a new transform and its software hash, which the layer keeps
    /// for the transform's life (its request state lives in each request, sized for it).
    /// Process context.
    fn init_tfm(&self) -> Result<(Self::Tfm, SoftHash)>;

    /// Bytes of message a request can keep in its context for the device.
    fn buffer_len(&self) -> usize;

    /// Sets the key (MACs only); `soft` keys the transform's software hash. Process
    /// context; no request runs on the transform.
    fn set_key(&self, tfm: &mut Self::Tfm, soft: SoftKey<'_>, key: &[u8]) -> Result;

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
    fn export(
        &self,
        tfm: &Self::Tfm,
        req: &mut HashState<'_, Self::State>,
        out: &mut [u8],
    ) -> Result;

    /// Restores a state [`Ahash::export`] wrote.
    fn import(&self, tfm: &Self::Tfm, req: &mut HashState<'_, Self::State>, input: &[u8])
        -> Result;
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
pub(crate) struct CtxLayout {
    /// Where the algorithm's `State` is (the count of bytes buffered comes first).
    state_at: usize,
    job: usize,
    /// A scatterlist entry over data the request carries as a virtual address.
    virt_sg: usize,
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
        // The software hash writes its digest into the request's result, which holds the
        // registered digest size.
        if soft.digest_size() != digest_size {
            return Err(EINVAL);
        }
        let state_at = align8(core::mem::size_of::<MsgHeader>());
        let job = align8(state_at + core::mem::size_of::<T::State>());
        let virt_sg = align8(job + job::ctx_size::<T::Job>());
        let desc = align8(virt_sg + core::mem::size_of::<bindings::scatterlist>());
        let buffer = desc + core::mem::size_of::<bindings::shash_desc>() + soft.desc_size();
        Ok(Self {
            state_at,
            job,
            virt_sg,
            desc,
            buffer,
            buffer_len: alg.buffer_len(),
            digest_size,
            state_size: soft.state_size(),
        })
    }

    fn req_size(&self) -> usize {
        self.buffer + self.buffer_len
    }
}

/// What the layer keeps first in a hash request's context, written whenever a message
/// starts.
#[derive(Clone, Copy)]
struct MsgHeader {
    /// Bytes of the buffer written since the message started.
    filled: usize,
    /// Whether the software descriptor holds a state (`soft_init`, `soft_import`,
    /// `soft_digest` succeeded, and no `soft_wipe` since): the software hash may be called
    /// on it. A byte, [`SOFT_READY`] for yes, so any content reads as a value.
    soft_ready: u8,
}

/// [`MsgHeader::soft_ready`]'s value for a descriptor that holds a state.
const SOFT_READY: u8 = 0x5a;

/// A transform's context: the layout of its requests, the software hash that layout was
/// made for (the layer's: never replaced, only keyed) and the algorithm's state.
pub(crate) struct TfmCtx<T: Ahash> {
    layout: CtxLayout,
    soft: SoftHash,
    inner: T::Tfm,
}

/// The transform's software hash, to key it (all [`Ahash::set_key`] may do with it).
pub(crate) struct SoftKey<'a>(&'a mut SoftHash);

impl SoftKey<'_> {
    /// Sets the key; the software implementation checks it as usual (same errno).
    pub(crate) fn set_key(self, key: &[u8]) -> Result {
        self.0.set_key(key)
    }
}

/// The ahash algorithm type, for algorithms whose requests keep state `S`.
pub(crate) struct AhashType<S>(PhantomData<S>);

/// The software hash of a transform, as its requests reach it.
///
/// # Invariants
///
/// A live `crypto_shash`, owned by the transform's [`SoftHash`], alive while any request of
/// the transform is.
#[derive(Clone, Copy)]
pub(crate) struct SoftRef(NonNull<bindings::crypto_shash>);

// SAFETY: A software transform may be used from any thread (see `SoftHash`).
unsafe impl Send for SoftRef {}
// SAFETY: As above.
unsafe impl Sync for SoftRef {}

/// What a hash request knows of its transform, and which entry point it came through.
#[derive(Clone, Copy)]
pub(crate) struct AhashReqInfo {
    layout: CtxLayout,
    soft: SoftRef,
    /// The entry point (`Entry`'s `KIND`): it decides whether the request's data
    /// (`src`, `nbytes`) and result are the caller's to read and write (`update` callers may
    /// leave the result null, `final` callers the data).
    entry: u8,
}

/// `Entry` kinds.
const INIT: u8 = 0;
const UPDATE: u8 = 1;
const FINAL: u8 = 2;
const FINUP: u8 = 3;
const DIGEST: u8 = 4;

impl AhashReqInfo {
    /// Whether the request carries data (`update`, `finup`, `digest`).
    fn has_data(&self) -> bool {
        matches!(self.entry, UPDATE | FINUP | DIGEST)
    }

    /// Whether the request has a result to write (`final`, `finup`, `digest`).
    fn has_result(&self) -> bool {
        matches!(self.entry, FINAL | FINUP | DIGEST)
    }
}

adapter::impl_alg_type! {
    impl[S: Send + Sync + 'static] AlgType for AhashType<S> {
        raw: bindings::ahash_alg, bindings::crypto_ahash, bindings::ahash_request;
        info: AhashReqInfo;
        register: crypto_register_ahash, crypto_unregister_ahash;
        base: halg.base;
        tfm: vcrs_crypto_ahash_alg, vcrs_crypto_ahash_ctx, vcrs_crypto_ahash_set_reqsize;
        req: vcrs_crypto_ahash_reqtfm, vcrs_ahash_request_ctx;
        // Between the state and the list entry (`CtxLayout`), 8-byte aligned.
        job_slot: |info| (info.layout.job, info.layout.virt_sg - info.layout.job);
    }
}

impl<T: Ahash> super::sealed::Sealed<AhashType<T::State>> for T {}

impl<T: Ahash> Adapter<AhashType<T::State>> for T {
    type TfmCtx = TfmCtx<T>;

    fn init_tfm(&self, tfm: &Tfm<AhashType<T::State>>) -> Result<(TfmCtx<T>, usize)> {
        let raw = tfm.as_raw();
        // SAFETY: The transform is live (`Tfm`'s invariant).
        let digest_size = unsafe { bindings::vcrs_crypto_ahash_digestsize(raw) } as usize;
        let (inner, soft) = Ahash::init_tfm(self)?;
        let layout = CtxLayout::new(self, &soft, digest_size)?;
        let state_size = u32::try_from(layout.state_size).map_err(|_| EINVAL)?;
        // SAFETY: The transform is in its init callback, where its state size is set.
        unsafe { bindings::vcrs_crypto_ahash_set_statesize(raw, state_size) };
        Ok((
            TfmCtx {
                layout,
                soft,
                inner,
            },
            layout.req_size(),
        ))
    }

    fn set_key(&self, ctx: &mut TfmCtx<T>, _tfm: &Tfm<AhashType<T::State>>, key: &[u8]) -> Result {
        Ahash::set_key(self, &mut ctx.inner, SoftKey(&mut ctx.soft), key)
    }

    fn request_info(ctx: &TfmCtx<T>, _tfm: &Tfm<AhashType<T::State>>) -> AhashReqInfo {
        AhashReqInfo {
            layout: ctx.layout,
            // INVARIANT: the transform's software hash, which lives as long as it does.
            soft: SoftRef(ctx.soft.as_non_null()),
            // Set by the entry point (`Entry::run`); no request data or result until then.
            entry: INIT,
        }
    }
}

/// One ahash request entry point, as an [`Operation`].
pub(crate) struct Entry<const KIND: u8>;

/// `init`.
pub(crate) type Init = Entry<INIT>;
/// `update`.
pub(crate) type Update = Entry<UPDATE>;
/// `final`.
pub(crate) type Final = Entry<FINAL>;
/// `finup`.
pub(crate) type Finup = Entry<FINUP>;
/// `digest`.
pub(crate) type Digest = Entry<DIGEST>;

impl<T: Ahash, const KIND: u8> Operation<AhashType<T::State>, T> for Entry<KIND> {
    fn run(
        alg: &T,
        ctx: &TfmCtx<T>,
        mut req: HashRequest<T::State>,
    ) -> Result<Submitted, Rejected> {
        let tfm = &ctx.inner;
        req.info_mut().entry = KIND;
        req.prepare_virt();
        match KIND {
            INIT => {
                req.start_message();
                alg.init(tfm, req)
            }
            UPDATE => alg.update(tfm, req),
            FINAL => alg.finish(tfm, req),
            FINUP => alg.finup(tfm, req),
            _ => {
                req.start_message();
                alg.digest(tfm, req)
            }
        }
    }
}

/// A registered ahash algorithm.
pub(crate) type AhashRegistration<T> = Registration<AhashType<<T as Ahash>::State>, T>;

/// Registers `algorithm` under `info`. Registration starts the Crypto API's self-tests,
/// which call back into `algorithm` (until they end, their transforms hold the algorithm).
pub(crate) fn register<T: Ahash>(
    info: &HashInfo,
    algorithm: T,
    module: &'static ThisModule,
) -> Result<AhashRegistration<T>> {
    const {
        adapter::assert_aligned::<TfmCtx<T>, T::Job>();
        assert!(core::mem::align_of::<T::State>() <= 8);
        assert!(core::mem::align_of::<bindings::shash_desc>() <= 8);
        assert!(core::mem::align_of::<bindings::scatterlist>() <= 8);
    }
    let mut alg = bindings::ahash_alg {
        init: adapter::request_fn::<AhashType<T::State>, T, Init>(),
        update: adapter::request_fn::<AhashType<T::State>, T, Update>(),
        final_: adapter::request_fn::<AhashType<T::State>, T, Final>(),
        finup: adapter::request_fn::<AhashType<T::State>, T, Finup>(),
        digest: adapter::request_fn::<AhashType<T::State>, T, Digest>(),
        export: Some(export_callback::<T>),
        import: Some(import_callback::<T>),
        setkey: if info.keyed {
            Some(adapter::setkey_callback::<AhashType<T::State>, T>)
        } else {
            None
        },
        init_tfm: Some(adapter::init_callback::<AhashType<T::State>, T>),
        exit_tfm: Some(adapter::exit_callback::<AhashType<T::State>, T>),
        ..Default::default()
    };
    alg.halg.digestsize = info.digest_size;
    alg.halg.statesize = info.state_size;
    info.base.fill(
        &mut alg.halg.base,
        adapter::tfm_ctx_size::<AhashType<T::State>, T>(),
        module,
    )?;
    // 7.x: requests may carry their data as a virtual address instead of a list. The
    // layer serves them (`src`, `virt_data`, `data_is_dma_capable`): with
    // `CRYPTO_ALG_REQ_VIRT` the core hands them to the driver instead of to its own
    // software fallback. The core still gives every transform of an asynchronous ahash
    // such a fallback (crypto/ahash.c, ahash_prepare_alg: for `crypto_hash_digest` and
    // the hmac template's on-stack requests, which an asynchronous driver cannot take),
    // and fails the transform if there is none: 7.3's cmac(aes) and xcbc(aes) software
    // exports no core state, so none qualifies. For those the core is told to expect
    // none (`CRYPTO_ALG_NO_FALLBACK`; an on-stack request then fails with `EAGAIN`).
    #[cfg(vcrs_kernel_7)]
    {
        alg.halg.base.cra_flags |= bindings::CRYPTO_ALG_REQ_VIRT;
        // SAFETY: The name is a C string; the probe allocates and frees a transform.
        let fallback =
            unsafe { bindings::vcrs_ahash_core_fallback_exists(info.base.name.as_char_ptr()) };
        if !fallback {
            alg.halg.base.cra_flags |= bindings::CRYPTO_ALG_NO_FALLBACK;
        }
    }
    Registration::new(alg, algorithm)
}

/// The layer's view of a hash request's context memory. Private to this file: its setters
/// keep the header's promises (`soft_ready` only after the software hash started a state,
/// `filled` only over written bytes).
struct RawCtx<'a> {
    ctx: *mut u8,
    info: &'a AhashReqInfo,
}

/// The context of `c`.
fn raw<S, C: HashContext<S> + ?Sized>(c: &C) -> RawCtx<'_> {
    let (req, info) = c.parts();
    // SAFETY: The request is live (`parts`: a sealed trait, implemented by the handles of
    // this file for live requests only).
    let ctx = unsafe { bindings::vcrs_ahash_request_ctx(req) }.cast::<u8>();
    RawCtx { ctx, info }
}

impl RawCtx<'_> {
    /// The layer's part of the context.
    fn header(&self) -> MsgHeader {
        // SAFETY: Written when the message started (`start_message`: on `init`, `digest`
        // and `import`, which the other entry points follow on the same request by the
        // Crypto API's rules), 8-byte aligned at the context's start.
        let header = unsafe { self.ctx.cast::<MsgHeader>().read() };
        MsgHeader {
            filled: header.filled.min(self.info.layout.buffer_len),
            soft_ready: header.soft_ready,
        }
    }

    /// Whether the software descriptor holds a state.
    fn soft_ready(&self) -> bool {
        self.header().soft_ready == SOFT_READY
    }

    /// Changes the layer's part of the context; the caller holds the request exclusively.
    fn set_header(&self, header: MsgHeader) {
        // SAFETY: As in `header`; the callers (methods taking `&mut self`) hold the only
        // access.
        unsafe { self.ctx.cast::<MsgHeader>().write(header) };
    }

    /// Records whether the software descriptor holds a state.
    fn set_soft_ready(&self, ready: bool) {
        let header = self.header();
        self.set_header(MsgHeader {
            soft_ready: if ready { SOFT_READY } else { 0 },
            ..header
        });
    }

    /// The software descriptor's space.
    fn desc_space(&self) -> *mut bindings::shash_desc {
        self.ctx.wrapping_add(self.info.layout.desc).cast()
    }

    /// The software descriptor, if it holds a state (else `EINVAL`: the software hash
    /// must not run on it).
    fn ready_desc(&self) -> Result<*mut bindings::shash_desc> {
        match self.soft_ready() {
            true => Ok(self.desc_space()),
            false => Err(EINVAL),
        }
    }

    /// Where the algorithm's state is.
    fn state<S>(&self) -> *mut S {
        self.ctx.wrapping_add(self.info.layout.state_at).cast()
    }

    /// A message starts: nothing buffered, no software state, the algorithm's state at its
    /// default. The caller holds the request exclusively.
    fn start_message<S: Default>(&self) {
        // SAFETY: The context's first bytes hold the header and `state_at` the state
        // (layout, aligned); they may hold anything or nothing yet, and are written
        // without reading them (an old state is plain data the layer forgets).
        // INVARIANT: from here on the header and the state are initialized.
        unsafe {
            self.ctx.cast::<MsgHeader>().write(MsgHeader {
                filled: 0,
                soft_ready: 0,
            });
            self.state::<S>().write(S::default());
        }
    }

    /// Where the buffer is.
    fn buffer(&self) -> *mut u8 {
        self.ctx.wrapping_add(self.info.layout.buffer)
    }
}

mod sealed {
    /// Only this file's types are hash contexts.
    pub(crate) trait Sealed {}
}

/// The request context of a hash request: its state, its buffered message bytes and its
/// software hash. Implemented by [`HashRequest`] (a request the driver owns) and
/// [`HashState`] (one `export`/`import` borrow); sealed, since its methods trust `parts`.
pub(crate) trait HashContext<S>: sealed::Sealed {
    /// The raw request and what it knows of its transform.
    fn parts(&self) -> (*mut bindings::ahash_request, &AhashReqInfo);

    /// The state the request keeps between calls.
    fn state(&self) -> &S {
        // SAFETY: The state was written when the message started (as the header), at
        // `state_at`, aligned (asserted at registration), used by this driver alone.
        unsafe { &*raw(self).state::<S>() }
    }

    /// The state the request keeps between calls, to change it.
    fn state_mut(&mut self) -> &mut S {
        // SAFETY: As in `state`; `&mut self` makes this the only reference.
        unsafe { &mut *raw(self).state::<S>() }
    }

    /// The first `len` message bytes kept in the context; `EINVAL` beyond what was
    /// written since the message started.
    fn buffered(&self, len: usize) -> Result<&[u8]> {
        let ctx = raw(self);
        if len > ctx.header().filled {
            return Err(EINVAL);
        }
        // SAFETY: The buffer holds `buffer_len` bytes at `buffer` (the layout), of which
        // the first `filled` (at least `len`) were written since the message started.
        Ok(unsafe { core::slice::from_raw_parts(ctx.buffer(), len) })
    }

    /// Starts a message in software.
    fn soft_init(&mut self) -> Result {
        let ctx = raw(self);
        // SAFETY: The software transform is live (`SoftRef`); the descriptor space is the
        // request's (header plus the software hash's state size, the layout).
        to_result(unsafe {
            bindings::vcrs_soft_hash_init(ctx.info.soft.0.as_ptr(), ctx.desc_space())
        })?;
        ctx.set_soft_ready(true);
        Ok(())
    }

    /// Adds the first `len` buffered bytes to the software message.
    fn soft_update_buffered(&mut self, len: usize) -> Result {
        let data = self.buffered(len)?;
        if data.is_empty() {
            return Ok(());
        }
        let (data, len) = (data.as_ptr(), len as c_uint);
        let desc = raw(self).ready_desc()?;
        // SAFETY: The descriptor holds a state (`ready_desc`); `data` holds `len` written
        // bytes and does not overlap it.
        to_result(unsafe { bindings::vcrs_soft_hash_update_buf(desc, data, len) })
    }

    /// Exports the software message's state into `out` (the state size).
    fn soft_export(&mut self, out: &mut [u8]) -> Result {
        let ctx = raw(self);
        if out.len() < ctx.info.layout.state_size {
            return Err(EINVAL);
        }
        let desc = ctx.ready_desc()?;
        // SAFETY: The descriptor holds a state (`ready_desc`); `out` holds the state size.
        to_result(unsafe { bindings::vcrs_soft_hash_export(desc, out.as_mut_ptr().cast()) })
    }

    /// Imports a software state from `input` (the state size).
    fn soft_import(&mut self, input: &[u8]) -> Result {
        let ctx = raw(self);
        if input.len() < ctx.info.layout.state_size {
            return Err(EINVAL);
        }
        // SAFETY: The software transform is live; the descriptor space is ours
        // (initialized here); `input` holds the state size.
        to_result(unsafe {
            bindings::vcrs_soft_hash_import(
                ctx.info.soft.0.as_ptr(),
                ctx.desc_space(),
                input.as_ptr().cast(),
            )
        })?;
        ctx.set_soft_ready(true);
        Ok(())
    }

    /// Wipes the software message's state (after its digest was taken).
    fn soft_wipe(&mut self) {
        let ctx = raw(self);
        // SAFETY: The descriptor space is ours; zeroing it is always allowed.
        unsafe { bindings::vcrs_soft_hash_zero(ctx.desc_space()) };
        ctx.set_soft_ready(false);
    }
}

/// A hash request the driver owns (`struct ahash_request`): for `init`, `update`, `final`,
/// `finup` and `digest` until it is completed (or reported done or refused). Its result
/// holds the digest size, its `src` list at least `nbytes` bytes.
pub(crate) type HashRequest<S> = adapter::Request<AhashType<S>>;

impl<S: Send + Sync + 'static> sealed::Sealed for HashRequest<S> {}

impl<S: Send + Sync + 'static> HashContext<S> for HashRequest<S> {
    fn parts(&self) -> (*mut bindings::ahash_request, &AhashReqInfo) {
        (self.as_raw(), self.info())
    }
}

impl<S: Default + Send + Sync + 'static> HashRequest<S> {
    /// A message starts: nothing buffered, the state at its default.
    fn start_message(&mut self) {
        // `&mut self`: the only access to the context.
        raw(self).start_message::<S>();
    }
}

impl<S: Send + Sync + 'static> HashRequest<S> {
    /// Bytes of data the request carries (0 for `init` and `final`, whose callers need
    /// not set it).
    pub(crate) fn nbytes(&self) -> usize {
        if !self.info().has_data() {
            return 0;
        }
        // SAFETY: The request is live (type invariant).
        unsafe { (*self.as_raw()).nbytes as usize }
    }

    /// The data as a list; `None` when the request has none (`init` and `final`, whose
    /// callers need not set one; callers may also leave it null when `nbytes` is 0), or
    /// when it carries a virtual address a device cannot read (see
    /// [`Self::data_is_dma_capable`]). Data at a virtual address in the linear map is
    /// described by one entry in the request's context.
    pub(crate) fn src(&self) -> Option<&SgList> {
        if !self.info().has_data() {
            return None;
        }
        let virt_sg = self.ctx().wrapping_add(self.info().layout.virt_sg);
        // SAFETY: The request is live (type invariant); `virt_sg` is the context's entry,
        // which the helper only reads (`prepare_virt` wrote it as the request came in).
        let src = unsafe { bindings::vcrs_ahash_request_src(self.as_raw(), virt_sg.cast()) };
        if src.is_null() {
            return None;
        }
        // SAFETY: A non-null `src` is a valid list while we own the request: the caller's,
        // or the context's entry over the caller's data.
        Some(unsafe { SgList::from_raw(src) })
    }

    /// Writes the list entry over data the request carries as a virtual address a device
    /// can read (7.x), before anything reads it (`src`): once, as the request comes in.
    fn prepare_virt(&mut self) {
        if !self.info().has_data() {
            return;
        }
        let virt_sg = self.ctx().wrapping_add(self.info().layout.virt_sg);
        // SAFETY: The request is live (type invariant); `virt_sg` is the context's entry
        // (layout: a `scatterlist`, 8-byte aligned), ours alone, and `&mut self` makes this
        // the only access to it.
        unsafe { bindings::vcrs_ahash_request_prepare_virt(self.as_raw(), virt_sg.cast()) };
    }

    /// The data, when the request carries it as a virtual address (7.x).
    fn virt_data(&self) -> Option<&[u8]> {
        if !self.info().has_data() || self.nbytes() == 0 {
            return None;
        }
        // SAFETY: The request is live (type invariant).
        let data = unsafe { bindings::vcrs_ahash_request_virt(self.as_raw()) };
        // SAFETY: A virtual-address request's data is `nbytes` readable bytes, the
        // caller's. It may be the request's result too (the hmac template's `svirt ==
        // result`), which `set_result` writes: the slice is only read while the data is
        // buffered (`copy_src_to_buffer`), never held across a `set_result`.
        (!data.is_null()).then(|| unsafe { core::slice::from_raw_parts(data, self.nbytes()) })
    }

    /// Whether a device can read the request's data (always for a list; for a virtual
    /// address only in the linear map, not vmalloc or stack memory).
    pub(crate) fn data_is_dma_capable(&self) -> bool {
        if !self.info().has_data() {
            return true;
        }
        // SAFETY: The request is live (type invariant).
        unsafe { bindings::vcrs_ahash_request_data_mappable(self.as_raw()) }
    }

    /// Stores the digest in the request's result (the first digest-size bytes of
    /// `digest`).
    pub(crate) fn set_result(&mut self, digest: &[u8]) -> Result {
        self.result_ptr()?;
        let digest = digest.get(..self.info().layout.digest_size).ok_or(EINVAL)?;
        // SAFETY: `result` holds the digest size (a Crypto API rule), owned by the
        // submitter, who does not touch it while the request is ours.
        unsafe {
            core::ptr::copy_nonoverlapping(digest.as_ptr(), (*self.as_raw()).result, digest.len())
        };
        Ok(())
    }

    /// Copies the request's data into the buffer at `offset`, which must not be beyond
    /// what is buffered already (so the buffer's written bytes stay one run).
    pub(crate) fn copy_src_to_buffer(&mut self, offset: usize) -> Result {
        let len = self.nbytes();
        if len == 0 {
            return Ok(());
        }
        let ctx = raw(self);
        let header = ctx.header();
        let end = offset.checked_add(len).ok_or(EINVAL)?;
        if offset > header.filled || end > ctx.info.layout.buffer_len {
            return Err(EINVAL);
        }
        // SAFETY: The buffer holds `buffer_len` bytes at `buffer` (the layout), ours alone,
        // not part of the request's data; `offset..end` lies within it; `&mut self` makes
        // this the only access. Written as bytes before being read.
        let dst =
            unsafe { core::slice::from_raw_parts_mut(ctx.buffer().wrapping_add(offset), len) };
        match self.virt_data() {
            // Both `len` bytes; element by element, as `copy_from_slice`'s length check
            // would be a panic path objtool cannot follow.
            Some(data) => dst.iter_mut().zip(data).for_each(|(d, s)| *d = *s),
            None => self.src().ok_or(EINVAL)?.copy_to_buffer(dst, 0)?,
        }
        ctx.set_header(MsgHeader {
            filled: header.filled.max(end),
            ..header
        });
        Ok(())
    }

    /// Whether the context is in the kernel's linear map, so a device can read and write
    /// it (not on a stack or in vmalloc memory).
    pub(crate) fn ctx_is_dma_capable(&self) -> bool {
        // SAFETY: `virt_addr_valid` only computes on the address.
        unsafe { bindings::vcrs_virt_addr_valid(self.ctx().cast()) }
    }

    /// The result, for an entry point that has one (else `EINVAL`).
    fn result_ptr(&self) -> Result<*mut u8> {
        if !self.info().has_result() {
            return Err(EINVAL);
        }
        // SAFETY: The request is live (type invariant).
        Ok(unsafe { (*self.as_raw()).result })
    }

    /// `EINVAL` unless the request carries data (its `src` and `nbytes` are the caller's).
    fn check_data(&self) -> Result {
        match self.info().has_data() {
            true => Ok(()),
            false => Err(EINVAL),
        }
    }

    /// Adds the request's data to the software message.
    pub(crate) fn soft_update(&mut self) -> Result {
        self.check_data()?;
        let desc = raw(self).ready_desc()?;
        // SAFETY: The descriptor holds a state (`ready_desc`); the request is live with
        // `nbytes` bytes of `src`.
        to_result(unsafe { bindings::vcrs_soft_hash_update_req(desc, self.as_raw()) })
    }

    /// Ends the software message; the digest goes to the result.
    pub(crate) fn soft_final(&mut self) -> Result {
        let result = self.result_ptr()?;
        let desc = raw(self).ready_desc()?;
        // SAFETY: The descriptor holds a state; `result` holds the digest (an entry point
        // with a result).
        to_result(unsafe { bindings::vcrs_soft_hash_final(desc, result) })
    }

    /// Adds the request's data and ends the software message.
    pub(crate) fn soft_finup(&mut self) -> Result {
        self.check_data()?;
        self.result_ptr()?;
        let desc = raw(self).ready_desc()?;
        // SAFETY: As in `soft_update` and `soft_final`.
        to_result(unsafe { bindings::vcrs_soft_hash_finup_req(desc, self.as_raw()) })
    }

    /// The digest of the request's data alone, in software.
    pub(crate) fn soft_digest(&mut self) -> Result {
        self.check_data()?;
        self.result_ptr()?;
        let ctx = raw(self);
        // SAFETY: The software transform is live (`SoftRef`); the descriptor space is ours
        // (initialized here); the request is live.
        let result = to_result(unsafe {
            bindings::vcrs_soft_hash_digest_req(
                ctx.info.soft.0.as_ptr(),
                ctx.desc_space(),
                self.as_raw(),
            )
        });
        // Ready only if the software hash started a state: it may fail before touching the
        // descriptor (a MAC without a key: `-ENOKEY`).
        ctx.set_soft_ready(result.is_ok());
        result
    }
}

/// A hash request borrowed by `export` or `import`: its context only (no data, result or
/// completion).
///
/// # Invariants
///
/// `req` is a live request of a transform of ours, borrowed for `'a`, whose transform
/// `info` describes.
pub(crate) struct HashState<'a, S> {
    req: NonNull<bindings::ahash_request>,
    info: AhashReqInfo,
    _borrow: PhantomData<&'a mut S>,
}

impl<S> sealed::Sealed for HashState<'_, S> {}

impl<S> HashContext<S> for HashState<'_, S> {
    fn parts(&self) -> (*mut bindings::ahash_request, &AhashReqInfo) {
        (self.req.as_ptr(), &self.info)
    }
}

/// The borrowed state of `req`, for `export`/`import`.
///
/// # Safety
///
/// `req` must be a live request on an initialized transform of an algorithm registered with
/// `T`, borrowed for `'a`.
unsafe fn borrow_state<'a, T: Ahash>(
    req: *mut bindings::ahash_request,
) -> (&'a T, &'a T::Tfm, HashState<'a, T::State>) {
    // SAFETY: Per the caller.
    let (alg, ctx, info) = unsafe { adapter::borrowed_parts::<AhashType<T::State>, T>(req) };
    // INVARIANT: per the caller; `req` is non-null.
    let state = HashState {
        // SAFETY: A live request is not null.
        req: unsafe { NonNull::new_unchecked(req) },
        info,
        _borrow: PhantomData,
    };
    (alg, &ctx.inner, state)
}

/// `ahash_alg.export`.
///
/// # Safety
///
/// Called by the Crypto API with a live request on an initialized transform of ours, on
/// which `init` or `import` ran, and `out` holding the transform's state size.
unsafe extern "C" fn export_callback<T: Ahash>(
    req: *mut bindings::ahash_request,
    out: *mut c_void,
) -> c_int {
    // SAFETY: Per the caller; `out` holds the state size, which the layout recorded.
    let result = unsafe {
        let (alg, tfm, mut state) = borrow_state::<T>(req);
        let out = core::slice::from_raw_parts_mut(out.cast::<u8>(), state.info.layout.state_size);
        alg.export(tfm, &mut state, out)
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
    // SAFETY: As in `export_callback`; import starts a message, so the layer's part of the
    // context is written first.
    let result = unsafe {
        let (alg, tfm, mut state) = borrow_state::<T>(req);
        raw(&state).start_message::<T::State>();
        let input = core::slice::from_raw_parts(input.cast::<u8>(), state.info.layout.state_size);
        alg.import(tfm, &mut state, input)
    };
    errno::to_c(result)
}
