// SPDX-License-Identifier: GPL-2.0

//! The ARP link monitor: every `arp_interval` ms, send ARP requests for the
//! `arp_ip_target`s and judge each slave by whether it sent and received
//! recently; with `arp_validate`, only ARP traffic that matches the probes
//! counts as received.
//!
//! C version: `bond_main.c` (`bond_arp_monitor`,
//! `bond_loadbalance_arp_mon`, `bond_activebackup_arp_mon` with
//! `bond_ab_arp_inspect`/`_commit`/`_probe`, `bond_arp_send_all`,
//! `bond_verify_device_path`, `bond_rcv_validate`, `bond_arp_rcv`,
//! `bond_validate_arp`, `bond_has_this_ip`). The decisions are pure logic
//! in [`crate::logic::arpmon`].
//!
//! Locking is C's: the monitor inspects and probes under RCU and commits
//! link changes under RTNL (taken with `rtnl_trylock`, as `bond_close`
//! cancels the work under RTNL); the receive probe runs in the slaves'
//! receive handler and only writes the slave's receive times.

use super::ARP_WORK;
use super::{
    miimon::peers_due,
    params::MAX_ARP_TARGETS,
    select,
    slave::{slave_log, Link, SlaveShared},
    BondInner, BondRef, View,
};
use crate::logic::arpmon::{self, AbSlave, LbVerdict, RxAction, Times, Trust};
use crate::logic::mode::Mode;
use crate::net::{
    delayed_work::{DelayedWork, DelayedWorkItem},
    ipv4::{ArpSendError, Ipv4Addr, Route, VlanTag},
    ipv6::{self, Ipv6Addr, Route6},
    log::{printk_pieces, Level},
    notifier::NetdevEvent,
    raw_log, rcu, time, Device, Rtnl, SkBuff,
};
use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use kernel::{prelude::*, sync::Arc};

/// `ETH_P_ARP`, `ETH_P_IPV6`.
const ETH_P_ARP: u16 = 0x0806;
const ETH_P_IPV6: u16 = 0x86dd;
/// `PACKET_OTHERHOST`, `PACKET_LOOPBACK`.
const PACKET_OTHERHOST: u8 = 3;
const PACKET_LOOPBACK: u8 = 5;
/// `MAX_NEST_DEV`: how deep devices stack, so how long a path of upper
/// devices from the bond can be.
const MAX_NEST_DEV: usize = 8;
/// `MAX_ADDR_LEN`.
const MAX_ADDR_LEN: u8 = 32;

/// What the ARP monitor and the receive probe read, published with the
/// transmit state.
#[derive(Clone, Copy)]
pub(crate) struct ArpParams {
    /// `arp_interval`, ms; 0 is off.
    pub(crate) interval: u32,
    /// `arp_validate`.
    pub(crate) validate: u32,
    /// `arp_all_targets` is `all`.
    pub(crate) all_targets: bool,
    /// `missed_max`.
    pub(crate) missed_max: u32,
    /// `arp_targets`, the first `targets_len` used.
    pub(crate) targets: [Ipv4Addr; MAX_ARP_TARGETS],
    pub(crate) targets_len: usize,
    /// `ns_targets`, the first `ns_targets_len` used.
    pub(crate) ns_targets: [Ipv6Addr; MAX_ARP_TARGETS],
    pub(crate) ns_targets_len: usize,
}

impl ArpParams {
    /// The configured targets.
    fn targets(&self) -> &[Ipv4Addr] {
        &self.targets[..self.targets_len]
    }

    /// The configured NS targets.
    fn ns_targets(&self) -> &[Ipv6Addr] {
        &self.ns_targets[..self.ns_targets_len]
    }

    /// `arp_interval` in jiffies.
    fn delta(&self) -> time::Jiffies {
        time::msecs_to_jiffies(self.interval)
    }
}

/// A slave's ARP times, in jiffies.
pub(crate) struct SlaveArpTimes {
    /// `last_rx`: when a received packet last counted.
    pub(crate) last_rx: AtomicUsize,
    /// `last_tx`: when a probe was last sent.
    pub(crate) last_tx: AtomicUsize,
    /// `target_last_arp_rx`: when each target was last heard from.
    pub(crate) target_rx: [AtomicUsize; MAX_ARP_TARGETS],
}

