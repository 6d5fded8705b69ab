// SPDX-License-Identifier: GPL-2.0

//! The active slave: choosing it and changing it.
//!
//! C version: `bond_main.c` (`bond_select_active_slave`,
//! `bond_find_best_slave`, `bond_change_active_slave`,
//! `bond_should_notify_peers`, `bond_do_fail_over_mac`). The choice itself
//! is pure logic in [`crate::logic::select`].

use super::MCAST_WORK;
use super::{
    slave::{self, slave_log, SlaveShared},
    BondRef,
};
use crate::logic::{
    miimon::{self, MiiParams},
    select::{self, ActiveState, Candidate, PrimaryReselect, SelectMsg},
};
use crate::net::{delayed_work::DelayedWork, netdev_log, time, Rtnl};
use core::sync::atomic::Ordering;
use kernel::{prelude::*, sync::Arc};

/// `bond_find_best_slave`.
fn find_best(bond: BondRef<'_>, rtnl: &Rtnl) -> Option<Arc<SlaveShared>> {
    let slaves = bond.inner.slaves.borrow(rtnl).ok()?;
    let params = bond.inner.params.borrow(rtnl).ok()?;
    let mut state = bond.inner.state.borrow_mut(rtnl).ok()?;
    let mut cands = KVec::with_capacity(slaves.len(), GFP_KERNEL).ok()?;
    let mut primary = None;
    let mut curr = None;
    for (i, s) in slaves.iter().enumerate() {
        let sh = &s.shared;
        let delay = sh.mii.lock().delay;
        cands
            .push(
                Candidate {
                    link: sh.link(),
                    is_up: sh.is_up(),
                    prio: s.prio,
                    speed: sh.speed(),
                    duplex: sh.duplex(),
                    delay,
                },
                GFP_KERNEL,
            )
            .ok()?;
        if state.primary.as_ref().is_some_and(|p| Arc::ptr_eq(p, sh)) {
            primary = Some(i);
        }
        if state.active.as_ref().is_some_and(|a| Arc::ptr_eq(a, sh)) {
            curr = Some(i);
        }
    }
    let st = ActiveState {
        primary,
        curr_active: curr,
        primary_reselect: PrimaryReselect::from_value(u64::from(params.primary_reselect))
            .unwrap_or(PrimaryReselect::Always),
        updelay: params.updelay as i32,
    };
    let best = select::find_best_slave(&cands, &st, &mut state.force_primary)?;
    slaves.get(best).map(|s| s.shared.clone())
}

/// `bond_select_active_slave`: makes the best slave the active one if it
/// is not already, and logs a carrier change that follows.
pub(crate) fn select(bond: BondRef<'_>, rtnl: &Rtnl) {
    let best = find_best(bond, rtnl);
    let same = {
        let Ok(state) = bond.inner.state.borrow(rtnl) else {
            return;
        };
        match (&best, &state.active) {
            (Some(b), Some(a)) => Arc::ptr_eq(b, a),
            (None, None) => true,
            _ => false,
        }
    };
    if same {
        return;
    }
    change(bond, rtnl, best);
    let changed = slave::set_carrier(bond, rtnl);
    if let Some(msg) = SelectMsg::after_change(changed, bond.dev.carrier_ok()) {
        netdev_log!(Info, bond.dev, "{}\n", msg);
    }
}

