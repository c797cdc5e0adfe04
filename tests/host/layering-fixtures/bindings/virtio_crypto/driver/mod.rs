// SPDX-License-Identifier: GPL-2.0
use crate::kernel_api::{
    self,
    bindings::VIRTIO_ID_CRYPTO,
};
use kernel::{bindings, prelude::*};
