// SPDX-License-Identifier: GPL-2.0

//! A hash or MAC as an ahash algorithm: its transforms (a session on a device, and the same
//! algorithm and key in software) and how each entry point is served.
//!
//! Where a message is hashed:
//!
//! - `digest`, and `finup` on a request that saw no `update`: the request's data goes to
//!   the device as one request (one-shot).
//! - `init`, then `update`s that fit the request's buffer ([`HashAlgo::buffer_len`]), then
//!   `final`/`finup`: the parts are copied into the request's context and the whole message
//!   goes to the device as one request at the end (multi-part). This is how dm-verity
//!   hashes a block (`init`, `update(salt)`, `update(block)`, `final`).
//! - A message that outgrows the buffer, or whose state is exported, continues in the
//!   transform's software hash, from the bytes buffered so far; so does a message the
//!   device cannot take (larger than its `max_size`, a key or session it refused, a
//!   request context outside the linear map).
//!
//! Each digest is counted where it ran (debugfs `hash_ops`/`mac_ops`, `multipart_ops`).

use super::{
    algos::{HashAlgo, KeyRule},
    job::{digest_in_software, move_to_software, HashJob, Source, MAX_DIGEST},
    state::{Mode, RequestState},
};
use crate::{
    catalog::{family, serve},
    device::{
        alg_stats::Fallback,
        op_counters::Ran,
        registry::DeviceList,
        sync_costs::SyncDecision,
        tfm_device::TfmDevice,
        tfm_sessions::{KeySessions, TfmSessions},
        CryptoDevice,
    },
    kernel_api::{
        crypto::{
            ahash::{Ahash, HashContext, HashRequest, HashState, SoftKey},
            soft_hash::SoftHash,
            Rejected, Submitted,
        },
        secret,
    },
    session::{book::DeviceSession, hmac_key::hmac_device_key, spec::SessionSpec},
    wire::Direction,
};
use kernel::{prelude::*, sync::Arc};

/// A request of ours.
type Request = HashRequest<RequestState>;

/// A transform: the device it runs on and its session there (opened when the transform is
/// created; for a MAC, once a key is set). Its software hash, with the same key, is the
/// layer's ([`Ahash::init_tfm`]).
pub(crate) struct HashTfm {
    device: TfmDevice,
    /// The session for the key (none without a device, or for a MAC without a key).
    sessions: Option<KeySessions>,
}

impl HashTfm {
    fn drop_key(&mut self) {
        // Retires the sessions (`KeySessions`).
        self.sessions = None;
    }
}

impl Drop for HashTfm {
    fn drop(&mut self) {
        self.drop_key();
    }
}

/// The ahash algorithm for one [`HashAlgo`].
pub(crate) struct HashAlg {
    algo: &'static HashAlgo,
    devices: Arc<DeviceList>,
}

impl HashAlg {
    /// The algorithm for `algo`, served by the devices in `devices`.
    pub(crate) fn new(algo: &'static HashAlgo, devices: Arc<DeviceList>) -> Self {
        Self { algo, devices }
    }

    /// The session for `key` on the transform's device (a plain hash has an empty key),
    /// opened at once: hash users often never send a request that may sleep (AF_ALG,
    /// IPsec), so a session opened on first use would leave their first digest, often
    /// their only one, to software. Process context.
    fn sessions_for(
        &self,
        tfm: &HashTfm,
        key: &[u8],
        on_device: bool,
    ) -> Result<Option<KeySessions>> {
        let Some(device) = tfm.device.get() else {
            return Ok(None);
        };
        let spec = SessionSpec::new(family::Algorithm::session_kind(self.algo), key)?;
        let on_device = on_device && device.is_ready();
        Ok(Some(TfmSessions::open_for_key(
            device.clone(),
            spec,
            on_device,
        )?))
    }

