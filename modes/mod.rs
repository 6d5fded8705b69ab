// SPDX-License-Identifier: GPL-2.0

//! The bonding modes: one file per mode, each a type implementing
//! [`BondMode`].
//!
//! C version: `__bond_start_xmit` and the `bond_xmit_*` functions of
//! `bond_main.c`; C asks `BOND_MODE(bond) == ...` wherever a mode differs.
//! Here the bond asks its [`Mode`] (the questions in [`crate::logic::mode`])
//! or calls the mode's hook through the functions below, which dispatch on
//! the mode statically (a `match`, no trait objects on the hot path).
//!
//! Modes 802.3ad, balance-tlb and balance-alb do not exist yet:
//! [`implemented`] says so, and the option engine and the module
//! parameters refuse to select them (`EOPNOTSUPP`), so a bond's mode is one
//! of the four below.

use crate::bond::{slave::SlaveShared, Bond, BondInner, BondRef, Params, View};
use crate::logic::{miimon::Link, mode::Mode};
use crate::net::{skbuff::DropReason, Device, DriverDevice, NetdevTx, Rtnl, SkBuff};
use core::sync::atomic::Ordering;
use kernel::sync::Arc;

mod active_backup;
mod broadcast;
mod round_robin;
mod xor;

/// What a mode decides for itself.
pub(crate) trait BondMode {
    /// Whether a packet whose queue mapping names a slave's `queue_id`
    /// goes on that slave before the mode chooses (`bond_slave_override`,
    /// modes 0 and 1 in C).
    const QUEUE_OVERRIDE: bool = false;

    /// Sends `skb` (or drops it) on the slave(s) the mode picks; returns
    /// what the bond's `start_xmit` returns (C's `bond_xmit_*`).
    fn xmit(bond: &DriverDevice<Bond>, view: &View, skb: SkBuff) -> NetdevTx;

    /// A slave joins the bond (`bond_enslave`): its first state, `link`
    /// its link as the enslave found it. Here (modes whose slaves all
    /// transmit): active, and the first slave with link becomes
    /// `curr_active_slave`, which round-robin sends IGMP reports on.
    fn bind(
        bond: BondRef<'_>,
        rtnl: &Rtnl,
        slave: &Arc<SlaveShared>,
        link: Link,
        _all_slaves_active: bool,
    ) {
        slave.set_active();
        if let Ok(mut st) = bond.inner.state.borrow_mut(rtnl) {
            if st.active.is_none() && link == Link::Up {
                st.active = Some(slave.clone());
            }
        }
    }

    /// The active slave changed from `old` to `new` (either may be none;
    /// `bond_change_active_slave`, after the bond published `new`). Here
    /// (modes whose slaves all transmit): nothing more to do.
    fn active_changed(
        _bond: BondRef<'_>,
        _rtnl: &Rtnl,
        _params: &Params,
        _old: Option<&Arc<SlaveShared>>,
        _new: Option<&Arc<SlaveShared>>,
    ) {
    }

    /// A frame a slave received, before the bond delivers it
    /// (`bond->recv_probe`): the mode may take it (802.3ad's LACPDUs,
    /// balance-alb's ARP replies) and returns what it leaves. Here: the ARP
    /// (or NS) monitor's receive check while that monitor runs; it only
    /// looks.
    fn rx_probe(rx: &RxProbe<'_>, skb: SkBuff) -> Option<SkBuff> {
        if rx.view.recv_probe {
            crate::bond::arpmon::rcv_validate(rx.bond, rx.inner, rx.view, rx.slave, &skb);
        }
        Some(skb)
    }

    /// The bond's speed for ethtool from its slaves' known speeds (Mb/s,
    /// of the slaves that can transmit); 0 if none. Every slave must be
    /// read (asking for a speed refreshes it). Here: the sum, as the
    /// slaves' bandwidths add up (in C's `u32`, which wraps).
    fn link_speed(speeds: impl Iterator<Item = u32>) -> u32 {
        speeds.fold(0, u32::wrapping_add)
    }
}

/// What a mode's receive probe sees besides the frame.
pub(crate) struct RxProbe<'a> {
    /// The bond device.
    pub(crate) bond: &'a Device,
    /// The bond's state.
    pub(crate) inner: &'a BondInner,
    /// The bond's published view, read under the handler's RCU section.
    pub(crate) view: &'a View,
    /// The slave the frame arrived on.
    pub(crate) slave: &'a SlaveShared,
}

