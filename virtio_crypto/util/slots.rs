// SPDX-License-Identifier: GPL-2.0

//! A vector of reusable slots: removing a value leaves a hole that the next insertion
//! fills (6.12's `KVec` cannot remove elements).

use kernel::prelude::*;

/// Values in slots that stay put while others come and go.
pub(crate) struct Slots<T>(KVec<Option<T>>);

impl<T> Slots<T> {
    /// No slots.
    pub(crate) const fn new() -> Self {
        Self(KVec::new())
    }

    /// Stores `value` in the first free slot, growing only when none is free.
    pub(crate) fn insert(&mut self, value: T) -> Result {
        match self.0.iter_mut().find(|s| s.is_none()) {
            Some(free) => *free = Some(value),
            None => self.0.push(Some(value), GFP_KERNEL)?,
        }
        Ok(())
    }

    /// Takes out the first value that `matches` accepts.
    pub(crate) fn take_first(&mut self, matches: impl Fn(&T) -> bool) -> Option<T> {
        self.0
            .iter_mut()
            .find(|s| s.as_ref().is_some_and(&matches))
            .and_then(Option::take)
    }

    /// Number of slots, free ones included.
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// The values, in slot order (free slots skipped).
    pub(crate) fn iter(&self) -> impl Iterator<Item = &T> {
        self.0.iter().filter_map(Option::as_ref)
    }

    /// The value in slot `i`, if any.
    pub(crate) fn get(&self, i: usize) -> Option<&T> {
        self.0.get(i)?.as_ref()
    }
}
