// SPDX-License-Identifier: GPL-2.0
// Above kernel_api, code must not know which kernel it runs on; a comment
// or a string naming vcrs_kernel_7 is not code.
const NOTE: &str = "vcrs_kernel_7";
#[cfg(vcrs_kernel_7)]
fn f() {}
fn g() -> bool { cfg!(vcrs_kernel_7) }
