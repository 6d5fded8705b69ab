// SPDX-License-Identifier: GPL-2.0

//! A spinlock that disables bottom halves while held (`spin_lock_bh`).
//!
//! C header: [`include/linux/spinlock.h`](srctree/include/linux/spinlock.h).
//!
//! 6.12's `kernel::sync::SpinLock` calls plain `spin_lock`, which is wrong
//! for data that softirq context (the rx and tx paths, timers) also takes:
//! a softirq interrupting the holder on the same CPU would spin forever.
//! [`SpinLockBh`] is the kernel crate's generic [`Lock`] with a backend
//! that calls `spin_lock_bh`/`spin_unlock_bh`, so it has the same guard,
//! pinning and lockdep-class story as `SpinLock`. Create one with
//! [`new_spinlock_bh!`](crate::new_spinlock_bh).
//!
//! Use it from process context for data that softirq code also locks; in
//! softirq context itself (where BHs are already off) it is correct too,
//! just slightly slower than `spin_lock`. Do not take it with hard IRQs
//! disabled (`spin_unlock_bh` may run softirqs).

use super::bindings;
use core::cell::UnsafeCell;
use kernel::{
    prelude::*,
    str::CStr,
    sync::{
        lock::{Backend, Lock},
        LockClassKey,
    },
    types::Opaque,
};

/// Creates a [`SpinLockBh`] initialiser with the given name and a new lock
/// class (one per call site, as for `new_spinlock!`).
///
/// The name is optional; without one, the file name and line are used.
/// Expands to a path under `$crate::net`, where both crates that build the
/// layer (rust_bond and rdummy) mount it.
///
/// ```ignore
/// #[pin_data]
/// struct Bond {
///     #[pin]
///     mode_lock: SpinLockBh<ModeState>,
/// }
/// pin_init!(Bond { mode_lock <- new_spinlock_bh!(ModeState::new(), "Bond::mode_lock") })
/// ```
#[macro_export]
macro_rules! new_spinlock_bh {
    ($inner:expr $(, $name:literal)? $(,)?) => {
        $crate::net::spinlock_bh::SpinLockBh::new(
            $inner,
            ::kernel::optional_name!($($name)?),
            ::kernel::static_lock_class!(),
        )
    };
}
pub use new_spinlock_bh;

/// A spinlock taken with bottom halves disabled (C `spin_lock_bh`).
///
/// `lock()` returns a guard that derefs to the data and unlocks (re-enabling
/// BHs, which may run pending softirqs) when dropped.
pub type SpinLockBh<T> = Lock<T, SpinLockBhBackend>;

/// The [`Backend`] of [`SpinLockBh`]: a `spinlock_t` locked with
/// `spin_lock_bh`.
pub struct SpinLockBhBackend;

// The state is this layer's `spinlock_t`, which `Lock` keeps in an `Opaque`;
// `init` hands it to the kernel crate's `__spin_lock_init` helper (the same
// C type from the other bindgen run), so the two must agree on the layout.
const _: () = assert!(
    core::mem::size_of::<bindings::spinlock_t>()
        == core::mem::size_of::<kernel::bindings::spinlock_t>()
        && core::mem::align_of::<bindings::spinlock_t>()
            == core::mem::align_of::<kernel::bindings::spinlock_t>()
);

// SAFETY: `spin_lock_bh` on an initialised `spinlock_t` gives mutual exclusion
// between every CPU and every context until `spin_unlock_bh`; `relock` is the
// default, which calls `lock` again (the same method).
unsafe impl Backend for SpinLockBhBackend {
    type State = bindings::spinlock_t;
    type GuardState = ();

    unsafe fn init(
        ptr: *mut Self::State,
        name: *const kernel::ffi::c_char,
        key: *mut kernel::bindings::lock_class_key,
    ) {
        // CAST: both bindings describe the same C `spinlock_t` (sizes checked
        // above).
        let ptr = ptr.cast::<kernel::bindings::spinlock_t>();
        // SAFETY: the caller guarantees `ptr` is valid for writes and `name`
        // and `key` valid forever. The kernel crate's helper is C's
        // `spin_lock_init` with an explicit name and lockdep class.
        unsafe { kernel::bindings::__spin_lock_init(ptr, name, key) };
    }

    unsafe fn lock(ptr: *mut Self::State) -> Self::GuardState {
        // SAFETY: the caller guarantees `ptr` points to a lock initialised by
        // `init`.
        unsafe { bindings::rust_net_spin_lock_bh(ptr) };
    }

