// SPDX-License-Identifier: GPL-2.0

//! Scatterlists: borrowed ones that callers hand us ([`SgList`]) and the segment tables the
//! driver builds for one virtqueue submission ([`SgTable`]).

use crate::kernel_api::{bindings, FromBytes};
use core::{cell::UnsafeCell, marker::PhantomData};
use kernel::{alloc::Flags, prelude::*, types::Opaque};

/// Most segments (separate scatterlists) one submission may have.
pub(crate) const MAX_SEGMENTS: usize = 8;

/// A scatterlist owned by someone else (for example a crypto request's `src`), borrowed for
/// the lifetime of the reference.
///
/// # Invariants
///
/// Points to a valid, properly terminated (or chained) scatterlist.
#[repr(transparent)]
pub(crate) struct SgList(Opaque<bindings::scatterlist>);

impl SgList {
    /// Borrows a raw scatterlist.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a valid scatterlist that stays valid and unmodified for `'a`.
    pub(crate) unsafe fn from_raw<'a>(ptr: *mut bindings::scatterlist) -> &'a Self {
        // SAFETY: `SgList` is a transparent wrapper; validity is the caller's promise.
        unsafe { &*ptr.cast() }
    }

    fn as_raw(&self) -> *mut bindings::scatterlist {
        self.0.get()
    }

    /// Whether the first `len` bytes of this list and of `other` share any memory (an
    /// in-place operation, also through two lists over the same pages).
    pub(crate) fn shares_memory_with(&self, other: &SgList, len: usize) -> bool {
        let mine = self.extents(len);
        mine.into_iter()
            .any(|(a, la)| other.extents(len).any(|(b, lb)| a < b + lb && b < a + la))
    }

    /// The physical extents `(start, length)` of the first `len` bytes of the list
    /// (non-empty ones only).
    fn extents(&self, len: usize) -> impl Iterator<Item = (u64, u64)> + '_ {
        let mut sg = self.as_raw();
        let mut done = 0usize;
        core::iter::from_fn(move || {
            while !sg.is_null() && done < len {
                let entry = sg;
                // SAFETY: `entry` is an entry of the valid list (type invariant); `sg_next`
                // and `sg_phys` only read it.
                let (length, phys, next) = unsafe {
                    (
                        (*entry).length as usize,
                        bindings::vcrs_sg_phys(entry),
                        bindings::vcrs_sg_next(entry),
                    )
                };
                sg = next;
                let take = length.min(len - done);
                done += take;
                if take > 0 {
                    return Some((phys, take as u64));
                }
            }
            None
        })
    }

    /// Whether the list ends exactly after `len` bytes, with no empty entry, so that it
    /// can describe those bytes as it is.
    pub(crate) fn is_exactly(&self, len: usize) -> bool {
        let mut total = 0usize;
        let mut sg = self.as_raw();
        while !sg.is_null() {
            // SAFETY: `sg` is an entry of the valid list (type invariant).
            let (length, last) = unsafe { ((*sg).length as usize, bindings::vcrs_sg_is_last(sg)) };
            if length == 0 {
                return false;
            }
            total += length;
            if total >= len || last {
                return total == len && last;
            }
            // SAFETY: As above.
            sg = unsafe { bindings::vcrs_sg_next(sg) };
        }
        false
    }

    /// How many entries an [`SgTable`] copies to describe the first `len` bytes: none when
    /// the list is used as is ([`SgList::is_exactly`]); `EINVAL` if the list is shorter.
    pub(crate) fn entries_to_copy(&self, len: usize) -> Result<usize> {
        if len == 0 || self.is_exactly(len) {
            Ok(0)
        } else {
            self.nents_for_len(len)
        }
    }

    /// How many entries an [`SgTable`] copies at most to describe `len` bytes starting
    /// `skip` bytes in (an upper bound); `EINVAL` if the list is shorter.
    pub(crate) fn entries_to_copy_at(&self, skip: usize, len: usize) -> Result<usize> {
        match (skip, len) {
            (_, 0) => Ok(0),
            (0, _) => self.entries_to_copy(len),
            _ => self.nents_for_len(skip.checked_add(len).ok_or(EINVAL)?),
        }
    }

    /// Number of entries needed to cover the first `len` bytes; `EINVAL` if the list is
    /// shorter than `len`.
    pub(crate) fn nents_for_len(&self, len: usize) -> Result<usize> {
        let len = u64::try_from(len).map_err(|_| EINVAL)?;
        // SAFETY: The list is valid (type invariant).
        let n = unsafe { bindings::sg_nents_for_len(self.as_raw(), len) };
        usize::try_from(n).map_err(|_| EINVAL)
    }

    /// Copies `len` bytes between the list, from `skip` bytes in, and `buf`; `EINVAL`
    /// unless all of them were copied.
    ///
    /// # Safety
    ///
    /// `buf` must be valid for `len` bytes: readable, and writable when `to_buffer`.
    unsafe fn pcopy(&self, to_buffer: bool, buf: *mut u8, len: usize, skip: usize) -> Result {
        let skip = isize::try_from(skip).map_err(|_| EINVAL)?;
        let sgl = self.as_raw();
        // SAFETY: The list is valid (type invariant).
        let nents = unsafe { bindings::sg_nents(sgl) } as u32;
        // SAFETY: The list is valid; `buf` is valid for `len` bytes in the direction used
        // (the caller's promise).
        let copied = unsafe {
            if to_buffer {
                bindings::sg_pcopy_to_buffer(sgl, nents, buf.cast(), len, skip)
            } else {
                bindings::sg_pcopy_from_buffer(sgl, nents, buf.cast_const().cast(), len, skip)
            }
        };
        if copied == len {
            Ok(())
        } else {
            Err(EINVAL)
        }
    }

    /// Copies `buf` into the list, starting `skip` bytes into it.
    pub(crate) fn copy_from_buffer(&self, buf: &[u8], skip: usize) -> Result {
        // SAFETY: Copying from the buffer only reads `buf`, valid for its length.
        unsafe { self.pcopy(false, buf.as_ptr().cast_mut(), buf.len(), skip) }
    }

    /// Zeroes `len` bytes of the list from `skip` bytes in; `EINVAL` unless all were.
    pub(crate) fn zero(&self, skip: usize, len: usize) -> Result {
        let skip = isize::try_from(skip).map_err(|_| EINVAL)?;
        let sgl = self.as_raw();
        // SAFETY: The list is valid (type invariant); `sg_zero_buffer` writes only within it.
        let zeroed = unsafe {
            let nents = bindings::sg_nents(sgl) as u32;
            bindings::sg_zero_buffer(sgl, nents, len, skip)
        };
        if zeroed == len {
            Ok(())
        } else {
            Err(EINVAL)
        }
    }

    /// Copies `buf.len()` bytes starting `skip` bytes into the list into `buf`.
    pub(crate) fn copy_to_buffer(&self, buf: &mut [u8], skip: usize) -> Result {
        // SAFETY: `buf` is writable for its length.
        unsafe { self.pcopy(true, buf.as_mut_ptr(), buf.len(), skip) }
    }
}

