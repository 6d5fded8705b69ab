// SPDX-License-Identifier: GPL-2.0

//! Read-copy-update (RCU): the read-side guard and an RCU-published owned
//! pointer.
//!
//! C header: [`include/linux/rcupdate.h`](srctree/include/linux/rcupdate.h).
//!
//! [`Guard`] is the read-side critical section (`rcu_read_lock`); the model
//! is later upstream kernels' `rust/kernel/sync/rcu.rs`. [`RcuPtr`] is what C
//! writes as a `struct foo __rcu *` field that owns its target: readers
//! follow it under a [`Guard`] without locks; writers, serialised by RTNL,
//! publish a new value and free the old one only after a grace period.
//!
//! # Lifetime rules
//!
//! - A reader's `&T` borrows both the [`Guard`] and the [`RcuPtr`], so it
//!   cannot outlive the read-side critical section, and it cannot outlive the
//!   `RcuPtr` either. Because of the second point, dropping an `RcuPtr` (or
//!   using `&mut RcuPtr`) frees the value at once: no reader can hold a
//!   reference into it. If the *container* of the `RcuPtr` is itself reached
//!   by RCU readers (through a C pointer such as `rx_handler_data`), the
//!   owner of that C pointer delays the container's drop by a grace period;
//!   that is the container's business, not the `RcuPtr`'s.
//! - [`RcuPtr::replace`] waits for a grace period (`synchronize_rcu`, which
//!   sleeps) and hands the old value back.
//! - [`RcuPtr::replace_deferred`] does not sleep: the old value is freed by
//!   an RCU callback after a grace period. If `T` needs no drop, the
//!   allocation is handed to `kvfree_call_rcu` (what `kfree_rcu` does), and no
//!   code of this module runs later. Otherwise `call_rcu` runs this module's
//!   callback, which drops the `T` in softirq context, so `T`'s `Drop` must
//!   not sleep, and **the module must call [`barrier`] in its exit path**
//!   (after the last `replace_deferred`) so that no callback is left to run
//!   after its text is gone.
//! - [`RcuPtr::replace`] must not be called inside a read-side critical
//!   section (`synchronize_rcu` there is a bug the debug kernel reports: "Illegal
//!   synchronize_rcu() in RCU read-side critical section"); like any sleeping
//!   call in atomic context, this is not checked by the type system.

use super::{bindings, Rtnl};
use core::{
    marker::PhantomData,
    mem::needs_drop,
    ops::{Deref, DerefMut},
    ptr,
    sync::atomic::{AtomicPtr, Ordering},
};
use kernel::{
    alloc::{AllocError, Flags, KBox},
    types::Opaque,
};

/// Evidence that the RCU read-side lock is held on the current CPU.
///
/// Created by [`read_lock`]; the critical section ends when it is dropped.
///
/// # Invariants
///
/// `rcu_read_lock` was called when the guard was created and
/// `rcu_read_unlock` has not been called for it yet. The guard is neither
/// `Send` nor `Sync`: it must be released by the thread that took it.
#[must_use = "the RCU read-side critical section ends when the guard is dropped"]
pub struct Guard {
    _not_send: PhantomData<*mut ()>,
}

impl Guard {
    /// Enters an RCU read-side critical section (`rcu_read_lock`).
    pub fn new() -> Self {
        // SAFETY: `rcu_read_lock` may be called in any context and nests.
        unsafe { bindings::rust_net_rcu_read_lock() };
        // INVARIANT: the read-side lock was just taken.
        Self {
            _not_send: PhantomData,
        }
    }

    /// Leaves the critical section; the same as dropping the guard.
    pub fn unlock(self) {}
}

impl Default for Guard {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        // SAFETY: by the type invariant, this thread holds the read-side lock
        // taken in `Guard::new`, and releases it exactly once here.
        unsafe { bindings::rust_net_rcu_read_unlock() };
    }
}

/// Enters an RCU read-side critical section (`rcu_read_lock`).
pub fn read_lock() -> Guard {
    Guard::new()
}

/// Waits for a full grace period (`synchronize_rcu`); sleeps.
///
/// Every read-side critical section that had begun when this was called has
/// ended when it returns. Must not be called inside one.
pub fn synchronize() {
    // SAFETY: `synchronize_rcu` has no preconditions beyond process context,
    // which a caller of a sleeping function provides.
    unsafe { bindings::synchronize_rcu() };
}

/// Waits until every RCU callback queued so far has run (`rcu_barrier`);
/// sleeps.
///
/// A module that used [`RcuPtr::replace_deferred`] on a `T` that needs drop
/// must call this in its exit path after the last such call, so that no
/// callback into its text is left pending when the module is freed.
pub fn barrier() {
    // SAFETY: `rcu_barrier` has no preconditions beyond process context.
    unsafe { bindings::rcu_barrier() };
}

