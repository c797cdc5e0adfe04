// SPDX-License-Identifier: GPL-2.0
// The kernel's version chooses a backend here, and only here.
#[cfg(vcrs_kernel_7)]
pub(crate) fn name() -> &'static str { "7" }
#[cfg(not(vcrs_kernel_7))]
pub(crate) fn name() -> &'static str { "6.12" }
