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
    skbuff::SkBuff,
    timestamping::{HwTstampConfig, TsInfo},
    Device, Rtnl,
};
use core::{marker::PhantomData, ops::Deref};
use kernel::{error::from_result, error::Result, prelude::*, str::CStr, types::Opaque};

/// Interface statistics as `ip -s link` shows them (`struct
/// rtnl_link_stats64`); every field is a `u64` counter.
pub use super::bindings::rtnl_link_stats64 as Stats64;

/// How many `u64` counters a [`Stats64`] holds.
pub const STATS64_COUNTERS: usize = core::mem::size_of::<Stats64>() / 8;

// `stats64_counters` relies on this: the struct is nothing but counters.
const _: () = assert!(core::mem::size_of::<Stats64>() == STATS64_COUNTERS * 8);
const _: () = assert!(core::mem::align_of::<Stats64>() == 8);

/// The counters of `stats` as an array, for code that folds them all (as
/// C casts `struct rtnl_link_stats64 *` to `u64 *`).
pub fn stats64_counters(stats: &Stats64) -> &[u64; STATS64_COUNTERS] {
    // SAFETY: `rtnl_link_stats64` is a `repr(C)` struct of `u64` fields
    // only (size and alignment checked above), so it has the layout of
    // this array.
    unsafe { &*(stats as *const Stats64).cast() }
}

/// Mutable version of [`stats64_counters`].
pub fn stats64_counters_mut(stats: &mut Stats64) -> &mut [u64; STATS64_COUNTERS] {
    // SAFETY: as in `stats64_counters`; the borrow is exclusive.
    unsafe { &mut *(stats as *mut Stats64).cast() }
}

/// Netdevice feature bits (`NETIF_F_*`), as masks.
pub mod features {
    use super::bindings;

