// SPDX-License-Identifier: GPL-2.0

//! Raw bindings to the C declarations in `bindings_helper.h`, generated at build time by
//! `scripts/gen-bindings.sh` against the target kernel tree. Only the abstraction modules
//! (`virtio`, `virtqueue`, `scatterlist`, `completion`, `skcipher`, `irq_lock`) use them.

#![allow(
    dead_code,
    missing_docs,
    non_camel_case_types,
    non_snake_case,
    non_upper_case_globals,
    unreachable_pub,
    unsafe_op_in_unsafe_fn,
    clippy::all,
    clippy::as_underscore,
    clippy::cast_lossless,
    clippy::ptr_as_ptr,
    clippy::ref_as_ptr,
    clippy::undocumented_unsafe_blocks,
    improper_ctypes
)]

use kernel::ffi;

include!("bindings_generated.rs");
