// SPDX-License-Identifier: GPL-2.0

//! The device's feature bits (`NETIF_F_*`), interface flags (`IFF_*`) and
//! private flags (`enum netdev_priv_flags`), as masks.

use super::super::bindings;

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

    /// A master's features before its lower devices are added in
    /// (`netdev_base_features`): without the one-for-all features (which
    /// any lower device may bring), with the all-for-all ones (which every
    /// lower device must keep).
    pub fn base(features: u64) -> u64 {
        // SAFETY: a pure computation on its arguments.
        unsafe { bindings::rust_net_netdev_base_features(features) }
    }

    /// `all` with a lower device's features `one` added in, within `mask`
    /// (`netdev_increment_features`).
    pub fn increment(all: u64, one: u64, mask: u64) -> u64 {
        // SAFETY: a pure computation on its arguments.
        unsafe { bindings::netdev_increment_features(all, one, mask) }
    }

    /// `features` with the TSO features within `mask` put back
    /// (`netdev_add_tso_features`): a master segments in software what a
    /// lower device cannot.
    pub fn add_tso(features: u64, mask: u64) -> u64 {
        // SAFETY: a pure computation on its arguments.
        unsafe { bindings::rust_net_netdev_add_tso_features(features, mask) }
    }

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
