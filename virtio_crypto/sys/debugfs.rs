// SPDX-License-Identifier: GPL-2.0

//! debugfs: directories, and read-only files whose contents a [`Show`] value writes.

use crate::sys::bindings;
use core::ptr::NonNull;
use kernel::{ffi::c_int, prelude::*, str::CStr};

/// A debugfs directory, removed (with everything in it) on drop.
///
/// # Invariants
///
/// `dentry` came from `debugfs_create_dir` (it may be an error pointer: debugfs accepts
/// those as parents and ignores them on removal).
pub(crate) struct Dir {
    dentry: *mut bindings::dentry,
}

// SAFETY: debugfs entries may be created and removed from any thread.
unsafe impl Send for Dir {}
// SAFETY: As above; `&Dir` only creates children.
unsafe impl Sync for Dir {}

impl Dir {
    /// Creates `name` under `parent` (the debugfs root when `None`).
    pub(crate) fn new(name: &CStr, parent: Option<&Dir>) -> Self {
        let parent = parent.map_or(core::ptr::null_mut(), |p| p.dentry);
        // SAFETY: `name` is a valid C string; `parent` is null or a directory of ours.
        let dentry = unsafe { bindings::vcrs_debugfs_create_dir(name.as_char_ptr(), parent) };
        Self { dentry }
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        // SAFETY: Created by `debugfs_create_dir` (type invariant).
        unsafe { bindings::vcrs_debugfs_remove(self.dentry) };
    }
}

/// Writes a debugfs file's contents.
pub(crate) trait Show: Send + Sync {
    /// Writes the contents; called on every read.
    fn show(&self, out: &mut SeqWriter<'_>) -> core::fmt::Result;
}

/// The `seq_file` a [`Show`] writes into.
pub(crate) struct SeqWriter<'a> {
    seq: &'a mut bindings::seq_file,
}

impl core::fmt::Write for SeqWriter<'_> {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        // SAFETY: `seq` is the live seq_file of the read in progress; `s` is readable.
        unsafe { bindings::vcrs_seq_write(self.seq, s.as_ptr().cast(), s.len()) };
        Ok(())
    }
}

/// A read-only debugfs file showing a `T`; removed on drop, after which `T` is no longer
/// referenced.
///
/// # Invariants
///
/// `dentry` is a file created with `ctx`, whose `data` points to the `T` the creator
/// promised outlives this value.
pub(crate) struct File<T: Show> {
    dentry: *mut bindings::dentry,
    // Boxed: the file's inode points to it.
    _ctx: KBox<bindings::vcrs_show_ctx>,
    _show: core::marker::PhantomData<*const T>,
}

// SAFETY: The file only lets debugfs read `T` through `&T`; `T: Sync`.
unsafe impl<T: Show> Send for File<T> {}
// SAFETY: As above.
unsafe impl<T: Show> Sync for File<T> {}

/// The `show` of a [`File`]'s context.
///
/// # Safety
///
/// Called by the seq_file code during a read of a file created by [`File::new`], with that
/// file's seq_file and data.
unsafe extern "C" fn show_callback<T: Show>(
    m: *mut bindings::seq_file,
    data: *const kernel::ffi::c_void,
) -> c_int {
    // SAFETY: debugfs calls this during a read, with the live seq_file and the `data` the
    // file was created with: a `T` that outlives the file (type invariant of `File`).
    let (seq, value) = unsafe { (&mut *m, &*data.cast::<T>()) };
    match value.show(&mut SeqWriter { seq }) {
        Ok(()) => 0,
        Err(_) => EINVAL.to_errno(),
    }
}

impl<T: Show> File<T> {
    /// Creates `name` in `dir`, showing `value`.
    ///
    /// # Safety
    ///
    /// `value` must stay valid until the returned file is dropped.
    pub(crate) unsafe fn new(name: &CStr, dir: &Dir, value: NonNull<T>) -> Result<Self> {
        let ctx = KBox::new(
            bindings::vcrs_show_ctx {
                show: Some(show_callback::<T>),
                data: value.as_ptr().cast_const().cast(),
            },
            GFP_KERNEL,
        )?;
        // SAFETY: `name` is a valid C string, `dir` a directory of ours, and `ctx` lives in
        // the returned value, which removes the file before freeing it.
        let dentry =
            unsafe { bindings::vcrs_debugfs_create_show(name.as_char_ptr(), dir.dentry, &*ctx) };
        Ok(Self {
            dentry,
            _ctx: ctx,
            _show: core::marker::PhantomData,
        })
    }
}

impl<T: Show> Drop for File<T> {
    fn drop(&mut self) {
        // SAFETY: Created by `debugfs_create_file`; removal waits for reads in progress, so
        // neither `ctx` nor the shown value is used after this.
        unsafe { bindings::vcrs_debugfs_remove(self.dentry) };
        // `_ctx` is freed after this, as a field.
    }
}
