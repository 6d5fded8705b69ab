// SPDX-License-Identifier: GPL-2.0

//! The MII link monitor: every `miimon` ms, look at each slave's carrier,
//! run the up/down delay state machine, and commit link changes (and fail
//! over) under RTNL.
//!
//! C version: `bond_main.c` (`bond_mii_monitor`, `bond_miimon_inspect`,
//! `bond_miimon_commit`). The state machine is pure logic in
//! [`crate::logic::miimon`]; this file runs it on the bond's slaves.

use super::{
    select,
    slave::{self, slave_log, SlaveShared},
    BondInner, BondRef,
};
use super::{MCAST_WORK, MII_WORK};
use crate::logic::{
    miimon::{self, AbRole, Commit, Inspector, Level, Msg, UpInput, UpOutcome},
    mode::Mode,
};
use crate::net::{
    delayed_work::{DelayedWork, DelayedWorkItem},
    notifier::NetdevEvent,
    rcu, time, Device, Rtnl,
};
use core::sync::atomic::Ordering;
use kernel::{prelude::*, sync::Arc};

/// Prints a monitor message for `slave` (`slave_info`/`slave_warn`).
fn log_msg(bond: &Device, slave: &Device, msg: Msg) {
    if msg.ratelimited() && !crate::net::log::net_ratelimit() {
        return;
    }
    match msg.level() {
        Level::Warn => slave_log!(Warning, bond, slave, "{}\n", msg),
        _ => slave_log!(Info, bond, slave, "{}\n", msg),
    }
}

impl DelayedWorkItem<MII_WORK> for BondInner {
    /// `bond_mii_monitor`.
    fn run(this: Arc<Self>) {
        let Some(dev) = this.monitor_device() else {
            // The bond went down; `stop` cancels us.
            return;
        };
        let (miimon, should_notify_peers, commit) = {
            let guard = rcu::read_lock();
            let Some(view) = this.view.get(&guard) else {
                return;
            };
            if view.all.is_empty() {
                (view.mii.miimon, false, false)
            } else {
                let notify = peers_due(&this, &dev, view);
                (view.mii.miimon, notify, inspect(&dev, view))
            }
        };
        let mut delay = time::msecs_to_jiffies(miimon as u32);
        if commit || this.send_peer_notif.load(Ordering::Relaxed) != 0 {
            match Rtnl::try_lock() {
                // Race with `stop`, which cancels us under RTNL: try again
                // in a tick.
                None => delay = 1,
                Some(rtnl) => {
                    if commit {
                        commit_changes(
                            BondRef {
                                dev: &dev,
                                inner: &this,
                            },
                            &rtnl,
                        );
                    }
                    let left = this.send_peer_notif.load(Ordering::Relaxed);
                    if left != 0 {
                        this.send_peer_notif.store(left - 1, Ordering::Relaxed);
                        if should_notify_peers {
                            let _ = dev.notify(&rtnl, NetdevEvent::NotifyPeers);
                        }
                    }
                }
            }
        }
        if miimon != 0 {
            DelayedWork::<_, MII_WORK>::queue(this.clone(), delay);
        }
    }
}

/// `bond_resend_igmp_join_requests_delayed`: one round of IGMP reports
/// (`NETDEV_RESEND_IGMP` on the bond), then the next in 200 ms.
impl DelayedWorkItem<MCAST_WORK> for BondInner {
    fn run(this: Arc<Self>) {
        let Some(dev) = this.monitor_device() else {
            return;
        };
        let Some(rtnl) = Rtnl::try_lock() else {
            DelayedWork::<_, MCAST_WORK>::queue(this, 1);
            return;
        };
        let _ = dev.notify(&rtnl, NetdevEvent::ResendIgmp);
        let again = match this.state.borrow_mut(&rtnl) {
            Ok(mut st) if st.igmp_retrans > 1 => {
                st.igmp_retrans -= 1;
                true
            }
            _ => false,
        };
        drop(rtnl);
        if again {
            DelayedWork::<_, MCAST_WORK>::queue(this, time::msecs_to_jiffies(200));
        }
    }
}

/// `bond_should_notify_peers`, read under RCU as C does.
pub(crate) fn peers_due(inner: &BondInner, dev: &Device, view: &super::View) -> bool {
    let Some(active) = &view.active else {
        return false;
    };
    miimon::should_notify_peers(
        inner.send_peer_notif.load(Ordering::Relaxed),
        view.peer_notif_delay as i32,
        true,
        dev.carrier_ok(),
        active.dev.linkwatch_pending(),
    )
}

