// SPDX-License-Identifier: GPL-2.0

//! Per-network-namespace data (`struct pernet_operations`).
//!
//! C header: [`include/net/net_namespace.h`](srctree/include/net/net_namespace.h)
//! and [`include/net/netns/generic.h`](srctree/include/net/netns/generic.h).
//!
//! A driver that keeps something per namespace (bonding: the list of bonds,
//! `/sys/class/net/bonding_masters` and `/proc/net/bonding`) implements
//! [`PernetData`] for a type `T` and creates a [`Registration<T>`] in its
//! module init. The core then gives every namespace, existing ones included,
//! a zeroed block of `size_of::<T>()` bytes (`register_pernet_subsys` with
//! `id` and `size`), and the layer initialises a `T` in it in place with
//! [`PernetData::init`]; when a namespace goes away, or when the
//! registration is dropped, the `T` is dropped in place and the core frees
//! the block.
//!
//! ```ignore
//! struct MyNet { files: ClassFile<Counter> }
//! static MY_NET_ID: PernetId = PernetId::new();
//! impl PernetData for MyNet {
//!     fn id() -> &'static PernetId { &MY_NET_ID }
//!     fn init(ns: &Namespace) -> impl PinInit<Self, Error> {
//!         try_pin_init!(MyNet { files <- ClassFile::new(ns, c_str!("my_file"), Mode::RW, Counter::new()) })
//!     }
//! }
//! let reg = KBox::pin_init(Registration::<MyNet>::new(), GFP_KERNEL)?;
//! let mine: Option<&MyNet> = reg.get(dev.namespace(&rtnl));
//! ```

use super::{bindings, Namespace, Rtnl};
use core::{
    marker::PhantomData,
    sync::atomic::{AtomicBool, AtomicU32, Ordering},
};
use kernel::{
    error::{code::EBUSY, to_result},
    init::PinInit,
    prelude::*,
    types::Opaque,
};

/// Where the core keeps the id of a [`Registration`]'s per-namespace slot.
///
/// The core's callbacks do not say which registration they belong to, so,
/// as in C (`static unsigned int bond_net_id`), each data type names a
/// static id: `static ID: PernetId = PernetId::new();` and
/// `fn id() -> &'static PernetId { &ID }` in its [`PernetData`] impl.
///
/// # Invariants
///
/// `busy` is true while a [`Registration`] uses this id; `id` then holds the
/// slot number the core assigned at registration.
pub struct PernetId {
    id: AtomicU32,
    busy: AtomicBool,
}

impl PernetId {
    /// Creates an unused id, for a `static`.
    pub const fn new() -> Self {
        // INVARIANT: not in use.
        Self {
            id: AtomicU32::new(0),
            busy: AtomicBool::new(false),
        }
    }

    fn get(&self) -> kernel::ffi::c_uint {
        // The core writes the id under its `pernet_ops_rwsem` before any
        // callback runs or `register_pernet_subsys` returns, so readers see
        // it.
        self.id.load(Ordering::Relaxed)
    }
}

impl Default for PernetId {
    fn default() -> Self {
        Self::new()
    }
}

/// Data a driver keeps for each network namespace.
///
/// The data is pinned: it lives in the core's per-namespace storage from
/// [`PernetData::init`] until it is dropped in place when the namespace (or
/// the registration) goes away. `Drop` (or `PinnedDrop`) is the exit
/// callback; it runs in process context and may sleep. It runs after the
/// namespace's devices are gone (subsys exits run after device exits).
pub trait PernetData: Send + Sync + Sized + 'static {
    /// Returns the static id slot of this type (see [`PernetId`]).
    fn id() -> &'static PernetId;

    /// Returns the initialiser of the data for the namespace `ns`.
    ///
    /// Called for every namespace that exists when the registration is
    /// made (`init_net` first) and for each namespace created later, before
    /// anything else can see that namespace. An error fails the
    /// registration or the namespace's creation.
    fn init(ns: &Namespace) -> impl PinInit<Self, Error>;

    /// Called first when the namespace goes away (`pre_exit`), before any
    /// of its devices is unregistered, and first when the registration is
    /// dropped or [unregistered](Registration::unregister). Remove here
    /// what lets users add devices to the namespace (a file that creates
    /// them): a namespace that is going away must not gain any. May sleep.
    /// The default does nothing.
    fn pre_exit(&self) {}

    /// Called under RTNL after [`PernetData::pre_exit`] and before the
    /// data is dropped (`exit_rtnl`): queue onto `kill` the devices of the
    /// namespace that would outlive the data otherwise, such as devices a
    /// file made after the driver's link kind was unregistered. The core
    /// unregisters the queued devices together when every driver's
    /// `exit_rtnl` has run. The default does nothing.
    fn exit_rtnl(&self, rtnl: &Rtnl, kill: &mut KillList<'_>) {
        let _ = (rtnl, kill);
    }
}

