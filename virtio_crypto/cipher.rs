// SPDX-License-Identifier: GPL-2.0

//! Block cipher modes offered as skcipher algorithms, and their implementation on top of
//! device sessions.

use crate::{
    dataq::{iv_block, CipherJob, CipherOp, NextIv, Tail, MAX_IV_LEN},
    device::CryptoDevice,
    registry::DeviceList,
    sessions::CipherSession,
    sys::{
        errno, probe_unadvertised,
        skcipher::{AlgInfo, KeyCheck, Request, Skcipher, Submitted},
        soft_cipher::SoftCipher,
    },
    wire::{cipher_algo, service, Config, Direction},
    xts_steal::{XtsKeys, XtsSteal},
};
use kernel::{c_str, prelude::*, str::CStr, sync::Arc};

/// Priority of our algorithms: above the generic C code (100) and the in-tree virtio
/// driver (150), so that `cbc(aes)` users get the device.
const PRIORITY: i32 = 200;

/// How a mode chains blocks, which decides its lengths and output IV.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Chaining {
    /// Electronic codebook: whole blocks, no IV.
    Ecb,
    /// Cipher block chaining: whole blocks; the output IV is the last ciphertext block.
    Cbc,
    /// Counter mode: any length (a partial final block travels padded); the output IV is the
    /// counter advanced by every block started.
    Ctr,
    /// XTS: at least one block; a partial final block is handled by ciphertext stealing in
    /// software ([`crate::xts_steal`]); the IV is left unchanged, as the generic code does.
    Xts,
}

/// A cipher mode the driver can offer.
pub(crate) struct CipherMode {
    /// Crypto API algorithm name.
    pub(crate) name: &'static CStr,
    /// Our implementation's name.
    pub(crate) driver_name: &'static CStr,
    /// The device's algorithm number.
    pub(crate) algo: u32,
    /// The underlying cipher's block size (the device's unit).
    pub(crate) cipher_block: usize,
    /// Valid key lengths, as the generic implementation accepts them.
    pub(crate) key_sizes: &'static [usize],
    /// Block chaining.
    pub(crate) chaining: Chaining,
    /// The generic implementation's key check beyond the length.
    pub(crate) key_check: KeyCheck,
}

const AES_KEYS: &[usize] = &[16, 24, 32];
const DES3_KEYS: &[usize] = &[24];
const XTS_KEYS: &[usize] = &[32, 48, 64];

/// Every mode the driver knows, registered when a device offers it (see [`CipherMode::offered_by`]).
pub(crate) static MODES: [CipherMode; 7] = [
    CipherMode {
        name: c_str!("ecb(aes)"),
        driver_name: c_str!("ecb-aes-virtio-rs"),
        algo: cipher_algo::AES_ECB,
        cipher_block: 16,
        key_sizes: AES_KEYS,
        chaining: Chaining::Ecb,
        key_check: KeyCheck::None,
    },
    CipherMode {
        name: c_str!("cbc(aes)"),
        driver_name: c_str!("cbc-aes-virtio-rs"),
        algo: cipher_algo::AES_CBC,
        cipher_block: 16,
        key_sizes: AES_KEYS,
        chaining: Chaining::Cbc,
        key_check: KeyCheck::None,
    },
    CipherMode {
        name: c_str!("ctr(aes)"),
        driver_name: c_str!("ctr-aes-virtio-rs"),
        algo: cipher_algo::AES_CTR,
        cipher_block: 16,
        key_sizes: AES_KEYS,
        chaining: Chaining::Ctr,
        key_check: KeyCheck::None,
    },
    CipherMode {
        name: c_str!("xts(aes)"),
        driver_name: c_str!("xts-aes-virtio-rs"),
        algo: cipher_algo::AES_XTS,
        cipher_block: 16,
        key_sizes: XTS_KEYS,
        chaining: Chaining::Xts,
        key_check: KeyCheck::Xts,
    },
    CipherMode {
        name: c_str!("ecb(des3_ede)"),
        driver_name: c_str!("ecb-des3-virtio-rs"),
        algo: cipher_algo::DES3_ECB,
        cipher_block: 8,
        key_sizes: DES3_KEYS,
        chaining: Chaining::Ecb,
        key_check: KeyCheck::Des3,
    },
    CipherMode {
        name: c_str!("cbc(des3_ede)"),
        driver_name: c_str!("cbc-des3-virtio-rs"),
        algo: cipher_algo::DES3_CBC,
        cipher_block: 8,
        key_sizes: DES3_KEYS,
        chaining: Chaining::Cbc,
        key_check: KeyCheck::Des3,
    },
    CipherMode {
        name: c_str!("ctr(des3_ede)"),
        driver_name: c_str!("ctr-des3-virtio-rs"),
        algo: cipher_algo::DES3_CTR,
        cipher_block: 8,
        key_sizes: DES3_KEYS,
        chaining: Chaining::Ctr,
        key_check: KeyCheck::Des3,
    },
];

