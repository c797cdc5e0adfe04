// SPDX-License-Identifier: GPL-2.0

//! Hash and MAC data requests, byte by byte, and the hash request state.

use crate::hash_state::{Mode, RequestState};
use crate::wire::*;
use crate::Bytes;

fn le32(v: u32) -> [u8; 4] {
    v.to_le_bytes()
}

#[test]
fn hash_data_request_encodes_byte_by_byte() {
    let req = DataRequest::hash(HashService::Hash, hash_algo::SHA_256, 0x7, 4096, 32);
    let b = req.as_bytes();
    assert_eq!(b.len(), DATA_REQUEST_LEN);
    let mut want = [0u8; 72];
    want[0..4].copy_from_slice(&le32(0x0100)); // opcode VIRTIO_CRYPTO_HASH (service 1 << 8)
    want[4..8].copy_from_slice(&le32(4)); // algo SHA_256
    want[8..16].copy_from_slice(&7u64.to_le_bytes()); // session_id
    want[24..28].copy_from_slice(&le32(4096)); // src_data_len
    want[28..32].copy_from_slice(&le32(32)); // hash_result_len
    assert_eq!(b, &want[..]);
}

#[test]
fn mac_data_request_has_the_mac_opcode_and_same_layout() {
    let req = DataRequest::hash(HashService::Mac, mac_algo::CMAC_AES, 0, 0, 16);
    let b = req.as_bytes();
    assert_eq!(&b[0..4], &le32(0x0200)); // opcode VIRTIO_CRYPTO_MAC (service 2 << 8)
    assert_eq!(&b[4..8], &le32(26)); // CMAC_AES
    assert_eq!(&b[24..28], &le32(0)); // an empty message
    assert_eq!(&b[28..32], &le32(16));
    assert!(b[32..].iter().all(|&x| x == 0));
}

#[test]
fn hash_state_round_trips_and_refuses_anything_else() {
    // What testmgr poisons request contexts with, and what a fresh one may hold.
    for byte in [0x00u8, 0xfe, 0xff] {
        let poisoned = RequestState::read_from(&[byte; 8]).unwrap();
        assert_eq!(poisoned.mode(4352), None);
    }
    let mut state = RequestState::read_from(&[0xfe; 8]).unwrap();
    state.buffer(0);
    assert_eq!(state.mode(4352), Some(Mode::Buffering(0)));
    state.buffer(4352);
    assert_eq!(state.mode(4352), Some(Mode::Buffering(4352)));
    // A length beyond the buffer (another transform's state) is refused.
    assert_eq!(state.mode(512), None);
    state.set_software();
    assert_eq!(state.mode(512), Some(Mode::Software));
}
