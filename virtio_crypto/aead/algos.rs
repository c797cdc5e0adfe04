// SPDX-License-Identifier: GPL-2.0

//! The AEAD algorithms the driver can offer, and the two families they form for the
//! catalog: `aead` (the AEAD service) and `authenc` (algorithm chaining).

use super::{alg::AeadAlg, layout::Nonce};
use crate::{
    catalog::family::{Algorithm, AlgorithmList, Registration, TRIAL_KEY},
    device::alg_stats::AlgStats,
    device::{registry::DeviceList, trials::KeySizes},
    kernel_api::crypto::{
        aead::{self, AeadInfo},
        AlgBase,
    },
    session::spec::{SessionKind, SessionSpec},
    wire::{aead_algo, chain_order, cipher_algo, hash_mode, mac_algo, ChainParams},
};
use kernel::{c_str, prelude::*, str::CStr, sync::Arc, ThisModule};

/// Priority of our AEAD-service algorithms. The gcm, ccm and rfc7539 templates take the
/// mean of their parts' priorities: 100 over the generic C code, but 200 for rfc7539 over
/// chacha20-generic and poly1305-simd (x86_64 always has the latter, at 300), which would
/// tie with the other families' 200. So: above those, below templates with a SIMD cipher
/// (chacha20-simd: 300; AES-NI: 350 and more), as the ciphers sit below aes-aesni.
const PRIORITY: i32 = 280;

/// Priority of our authenc algorithms. The authenc template weighs the cipher ten times:
/// `authenc(hmac(sha256-generic),cbc(aes-generic))` has 100 * 10 + 100 = 1100 (2200 over
/// our own cbc and hmac). Such an instance exists as soon as anyone allocates the software
/// authenc (our own transforms do, for their software half), and from then on it would
/// win every lookup: so ours sits above those, and below instances over a SIMD cipher
/// (cbc-aes-aesni: 4000 plus the MAC's), as the ciphers sit below aes-aesni.
const AUTHENC_PRIORITY: i32 = 4000;

/// Length of the MAC key in authenc trial sessions: within any device's auth key limit
/// worth using.
const TRIAL_AUTH_KEY_LEN: usize = 16;

/// How an algorithm runs on a device.
#[derive(Clone, Copy)]
pub(crate) enum Scheme {
    /// The AEAD service.
    Aead {
        /// The device's AEAD algorithm number.
        algo: u32,
        /// IV translation.
        nonce: Nonce,
        /// Bytes of salt at the end of the Crypto API key (rfc7539esp: 4), not part of
        /// the device's key.
        salt_len: usize,
        /// Bytes at the end of the associated data that are the IV, not authenticated
        /// (rfc7539esp: 8).
        ad_iv: usize,
    },
    /// Algorithm chaining: CBC cipher, then HMAC over associated data and ciphertext.
    Authenc {
        /// The device's cipher algorithm number.
        cipher: u32,
        /// The device's MAC algorithm number.
        mac: u32,
        /// The HMAC's inner hash, which digests keys longer than its block size.
        hash: &'static CStr,
    },
}

/// An AEAD algorithm the driver can offer.
pub(crate) struct AeadAlgo {
    /// Crypto API algorithm name; also the software implementation's.
    pub(crate) name: &'static CStr,
    /// Our implementation's name.
    pub(crate) driver_name: &'static CStr,
    /// How it runs on a device.
    pub(crate) scheme: Scheme,
    /// Cipher key lengths, as the device takes them (without a salt).
    pub(crate) key_sizes: &'static [usize],
    /// IV size in bytes.
    pub(crate) ivsize: usize,
    /// Largest (and default) tag in bytes.
    pub(crate) maxauthsize: usize,
    /// Block size: the cipher's for authenc (CBC takes whole blocks), else 1.
    pub(crate) block_size: usize,
    /// Step size of the cipher.
    pub(crate) chunksize: usize,
    /// Where its requests ran.
    pub(crate) stats: AlgStats,
}

const AES_KEYS: &[usize] = &[16, 24, 32];
const DES3_KEYS: &[usize] = &[24];
const CHACHA_KEYS: &[usize] = &[32];

