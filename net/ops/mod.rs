// SPDX-License-Identifier: GPL-2.0

//! Driver-side view of a network device: `net_device_ops`, `ethtool_ops`
//! and the typed private data.
//!
//! C header: [`include/linux/netdevice.h`](srctree/include/linux/netdevice.h).
//!
//! A driver implements [`Operations`] for its private data type `T`; the
//! `#[vtable]` attribute records which callbacks it provides and the layer
//! builds one `net_device_ops` and one `ethtool_ops` table per `T` with only
//! those filled in. Callbacks get a [`DriverDevice<T>`], a `Device` whose
//! private area holds an initialised `T`, and an [`Rtnl`] token when the
//! core calls them with RTNL held.

use super::{
    bindings,
    ioctl::{IfReq, UserData},
    netlink::ExtAck,
    skbuff::{NetdevTx, SkBuff},
    timestamping::{HwTstampConfig, TsInfo},
    Device, Rtnl,
};
use core::{marker::PhantomData, ops::Deref};
use kernel::{error::from_result, error::Result, prelude::*};

mod adapter;
mod ethtool;
mod feature_flags;
mod setup;
mod stats;

pub(crate) use adapter::{callback, Adapter};
pub use ethtool::{DrvInfo, LinkSettings, DUPLEX_FULL, DUPLEX_UNKNOWN, SPEED_UNKNOWN};
pub use feature_flags::{features, flags, priv_flags};
pub use setup::{DeviceType, SetupDevice};
pub use stats::{stats64_counters, stats64_counters_mut, Stats64, STATS64_COUNTERS};