impl CipherMode {
    fn ivsize(&self) -> usize {
        match self.chaining {
            Chaining::Ecb => 0,
            Chaining::Cbc | Chaining::Ctr | Chaining::Xts => self.cipher_block,
        }
    }

    /// The description the Crypto API registration needs.
    pub(crate) fn alg_info(&self) -> AlgInfo {
        let min = self.key_sizes.iter().copied().min().unwrap_or(0);
        let max = self.key_sizes.iter().copied().max().unwrap_or(0);
        AlgInfo {
            name: self.name,
            driver_name: self.driver_name,
            priority: PRIORITY,
            // A stream mode has block size 1 in the Crypto API.
            block_size: match self.chaining {
                Chaining::Ctr => 1,
                Chaining::Ecb | Chaining::Cbc | Chaining::Xts => self.cipher_block as u32,
            },
            min_keysize: min as u32,
            max_keysize: max as u32,
            ivsize: self.ivsize() as u32,
            chunksize: self.cipher_block as u32,
            key_check: self.key_check,
            // No `CRYPTO_ALG_ALLOCATES_MEMORY`: requests live in their own context memory
            // (see `dataq`), so dm-crypt may use these algorithms.
            extra_flags: 0,
        }
    }

    /// Whether the device's configuration offers this mode: advertised, or (with the
    /// `probe_unadvertised` parameter) at least the cipher service. Trial sessions then
    /// decide ([`CipherMode::trial_keys`]).
    pub(crate) fn offered_by(&self, config: &Config) -> bool {
        config.has_cipher(self.algo)
            || (probe_unadvertised() && config.has_service(service::CIPHER))
    }

    /// Keys for the trial sessions, one of each valid size (a device may refuse some sizes:
    /// QEMU refuses 48-byte XTS keys, which then go to software).
    /// Their bytes all differ, so no triple-DES key degenerates and no XTS key has equal
    /// halves.
    pub(crate) fn trial_keys(&self) -> impl Iterator<Item = &[u8]> {
        const KEY: [u8; 64] = {
            let mut key = [0u8; 64];
            let mut i = 0;
            while i < 64 {
                key[i] = (i as u8).wrapping_mul(37).wrapping_add(1);
                i += 1;
            }
            key
        };
        self.key_sizes.iter().filter_map(|&len| KEY.get(..len))
    }

    /// Whether `dev` serves this mode (it accepted a key length in the trial sessions).
    pub(crate) fn served_by(&self, dev: &CryptoDevice) -> bool {
        dev.is_ready() && dev.serves_cipher(self.algo)
    }
}

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

/// A transform: the device it runs on and, once a key is set, its sessions (and for XTS
/// the expanded key halves that ciphertext stealing needs). The software implementation
/// takes a key length the device refused, and requests larger than the device's
/// `max_size`.
pub(crate) struct CipherTfm {
    device: Arc<CryptoDevice>,
    /// The device's sessions for the current key, if the device takes it.
    session: Option<Arc<CipherSession>>,
    xts_keys: Option<Arc<XtsKeys>>,
    /// The software implementation, allocated with the first key it needs.
    soft: Option<SoftCipher>,
    /// Whether `soft` holds the current key.
    soft_keyed: bool,
}

impl CipherTfm {
    fn close_session(&mut self) {
        self.xts_keys = None;
        if let Some(session) = self.session.take() {
            self.device.close_session(&session);
        }
    }

    /// Keys the software implementation of algorithm `name`.
    fn key_soft(&mut self, name: &CStr, key: &[u8]) -> Result {
        self.soft_keyed = false;
        let soft = match &mut self.soft {
            Some(soft) => soft,
            none => none.insert(SoftCipher::new(name)?),
        };
        soft.set_key(key)?;
        self.soft_keyed = true;
        Ok(())
    }

