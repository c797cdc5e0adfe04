// SPDX-License-Identifier: GPL-2.0
pub(crate) use crate::aead::alg as aead_alg;
use crate::device::CryptoDevice;
