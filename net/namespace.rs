// SPDX-License-Identifier: GPL-2.0

//! Network namespaces (`struct net`).
//!
//! C header: [`include/net/net_namespace.h`](srctree/include/net/net_namespace.h).

use super::bindings;
use kernel::types::Opaque;

/// A network namespace.
///
/// # Invariants
///
/// A `&Namespace` always points to a live `struct net`: either `init_net`,
/// which is never freed, or one that the code handing out the reference
/// keeps alive (a device's namespace while the device is registered in it,
/// or the namespace being set up or torn down in a pernet callback).
#[repr(transparent)]
pub struct Namespace(Opaque<bindings::net>);

// SAFETY: `struct net` is used from any thread; its fields are protected by
// the kernel's own locking and the layer exposes no unsynchronised writes.
unsafe impl Send for Namespace {}
// SAFETY: see `Send`; shared references only give read access.
unsafe impl Sync for Namespace {}

impl Namespace {
    /// Returns the initial network namespace.
    pub fn init() -> &'static Namespace {
        // SAFETY: `init_net` is a static that lives as long as the kernel;
        // taking its address does not access it.
        unsafe { Self::from_raw(core::ptr::addr_of_mut!(bindings::init_net)) }
    }

    /// Creates a reference from a raw pointer.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a live `struct net` that stays alive for `'a`.
    pub(crate) unsafe fn from_raw<'a>(ptr: *mut bindings::net) -> &'a Namespace {
        // SAFETY: `Namespace` is `repr(transparent)` over `Opaque<net>`, and
        // the caller guarantees the pointee is live for `'a`.
        unsafe { &*ptr.cast() }
    }

    /// Returns the raw pointer for calls into C.
    pub(crate) fn as_raw(&self) -> *mut bindings::net {
        self.0.get()
    }

    /// Returns whether this is the initial namespace.
    pub fn is_init(&self) -> bool {
        core::ptr::eq(self, Self::init())
    }

    /// Whether the current task has `CAP_NET_ADMIN` in the user namespace
    /// that owns this network namespace (`ns_capable(net->user_ns,
    /// CAP_NET_ADMIN)`), as the core checks for configuration requests.
    pub fn current_can_admin(&self) -> bool {
        // SAFETY: the namespace is live (type invariant) and `user_ns` is
        // set when it is created and never changes; `ns_capable` only
        // reads it.
        unsafe { bindings::ns_capable((*self.as_raw()).user_ns, bindings::CAP_NET_ADMIN as i32) }
    }
}