/// Which way a segment's data flows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    /// The device reads it.
    Out,
    /// The device writes it.
    In,
}

/// Entries an [`SgTable`] holds without allocating.
pub(crate) const INLINE_ENTRIES: usize = 12;

/// Where a table's entries live.
// Inline on purpose: the common request needs no allocation.
#[allow(clippy::large_enum_variant)]
enum Storage {
    Inline([bindings::scatterlist; INLINE_ENTRIES]),
    Heap(KVec<bindings::scatterlist>),
}

/// Where a segment starts: at an entry of the table, or at a caller's list used as is.
#[derive(Clone, Copy)]
enum Head {
    Entry(usize),
    External(*mut bindings::scatterlist),
}

/// The scatterlist segments of one virtqueue submission: device-readable segments first,
/// then device-writable ones, each a terminated list.
///
/// A caller's list that ends exactly where the segment should is used as is; other lists
/// are copied entry by entry, into the table itself up to [`INLINE_ENTRIES`] entries (no
/// allocation) and into an allocation beyond. The table only records addresses of buffers
/// borrowed for `'a`: a submission's table borrows from the submission itself, which the
/// queue keeps alive until the device returns it (see [`super::virtqueue::Submission`]).
/// Buffers must be in the kernel's linear map (kmalloc memory, not vmalloc or module
/// memory): the table refuses others with `EINVAL`. A failed push poisons the table:
/// queues refuse it.
///
/// # Invariants
///
/// `used <= capacity`; every `Head::Entry` indexes an entry below `used`, every
/// `Head::External` a valid caller's list, and every segment's last entry is marked as
/// the end; every buffer is in the linear map and valid for `'a`.
pub(crate) struct SgTable<'a> {
    storage: Storage,
    used: usize,
    heads: [Head; MAX_SEGMENTS],
    head_ptrs: [*mut bindings::scatterlist; MAX_SEGMENTS],
    n_out: usize,
    n_in: usize,
    /// Set when a push failed part-way: the table no longer describes whole segments.
    poisoned: bool,
    _buffers: PhantomData<&'a [u8]>,
}

