// SPDX-License-Identifier: GPL-2.0

//! Create-session requests of every session kind, byte by byte, against
//! `include/uapi/linux/virtio_crypto.h`.

use crate::{wire::*, Bytes};

fn le32(v: u32) -> [u8; 4] {
    v.to_le_bytes()
}

/// A 72-byte request with the given little-endian words at byte offsets.
fn words(fields: &[(usize, u32)]) -> [u8; 72] {
    let mut want = [0u8; 72];
    for &(at, v) in fields {
        want[at..at + 4].copy_from_slice(&le32(v));
    }
    want
}

#[test]
fn hash_session_request() {
    let req = CtrlRequest::create_hash_session(hash_algo::SHA_256, 32);
    // header.opcode, header.algo; para.algo, para.hash_result_len; the rest zero.
    let want = words(&[(0, 0x0102), (4, 4), (16, 4), (20, 32)]);
    assert_eq!(req.as_bytes(), &want[..]);
}

#[test]
fn mac_session_request() {
    let req = CtrlRequest::create_mac_session(mac_algo::HMAC_SHA_256, 32, 64);
    // para.algo, hash_result_len, auth_key_len at 16, 20, 24.
    let want = words(&[(0, 0x0202), (4, 4), (16, 4), (20, 32), (24, 64)]);
    assert_eq!(req.as_bytes(), &want[..]);
}

#[test]
fn aead_session_request() {
    let req = CtrlRequest::create_aead_session(aead_algo::GCM, 16, 16, 20, Direction::Decrypt);
    // algo, key_len, hash_result_len, aad_len, op at 16..36.
    let want = words(&[
        (0, 0x0302),
        (4, 1),
        (16, 1),
        (20, 16),
        (24, 16),
        (28, 20),
        (32, 2),
    ]);
    assert_eq!(req.as_bytes(), &want[..]);
}

#[test]
fn chain_session_request() {
    let chain = ChainParams {
        order: chain_order::CIPHER_THEN_HASH,
        hash_mode: hash_mode::AUTH,
        mac_algo: mac_algo::HMAC_SHA1,
        result_len: 20,
        auth_key_len: 20,
        aad_len: 8,
    };
    let req =
        CtrlRequest::create_chain_session(cipher_algo::AES_CBC, 16, Direction::Encrypt, &chain);
    let want = words(&[
        (0, 0x0002),
        (4, 3),
        (16, 2),  // alg_chain_order
        (20, 2),  // hash_mode
        (24, 3),  // cipher_param.algo
        (28, 16), // cipher_param.keylen
        (32, 1),  // cipher_param.op
        (40, 2),  // mac_param.algo
        (44, 20), // mac_param.hash_result_len
        (48, 20), // mac_param.auth_key_len
        (56, 8),  // aad_len
        (64, 2),  // op_type = ALGORITHM_CHAINING
    ]);
    assert_eq!(req.as_bytes(), &want[..]);
}

#[test]
fn akcipher_session_request() {
    let req = CtrlRequest::create_akcipher_session(
        akcipher_algo::RSA,
        akcipher_algo::KEY_TYPE_PRIVATE,
        270,
        [akcipher_algo::RSA_PKCS1_PADDING, 6],
    );
    let want = words(&[
        (0, 0x0404),
        (4, 1),
        (16, 1),
        (20, 2),
        (24, 270),
        (28, 1),
        (32, 6),
    ]);
    assert_eq!(req.as_bytes(), &want[..]);
}

#[test]
fn destroy_opcodes_per_service() {
    let req = CtrlRequest::destroy_session(op::HASH_DESTROY_SESSION, 9);
    let mut want = words(&[(0, 0x0103)]);
    want[16..24].copy_from_slice(&9u64.to_le_bytes());
    assert_eq!(req.as_bytes(), &want[..]);
    assert_eq!(op::AKCIPHER_DESTROY_SESSION, 0x0405);
}

#[test]
fn config_advertises_by_service() {
    let mut raw = [0u8; 56];
    let fields = [
        1u32,
        1,
        0b11111,
        1 << 3,
        0,
        1 << 4,
        1 << 4,
        1,
        1 << 2,
        32,
        64,
        1 << 1,
    ];
    for (i, f) in fields.iter().enumerate() {
        raw[i * 4..i * 4 + 4].copy_from_slice(&le32(*f));
    }
    let cfg = Config::parse(&RawConfig::read_from(&raw).unwrap()).unwrap();
    assert!(cfg.advertises(service::CIPHER, cipher_algo::AES_CBC));
    assert!(cfg.advertises(service::HASH, hash_algo::SHA_256));
    assert!(!cfg.advertises(service::HASH, hash_algo::SHA1));
    assert!(cfg.advertises(service::MAC, mac_algo::HMAC_SHA_256));
    assert!(cfg.advertises(service::MAC, 32)); // mac_algo_h bit 0
    assert!(cfg.advertises(service::AEAD, aead_algo::CCM));
    assert!(cfg.advertises(service::AKCIPHER, akcipher_algo::RSA));
    assert!(!cfg.advertises(7, 0));
    assert_eq!(cfg.key_limit(service::MAC), 64);
}
