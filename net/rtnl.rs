// SPDX-License-Identifier: GPL-2.0

//! The routing netlink mutex (RTNL) as a proof token.
//!
//! C headers: [`include/linux/rtnetlink.h`](srctree/include/linux/rtnetlink.h).
//!
//! Configuration paths in the network stack run under RTNL. Instead of
//! "caller must hold RTNL" in prose, functions that need it take `&Rtnl`:
//! the only ways to get one are [`Rtnl::lock`] and the layer's callback
//! trampolines for callbacks the core calls with RTNL held.

use super::bindings;
use core::{
    cell::{Ref, RefCell, RefMut},
    marker::PhantomData,
    ops::Deref,
};
use kernel::error::{code::EBUSY, Error, Result};

/// Evidence that the current thread holds RTNL.
///
/// # Invariants
///
/// RTNL is held by the current thread for as long as a reference to an
/// `Rtnl` exists. The type is neither `Send` nor `Sync`, so the evidence
/// cannot leave the thread that holds the lock.
pub struct Rtnl {
    _not_send: PhantomData<*mut ()>,
}

impl Rtnl {
    /// Takes RTNL, sleeping until it is available.
    pub fn lock() -> RtnlGuard {
        // SAFETY: `rtnl_lock` has no preconditions beyond process context,
        // which a sleeping function's caller provides.
        unsafe { bindings::rtnl_lock() };
        // INVARIANT: RTNL was just taken by this thread.
        RtnlGuard(Rtnl {
            _not_send: PhantomData,
        })
    }

    /// Takes RTNL if it is free (`rtnl_trylock`), for work items that must
    /// not wait for it (they are cancelled by RTNL holders).
    pub fn try_lock() -> Option<RtnlGuard> {
        // SAFETY: `rtnl_trylock` has no preconditions.
        (unsafe { bindings::rtnl_trylock() } != 0).then(|| {
            // INVARIANT: RTNL was just taken by this thread.
            RtnlGuard(Rtnl {
                _not_send: PhantomData,
            })
        })
    }

    /// Takes RTNL if it is free, else asks for the system call to be
    /// restarted; for sysfs `store` callbacks.
    ///
    /// A sysfs file of a net device must not wait for RTNL: the thread
    /// that holds RTNL may be unregistering that device, and removing the
    /// device's files waits for running `store` calls, so both would wait
    /// for each other. C does `if (!rtnl_trylock()) return restart_syscall();`
    /// (bonding's `bonding_sysfs_store_option`); this is the same:
    /// on contention it calls `restart_syscall()` (which flags a pending
    /// signal so the write returns to user space and is transparently
    /// restarted) and returns `ERESTARTNOINTR`, which the callback must
    /// return as it is (`Rtnl::try_lock_or_restart()?`).
    pub fn try_lock_or_restart() -> Result<RtnlGuard> {
        // SAFETY: `rtnl_trylock` has no preconditions.
        if unsafe { bindings::rtnl_trylock() } != 0 {
            // INVARIANT: RTNL was just taken by this thread.
            return Ok(RtnlGuard(Rtnl {
                _not_send: PhantomData,
            }));
        }
        // SAFETY: called from a system call (a sysfs write) in process
        // context; it only flags the current task.
        Err(Error::from_errno(unsafe {
            bindings::rust_net_restart_syscall()
        }))
    }

    /// Creates the token for a callback the core runs with RTNL held.
    ///
    /// # Safety
    ///
    /// The caller must hold RTNL for as long as the token (or any reference
    /// to it) is used; in practice, the token lives on the callback's stack.
    pub(crate) unsafe fn assume_locked() -> Rtnl {
        // Cheap in production kernels; catches a wrong caller in debug ones.
        // SAFETY: `rtnl_is_locked` only reads the mutex state.
        debug_assert!(unsafe { bindings::rtnl_is_locked() } != 0);
        // INVARIANT: the caller guarantees that RTNL is held.
        Rtnl {
            _not_send: PhantomData,
        }
    }
}

/// RTNL, taken by [`Rtnl::lock`] and released on drop.
#[must_use = "dropping the guard releases RTNL at once"]
pub struct RtnlGuard(Rtnl);

impl Deref for RtnlGuard {
    type Target = Rtnl;

    fn deref(&self) -> &Rtnl {
        &self.0
    }
}

impl Drop for RtnlGuard {
    fn drop(&mut self) {
        // SAFETY: by the type invariant of `Rtnl`, this thread holds RTNL,
        // taken in `Rtnl::lock`.
        unsafe { bindings::rtnl_unlock() };
    }
}

/// Data that only code holding RTNL may touch, like the many fields C marks
/// "protected by RTNL".
///
/// Configuration paths under RTNL nest: a driver's callback changes another
/// device, whose notifier calls back into the driver on the same thread. The
/// data therefore sits in a [`RefCell`]: a nested mutable borrow of the same
/// data is caught at run time and reported as `EBUSY` instead of aliasing.
///
/// # Invariants
///
/// `cell` is only accessed through a `&Rtnl`, so by one thread at a time.
pub struct RtnlLocked<T> {
    cell: RefCell<T>,
}

// SAFETY: all access goes through `&Rtnl`, which serialises threads (type
// invariant), so moving the data between threads is all that is needed.
unsafe impl<T: Send> Sync for RtnlLocked<T> {}
// SAFETY: as above.
unsafe impl<T: Send> Send for RtnlLocked<T> {}

impl<T> RtnlLocked<T> {
    /// Wraps `value`.
    pub const fn new(value: T) -> Self {
        Self {
            cell: RefCell::new(value),
        }
    }

    /// Borrows the data for reading; `EBUSY` if an outer frame of this
    /// thread borrows it for writing.
    pub fn borrow<'a>(&'a self, _rtnl: &'a Rtnl) -> Result<Ref<'a, T>> {
        self.cell.try_borrow().map_err(|_| EBUSY)
    }

    /// Borrows the data for writing; `EBUSY` if an outer frame of this
    /// thread borrows it.
    pub fn borrow_mut<'a>(&'a self, _rtnl: &'a Rtnl) -> Result<RefMut<'a, T>> {
        self.cell.try_borrow_mut().map_err(|_| EBUSY)
    }
}
