// SPDX-License-Identifier: GPL-2.0

//! The ARP monitor's decisions: the time windows, which received packets
//! count, how an ARP packet reads, and the per-slave verdicts of the
//! load-balance and active-backup monitors.
//!
//! C version: `bond_main.c` (`bond_time_in_interval`, `bond_rcv_validate`,
//! `bond_arp_rcv`, `bond_loadbalance_arp_mon`, `bond_ab_arp_inspect`) and
//! `include/net/bonding.h` (`slave_do_arp_validate`,
//! `slave_oldest_target_arp_rx`).
//!
//! Times are jiffies (`unsigned long`), compared with wrapping arithmetic
//! as C's `time_after` does.

use super::miimon::Link;

/// `BOND_ARP_FILTER`: the `filter*` values of `arp_validate`.
pub const ARP_FILTER: u32 = 4;

/// `ARPOP_REPLY`.
pub const ARPOP_REPLY: u16 = 2;

/// `time_after_eq(a, b)`.
const fn after_eq(a: usize, b: usize) -> bool {
    (a.wrapping_sub(b) as isize) >= 0
}

/// `time_after(a, b)`.
pub const fn after(a: usize, b: usize) -> bool {
    (b.wrapping_sub(a) as isize) < 0
}

/// `time_before(a, b)`.
pub const fn before(a: usize, b: usize) -> bool {
    after(b, a)
}

/// `bond_time_in_interval`: `now` is in `[last - delta, last + k * delta +
/// delta / 2]`, where `delta` is `arp_interval` in jiffies.
pub const fn in_interval(now: usize, last: usize, k: u32, delta: usize) -> bool {
    let lo = last.wrapping_sub(delta);
    let hi = last
        .wrapping_add((k as usize).wrapping_mul(delta))
        .wrapping_add(delta / 2);
    after_eq(now, lo) && after_eq(hi, now)
}

/// `slave_oldest_target_arp_rx`: the oldest of the per-target receive
/// times (of the configured targets; the first counts even with none).
pub fn oldest_target_rx(rx: &[usize]) -> usize {
    let mut ret = rx.first().copied().unwrap_or(0);
    for &t in rx.iter().skip(1) {
        if before(t, ret) {
            ret = t;
        }
    }
    ret
}

/// What the receive probe does with a packet (`bond_rcv_validate`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RxAction {
    /// Nothing.
    Ignore,
    /// Any such packet counts as traffic: update `last_rx`.
    TouchLastRx,
    /// Validate it as an ARP (`bond_arp_rcv`).
    CheckArp,
    /// Validate it as an IPv6 NS/NA (`bond_na_rcv`).
    CheckNa,
}

/// `bond_rcv_validate`'s choice for a slave in state `backup` (else
/// active): validation applies to the slave if `arp_validate` has the
/// state's bit (`1 << state`); otherwise every packet counts, or with a
/// `filter*` value only ARP and IPv6 ones.
pub const fn rx_action(arp_validate: u32, backup: bool, is_arp: bool, is_ipv6: bool) -> RxAction {
    let state_bit = if backup { 2 } else { 1 };
    if arp_validate & state_bit == 0 {
        let filter = arp_validate & ARP_FILTER != 0;
        if !filter || is_arp || is_ipv6 {
            RxAction::TouchLastRx
        } else {
            RxAction::Ignore
        }
    } else if is_arp {
        RxAction::CheckArp
    } else if is_ipv6 {
        RxAction::CheckNa
    } else {
        RxAction::Ignore
    }
}

/// The fields of an ARP packet that validation reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArpInfo {
    /// `ar_op`.
    pub op: u16,
    /// Sender IP address.
    pub sip: [u8; 4],
    /// Target IP address.
    pub tip: [u8; 4],
}

/// `ARPHRD_ETHER`, `ETH_P_IP`.
const ARPHRD_ETHER: u16 = 1;
const ETH_P_IP: u16 = 0x0800;

/// The length of an ARP packet for hardware addresses of `addr_len` bytes
/// (`arp_hdr_len`).
pub const fn arp_len(addr_len: u8) -> usize {
    8 + 2 * (addr_len as usize + 4)
}

