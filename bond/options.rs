// SPDX-License-Identifier: GPL-2.0

//! The option engine's kernel half: `__bond_opt_set` and the setters.
//!
//! C version: `bond_options.c` (`__bond_opt_set`, `bond_opt_tryset_rtnl`,
//! `bond_opt_error_interpret`, the `bond_option_*_set` functions). The
//! table, parsing, dependency checks and error texts are pure logic in
//! [`crate::logic::options`]; the front ends (sysfs, module parameters)
//! call [`set`] with the option and the user's input.

use super::{params::MAX_ARP_TARGETS, select, slave, Bond, BondInner, BondRef};
use super::{ARP_WORK, MII_WORK};
use crate::logic::{
    hash::XmitHashPolicy,
    mode::Mode,
    options::{self, BondState, Error as OptError, Input, OptValue, OptionId},
};
use crate::net::{
    delayed_work::DelayedWork,
    device::IFNAMSIZ,
    errno::EOPNOTSUPP,
    log::{netdev_printk_bytes, printk_pieces, Level},
    netdev_log,
    netlink::{Attr, ExtAck},
    notifier::NetdevEvent,
    ops::flags,
    Device, DriverDevice, Rtnl,
};
use core::sync::atomic::Ordering;
use kernel::{c_str, prelude::*, sync::Arc};

/// A setter's failure: the errno, and whether the engine should print
/// its standard lines for it (setters that print their own say no).
type SetResult = core::result::Result<(), OptError>;

/// `dev_valid_name()`.
pub(crate) fn dev_valid_name(name: &[u8]) -> bool {
    !name.is_empty()
        && name.len() < IFNAMSIZ
        && name != b"."
        && name != b".."
        && !name
            .iter()
            .any(|&b| b == b'/' || b == b':' || b == 0 || is_space(b))
}

/// The kernel's `isspace()`.
pub(crate) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t'..=b'\r' | 0xa0)
}

/// `sscanf(s, "%Ns")`: the first word, at most `max` bytes.
pub(crate) fn first_word(s: &[u8], max: usize) -> &[u8] {
    let s = until_nul(s);
    let start = s.iter().position(|&b| !is_space(b)).unwrap_or(s.len());
    let rest = &s[start..];
    let len = rest
        .iter()
        .position(|&b| is_space(b))
        .unwrap_or(rest.len())
        .min(max);
    &rest[..len]
}

fn until_nul(s: &[u8]) -> &[u8] {
    &s[..s.iter().position(|&b| b == 0).unwrap_or(s.len())]
}

/// `name` as a C string in `buf`, as the core takes a device name: its
/// bytes as they are (a name is bytes, not text: never format one to look
/// it up or create it). `None` if it holds a NUL or is too long to be a
/// device name (`IFNAMSIZ` with its NUL).
pub(crate) fn name_cstr<'a>(buf: &'a mut [u8; IFNAMSIZ], name: &[u8]) -> Option<&'a CStr> {
    let dst = buf.get_mut(..=name.len())?;
    dst[..name.len()].copy_from_slice(name);
    dst[name.len()] = 0;
    CStr::from_bytes_with_nul(dst).ok()
}

/// Looks a device up by name in the bond's namespace (`__dev_get_by_name`,
/// which compares the C string up to its NUL: no device has a longer name
/// than `IFNAMSIZ - 1` bytes).
pub(crate) fn lookup(
    bond: &Device,
    rtnl: &Rtnl,
    name: &[u8],
) -> Option<kernel::types::ARef<Device>> {
    let mut buf = [0u8; IFNAMSIZ];
    let c = name_cstr(&mut buf, until_nul(name))?;
    Device::get_by_name(bond.namespace(rtnl), c).ok()
}

/// `__bond_opt_set` + `bond_opt_error_interpret` + the notification of
/// `__bond_opt_set_notify`: sets option `id` of `dev` from `input`, with
/// RTNL held. Errors are logged as C logs them.
pub(crate) fn set(dev: &DriverDevice<Bond>, rtnl: &Rtnl, id: OptionId, input: Input<'_>) -> Result {
    set_from(dev, rtnl, id, input, None, None, None)?;
    let _ = dev.notify(rtnl, NetdevEvent::ChangeInfoData);
    Ok(())
}

