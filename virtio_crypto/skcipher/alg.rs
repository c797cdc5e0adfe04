// SPDX-License-Identifier: GPL-2.0

//! A cipher mode as an skcipher algorithm: its transforms (a key on a device, and the same
//! key in software) and how a request is served.

use super::{
    job::{iv_block, CipherJob, CipherOp, NextIv, Tail, MAX_IV_LEN},
    modes::{Chaining, CipherMode},
    xts_steal::{XtsKeys, XtsSteal},
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
            skcipher::{KeyCheck, Request, Skcipher},
            soft_skcipher::SoftCipher,
            Rejected, Submitted,
        },
        errno,
    },
    session::spec::{SessionKind, SessionSpec},
    util::shared::change_shared,
    wire::{service, Direction},
};
use kernel::{prelude::*, sync::Arc};

/// Adds `blocks` to a big-endian counter.
fn counter_add(counter: &mut [u8], mut blocks: u64) {
    for byte in counter.iter_mut().rev() {
        if blocks == 0 {
            break;
        }
        let sum = u64::from(*byte) + (blocks & 0xff);
        *byte = sum as u8;
        blocks = (blocks >> 8) + (sum >> 8);
    }
}

/// A transform: the device it runs on and, once a key is set, the key's sessions there
/// (opened when the key is set) and the same key in software, which serves what the device
/// cannot take: a key it refuses, a session it has no room for, a request larger than its
/// `max_size`, and the requests a device lost (removed or suspended before it answered).
/// For XTS it also holds the expanded key halves that ciphertext stealing needs.
pub(crate) struct CipherTfm {
    device: TfmDevice,
    /// The device's sessions for the current key (none without a device).
    sessions: Option<KeySessions>,
    xts_keys: Option<Arc<XtsKeys>>,
    /// The software implementation, with the current key; requests on the device hold it
    /// too, for the case that the device never answers ([`change_shared`]).
    soft: Option<Arc<SoftCipher>>,
    /// Whether a key is set.
    keyed: bool,
}

impl CipherTfm {
    fn drop_key(&mut self) {
        self.xts_keys = None;
        self.keyed = false;
        // Retires the sessions (`KeySessions`).
        self.sessions = None;
    }

    fn set_key(&mut self, mode: &'static CipherMode, key: &[u8], devices: &DeviceList) -> Result {
        self.drop_key();
        // A fresh software transform (should a request still hold the old one) gets the
        // key as well: nothing else of the old one is needed.
        change_shared(
            &mut self.soft,
            || SoftCipher::new(mode.name),
            |s| s.set_key(key),
        )
        .result?;
        let xts_keys = match mode.chaining {
            Chaining::Xts => Some(XtsKeys::new(key)?),
            _ => None,
        };
        self.device
            .repick_if_gone(devices, |d| family::served_by(mode, d));
        self.xts_keys = xts_keys;
        self.keyed = true;
        let Some(device) = self.device.get() else {
            return Ok(());
        };
        // A key set while the device is not ready stays in software.
        let on_device = device.is_ready() && family::accepts_key(mode, device, key.len());
        let spec = SessionSpec::new(SessionKind::Cipher { algo: mode.algo }, key)?;
        let sessions = TfmSessions::open_for_key(device.clone(), spec, on_device)?;
        self.sessions = Some(sessions);
        Ok(())
    }
}

impl Drop for CipherTfm {
    fn drop(&mut self) {
        self.drop_key();
    }
}

/// The skcipher algorithm for one [`CipherMode`].
pub(crate) struct CipherAlg {
    mode: &'static CipherMode,
    devices: Arc<DeviceList>,
}

impl CipherAlg {
    /// The algorithm for `mode`, served by the devices in `devices`.
    pub(crate) fn new(mode: &'static CipherMode, devices: Arc<DeviceList>) -> Self {
        Self { mode, devices }
    }

    /// Serves `req`: finished here (software, or nothing to do), or on the device.
    fn crypt(
        &self,
        tfm: &CipherTfm,
        mut req: Request,
        dir: Direction,
    ) -> Result<Submitted, Rejected> {
        let sync = SyncDecision::new(&self.mode.stats.sync_costs, dir, req.cryptlen(), req.base());
        let (op, device) = match self.plan(tfm, &mut req, dir, &sync) {
            Ok(Plan::Done) => return Ok(req.done()),
            Ok(Plan::Device(op, device)) => (op, device),
            Err(e) => return Err(req.reject(e)),
        };
        let job = match CipherJob::new(op, &req) {
            Ok(job) => job,
            Err(e) => return Err(req.reject(e)),
        };
        serve::offer(
            device,
            req,
            job,
            &sync,
            || {
                device.ops().count(service::CIPHER, Ran::Device);
                self.mode.stats.on_device();
            },
            |mut req, why| {
                let result = self.run_in_software(tfm, &mut req, dir, why);
                req.finish_with(result)
            },
        )
    }

    /// Counts one request run in software for `why`: the algorithm's counters and the
    /// device's `cipher_ops`.
    fn count_software(&self, tfm: &CipherTfm, why: Fallback) {
        tfm.device
            .count(|ops| ops.count(service::CIPHER, Ran::Software));
        self.mode.stats.in_software(why);
    }

