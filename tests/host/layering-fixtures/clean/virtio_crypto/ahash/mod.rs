// SPDX-License-Identifier: GPL-2.0
use crate::{
    catalog,
    device::lock,
};
// crate::skcipher::Mode in a comment is no edge between the services.
