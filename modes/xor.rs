// SPDX-License-Identifier: GPL-2.0

//! Mode 2, balance-xor: the `xmit_hash_policy` hash of a packet picks one
//! of the slaves that can send, so a flow stays on one slave.
//!
//! C version: `bond_3ad_xor_xmit`, `bond_xmit_3ad_xor_slave_get`,
//! `bond_xmit_hash`. The hashes are pure logic in [`crate::logic::hash`],
//! bit-identical to C.

use super::{drop_tx, send, BondMode};
use crate::bond::{Bond, View};
use crate::logic::hash::{self, FlowAddrs, FlowKeys, IcmpKey, PacketRead, SkbInfo};
use crate::net::{
    skbuff::{FlowAddrKind, FlowDissection},
    DriverDevice, NetdevTx, SkBuff,
};

/// Mode 2.
pub(crate) struct Xor;

/// Packet bytes from `skb->data` on, linear part or fragments.
struct SkbBytes<'a>(&'a SkBuff);

impl PacketRead for SkbBytes<'_> {
    fn read(&self, off: usize, buf: &mut [u8]) -> bool {
        self.0.copy_bits(off, buf)
    }
}

/// The kernel flow dissector's result in the form the hash reads.
fn flow_keys(d: FlowDissection) -> FlowKeys {
    let four = |a: &[u8; 16]| [a[0], a[1], a[2], a[3]];
    FlowKeys {
        addrs: match d.addrs {
            FlowAddrKind::V4 => FlowAddrs::V4 {
                src: four(&d.src),
                dst: four(&d.dst),
            },
            FlowAddrKind::V6 => FlowAddrs::V6 {
                src: d.src,
                dst: d.dst,
            },
            FlowAddrKind::Tipc => FlowAddrs::Tipc { key: four(&d.src) },
            FlowAddrKind::None => FlowAddrs::None,
        },
        ports: d.ports,
        icmp: IcmpKey {
            type_: d.icmp_type,
            code: d.icmp_code,
            id: d.icmp_id,
        },
    }
}

/// `bond_xmit_hash` of a packet on the transmit path.
pub(crate) fn xmit_hash(view: &View, skb: &SkBuff) -> u32 {
    let info = SkbInfo {
        protocol: skb.protocol(),
        network_offset: skb.network_offset(),
        vlan_tci: skb.vlan_tci(),
        l4_hash: skb.l4_hash(),
    };
    hash::xmit_hash(view.policy, &SkbBytes(skb), &info, || {
        skb.dissect_encap().map(flow_keys)
    })
}

impl BondMode for Xor {
    fn xmit(bond: &DriverDevice<Bond>, view: &View, skb: SkBuff) -> NetdevTx {
        let h = xmit_hash(view, &skb);
        match hash::slave_index(h, view.usable.len()).and_then(|i| view.usable.get(i)) {
            Some(slave) => send(skb, slave),
            None => drop_tx(bond, skb),
        }
    }
}
