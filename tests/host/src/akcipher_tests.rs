// SPDX-License-Identifier: GPL-2.0

//! Akcipher requests byte by byte, and the generic RSA code's input checks and output
//! layout that the driver reproduces (`akcipher/rsa_math.rs`).

use crate::ecdsa_sig::{for_device, NIST_P256, NIST_P521};
use crate::rsa_math::{output_zeros, payload_ok, strip_leading_zeros};
use crate::wire::*;
use crate::Bytes;

#[test]
fn akcipher_data_request_encodes_byte_by_byte() {
    let req = DataRequest::akcipher(AkcipherOp::Decrypt, akcipher_algo::RSA, 7, 256, 256);
    let b = req.as_bytes();
    assert_eq!(b.len(), DATA_REQUEST_LEN);
    let mut want = [0u8; 72];
    want[0..4].copy_from_slice(&0x0401u32.to_le_bytes()); // VIRTIO_CRYPTO_AKCIPHER_DECRYPT
    want[4..8].copy_from_slice(&1u32.to_le_bytes()); // VIRTIO_CRYPTO_AKCIPHER_RSA
    want[8..16].copy_from_slice(&7u64.to_le_bytes()); // session_id
    want[24..28].copy_from_slice(&256u32.to_le_bytes()); // src_data_len
    want[28..32].copy_from_slice(&256u32.to_le_bytes()); // dst_data_len
    assert_eq!(b, &want[..]);
}

#[test]
fn akcipher_opcodes_follow_the_header() {
    for (op, code) in [
        (AkcipherOp::Encrypt, 0x400u32),
        (AkcipherOp::Decrypt, 0x401),
        (AkcipherOp::Sign, 0x402),
        (AkcipherOp::Verify, 0x403),
    ] {
        let req = DataRequest::akcipher(op, 1, 0, 1, 1);
        assert_eq!(&req.as_bytes()[0..4], &code.to_le_bytes());
    }
}

#[test]
fn akcipher_session_request_encodes_byte_by_byte() {
    let req = CtrlRequest::create_akcipher_session(
        akcipher_algo::RSA,
        akcipher_algo::KEY_TYPE_PRIVATE,
        1190,
        [akcipher_algo::RSA_RAW_PADDING, akcipher_algo::RSA_NO_HASH],
    );
    let b = req.as_bytes();
    assert_eq!(b.len(), CTRL_REQUEST_LEN);
    let mut want = [0u8; 72];
    want[0..4].copy_from_slice(&0x0404u32.to_le_bytes()); // AKCIPHER_CREATE_SESSION
    want[4..8].copy_from_slice(&1u32.to_le_bytes()); // header algo
    want[16..20].copy_from_slice(&1u32.to_le_bytes()); // para.algo = RSA
    want[20..24].copy_from_slice(&2u32.to_le_bytes()); // keytype = PRIVATE
    want[24..28].copy_from_slice(&1190u32.to_le_bytes()); // keylen
                                                          // u.rsa.padding_algo = RAW (0), u.rsa.hash_algo = NO_HASH (0): zero bytes.
    assert_eq!(b, &want[..]);
}

#[test]
fn payload_is_between_one_and_n_minus_one() {
    let n = [0x01, 0x00, 0x01]; // 65537
    assert!(!payload_ok(&[], &n));
    assert!(!payload_ok(&[0, 0], &n));
    assert!(!payload_ok(&[1], &n));
    assert!(!payload_ok(&[0, 1], &n));
    assert!(payload_ok(&[2], &n));
    assert!(!payload_ok(&[0x01, 0x00, 0x00], &n)); // n - 1
    assert!(!payload_ok(&[0x00, 0x01, 0x00, 0x00], &n)); // n - 1, leading zero
    assert!(!payload_ok(&[0x01, 0x00, 0x01], &n)); // n
    assert!(!payload_ok(&[0xff, 0xff, 0xff], &n));
    // n - 2 = 0xffff: adding one carries through every byte (0x10000 < n).
    assert!(payload_ok(&[0xff, 0xff], &n));
    assert!(payload_ok(&[0xff, 0xfe], &n));
}