    macro_rules! feature {
        ($($(#[$m:meta])* $name:ident = $bit:ident;)*) => {
            $($(#[$m])* pub const $name: u64 = 1 << bindings::$bit;)*
        };
    }

    feature! {
        /// Scatter/gather.
        SG = NETIF_F_SG_BIT;
        /// Fragment lists.
        FRAGLIST = NETIF_F_FRAGLIST_BIT;
        /// Checksums any protocol.
        HW_CSUM = NETIF_F_HW_CSUM_BIT;
        /// DMA to high memory.
        HIGHDMA = NETIF_F_HIGHDMA_BIT;
        /// Receives VLAN CTAG filter updates.
        HW_VLAN_CTAG_FILTER = NETIF_F_HW_VLAN_CTAG_FILTER_BIT;
        /// Transmits VLAN CTAG in hardware.
        HW_VLAN_CTAG_TX = NETIF_F_HW_VLAN_CTAG_TX_BIT;
        /// Strips VLAN CTAG in hardware.
        HW_VLAN_CTAG_RX = NETIF_F_HW_VLAN_CTAG_RX_BIT;
        /// Generic receive offload.
        GRO = NETIF_F_GRO_BIT;
        /// Large receive offload.
        LRO = NETIF_F_LRO_BIT;
        /// Transmits VLAN STAG in hardware.
        HW_VLAN_STAG_TX = NETIF_F_HW_VLAN_STAG_TX_BIT;
        /// Strips VLAN STAG in hardware.
        HW_VLAN_STAG_RX = NETIF_F_HW_VLAN_STAG_RX_BIT;
        /// Receives VLAN STAG filter updates.
        HW_VLAN_STAG_FILTER = NETIF_F_HW_VLAN_STAG_FILTER_BIT;
        /// Partial generic segmentation offload.
        GSO_PARTIAL = NETIF_F_GSO_PARTIAL_BIT;
        /// Cannot handle VLAN packets.
        VLAN_CHALLENGED = NETIF_F_VLAN_CHALLENGED_BIT;
    }

    /// Every software segmentation offload (`NETIF_F_GSO_SOFTWARE`).
    pub const GSO_SOFTWARE: u64 = (1 << bindings::NETIF_F_TSO_BIT)
        | (1 << bindings::NETIF_F_TSO_ECN_BIT)
        | (1 << bindings::NETIF_F_TSO6_BIT)
        | (1 << bindings::NETIF_F_TSO_MANGLEID_BIT)
        | (1 << bindings::NETIF_F_GSO_SCTP_BIT)
        | (1 << bindings::NETIF_F_GSO_UDP_L4_BIT)
        | (1 << bindings::NETIF_F_GSO_FRAGLIST_BIT);

    /// Every encapsulation segmentation offload (`NETIF_F_GSO_ENCAP_ALL`).
    pub const GSO_ENCAP_ALL: u64 = (1 << bindings::NETIF_F_GSO_GRE_BIT)
        | (1 << bindings::NETIF_F_GSO_GRE_CSUM_BIT)
        | (1 << bindings::NETIF_F_GSO_IPXIP4_BIT)
        | (1 << bindings::NETIF_F_GSO_IPXIP6_BIT)
        | (1 << bindings::NETIF_F_GSO_UDP_TUNNEL_BIT)
        | (1 << bindings::NETIF_F_GSO_UDP_TUNNEL_CSUM_BIT);
}

/// Interface flags (`IFF_*` from `<linux/if.h>`).
pub mod flags {
    use super::bindings;

    /// The interface is up.
    pub const UP: u32 = bindings::net_device_flags_IFF_UP;
    /// No ARP on this interface.
    pub const NOARP: u32 = bindings::net_device_flags_IFF_NOARP;
    /// Supports multicast.
    pub const MULTICAST: u32 = bindings::net_device_flags_IFF_MULTICAST;
    /// Is a master of a bond or similar.
    pub const MASTER: u32 = bindings::net_device_flags_IFF_MASTER;
    /// Is a slave of a bond or similar.
    pub const SLAVE: u32 = bindings::net_device_flags_IFF_SLAVE;
    /// Receives all packets.
    pub const PROMISC: u32 = bindings::net_device_flags_IFF_PROMISC;
    /// Receives all multicast packets.
    pub const ALLMULTI: u32 = bindings::net_device_flags_IFF_ALLMULTI;
    /// Supports broadcast.
    pub const BROADCAST: u32 = bindings::net_device_flags_IFF_BROADCAST;
    /// Is a point-to-point link.
    pub const POINTOPOINT: u32 = bindings::net_device_flags_IFF_POINTOPOINT;
    /// Is a loopback device.
    pub const LOOPBACK: u32 = bindings::net_device_flags_IFF_LOOPBACK;
}

/// Private interface flags (`IFF_*` of `enum netdev_priv_flags`).
pub mod priv_flags {
    use super::bindings;

    /// The address can change while the device is up.
    pub const LIVE_ADDR_CHANGE: u64 = bindings::netdev_priv_flags_IFF_LIVE_ADDR_CHANGE as u64;
    /// No queueing discipline by default.
    pub const NO_QUEUE: u64 = bindings::netdev_priv_flags_IFF_NO_QUEUE as u64;
    /// Supports unicast address filtering.
    pub const UNICAST_FLT: u64 = bindings::netdev_priv_flags_IFF_UNICAST_FLT as u64;
    /// The device may not be a bridge port.
    pub const DONT_BRIDGE: u64 = bindings::netdev_priv_flags_IFF_DONT_BRIDGE as u64;
    /// No IPv6 address configuration on this device.
    pub const NO_ADDRCONF: u64 = bindings::netdev_priv_flags_IFF_NO_ADDRCONF as u64;
    /// The core may release the skb's dst before transmit.
    pub const XMIT_DST_RELEASE: u64 = bindings::netdev_priv_flags_IFF_XMIT_DST_RELEASE as u64;
    /// The device can send shared skbs (pktgen's `clone_skb`).
    pub const TX_SKB_SHARING: u64 = bindings::netdev_priv_flags_IFF_TX_SKB_SHARING as u64;
    /// netpoll (netconsole) may not attach to the device: `__netpoll_setup`
    /// refuses it with `ENOTSUPP`.
    pub const DISABLE_NETPOLL: u64 = bindings::netdev_priv_flags_IFF_DISABLE_NETPOLL as u64;
    /// Is a macvlan port / lower of macvlan, a rx handler user.
    pub const MACVLAN_PORT: u64 = bindings::netdev_priv_flags_IFF_MACVLAN_PORT as u64;
}

/// Driver information for `ethtool -i` (`struct ethtool_drvinfo`).
pub struct DrvInfo<'a>(&'a mut bindings::ethtool_drvinfo);

impl DrvInfo<'_> {
    fn copy(dst: &mut [kernel::ffi::c_char], src: &str) {
        // Like strscpy: truncate and always NUL-terminate.
        let n = src.len().min(dst.len().saturating_sub(1));
        for (d, s) in dst.iter_mut().zip(src.bytes().take(n)) {
            *d = s;
        }
        if let Some(end) = dst.get_mut(n) {
            *end = 0;
        }
    }

    /// Sets the driver name.
    pub fn set_driver(&mut self, s: &str) {
        Self::copy(&mut self.0.driver, s);
    }

    /// Sets the driver version.
    pub fn set_version(&mut self, s: &str) {
        Self::copy(&mut self.0.version, s);
    }

    /// Sets the firmware version.
    pub fn set_fw_version(&mut self, s: &str) {
        Self::copy(&mut self.0.fw_version, s);
    }
}

/// Link settings for `ethtool DEV` (`struct ethtool_link_ksettings`, base
/// part).
pub struct LinkSettings<'a>(&'a mut bindings::ethtool_link_ksettings);

/// Speed reported when it is unknown (`SPEED_UNKNOWN`).
pub const SPEED_UNKNOWN: u32 = u32::MAX;
/// Duplex reported when it is unknown (`DUPLEX_UNKNOWN`).
pub const DUPLEX_UNKNOWN: u8 = bindings::DUPLEX_UNKNOWN as u8;
/// Full duplex (`DUPLEX_FULL`).
pub const DUPLEX_FULL: u8 = bindings::DUPLEX_FULL as u8;

impl LinkSettings<'_> {
    /// Sets the speed in Mb/s ([`SPEED_UNKNOWN`] if unknown).
    pub fn set_speed(&mut self, mbps: u32) {
        self.0.base.speed = mbps;
    }

