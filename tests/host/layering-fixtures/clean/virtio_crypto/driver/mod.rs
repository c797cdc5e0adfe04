use crate::{ahash, catalog::Catalog, device, skcipher::Mode};
pub(crate) struct Module;
