// SPDX-License-Identifier: GPL-2.0

//! `/proc/net/bonding/<bond>`: the text is pure logic
//! ([`crate::logic::procfs`]); this file takes the snapshot it prints.
//!
//! C version: `bond_procfs.c` (`bond_info_seq_show`).

use crate::bond::BondInner;
use crate::logic::procfs::{self, BondSnapshot, SlaveSnapshot};
use crate::net::{seq_file::SeqFile, Device, Rtnl};
use core::sync::atomic::Ordering;
use kernel::prelude::*;

impl procfs::TextOut for SeqFile {
    fn write_name(&mut self, name: &[u8]) -> core::fmt::Result {
        self.write_bytes(name);
        Ok(())
    }
}

/// Writes the file for the bond `dev`.
pub(crate) fn show(dev: &Device, inner: &BondInner, rtnl: &Rtnl, m: &mut SeqFile) -> Result {
    let params = inner.params.borrow(rtnl)?;
    let state = inner.state.borrow(rtnl)?;
    let slaves = inner.slaves.borrow(rtnl)?;
    let mode = params.mode;
    let mut targets = [0u32; crate::bond::params::MAX_ARP_TARGETS];
    for (t, a) in targets
        .iter_mut()
        .zip(&params.arp_targets[..params.arp_targets_len])
    {
        *t = u32::from_ne_bytes(*a);
    }
    let name = dev.name().as_bytes();
    let primary = state.primary.as_ref().map(|p| p.dev.name().as_bytes());
    let active = state.active.as_ref().map(|a| a.dev.name().as_bytes());
    let snap = BondSnapshot {
        name,
        mode,
        fail_over_mac: u64::from(params.fail_over_mac),
        xmit_policy: params.xmit_policy,
        tlb_dynamic_lb: params.tlb_dynamic_lb != 0,
        primary,
        primary_reselect: u64::from(params.primary_reselect),
        active_slave: active,
        carrier: dev.carrier_ok(),
        miimon: params.miimon as i32,
        updelay: params.updelay as i32,
        downdelay: params.downdelay as i32,
        peer_notif_delay: params.peer_notif_delay as i32,
        arp_interval: params.arp_interval as i32,
        missed_max: params.missed_max as u8,
        arp_targets: &targets,
        ns_targets: Some(&params.ns_targets[..params.ns_targets_len]),
        ad: None,
    };
    procfs::write_header(m, crate::DRV_VERSION)?;
    procfs::write_master(m, &snap)?;
    for s in slaves.iter() {
        let sh = &s.shared;
        let slave = SlaveSnapshot {
            name: sh.dev.name().as_bytes(),
            link: sh.link(),
            speed: sh.speed(),
            duplex: sh.duplex(),
            link_failure_count: sh.link_failure_count(),
            // C prints `addr_len` bytes (none for nlmon, 4 for GRE).
            perm_hwaddr: sh.perm_hwaddr.first(usize::from(sh.dev.addr_len())),
            queue_id: sh.queue_id.load(Ordering::Relaxed),
            ad: None,
        };
        procfs::write_slave(m, mode, &slave)?;
    }
    Ok(())
}
