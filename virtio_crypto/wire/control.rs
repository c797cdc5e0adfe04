// SPDX-License-Identifier: GPL-2.0

//! Control-queue requests: a 16-byte header and a 56-byte body, one body per session kind
//! (cipher, algorithm chaining, hash, MAC, AEAD, akcipher) and one for destroying a session;
//! and the session input the device writes back.
//!
//! Each body is exactly 56 bytes (asserted below), so every [`CtrlRequest`] is exactly
//! [`CTRL_REQUEST_LEN`] bytes with no padding anywhere.

use super::{op, sym_op, Direction, Le32, Le64, Status, STATUS_UNWRITTEN};
use core::mem::size_of;

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
    /// Data queue id (unused by this driver), zero.
    pub(crate) queue_id: Le32,
}

/// Cipher parameters of a session (`struct virtio_crypto_cipher_session_para`).
#[repr(C)]
#[derive(Clone, Copy, Default, Debug)]
pub(crate) struct CipherSessionPara {
    /// Cipher algorithm, see [`super::cipher_algo`].
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

/// Hash (or MAC) parameters inside a chaining session: the MAC variant of the union
/// (`struct virtio_crypto_mac_session_para`), which also describes a plain hash (key length 0).
#[repr(C)]
#[derive(Clone, Copy, Default, Debug)]
pub(crate) struct MacSessionPara {
    /// Hash or MAC algorithm.
    pub(crate) algo: Le32,
    /// Length of the digest the device produces.
    pub(crate) hash_result_len: Le32,
    /// Length of the authentication key (MAC only).
    pub(crate) auth_key_len: Le32,
    /// Zero.
    pub(crate) padding: Le32,
}

/// Body of an algorithm-chaining create-session request
/// (`struct virtio_crypto_sym_create_session_req` with its `chain` variant).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub(crate) struct ChainCreateSessionReq {
    /// Order, see [`super::chain_order`].
    pub(crate) alg_chain_order: Le32,
    /// Hash mode, see [`super::hash_mode`].
    pub(crate) hash_mode: Le32,
    /// The cipher half.
    pub(crate) cipher: CipherSessionPara,
    /// The hash or MAC half.
    pub(crate) mac: MacSessionPara,
    /// Length of the additional authenticated data.
    pub(crate) aad_len: Le32,
    /// Zero.
    pub(crate) chain_padding: Le32,
    /// Operation type: [`sym_op::ALGORITHM_CHAINING`].
    pub(crate) op_type: Le32,
    /// Zero.
    pub(crate) padding: Le32,
}

/// Body of a hash create-session request (`struct virtio_crypto_hash_create_session_req`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub(crate) struct HashCreateSessionReq {
    /// Hash algorithm, see [`super::hash_algo`].
    pub(crate) algo: Le32,
    /// Length of the digest the device produces.
    pub(crate) hash_result_len: Le32,
    /// Zero.
    pub(crate) padding: [u8; 48],
}

/// Body of a MAC create-session request (`struct virtio_crypto_mac_create_session_req`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub(crate) struct MacCreateSessionReq {
    /// MAC parameters.
    pub(crate) para: MacSessionPara,
    /// Zero.
    pub(crate) padding: [u8; 40],
}

/// Body of an AEAD create-session request (`struct virtio_crypto_aead_create_session_req`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub(crate) struct AeadCreateSessionReq {
    /// AEAD algorithm, see [`super::aead_algo`].
    pub(crate) algo: Le32,
    /// Key length in bytes.
    pub(crate) key_len: Le32,
    /// Tag length.
    pub(crate) hash_result_len: Le32,
    /// Length of the additional authenticated data.
    pub(crate) aad_len: Le32,
    /// [`Direction`] of every request on this session.
    pub(crate) op: Le32,
    /// Zero.
    pub(crate) para_padding: Le32,
    /// Zero.
    pub(crate) padding: [u8; 32],
}