/// Every algorithm of the AEAD service the driver knows.
pub(crate) static ALGOS: [AeadAlgo; 4] = [
    AeadAlgo {
        name: c_str!("gcm(aes)"),
        driver_name: c_str!("gcm-aes-virtio-rs"),
        scheme: Scheme::Aead {
            algo: aead_algo::GCM,
            nonce: Nonce::Iv,
            salt_len: 0,
            ad_iv: 0,
        },
        key_sizes: AES_KEYS,
        ivsize: 12,
        maxauthsize: 16,
        block_size: 1,
        chunksize: 16,
        stats: AlgStats::new(),
    },
    AeadAlgo {
        name: c_str!("ccm(aes)"),
        driver_name: c_str!("ccm-aes-virtio-rs"),
        scheme: Scheme::Aead {
            algo: aead_algo::CCM,
            nonce: Nonce::Ccm,
            salt_len: 0,
            ad_iv: 0,
        },
        key_sizes: AES_KEYS,
        ivsize: 16,
        maxauthsize: 16,
        block_size: 1,
        chunksize: 16,
        stats: AlgStats::new(),
    },
    AeadAlgo {
        name: c_str!("rfc7539(chacha20,poly1305)"),
        driver_name: c_str!("rfc7539-chacha20-poly1305-virtio-rs"),
        scheme: Scheme::Aead {
            algo: aead_algo::CHACHA20_POLY1305,
            nonce: Nonce::Iv,
            salt_len: 0,
            ad_iv: 0,
        },
        key_sizes: CHACHA_KEYS,
        ivsize: 12,
        maxauthsize: 16,
        block_size: 1,
        chunksize: 64,
        stats: AlgStats::new(),
    },
    // IPsec's form (RFC 7634), which the kernel builds from the chacha20 and poly1305
    // primitives rather than over rfc7539: so it is offered as an algorithm of its own.
    AeadAlgo {
        name: c_str!("rfc7539esp(chacha20,poly1305)"),
        driver_name: c_str!("rfc7539esp-chacha20-poly1305-virtio-rs"),
        scheme: Scheme::Aead {
            algo: aead_algo::CHACHA20_POLY1305,
            nonce: Nonce::SaltThenIv,
            salt_len: 4,
            ad_iv: 8,
        },
        key_sizes: CHACHA_KEYS,
        ivsize: 8,
        maxauthsize: 16,
        block_size: 1,
        chunksize: 64,
        stats: AlgStats::new(),
    },
];

macro_rules! authenc {
    ($name:literal, $driver:literal, $mac:expr, $hash:literal, $digest:expr, aes) => {
        authenc!(@ $name, $driver, $mac, $hash, $digest, cipher_algo::AES_CBC, AES_KEYS, 16)
    };
    ($name:literal, $driver:literal, $mac:expr, $hash:literal, $digest:expr, des3) => {
        authenc!(@ $name, $driver, $mac, $hash, $digest, cipher_algo::DES3_CBC, DES3_KEYS, 8)
    };
    (@ $name:literal, $driver:literal, $mac:expr, $hash:literal, $digest:expr, $cipher:expr,
     $keys:expr, $block:expr) => {
        AeadAlgo {
            name: c_str!($name),
            driver_name: c_str!($driver),
            scheme: Scheme::Authenc {
                cipher: $cipher,
                mac: $mac,
                hash: c_str!($hash),
            },
            key_sizes: $keys,
            ivsize: $block,
            maxauthsize: $digest,
            block_size: $block,
            chunksize: $block,
            stats: AlgStats::new(),
        }
    };
}

/// Every authenc pair the driver knows: each HMAC the MAC service has, with CBC AES and
/// CBC triple DES.
pub(crate) static AUTHENC_ALGOS: [AeadAlgo; 12] = [
    authenc!(
        "authenc(hmac(md5),cbc(aes))",
        "authenc-hmac-md5-cbc-aes-virtio-rs",
        mac_algo::HMAC_MD5,
        "md5",
        16,
        aes
    ),
    authenc!(
        "authenc(hmac(sha1),cbc(aes))",
        "authenc-hmac-sha1-cbc-aes-virtio-rs",
        mac_algo::HMAC_SHA1,
        "sha1",
        20,
        aes
    ),
    authenc!(
        "authenc(hmac(sha224),cbc(aes))",
        "authenc-hmac-sha224-cbc-aes-virtio-rs",
        mac_algo::HMAC_SHA_224,
        "sha224",
        28,
        aes
    ),
    authenc!(
        "authenc(hmac(sha256),cbc(aes))",
        "authenc-hmac-sha256-cbc-aes-virtio-rs",
        mac_algo::HMAC_SHA_256,
        "sha256",
        32,
        aes
    ),
    authenc!(
        "authenc(hmac(sha384),cbc(aes))",
        "authenc-hmac-sha384-cbc-aes-virtio-rs",
        mac_algo::HMAC_SHA_384,
        "sha384",
        48,
        aes
    ),
    authenc!(
        "authenc(hmac(sha512),cbc(aes))",
        "authenc-hmac-sha512-cbc-aes-virtio-rs",
        mac_algo::HMAC_SHA_512,
        "sha512",
        64,
        aes
    ),
    authenc!(
        "authenc(hmac(md5),cbc(des3_ede))",
        "authenc-hmac-md5-cbc-des3_ede-virtio-rs",
        mac_algo::HMAC_MD5,
        "md5",
        16,
        des3
    ),
    authenc!(
        "authenc(hmac(sha1),cbc(des3_ede))",
        "authenc-hmac-sha1-cbc-des3_ede-virtio-rs",
        mac_algo::HMAC_SHA1,
        "sha1",
        20,
        des3
    ),
    authenc!(
        "authenc(hmac(sha224),cbc(des3_ede))",
        "authenc-hmac-sha224-cbc-des3_ede-virtio-rs",
        mac_algo::HMAC_SHA_224,
        "sha224",
        28,
        des3
    ),
    authenc!(
        "authenc(hmac(sha256),cbc(des3_ede))",
        "authenc-hmac-sha256-cbc-des3_ede-virtio-rs",
        mac_algo::HMAC_SHA_256,
        "sha256",
        32,
        des3
    ),
    authenc!(
        "authenc(hmac(sha384),cbc(des3_ede))",
        "authenc-hmac-sha384-cbc-des3_ede-virtio-rs",
        mac_algo::HMAC_SHA_384,
        "sha384",
        48,
        des3
    ),
    authenc!(
        "authenc(hmac(sha512),cbc(des3_ede))",
        "authenc-hmac-sha512-cbc-des3_ede-virtio-rs",
        mac_algo::HMAC_SHA_512,
        "sha512",
        64,
        des3
    ),
];

