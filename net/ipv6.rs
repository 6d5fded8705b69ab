// SPDX-License-Identifier: GPL-2.0

//! IPv6 around a device: the route to an address, the device's own
//! addresses, neighbour solicitations sent on it and the link-layer
//! multicast addresses of solicited-node groups. What a link monitor that
//! probes with NS needs.
//!
//! C headers: [`include/net/ip6_route.h`](srctree/include/net/ip6_route.h),
//! [`include/net/addrconf.h`](srctree/include/net/addrconf.h),
//! [`include/net/ndisc.h`](srctree/include/net/ndisc.h).
//!
//! Addresses are `[u8; 16]` in network byte order.

use super::ipv4::{add_vlan_tags, ArpSendError, VlanTag};
use super::{bindings, Device, Rtnl};
use core::ptr::NonNull;
use kernel::error::{code::EINVAL, Result};

/// An IPv6 address, network byte order.
pub type Ipv6Addr = [u8; 16];

/// `MAX_ADDR_LEN`.
pub const MAX_ADDR_LEN: usize = bindings::MAX_ADDR_LEN as usize;

fn in6(a: &Ipv6Addr) -> bindings::in6_addr {
    // SAFETY: `in6_addr` is a union of byte, be16 and be32 views of 16
    // bytes; any bytes are valid.
    unsafe { core::mem::transmute::<Ipv6Addr, bindings::in6_addr>(*a) }
}

/// `addrconf_addr_solict_mult`: the solicited-node multicast address of
/// `a`, ff02::1:ffXX:XXXX.
pub fn solicited_node(a: &Ipv6Addr) -> Ipv6Addr {
    let mut m = [0u8; 16];
    m[0] = 0xff;
    m[1] = 0x02;
    m[11] = 0x01;
    m[12] = 0xff;
    m[13..].copy_from_slice(&a[13..]);
    m
}

/// Whether IPv6 is enabled (`ipv6_mod_enabled`: not disabled at boot).
pub fn enabled() -> bool {
    // SAFETY: reads a flag; no preconditions.
    unsafe { bindings::ipv6_mod_enabled() }
}

/// A counted reference to an IPv6 route (`struct dst_entry`).
///
/// # Invariants
///
/// `dst` points to a route entry on which this value owns one reference,
/// given back with `dst_release` on drop, and whose `error` is 0.
pub struct Route6 {
    dst: NonNull<bindings::dst_entry>,
}

impl Route6 {
    /// Looks up the route from `dev`'s namespace to `daddr` (C
    /// `ip6_route_output(net, NULL, &fl6)` with only the destination set).
    /// Fails with the route's error if there is none. As for
    /// [`super::ipv4::Route::output`], `dev` must not be able to change
    /// namespace (`EINVAL` otherwise).
    pub fn output(dev: &Device, daddr: &Ipv6Addr) -> Result<Route6> {
        // SAFETY: the device is allocated; the bit is set once at setup.
        if unsafe { (*dev.as_raw()).netns_immutable() } == 0 {
            return Err(EINVAL);
        }
        let a = in6(daddr);
        // SAFETY: the device cannot move, so `dev_net` is its namespace for
        // as long as it exists; the lookup never returns NULL and gives us
        // a reference.
        let dst = unsafe {
            bindings::rust_net_ip6_route_output(bindings::rust_net_dev_net(dev.as_raw()), &a)
        };
        let dst = NonNull::new(dst).ok_or(EINVAL)?;
        // SAFETY: `dst` is valid; `error` is set by the lookup.
        let err = unsafe { (*dst.as_ptr()).error };
        if err != 0 {
            // SAFETY: we own the reference the lookup gave.
            unsafe { bindings::dst_release(dst.as_ptr()) };
            return Err(kernel::error::Error::from_errno(i32::from(err)));
        }
        // INVARIANT: a successful lookup, with our reference.
        Ok(Route6 { dst })
    }

    /// The device the route leaves through (`dst->dev`).
    pub fn device(&self) -> Option<&Device> {
        // SAFETY: the route is valid (type invariant); `dev` (a union with
        // `dev_rcu`) is held as long as the route is.
        let dev = unsafe { (*self.dst.as_ptr()).__bindgen_anon_1.dev };
        // SAFETY: see above; borrowed for no longer than `self`.
        (!dev.is_null()).then(|| unsafe { Device::from_raw(dev) })
    }
}

