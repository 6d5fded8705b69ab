// SPDX-License-Identifier: GPL-2.0

//! A bond's configuration (C's `struct bond_params`).
//!
//! Every new bond starts from the module-wide defaults that the module
//! parameters give (`bonding_defaults`, see `module_params.rs`); sysfs (and
//! later netlink) change one bond's copy through the option engine
//! (`options.rs`). The copy is written under RTNL; the hot paths read the
//! few fields they need from the bond's published transmit state instead.

use crate::logic::hash::XmitHashPolicy;
use crate::logic::mode::Mode;
use crate::net::device::IFNAMSIZ;

/// `BOND_MAX_ARP_TARGETS`.
pub(crate) const MAX_ARP_TARGETS: usize = 16;

/// `BOND_DEFAULT_MIIMON`: what modes 4–6 force when miimon is 0.
pub(crate) const DEFAULT_MIIMON: u32 = 100;

/// `BOND_DEFAULT_TX_QUEUES`.
pub(crate) const DEFAULT_TX_QUEUES: u32 = 16;

/// A bond's configuration. Delays are in MII monitor ticks, as in C.
#[derive(Clone)]
pub(crate) struct Params {
    pub(crate) mode: Mode,
    pub(crate) xmit_policy: XmitHashPolicy,
    pub(crate) miimon: u32,
    pub(crate) num_peer_notif: u32,
    pub(crate) arp_interval: u32,
    pub(crate) arp_validate: u32,
    pub(crate) arp_all_targets: u32,
    pub(crate) missed_max: u32,
    /// IPv4 targets, network byte order bytes; `arp_targets_len` are used.
    pub(crate) arp_targets: [[u8; 4]; MAX_ARP_TARGETS],
    pub(crate) arp_targets_len: usize,
    /// IPv6 NS targets (`ns_targets`), the first `ns_targets_len` used.
    pub(crate) ns_targets: [[u8; 16]; MAX_ARP_TARGETS],
    pub(crate) ns_targets_len: usize,
    pub(crate) updelay: u32,
    pub(crate) downdelay: u32,
    pub(crate) peer_notif_delay: u32,
    pub(crate) use_carrier: u32,
    pub(crate) lacp_active: u32,
    pub(crate) lacp_fast: u32,
    pub(crate) min_links: u32,
    pub(crate) ad_select: u32,
    /// The primary's name (NUL padded); empty if none.
    pub(crate) primary: [u8; IFNAMSIZ],
    pub(crate) primary_reselect: u32,
    pub(crate) fail_over_mac: u32,
    pub(crate) all_slaves_active: u32,
    pub(crate) resend_igmp: u32,
    pub(crate) lp_interval: u32,
    pub(crate) packets_per_slave: u32,
    pub(crate) tlb_dynamic_lb: u32,
    pub(crate) ad_actor_sys_prio: u32,
    pub(crate) ad_user_port_key: u32,
    pub(crate) coupled_control: u32,
    pub(crate) broadcast_neighbor: u32,
}

impl Params {
    /// The defaults of a module loaded without parameters.
    pub(crate) const fn builtin() -> Self {
        Self {
            mode: Mode::RoundRobin,
            xmit_policy: XmitHashPolicy::Layer2,
            miimon: 0,
            num_peer_notif: 1,
            arp_interval: 0,
            arp_validate: 0,
            arp_all_targets: 0,
            missed_max: 2,
            arp_targets: [[0; 4]; MAX_ARP_TARGETS],
            arp_targets_len: 0,
            ns_targets: [[0; 16]; MAX_ARP_TARGETS],
            ns_targets_len: 0,
            updelay: 0,
            downdelay: 0,
            peer_notif_delay: 0,
            use_carrier: 1,
            lacp_active: 1,
            lacp_fast: 0,
            min_links: 0,
            ad_select: 0,
            primary: [0; IFNAMSIZ],
            primary_reselect: 0,
            fail_over_mac: 0,
            all_slaves_active: 0,
            resend_igmp: 1,
            lp_interval: 1,
            packets_per_slave: 1,
            tlb_dynamic_lb: 1,
            ad_actor_sys_prio: 65535,
            ad_user_port_key: 0,
            coupled_control: 1,
            broadcast_neighbor: 0,
        }
    }

    /// `fail_over_mac` where it acts (active-backup), 0 elsewhere.
    pub(crate) fn active_fail_over_mac(&self) -> u32 {
        if self.mode.has_fail_over_mac() {
            self.fail_over_mac
        } else {
            0
        }
    }

    /// The primary's name, if one is set.
    pub(crate) fn primary_name(&self) -> Option<&[u8]> {
        let len = self
            .primary
            .iter()
            .position(|&b| b == 0)
            .unwrap_or(IFNAMSIZ);
        (len > 0).then(|| &self.primary[..len])
    }

    /// Sets the primary's name (cut to `IFNAMSIZ - 1` bytes, as `strscpy`).
    pub(crate) fn set_primary_name(&mut self, name: &[u8]) {
        self.primary = [0; IFNAMSIZ];
        let n = name.len().min(IFNAMSIZ - 1);
        self.primary[..n].copy_from_slice(&name[..n]);
    }

    /// The value the option engine and sysfs see for `id` (delays in ms).
    pub(crate) fn value_of(&self, id: crate::logic::options::OptionId) -> u64 {
        use crate::logic::options::OptionId as O;
        u64::from(match id {
            O::Mode => u32::from(self.mode.value()),
            O::PacketsPerSlave => self.packets_per_slave,
            O::XmitHash => self.xmit_policy as u32,
            O::ArpValidate => self.arp_validate,
            O::ArpAllTargets => self.arp_all_targets,
            O::FailOverMac => self.fail_over_mac,
            O::ArpInterval => self.arp_interval,
            O::Downdelay => self.downdelay.wrapping_mul(self.miimon),
            O::Updelay => self.updelay.wrapping_mul(self.miimon),
            O::PeerNotifDelay => self.peer_notif_delay.wrapping_mul(self.miimon),
            O::LacpRate => self.lacp_fast,
            O::MinLinks => self.min_links,
            O::AdSelect => self.ad_select,
            O::NumPeerNotif | O::NumPeerNotifAlias => self.num_peer_notif,
            O::Miimon => self.miimon,
            O::PrimaryReselect => self.primary_reselect,
            O::UseCarrier => self.use_carrier,
            O::AllSlavesActive => self.all_slaves_active,
            O::ResendIgmp => self.resend_igmp,
            O::LpInterval => self.lp_interval,
            O::TlbDynamicLb => self.tlb_dynamic_lb,
            O::AdActorSysPrio => self.ad_actor_sys_prio,
            O::AdUserPortKey => self.ad_user_port_key,
            O::LacpActive => self.lacp_active,
            O::MissedMax => self.missed_max,
            O::CoupledControl => self.coupled_control,
            O::BroadcastNeigh => self.broadcast_neighbor,
            _ => 0,
        })
    }
}
