// SPDX-License-Identifier: GPL-2.0

//! The hashes and MACs the driver can offer as ahash algorithms, and the family they form
//! for the catalog.

use super::alg::HashAlg;
use crate::{
    catalog::family::{Algorithm, AlgorithmList, Registration},
    device::alg_stats::AlgStats,
    device::{registry::DeviceList, trials::KeySizes},
    kernel_api::crypto::{
        ahash::{self, HashInfo},
        soft_hash::{SoftHash, SOFTWARE_HASH_PRIORITY},
        AlgBase,
    },
    session::spec::SessionKind,
    wire::{hash_algo, mac_algo, HashService},
};
use kernel::{c_str, prelude::*, str::CStr, sync::Arc, ThisModule};

/// Priority of our algorithms: above the kernel's own software (6.12's generic C code, 100;
/// 7.x's library-based hashes, 300), so that hash users by generic name (dm-verity, IPsec
/// AH, dm-integrity) get the device: 200 on 6.12, 400 on 7.x.
const PRIORITY: i32 = SOFTWARE_HASH_PRIORITY + 100;

/// Message bytes a hash request buffers for the device: one 4 KiB block plus a salt, as
/// dm-verity hashes (init, update(salt), update(block), final).
const HASH_BUFFER: usize = 4096 + 256;

/// Message bytes a MAC request buffers: IPsec allocates a request per packet (in atomic
/// context), so a MAC request's context stays within one page.
const MAC_BUFFER: usize = 2048;

/// How an algorithm takes keys.
#[derive(Clone, Copy)]
pub(crate) enum KeyRule {
    /// A plain hash: no key.
    None,
    /// HMAC: any length; a key longer than the hash's block size is equivalent to its
    /// digest under the inner hash named here.
    Hmac(&'static CStr),
    /// An AES key (CMAC, XCBC).
    Aes,
}

/// A hash or MAC the driver can offer.
pub(crate) struct HashAlgo {
    /// Crypto API algorithm name; also the software implementation's.
    pub(crate) name: &'static CStr,
    /// Our implementation's name.
    pub(crate) driver_name: &'static CStr,
    /// Hash or MAC service.
    pub(crate) service: HashService,
    /// The device's algorithm number within the service.
    pub(crate) algo: u32,
    /// Digest size in bytes (the session's result length).
    pub(crate) digest_size: usize,
    /// How it takes keys.
    pub(crate) key: KeyRule,
    /// Where its requests ran.
    pub(crate) stats: AlgStats,
}

const AES_KEYS: &[usize] = &[16, 24, 32];

macro_rules! hash {
    ($name:literal, $driver:literal, $algo:expr, $size:expr) => {
        HashAlgo {
            name: c_str!($name),
            driver_name: c_str!($driver),
            service: HashService::Hash,
            algo: $algo,
            digest_size: $size,
            key: KeyRule::None,
            stats: AlgStats::new(),
        }
    };
}

macro_rules! mac {
    ($name:literal, $driver:literal, $algo:expr, $size:expr, $key:expr) => {
        HashAlgo {
            name: c_str!($name),
            driver_name: c_str!($driver),
            service: HashService::Mac,
            algo: $algo,
            digest_size: $size,
            key: $key,
            stats: AlgStats::new(),
        }
    };
}

/// Every hash and MAC the driver knows, registered while a ready device serves it.
pub(crate) static ALGOS: [HashAlgo; 18] = [
    hash!("md5", "md5-virtio-rs", hash_algo::MD5, 16),
    hash!("sha1", "sha1-virtio-rs", hash_algo::SHA1, 20),
    hash!("sha224", "sha224-virtio-rs", hash_algo::SHA_224, 28),
    hash!("sha256", "sha256-virtio-rs", hash_algo::SHA_256, 32),
    hash!("sha384", "sha384-virtio-rs", hash_algo::SHA_384, 48),
    hash!("sha512", "sha512-virtio-rs", hash_algo::SHA_512, 64),
    hash!("sha3-224", "sha3-224-virtio-rs", hash_algo::SHA3_224, 28),
    hash!("sha3-256", "sha3-256-virtio-rs", hash_algo::SHA3_256, 32),
    hash!("sha3-384", "sha3-384-virtio-rs", hash_algo::SHA3_384, 48),
    hash!("sha3-512", "sha3-512-virtio-rs", hash_algo::SHA3_512, 64),
    mac!(
        "hmac(md5)",
        "hmac-md5-virtio-rs",
        mac_algo::HMAC_MD5,
        16,
        KeyRule::Hmac(c_str!("md5"))
    ),
    mac!(
        "hmac(sha1)",
        "hmac-sha1-virtio-rs",
        mac_algo::HMAC_SHA1,
        20,
        KeyRule::Hmac(c_str!("sha1"))
    ),
    mac!(
        "hmac(sha224)",
        "hmac-sha224-virtio-rs",
        mac_algo::HMAC_SHA_224,
        28,
        KeyRule::Hmac(c_str!("sha224"))
    ),
    mac!(
        "hmac(sha256)",
        "hmac-sha256-virtio-rs",
        mac_algo::HMAC_SHA_256,
        32,
        KeyRule::Hmac(c_str!("sha256"))
    ),
    mac!(
        "hmac(sha384)",
        "hmac-sha384-virtio-rs",
        mac_algo::HMAC_SHA_384,
        48,
        KeyRule::Hmac(c_str!("sha384"))
    ),
    mac!(
        "hmac(sha512)",
        "hmac-sha512-virtio-rs",
        mac_algo::HMAC_SHA_512,
        64,
        KeyRule::Hmac(c_str!("sha512"))
    ),
    mac!(
        "cmac(aes)",
        "cmac-aes-virtio-rs",
        mac_algo::CMAC_AES,
        16,
        KeyRule::Aes
    ),
    mac!(
        "xcbc(aes)",
        "xcbc-aes-virtio-rs",
        mac_algo::XCBC_AES,
        16,
        KeyRule::Aes
    ),
];

impl HashAlgo {
    /// The device service it runs on.
    pub(crate) fn service(&self) -> u32 {
        self.session_kind().service()
    }