/// `__bond_opt_set` with an extack, for the netlink front end: errors are
/// logged as [`set`] logs them and the message C's
/// `bond_opt_error_interpret` gives goes to `extack`, pointing at
/// `bad_attr`. `slave` is the port of a per-slave option
/// (`bond_opt_slave_initval`). No notification: rtnetlink sends one for the
/// whole request.
pub(crate) fn set_netlink(
    dev: &DriverDevice<Bond>,
    rtnl: &Rtnl,
    id: OptionId,
    input: Input<'_>,
    slave: Option<&Device>,
    extack: &mut ExtAck<'_>,
    bad_attr: Option<&Attr>,
) -> Result {
    set_from(dev, rtnl, id, input, slave, Some((extack, bad_attr)), None)
}

/// [`set_netlink`] of one NS target (`ns_ip6_target`): C passes the
/// address as the value's `extra`, with the value itself `ULLONG_MAX`.
pub(crate) fn set_netlink_ns_target(
    dev: &DriverDevice<Bond>,
    rtnl: &Rtnl,
    target: [u8; 16],
    extack: &mut ExtAck<'_>,
    bad_attr: Option<&Attr>,
) -> Result {
    set_from(
        dev,
        rtnl,
        OptionId::NsTargets,
        Input::Value(u64::MAX),
        None,
        Some((extack, bad_attr)),
        Some(target),
    )
}

/// The extack text of an engine message (the engine's texts are plain
/// `str`s; the core needs static C strings).
fn extack_text(msg: &str) -> Option<&'static CStr> {
    Some(match msg {
        "invalid option value" => c_str!("invalid option value"),
        "option not supported in mode" => c_str!("option not supported in mode"),
        "unable to set option because the bond device has slaves" => {
            c_str!("unable to set option because the bond device has slaves")
        }
        "unable to set option because the bond is up" => {
            c_str!("unable to set option because the bond is up")
        }
        "interface does not exist" => c_str!("interface does not exist"),
        _ => return None,
    })
}

/// The extack text of rust_bond's own refusals (`EOPNOTSUPP`) of what C
/// has and rust_bond not yet.
fn unsupported_text(id: OptionId) -> &'static CStr {
    match id {
        OptionId::Mode => c_str!("rust_bond: this mode is not supported yet"),
        _ => c_str!("rust_bond: option not supported yet"),
    }
}

