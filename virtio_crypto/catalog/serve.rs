// SPDX-License-Identifier: GPL-2.0

//! How every family serves a request, the part they share: where it runs ([`route`]: the
//! transform's device and session, or why software serves it), and handing it to the
//! device with the software continuation for a device that cannot take it now
//! ([`offer`]). A family adds only what is its own: its checks and plan, its job, and its
//! software implementation.

use crate::{
    device::{
        alg_stats::Fallback,
        sync_costs::SyncDecision,
        tfm_device::TfmDevice,
        tfm_sessions::{Route, TfmSessions},
        CryptoDevice,
    },
    kernel_api::{
        crypto::{
            adapter::{AlgType, Request},
            AsyncRequest, Rejected, Submitted,
        },
        force_software,
        job::Job,
    },
    session::book::DeviceSession,
    wire::Direction,
};
use kernel::{prelude::*, sync::Arc};

/// The device and session a request goes to, or why software serves it: the
/// `force_software` parameter, no ready device, no sessions (`no_sessions` says why: a key
/// the device does not take, or no device when it was set), a request the device cannot
/// take (`fits` is false), a synchronous waiter's request that is faster in software
/// (`sync`, [`SyncDecision`]), the sessions' own answer (not open yet, a device that
/// refused the key...), or a session the device lost for good.
pub(crate) fn route<'a>(
    device: &'a TfmDevice,
    sessions: Option<&Arc<TfmSessions>>,
    no_sessions: Fallback,
    dir: Direction,
    req: &AsyncRequest,
    sync: &SyncDecision,
    fits: impl FnOnce(&CryptoDevice) -> bool,
) -> core::result::Result<(Arc<DeviceSession>, &'a CryptoDevice), Fallback> {
    if force_software() {
        return Err(Fallback::Forced);
    }
    let device = device.ready().ok_or(Fallback::NotReady)?;
    let sessions = sessions.ok_or(no_sessions)?;
    if !fits(device) {
        return Err(Fallback::Limits);
    }
    if sync.software {
        return Err(Fallback::Small);
    }
    match sessions.route(dir, req.may_sleep()) {
        Route::Device(session) if session.id().is_ok() => Ok((session, device)),
        // A session lost for good (not re-created after a reset or restore).
        Route::Device(_) => Err(Fallback::NoSession),
        Route::Software(why) => Err(why),
    }
}

/// Hands `req`, with `job`, to `device` (its answer timed for `sync` if that policy
/// measures it). Taken: `taken` counts it, and the entry point reports it in progress (or
/// backlogged). Not taken now (ring full for a request that may not wait, device not
/// ready): the request comes back and `software` serves it, told why.
pub(crate) fn offer<K: AlgType, J: Job<Kind = K>>(
    device: &CryptoDevice,
    req: Request<K>,
    job: J,
    sync: &SyncDecision,
    taken: impl FnOnce(),
    software: impl FnOnce(Request<K>, Fallback) -> Result<Submitted, Rejected>,
) -> Result<Submitted, Rejected> {
    let mut job = req.into_job(job)?;
    if let Some(sink) = sync.device_sink() {
        job.time_answer(sink);
    }
    match device.offer(job) {
        Ok(queued) => {
            taken();
            Ok(queued.into())
        }
        Err((err, job)) => {
            let (_, req) = job.take_or_reject::<J>(err)?;
            software(req, Fallback::from_offer_error(err))
        }
    }
}