/// Reads an IPv4-over-Ethernet ARP packet whose hardware addresses must be
/// `addr_len` long (the bond's). `None` if it is not one (`bond_arp_rcv`'s
/// checks, except the packet type, which the caller checks).
pub fn parse_arp(buf: &[u8], addr_len: u8) -> Option<ArpInfo> {
    let hl = addr_len as usize;
    if buf.len() < arp_len(addr_len) {
        return None;
    }
    let hrd = u16::from_be_bytes([buf[0], buf[1]]);
    let pro = u16::from_be_bytes([buf[2], buf[3]]);
    if buf[4] != addr_len || hrd != ARPHRD_ETHER || pro != ETH_P_IP || buf[5] != 4 {
        return None;
    }
    let op = u16::from_be_bytes([buf[6], buf[7]]);
    let sip_at = 8 + hl;
    let tip_at = sip_at + 4 + hl;
    let mut sip = [0; 4];
    let mut tip = [0; 4];
    sip.copy_from_slice(&buf[sip_at..sip_at + 4]);
    tip.copy_from_slice(&buf[tip_at..tip_at + 4]);
    Some(ArpInfo { op, sip, tip })
}

/// The bytes of an IPv6 header plus an ICMPv6 header.
pub const NDISC_HDR_LEN: usize = 48;

/// `NEXTHDR_ICMP`, `NDISC_NEIGHBOUR_SOLICITATION`, `_ADVERTISEMENT`.
const NEXTHDR_ICMP: u8 = 58;
const NDISC_NS: u8 = 135;
const NDISC_NA: u8 = 136;

/// Reads an IPv6 neighbour solicitation or advertisement (`bond_na_rcv`'s
/// checks): its source and destination addresses, or `None`.
pub fn parse_ndisc(buf: &[u8; NDISC_HDR_LEN]) -> Option<([u8; 16], [u8; 16])> {
    if buf[6] != NEXTHDR_ICMP || (buf[40] != NDISC_NS && buf[40] != NDISC_NA) {
        return None;
    }
    let mut s = [0u8; 16];
    let mut d = [0u8; 16];
    s.copy_from_slice(&buf[8..24]);
    d.copy_from_slice(&buf[24..40]);
    Some((s, d))
}

/// `in6addr_linklocal_allnodes`, ff02::1.
pub fn is_all_nodes(a: &[u8; 16]) -> bool {
    *a == [0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
}

/// `addrconf_addr_solict_mult`: ff02::1:ffXX:XXXX.
pub fn solicited_node(a: &[u8; 16]) -> [u8; 16] {
    let mut m = [0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0, 0, 0];
    m[13..].copy_from_slice(&a[13..]);
    m
}

/// `bond_get_targets_ip6`: the index of the target that is `ip` or whose
/// solicited-node address is `ip`.
pub fn ns_target_index(targets: &[[u8; 16]], ip: &[u8; 16]) -> Option<usize> {
    targets
        .iter()
        .position(|t| t == ip || solicited_node(t) == *ip)
}

/// `bond_is_ip6_target_ok`: not `::`, not `::1`, not multicast.
pub fn ns_target_ok(a: &[u8; 16]) -> bool {
    let mut lo = [0u8; 16];
    lo[15] = 1;
    *a != [0; 16] && *a != lo && a[0] != 0xff
}

/// Whether (and how) an ARP received on a slave is trusted enough to be
/// validated (`bond_arp_rcv`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trust {
    /// Not validated.
    No,
    /// Validate (sender, target).
    Direct,
    /// Validate (target, sender): a backup slave seeing the active slave's
    /// broadcast request.
    Swapped,
}

/// `bond_arp_rcv`'s trust rules. `active_heard` is whether the bond has an
/// active slave that received since it became active; `arp_slave_sent` is
/// whether there is a current ARP slave that sent within one interval.
pub const fn trust(
    slave_is_active: bool,
    active_heard: bool,
    is_reply: bool,
    arp_slave_sent: bool,
) -> Trust {
    if slave_is_active {
        Trust::Direct
    } else if active_heard {
        Trust::Swapped
    } else if arp_slave_sent && is_reply {
        Trust::Direct
    } else {
        Trust::No
    }
}

