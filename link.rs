// SPDX-License-Identifier: GPL-2.0

//! The rtnetlink link kind `bond`: `ip link add NAME type bond [options]`,
//! `ip link set NAME type bond [options]`, `ip link set DEV type bond_slave
//! [options]` and the bond details of `ip -d link show`.
//!
//! Every option goes through the same engine as the sysfs files
//! ([`crate::bond::options::set_netlink`]): same checks, errno and log
//! lines, plus the extended-ack messages C's `__bond_opt_set` gives.
//! Numeric attributes go in as numbers (`bond_opt_initval`), names as
//! strings (`bond_opt_initstr`), as in C.
//!
//! C version: `bond_netlink.c` (`bond_policy`, `bond_slave_policy`,
//! `bond_validate`, `bond_newlink`, `bond_changelink`,
//! `bond_slave_changelink`, `bond_get_size`, `bond_fill_info`,
//! `bond_get_slave_size`, `bond_fill_slave_info`). Not there: the 802.3ad
//! extended statistics (`fill_linkxstats`), as rust_bond has no 802.3ad
//! mode.

use crate::bond::{is_valid_ether_addr, options, Bond, BondRef};
use crate::logic::options::{Input, OptionId};
use crate::net::{
    device::ETH_ALEN,
    errno::EADDRNOTAVAIL,
    netdev_log,
    netlink::{nla_total_size, Attr, AttrType, Attrs, Message, Nest, Policy, PolicyRef, Range},
    rtnl_link::LinkAttrs,
    Device, DriverDevice, Rtnl,
};
use core::sync::atomic::Ordering;
use kernel::{c_str, prelude::*, str::CString};

/// `IFLA_ADDRESS`.
const IFLA_ADDRESS: u32 = 1;

// `IFLA_BOND_*` (include/uapi/linux/if_link.h).
const MODE: u16 = 1;
const ACTIVE_SLAVE: u16 = 2;
const MIIMON: u16 = 3;
const UPDELAY: u16 = 4;
const DOWNDELAY: u16 = 5;
const USE_CARRIER: u16 = 6;
const ARP_INTERVAL: u16 = 7;
const ARP_IP_TARGET: u16 = 8;
const ARP_VALIDATE: u16 = 9;
const ARP_ALL_TARGETS: u16 = 10;
const PRIMARY: u16 = 11;
const PRIMARY_RESELECT: u16 = 12;
const FAIL_OVER_MAC: u16 = 13;
const XMIT_HASH_POLICY: u16 = 14;
const RESEND_IGMP: u16 = 15;
const NUM_PEER_NOTIF: u16 = 16;
const ALL_SLAVES_ACTIVE: u16 = 17;
const MIN_LINKS: u16 = 18;
const LP_INTERVAL: u16 = 19;
const PACKETS_PER_SLAVE: u16 = 20;
const AD_LACP_RATE: u16 = 21;
const AD_SELECT: u16 = 22;
const AD_INFO: u16 = 23;
const AD_ACTOR_SYS_PRIO: u16 = 24;
const AD_USER_PORT_KEY: u16 = 25;
const AD_ACTOR_SYSTEM: u16 = 26;
const TLB_DYNAMIC_LB: u16 = 27;
const PEER_NOTIF_DELAY: u16 = 28;
const AD_LACP_ACTIVE: u16 = 29;
const MISSED_MAX: u16 = 30;
const NS_IP6_TARGET: u16 = 31;
const COUPLED_CONTROL: u16 = 32;
/// `IFLA_BOND_MAX`.
const BOND_MAX: u16 = 32;

// `IFLA_BOND_SLAVE_*`.
const SLAVE_STATE: u16 = 1;
const SLAVE_MII_STATUS: u16 = 2;
const SLAVE_LINK_FAILURE_COUNT: u16 = 3;
const SLAVE_PERM_HWADDR: u16 = 4;
const SLAVE_QUEUE_ID: u16 = 5;
const SLAVE_PRIO: u16 = 9;
const SLAVE_ACTOR_PORT_PRIO: u16 = 10;
/// `IFLA_BOND_SLAVE_MAX`.
const SLAVE_MAX: u16 = 12;

