// SPDX-License-Identifier: GPL-2.0

//! The virtio-crypto wire format (virtio 1.2, section 5.9), as plain data.
//!
//! This module depends only on `core`: it is compiled into the kernel module and, unchanged,
//! into the host-side unit tests (`tests/host`). Every structure here is `#[repr(C)]` with
//! explicit padding fields, so its bytes are exactly what goes on the wire; the module's
//! `wire_layout` checks each one against `include/uapi/linux/virtio_crypto.h` at compile time.
//!
//! Multi-byte fields are little-endian ([`Le32`], [`Le64`]). Everything the device writes
//! ([`SessionInput`], [`Status`] bytes, [`RawConfig`]) is untrusted and only read through
//! parsing functions that validate it.

// The protocol tables are complete; the driver uses a growing subset of them.
#![allow(dead_code)]

use core::mem::size_of;

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

/// Marks a plain-old-data wire structure.
///
/// # Safety
///
/// Implementors must be `#[repr(C)]` (or transparent), contain only integer fields and byte
/// arrays, and have no implicit padding, so every byte is initialized and every bit pattern
/// is a valid value.
pub(crate) unsafe trait Wire: Sized + Copy {
    /// The structure's bytes, exactly as they go on the wire.
    fn as_bytes(&self) -> &[u8] {
        // SAFETY: By the trait's contract `Self` has no padding, so all `size_of::<Self>()`
        // bytes behind `self` are initialized, and they live as long as `&self`.
        unsafe {
            core::slice::from_raw_parts((self as *const Self).cast::<u8>(), size_of::<Self>())
        }
    }

    /// Reads a structure from device-written bytes; `None` if `bytes` is too short.
    fn read_from(bytes: &[u8]) -> Option<Self> {
        if bytes.len() < size_of::<Self>() {
            return None;
        }
        // SAFETY: `bytes` holds at least `size_of::<Self>()` readable bytes, the read is
        // unaligned-safe, and by the trait's contract any bit pattern is a valid `Self`.
        Some(unsafe { bytes.as_ptr().cast::<Self>().read_unaligned() })
    }
}

/// Header of every control request (`struct virtio_crypto_ctrl_header`).
#[repr(C)]
#[derive(Clone, Copy, Default, Debug)]
pub(crate) struct CtrlHeader {
    /// Control opcode, see [`op`].
    pub(crate) opcode: Le32,
    /// Algorithm the session is for.
    pub(crate) algo: Le32,
    /// Reserved flags, zero.
    pub(crate) flag: Le32,
    /// Data queue id (unused by cipher sessions), zero.
    pub(crate) queue_id: Le32,
}

/// Cipher parameters of a session (`struct virtio_crypto_cipher_session_para`).
#[repr(C)]
#[derive(Clone, Copy, Default, Debug)]
pub(crate) struct CipherSessionPara {
    /// Cipher algorithm, see [`cipher_algo`].
    pub(crate) algo: Le32,
    /// Key length in bytes; the key follows the request in its own buffer.
    pub(crate) keylen: Le32,
    /// [`Direction`] of every request on this session.
    pub(crate) op: Le32,
    /// Zero.
    pub(crate) padding: Le32,
}

/// Body of a symmetric create-session request (`struct virtio_crypto_sym_create_session_req`
/// with its `cipher` variant).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub(crate) struct SymCreateSessionReq {
    /// Cipher parameters.
    pub(crate) cipher: CipherSessionPara,
    /// Pads the cipher variant to the union's 48 bytes, zero.
    pub(crate) cipher_padding: [u8; 32],
    /// Operation type, see [`sym_op`].
    pub(crate) op_type: Le32,
    /// Zero.
    pub(crate) padding: Le32,
}

/// Body of a destroy-session request (`struct virtio_crypto_destroy_session_req`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub(crate) struct DestroySessionReq {
    /// The session to destroy.
    pub(crate) session_id: Le64,
    /// Zero.
    pub(crate) padding: [u8; 48],
}

/// A control request: header and a 56-byte body (`struct virtio_crypto_op_ctrl_req`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub(crate) struct CtrlRequest<B> {
    /// Common header.
    pub(crate) header: CtrlHeader,
    /// Opcode-specific body.
    pub(crate) body: B,
}

/// Size of every control request on the wire.
pub(crate) const CTRL_REQUEST_LEN: usize = 72;

