pub(crate) struct CryptoDevice;
