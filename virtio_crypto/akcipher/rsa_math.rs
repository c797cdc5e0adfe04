// SPDX-License-Identifier: GPL-2.0

//! The byte arithmetic the driver does around a raw RSA operation, exactly as the kernel's
//! `rsa-generic` behaves (crypto/rsa.c, lib/crypto/mpi): which inputs it refuses, and how
//! a result is laid out in the caller's destination. Plain computation on big-endian byte
//! strings, host-tested (tests/host).

/// Bytes in one limb of the kernel's multi-precision integers (an `unsigned long`, which
/// is as wide as a pointer on Linux).
const LIMB_BYTES: usize = core::mem::size_of::<usize>();

/// `bytes` without its leading zero bytes.
pub(crate) fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let first = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    bytes.get(first..).unwrap_or(&[])
}

/// Compares two big-endian numbers without leading zeros.
fn compare(a: &[u8], b: &[u8]) -> core::cmp::Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// Whether the big-endian number `x` is below `n` (leading zeros allowed in both).
pub(crate) fn below(x: &[u8], n: &[u8]) -> bool {
    compare(strip_leading_zeros(x), strip_leading_zeros(n)) == core::cmp::Ordering::Less
}

/// Whether `x` is a payload the generic code takes for modulus `n` (`rsa_check_payload`:
/// `1 < x < n - 1`). Both big-endian, `n` without leading zeros.
pub(crate) fn payload_ok(x: &[u8], n: &[u8]) -> bool {
    let x = strip_leading_zeros(x);
    if x.is_empty() || x == [1] {
        return false;
    }
    // x < n - 1  <=>  x + 1 < n.
    let mut plus_one = [0u8; 513];
    let Some(sum) = plus_one.get_mut(..x.len() + 1) else {
        return false;
    };
    if let Some(low) = sum.get_mut(1..) {
        low.copy_from_slice(x);
    }
    for byte in sum.iter_mut().rev() {
        let (v, carry) = byte.overflowing_add(1);
        *byte = v;
        if !carry {
            break;
        }
    }
    below(sum, n)
}

/// How the generic code writes a result into a destination of `dst_len` bytes: zeros,
/// then the value. `Err(())` is its `-EOVERFLOW`: the value's size in whole limbs exceeds
/// `dst_len` (`mpi_write_to_sgl`). `value` is big-endian, leading zeros allowed.
pub(crate) fn output_zeros(value: &[u8], dst_len: usize) -> Result<usize, ()> {
    let value = strip_leading_zeros(value);
    let limbs = value.len().div_ceil(LIMB_BYTES);
    if dst_len < limbs * LIMB_BYTES {
        return Err(());
    }
    Ok(dst_len - value.len())
}