/// `bond_miimon_inspect`: runs the state machine on every slave; returns
/// whether something must be committed.
fn inspect(bond: &Device, view: &super::View) -> bool {
    let m = view.mode;
    let usable = match m {
        Mode::RoundRobin | Mode::Broadcast => None,
        _ => Some(view.usable.len()),
    };
    let mut insp = Inspector::new(miimon::ignore_updelay(m, view.active.is_some(), usable));
    for s in view.all.iter() {
        let link_ok = slave::slave_link_sense(&s.dev, view.use_carrier);
        let role = AbRole::new(m, !s.is_active());
        let msg = {
            let mut mii = s.mii.lock();
            insp.inspect(&view.mii, &mut mii, link_ok, role)
        };
        if let Some(msg) = msg {
            log_msg(bond, &s.dev, msg);
        }
    }
    insp.commit() != 0
}

/// `bond_miimon_commit`, with the `bond_commit_link_state(NOTIFY_LATER)`
/// pass before it.
fn commit_changes(bond: BondRef<'_>, rtnl: &Rtnl) {
    let slaves: KVec<(Arc<SlaveShared>, i32)> = {
        let Ok(list) = bond.inner.slaves.borrow(rtnl) else {
            return;
        };
        let mut v = KVec::new();
        for s in list.iter() {
            if v.push((s.shared.clone(), s.prio), GFP_KERNEL).is_err() {
                return;
            }
        }
        v
    };
    let Ok(params) = bond.inner.params.borrow(rtnl).map(|p| p.clone()) else {
        return;
    };
    let m = params.mode;
    for (s, _) in slaves.iter() {
        let mut mii = s.mii.lock();
        mii.commit_state(false);
        s.sync_link(&mii);
    }
    let mut do_failover = false;
    for (s, prio) in slaves.iter() {
        let action = miimon::commit_action(&s.mii.lock());
        match action {
            Commit::Nothing => {}
            Commit::Up => {
                let failed = s.update_speed_duplex(rtnl).is_err();
                let (primary, active_prio) = match bond.inner.state.borrow(rtnl) {
                    Ok(st) => {
                        let is_primary = st.primary.as_ref().is_some_and(|p| Arc::ptr_eq(p, s));
                        let active_prio = st.active.as_ref().map(|a| prio_of(bond, rtnl, a));
                        (is_primary, active_prio)
                    }
                    Err(_) => (false, None),
                };
                let input = UpInput {
                    mode: m,
                    speed_duplex_failed: failed,
                    speed: s.speed(),
                    duplex: s.duplex(),
                    is_primary: primary,
                    prio: *prio,
                    active_prio,
                };
                let (outcome, msg) = {
                    let mut mii = s.mii.lock();
                    let r = miimon::commit_up(&mut mii, &input);
                    s.sync_link(&mii);
                    r
                };
                match outcome {
                    UpOutcome::Failed => log_msg(bond.dev, &s.dev, msg),
                    UpOutcome::Up { backup, failover } => {
                        s.last_link_up.store(time::jiffies(), Ordering::Relaxed);
                        match backup {
                            Some(true) => s.set_backup(params.all_slaves_active != 0),
                            Some(false) => s.set_active(),
                            None => {}
                        }
                        log_msg(bond.dev, &s.dev, msg);
                        do_failover |= failover;
                    }
                }
            }
            Commit::Down => {
                let is_curr = bond
                    .inner
                    .state
                    .borrow(rtnl)
                    .map(|st| st.active.as_ref().is_some_and(|a| Arc::ptr_eq(a, s)))
                    .unwrap_or(false);
                let (outcome, msg) = {
                    let mut mii = s.mii.lock();
                    let r = miimon::commit_down(&mut mii, m, is_curr);
                    s.sync_link(&mii);
                    r
                };
                if outcome.set_inactive {
                    s.set_backup(params.all_slaves_active != 0);
                }
                log_msg(bond.dev, &s.dev, msg);
                do_failover |= outcome.failover;
            }
        }
    }
    // The transmit arrays follow the links (`bond_miimon_link_change`).
    bond.inner.publish(bond.dev, rtnl);
    if do_failover {
        select::select(bond, rtnl);
    }
    slave::set_carrier(bond, rtnl);
}

/// The `prio` of the slave whose shared part is `s`.
pub(crate) fn prio_of(bond: BondRef<'_>, rtnl: &Rtnl, s: &Arc<SlaveShared>) -> i32 {
    bond.inner
        .slaves
        .borrow(rtnl)
        .ok()
        .and_then(|l| l.iter().find(|x| Arc::ptr_eq(&x.shared, s)).map(|x| x.prio))
        .unwrap_or(0)
}
