// SPDX-License-Identifier: GPL-2.0

//! Data-queue requests: a 24-byte header and a 48-byte body per service, and the status
//! byte the device writes last.

use super::{op, sym_op, Direction, Le32, Le64, Status, STATUS_UNWRITTEN};

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

impl OpHeader {
    /// The header of a request with `opcode` on `session_id`, whose algorithm is `algo`.
    pub(crate) fn new(opcode: u32, algo: u32, session_id: u64) -> Self {
        Self {
            opcode: Le32::new(opcode),
            algo: Le32::new(algo),
            session_id: Le64::new(session_id),
            ..Default::default()
        }
    }
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

/// Lengths of a hash or MAC data request (`struct virtio_crypto_hash_para`; the MAC
/// request's `virtio_crypto_mac_para` wraps the same two fields).
#[repr(C)]
#[derive(Clone, Copy, Default, Debug)]
pub(crate) struct HashPara {
    /// Length of the source data.
    pub(crate) src_data_len: Le32,
    /// Length of the digest the device writes.
    pub(crate) hash_result_len: Le32,
}

/// Body of a hash or MAC data request (`struct virtio_crypto_hash_data_req`, and
/// `struct virtio_crypto_mac_data_req`, which has the same layout).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub(crate) struct HashDataReq {
    /// Lengths.
    pub(crate) para: HashPara,
    /// Pads the body to 48 bytes, zero.
    pub(crate) padding: [u8; 40],
}

/// Lengths of an AEAD data request (`struct virtio_crypto_aead_para`).
#[repr(C)]
#[derive(Clone, Copy, Default, Debug)]
pub(crate) struct AeadPara {
    /// Length of the IV (nonce) buffer that follows the request.
    pub(crate) iv_len: Le32,
    /// Length of the additional authenticated data that follows the IV.
    pub(crate) aad_len: Le32,
    /// Length of the source data (decryption: ciphertext and tag).
    pub(crate) src_data_len: Le32,
    /// Length of the destination data (encryption: ciphertext and tag).
    pub(crate) dst_data_len: Le32,
}

/// Body of an AEAD data request (`struct virtio_crypto_aead_data_req`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub(crate) struct AeadDataReq {
    /// Lengths.
    pub(crate) para: AeadPara,
    /// Pads the body to 48 bytes, zero.
    pub(crate) padding: [u8; 32],
}

/// Lengths of an akcipher data request (`struct virtio_crypto_akcipher_para`).
#[repr(C)]
#[derive(Clone, Copy, Default, Debug)]
pub(crate) struct AkcipherPara {
    /// Length of the source the device reads (verification: signature, then digest).
    pub(crate) src_data_len: Le32,
    /// Length of the destination the device writes (verification: the digest's length).
    pub(crate) dst_data_len: Le32,
}

/// Body of an akcipher data request (`struct virtio_crypto_akcipher_data_req`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub(crate) struct AkcipherDataReq {
    /// Lengths.
    pub(crate) para: AkcipherPara,
    /// Pads the body to 48 bytes, zero.
    pub(crate) padding: [u8; 40],
}

/// An asymmetric operation (`VIRTIO_CRYPTO_AKCIPHER_*` data opcodes).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum AkcipherOp {
    /// Public-key operation (RSA: `m^e mod n`).
    Encrypt,
    /// Private-key operation (RSA: `c^d mod n`).
    Decrypt,
    /// Signature with the private key.
    Sign,
    /// Verification with the public key: the source is the signature, then the digest.
    Verify,
}

/// Lengths and offsets of an algorithm-chaining data request
/// (`struct virtio_crypto_alg_chain_data_para`).
#[repr(C)]
#[derive(Clone, Copy, Default, Debug)]
pub(crate) struct ChainPara {
    /// Length of the IV buffer that follows the request.
    pub(crate) iv_len: Le32,
    /// Length of the source data.
    pub(crate) src_data_len: Le32,
    /// Length of the destination data (equal to the source's).
    pub(crate) dst_data_len: Le32,
    /// Where the ciphered part of the source starts.
    pub(crate) cipher_start_src_offset: Le32,
    /// Length of the ciphered part.
    pub(crate) len_to_cipher: Le32,
    /// Where the hashed part of the source starts.
    pub(crate) hash_start_src_offset: Le32,
    /// Length of the hashed part.
    pub(crate) len_to_hash: Le32,
    /// Length of the additional authenticated data that follows the source.
    pub(crate) aad_len: Le32,
    /// Length of the digest the device writes after the destination.
    pub(crate) hash_result_len: Le32,
    /// Zero.
    pub(crate) reserved: Le32,
}

/// Body of a symmetric data request, algorithm-chaining variant
/// (`struct virtio_crypto_sym_data_req` with `virtio_crypto_alg_chain_data_req`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub(crate) struct ChainDataReq {
    /// Lengths and offsets.
    pub(crate) chain: ChainPara,
    /// Operation type: [`sym_op::ALGORITHM_CHAINING`].
    pub(crate) op_type: Le32,
    /// Zero.
    pub(crate) padding: Le32,
}

