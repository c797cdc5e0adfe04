// SPDX-License-Identifier: GPL-2.0

//! AEAD and chained data requests byte by byte, the chaining order per direction, and
//! the AEAD layout arithmetic (nonces and buffer regions).

use crate::aead_layout::{device_nonce, Layout, Nonce, Regions};
use crate::wire::*;
use crate::Bytes;

fn le32(v: u32) -> [u8; 4] {
    v.to_le_bytes()
}

#[test]
fn aead_data_request_encodes_byte_by_byte() {
    let req = DataRequest::aead(Direction::Decrypt, aead_algo::GCM, 9, 12, 20, 1040, 1024);
    let b = req.as_bytes();
    assert_eq!(b.len(), DATA_REQUEST_LEN);
    let mut want = [0u8; 72];
    want[0..4].copy_from_slice(&le32(0x0301)); // VIRTIO_CRYPTO_AEAD_DECRYPT (service 3 << 8 | 1)
    want[4..8].copy_from_slice(&le32(1)); // VIRTIO_CRYPTO_AEAD_GCM
    want[8..16].copy_from_slice(&9u64.to_le_bytes()); // session_id
    want[24..28].copy_from_slice(&le32(12)); // iv_len
    want[28..32].copy_from_slice(&le32(20)); // aad_len
    want[32..36].copy_from_slice(&le32(1040)); // src_data_len
    want[36..40].copy_from_slice(&le32(1024)); // dst_data_len
    assert_eq!(b, &want[..]);
}

#[test]
fn chain_data_request_encodes_byte_by_byte() {
    let lens = ChainLens {
        iv_len: 16,
        len: 24 + 64,
        cipher_start: 24,
        result_len: 16,
    };
    let req = DataRequest::chain(Direction::Encrypt, cipher_algo::AES_CBC, 3, lens);
    let b = req.as_bytes();
    assert_eq!(b.len(), DATA_REQUEST_LEN);
    let mut want = [0u8; 72];
    want[0..4].copy_from_slice(&le32(0)); // VIRTIO_CRYPTO_CIPHER_ENCRYPT
    want[4..8].copy_from_slice(&le32(3)); // AES_CBC
    want[8..16].copy_from_slice(&3u64.to_le_bytes());
    // struct virtio_crypto_alg_chain_data_para, at the start of the 40-byte union.
    want[24..28].copy_from_slice(&le32(16)); // iv_len
    want[28..32].copy_from_slice(&le32(88)); // src_data_len
    want[32..36].copy_from_slice(&le32(88)); // dst_data_len
    want[36..40].copy_from_slice(&le32(24)); // cipher_start_src_offset
    want[40..44].copy_from_slice(&le32(64)); // len_to_cipher
    want[44..48].copy_from_slice(&le32(0)); // hash_start_src_offset
    want[48..52].copy_from_slice(&le32(88)); // len_to_hash
    want[52..56].copy_from_slice(&le32(0)); // aad_len
    want[56..60].copy_from_slice(&le32(16)); // hash_result_len
    want[64..68].copy_from_slice(&le32(2)); // op_type ALGORITHM_CHAINING
    assert_eq!(b, &want[..]);
    let dec = DataRequest::chain(Direction::Decrypt, cipher_algo::AES_CBC, 3, lens);
    assert_eq!(&dec.as_bytes()[0..4], &le32(1)); // VIRTIO_CRYPTO_CIPHER_DECRYPT
}

#[test]
fn chain_order_reverses_for_the_decrypt_session() {
    let chain = ChainParams {
        order: chain_order::CIPHER_THEN_HASH,
        hash_mode: hash_mode::AUTH,
        mac_algo: mac_algo::HMAC_SHA_256,
        result_len: 16,
        auth_key_len: 32,
        aad_len: 0,
    };
    let rev = chain.reversed();
    assert_eq!(rev.order, chain_order::HASH_THEN_CIPHER);
    assert_eq!(rev.reversed(), chain);
    let req = CtrlRequest::create_chain_session(cipher_algo::AES_CBC, 16, Direction::Decrypt, &rev);
    let b = req.as_bytes();
    assert_eq!(&b[16..20], &le32(1)); // alg_chain_order HASH_THEN_CIPHER
    assert_eq!(&b[20..24], &le32(2)); // hash_mode AUTH
}