/// The callbacks of a network device driver (`net_device_ops` and
/// `ethtool_ops`), implemented on the type of its private data.
///
/// Only `start_xmit` is required. The layer supports drivers that never
/// return `NETDEV_TX_BUSY`: every packet given to `start_xmit` is the
/// driver's to send, queue or free.
#[vtable]
pub trait Operations: Sized + Send + Sync + 'static {
    /// A directory of sysfs files every device of the driver carries, such
    /// as `/sys/class/net/<bond>/bonding/`.
    const SYSFS_GROUP: Option<&'static super::sysfs::AttributeGroup<Self>> = None;

    /// Whether the device passes packets to lower devices and keeps their
    /// queue mapping for them: the layer installs an `ndo_select_queue`
    /// that uses the recorded receive queue (or 0) on this device and
    /// saves the packet's mapping, which [`SkBuff::restore_queue_mapping`]
    /// puts back (bonding's `bond_select_queue`).
    const SAVE_QUEUE_MAPPING: bool = false;

    /// Whether opening the device requires a valid Ethernet address
    /// (`ndo_validate_addr = eth_validate_addr`, as most Ethernet drivers
    /// have). A device that may take a lower device's link-layer type and
    /// address (a bond over GRE or InfiniBand) says no, as bonding does.
    const VALIDATE_ETHER_ADDR: bool = true;

    /// Sets the device's fields before registration (the `setup` of
    /// `alloc_netdev`). The default is [`SetupDevice::ether_setup`].
    fn setup(dev: &mut SetupDevice<'_>) {
        dev.ether_setup();
    }

    /// Called when the device is registered (`ndo_init`).
    fn init(_dev: &DriverDevice<Self>, _rtnl: &Rtnl) -> Result {
        kernel::build_error(kernel::error::VTABLE_DEFAULT_ERROR)
    }

    /// Called when the device is unregistered (`ndo_uninit`).
    fn uninit(_dev: &DriverDevice<Self>, _rtnl: &Rtnl) {
        kernel::build_error(kernel::error::VTABLE_DEFAULT_ERROR)
    }

    /// The device is brought up (`ndo_open`).
    fn open(_dev: &DriverDevice<Self>, _rtnl: &Rtnl) -> Result {
        kernel::build_error(kernel::error::VTABLE_DEFAULT_ERROR)
    }

    /// The device is brought down (`ndo_stop`).
    fn stop(_dev: &DriverDevice<Self>, _rtnl: &Rtnl) -> Result {
        kernel::build_error(kernel::error::VTABLE_DEFAULT_ERROR)
    }

    /// Transmits a packet (`ndo_start_xmit`); runs with BH disabled, under
    /// RCU, possibly on several CPUs at once (the layer's devices are
    /// `lltx`). Returns what the core gives back to the sender: what the
    /// lower device's queue said ([`SkBuff::queue_xmit`]),
    /// [`NetdevTx::DROP`] for a packet the driver dropped, or
    /// [`NetdevTx::OK`].
    fn start_xmit(dev: &DriverDevice<Self>, skb: SkBuff) -> NetdevTx;

    /// Reports statistics (`ndo_get_stats64`). `stats` starts zeroed.
    fn get_stats64(_dev: &DriverDevice<Self>, _stats: &mut Stats64) {
        kernel::build_error(kernel::error::VTABLE_DEFAULT_ERROR)
    }

    /// Changes the MTU (`ndo_change_mtu`), already checked against the
    /// range set in `setup`. The driver stores it with
    /// [`Device::set_mtu_field`] if it accepts it.
    fn change_mtu(_dev: &DriverDevice<Self>, _rtnl: &Rtnl, _mtu: u32) -> Result {
        kernel::build_error(kernel::error::VTABLE_DEFAULT_ERROR)
    }

    /// Changes the hardware address (`ndo_set_mac_address`). Without this
    /// callback the layer uses `eth_mac_addr`, which accepts any valid
    /// unicast address.
    fn set_mac_address(
        _dev: &DriverDevice<Self>,
        _rtnl: &Rtnl,
        _addr: &[u8; super::device::ETH_ALEN],
    ) -> Result {
        kernel::build_error(kernel::error::VTABLE_DEFAULT_ERROR)
    }

    /// The unicast or multicast address lists or the promiscuity changed
    /// (`ndo_set_rx_mode`); runs under the address list lock, BH disabled.
    fn set_rx_mode(_dev: &DriverDevice<Self>) {
        kernel::build_error(kernel::error::VTABLE_DEFAULT_ERROR)
    }

    /// Adjusts the features the core is about to give the device
    /// (`ndo_fix_features`, under RTNL, when its features are recomputed:
    /// at registration, `ethtool -K`, `netdev_change_features`); returns
    /// the features to set. `features` are `NETIF_F_*` masks.
    fn fix_features(_dev: &DriverDevice<Self>, _rtnl: &Rtnl, _features: u64) -> u64 {
        kernel::build_error(kernel::error::VTABLE_DEFAULT_ERROR)
    }

    /// The promiscuous or all-multicast state changed (`ndo_change_rx_flags`);
    /// `change` holds the `IFF_PROMISC`/`IFF_ALLMULTI` bits that changed.
    fn change_rx_flags(_dev: &DriverDevice<Self>, _rtnl: &Rtnl, _change: u32) {
        kernel::build_error(kernel::error::VTABLE_DEFAULT_ERROR)
    }

    /// A VLAN id was added on top of the device (`ndo_vlan_rx_add_vid`).
    fn vlan_rx_add_vid(_dev: &DriverDevice<Self>, _rtnl: &Rtnl, _proto: u16, _vid: u16) -> Result {
        kernel::build_error(kernel::error::VTABLE_DEFAULT_ERROR)
    }

    /// A VLAN id was removed (`ndo_vlan_rx_kill_vid`).
    fn vlan_rx_kill_vid(_dev: &DriverDevice<Self>, _rtnl: &Rtnl, _proto: u16, _vid: u16) -> Result {
        kernel::build_error(kernel::error::VTABLE_DEFAULT_ERROR)
    }

    /// User space sets the carrier (`ndo_change_carrier`).
    fn change_carrier(_dev: &DriverDevice<Self>, _rtnl: &Rtnl, _on: bool) -> Result {
        kernel::build_error(kernel::error::VTABLE_DEFAULT_ERROR)
    }

    /// Makes `port` a lower device of this one (`ndo_add_slave`, from
    /// `ip link set PORT master DEV`).
    fn add_slave(
        _dev: &DriverDevice<Self>,
        _rtnl: &Rtnl,
        _port: &Device,
        _extack: &mut ExtAck<'_>,
    ) -> Result {
        kernel::build_error(kernel::error::VTABLE_DEFAULT_ERROR)
    }

    /// Releases a lower device (`ndo_del_slave`, `ip link set PORT nomaster`).
    fn del_slave(_dev: &DriverDevice<Self>, _rtnl: &Rtnl, _port: &Device) -> Result {
        kernel::build_error(kernel::error::VTABLE_DEFAULT_ERROR)
    }

    /// A bonding ioctl (`ndo_siocbond`): one of the `SIOCBOND*` commands of
    /// [`super::ioctl::cmd`] on this device. The core checked
    /// `CAP_NET_ADMIN` for the commands that change something.
    fn siocbond(
        _dev: &DriverDevice<Self>,
        _rtnl: &Rtnl,
        _req: &mut IfReq<'_>,
        _cmd: u32,
    ) -> Result {
        kernel::build_error(kernel::error::VTABLE_DEFAULT_ERROR)
    }

    /// A device-private ioctl, `SIOCDEVPRIVATE` to `SIOCDEVPRIVATE + 15`
    /// (`ndo_siocdevprivate`). `data` is the request's `ifr_data`, which the
    /// core converted for a 32-bit caller. The core checks no capability.
    fn siocdevprivate(
        _dev: &DriverDevice<Self>,
        _rtnl: &Rtnl,
        _req: &mut IfReq<'_>,
        _data: UserData,
        _cmd: u32,
    ) -> Result {
        kernel::build_error(kernel::error::VTABLE_DEFAULT_ERROR)
    }

    /// An Ethernet ioctl (`ndo_eth_ioctl`): the MII commands (`SIOCGMIIPHY`,
    /// `SIOCGMIIREG`, `SIOCSMIIREG`) and the legacy hardware timestamp
    /// ones. No RTNL token: besides the ioctl path (which holds RTNL), other
    /// drivers call it to poll a lower device's link.
    fn eth_ioctl(_dev: &DriverDevice<Self>, _req: &mut IfReq<'_>, _cmd: u32) -> Result {
        kernel::build_error(kernel::error::VTABLE_DEFAULT_ERROR)
    }

    /// The lower device whose link-layer header operations this device
    /// uses while it has taken a non-Ethernet lower device's type
    /// ([`DriverDevice::take_link_type_of`]): building a header
    /// (`header_ops->create`) and parsing its source address
    /// (`header_ops->parse`) are passed to it. Runs under RCU, in any
    /// context. Without this callback such a device has no header
    /// operations.
    fn header_lower<'a>(
        _dev: &'a DriverDevice<Self>,
        _guard: &'a super::rcu::Guard,
    ) -> Option<&'a Device> {
        kernel::build_error(kernel::error::VTABLE_DEFAULT_ERROR)
    }

    /// Fills `ethtool -i` (`get_drvinfo`).
    fn get_drvinfo(_dev: &DriverDevice<Self>, _info: &mut DrvInfo<'_>) {
        kernel::build_error(kernel::error::VTABLE_DEFAULT_ERROR)
    }

    /// Fills speed and duplex for `ethtool DEV` (`get_link_ksettings`).
    fn get_link_ksettings(
        _dev: &DriverDevice<Self>,
        _rtnl: &Rtnl,
        _settings: &mut LinkSettings<'_>,
    ) -> Result {
        kernel::build_error(kernel::error::VTABLE_DEFAULT_ERROR)
    }

    /// Fills what the device can timestamp, for `ethtool -T DEV`
    /// (`get_ts_info`); the core adds software receive timestamping. No
    /// RTNL token: sockets binding to a PHC and upper devices ask too. May
    /// sleep. Without this callback the device has software receive
    /// timestamping only.
    fn get_ts_info(_dev: &DriverDevice<Self>, _info: &mut TsInfo<'_>) -> Result {
        kernel::build_error(kernel::error::VTABLE_DEFAULT_ERROR)
    }

    /// Reports the hardware timestamping configuration (`ndo_hwtstamp_get`,
    /// behind `SIOCGHWTSTAMP`). Without it (and without `eth_ioctl`
    /// answering that command) the request fails with `EOPNOTSUPP`.
    fn hwtstamp_get(
        _dev: &DriverDevice<Self>,
        _rtnl: &Rtnl,
        _cfg: &mut HwTstampConfig<'_>,
    ) -> Result {
        kernel::build_error(kernel::error::VTABLE_DEFAULT_ERROR)
    }

    /// Changes the hardware timestamping configuration (`ndo_hwtstamp_set`,
    /// behind `SIOCSHWTSTAMP`); `cfg` carries the answer back.
    fn hwtstamp_set(
        _dev: &DriverDevice<Self>,
        _rtnl: &Rtnl,
        _cfg: &mut HwTstampConfig<'_>,
        _extack: &mut ExtAck<'_>,
    ) -> Result {
        kernel::build_error(kernel::error::VTABLE_DEFAULT_ERROR)
    }
}