    /// The device session a digest of `source` runs on, or why it runs in software (the
    /// device takes data it can read: not a virtual address outside the linear map).
    fn device_session<'a>(
        &self,
        tfm: &'a HashTfm,
        req: &Request,
        source: Source,
        sync: &SyncDecision,
    ) -> Result<(Arc<DeviceSession>, &'a CryptoDevice), Fallback> {
        serve::route(
            &tfm.device,
            tfm.sessions.as_deref(),
            // No session: a MAC key the device does not take, or no device when it was set.
            Fallback::Limits,
            Direction::Encrypt,
            req.base(),
            sync,
            |device| {
                device.config().request_fits(source.len())
                    && req.ctx_is_dma_capable()
                    && (matches!(source, Source::Buffer(_)) || req.data_is_dma_capable())
            },
        )
    }

    /// Sends the digest of `source` to the device; if the device cannot take it now (ring
    /// full for a request that may not wait, device not ready), it runs in software.
    fn submit(
        &self,
        tfm: &HashTfm,
        req: Request,
        (session, device): (Arc<DeviceSession>, &CryptoDevice),
        source: Source,
        sync: &SyncDecision,
    ) -> Result<Submitted, Rejected> {
        let job = match HashJob::new(
            self.algo.service,
            self.algo.algo,
            session,
            source,
            self.algo.digest_size,
        ) {
            Ok(job) => job,
            Err(e) => return Err(req.reject(e)),
        };
        serve::offer(
            device,
            req,
            job,
            sync,
            || {
                self.algo.stats.on_device();
                let ops = device.ops();
                ops.count(self.algo.service(), Ran::Device);
                if matches!(source, Source::Buffer(_)) {
                    ops.count_multipart(Ran::Device);
                }
            },
            |req, why| self.run_in_software(tfm, req, source, why),
        )
    }

    /// Computes the digest of `source` in software, counted for `why`.
    fn run_in_software(
        &self,
        tfm: &HashTfm,
        mut req: Request,
        source: Source,
        why: Fallback,
    ) -> Result<Submitted, Rejected> {
        let result = digest_in_software(&mut req, source);
        self.software_done(tfm, req, result, matches!(source, Source::Buffer(_)), why)
    }

    /// Ends a request that ran in software with `result`, counted as `multipart` or not,
    /// for `why`; the descriptor's state is wiped.
    fn software_done(
        &self,
        tfm: &HashTfm,
        mut req: Request,
        result: Result,
        multipart: bool,
        why: Fallback,
    ) -> Result<Submitted, Rejected> {
        self.algo.stats.in_software(why);
        tfm.device.count(|ops| {
            ops.count(self.algo.service(), Ran::Software);
            if multipart {
                ops.count_multipart(Ran::Software);
            }
        });
        req.soft_wipe();
        req.finish_with(result)
    }

    /// Computes the digest of `source` on the device if it can take it, else in software.
    fn run(&self, tfm: &HashTfm, req: Request, source: Source) -> Result<Submitted, Rejected> {
        let sync = SyncDecision::new(
            &self.algo.stats.sync_costs,
            Direction::Encrypt,
            source.len(),
            req.base(),
        );
        match self.device_session(tfm, &req, source, &sync) {
            Ok(session) => self.submit(tfm, req, session, source, &sync),
            Err(why) => sync.time_software(|| self.run_in_software(tfm, req, source, why)),
        }
    }

    /// The request's mode, checked.
    fn mode(&self, req: &impl HashContext<RequestState>) -> Result<Mode> {
        req.state().mode(self.algo.buffer_len()).ok_or(EINVAL)
    }

    /// `update` without the completion: buffers the data, or hashes it in software.
    fn update_message(&self, req: &mut Request) -> Result {
        match self.mode(req)? {
            Mode::Buffering(len) => {
                let n = req.nbytes();
                match len.checked_add(n) {
                    Some(total) if total <= self.algo.buffer_len() => {
                        req.copy_src_to_buffer(len)?;
                        req.state_mut().buffer(total);
                        Ok(())
                    }
                    _ => {
                        move_to_software(req, len)?;
                        req.soft_update()
                    }
                }
            }
            Mode::Software => req.soft_update(),
        }
    }

    /// Sets a MAC key: the software hash checks it (the generic errno), and the device
    /// gets it, or the equivalent digest of an HMAC key longer than the block size.
    fn set_mac_key(&self, tfm: &mut HashTfm, soft: SoftKey<'_>, key: &[u8]) -> Result {
        soft.set_key(key)?;
        let mut digest = [0u8; MAX_DIGEST];
        let device_key = match self.algo.key {
            KeyRule::Hmac(inner) => hmac_device_key(inner, key, &mut digest)?,
            _ => key,
        };
        let on_device = !device_key.is_empty()
            && tfm
                .device
                .get()
                .is_some_and(|d| family::accepts_key(self.algo, d, device_key.len()));
        let sessions = self.sessions_for(tfm, device_key, on_device);
        secret::wipe(&mut digest);
        tfm.sessions = sessions?;
        Ok(())
    }
}

