// SPDX-License-Identifier: GPL-2.0

//! Small containers the layers share.

#[path = "shared.rs"]
pub(crate) mod shared;
#[path = "slots.rs"]
pub(crate) mod slots;
