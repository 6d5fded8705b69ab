// SPDX-License-Identifier: GPL-2.0

//! The text of `/proc/net/bonding/<bond>`.
//!
//! C version: `bond_procfs.c`: `bond_info_seq_show()` (the header),
//! `bond_info_show_master()`, `bond_info_show_slave()`; with
//! `bond_mode_name()`, `bond_slave_link_status()`, `bond_opt_get_val()` and
//! the `%pI4`, `%pI6c`, `%pM`, `%*phC` formats of `lib/vsprintf.c`.
//!
//! The kernel side takes a [`BondSnapshot`] under RCU and, as the seq_file
//! iterator does, writes [`write_header`] + [`write_master`] for the first
//! record and [`write_slave`] for each slave in list order. Every mode is
//! covered, 802.3ad included (its parts come from [`AdBondInfo`] and
//! [`SlaveAd`]); balance-tlb/alb print nothing of their own in 6.12.
//!
//! Values are taken as C stores them: the delays in miimon ticks, the ARP
//! targets as `__be32` words, option values as numbers (their names come from
//! the option tables of [`super::options`]).

#![forbid(unsafe_code)]

use super::hash::XmitHashPolicy;
use super::miimon::{Link, SPEED_UNKNOWN};
use super::mode::Mode;
use super::options::OptionId;
use core::fmt::{self, Write};

/// Where the text goes. A device name is bytes, not UTF-8 (C prints it with
/// `%s`, and any byte but NUL, `/`, `:` and white space may be in one), so
/// names go through [`TextOut::write_name`], never through `fmt`.
pub trait TextOut: Write {
    /// Appends `name`'s bytes as they are.
    fn write_name(&mut self, name: &[u8]) -> fmt::Result;
}

/// `DRV_DESCRIPTION` of `bonding_priv.h`.
pub const DRV_DESCRIPTION: &str = "Ethernet Channel Bonding Driver";

/// `BOND_MAX_ARP_TARGETS` (and `BOND_MAX_NS_TARGETS`).
pub const MAX_TARGETS: usize = 16;

/// The bond, as `bond_info_show_master()` reads it.
#[derive(Clone, Copy, Debug)]
pub struct BondSnapshot<'a> {
    /// `bond->dev->name` (used by the 802.3ad "no active aggregator" line).
    pub name: &'a [u8],
    /// `BOND_MODE(bond)`.
    pub mode: Mode,
    /// `params.fail_over_mac` (`BOND_FOM_*`: 0 none, 1 active, 2 follow).
    pub fail_over_mac: u64,
    /// `params.xmit_policy`.
    pub xmit_policy: XmitHashPolicy,
    /// `params.tlb_dynamic_lb` (the hash policy line shows for TLB/ALB only without it).
    pub tlb_dynamic_lb: bool,
    /// `primary_slave->dev->name`; `None` when there is no primary slave.
    pub primary: Option<&'a [u8]>,
    /// `params.primary_reselect` (`BOND_PRI_RESELECT_*`).
    pub primary_reselect: u64,
    /// `curr_active_slave->dev->name`.
    pub active_slave: Option<&'a [u8]>,
    /// `netif_carrier_ok(bond->dev)`.
    pub carrier: bool,
    /// `params.miimon` (ms).
    pub miimon: i32,
    /// `params.updelay` (ticks).
    pub updelay: i32,
    /// `params.downdelay` (ticks).
    pub downdelay: i32,
    /// `params.peer_notif_delay` (ticks).
    pub peer_notif_delay: i32,
    /// `params.arp_interval` (ms).
    pub arp_interval: i32,
    /// `params.missed_max`.
    pub missed_max: u8,
    /// `params.arp_targets`: `__be32` words as they lie in memory (so
    /// `to_ne_bytes()` are the address bytes in order); the list ends at the
    /// first 0 or after [`MAX_TARGETS`].
    pub arp_targets: &'a [u32],
    /// `params.ns_targets` (`struct in6_addr`); the list ends at the first
    /// `::` or after [`MAX_TARGETS`]. `None` when the kernel has no
    /// `CONFIG_IPV6` (C then prints no NS line at all).
    pub ns_targets: Option<&'a [[u8; 16]]>,
    /// The 802.3ad part; printed only in mode 802.3ad (nothing is printed if
    /// `None` there).
    pub ad: Option<AdBondInfo>,
}

