// SPDX-License-Identifier: GPL-2.0
use crate::{
    ahash::hmac_key::hmac_device_key,
    device::CryptoDevice,
};
fn f() {
    let mut digest = [0u8; crate::ahash::job::MAX_DIGEST];
}