#[test]
fn nonces_follow_the_crypto_api_ivs() {
    let iv: [u8; 16] = core::array::from_fn(|i| i as u8 + 0x10);
    // gcm and rfc7539: the 12-byte IV as it is.
    let (n, len) = device_nonce(Nonce::Iv, &[], &iv[..12], 0).unwrap();
    assert_eq!(&n[..len], &iv[..12]);
    // ccm: iv[0] = L - 1; the nonce is the next 15 - L bytes.
    let mut ccm = iv;
    ccm[0] = 3; // L = 4, as rfc4309 builds: an 11-byte nonce
    let (n, len) = device_nonce(Nonce::Ccm, &[], &ccm, 0).unwrap();
    assert_eq!(len, 11);
    assert_eq!(&n[..len], &ccm[1..12]);
    ccm[0] = 1; // L = 2: 13 bytes
    assert_eq!(device_nonce(Nonce::Ccm, &[], &ccm, 0).unwrap().1, 13);
    ccm[0] = 7; // L = 8: 7 bytes
    assert_eq!(device_nonce(Nonce::Ccm, &[], &ccm, 0).unwrap().1, 7);
    // L = 2 counts messages up to 65535 bytes, L = 3 up to 2^24 - 1 (the generic ccm
    // refuses longer ones with EOVERFLOW: software says so).
    ccm[0] = 1;
    assert!(device_nonce(Nonce::Ccm, &[], &ccm, 65535).is_some());
    assert_eq!(device_nonce(Nonce::Ccm, &[], &ccm, 65536), None);
    ccm[0] = 2;
    assert!(device_nonce(Nonce::Ccm, &[], &ccm, 65536).is_some());
    assert_eq!(device_nonce(Nonce::Ccm, &[], &ccm, 1 << 24), None);
    ccm[0] = 3;
    assert!(device_nonce(Nonce::Ccm, &[], &ccm, usize::MAX >> 32).is_some());
    for bad in [0u8, 8, 0xff] {
        ccm[0] = bad;
        assert_eq!(
            device_nonce(Nonce::Ccm, &[], &ccm, 0),
            None,
            "iv[0] = {bad}"
        );
    }
    assert_eq!(device_nonce(Nonce::Iv, &[], &[0u8; 17], 0), None);
    // rfc7539esp: the key's 4-byte salt, then the 8-byte IV.
    let (n, len) = device_nonce(Nonce::SaltThenIv, &[1, 2, 3, 4], &iv[..8], 0).unwrap();
    assert_eq!(len, 12);
    assert_eq!(&n[..4], &[1, 2, 3, 4]);
    assert_eq!(&n[4..12], &iv[..8]);
}

#[test]
fn aead_service_regions_skip_the_associated_data_in_the_destination() {
    let enc = Regions::new(Layout::Aead { ad_iv: 0 }, Direction::Encrypt, 20, 100, 16).unwrap();
    assert_eq!((enc.aad, enc.src_skip, enc.src), (20, 20, 100));
    assert_eq!((enc.dst_skip, enc.dst, enc.computed), (20, 116, 0));
    assert_eq!(enc.plaintext, None);
    assert_eq!(enc.answer_len(), 117);
    let dec = Regions::new(Layout::Aead { ad_iv: 0 }, Direction::Decrypt, 20, 116, 16).unwrap();
    assert_eq!(
        (dec.src_skip, dec.src, dec.dst_skip, dec.dst),
        (20, 116, 20, 100)
    );
    assert_eq!(dec.plaintext, Some((20, 100)));
    // An empty message: the tag alone.
    let empty = Regions::new(Layout::Aead { ad_iv: 0 }, Direction::Encrypt, 0, 0, 4).unwrap();
    assert_eq!((empty.src, empty.dst), (0, 4));
    // rfc7539esp: the IV ending the associated data is not authenticated, but the data
    // still starts after it.
    let esp = Regions::new(Layout::Aead { ad_iv: 8 }, Direction::Encrypt, 16, 64, 16).unwrap();
    assert_eq!((esp.aad, esp.src_skip, esp.dst_skip), (8, 16, 16));
    assert_eq!(
        Regions::new(Layout::Aead { ad_iv: 8 }, Direction::Encrypt, 7, 64, 16),
        None
    );
    // A ciphertext shorter than its tag does not add up.
    assert_eq!(
        Regions::new(Layout::Aead { ad_iv: 0 }, Direction::Decrypt, 0, 15, 16),
        None
    );
}

#[test]
fn chained_regions_carry_the_associated_data_and_the_mac() {
    let enc = Regions::new(Layout::Chain, Direction::Encrypt, 24, 64, 32).unwrap();
    // AD and plaintext out; AD, ciphertext and the MAC (the tag) in.
    assert_eq!((enc.aad, enc.src_skip, enc.src), (0, 0, 88));
    assert_eq!((enc.dst_skip, enc.dst, enc.computed), (0, 120, 0));
    assert_eq!(enc.answer_len(), 121);
    let dec = Regions::new(Layout::Chain, Direction::Decrypt, 24, 96, 32).unwrap();
    // The tag stays in the source: the MAC comes back separately to be compared.
    assert_eq!((dec.src, dec.dst, dec.computed), (88, 88, 32));
    assert_eq!(dec.plaintext, Some((24, 64)));
    assert_eq!(dec.answer_len(), 121);
}