/// The devices a namespace's exit unregisters together, after every
/// driver's [`PernetData::exit_rtnl`] (`dev_kill_list`); one
/// `unregister_netdevice_many` for all of them, as C batches them.
///
/// # Invariants
///
/// `head` is the core's `dev_kill_list` of the running `exit_rtnl` pass,
/// which the core hands to `unregister_netdevice_many` before it releases
/// RTNL; the list lives for `'a`.
pub struct KillList<'a> {
    head: *mut bindings::list_head,
    _p: PhantomData<&'a mut bindings::list_head>,
}

impl KillList<'_> {
    /// Returns the core's list, for [`DriverDevice::queue_unregister`](super::DriverDevice::queue_unregister).
    pub(crate) fn as_raw(&mut self) -> *mut bindings::list_head {
        self.head
    }
}

/// A registration of per-namespace data of type `T`.
///
/// # Invariants
///
/// `ops` is registered with `register_pernet_subsys` from the end of
/// [`Registration::new`]'s initialiser until `Drop`, with `ops.id` pointing
/// to `T::id().id` (which this registration owns: `busy` is set) and
/// `ops.size` the size of `T`, as long as `registered` is set. So every
/// namespace visible while the registration is registered has an
/// initialised `T` at `net_generic(net, T::id())`.
#[pin_data(PinnedDrop)]
pub struct Registration<T: PernetData> {
    #[pin]
    ops: Opaque<bindings::pernet_operations>,
    /// Cleared by the first [`Registration::unregister`].
    registered: AtomicBool,
    /// Cleared once that unregistration has dropped the data; [`get`]
    /// serves it until then, to the users `pre_exit` and `exit_rtnl` are
    /// still removing.
    ///
    /// [`get`]: Registration::get
    data_live: AtomicBool,
    _p: PhantomData<T>,
}

// SAFETY: the registration only holds C data that the core uses from any
// thread; `get` hands out `&T`, which needs `T: Sync`, and `T` values are
// dropped from the core's cleanup thread, which needs `T: Send`; both are
// bounds of `PernetData`.
unsafe impl<T: PernetData> Send for Registration<T> {}
// SAFETY: see `Send`.
unsafe impl<T: PernetData> Sync for Registration<T> {}

impl<T: PernetData> Registration<T> {
    /// Registers the per-namespace data type `T` and runs
    /// [`PernetData::init`] for every existing namespace.
    ///
    /// Pin it in place (e.g. `KBox::pin_init(Registration::new(), GFP_KERNEL)`)
    /// and keep it in the module state; dropping it drops every `T`. Fails
    /// with `EBUSY` if `T` is already registered.
    pub fn new() -> impl PinInit<Self, Error> {
        // The core allocates the data with `kzalloc(size)`, which aligns it
        // to at least `ARCH_KMALLOC_MINALIGN` (8 on every 64-bit arch).
        const { assert!(core::mem::align_of::<T>() <= 8) };
        // SAFETY: on success the closure initialised every field and
        // registered `ops`, which stays valid because the slot is pinned; on
        // failure nothing was registered, `busy` was reset, and nothing needs
        // dropping (the fields are plain C data and a ZST).
        unsafe {
            kernel::init::pin_init_from_closure(move |slot: *mut Self| {
                let id = T::id();
                if id.busy.swap(true, Ordering::Acquire) {
                    return Err(EBUSY);
                }
                let ops = bindings::pernet_operations {
                    init: Some(init_callback::<T>),
                    pre_exit: Some(pre_exit_callback::<T>),
                    exit_rtnl: Some(exit_rtnl_callback::<T>),
                    exit: Some(exit_callback::<T>),
                    id: id.id.as_ptr(),
                    size: core::mem::size_of::<T>(),
                    ..Default::default()
                };
                let ops_ptr = Opaque::raw_get(core::ptr::addr_of!((*slot).ops));
                ops_ptr.write(ops);
                core::ptr::addr_of_mut!((*slot).registered).write(AtomicBool::new(true));
                core::ptr::addr_of_mut!((*slot).data_live).write(AtomicBool::new(true));
                // INVARIANT: `ops` is registered here, with `id` and `size`
                // as the invariant says.
                let ret = to_result(bindings::register_pernet_subsys(ops_ptr));
                if ret.is_err() {
                    id.busy.store(false, Ordering::Release);
                }
                ret
            })
        }
    }

    /// Returns the data of the namespace `ns`, or `None` once the
    /// registration is [unregistered](Registration::unregister).
    pub fn get<'a>(&'a self, ns: &'a Namespace) -> Option<&'a T> {
        if !self.data_live.load(Ordering::Acquire) {
            return None;
        }
        // SAFETY: `ns` is live (type invariant of `Namespace`).
        let ptr = unsafe { bindings::rust_net_net_generic(ns.as_raw(), T::id().get()) };
        // SAFETY: by the type invariant, a namespace visible while the
        // registration is registered holds an initialised `T` at this
        // address; it stays there until the namespace's exit or the
        // registration's `unregister`, each of which first removes every
        // user of the data (the namespace's devices and files, through
        // `pre_exit` and `exit_rtnl`): the callers of `get`.
        Some(unsafe { &*ptr.cast::<T>() })
    }