#[test]
fn output_is_left_padded_to_the_destination_in_whole_limbs() {
    assert_eq!(strip_leading_zeros(&[0, 0, 5, 0]), &[5, 0]);
    // 256-byte value into 256 bytes: no zeros.
    let v = [0x80u8; 256];
    assert_eq!(output_zeros(&v, 256), Ok(0));
    assert_eq!(output_zeros(&v, 300), Ok(44));
    assert_eq!(output_zeros(&v, 255), Err(()));
    // A 9-byte value takes two limbs: 16 bytes of room needed, though 9 would hold it.
    let v9 = [1u8; 9];
    assert_eq!(output_zeros(&v9, 16), Ok(7));
    assert_eq!(output_zeros(&v9, 15), Err(()));
    // Leading zeros of the value do not count.
    let mut padded = [0u8; 256];
    padded[255] = 3;
    assert_eq!(output_zeros(&padded, 8), Ok(7));
    assert_eq!(output_zeros(&[0, 0], 0), Ok(0));
}

/// A DER signature with `r` and `s` given as their content bytes.
fn der_sig(r: &[u8], s: &[u8]) -> Vec<u8> {
    let mut body = vec![0x02, r.len() as u8];
    body.extend_from_slice(r);
    body.extend_from_slice(&[0x02, s.len() as u8]);
    body.extend_from_slice(s);
    let mut sig = vec![0x30];
    if body.len() >= 0x80 {
        sig.push(0x81);
    }
    sig.push(body.len() as u8);
    sig.extend_from_slice(&body);
    sig
}

#[test]
fn well_formed_in_range_signatures_go_to_the_device() {
    let r = [0x7fu8; 32];
    let mut s = vec![0x00, 0x80];
    s.extend_from_slice(&[0x11; 31]);
    let sig = der_sig(&r, &s);
    assert_eq!(for_device(&sig, &NIST_P256), Some(sig.len()));
    // Small values, long-form length (P-521: the body exceeds 127 bytes).
    assert_eq!(for_device(&der_sig(&[1], &[2]), &NIST_P256), Some(8));
    let mut r521 = vec![0x01];
    r521.extend_from_slice(&[0xaa; 65]);
    let sig521 = der_sig(&r521, &r521);
    assert_eq!(sig521[1], 0x81);
    assert_eq!(for_device(&sig521, &NIST_P521), Some(sig521.len()));
    // Bytes after the element (keyctl pads to the largest signature): not sent.
    let mut padded = sig.clone();
    padded.extend_from_slice(&[0, 0]);
    assert_eq!(for_device(&padded, &NIST_P256), Some(sig.len()));
}

#[test]
fn other_signatures_go_to_the_generic_code() {
    let one = [1u8];
    // Zero, the order, beyond it.
    assert_eq!(for_device(&der_sig(&[0], &one), &NIST_P256), None);
    let mut n = vec![0x00];
    n.extend_from_slice(NIST_P256.order);
    assert_eq!(for_device(&der_sig(&n, &one), &NIST_P256), None);
    assert_eq!(for_device(&der_sig(&one, &[0x01; 33]), &NIST_P256), None);
    // Negative, non-minimal, empty integers.
    assert_eq!(for_device(&der_sig(&[0x80], &one), &NIST_P256), None);
    assert_eq!(for_device(&der_sig(&[0x00, 0x01], &one), &NIST_P256), None);
    assert_eq!(for_device(&der_sig(&[], &one), &NIST_P256), None);
    // Bytes after r and s inside the sequence, a truncated body, a wrong tag, a
    // long-form length for a short body.
    let mut inner = vec![0x30, 0x08, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0x05, 0x00];
    assert_eq!(for_device(&inner, &NIST_P256), None);
    inner[1] = 0x06;
    assert_eq!(for_device(&inner, &NIST_P256), Some(8));
    let good = der_sig(&one, &one);
    assert_eq!(for_device(&good[..good.len() - 1], &NIST_P256), None);
    let mut tag = good.clone();
    tag[0] = 0x31;
    assert_eq!(for_device(&tag, &NIST_P256), None);
    let mut long = vec![0x30, 0x81, 0x06];
    long.extend_from_slice(&good[2..]);
    assert_eq!(for_device(&long, &NIST_P256), None);
    assert_eq!(for_device(&[], &NIST_P256), None);
}
