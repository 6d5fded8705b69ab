// SPDX-License-Identifier: GPL-2.0

//! `/sys/class/net/<bond>/bonding/`: one file per option with a sysfs file
//! in the option table, plus the read-only status files.
//!
//! C version: `bond_sysfs.c` (`bonding_sysfs_store_option`, the
//! `bonding_show_*` functions, `bonding_group`).

use crate::bond::{options::Ipv4, Bond, BondRef};
use crate::logic::options::{self, Input, OptionId};
use crate::net::{
    sysfs::{AttributeGroup, DeviceAttribute, DeviceAttributeOps, Mode, ShowBuffer},
    DriverDevice, Rtnl,
};
use core::fmt::Write;
use kernel::{c_str, prelude::*};

/// The read-only files that are not options, numbered after the options.
const MII_STATUS: usize = options::COUNT;
const AD_AGGREGATOR: usize = MII_STATUS + 1;
const AD_NUM_PORTS: usize = MII_STATUS + 2;
const AD_ACTOR_KEY: usize = MII_STATUS + 3;
const AD_PARTNER_KEY: usize = MII_STATUS + 4;
const AD_PARTNER_MAC: usize = MII_STATUS + 5;

/// The callbacks of every file of the group; the file's id is its option
/// number, or one of the status ids above.
pub(crate) struct BondFiles;

impl DeviceAttributeOps for BondFiles {
    type Driver = Bond;

    fn show(dev: &DriverDevice<Bond>, id: usize, out: &mut ShowBuffer<'_>) -> Result {
        let bond = BondRef::of(dev);
        if id == MII_STATUS {
            writeln!(out, "{}", if dev.carrier_ok() { "up" } else { "down" })?;
            return Ok(());
        }
        // Like C's show functions, the 802.3ad status files are empty
        // outside 802.3ad mode, which rust_bond does not have yet.
        if id > MII_STATUS {
            return Ok(());
        }
        let option = OptionId::from_number(id as u32).ok_or(EINVAL)?;
        let rtnl = Rtnl::try_lock_or_restart()?;
        let params = bond.inner.params.borrow(&rtnl)?;
        match option {
            OptionId::Slaves => {
                let list = bond.inner.slaves.borrow(&rtnl)?;
                for s in list.iter() {
                    // Names are bytes: never through `Display`, which
                    // escapes every byte outside printable ASCII.
                    out.write_bytes(s.dev().name().as_bytes());
                    out.write_bytes(b" ");
                }
                if !list.is_empty() {
                    out.replace_last(b'\n');
                }
            }
            OptionId::ArpTargets => {
                for t in params.arp_targets[..params.arp_targets_len].iter() {
                    write!(out, "{} ", Ipv4(*t))?;
                }
                if params.arp_targets_len > 0 {
                    out.replace_last(b'\n');
                }
            }
            OptionId::Primary => {
                let st = bond.inner.state.borrow(&rtnl)?;
                if let Some(p) = &st.primary {
                    out.write_bytes(p.dev.name().as_bytes());
                    out.write_bytes(b"\n");
                }
            }
            OptionId::ActiveSlave => {
                let st = bond.inner.state.borrow(&rtnl)?;
                if params.mode.uses_primary() {
                    if let Some(a) = &st.active {
                        out.write_bytes(a.dev.name().as_bytes());
                        out.write_bytes(b"\n");
                    }
                }
            }
            OptionId::QueueId => {
                let list = bond.inner.slaves.borrow(&rtnl)?;
                for s in list.iter() {
                    out.write_bytes(s.dev().name().as_bytes());
                    write!(
                        out,
                        ":{} ",
                        s.shared
                            .queue_id
                            .load(core::sync::atomic::Ordering::Relaxed)
                    )?;
                }
                if !list.is_empty() {
                    out.replace_last(b'\n');
                }
            }
            // 802.3ad only, and only for CAP_NET_ADMIN: empty here.
            OptionId::AdActorSystem | OptionId::AdActorSysPrio | OptionId::AdUserPortKey => {}
            _ => {
                let _ = options::format_sysfs(option, params.value_of(option), out);
            }
        }
        Ok(())
    }

    fn store(dev: &DriverDevice<Bond>, id: usize, input: &[u8]) -> Result {
        let option = OptionId::from_number(id as u32).ok_or(EPERM)?;
        // Never wait for RTNL here (bond_opt_tryset_rtnl).
        let rtnl = Rtnl::try_lock_or_restart()?;
        crate::bond::options::set(dev, &rtnl, option, Input::Str(input))
    }
}

