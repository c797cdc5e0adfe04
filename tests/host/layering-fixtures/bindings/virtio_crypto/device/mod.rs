// SPDX-License-Identifier: GPL-2.0
fn f(dev: &Device) -> bool {
    dev.has_feature(crate::kernel_api::bindings::VIRTIO_F_VERSION_1)
}