/// A network device whose private area holds an initialised `T`.
///
/// # Invariants
///
/// The device's private area holds a `T` that was initialised in place and
/// is not dropped before the device is freed; `dev->priv_destructor` is
/// `Adapter::<T>::priv_destructor` from the moment the `T` exists. A
/// `&DriverDevice<T>` has the lifetime guarantees of a `&Device`.
#[repr(transparent)]
pub struct DriverDevice<T: Operations>(Device, PhantomData<T>);

impl<T: Operations> Deref for DriverDevice<T> {
    type Target = Device;

    fn deref(&self) -> &Device {
        &self.0
    }
}

impl<T: Operations> DriverDevice<T> {
    /// Creates a typed reference.
    ///
    /// # Safety
    ///
    /// `ptr` must be allocated for `'a` and its private area must hold an
    /// initialised `T` for `'a`.
    pub(crate) unsafe fn from_raw<'a>(ptr: *mut bindings::net_device) -> &'a Self {
        // SAFETY: `repr(transparent)` over `Device`, which is transparent
        // over the C struct; the caller guarantees the rest.
        unsafe { &*ptr.cast() }
    }

    /// Returns the driver's private data, pinned in the device.
    pub fn data(&self) -> &T {
        // SAFETY: by the type invariant the private area holds a live `T`
        // for as long as the device is allocated, which `&self` guarantees.
        unsafe { &*bindings::rust_net_netdev_priv(self.as_raw()).cast::<T>() }
    }