/// Declares the group's files: `name = id` for each.
macro_rules! files {
    ($($stat:ident: $name:literal, $mode:expr, $id:expr;)*) => {
        $(static $stat: DeviceAttribute<BondFiles> = DeviceAttribute::new(c_str!($name), $mode, $id);)*
        static FILES: [Option<&DeviceAttribute<BondFiles>>; [$($name),*].len() + 1] =
            [$(Some(&$stat),)* None];
    };
}

const RW: Mode = Mode::RW;
const RO: Mode = Mode::RO;

files! {
    SLAVES: "slaves", RW, OptionId::Slaves as usize;
    MODE: "mode", RW, OptionId::Mode as usize;
    FAIL_OVER_MAC: "fail_over_mac", RW, OptionId::FailOverMac as usize;
    ARP_VALIDATE: "arp_validate", RW, OptionId::ArpValidate as usize;
    ARP_ALL_TARGETS: "arp_all_targets", RW, OptionId::ArpAllTargets as usize;
    ARP_INTERVAL: "arp_interval", RW, OptionId::ArpInterval as usize;
    ARP_IP_TARGET: "arp_ip_target", RW, OptionId::ArpTargets as usize;
    DOWNDELAY: "downdelay", RW, OptionId::Downdelay as usize;
    UPDELAY: "updelay", RW, OptionId::Updelay as usize;
    PEER_NOTIF_DELAY: "peer_notif_delay", RW, OptionId::PeerNotifDelay as usize;
    LACP_ACTIVE: "lacp_active", RW, OptionId::LacpActive as usize;
    LACP_RATE: "lacp_rate", RW, OptionId::LacpRate as usize;
    MIN_LINKS: "min_links", RW, OptionId::MinLinks as usize;
    AD_SELECT: "ad_select", RW, OptionId::AdSelect as usize;
    XMIT_HASH_POLICY: "xmit_hash_policy", RW, OptionId::XmitHash as usize;
    NUM_GRAT_ARP: "num_grat_arp", RW, OptionId::NumPeerNotifAlias as usize;
    NUM_UNSOL_NA: "num_unsol_na", RW, OptionId::NumPeerNotif as usize;
    MIIMON: "miimon", RW, OptionId::Miimon as usize;
    PRIMARY: "primary", RW, OptionId::Primary as usize;
    PRIMARY_RESELECT: "primary_reselect", RW, OptionId::PrimaryReselect as usize;
    USE_CARRIER: "use_carrier", RW, OptionId::UseCarrier as usize;
    ACTIVE_SLAVE: "active_slave", RW, OptionId::ActiveSlave as usize;
    MII_STATUS_FILE: "mii_status", RO, MII_STATUS;
    AD_AGGREGATOR_FILE: "ad_aggregator", RO, AD_AGGREGATOR;
    AD_NUM_PORTS_FILE: "ad_num_ports", RO, AD_NUM_PORTS;
    AD_ACTOR_KEY_FILE: "ad_actor_key", RO, AD_ACTOR_KEY;
    AD_PARTNER_KEY_FILE: "ad_partner_key", RO, AD_PARTNER_KEY;
    AD_PARTNER_MAC_FILE: "ad_partner_mac", RO, AD_PARTNER_MAC;
    QUEUE_ID: "queue_id", RW, OptionId::QueueId as usize;
    ALL_SLAVES_ACTIVE: "all_slaves_active", RW, OptionId::AllSlavesActive as usize;
    RESEND_IGMP: "resend_igmp", RW, OptionId::ResendIgmp as usize;
    LP_INTERVAL: "lp_interval", RW, OptionId::LpInterval as usize;
    PACKETS_PER_SLAVE: "packets_per_slave", RW, OptionId::PacketsPerSlave as usize;
    TLB_DYNAMIC_LB: "tlb_dynamic_lb", RW, OptionId::TlbDynamicLb as usize;
    AD_ACTOR_SYS_PRIO: "ad_actor_sys_prio", RW, OptionId::AdActorSysPrio as usize;
    AD_ACTOR_SYSTEM: "ad_actor_system", RW, OptionId::AdActorSystem as usize;
    AD_USER_PORT_KEY: "ad_user_port_key", RW, OptionId::AdUserPortKey as usize;
    ARP_MISSED_MAX: "arp_missed_max", RW, OptionId::MissedMax as usize;
}

/// `bonding_group`: every bond carries it.
pub(crate) static GROUP: AttributeGroup<Bond> =
    AttributeGroup::new(Some(c_str!("bonding")), &FILES);
