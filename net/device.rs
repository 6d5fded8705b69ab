// SPDX-License-Identifier: GPL-2.0

//! Network devices (`struct net_device`): borrowed and counted references.
//!
//! C header: [`include/linux/netdevice.h`](srctree/include/linux/netdevice.h).
//!
//! A `&Device` is a borrowed reference, valid for as long as whoever lent it
//! keeps the device alive (a callback's argument, an RCU read section, an
//! RTNL section in which the device stays registered). An
//! [`ARef<Device>`](ARef) is a counted reference (`dev_hold`/`dev_put`) that
//! keeps the `struct net_device` allocated, though not registered.

use super::{bindings, Namespace, Rtnl};
use kernel::{
    error::{code::ENODEV, Result},
    str::CStr,
    types::{ARef, AlwaysRefCounted, Opaque},
};

/// The length of an Ethernet hardware address.
pub const ETH_ALEN: usize = bindings::ETH_ALEN as usize;

/// The maximum length of an interface name, including the terminating NUL.
pub const IFNAMSIZ: usize = bindings::IFNAMSIZ as usize;

/// A network device.
///
/// # Invariants
///
/// A `&Device` points to a `struct net_device` that is allocated (between
/// `alloc_netdev_mqs` and `free_netdev`) for the lifetime of the reference.
/// Nothing here assumes it is registered unless a method says so.
#[repr(transparent)]
pub struct Device(Opaque<bindings::net_device>);

// SAFETY: `struct net_device` is used from any thread; the layer only reads
// fields with the same (lack of) synchronisation C uses, and writes go
// through C functions that do their own locking.
unsafe impl Send for Device {}
// SAFETY: see `Send`.
unsafe impl Sync for Device {}

// SAFETY: `dev_hold` and `dev_put` keep the device allocated while the count
// is above zero, which is what `ARef` needs.
unsafe impl AlwaysRefCounted for Device {
    fn inc_ref(&self) {
        // SAFETY: by the type invariant, the device is allocated.
        unsafe { bindings::rust_bond_dev_hold(self.as_raw()) };
    }

    unsafe fn dec_ref(obj: core::ptr::NonNull<Self>) {
        // SAFETY: the caller owns one reference, which it gives up here.
        unsafe { bindings::rust_bond_dev_put(obj.as_ptr().cast()) };
    }
}

impl Device {
    /// Creates a borrowed reference from a raw pointer.
    ///
    /// # Safety
    ///
    /// `ptr` must point to an allocated `struct net_device` that stays
    /// allocated for `'a`.
    pub(crate) unsafe fn from_raw<'a>(ptr: *mut bindings::net_device) -> &'a Device {
        // SAFETY: `Device` is `repr(transparent)` over `Opaque<net_device>`
        // and the caller guarantees the lifetime.
        unsafe { &*ptr.cast() }
    }

    /// Returns the raw pointer for calls into C.
    pub(crate) fn as_raw(&self) -> *mut bindings::net_device {
        self.0.get()
    }

    /// Looks a device up by name in `ns` and returns a counted reference.
    pub fn get_by_name(ns: &Namespace, name: &CStr) -> Result<ARef<Device>> {
        // SAFETY: `ns` is live (type invariant) and `name` is NUL-terminated.
        let ptr = unsafe { bindings::dev_get_by_name(ns.as_raw(), name.as_char_ptr()) };
        let ptr = core::ptr::NonNull::new(ptr).ok_or(ENODEV)?;
        // SAFETY: `dev_get_by_name` took a reference for us, which the
        // `ARef` now owns.
        Ok(unsafe { ARef::from_raw(ptr.cast()) })
    }

    /// Looks a device up by interface index in `ns`.
    pub fn get_by_index(ns: &Namespace, ifindex: i32) -> Result<ARef<Device>> {
        // SAFETY: `ns` is live (type invariant).
        let ptr = unsafe { bindings::dev_get_by_index(ns.as_raw(), ifindex) };
        let ptr = core::ptr::NonNull::new(ptr).ok_or(ENODEV)?;
        // SAFETY: `dev_get_by_index` took a reference for us.
        Ok(unsafe { ARef::from_raw(ptr.cast()) })
    }

    /// Returns the interface name.
    ///
    /// Like C's `netdev_name()`, this reads the name without RTNL; a
    /// concurrent rename may show either name.
    pub fn name(&self) -> &CStr {
        // SAFETY: `name` is a NUL-terminated array inside the allocated
        // device (the core always keeps a NUL in its last byte).
        unsafe { CStr::from_char_ptr((*self.as_raw()).name.as_ptr()) }
    }

    /// Returns the interface index (0 before registration).
    pub fn ifindex(&self) -> i32 {
        // SAFETY: the device is allocated; an aligned int read.
        unsafe { core::ptr::addr_of!((*self.as_raw()).ifindex).read_volatile() }
    }

    /// Returns the MTU.
    pub fn mtu(&self) -> u32 {
        // SAFETY: the device is allocated; C reads it with `READ_ONCE`.
        unsafe { core::ptr::addr_of!((*self.as_raw()).mtu).read_volatile() }
    }