/// `BOND_MAX_ARP_TARGETS`, `BOND_MAX_NS_TARGETS`.
const MAX_TARGETS: usize = crate::bond::params::MAX_ARP_TARGETS;
/// `MAX_ADDR_LEN`.
const MAX_ADDR_LEN: usize = 32;
/// `sizeof(struct nlattr)`.
const NLA_HDR: usize = 4;

/// `delay_range`: `peer_notif_delay` is at most 300 s.
static DELAY_RANGE: Range = Range::new(0, 300_000);

/// `bond_policy`.
static BOND_POLICY: Policy<{ BOND_MAX as usize + 1 }> = Policy::new(&[
    (MODE as u32, AttrType::U8),
    (ACTIVE_SLAVE as u32, AttrType::U32),
    (MIIMON as u32, AttrType::U32),
    (UPDELAY as u32, AttrType::U32),
    (DOWNDELAY as u32, AttrType::U32),
    (USE_CARRIER as u32, AttrType::U8),
    (ARP_INTERVAL as u32, AttrType::U32),
    (ARP_IP_TARGET as u32, AttrType::Nested),
    (ARP_VALIDATE as u32, AttrType::U32),
    (ARP_ALL_TARGETS as u32, AttrType::U32),
    (PRIMARY as u32, AttrType::U32),
    (PRIMARY_RESELECT as u32, AttrType::U8),
    (FAIL_OVER_MAC as u32, AttrType::U8),
    (XMIT_HASH_POLICY as u32, AttrType::U8),
    (RESEND_IGMP as u32, AttrType::U32),
    (NUM_PEER_NOTIF as u32, AttrType::U8),
    (ALL_SLAVES_ACTIVE as u32, AttrType::U8),
    (MIN_LINKS as u32, AttrType::U32),
    (LP_INTERVAL as u32, AttrType::U32),
    (PACKETS_PER_SLAVE as u32, AttrType::U32),
    (AD_LACP_ACTIVE as u32, AttrType::U8),
    (AD_LACP_RATE as u32, AttrType::U8),
    (AD_SELECT as u32, AttrType::U8),
    (AD_INFO as u32, AttrType::Nested),
    (AD_ACTOR_SYS_PRIO as u32, AttrType::U16),
    (AD_USER_PORT_KEY as u32, AttrType::U16),
    (AD_ACTOR_SYSTEM as u32, AttrType::Binary(ETH_ALEN as u16)),
    (TLB_DYNAMIC_LB as u32, AttrType::U8),
    (PEER_NOTIF_DELAY as u32, AttrType::U32Range(&DELAY_RANGE)),
    (MISSED_MAX as u32, AttrType::U8),
    (NS_IP6_TARGET as u32, AttrType::Nested),
    (COUPLED_CONTROL as u32, AttrType::U8),
]);

/// `bond_slave_policy`.
static SLAVE_POLICY_TABLE: Policy<{ SLAVE_MAX as usize + 1 }> = Policy::new(&[
    (SLAVE_QUEUE_ID as u32, AttrType::U16),
    (SLAVE_PRIO as u32, AttrType::S32),
    (SLAVE_ACTOR_PORT_PRIO as u32, AttrType::U16),
]);

/// The kind's data policy.
pub(crate) const POLICY: PolicyRef = BOND_POLICY.as_ref();

/// The kind's slave data policy.
pub(crate) const SLAVE_POLICY: PolicyRef = SLAVE_POLICY_TABLE.as_ref();

/// `bond_validate`.
pub(crate) fn validate(attrs: &mut LinkAttrs<'_>) -> Result {
    if let Some(addr) = attrs.link.get(IFLA_ADDRESS) {
        if addr.payload().len() != ETH_ALEN {
            return Err(EINVAL);
        }
        if !is_valid_ether_addr(addr.payload()) {
            return Err(EADDRNOTAVAIL());
        }
    }
    Ok(())
}

fn get<'a>(data: &Attrs<'a>, kind: u16) -> Option<&'a Attr> {
    data.get(u32::from(kind))
}

/// A `u8`/`u16` attribute as C passes it on (`int x = nla_get_u8(...)`).
fn small(a: &Attr, width: usize) -> u64 {
    match width {
        1 => u64::from(a.as_u8().unwrap_or(0)),
        _ => u64::from(a.as_u16().unwrap_or(0)),
    }
}