    /// Sets the duplex ([`DUPLEX_FULL`], [`DUPLEX_UNKNOWN`], ...).
    pub fn set_duplex(&mut self, duplex: u8) {
        self.0.base.duplex = duplex;
    }

    /// Sets the port type to "other" (`PORT_OTHER`), as virtual devices do.
    pub fn set_port_other(&mut self) {
        self.0.base.port = bindings::PORT_OTHER as u8;
    }
}

/// A device's fields as a driver's `setup` callback may set them, before
/// the device is registered and before its private data exists.
///
/// # Invariants
///
/// Points to a device that is allocated and not yet registered; the setup
/// callback has exclusive access to it.
pub struct SetupDevice<'a>(&'a mut bindings::net_device);

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
        unsafe { bindings::rust_bond_eth_hw_addr_random(&mut *self.0) };
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
    /// `lltx`).
    fn start_xmit(dev: &DriverDevice<Self>, skb: SkBuff);

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
        unsafe { &*bindings::rust_bond_netdev_priv(self.as_raw()).cast::<T>() }
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

impl Device {
    /// Adds `len` bytes and one packet to the per-CPU transmit counters
    /// (`dev_lstats_add`). Does nothing unless the device asked for them
    /// with [`SetupDevice::use_pcpu_lstats`].
    pub fn lstats_add(&self, len: u32) {
        // SAFETY: the device is allocated; the per-CPU area exists when the
        // stat type says so (the core allocates it at registration, before
        // any transmit).
        unsafe {
            if (*self.as_raw()).pcpu_stat_type()
                == bindings::netdev_stat_type_NETDEV_PCPU_STAT_LSTATS
            {
                bindings::rust_bond_dev_lstats_add(self.as_raw(), len);
            }
        }
    }

    /// Reads the per-CPU counters added by [`Device::lstats_add`]:
    /// `(packets, bytes)`. Only meaningful on a registered device: the core
    /// allocates the counters after `ndo_init` and frees them before
    /// `ndo_uninit` when registration fails.
    pub fn lstats_read(&self) -> (u64, u64) {
        let (mut packets, mut bytes) = (0u64, 0u64);
        // SAFETY: as in `lstats_add`; `dev_lstats_read` only reads.
        unsafe {
            if (*self.as_raw()).pcpu_stat_type()
                == bindings::netdev_stat_type_NETDEV_PCPU_STAT_LSTATS
            {
                bindings::dev_lstats_read(self.as_raw(), &mut packets, &mut bytes);
            }
        }
        (packets, bytes)
    }
}

/// `Some(f)` if the driver implements the callback (`has`), else `None`:
/// one entry of a C ops table built from a `#[vtable]` trait.
macro_rules! callback {
    ($has:expr, $f:expr) => {
        if $has {
            Some($f)
        } else {
            None
        }
    };
}
pub(crate) use callback;

/// Builds the C tables and trampolines for a driver `T`.
pub(crate) struct Adapter<T: Operations>(PhantomData<T>);