impl CtrlRequest<SymCreateSessionReq> {
    /// A request to create a plain cipher session for `algo` with a key of `key_len` bytes.
    pub(crate) fn create_cipher_session(algo: u32, key_len: u32, dir: Direction) -> Self {
        Self {
            header: CtrlHeader {
                opcode: Le32::new(op::CIPHER_CREATE_SESSION),
                algo: Le32::new(algo),
                ..Default::default()
            },
            body: SymCreateSessionReq {
                cipher: CipherSessionPara {
                    algo: Le32::new(algo),
                    keylen: Le32::new(key_len),
                    op: Le32::new(dir as u32),
                    padding: Le32::default(),
                },
                cipher_padding: [0; 32],
                op_type: Le32::new(sym_op::CIPHER),
                padding: Le32::default(),
            },
        }
    }
}

impl CtrlRequest<DestroySessionReq> {
    /// A request to destroy a symmetric session.
    pub(crate) fn destroy_cipher_session(session_id: u64) -> Self {
        Self {
            header: CtrlHeader {
                opcode: Le32::new(op::CIPHER_DESTROY_SESSION),
                ..Default::default()
            },
            body: DestroySessionReq {
                session_id: Le64::new(session_id),
                padding: [0; 48],
            },
        }
    }
}

/// What the device writes back for a create-session request
/// (`struct virtio_crypto_session_input`).
#[repr(C)]
#[derive(Clone, Copy, Default, Debug)]
pub(crate) struct SessionInput {
    /// The new session's id, valid when `status` is OK.
    pub(crate) session_id: Le64,
    /// A [`Status`] value.
    pub(crate) status: Le32,
    /// Unused.
    pub(crate) padding: Le32,
}

/// Sentinel a driver stores in a device-writable status before submitting, so that a device
/// that completes a request without writing its status is detected.
pub(crate) const STATUS_UNWRITTEN: u8 = 0xff;

impl SessionInput {
    /// A session input whose status field holds [`STATUS_UNWRITTEN`].
    pub(crate) fn unwritten() -> Self {
        Self {
            status: Le32::new(STATUS_UNWRITTEN as u32),
            ..Default::default()
        }
    }

    /// The created session id, or the device's failure as a negative errno.
    pub(crate) fn result(&self) -> Result<u64, i32> {
        match Status::from_raw(self.status.get()) {
            Status::Ok => Ok(self.session_id.get()),
            failure => Err(failure.to_errno()),
        }
    }
}

/// The status byte the device writes last for data and destroy-session requests
/// (`struct virtio_crypto_inhdr`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub(crate) struct InHdr {
    /// A [`Status`] value.
    pub(crate) status: u8,
}

impl InHdr {
    /// An input header holding [`STATUS_UNWRITTEN`].
    pub(crate) fn unwritten() -> Self {
        Self {
            status: STATUS_UNWRITTEN,
        }
    }

    /// Success, or the device's failure as a negative errno.
    pub(crate) fn result(&self) -> Result<(), i32> {
        match Status::from_raw(u32::from(self.status)) {
            Status::Ok => Ok(()),
            failure => Err(failure.to_errno()),
        }
    }
}

/// Header of every data request (`struct virtio_crypto_op_header`).
#[repr(C)]
#[derive(Clone, Copy, Default, Debug)]
pub(crate) struct OpHeader {
    /// Data opcode, see [`op`].
    pub(crate) opcode: Le32,
    /// Algorithm of the session.
    pub(crate) algo: Le32,
    /// Session the request runs on.
    pub(crate) session_id: Le64,
    /// Reserved flags, zero.
    pub(crate) flag: Le32,
    /// Zero.
    pub(crate) padding: Le32,
}

/// Cipher lengths of a data request (`struct virtio_crypto_cipher_para`).
#[repr(C)]
#[derive(Clone, Copy, Default, Debug)]
pub(crate) struct CipherPara {
    /// Length of the IV buffer that follows the request.
    pub(crate) iv_len: Le32,
    /// Length of the source data.
    pub(crate) src_data_len: Le32,
    /// Length of the destination data.
    pub(crate) dst_data_len: Le32,
    /// Zero.
    pub(crate) padding: Le32,
}

/// Body of a symmetric data request (`struct virtio_crypto_sym_data_req`, cipher variant).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub(crate) struct SymDataReq {
    /// Cipher lengths.
    pub(crate) cipher: CipherPara,
    /// Pads the cipher variant to the union's 40 bytes, zero.
    pub(crate) cipher_padding: [u8; 24],
    /// Operation type, see [`sym_op`].
    pub(crate) op_type: Le32,
    /// Zero.
    pub(crate) padding: Le32,
}

/// A data request: header and a 48-byte body (`struct virtio_crypto_op_data_req`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub(crate) struct DataRequest<B> {
    /// Common header.
    pub(crate) header: OpHeader,
    /// Service-specific body.
    pub(crate) body: B,
}

/// Size of every data request on the wire.
pub(crate) const DATA_REQUEST_LEN: usize = 72;

