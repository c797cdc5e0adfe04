// SPDX-License-Identifier: GPL-2.0

//! Hashes and MACs as ahash algorithms, on the device's HASH and MAC services.
//!
//! - [`algos`]: the algorithms the driver can offer and the family they form;
//! - [`alg`]: a transform (its device sessions and software hash) and how each entry point
//!   is served: one-shot digests on the device, short multi-part messages buffered in the
//!   request and sent as one, everything else in software;
//! - [`state`]: what a request keeps between calls;
//! - [`job`]: one digest on the device.

#[path = "alg.rs"]
pub(crate) mod alg;
#[path = "algos.rs"]
pub(crate) mod algos;
#[path = "job.rs"]
pub(crate) mod job;
#[path = "state.rs"]
pub(crate) mod state;

pub(crate) use algos::FAMILY;