/// The common part of [`set`] and [`set_netlink`].
fn set_from(
    dev: &DriverDevice<Bond>,
    rtnl: &Rtnl,
    id: OptionId,
    input: Input<'_>,
    slave: Option<&Device>,
    nl: Option<(&mut ExtAck<'_>, Option<&Attr>)>,
    ns_target: Option<[u8; 16]>,
) -> Result {
    let bond = BondRef::of(dev);
    let state = BondState {
        mode: bond.inner.params.borrow(rtnl)?.mode,
        has_slaves: bond.inner.slave_count.load(Ordering::Relaxed) > 0,
        up: dev.is_up(),
    };
    let res = options::prepare(id, &state, input)
        .and_then(|v| apply(dev, rtnl, id, &v, slave, ns_target));
    let Err(e) = res else {
        return Ok(());
    };
    e.log_lines(id, input, |head, raw, tail| {
        netdev_printk_bytes(Level::Err, dev, head, raw, format_args!("{tail}\n"))
    });
    if let Some((extack, bad_attr)) = nl {
        if let Some(msg) = e.extack(id, input).and_then(extack_text) {
            extack.set_message_opt_attr(msg, bad_attr);
        } else if e.errno() == EOPNOTSUPP().to_errno() {
            extack.set_message_opt_attr(unsupported_text(id), bad_attr);
        }
    }
    Err(Error::from_errno(e.errno()))
}

/// Runs the setter of `id` with a parsed value; `slave` is the port of a
/// per-slave option.
fn apply(
    dev: &DriverDevice<Bond>,
    rtnl: &Rtnl,
    id: OptionId,
    v: &OptValue<'_>,
    slave: Option<&Device>,
    ns_target: Option<[u8; 16]>,
) -> SetResult {
    let bond = BondRef::of(dev);
    let inner = bond.inner;
    let eperm = OptError::Other(EPERM.to_errno());
    let mut p = inner
        .params
        .borrow_mut(rtnl)
        .map_err(|_| OptError::Other(EBUSY.to_errno()))?;
    let val = v.value;
    match id {
        OptionId::Mode => {
            let new = Mode::from_value(val).ok_or(OptError::Invalid)?;
            if !crate::modes::implemented(new) {
                netdev_log!(
                    Err,
                    dev,
                    "option mode: mode {} ({}) is not supported by rust_bond yet\n",
                    v.string_display(),
                    new.value()
                );
                return Err(OptError::Other(EOPNOTSUPP().to_errno()));
            }
            if !new.uses_arp() {
                p.arp_interval = 0;
                if p.miimon == 0 {
                    p.miimon = super::params::DEFAULT_MIIMON;
                }
            }
            if new == Mode::Alb {
                p.tlb_dynamic_lb = 1;
            }
            p.arp_validate = 0;
            p.broadcast_neighbor = 0;
            p.mode = new;
        }
        OptionId::PacketsPerSlave => p.packets_per_slave = val as u32,
        OptionId::XmitHash => {
            p.xmit_policy = XmitHashPolicy::from_value(val).ok_or(OptError::Invalid)?;
        }
        OptionId::ArpValidate => {
            // bond_option_arp_validate_set: the backups' NS groups follow
            // whether validation is on.
            let changed = (p.arp_validate != 0) != (val != 0);
            p.arp_validate = val as u32;
            if changed {
                let params = p.clone();
                drop(p);
                for s in slave::each(inner, rtnl) {
                    super::arpmon::set_ns_maddrs(
                        rtnl,
                        params.mode,
                        &params.ns_targets[..params.ns_targets_len],
                        &s,
                        val != 0,
                    );
                }
                inner.publish(dev, rtnl);
                return Ok(());
            }
        }
        OptionId::ArpAllTargets => p.arp_all_targets = val as u32,
        OptionId::FailOverMac => p.fail_over_mac = val as u32,
        OptionId::ArpInterval => {
            // bond_option_arp_interval_set: the ARP and MII monitors
            // exclude each other.
            netdev_log!(Debug, dev, "Setting ARP monitoring interval to {}\n", val);
            p.arp_interval = val as u32;
            if val != 0 {
                if p.miimon != 0 {
                    netdev_log!(
                        Debug,
                        dev,
                        "ARP monitoring cannot be used with MII monitoring. Disabling MII monitoring\n"
                    );
                    p.miimon = 0;
                }
                if p.arp_targets_len == 0 {
                    netdev_log!(
                        Debug,
                        dev,
                        "ARP monitoring has been set up, but no ARP targets have been specified\n"
                    );
                }
            }
            drop(p);
            inner.publish(dev, rtnl);
            if dev.is_up() {
                if val == 0 {
                    inner.arp_work.cancel_sync();
                } else {
                    inner.mii_work.cancel_sync();
                    DelayedWork::<_, ARP_WORK>::queue(arc_of(dev), 0);
                }
            }
            return Ok(());
        }
        OptionId::ArpTargets => {
            drop(p);
            match v.raw_str() {
                Some(raw) => arp_targets_set(dev, rtnl, raw)?,
                // Netlink: one target, network order as a number (C's
                // `(__force u64)target`).
                None => arp_target_add(dev, rtnl, (val as u32).to_ne_bytes())?,
            }
            inner.publish(dev, rtnl);
            return Ok(());
        }
        OptionId::Downdelay | OptionId::Updelay | OptionId::PeerNotifDelay => {
            let name = match id {
                OptionId::Downdelay => "down delay",
                OptionId::Updelay => "up delay",
                _ => "peer notification delay",
            };
            let value = val as u32 as i32;
            if p.miimon == 0 {
                netdev_log!(
                    Err,
                    dev,
                    "Unable to set {} as MII monitoring is disabled\n",
                    name
                );
                return Err(eperm);
            }
            let miimon = p.miimon as i32;
            let ticks = value.checked_div(miimon).unwrap_or(0);
            if value.checked_rem(miimon).unwrap_or(0) != 0 {
                netdev_log!(
                    Warning,
                    dev,
                    "{} ({}) is not a multiple of miimon ({}), value rounded to {} ms\n",
                    name,
                    value,
                    miimon,
                    ticks.wrapping_mul(miimon)
                );
            }
            let ticks = ticks as u32;
            match id {
                OptionId::Downdelay => p.downdelay = ticks,
                OptionId::Updelay => p.updelay = ticks,
                _ => p.peer_notif_delay = ticks,
            }
        }
        OptionId::LacpRate => p.lacp_fast = val as u32,
        OptionId::MinLinks => {
            p.min_links = val as u32;
            drop(p);
            slave::set_carrier(bond, rtnl);
            return Ok(());
        }
        OptionId::AdSelect => p.ad_select = val as u32,
        OptionId::NumPeerNotif | OptionId::NumPeerNotifAlias => p.num_peer_notif = val as u32,
        OptionId::Miimon => {
            p.miimon = val as u32;
            if val != 0 && p.arp_interval != 0 {
                p.arp_interval = 0;
                p.arp_validate = 0;
            }
            drop(p);
            inner.publish(dev, rtnl);
            if dev.is_up() {
                if val == 0 {
                    inner.mii_work.cancel_sync();
                } else {
                    inner.arp_work.cancel_sync();
                    // C's queue_delayed_work(): a pending monitor keeps
                    // its time.
                    DelayedWork::<_, MII_WORK>::queue(arc_of(dev), 0);
                }
            }
            return Ok(());
        }
        OptionId::Primary => {
            let raw = v.raw_str().unwrap_or(&[]);
            drop(p);
            primary_set(bond, rtnl, raw);
            return Ok(());
        }
        OptionId::PrimaryReselect => {
            p.primary_reselect = val as u32;
            drop(p);
            select::select(bond, rtnl);
            return Ok(());
        }
        OptionId::UseCarrier => p.use_carrier = val as u32,
        OptionId::ActiveSlave => {
            let raw = v.raw_str().unwrap_or(&[]);
            drop(p);
            return active_slave_set(bond, rtnl, raw);
        }
        OptionId::QueueId => {
            let raw = v.raw_str().unwrap_or(&[]);
            drop(p);
            return queue_id_set(bond, rtnl, raw).map_err(|()| {
                netdev_log!(Debug, dev, "invalid input for queue_id set\n");
                eperm
            });
        }
        OptionId::AllSlavesActive => {
            if u64::from(p.all_slaves_active) == val {
                return Ok(());
            }
            p.all_slaves_active = val as u32;
            drop(p);
            for s in slave::each(inner, rtnl) {
                s.refresh_inactive(val != 0);
            }
            return Ok(());
        }
        OptionId::ResendIgmp => p.resend_igmp = val as u32,
        OptionId::LpInterval => p.lp_interval = val as u32,
        OptionId::Slaves => {
            let raw = v.raw_str().unwrap_or(&[]);
            drop(p);
            return slaves_set(dev, rtnl, raw);
        }
        OptionId::TlbDynamicLb => p.tlb_dynamic_lb = val as u32,
        OptionId::AdActorSysPrio => p.ad_actor_sys_prio = val as u32,
        OptionId::AdUserPortKey => p.ad_user_port_key = val as u32,
        OptionId::LacpActive => p.lacp_active = val as u32,
        OptionId::MissedMax => p.missed_max = val as u32,
        OptionId::CoupledControl => p.coupled_control = val as u32,
        OptionId::BroadcastNeigh => p.broadcast_neighbor = val as u32,
        OptionId::Prio => {
            drop(p);
            return prio_set(bond, rtnl, slave, val as i32);
        }
        // 802.3ad-only options that need a MAC or a port: mode 4 is not
        // available, so the engine refuses them (EACCES) before here.
        OptionId::NsTargets => {
            drop(p);
            // Only netlink sets NS targets, always with an address.
            ns_target_add(bond, rtnl, ns_target.ok_or(OptError::Invalid)?)?;
            inner.publish(dev, rtnl);
            return Ok(());
        }
        OptionId::AdActorSystem | OptionId::ActorPortPrio => {
            return Err(OptError::Other(EOPNOTSUPP().to_errno()));
        }
    }
    drop(p);
    inner.publish(dev, rtnl);
    Ok(())
}

/// The `Arc` of the bond's state, for queueing its work.
fn arc_of(dev: &DriverDevice<Bond>) -> Arc<BondInner> {
    dev.data().inner.clone()
}

/// `bond_option_prio_set`: the slave's `prio`, which the active slave
/// choice reads unless a primary is set.
fn prio_set(bond: BondRef<'_>, rtnl: &Rtnl, slave: Option<&Device>, prio: i32) -> SetResult {
    let Some(sdev) = slave else {
        return Err(OptError::NoDevice);
    };
    {
        let mut list = bond
            .inner
            .slaves
            .borrow_mut(rtnl)
            .map_err(|_| OptError::Invalid)?;
        let Some(s) = list.iter_mut().find(|s| core::ptr::eq(s.dev(), sdev)) else {
            netdev_log!(Debug, sdev, "bond_option_prio_set called on NULL slave\n");
            return Err(OptError::NoDevice);
        };
        s.prio = prio;
    }
    let has_primary = bond
        .inner
        .state
        .borrow(rtnl)
        .is_ok_and(|st| st.primary.is_some());
    if has_primary {
        slave::slave_log!(
            Warning,
            bond.dev,
            sdev,
            "prio updated, but will not affect failover re-selection as primary slave have been set\n"
        );
    } else {
        select::select(bond, rtnl);
    }
    Ok(())
}

/// `bond_option_primary_set`.
fn primary_set(bond: BondRef<'_>, rtnl: &Rtnl, raw: &[u8]) {
    let raw = until_nul(raw);
    let name = &raw[..raw.iter().position(|&b| b == b'\n').unwrap_or(raw.len())];
    if name.is_empty() {
        if let Ok(mut st) = bond.inner.state.borrow_mut(rtnl) {
            st.primary = None;
        }
        if let Ok(mut p) = bond.inner.params.borrow_mut(rtnl) {
            p.set_primary_name(&[]);
        }
        select::select(bond, rtnl);
        return;
    }
    let cmp_len = name.len().min(IFNAMSIZ);
    let found = slave::each(bond.inner, rtnl).find(|s| s.dev.name().as_bytes() == &name[..cmp_len]);
    if let Some(s) = found {
        if let Ok(mut p) = bond.inner.params.borrow_mut(rtnl) {
            p.set_primary_name(s.dev.name().as_bytes());
        }
        if let Ok(mut st) = bond.inner.state.borrow_mut(rtnl) {
            st.primary = Some(s);
            st.force_primary = true;
        }
        select::select(bond, rtnl);
        return;
    }
    let had = bond
        .inner
        .state
        .borrow_mut(rtnl)
        .map(|mut st| st.primary.take().is_some())
        .unwrap_or(false);
    if had {
        select::select(bond, rtnl);
    }
    if let Ok(mut p) = bond.inner.params.borrow_mut(rtnl) {
        p.set_primary_name(name);
    }
}

/// `bond_option_active_slave_set`.
fn active_slave_set(bond: BondRef<'_>, rtnl: &Rtnl, raw: &[u8]) -> SetResult {
    let ifname = first_word(raw, IFNAMSIZ - 1);
    let slave_dev = if ifname.is_empty() || raw.first() == Some(&b'\n') {
        None
    } else {
        Some(lookup(bond.dev, rtnl, ifname).ok_or(OptError::NoDevice)?)
    };
    let Some(sdev) = slave_dev else {
        if let Ok(mut st) = bond.inner.state.borrow_mut(rtnl) {
            st.active = None;
        }
        bond.inner.publish(bond.dev, rtnl);
        select::select(bond, rtnl);
        return Ok(());
    };
    let is_slave =
        sdev.flags() & flags::SLAVE != 0 && sdev.master(rtnl).is_some_and(crate::is_bond);
    if !is_slave {
        slave::slave_log!(Err, bond.dev, &*sdev, "Device is not bonding slave\n");
        return Err(OptError::Invalid);
    }
    if !sdev
        .master(rtnl)
        .is_some_and(|m| core::ptr::eq(m, bond.dev))
    {
        slave::slave_log!(Err, bond.dev, &*sdev, "Device is not our slave\n");
        return Err(OptError::Invalid);
    }
    let Some(new) = slave::find(bond.inner, rtnl, &sdev) else {
        return Err(OptError::Invalid);
    };
    let old = bond
        .inner
        .state
        .borrow(rtnl)
        .ok()
        .and_then(|st| st.active.clone());
    if old.as_ref().is_some_and(|o| Arc::ptr_eq(o, &new)) {
        return Ok(());
    }
    if old.is_some() && new.link() == slave::Link::Up && new.is_up() {
        select::change(bond, rtnl, Some(new));
        Ok(())
    } else {
        // `slave_err(..., "...either %s is down...", name)`: three names.
        let name = bond.dev.log_name();
        let sname = sdev.name().as_bytes();
        printk_pieces(
            Level::Err,
            &[
                (name.bytes(), format_args!("{}: (slave ", name.state())),
                (
                    sname,
                    format_args!("): Could not set as active slave; either "),
                ),
                (sname, format_args!(" is down or the link is down\n")),
            ],
        );
        Err(OptError::Invalid)
    }
}

/// `bond_option_queue_id_set`; every failure is `EPERM`.
fn queue_id_set(bond: BondRef<'_>, rtnl: &Rtnl, raw: &[u8]) -> core::result::Result<(), ()> {
    let raw = until_nul(raw);
    let colon = raw.iter().position(|&b| b == b':').ok_or(())?;
    let (name, rest) = (&raw[..colon], &raw[colon + 1..]);
    // sscanf("%hd"): optional sign and digits after white space.
    let rest = &rest[rest
        .iter()
        .position(|&b| !is_space(b))
        .unwrap_or(rest.len())..];
    let (neg, digits) = match rest.first() {
        Some(b'-') => (true, &rest[1..]),
        Some(b'+') => (false, &rest[1..]),
        _ => (false, rest),
    };
    let n = digits.iter().take_while(|b| b.is_ascii_digit()).count();
    if n == 0 {
        return Err(());
    }
    let mut v: i64 = 0;
    for &d in &digits[..n] {
        v = v.wrapping_mul(10).wrapping_add(i64::from(d - b'0'));
    }
    let qid = (if neg { v.wrapping_neg() } else { v }) as i16 as u16;
    if !dev_valid_name(name) || u32::from(qid) > bond.dev.real_num_tx_queues() {
        return Err(());
    }
    let sdev = lookup(bond.dev, rtnl, name).ok_or(())?;
    let mut update = None;
    for s in slave::each(bond.inner, rtnl) {
        if core::ptr::eq(&*s.dev, &*sdev) {
            update = Some(s);
        } else if qid != 0 && qid == s.queue_id.load(Ordering::Relaxed) {
            return Err(());
        }
    }
    update.ok_or(())?.queue_id.store(qid, Ordering::Relaxed);
    Ok(())
}

/// `bond_option_slaves_set`: `+ifname` enslaves, `-ifname` releases.
fn slaves_set(dev: &DriverDevice<Bond>, rtnl: &Rtnl, raw: &[u8]) -> SetResult {
    let command = first_word(raw, IFNAMSIZ);
    let ok = command.len() > 1
        && (command[0] == b'+' || command[0] == b'-')
        && dev_valid_name(&command[1..]);
    if !ok {
        netdev_log!(
            Err,
            dev,
            "no command found in slaves file - use +ifname or -ifname\n"
        );
        return Err(OptError::Other(EPERM.to_errno()));
    }
    let Some(sdev) = lookup(dev, rtnl, &command[1..]) else {
        return Err(OptError::NoDevice);
    };
    let mode = dev
        .data()
        .inner
        .params
        .borrow(rtnl)
        .map_err(|_| OptError::Other(EBUSY.to_errno()))?
        .mode;
    let res = if command[0] == b'+' {
        slave::enslave(dev, rtnl, &sdev, None)
    } else {
        slave::release(dev, rtnl, &sdev, false)
    };
    res.map_err(|e| OptError::from_errno(e.to_errno(), mode))
}

/// `in4_pton(s, -1, ...)`: a dotted quad at the start of `s`, stopping at
/// the first byte that is neither a digit nor a dot.
fn parse_ipv4(s: &[u8]) -> Option<[u8; 4]> {
    let mut out = [0u8; 4];
    let mut part = 0usize;
    let mut val: u32 = 0;
    let mut digits = 0;
    for &b in s {
        match b {
            b'0'..=b'9' => {
                val = val * 10 + u32::from(b - b'0');
                digits += 1;
                if val > 255 || digits > 3 {
                    return None;
                }
            }
            b'.' => {
                if digits == 0 || part == 3 {
                    return None;
                }
                out[part] = val as u8;
                part += 1;
                val = 0;
                digits = 0;
            }
            _ => break,
        }
    }
    if part != 3 || digits == 0 {
        return None;
    }
    out[3] = val as u8;
    Some(out)
}

/// Prints an address as `%pI4`.
pub(crate) struct Ipv4(pub(crate) [u8; 4]);

impl core::fmt::Display for Ipv4 {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let a = self.0;
        write!(f, "{}.{}.{}.{}", a[0], a[1], a[2], a[3])
    }
}