impl<T: Operations> Adapter<T> {
    pub(crate) const NETDEV_OPS: bindings::net_device_ops = bindings::net_device_ops {
        ndo_init: Some(Self::ndo_init),
        ndo_uninit: callback!(T::HAS_UNINIT, Self::ndo_uninit),
        ndo_open: callback!(T::HAS_OPEN, Self::ndo_open),
        ndo_stop: callback!(T::HAS_STOP, Self::ndo_stop),
        ndo_start_xmit: Some(Self::ndo_start_xmit),
        ndo_get_stats64: callback!(T::HAS_GET_STATS64, Self::ndo_get_stats64),
        ndo_change_mtu: callback!(T::HAS_CHANGE_MTU, Self::ndo_change_mtu),
        ndo_set_mac_address: if T::HAS_SET_MAC_ADDRESS {
            Some(Self::ndo_set_mac_address)
        } else {
            Some(bindings::eth_mac_addr)
        },
        ndo_validate_addr: Some(bindings::eth_validate_addr),
        ndo_set_rx_mode: callback!(T::HAS_SET_RX_MODE, Self::ndo_set_rx_mode),
        ndo_change_carrier: callback!(T::HAS_CHANGE_CARRIER, Self::ndo_change_carrier),
        ndo_change_rx_flags: callback!(T::HAS_CHANGE_RX_FLAGS, Self::ndo_change_rx_flags),
        ndo_select_queue: if T::SAVE_QUEUE_MAPPING {
            Some(bindings::rust_bond_select_queue_saving)
        } else {
            None
        },
        ndo_vlan_rx_add_vid: callback!(T::HAS_VLAN_RX_ADD_VID, Self::ndo_vlan_rx_add_vid),
        ndo_vlan_rx_kill_vid: callback!(T::HAS_VLAN_RX_KILL_VID, Self::ndo_vlan_rx_kill_vid),
        ndo_add_slave: callback!(T::HAS_ADD_SLAVE, Self::ndo_add_slave),
        ndo_del_slave: callback!(T::HAS_DEL_SLAVE, Self::ndo_del_slave),
        ndo_siocbond: callback!(T::HAS_SIOCBOND, Self::ndo_siocbond),
        ndo_siocdevprivate: callback!(T::HAS_SIOCDEVPRIVATE, Self::ndo_siocdevprivate),
        ndo_eth_ioctl: callback!(T::HAS_ETH_IOCTL, Self::ndo_eth_ioctl),
        ndo_hwtstamp_get: callback!(T::HAS_HWTSTAMP_GET, Self::ndo_hwtstamp_get),
        ndo_hwtstamp_set: callback!(T::HAS_HWTSTAMP_SET, Self::ndo_hwtstamp_set),
        // SAFETY: all-zero is a valid `net_device_ops` (no callbacks).
        ..unsafe { core::mem::MaybeUninit::zeroed().assume_init() }
    };

    pub(crate) const ETHTOOL_OPS: bindings::ethtool_ops = bindings::ethtool_ops {
        get_drvinfo: callback!(T::HAS_GET_DRVINFO, Self::get_drvinfo),
        get_link: Some(bindings::ethtool_op_get_link),
        get_link_ksettings: callback!(T::HAS_GET_LINK_KSETTINGS, Self::get_link_ksettings),
        get_ts_info: callback!(T::HAS_GET_TS_INFO, Self::get_ts_info),
        // SAFETY: all-zero is a valid `ethtool_ops` (no callbacks).
        ..unsafe { core::mem::MaybeUninit::zeroed().assume_init() }
    };

    /// The header operations of a device that took a lower device's type
    /// (bonding's `bond_header_ops`): each forwards to the lower device
    /// that `T::header_lower` names.
    pub(crate) const HEADER_OPS: bindings::header_ops = bindings::header_ops {
        create: Some(Self::header_create),
        parse: Some(Self::header_parse),
        // SAFETY: all-zero is a valid `header_ops` (no callbacks).
        ..unsafe { core::mem::MaybeUninit::zeroed().assume_init() }
    };

    /// Fills in what `alloc_netdev`'s `setup` must: the ops tables, then the
    /// driver's own settings.
    ///
    /// # Safety
    ///
    /// `dev` must be a freshly allocated, unregistered device whose private
    /// area is at least `size_of::<T>()` bytes, aligned for `T`.
    pub(crate) unsafe fn setup(dev: *mut bindings::net_device) {
        // SAFETY: the caller passes a fresh device that nobody else uses.
        let d = unsafe { &mut *dev };
        d.netdev_ops = &Self::NETDEV_OPS;
        d.ethtool_ops = &Self::ETHTOOL_OPS;
        // The core frees the device after unregistration (`free_netdev` in
        // `netdev_run_todo`), after the private destructor.
        d.needs_free_netdev = true;
        if let Some(group) = T::SYSFS_GROUP {
            // INVARIANT (of `AttributeGroup`): the group's files are for
            // driver `T`, whose device this is.
            d.sysfs_groups[0] = group.as_raw();
        }
        // INVARIANT: exclusive access to an unregistered device.
        T::setup(&mut SetupDevice(d));
    }

    /// Initialises the private data in place and arms its destructor.
    ///
    /// # Safety
    ///
    /// As for [`Self::setup`], after it ran; the private area must not hold
    /// a `T` yet.
    pub(crate) unsafe fn init_data(
        dev: *mut bindings::net_device,
        init: impl PinInit<T, Error>,
    ) -> Result {
        const {
            assert!(core::mem::align_of::<T>() <= bindings::NETDEV_ALIGN as usize);
        }
        // SAFETY: the private area is ours, big and aligned enough (the
        // caller's guarantee; alignment checked above), and uninitialised.
        unsafe {
            let slot = bindings::rust_bond_netdev_priv(dev).cast::<T>();
            init.__pinned_init(slot)?;
            // INVARIANT: the `T` exists from here on; the core calls the
            // destructor once, when it frees the device (or when
            // registration fails).
            (*dev).priv_destructor = Some(Self::priv_destructor);
        }
        Ok(())
    }