impl<'a> SgTable<'a> {
    /// Creates an empty table with room for `capacity` copied entries in all; allocates
    /// (with `flags`) only beyond [`INLINE_ENTRIES`].
    pub(crate) fn new(capacity: usize, flags: Flags) -> Result<Self> {
        let storage = if capacity <= INLINE_ENTRIES {
            Storage::Inline([bindings::scatterlist::default(); INLINE_ENTRIES])
        } else {
            let mut v = KVec::with_capacity(capacity, flags)?;
            for _ in 0..capacity {
                v.push(bindings::scatterlist::default(), flags)?;
            }
            Storage::Heap(v)
        };
        Ok(Self {
            storage,
            used: 0,
            heads: [Head::Entry(0); MAX_SEGMENTS],
            head_ptrs: [core::ptr::null_mut(); MAX_SEGMENTS],
            n_out: 0,
            n_in: 0,
            poisoned: false,
            _buffers: PhantomData,
        })
    }

    fn entries(&mut self) -> &mut [bindings::scatterlist] {
        match &mut self.storage {
            Storage::Inline(a) => a,
            Storage::Heap(v) => v,
        }
    }

    fn start_segment(&mut self, dir: Direction, head: Head) -> Result {
        if dir == Direction::Out && self.n_in > 0 {
            // Device-readable segments must all come first.
            return Err(EINVAL);
        }
        let segment = self.n_out + self.n_in;
        if segment == MAX_SEGMENTS {
            return Err(EINVAL);
        }
        self.heads[segment] = head;
        match dir {
            Direction::Out => self.n_out += 1,
            Direction::In => self.n_in += 1,
        }
        Ok(())
    }

    fn push_entry(&mut self, set: impl FnOnce(*mut bindings::scatterlist)) -> Result {
        let used = self.used;
        let entry = self.entries().get_mut(used).ok_or(EINVAL)?;
        *entry = bindings::scatterlist::default();
        set(entry);
        self.used += 1;
        Ok(())
    }

    fn end_segment(&mut self) {
        let last = self.used.wrapping_sub(1);
        if let Some(entry) = self.entries().get_mut(last) {
            // SAFETY: `entry` is an initialized entry of the table.
            unsafe { bindings::vcrs_sg_mark_end(entry) };
        }
    }

    fn push_buf(&mut self, dir: Direction, buf: *const u8, len: usize) -> Result {
        let len = u32::try_from(len).map_err(|_| EINVAL)?;
        // SAFETY: `virt_addr_valid` only computes on the address.
        if !unsafe { bindings::vcrs_virt_addr_valid(buf.cast()) } {
            // Not in the linear map (stack, vmalloc, module data): no page to point at.
            return Err(EINVAL);
        }
        self.start_segment(dir, Head::Entry(self.used))?;
        // SAFETY: `entry` is a valid scatterlist entry; `buf` is a linear-map address (checked
        // above), valid for `len` bytes for `'a`.
        self.push_entry(|entry| unsafe { bindings::vcrs_sg_set_buf(entry, buf.cast(), len) })?;
        self.end_segment();
        Ok(())
    }

    /// Adds a device-readable segment for `buf` (kmalloc memory, else `EINVAL`).
    pub(crate) fn push_out_buf(&mut self, buf: &'a [u8]) -> Result {
        let pushed = self.push_buf(Direction::Out, buf.as_ptr(), buf.len());
        self.poison_on(pushed)
    }

    /// Marks the table unusable if `result` is an error: a push may fail part-way.
    fn poison_on(&mut self, result: Result) -> Result {
        self.poisoned |= result.is_err();
        result
    }

    fn push_list(&mut self, dir: Direction, list: &'a SgList, skip: usize, len: usize) -> Result {
        if len == 0 {
            // Nothing to describe: no segment.
            return Ok(());
        }
        if skip == 0 && list.is_exactly(len) {
            return self.start_segment(dir, Head::External(list.as_raw()));
        }
        self.start_segment(dir, Head::Entry(self.used))?;
        let (mut to_skip, mut remaining) = (skip, len);
        let mut sg = list.as_raw();
        while remaining > 0 {
            if sg.is_null() {
                return Err(EINVAL);
            }
            // SAFETY: `sg` is an entry of the valid list `list` (type invariant of `SgList`).
            let (page, offset, length) =
                unsafe { (bindings::vcrs_sg_page(sg), (*sg).offset, (*sg).length) };
            let skipped = (length as usize).min(to_skip);
            to_skip -= skipped;
            let take = (length as usize - skipped).min(remaining);
            if take > 0 {
                // `offset + skipped` may pass the entry's first page, as in the kernel's
                // own `scatterwalk_ffwd`: the entry describes the same contiguous bytes.
                let start = offset + skipped as u32;
                // SAFETY: `entry` is a valid entry; `page`/`offset` come from a valid entry,
                // and `start..start + take` lies within it.
                self.push_entry(|entry| unsafe {
                    bindings::vcrs_sg_set_page(entry, page, take as u32, start)
                })?;
                remaining -= take;
            }
            // SAFETY: `sg` is a valid entry of the list.
            sg = unsafe { bindings::vcrs_sg_next(sg) };
        }
        self.end_segment();
        Ok(())
    }

