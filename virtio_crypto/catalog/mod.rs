// SPDX-License-Identifier: GPL-2.0

//! The catalog of algorithm families: what each algorithm says about itself
//! ([`family`]), and the registrations kept in step with the ready devices
//! ([`registrations`]).

#[path = "family.rs"]
pub(crate) mod family;
#[path = "registrations.rs"]
pub(crate) mod registrations;

pub(crate) use registrations::Catalog;
