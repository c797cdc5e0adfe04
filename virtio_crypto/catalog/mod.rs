// SPDX-License-Identifier: GPL-2.0

//! The catalog of algorithm families: what each algorithm says about itself
//! ([`family`]), the registrations kept in step with the ready devices
//! ([`registrations`]), and the part of serving a request every family shares
//! ([`serve`]).

#[path = "family.rs"]
pub(crate) mod family;
#[path = "registrations.rs"]
pub(crate) mod registrations;
#[path = "serve.rs"]
pub(crate) mod serve;

pub(crate) use registrations::Catalog;