    /// Sets `key` on the device (if `on_device`) and in software (if `!on_device` or
    /// `in_soft_too`).
    fn set_keys(
        &mut self,
        mode: &CipherMode,
        key: &[u8],
        on_device: bool,
        in_soft_too: bool,
    ) -> Result {
        if !on_device || in_soft_too {
            self.key_soft(mode.name, key)?;
        } else {
            self.soft_keyed = false;
        }
        if !on_device {
            self.close_session();
            return Ok(());
        }
        let xts_keys = match mode.chaining {
            Chaining::Xts => Some(XtsKeys::new(key)?),
            _ => None,
        };
        let session = self.device.open_session(mode.algo, key)?;
        self.close_session();
        self.session = Some(session);
        self.xts_keys = xts_keys;
        Ok(())
    }

    /// The software implementation, if it holds the current key.
    fn keyed_soft(&self) -> Option<&SoftCipher> {
        self.soft.as_ref().filter(|_| self.soft_keyed)
    }
}

impl Drop for CipherTfm {
    fn drop(&mut self) {
        self.close_session();
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
            return Ok(Submitted::Done);
        }
        let on_device = tfm.device.config().request_fits(len);
        let session = match (&tfm.session, tfm.keyed_soft()) {
            (Some(session), _) if on_device => session,
            (_, Some(soft)) => {
                soft.crypt(&req, dir == Direction::Encrypt)?;
                return Ok(Submitted::Done);
            }
            (Some(_), None) => return Err(EINVAL),
            (None, None) => return Err(errno::enokey()),
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
                let mut counter = iv_block(&req);
                let value = counter.get_mut(..ivsize).ok_or(EINVAL)?;
                let blocks = (len + unit - 1).checked_div(unit).ok_or(EINVAL)?;
                counter_add(value, blocks as u64);
                NextIv::Value(counter)
            }
        };
        // Fails early if the device lost the sessions for good.
        session.id(dir)?;
        let tail = match mode.chaining {
            Chaining::Ctr => Tail::Pad,
            Chaining::Xts if !whole_units => {
                let keys = tfm.xts_keys.clone().ok_or_else(errno::enokey)?;
                let steal = XtsSteal::new(keys, iv_block(&req), dir);
                let device_len = XtsSteal::device_len(dir, len);
                if device_len == 0 {
                    // One block and a partial one, decrypting: all of it is stealing.
                    let mut req = req;
                    steal.finish(&mut req, len)?;
                    return Ok(Submitted::Done);
                }
                Tail::Steal { device_len, steal }
            }
            _ => Tail::None,
        };
        let op = CipherOp {
            dir,
            algo: mode.algo,
            session: session.clone(),
            next_iv,
            unit,
            tail,
        };
        tfm.device.submit_cipher(op, req)
    }
}

impl Skcipher for CipherAlg {
    type Tfm = CipherTfm;
    type ReqCtx = CipherJob;

    fn init_tfm(&self) -> Result<CipherTfm> {
        let mode = self.mode;
        let device = self.devices.pick(|d| mode.served_by(d)).ok_or(ENODEV)?;
        Ok(CipherTfm {
            device,
            session: None,
            xts_keys: None,
            soft: None,
            soft_keyed: false,
        })
    }

    fn set_key(&self, tfm: &mut CipherTfm, key: &[u8]) -> Result {
        if !self.mode.key_sizes.contains(&key.len()) {
            return Err(EINVAL);
        }
        if !tfm.device.is_ready() {
            return Err(ENODEV);
        }
        let on_device = tfm.device.accepts_cipher_key(self.mode.algo, key.len());
        // Software also holds the key when some request could exceed the device's limit.
        let oversize_possible = !tfm.device.config().request_fits(u32::MAX as usize);
        let result = tfm.set_keys(self.mode, key, on_device, oversize_possible);
        if result.is_err() {
            // No half-set key: requests get `ENOKEY` until a key is set.
            tfm.close_session();
            tfm.soft_keyed = false;
        }
        result
    }

    fn encrypt(&self, tfm: &CipherTfm, req: Request) -> Result<Submitted> {
        self.crypt(tfm, req, Direction::Encrypt)
    }

    fn decrypt(&self, tfm: &CipherTfm, req: Request) -> Result<Submitted> {
        self.crypt(tfm, req, Direction::Decrypt)
    }
}
