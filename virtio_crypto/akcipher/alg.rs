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
/// its modulus (shared with the requests, which check the device's results against it).
pub(crate) struct RsaTfm {
    device: TfmDevice,
    sessions: Option<KeySessions>,
    modulus: Option<Arc<Modulus>>,
    kind: KeyKind,
}

/// The akcipher algorithm for raw RSA.
pub(crate) struct RsaAkcipher {
    alg: &'static AkcipherAlgorithm,
    devices: Arc<DeviceList>,
    /// A known-answer probe of this one device (before the algorithm is registered for
    /// it): every request on it, none in software, none measured or counted as the
    /// algorithm's.
    probe: Option<Arc<CryptoDevice>>,
}

impl RsaAkcipher {
    /// The algorithm described by `alg`, served by the devices in `devices`.
    pub(crate) fn new(alg: &'static AkcipherAlgorithm, devices: Arc<DeviceList>) -> Self {
        Self {
            alg,
            devices,
            probe: None,
        }
    }

    /// The algorithm as a probe of `device` (of `devices`): see [`RsaAkcipher::probe`].
    pub(crate) fn probing(
        alg: &'static AkcipherAlgorithm,
        devices: Arc<DeviceList>,
        device: Arc<CryptoDevice>,
    ) -> Self {
        Self {
            alg,
            devices,
            probe: Some(device),
        }
    }

    /// Whether `dev` may serve this algorithm's transforms: one that serves it, or the
    /// probed device.
    fn serves(&self, dev: &CryptoDevice) -> bool {
        match self.probe.as_deref() {
            Some(probed) => core::ptr::eq(probed, dev),
            None => family::served_by(self.alg, dev),
        }
    }

    /// Whether `dev` takes a key of `len` bytes (the probed device takes its trial key).
    fn takes(&self, dev: &CryptoDevice, len: usize) -> bool {
        self.probe.is_some() || family::accepts_key(self.alg, dev, len)
    }

    /// The algorithm's counters, unless this is a probe (not a user's request: the
    /// device's own counters still count it).
    fn stats(&self) -> Option<&AlgStats> {
        self.probe.is_none().then_some(&self.alg.stats)
    }

    /// Runs `req` to the end in the kernel's software, counted for `why`; a probe fails
    /// instead (it is there to see the device compute).
    fn in_software(
        &self,
        tfm: &RsaTfm,
        sync: &SyncDecision,
        mut req: Request,
        op: SoftOp,
        why: Fallback,
    ) -> Result<Submitted, Rejected> {
        if self.probe.is_some() {
            return Err(req.reject(ENODEV));
        }
        tfm.device
            .count(|ops| ops.count(service::AKCIPHER, Ran::Software));
        self.alg.stats.in_software(why);
        let result = sync.time_software(|| req.run_in_software(op));
        req.finish_with(result)
    }

    /// Serves `req` with the public (`Encrypt`) or private (`Decrypt`) key operation.
    fn run(&self, tfm: &RsaTfm, req: Request, op: SoftOp) -> Result<Submitted, Rejected> {
        let dir = match op {
            SoftOp::Encrypt => Direction::Encrypt,
            _ => Direction::Decrypt,
        };
        // No key (the generic code: `EINVAL`), or the private operation without a private
        // key (the same).
        let modulus = match &tfm.modulus {
            Some(modulus) if req.keyed() => modulus,
            _ => return Err(req.reject(EINVAL)),
        };
        if op == SoftOp::Decrypt && tfm.kind != KeyKind::Private {
            return Err(req.reject(EINVAL));
        }
        let sync = match self.probe {
            Some(_) => SyncDecision::device_only(),
            None => SyncDecision::new(
                &self.alg.stats.sync_costs,
                dir,
                modulus.bytes().len(),
                req.base(),
            ),
        };
        // Shapes only the generic code judges exactly (a source longer than the key, a
        // list shorter than its length, no destination): there.
        let mut input = [0u8; MAX_MODULUS_BYTES];
        match read_input(&req, modulus.bytes(), &mut input) {
            Ok(true) => {}
            Ok(false) => return self.in_software(tfm, &sync, req, op, Fallback::Limits),
            Err(e) => return Err(req.reject(e)),
        }
        let k = modulus.bytes().len();
        let route = serve::route(
            &tfm.device,
            tfm.sessions.as_deref(),
            Fallback::NotReady,
            dir,
            req.base(),
            &sync,
            |device| device.config().request_fits(k),
        );
        let (session, device) = match route {
            Ok(routed) => routed,
            Err(why) => return self.in_software(tfm, &sync, req, op, why),
        };
        let input = input.get(..k).unwrap_or(&[]);
        let job = match RsaJob::new(
            op,
            self.alg.algo,
            session,
            modulus.clone(),
            input,
            self.probe.is_some(),
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
            |req, why| self.in_software(tfm, &sync, req, op, why),
        )
    }
}

/// Reads the request's source into `input` as a number of the modulus' size: `Ok(false)`
/// for what the generic code should judge (see [`RsaAkcipher::run`]), `EINVAL` for what it
/// refuses (`rsa_check_payload`: `1 < x < n - 1`).
fn read_input(req: &Request, n: &[u8], input: &mut [u8; MAX_MODULUS_BYTES]) -> Result<bool> {
    let k = n.len();
    let src_len = req.src_len();
    let (Some(src), Some(_), Some(offset)) = (req.src(), req.dst(), k.checked_sub(src_len)) else {
        return Ok(false);
    };
    let value = input.get_mut(..k).ok_or(EINVAL)?;
    value.fill(0);
    let Some(low) = value.get_mut(offset..) else {
        return Ok(false);
    };
    if src.copy_to_buffer(low, 0).is_err() {
        return Ok(false);
    }
    if !rsa_math::payload_ok(value, n) {
        return Err(EINVAL);
    }
    Ok(true)
}

impl Akcipher for RsaAkcipher {
    type Tfm = RsaTfm;
    type ReqCtx = RsaJob;

    const OPS: Ops = Ops {
        crypt: true,
        verify: false,
        max_size_needs_key: true,
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
        let modulus = Arc::new(Modulus::parse(key, kind)?, GFP_KERNEL)?;
        tfm.kind = kind;
        tfm.sessions = self.alg.open_key(
            &mut tfm.device,
            &self.devices,
            |d| self.serves(d),
            |d, len| self.takes(d, len),
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