/// `bond_is_ip_target_ok`: not 0.0.0.0 (`ipv4_is_zeronet`, which since
/// 5.3 is only the zero address), not 255.255.255.255.
fn ip_target_ok(a: [u8; 4]) -> bool {
    a != [0; 4] && a != [255, 255, 255, 255]
}

/// An `arp_ip_target` module parameter value: a valid target address.
pub(crate) fn parse_ip_target(s: &[u8]) -> Option<[u8; 4]> {
    parse_ipv4(s).filter(|a| ip_target_ok(*a))
}

/// The `arp_ip_target` sysfs write: `+a.b.c.d` or `-a.b.c.d`
/// (`bond_option_arp_ip_targets_set`).
fn arp_targets_set(dev: &DriverDevice<Bond>, rtnl: &Rtnl, raw: &[u8]) -> SetResult {
    let bond = BondRef::of(dev);
    let raw = until_nul(raw);
    let einval = OptError::Invalid;
    let Some(&cmd) = raw.first() else {
        netdev_log!(
            Err,
            dev,
            "no command found in arp_ip_targets file - use +<addr> or -<addr>\n"
        );
        return Err(OptError::Other(EPERM.to_errno()));
    };
    let Some(addr) = parse_ipv4(&raw[1..]) else {
        netdev_log!(Err, dev, "invalid ARP target specified\n");
        return Err(OptError::Other(EPERM.to_errno()));
    };
    if cmd == b'+' {
        return arp_target_add(dev, rtnl, addr);
    }
    let mut p = bond.inner.params.borrow_mut(rtnl).map_err(|_| einval)?;
    let len = p.arp_targets_len;
    match cmd {
        b'-' => {
            if !ip_target_ok(addr) {
                netdev_log!(
                    Err,
                    dev,
                    "invalid ARP target {} specified for removal\n",
                    Ipv4(addr)
                );
                return Err(einval);
            }
            let Some(i) = p.arp_targets[..len].iter().position(|t| *t == addr) else {
                netdev_log!(
                    Err,
                    dev,
                    "unable to remove nonexistent ARP target {}\n",
                    Ipv4(addr)
                );
                return Err(einval);
            };
            if i == 0 && len == 1 && p.arp_interval != 0 {
                netdev_log!(
                    Warning,
                    dev,
                    "Removing last arp target with arp_interval on\n"
                );
            }
            for s in slave::each(bond.inner, rtnl) {
                for j in i..len - 1 {
                    let next = s.arp.target_rx[j + 1].load(Ordering::Relaxed);
                    s.arp.target_rx[j].store(next, Ordering::Relaxed);
                }
                s.arp.target_rx[len - 1].store(0, Ordering::Relaxed);
            }
            p.arp_targets.copy_within(i + 1..len, i);
            p.arp_targets[len - 1] = [0; 4];
            p.arp_targets_len = len - 1;
        }
        _ => {
            netdev_log!(
                Err,
                dev,
                "no command found in arp_ip_targets file - use +<addr> or -<addr>\n"
            );
            return Err(OptError::Other(EPERM.to_errno()));
        }
    }
    Ok(())
}

