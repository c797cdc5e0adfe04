// SPDX-License-Identifier: GPL-2.0
//! The bottom: uses nothing of the crate. A doc link to [`crate::driver`] is no edge.
pub(crate) mod slots;
pub(crate) fn name() -> &'static str {
    "crate::driver::Module" // a string is no edge
}
/* A block comment: crate::catalog::Catalog /* nested: crate::driver */ crate::ahash */
pub(crate) const C: char = '{';
