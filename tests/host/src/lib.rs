//! Host-side tests of `virtio_crypto/wire.rs` and `virtio_crypto/xts.rs`, compiled here
//! unchanged (they depend only on `core`). Expected bytes are written out from `include/uapi/linux/virtio_crypto.h`.

#[path = "../../../virtio_crypto/wire.rs"]
mod wire;

#[path = "../../../virtio_crypto/xts.rs"]
mod xts;

#[cfg(test)]
mod tests;

#[cfg(test)]
mod xts_tests;
