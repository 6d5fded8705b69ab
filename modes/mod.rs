// SPDX-License-Identifier: GPL-2.0

//! The bonding modes: one file per mode behind [`BondMode`].
//!
//! C version: `__bond_start_xmit` and the `bond_xmit_*` functions of
//! `bond_main.c`. Each mode picks the slave(s) a packet leaves on from the
//! bond's published [`TxState`]; the common steps (queue override, the
//! send itself, the drop) are here.
//!
//! Modes 802.3ad, balance-tlb and balance-alb do not exist yet: the option
//! engine refuses to select them (`EOPNOTSUPP`), so `TxState::mode` is one
//! of the four below.

use crate::bond::{mode, slave::SlaveShared, Bond, TxState};
use crate::net::{skbuff::DropReason, Device, DriverDevice, SkBuff};
use core::sync::atomic::Ordering;
use kernel::sync::Arc;

mod active_backup;
mod broadcast;
mod round_robin;
mod xor;

/// What a mode does on the transmit path.
pub(crate) trait BondMode {
    /// Sends `skb` (or drops it) on the slave(s) the mode picks.
    fn xmit(bond: &DriverDevice<Bond>, tx: &TxState, skb: SkBuff);
}

/// `__bond_start_xmit`: the queue override in modes 0 and 1, then the
/// mode's own choice.
pub(crate) fn xmit(bond: &DriverDevice<Bond>, tx: &TxState, skb: SkBuff) {
    let skb = match tx.mode {
        mode::ROUNDROBIN | mode::ACTIVEBACKUP => match slave_override(tx, skb) {
            Some(skb) => skb,
            None => return,
        },
        _ => skb,
    };
    match tx.mode {
        mode::ROUNDROBIN => round_robin::RoundRobin::xmit(bond, tx, skb),
        mode::ACTIVEBACKUP => active_backup::ActiveBackup::xmit(bond, tx, skb),
        mode::XOR => xor::Xor::xmit(bond, tx, skb),
        mode::BROADCAST => broadcast::Broadcast::xmit(bond, tx, skb),
        _ => drop_tx(bond, skb),
    }
}

/// `bond_slave_override`: a packet whose queue mapping (set by `tc ...
/// skbedit queue_mapping`) names a slave's `queue_id` goes on that slave if
/// it is up. Returns the packet if the mode should choose.
fn slave_override(tx: &TxState, skb: SkBuff) -> Option<SkBuff> {
    let q = skb.saved_queue_mapping();
    if q == 0 {
        return Some(skb);
    }
    for s in tx.all.iter() {
        if s.queue_id.load(Ordering::Relaxed) == q {
            if s.is_up_with_link() {
                send(skb, s);
                return None;
            }
            break;
        }
    }
    Some(skb)
}

/// `bond_dev_queue_xmit`: sends on `slave` with the queue mapping the
/// packet had before the bond's queue selection. Returns whether the
/// slave's queue took it.
pub(crate) fn send(mut skb: SkBuff, slave: &Arc<SlaveShared>) -> bool {
    skb.restore_queue_mapping();
    skb.queue_xmit(&slave.dev).is_ok()
}

/// `bond_tx_drop`: counts and frees a packet the bond cannot send.
pub(crate) fn drop_tx(bond: &Device, skb: SkBuff) {
    bond.count_tx_dropped();
    skb.drop_with(DropReason::NOT_SPECIFIED);
}