/// Body of an akcipher create-session request
/// (`struct virtio_crypto_akcipher_create_session_req`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub(crate) struct AkcipherCreateSessionReq {
    /// Algorithm, see [`super::akcipher_algo`].
    pub(crate) algo: Le32,
    /// Public or private key.
    pub(crate) keytype: Le32,
    /// Key length in bytes.
    pub(crate) keylen: Le32,
    /// Algorithm parameters: RSA padding and hash, or the ECDSA curve and zero.
    pub(crate) params: [Le32; 2],
    /// Zero.
    pub(crate) padding: [u8; 36],
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

/// Size of every control request body.
pub(crate) const CTRL_BODY_LEN: usize = 56;

const _: () = assert!(size_of::<CtrlHeader>() + CTRL_BODY_LEN == CTRL_REQUEST_LEN);
const _: () = assert!(size_of::<SymCreateSessionReq>() == CTRL_BODY_LEN);
const _: () = assert!(size_of::<ChainCreateSessionReq>() == CTRL_BODY_LEN);
const _: () = assert!(size_of::<HashCreateSessionReq>() == CTRL_BODY_LEN);
const _: () = assert!(size_of::<MacCreateSessionReq>() == CTRL_BODY_LEN);
const _: () = assert!(size_of::<AeadCreateSessionReq>() == CTRL_BODY_LEN);
const _: () = assert!(size_of::<AkcipherCreateSessionReq>() == CTRL_BODY_LEN);
const _: () = assert!(size_of::<DestroySessionReq>() == CTRL_BODY_LEN);

fn header(opcode: u32, algo: u32) -> CtrlHeader {
    CtrlHeader {
        opcode: Le32::new(opcode),
        algo: Le32::new(algo),
        ..Default::default()
    }
}

fn cipher_para(algo: u32, key_len: u32, dir: Direction) -> CipherSessionPara {
    CipherSessionPara {
        algo: Le32::new(algo),
        keylen: Le32::new(key_len),
        op: Le32::new(dir as u32),
        padding: Le32::default(),
    }
}

impl CtrlRequest<SymCreateSessionReq> {
    /// A request to create a plain cipher session for `algo` with a key of `key_len` bytes.
    pub(crate) fn create_cipher_session(algo: u32, key_len: u32, dir: Direction) -> Self {
        Self {
            header: header(op::CIPHER_CREATE_SESSION, algo),
            body: SymCreateSessionReq {
                cipher: cipher_para(algo, key_len, dir),
                cipher_padding: [0; 32],
                op_type: Le32::new(sym_op::CIPHER),
                padding: Le32::default(),
            },
        }
    }
}

/// The parameters of an algorithm-chaining session beyond the cipher's.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct ChainParams {
    /// Order, see [`super::chain_order`].
    pub(crate) order: u32,
    /// Hash mode, see [`super::hash_mode`].
    pub(crate) hash_mode: u32,
    /// Hash or MAC algorithm.
    pub(crate) mac_algo: u32,
    /// Digest length.
    pub(crate) result_len: u32,
    /// Authentication key length (the key follows the cipher key).
    pub(crate) auth_key_len: u32,
    /// Length of the additional authenticated data.
    pub(crate) aad_len: u32,
}

impl ChainParams {
    /// The same chain in the other order: the session that undoes this one's work
    /// (cipher then MAC to encrypt, MAC then cipher to decrypt).
    pub(crate) fn reversed(self) -> Self {
        let order = match self.order {
            super::chain_order::CIPHER_THEN_HASH => super::chain_order::HASH_THEN_CIPHER,
            _ => super::chain_order::CIPHER_THEN_HASH,
        };
        Self { order, ..self }
    }
}

