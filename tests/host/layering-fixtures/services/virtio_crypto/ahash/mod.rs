pub(crate) mod job;
pub(crate) mod hmac_key;
