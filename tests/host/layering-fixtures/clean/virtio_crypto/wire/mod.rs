// SPDX-License-Identifier: GPL-2.0
use crate::util::slots::Slots;
pub(crate) struct Config<'a>(&'a Slots);
