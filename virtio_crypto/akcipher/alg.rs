// SPDX-License-Identifier: GPL-2.0

//! Raw RSA as an akcipher algorithm (`rsa`): its transforms (a key's session on a device,
//! the key's modulus) and how a request is served. The kernel's templates build every
//! padded and signature algorithm over it (`pkcs1pad(rsa,...)` on 6.12, also
//! `pkcs1(rsa,...)` signatures from 6.13), so they reach the device through it.

use super::{algos::AkcipherAlgorithm, job::RsaJob, rsa_math};
use crate::{
    catalog::{family, serve},
    device::{
        alg_stats::{AlgStats, Fallback},
        op_counters::Ran,
        registry::DeviceList,
        sync_costs::SyncDecision,
        tfm_device::TfmDevice,
        tfm_sessions::KeySessions,
        CryptoDevice,
    },
    kernel_api::crypto::{
        akcipher::{Akcipher, KeyKind, Ops, Request, SoftOp},
        rsa_key::{Modulus, MAX_MODULUS_BYTES},
        Rejected, Submitted,
    },
    wire::{service, Direction},
};
use kernel::{prelude::*, str::CStr, sync::Arc};

/// A transform: the device it runs on and, once a key is set, the key's session there and
/// its modulus.
pub(crate) struct RsaTfm {
    device: TfmDevice,
    sessions: Option<KeySessions>,
    modulus: Option<KBox<Modulus>>,
    kind: KeyKind,
}

/// The akcipher algorithm for raw RSA.
pub(crate) struct RsaAkcipher {
    alg: &'static AkcipherAlgorithm,
    devices: Arc<DeviceList>,
    /// The one device its transforms use (a probe of that device), if any.
    only: Option<Arc<CryptoDevice>>,
}

impl RsaAkcipher {
    /// The algorithm described by `alg`, served by the devices in `devices`.
    pub(crate) fn new(alg: &'static AkcipherAlgorithm, devices: Arc<DeviceList>) -> Self {
        Self {
            alg,
            devices,
            only: None,
        }
    }

    /// The algorithm on `device` alone (of `devices`), for a known-answer probe.
    pub(crate) fn on_device(
        alg: &'static AkcipherAlgorithm,
        devices: Arc<DeviceList>,
        device: Arc<CryptoDevice>,
    ) -> Self {
        Self {
            alg,
            devices,
            only: Some(device),
        }
    }

    /// The algorithm's counters, unless this is a probe (not a user's request: the device's
    /// own counters still count it).
    fn stats(&self) -> Option<&AlgStats> {
        self.only.is_none().then_some(&self.alg.stats)
    }

    /// Whether `dev` may serve this algorithm's transforms.
    fn serves(&self, dev: &CryptoDevice) -> bool {
        let only_this = match self.only.as_deref() {
            Some(only) => core::ptr::eq(only, dev),
            None => true,
        };
        only_this && family::served_by(self.alg, dev)
    }

    /// Counts one request run in software for `why`.
    fn count_software(&self, tfm: &RsaTfm, why: Fallback) {
        tfm.device
            .count(|ops| ops.count(service::AKCIPHER, Ran::Software));
        if let Some(stats) = self.stats() {
            stats.in_software(why);
        }
    }

