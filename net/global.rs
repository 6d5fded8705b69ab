// SPDX-License-Identifier: GPL-2.0

//! A module-wide handle in a `static`, for callbacks that get no context.
//!
//! Some C callbacks carry no pointer back to the driver's state: a
//! `net` class file's `store` in a new namespace, an `rtnl_link_ops`
//! `newlink`, a pernet `init`. C drivers reach their state there through
//! file-scope statics (`static struct rtnl_link_ops bond_link_ops`).
//! [`Global<T>`] is that static for an [`Arc<T>`]: the module's init
//! publishes it, callbacks take a counted reference with [`Global::get`],
//! and the module's exit clears it, waiting for a grace period so that no
//! `get` still reads the old pointer.

use super::rcu;
use core::{
    ptr,
    sync::atomic::{AtomicPtr, Ordering},
};
use kernel::sync::{Arc, ArcBorrow};

/// A `static` slot holding at most one [`Arc<T>`].
///
/// # Invariants
///
/// `ptr` is null or comes from [`Arc::into_raw`] and owns that reference.
/// It is only replaced by [`Global::set`] and [`Global::clear`]; `clear`
/// waits for a grace period before it gives the reference up, so a reader
/// that loaded the pointer inside an RCU read-side critical section can
/// still take a reference of its own.
pub struct Global<T: Send + Sync> {
    ptr: AtomicPtr<T>,
}

impl<T: Send + Sync> Global<T> {
    /// An empty slot, for a `static`.
    pub const fn new() -> Self {
        Self {
            ptr: AtomicPtr::new(ptr::null_mut()),
        }
    }

    /// Publishes `value`. Returns it back if the slot is already in use.
    pub fn set(&self, value: Arc<T>) -> Result<(), Arc<T>> {
        let raw = Arc::into_raw(value).cast_mut();
        match self
            .ptr
            .compare_exchange(ptr::null_mut(), raw, Ordering::Release, Ordering::Relaxed)
        {
            Ok(_) => Ok(()),
            // SAFETY: `raw` came from `into_raw` just above and was not
            // published, so we still own it.
            Err(_) => Err(unsafe { Arc::from_raw(raw) }),
        }
    }

    /// Returns a counted reference to the published value, if any.
    pub fn get(&self) -> Option<Arc<T>> {
        let guard = rcu::read_lock();
        let raw = self.ptr.load(Ordering::Acquire);
        let value = if raw.is_null() {
            None
        } else {
            // SAFETY: by the type invariant, the slot's reference keeps the
            // value alive until a grace period after `clear` unpublished
            // it, and we are inside a read-side critical section that
            // started before that grace period could end.
            Some(unsafe { ArcBorrow::from_raw(raw) }.into())
        };
        drop(guard);
        value
    }

    /// Unpublishes the value and gives up the slot's reference after a
    /// grace period (sleeps).
    pub fn clear(&self) {
        let raw = self.ptr.swap(ptr::null_mut(), Ordering::AcqRel);
        if raw.is_null() {
            return;
        }
        rcu::synchronize();
        // SAFETY: `raw` was published by `set` (type invariant); it is no
        // longer reachable, and every reader that could still see it has
        // left its critical section (grace period above).
        drop(unsafe { Arc::from_raw(raw) });
    }
}

impl<T: Send + Sync> Default for Global<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Send + Sync> Drop for Global<T> {
    fn drop(&mut self) {
        self.clear();
    }
}
