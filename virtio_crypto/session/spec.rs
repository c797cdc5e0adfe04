// SPDX-License-Identifier: GPL-2.0

//! One description for every kind of device session the specification has (cipher,
//! algorithm chaining, hash, MAC, AEAD, akcipher): it produces the create-session request,
//! the key material that follows it, and the destroy opcode.

use crate::{
    kernel_api::{secret::SecretKey, wire_bytes::bytes_of, AsBytes},
    transport::control::CreateRequest,
    wire::{op, service, ChainParams, CtrlRequest, Direction, CTRL_REQUEST_LEN},
};
use kernel::prelude::*;

/// What a session is for: everything its create-session request says except the key
/// bytes and, for the kinds that have one, the direction.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum SessionKind {
    /// A plain cipher (`VIRTIO_CRYPTO_SYM_OP_CIPHER`); one session per direction.
    Cipher {
        /// Cipher algorithm.
        algo: u32,
    },
    /// A cipher chained with a hash or MAC (`VIRTIO_CRYPTO_SYM_OP_ALGORITHM_CHAINING`); one
    /// session per direction. The key material is the cipher key, then the
    /// `chain.auth_key_len` bytes of the authentication key. `chain.order` is the encrypt
    /// session's; the decrypt session runs the reverse order ([`ChainParams::reversed`]).
    Chain {
        /// Cipher algorithm.
        algo: u32,
        /// Order, hash mode and the hash or MAC half.
        chain: ChainParams,
    },
    /// A plain hash.
    Hash {
        /// Hash algorithm.
        algo: u32,
        /// Digest length.
        result_len: u32,
    },
    /// A keyed hash.
    Mac {
        /// MAC algorithm.
        algo: u32,
        /// Digest length.
        result_len: u32,
    },
    /// Authenticated encryption; one session per direction.
    Aead {
        /// AEAD algorithm.
        algo: u32,
        /// Tag length.
        tag_len: u32,
        /// Length of the additional authenticated data.
        aad_len: u32,
    },
    /// An asymmetric cipher.
    Akcipher {
        /// Algorithm.
        algo: u32,
        /// Public or private key.
        key_type: u32,
        /// The algorithm's two parameter words (RSA: padding and hash).
        params: [u32; 2],
    },
}

impl SessionKind {
    /// The service the session belongs to.
    pub(crate) fn service(&self) -> u32 {
        match self {
            Self::Cipher { .. } | Self::Chain { .. } => service::CIPHER,
            Self::Hash { .. } => service::HASH,
            Self::Mac { .. } => service::MAC,
            Self::Aead { .. } => service::AEAD,
            Self::Akcipher { .. } => service::AKCIPHER,
        }
    }

    /// The session's algorithm number within its service.
    pub(crate) fn algo(&self) -> u32 {
        match *self {
            Self::Cipher { algo }
            | Self::Chain { algo, .. }
            | Self::Hash { algo, .. }
            | Self::Mac { algo, .. }
            | Self::Aead { algo, .. }
            | Self::Akcipher { algo, .. } => algo,
        }
    }

    /// Whether the device fixes a direction per session (so a key needs one session per
    /// direction it is used in).
    pub(crate) fn has_direction(&self) -> bool {
        matches!(
            self,
            Self::Cipher { .. } | Self::Chain { .. } | Self::Aead { .. }
        )
    }

    /// The opcode that destroys a session of this kind.
    pub(crate) fn destroy_opcode(&self) -> u32 {
        match self {
            Self::Cipher { .. } | Self::Chain { .. } => op::CIPHER_DESTROY_SESSION,
            Self::Hash { .. } => op::HASH_DESTROY_SESSION,
            Self::Mac { .. } => op::MAC_DESTROY_SESSION,
            Self::Aead { .. } => op::AEAD_DESTROY_SESSION,
            Self::Akcipher { .. } => op::AKCIPHER_DESTROY_SESSION,
        }
    }
}

/// A session description with its key material: everything needed to create the session
/// on a device, and to create it again after a reset.
pub(crate) struct SessionSpec {
    kind: SessionKind,
    key: SecretKey,
}

fn request_bytes<T: AsBytes>(request: &T) -> Result<CreateRequest> {
    let mut bytes = [0u8; CTRL_REQUEST_LEN];
    let src = bytes_of(request);
    bytes
        .get_mut(..src.len())
        .ok_or(EINVAL)?
        .copy_from_slice(src);
    Ok(bytes)
}

impl SessionSpec {
    /// A session of `kind` with `key` (copied). Process context.
    pub(crate) fn new(kind: SessionKind, key: &[u8]) -> Result<Self> {
        Ok(Self {
            kind,
            key: SecretKey::copy(key)?,
        })
    }

    /// An algorithm-chaining session with its two keys. Process context.
    pub(crate) fn chain(
        algo: u32,
        chain: ChainParams,
        cipher_key: &[u8],
        auth_key: &[u8],
    ) -> Result<Self> {
        if chain.auth_key_len as usize != auth_key.len() {
            return Err(EINVAL);
        }
        Ok(Self {
            kind: SessionKind::Chain { algo, chain },
            key: SecretKey::concat(&[cipher_key, auth_key])?,
        })
    }

    /// What the session is for.
    pub(crate) fn kind(&self) -> &SessionKind {
        &self.kind
    }

    /// The key material that follows the request (for chaining: both keys).
    pub(crate) fn key(&self) -> &[u8] {
        self.key.bytes()
    }

    /// The create-session request for the session of direction `dir` (ignored by kinds
    /// without a direction).
    pub(crate) fn create_request(&self, dir: Direction) -> Result<CreateRequest> {
        let key_len = u32::try_from(self.key.len()).map_err(|_| EINVAL)?;
        match self.kind {
            SessionKind::Cipher { algo } => {
                request_bytes(&CtrlRequest::create_cipher_session(algo, key_len, dir))
            }
            SessionKind::Chain { algo, chain } => {
                let cipher_len = key_len.checked_sub(chain.auth_key_len).ok_or(EINVAL)?;
                let chain = match dir {
                    Direction::Encrypt => chain,
                    Direction::Decrypt => chain.reversed(),
                };
                request_bytes(&CtrlRequest::create_chain_session(
                    algo, cipher_len, dir, &chain,
                ))
            }
            SessionKind::Hash { algo, result_len } => {
                request_bytes(&CtrlRequest::create_hash_session(algo, result_len))
            }
            SessionKind::Mac { algo, result_len } => {
                request_bytes(&CtrlRequest::create_mac_session(algo, result_len, key_len))
            }
            SessionKind::Aead {
                algo,
                tag_len,
                aad_len,
            } => request_bytes(&CtrlRequest::create_aead_session(
                algo, key_len, tag_len, aad_len, dir,
            )),
            SessionKind::Akcipher {
                algo,
                key_type,
                params,
            } => request_bytes(&CtrlRequest::create_akcipher_session(
                algo, key_type, key_len, params,
            )),
        }
    }
}
