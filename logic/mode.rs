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
    /// Every mode, in `BOND_MODE_*` order.
    pub const ALL: [Self; 7] = [
        Self::RoundRobin,
        Self::ActiveBackup,
        Self::Xor,
        Self::Broadcast,
        Self::Ieee8023ad,
        Self::Tlb,
        Self::Alb,
    ];

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

    /// The option table's name (`bond_mode_tbl`): what sysfs shows and
    /// accepts, `ip -d link` prints.
    pub const fn short_name(self) -> &'static str {
        match self {
            Self::RoundRobin => "balance-rr",
            Self::ActiveBackup => "active-backup",
            Self::Xor => "balance-xor",
            Self::Broadcast => "broadcast",
            Self::Ieee8023ad => "802.3ad",
            Self::Tlb => "balance-tlb",
            Self::Alb => "balance-alb",
        }
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

impl Mode {
    /// Whether IGMP reports leave on one slave, `curr_active_slave`, in a
    /// mode whose slaves all transmit (round-robin, so that the joins stay
    /// consistent); they are resent when it changes.
    pub const fn keeps_igmp_on_one_slave(self) -> bool {
        matches!(self, Self::RoundRobin)
    }

    /// Whether `fail_over_mac` acts: active-backup only (C tests
    /// `BOND_MODE_ACTIVEBACKUP` beside every use of the option).
    pub const fn has_fail_over_mac(self) -> bool {
        matches!(self, Self::ActiveBackup)
    }

    /// Whether the mode, not the bond, decides which slaves are active
    /// (802.3ad: its aggregator selection; `bond_open` leaves them).
    pub const fn sets_slave_states(self) -> bool {
        matches!(self, Self::Ieee8023ad)
    }

    /// Whether slaves that are not Ethernet may join (802.3ad needs
    /// Ethernet for LACPDUs: `bond_enslave`).
    pub const fn needs_ethernet_slaves(self) -> bool {
        matches!(self, Self::Ieee8023ad)
    }

    /// Whether InfiniBand slaves may join: active-backup only
    /// (`bond_enslave`, "Type (%d) supports only active-backup mode").
    pub const fn takes_infiniband(self) -> bool {
        matches!(self, Self::ActiveBackup)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_predicates() {
        assert_eq!(Mode::RoundRobin.long_name(), "load balancing (round-robin)");
        assert_eq!(
            Mode::Ieee8023ad.long_name(),
            "IEEE 802.3ad Dynamic link aggregation"
        );
        assert_eq!(Mode::from_value(7), None);
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
        for m in Mode::ALL {
            assert_eq!(m.has_fail_over_mac(), m == Mode::ActiveBackup);
            assert_eq!(m.keeps_igmp_on_one_slave(), m == Mode::RoundRobin);
            assert_eq!(m.takes_infiniband(), m == Mode::ActiveBackup);
            assert_eq!(m.sets_slave_states(), m == Mode::Ieee8023ad);
            assert_eq!(m.needs_ethernet_slaves(), m == Mode::Ieee8023ad);
        }
        assert_eq!(Mode::Ieee8023ad.short_name(), "802.3ad");
        assert_eq!(Mode::ALL.map(Mode::value), [0, 1, 2, 3, 4, 5, 6]);
    }
}
