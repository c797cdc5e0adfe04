// SPDX-License-Identifier: GPL-2.0

//! The virtio-crypto wire format (virtio 1.2, section 5.9), as plain data.
//!
//! This module and its children depend only on `core` and contain no `unsafe` code: they are
//! compiled into the kernel module and, unchanged, into the host-side unit tests
//! (`tests/host`). Every structure is `#[repr(C)]` with explicit padding fields, so its bytes
//! are exactly what goes on the wire. The abstraction layer (`kernel_api::wire_bytes`) views
//! them as bytes (the kernel's `AsBytes`/`FromBytes`) and checks each one's size and field
//! offsets against `include/uapi/linux/virtio_crypto.h` at compile time.
//!
//! - [`control`]: control-queue requests, one session description per service, and what the
//!   device writes back;
//! - [`data`]: data-queue requests and the status byte;
//! - [`config`]: the configuration space and its validation.
//!
//! Multi-byte fields are little-endian ([`Le32`], [`Le64`]). Everything the device writes
//! ([`control::SessionInput`], [`data::InHdr`], [`config::RawConfig`]) is untrusted and only
//! read through parsing functions that validate it.

// The protocol tables are complete; the driver uses a growing subset of them.
#![allow(dead_code)]

#[path = "config.rs"]
pub(crate) mod config;
#[path = "control.rs"]
pub(crate) mod control;
#[path = "data.rs"]
pub(crate) mod data;

pub(crate) use config::*;
pub(crate) use control::*;
pub(crate) use data::*;

/// A little-endian `u32` as stored on the wire.
#[repr(transparent)]
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub(crate) struct Le32(u32);

impl Le32 {
    /// Stores `v` in little-endian byte order.
    pub(crate) const fn new(v: u32) -> Self {
        Self(v.to_le())
    }

    /// Returns the value in native byte order.
    pub(crate) const fn get(self) -> u32 {
        u32::from_le(self.0)
    }
}

/// A little-endian `u64` as stored on the wire.
#[repr(transparent)]
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub(crate) struct Le64(u64);

impl Le64 {
    /// Stores `v` in little-endian byte order.
    pub(crate) const fn new(v: u64) -> Self {
        Self(v.to_le())
    }

    /// Returns the value in native byte order.
    pub(crate) const fn get(self) -> u64 {
        u64::from_le(self.0)
    }
}

/// Service numbers (`VIRTIO_CRYPTO_SERVICE_*`); bit `n` of `crypto_services` means service `n`.
pub(crate) mod service {
    /// Symmetric ciphers.
    pub(crate) const CIPHER: u32 = 0;
    /// Plain hashes.
    pub(crate) const HASH: u32 = 1;
    /// Keyed hashes.
    pub(crate) const MAC: u32 = 2;
    /// Authenticated encryption.
    pub(crate) const AEAD: u32 = 3;
    /// Asymmetric ciphers.
    pub(crate) const AKCIPHER: u32 = 4;
}

/// Sentinel a driver stores in a device-writable status before submitting, so that a device
/// that completes a request without writing its status is detected.
pub(crate) const STATUS_UNWRITTEN: u8 = 0xff;

/// Builds an opcode from a service and an operation (`VIRTIO_CRYPTO_OPCODE`).
pub(crate) const fn opcode(service: u32, op: u32) -> u32 {
    (service << 8) | op
}

/// Request opcodes (`VIRTIO_CRYPTO_*` for control and data requests).
pub(crate) mod op {
    use super::{opcode, service};