/// The 802.3ad part of the bond.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AdBondInfo {
    /// `params.lacp_active`.
    pub lacp_active: bool,
    /// `params.lacp_fast`.
    pub lacp_fast: bool,
    /// `params.min_links`.
    pub min_links: u32,
    /// `params.ad_select` (`BOND_AD_*`).
    pub ad_select: u64,
    /// The part C prints only to a `CAP_NET_ADMIN` reader (`capable()`):
    /// `None` for other readers.
    pub admin: Option<AdSystem>,
}

/// The `CAP_NET_ADMIN` part of the 802.3ad bond info.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AdSystem {
    /// `BOND_AD_INFO(bond).system.sys_priority`.
    pub sys_priority: u16,
    /// `BOND_AD_INFO(bond).system.sys_mac_addr`.
    pub sys_mac: [u8; 6],
    /// `__bond_3ad_get_active_agg_info()`; `None` when it fails (no active aggregator).
    pub active_agg: Option<AggInfo>,
}

/// `struct ad_info` of `if_bonding.h`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AggInfo {
    /// `aggregator_id`.
    pub aggregator_id: u16,
    /// `ports`.
    pub ports: u16,
    /// `actor_key`.
    pub actor_key: u16,
    /// `partner_key`.
    pub partner_key: u16,
    /// `partner_system`.
    pub partner_system: [u8; 6],
}

/// One slave, as `bond_info_show_slave()` reads it.
#[derive(Clone, Copy, Debug)]
pub struct SlaveSnapshot<'a> {
    /// `slave->dev->name`.
    pub name: &'a [u8],
    /// `slave->link`.
    pub link: Link,
    /// `slave->speed` ([`SPEED_UNKNOWN`] prints `Unknown`).
    pub speed: u32,
    /// `slave->duplex` (`DUPLEX_UNKNOWN` prints `Unknown`, 0 `half`, else `full`).
    pub duplex: u8,
    /// `slave->link_failure_count`.
    pub link_failure_count: u32,
    /// `slave->perm_hwaddr[..slave->dev->addr_len]`.
    pub perm_hwaddr: &'a [u8],
    /// `slave->queue_id`.
    pub queue_id: u16,
    /// The 802.3ad part; printed only in mode 802.3ad (nothing if `None` there).
    pub ad: Option<SlaveAd>,
}

/// The 802.3ad part of a slave (`SLAVE_AD_INFO(slave)->port`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlaveAd {
    /// `port->aggregator` is NULL: `Aggregator ID: N/A`.
    NoAggregator,
    /// The port has an aggregator.
    Aggregator(AdPort),
}

/// A port with an aggregator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AdPort {
    /// `agg->aggregator_identifier`.
    pub aggregator_id: u16,
    /// `port->sm_churn_actor_state` (`churn_state_t`).
    pub actor_churn_state: u32,
    /// `port->sm_churn_partner_state`.
    pub partner_churn_state: u32,
    /// `port->churn_actor_count`.
    pub actor_churned_count: u32,
    /// `port->churn_partner_count`.
    pub partner_churned_count: u32,
    /// The LACPDU details C prints only to a `CAP_NET_ADMIN` reader.
    pub details: Option<LacpDetails>,
}

/// The `details actor/partner lacp pdu` blocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LacpDetails {
    /// `actor_system_priority`, `actor_system`, `actor_oper_port_key`,
    /// `actor_port_priority`, `actor_port_number`, `actor_oper_port_state`.
    pub actor: PortParams,
    /// `port->partner_oper`.
    pub partner: PortParams,
}

/// `struct port_params` (the actor's fields laid out the same way).
pub use super::lacp::PortParams;

/// `bond_3ad_churn_desc()`: `monitoring`, `churned`, `none`, else `unknown`.
pub const fn churn_desc(state: u32) -> &'static str {
    match state {
        0 => "monitoring",
        1 => "churned",
        2 => "none",
        _ => "unknown",
    }
}

/// `%pM`: `xx:xx:xx:xx:xx:xx`, lower-case hex.
#[derive(Clone, Copy, Debug)]
pub struct Mac<'a>(pub &'a [u8; 6]);

impl fmt::Display for Mac<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        HexColon(self.0).fmt(f)
    }
}