/// The ARP timing of one slave, as the monitors read it.
#[derive(Clone, Copy, Debug)]
pub struct Times {
    /// Now.
    pub now: usize,
    /// `arp_interval` in jiffies.
    pub delta: usize,
    /// `missed_max`.
    pub missed_max: u32,
    /// `slave_last_tx`.
    pub last_tx: usize,
    /// The receive time that counts (`last_rx`, or `slave_last_rx` in
    /// active-backup).
    pub last_rx: usize,
}

impl Times {
    const fn tx_within(&self, k: u32) -> bool {
        in_interval(self.now, self.last_tx, k, self.delta)
    }

    const fn rx_within(&self, k: u32) -> bool {
        in_interval(self.now, self.last_rx, k, self.delta)
    }
}

/// The load-balance monitor's verdict on one slave.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LbVerdict {
    /// No change.
    Keep,
    /// Goes up: sent and received within one interval.
    Up,
    /// Goes down: did not send or did not receive within `missed_max`.
    Down,
}

/// `bond_loadbalance_arp_mon` on one slave whose link is up or not.
pub const fn lb_inspect(link_up: bool, t: &Times) -> LbVerdict {
    if !link_up {
        if t.tx_within(1) && t.rx_within(1) {
            LbVerdict::Up
        } else {
            LbVerdict::Keep
        }
    } else if !t.tx_within(t.missed_max) || !t.rx_within(t.missed_max) {
        LbVerdict::Down
    } else {
        LbVerdict::Keep
    }
}

/// What `bond_ab_arp_inspect` knows about a slave besides its times.
#[derive(Clone, Copy, Debug)]
pub struct AbSlave {
    /// `link`.
    pub link: Link,
    /// `bond_is_active_slave`.
    pub is_active: bool,
    /// `last_link_up`.
    pub last_link_up: usize,
}

/// `bond_ab_arp_inspect` on one slave: the proposed link state, if any.
/// `arp_slave_set` is whether the bond has a current ARP slave.
pub const fn ab_inspect(s: &AbSlave, t: &Times, arp_slave_set: bool) -> Option<Link> {
    if !matches!(s.link, Link::Up) {
        if t.rx_within(1) {
            return Some(Link::Up);
        } else if matches!(s.link, Link::Back) {
            return Some(Link::Fail);
        }
        return None;
    }
    // Two intervals of grace after being enslaved or made active.
    if in_interval(t.now, s.last_link_up, 2, t.delta) {
        return None;
    }
    let mut proposal = None;
    if !s.is_active && !arp_slave_set && !t.rx_within(t.missed_max + 1) {
        proposal = Some(Link::Down);
    }
    if s.is_active && (!t.tx_within(t.missed_max) || !t.rx_within(t.missed_max)) {
        proposal = Some(Link::Down);
    }
    proposal
}