impl CtrlRequest<ChainCreateSessionReq> {
    /// A request to create a chaining session: cipher `algo` with a `key_len`-byte key in
    /// direction `dir`, chained with the hash or MAC in `chain`.
    pub(crate) fn create_chain_session(
        algo: u32,
        key_len: u32,
        dir: Direction,
        chain: &ChainParams,
    ) -> Self {
        Self {
            header: header(op::CIPHER_CREATE_SESSION, algo),
            body: ChainCreateSessionReq {
                alg_chain_order: Le32::new(chain.order),
                hash_mode: Le32::new(chain.hash_mode),
                cipher: cipher_para(algo, key_len, dir),
                mac: MacSessionPara {
                    algo: Le32::new(chain.mac_algo),
                    hash_result_len: Le32::new(chain.result_len),
                    auth_key_len: Le32::new(chain.auth_key_len),
                    padding: Le32::default(),
                },
                aad_len: Le32::new(chain.aad_len),
                chain_padding: Le32::default(),
                op_type: Le32::new(sym_op::ALGORITHM_CHAINING),
                padding: Le32::default(),
            },
        }
    }
}

impl CtrlRequest<HashCreateSessionReq> {
    /// A request to create a hash session producing `result_len`-byte digests.
    pub(crate) fn create_hash_session(algo: u32, result_len: u32) -> Self {
        Self {
            header: header(op::HASH_CREATE_SESSION, algo),
            body: HashCreateSessionReq {
                algo: Le32::new(algo),
                hash_result_len: Le32::new(result_len),
                padding: [0; 48],
            },
        }
    }
}

impl CtrlRequest<MacCreateSessionReq> {
    /// A request to create a MAC session with a `key_len`-byte key.
    pub(crate) fn create_mac_session(algo: u32, result_len: u32, key_len: u32) -> Self {
        Self {
            header: header(op::MAC_CREATE_SESSION, algo),
            body: MacCreateSessionReq {
                para: MacSessionPara {
                    algo: Le32::new(algo),
                    hash_result_len: Le32::new(result_len),
                    auth_key_len: Le32::new(key_len),
                    padding: Le32::default(),
                },
                padding: [0; 40],
            },
        }
    }
}

impl CtrlRequest<AeadCreateSessionReq> {
    /// A request to create an AEAD session in direction `dir`.
    pub(crate) fn create_aead_session(
        algo: u32,
        key_len: u32,
        tag_len: u32,
        aad_len: u32,
        dir: Direction,
    ) -> Self {
        Self {
            header: header(op::AEAD_CREATE_SESSION, algo),
            body: AeadCreateSessionReq {
                algo: Le32::new(algo),
                key_len: Le32::new(key_len),
                hash_result_len: Le32::new(tag_len),
                aad_len: Le32::new(aad_len),
                op: Le32::new(dir as u32),
                para_padding: Le32::default(),
                padding: [0; 32],
            },
        }
    }
}

impl CtrlRequest<AkcipherCreateSessionReq> {
    /// A request to create an akcipher session; `params` are the algorithm's two
    /// parameter words (RSA: padding and hash; ECDSA: curve and zero).
    pub(crate) fn create_akcipher_session(
        algo: u32,
        keytype: u32,
        key_len: u32,
        params: [u32; 2],
    ) -> Self {
        Self {
            header: header(op::AKCIPHER_CREATE_SESSION, algo),
            body: AkcipherCreateSessionReq {
                algo: Le32::new(algo),
                keytype: Le32::new(keytype),
                keylen: Le32::new(key_len),
                params: params.map(Le32::new),
                padding: [0; 36],
            },
        }
    }
}

impl CtrlRequest<DestroySessionReq> {
    /// A request to destroy a session with the destroy opcode of its service.
    pub(crate) fn destroy_session(opcode: u32, session_id: u64) -> Self {
        Self {
            header: header(opcode, 0),
            body: DestroySessionReq {
                session_id: Le64::new(session_id),
                padding: [0; 48],
            },
        }
    }

    /// A request to destroy a symmetric (cipher or chaining) session.
    pub(crate) fn destroy_cipher_session(session_id: u64) -> Self {
        Self::destroy_session(op::CIPHER_DESTROY_SESSION, session_id)
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

impl SessionInput {
    /// A session input whose status field holds [`STATUS_UNWRITTEN`].
    pub(crate) fn unwritten() -> Self {
        Self {
            status: Le32::new(u32::from(STATUS_UNWRITTEN)),
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
