// SPDX-License-Identifier: GPL-2.0

//! The block cipher modes the driver can offer as skcipher algorithms, and the family they
//! form for the catalog.

use super::alg::CipherAlg;
use crate::{
    catalog::family::{Algorithm, AlgorithmList, Registration},
    device::alg_stats::AlgStats,
    device::{registry::DeviceList, trials::KeySizes},
    kernel_api::crypto::{
        skcipher::{self, KeyCheck, SkcipherInfo},
        AlgBase,
    },
    session::spec::SessionKind,
    wire::cipher_algo,
};
use kernel::{c_str, prelude::*, str::CStr, sync::Arc, ThisModule};

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
    /// Where its requests ran.
    pub(crate) stats: AlgStats,
}

const AES_KEYS: &[usize] = &[16, 24, 32];
const DES3_KEYS: &[usize] = &[24];
const XTS_KEYS: &[usize] = &[32, 48, 64];

/// Every mode the driver knows, registered while a ready device serves it (see
/// [`crate::catalog`]).
pub(crate) static MODES: [CipherMode; 7] = [
    CipherMode {
        name: c_str!("ecb(aes)"),
        driver_name: c_str!("ecb-aes-virtio-rs"),
        algo: cipher_algo::AES_ECB,
        cipher_block: 16,
        key_sizes: AES_KEYS,
        chaining: Chaining::Ecb,
        key_check: KeyCheck::None,
        stats: AlgStats::new(),
    },
    CipherMode {
        name: c_str!("cbc(aes)"),
        driver_name: c_str!("cbc-aes-virtio-rs"),
        algo: cipher_algo::AES_CBC,
        cipher_block: 16,
        key_sizes: AES_KEYS,
        chaining: Chaining::Cbc,
        key_check: KeyCheck::None,
        stats: AlgStats::new(),
    },
    CipherMode {
        name: c_str!("ctr(aes)"),
        driver_name: c_str!("ctr-aes-virtio-rs"),
        algo: cipher_algo::AES_CTR,
        cipher_block: 16,
        key_sizes: AES_KEYS,
        chaining: Chaining::Ctr,
        key_check: KeyCheck::None,
        stats: AlgStats::new(),
    },
    CipherMode {
        name: c_str!("xts(aes)"),
        driver_name: c_str!("xts-aes-virtio-rs"),
        algo: cipher_algo::AES_XTS,
        cipher_block: 16,
        key_sizes: XTS_KEYS,
        chaining: Chaining::Xts,
        key_check: KeyCheck::Xts,
        stats: AlgStats::new(),
    },
    CipherMode {
        name: c_str!("ecb(des3_ede)"),
        driver_name: c_str!("ecb-des3-virtio-rs"),
        algo: cipher_algo::DES3_ECB,
        cipher_block: 8,
        key_sizes: DES3_KEYS,
        chaining: Chaining::Ecb,
        key_check: KeyCheck::Des3,
        stats: AlgStats::new(),
    },
    CipherMode {
        name: c_str!("cbc(des3_ede)"),
        driver_name: c_str!("cbc-des3-virtio-rs"),
        algo: cipher_algo::DES3_CBC,
        cipher_block: 8,
        key_sizes: DES3_KEYS,
        chaining: Chaining::Cbc,
        key_check: KeyCheck::Des3,
        stats: AlgStats::new(),
    },
    CipherMode {
        name: c_str!("ctr(des3_ede)"),
        driver_name: c_str!("ctr-des3-virtio-rs"),
        algo: cipher_algo::DES3_CTR,
        cipher_block: 8,
        key_sizes: DES3_KEYS,
        chaining: Chaining::Ctr,
        key_check: KeyCheck::Des3,
        stats: AlgStats::new(),
    },
];

impl CipherMode {
    /// The IV size: one block, or none for ECB.
    pub(crate) fn ivsize(&self) -> usize {
        match self.chaining {
            Chaining::Ecb => 0,
            Chaining::Cbc | Chaining::Ctr | Chaining::Xts => self.cipher_block,
        }
    }

    /// The description the Crypto API registration needs.
    pub(crate) fn info(&self) -> SkcipherInfo {
        let min = self.key_sizes.iter().copied().min().unwrap_or(0);
        let max = self.key_sizes.iter().copied().max().unwrap_or(0);
        SkcipherInfo {
            base: AlgBase {
                name: self.name,
                driver_name: self.driver_name,
                priority: PRIORITY,
                // A stream mode has block size 1 in the Crypto API.
                block_size: match self.chaining {
                    Chaining::Ctr => 1,
                    Chaining::Ecb | Chaining::Cbc | Chaining::Xts => self.cipher_block as u32,
                },
            },
            min_keysize: min as u32,
            max_keysize: max as u32,
            ivsize: self.ivsize() as u32,
            chunksize: self.cipher_block as u32,
        }
    }
}

impl Algorithm for CipherMode {
    fn name(&self) -> &'static CStr {
        self.name
    }

    fn driver_name(&self) -> &'static CStr {
        self.driver_name
    }

    fn session_kind(&self) -> SessionKind {
        SessionKind::Cipher { algo: self.algo }
    }

    fn key_sizes(&self) -> KeySizes {
        KeySizes::Each(self.key_sizes)
    }

    fn stats(&self) -> &AlgStats {
        &self.stats
    }

    fn register(
        &'static self,
        devices: Arc<DeviceList>,
        module: &'static ThisModule,
    ) -> Result<Registration> {
        let reg = skcipher::register(&self.info(), CipherAlg::new(self, devices), module)?;
        let reg: Registration = Arc::new(reg, GFP_KERNEL)?;
        Ok(reg)
    }
}

/// The skcipher family, for the catalog: every entry of [`MODES`].
pub(crate) static FAMILY: AlgorithmList<CipherMode> = AlgorithmList::new("skcipher", &MODES);