    /// Registers a device set up by `setup` and `init_data`
    /// (`register_netdevice`). On failure the private data is gone (dropped
    /// here if the core did not) and only `free_netdev` remains to do.
    ///
    /// # Safety
    ///
    /// `dev` must be set up by [`Self::setup`] and [`Self::init_data`], not
    /// registered, and RTNL must be held.
    pub(crate) unsafe fn register(dev: *mut bindings::net_device) -> Result {
        // SAFETY: guaranteed by the caller.
        let ret = unsafe { bindings::register_netdevice(dev) };
        if ret != 0 {
            // SAFETY: the device is not registered and still allocated. Some
            // failures (a bad name, an `ndo_init` error, ...) return before
            // the core's error path runs the destructor; the destructor
            // clears itself, so a second call cannot happen.
            unsafe {
                if u32::from((*dev).reg_state) == bindings::netdev_reg_state_NETREG_UNINITIALIZED {
                    if let Some(dtor) = (*dev).priv_destructor {
                        dtor(dev);
                    }
                }
            }
            return Err(Error::from_errno(ret));
        }
        Ok(())
    }

    /// Drops the private data when the core is done with the device. This
    /// runs under RTNL on failed registrations and without it after a normal
    /// unregistration, so `T`'s `Drop` must not take RTNL.
    ///
    /// # Safety
    ///
    /// Called once per device, by the core (`dev->priv_destructor`) or by
    /// the layer's `newlink` error path, after `init_data` succeeded.
    unsafe extern "C" fn priv_destructor(dev: *mut bindings::net_device) {
        // SAFETY: the core calls this once, after the last user of the
        // device is gone (or when registration failed); the private area
        // holds the `T` that `init_data` put there.
        unsafe {
            (*dev).priv_destructor = None;
            core::ptr::drop_in_place(bindings::rust_bond_netdev_priv(dev).cast::<T>());
        }
    }

    /// # Safety
    ///
    /// Called by the core on a device set up by `setup`/`init_data`.
    unsafe fn dev<'a>(dev: *mut bindings::net_device) -> &'a DriverDevice<T> {
        // SAFETY: the core only calls the ops of a device whose private
        // data `init_data` initialised (ops run between registration and
        // the destructor), and the device is allocated during the call.
        unsafe { DriverDevice::from_raw(dev) }
    }