impl SlaveArpTimes {
    /// Every time at `start`.
    pub(crate) fn new(start: time::Jiffies) -> Self {
        Self {
            last_rx: AtomicUsize::new(start),
            last_tx: AtomicUsize::new(start),
            target_rx: core::array::from_fn(|_| AtomicUsize::new(start)),
        }
    }
}

/// `slave_last_rx`: with `arp_all_targets=all`, the oldest receive time
/// over the targets, else the last receive.
fn slave_last_rx(arp: &ArpParams, s: &SlaveShared) -> time::Jiffies {
    if arp.all_targets {
        let mut rx = [0; MAX_ARP_TARGETS];
        let n = arp.targets_len.max(1);
        for (d, t) in rx.iter_mut().zip(s.arp.target_rx.iter()).take(n) {
            *d = t.load(Ordering::Relaxed);
        }
        return arpmon::oldest_target_rx(&rx[..n]);
    }
    s.arp.last_rx.load(Ordering::Relaxed)
}

/// The ARP timing of `s` now; `rx` is the receive time that counts.
fn times(arp: &ArpParams, s: &SlaveShared, rx: time::Jiffies) -> Times {
    Times {
        now: time::jiffies(),
        delta: arp.delta(),
        missed_max: arp.missed_max,
        last_tx: s.arp.last_tx.load(Ordering::Relaxed),
        last_rx: rx,
    }
}

/// The current ARP slave (`current_arp_slave`), kept as its ifindex.
fn current_arp_slave<'a>(inner: &BondInner, view: &'a View) -> Option<&'a Arc<SlaveShared>> {
    let ifindex = inner.current_arp_slave.load(Ordering::Relaxed);
    if ifindex == 0 {
        return None;
    }
    view.all.iter().find(|s| s.dev.ifindex() == ifindex)
}

// ---------------------------------------------------------------------------
// Probes.

/// The VLAN tags on the way from the bond to the device a route uses
/// (`bond_verify_device_path`): `tags[i]` belongs to the device `i + 1`
/// levels above the bond, with id 0 for devices that are not VLANs.
struct VlanPath {
    tags: [VlanTag; MAX_NEST_DEV],
    len: usize,
}

impl VlanPath {
    const fn empty() -> Self {
        Self {
            tags: [VlanTag { proto: 0, id: 0 }; MAX_NEST_DEV],
            len: 0,
        }
    }

    /// Finds `end` above `start`; `None` if it is not reachable.
    fn find(start: &Device, end: &Device, level: usize, guard: &rcu::Guard) -> Option<Self> {
        if core::ptr::eq(start, end) {
            let mut path = Self::empty();
            path.len = level;
            return Some(path);
        }
        if level >= MAX_NEST_DEV {
            return None;
        }
        for upper in start.uppers_rcu(guard) {
            if let Some(mut path) = Self::find(upper, end, level + 1, guard) {
                if let Some(tag) = upper.vlan_tag() {
                    path.tags[level] = tag;
                }
                return Some(path);
            }
        }
        None
    }

    /// The outer tag (hardware accelerated) and the inner ones (inserted).
    fn split(&self) -> (Option<VlanTag>, &[VlanTag]) {
        match self.tags[..self.len].split_first() {
            Some((outer, inner)) => (Some(*outer), inner),
            None => (None, &[]),
        }
    }
}

/// `bond_arp_send`: one ARP request on `slave`; its `last_tx` moves when
/// the packet leaves.
fn arp_send(slave: &SlaveShared, target: Ipv4Addr, src: Ipv4Addr, path: &VlanPath) {
    let (outer, inner) = path.split();
    match slave.dev.send_arp_request(target, src, inner, outer) {
        Ok(()) => slave.arp.last_tx.store(time::jiffies(), Ordering::Relaxed),
        Err(e) => send_failed(e, "ARP"),
    }
}

/// A probe that could not be built: C's `net_err_ratelimited` lines (one
/// per probe, so per tick and target, without the limit).
fn send_failed(e: ArpSendError, what: &str) {
    if !crate::net::log::net_ratelimit() {
        return;
    }
    match e {
        ArpSendError::Alloc => raw_log!(Err, "{what} packet allocation failed\n"),
        ArpSendError::VlanTag => raw_log!(Err, "failed to insert inner VLAN tag\n"),
    }
}