/// The parts of one chained request: a source of `len` bytes whose bytes from
/// `cipher_start` on are ciphered, all of it authenticated, the digest following the
/// destination.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct ChainLens {
    /// IV length.
    pub(crate) iv_len: u32,
    /// Source (and destination) length.
    pub(crate) len: u32,
    /// Offset of the ciphered part; it runs to the end of the source.
    pub(crate) cipher_start: u32,
    /// Digest length.
    pub(crate) result_len: u32,
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
            header: OpHeader::new(opcode, algo, session_id),
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

/// Whether a hash request is a plain hash or a MAC (keyed) one.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum HashService {
    /// `VIRTIO_CRYPTO_HASH` on a hash session.
    Hash,
    /// `VIRTIO_CRYPTO_MAC` on a MAC session.
    Mac,
}

impl DataRequest<HashDataReq> {
    /// A digest of `src_len` bytes into `result_len` bytes, on a hash or MAC session.
    pub(crate) fn hash(
        service: HashService,
        algo: u32,
        session_id: u64,
        src_len: u32,
        result_len: u32,
    ) -> Self {
        let opcode = match service {
            HashService::Hash => op::HASH,
            HashService::Mac => op::MAC,
        };
        Self {
            header: OpHeader::new(opcode, algo, session_id),
            body: HashDataReq {
                para: HashPara {
                    src_data_len: Le32::new(src_len),
                    hash_result_len: Le32::new(result_len),
                },
                padding: [0; 40],
            },
        }
    }
}

impl DataRequest<AeadDataReq> {
    /// An AEAD request: `iv_len` bytes of nonce, `aad_len` bytes of associated data and
    /// `src_len` bytes of source in; `dst_len` bytes of destination out.
    pub(crate) fn aead(
        dir: Direction,
        algo: u32,
        session_id: u64,
        iv_len: u32,
        aad_len: u32,
        src_len: u32,
        dst_len: u32,
    ) -> Self {
        let opcode = match dir {
            Direction::Encrypt => op::AEAD_ENCRYPT,
            Direction::Decrypt => op::AEAD_DECRYPT,
        };
        Self {
            header: OpHeader::new(opcode, algo, session_id),
            body: AeadDataReq {
                para: AeadPara {
                    iv_len: Le32::new(iv_len),
                    aad_len: Le32::new(aad_len),
                    src_data_len: Le32::new(src_len),
                    dst_data_len: Le32::new(dst_len),
                },
                padding: [0; 32],
            },
        }
    }
}

impl DataRequest<AkcipherDataReq> {
    /// An akcipher request: `src_len` bytes in, `dst_len` bytes out, on `session_id`.
    pub(crate) fn akcipher(
        operation: AkcipherOp,
        algo: u32,
        session_id: u64,
        src_len: u32,
        dst_len: u32,
    ) -> Self {
        let opcode = match operation {
            AkcipherOp::Encrypt => op::AKCIPHER_ENCRYPT,
            AkcipherOp::Decrypt => op::AKCIPHER_DECRYPT,
            AkcipherOp::Sign => op::AKCIPHER_SIGN,
            AkcipherOp::Verify => op::AKCIPHER_VERIFY,
        };
        Self {
            header: OpHeader::new(opcode, algo, session_id),
            body: AkcipherDataReq {
                para: AkcipherPara {
                    src_data_len: Le32::new(src_len),
                    dst_data_len: Le32::new(dst_len),
                },
                padding: [0; 40],
            },
        }
    }
}

impl DataRequest<ChainDataReq> {
    /// A chained request (cipher `algo` on a chaining session): the source's bytes from
    /// `lens.cipher_start` on are ciphered, the whole source is authenticated (the
    /// session's order decides whether before or after ciphering), no separate AAD.
    pub(crate) fn chain(dir: Direction, algo: u32, session_id: u64, lens: ChainLens) -> Self {
        let opcode = match dir {
            Direction::Encrypt => op::CIPHER_ENCRYPT,
            Direction::Decrypt => op::CIPHER_DECRYPT,
        };
        Self {
            header: OpHeader::new(opcode, algo, session_id),
            body: ChainDataReq {
                chain: ChainPara {
                    iv_len: Le32::new(lens.iv_len),
                    src_data_len: Le32::new(lens.len),
                    dst_data_len: Le32::new(lens.len),
                    cipher_start_src_offset: Le32::new(lens.cipher_start),
                    len_to_cipher: Le32::new(lens.len.saturating_sub(lens.cipher_start)),
                    hash_start_src_offset: Le32::new(0),
                    len_to_hash: Le32::new(lens.len),
                    aad_len: Le32::new(0),
                    hash_result_len: Le32::new(lens.result_len),
                    reserved: Le32::default(),
                },
                op_type: Le32::new(sym_op::ALGORITHM_CHAINING),
                padding: Le32::default(),
            },
        }
    }
}

const _: () = assert!(core::mem::size_of::<DataRequest<SymDataReq>>() == DATA_REQUEST_LEN);
const _: () = assert!(core::mem::size_of::<DataRequest<AeadDataReq>>() == DATA_REQUEST_LEN);
const _: () = assert!(core::mem::size_of::<DataRequest<ChainDataReq>>() == DATA_REQUEST_LEN);
const _: () = assert!(core::mem::size_of::<DataRequest<HashDataReq>>() == DATA_REQUEST_LEN);
const _: () = assert!(core::mem::size_of::<DataRequest<AkcipherDataReq>>() == DATA_REQUEST_LEN);
const _: () = assert!(core::mem::size_of::<InHdr>() == 1);
