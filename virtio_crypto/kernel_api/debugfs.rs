// SPDX-License-Identifier: GPL-2.0

//! debugfs: directories, and read-only files whose contents a [`Show`] value writes.
//!
//! Removing a directory removes everything in it, so an entry keeps its parent alive: a
//! child directory or file holds a counted reference to its parent, which is removed only
//! after the last child.

use crate::kernel_api::bindings;
use kernel::{ffi::c_int, prelude::*, str::CStr, sync::Arc};

/// A created directory, removed (with everything in it) when the last [`Dir`] referring to
/// it goes.
///
/// # Invariants
///
/// `dentry` came from `debugfs_create_dir` (it may be an error pointer: debugfs accepts
/// those as parents and ignores them on removal); `parent` keeps the parent directory
/// alive as long as this one.
struct DirEntry {
    dentry: *mut bindings::dentry,
    _parent: Option<Dir>,
}

// SAFETY: debugfs entries may be created and removed from any thread.
unsafe impl Send for DirEntry {}
// SAFETY: As above; `&DirEntry` only creates children.
unsafe impl Sync for DirEntry {}

impl Drop for DirEntry {
    fn drop(&mut self) {
        // SAFETY: Created by `debugfs_create_dir` (type invariant); every child holds a
        // reference to this entry, so none is left when it is removed.
        unsafe { bindings::vcrs_debugfs_remove(self.dentry) };
    }
}

/// A debugfs directory (a counted reference to it).
#[derive(Clone)]
pub(crate) struct Dir(Arc<DirEntry>);

impl Dir {
    /// Creates `name` at the debugfs root.
    pub(crate) fn new(name: &CStr) -> Result<Self> {
        Self::create(name, None)
    }

    /// Creates `name` in this directory.
    pub(crate) fn subdir(&self, name: &CStr) -> Result<Self> {
        Self::create(name, Some(self.clone()))
    }

    fn create(name: &CStr, parent: Option<Dir>) -> Result<Self> {
        let parent_dentry = parent
            .as_ref()
            .map_or(core::ptr::null_mut(), |p| p.0.dentry);
        // SAFETY: `name` is a valid C string; the parent is null or a live directory of
        // ours, kept alive by the new entry.
        let dentry =
            unsafe { bindings::vcrs_debugfs_create_dir(name.as_char_ptr(), parent_dentry) };
        Ok(Self(Arc::new(
            DirEntry {
                dentry,
                _parent: parent,
            },
            GFP_KERNEL,
        )?))
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

/// A read-only debugfs file showing a `T` it holds a reference to; removed on drop, after
/// which `T` is no longer read.
///
/// # Invariants
///
/// `dentry` is a file created in `dir` with `ctx`, whose `data` points to the `T` in
/// `value`.
pub(crate) struct File<T: Show> {
    dentry: *mut bindings::dentry,
    // Boxed: the file's inode points to it.
    _ctx: KBox<bindings::vcrs_show_ctx>,
    value: Arc<T>,
    _dir: Dir,
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
    // file was created with: a `T` that the file keeps alive (type invariant of `File`).
    let (seq, value) = unsafe { (&mut *m, &*data.cast::<T>()) };
    match value.show(&mut SeqWriter { seq }) {
        Ok(()) => 0,
        Err(_) => EINVAL.to_errno(),
    }
}

impl<T: Show + 'static> File<T> {
    /// Creates `name` in `dir`, showing `value`.
    pub(crate) fn new(name: &CStr, dir: &Dir, value: Arc<T>) -> Result<Self> {
        let ctx = KBox::new(
            bindings::vcrs_show_ctx {
                show: Some(show_callback::<T>),
                data: core::ptr::from_ref(&*value).cast(),
            },
            GFP_KERNEL,
        )?;
        // SAFETY: `name` is a valid C string, `dir` a live directory of ours (kept alive by
        // the file), and `ctx` and the value it points to live in the returned value, which
        // removes the file before freeing them.
        let dentry =
            unsafe { bindings::vcrs_debugfs_create_show(name.as_char_ptr(), dir.0.dentry, &*ctx) };
        Ok(Self {
            dentry,
            _ctx: ctx,
            value,
            _dir: dir.clone(),
        })
    }

    /// The value the file shows.
    pub(crate) fn value(&self) -> &Arc<T> {
        &self.value
    }
}

impl<T: Show> Drop for File<T> {
    fn drop(&mut self) {
        // SAFETY: Created by `debugfs_create_file`; removal waits for reads in progress, so
        // neither `ctx` nor the shown value is used after this. The fields (the context,
        // the value, the directory) are dropped after this.
        unsafe { bindings::vcrs_debugfs_remove(self.dentry) };
    }
}
