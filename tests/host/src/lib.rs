// SPDX-License-Identifier: GPL-2.0

//! Host-side tests of `virtio_crypto/wire/`, `virtio_crypto/skcipher/xts.rs`,
//! `virtio_crypto/ahash/state.rs`, `virtio_crypto/aead/layout.rs` and
//! `virtio_crypto/akcipher/rsa_math.rs` and `ecdsa_sig.rs`, compiled
//! here unchanged (they depend only on `core`). Expected bytes are written out from
//! `include/uapi/linux/virtio_crypto.h`.

#[path = "../../../virtio_crypto/wire/mod.rs"]
mod wire;

#[path = "../../../virtio_crypto/skcipher/xts.rs"]
mod xts;

#[path = "../../../virtio_crypto/ahash/state.rs"]
mod hash_state;

#[path = "../../../virtio_crypto/aead/layout.rs"]
mod aead_layout;

#[path = "../../../virtio_crypto/akcipher/rsa_math.rs"]
#[allow(dead_code)]
mod rsa_math;

#[path = "../../../virtio_crypto/akcipher/ecdsa_sig.rs"]
#[allow(dead_code)]
mod ecdsa_sig;

/// The byte view the kernel build gets from `kernel_api::wire_bytes` (the kernel's
/// `AsBytes`/`FromBytes`), for the tests: the wire structures have no padding (asserted in
/// `wire`), so every byte is initialized and any bytes are a valid value.
#[cfg(test)]
pub(crate) trait Bytes: Sized + Copy {
    fn as_bytes(&self) -> &[u8] {
        // SAFETY: Test-only: used on padding-free `repr(C)` wire structures.
        unsafe {
            core::slice::from_raw_parts((self as *const Self).cast(), core::mem::size_of::<Self>())
        }
    }

    fn read_from(bytes: &[u8]) -> Option<Self> {
        if bytes.len() < core::mem::size_of::<Self>() {
            return None;
        }
        // SAFETY: Test-only: the bytes suffice, and any bit pattern is a valid wire value.
        Some(unsafe { bytes.as_ptr().cast::<Self>().read_unaligned() })
    }
}

#[cfg(test)]
impl<T: Copy> Bytes for T {}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod session_tests;

#[cfg(test)]
mod hash_tests;

#[cfg(test)]
mod xts_tests;

#[cfg(test)]
mod aead_tests;

#[cfg(test)]
mod akcipher_tests;