    /// Unregisters now rather than when the registration is dropped:
    /// [`PernetData::pre_exit`], then [`PernetData::exit_rtnl`], then the
    /// drop of every namespace's `T`, as when the namespaces go away. For
    /// module exits that must tear the data down while what its users
    /// reach it through still exists. Later calls do nothing (and do not
    /// wait for the first: call it from one place, such as module exit).
    pub fn unregister(&self) {
        if self.registered.swap(false, Ordering::AcqRel) {
            // SAFETY: `ops` was registered (type invariant, and the flag
            // says not yet unregistered); this runs the exit callbacks for
            // every namespace and waits for running callbacks.
            unsafe { bindings::unregister_pernet_subsys(self.ops.get()) };
            self.data_live.store(false, Ordering::Release);
            T::id().busy.store(false, Ordering::Release);
        }
    }
}

#[pinned_drop]
impl<T: PernetData> PinnedDrop for Registration<T> {
    fn drop(self: Pin<&mut Self>) {
        self.unregister();
    }
}

/// The `init` callback: initialises `T` in the namespace's block.
///
/// # Safety
///
/// Called by the core only, for the `pernet_operations` of a
/// `Registration<T>`, with a live `net`.
unsafe extern "C" fn init_callback<T: PernetData>(net: *mut bindings::net) -> kernel::ffi::c_int {
    // SAFETY: the core calls `init` with a live namespace, which stays live
    // during the call.
    let ns = unsafe { Namespace::from_raw(net) };
    // SAFETY: `T::id()` is this registration's id (only one registration
    // per `T`); `ops_init` allocated the zeroed block and stored it in
    // `net->gen` before calling `init`.
    let slot = unsafe { bindings::rust_net_net_generic(net, T::id().get()) }.cast::<T>();
    // SAFETY: `slot` is valid for writes of `size_of::<T>()` bytes, aligned
    // (checked in `new`), and does not move until the core frees it after
    // the exit callback, which drops the `T` first: pinning holds.
    match unsafe { T::init(ns).__pinned_init(slot) } {
        Ok(()) => 0,
        Err(e) => e.to_errno(),
    }
}

/// The data of `net` in a callback that runs after a successful init.
///
/// # Safety
///
/// `init_callback::<T>` initialised `net`'s data, and the exit callback has
/// not dropped it yet.
unsafe fn data<'a, T: PernetData>(net: *mut bindings::net) -> &'a T {
    // SAFETY: as the caller guarantees, an initialised `T` is at this
    // address until the exit callback, which runs after the callers.
    unsafe { &*bindings::rust_net_net_generic(net, T::id().get()).cast::<T>() }
}

/// The `pre_exit` callback.
///
/// # Safety
///
/// Called by the core only, after a successful `init_callback::<T>` for the
/// same namespace and before its exit callback.
unsafe extern "C" fn pre_exit_callback<T: PernetData>(net: *mut bindings::net) {
    // SAFETY: the core calls `pre_exit` between `init` and `exit`.
    unsafe { data::<T>(net) }.pre_exit();
}

/// The `exit_rtnl` callback.
///
/// # Safety
///
/// Called by the core only, under RTNL, after `pre_exit` and before `exit`,
/// with its `dev_kill_list`.
unsafe extern "C" fn exit_rtnl_callback<T: PernetData>(
    net: *mut bindings::net,
    dev_kill_list: *mut bindings::list_head,
) {
    // SAFETY: the core holds RTNL around every `exit_rtnl` callback.
    let rtnl = unsafe { Rtnl::assume_locked() };
    // INVARIANT: the core's list of this pass, unregistered before RTNL
    // is released, after this callback returns.
    let mut kill = KillList {
        head: dev_kill_list,
        _p: PhantomData,
    };
    // SAFETY: the core calls `exit_rtnl` between `init` and `exit`.
    unsafe { data::<T>(net) }.exit_rtnl(&rtnl, &mut kill);
}

/// The `exit` callback: drops `T` in place.
///
/// # Safety
///
/// Called by the core only, after a successful `init_callback::<T>` for the
/// same namespace.
unsafe extern "C" fn exit_callback<T: PernetData>(net: *mut bindings::net) {
    // SAFETY: `init_callback` initialised a `T` at this address, and the
    // core calls `exit` exactly once after a successful `init`; the core
    // frees the memory afterwards without touching it.
    unsafe {
        core::ptr::drop_in_place(bindings::rust_net_net_generic(net, T::id().get()).cast::<T>())
    };
}
