// SPDX-License-Identifier: GPL-2.0

//! The receive path: what happens to a frame a slave received.
//!
//! C version: `bond_handle_frame`, `bond_should_deliver_exact_match`.
//!
//! 1. The mode looks first ([`crate::modes::rx_probe`], C's
//!    `bond->recv_probe`) and may take the frame.
//! 2. A slave that is not active (a backup) delivers only to sockets bound
//!    to it exactly; link-local frames (LLDP) still reach every socket on
//!    the slave.
//! 3. Everything else is received again as the bond's.

use super::{slave::SlaveShared, BondInner};
use crate::modes::{self, RxProbe};
use crate::net::{
    device::ETH_ALEN,
    rcu,
    rx_handler::{RxHandler, RxResult},
    Device, SkBuff,
};
use kernel::{sync::Arc, types::ARef};

/// The receive handler's data on one slave.
pub(crate) struct SlaveRx {
    shared: Arc<SlaveShared>,
    bond: ARef<Device>,
    /// The bond's state, for the mode's probe. The bond's slave list
    /// holds this handler, so this is a cycle until the slave is released,
    /// which drops the handler.
    inner: Arc<BondInner>,
}

impl SlaveRx {
    /// The handler for `shared`, a slave of `bond`.
    pub(crate) fn new(shared: Arc<SlaveShared>, bond: &Device, inner: Arc<BondInner>) -> Self {
        Self {
            shared,
            bond: ARef::from(bond),
            inner,
        }
    }
}

/// `is_link_local_ether_addr`: 01:80:c2:00:00:0X.
fn is_link_local(addr: &[u8; ETH_ALEN]) -> bool {
    addr[..5] == [0x01, 0x80, 0xc2, 0x00, 0x00] && addr[5] & 0xf0 == 0
}

impl RxHandler for SlaveRx {
    fn handle_frame<'a>(this: &'a Self, skb: SkBuff) -> RxResult<'a> {
        let skb = {
            let guard = rcu::read_lock();
            match this.inner.view.get(&guard) {
                Some(view) => {
                    let probe = RxProbe {
                        bond: &this.bond,
                        inner: &this.inner,
                        view,
                        slave: &this.shared,
                    };
                    match modes::rx_probe(&probe, skb) {
                        Some(skb) => skb,
                        None => return RxResult::Consumed,
                    }
                }
                None => skb,
            }
        };
        if this.shared.is_inactive() {
            if skb.eth_dest().is_some_and(|d| is_link_local(&d)) {
                return RxResult::Pass(skb);
            }
            return RxResult::Exact(skb);
        }
        RxResult::Another(skb, &this.bond)
    }
}
