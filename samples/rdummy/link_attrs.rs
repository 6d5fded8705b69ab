// SPDX-License-Identifier: GPL-2.0

//! rdummy's netlink attributes (`IFLA_INFO_DATA` and
//! `IFLA_INFO_SLAVE_DATA`), to exercise the layer's policies, parsing,
//! extack messages, nested attributes and dumps. A C driver would declare
//! them in `include/uapi/linux/if_link.h`.
//!
//! Link: `HEARTBEAT_MS` (u32, read-write, 0 to 60000), `BEATS` (u64,
//! dump only), `PORTS` (nested `PORT_IFINDEX` u32 per port, dump only).
//! Port (slave): `PORT_RX_PACKETS` (u64, dump only).

use crate::net::{
    netlink::{nla_total_size, AttrType, Message, Policy, PolicyRef},
    rtnl_link::LinkAttrs,
    Device, DriverDevice, Rtnl,
};
use crate::{heartbeat::Heartbeat, RDummyDev};
use core::sync::atomic::Ordering;
use kernel::{c_str, prelude::*};

/// `IFLA_RDUMMY_HEARTBEAT_MS`.
pub(crate) const HEARTBEAT_MS: u16 = 1;
/// `IFLA_RDUMMY_BEATS`.
pub(crate) const BEATS: u16 = 2;
/// `IFLA_RDUMMY_PORTS`.
pub(crate) const PORTS: u16 = 3;
/// `IFLA_RDUMMY_PORT_IFINDEX`, inside `PORTS`.
pub(crate) const PORT_IFINDEX: u16 = 1;
/// `IFLA_RDUMMY_PORT_RX_PACKETS`, in a port's slave data.
pub(crate) const PORT_RX_PACKETS: u16 = 1;

/// The largest heartbeat period, in milliseconds.
pub(crate) const MAX_HEARTBEAT_MS: u32 = 60_000;

static POLICY: Policy<4> = Policy::new(&[
    (HEARTBEAT_MS as u32, AttrType::U32),
    (BEATS as u32, AttrType::Unspec),
    (PORTS as u32, AttrType::Nested),
]);

static SLAVE_POLICY: Policy<2> = Policy::new(&[(PORT_RX_PACKETS as u32, AttrType::Unspec)]);

/// The kind's data policy.
pub(crate) const LINK_POLICY: PolicyRef = POLICY.as_ref();
/// The kind's slave data policy.
pub(crate) const PORT_POLICY: PolicyRef = SLAVE_POLICY.as_ref();

/// Checks a request's data: the period's range, and no dump-only attribute.
pub(crate) fn validate(attrs: &mut LinkAttrs<'_>) -> Result {
    for kind in [BEATS, PORTS] {
        if let Some(a) = attrs.data.get(kind.into()) {
            attrs
                .extack
                .set_message_attr(c_str!("rdummy: attribute is read-only"), a);
            return Err(EINVAL);
        }
    }
    if let Some(a) = attrs.data.get(HEARTBEAT_MS.into()) {
        // The policy guarantees four bytes.
        if a.as_u32().is_some_and(|ms| ms > MAX_HEARTBEAT_MS) {
            attrs
                .extack
                .set_message_attr(c_str!("rdummy: heartbeat_ms must be at most 60000"), a);
            return Err(EINVAL);
        }
    }
    Ok(())
}

/// The heartbeat period a request asks for, if any (validated).
pub(crate) fn heartbeat_ms(attrs: &LinkAttrs<'_>) -> Option<u32> {
    attrs.data.get(HEARTBEAT_MS.into()).and_then(|a| a.as_u32())
}

/// Applies a change request to an existing device.
pub(crate) fn changelink(dev: &DriverDevice<RDummyDev>, attrs: &mut LinkAttrs<'_>) -> Result {
    if let Some(ms) = heartbeat_ms(attrs) {
        Heartbeat::set_interval_ms(&dev.data().heartbeat, ms);
    }
    Ok(())
}

/// Upper bound of `fill_info`'s output; runs under RCU only, so it reads
/// the port count rather than the RTNL-protected list.
pub(crate) fn get_size(dev: &DriverDevice<RDummyDev>) -> usize {
    let ports = dev.data().port_count.load(Ordering::Relaxed);
    nla_total_size(4) + nla_total_size(8) + nla_total_size(0) + ports * nla_total_size(4)
}

/// Dumps the device's attributes.
pub(crate) fn fill_info(
    dev: &DriverDevice<RDummyDev>,
    rtnl: &Rtnl,
    msg: &mut Message<'_>,
) -> Result {
    let data = dev.data();
    msg.put_u32(HEARTBEAT_MS, data.heartbeat.interval_ms())?;
    msg.put_u64(BEATS, data.heartbeat.beats())?;
    let ports = data.ports.borrow(rtnl)?;
    msg.nest(PORTS, |msg| {
        for p in ports.iter() {
            msg.put_u32(PORT_IFINDEX, p.device().ifindex() as u32)?;
        }
        Ok(())
    })
}

/// Dumps a port's attributes. A port being attached or released (linked
/// to the master but not in its list) has none yet: the core reports any
/// error of a dump as a full message, and warns about it.
pub(crate) fn fill_slave_info(
    dev: &DriverDevice<RDummyDev>,
    rtnl: &Rtnl,
    port: &Device,
    msg: &mut Message<'_>,
) -> Result {
    let ports = dev.data().ports.borrow(rtnl)?;
    match ports.iter().find(|p| core::ptr::eq(p.device(), port)) {
        Some(p) => msg.put_u64(PORT_RX_PACKETS, p.rx_packets()),
        None => Ok(()),
    }
}