impl AeadAlgo {
    /// The kind of session a key of this algorithm opens for tags of `tag_len` bytes
    /// and (authenc) a MAC key of `auth_key_len` bytes. The associated data's length
    /// travels in each request, so the session's is 0.
    pub(crate) fn session_kind_for(&self, tag_len: usize, auth_key_len: usize) -> SessionKind {
        match self.scheme {
            Scheme::Aead { algo, .. } => SessionKind::Aead {
                algo,
                tag_len: tag_len as u32,
                aad_len: 0,
            },
            Scheme::Authenc { cipher, mac, .. } => SessionKind::Chain {
                algo: cipher,
                chain: ChainParams {
                    order: chain_order::CIPHER_THEN_HASH,
                    hash_mode: hash_mode::AUTH,
                    mac_algo: mac,
                    result_len: tag_len as u32,
                    auth_key_len: auth_key_len as u32,
                    aad_len: 0,
                },
            },
        }
    }

    fn info(&self) -> Result<AeadInfo> {
        let u32_of = |v: usize| u32::try_from(v).map_err(|_| EINVAL);
        Ok(AeadInfo {
            base: AlgBase {
                name: self.name,
                driver_name: self.driver_name,
                priority: match self.scheme {
                    Scheme::Aead { .. } => PRIORITY,
                    Scheme::Authenc { .. } => AUTHENC_PRIORITY,
                },
                block_size: u32_of(self.block_size)?,
            },
            ivsize: u32_of(self.ivsize)?,
            maxauthsize: u32_of(self.maxauthsize)?,
            chunksize: u32_of(self.chunksize)?,
        })
    }
}

impl Algorithm for AeadAlgo {
    fn name(&self) -> &'static CStr {
        self.name
    }

    fn driver_name(&self) -> &'static CStr {
        self.driver_name
    }

    fn session_kind(&self) -> SessionKind {
        self.session_kind_for(self.maxauthsize, TRIAL_AUTH_KEY_LEN)
    }

    fn key_sizes(&self) -> KeySizes {
        KeySizes::Each(self.key_sizes)
    }

    fn stats(&self) -> &AlgStats {
        &self.stats
    }

    /// Trial keys are cipher keys; an authenc trial adds a MAC key.
    fn trial_spec(&self, key: &[u8]) -> Result<SessionSpec> {
        match (self.session_kind(), self.scheme) {
            (SessionKind::Chain { algo, chain }, Scheme::Authenc { .. }) => {
                let auth_key = TRIAL_KEY.get(..TRIAL_AUTH_KEY_LEN).ok_or(EINVAL)?;
                SessionSpec::chain(algo, chain, key, auth_key)
            }
            (kind, _) => SessionSpec::new(kind, key),
        }
    }

    fn register(
        &'static self,
        devices: Arc<DeviceList>,
        module: &'static ThisModule,
    ) -> Result<Registration> {
        let reg = aead::register(&self.info()?, AeadAlg::new(self, devices), module)?;
        let reg: Registration = Arc::new(reg, GFP_KERNEL)?;
        Ok(reg)
    }
}

/// The aead family (the AEAD service), for the catalog.
pub(crate) static FAMILY: AlgorithmList<AeadAlgo> = AlgorithmList::new("aead", &ALGOS);

/// The authenc family (algorithm chaining), for the catalog.
pub(crate) static AUTHENC_FAMILY: AlgorithmList<AeadAlgo> =
    AlgorithmList::new("authenc", &AUTHENC_ALGOS);