/// `%*phC`: the bytes in lower-case hex separated by `:` (at most 64 bytes,
/// nothing for an empty slice).
#[derive(Clone, Copy, Debug)]
pub struct HexColon<'a>(pub &'a [u8]);

impl fmt::Display for HexColon<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, b) in self.0.iter().take(64).enumerate() {
            if i > 0 {
                f.write_char(':')?;
            }
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

/// `%pI4` of a `__be32` word (its memory bytes, dotted decimal).
#[derive(Clone, Copy, Debug)]
pub struct Ipv4(pub u32);

impl fmt::Display for Ipv4 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d] = self.0.to_ne_bytes();
        write!(f, "{a}.{b}.{c}.{d}")
    }
}

/// `%pI6c`: `ip6_compressed_string()` of `lib/vsprintf.c` (the longest run of
/// two or more zero words, the first of equals, becomes `::`; IPv4-mapped
/// and ISATAP addresses end in dotted decimal).
#[derive(Clone, Copy, Debug)]
pub struct Ipv6<'a>(pub &'a [u8; 16]);

impl fmt::Display for Ipv6<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = self.0;
        let word = |i: usize| u16::from_be_bytes([a[2 * i], a[2 * i + 1]]);
        // ipv6_addr_v4mapped() || ipv6_addr_is_isatap()
        let v4mapped = (0..5).all(|i| word(i) == 0) && word(5) == 0xffff;
        let isatap = (a[8] | 0x02) == 0x02 && a[9] == 0 && a[10] == 0x5e && a[11] == 0xfe;
        let use_ipv4 = v4mapped || isatap;
        let range = if use_ipv4 { 6 } else { 8 };

        let mut longest = 1;
        let mut colonpos = None;
        for i in 0..range {
            let len = (i..range).take_while(|&j| word(j) == 0).count();
            if len > longest {
                longest = len;
                colonpos = Some(i);
            }
        }

        let mut needcolon = false;
        let mut i = 0;
        while i < range {
            if Some(i) == colonpos {
                if needcolon || i == 0 {
                    f.write_char(':')?;
                }
                f.write_char(':')?;
                needcolon = false;
                i += longest;
                continue;
            }
            if needcolon {
                f.write_char(':')?;
            }
            write!(f, "{:x}", word(i))?;
            needcolon = true;
            i += 1;
        }
        if use_ipv4 {
            if needcolon {
                f.write_char(':')?;
            }
            write!(f, "{}.{}.{}.{}", a[12], a[13], a[14], a[15])?;
        }
        Ok(())
    }
}

/// The name of `value` in `id`'s table (`bond_opt_get_val()->string`). C
/// would dereference NULL for a value not in the table; this prints the number.
struct OptName(OptionId, u64);

impl fmt::Display for OptName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.entry_for(self.1) {
            Some(e) => f.write_str(e.name),
            None => write!(f, "{}", self.1),
        }
    }
}

/// The first record's first line, `bond_info_seq_show()`'s
/// `seq_printf(seq, "%s\n", bond_version)`, where `bond_version` is
/// `DRV_DESCRIPTION ": v" UTS_RELEASE "\n"`: so the line and an empty line.
/// `uts_release` is the running kernel's `UTS_RELEASE`.
pub fn write_header<W: TextOut>(w: &mut W, uts_release: &str) -> fmt::Result {
    writeln!(w, "{DRV_DESCRIPTION}: v{uts_release}\n")
}