    unsafe fn unlock(ptr: *mut Self::State, _guard_state: &Self::GuardState) {
        // SAFETY: the caller owns the lock, taken by `lock` with BHs disabled.
        unsafe { bindings::rust_net_spin_unlock_bh(ptr) };
    }
}

/// Creates a [`NestedSpinLockBh`] initialiser with the given name and a new
/// lock class (one per call site).
#[macro_export]
macro_rules! new_nested_spinlock_bh {
    ($inner:expr $(, $name:literal)? $(,)?) => {
        $crate::net::spinlock_bh::NestedSpinLockBh::new(
            $inner,
            ::kernel::optional_name!($($name)?),
            ::kernel::static_lock_class!(),
        )
    };
}
pub use new_nested_spinlock_bh;

/// The highest lockdep subclass (`MAX_LOCKDEP_SUBCLASSES - 1`).
pub const MAX_SUBCLASS: u32 = 7;

/// A spinlock taken with bottom halves disabled and a lockdep subclass (C
/// `spin_lock_nested` with BHs off), for one lock class whose locks nest by
/// design: a stacked device of a driver whose lower device, of the same
/// driver, takes its own lock of the class while the upper one holds its
/// lock (bonding's `stats_lock` in `bond_get_stats`). Each level uses its
/// own subclass, the upper one the higher, typically the device's nesting
/// depth ([`super::Device::lower_level`]).
///
/// # Invariants
///
/// `lock` was initialised by `__spin_lock_init` with a static name and
/// class; `data` is accessed only through a [`NestedGuard`], which exists
/// only while the lock is held.
#[pin_data]
pub struct NestedSpinLockBh<T> {
    #[pin]
    lock: Opaque<bindings::spinlock_t>,
    data: UnsafeCell<T>,
}

// SAFETY: the lock hands out access to `T` to one thread at a time; `T`
// may move between threads.
unsafe impl<T: Send> Send for NestedSpinLockBh<T> {}
// SAFETY: as for `Send`: shared access only gives exclusive access to `T`
// under the lock.
unsafe impl<T: Send> Sync for NestedSpinLockBh<T> {}

impl<T> NestedSpinLockBh<T> {
    /// A lock holding `t`, of lockdep class `key`, named `name`.
    pub fn new(t: T, name: &'static CStr, key: &'static LockClassKey) -> impl PinInit<Self> {
        // CAST: `LockClassKey` is `repr(transparent)` over an
        // `Opaque<lock_class_key>`, itself transparent over the C struct.
        let key = core::ptr::from_ref(key)
            .cast_mut()
            .cast::<kernel::bindings::lock_class_key>();
        pin_init!(Self {
            data: UnsafeCell::new(t),
            // SAFETY: `slot` is valid for writes during the call; `name` and
            // `key` are static. The types agree (see the assertion above).
            lock <- Opaque::ffi_init(|slot: *mut bindings::spinlock_t| unsafe {
                kernel::bindings::__spin_lock_init(
                    slot.cast::<kernel::bindings::spinlock_t>(),
                    name.as_char_ptr(),
                    key,
                )
            }),
        })
    }

    /// Takes the lock with lockdep subclass `subclass` (capped at
    /// [`MAX_SUBCLASS`]) and BHs disabled.
    pub fn lock_nested(&self, subclass: u32) -> NestedGuard<'_, T> {
        // SAFETY: the lock was initialised (invariant).
        unsafe {
            bindings::rust_net_spin_lock_bh_nested(self.lock.get(), subclass.min(MAX_SUBCLASS))
        };
        // INVARIANT: the lock is held until the guard drops.
        NestedGuard { lock: self }
    }
}

/// Access to the data of a held [`NestedSpinLockBh`]; unlocks on drop.
///
/// # Invariants
///
/// The lock is held by this guard.
pub struct NestedGuard<'a, T> {
    lock: &'a NestedSpinLockBh<T>,
}

impl<T> core::ops::Deref for NestedGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: the lock is held (invariant), so nobody else accesses it.
        unsafe { &*self.lock.data.get() }
    }
}

impl<T> core::ops::DerefMut for NestedGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as in `deref`; `&mut self` makes this access unique.
        unsafe { &mut *self.lock.data.get() }
    }
}

impl<T> Drop for NestedGuard<'_, T> {
    fn drop(&mut self) {
        // SAFETY: the lock is held by this guard (invariant), taken by
        // `rust_net_spin_lock_bh_nested`.
        unsafe { bindings::rust_net_spin_unlock_bh_nested(self.lock.lock.get()) };
    }
}
