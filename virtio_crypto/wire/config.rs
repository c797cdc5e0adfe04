// SPDX-License-Identifier: GPL-2.0

//! The configuration space and its validation.

use super::{service, Le32, Le64};

/// The device configuration space as the device stores it (`struct virtio_crypto_config`).
#[repr(C)]
#[derive(Clone, Copy, Default, Debug)]
pub(crate) struct RawConfig {
    /// `VIRTIO_CRYPTO_S_*` bits.
    pub(crate) status: Le32,
    /// Number of data queues.
    pub(crate) max_dataqueues: Le32,
    /// Bit mask of services.
    pub(crate) crypto_services: Le32,
    /// Cipher algorithms 0..31.
    pub(crate) cipher_algo_l: Le32,
    /// Cipher algorithms 32..63.
    pub(crate) cipher_algo_h: Le32,
    /// Hash algorithms.
    pub(crate) hash_algo: Le32,
    /// MAC algorithms 0..31.
    pub(crate) mac_algo_l: Le32,
    /// MAC algorithms 32..63.
    pub(crate) mac_algo_h: Le32,
    /// AEAD algorithms.
    pub(crate) aead_algo: Le32,
    /// Longest cipher key.
    pub(crate) max_cipher_key_len: Le32,
    /// Longest authentication key.
    pub(crate) max_auth_key_len: Le32,
    /// Asymmetric algorithms.
    pub(crate) akcipher_algo: Le32,
    /// Largest request content.
    pub(crate) max_size: Le64,
}

/// `VIRTIO_CRYPTO_S_HW_READY`.
pub(crate) const STATUS_HW_READY: u32 = 1;

/// Most data queues the driver accepts: QEMU's limit of 1024 virtqueues per device
/// (`VIRTIO_QUEUE_MAX`) less the control queue. The control queue is the one after the
/// last data queue, so a driver cannot use fewer data queues than the device has: a
/// device announcing more is refused rather than set up with thousands of rings.
pub(crate) const MAX_DATA_QUEUES: u32 = 1023;

/// The device configuration, validated and in native byte order.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Config {
    /// The device says it is ready for requests.
    pub(crate) hw_ready: bool,
    /// Number of data queues (the device's count; the control queue comes after them).
    pub(crate) data_queues: u32,
    /// Bit mask of services.
    pub(crate) services: u32,
    /// Cipher algorithm mask (bit `n` = algorithm `n`).
    pub(crate) cipher_algos: u64,
    /// Hash algorithm mask.
    pub(crate) hash_algos: u32,
    /// MAC algorithm mask.
    pub(crate) mac_algos: u64,
    /// AEAD algorithm mask.
    pub(crate) aead_algos: u32,
    /// Asymmetric algorithm mask.
    pub(crate) akcipher_algos: u32,
    /// Longest cipher key.
    pub(crate) max_cipher_key_len: u32,
    /// Longest authentication key.
    pub(crate) max_auth_key_len: u32,
    /// Largest request content in bytes.
    pub(crate) max_size: u64,
}

/// Why a device configuration was refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum ConfigError {
    /// `max_dataqueues` is zero.
    NoDataQueues,
    /// `max_dataqueues` is above [`MAX_DATA_QUEUES`] (the count given).
    TooManyDataQueues(u32),
}

impl Config {
    /// Validates what the device wrote: a device without data queues, or with more than
    /// [`MAX_DATA_QUEUES`], is refused. (Whether the device has the queues it announces
    /// shows when they are set up.)
    pub(crate) fn parse(raw: &RawConfig) -> Result<Self, ConfigError> {
        let max_dataqueues = raw.max_dataqueues.get();
        if max_dataqueues == 0 {
            return Err(ConfigError::NoDataQueues);
        }
        if max_dataqueues > MAX_DATA_QUEUES {
            return Err(ConfigError::TooManyDataQueues(max_dataqueues));
        }
        Ok(Self {
            hw_ready: raw.status.get() & STATUS_HW_READY != 0,
            data_queues: max_dataqueues,
            services: raw.crypto_services.get(),
            cipher_algos: (u64::from(raw.cipher_algo_h.get()) << 32)
                | u64::from(raw.cipher_algo_l.get()),
            hash_algos: raw.hash_algo.get(),
            mac_algos: (u64::from(raw.mac_algo_h.get()) << 32) | u64::from(raw.mac_algo_l.get()),
            aead_algos: raw.aead_algo.get(),
            akcipher_algos: raw.akcipher_algo.get(),
            max_cipher_key_len: raw.max_cipher_key_len.get(),
            max_auth_key_len: raw.max_auth_key_len.get(),
            max_size: raw.max_size.get(),
        })
    }

    /// Whether the device advertises `service` (see [`service`]).
    pub(crate) fn has_service(&self, service: u32) -> bool {
        service < 32 && self.services & (1 << service) != 0
    }

    /// The algorithm mask the device advertises for `service` (zero for unknown services).
    pub(crate) fn algo_mask(&self, service: u32) -> u64 {
        match service {
            service::CIPHER => self.cipher_algos,
            service::HASH => u64::from(self.hash_algos),
            service::MAC => self.mac_algos,
            service::AEAD => u64::from(self.aead_algos),
            service::AKCIPHER => u64::from(self.akcipher_algos),
            _ => 0,
        }
    }

    /// Whether the device advertises `service` and its algorithm `algo`.
    pub(crate) fn advertises(&self, service: u32, algo: u32) -> bool {
        self.has_service(service) && algo < 64 && self.algo_mask(service) & (1 << algo) != 0
    }

    /// Whether the device advertises the cipher service and cipher `algo`.
    pub(crate) fn has_cipher(&self, algo: u32) -> bool {
        self.advertises(service::CIPHER, algo)
    }

    /// The longest key the device takes for sessions of `service`: cipher keys (cipher,
    /// AEAD), authentication keys (MAC); no limit for the others.
    pub(crate) fn key_limit(&self, service: u32) -> usize {
        match service {
            service::CIPHER | service::AEAD => self.max_cipher_key_len as usize,
            service::MAC => self.max_auth_key_len as usize,
            _ => usize::MAX,
        }
    }

    /// Whether a request carrying `len` bytes of content is within the device's limit.
    pub(crate) fn request_fits(&self, len: usize) -> bool {
        len as u64 <= self.max_size
    }
}

const _: () = assert!(core::mem::size_of::<RawConfig>() == 56);
