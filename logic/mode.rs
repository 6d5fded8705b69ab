// SPDX-License-Identifier: GPL-2.0

//! The bonding modes and the mode predicates the other logic modules share.
//!
//! C version: `BOND_MODE_*` of
//! [`include/uapi/linux/if_bonding.h`](srctree/include/uapi/linux/if_bonding.h),
//! `bond_mode_name()` of `bond_main.c`, and the `static inline` predicates of
//! [`include/net/bonding.h`](srctree/include/net/bonding.h) (`bond_is_lb`,
//! `bond_needs_speed_duplex`, `bond_mode_can_use_xmit_hash`,
//! `bond_mode_uses_xmit_hash`, `bond_mode_uses_arp`, `bond_mode_uses_primary`).

#![forbid(unsafe_code)]

/// One bonding mode (`BOND_MODE_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Mode {
    /// `BOND_MODE_ROUNDROBIN` (`balance-rr`).
    RoundRobin = 0,
    /// `BOND_MODE_ACTIVEBACKUP` (`active-backup`).
    ActiveBackup = 1,
    /// `BOND_MODE_XOR` (`balance-xor`).
    Xor = 2,
    /// `BOND_MODE_BROADCAST` (`broadcast`).
    Broadcast = 3,
    /// `BOND_MODE_8023AD` (`802.3ad`).
    Ieee8023ad = 4,
    /// `BOND_MODE_TLB` (`balance-tlb`).
    Tlb = 5,
    /// `BOND_MODE_ALB` (`balance-alb`).
    Alb = 6,
}

impl Mode {
    /// The mode with this `BOND_MODE_*` number.
    pub const fn from_value(value: u64) -> Option<Self> {
        Some(match value {
            0 => Self::RoundRobin,
            1 => Self::ActiveBackup,
            2 => Self::Xor,
            3 => Self::Broadcast,
            4 => Self::Ieee8023ad,
            5 => Self::Tlb,
            6 => Self::Alb,
            _ => return None,
        })
    }

    /// The `BOND_MODE_*` number.
    pub const fn value(self) -> u8 {
        self as u8
    }

    /// `bond_mode_name()`: the long name `/proc/net/bonding` shows.
    pub const fn long_name(self) -> &'static str {
        match self {
            Self::RoundRobin => "load balancing (round-robin)",
            Self::ActiveBackup => "fault-tolerance (active-backup)",
            Self::Xor => "load balancing (xor)",
            Self::Broadcast => "fault-tolerance (broadcast)",
            Self::Ieee8023ad => "IEEE 802.3ad Dynamic link aggregation",
            Self::Tlb => "transmit load balancing",
            Self::Alb => "adaptive load balancing",
        }
    }

    /// `bond_is_lb()`: balance-tlb or balance-alb.
    pub const fn is_lb(self) -> bool {
        matches!(self, Self::Tlb | Self::Alb)
    }

    /// `bond_needs_speed_duplex()`: 802.3ad, balance-tlb, balance-alb.
    pub const fn needs_speed_duplex(self) -> bool {
        matches!(self, Self::Ieee8023ad) || self.is_lb()
    }

    /// `bond_mode_can_use_xmit_hash()`: 802.3ad, balance-xor, balance-tlb, balance-alb.
    pub const fn can_use_xmit_hash(self) -> bool {
        matches!(self, Self::Ieee8023ad | Self::Xor | Self::Tlb | Self::Alb)
    }

    /// `bond_mode_uses_xmit_hash()`: 802.3ad, balance-xor, and balance-tlb or
    /// balance-alb with `tlb_dynamic_lb=0` (`bond_is_nondyn_tlb()`).
    pub const fn uses_xmit_hash(self, tlb_dynamic_lb: bool) -> bool {
        matches!(self, Self::Ieee8023ad | Self::Xor) || (self.is_lb() && !tlb_dynamic_lb)
    }

    /// `bond_mode_uses_arp()`: every mode but 802.3ad, balance-tlb, balance-alb.
    pub const fn uses_arp(self) -> bool {
        !matches!(self, Self::Ieee8023ad | Self::Tlb | Self::Alb)
    }

    /// `bond_mode_uses_primary()` / `bond_uses_primary()`: active-backup,
    /// balance-tlb, balance-alb.
    pub const fn uses_primary(self) -> bool {
        matches!(self, Self::ActiveBackup | Self::Tlb | Self::Alb)
    }
}

/// `bond_mode_name()` of a raw mode number: `"unknown"` outside `0..=6`.
pub const fn mode_name(mode: i64) -> &'static str {
    if mode < 0 {
        return "unknown";
    }
    match Mode::from_value(mode as u64) {
        Some(m) => m.long_name(),
        None => "unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_predicates() {
        assert_eq!(mode_name(0), "load balancing (round-robin)");
        assert_eq!(mode_name(4), "IEEE 802.3ad Dynamic link aggregation");
        assert_eq!(mode_name(7), "unknown");
        assert_eq!(mode_name(-1), "unknown");
        for v in 0..7 {
            assert_eq!(Mode::from_value(v).unwrap().value() as u64, v);
        }
        assert!(Mode::Tlb.uses_xmit_hash(false));
        assert!(!Mode::Tlb.uses_xmit_hash(true));
        assert!(Mode::Xor.uses_xmit_hash(true));
        assert!(!Mode::RoundRobin.can_use_xmit_hash());
        assert!(Mode::Alb.uses_primary() && !Mode::Xor.uses_primary());
        assert!(Mode::Broadcast.uses_arp() && !Mode::Alb.uses_arp());
        assert!(Mode::Ieee8023ad.needs_speed_duplex() && !Mode::ActiveBackup.needs_speed_duplex());
    }
}