    /// Runs `req` to the end on the transform's software cipher, counted for `why`.
    fn run_in_software(
        &self,
        tfm: &CipherTfm,
        req: &mut Request,
        dir: Direction,
        why: Fallback,
    ) -> Result {
        self.count_software(tfm, why);
        let soft = tfm.soft.as_ref().ok_or_else(errno::enokey)?;
        soft.crypt(req, dir == Direction::Encrypt)
    }

    /// Decides how `req` is served; runs it at once where that is the answer (software:
    /// whatever the device cannot take, including a device that is not ready or gone; XTS
    /// stealing alone). Errors are the generic code's (`EINVAL` for bad lengths, `ENOKEY`
    /// without a key).
    fn plan<'a>(
        &self,
        tfm: &'a CipherTfm,
        req: &mut Request,
        dir: Direction,
        sync: &SyncDecision,
    ) -> Result<Plan<'a>> {
        let mode = self.mode;
        let unit = mode.cipher_block;
        let len = req.cryptlen();
        let whole_units = len.checked_rem(unit) == Some(0);
        match mode.chaining {
            Chaining::Ecb | Chaining::Cbc if !whole_units => return Err(EINVAL),
            Chaining::Xts if len < unit => return Err(EINVAL),
            _ => {}
        }
        if len == 0 {
            return Ok(Plan::Done);
        }
        if !tfm.keyed {
            return Err(errno::enokey());
        }
        let route = serve::route(
            &tfm.device,
            tfm.sessions.as_deref(),
            // No device when the key was set.
            Fallback::NotReady,
            dir,
            req.base(),
            sync,
            |device| device.config().request_fits(len),
        );
        let (session, device) = match route {
            Ok(routed) => routed,
            Err(why) => {
                sync.time_software(|| self.run_in_software(tfm, req, dir, why))?;
                return Ok(Plan::Done);
            }
        };
        let ivsize = mode.ivsize();
        let next_iv = match (mode.chaining, dir) {
            (Chaining::Ecb | Chaining::Xts, _) => NextIv::None,
            (Chaining::Cbc, Direction::Encrypt) => NextIv::LastDstBlock,
            (Chaining::Cbc, Direction::Decrypt) => {
                // Saved now: an in-place decryption overwrites the last ciphertext block.
                let mut last = [0u8; MAX_IV_LEN];
                let block = last.get_mut(..ivsize).ok_or(EINVAL)?;
                req.src().copy_to_buffer(block, len - ivsize)?;
                NextIv::Value(last)
            }
            (Chaining::Ctr, _) => {
                let mut counter = iv_block(req);
                let value = counter.get_mut(..ivsize).ok_or(EINVAL)?;
                let blocks = (len + unit - 1).checked_div(unit).ok_or(EINVAL)?;
                counter_add(value, blocks as u64);
                NextIv::Value(counter)
            }
        };
        let tail = match mode.chaining {
            Chaining::Ctr => Tail::Pad,
            Chaining::Xts if !whole_units => {
                let keys = tfm.xts_keys.clone().ok_or_else(errno::enokey)?;
                let steal = XtsSteal::new(keys, iv_block(req), dir);
                let device_len = XtsSteal::device_len(dir, len);
                if device_len == 0 {
                    // One block and a partial one, decrypting: all of it is stealing, done
                    // here with the AES library.
                    self.count_software(tfm, Fallback::Limits);
                    steal.finish(req, len)?;
                    return Ok(Plan::Done);
                }
                Tail::Steal { device_len, steal }
            }
            _ => Tail::None,
        };
        let op = CipherOp {
            dir,
            algo: mode.algo,
            session,
            next_iv,
            unit,
            tail,
            soft: tfm.soft.clone().ok_or_else(errno::enokey)?,
        };
        Ok(Plan::Device(op, device))
    }
}

/// How a request is served.
enum Plan<'a> {
    /// It is finished (nothing to do, or run in software).
    Done,
    /// It goes to this device.
    Device(CipherOp, &'a CryptoDevice),
}

impl Skcipher for CipherAlg {
    type Tfm = CipherTfm;
    type ReqCtx = CipherJob;

    fn key_check(&self) -> KeyCheck {
        self.mode.key_check
    }

    fn init_tfm(&self) -> Result<CipherTfm> {
        let mode = self.mode;
        Ok(CipherTfm {
            device: TfmDevice::pick(&self.devices, |d| family::served_by(mode, d)),
            sessions: None,
            xts_keys: None,
            soft: Some(Arc::new(SoftCipher::new(mode.name)?, GFP_KERNEL)?),
            keyed: false,
        })
    }

    fn set_key(&self, tfm: &mut CipherTfm, key: &[u8]) -> Result {
        if !self.mode.key_sizes.contains(&key.len()) {
            return Err(EINVAL);
        }
        let result = tfm.set_key(self.mode, key, &self.devices);
        if result.is_err() {
            // No half-set key: requests get `ENOKEY` until a key is set.
            tfm.drop_key();
        }
        result
    }

    fn encrypt(&self, tfm: &CipherTfm, req: Request) -> Result<Submitted, Rejected> {
        self.crypt(tfm, req, Direction::Encrypt)
    }

    fn decrypt(&self, tfm: &CipherTfm, req: Request) -> Result<Submitted, Rejected> {
        self.crypt(tfm, req, Direction::Decrypt)
    }
}