impl Drop for Route6 {
    fn drop(&mut self) {
        // SAFETY: we own one reference (type invariant) and give it back once.
        unsafe { bindings::dst_release(self.dst.as_ptr()) };
    }
}

impl Device {
    /// The source address this device would use to reach `daddr`
    /// (`ipv6_dev_get_saddr(dev_net(dev), dev, daddr, 0, &saddr)`), if it
    /// has one.
    pub fn ipv6_source_for(&self, daddr: &Ipv6Addr) -> Option<Ipv6Addr> {
        let a = in6(daddr);
        let mut out = in6(&[0; 16]);
        // SAFETY: the device is allocated; the function takes RCU itself and
        // writes `out` only on success. The namespace is only read.
        let ret = unsafe {
            bindings::ipv6_dev_get_saddr(
                bindings::rust_net_dev_net(self.as_raw()),
                self.as_raw(),
                &a,
                0,
                &mut out,
            )
        };
        // SAFETY: the union's views are all plain bytes; any are valid.
        let addr = unsafe { out.in6_u.u6_addr8 };
        (ret == 0).then_some(addr)
    }

    /// Whether `addr` is one of this device's IPv6 addresses
    /// (`ipv6_chk_addr(dev_net(dev), addr, dev, 0)`).
    pub fn has_ipv6_addr(&self, addr: &Ipv6Addr) -> bool {
        let a = in6(addr);
        // SAFETY: the device is allocated; the function takes RCU itself.
        unsafe {
            bindings::ipv6_chk_addr(
                bindings::rust_net_dev_net(self.as_raw()),
                &a,
                self.as_raw(),
                0,
            ) != 0
        }
    }

    /// Sends a neighbour solicitation for `target` from `saddr` to the
    /// target's solicited-node group (`ndisc_ns_create` then
    /// `ndisc_send_skb`), with VLAN tags as
    /// [`Device::send_arp_request`] adds them.
    pub fn send_ns(
        &self,
        target: &Ipv6Addr,
        saddr: &Ipv6Addr,
        inner: &[VlanTag],
        outer: Option<VlanTag>,
    ) -> core::result::Result<(), ArpSendError> {
        let (t, s, m) = (in6(target), in6(saddr), in6(&solicited_node(target)));
        // SAFETY: the device is allocated; the function copies the
        // addresses and allocates with GFP_ATOMIC.
        let skb = unsafe { bindings::ndisc_ns_create(self.as_raw(), &t, &s, 0) };
        if skb.is_null() {
            return Err(ArpSendError::Alloc);
        }
        // SAFETY: we own the new packet.
        let skb = unsafe { add_vlan_tags(skb, inner, outer) }?;
        // SAFETY: we own `skb` and hand it over; ndisc sends or frees it.
        unsafe { bindings::ndisc_send_skb(skb, &m, &s) };
        Ok(())
    }

    /// The link-layer address of multicast group `group` on this device
    /// (`ndisc_mc_map(group, buf, dev, 0)`), `addr_len` bytes of it used.
    pub fn ipv6_mc_map(&self, group: &Ipv6Addr) -> Option<[u8; MAX_ADDR_LEN]> {
        let g = in6(group);
        let mut buf = [0u8; MAX_ADDR_LEN];
        // SAFETY: the device is allocated; `buf` has room for MAX_ADDR_LEN.
        let ret = unsafe { bindings::ndisc_mc_map(&g, buf.as_mut_ptr().cast(), self.as_raw(), 0) };
        (ret == 0).then_some(buf)
    }

    /// Adds (`dev_mc_add`) or removes (`dev_mc_del`) a link-layer multicast
    /// address of `addr_len` bytes taken from `addr`.
    pub fn mc_update(&self, _rtnl: &Rtnl, addr: &[u8; MAX_ADDR_LEN], add: bool) {
        // SAFETY: the device is allocated; the list has its own lock.
        unsafe {
            if add {
                bindings::dev_mc_add(self.as_raw(), addr.as_ptr());
            } else {
                bindings::dev_mc_del(self.as_raw(), addr.as_ptr());
            }
        }
    }
}
