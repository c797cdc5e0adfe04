// SPDX-License-Identifier: GPL-2.0
use self::inner::Thing;
use super::{
    kernel_api::{self, lock::Lock},
    util::slots::{self as s, Slots},
    wire::*,
};
pub(crate) fn lock() -> Lock {
    Lock::new(crate::lock_class!("device"), crate::wire::Config::default())
}
mod inner {
    use super::super::kernel_api::Lock;
    pub(crate) fn f() -> super::Thing { crate::util::name() }
}