/// Whether rust_bond implements `mode` yet: the one list of them.
pub(crate) const fn implemented(mode: Mode) -> bool {
    matches!(
        mode,
        Mode::RoundRobin | Mode::ActiveBackup | Mode::Xor | Mode::Broadcast
    )
}

/// Calls `$call` on the type of `$mode` (`$call` names the type `M`), or
/// evaluates `$none` for a mode that does not exist yet.
macro_rules! with_mode {
    ($mode:expr, $none:expr, |M| $call:expr) => {
        match $mode {
            Mode::RoundRobin => {
                type M = round_robin::RoundRobin;
                $call
            }
            Mode::ActiveBackup => {
                type M = active_backup::ActiveBackup;
                $call
            }
            Mode::Xor => {
                type M = xor::Xor;
                $call
            }
            Mode::Broadcast => {
                type M = broadcast::Broadcast;
                $call
            }
            Mode::Ieee8023ad | Mode::Tlb | Mode::Alb => $none,
        }
    };
}

/// `__bond_start_xmit`: the queue override where the mode has it, then
/// the mode's own choice.
pub(crate) fn xmit(bond: &DriverDevice<Bond>, view: &View, skb: SkBuff) -> NetdevTx {
    with_mode!(view.mode, drop_tx(bond, skb), |M| {
        let skb = if M::QUEUE_OVERRIDE {
            match slave_override(view, skb) {
                Some(skb) => skb,
                // C returns NETDEV_TX_OK here, whatever the slave's queue
                // said.
                None => return NetdevTx::OK,
            }
        } else {
            skb
        };
        M::xmit(bond, view, skb)
    })
}

/// [`BondMode::bind`] of `mode`.
pub(crate) fn bind(
    mode: Mode,
    bond: BondRef<'_>,
    rtnl: &Rtnl,
    slave: &Arc<SlaveShared>,
    link: Link,
    all_slaves_active: bool,
) {
    with_mode!(mode, (), |M| M::bind(
        bond,
        rtnl,
        slave,
        link,
        all_slaves_active
    ))
}

/// [`BondMode::active_changed`] of `mode`.
pub(crate) fn active_changed(
    mode: Mode,
    bond: BondRef<'_>,
    rtnl: &Rtnl,
    params: &Params,
    old: Option<&Arc<SlaveShared>>,
    new: Option<&Arc<SlaveShared>>,
) {
    with_mode!(mode, (), |M| M::active_changed(
        bond, rtnl, params, old, new
    ))
}

/// [`BondMode::rx_probe`] of the bond's mode.
pub(crate) fn rx_probe(rx: &RxProbe<'_>, skb: SkBuff) -> Option<SkBuff> {
    with_mode!(rx.view.mode, Some(skb), |M| M::rx_probe(rx, skb))
}

/// [`BondMode::link_speed`] of `mode`.
pub(crate) fn link_speed(mode: Mode, speeds: impl Iterator<Item = u32>) -> u32 {
    with_mode!(mode, 0, |M| M::link_speed(speeds))
}

/// `bond_slave_override`: a packet whose queue mapping on the bond (chosen
/// by the bond's `ndo_select_queue`, then maybe changed in the bond's
/// qdisc, e.g. by `tc ... skbedit queue_mapping`) names a slave's
/// `queue_id` goes on that slave if it is up. Returns the packet if the
/// mode should choose.
fn slave_override(view: &View, skb: SkBuff) -> Option<SkBuff> {
    // C's `skb_rx_queue_recorded` and `skb_get_queue_mapping`: the current
    // mapping, not the one saved for the slave.
    let q = skb.queue_mapping();
    if q == 0 {
        return Some(skb);
    }
    for s in view.all.iter() {
        if s.queue_id.load(Ordering::Relaxed) == q {
            if s.is_up_with_link() {
                let _ = send(skb, s);
                return None;
            }
            break;
        }
    }
    Some(skb)
}

/// `bond_dev_queue_xmit`: sends on `slave` with the queue mapping the
/// packet had before the bond's queue selection. Returns what the slave's
/// queue said (`dev_queue_xmit`'s code).
pub(crate) fn send(mut skb: SkBuff, slave: &Arc<SlaveShared>) -> NetdevTx {
    skb.restore_queue_mapping();
    skb.queue_xmit(&slave.dev)
}

/// `bond_tx_drop`: counts and frees a packet the bond cannot send;
/// returns `NET_XMIT_DROP`.
pub(crate) fn drop_tx(bond: &Device, skb: SkBuff) -> NetdevTx {
    bond.count_tx_dropped();
    skb.drop_with(DropReason::NOT_SPECIFIED);
    NetdevTx::DROP
}
