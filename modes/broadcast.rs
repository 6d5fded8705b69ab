// SPDX-License-Identifier: GPL-2.0

//! Mode 3, broadcast: every packet leaves on every slave that is up.
//!
//! C version: `bond_xmit_broadcast(..., all_slaves = true)`.

use super::{send, BondMode};
use crate::bond::{Bond, View};
use crate::net::{netdev_log, skbuff::DropReason, DriverDevice, NetdevTx, SkBuff};

/// Mode 3.
pub(crate) struct Broadcast;

impl BondMode for Broadcast {
    /// The slowest slave's (`bond_mode_bcast_speed`): every packet goes
    /// out of all of them.
    fn link_speed(speeds: impl Iterator<Item = u32>) -> u32 {
        speeds.min().unwrap_or(0)
    }

    fn xmit(bond: &DriverDevice<Bond>, view: &View, skb: SkBuff) -> NetdevTx {
        let mut sent = false;
        let mut original = Some(skb);
        let last = view.all.len().wrapping_sub(1);
        for (i, slave) in view.all.iter().enumerate() {
            if !slave.is_up_with_link() {
                continue;
            }
            // The last slave of the list gets the packet itself, the
            // others a clone (C: `bond_is_last_slave`).
            let copy = if i == last {
                original.take()
            } else {
                match original.as_ref().map(|s| s.try_clone()) {
                    Some(Ok(c)) => Some(c),
                    _ => {
                        // Per packet, in softirq: C's `net_err_ratelimited`.
                        if crate::net::log::net_ratelimit() {
                            netdev_log!(
                                Err,
                                bond,
                                "Error: bond_xmit_broadcast: skb_clone() failed\n"
                            );
                        }
                        None
                    }
                }
            };
            if let Some(c) = copy {
                sent |= send(c, slave).is_ok();
            }
        }
        if let Some(unused) = original {
            unused.drop_with(DropReason::NOT_SPECIFIED);
        }
        // C: NETDEV_TX_OK if any slave's queue said so, else a drop.
        if sent {
            NetdevTx::OK
        } else {
            bond.count_tx_dropped();
            NetdevTx::DROP
        }
    }
}
