// SPDX-License-Identifier: GPL-2.0

//! IPv4 around a device: the route to an address, the device's own
//! addresses, its upper devices and VLAN tags, and ARP requests sent on it.
//! What a link monitor that probes with ARP needs.
//!
//! C headers: [`include/net/route.h`](srctree/include/net/route.h),
//! [`include/linux/inetdevice.h`](srctree/include/linux/inetdevice.h),
//! [`include/net/arp.h`](srctree/include/net/arp.h),
//! [`include/linux/if_vlan.h`](srctree/include/linux/if_vlan.h).
//!
//! Addresses are `[u8; 4]` in network byte order, as they lie in packets.

use super::{bindings, rcu, Device};
use core::ptr::NonNull;
use kernel::error::{code::EINVAL, from_err_ptr, Result};

/// An IPv4 address, network byte order.
pub type Ipv4Addr = [u8; 4];

/// `RT_SCOPE_LINK`.
const RT_SCOPE_LINK: u8 = 253;
/// `RT_SCOPE_HOST`.
const RT_SCOPE_HOST: i32 = 254;
/// `ARPOP_REQUEST`.
const ARPOP_REQUEST: i32 = 1;
/// `ETH_P_ARP`.
const ETH_P_ARP: i32 = 0x0806;

/// A counted reference to an IPv4 route (`struct rtable`).
///
/// # Invariants
///
/// `rt` points to a route on which this value owns one reference, given
/// back with `ip_rt_put` on drop.
pub struct Route {
    rt: NonNull<bindings::rtable>,
}

impl Route {
    /// Looks up the route from `dev`'s namespace to `daddr` with link scope
    /// and no source, TOS or output device (C `ip_route_output(net, daddr,
    /// 0, 0, 0, RT_SCOPE_LINK)`). Fails with the lookup's error (e.g.
    /// `ENETUNREACH`) if there is none.
    ///
    /// `dev` must not be able to change namespace (`netns_immutable`),
    /// otherwise this fails with `EINVAL`: its namespace then lives as long
    /// as `dev` is registered, which a caller that holds the device
    /// guarantees for the lookup.
    pub fn output(dev: &Device, daddr: Ipv4Addr) -> Result<Route> {
        // SAFETY: the device is allocated (type invariant of `Device`); the
        // bit is set once at setup.
        if unsafe { (*dev.as_raw()).netns_immutable() } == 0 {
            return Err(EINVAL);
        }
        // SAFETY: the device cannot move, so `dev_net` is its namespace for
        // as long as the device exists; the lookup takes what it needs.
        let rt = unsafe {
            bindings::rust_net_ip_route_output(
                bindings::rust_net_dev_net(dev.as_raw()),
                u32::from_ne_bytes(daddr),
                0,
                0,
                0,
                RT_SCOPE_LINK,
            )
        };
        let rt = from_err_ptr(rt)?;
        // INVARIANT: a successful lookup returns a counted reference.
        NonNull::new(rt).map(|rt| Route { rt }).ok_or(EINVAL)
    }

    /// The device the route leaves through (`rt->dst.dev`); the route keeps
    /// it allocated.
    pub fn device(&self) -> Option<&Device> {
        // SAFETY: the route is valid (type invariant); its `dst.dev` is set
        // for an output route and held as long as the route is (`dev` and
        // `dev_rcu` are one pointer in a union).
        let dev = unsafe { (*self.rt.as_ptr()).dst.__bindgen_anon_1.dev };
        // SAFETY: see above; borrowed for no longer than `self`.
        (!dev.is_null()).then(|| unsafe { Device::from_raw(dev) })
    }
}

impl Drop for Route {
    fn drop(&mut self) {
        // SAFETY: we own one reference (type invariant) and give it back once.
        unsafe { bindings::rust_net_ip_rt_put(self.rt.as_ptr()) };
    }
}

/// A VLAN tag: the protocol (`ETH_P_8021Q` or `ETH_P_8021AD`, host order)
/// and the VLAN id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VlanTag {
    /// The tag protocol, host order.
    pub proto: u16,
    /// The VLAN id.
    pub id: u16,
}

/// Why an ARP request (or IPv6 neighbour solicitation) was not sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArpSendError {
    /// The packet could not be allocated (`arp_create` failed).
    Alloc,
    /// A VLAN tag could not be inserted (the packet was freed).
    VlanTag,
}

impl Device {
    /// Returns an address of this device that matches `dst` and `local` in
    /// host scope, or zero (C `inet_confirm_addr(dev_net(dev), in_dev, dst,
    /// local, RT_SCOPE_HOST)` on the device's `in_device`): with `dst` zero
    /// and `local` an address, whether the device has `local`; with `local`
    /// zero, the device's primary address in `dst`'s subnet if any, else its
    /// first one.
    pub fn confirm_addr_v4(&self, dst: Ipv4Addr, local: Ipv4Addr) -> Ipv4Addr {
        let _guard = rcu::read_lock();
        // SAFETY: the device is allocated; `ip_ptr` is read under RCU, which
        // keeps the `in_device` alive until the guard drops.
        let in_dev = unsafe { bindings::rust_net_in_dev_get_rcu(self.as_raw()) };
        if in_dev.is_null() {
            return [0; 4];
        }
        // SAFETY: `in_dev` is valid under the guard; with a non-null
        // `in_dev` the function does not use the namespace beyond reading it.
        let addr = unsafe {
            bindings::inet_confirm_addr(
                bindings::rust_net_dev_net(self.as_raw()),
                in_dev,
                u32::from_ne_bytes(dst),
                u32::from_ne_bytes(local),
                RT_SCOPE_HOST,
            )
        };
        addr.to_ne_bytes()
    }

