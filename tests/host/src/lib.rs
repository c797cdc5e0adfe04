//! Host-side tests of `virtio_crypto/wire.rs`, compiled here unchanged (it depends only on
//! `core`). Expected bytes are written out from `include/uapi/linux/virtio_crypto.h`.

#[path = "../../../virtio_crypto/wire.rs"]
mod wire;

#[cfg(test)]
mod tests;