    /// Control: create a symmetric (cipher or chaining) session.
    pub(crate) const CIPHER_CREATE_SESSION: u32 = opcode(service::CIPHER, 0x02);
    /// Control: destroy a symmetric session.
    pub(crate) const CIPHER_DESTROY_SESSION: u32 = opcode(service::CIPHER, 0x03);
    /// Control: create a hash session.
    pub(crate) const HASH_CREATE_SESSION: u32 = opcode(service::HASH, 0x02);
    /// Control: destroy a hash session.
    pub(crate) const HASH_DESTROY_SESSION: u32 = opcode(service::HASH, 0x03);
    /// Control: create a MAC session.
    pub(crate) const MAC_CREATE_SESSION: u32 = opcode(service::MAC, 0x02);
    /// Control: destroy a MAC session.
    pub(crate) const MAC_DESTROY_SESSION: u32 = opcode(service::MAC, 0x03);
    /// Control: create an AEAD session.
    pub(crate) const AEAD_CREATE_SESSION: u32 = opcode(service::AEAD, 0x02);
    /// Control: destroy an AEAD session.
    pub(crate) const AEAD_DESTROY_SESSION: u32 = opcode(service::AEAD, 0x03);
    /// Data: encrypt with a cipher session.
    pub(crate) const CIPHER_ENCRYPT: u32 = opcode(service::CIPHER, 0x00);
    /// Data: decrypt with a cipher session.
    pub(crate) const CIPHER_DECRYPT: u32 = opcode(service::CIPHER, 0x01);
    /// Data: hash.
    pub(crate) const HASH: u32 = opcode(service::HASH, 0x00);
    /// Data: MAC.
    pub(crate) const MAC: u32 = opcode(service::MAC, 0x00);
    /// Data: AEAD encrypt.
    pub(crate) const AEAD_ENCRYPT: u32 = opcode(service::AEAD, 0x00);
    /// Data: AEAD decrypt.
    pub(crate) const AEAD_DECRYPT: u32 = opcode(service::AEAD, 0x01);
    /// Control: create an asymmetric session.
    pub(crate) const AKCIPHER_CREATE_SESSION: u32 = opcode(service::AKCIPHER, 0x04);
    /// Control: destroy an asymmetric session.
    pub(crate) const AKCIPHER_DESTROY_SESSION: u32 = opcode(service::AKCIPHER, 0x05);
    /// Data: asymmetric encrypt.
    pub(crate) const AKCIPHER_ENCRYPT: u32 = opcode(service::AKCIPHER, 0x00);
    /// Data: asymmetric decrypt.
    pub(crate) const AKCIPHER_DECRYPT: u32 = opcode(service::AKCIPHER, 0x01);
    /// Data: sign.
    pub(crate) const AKCIPHER_SIGN: u32 = opcode(service::AKCIPHER, 0x02);
    /// Data: verify.
    pub(crate) const AKCIPHER_VERIFY: u32 = opcode(service::AKCIPHER, 0x03);
}

/// Cipher algorithm numbers (`VIRTIO_CRYPTO_CIPHER_*`); bit `n` of the 64-bit cipher mask.
pub(crate) mod cipher_algo {
    /// AES in ECB mode.
    pub(crate) const AES_ECB: u32 = 2;
    /// AES in CBC mode.
    pub(crate) const AES_CBC: u32 = 3;
    /// AES in CTR mode.
    pub(crate) const AES_CTR: u32 = 4;
    /// Triple DES in ECB mode.
    pub(crate) const DES3_ECB: u32 = 7;
    /// Triple DES in CBC mode.
    pub(crate) const DES3_CBC: u32 = 8;
    /// Triple DES in CTR mode.
    pub(crate) const DES3_CTR: u32 = 9;
    /// AES in XTS mode.
    pub(crate) const AES_XTS: u32 = 13;
}

/// Hash algorithm numbers (`VIRTIO_CRYPTO_HASH_*`); bit `n` of the hash mask.
pub(crate) mod hash_algo {
    /// MD5.
    pub(crate) const MD5: u32 = 1;
    /// SHA-1.
    pub(crate) const SHA1: u32 = 2;
    /// SHA-224.
    pub(crate) const SHA_224: u32 = 3;
    /// SHA-256.
    pub(crate) const SHA_256: u32 = 4;
    /// SHA-384.
    pub(crate) const SHA_384: u32 = 5;
    /// SHA-512.
    pub(crate) const SHA_512: u32 = 6;
    /// SHA3-224.
    pub(crate) const SHA3_224: u32 = 7;
    /// SHA3-256.
    pub(crate) const SHA3_256: u32 = 8;
    /// SHA3-384.
    pub(crate) const SHA3_384: u32 = 9;
    /// SHA3-512.
    pub(crate) const SHA3_512: u32 = 10;
}

/// MAC algorithm numbers (`VIRTIO_CRYPTO_MAC_*`); bit `n` of the 64-bit MAC mask.
pub(crate) mod mac_algo {
    /// HMAC-MD5.
    pub(crate) const HMAC_MD5: u32 = 1;
    /// HMAC-SHA1.
    pub(crate) const HMAC_SHA1: u32 = 2;
    /// HMAC-SHA224.
    pub(crate) const HMAC_SHA_224: u32 = 3;
    /// HMAC-SHA256.
    pub(crate) const HMAC_SHA_256: u32 = 4;
    /// HMAC-SHA384.
    pub(crate) const HMAC_SHA_384: u32 = 5;
    /// HMAC-SHA512.
    pub(crate) const HMAC_SHA_512: u32 = 6;
    /// CMAC with AES.
    pub(crate) const CMAC_AES: u32 = 26;
    /// XCBC-MAC with AES.
    pub(crate) const XCBC_AES: u32 = 53;
}

/// AEAD algorithm numbers (`VIRTIO_CRYPTO_AEAD_*`); bit `n` of the AEAD mask.
pub(crate) mod aead_algo {
    /// AES-GCM.
    pub(crate) const GCM: u32 = 1;
    /// AES-CCM.
    pub(crate) const CCM: u32 = 2;
    /// ChaCha20-Poly1305.
    pub(crate) const CHACHA20_POLY1305: u32 = 3;
}