/// The `pr_warn_once` of a target without a route while `arp_validate` is
/// set (`warned` is the call site's "once").
fn no_route(
    bond: &Device,
    arp: &ArpParams,
    warned: &AtomicBool,
    option: &str,
    target: impl core::fmt::Display,
) {
    if arp.validate != 0 && !warned.swap(true, Ordering::Relaxed) {
        // bond_main.c has no pr_fmt: the line has no module prefix.
        printk_pieces(
            Level::Warning,
            &[(
                bond.name().as_bytes(),
                format_args!(": no route to {option} {target} and arp_validate is set\n"),
            )],
        );
    }
}

/// The VLAN path of a probe whose route leaves through `rt_dev`: none if
/// that is the bond, the tags up to it if it is stacked on the bond, or
/// `None` (the target is skipped, with C's debug line) otherwise.
fn route_path(
    bond: &Device,
    slave: &SlaveShared,
    rt_dev: &Device,
    option: &str,
    via: &str,
    target: impl core::fmt::Display,
) -> Option<VlanPath> {
    if core::ptr::eq(rt_dev, bond) {
        return Some(VlanPath::empty());
    }
    let path = VlanPath::find(bond, rt_dev, 0, &rcu::read_lock());
    if path.is_none() {
        slave_log!(
            Debug,
            bond,
            slave.dev,
            "no path to {} {} via {} {}\n",
            option,
            target,
            via,
            rt_dev.name()
        );
    }
    path
}

/// `pr_warn_once` of the missing route with `arp_validate` set.
static NO_ROUTE_WARNED: AtomicBool = AtomicBool::new(false);

/// `bond_arp_send_all`: a request for every target on `slave`, with the
/// source address and VLAN tags of the route to the target when the route
/// goes through the bond (or a device stacked on it); targets routed
/// elsewhere are skipped, and targets without a route get a request from
/// 0.0.0.0.
fn arp_send_all(bond: &Device, arp: &ArpParams, slave: &SlaveShared) {
    for &target in arp.targets() {
        let shown = crate::logic::procfs::Ipv4(u32::from_ne_bytes(target));
        let rt = match Route::output(bond, target) {
            Ok(rt) => rt,
            Err(_) => {
                no_route(bond, arp, &NO_ROUTE_WARNED, "arp_ip_target", shown);
                arp_send(slave, target, [0; 4], &VlanPath::empty());
                continue;
            }
        };
        let Some(rt_dev) = rt.device() else {
            continue;
        };
        let Some(path) = route_path(bond, slave, rt_dev, "arp_ip_target", "rt.dev", shown) else {
            continue;
        };
        let src = rt_dev.confirm_addr_v4(target, [0; 4]);
        drop(rt);
        arp_send(slave, target, src, &path);
    }
}

/// `pr_warn_once` of the missing route to an NS target.
static NO_ROUTE6_WARNED: AtomicBool = AtomicBool::new(false);

/// `bond_ns_send_all`: a neighbour solicitation for every NS target on
/// `slave`, routed as [`arp_send_all`] routes ARP requests, from the
/// address the route's device would use (or `::`).
fn ns_send_all(bond: &Device, arp: &ArpParams, slave: &SlaveShared) {
    for target in arp.ns_targets() {
        let rt = match Route6::output(bond, target) {
            Ok(rt) => rt,
            Err(_) => {
                no_route(bond, arp, &NO_ROUTE6_WARNED, "ns_ip6_target", Ipv6(target));
                ns_send(slave, target, &[0; 16], &VlanPath::empty());
                continue;
            }
        };
        let Some(rt_dev) = rt.device() else {
            continue;
        };
        let Some(path) = route_path(
            bond,
            slave,
            rt_dev,
            "ns_ip6_target",
            "dst->dev",
            Ipv6(target),
        ) else {
            continue;
        };
        let src = rt_dev.ipv6_source_for(target).unwrap_or([0; 16]);
        ns_send(slave, target, &src, &path);
    }
}