    /// Serves `req` with the public (`Encrypt`) or private (`Decrypt`) key operation.
    fn run(&self, tfm: &RsaTfm, mut req: Request, op: SoftOp) -> Result<Submitted, Rejected> {
        let dir = match op {
            SoftOp::Encrypt => Direction::Encrypt,
            _ => Direction::Decrypt,
        };
        let Some(modulus) = tfm.modulus.as_deref().filter(|_| req.keyed()) else {
            // No key: the generic code's answer (`EINVAL`), from the generic code.
            let result = req.run_in_software(op);
            return req.finish_with(result);
        };
        // The private operation needs a private key (the generic code: `EINVAL`).
        if op == SoftOp::Decrypt && tfm.kind != KeyKind::Private {
            return Err(req.reject(EINVAL));
        }
        let n = modulus.bytes();
        let mut input = [0u8; MAX_MODULUS_BYTES];
        if let Err(e) = read_input(&req, n, &mut input) {
            return Err(req.reject(e));
        }
        if req.dst().is_none() {
            return Err(req.reject(EINVAL));
        }
        let sync = SyncDecision::new(&self.alg.stats.sync_costs, dir, n.len(), req.base());
        let route = serve::route(
            &tfm.device,
            tfm.sessions.as_deref(),
            Fallback::NotReady,
            dir,
            req.base(),
            &sync,
            |device| device.config().request_fits(n.len()),
        );
        let (session, device) = match route {
            Ok(routed) => routed,
            Err(why) => {
                self.count_software(tfm, why);
                let result = sync.time_software(|| req.run_in_software(op));
                return req.finish_with(result);
            }
        };
        let job = match RsaJob::new(
            op,
            self.alg.algo,
            session,
            n,
            input.get(..n.len()).unwrap_or(&[]),
        ) {
            Ok(job) => job,
            Err(e) => return Err(req.reject(e)),
        };
        serve::offer(
            device,
            req,
            job,
            &sync,
            || {
                device.ops().count(service::AKCIPHER, Ran::Device);
                if let Some(stats) = self.stats() {
                    stats.on_device();
                }
            },
            |mut req, why| {
                self.count_software(tfm, why);
                let result = req.run_in_software(op);
                req.finish_with(result)
            },
        )
    }
}

/// Reads the request's source into `input` as a number of the modulus' size, refusing
/// what the generic code refuses (`rsa_check_payload`: `1 < x < n - 1`; `EINVAL`).
fn read_input(req: &Request, n: &[u8], input: &mut [u8; MAX_MODULUS_BYTES]) -> Result {
    let k = n.len();
    let src_len = req.src_len();
    let (excess, offset) = rsa_math::input_placement(src_len, k).ok_or(EINVAL)?;
    let src = req.src().ok_or(EINVAL)?;
    // Source bytes beyond the key's size must be leading zeros.
    let mut skipped = 0;
    while skipped < excess {
        let mut chunk = [0u8; 64];
        let len = (excess - skipped).min(chunk.len());
        let part = chunk.get_mut(..len).ok_or(EINVAL)?;
        src.copy_to_buffer(part, skipped)?;
        if part.iter().any(|&b| b != 0) {
            return Err(EINVAL);
        }
        skipped += len;
    }
    let value = input.get_mut(..k).ok_or(EINVAL)?;
    value.fill(0);
    src.copy_to_buffer(value.get_mut(offset..).ok_or(EINVAL)?, excess)?;
    if !rsa_math::payload_ok(value, n) {
        return Err(EINVAL);
    }
    Ok(())
}

impl Akcipher for RsaAkcipher {
    type Tfm = RsaTfm;
    type ReqCtx = RsaJob;

    const OPS: Ops = Ops {
        crypt: true,
        verify: false,
    };

    fn software_name(&self) -> &'static CStr {
        self.alg.name
    }

    fn init_tfm(&self) -> Result<RsaTfm> {
        Ok(RsaTfm {
            device: TfmDevice::pick(&self.devices, |d| self.serves(d)),
            sessions: None,
            modulus: None,
            kind: KeyKind::Public,
        })
    }

    fn set_key(&self, tfm: &mut RsaTfm, key: &[u8], kind: KeyKind) -> Result {
        tfm.sessions = None;
        tfm.modulus = None;
        let modulus = KBox::new(Modulus::parse(key, kind)?, GFP_KERNEL)?;
        tfm.kind = kind;
        tfm.sessions = self.alg.open_key(
            &mut tfm.device,
            &self.devices,
            |d| self.serves(d),
            key,
            kind,
        )?;
        tfm.modulus = Some(modulus);
        Ok(())
    }

    fn encrypt(&self, tfm: &RsaTfm, req: Request) -> Result<Submitted, Rejected> {
        self.run(tfm, req, SoftOp::Encrypt)
    }

    fn decrypt(&self, tfm: &RsaTfm, req: Request) -> Result<Submitted, Rejected> {
        self.run(tfm, req, SoftOp::Decrypt)
    }
}
