// SPDX-License-Identifier: GPL-2.0

//! Delayed work (`struct delayed_work`) with a synchronous cancel, and
//! ordered workqueues.
//!
//! C header: [`include/linux/workqueue.h`](srctree/include/linux/workqueue.h).
//!
//! 6.12's `kernel::workqueue` has immediate work only, no cancel and no way
//! to allocate a workqueue. This file follows its design (and later upstream
//! kernels' `DelayedWork`): a [`DelayedWork<T, ID>`] field pinned inside a
//! struct `T`, declared with [`impl_has_delayed_work!`], and a
//! [`DelayedWorkItem`] implementation whose `run` is called with the
//! containing struct. The `ID` const generic tells several work fields of one
//! struct apart (a bond's miimon, arpmon and 802.3ad works).
//!
//! # Ownership
//!
//! The containing struct lives in an [`Arc`]. While the work is pending
//! (its timer armed or the work queued), the workqueue owns one reference,
//! taken by [`DelayedWork::queue`] and handed to [`DelayedWorkItem::run`]
//! (or dropped by [`DelayedWork::cancel_sync`]). So the struct cannot be
//! freed while the work may still run. The struct embedded in `net_device`
//! private data without an `Arc` is not supported yet: it would need a
//! pointer type whose owner cancels the work before freeing the memory.
//!
//! Each `DelayedWork` is bound to a [`Queue`] when it is created: the
//! system workqueue or an ordered [`Workqueue`] the driver allocated (held
//! by `Arc`, so that it outlives every work pending on it).
//!
//! # Module unload
//!
//! A pending work runs code of the module that queued it. **Before a
//! module's exit returns, it must [`cancel_sync`](DelayedWork::cancel_sync)
//! every delayed work it may have queued** (typically in the `Drop` of the
//! struct held by the module state, with a flag or state change that keeps
//! the callback from requeueing first, though `cancel_sync` copes with
//! self-requeueing work anyway). The type system does not check this.
//!
//! # Example
//!
//! ```ignore
//! #[pin_data]
//! struct Monitor {
//!     #[pin]
//!     work: DelayedWork<Monitor>,
//! }
//! impl_has_delayed_work! { impl HasDelayedWork<Self> for Monitor { self.work } }
//! impl DelayedWorkItem for Monitor {
//!     fn run(this: Arc<Self>) {
//!         // ... poll ...
//!         DelayedWork::queue(this, msecs_to_jiffies(100));
//!     }
//! }
//! let m = Arc::pin_init(pin_init!(Monitor {
//!     work <- new_delayed_work!(Queue::System, "Monitor::work"),
//! }), GFP_KERNEL)?;
//! DelayedWork::queue(m.clone(), 0);
//! // ... and before freeing, or at module exit:
//! m.work.cancel_sync();
//! ```

use super::{bindings, time::Jiffies};
use core::{marker::PhantomData, ptr, ptr::NonNull};
use kernel::{
    error::{code::ENOMEM, Result},
    init::PinInit,
    pin_init,
    prelude::pin_data,
    str::CStr,
    sync::{Arc, LockClassKey},
    types::Opaque,
};

/// Creates a [`DelayedWork`] initialiser bound to a [`Queue`], with the given
/// name and new lockdep classes (one per call site, as for `new_work!`).
///
/// The name is optional; without one, the file name and line are used.
#[macro_export]
macro_rules! new_delayed_work {
    ($queue:expr $(, $name:literal)? $(,)?) => {
        $crate::net::delayed_work::DelayedWork::new(
            $queue,
            ::kernel::optional_name!($($name)?),
            ::kernel::static_lock_class!(),
            ::kernel::static_lock_class!(),
        )
    };
}
pub use new_delayed_work;

/// An ordered workqueue the driver owns (C `alloc_ordered_workqueue`).
///
/// Its work items run one at a time, in queueing order. Dropping it calls
/// `destroy_workqueue`, which waits for the queued and running items, so
/// the last `Arc` to it must not be dropped by one of its own work items
/// (that deadlocks): keep one in state that outlives the works, and drop
/// it after cancelling them.
///
/// # Invariants
///
/// `ptr` is a workqueue allocated by `alloc_workqueue`, owned by this value.
/// No delayed work is pending on it when it is dropped: each
/// [`DelayedWork`] bound to it holds an `Arc` to it, and a pending work's
/// struct is kept alive by the pending reference.
pub struct Workqueue {
    ptr: NonNull<bindings::workqueue_struct>,
}

// SAFETY: workqueues may be used and destroyed from any thread.
unsafe impl Send for Workqueue {}
// SAFETY: queueing on a workqueue is thread-safe.
unsafe impl Sync for Workqueue {}