/// `bond_ns_send`: one NS on `slave`; its `last_tx` moves when it leaves.
fn ns_send(slave: &SlaveShared, target: &Ipv6Addr, src: &Ipv6Addr, path: &VlanPath) {
    let (outer, inner) = path.split();
    match slave.dev.send_ns(target, src, inner, outer) {
        Ok(()) => slave.arp.last_tx.store(time::jiffies(), Ordering::Relaxed),
        Err(e) => send_failed(e, "NS"),
    }
}

/// `bond_send_validate`: the ARP probes, then the NS probes.
fn send_validate(bond: &Device, arp: &ArpParams, slave: &SlaveShared) {
    arp_send_all(bond, arp, slave);
    if ipv6::enabled() {
        ns_send_all(bond, arp, slave);
    }
}

/// `%pI6c`.
use crate::logic::procfs::Ipv6;

// ---------------------------------------------------------------------------
// The NS targets' multicast groups.

/// `IFF_MULTICAST`.
const IFF_MULTICAST: u32 = 0x1000;

/// `bond_slave_ns_maddrs_add`/`_del` (`slave_set_ns_maddrs`): with
/// `arp_validate` set, a backup slave of an active-backup bond listens to
/// the solicited-node groups of the NS targets, so that it sees the NS
/// probes the active slave sends (the backups' validation).
pub(crate) fn ns_maddrs(rtnl: &Rtnl, p: &super::Params, s: &SlaveShared, add: bool) {
    if p.arp_validate == 0 {
        return;
    }
    set_ns_maddrs(rtnl, p.mode, &p.ns_targets[..p.ns_targets_len], s, add);
}

/// `slave_set_ns_maddrs`, whatever `arp_validate` is.
pub(crate) fn set_ns_maddrs(
    rtnl: &Rtnl,
    mode: Mode,
    targets: &[Ipv6Addr],
    s: &SlaveShared,
    add: bool,
) {
    if !can_set_ns_maddr(mode, s) {
        return;
    }
    for t in targets {
        ns_maddr(rtnl, s, t, add);
    }
}

/// `slave_can_set_ns_maddr`.
fn can_set_ns_maddr(mode: Mode, s: &SlaveShared) -> bool {
    mode == Mode::ActiveBackup && !s.is_active() && s.dev.flags() & IFF_MULTICAST != 0
}

/// Joins or leaves the link-layer group of `target`'s solicited-node
/// address on `s`.
fn ns_maddr(rtnl: &Rtnl, s: &SlaveShared, target: &Ipv6Addr, add: bool) {
    if *target == [0; 16] {
        return;
    }
    if let Some(mac) = s.dev.ipv6_mc_map(&ipv6::solicited_node(target)) {
        s.dev.mc_update(rtnl, &mac, add);
    }
}

/// `slave_set_ns_maddr`: replaces `old`'s group by `new`'s on `s`, when
/// `arp_validate` is set.
pub(crate) fn replace_ns_maddr(
    rtnl: &Rtnl,
    p: &super::Params,
    s: &SlaveShared,
    new: &Ipv6Addr,
    old: &Ipv6Addr,
) {
    if p.arp_validate == 0 || !can_set_ns_maddr(p.mode, s) {
        return;
    }
    ns_maddr(rtnl, s, old, false);
    ns_maddr(rtnl, s, new, true);
}

// ---------------------------------------------------------------------------
// The receive probe.

/// `bond_has_this_ip`: `ip` is an address of the bond or of a device
/// stacked on it.
fn has_this_ip(bond: &Device, ip: Ipv4Addr) -> bool {
    fn walk(dev: &Device, ip: Ipv4Addr, depth: usize, guard: &rcu::Guard) -> bool {
        depth < MAX_NEST_DEV
            && dev
                .uppers_rcu(guard)
                .any(|up| up.confirm_addr_v4([0; 4], ip) == ip || walk(up, ip, depth + 1, guard))
    }
    bond.confirm_addr_v4([0; 4], ip) == ip || walk(bond, ip, 0, &rcu::read_lock())
}