impl Ahash for HashAlg {
    type Tfm = HashTfm;
    type State = RequestState;
    type Job = HashJob;

    fn init_tfm(&self) -> Result<(HashTfm, SoftHash)> {
        let algo = self.algo;
        let soft = SoftHash::new(algo.name)?;
        let mut tfm = HashTfm {
            device: TfmDevice::pick(&self.devices, |d| family::served_by(algo, d)),
            sessions: None,
        };
        if !algo.keyed() {
            tfm.sessions = self.sessions_for(&tfm, &[], true)?;
        }
        Ok((tfm, soft))
    }

    fn buffer_len(&self) -> usize {
        self.algo.buffer_len()
    }

    fn set_key(&self, tfm: &mut HashTfm, soft: SoftKey<'_>, key: &[u8]) -> Result {
        tfm.drop_key();
        let algo = self.algo;
        tfm.device
            .repick_if_gone(&self.devices, |d| family::served_by(algo, d));
        // On failure no key is left: the Crypto API refuses requests until one is set.
        self.set_mac_key(tfm, soft, key)
    }

    fn init(&self, _tfm: &HashTfm, mut req: Request) -> Result<Submitted, Rejected> {
        req.state_mut().buffer(0);
        Ok(req.done())
    }

    fn update(&self, _tfm: &HashTfm, mut req: Request) -> Result<Submitted, Rejected> {
        let result = self.update_message(&mut req);
        req.finish_with(result)
    }

    fn finish(&self, tfm: &HashTfm, mut req: Request) -> Result<Submitted, Rejected> {
        match self.mode(&req) {
            Ok(Mode::Buffering(len)) => self.run(tfm, req, Source::Buffer(len)),
            Ok(Mode::Software) => {
                let result = req.soft_final();
                self.software_done(tfm, req, result, true, Fallback::Limits)
            }
            Err(e) => Err(req.reject(e)),
        }
    }

    fn finup(&self, tfm: &HashTfm, mut req: Request) -> Result<Submitted, Rejected> {
        match self.mode(&req) {
            // Nothing before: a one-shot digest.
            Ok(Mode::Buffering(0)) => self.digest(tfm, req),
            Ok(Mode::Buffering(len)) => {
                let total = len.saturating_add(req.nbytes());
                if total <= self.algo.buffer_len() {
                    if let Err(e) = req.copy_src_to_buffer(len) {
                        return Err(req.reject(e));
                    }
                    return self.run(tfm, req, Source::Buffer(total));
                }
                let result = move_to_software(&mut req, len).and_then(|()| req.soft_finup());
                self.software_done(tfm, req, result, true, Fallback::Limits)
            }
            Ok(Mode::Software) => {
                let result = req.soft_finup();
                self.software_done(tfm, req, result, true, Fallback::Limits)
            }
            Err(e) => Err(req.reject(e)),
        }
    }

    fn digest(&self, tfm: &HashTfm, req: Request) -> Result<Submitted, Rejected> {
        let len = req.nbytes();
        self.run(tfm, req, Source::Request(len))
    }

    fn export(
        &self,
        _tfm: &HashTfm,
        req: &mut HashState<'_, RequestState>,
        out: &mut [u8],
    ) -> Result {
        if let Mode::Buffering(len) = self.mode(req)? {
            // The exported state is the software hash's: the message continues there.
            move_to_software(req, len)?;
        }
        req.soft_export(out)
    }

    fn import(
        &self,
        _tfm: &HashTfm,
        req: &mut HashState<'_, RequestState>,
        input: &[u8],
    ) -> Result {
        req.soft_import(input)?;
        req.state_mut().set_software();
        Ok(())
    }
}
