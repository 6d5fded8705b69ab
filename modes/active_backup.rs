// SPDX-License-Identifier: GPL-2.0

//! Mode 1, active-backup: everything leaves on the active slave.
//!
//! C version: `bond_xmit_activebackup`. Failover is the monitor's and
//! `bond/active.rs`'s business; backups drop what they receive
//! (`bond/slave.rs`, receive handler).

use super::{drop_tx, send, BondMode};
use crate::bond::{Bond, TxState};
use crate::net::{DriverDevice, SkBuff};

/// Mode 1.
pub(crate) struct ActiveBackup;

impl BondMode for ActiveBackup {
    fn xmit(bond: &DriverDevice<Bond>, tx: &TxState, skb: SkBuff) {
        match &tx.active {
            Some(active) => {
                send(skb, active);
            }
            None => drop_tx(bond, skb),
        }
    }
}