/// `bond_validate_arp`: an ARP from a target to one of our addresses
/// counts as received, for the slave and for that target.
fn validate_arp(bond: &Device, arp: &ArpParams, slave: &SlaveShared, sip: Ipv4Addr, tip: Ipv4Addr) {
    if sip == [0; 4] || !has_this_ip(bond, tip) {
        return;
    }
    let Some(i) = arp.targets().iter().position(|t| *t == sip) else {
        return;
    };
    let now = time::jiffies();
    slave.arp.last_rx.store(now, Ordering::Relaxed);
    slave.arp.target_rx[i].store(now, Ordering::Relaxed);
}

/// `bond_rcv_validate` (the bond's `recv_probe` while the ARP monitor
/// runs): called by the receive handler on every packet of `slave`.
pub(crate) fn rcv_validate(
    bond: &Device,
    inner: &BondInner,
    view: &View,
    slave: &SlaveShared,
    skb: &SkBuff,
) {
    let proto = skb.protocol();
    let action = arpmon::rx_action(
        view.arp.validate,
        !slave.is_active(),
        proto == ETH_P_ARP,
        proto == ETH_P_IPV6,
    );
    match action {
        RxAction::TouchLastRx => slave.arp.last_rx.store(time::jiffies(), Ordering::Relaxed),
        RxAction::CheckArp => arp_rcv(bond, inner, view, slave, skb),
        RxAction::CheckNa if ipv6::enabled() => na_rcv(bond, inner, view, slave, skb),
        RxAction::CheckNa | RxAction::Ignore => {}
    }
}

/// `bond_arp_rcv`.
fn arp_rcv(bond: &Device, inner: &BondInner, view: &View, slave: &SlaveShared, skb: &SkBuff) {
    let addr_len = bond.addr_len().min(MAX_ADDR_LEN);
    let mut buf = [0u8; arpmon::arp_len(MAX_ADDR_LEN)];
    let buf = &mut buf[..arpmon::arp_len(addr_len)];
    if !skb.copy_bits(0, buf) {
        return;
    }
    let pkt_type = skb.pkt_type();
    if pkt_type == PACKET_OTHERHOST || pkt_type == PACKET_LOOPBACK {
        return;
    }
    let Some(info) = arpmon::parse_arp(buf, addr_len) else {
        return;
    };
    let arp = &view.arp;
    match trust(inner, view, slave, info.op == arpmon::ARPOP_REPLY) {
        Trust::Direct => validate_arp(bond, arp, slave, info.sip, info.tip),
        Trust::Swapped => validate_arp(bond, arp, slave, info.tip, info.sip),
        Trust::No => {}
    }
}

/// `bond_arp_rcv`'s and `bond_na_rcv`'s trust rules for a packet on
/// `slave`; `is_reply` is whether rule (c) accepts it.
fn trust(inner: &BondInner, view: &View, slave: &SlaveShared, is_reply: bool) -> Trust {
    let arp = &view.arp;
    let active_heard = view.active.as_ref().is_some_and(|a| {
        arpmon::after(
            slave_last_rx(arp, a),
            a.last_link_up.load(Ordering::Relaxed),
        )
    });
    let arp_slave_sent = current_arp_slave(inner, view).is_some_and(|c| {
        arpmon::in_interval(
            time::jiffies(),
            c.arp.last_tx.load(Ordering::Relaxed),
            1,
            arp.delta(),
        )
    });
    arpmon::trust(slave.is_active(), active_heard, is_reply, arp_slave_sent)
}

/// `bond_has_this_ip6`: `addr` is an address of the bond or of a device
/// stacked on it.
fn has_this_ip6(bond: &Device, addr: &Ipv6Addr) -> bool {
    fn walk(dev: &Device, addr: &Ipv6Addr, depth: usize, guard: &rcu::Guard) -> bool {
        depth < MAX_NEST_DEV
            && dev
                .uppers_rcu(guard)
                .any(|up| up.has_ipv6_addr(addr) || walk(up, addr, depth + 1, guard))
    }
    bond.has_ipv6_addr(addr) || walk(bond, addr, 0, &rcu::read_lock())
}