/// Asymmetric algorithm numbers (`VIRTIO_CRYPTO_AKCIPHER_*`) and their session parameters.
pub(crate) mod akcipher_algo {
    /// RSA.
    pub(crate) const RSA: u32 = 1;
    /// ECDSA, as virtio 1.3 numbers it (Linux's uapi header says 3, and 2 for a DSA the
    /// specification does not have; no device known implements either).
    pub(crate) const ECDSA: u32 = 2;
    /// Key type: public key.
    pub(crate) const KEY_TYPE_PUBLIC: u32 = 1;
    /// Key type: private key.
    pub(crate) const KEY_TYPE_PRIVATE: u32 = 2;
    /// RSA without padding.
    pub(crate) const RSA_RAW_PADDING: u32 = 0;
    /// RSA with PKCS#1 v1.5 padding.
    pub(crate) const RSA_PKCS1_PADDING: u32 = 1;
    /// RSA session without a hash algorithm.
    pub(crate) const RSA_NO_HASH: u32 = 0;
}

/// Order of an algorithm-chaining session (`VIRTIO_CRYPTO_SYM_ALG_CHAIN_ORDER_*`).
pub(crate) mod chain_order {
    /// Hash (or MAC) first, then cipher: decryption with authenc.
    pub(crate) const HASH_THEN_CIPHER: u32 = 1;
    /// Cipher first, then hash (or MAC): encryption with authenc.
    pub(crate) const CIPHER_THEN_HASH: u32 = 2;
}

/// Hash mode of an algorithm-chaining session (`VIRTIO_CRYPTO_SYM_HASH_MODE_*`).
pub(crate) mod hash_mode {
    /// Plain hash.
    pub(crate) const PLAIN: u32 = 1;
    /// Keyed hash (MAC).
    pub(crate) const AUTH: u32 = 2;
}

/// Symmetric operation types (`VIRTIO_CRYPTO_SYM_OP_*`).
pub(crate) mod sym_op {
    /// Plain cipher.
    pub(crate) const CIPHER: u32 = 1;
    /// Cipher chained with a hash or MAC.
    pub(crate) const ALGORITHM_CHAINING: u32 = 2;
}

/// Direction of a cipher session (`VIRTIO_CRYPTO_OP_*`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Direction {
    /// `VIRTIO_CRYPTO_OP_ENCRYPT`.
    Encrypt = 1,
    /// `VIRTIO_CRYPTO_OP_DECRYPT`.
    Decrypt = 2,
}

/// A status the device reported (`VIRTIO_CRYPTO_OK` ... `VIRTIO_CRYPTO_KEY_REJECTED`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Status {
    /// The request succeeded.
    Ok,
    /// Any failure.
    Err,
    /// Authentication failed.
    BadMsg,
    /// Operation or algorithm not supported.
    NotSupp,
    /// Invalid session id.
    InvSess,
    /// No free session.
    NoSpc,
    /// Signature verification failed.
    KeyRejected,
    /// A value outside the specification: a device bug, treated as an error.
    Unknown(u32),
}

/// Whether the used length the device reported for an answer is possible (untrusted): the
/// device wrote at least the status, which is the last of the `writable` bytes it was given,
/// and never more than those; a success wrote all of them (the whole result, then the
/// status). A device that reports less for a success has not written part of the result,
/// which would leave the caller with whatever the buffer held before (the plaintext, for
/// an in-place encryption).
pub(crate) const fn answer_len_valid(used_len: u32, writable: usize, success: bool) -> bool {
    let used = used_len as usize;
    used != 0 && used <= writable && (!success || used == writable)
}

// Linux errno values (part of the kernel's user ABI, identical on every architecture we run).
const EIO: i32 = 5;
const EINVAL: i32 = 22;
const ENOSPC: i32 = 28;
const EBADMSG: i32 = 74;
const EOPNOTSUPP: i32 = 95;
const EKEYREJECTED: i32 = 129;

impl Status {
    /// Parses a status value written by the device; unknown values are kept, not trusted.
    pub(crate) const fn from_raw(v: u32) -> Self {
        match v {
            0 => Self::Ok,
            1 => Self::Err,
            2 => Self::BadMsg,
            3 => Self::NotSupp,
            4 => Self::InvSess,
            5 => Self::NoSpc,
            6 => Self::KeyRejected,
            other => Self::Unknown(other),
        }
    }

    /// The status as a kernel return value: 0 for success, else a negative errno.
    pub(crate) const fn to_errno(self) -> i32 {
        match self {
            Self::Ok => 0,
            Self::Err | Self::Unknown(_) => -EIO,
            Self::BadMsg => -EBADMSG,
            Self::NotSupp => -EOPNOTSUPP,
            Self::InvSess => -EINVAL,
            Self::NoSpc => -ENOSPC,
            Self::KeyRejected => -EKEYREJECTED,
        }
    }
}
