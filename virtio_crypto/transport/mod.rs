// SPDX-License-Identifier: GPL-2.0

//! The transport: the control queue, which creates and destroys sessions of any service
//! ([`control`]), and the data queues, which carry jobs of any service ([`dataq`]).

#[path = "control.rs"]
pub(crate) mod control;
#[path = "dataq.rs"]
pub(crate) mod dataq;