/// A `u32` attribute as C passes it on: stored in an `int`, then widened
/// to the engine's `u64`, so values above `INT_MAX` sign-extend (and are
/// then invalid for every option).
fn int32(a: &Attr) -> u64 {
    a.as_u32().unwrap_or(0) as i32 as i64 as u64
}

/// The name of the device with `ifindex` in the bond's namespace.
fn name_by_index(dev: &Device, rtnl: &Rtnl, ifindex: i32) -> Option<CString> {
    let d = Device::get_by_index(dev.namespace(rtnl), ifindex).ok()?;
    d.name().to_cstring().ok()
}

/// `bond_changelink`: the options of `data`, in C's fixed order; the first
/// error stops the request (what was set before it stays set, as in C).
pub(crate) fn changelink(
    dev: &DriverDevice<Bond>,
    rtnl: &Rtnl,
    attrs: &mut LinkAttrs<'_>,
) -> Result {
    let data = &attrs.data;
    let ack = &mut attrs.extack;
    if !data.is_present() {
        return Ok(());
    }
    // `__bond_opt_set(bond, id, &newval, attr, extack)`.
    macro_rules! set {
        ($id:expr, $input:expr, $a:expr $(,)?) => {
            options::set_netlink(dev, rtnl, $id, $input, None, ack, Some($a))
        };
    }
    // Numeric options of one attribute each, by attribute width.
    let num = |kind: u16| -> Option<(&Attr, u64)> {
        let a = get(data, kind)?;
        let v = match kind {
            MIIMON | UPDELAY | DOWNDELAY | PEER_NOTIF_DELAY | ARP_INTERVAL | ARP_VALIDATE
            | ARP_ALL_TARGETS | RESEND_IGMP | MIN_LINKS | LP_INTERVAL | PACKETS_PER_SLAVE => {
                int32(a)
            }
            AD_ACTOR_SYS_PRIO | AD_USER_PORT_KEY => small(a, 2),
            _ => small(a, 1),
        };
        Some((a, v))
    };

    if let Some((a, v)) = num(MODE) {
        set!(OptionId::Mode, Input::Value(v), a)?;
    }
    if let Some(a) = get(data, ACTIVE_SLAVE) {
        let ifindex = a.as_u32().unwrap_or(0) as i32;
        let name = if ifindex != 0 {
            Some(name_by_index(dev, rtnl, ifindex).ok_or(ENODEV)?)
        } else {
            None
        };
        let s = name.as_ref().map_or(&b""[..], |n| n.as_bytes());
        set!(OptionId::ActiveSlave, Input::Str(s), a)?;
    }
    let mut miimon = 0;
    if let Some((a, v)) = num(MIIMON) {
        miimon = v;
        set!(OptionId::Miimon, Input::Value(v), a)?;
    }
    for (kind, id) in [
        (UPDELAY, OptionId::Updelay),
        (DOWNDELAY, OptionId::Downdelay),
        (PEER_NOTIF_DELAY, OptionId::PeerNotifDelay),
        (USE_CARRIER, OptionId::UseCarrier),
    ] {
        if let Some((a, v)) = num(kind) {
            set!(id, Input::Value(v), a)?;
        }
    }
    if let Some((a, v)) = num(ARP_INTERVAL) {
        if v != 0 && miimon != 0 {
            ack.set_message_attr(
                c_str!("ARP monitoring cannot be used with MII monitoring"),
                a,
            );
            return Err(EINVAL);
        }
        set!(OptionId::ArpInterval, Input::Value(v), a)?;
    }
    if let Some(nest) = get(data, ARP_IP_TARGET) {
        options::arp_targets_clear(dev, rtnl);
        let mut added = 0;
        let mut res = Ok(());
        for (_, t) in nest.nested() {
            // `nla_get_be32`: the address as it is in memory.
            let Some(target) = t.as_u32() else {
                return Err(EINVAL);
            };
            res = set!(OptionId::ArpTargets, Input::Value(u64::from(target)), nest);
            if res.is_err() {
                break;
            }
            added += 1;
        }
        warn_no_targets(dev, rtnl, added, "arp")?;
        res?;
    }
    if let Some(nest) = get(data, NS_IP6_TARGET) {
        options::ns_targets_clear(dev, rtnl);
        let mut added = 0;
        let mut res = Ok(());
        for (_, t) in nest.nested() {
            // `nla_get_in6_addr`: the first 16 bytes.
            let Some(addr) = t.payload().get(..16) else {
                ack.set_message(c_str!("Invalid IPv6 address"));
                return Err(EINVAL);
            };
            let mut target = [0u8; 16];
            target.copy_from_slice(addr);
            res = options::set_netlink_ns_target(dev, rtnl, target, ack, Some(nest));
            if res.is_err() {
                break;
            }
            added += 1;
        }
        warn_no_targets(dev, rtnl, added, "ns")?;
        res?;
    }
    if let Some((a, v)) = num(ARP_VALIDATE) {
        if v != 0 && miimon != 0 {
            // C points at the ARP_INTERVAL attribute here (possibly absent).
            ack.set_message_opt_attr(
                c_str!("ARP validating cannot be used with MII monitoring"),
                get(data, ARP_INTERVAL),
            );
            return Err(EINVAL);
        }
        set!(OptionId::ArpValidate, Input::Value(v), a)?;
    }
    if let Some((a, v)) = num(ARP_ALL_TARGETS) {
        set!(OptionId::ArpAllTargets, Input::Value(v), a)?;
    }
    if let Some(a) = get(data, PRIMARY) {
        // An unknown ifindex clears the primary.
        let name = name_by_index(dev, rtnl, a.as_u32().unwrap_or(0) as i32);
        let s = name.as_ref().map_or(&b""[..], |n| n.as_bytes());
        set!(OptionId::Primary, Input::Str(s), a)?;
    }
    for (kind, id) in [
        (PRIMARY_RESELECT, OptionId::PrimaryReselect),
        (FAIL_OVER_MAC, OptionId::FailOverMac),
        (XMIT_HASH_POLICY, OptionId::XmitHash),
        (RESEND_IGMP, OptionId::ResendIgmp),
        (NUM_PEER_NOTIF, OptionId::NumPeerNotif),
        (ALL_SLAVES_ACTIVE, OptionId::AllSlavesActive),
        (MIN_LINKS, OptionId::MinLinks),
        (LP_INTERVAL, OptionId::LpInterval),
        (PACKETS_PER_SLAVE, OptionId::PacketsPerSlave),
        (AD_LACP_ACTIVE, OptionId::LacpActive),
        (AD_LACP_RATE, OptionId::LacpRate),
        (AD_SELECT, OptionId::AdSelect),
        (AD_ACTOR_SYS_PRIO, OptionId::AdActorSysPrio),
        (AD_USER_PORT_KEY, OptionId::AdUserPortKey),
    ] {
        if let Some((a, v)) = num(kind) {
            set!(id, Input::Value(v), a)?;
        }
    }
    if let Some(a) = get(data, AD_ACTOR_SYSTEM) {
        if a.payload().len() != ETH_ALEN {
            return Err(EINVAL);
        }
        set!(OptionId::AdActorSystem, Input::Value(a.as_u64_padded()), a,)?;
    }
    for (kind, id) in [
        (TLB_DYNAMIC_LB, OptionId::TlbDynamicLb),
        (MISSED_MAX, OptionId::MissedMax),
        (COUPLED_CONTROL, OptionId::CoupledControl),
    ] {
        if let Some((a, v)) = num(kind) {
            set!(id, Input::Value(v), a)?;
        }
    }
    Ok(())
}

