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
    error::{
        code::{EINVAL, ENODEV},
        to_result, Result,
    },
    str::CStr,
    types::{ARef, AlwaysRefCounted, Opaque},
};

/// The length of an Ethernet hardware address.
pub const ETH_ALEN: usize = bindings::ETH_ALEN as usize;

/// `MAX_ADDR_LEN`: the longest hardware address.
pub const MAX_ADDR_LEN: usize = bindings::MAX_ADDR_LEN as usize;

/// A hardware address of its device's `addr_len` bytes, which need not be
/// Ethernet's 6 (C keeps such addresses in `MAX_ADDR_LEN` arrays and
/// copies `addr_len` bytes).
///
/// # Invariants
///
/// `len <= MAX_ADDR_LEN`, and the bytes past `len` are zero.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct HwAddr {
    bytes: [u8; MAX_ADDR_LEN],
    len: u8,
}

impl HwAddr {
    /// The address's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..usize::from(self.len)).unwrap_or(&[])
    }

    /// The first `n` bytes of the `MAX_ADDR_LEN` array C keeps (zeros past
    /// the address), for output that uses the device's current
    /// `addr_len`, as `%*phC` of `slave->perm_hwaddr` does.
    pub fn first(&self, n: usize) -> &[u8] {
        &self.bytes[..n.min(MAX_ADDR_LEN)]
    }

    /// The first [`ETH_ALEN`] bytes, as C's Ethernet helpers read them.
    pub fn ether(&self) -> [u8; ETH_ALEN] {
        let mut a = [0; ETH_ALEN];
        a.copy_from_slice(&self.bytes[..ETH_ALEN]);
        a
    }
}

