// SPDX-License-Identifier: GPL-2.0
pub(crate) use crate::device::{
    self,
    lock,
};
