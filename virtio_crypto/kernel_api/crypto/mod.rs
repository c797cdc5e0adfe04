// SPDX-License-Identifier: GPL-2.0

//! The Crypto API: what every algorithm type shares, and one file per type.
//!
//! - this file: an algorithm's names and common fields ([`AlgBase`]), the asynchronous
//!   request every type's request embeds ([`AsyncRequest`]: completion, backlog and sleep
//!   flags), how a request was accepted ([`Submitted`]) and its errno, the request context
//!   that holds a request's [`Job`] ([`place_job`]), and the two cipher entry points
//!   ([`Encrypt`], [`Decrypt`]);
//! - [`adapter`]: the one adapter between the Crypto API and the driver's algorithms of
//!   every type: their callbacks, transforms and requests;
//! - [`registration`]: registering an algorithm of any type, undone on drop;
//! - [`skcipher`]: asynchronous symmetric ciphers; [`soft_skcipher`]: their software
//!   implementation, for what a device cannot take;
//! - [`ahash`]: asynchronous hashes and MACs; [`soft_hash`]: their software implementation;
//! - [`aead`]: authenticated encryption; [`soft_aead`]: its software implementation;
//! - [`akcipher`]: asymmetric ciphers (its software implementation inside it);
//!   [`rsa_key`]: the kernel's RSA key parser.

#[path = "adapter.rs"]
pub(crate) mod adapter;
#[path = "aead.rs"]
pub(crate) mod aead;
#[path = "ahash.rs"]
pub(crate) mod ahash;
#[path = "akcipher.rs"]
pub(crate) mod akcipher;
#[path = "registration.rs"]
pub(crate) mod registration;
#[path = "rsa_key.rs"]
pub(crate) mod rsa_key;
#[path = "skcipher.rs"]
pub(crate) mod skcipher;
#[path = "soft_aead.rs"]
pub(crate) mod soft_aead;
#[path = "soft_hash.rs"]
pub(crate) mod soft_hash;
#[path = "soft_skcipher.rs"]
pub(crate) mod soft_skcipher;

pub(crate) use super::request::AsyncRequest;
use super::{
    bindings, errno,
    job::{self, Job, JobBox},
};
use core::ptr::NonNull;
use kernel::{ffi::c_int, prelude::*, str::CStr, ThisModule};

pub(crate) use super::request::{Rejected, Submitted};

/// The return value of an `encrypt`/`decrypt`/`digest`... callback on request `req` for
/// `result`. A claim that the request is finished or refused counts only with the request
/// itself: one made with another request is reported as in progress (the submitter waits,
/// which is safe, instead of freeing memory the driver still uses) and logged.
pub(crate) fn submitted_to_errno(
    req: NonNull<bindings::crypto_async_request>,
    result: Result<Submitted, Rejected>,
) -> c_int {
    match result.map_err(|r| r.into_parts()) {
        Ok(s) => match s.outcome(req) {
            Some(errno) => errno,
            None => {
                pr_err!("a request was reported finished with another one's handle\n");
                errno::einprogress().to_errno()
            }
        },
        Err((err, rejected)) if rejected == req => err.to_errno(),
        Err(_) => {
            pr_err!("a request was reported refused with another one's handle\n");
            errno::einprogress().to_errno()
        }
    }
}

/// The `encrypt` entry point of a cipher type (skcipher, aead).
pub(crate) struct Encrypt;

/// The `decrypt` entry point of a cipher type (skcipher, aead).
pub(crate) struct Decrypt;

/// Places `job` and `req` in `room` bytes of the request's context memory at `ctx`: the
/// slot owns the request, and no allocation is made. Gives the request back if the job
/// does not fit there (larger than `room`, aligned beyond 8 bytes, or `ctx` null).
///
/// # Safety
///
/// A non-null `ctx` must be in the context memory of `req`, valid for `room` bytes, 8-byte
/// aligned (`CRYPTO_MINALIGN`), holding no live value (a request carries one job at a
/// time, since it moves into it), and used by this driver alone.
pub(super) unsafe fn place_job<J: Job>(
    req: adapter::Request<J::Kind>,
    ctx: *mut u8,
    room: usize,
    job: J,
) -> core::result::Result<JobBox, adapter::Request<J::Kind>> {
    let ctx = match NonNull::new(ctx) {
        Some(ctx) if job::ctx_size::<J>() <= room && job::ctx_align::<J>() <= 8 => ctx,
        _ => return Err(req),
    };
    // SAFETY: Per the caller, and the checks above: the context can hold the slot and stays
    // put until the request completes, which only the job does.
    Ok(unsafe { JobBox::emplace(ctx, req, job) })
}

/// What every algorithm type's registration says about the algorithm
/// (`struct crypto_alg`'s names, priority and block size).
pub(crate) struct AlgBase {
    /// Algorithm name, for example `cbc(aes)`.
    pub(crate) name: &'static CStr,
    /// This implementation's unique name.
    pub(crate) driver_name: &'static CStr,
    /// Selection priority among implementations of `name`.
    pub(crate) priority: i32,
    /// Block size in bytes.
    pub(crate) block_size: u32,
}

/// Implemented only in this module's files: the traits that the generic callbacks trust
/// (their sizes decide where the callbacks write) are sealed with it.
mod sealed {
    /// A type this module vouches for, for algorithm type `K`.
    pub(crate) trait Sealed<K> {}
}

fn copy_name(dst: &mut [kernel::ffi::c_char], src: &CStr) -> Result {
    let bytes = crate::kernel_api::cstr_bytes_with_nul(src);
    if bytes.len() > dst.len() {
        return Err(errno::enametoolong());
    }
    for (d, s) in dst.iter_mut().zip(bytes) {
        *d = *s as kernel::ffi::c_char;
    }
    Ok(())
}

impl AlgBase {
    /// Fills the common fields of `alg`; `ctx_size` is the size of a transform's state.
    pub(super) fn fill(
        &self,
        alg: &mut bindings::crypto_alg,
        ctx_size: usize,
        module: &'static ThisModule,
    ) -> Result {
        copy_name(&mut alg.cra_name, self.name)?;
        copy_name(&mut alg.cra_driver_name, self.driver_name)?;
        alg.cra_priority = self.priority;
        // Only these: the type's registration sets the type bits, and the Crypto API's own
        // state flags (larval, dying...) are not ours to set. No
        // `CRYPTO_ALG_ALLOCATES_MEMORY`: requests live in their own context memory (their
        // jobs), so dm-crypt may use these algorithms.
        alg.cra_flags = bindings::CRYPTO_ALG_ASYNC | bindings::CRYPTO_ALG_KERN_DRIVER_ONLY;
        alg.cra_blocksize = self.block_size;
        alg.cra_ctxsize = u32::try_from(ctx_size).map_err(|_| EINVAL)?;
        alg.cra_module = module.as_ptr().cast();
        Ok(())
    }
}