/// `bond_info_show_master()`.
pub fn write_master<W: TextOut>(w: &mut W, bond: &BondSnapshot<'_>) -> fmt::Result {
    write!(w, "Bonding Mode: {}", bond.mode.long_name())?;
    if bond.mode == Mode::ActiveBackup && bond.fail_over_mac != 0 {
        write!(
            w,
            " (fail_over_mac {})",
            OptName(OptionId::FailOverMac, bond.fail_over_mac)
        )?;
    }
    w.write_str("\n")?;

    if bond.mode.uses_xmit_hash(bond.tlb_dynamic_lb) {
        writeln!(
            w,
            "Transmit Hash Policy: {} ({})",
            bond.xmit_policy.name(),
            bond.xmit_policy.value()
        )?;
    }

    if bond.mode.uses_primary() {
        w.write_str("Primary Slave: ")?;
        w.write_name(bond.primary.unwrap_or(b"None"))?;
        if bond.primary.is_some() {
            write!(
                w,
                " (primary_reselect {})",
                OptName(OptionId::PrimaryReselect, bond.primary_reselect)
            )?;
        }
        w.write_str("\nCurrently Active Slave: ")?;
        w.write_name(bond.active_slave.unwrap_or(b"None"))?;
        w.write_str("\n")?;
    }

    let miimon = bond.miimon;
    writeln!(
        w,
        "MII Status: {}",
        if bond.carrier { "up" } else { "down" }
    )?;
    writeln!(w, "MII Polling Interval (ms): {miimon}")?;
    writeln!(w, "Up Delay (ms): {}", bond.updelay.wrapping_mul(miimon))?;
    writeln!(
        w,
        "Down Delay (ms): {}",
        bond.downdelay.wrapping_mul(miimon)
    )?;
    writeln!(
        w,
        "Peer Notification Delay (ms): {}",
        bond.peer_notif_delay.wrapping_mul(miimon)
    )?;

    if bond.arp_interval > 0 {
        writeln!(w, "ARP Polling Interval (ms): {}", bond.arp_interval)?;
        writeln!(w, "ARP Missed Max: {}", bond.missed_max)?;
        w.write_str("ARP IP target/s (n.n.n.n form):")?;
        let targets = bond
            .arp_targets
            .iter()
            .take(MAX_TARGETS)
            .take_while(|&&t| t != 0);
        for (i, &t) in targets.enumerate() {
            if i > 0 {
                w.write_str(",")?;
            }
            write!(w, " {}", Ipv4(t))?;
        }
        w.write_str("\n")?;
        if let Some(ns) = bond.ns_targets {
            w.write_str("NS IPv6 target/s (xx::xx form):")?;
            let targets = ns.iter().take(MAX_TARGETS).take_while(|t| **t != [0; 16]);
            for (i, t) in targets.enumerate() {
                if i > 0 {
                    w.write_str(",")?;
                }
                write!(w, " {}", Ipv6(t))?;
            }
            w.write_str("\n")?;
        }
    }

    if let (Mode::Ieee8023ad, Some(ad)) = (bond.mode, &bond.ad) {
        w.write_str("\n802.3ad info\n")?;
        writeln!(
            w,
            "LACP active: {}",
            if ad.lacp_active { "on" } else { "off" }
        )?;
        writeln!(
            w,
            "LACP rate: {}",
            if ad.lacp_fast { "fast" } else { "slow" }
        )?;
        writeln!(w, "Min links: {}", ad.min_links as i32)?;
        writeln!(
            w,
            "Aggregator selection policy (ad_select): {}",
            OptName(OptionId::AdSelect, ad.ad_select)
        )?;
        if let Some(sys) = &ad.admin {
            writeln!(w, "System priority: {}", sys.sys_priority)?;
            writeln!(w, "System MAC address: {}", Mac(&sys.sys_mac))?;
            match &sys.active_agg {
                None => {
                    w.write_str("bond ")?;
                    w.write_name(bond.name)?;
                    w.write_str(" has no active aggregator\n")?;
                }
                Some(agg) => {
                    w.write_str("Active Aggregator Info:\n")?;
                    writeln!(w, "\tAggregator ID: {}", agg.aggregator_id)?;
                    writeln!(w, "\tNumber of ports: {}", agg.ports)?;
                    writeln!(w, "\tActor Key: {}", agg.actor_key)?;
                    writeln!(w, "\tPartner Key: {}", agg.partner_key)?;
                    writeln!(w, "\tPartner Mac Address: {}", Mac(&agg.partner_system))?;
                }
            }
        }
    }
    Ok(())
}

