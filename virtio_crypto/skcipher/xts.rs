// SPDX-License-Identifier: GPL-2.0

//! XTS (IEEE 1619) tweak arithmetic and ciphertext stealing, for the final partial block
//! that a device, which takes whole blocks only, cannot process.
//!
//! Plain computation over a [`BlockCipher`]; it depends only on `core`, so the host tests
//! (`tests/host`) check it against the standard's vectors.
//!
//! With `m` whole blocks and a partial block of `r` bytes (`0 < r < 16`), the device handles
//! the blocks that need no stealing and this module the last two:
//! - encryption: the device encrypts blocks `0..m`; [`steal_encrypt`] turns the last of
//!   them, `CC`, and the partial plaintext into the final whole and partial blocks;
//! - decryption: the device decrypts blocks `0..m-1`; [`steal_decrypt`] decrypts the last
//!   whole block (at tweak `m`) and the partial one (at tweak `m-1`).

/// A 128-bit block cipher.
pub(crate) trait BlockCipher {
    /// Encrypts one block.
    fn encrypt(&self, block: &[u8; 16]) -> [u8; 16];
    /// Decrypts one block.
    fn decrypt(&self, block: &[u8; 16]) -> [u8; 16];
}

/// Multiplies a tweak by the primitive element of GF(2^128), little-endian convention.
pub(crate) fn mul_alpha(t: &mut [u8; 16]) {
    let carry = t[15] >> 7;
    for i in (1..16).rev() {
        t[i] = (t[i] << 1) | (t[i - 1] >> 7);
    }
    t[0] = (t[0] << 1) ^ (carry * 0x87);
}

/// The tweak of block `index`: `E_K2(iv) * alpha^index`.
pub(crate) fn tweak(k2: &impl BlockCipher, iv: &[u8; 16], index: u64) -> [u8; 16] {
    let mut t = k2.encrypt(iv);
    for _ in 0..index {
        mul_alpha(&mut t);
    }
    t
}

fn xor(a: &[u8; 16], b: &[u8; 16]) -> [u8; 16] {
    let mut out = [0u8; 16];
    for ((o, x), y) in out.iter_mut().zip(a).zip(b) {
        *o = x ^ y;
    }
    out
}

/// Encrypts one block under tweak `t`.
pub(crate) fn encrypt_block(k1: &impl BlockCipher, t: &[u8; 16], p: &[u8; 16]) -> [u8; 16] {
    xor(&k1.encrypt(&xor(p, t)), t)
}

/// Decrypts one block under tweak `t`.
pub(crate) fn decrypt_block(k1: &impl BlockCipher, t: &[u8; 16], c: &[u8; 16]) -> [u8; 16] {
    xor(&k1.decrypt(&xor(c, t)), t)
}

/// Ciphertext stealing on encryption. `cc` is the encryption of the last whole block (block
/// `m - 1`), `tail` the partial plaintext (1..15 bytes) and `t_m` the tweak of block `m`.
/// Returns the final whole ciphertext block (to replace `cc`) and the partial ciphertext in
/// the first `tail.len()` bytes of the second value.
pub(crate) fn steal_encrypt(
    k1: &impl BlockCipher,
    t_m: &[u8; 16],
    cc: &[u8; 16],
    tail: &[u8],
) -> ([u8; 16], [u8; 16]) {
    let mut pp = *cc;
    for (p, t) in pp.iter_mut().zip(tail) {
        *p = *t;
    }
    (encrypt_block(k1, t_m, &pp), *cc)
}

/// Ciphertext stealing on decryption. `c_last` is the last whole ciphertext block (block
/// `m - 1`), `tail` the partial ciphertext (1..15 bytes); `t_prev` and `t_m` are the tweaks
/// of blocks `m - 1` and `m`. Returns the last whole plaintext block and the partial
/// plaintext in the first `tail.len()` bytes of the second value.
pub(crate) fn steal_decrypt(
    k1: &impl BlockCipher,
    t_prev: &[u8; 16],
    t_m: &[u8; 16],
    c_last: &[u8; 16],
    tail: &[u8],
) -> ([u8; 16], [u8; 16]) {
    let pp = decrypt_block(k1, t_m, c_last);
    let mut cc = pp;
    for (c, t) in cc.iter_mut().zip(tail) {
        *c = *t;
    }
    (decrypt_block(k1, t_prev, &cc), pp)
}
