// SPDX-License-Identifier: GPL-2.0

//! A device as its driver's `setup` callback sees it, and device types for
//! uevents.

use super::super::bindings;
use kernel::{str::CStr, types::Opaque};

/// A device's fields as a driver's `setup` callback may set them, before
/// the device is registered and before its private data exists.
///
/// # Invariants
///
/// Points to a device that is allocated and not yet registered; the setup
/// callback has exclusive access to it.
pub struct SetupDevice<'a>(pub(super) &'a mut bindings::net_device);

impl SetupDevice<'_> {
    /// Sets Ethernet defaults (`ether_setup`).
    pub fn ether_setup(&mut self) {
        // SAFETY: the device is allocated and exclusively ours (invariant).
        unsafe { bindings::ether_setup(&mut *self.0) };
    }

    /// Adds interface flags (`dev->flags |= ...`).
    pub fn add_flags(&mut self, f: u32) {
        self.0.flags |= f;
    }

    /// Removes interface flags.
    pub fn remove_flags(&mut self, f: u32) {
        self.0.flags &= !f;
    }

    /// Adds private flags (`dev->priv_flags |= ...`).
    pub fn add_priv_flags(&mut self, f: u64) {
        // SAFETY: `priv_flags_fast` is the active view of the union (it is
        // how C accesses it; the other member is a cacheline marker).
        let fast = unsafe { &mut self.0.__bindgen_anon_1.priv_flags_fast };
        // `priv_flags` is a 32-bit bitfield (`netdevice.h`) that bindgen
        // accesses as an `unsigned long`; every `IFF_*` flag fits.
        let v = fast.priv_flags() as u64 | f;
        fast.set_priv_flags(v as _);
    }

    /// Declares that the driver does its own transmit locking
    /// (`dev->lltx`), so the core does not take the queue lock.
    pub fn set_lltx(&mut self) {
        // SAFETY: as in `add_priv_flags`.
        unsafe { self.0.__bindgen_anon_1.priv_flags_fast.set_lltx(1) };
    }

    /// Adds to `features`, `hw_features` and `hw_enc_features`.
    pub fn add_features(&mut self, features: u64, hw: u64, hw_enc: u64) {
        self.0.features |= features;
        self.0.hw_features |= hw;
        self.0.hw_enc_features |= hw_enc;
    }

    /// Sets the MTU range the core enforces; `0, 0` means no limit.
    pub fn set_mtu_range(&mut self, min: u32, max: u32) {
        self.0.min_mtu = min;
        self.0.max_mtu = max;
    }

    /// Gives the device a random MAC address (`eth_hw_addr_random`).
    pub fn random_addr(&mut self) {
        // SAFETY: the device is allocated and exclusively ours.
        unsafe { bindings::rust_net_eth_hw_addr_random(&mut *self.0) };
    }

    /// Makes the core allocate per-CPU packet/byte counters for
    /// [`Device::lstats_add`] (`NETDEV_PCPU_STAT_LSTATS`).
    pub fn use_pcpu_lstats(&mut self) {
        self.0
            .set_pcpu_stat_type(bindings::netdev_stat_type_NETDEV_PCPU_STAT_LSTATS);
    }

    /// Removes private flags (`dev->priv_flags &= ~...`).
    pub fn remove_priv_flags(&mut self, f: u64) {
        // SAFETY: as in `add_priv_flags`.
        let fast = unsafe { &mut self.0.__bindgen_anon_1.priv_flags_fast };
        let v = fast.priv_flags() as u64 & !f;
        fast.set_priv_flags(v as _);
    }

    /// Forbids moving the device to another network namespace
    /// (`dev->netns_immutable`).
    pub fn set_netns_immutable(&mut self) {
        self.0.set_netns_immutable(1);
    }

    /// Sets the device type user space sees as `DEVTYPE` in uevents
    /// (`SET_NETDEV_DEVTYPE`).
    pub fn set_devtype(&mut self, devtype: &'static DeviceType) {
        self.0.dev.type_ = devtype.0.get();
    }

    /// Sets the transmit queue length (`tx_queue_len`).
    pub fn set_tx_queue_len(&mut self, len: u32) {
        self.0.tx_queue_len = len;
    }
}

/// A device type name for uevents (`struct device_type`), for a `static`.
///
/// # Invariants
///
/// Holds a `device_type` with a static name and no callbacks; the core only
/// reads it.
pub struct DeviceType(Opaque<bindings::device_type>);

// SAFETY: the core only reads the struct (invariant), from any thread.
unsafe impl Sync for DeviceType {}

impl DeviceType {
    /// A device type named `name`.
    pub const fn new(name: &'static CStr) -> Self {
        // SAFETY: all-zero is a valid `device_type` (no groups, no callbacks).
        let mut t: bindings::device_type =
            unsafe { core::mem::MaybeUninit::zeroed().assume_init() };
        t.name = name.as_char_ptr();
        Self(Opaque::new(t))
    }
}
