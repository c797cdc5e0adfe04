// The crate root is above every layer.
#[path = "virtio_crypto/driver/mod.rs"]
mod driver;
use driver::Module;
use crate::{ahash, skcipher::Mode};