/// `bond_validate_na`: an NS or NA from an NS target (or to its
/// solicited-node group) to one of our addresses or to all nodes counts
/// as received, for the slave and for that target.
fn validate_na(
    bond: &Device,
    arp: &ArpParams,
    slave: &SlaveShared,
    saddr: &Ipv6Addr,
    daddr: &Ipv6Addr,
) {
    if *saddr == [0; 16] || (!arpmon::is_all_nodes(daddr) && !has_this_ip6(bond, daddr)) {
        return;
    }
    let Some(i) = arpmon::ns_target_index(arp.ns_targets(), saddr) else {
        return;
    };
    let now = time::jiffies();
    slave.arp.last_rx.store(now, Ordering::Relaxed);
    slave.arp.target_rx[i].store(now, Ordering::Relaxed);
}

/// `bond_na_rcv`.
fn na_rcv(bond: &Device, inner: &BondInner, view: &View, slave: &SlaveShared, skb: &SkBuff) {
    let pkt_type = skb.pkt_type();
    if pkt_type == PACKET_OTHERHOST || pkt_type == PACKET_LOOPBACK {
        return;
    }
    let mut buf = [0u8; arpmon::NDISC_HDR_LEN];
    if !skb.copy_bits(0, &mut buf) {
        return;
    }
    let Some((saddr, daddr)) = arpmon::parse_ndisc(&buf) else {
        return;
    };
    let arp = &view.arp;
    // As for ARP, except that any NS or NA from the probing slave's time
    // counts, not only replies.
    match trust(inner, view, slave, true) {
        Trust::Direct => validate_na(bond, arp, slave, &saddr, &daddr),
        Trust::Swapped => validate_na(bond, arp, slave, &daddr, &saddr),
        Trust::No => {}
    }
}

// ---------------------------------------------------------------------------
// The monitor.

/// `bond_arp_monitor`.
impl DelayedWorkItem<ARP_WORK> for BondInner {
    fn run(this: Arc<Self>) {
        let Some(dev) = this.monitor_device() else {
            // The bond went down; `stop` cancels us.
            return;
        };
        let mode = {
            let guard = rcu::read_lock();
            match this.view.get(&guard) {
                Some(view) => view.mode,
                None => return,
            }
        };
        if mode == Mode::ActiveBackup {
            activebackup_mon(&this, &dev);
        } else {
            loadbalance_mon(&this, &dev);
        }
    }
}

/// Queues the next run `delay` jiffies from now if the monitor is still on
/// (C reads `params.arp_interval` at the re-arm).
fn rearm(this: &Arc<BondInner>, delay: time::Jiffies) {
    let on = this
        .view
        .get(&rcu::read_lock())
        .is_some_and(|view| view.arp.interval != 0);
    if on {
        DelayedWork::<_, ARP_WORK>::queue(this.clone(), delay);
    }
}

/// `bond_loadbalance_arp_mon` (modes 0, 2 and 3): a slave is up while it
/// both sends and receives; every slave that is up probes.
fn loadbalance_mon(this: &Arc<BondInner>, dev: &Device) {
    let (mut changed, mut failover) = (false, false);
    let delta = {
        let guard = rcu::read_lock();
        let Some(view) = this.view.get(&guard) else {
            return;
        };
        let old_active = view.active.as_ref();
        for s in view.all.iter() {
            let t = times(&view.arp, s, s.arp.last_rx.load(Ordering::Relaxed));
            let mut mii = s.mii.lock();
            mii.propose(None);
            match arpmon::lb_inspect(mii.link == Link::Up, &t) {
                LbVerdict::Keep => {}
                LbVerdict::Up => {
                    mii.propose(Some(Link::Up));
                    changed = true;
                    drop(mii);
                    if old_active.is_none() {
                        slave_log!(Info, dev, s.dev, "link status definitely up\n");
                        failover = true;
                    } else {
                        slave_log!(Info, dev, s.dev, "interface is now up\n");
                    }
                }
                LbVerdict::Down => {
                    mii.propose(Some(Link::Down));
                    changed = true;
                    mii.link_failure_count = mii.link_failure_count.saturating_add(1);
                    drop(mii);
                    slave_log!(Info, dev, s.dev, "interface is now down\n");
                    if old_active.is_some_and(|a| Arc::ptr_eq(a, s)) {
                        failover = true;
                    }
                }
            }
            if s.is_up() {
                send_validate(dev, &view.arp, s);
            }
        }
        view.arp.delta()
    };
    if changed || failover {
        let Some(rtnl) = Rtnl::try_lock() else {
            rearm(this, delta);
            return;
        };
        let bond = BondRef { dev, inner: this };
        for s in super::slave::each(this, &rtnl) {
            let mut mii = s.mii.lock();
            mii.commit_state(true);
            s.sync_link(&mii);
        }
        if changed {
            // `bond_slave_state_change`: up slaves are active, down ones
            // backups.
            for s in super::slave::each(this, &rtnl) {
                match s.link() {
                    Link::Up => s.set_state_only(false),
                    Link::Down => s.set_state_only(true),
                    _ => {}
                }
            }
        }
        // The transmit arrays follow the links (`bond_update_slave_arr`).
        this.publish(dev, &rtnl);
        if failover {
            select::select(bond, &rtnl);
        }
    }
    rearm(this, delta);
}

