use crate::kernel_api::{
    self,
    bindings::VIRTIO_ID_CRYPTO,
};
use kernel::{bindings, prelude::*};