/// `bond_get_size`.
pub(crate) const fn get_size() -> usize {
    let u8s = 13; // MODE, USE_CARRIER, PRIMARY_RESELECT, FAIL_OVER_MAC,
                  // XMIT_HASH_POLICY, NUM_PEER_NOTIF, ALL_SLAVES_ACTIVE,
                  // AD_LACP_ACTIVE, AD_LACP_RATE, AD_SELECT,
                  // TLB_DYNAMIC_LB, MISSED_MAX, COUPLED_CONTROL
    let u32s = 13; // ACTIVE_SLAVE, MIIMON, UPDELAY, DOWNDELAY, ARP_INTERVAL,
                   // ARP_VALIDATE, ARP_ALL_TARGETS, PRIMARY, RESEND_IGMP,
                   // MIN_LINKS, LP_INTERVAL, PACKETS_PER_SLAVE,
                   // PEER_NOTIF_DELAY
    let u16s = 6; // AD_INFO_{AGGREGATOR,NUM_PORTS,ACTOR_KEY,PARTNER_KEY},
                  // AD_ACTOR_SYS_PRIO, AD_USER_PORT_KEY
    u8s * nla_total_size(1)
        + u32s * nla_total_size(4)
        + u16s * nla_total_size(2)
        + nla_total_size(NLA_HDR)
        + nla_total_size(4) * MAX_TARGETS
        + nla_total_size(NLA_HDR)
        + 2 * nla_total_size(ETH_ALEN)
        + nla_total_size(NLA_HDR)
        + nla_total_size(16) * MAX_TARGETS
}