/// `bond_activebackup_arp_mon`.
fn activebackup_mon(this: &Arc<BondInner>, dev: &Device) {
    let mut delay;
    let notify_peers;
    {
        let guard = rcu::read_lock();
        let Some(view) = this.view.get(&guard) else {
            return;
        };
        delay = view.arp.delta();
        if view.all.is_empty() {
            drop(guard);
            rearm(this, delay);
            return;
        }
        notify_peers = peers_due(this, dev, view);
        let commit = ab_inspect(this, view);
        drop(guard);
        if commit {
            match Rtnl::try_lock() {
                // Race with `stop`, which cancels us under RTNL.
                None => {
                    rearm(this, 1);
                    return;
                }
                Some(rtnl) => ab_commit(BondRef { dev, inner: this }, &rtnl),
            }
        }
        let guard = rcu::read_lock();
        if let Some(view) = this.view.get(&guard) {
            ab_probe(this, dev, view);
            delay = view.arp.delta();
        }
    }
    rearm(this, delay);
    if notify_peers {
        let Some(rtnl) = Rtnl::try_lock() else {
            return;
        };
        let left = this.send_peer_notif.load(Ordering::Relaxed);
        this.send_peer_notif
            .store(left.saturating_sub(1), Ordering::Relaxed);
        let _ = dev.notify(&rtnl, NetdevEvent::NotifyPeers);
    }
}

/// `bond_ab_arp_inspect`: proposes link changes; returns whether any must
/// be committed.
fn ab_inspect(inner: &BondInner, view: &View) -> bool {
    let arp_slave_set = current_arp_slave(inner, view).is_some();
    let mut commit = false;
    for s in view.all.iter() {
        let t = times(&view.arp, s, slave_last_rx(&view.arp, s));
        let mut mii = s.mii.lock();
        let slave = AbSlave {
            link: mii.link,
            is_active: s.is_active(),
            last_link_up: s.last_link_up.load(Ordering::Relaxed),
        };
        let proposal = arpmon::ab_inspect(&slave, &t, arp_slave_set);
        mii.propose(proposal);
        commit |= proposal.is_some();
    }
    commit
}