    /// Returns the driver's private data as a pinned reference.
    pub fn data_pinned(&self) -> Pin<&T> {
        // SAFETY: the data never moves: it lives in the device's private
        // area until the device is freed.
        unsafe { Pin::new_unchecked(self.data()) }
    }

    /// Unregisters the device (`unregister_netdevice`); it is freed, and
    /// its `T` dropped, once the last reference is gone after RTNL is
    /// released. Does nothing if the device is not registered or is already
    /// being unregistered (for example when called from `stop` or `uninit`
    /// during an unregistration).
    pub fn unregister(&self, rtnl: &Rtnl) {
        self.unregister_onto(rtnl, core::ptr::null_mut());
    }

    /// Queues the device onto a namespace exit's `kill` list
    /// (`unregister_netdevice_queue`), to be unregistered with the others
    /// once every driver's `exit_rtnl` has run. Does nothing if the device
    /// is not registered or is already being unregistered.
    pub fn queue_unregister(&self, rtnl: &Rtnl, kill: &mut super::pernet::KillList<'_>) {
        self.unregister_onto(rtnl, kill.as_raw());
    }

    /// `unregister_netdevice_queue(dev, head)`; `head` is null (now) or the
    /// core's kill list of a running `exit_rtnl` pass.
    fn unregister_onto(&self, _rtnl: &Rtnl, head: *mut bindings::list_head) {
        let raw = self.as_raw();
        // SAFETY: the device is allocated and RTNL is held (token), which
        // serialises `reg_state` and `dismantle` changes.
        let registered = unsafe {
            u32::from((*raw).reg_state) == bindings::netdev_reg_state_NETREG_REGISTERED
                && !(*raw).dismantle
        };
        if registered {
            // SAFETY: as above; `unregister_netdevice_many_notify` BUGs
            // unless the device is registered and not dismantling, which
            // was just checked under the same RTNL section. A queued device
            // stays registered, so allocated, until the core unregisters
            // the list, under this same RTNL hold (`KillList` invariant).
            unsafe { bindings::unregister_netdevice_queue(raw, head) };
        }
    }
}

