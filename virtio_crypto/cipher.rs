// SPDX-License-Identifier: GPL-2.0

//! Block cipher modes offered as skcipher algorithms, and their implementation on top of
//! device sessions.

use crate::{
    dataq::{CipherOp, NextIv, MAX_IV_LEN},
    device::CryptoDevice,
    registry::DeviceList,
    sys::{
        errno,
        skcipher::{AlgInfo, Request, Skcipher, Submitted},
    },
    wire::{cipher_algo, Direction},
};
use kernel::{c_str, prelude::*, str::CStr, sync::Arc};

/// Priority of our algorithms: above the generic C code (100) and the in-tree virtio
/// driver (150), so that `cbc(aes)` users get the device.
const PRIORITY: i32 = 200;

/// How a mode chains blocks, which decides its output IV.
#[derive(Clone, Copy)]
pub(crate) enum Chaining {
    /// Cipher block chaining: the output IV is the last ciphertext block.
    Cbc,
}

/// A cipher mode the driver can offer.
pub(crate) struct CipherMode {
    /// Crypto API algorithm name.
    pub(crate) name: &'static CStr,
    /// Our implementation's name.
    pub(crate) driver_name: &'static CStr,
    /// The device's algorithm number.
    pub(crate) algo: u32,
    /// Block size; request lengths must be multiples of it.
    pub(crate) block_size: usize,
    /// Valid key lengths, as the generic implementation accepts them.
    pub(crate) key_sizes: &'static [usize],
    /// IV length.
    pub(crate) ivsize: usize,
    /// Block chaining.
    pub(crate) chaining: Chaining,
}

/// Every mode the driver knows, registered when a device advertises it.
pub(crate) static MODES: [CipherMode; 1] = [CipherMode {
    name: c_str!("cbc(aes)"),
    driver_name: c_str!("cbc-aes-virtio-rs"),
    algo: cipher_algo::AES_CBC,
    block_size: 16,
    key_sizes: &[16, 24, 32],
    ivsize: 16,
    chaining: Chaining::Cbc,
}];

impl CipherMode {
    /// The description the Crypto API registration needs.
    pub(crate) fn alg_info(&self) -> AlgInfo {
        let min = self.key_sizes.iter().copied().min().unwrap_or(0);
        let max = self.key_sizes.iter().copied().max().unwrap_or(0);
        AlgInfo {
            name: self.name,
            driver_name: self.driver_name,
            priority: PRIORITY,
            block_size: self.block_size as u32,
            min_keysize: min as u32,
            max_keysize: max as u32,
            ivsize: self.ivsize as u32,
            // Requests allocate their descriptors (see `dataq`).
            extra_flags: crate::sys::bindings::CRYPTO_ALG_ALLOCATES_MEMORY,
        }
    }

    /// Whether `dev` can serve this mode.
    pub(crate) fn served_by(&self, dev: &CryptoDevice) -> bool {
        dev.config().hw_ready && dev.config().has_cipher(self.algo)
    }
}

/// A pair of device sessions for one key: the device fixes the direction per session.
struct Sessions {
    encrypt: u64,
    decrypt: u64,
}

/// A transform: the device it runs on and, once a key is set, its sessions.
pub(crate) struct CipherTfm {
    device: Arc<CryptoDevice>,
    sessions: Option<Sessions>,
}

impl CipherTfm {
    fn destroy_sessions(&mut self) {
        if let Some(s) = self.sessions.take() {
            if !self.device.is_alive() {
                return;
            }
            for id in [s.encrypt, s.decrypt] {
                if let Err(e) = self.device.control().destroy_cipher_session(id) {
                    pr_warn!(
                        "virtio{}: destroying session {} failed: {:?}\n",
                        self.device.index(),
                        id,
                        e
                    );
                }
            }
        }
    }
}

impl Drop for CipherTfm {
    fn drop(&mut self) {
        self.destroy_sessions();
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

    fn crypt(&self, tfm: &CipherTfm, req: Request, dir: Direction) -> Result<Submitted> {
        let len = req.cryptlen();
        if len.checked_rem(self.mode.block_size) != Some(0) {
            return Err(EINVAL);
        }
        if len == 0 {
            return Ok(Submitted::Done);
        }
        let sessions = tfm.sessions.as_ref().ok_or_else(errno::enokey)?;
        let (session_id, next_iv) = match (self.mode.chaining, dir) {
            (Chaining::Cbc, Direction::Encrypt) => (sessions.encrypt, NextIv::LastDstBlock),
            (Chaining::Cbc, Direction::Decrypt) => {
                // Saved now: an in-place decryption overwrites the last ciphertext block.
                let mut last = [0u8; MAX_IV_LEN];
                let ivsize = self.mode.ivsize;
                req.src()
                    .copy_to_buffer(&mut last[..ivsize], len - ivsize)?;
                (sessions.decrypt, NextIv::Value(last))
            }
        };
        let op = CipherOp {
            dir,
            algo: self.mode.algo,
            session_id,
            next_iv,
        };
        tfm.device.submit_cipher(op, req)?;
        Ok(Submitted::InProgress)
    }
}

impl Skcipher for CipherAlg {
    type Tfm = CipherTfm;

    fn init_tfm(&self) -> Result<CipherTfm> {
        let mode = self.mode;
        let device = self.devices.pick(|d| mode.served_by(d)).ok_or(ENODEV)?;
        Ok(CipherTfm {
            device,
            sessions: None,
        })
    }

    fn set_key(&self, tfm: &mut CipherTfm, key: &[u8]) -> Result {
        if !self.mode.key_sizes.contains(&key.len()) {
            return Err(EINVAL);
        }
        if !tfm.device.config().cipher_key_fits(key.len()) {
            return Err(EINVAL);
        }
        let control = tfm.device.control();
        let encrypt = control.create_cipher_session(self.mode.algo, key, Direction::Encrypt)?;
        let decrypt = match control.create_cipher_session(self.mode.algo, key, Direction::Decrypt) {
            Ok(id) => id,
            Err(e) => {
                // Best effort: the error that matters is the one being returned.
                let _ = control.destroy_cipher_session(encrypt);
                return Err(e);
            }
        };
        tfm.destroy_sessions();
        tfm.sessions = Some(Sessions { encrypt, decrypt });
        Ok(())
    }

    fn encrypt(&self, tfm: &CipherTfm, req: Request) -> Result<Submitted> {
        self.crypt(tfm, req, Direction::Encrypt)
    }

    fn decrypt(&self, tfm: &CipherTfm, req: Request) -> Result<Submitted> {
        self.crypt(tfm, req, Direction::Decrypt)
    }
}