/// `bond_info_show_slave()`; `mode` is the bond's (`BOND_MODE(bond)`).
pub fn write_slave<W: TextOut>(w: &mut W, mode: Mode, slave: &SlaveSnapshot<'_>) -> fmt::Result {
    w.write_str("\nSlave Interface: ")?;
    w.write_name(slave.name)?;
    w.write_str("\n")?;
    writeln!(w, "MII Status: {}", slave.link.status())?;
    if slave.speed == SPEED_UNKNOWN {
        w.write_str("Speed: Unknown\n")?;
    } else {
        writeln!(w, "Speed: {} Mbps", slave.speed as i32)?;
    }
    match slave.duplex {
        0xff => w.write_str("Duplex: Unknown\n")?,
        0 => w.write_str("Duplex: half\n")?,
        _ => w.write_str("Duplex: full\n")?,
    }
    writeln!(w, "Link Failure Count: {}", slave.link_failure_count)?;
    writeln!(w, "Permanent HW addr: {}", HexColon(slave.perm_hwaddr))?;
    writeln!(w, "Slave queue ID: {}", slave.queue_id)?;

    match (mode, &slave.ad) {
        (Mode::Ieee8023ad, Some(SlaveAd::NoAggregator)) => w.write_str("Aggregator ID: N/A\n")?,
        (Mode::Ieee8023ad, Some(SlaveAd::Aggregator(p))) => {
            writeln!(w, "Aggregator ID: {}", p.aggregator_id)?;
            writeln!(w, "Actor Churn State: {}", churn_desc(p.actor_churn_state))?;
            writeln!(
                w,
                "Partner Churn State: {}",
                churn_desc(p.partner_churn_state)
            )?;
            writeln!(w, "Actor Churned Count: {}", p.actor_churned_count as i32)?;
            writeln!(
                w,
                "Partner Churned Count: {}",
                p.partner_churned_count as i32
            )?;
            if let Some(d) = &p.details {
                w.write_str("details actor lacp pdu:\n")?;
                write_port(w, &d.actor, "port key")?;
                w.write_str("details partner lacp pdu:\n")?;
                write_port(w, &d.partner, "oper key")?;
            }
        }
        _ => {}
    }
    Ok(())
}

fn write_port<W: TextOut>(w: &mut W, p: &PortParams, key_label: &str) -> fmt::Result {
    writeln!(w, "    system priority: {}", p.system_priority)?;
    writeln!(w, "    system mac address: {}", Mac(&p.system))?;
    writeln!(w, "    {key_label}: {}", p.key)?;
    writeln!(w, "    port priority: {}", p.port_priority)?;
    writeln!(w, "    port number: {}", p.port_number)?;
    writeln!(w, "    port state: {}", p.port_state)
}