impl<T: Operations> DriverDevice<T> {
    /// Takes the link-layer type of `lower`: hardware type, header lengths,
    /// address length and broadcast address, and a point-to-point lower's
    /// flags (`IFF_POINTOPOINT | IFF_NOARP` instead of `IFF_BROADCAST |
    /// IFF_MULTICAST`), as a master whose first lower device is not
    /// Ethernet does (bonding's `bond_setup_by_slave`). If `lower` has
    /// header operations, this device's forward to the device that
    /// [`Operations::header_lower`] names; otherwise it has none.
    ///
    /// The caller tells listeners around the change
    /// (`NETDEV_PRE_TYPE_CHANGE`/`NETDEV_POST_TYPE_CHANGE`) and closes the
    /// device first, as C does.
    pub fn take_link_type_of(&self, _rtnl: &Rtnl, lower: &Device) {
        let (d, l) = (self.as_raw(), lower.as_raw());
        // SAFETY: both devices are allocated and RTNL is held (token), under
        // which these fields change; readers without RTNL (the transmit
        // path, `READ_ONCE(header_ops)`) see either value, as in C. The
        // broadcast address is `MAX_ADDR_LEN` bytes in both devices and
        // `addr_len` is at most that.
        unsafe {
            let header_ops = if lower.has_header_ops() && T::HAS_HEADER_LOWER {
                &Adapter::<T>::HEADER_OPS as *const bindings::header_ops
            } else {
                core::ptr::null()
            };
            core::ptr::addr_of_mut!((*d).header_ops).write_volatile(header_ops);
            (*d).type_ = (*l).type_;
            (*d).hard_header_len = (*l).hard_header_len;
            (*d).needed_headroom = (*l).needed_headroom;
            (*d).addr_len = (*l).addr_len;
            let n = usize::from((*l).addr_len).min(bindings::MAX_ADDR_LEN as usize);
            core::ptr::copy_nonoverlapping(
                core::ptr::addr_of!((*l).broadcast).cast::<u8>(),
                core::ptr::addr_of_mut!((*d).broadcast).cast::<u8>(),
                n,
            );
            if (*l).flags & flags::POINTOPOINT != 0 {
                (*d).flags &= !(flags::BROADCAST | flags::MULTICAST);
                (*d).flags |= flags::POINTOPOINT | flags::NOARP;
            }
        }
    }

    /// Resets the device to Ethernet defaults (`ether_setup`) after it
    /// took another type: header operations and lengths, type, MTU and its
    /// range, address length, broadcast address, queue length, and
    /// `flags = IFF_BROADCAST | IFF_MULTICAST` (the caller puts back flags
    /// it wants to keep).
    pub fn ether_setup(&self, _rtnl: &Rtnl) {
        // SAFETY: the device is allocated and RTNL is held (token), under
        // which C calls `ether_setup` on a registered device too.
        unsafe { bindings::ether_setup(self.as_raw()) };
    }
}