/// `bond_ab_arp_probe`'s choice of the next slave to probe when there is
/// no active slave: the first up slave after `current` (the current ARP
/// slave, or the first slave), else the first up slave before it. `up[i]`
/// is `bond_slave_is_up` of the i-th slave; `current` indexes it.
pub fn next_probe(up: &[bool], current: usize) -> Option<usize> {
    let after = up
        .iter()
        .enumerate()
        .skip(current + 1)
        .find(|(_, &u)| u)
        .map(|(i, _)| i);
    after.or_else(|| up.iter().take(current + 1).position(|&u| u))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn times(now: usize, last_tx: usize, last_rx: usize) -> Times {
        Times {
            now,
            delta: 100,
            missed_max: 2,
            last_tx,
            last_rx,
        }
    }

    #[test]
    fn interval_window() {
        // [last - delta, last + k*delta + delta/2]
        assert!(in_interval(1000, 1000, 1, 100));
        assert!(in_interval(900, 1000, 1, 100));
        assert!(!in_interval(899, 1000, 1, 100));
        assert!(in_interval(1150, 1000, 1, 100));
        assert!(!in_interval(1151, 1000, 1, 100));
        assert!(in_interval(1250, 1000, 2, 100));
        // Wrapping jiffies.
        let last = usize::MAX - 10;
        assert!(in_interval(last.wrapping_add(100), last, 1, 100));
        assert!(!in_interval(last.wrapping_add(200), last, 1, 100));
    }

    #[test]
    fn oldest_of_targets() {
        assert_eq!(oldest_target_rx(&[50, 40, 60]), 40);
        assert_eq!(oldest_target_rx(&[7]), 7);
        assert_eq!(oldest_target_rx(&[]), 0);
        assert_eq!(oldest_target_rx(&[5, usize::MAX - 3]), usize::MAX - 3);
    }

    #[test]
    fn rx_actions() {
        use RxAction::*;
        // arp_validate none: every packet counts.
        assert_eq!(rx_action(0, false, false, false), TouchLastRx);
        // active (1): backups count everything, the active slave validates.
        assert_eq!(rx_action(1, true, false, false), TouchLastRx);
        assert_eq!(rx_action(1, false, true, false), CheckArp);
        assert_eq!(rx_action(1, false, false, true), CheckNa);
        assert_eq!(rx_action(1, false, false, false), Ignore);
        // backup (2) and all (3).
        assert_eq!(rx_action(2, false, false, false), TouchLastRx);
        assert_eq!(rx_action(2, true, true, false), CheckArp);
        assert_eq!(rx_action(3, true, true, false), CheckArp);
        // filter (4): only ARP and IPv6 count where not validated.
        assert_eq!(rx_action(4, false, false, false), Ignore);
        assert_eq!(rx_action(4, true, true, false), TouchLastRx);
        assert_eq!(rx_action(4, true, false, true), TouchLastRx);
        // filter_active (5), filter_backup (6).
        assert_eq!(rx_action(5, false, true, false), CheckArp);
        assert_eq!(rx_action(5, true, false, false), Ignore);
        assert_eq!(rx_action(6, true, true, false), CheckArp);
        assert_eq!(rx_action(6, false, true, false), TouchLastRx);
    }

    fn arp(op: u16, hln: u8, sip: [u8; 4], tip: [u8; 4]) -> [u8; 28] {
        let mut b = [0u8; 28];
        b[0..2].copy_from_slice(&1u16.to_be_bytes());
        b[2..4].copy_from_slice(&0x0800u16.to_be_bytes());
        b[4] = hln;
        b[5] = 4;
        b[6..8].copy_from_slice(&op.to_be_bytes());
        b[8..14].copy_from_slice(&[2, 0, 0, 0, 0, 1]);
        b[14..18].copy_from_slice(&sip);
        b[18..24].copy_from_slice(&[2, 0, 0, 0, 0, 2]);
        b[24..28].copy_from_slice(&tip);
        b
    }

    #[test]
    fn arp_parsing() {
        let b = arp(2, 6, [10, 0, 0, 1], [10, 0, 0, 2]);
        assert_eq!(
            parse_arp(&b, 6),
            Some(ArpInfo {
                op: 2,
                sip: [10, 0, 0, 1],
                tip: [10, 0, 0, 2]
            })
        );
        assert_eq!(parse_arp(&b[..27], 6), None);
        assert_eq!(parse_arp(&arp(1, 8, [1; 4], [2; 4]), 6), None);
        let mut bad = b;
        bad[3] = 0xdd; // ar_pro 0x08dd
        assert_eq!(parse_arp(&bad, 6), None);
        let mut bad = b;
        bad[5] = 16;
        assert_eq!(parse_arp(&bad, 6), None);
        let mut bad = b;
        bad[1] = 6; // ar_hrd IEEE802
        assert_eq!(parse_arp(&bad, 6), None);
        assert_eq!(arp_len(6), 28);
    }

    #[test]
    fn ndisc() {
        let mut b = [0u8; NDISC_HDR_LEN];
        b[6] = 58;
        b[40] = 136;
        b[8] = 0xfe;
        b[24] = 0xff;
        let (s, d) = parse_ndisc(&b).unwrap();
        assert_eq!((s[0], d[0]), (0xfe, 0xff));
        b[40] = 128; // echo request
        assert_eq!(parse_ndisc(&b), None);
        b[40] = 135;
        b[6] = 17;
        assert_eq!(parse_ndisc(&b), None);
        let t = [
            0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12, 0x34, 0x56,
        ];
        let m = solicited_node(&t);
        assert_eq!(
            m,
            [0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0x12, 0x34, 0x56]
        );
        assert_eq!(ns_target_index(&[[0; 16], t], &m), Some(1));
        assert_eq!(ns_target_index(&[t], &t), Some(0));
        assert_eq!(ns_target_index(&[t], &[1; 16]), None);
        assert!(ns_target_ok(&t));
        assert!(!ns_target_ok(&m));
        assert!(!ns_target_ok(&[0; 16]));
        let mut lo = [0; 16];
        lo[15] = 1;
        assert!(!ns_target_ok(&lo));
        assert!(is_all_nodes(&[
            0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1
        ]));
    }

    #[test]
    fn trust_rules() {
        assert_eq!(trust(true, false, false, false), Trust::Direct);
        assert_eq!(trust(false, true, false, true), Trust::Swapped);
        assert_eq!(trust(false, false, true, true), Trust::Direct);
        assert_eq!(trust(false, false, false, true), Trust::No);
        assert_eq!(trust(false, false, true, false), Trust::No);
    }

    #[test]
    fn load_balance() {
        // Down slave: needs both tx and rx within one interval.
        assert_eq!(lb_inspect(false, &times(1000, 990, 980)), LbVerdict::Up);
        assert_eq!(lb_inspect(false, &times(1000, 990, 800)), LbVerdict::Keep);
        assert_eq!(lb_inspect(false, &times(1000, 800, 990)), LbVerdict::Keep);
        // Up slave: down when either is older than missed_max intervals.
        assert_eq!(lb_inspect(true, &times(1000, 800, 800)), LbVerdict::Keep);
        assert_eq!(lb_inspect(true, &times(1000, 749, 990)), LbVerdict::Down);
        assert_eq!(lb_inspect(true, &times(1000, 990, 749)), LbVerdict::Down);
    }

    #[test]
    fn active_backup() {
        let slave = |link, is_active, up| AbSlave {
            link,
            is_active,
            last_link_up: up,
        };
        // Not up: rx within one interval brings it up; BACK without rx fails.
        let t = times(1000, 0, 950);
        assert_eq!(
            ab_inspect(&slave(Link::Down, false, 0), &t, false),
            Some(Link::Up)
        );
        let t = times(1000, 0, 500);
        assert_eq!(
            ab_inspect(&slave(Link::Back, true, 0), &t, false),
            Some(Link::Fail)
        );
        assert_eq!(ab_inspect(&slave(Link::Down, false, 0), &t, false), None);
        // Grace of two intervals after last_link_up.
        assert_eq!(ab_inspect(&slave(Link::Up, true, 900), &t, false), None);
        // Active slave: tx or rx older than missed_max intervals.
        let t = times(1000, 990, 700);
        assert_eq!(
            ab_inspect(&slave(Link::Up, true, 0), &t, false),
            Some(Link::Down)
        );
        let t = times(1000, 700, 990);
        assert_eq!(
            ab_inspect(&slave(Link::Up, true, 0), &t, false),
            Some(Link::Down)
        );
        let t = times(1000, 990, 990);
        assert_eq!(ab_inspect(&slave(Link::Up, true, 0), &t, false), None);
        // Backup: rx older than missed_max + 1, only without an ARP slave.
        let t = times(1000, 0, 640);
        assert_eq!(
            ab_inspect(&slave(Link::Up, false, 0), &t, false),
            Some(Link::Down)
        );
        assert_eq!(ab_inspect(&slave(Link::Up, false, 0), &t, true), None);
        let t = times(1000, 0, 700);
        assert_eq!(ab_inspect(&slave(Link::Up, false, 0), &t, false), None);
    }

    #[test]
    fn probe_rotation() {
        assert_eq!(next_probe(&[true, true, true], 0), Some(1));
        assert_eq!(next_probe(&[true, true, true], 2), Some(0));
        assert_eq!(next_probe(&[true, false, false], 0), Some(0));
        assert_eq!(next_probe(&[false, false, true], 2), Some(2));
        assert_eq!(next_probe(&[false, false], 0), None);
        assert_eq!(next_probe(&[false, true, false], 1), Some(1));
    }
}
