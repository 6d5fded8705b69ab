// SPDX-License-Identifier: GPL-2.0

//! Mode 1, active-backup: everything leaves on the active slave.
//!
//! C version: `bond_xmit_activebackup`, the active-backup parts of
//! `bond_enslave` and `bond_change_active_slave`. Which slave is active is
//! the monitors' and `bond/select.rs`'s business; backups deliver only to
//! sockets bound to them (`bond/rx.rs`).

use super::{drop_tx, send, BondMode};
use crate::bond::{select, slave::SlaveShared, Bond, BondRef, Params, View};
use crate::logic::miimon::{self, Link};
use crate::net::{notifier::NetdevEvent, DriverDevice, NetdevTx, Rtnl, SkBuff};
use core::sync::atomic::Ordering;
use kernel::sync::Arc;

/// Mode 1.
pub(crate) struct ActiveBackup;

impl BondMode for ActiveBackup {
    const QUEUE_OVERRIDE: bool = true;

    /// A new slave is a backup; the active slave selection that follows
    /// the enslave decides whether it becomes the active one.
    fn bind(
        _bond: BondRef<'_>,
        _rtnl: &Rtnl,
        slave: &Arc<SlaveShared>,
        _link: Link,
        all_slaves_active: bool,
    ) {
        slave.set_backup(all_slaves_active);
    }

    /// `bond_change_active_slave`'s active-backup part: the old active
    /// slave becomes a backup, the new one active; `fail_over_mac` moves
    /// the address; then the failover event and the peer notifications.
    fn active_changed(
        bond: BondRef<'_>,
        rtnl: &Rtnl,
        params: &Params,
        old: Option<&Arc<SlaveShared>>,
        new: Option<&Arc<SlaveShared>>,
    ) {
        if let Some(o) = old {
            o.set_backup(params.all_slaves_active != 0);
        }
        let Some(n) = new else {
            return;
        };
        n.set_active();
        if params.fail_over_mac != 0 {
            select::fail_over_mac(bond, rtnl, params.fail_over_mac, n, old);
        }
        let mut notify_now = false;
        if bond.dev.is_running() {
            let count = miimon::peer_notif_count(
                params.num_peer_notif as u8,
                params.peer_notif_delay as i32,
            );
            notify_now = miimon::should_notify_peers(
                count,
                params.peer_notif_delay as i32,
                true,
                bond.dev.carrier_ok(),
                n.dev.linkwatch_pending(),
            );
            let left = if notify_now { count - 1 } else { count };
            bond.inner.send_peer_notif.store(left, Ordering::Relaxed);
        }
        let _ = bond.dev.notify(rtnl, NetdevEvent::BondingFailover);
        if notify_now {
            let _ = bond.dev.notify(rtnl, NetdevEvent::NotifyPeers);
        }
    }

    fn xmit(bond: &DriverDevice<Bond>, view: &View, skb: SkBuff) -> NetdevTx {
        match &view.active {
            Some(active) => send(skb, active),
            None => drop_tx(bond, skb),
        }
    }
}
