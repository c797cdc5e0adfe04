// SPDX-License-Identifier: GPL-2.0

//! ECDSA verification as akcipher algorithms (`ecdsa-nist-p192`...`p521`, kernels before
//! 6.13, whose akcipher type has `verify`): a public key's session on a device, and how a
//! verification is served. The kernel has no ECDSA signing, so neither do these.

use super::{
    algos::AkcipherAlgorithm,
    ecdsa_job::{EcdsaVerifyJob, MAX_VERIFY_INPUT},
    ecdsa_sig,
};
use crate::{
    catalog::{family, serve},
    device::{
        alg_stats::Fallback, op_counters::Ran, registry::DeviceList, sync_costs::SyncDecision,
        tfm_device::TfmDevice, tfm_sessions::KeySessions,
    },
    kernel_api::crypto::{
        akcipher::{Akcipher, KeyKind, Ops, Request, SoftOp},
        Rejected, Submitted,
    },
    wire::{service, Direction},
};
use kernel::{prelude::*, str::CStr, sync::Arc};

/// A transform: the device it runs on and, once a public key is set, its session there.
pub(crate) struct EcdsaTfm {
    device: TfmDevice,
    sessions: Option<KeySessions>,
}

/// The akcipher algorithm for ECDSA verification on one curve.
pub(crate) struct EcdsaAkcipher {
    alg: &'static AkcipherAlgorithm,
    curve: &'static ecdsa_sig::Curve,
    devices: Arc<DeviceList>,
}

impl EcdsaAkcipher {
    /// The algorithm described by `alg`, on `curve`, served by the devices in `devices`.
    pub(crate) fn new(
        alg: &'static AkcipherAlgorithm,
        curve: &'static ecdsa_sig::Curve,
        devices: Arc<DeviceList>,
    ) -> Self {
        Self {
            alg,
            curve,
            devices,
        }
    }

    /// Runs `req` in the generic code, counted for `why`.
    fn in_software(
        &self,
        tfm: &EcdsaTfm,
        mut req: Request,
        why: Fallback,
    ) -> Result<Submitted, Rejected> {
        tfm.device
            .count(|ops| ops.count(service::AKCIPHER, Ran::Software));
        self.alg.stats.in_software(why);
        let result = req.run_in_software(SoftOp::Verify);
        req.finish_with(result)
    }
}

impl Akcipher for EcdsaAkcipher {
    type Tfm = EcdsaTfm;
    type ReqCtx = EcdsaVerifyJob;

    const OPS: Ops = Ops {
        crypt: false,
        verify: true,
        max_size_needs_key: false,
    };

    fn software_name(&self) -> &'static CStr {
        self.alg.name
    }

    fn init_tfm(&self) -> Result<EcdsaTfm> {
        let alg = self.alg;
        Ok(EcdsaTfm {
            device: TfmDevice::pick(&self.devices, |d| family::served_by(alg, d)),
            sessions: None,
        })
    }

    /// A public key (`04 || X || Y`, which the generic code has checked is on the curve).
    fn set_key(&self, tfm: &mut EcdsaTfm, key: &[u8], kind: KeyKind) -> Result {
        tfm.sessions = None;
        if kind != KeyKind::Public {
            return Err(EINVAL);
        }
        let alg = self.alg;
        tfm.sessions = alg.open_key(
            &mut tfm.device,
            &self.devices,
            |d| family::served_by(alg, d),
            |d, len| family::accepts_key(alg, d, len),
            key,
            kind,
        )?;
        Ok(())
    }

    /// The signature goes to the device if it is one the device's answer decides exactly
    /// ([`ecdsa_sig::for_device`]); anything else, digests the curve would reduce
    /// differently, and inputs longer than the job holds run in the generic code. Without
    /// a key: `EINVAL`, as there.
    fn verify(&self, tfm: &EcdsaTfm, req: Request) -> Result<Submitted, Rejected> {
        // No key: the generic code's `EINVAL`.
        if !req.keyed() {
            return Err(req.reject(EINVAL));
        }
        let (sig_len, digest_len) = (req.src_len(), req.dst_len());
        let mut input = [0u8; MAX_VERIFY_INPUT];
        let total = sig_len.saturating_add(digest_len);
        let Some(buf) = input
            .get_mut(..total)
            .filter(|_| digest_len > 0 && digest_len <= self.curve.exact_digest_len)
        else {
            return self.in_software(tfm, req, Fallback::Limits);
        };
        match req.src() {
            Some(src) if src.copy_to_buffer(buf, 0).is_ok() => {}
            _ => return self.in_software(tfm, req, Fallback::Limits),
        }
        let (sig, digest) = buf.split_at(sig_len);
        let Some(sig) = ecdsa_sig::for_device(sig, self.curve).and_then(|len| sig.get(..len))
        else {
            return self.in_software(tfm, req, Fallback::Limits);
        };
        let sync = SyncDecision::new(
            &self.alg.stats.sync_costs,
            Direction::Encrypt,
            total,
            req.base(),
        );
        let route = serve::route(
            &tfm.device,
            tfm.sessions.as_deref(),
            Fallback::NotReady,
            Direction::Encrypt,
            req.base(),
            &sync,
            |device| device.config().request_fits(total),
        );
        let (session, device) = match route {
            Ok(routed) => routed,
            Err(why) => return sync.time_software(|| self.in_software(tfm, req, why)),
        };
        let job = match EcdsaVerifyJob::new(self.alg.algo, session, sig, digest) {
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
                self.alg.stats.on_device();
            },
            |req, why| self.in_software(tfm, req, why),
        )
    }
}
