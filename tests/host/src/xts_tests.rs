// SPDX-License-Identifier: GPL-2.0

use crate::xts::*;
use aes::cipher::{generic_array::GenericArray, BlockDecrypt, BlockEncrypt, KeyInit};

struct Aes128(aes::Aes128);

impl BlockCipher for Aes128 {
    fn encrypt(&self, block: &[u8; 16]) -> [u8; 16] {
        let mut b = GenericArray::clone_from_slice(block);
        self.0.encrypt_block(&mut b);
        b.into()
    }
    fn decrypt(&self, block: &[u8; 16]) -> [u8; 16] {
        let mut b = GenericArray::clone_from_slice(block);
        self.0.decrypt_block(&mut b);
        b.into()
    }
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn key(s: &str) -> Aes128 {
    Aes128(aes::Aes128::new_from_slice(&hex(s)).unwrap())
}

fn block(b: &[u8]) -> [u8; 16] {
    b.try_into().unwrap()
}

/// Whole-block XTS as a device does it, plus this module's stealing for a partial tail.
fn xts(k1: &Aes128, k2: &Aes128, iv: &[u8; 16], data: &[u8], encrypt: bool) -> Vec<u8> {
    let (m, r) = (data.len() / 16, data.len() % 16);
    let mut out = data.to_vec();
    // The blocks a device handles: all whole ones, except the last one when decrypting
    // with a tail.
    let device_blocks = if r > 0 && !encrypt { m - 1 } else { m };
    for j in 0..device_blocks {
        let t = tweak(k2, iv, j as u64);
        let b = block(&data[j * 16..j * 16 + 16]);
        let o = if encrypt {
            encrypt_block(k1, &t, &b)
        } else {
            decrypt_block(k1, &t, &b)
        };
        out[j * 16..j * 16 + 16].copy_from_slice(&o);
    }
    if r > 0 {
        let t_m = tweak(k2, iv, m as u64);
        let (last, part) = if encrypt {
            steal_encrypt(
                k1,
                &t_m,
                &block(&out[(m - 1) * 16..m * 16]),
                &data[m * 16..],
            )
        } else {
            let t_prev = tweak(k2, iv, m as u64 - 1);
            steal_decrypt(
                k1,
                &t_prev,
                &t_m,
                &block(&data[(m - 1) * 16..m * 16]),
                &data[m * 16..],
            )
        };
        out[(m - 1) * 16..m * 16].copy_from_slice(&last);
        out[m * 16..].copy_from_slice(&part[..r]);
    }
    out
}

#[test]
fn mul_alpha_carries_into_low_byte() {
    let mut t = [0u8; 16];
    t[15] = 0x80;
    mul_alpha(&mut t);
    let mut want = [0u8; 16];
    want[0] = 0x87;
    assert_eq!(t, want);
    let mut t = [0u8; 16];
    t[0] = 0x80;
    mul_alpha(&mut t);
    assert_eq!(t[1], 1);
    assert_eq!(t[0], 0);
}

/// IEEE P1619/D16, Annex B, vectors 15 to 18: data units of 17 to 20 bytes.
#[test]
fn ieee1619_ciphertext_stealing_vectors() {
    let k1 = key("fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0");
    let k2 = key("bfbebdbcbbbab9b8b7b6b5b4b3b2b1b0");
    let iv = block(&hex("9a785634120000000000000000000000"));
    let cases = [
        (
            "000102030405060708090a0b0c0d0e0f10",
            "6c1625db4671522d3d7599601de7ca09ed",
        ),
        (
            "000102030405060708090a0b0c0d0e0f1011",
            "d069444b7a7e0cab09e24447d24deb1fedbf",
        ),
        (
            "000102030405060708090a0b0c0d0e0f101112",
            "e5df1351c0544ba1350b3363cd8ef4beedbf9d",
        ),
        (
            "000102030405060708090a0b0c0d0e0f10111213",
            "9d84c813f719aa2c7be3f66171c7c5c2edbf9dac",
        ),
    ];
    for (ptx, ctx) in cases {
        let (ptx, ctx) = (hex(ptx), hex(ctx));
        assert_eq!(
            xts(&k1, &k2, &iv, &ptx, true),
            ctx,
            "encrypt {} bytes",
            ptx.len()
        );
        assert_eq!(
            xts(&k1, &k2, &iv, &ctx, false),
            ptx,
            "decrypt {} bytes",
            ptx.len()
        );
    }
}

#[test]
fn ciphertext_stealing_round_trips_every_tail() {
    let k1 = key("000102030405060708090a0b0c0d0e0f");
    let k2 = key("f0e0d0c0b0a090807060504030201000");
    let iv = block(&hex("0102030405060708090a0b0c0d0e0f10"));
    for len in 16..80 {
        let data: Vec<u8> = (0..len).map(|i| (i * 7 + 3) as u8).collect();
        let enc = xts(&k1, &k2, &iv, &data, true);
        assert_ne!(enc, data);
        assert_eq!(xts(&k1, &k2, &iv, &enc, false), data, "length {len}");
    }
}