/// `bond_ab_arp_commit`.
fn ab_commit(bond: BondRef<'_>, rtnl: &Rtnl) {
    let inner = bond.inner;
    let Ok(all_slaves_active) = inner.params.borrow(rtnl).map(|p| p.all_slaves_active != 0) else {
        return;
    };
    let mut do_failover = false;
    for s in super::slave::each(inner, rtnl) {
        let s = &s;
        let proposal = s.mii.lock().new_state;
        let (active, primary) = match inner.state.borrow(rtnl) {
            Ok(st) => (st.active.clone(), st.primary.clone()),
            Err(_) => return,
        };
        let is_active = active.as_ref().is_some_and(|a| Arc::ptr_eq(a, s));
        match proposal {
            None => {}
            Some(Link::Up) => {
                if is_active {
                    continue;
                }
                s.set_link(Link::Up);
                if let Some(cas) = take_current_arp_slave(inner, rtnl) {
                    cas.set_backup(all_slaves_active);
                }
                slave_log!(Info, bond.dev, s.dev, "link status definitely up\n");
                let is_primary = primary.as_ref().is_some_and(|p| Arc::ptr_eq(p, s));
                let higher_prio = active.as_ref().is_some_and(|a| {
                    super::miimon::prio_of(bond, rtnl, s) > super::miimon::prio_of(bond, rtnl, a)
                });
                if active.is_none() || is_primary || higher_prio {
                    do_failover = true;
                }
            }
            Some(Link::Down) => {
                {
                    let mut mii = s.mii.lock();
                    mii.link_failure_count = mii.link_failure_count.saturating_add(1);
                }
                s.set_link(Link::Down);
                s.set_backup(all_slaves_active);
                slave_log!(
                    Info,
                    bond.dev,
                    s.dev,
                    "link status definitely down, disabling slave\n"
                );
                if is_active {
                    inner.current_arp_slave.store(0, Ordering::Relaxed);
                    do_failover = true;
                }
            }
            Some(Link::Fail) => {
                s.set_link(Link::Fail);
                s.set_backup(all_slaves_active);
                // A slave just enslaved became the active one.
                if active.is_some() {
                    inner.current_arp_slave.store(0, Ordering::Relaxed);
                }
            }
            Some(other) => {
                slave_log!(
                    Err,
                    bond.dev,
                    s.dev,
                    "impossible: link_new_state {} on slave\n",
                    other.value()
                );
            }
        }
    }
    inner.publish(bond.dev, rtnl);
    if do_failover {
        select::select(bond, rtnl);
    }
    super::slave::set_carrier(bond, rtnl);
}

/// Clears `current_arp_slave` and returns the slave it named.
fn take_current_arp_slave(inner: &BondInner, rtnl: &Rtnl) -> Option<Arc<SlaveShared>> {
    let ifindex = inner.current_arp_slave.swap(0, Ordering::Relaxed);
    if ifindex == 0 {
        return None;
    }
    super::slave::each(inner, rtnl).find(|s| s.dev.ifindex() == ifindex)
}

/// `bond_ab_arp_probe`: probe on the active slave; without one, take the
/// next slave that is up as the candidate, mark it BACK and active, and
/// probe on it.
fn ab_probe(inner: &BondInner, bond: &Device, view: &View) {
    let cas = current_arp_slave(inner, view);
    if let (Some(c), Some(a)) = (cas, &view.active) {
        let name = bond.log_name();
        printk_pieces(
            Level::Info,
            &[
                (
                    name.bytes(),
                    format_args!("{}: PROBE: c_arp ", name.state()),
                ),
                (c.dev.name().as_bytes(), format_args!(" && cas ")),
                (a.dev.name().as_bytes(), format_args!(" BAD\n")),
            ],
        );
    }
    if let Some(a) = &view.active {
        send_validate(bond, &view.arp, a);
        return;
    }
    let current = match cas {
        Some(c) => view.all.iter().position(|s| Arc::ptr_eq(s, c)).unwrap_or(0),
        None if view.all.is_empty() => return,
        None => 0,
    };
    let Ok(mut up) = KVec::with_capacity(view.all.len(), GFP_ATOMIC) else {
        return;
    };
    for s in view.all.iter() {
        let is_up = s.is_up();
        // Cannot fail: the capacity is there.
        let _ = up.push(is_up, GFP_ATOMIC);
        // A slave that lost its carrier but still has link UP (several
        // failures at once): take it down here.
        if !is_up && s.link() == Link::Up {
            {
                let mut mii = s.mii.lock();
                mii.set_state(Link::Down, false);
                mii.link_failure_count = mii.link_failure_count.saturating_add(1);
                s.sync_link(&mii);
            }
            s.set_backup(view.all_slaves_active);
            slave_log!(Info, bond, s.dev, "backup interface is now down\n");
        }
    }
    let Some(next) = arpmon::next_probe(&up, current).and_then(|i| view.all.get(i)) else {
        return;
    };
    {
        let mut mii = next.mii.lock();
        mii.set_state(Link::Back, false);
        next.sync_link(&mii);
    }
    next.set_active();
    send_validate(bond, &view.arp, next);
    next.last_link_up.store(time::jiffies(), Ordering::Relaxed);
    inner
        .current_arp_slave
        .store(next.dev.ifindex(), Ordering::Relaxed);
}