    /// Adds a device-readable segment covering the first `len` bytes of `list`.
    pub(crate) fn push_out_list(&mut self, list: &'a SgList, len: usize) -> Result {
        self.push_out_list_at(list, 0, len)
    }

    /// Adds a device-writable segment covering the first `len` bytes of `list`.
    pub(crate) fn push_in_list(&mut self, list: &'a SgList, len: usize) -> Result {
        self.push_in_list_at(list, 0, len)
    }

    /// Adds a device-readable segment covering `len` bytes of `list` from `skip` bytes in.
    pub(crate) fn push_out_list_at(&mut self, list: &'a SgList, skip: usize, len: usize) -> Result {
        let pushed = self.push_list(Direction::Out, list, skip, len);
        self.poison_on(pushed)
    }

    /// Adds a device-writable segment covering `len` bytes of `list` from `skip` bytes in.
    pub(crate) fn push_in_list_at(&mut self, list: &'a SgList, skip: usize, len: usize) -> Result {
        let pushed = self.push_list(Direction::In, list, skip, len);
        self.poison_on(pushed)
    }

    /// Segment heads in the form `virtqueue_add_sgs` takes, with the out and in counts;
    /// `EINVAL` if a push failed (the table may hold a segment without its end). The
    /// pointers are valid until the table is next moved or changed.
    pub(super) fn raw_heads(&mut self) -> Result<(*mut *mut bindings::scatterlist, u32, u32)> {
        if self.poisoned || self.n_out + self.n_in == 0 {
            return Err(EINVAL);
        }
        let n = self.n_out + self.n_in;
        let base = self.entries().as_mut_ptr();
        for i in 0..n {
            self.head_ptrs[i] = match self.heads[i] {
                // In bounds: `Head::Entry` indexes an entry below `used` (type invariant).
                Head::Entry(e) => base.wrapping_add(e),
                Head::External(p) => p,
            };
        }
        Ok((
            self.head_ptrs.as_mut_ptr(),
            self.n_out as u32,
            self.n_in as u32,
        ))
    }
}

/// A buffer the device writes (a status byte, a session input): device-written bytes are
/// untrusted, and since every bit pattern is a valid `T` (`FromBytes`), reading them is
/// always sound.
///
/// Place it in kmalloc memory (inside a `KBox`, an `Arc` or a request context) so that its
/// address is DMA-able; an [`SgTable`] refuses it otherwise.
pub(crate) struct DeviceWritable<T: FromBytes>(UnsafeCell<T>);

// SAFETY: Reads are plain copies of integers; the device, not another thread, writes it.
unsafe impl<T: FromBytes> Sync for DeviceWritable<T> {}
// SAFETY: As above.
unsafe impl<T: FromBytes + Send> Send for DeviceWritable<T> {}

impl<T: FromBytes> DeviceWritable<T> {
    /// A buffer holding `initial` (for example a sentinel status).
    pub(crate) fn new(initial: T) -> Self {
        Self(UnsafeCell::new(initial))
    }

    /// The contents, to wipe them (`&mut`: the device has returned the buffer, or never
    /// had it).
    pub(crate) fn get_mut(&mut self) -> &mut T {
        self.0.get_mut()
    }

    /// Reads the current contents. Meaningful once the device has returned the buffer.
    pub(crate) fn read(&self) -> T {
        // SAFETY: The cell is valid for reads; the device writes it only through DMA, and
        // any bit pattern is a valid `T` (`FromBytes`), so even a racing read is a value.
        unsafe { core::ptr::read_volatile(self.0.get()) }
    }
}

impl<'a> SgTable<'a> {
    /// Adds a device-writable segment for the first `len` bytes of `buf`.
    pub(crate) fn push_in_writable<T: FromBytes>(
        &mut self,
        buf: &'a DeviceWritable<T>,
        len: usize,
    ) -> Result {
        if len > core::mem::size_of::<T>() {
            return self.poison_on(Err(EINVAL));
        }
        let pushed = self.push_buf(Direction::In, buf.0.get().cast::<u8>(), len);
        self.poison_on(pushed)
    }
}
