// SPDX-License-Identifier: GPL-2.0

//! An AEAD algorithm as an aead algorithm: its transforms (a key and tag length on a
//! device, the same in software) and how a request is served.
//!
//! The specification fixes the tag length per session: a transform's sessions are for its
//! current tag length, opened when the key is set, and `setauthsize` (process context,
//! before requests) replaces them with sessions for a new length. The
//! associated data's length travels in each request (`aad_len` of the data request; the
//! session's is 0), so no control request is made per request.

use super::{
    algos::{AeadAlgo, Scheme},
    job::{AeadJob, AeadOp},
    layout::{device_nonce, Layout, Nonce},
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
            aead::{split_authenc_key, Aead, Request},
            soft_aead::SoftAead,
            Rejected, Submitted,
        },
        errno,
        secret::SecretKey,
    },
    session::{
        hmac_key::{hmac_device_key, MAX_DIGEST},
        spec::SessionSpec,
    },
    util::shared::{change_shared, Changed},
    wire::{service, Direction},
};
use kernel::{prelude::*, sync::Arc};

/// Longest salt at the end of a key.
const MAX_SALT: usize = 4;

/// A key as the device takes it.
struct DeviceKey {
    /// The key material of its sessions: the cipher key, then (authenc) the MAC key.
    material: SecretKey,
    /// Length of the MAC key at the end of `material` (authenc), else 0.
    auth_len: usize,
}

/// A transform: its device and, once a key is set, the key's sessions there for the
/// current tag length, and the same key in software, which serves what the device cannot
/// take (a key it refuses, a request larger than its `max_size`, lengths the generic code
/// refuses, which it then refuses with the generic errno).
pub(crate) struct AeadTfm {
    device: TfmDevice,
    /// The device's sessions for the current key and tag length (none without a device).
    sessions: Option<KeySessions>,
    /// The current key as the device takes it; `None` if it stays in software.
    device_key: Option<DeviceKey>,
    /// Whether a key is set.
    keyed: bool,
    /// The current tag length.
    authsize: usize,
    /// The key's salt (rfc7539esp), part of every nonce.
    salt: [u8; MAX_SALT],
    /// The software implementation, with the same key and tag length; requests on the
    /// device hold it too, for the case that the device never answers ([`change_shared`]).
    soft: Option<Arc<SoftAead>>,
}

impl AeadTfm {
    fn drop_sessions(&mut self) {
        // Retires the sessions (`KeySessions`).
        self.sessions = None;
    }

    fn drop_key(&mut self) {
        self.drop_sessions();
        self.device_key = None;
        self.keyed = false;
    }

    /// Opens the sessions for the current key and tag length, both directions, now
    /// ([`TfmSessions::open_for_key`]).
    fn open_sessions(&mut self, algo: &AeadAlgo) -> Result {
        self.drop_sessions();
        let Some(device) = self.device.get() else {
            return Ok(());
        };
        let (spec, on_device) = match &self.device_key {
            Some(key) => {
                let kind = algo.session_kind_for(self.authsize, key.auth_len);
                (
                    SessionSpec::new(kind, key.material.bytes())?,
                    device.is_ready(),
                )
            }
            None => {
                let kind = algo.session_kind_for(self.authsize, 0);
                (SessionSpec::new(kind, &[])?, false)
            }
        };
        let sessions = TfmSessions::open_for_key(device.clone(), spec, on_device)?;
        self.sessions = Some(sessions);
        Ok(())
    }
}

impl Drop for AeadTfm {
    fn drop(&mut self) {
        self.drop_key();
    }
}

/// The aead algorithm for one [`AeadAlgo`].
pub(crate) struct AeadAlg {
    algo: &'static AeadAlgo,
    devices: Arc<DeviceList>,
}

impl AeadAlg {
    /// The algorithm for `algo`, served by the devices in `devices`.
    pub(crate) fn new(algo: &'static AeadAlgo, devices: Arc<DeviceList>) -> Self {
        Self { algo, devices }
    }

    /// Changes the transform's software implementation with `change` (see
    /// [`change_shared`]); a fresh one gets the current tag length first. Process context.
    fn change_soft(
        &self,
        tfm: &mut AeadTfm,
        change: impl FnOnce(&mut SoftAead) -> Result,
    ) -> Changed {
        let authsize = tfm.authsize;
        let fresh = || {
            let mut soft = SoftAead::new(self.algo.name)?;
            soft.set_authsize(authsize)?;
            Ok(soft)
        };
        change_shared(&mut tfm.soft, fresh, change)
    }