impl Workqueue {
    /// Allocates an ordered workqueue named `name`, with a rescuer thread
    /// (`WQ_MEM_RECLAIM`, as bonding's per-device queue has).
    pub fn new_ordered(name: &CStr) -> Result<Self> {
        // SAFETY: `name` is NUL-terminated; the C side copies it.
        let ptr = unsafe {
            bindings::rust_net_alloc_ordered_workqueue(
                name.as_char_ptr(),
                bindings::wq_flags_WQ_MEM_RECLAIM,
            )
        };
        // INVARIANT: a non-null result is a new workqueue, now owned here.
        Ok(Self {
            ptr: NonNull::new(ptr).ok_or(ENOMEM)?,
        })
    }

    fn as_raw(&self) -> *mut bindings::workqueue_struct {
        self.ptr.as_ptr()
    }
}

impl Drop for Workqueue {
    fn drop(&mut self) {
        // SAFETY: owned and allocated (type invariant), and no delayed work
        // can be pending on it (type invariant), so no timer will queue on it
        // later. `destroy_workqueue` drains what is queued. It must not run
        // from a work item of this queue (a deadlock, not a memory error).
        unsafe { bindings::destroy_workqueue(self.as_raw()) };
    }
}

/// The workqueue a [`DelayedWork`] runs on.
#[derive(Clone)]
pub enum Queue {
    /// The system workqueue (`system_wq`): for short items.
    System,
    /// A workqueue the driver allocated.
    Owned(Arc<Workqueue>),
}

impl Queue {
    fn as_raw(&self) -> *mut bindings::workqueue_struct {
        match self {
            // SAFETY: `system_wq` is set up at boot and never changes.
            Queue::System => unsafe { bindings::system_wq },
            Queue::Owned(wq) => wq.as_raw(),
        }
    }
}

/// A struct whose [`DelayedWork<Self, ID>`] field runs [`run`](Self::run).
pub trait DelayedWorkItem<const ID: u64 = 0>: Send + Sync + Sized {
    /// Runs the work, in process context on the work's queue, with the
    /// reference that the pending work held.
    ///
    /// It may requeue itself ([`DelayedWork::queue`]).
    fn run(this: Arc<Self>);
}

/// A `struct delayed_work` that runs [`DelayedWorkItem::run`] on the `T` it
/// is a field of.
///
/// # Invariants
///
/// `dwork` was initialised by [`DelayedWork::new`] with the trampoline of
/// this `T` and `ID`, and `queue` is the queue it is always queued on.
/// While `dwork` is pending, the workqueue owns one `Arc<T>` reference
/// (from `Arc::into_raw`) to the `T` that contains this field.
#[pin_data]
#[repr(C)]
pub struct DelayedWork<T: ?Sized, const ID: u64 = 0> {
    // First field: a `work_struct` pointer is also a pointer to `Self`.
    #[pin]
    dwork: Opaque<bindings::delayed_work>,
    queue: Queue,
    _inner: PhantomData<T>,
}

// The trampoline turns a `work_struct` pointer into a `DelayedWork` pointer
// by a cast.
const _: () = assert!(core::mem::offset_of!(bindings::delayed_work, work) == 0);

// SAFETY: kernel work items are usable from any thread; the `T` is not stored
// here (it only names the containing type), and `Queue` is `Send`.
unsafe impl<T: ?Sized, const ID: u64> Send for DelayedWork<T, ID> {}
// SAFETY: as for `Send`; the C workqueue code synchronises all accesses.
unsafe impl<T: ?Sized, const ID: u64> Sync for DelayedWork<T, ID> {}

/// Returns the C pointer of a lock class key.
fn key_ptr(key: &'static LockClassKey) -> *mut kernel::bindings::lock_class_key {
    // CAST: `LockClassKey` is `repr(transparent)` over
    // `Opaque<lock_class_key>`, whose `UnsafeCell` lets C write through it.
    ptr::from_ref(key).cast_mut().cast()
}