impl From<[u8; ETH_ALEN]> for HwAddr {
    fn from(ether: [u8; ETH_ALEN]) -> Self {
        let mut bytes = [0; MAX_ADDR_LEN];
        bytes[..ETH_ALEN].copy_from_slice(&ether);
        // INVARIANT: 6 bytes, the rest zero.
        HwAddr {
            bytes,
            len: ETH_ALEN as u8,
        }
    }
}

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
        unsafe { bindings::rust_net_dev_hold(self.as_raw()) };
    }

    unsafe fn dec_ref(obj: core::ptr::NonNull<Self>) {
        // SAFETY: the caller owns one reference, which it gives up here.
        unsafe { bindings::rust_net_dev_put(obj.as_ptr().cast()) };
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
        unsafe { bindings::rust_net_netif_running(self.as_raw()) }
    }

    /// Returns whether the carrier is on.
    pub fn carrier_ok(&self) -> bool {
        // SAFETY: the device is allocated.
        unsafe { bindings::rust_net_netif_carrier_ok(self.as_raw()) }
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

    /// Returns the whole hardware address: its `addr_len` bytes (4 for
    /// GRE, 16 for ip6gre, 20 for InfiniBand, none for nlmon).
    pub fn hw_addr(&self) -> HwAddr {
        let len = usize::from(self.addr_len()).min(MAX_ADDR_LEN);
        let mut a = HwAddr {
            bytes: [0; MAX_ADDR_LEN],
            len: len as u8,
        };
        // SAFETY: `dev_addr` points to a buffer of `MAX_ADDR_LEN` bytes
        // (`dev_addr_init`: a `netdev_hw_addr`'s `addr`), of which `len`
        // are read.
        unsafe {
            core::ptr::copy_nonoverlapping((*self.as_raw()).dev_addr, a.bytes.as_mut_ptr(), len)
        };
        a
    }

    /// Returns the first [`ETH_ALEN`] bytes of the hardware address, as
    /// C's Ethernet helpers (`ether_addr_equal_64bits`, `%pM`) read it
    /// whatever the device's `addr_len`.
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
        unsafe { bindings::rust_net_eth_hw_addr_set(self.as_raw(), addr.as_ptr()) };
    }

    /// Gives the device a random hardware address (`eth_hw_addr_random`).
    pub fn set_random_addr(&self, _rtnl: &Rtnl) {
        // SAFETY: the device is allocated and RTNL, which serialises the
        // address list, is held (token).
        unsafe { bindings::rust_net_eth_hw_addr_random(self.as_raw()) };
    }

    /// Returns the namespace the device lives in, for as long as RTNL is
    /// held (a device changes namespace only under RTNL, and a device keeps
    /// the namespace it is in alive).
    pub fn namespace<'a>(&self, _rtnl: &'a Rtnl) -> &'a Namespace {
        // SAFETY: see above; the device is allocated during this call, and
        // the namespace stays alive and current while the token lives.
        unsafe { Namespace::from_raw(bindings::rust_net_dev_net(self.as_raw())) }
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
    /// Returns the hardware type (`dev->type`, `ARPHRD_*`).
    pub fn dev_type(&self) -> u16 {
        // SAFETY: the device is allocated; an aligned read of a field that
        // changes only under RTNL.
        unsafe { core::ptr::addr_of!((*self.as_raw()).type_).read_volatile() }
    }

    /// Returns the length of the hardware address (`dev->addr_len`).
    pub fn addr_len(&self) -> u8 {
        // SAFETY: as for `dev_type`.
        unsafe { core::ptr::addr_of!((*self.as_raw()).addr_len).read_volatile() }
    }

    /// Returns the permanent (factory) hardware address (`dev->perm_addr`),
    /// its first [`ETH_ALEN`] bytes.
    pub fn perm_addr(&self) -> [u8; ETH_ALEN] {
        let mut addr = [0u8; ETH_ALEN];
        // SAFETY: `perm_addr` is an array of `MAX_ADDR_LEN` (32) bytes in
        // the allocated device.
        unsafe {
            core::ptr::copy_nonoverlapping(
                (*self.as_raw()).perm_addr.as_ptr(),
                addr.as_mut_ptr(),
                ETH_ALEN,
            )
        };
        addr
    }

    /// Returns the private flags (`dev->priv_flags`, `IFF_*` of
    /// `netdev_priv_flags`).
    pub fn priv_flags(&self) -> u64 {
        // SAFETY: as for `dev_type`.
        unsafe { bindings::rust_net_dev_priv_flags(self.as_raw()) }
    }

    /// Returns whether the device is up (`IFF_UP`).
    pub fn is_up(&self) -> bool {
        // SAFETY: the device is allocated.
        unsafe { bindings::rust_net_netif_is_up(self.as_raw()) != 0 }
    }

    /// Sets and clears bits of `dev->flags` directly, without the side
    /// effects of `dev_change_flags`; for flags such as `IFF_MASTER` and
    /// `IFF_SLAVE` that only describe the device.
    pub fn update_flags(&self, _rtnl: &Rtnl, set: u32, clear: u32) {
        // SAFETY: the device is allocated; `flags` is written under RTNL
        // (token), as C does.
        unsafe { bindings::rust_net_dev_set_flags_bits(self.as_raw(), set, clear) };
    }

    /// Sets and clears bits of `dev->priv_flags` (e.g. `IFF_NO_ADDRCONF`).
    pub fn update_priv_flags(&self, _rtnl: &Rtnl, set: u64, clear: u64) {
        // SAFETY: as for `update_flags`.
        unsafe { bindings::rust_net_dev_set_priv_flags_bits(self.as_raw(), set, clear) };
    }

    /// Brings the device up (`dev_open`).
    pub fn open(&self, _rtnl: &Rtnl) -> Result {
        // SAFETY: the device is allocated and RTNL is held (token).
        to_result(unsafe { bindings::dev_open(self.as_raw(), core::ptr::null_mut()) })
    }

    /// Brings the device down (`dev_close`).
    pub fn close(&self, _rtnl: &Rtnl) {
        // SAFETY: the device is allocated and RTNL is held (token).
        unsafe { bindings::dev_close(self.as_raw()) };
    }

    /// Changes the MTU through the device's driver (`dev_set_mtu`).
    pub fn set_mtu(&self, _rtnl: &Rtnl, mtu: u32) -> Result {
        let mtu = i32::try_from(mtu).map_err(|_| EINVAL)?;
        // SAFETY: the device is allocated and RTNL is held (token).
        to_result(unsafe { bindings::dev_set_mtu(self.as_raw(), mtu) })
    }

    /// Returns whether the driver can change the hardware address
    /// (`ndo_set_mac_address` exists).
    pub fn can_set_mac_address(&self) -> bool {
        // SAFETY: the device is allocated; `netdev_ops` is constant.
        unsafe { bindings::rust_net_dev_has_set_mac_address(self.as_raw()) }
    }

    /// Changes the hardware address through the device's driver
    /// (`dev_set_mac_address`), with an address of `addr_len` bytes taken
    /// from `addr` (which must be at least that long).
    pub fn set_mac_address(&self, _rtnl: &Rtnl, addr: &[u8]) -> Result {
        if addr.len() < usize::from(self.addr_len()) || usize::from(self.addr_len()) > 16 {
            return Err(EINVAL);
        }
        // SAFETY: the device is allocated, RTNL is held (token), and `addr`
        // holds at least `addr_len` bytes, which the helper copies into a
        // `sockaddr_storage`.
        to_result(unsafe { bindings::rust_net_dev_set_mac(self.as_raw(), addr.as_ptr()) })
    }

    /// Adds `inc` (positive or negative) to the promiscuity count
    /// (`dev_set_promiscuity`).
    pub fn set_promiscuity(&self, _rtnl: &Rtnl, inc: i32) -> Result {
        // SAFETY: the device is allocated and RTNL is held (token).
        to_result(unsafe { bindings::dev_set_promiscuity(self.as_raw(), inc) })
    }

    /// Adds `inc` to the all-multicast count (`dev_set_allmulti`).
    pub fn set_allmulti(&self, _rtnl: &Rtnl, inc: i32) -> Result {
        // SAFETY: the device is allocated and RTNL is held (token).
        to_result(unsafe { bindings::dev_set_allmulti(self.as_raw(), inc) })
    }

    /// Copies `upper`'s unicast and multicast address lists to this device
    /// (`dev_mc_sync_multiple` and `dev_uc_sync_multiple` under `upper`'s
    /// address lock), as a master does for a lower device.
    pub fn sync_addr_lists_from(&self, _rtnl: &Rtnl, upper: &Device) {
        // SAFETY: both devices are allocated; the address lock of `upper`
        // is taken around the calls, as their C contract requires.
        unsafe {
            bindings::rust_net_netif_addr_lock_bh(upper.as_raw());
            bindings::dev_mc_sync_multiple(self.as_raw(), upper.as_raw());
            bindings::dev_uc_sync_multiple(self.as_raw(), upper.as_raw());
            bindings::rust_net_netif_addr_unlock_bh(upper.as_raw());
        }
    }

    /// Like [`Device::sync_addr_lists_from`], from `ndo_set_rx_mode` of
    /// `upper`, which already holds `upper`'s address lock.
    pub fn sync_addr_lists_from_locked(&self, upper: &Device) {
        // SAFETY: both devices are allocated; the caller runs in `upper`'s
        // `ndo_set_rx_mode`, under its address lock.
        unsafe {
            bindings::dev_mc_sync_multiple(self.as_raw(), upper.as_raw());
            bindings::dev_uc_sync_multiple(self.as_raw(), upper.as_raw());
        }
    }

    /// Removes from this device the addresses synced from `upper`
    /// (`dev_uc_unsync` and `dev_mc_unsync`, which take both address locks
    /// themselves).
    pub fn unsync_addr_lists_from(&self, _rtnl: &Rtnl, upper: &Device) {
        // SAFETY: both devices are allocated; the calls take the locks they
        // need (the caller must not hold `upper`'s address lock).
        unsafe {
            bindings::dev_uc_unsync(self.as_raw(), upper.as_raw());
            bindings::dev_mc_unsync(self.as_raw(), upper.as_raw());
        }
    }

    /// Adds the VLAN ids of `upper` to this device's filter
    /// (`vlan_vids_add_by_dev`).
    pub fn add_vlan_ids_of(&self, _rtnl: &Rtnl, upper: &Device) -> Result {
        // SAFETY: both devices are allocated and RTNL is held (token).
        to_result(unsafe { bindings::vlan_vids_add_by_dev(self.as_raw(), upper.as_raw()) })
    }

    /// Removes the VLAN ids of `upper` from this device's filter
    /// (`vlan_vids_del_by_dev`).
    pub fn del_vlan_ids_of(&self, _rtnl: &Rtnl, upper: &Device) {
        // SAFETY: as for `add_vlan_ids_of`.
        unsafe { bindings::vlan_vids_del_by_dev(self.as_raw(), upper.as_raw()) };
    }

    /// Returns whether a receive handler is registered on the device
    /// (`netdev_is_rx_handler_busy`).
    pub fn is_rx_handler_busy(&self, _rtnl: &Rtnl) -> bool {
        // SAFETY: the device is allocated and RTNL is held (token).
        unsafe { bindings::netdev_is_rx_handler_busy(self.as_raw()) }
    }

    /// Returns the link speed in Mb/s and the duplex reported by the
    /// device's ethtool `get_link_ksettings` (`__ethtool_get_link_ksettings`),
    /// or the error it returned.
    pub fn link_speed_duplex(&self, _rtnl: &Rtnl) -> Result<(u32, u8)> {
        // SAFETY: all-zero is a valid `ethtool_link_ksettings`.
        let mut ks: bindings::ethtool_link_ksettings = unsafe { core::mem::zeroed() };
        // SAFETY: the device is allocated, RTNL is held (token), and `ks`
        // is a buffer the call fills.
        to_result(unsafe { bindings::__ethtool_get_link_ksettings(self.as_raw(), &mut ks) })?;
        Ok((ks.base.speed, ks.base.duplex))
    }

    /// Returns the device's statistics (`dev_get_stats`).
    pub fn stats64(&self) -> bindings::rtnl_link_stats64 {
        // SAFETY: all-zero is a valid `rtnl_link_stats64`.
        let mut stats: bindings::rtnl_link_stats64 = unsafe { core::mem::zeroed() };
        // SAFETY: the device is allocated (the caller's borrow); the call
        // takes the locks it needs and fills the aligned local buffer.
        unsafe { bindings::dev_get_stats(self.as_raw(), &mut stats) };
        stats
    }

    /// Sends a netdevice notifier event about this device
    /// (`call_netdevice_notifiers`), e.g. [`super::notifier::NetdevEvent::NotifyPeers`].
    pub fn notify(&self, _rtnl: &Rtnl, event: super::notifier::NetdevEvent) -> Result {
        // SAFETY: the device is allocated and RTNL is held (token), which
        // the notifier chain needs.
        let ret =
            unsafe { bindings::call_netdevice_notifiers(event.raw() as usize, self.as_raw()) };
        // `notifier_to_errno`: the stop bit off, then anything above
        // NOTIFY_OK is a negated errno offset from it.
        let ret = ret & !(bindings::NOTIFY_STOP_MASK as i32);
        let ok = bindings::NOTIFY_OK as i32;
        to_result(if ret > ok { ok - ret } else { 0 })
    }

    /// Recomputes the device's features (`netdev_update_features`).
    pub fn update_features(&self, _rtnl: &Rtnl) {
        // SAFETY: the device is allocated and RTNL is held (token).
        unsafe { bindings::netdev_update_features(self.as_raw()) };
    }

    /// Counts a packet the device dropped on transmit in the core's
    /// per-CPU counters (`dev_core_stats_tx_dropped_inc`).
    pub fn count_tx_dropped(&self) {
        // SAFETY: the device is allocated; callable from any context.
        unsafe { bindings::rust_net_core_stats_tx_dropped_inc(self.as_raw()) };
    }

    /// Whether a link state change of the device waits for the linkwatch
    /// worker (`__LINK_STATE_LINKWATCH_PENDING`).
    pub fn linkwatch_pending(&self) -> bool {
        // SAFETY: the device is allocated; an atomic bit test.
        unsafe { bindings::rust_net_linkwatch_pending(self.as_raw()) }
    }

    /// Whether the hardware address is random (`NET_ADDR_RANDOM`).
    pub fn addr_is_random(&self) -> bool {
        // SAFETY: the device is allocated; a byte read.
        unsafe { bindings::rust_net_addr_is_random(self.as_raw()) }
    }

    /// Whether the hardware address is the device's own (`NET_ADDR_PERM`),
    /// not one set by user space or made up.
    pub fn addr_is_perm(&self) -> bool {
        // SAFETY: the device is allocated; a byte read.
        unsafe { bindings::rust_net_addr_is_perm(self.as_raw()) }
    }

    /// Adds a VLAN id to the device's filter (`vlan_vid_add`).
    pub fn vlan_vid_add(&self, _rtnl: &Rtnl, proto: u16, vid: u16) -> Result {
        // SAFETY: the device is allocated and RTNL is held (token).
        to_result(unsafe { bindings::vlan_vid_add(self.as_raw(), proto.to_be(), vid) })
    }

    /// Removes a VLAN id added with [`Device::vlan_vid_add`] (`vlan_vid_del`).
    pub fn vlan_vid_del(&self, _rtnl: &Rtnl, proto: u16, vid: u16) {
        // SAFETY: the device is allocated and RTNL is held (token).
        unsafe { bindings::vlan_vid_del(self.as_raw(), proto.to_be(), vid) };
    }

    /// The number of transmit queues in use (`real_num_tx_queues`).
    pub fn real_num_tx_queues(&self) -> u32 {
        // SAFETY: the device is allocated; an aligned read of a field that
        // changes only under RTNL.
        unsafe { core::ptr::addr_of!((*self.as_raw()).real_num_tx_queues).read_volatile() }
    }

    /// Recomputes an upper device's features, header length and GSO limits
    /// from its lower devices (`netdev_compute_master_upper_features`).
    pub fn compute_master_upper_features(&self, _rtnl: &Rtnl, update_header: bool) {
        // SAFETY: the device is allocated and RTNL is held (token).
        unsafe { bindings::netdev_compute_master_upper_features(self.as_raw(), update_header) };
    }

    /// Returns the active features (`dev->features`, `NETIF_F_*` masks).
    pub fn features(&self) -> u64 {
        // SAFETY: the device is allocated; an aligned read of a field that
        // changes under RTNL.
        unsafe { core::ptr::addr_of!((*self.as_raw()).features).read_volatile() }
    }

    /// Whether VLAN devices sit on this device (`vlan_uses_dev`).
    pub fn vlan_uses_dev(&self, _rtnl: &Rtnl) -> bool {
        // SAFETY: the device is allocated and RTNL is held (token).
        unsafe { bindings::rust_net_vlan_uses_dev(self.as_raw()) }
    }

    /// Takes `from`'s hardware address as this device's own, marked as
    /// stolen (`NET_ADDR_STOLEN`), telling listeners before and after, as a
    /// master does with its first lower device (bonding's
    /// `bond_set_dev_addr`). A listener may veto the change.
    pub fn steal_addr_of(&self, _rtnl: &Rtnl, from: &Device) -> Result {
        // SAFETY: both devices are allocated and RTNL is held (token).
        to_result(unsafe { bindings::rust_net_dev_addr_steal(self.as_raw(), from.as_raw()) })
    }

    /// Empties the unicast and multicast address lists (`dev_uc_flush`,
    /// `dev_mc_flush`), e.g. before the device changes its hardware type.
    pub fn flush_addr_lists(&self, _rtnl: &Rtnl) {
        // SAFETY: the device is allocated and RTNL is held (token); both
        // calls take the address list lock themselves.
        unsafe {
            bindings::dev_uc_flush(self.as_raw());
            bindings::dev_mc_flush(self.as_raw());
        }
    }

    /// Whether the device is registered and not being unregistered.
    pub fn is_registered(&self, _rtnl: &Rtnl) -> bool {
        let raw = self.as_raw();
        // SAFETY: the device is allocated and RTNL is held (token), which
        // serialises `reg_state` and `dismantle` changes.
        unsafe {
            u32::from((*raw).reg_state) == bindings::netdev_reg_state_NETREG_REGISTERED
                && !(*raw).dismantle
        }
    }

    /// The depth of the device's lower-device graph plus one
    /// (`dev->lower_level`): 1 for a device without lower devices. Read
    /// without RTNL, as the core's lockdep users do, so it may be stale
    /// while the graph changes.
    pub fn lower_level(&self) -> u8 {
        // SAFETY: the device is allocated; a byte read.
        unsafe { core::ptr::addr_of!((*self.as_raw()).lower_level).read_volatile() }
    }

    /// Whether the driver can report the link other than by the carrier:
    /// ethtool's `get_link` or an `ndo_eth_ioctl` for the MII registers.
    pub fn has_link_reporting(&self) -> bool {
        let raw = self.as_raw();
        // SAFETY: the device is allocated; `ethtool_ops` (set by
        // registration at the latest) and `netdev_ops` are constant tables
        // once the device is visible to other drivers.
        unsafe {
            let eops = (*raw).ethtool_ops;
            (!eops.is_null() && (*eops).get_link.is_some())
                || (*(*raw).netdev_ops).ndo_eth_ioctl.is_some()
        }
    }

    /// Asks the driver for the link state the way bonding does without
    /// `use_carrier` (`bond_check_dev_link`): ethtool's `get_link` if the
    /// driver has one, else the MII status register through
    /// `ndo_eth_ioctl` (`SIOCGMIIPHY`, then `SIOCGMIIREG` of `MII_BMSR`).
    /// `None` if the driver has neither or the MII calls fail.
    ///
    /// Callable under RCU or RTNL, as C's monitors do; the driver's
    /// callbacks must not sleep there (the same assumption C makes).
    pub fn query_link(&self) -> Option<bool> {
        let raw = self.as_raw();
        // SAFETY: the device is allocated; the ops tables are constant (see
        // `has_link_reporting`). `get_link` takes the device only.
        unsafe {
            let eops = (*raw).ethtool_ops;
            if !eops.is_null() {
                if let Some(get_link) = (*eops).get_link {
                    // `ethtool_op_get_link` first processes a pending link
                    // event (`linkwatch_sync_dev`), which needs RTNL that
                    // a monitor does not hold (C bonding trips RTNL
                    // assertions there); its answer is the carrier.
                    let op_get_link: unsafe extern "C" fn(*mut bindings::net_device) -> u32 =
                        bindings::ethtool_op_get_link;
                    if get_link as *const () == op_get_link as *const () {
                        return Some(self.carrier_ok());
                    }
                    return Some(get_link(raw) != 0);
                }
            }
        }
        // SAFETY: as above.
        let ioctl = unsafe { (*(*raw).netdev_ops).ndo_eth_ioctl }?;
        // SAFETY: all-zero is a valid `ifreq`.
        let mut ifr: bindings::ifreq = unsafe { core::mem::zeroed() };
        let name = self.name().as_bytes();
        // SAFETY: `ifrn_name` is the union member C fills here too (as
        // `strscpy_pad` does: at most IFNAMSIZ - 1 bytes, NUL-padded).
        let dst = unsafe { &mut ifr.ifr_ifrn.ifrn_name };
        for (d, s) in dst.iter_mut().zip(name.iter().take(IFNAMSIZ - 1)) {
            *d = *s as _;
        }
        // The MII data is overlaid on `ifr_ifru` (C's `if_mii()`).
        let mii = core::ptr::addr_of_mut!(ifr.ifr_ifru).cast::<bindings::mii_ioctl_data>();
        // SAFETY: the driver's `ndo_eth_ioctl` gets the device and a valid
        // kernel `ifreq` whose `ifr_ifru` is big enough for, and aligned
        // for, `mii_ioctl_data` (C relies on the same overlay).
        unsafe {
            if ioctl(raw, &mut ifr, bindings::SIOCGMIIPHY as _) != 0 {
                return None;
            }
            (*mii).reg_num = bindings::MII_BMSR as u16;
            if ioctl(raw, &mut ifr, bindings::SIOCGMIIREG as _) != 0 {
                return None;
            }
            Some(u32::from((*mii).val_out) & bindings::BMSR_LSTATUS != 0)
        }
    }

    /// Whether the device has link-layer header operations (`header_ops`).
    pub fn has_header_ops(&self) -> bool {
        // SAFETY: the device is allocated; `header_ops` changes only under
        // RTNL, and C reads it with `READ_ONCE`.
        unsafe {
            !core::ptr::addr_of!((*self.as_raw()).header_ops)
                .read_volatile()
                .is_null()
        }
    }

    /// Sets the MTU through the driver without telling listeners
    /// (`__dev_set_mtu`): for a device that is being unregistered, whose
    /// listeners have already dropped their state for it and would create
    /// it again on a `NETDEV_CHANGEMTU`.
    pub fn set_mtu_quiet(&self, _rtnl: &Rtnl, mtu: u32) -> Result {
        let mtu = i32::try_from(mtu).map_err(|_| EINVAL)?;
        // SAFETY: the device is allocated and RTNL is held (token).
        to_result(unsafe { bindings::__dev_set_mtu(self.as_raw(), mtu) })
    }
}
