// SPDX-License-Identifier: GPL-2.0

//! Authenticated encryption as aead algorithms: gcm, ccm and rfc7539 on the device's AEAD
//! service, and authenc (HMAC with CBC) on algorithm chaining.
//!
//! - [`algos`]: the algorithms the driver can offer and the two families they form;
//! - [`alg`]: a transform (its key's device sessions for its tag length, and the same key
//!   in software) and how a request is served;
//! - [`layout`]: the nonce and the buffers of each layout, as plain arithmetic;
//! - [`job`]: one request on the device, in either layout.

#[path = "alg.rs"]
pub(crate) mod alg;
#[path = "algos.rs"]
pub(crate) mod algos;
#[path = "job.rs"]
pub(crate) mod job;
#[path = "layout.rs"]
pub(crate) mod layout;

pub(crate) use algos::{AUTHENC_FAMILY, FAMILY};