    /// The device's upper devices (`netdev_for_each_upper_dev_rcu`), valid
    /// while `guard` is held.
    pub fn uppers_rcu<'a>(&'a self, _guard: &'a rcu::Guard) -> Uppers<'a> {
        // SAFETY: the device is allocated; `adj_list.upper` is its list head.
        let head = unsafe { core::ptr::addr_of_mut!((*self.as_raw()).adj_list.upper) };
        Uppers {
            dev: self,
            iter: head,
        }
    }

    /// The device's VLAN tag if it is a VLAN device (`is_vlan_dev`,
    /// `vlan_dev_vlan_proto`, `vlan_dev_vlan_id`).
    pub fn vlan_tag(&self) -> Option<VlanTag> {
        // SAFETY: the device is allocated; these read fields fixed at setup.
        unsafe {
            bindings::rust_net_is_vlan_dev(self.as_raw()).then(|| VlanTag {
                proto: u16::from_be(bindings::rust_net_vlan_dev_vlan_proto(self.as_raw())),
                id: bindings::rust_net_vlan_dev_vlan_id(self.as_raw()),
            })
        }
    }

    /// Sends an ARP request for `target` from `src` with this device's
    /// address as the sender hardware address, to the broadcast address
    /// (`arp_create(ARPOP_REQUEST, ETH_P_ARP, target, dev, src, NULL,
    /// dev->dev_addr, NULL)` then `arp_xmit`). `inner` tags are inserted
    /// into the packet in order (ids of 0 skipped), then `outer`, if its id
    /// is not 0, is set as the hardware-accelerated tag.
    pub fn send_arp_request(
        &self,
        target: Ipv4Addr,
        src: Ipv4Addr,
        inner: &[VlanTag],
        outer: Option<VlanTag>,
    ) -> core::result::Result<(), ArpSendError> {
        // SAFETY: the device is allocated; `arp_create` copies the addresses
        // it is given and allocates with GFP_ATOMIC, so any context will do.
        let skb = unsafe {
            bindings::arp_create(
                ARPOP_REQUEST,
                ETH_P_ARP,
                u32::from_ne_bytes(target),
                self.as_raw(),
                u32::from_ne_bytes(src),
                core::ptr::null(),
                (*self.as_raw()).dev_addr,
                core::ptr::null(),
            )
        };
        if skb.is_null() {
            return Err(ArpSendError::Alloc);
        }
        // SAFETY: we own the new packet.
        let skb = unsafe { add_vlan_tags(skb, inner, outer) }?;
        // SAFETY: we own `skb` and hand it to the ARP layer, which sends or
        // frees it.
        unsafe { bindings::arp_xmit(skb) };
        Ok(())
    }
}

/// Inserts the `inner` VLAN tags into `skb` in order (ids of 0 skipped),
/// then sets `outer`, if its id is not 0, as the hardware-accelerated tag
/// (`bond_handle_vlan`). Returns the packet, which may be a new one.
///
/// # Safety
///
/// The caller owns `skb`, a valid packet, and gives it up: on error it has
/// been freed.
pub(super) unsafe fn add_vlan_tags(
    mut skb: *mut bindings::sk_buff,
    inner: &[VlanTag],
    outer: Option<VlanTag>,
) -> core::result::Result<*mut bindings::sk_buff, ArpSendError> {
    for tag in inner.iter().filter(|t| t.id != 0) {
        // SAFETY: we own `skb` (the caller's guarantee); the function
        // consumes it and returns the (possibly new) packet, or NULL after
        // freeing it.
        skb =
            unsafe { bindings::rust_net_vlan_insert_tag_set_proto(skb, tag.proto.to_be(), tag.id) };
        if skb.is_null() {
            return Err(ArpSendError::VlanTag);
        }
    }
    if let Some(tag) = outer.filter(|t| t.id != 0) {
        // SAFETY: we own `skb`.
        unsafe { bindings::rust_net_vlan_hwaccel_put_tag(skb, tag.proto.to_be(), tag.id) };
    }
    Ok(skb)
}

/// The upper devices of a device, under RCU.
///
/// # Invariants
///
/// `iter` is the position in `dev`'s upper list that
/// `netdev_upper_get_next_dev_rcu` expects, and an RCU read-side lock is
/// held for `'a`.
pub struct Uppers<'a> {
    dev: &'a Device,
    iter: *mut bindings::list_head,
}

impl<'a> Iterator for Uppers<'a> {
    type Item = &'a Device;

    fn next(&mut self) -> Option<&'a Device> {
        // SAFETY: RCU is held and `iter` is a valid position (invariants).
        let up =
            unsafe { bindings::netdev_upper_get_next_dev_rcu(self.dev.as_raw(), &mut self.iter) };
        // SAFETY: upper devices stay allocated during the RCU section.
        (!up.is_null()).then(|| unsafe { Device::from_raw(up) })
    }
}