/// C's warning when a netlink request leaves the ARP monitor without
/// targets of one kind (`what` is "arp" or "ns").
fn warn_no_targets(dev: &DriverDevice<Bond>, rtnl: &Rtnl, added: usize, what: &str) -> Result {
    let arp_interval = BondRef::of(dev).inner.params.borrow(rtnl)?.arp_interval;
    if added == 0 && arp_interval != 0 {
        netdev_log!(
            Warning,
            dev,
            "Removing last {} target with arp_interval on\n",
            what
        );
    }
    Ok(())
}

/// `bond_fill_info`: the bond's `IFLA_INFO_DATA`, attribute for attribute
/// and condition for condition as C (no 802.3ad part: that mode is not
/// available).
pub(crate) fn fill_info(dev: &DriverDevice<Bond>, rtnl: &Rtnl, msg: &mut Message<'_>) -> Result {
    let bond = BondRef::of(dev);
    let p = bond.inner.params.borrow(rtnl)?;
    let (active, primary) = {
        let st = bond.inner.state.borrow(rtnl)?;
        (
            st.active
                .as_ref()
                .filter(|_| p.mode.uses_primary())
                .map(|s| s.dev.ifindex()),
            st.primary.as_ref().map(|s| s.dev.ifindex()),
        )
    };
    msg.put_u8(MODE, p.mode.value())?;
    if let Some(ifindex) = active.filter(|&i| i != 0) {
        msg.put_u32(ACTIVE_SLAVE, ifindex as u32)?;
    }
    msg.put_u32(MIIMON, p.miimon)?;
    msg.put_u32(UPDELAY, p.updelay.wrapping_mul(p.miimon))?;
    msg.put_u32(DOWNDELAY, p.downdelay.wrapping_mul(p.miimon))?;
    msg.put_u32(PEER_NOTIF_DELAY, p.peer_notif_delay.wrapping_mul(p.miimon))?;
    msg.put_u8(USE_CARRIER, p.use_carrier as u8)?;
    msg.put_u32(ARP_INTERVAL, p.arp_interval)?;
    msg.nest_if(ARP_IP_TARGET, Nest::NoFlag, |m| {
        for (i, t) in p.arp_targets[..p.arp_targets_len].iter().enumerate() {
            m.put(i as u16, t)?;
        }
        Ok(p.arp_targets_len > 0)
    })?;
    msg.put_u32(ARP_VALIDATE, p.arp_validate)?;
    msg.put_u32(ARP_ALL_TARGETS, p.arp_all_targets)?;
    msg.nest_if(NS_IP6_TARGET, Nest::Flagged, |m| {
        for (i, t) in p.ns_targets[..p.ns_targets_len].iter().enumerate() {
            m.put(i as u16, t)?;
        }
        Ok(p.ns_targets_len > 0)
    })?;
    if let Some(ifindex) = primary {
        msg.put_u32(PRIMARY, ifindex as u32)?;
    }
    msg.put_u8(PRIMARY_RESELECT, p.primary_reselect as u8)?;
    msg.put_u8(FAIL_OVER_MAC, p.fail_over_mac as u8)?;
    msg.put_u8(XMIT_HASH_POLICY, p.xmit_policy as u8)?;
    msg.put_u32(RESEND_IGMP, p.resend_igmp)?;
    msg.put_u8(NUM_PEER_NOTIF, p.num_peer_notif as u8)?;
    msg.put_u8(ALL_SLAVES_ACTIVE, p.all_slaves_active as u8)?;
    msg.put_u32(MIN_LINKS, p.min_links)?;
    msg.put_u32(LP_INTERVAL, p.lp_interval)?;
    msg.put_u32(PACKETS_PER_SLAVE, p.packets_per_slave)?;
    msg.put_u8(AD_LACP_ACTIVE, p.lacp_active as u8)?;
    msg.put_u8(AD_LACP_RATE, p.lacp_fast as u8)?;
    msg.put_u8(AD_SELECT, p.ad_select as u8)?;
    msg.put_u8(TLB_DYNAMIC_LB, p.tlb_dynamic_lb as u8)?;
    msg.put_u8(MISSED_MAX, p.missed_max as u8)?;
    msg.put_u8(COUPLED_CONTROL, p.coupled_control as u8)?;
    Ok(())
}