    /// The key as the device takes it, or `None` if the device does not take it: a
    /// cipher key its trials refused or above its limit, a MAC key (after an HMAC key
    /// longer than a block became its digest) empty or above its limit. `key` was
    /// accepted by the software implementation.
    fn device_key(&self, device: Option<&CryptoDevice>, key: &[u8]) -> Result<Option<DeviceKey>> {
        let Some(device) = device else {
            return Ok(None);
        };
        let algo = self.algo;
        let (cipher_key, auth_key, hash) = match algo.scheme {
            Scheme::Aead { salt_len, .. } => {
                let cipher_len = key.len().checked_sub(salt_len).ok_or(EINVAL)?;
                (key.get(..cipher_len).ok_or(EINVAL)?, &[][..], None)
            }
            Scheme::Authenc { hash, .. } => {
                let (cipher_key, auth_key) = split_authenc_key(key)?;
                (cipher_key, auth_key, Some(hash))
            }
        };
        let mut digest = [0u8; MAX_DIGEST];
        let auth_key = match hash {
            Some(hash) => hmac_device_key(hash, auth_key, &mut digest)?,
            None => auth_key,
        };
        let takes = device.is_ready()
            && family::accepts_key(algo, device, cipher_key.len())
            && match hash {
                Some(_) => {
                    !auth_key.is_empty()
                        && auth_key.len() <= device.config().key_limit(service::MAC)
                }
                None => true,
            };
        let key = match takes {
            true => Some(DeviceKey {
                material: SecretKey::concat(&[cipher_key, auth_key])?,
                auth_len: auth_key.len(),
            }),
            false => None,
        };
        crate::kernel_api::secret::wipe(&mut digest);
        Ok(key)
    }

    /// Serves `req`: on the device, or finished here (software, or refused).
    fn crypt(&self, tfm: &AeadTfm, req: Request, dir: Direction) -> Result<Submitted, Rejected> {
        // Associated data and text: the bytes the device reads.
        let len = req.assoclen().saturating_add(req.cryptlen());
        let sync = SyncDecision::new(&self.algo.stats.sync_costs, dir, len, req.base());
        let (op, device) = match self.plan(tfm, &req, dir, &sync) {
            Ok(Ok(planned)) => planned,
            Ok(Err(why)) => {
                return sync.time_software(|| self.run_in_software(tfm, req, dir, why));
            }
            Err(e) => return Err(req.reject(e)),
        };
        let job = match AeadJob::new(op, &req) {
            Ok(job) => job,
            // Lengths the generic code refuses (associated data shorter than
            // rfc7539esp's IV): it says with which errno.
            Err(_) => return self.run_in_software(tfm, req, dir, Fallback::Limits),
        };
        serve::offer(
            device,
            req,
            job,
            &sync,
            || {
                self.count(tfm, Ran::Device);
                self.algo.stats.on_device();
            },
            |req, why| self.run_in_software(tfm, req, dir, why),
        )
    }

    /// Counts one request on the device's counters of its service (`aead_ops` or
    /// `chain_ops`).
    fn count(&self, tfm: &AeadTfm, ran: Ran) {
        tfm.device.count(|ops| match self.algo.scheme {
            Scheme::Aead { .. } => ops.count(service::AEAD, ran),
            Scheme::Authenc { .. } => ops.count_chain(ran),
        })
    }

    /// Runs `req` to the end on the transform's software implementation, counted for
    /// `why`.
    fn run_in_software(
        &self,
        tfm: &AeadTfm,
        req: Request,
        dir: Direction,
        why: Fallback,
    ) -> Result<Submitted, Rejected> {
        self.count(tfm, Ran::Software);
        self.algo.stats.in_software(why);
        let (req, result) = match &tfm.soft {
            Some(soft) => req.run_in_software(soft, dir == Direction::Encrypt),
            None => (req, Err(errno::enokey())),
        };
        req.finish_with(result)
    }

