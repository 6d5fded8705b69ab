// SPDX-License-Identifier: GPL-2.0

//! Netdevice events about bonds and their slaves.
//!
//! C version: `bond_main.c` (`bond_netdev_event`,
//! `bond_master_netdev_event`, `bond_slave_netdev_event`).

use crate::bond::{select, slave, Bond, BondRef};
use crate::net::{
    log::{printk_pieces, Level},
    netdev_log,
    notifier::{NetdevEvent, NetdevNotifier},
    ops::flags,
    Device, DriverDevice, Rtnl,
};
use core::sync::atomic::Ordering;
use kernel::{prelude::*, sync::Arc};

/// Watches every device for events on bonds and slaves.
pub(crate) struct BondWatcher;

impl NetdevNotifier for BondWatcher {
    fn event(&self, rtnl: &Rtnl, event: NetdevEvent, dev: &Device) -> Result {
        let Some(core) = crate::CORE.get() else {
            return Ok(());
        };
        if let Some(bond) = core.link.device(dev) {
            if event == NetdevEvent::ChangeName {
                crate::bond::netns::bond_renamed(bond, rtnl);
            }
        }
        if dev.flags() & flags::SLAVE != 0 {
            if let Some(bond) = dev.master(rtnl).and_then(|m| core.link.device(m)) {
                slave_event(bond, rtnl, event, dev);
            }
        }
        Ok(())
    }
}

/// `bond_slave_netdev_event`.
fn slave_event(dev: &DriverDevice<Bond>, rtnl: &Rtnl, event: NetdevEvent, sdev: &Device) {
    let bond = BondRef::of(dev);
    // An event during enslaving, before the slave is on the list, finds
    // nothing here, as in C.
    let Some(s) = slave::find(bond.inner, rtnl, sdev) else {
        return;
    };
    match event {
        NetdevEvent::Unregister => {
            // A bond that took a non-Ethernet slave's type goes with its
            // last slave (`bond_release_and_destroy`).
            let destroy = dev.dev_type() != slave::ARPHRD_ETHER;
            if slave::release(dev, rtnl, sdev, true).is_ok()
                && destroy
                && bond.inner.slave_count.load(Ordering::Relaxed) == 0
                && dev.is_registered(rtnl)
            {
                netdev_log!(Info, dev, "Destroying bond\n");
                dev.unregister(rtnl);
            }
        }
        NetdevEvent::Up | NetdevEvent::Change | NetdevEvent::Down => {
            if event != NetdevEvent::Down {
                let _ = s.update_speed_duplex(rtnl);
            }
            bond.inner.publish(dev, rtnl);
        }
        NetdevEvent::ChangeName => primary_renamed(bond, rtnl, &s),
        NetdevEvent::FeatChange => {
            // C's `bond->notifier_ctx`: recomputing the bond's features
            // syncs them down to its slaves, whose own `NETDEV_FEAT_CHANGE`
            // would recompute the bond's again, once per slave and nested
            // (a bond over many lower bonds, `ethtool -K bond lro off`, ran
            // out of stack). The inner events are dropped, as in C.
            if !bond.inner.notifier_ctx.swap(true, Ordering::Relaxed) {
                dev.compute_master_upper_features(rtnl, true);
                bond.inner.notifier_ctx.store(false, Ordering::Relaxed);
            }
        }
        NetdevEvent::ResendIgmp => {
            let _ = dev.notify(rtnl, NetdevEvent::ResendIgmp);
        }
        _ => {}
    }
}

/// A slave was renamed: it may stop or start being the primary.
fn primary_renamed(bond: BondRef<'_>, rtnl: &Rtnl, s: &Arc<slave::SlaveShared>) {
    let (uses_primary, wanted) = match bond.inner.params.borrow(rtnl) {
        Ok(p) => (
            p.mode.uses_primary(),
            p.primary_name().map(|n| n == s.dev.name().as_bytes()),
        ),
        Err(_) => return,
    };
    let Some(matches) = wanted else {
        return;
    };
    if !uses_primary {
        return;
    }
    // C prints the slave's name if there was a primary before the
    // change, else "none".
    let had_primary = {
        let Ok(mut st) = bond.inner.state.borrow_mut(rtnl) else {
            return;
        };
        let had = st.primary.is_some();
        if st.primary.as_ref().is_some_and(|p| Arc::ptr_eq(p, s)) {
            st.primary = None;
        } else if matches {
            st.primary = Some(s.clone());
        } else {
            return;
        }
        had
    };
    let name = bond.dev.log_name();
    printk_pieces(
        Level::Info,
        &[
            (
                name.bytes(),
                format_args!("{}: Primary slave changed to ", name.state()),
            ),
            (
                if had_primary {
                    s.dev.name().as_bytes()
                } else {
                    b"none"
                },
                format_args!(", reselecting active slave\n"),
            ),
        ],
    );
    select::select(bond, rtnl);
}