impl<T, const ID: u64> DelayedWork<T, ID>
where
    T: DelayedWorkItem<ID> + HasDelayedWork<T, ID>,
{
    /// Creates a delayed work bound to `queue`; use [`new_delayed_work!`]
    /// instead, which makes the lock classes.
    pub fn new(
        queue: Queue,
        name: &'static CStr,
        work_key: &'static LockClassKey,
        timer_key: &'static LockClassKey,
    ) -> impl PinInit<Self> {
        pin_init!(Self {
            dwork <- Opaque::ffi_init(|slot: *mut bindings::delayed_work| {
                // SAFETY: `slot` is valid for writes and pinned. Zeroing makes
                // the fields C fills in only when queueing (`wq`, `cpu`)
                // defined. The kernel crate's `init_work_with_key` helper is
                // C's `INIT_WORK` with an explicit lockdep class, and the
                // timer is set up as `__INIT_DELAYED_WORK` does. `name` and
                // the keys are static.
                unsafe {
                    ptr::write_bytes(slot, 0, 1);
                    kernel::bindings::init_work_with_key(
                        ptr::addr_of_mut!((*slot).work).cast(),
                        Some(Self::run_trampoline),
                        false,
                        name.as_char_ptr(),
                        key_ptr(work_key),
                    );
                    bindings::init_timer_key(
                        ptr::addr_of_mut!((*slot).timer),
                        Some(bindings::delayed_work_timer_fn),
                        bindings::TIMER_IRQSAFE,
                        name.as_char_ptr(),
                        key_ptr(timer_key).cast(),
                    );
                }
            }),
            queue,
            _inner: PhantomData,
        })
    }

    /// The work function: takes back the pending reference and runs the item.
    ///
    /// # Safety
    ///
    /// Only the workqueue code calls it, for a `dwork` initialised by
    /// [`DelayedWork::new`] whose pending reference it hands over.
    unsafe extern "C" fn run_trampoline(ptr: *mut kernel::bindings::work_struct) {
        // CAST: `work` is at offset 0 of `delayed_work`, which is the first
        // field of the `repr(C)` `DelayedWork`, and `Opaque` is transparent.
        let dw = ptr.cast::<Self>();
        // SAFETY: `dw` is the `DelayedWork<T, ID>` field of a `T` (only
        // `new` installs this trampoline, for this `T` and `ID`).
        let t = unsafe { T::delayed_work_container_of(dw) };
        // SAFETY: by the type invariant, the work was pending and owned this
        // `Arc::into_raw` reference, which the workqueue now hands to us.
        let this = unsafe { Arc::from_raw(t) };
        T::run(this)
    }

    /// Returns the C `delayed_work` and the workqueue of the work in `*ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a live `T`.
    unsafe fn raw_parts(
        ptr: *mut T,
    ) -> (*mut bindings::workqueue_struct, *mut bindings::delayed_work) {
        // SAFETY: `ptr` points to a live `T` (caller).
        let dw = unsafe { T::raw_get_delayed_work(ptr) };
        // SAFETY: `dw` points to the initialised field of the live `T`;
        // `queue` is never written after initialisation.
        unsafe {
            (
                (*dw).queue.as_raw(),
                Opaque::raw_get(ptr::addr_of!((*dw).dwork)),
            )
        }
    }

    /// Queues the work of `this` to run after `delay` jiffies (C
    /// `queue_delayed_work`).
    ///
    /// Returns `false`, and drops `this`, if the work was already pending
    /// (its delay is unchanged) or is being cancelled. A zero delay queues
    /// it at once. Callable from any context, as long as `this` is not the
    /// last reference where dropping the `T` would be wrong.
    pub fn queue(this: Arc<T>, delay: Jiffies) -> bool {
        let ptr = this.into_raw().cast_mut();
        // SAFETY: we own a reference, so the `T` is live.
        let (wq, dwork) = unsafe { Self::raw_parts(ptr) };
        // SAFETY: `dwork` was initialised by `new` and `wq` is live: the
        // system queue, or one the `DelayedWork` holds an `Arc` to. If it
        // returns true, the pending work owns our reference (type invariant),
        // which keeps the `T` and thus the queue alive until `run`.
        let queued = unsafe {
            bindings::queue_delayed_work_on(
                bindings::wq_misc_consts_WORK_CPU_UNBOUND as _,
                wq,
                dwork,
                delay,
            )
        };
        if !queued {
            // SAFETY: the workqueue did not take the reference from
            // `into_raw` above; take it back.
            drop(unsafe { Arc::from_raw(ptr) });
        }
        queued
    }

    /// Queues the work of `this` after `delay` jiffies, or moves it to
    /// `delay` from now if it is pending (what C `mod_delayed_work` does).
    ///
    /// Returns whether the work was pending. Callable from any context.
    ///
    /// Built as a non-waiting cancel followed by [`Self::queue`] rather than
    /// on `mod_delayed_work_on`, whose 6.12 version steals the pending state
    /// and queues nothing while a `cancel_sync` runs: the reference the
    /// pending work owned could then not be accounted for.
    pub fn modify(this: Arc<T>, delay: Jiffies) -> bool {
        let ptr: *mut T = core::ptr::from_ref::<T>(&this).cast_mut();
        // SAFETY: `this` keeps the `T` live.
        let (_, dwork) = unsafe { Self::raw_parts(ptr) };
        // SAFETY: `dwork` was initialised by `new`. If this returns true it
        // took the work off its timer or queue, so the reference the pending
        // work owned (type invariant) is ours now.
        let was_pending = unsafe { bindings::cancel_delayed_work(dwork) };
        if was_pending {
            // SAFETY: that reference came from `into_raw` in `queue`.
            drop(unsafe { Arc::from_raw(ptr) });
        }
        Self::queue(this, delay);
        was_pending
    }

    /// Cancels the work and waits for a running callback to finish (C
    /// `cancel_delayed_work_sync`); sleeps.
    ///
    /// When it returns, the callback is not running and will not run again
    /// unless the work is queued anew; a callback that requeues itself
    /// while this runs is not requeued. Returns whether the work was pending.
    ///
    /// The caller must not hold a lock that the callback takes (that
    /// deadlocks, and lockdep reports it), and must not call it from the
    /// callback itself.
    pub fn cancel_sync(&self) -> bool {
        // SAFETY: `dwork` was initialised by `new` (type invariant).
        let was_pending = unsafe { bindings::cancel_delayed_work_sync(self.dwork.get()) };
        if was_pending {
            // SAFETY: only `queue`/`modify` make the work pending, with an
            // `Arc<T>` whose `T` contains `self`; so `self` is the field of a
            // `T` in an `Arc`.
            let t = unsafe { T::delayed_work_container_of(ptr::from_ref(self).cast_mut()) };
            // SAFETY: by the type invariant, the pending work owned an
            // `Arc::into_raw` reference, which the cancel handed to us. It is
            // not the last one: the caller's `&self` borrows the `T` through
            // another reference.
            drop(unsafe { Arc::from_raw(t) });
        }
        was_pending
    }
}