    /// Sets the MTU field; for `ndo_change_mtu` implementations, which the
    /// core calls after checking the range.
    pub fn set_mtu_field(&self, _rtnl: &Rtnl, mtu: u32) {
        // SAFETY: the device is allocated; writers hold RTNL (the token) and
        // lockless readers use `READ_ONCE`, as C's `WRITE_ONCE` pairs with.
        unsafe { core::ptr::addr_of_mut!((*self.as_raw()).mtu).write_volatile(mtu) };
    }

    /// Returns the interface flags (`IFF_*`, as `ip link` shows them).
    pub fn flags(&self) -> u32 {
        // SAFETY: the device is allocated; an aligned int read.
        unsafe { core::ptr::addr_of!((*self.as_raw()).flags).read_volatile() }
    }

    /// Returns whether the device is administratively up (`netif_running`).
    pub fn is_running(&self) -> bool {
        // SAFETY: the device is allocated.
        unsafe { bindings::rust_bond_netif_running(self.as_raw()) }
    }

    /// Returns whether the carrier is on.
    pub fn carrier_ok(&self) -> bool {
        // SAFETY: the device is allocated.
        unsafe { bindings::rust_bond_netif_carrier_ok(self.as_raw()) }
    }

    /// Turns the carrier on (link up), which generates a linkwatch event.
    pub fn carrier_on(&self) {
        // SAFETY: the device is allocated; the function is callable from
        // any context.
        unsafe { bindings::netif_carrier_on(self.as_raw()) };
    }

    /// Turns the carrier off (link down).
    pub fn carrier_off(&self) {
        // SAFETY: as for `carrier_on`.
        unsafe { bindings::netif_carrier_off(self.as_raw()) };
    }

    /// Returns the hardware address.
    pub fn dev_addr(&self) -> [u8; ETH_ALEN] {
        let mut addr = [0u8; ETH_ALEN];
        // SAFETY: `dev_addr` points to at least `addr_len` bytes; the layer
        // only creates Ethernet devices, and `ETH_ALEN` is the minimum size
        // of the address buffer (`dev_addr_shadow` is `MAX_ADDR_LEN`).
        unsafe {
            core::ptr::copy_nonoverlapping((*self.as_raw()).dev_addr, addr.as_mut_ptr(), ETH_ALEN)
        };
        addr
    }

    /// Sets the hardware address (`eth_hw_addr_set`) and tells listeners.
    ///
    /// For `ndo_set_mac_address` implementations: the core calls them with
    /// RTNL held after `ndo_validate_addr`-style checks of its own.
    pub fn set_dev_addr(&self, _rtnl: &Rtnl, addr: &[u8; ETH_ALEN]) {
        // SAFETY: the device is allocated, RTNL is held (token), and `addr`
        // is `ETH_ALEN` bytes long.
        unsafe { bindings::rust_bond_eth_hw_addr_set(self.as_raw(), addr.as_ptr()) };
    }

    /// Gives the device a random hardware address (`eth_hw_addr_random`).
    pub fn set_random_addr(&self, _rtnl: &Rtnl) {
        // SAFETY: the device is allocated and RTNL, which serialises the
        // address list, is held (token).
        unsafe { bindings::rust_bond_eth_hw_addr_random(self.as_raw()) };
    }

    /// Returns the namespace the device lives in, for as long as RTNL is
    /// held (a device changes namespace only under RTNL, and a device keeps
    /// the namespace it is in alive).
    pub fn namespace<'a>(&self, _rtnl: &'a Rtnl) -> &'a Namespace {
        // SAFETY: see above; the device is allocated during this call, and
        // the namespace stays alive and current while the token lives.
        unsafe { Namespace::from_raw(bindings::rust_bond_dev_net(self.as_raw())) }
    }

    /// Links this device under `master` as its master upper device
    /// (`netdev_master_upper_dev_link`): what `ip link show` reports as
    /// "master", and what makes `ip link set DEV nomaster` call the master's
    /// `del_slave`. Fails with `EBUSY` if the device has a master already.
    pub fn link_master(&self, _rtnl: &Rtnl, master: &Device) -> Result {
        // SAFETY: both devices are allocated and RTNL is held (token); no
        // private or info data is passed.
        kernel::error::to_result(unsafe {
            bindings::netdev_master_upper_dev_link(
                self.as_raw(),
                master.as_raw(),
                core::ptr::null_mut(),
                core::ptr::null_mut(),
                core::ptr::null_mut(),
            )
        })
    }

    /// Undoes [`Device::link_master`] (`netdev_upper_dev_unlink`).
    pub fn unlink_master(&self, _rtnl: &Rtnl, master: &Device) {
        // SAFETY: both devices are allocated and RTNL is held (token); the
        // core warns (and does nothing) if they are not linked.
        unsafe { bindings::netdev_upper_dev_unlink(self.as_raw(), master.as_raw()) };
    }

    /// Returns the master upper device (`netdev_master_upper_dev_get`).
    pub fn master<'a>(&self, _rtnl: &'a Rtnl) -> Option<&'a Device> {
        // SAFETY: RTNL is held (token), which keeps the upper device linked
        // and allocated while the token is borrowed.
        let up = unsafe { bindings::netdev_master_upper_dev_get(self.as_raw()) };
        // SAFETY: as above.
        (!up.is_null()).then(|| unsafe { Device::from_raw(up) })
    }
}