/// The allocation behind an [`RcuBox`]: the value and the `rcu_head` that a
/// deferred free needs.
///
/// `repr(C)` with `head` first, so a `callback_head` pointer is also a
/// pointer to the node (what `container_of` computes in C).
#[repr(C)]
struct RcuNode<T> {
    head: Opaque<bindings::callback_head>,
    value: T,
}

/// An owned, heap-allocated value that can be published in an [`RcuPtr`].
///
/// It carries the `rcu_head` a deferred free needs (C's `struct foo { ...;
/// struct rcu_head rcu; }`), so that publishing and freeing never allocate:
/// allocate with [`RcuBox::new`] before taking the writer lock, fill in the
/// value through `DerefMut`, then publish it.
pub struct RcuBox<T>(KBox<RcuNode<T>>);

impl<T> RcuBox<T> {
    /// Allocates an `RcuBox` holding `value`.
    pub fn new(value: T, flags: Flags) -> Result<Self, AllocError> {
        Ok(Self(KBox::new(
            RcuNode {
                head: Opaque::uninit(),
                value,
            },
            flags,
        )?))
    }

    /// Returns the value, freeing the allocation.
    pub fn into_inner(self) -> T {
        KBox::into_inner(self.0).value
    }

    fn into_raw(self) -> *mut RcuNode<T> {
        KBox::into_raw(self.0)
    }

    /// # Safety
    ///
    /// `ptr` must come from [`RcuBox::into_raw`], and the caller gives up
    /// every use of it.
    unsafe fn from_raw(ptr: *mut RcuNode<T>) -> Self {
        // SAFETY: the pointer came from `KBox::into_raw` (caller).
        Self(unsafe { KBox::from_raw(ptr) })
    }
}

impl<T> Deref for RcuBox<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0.value
    }
}

impl<T> DerefMut for RcuBox<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0.value
    }
}

/// An RCU-published, owning pointer to a `T` (C: `struct foo __rcu *p`).
///
/// Readers call [`get`](RcuPtr::get) under a [`Guard`]; writers, serialised
/// by RTNL (the `&Rtnl` argument), call [`replace`](RcuPtr::replace) or
/// [`replace_deferred`](RcuPtr::replace_deferred). See the
/// [module documentation](self) for the lifetime rules.
///
/// Writers are serialised by RTNL because that is what C bonding uses for
/// its `__rcu` slave pointers and arrays; a generic lock would need a
/// run-time owner check (as `LockedBy` does) to prove it is always the
/// same lock.
///
/// # Invariants
///
/// `ptr` is null or comes from [`RcuBox::into_raw`] and is owned by this
/// `RcuPtr`. After a writer has unpublished a pointer, it is freed only after
/// a grace period (or, with `&mut self`, at once).
pub struct RcuPtr<T> {
    ptr: AtomicPtr<RcuNode<T>>,
    _owns: PhantomData<RcuBox<T>>,
}

// SAFETY: an `RcuPtr` owns its `T`; sending it sends the `T`.
unsafe impl<T: Send> Send for RcuPtr<T> {}
// SAFETY: through `&RcuPtr`, readers on several threads get `&T` (so `T:
// Sync`), and a writer on any thread may drop the old `T`, or an RCU callback
// may (so `T: Send`).
unsafe impl<T: Send + Sync> Sync for RcuPtr<T> {}

// SAFETY: an `RcuBox` owns its `T` (the `rcu_head` is unused until the box is
// given up to `call_rcu`).
unsafe impl<T: Send> Send for RcuBox<T> {}
// SAFETY: `&RcuBox<T>` only gives `&T`.
unsafe impl<T: Sync> Sync for RcuBox<T> {}

impl<T> RcuPtr<T> {
    /// Creates an `RcuPtr` that points to nothing.
    pub const fn null() -> Self {
        // INVARIANT: null.
        Self {
            ptr: AtomicPtr::new(ptr::null_mut()),
            _owns: PhantomData,
        }
    }

    /// Creates an `RcuPtr` that initially publishes `value`.
    pub fn new(value: Option<RcuBox<T>>) -> Self {
        // INVARIANT: the pointer comes from `RcuBox::into_raw` and is now
        // owned here.
        Self {
            ptr: AtomicPtr::new(value.map_or(ptr::null_mut(), RcuBox::into_raw)),
            _owns: PhantomData,
        }
    }