/// Declares that a type has a [`DelayedWork<T, ID>`] field; implement it with
/// [`impl_has_delayed_work!`].
///
/// # Safety
///
/// [`OFFSET`](Self::OFFSET) must be the offset of a field of type
/// [`DelayedWork<T, ID>`] in `Self`, and the methods must behave as the
/// default ones do.
pub unsafe trait HasDelayedWork<T, const ID: u64 = 0> {
    /// The offset of the [`DelayedWork<T, ID>`] field.
    const OFFSET: usize;

    /// Returns a pointer to the [`DelayedWork<T, ID>`] field.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a valid `Self`.
    #[inline]
    unsafe fn raw_get_delayed_work(ptr: *mut Self) -> *mut DelayedWork<T, ID>
    where
        Self: Sized,
    {
        // SAFETY: `ptr` is valid (caller), so the field at `OFFSET` is in it.
        unsafe { ptr.cast::<u8>().add(Self::OFFSET).cast() }
    }

    /// Returns a pointer to the struct that contains the field `ptr` points to.
    ///
    /// # Safety
    ///
    /// `ptr` must point to the [`DelayedWork<T, ID>`] field of a `Self`.
    #[inline]
    unsafe fn delayed_work_container_of(ptr: *mut DelayedWork<T, ID>) -> *mut Self
    where
        Self: Sized,
    {
        // SAFETY: the field is `OFFSET` bytes into the `Self` (caller).
        unsafe { ptr.cast::<u8>().sub(Self::OFFSET).cast() }
    }
}

/// Implements [`HasDelayedWork`] for a struct and one of its fields.
///
/// ```ignore
/// impl_has_delayed_work! {
///     impl HasDelayedWork<Self, 1> for Bond { self.mii_work }
///     impl HasDelayedWork<Self, 2> for Bond { self.arp_work }
/// }
/// ```
#[macro_export]
macro_rules! impl_has_delayed_work {
    ($(impl$({$($generics:tt)*})?
       HasDelayedWork<$work_type:ty $(, $id:tt)?>
       for $self:ty
       { self.$field:ident }
    )*) => {$(
        // SAFETY: `raw_get_delayed_work` only compiles if the field has the
        // right type, and `OFFSET` is that field's offset.
        unsafe impl$(<$($generics)+>)? $crate::net::delayed_work::HasDelayedWork<$work_type $(, $id)?>
            for $self
        {
            const OFFSET: usize = ::core::mem::offset_of!(Self, $field) as usize;

            #[inline]
            unsafe fn raw_get_delayed_work(
                ptr: *mut Self,
            ) -> *mut $crate::net::delayed_work::DelayedWork<$work_type $(, $id)?> {
                // SAFETY: the caller promises that `ptr` is valid.
                unsafe { ::core::ptr::addr_of_mut!((*ptr).$field) }
            }
        }
    )*};
}
pub use impl_has_delayed_work;
