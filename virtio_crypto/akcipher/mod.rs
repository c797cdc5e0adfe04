// SPDX-License-Identifier: GPL-2.0

//! The akcipher families: asymmetric algorithms on the device's AKCIPHER service (raw
//! RSA; ECDSA verification on kernels whose akcipher type has `verify`).
//!
//! - [`algos`]: the algorithms the driver can offer, as the catalog sees them;
//! - [`alg`]: raw RSA's transforms (a key's session on a device) and how a request is
//!   served;
//! - [`job`]: one RSA operation on the device;
//! - [`ecdsa`], [`ecdsa_job`]: ECDSA verification (before 6.13) and one on the device;
//! - [`ecdsa_sig`]: which signatures go to the device, and the curves (plain computation,
//!   host-tested);
//! - [`rsa_math`]: the generic code's input checks and output layout (plain computation,
//!   host-tested).

#[path = "alg.rs"]
pub(crate) mod alg;
#[path = "algos.rs"]
pub(crate) mod algos;
#[path = "ecdsa.rs"]
pub(crate) mod ecdsa;
#[path = "ecdsa_job.rs"]
pub(crate) mod ecdsa_job;
#[path = "ecdsa_sig.rs"]
pub(crate) mod ecdsa_sig;
#[path = "job.rs"]
pub(crate) mod job;
#[path = "rsa_math.rs"]
pub(crate) mod rsa_math;

pub(crate) use algos::ECDSA_FAMILY;
pub(crate) use algos::FAMILY;
