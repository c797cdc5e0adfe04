// SPDX-License-Identifier: GPL-2.0
use crate::{ahash, catalog::Catalog, device, skcipher::Mode};
pub(crate) struct Module;
