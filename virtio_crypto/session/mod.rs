// SPDX-License-Identifier: GPL-2.0

//! Sessions: one description for every kind the specification has ([`spec`]), and the book
//! of sessions open on a device, kept for re-creation after a reset ([`book`]).

#[path = "book.rs"]
pub(crate) mod book;
#[path = "spec.rs"]
pub(crate) mod spec;