/// `bond_option_arp_ip_target_add`: appends `addr` (network order bytes).
fn arp_target_add(dev: &DriverDevice<Bond>, rtnl: &Rtnl, addr: [u8; 4]) -> SetResult {
    let bond = BondRef::of(dev);
    let einval = OptError::Invalid;
    let mut p = bond.inner.params.borrow_mut(rtnl).map_err(|_| einval)?;
    let len = p.arp_targets_len;
    if !ip_target_ok(addr) {
        netdev_log!(
            Err,
            dev,
            "invalid ARP target {} specified for addition\n",
            Ipv4(addr)
        );
        return Err(einval);
    }
    if p.arp_targets[..len].contains(&addr) {
        netdev_log!(Err, dev, "ARP target {} is already present\n", Ipv4(addr));
        return Err(einval);
    }
    if len >= MAX_ARP_TARGETS {
        netdev_log!(Err, dev, "ARP target table is full!\n");
        return Err(einval);
    }
    netdev_log!(Debug, dev, "Adding ARP target {}\n", Ipv4(addr));
    // The new target counts as just heard from on every slave.
    let now = crate::net::time::jiffies();
    for s in slave::each(bond.inner, rtnl) {
        s.arp.target_rx[len].store(now, Ordering::Relaxed);
    }
    p.arp_targets[len] = addr;
    p.arp_targets_len = len + 1;
    Ok(())
}