    /// The C `ndo_init` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_init(dev: *mut bindings::net_device) -> kernel::ffi::c_int {
        from_result(|| {
            // SAFETY: `ndo_init` runs under RTNL, from register_netdevice.
            let rtnl = unsafe { Rtnl::assume_locked() };
            // SAFETY: called by the core on our device.
            let dev = unsafe { Self::dev(dev) };
            // Lockdep classes per device, as every stacking driver must
            // (`netdev_lockdep_set_classes`), or nested xmit locks report.
            // SAFETY: the device is being registered and is ours.
            unsafe { bindings::rust_bond_netdev_lockdep_set_classes(dev.as_raw()) };
            if T::HAS_INIT {
                T::init(dev, &rtnl)?;
            }
            Ok(0)
        })
    }

    /// The C `ndo_uninit` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_uninit(dev: *mut bindings::net_device) {
        // SAFETY: `ndo_uninit` runs under RTNL.
        let rtnl = unsafe { Rtnl::assume_locked() };
        // SAFETY: called by the core on our device.
        T::uninit(unsafe { Self::dev(dev) }, &rtnl);
    }

    /// The C `ndo_open` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_open(dev: *mut bindings::net_device) -> kernel::ffi::c_int {
        // SAFETY: `ndo_open` runs under RTNL.
        let rtnl = unsafe { Rtnl::assume_locked() };
        // SAFETY: called by the core on our device.
        from_result(|| T::open(unsafe { Self::dev(dev) }, &rtnl).map(|()| 0))
    }

    /// The C `ndo_stop` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_stop(dev: *mut bindings::net_device) -> kernel::ffi::c_int {
        // SAFETY: `ndo_stop` runs under RTNL.
        let rtnl = unsafe { Rtnl::assume_locked() };
        // SAFETY: called by the core on our device.
        from_result(|| T::stop(unsafe { Self::dev(dev) }, &rtnl).map(|()| 0))
    }

    /// The C `ndo_start_xmit` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_start_xmit(
        skb: *mut bindings::sk_buff,
        dev: *mut bindings::net_device,
    ) -> bindings::netdev_tx_t {
        // SAFETY: the core gives us its reference to the skb.
        let skb = unsafe { SkBuff::from_raw(skb) };
        // SAFETY: called by the core on our device.
        T::start_xmit(unsafe { Self::dev(dev) }, skb);
        bindings::netdev_tx_NETDEV_TX_OK
    }

    /// The C `ndo_get_stats64` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_get_stats64(
        dev: *mut bindings::net_device,
        stats: *mut bindings::rtnl_link_stats64,
    ) {
        // The core's buffer may be only 4-byte aligned: `rtnl_fill_stats`
        // passes the payload of a netlink attribute, which has no padding on
        // architectures with efficient unaligned access. No reference to it
        // may exist; fill an aligned copy and write that back.
        // SAFETY: all-zero is a valid `rtnl_link_stats64` (plain counters).
        let mut local: bindings::rtnl_link_stats64 = unsafe { core::mem::zeroed() };
        // SAFETY: called by the core on our device.
        T::get_stats64(unsafe { Self::dev(dev) }, &mut local);
        // SAFETY: `stats` is valid for writes of one `rtnl_link_stats64`
        // (the core zeroed it) during the call; no alignment is assumed.
        unsafe { stats.write_unaligned(local) };
    }

    /// The C `ndo_change_mtu` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_change_mtu(
        dev: *mut bindings::net_device,
        mtu: kernel::ffi::c_int,
    ) -> kernel::ffi::c_int {
        // SAFETY: `ndo_change_mtu` runs under RTNL.
        let rtnl = unsafe { Rtnl::assume_locked() };
        from_result(|| {
            // The core checked `mtu` against the device's range, so it is
            // not negative.
            let mtu = u32::try_from(mtu).map_err(|_| EINVAL)?;
            // SAFETY: called by the core on our device.
            T::change_mtu(unsafe { Self::dev(dev) }, &rtnl, mtu).map(|()| 0)
        })
    }

    /// The C `ndo_set_mac_address` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_set_mac_address(
        dev: *mut bindings::net_device,
        addr: *mut kernel::ffi::c_void,
    ) -> kernel::ffi::c_int {
        // SAFETY: `ndo_set_mac_address` runs under RTNL.
        let rtnl = unsafe { Rtnl::assume_locked() };
        from_result(|| {
            // SAFETY: the core passes a `struct sockaddr` (or the larger
            // `sockaddr_storage`) whose `sa_data` holds at least the
            // device's `addr_len` (ETH_ALEN here) bytes.
            let mac = unsafe {
                let data = addr
                    .cast::<u8>()
                    .add(core::mem::offset_of!(bindings::sockaddr, __bindgen_anon_1));
                &*data.cast::<[u8; super::device::ETH_ALEN]>()
            };
            // SAFETY: called by the core on our device.
            T::set_mac_address(unsafe { Self::dev(dev) }, &rtnl, mac).map(|()| 0)
        })
    }

    /// The C `ndo_set_rx_mode` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_set_rx_mode(dev: *mut bindings::net_device) {
        // SAFETY: called by the core on our device.
        T::set_rx_mode(unsafe { Self::dev(dev) });
    }

    /// The C `ndo_change_carrier` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_change_carrier(
        dev: *mut bindings::net_device,
        on: bool,
    ) -> kernel::ffi::c_int {
        // SAFETY: `ndo_change_carrier` runs under RTNL.
        let rtnl = unsafe { Rtnl::assume_locked() };
        // SAFETY: called by the core on our device.
        from_result(|| T::change_carrier(unsafe { Self::dev(dev) }, &rtnl, on).map(|()| 0))
    }

    /// The C `ndo_change_rx_flags` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_change_rx_flags(
        dev: *mut bindings::net_device,
        change: kernel::ffi::c_int,
    ) {
        // SAFETY: `dev_change_rx_flags` runs under RTNL (from
        // `__dev_set_promiscuity`/`__dev_set_allmulti`).
        let rtnl = unsafe { Rtnl::assume_locked() };
        // SAFETY: called by the core on our device.
        T::change_rx_flags(unsafe { Self::dev(dev) }, &rtnl, change as u32);
    }

    /// The C `ndo_vlan_rx_add_vid` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_vlan_rx_add_vid(
        dev: *mut bindings::net_device,
        proto: bindings::__be16,
        vid: u16,
    ) -> kernel::ffi::c_int {
        // SAFETY: as this function's.
        unsafe { Self::vlan_callback(dev, proto, vid, T::vlan_rx_add_vid) }
    }

    /// The C `ndo_vlan_rx_kill_vid` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_vlan_rx_kill_vid(
        dev: *mut bindings::net_device,
        proto: bindings::__be16,
        vid: u16,
    ) -> kernel::ffi::c_int {
        // SAFETY: as this function's.
        unsafe { Self::vlan_callback(dev, proto, vid, T::vlan_rx_kill_vid) }
    }

    /// Calls a VLAN filter callback of the driver.
    ///
    /// # Safety
    ///
    /// As for the two `ndo_vlan_rx_*_vid` trampolines, which are its callers.
    unsafe fn vlan_callback(
        dev: *mut bindings::net_device,
        proto: bindings::__be16,
        vid: u16,
        f: fn(&DriverDevice<T>, &Rtnl, u16, u16) -> Result,
    ) -> kernel::ffi::c_int {
        // SAFETY: VLAN filter changes run under RTNL.
        let rtnl = unsafe { Rtnl::assume_locked() };
        // SAFETY: called by the core on our device.
        from_result(|| f(unsafe { Self::dev(dev) }, &rtnl, u16::from_be(proto), vid).map(|()| 0))
    }

    /// The C `ndo_add_slave` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_add_slave(
        dev: *mut bindings::net_device,
        port: *mut bindings::net_device,
        extack: *mut bindings::netlink_ext_ack,
    ) -> kernel::ffi::c_int {
        // SAFETY: `ndo_add_slave` runs under RTNL.
        let rtnl = unsafe { Rtnl::assume_locked() };
        // SAFETY: the core holds the port for the call and passes a valid
        // (or null) extack.
        let (port, mut extack) = unsafe { (Device::from_raw(port), ExtAck::from_raw(extack)) };
        from_result(|| {
            // SAFETY: called by the core on our device.
            T::add_slave(unsafe { Self::dev(dev) }, &rtnl, port, &mut extack).map(|()| 0)
        })
    }

    /// The C `ndo_del_slave` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_del_slave(
        dev: *mut bindings::net_device,
        port: *mut bindings::net_device,
    ) -> kernel::ffi::c_int {
        // SAFETY: `ndo_del_slave` runs under RTNL.
        let rtnl = unsafe { Rtnl::assume_locked() };
        // SAFETY: the core holds the port for the call.
        let port = unsafe { Device::from_raw(port) };
        // SAFETY: called by the core on our device.
        from_result(|| T::del_slave(unsafe { Self::dev(dev) }, &rtnl, port).map(|()| 0))
    }

    /// The C `ndo_siocbond` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_siocbond(
        dev: *mut bindings::net_device,
        ifr: *mut bindings::ifreq,
        cmd: kernel::ffi::c_int,
    ) -> kernel::ffi::c_int {
        // SAFETY: `dev_ifsioc`, the only caller, holds RTNL.
        let rtnl = unsafe { Rtnl::assume_locked() };
        // SAFETY: the core passes its own copy of the request, which nothing
        // else touches during the call.
        let mut req = unsafe { IfReq::from_raw(ifr) };
        from_result(|| {
            // SAFETY: called by the core on our device.
            T::siocbond(unsafe { Self::dev(dev) }, &rtnl, &mut req, cmd as u32).map(|()| 0)
        })
    }

    /// The C `ndo_siocdevprivate` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_siocdevprivate(
        dev: *mut bindings::net_device,
        ifr: *mut bindings::ifreq,
        data: *mut kernel::ffi::c_void,
        cmd: kernel::ffi::c_int,
    ) -> kernel::ffi::c_int {
        // SAFETY: `dev_ifsioc` holds RTNL. (Phonet calls the callback of
        // Phonet devices only.)
        let rtnl = unsafe { Rtnl::assume_locked() };
        // SAFETY: as in `ndo_siocbond`.
        let mut req = unsafe { IfReq::from_raw(ifr) };
        let data = UserData::from_ptr(data);
        from_result(|| {
            // SAFETY: called by the core on our device.
            T::siocdevprivate(unsafe { Self::dev(dev) }, &rtnl, &mut req, data, cmd as u32)
                .map(|()| 0)
        })
    }

    /// The C `ndo_eth_ioctl` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_eth_ioctl(
        dev: *mut bindings::net_device,
        ifr: *mut bindings::ifreq,
        cmd: kernel::ffi::c_int,
    ) -> kernel::ffi::c_int {
        // SAFETY: the caller (the ioctl path, or an upper device's driver)
        // passes a request it owns for the call.
        let mut req = unsafe { IfReq::from_raw(ifr) };
        from_result(|| {
            // SAFETY: called by the core on our device.
            T::eth_ioctl(unsafe { Self::dev(dev) }, &mut req, cmd as u32).map(|()| 0)
        })
    }

    /// The C `ndo_hwtstamp_get` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_hwtstamp_get(
        dev: *mut bindings::net_device,
        cfg: *mut bindings::kernel_hwtstamp_config,
    ) -> kernel::ffi::c_int {
        // SAFETY: the core calls this under RTNL (`dev_ifsioc`, or an
        // upper device's callback that runs under it).
        let rtnl = unsafe { Rtnl::assume_locked() };
        from_result(|| {
            // SAFETY: called on our device with a config the core owns for
            // the call; its `ifr` is null or the core's copy of the request
            // (the `HwTstampConfig` invariant).
            let (dev, cfg) = unsafe { (Self::dev(dev), &mut *cfg) };
            T::hwtstamp_get(dev, &rtnl, &mut HwTstampConfig(cfg)).map(|()| 0)
        })
    }

    /// The C `ndo_hwtstamp_set` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_hwtstamp_set(
        dev: *mut bindings::net_device,
        cfg: *mut bindings::kernel_hwtstamp_config,
        extack: *mut bindings::netlink_ext_ack,
    ) -> kernel::ffi::c_int {
        // SAFETY: as in `ndo_hwtstamp_get`.
        let rtnl = unsafe { Rtnl::assume_locked() };
        from_result(|| {
            // SAFETY: as in `ndo_hwtstamp_get`; the extack is null or the
            // core's for the call.
            let (dev, cfg, mut extack) =
                unsafe { (Self::dev(dev), &mut *cfg, ExtAck::from_raw(extack)) };
            T::hwtstamp_set(dev, &rtnl, &mut HwTstampConfig(cfg), &mut extack).map(|()| 0)
        })
    }

    /// The lower device's header operations, under `guard`.
    ///
    /// # Safety
    ///
    /// `dev` must be a device of driver `T` (its `header_ops` are
    /// [`Self::HEADER_OPS`] only then).
    unsafe fn lower_header_ops<'a>(
        dev: *const bindings::net_device,
        guard: &'a super::rcu::Guard,
    ) -> Option<(&'a Device, &'a bindings::header_ops)> {
        // SAFETY: the core calls header operations on a live device of ours
        // (the caller's guarantee).
        let dev = unsafe { Self::dev(dev.cast_mut()) };
        let lower = T::header_lower(dev, guard)?;
        // SAFETY: the lower device is allocated while the guard is held;
        // `header_ops` is a pointer to a static table or null, read once
        // as C's `READ_ONCE`.
        let ops = unsafe { core::ptr::addr_of!((*lower.as_raw()).header_ops).read_volatile() };
        // SAFETY: non-null header ops are static tables.
        (!ops.is_null()).then(|| (lower, unsafe { &*ops }))
    }

    /// The C `header_ops->create` callback of [`Self::HEADER_OPS`].
    ///
    /// # Safety
    ///
    /// Only the core calls it, with the arguments its C declaration
    /// documents, on a device of ours.
    unsafe extern "C" fn header_create(
        skb: *mut bindings::sk_buff,
        dev: *mut bindings::net_device,
        type_: kernel::ffi::c_ushort,
        daddr: *const kernel::ffi::c_void,
        saddr: *const kernel::ffi::c_void,
        len: kernel::ffi::c_uint,
    ) -> kernel::ffi::c_int {
        let guard = super::rcu::read_lock();
        // SAFETY: called by the core on our device.
        match unsafe { Self::lower_header_ops(dev, &guard) } {
            Some((lower, ops)) => match ops.create {
                // SAFETY: the lower driver's callback gets the packet and
                // arguments we were given, with its own device, as C's
                // `bond_header_create` passes them.
                Some(f) => unsafe { f(skb, lower.as_raw(), type_, daddr, saddr, len) },
                None => 0,
            },
            None => 0,
        }
    }

    /// The C `header_ops->parse` callback of [`Self::HEADER_OPS`].
    ///
    /// # Safety
    ///
    /// Only the core calls it, with the arguments its C declaration
    /// documents, on a device of ours.
    unsafe extern "C" fn header_parse(
        skb: *const bindings::sk_buff,
        dev: *const bindings::net_device,
        haddr: *mut kernel::ffi::c_uchar,
    ) -> kernel::ffi::c_int {
        let guard = super::rcu::read_lock();
        // SAFETY: called by the core on our device.
        match unsafe { Self::lower_header_ops(dev, &guard) } {
            Some((lower, ops)) => match ops.parse {
                // SAFETY: as in `header_create`.
                Some(f) => unsafe { f(skb, lower.as_raw(), haddr) },
                None => 0,
            },
            None => 0,
        }
    }

    /// The C `get_drvinfo` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn get_drvinfo(
        dev: *mut bindings::net_device,
        info: *mut bindings::ethtool_drvinfo,
    ) {
        // SAFETY: called by the ethtool core on our device with a buffer it
        // owns for the call.
        T::get_drvinfo(
            unsafe { Self::dev(dev) },
            &mut DrvInfo(unsafe { &mut *info }),
        );
    }

    /// The C `get_link_ksettings` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn get_link_ksettings(
        dev: *mut bindings::net_device,
        ks: *mut bindings::ethtool_link_ksettings,
    ) -> kernel::ffi::c_int {
        // SAFETY: the ethtool core calls this under RTNL.
        let rtnl = unsafe { Rtnl::assume_locked() };
        from_result(|| {
            // SAFETY: called on our device with a buffer the core owns for
            // the call.
            let (dev, ks) = unsafe { (Self::dev(dev), &mut *ks) };
            T::get_link_ksettings(dev, &rtnl, &mut LinkSettings(ks)).map(|()| 0)
        })
    }

    /// The C `get_ts_info` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn get_ts_info(
        dev: *mut bindings::net_device,
        info: *mut bindings::kernel_ethtool_ts_info,
    ) -> kernel::ffi::c_int {
        from_result(|| {
            // SAFETY: called on our device with an answer the core owns for
            // the call.
            let (dev, info) = unsafe { (Self::dev(dev), &mut *info) };
            T::get_ts_info(dev, &mut TsInfo(info)).map(|()| 0)
        })
    }
}