    /// Returns the published value (`rcu_dereference`).
    ///
    /// The load is `Acquire`: it pairs with the `Release` of the writer's
    /// publication (`rcu_assign_pointer`), so the reader sees the value as
    /// it was initialised. C relies on address dependencies instead
    /// (`READ_ONCE`), which the Rust memory model does not recognise;
    /// `Acquire` costs nothing on x86 and a load-acquire on arm64.
    pub fn get<'a>(&'a self, _guard: &'a Guard) -> Option<&'a T> {
        let p = self.ptr.load(Ordering::Acquire);
        if p.is_null() {
            return None;
        }
        // SAFETY: by the type invariant, a non-null `p` is a live `RcuNode`
        // owned by `self`. A writer that unpublishes it frees it only after a
        // grace period, which cannot end before `_guard` (borrowed for 'a)
        // is dropped; and it is not freed at once (`&mut self`, drop) while
        // `self` is borrowed for 'a. Readers only get shared references.
        Some(unsafe { &(*p).value })
    }

    /// Returns whether a value is published; the answer may be stale at once.
    pub fn is_some(&self) -> bool {
        !self.ptr.load(Ordering::Relaxed).is_null()
    }

    /// Returns the value with exclusive access; no reader can be looking.
    pub fn get_mut(&mut self) -> Option<&mut T> {
        let p = *self.ptr.get_mut();
        if p.is_null() {
            return None;
        }
        // SAFETY: `&mut self` excludes every reader (their references borrow
        // `self`), and the node is owned and live by the type invariant.
        Some(unsafe { &mut (*p).value })
    }

    /// Publishes `new` (`rcu_assign_pointer`) and returns the old pointer.
    fn swap(&self, new: Option<RcuBox<T>>, _rtnl: &Rtnl) -> *mut RcuNode<T> {
        let new = new.map_or(ptr::null_mut(), RcuBox::into_raw);
        // `Release` publishes the new value's initialisation to `Acquire`
        // readers. Writers are serialised by RTNL, so the old pointer that the
        // swap returns is the one the previous writer published.
        // INVARIANT: `new` comes from `RcuBox::into_raw`; ownership of the old
        // pointer moves to the caller, which frees it after a grace period.
        self.ptr.swap(new, Ordering::Release)
    }

    /// Publishes `new`, waits for a grace period and returns the old value;
    /// sleeps.
    ///
    /// When it returns, no reader can still see the old value, so the caller
    /// may reuse or drop it. Must not be called inside an RCU read-side
    /// critical section.
    pub fn replace(&self, new: Option<RcuBox<T>>, rtnl: &Rtnl) -> Option<RcuBox<T>> {
        let old = self.swap(new, rtnl);
        if old.is_null() {
            return None;
        }
        synchronize();
        // SAFETY: `old` was owned by `self` and has just been unpublished; the
        // grace period has ended, so no reader holds a reference into it.
        Some(unsafe { RcuBox::from_raw(old) })
    }

    /// Publishes `new` and frees the old value after a grace period, without
    /// sleeping.
    ///
    /// If `T` needs drop, its `Drop` runs later in softirq context (so it must
    /// not sleep), and the module must call [`barrier`] before it is unloaded.
    pub fn replace_deferred(&self, new: Option<RcuBox<T>>, rtnl: &Rtnl)
    where
        T: Send,
    {
        let old = self.swap(new, rtnl);
        if old.is_null() {
            return;
        }
        // SAFETY: `old` is a live node, owned by us and just unpublished.
        let head = unsafe { Opaque::raw_get(ptr::addr_of!((*old).head)) };
        if needs_drop::<T>() {
            // SAFETY: `head` is inside the node, unused until now, and stays
            // valid until the callback frees the node; `free_node::<T>`
            // frees exactly a node of this type (`T: Send`, so dropping it
            // from the callback's context is fine).
            unsafe { bindings::call_rcu(head, Some(free_node::<T>)) };
        } else {
            // SAFETY: as for `call_rcu`; the node is a kmalloc allocation
            // (`KBox`) that starts at `old` and needs no drop, so `kvfree`
            // after a grace period is all there is to do (C's `kfree_rcu`).
            unsafe { bindings::kvfree_call_rcu(head, old.cast()) };
        }
    }
}

/// The RCU callback of [`RcuPtr::replace_deferred`]: frees a node.
///
/// # Safety
///
/// `head` must be the `head` of an `RcuNode<T>` from [`RcuBox::into_raw`]
/// that nothing else uses any more.
unsafe extern "C" fn free_node<T>(head: *mut bindings::callback_head) {
    // CAST: `head` is the first field of the `repr(C)` `RcuNode<T>`, and
    // `Opaque` is `repr(transparent)`.
    let node = head.cast::<RcuNode<T>>();
    // SAFETY: the caller passes a node from `RcuBox::into_raw` that nothing
    // uses any more (the grace period has ended).
    drop(unsafe { RcuBox::from_raw(node) });
}

impl<T> Drop for RcuPtr<T> {
    fn drop(&mut self) {
        let p = *self.ptr.get_mut();
        if !p.is_null() {
            // SAFETY: `&mut self`: no reader holds a reference (they borrow
            // `self`), and the node is owned by the type invariant.
            drop(unsafe { RcuBox::from_raw(p) });
        }
    }
}
