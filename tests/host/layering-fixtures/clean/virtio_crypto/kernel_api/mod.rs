// SPDX-License-Identifier: GPL-2.0
use crate::{util, wire::Config};
use super::kernel_api::lock::Lock; // super:: of a mod.rs is the crate root: kernel_api itself
#[macro_export]
macro_rules! lock_class {
    ($name:literal) => {{
        static CLASS: $crate::kernel_api::lock::Class = $crate::kernel_api::lock::Class::new();
        &CLASS
    }};
}
#[cfg(test)]
mod tests {
    use super::super::wire; // from kernel_api::tests: wire, below kernel_api
}