/// The whole file: [`write_header`], [`write_master`], then [`write_slave`]
/// for each slave.
pub fn write_all<W: TextOut>(
    w: &mut W,
    uts_release: &str,
    bond: &BondSnapshot<'_>,
    slaves: &[SlaveSnapshot<'_>],
) -> fmt::Result {
    write_header(w, uts_release)?;
    write_master(w, bond)?;
    for s in slaves {
        write_slave(w, bond.mode, s)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    type Buf = super::super::testbuf::Buf<4096>;

    fn ip(a: u8, b: u8, c: u8, d: u8) -> u32 {
        u32::from_ne_bytes([a, b, c, d])
    }

    fn bond(mode: Mode) -> BondSnapshot<'static> {
        BondSnapshot {
            name: b"bond0",
            mode,
            fail_over_mac: 0,
            xmit_policy: XmitHashPolicy::Layer2,
            tlb_dynamic_lb: true,
            primary: None,
            primary_reselect: 0,
            active_slave: None,
            carrier: true,
            miimon: 100,
            updelay: 0,
            downdelay: 0,
            peer_notif_delay: 0,
            arp_interval: 0,
            missed_max: 2,
            arp_targets: &[],
            ns_targets: Some(&[]),
            ad: None,
        }
    }

    const MAC1: [u8; 6] = [0x52, 0x54, 0x00, 0x12, 0x34, 0x5a];

    fn slave(name: &'static [u8]) -> SlaveSnapshot<'static> {
        SlaveSnapshot {
            name,
            link: Link::Up,
            speed: 1000,
            duplex: 1,
            link_failure_count: 0,
            perm_hwaddr: &MAC1,
            queue_id: 0,
            ad: None,
        }
    }

    fn show(bond: &BondSnapshot<'_>, slaves: &[SlaveSnapshot<'_>]) -> Buf {
        let mut b = Buf::new();
        write_all(&mut b, "6.12.117", bond, slaves).unwrap();
        b
    }

    #[test]
    fn balance_rr() {
        let s = [slave(b"eth0"), slave(b"eth1")];
        let mut s1 = s[1];
        s1.link = Link::Down;
        s1.speed = SPEED_UNKNOWN;
        s1.duplex = 0xff;
        s1.link_failure_count = 3;
        s1.queue_id = 2;
        let b = show(&bond(Mode::RoundRobin), &[s[0], s1]);
        assert_eq!(
            b.as_str(),
            "Ethernet Channel Bonding Driver: v6.12.117\n\
             \n\
             Bonding Mode: load balancing (round-robin)\n\
             MII Status: up\n\
             MII Polling Interval (ms): 100\n\
             Up Delay (ms): 0\n\
             Down Delay (ms): 0\n\
             Peer Notification Delay (ms): 0\n\
             \n\
             Slave Interface: eth0\n\
             MII Status: up\n\
             Speed: 1000 Mbps\n\
             Duplex: full\n\
             Link Failure Count: 0\n\
             Permanent HW addr: 52:54:00:12:34:5a\n\
             Slave queue ID: 0\n\
             \n\
             Slave Interface: eth1\n\
             MII Status: down\n\
             Speed: Unknown\n\
             Duplex: Unknown\n\
             Link Failure Count: 3\n\
             Permanent HW addr: 52:54:00:12:34:5a\n\
             Slave queue ID: 2\n"
        );
    }

    #[test]
    fn names_are_bytes() {
        // Names that are not UTF-8 come out as their bytes, as C's `%s`.
        let mut bd = bond(Mode::ActiveBackup);
        bd.primary = Some(b"p\xff");
        bd.active_slave = Some(b"a\xc3");
        let b = show(&bd, &[slave(b"s\xfe\x01")]);
        let text = b.as_bytes();
        let has = |needle: &[u8]| text.windows(needle.len()).any(|w| w == needle);
        assert!(has(b"\nPrimary Slave: p\xff (primary_reselect always)\n"));
        assert!(has(b"\nCurrently Active Slave: a\xc3\n"));
        assert!(has(b"\nSlave Interface: s\xfe\x01\nMII Status: up\n"));
    }

    #[test]
    fn active_backup() {
        let mut bd = bond(Mode::ActiveBackup);
        bd.fail_over_mac = 1;
        bd.primary = Some(b"eth1");
        bd.primary_reselect = 1;
        bd.active_slave = Some(b"eth0");
        bd.updelay = 2;
        bd.downdelay = 3;
        bd.peer_notif_delay = 1;
        let mut s0 = slave(b"eth0");
        s0.link = Link::Fail;
        s0.duplex = 0;
        s0.speed = 100;
        let b = show(&bd, &[s0]);
        assert_eq!(
            b.as_str(),
            "Ethernet Channel Bonding Driver: v6.12.117\n\
             \n\
             Bonding Mode: fault-tolerance (active-backup) (fail_over_mac active)\n\
             Primary Slave: eth1 (primary_reselect better)\n\
             Currently Active Slave: eth0\n\
             MII Status: up\n\
             MII Polling Interval (ms): 100\n\
             Up Delay (ms): 200\n\
             Down Delay (ms): 300\n\
             Peer Notification Delay (ms): 100\n\
             \n\
             Slave Interface: eth0\n\
             MII Status: going down\n\
             Speed: 100 Mbps\n\
             Duplex: half\n\
             Link Failure Count: 0\n\
             Permanent HW addr: 52:54:00:12:34:5a\n\
             Slave queue ID: 0\n"
        );
        // No primary, no active, carrier down.
        let mut bd = bond(Mode::ActiveBackup);
        bd.carrier = false;
        let mut b = Buf::new();
        write_master(&mut b, &bd).unwrap();
        assert_eq!(
            b.as_str(),
            "Bonding Mode: fault-tolerance (active-backup)\n\
             Primary Slave: None\n\
             Currently Active Slave: None\n\
             MII Status: down\n\
             MII Polling Interval (ms): 100\n\
             Up Delay (ms): 0\n\
             Down Delay (ms): 0\n\
             Peer Notification Delay (ms): 0\n"
        );
    }

    #[test]
    fn xor_with_arp() {
        let mut bd = bond(Mode::Xor);
        bd.xmit_policy = XmitHashPolicy::Layer34;
        bd.miimon = 0;
        bd.arp_interval = 1000;
        bd.missed_max = 5;
        let targets = [ip(10, 0, 0, 1), ip(192, 168, 1, 254), 0, ip(1, 1, 1, 1)];
        bd.arp_targets = &targets;
        let ns = [
            [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
            [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x11],
            [0; 16],
            [1; 16],
        ];
        bd.ns_targets = Some(&ns);
        let mut b = Buf::new();
        write_master(&mut b, &bd).unwrap();
        assert_eq!(
            b.as_str(),
            "Bonding Mode: load balancing (xor)\n\
             Transmit Hash Policy: layer3+4 (1)\n\
             MII Status: up\n\
             MII Polling Interval (ms): 0\n\
             Up Delay (ms): 0\n\
             Down Delay (ms): 0\n\
             Peer Notification Delay (ms): 0\n\
             ARP Polling Interval (ms): 1000\n\
             ARP Missed Max: 5\n\
             ARP IP target/s (n.n.n.n form): 10.0.0.1, 192.168.1.254\n\
             NS IPv6 target/s (xx::xx form): 2001:db8::1, fe80::11\n"
        );
        // No targets: the header lines stay; without IPv6 no NS line.
        bd.arp_targets = &[];
        bd.ns_targets = None;
        let mut b = Buf::new();
        write_master(&mut b, &bd).unwrap();
        assert!(b
            .as_str()
            .ends_with("ARP Missed Max: 5\nARP IP target/s (n.n.n.n form):\n"));
    }

    #[test]
    fn broadcast_and_tlb() {
        let mut b = Buf::new();
        write_master(&mut b, &bond(Mode::Broadcast)).unwrap();
        assert!(b
            .as_str()
            .starts_with("Bonding Mode: fault-tolerance (broadcast)\nMII Status: up\n"));
        // TLB: primary lines; the hash policy only with tlb_dynamic_lb=0.
        let mut bd = bond(Mode::Tlb);
        bd.fail_over_mac = 2; // not shown outside active-backup
        let mut b = Buf::new();
        write_master(&mut b, &bd).unwrap();
        assert!(b.as_str().starts_with(
            "Bonding Mode: transmit load balancing\n\
             Primary Slave: None\n\
             Currently Active Slave: None\n\
             MII Status: up\n"
        ));
        bd.tlb_dynamic_lb = false;
        bd.xmit_policy = XmitHashPolicy::Encap34;
        let mut b = Buf::new();
        write_master(&mut b, &bd).unwrap();
        assert!(b.as_str().starts_with(
            "Bonding Mode: transmit load balancing\n\
             Transmit Hash Policy: encap3+4 (4)\n\
             Primary Slave: None\n"
        ));
    }

    #[test]
    fn ieee8023ad() {
        let mut bd = bond(Mode::Ieee8023ad);
        bd.ad = Some(AdBondInfo {
            lacp_active: true,
            lacp_fast: false,
            min_links: 0,
            ad_select: 1,
            admin: Some(AdSystem {
                sys_priority: 65535,
                sys_mac: MAC1,
                active_agg: Some(AggInfo {
                    aggregator_id: 1,
                    ports: 2,
                    actor_key: 9,
                    partner_key: 1,
                    partner_system: [0; 6],
                }),
            }),
        });
        let mut s = slave(b"eth0");
        let p = PortParams {
            system_priority: 65535,
            system: MAC1,
            key: 9,
            port_priority: 255,
            port_number: 1,
            port_state: 61,
        };
        s.ad = Some(SlaveAd::Aggregator(AdPort {
            aggregator_id: 1,
            actor_churn_state: 2,
            partner_churn_state: 0,
            actor_churned_count: 0,
            partner_churned_count: 1,
            details: Some(LacpDetails {
                actor: p,
                partner: PortParams { key: 1, ..p },
            }),
        }));
        let mut s1 = slave(b"eth1");
        s1.ad = Some(SlaveAd::NoAggregator);
        let b = show(&bd, &[s, s1]);
        assert_eq!(
            b.as_str(),
            "Ethernet Channel Bonding Driver: v6.12.117\n\
             \n\
             Bonding Mode: IEEE 802.3ad Dynamic link aggregation\n\
             Transmit Hash Policy: layer2 (0)\n\
             MII Status: up\n\
             MII Polling Interval (ms): 100\n\
             Up Delay (ms): 0\n\
             Down Delay (ms): 0\n\
             Peer Notification Delay (ms): 0\n\
             \n\
             802.3ad info\n\
             LACP active: on\n\
             LACP rate: slow\n\
             Min links: 0\n\
             Aggregator selection policy (ad_select): bandwidth\n\
             System priority: 65535\n\
             System MAC address: 52:54:00:12:34:5a\n\
             Active Aggregator Info:\n\
             \tAggregator ID: 1\n\
             \tNumber of ports: 2\n\
             \tActor Key: 9\n\
             \tPartner Key: 1\n\
             \tPartner Mac Address: 00:00:00:00:00:00\n\
             \n\
             Slave Interface: eth0\n\
             MII Status: up\n\
             Speed: 1000 Mbps\n\
             Duplex: full\n\
             Link Failure Count: 0\n\
             Permanent HW addr: 52:54:00:12:34:5a\n\
             Slave queue ID: 0\n\
             Aggregator ID: 1\n\
             Actor Churn State: none\n\
             Partner Churn State: monitoring\n\
             Actor Churned Count: 0\n\
             Partner Churned Count: 1\n\
             details actor lacp pdu:\n\
             \x20   system priority: 65535\n\
             \x20   system mac address: 52:54:00:12:34:5a\n\
             \x20   port key: 9\n\
             \x20   port priority: 255\n\
             \x20   port number: 1\n\
             \x20   port state: 61\n\
             details partner lacp pdu:\n\
             \x20   system priority: 65535\n\
             \x20   system mac address: 52:54:00:12:34:5a\n\
             \x20   oper key: 1\n\
             \x20   port priority: 255\n\
             \x20   port number: 1\n\
             \x20   port state: 61\n\
             \n\
             Slave Interface: eth1\n\
             MII Status: up\n\
             Speed: 1000 Mbps\n\
             Duplex: full\n\
             Link Failure Count: 0\n\
             Permanent HW addr: 52:54:00:12:34:5a\n\
             Slave queue ID: 0\n\
             Aggregator ID: N/A\n"
        );
        // A reader without CAP_NET_ADMIN, and no active aggregator.
        let mut ad = bd.ad.unwrap();
        ad.admin.as_mut().unwrap().active_agg = None;
        bd.ad = Some(ad);
        let mut b = Buf::new();
        write_master(&mut b, &bd).unwrap();
        assert!(b.as_str().ends_with(
            "System MAC address: 52:54:00:12:34:5a\nbond bond0 has no active aggregator\n"
        ));
        ad.admin = None;
        bd.ad = Some(ad);
        let mut b = Buf::new();
        write_master(&mut b, &bd).unwrap();
        assert!(b
            .as_str()
            .ends_with("Aggregator selection policy (ad_select): bandwidth\n"));
    }

    fn v6(a: &[u8; 16]) -> Buf {
        let mut b = Buf::new();
        write!(b, "{}", Ipv6(a)).unwrap();
        b
    }

    #[test]
    fn ipv6_compressed() {
        let cases: [([u8; 16], &str); 9] = [
            ([0; 16], "::"),
            ([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], "::1"),
            (
                [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
                "fe80::",
            ),
            // A single zero word is not compressed.
            (
                [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1],
                "2001:db8:0:1:1:1:1:1",
            ),
            // The first of two equal runs.
            (
                [0x20, 0x01, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0],
                "2001::1:0:0:1:0",
            ),
            // The longer run wins.
            (
                [0x20, 0x01, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1],
                "2001:0:0:1::1",
            ),
            (
                [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1],
                "::ffff:192.0.2.1",
            ),
            // ISATAP: 2001:db8::5efe:10.0.0.1 (and with the u/l bit 0200).
            (
                [
                    0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0x5e, 0xfe, 10, 0, 0, 1,
                ],
                "2001:db8::5efe:10.0.0.1",
            ),
            (
                [
                    0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0x02, 0, 0x5e, 0xfe, 10, 0, 0, 1,
                ],
                "2001:db8::200:5efe:10.0.0.1",
            ),
        ];
        for (a, s) in &cases {
            assert_eq!(v6(a).as_str(), *s);
        }
    }

    #[test]
    fn small_formats() {
        let mut b = Buf::new();
        write!(b, "[{}]", HexColon(&[])).unwrap();
        write!(b, "[{}]", HexColon(&[0xab])).unwrap();
        write!(b, "[{}]", Ipv4(ip(0, 0, 0, 0))).unwrap();
        assert_eq!(b.as_str(), "[][ab][0.0.0.0]");
        assert_eq!(churn_desc(3), "unknown");
        assert_eq!(churn_desc(99), "unknown");
    }
}
