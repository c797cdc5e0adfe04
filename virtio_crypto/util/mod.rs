// SPDX-License-Identifier: GPL-2.0

//! Small containers the layers share.

#[path = "slots.rs"]
pub(crate) mod slots;