/// `bond_option_ns_ip6_targets_set`: adds one NS target.
fn ns_target_add(bond: BondRef<'_>, rtnl: &Rtnl, target: [u8; 16]) -> SetResult {
    use crate::logic::arpmon;
    use crate::logic::procfs::Ipv6;
    let dev = bond.dev;
    let einval = OptError::Invalid;
    if !arpmon::ns_target_ok(&target) {
        netdev_log!(
            Err,
            dev,
            "invalid NS target {} specified for addition\n",
            Ipv6(&target)
        );
        return Err(einval);
    }
    let mut p = bond.inner.params.borrow_mut(rtnl).map_err(|_| einval)?;
    let len = p.ns_targets_len;
    if arpmon::ns_target_index(&p.ns_targets[..len], &target).is_some() {
        netdev_log!(Err, dev, "NS target {} is already present\n", Ipv6(&target));
        return Err(einval);
    }
    if len >= MAX_ARP_TARGETS {
        netdev_log!(Err, dev, "NS target table is full!\n");
        return Err(einval);
    }
    netdev_log!(Debug, dev, "Adding NS target {}\n", Ipv6(&target));
    // `_bond_options_ns_ip6_target_set`: heard from now, and the backups
    // join its group.
    let now = crate::net::time::jiffies();
    for s in slave::each(bond.inner, rtnl) {
        s.arp.target_rx[len].store(now, Ordering::Relaxed);
        super::arpmon::replace_ns_maddr(rtnl, &p, &s, &target, &[0; 16]);
    }
    p.ns_targets[len] = target;
    p.ns_targets_len = len + 1;
    Ok(())
}

