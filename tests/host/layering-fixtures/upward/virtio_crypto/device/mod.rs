pub(crate) use super::catalog::Catalog;
pub(crate) struct CryptoDevice;
