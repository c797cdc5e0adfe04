// SPDX-License-Identifier: GPL-2.0

//! Sessions: one description for every kind the specification has ([`spec`]), the book
//! of sessions open on a device, kept for re-creation after a reset ([`book`]), and HMAC
//! keys as a device's sessions take them ([`hmac_key`], for the hash and authenc
//! services).

#[path = "book.rs"]
pub(crate) mod book;
#[path = "hmac_key.rs"]
pub(crate) mod hmac_key;
#[path = "spec.rs"]
pub(crate) mod spec;