/// `bond_option_ns_ip6_targets_clear`: removes every NS target (netlink
/// replaces the whole list); the backups leave the groups.
pub(crate) fn ns_targets_clear(dev: &DriverDevice<Bond>, rtnl: &Rtnl) {
    let bond = BondRef::of(dev);
    let Ok(mut p) = bond.inner.params.borrow_mut(rtnl) else {
        return;
    };
    for s in slave::each(bond.inner, rtnl) {
        for (i, t) in s.arp.target_rx.iter().enumerate() {
            t.store(0, Ordering::Relaxed);
            super::arpmon::replace_ns_maddr(rtnl, &p, &s, &[0; 16], &p.ns_targets[i]);
        }
    }
    p.ns_targets = [[0; 16]; MAX_ARP_TARGETS];
    p.ns_targets_len = 0;
    drop(p);
    bond.inner.publish(dev, rtnl);
}

/// `bond_option_arp_ip_targets_clear`: removes every ARP target (netlink
/// replaces the whole list).
pub(crate) fn arp_targets_clear(dev: &DriverDevice<Bond>, rtnl: &Rtnl) {
    let bond = BondRef::of(dev);
    for s in slave::each(bond.inner, rtnl) {
        for t in s.arp.target_rx.iter() {
            t.store(0, Ordering::Relaxed);
        }
    }
    if let Ok(mut p) = bond.inner.params.borrow_mut(rtnl) {
        p.arp_targets = [[0; 4]; MAX_ARP_TARGETS];
        p.arp_targets_len = 0;
    }
    bond.inner.publish(dev, rtnl);
}
