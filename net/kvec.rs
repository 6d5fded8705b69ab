// SPDX-License-Identifier: GPL-2.0

//! Removal operations that 6.12's [`KVec`] lacks (it can only grow).

use kernel::alloc::KVec;

/// `pop` and `swap_remove` for [`KVec`], with the semantics of `alloc::vec::Vec`.
pub trait KVecExt<T> {
    /// Removes and returns the last element.
    fn pop_last(&mut self) -> Option<T>;

    /// Removes the element at `index` by moving the last one into its place.
    /// Returns `None` if `index` is out of bounds.
    fn swap_remove_at(&mut self, index: usize) -> Option<T>;

    /// Removes and returns the first element for which `f` is true, keeping
    /// the order of the others (`Vec::remove` at its position).
    fn remove_first(&mut self, f: impl Fn(&T) -> bool) -> Option<T>;
}

impl<T> KVecExt<T> for KVec<T> {
    fn pop_last(&mut self) -> Option<T> {
        let len = self.len();
        if len == 0 {
            return None;
        }
        // SAFETY: `len - 1 < len`, so the element is initialised; shrinking
        // the length first hands its ownership to `read` and keeps it from
        // being dropped again.
        unsafe {
            self.set_len(len - 1);
            Some(core::ptr::read(self.as_ptr().add(len - 1)))
        }
    }

    fn swap_remove_at(&mut self, index: usize) -> Option<T> {
        let last = self.len().checked_sub(1)?;
        if index > last {
            return None;
        }
        self.as_mut_slice().swap(index, last);
        self.pop_last()
    }

    fn remove_first(&mut self, f: impl Fn(&T) -> bool) -> Option<T> {
        let i = self.iter().position(f)?;
        // Rotate the found element to the end, then pop it.
        self.as_mut_slice()[i..].rotate_left(1);
        self.pop_last()
    }
}