/// `bond_slave_changelink`: `queue_id` (as the sysfs string
/// `"<slave>:<id>"`), `prio`, `actor_port_prio` (802.3ad only, so refused
/// with `EACCES` by the engine as C does outside that mode).
pub(crate) fn slave_changelink(
    dev: &DriverDevice<Bond>,
    rtnl: &Rtnl,
    port: &Device,
    attrs: &mut LinkAttrs<'_>,
) -> Result {
    let data = &attrs.data;
    let ack = &mut attrs.extack;
    if !data.is_present() {
        return Ok(());
    }
    if let Some(a) = get(data, SLAVE_QUEUE_ID) {
        let qid = a.as_u16().unwrap_or(0);
        // `"<slave>:<id>\n"`, the name as its bytes.
        let mut s = KVec::new();
        s.extend_from_slice(port.name().as_bytes(), GFP_KERNEL)?;
        let id = CString::try_from_fmt(kernel::fmt!(":{}\n", qid))?;
        s.extend_from_slice(id.as_bytes(), GFP_KERNEL)?;
        options::set_netlink(
            dev,
            rtnl,
            OptionId::QueueId,
            Input::Str(&s),
            None,
            ack,
            Some(a),
        )?;
    }
    if let Some(a) = get(data, SLAVE_PRIO) {
        let prio = a.as_s32().unwrap_or(0);
        options::set_netlink(
            dev,
            rtnl,
            OptionId::Prio,
            Input::Value(i64::from(prio) as u64),
            Some(port),
            ack,
            Some(a),
        )?;
    }
    if let Some(a) = get(data, SLAVE_ACTOR_PORT_PRIO) {
        options::set_netlink(
            dev,
            rtnl,
            OptionId::ActorPortPrio,
            Input::Value(small(a, 2)),
            Some(port),
            ack,
            Some(a),
        )?;
    }
    Ok(())
}

/// `bond_get_slave_size`.
pub(crate) const fn get_slave_size() -> usize {
    // STATE, MII_STATUS, AD_ACTOR_OPER_PORT_STATE, the two churn states.
    5 * nla_total_size(1)
        // LINK_FAILURE_COUNT, PRIO.
        + 2 * nla_total_size(4)
        + nla_total_size(MAX_ADDR_LEN)
        // QUEUE_ID, AD_AGGREGATOR_ID, AD_PARTNER_OPER_PORT_STATE,
        // ACTOR_PORT_PRIO.
        + 4 * nla_total_size(2)
}

/// `bond_fill_slave_info` (no 802.3ad part: that mode is not available).
pub(crate) fn fill_slave_info(
    dev: &DriverDevice<Bond>,
    rtnl: &Rtnl,
    port: &Device,
    msg: &mut Message<'_>,
) -> Result {
    let bond = BondRef::of(dev);
    let list = bond.inner.slaves.borrow(rtnl)?;
    // A port in the middle of being enslaved or released may not be on
    // the list: nothing to write then.
    let Some(s) = list.iter().find(|s| core::ptr::eq(s.dev(), port)) else {
        return Ok(());
    };
    let sh = &s.shared;
    msg.put_u8(SLAVE_STATE, sh.state())?;
    msg.put_u8(SLAVE_MII_STATUS, sh.link().value() as u8)?;
    msg.put_u32(SLAVE_LINK_FAILURE_COUNT, sh.link_failure_count())?;
    msg.put(
        SLAVE_PERM_HWADDR,
        sh.perm_hwaddr.first(usize::from(port.addr_len())),
    )?;
    msg.put_u16(SLAVE_QUEUE_ID, sh.queue_id.load(Ordering::Relaxed))?;
    msg.put_s32(SLAVE_PRIO, s.prio)?;
    Ok(())
}
