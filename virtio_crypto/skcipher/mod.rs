// SPDX-License-Identifier: GPL-2.0

//! The skcipher family: block cipher modes of AES and triple DES.
//!
//! - [`modes`]: the modes the driver can offer, as the catalog sees them;
//! - [`alg`]: the algorithm and its transforms (device sessions, software for the rest);
//! - [`job`]: one request on the device;
//! - [`xts`] and [`xts_steal`]: XTS ciphertext stealing (plain computation, host-tested;
//!   and its use on requests).

#[path = "alg.rs"]
pub(crate) mod alg;
#[path = "job.rs"]
pub(crate) mod job;
#[path = "modes.rs"]
pub(crate) mod modes;
#[path = "xts.rs"]
pub(crate) mod xts;
#[path = "xts_steal.rs"]
pub(crate) mod xts_steal;

pub(crate) use modes::FAMILY;