impl DataRequest<SymDataReq> {
    /// A plain cipher request of `len` bytes (source and destination alike) on `session_id`.
    pub(crate) fn cipher(
        dir: Direction,
        algo: u32,
        session_id: u64,
        iv_len: u32,
        len: u32,
    ) -> Self {
        let opcode = match dir {
            Direction::Encrypt => op::CIPHER_ENCRYPT,
            Direction::Decrypt => op::CIPHER_DECRYPT,
        };
        Self {
            header: OpHeader {
                opcode: Le32::new(opcode),
                algo: Le32::new(algo),
                session_id: Le64::new(session_id),
                ..Default::default()
            },
            body: SymDataReq {
                cipher: CipherPara {
                    iv_len: Le32::new(iv_len),
                    src_data_len: Le32::new(len),
                    dst_data_len: Le32::new(len),
                    padding: Le32::default(),
                },
                cipher_padding: [0; 24],
                op_type: Le32::new(sym_op::CIPHER),
                padding: Le32::default(),
            },
        }
    }
}

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

/// Most data queues the driver will use, whatever the device advertises.
pub(crate) const MAX_DATA_QUEUES: u32 = 64;

/// The device configuration, validated and in native byte order.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Config {
    /// The device says it is ready for requests.
    pub(crate) hw_ready: bool,
    /// Number of data queues the driver uses (the device's count, capped).
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
}

impl Config {
    /// Validates what the device wrote. The data queue count is capped at
    /// [`MAX_DATA_QUEUES`]; a device without data queues is refused.
    pub(crate) fn parse(raw: &RawConfig) -> Result<Self, ConfigError> {
        let max_dataqueues = raw.max_dataqueues.get();
        if max_dataqueues == 0 {
            return Err(ConfigError::NoDataQueues);
        }
        Ok(Self {
            hw_ready: raw.status.get() & STATUS_HW_READY != 0,
            data_queues: max_dataqueues.min(MAX_DATA_QUEUES),
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

    /// Whether the device advertises the cipher service and cipher `algo`.
    pub(crate) fn has_cipher(&self, algo: u32) -> bool {
        self.has_service(service::CIPHER) && algo < 64 && self.cipher_algos & (1 << algo) != 0
    }

    /// Whether a cipher key of `len` bytes is within the device's limit.
    pub(crate) fn cipher_key_fits(&self, len: usize) -> bool {
        len <= self.max_cipher_key_len as usize
    }

    /// Whether a request carrying `len` bytes of content is within the device's limit.
    pub(crate) fn request_fits(&self, len: usize) -> bool {
        len as u64 <= self.max_size
    }
}

// SAFETY: Each of these is `#[repr(C)]`, built only from `Le32`/`Le64` (transparent integers)
// and byte arrays, and has no implicit padding (`wire_layout` and the host tests check sizes).
unsafe impl Wire for CtrlHeader {}
// SAFETY: As above.
unsafe impl Wire for CipherSessionPara {}
// SAFETY: As above.
unsafe impl Wire for SymCreateSessionReq {}
// SAFETY: As above.
unsafe impl Wire for DestroySessionReq {}
// SAFETY: As above; `B` is itself `Wire` and 8-byte multiple sized bodies follow a 16-byte header.
unsafe impl<B: Wire> Wire for CtrlRequest<B> {}
// SAFETY: As above.
unsafe impl Wire for SessionInput {}
// SAFETY: As above.
unsafe impl Wire for RawConfig {}
// SAFETY: A single `u8`.
unsafe impl Wire for InHdr {}
// SAFETY: Byte arrays have no padding and every bit pattern is valid.
unsafe impl<const N: usize> Wire for [u8; N] {}
// SAFETY: As above.
unsafe impl Wire for OpHeader {}
// SAFETY: As above.
unsafe impl Wire for CipherPara {}
// SAFETY: As above.
unsafe impl Wire for SymDataReq {}
// SAFETY: As above; `B` is itself `Wire` and follows a 24-byte, 8-aligned header.
unsafe impl<B: Wire> Wire for DataRequest<B> {}

// Sizes fixed by the specification.
const _: () = assert!(size_of::<CtrlRequest<SymCreateSessionReq>>() == CTRL_REQUEST_LEN);
const _: () = assert!(size_of::<CtrlRequest<DestroySessionReq>>() == CTRL_REQUEST_LEN);
const _: () = assert!(size_of::<DataRequest<SymDataReq>>() == DATA_REQUEST_LEN);
const _: () = assert!(size_of::<SessionInput>() == 16);
const _: () = assert!(size_of::<InHdr>() == 1);
const _: () = assert!(size_of::<RawConfig>() == 56);