    /// The device operation for `req`, or why it runs in software: whatever the device
    /// cannot take, including a device that is not ready or gone, and lengths the device's
    /// cipher cannot take (CBC wants whole blocks: the generic code refuses the others).
    fn plan<'a>(
        &self,
        tfm: &'a AeadTfm,
        req: &Request,
        dir: Direction,
        sync: &SyncDecision,
    ) -> Result<Result<(AeadOp, &'a CryptoDevice), Fallback>> {
        if !tfm.keyed {
            return Err(errno::enokey());
        }
        let algo = self.algo;
        let (layout, device_algo, nonce, salt_len) = match algo.scheme {
            Scheme::Aead {
                algo,
                nonce,
                salt_len,
                ad_iv,
            } => (Layout::Aead { ad_iv }, algo, nonce, salt_len),
            Scheme::Authenc { cipher, .. } => (Layout::Chain, cipher, Nonce::Iv, 0),
        };
        let (assoclen, cryptlen, tag) = (req.assoclen(), req.cryptlen(), req.authsize());
        let text = match dir {
            Direction::Encrypt => Some(cryptlen),
            Direction::Decrypt => cryptlen.checked_sub(tag),
        };
        let whole_blocks = text.and_then(|t| t.checked_rem(algo.block_size)) == Some(0);
        // An IV or length the generic code refuses (ccm) runs in software, which says
        // with which errno.
        let salt = tfm.salt.get(..salt_len).ok_or(EINVAL)?;
        let nonce = device_nonce(nonce, salt, req.iv(), text.unwrap_or(0));
        let total = assoclen
            .checked_add(cryptlen)
            .and_then(|l| l.checked_add(tag));
        let shape_ok = tag == tfm.authsize && whole_blocks && nonce.is_some();
        let route = serve::route(
            &tfm.device,
            tfm.sessions.as_deref(),
            // No sessions: a key the device does not take, or no device when it was set.
            Fallback::Limits,
            dir,
            req.base(),
            sync,
            |device| {
                shape_ok
                    && total.is_some_and(|l| {
                        u32::try_from(l).is_ok() && device.config().request_fits(l)
                    })
            },
        );
        let (session, device) = match route {
            Ok(routed) => routed,
            Err(why) => return Ok(Err(why)),
        };
        let op = AeadOp {
            dir,
            layout,
            algo: device_algo,
            nonce: nonce.ok_or(EINVAL)?,
            session,
            soft: tfm.soft.clone().ok_or_else(errno::enokey)?,
        };
        Ok(Ok((op, device)))
    }
}

impl Aead for AeadAlg {
    type Tfm = AeadTfm;
    type ReqCtx = AeadJob;

    fn init_tfm(&self) -> Result<AeadTfm> {
        let algo = self.algo;
        Ok(AeadTfm {
            device: TfmDevice::pick(&self.devices, |d| family::served_by(algo, d)),
            sessions: None,
            device_key: None,
            keyed: false,
            authsize: algo.maxauthsize,
            salt: [0; MAX_SALT],
            soft: Some(Arc::new(SoftAead::new(algo.name)?, GFP_KERNEL)?),
        })
    }

    fn soft(tfm: &AeadTfm) -> Option<&SoftAead> {
        tfm.soft.as_deref()
    }

    fn set_key(&self, tfm: &mut AeadTfm, key: &[u8]) -> Result {
        tfm.drop_key();
        let algo = self.algo;
        tfm.device
            .repick_if_gone(&self.devices, |d| family::served_by(algo, d));
        // The software implementation checks the key first: the generic errno.
        // A fresh one has the current tag length (`change_soft`) and gets the key.
        self.change_soft(tfm, |soft| soft.set_key(key)).result?;
        if let Scheme::Aead { salt_len, .. } = self.algo.scheme {
            let salt = key.get(key.len().saturating_sub(salt_len)..).unwrap_or(&[]);
            tfm.salt
                .get_mut(..salt.len())
                .ok_or(EINVAL)?
                .copy_from_slice(salt);
        }
        let device = tfm.device.get().map(|d| &**d);
        let result = self.device_key(device, key).and_then(|device_key| {
            tfm.device_key = device_key;
            tfm.open_sessions(self.algo)
        });
        match result {
            Ok(()) => tfm.keyed = true,
            // No half-set key.
            Err(_) => tfm.drop_key(),
        }
        result
    }

    fn set_authsize(&self, tfm: &mut AeadTfm, authsize: usize) -> Result {
        // The software implementation checks the length: the generic errno.
        // A fresh software transform (a request still held the old one, against the
        // rules), or none, has no key: the transform is then keyless.
        let changed = self.change_soft(tfm, |soft| soft.set_authsize(authsize));
        if changed.lost_earlier {
            tfm.drop_key();
        }
        changed.result?;
        if authsize == tfm.authsize {
            // The sessions are for this length already.
            return Ok(());
        }
        tfm.authsize = authsize;
        if tfm.keyed && tfm.open_sessions(self.algo).is_err() {
            // No sessions for the new length: software serves the transform.
            tfm.drop_sessions();
        }
        Ok(())
    }

    fn encrypt(&self, tfm: &AeadTfm, req: Request) -> Result<Submitted, Rejected> {
        self.crypt(tfm, req, Direction::Encrypt)
    }

    fn decrypt(&self, tfm: &AeadTfm, req: Request) -> Result<Submitted, Rejected> {
        self.crypt(tfm, req, Direction::Decrypt)
    }
}
