// SPDX-License-Identifier: GPL-2.0
pub(crate) use super::catalog::Catalog;
pub(crate) struct CryptoDevice;
