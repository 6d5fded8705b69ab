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
use kernel::sync::lock::{Backend, Lock};

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
        unsafe { bindings::rust_bond_spin_lock_bh(ptr) };
    }

    unsafe fn unlock(ptr: *mut Self::State, _guard_state: &Self::GuardState) {
        // SAFETY: the caller owns the lock, taken by `lock` with BHs disabled.
        unsafe { bindings::rust_bond_spin_unlock_bh(ptr) };
    }
}
