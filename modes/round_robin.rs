// SPDX-License-Identifier: GPL-2.0

//! Mode 0, balance-rr: packets take turns over the slaves that can send,
//! `packets_per_slave` at a time (0: a random slave each time).
//!
//! C version: `bond_xmit_roundrobin`, `bond_xmit_roundrobin_slave_get`,
//! `bond_rr_gen_slave_id`, `bond_get_slave_by_id`.

use super::{drop_tx, send, BondMode};
use crate::bond::{Bond, View};
use crate::logic::select;
use crate::net::{DriverDevice, NetdevTx, SkBuff};

/// `ETH_P_IP` and `IPPROTO_IGMP`.
const ETH_P_IP: u16 = 0x0800;
const IPPROTO_IGMP: u8 = 2;

/// Mode 0.
pub(crate) struct RoundRobin;

/// Whether `skb` is IPv4 IGMP (the IP header can be read and its protocol
/// is IGMP).
fn is_igmp(skb: &SkBuff) -> bool {
    if skb.protocol() != ETH_P_IP {
        return false;
    }
    // C pulls the whole IPv4 header (20 bytes) before it reads the
    // protocol byte; a shorter packet is not IGMP.
    let noff = skb.network_offset();
    let mut proto = [0u8; 1];
    skb.len() as usize >= noff + 20
        && skb.copy_bits(noff + 9, &mut proto)
        && proto[0] == IPPROTO_IGMP
}

impl BondMode for RoundRobin {
    const QUEUE_OVERRIDE: bool = true;

    fn xmit(bond: &DriverDevice<Bond>, view: &View, skb: SkBuff) -> NetdevTx {
        let count = view.all.len();
        let can_tx = |i: usize| view.all.get(i).is_some_and(|s| s.can_tx());
        // IGMP reports stay on one slave, so that joins stay consistent.
        let slave = if is_igmp(&skb) {
            match &view.active {
                Some(a) => Some(a),
                None => select::get_slave_by_id(0, count, can_tx).and_then(|i| view.all.get(i)),
            }
        } else {
            let counter = &bond.data().inner.rr_counter;
            // `bond_rr_gen_slave_id`: the counter moves only when it is used.
            let id = match view.packets_per_slave {
                0 => crate::net::random::random_u32(),
                1 => counter.inc_return(),
                _ => view.reciprocal_pps.divide(counter.inc_return()),
            };
            select::rr_slave_index(id, count)
                .and_then(|id| select::get_slave_by_id(id, count, can_tx))
                .and_then(|i| view.all.get(i))
        };
        match slave {
            Some(s) => send(skb, s),
            None => drop_tx(bond, skb),
        }
    }
}