    /// Whether it takes a key.
    pub(crate) fn keyed(&self) -> bool {
        !matches!(self.key, KeyRule::None)
    }

    /// Message bytes a request buffers for the device.
    pub(crate) fn buffer_len(&self) -> usize {
        match self.service {
            HashService::Hash => HASH_BUFFER,
            HashService::Mac => MAC_BUFFER,
        }
    }

    /// The registration's description; sizes come from the software implementation, whose
    /// state the transforms export.
    fn info(&self) -> Result<HashInfo> {
        let soft = SoftHash::new(self.name)?;
        if soft.digest_size() != self.digest_size {
            pr_err!("{}: software digest size differs\n", self.name.to_str()?);
            return Err(EINVAL);
        }
        Ok(HashInfo {
            base: AlgBase {
                name: self.name,
                driver_name: self.driver_name,
                priority: PRIORITY,
                block_size: u32::try_from(soft.block_size()).map_err(|_| EINVAL)?,
            },
            digest_size: u32::try_from(self.digest_size).map_err(|_| EINVAL)?,
            state_size: u32::try_from(soft.state_size()).map_err(|_| EINVAL)?,
            keyed: self.keyed(),
        })
    }
}

impl Algorithm for HashAlgo {
    fn name(&self) -> &'static CStr {
        self.name
    }

    fn driver_name(&self) -> &'static CStr {
        self.driver_name
    }

    fn session_kind(&self) -> SessionKind {
        let result_len = self.digest_size as u32;
        match self.service {
            HashService::Hash => SessionKind::Hash {
                algo: self.algo,
                result_len,
            },
            HashService::Mac => SessionKind::Mac {
                algo: self.algo,
                result_len,
            },
        }
    }

    fn key_sizes(&self) -> KeySizes {
        match self.key {
            KeyRule::None => KeySizes::None,
            // Keys longer than a block travel as their digest; the configuration's limit
            // bounds the rest.
            KeyRule::Hmac(_) => KeySizes::Range {
                min: 1,
                max: usize::MAX,
                trial: 32,
            },
            KeyRule::Aes => KeySizes::Each(AES_KEYS),
        }
    }

    fn stats(&self) -> &AlgStats {
        &self.stats
    }

    fn register(
        &'static self,
        devices: Arc<DeviceList>,
        module: &'static ThisModule,
    ) -> Result<Registration> {
        let reg = ahash::register(&self.info()?, HashAlg::new(self, devices), module)?;
        let reg: Registration = Arc::new(reg, GFP_KERNEL)?;
        Ok(reg)
    }
}

/// The ahash family, for the catalog: every entry of [`ALGOS`].
pub(crate) static FAMILY: AlgorithmList<HashAlgo> = AlgorithmList::new("ahash", &ALGOS);