/// `bond_change_active_slave`: makes `new` the active slave (or none).
pub(crate) fn change(bond: BondRef<'_>, rtnl: &Rtnl, new: Option<Arc<SlaveShared>>) {
    let Ok(params) = bond.inner.params.borrow(rtnl).map(|p| p.clone()) else {
        return;
    };
    let old = match bond.inner.state.borrow(rtnl) {
        Ok(st) => st.active.clone(),
        Err(_) => return,
    };
    if let (Some(o), Some(n)) = (&old, &new) {
        if Arc::ptr_eq(o, n) {
            return;
        }
    }
    if old.is_none() && new.is_none() {
        return;
    }
    let uses_primary = params.mode.uses_primary();
    if let Some(n) = &new {
        n.last_link_up.store(time::jiffies(), Ordering::Relaxed);
        let mii_params = MiiParams {
            miimon: params.miimon as i32,
            updelay: params.updelay as i32,
            downdelay: params.downdelay as i32,
        };
        let msg = {
            let mut mii = n.mii.lock();
            let (_, msg) = miimon::promote_new_active(&mut mii, &mii_params, uses_primary);
            n.sync_link(&mii);
            msg
        };
        if let Some(msg) = msg {
            slave_log!(Info, bond.dev, &*n.dev, "{}\n", msg);
        }
    }
    if uses_primary {
        slave::hw_addr_swap(
            bond.dev,
            rtnl,
            new.as_ref().map(|n| &*n.dev),
            old.as_ref().map(|o| &*o.dev),
        );
        // Still in `bond_hw_addr_swap`, before the states change: the old
        // active slave is still active here, so (as in C) it gets no NS
        // groups; the new one loses its own.
        if let Some(o) = &old {
            super::arpmon::ns_maddrs(rtnl, &params, o, true);
        }
        if let Some(n) = &new {
            super::arpmon::ns_maddrs(rtnl, &params, n, false);
        }
    }
    if let Ok(mut st) = bond.inner.state.borrow_mut(rtnl) {
        st.active = new.clone();
    }
    // Packets sent from here on (the notifications below) leave on the new
    // active slave (C: `rcu_assign_pointer(bond->curr_active_slave, ...)`).
    bond.inner.publish(bond.dev, rtnl);
    crate::modes::active_changed(params.mode, bond, rtnl, &params, old.as_ref(), new.as_ref());
    bond.inner.publish(bond.dev, rtnl);
    // IGMP reports follow the new active slave: `resend_igmp` rounds,
    // the first a tick from now, then every 200 ms (`mcast_work`).
    if bond.dev.is_running()
        && params.resend_igmp > 0
        && ((uses_primary && new.is_some()) || params.mode.keeps_igmp_on_one_slave())
    {
        if let Ok(mut st) = bond.inner.state.borrow_mut(rtnl) {
            st.igmp_retrans = params.resend_igmp;
        }
        DelayedWork::<_, MCAST_WORK>::queue(bond.inner.clone(), 1);
    }
}

/// `bond_get_old_active`: the slave other than `new` that holds the bond's
/// address.
fn old_holder(bond: BondRef<'_>, rtnl: &Rtnl, new: &Arc<SlaveShared>) -> Option<Arc<SlaveShared>> {
    let addr = bond.dev.dev_addr();
    slave::each(bond.inner, rtnl).find(|s| !Arc::ptr_eq(s, new) && s.dev.dev_addr() == addr)
}

/// `bond_do_fail_over_mac`: `active` gives the bond the new slave's
/// address; `follow` swaps the addresses of the new slave and the old one
/// (or, with no old active slave, the one that holds the bond's address);
/// with neither, the new slave takes the bond's address.
pub(crate) fn fail_over_mac(
    bond: BondRef<'_>,
    rtnl: &Rtnl,
    policy: u32,
    new: &Arc<SlaveShared>,
    old: Option<&Arc<SlaveShared>>,
) {
    match policy {
        1 => {
            if let Err(e) = bond.dev.steal_addr_of(rtnl, &new.dev) {
                slave_log!(
                    Err,
                    bond.dev,
                    &*new.dev,
                    "Error {} setting bond MAC from slave\n",
                    -e.to_errno()
                );
            }
        }
        2 => {
            let new_addr = new.dev.hw_addr();
            let old_dev = match old {
                Some(o) => Some(o.dev.clone()),
                None => old_holder(bond, rtnl, new).map(|o| o.dev.clone()),
            };
            let target = match &old_dev {
                Some(o) => o.hw_addr(),
                None => bond.dev.hw_addr(),
            };
            if let Err(e) = new.dev.set_mac_address(rtnl, target.as_bytes()) {
                slave_log!(
                    Err,
                    bond.dev,
                    &*new.dev,
                    "Error {} setting MAC of new active slave\n",
                    -e.to_errno()
                );
                return;
            }
            if let Some(o) = old_dev {
                if let Err(e) = o.set_mac_address(rtnl, new_addr.as_bytes()) {
                    slave_log!(
                        Err,
                        bond.dev,
                        &*o,
                        "Error {} setting MAC of old active slave\n",
                        -e.to_errno()
                    );
                }
            }
        }
        _ => {}
    }
}
