// SPDX-License-Identifier: GPL-2.0

//! The bonding option table and the generic option engine (parse, checks,
//! error messages, sysfs number formats), as pure data and logic.
//!
//! C version: `bond_options.c` (`bond_opts[]`, the `bond_*_tbl[]` value
//! tables, `bond_opt_parse()`, `bond_opt_check_deps()`,
//! `bond_opt_dep_print()`, `bond_opt_error_interpret()`, `bond_opt_get_val()`,
//! `bond_opt_get_by_name()`), the option IDs and flags of
//! [`include/net/bond_options.h`](srctree/include/net/bond_options.h), and the
//! show functions of `bond_sysfs.c`.
//!
//! The three front ends (sysfs, netlink, module parameters) share this engine,
//! as in C. What `__bond_opt_set()` does, in order:
//!
//! 1. [`check_deps`]: the mode dependency (`-EACCES`), then
//!    [`OPTFLAG_NOSLAVES`] (`-ENOTEMPTY`), then [`OPTFLAG_IFDOWN`] (`-EBUSY`);
//! 2. [`parse_input`] (`-EINVAL` when nothing matches);
//! 3. the option's setter, which needs the kernel state (not here);
//! 4. on any error, including a setter's, [`Error::log_lines`] and
//!    [`Error::extack`] give what `bond_opt_error_interpret()` prints.
//!
//! [`prepare`] does steps 1 and 2.
//!
//! # Strings
//!
//! A sysfs write arrives as bytes. C copies it with `kstrndup()`, so the value
//! ends at the first NUL byte; every function here that takes string input
//! treats it the same way. Log lines print input bytes as they are when they
//! are UTF-8; any other byte is printed as `\xNN` (C's `%s` would print the raw
//! byte, which `core::fmt` cannot carry).

#![forbid(unsafe_code)]

use super::mode::Mode;
use core::fmt;

// ---------------------------------------------------------------------------
// Flags and numbers
// ---------------------------------------------------------------------------

/// `BOND_OPTFLAG_NOSLAVES`: the option can only be set while the bond has no slaves.
pub const OPTFLAG_NOSLAVES: u32 = 1 << 0;
/// `BOND_OPTFLAG_IFDOWN`: the option can only be set while the bond is down.
pub const OPTFLAG_IFDOWN: u32 = 1 << 1;
/// `BOND_OPTFLAG_RAWVAL`: the option's setter parses the value itself.
pub const OPTFLAG_RAWVAL: u32 = 1 << 2;

/// `BOND_VALFLAG_DEFAULT`: the entry the word `default` selects.
pub const VALFLAG_DEFAULT: u32 = 1 << 0;
/// `BOND_VALFLAG_MIN`: the entry is the lower bound of the numeric range.
pub const VALFLAG_MIN: u32 = 1 << 1;
/// `BOND_VALFLAG_MAX`: the entry is the upper bound of the numeric range.
pub const VALFLAG_MAX: u32 = 1 << 2;

/// `BOND_OPT_MAX_NAMELEN`: the longest word `bond_opt_parse()` compares (`%32s`).
pub const MAX_NAMELEN: usize = 32;

/// The errno values the option engine returns (positive, as in
/// `include/uapi/asm-generic/errno-base.h` and `errno.h`); the C functions
/// return their negation.
pub mod errno {
    /// `ENOENT`: no such option (`__bond_opt_set()` with an invalid option number).
    pub const ENOENT: i32 = 2;
    /// `EACCES`: the option is not supported in the bond's mode.
    pub const EACCES: i32 = 13;
    /// `EBUSY`: the option needs the bond down.
    pub const EBUSY: i32 = 16;
    /// `ENODEV`: a named interface does not exist (set by some setters).
    pub const ENODEV: i32 = 19;
    /// `EINVAL`: invalid value.
    pub const EINVAL: i32 = 22;
    /// `ENOTEMPTY`: the option needs a bond without slaves.
    pub const ENOTEMPTY: i32 = 39;
}

/// `BIT(mode)` for the unsupported-modes masks (`unsigned long` in C).
const fn bit(mode: Mode) -> u64 {
    1 << mode.value()
}

/// `BOND_MODE_ALL_EX(x)`: every mode except those in `x`.
const fn all_ex(x: u64) -> u64 {
    !x
}

// `BOND_MODE_*`, as table values and mask bits.
const ROUNDROBIN: Mode = Mode::RoundRobin;
const ACTIVEBACKUP: Mode = Mode::ActiveBackup;
const M8023AD: Mode = Mode::Ieee8023ad;
const TLB: Mode = Mode::Tlb;
const ALB: Mode = Mode::Alb;

/// `ULLONG_MAX`, which C uses as "no value" in `struct bond_opt_value`.
const NO_VALUE: u64 = u64::MAX;

const INT_MAX: u64 = i32::MAX as u64;

// ---------------------------------------------------------------------------
// Value tables
// ---------------------------------------------------------------------------

/// One entry of a value table (`struct bond_opt_value` in a `bond_*_tbl[]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ValueEntry {
    /// The name (`string`): what sysfs shows and accepts.
    pub name: &'static str,
    /// The numeric value.
    pub value: u64,
    /// `VALFLAG_*` bits.
    pub flags: u32,
}

const fn v(name: &'static str, value: u64, flags: u32) -> ValueEntry {
    ValueEntry { name, value, flags }
}

/// A mode's entry: its short name and number.
const fn mode_value(mode: Mode, flags: u32) -> ValueEntry {
    v(mode.short_name(), mode.value() as u64, flags)
}

const MODE_TBL: &[ValueEntry] = &[
    mode_value(Mode::RoundRobin, VALFLAG_DEFAULT),
    mode_value(Mode::ActiveBackup, 0),
    mode_value(Mode::Xor, 0),
    mode_value(Mode::Broadcast, 0),
    mode_value(Mode::Ieee8023ad, 0),
    mode_value(Mode::Tlb, 0),
    mode_value(Mode::Alb, 0),
];

const PPS_TBL: &[ValueEntry] = &[
    v("default", 1, VALFLAG_DEFAULT),
    v("maxval", u16::MAX as u64, VALFLAG_MAX),
];

const XMIT_HASHTYPE_TBL: &[ValueEntry] = &[
    v("layer2", 0, VALFLAG_DEFAULT),
    v("layer3+4", 1, 0),
    v("layer2+3", 2, 0),
    v("encap2+3", 3, 0),
    v("encap3+4", 4, 0),
    v("vlan+srcmac", 5, 0),
];

const ARP_VALIDATE_TBL: &[ValueEntry] = &[
    v("none", 0, VALFLAG_DEFAULT),
    v("active", 1, 0),
    v("backup", 2, 0),
    v("all", 3, 0),
    v("filter", 4, 0),
    v("filter_active", 5, 0),
    v("filter_backup", 6, 0),
];

const ARP_ALL_TARGETS_TBL: &[ValueEntry] = &[v("any", 0, VALFLAG_DEFAULT), v("all", 1, 0)];

const FAIL_OVER_MAC_TBL: &[ValueEntry] = &[
    v("none", 0, VALFLAG_DEFAULT),
    v("active", 1, 0),
    v("follow", 2, 0),
];

const INTMAX_TBL: &[ValueEntry] = &[
    v("off", 0, VALFLAG_DEFAULT),
    v("maxval", INT_MAX, VALFLAG_MAX),
];

const LACP_ACTIVE_TBL: &[ValueEntry] = &[v("off", 0, 0), v("on", 1, VALFLAG_DEFAULT)];

const LACP_RATE_TBL: &[ValueEntry] = &[v("slow", 0, 0), v("fast", 1, 0)];

const AD_SELECT_TBL: &[ValueEntry] = &[
    v("stable", 0, VALFLAG_DEFAULT),
    v("bandwidth", 1, 0),
    v("count", 2, 0),
];

const NUM_PEER_NOTIF_TBL: &[ValueEntry] = &[
    v("off", 0, 0),
    v("maxval", 255, VALFLAG_MAX),
    v("default", 1, VALFLAG_DEFAULT),
];

const PEER_NOTIF_DELAY_TBL: &[ValueEntry] = &[v("off", 0, 0), v("maxval", 300000, VALFLAG_MAX)];

const PRIMARY_RESELECT_TBL: &[ValueEntry] = &[
    v("always", 0, VALFLAG_DEFAULT),
    v("better", 1, 0),
    v("failure", 2, 0),
];

const USE_CARRIER_TBL: &[ValueEntry] = &[v("off", 0, 0), v("on", 1, VALFLAG_DEFAULT)];

const ALL_SLAVES_ACTIVE_TBL: &[ValueEntry] = &[v("off", 0, VALFLAG_DEFAULT), v("on", 1, 0)];

const RESEND_IGMP_TBL: &[ValueEntry] = &[
    v("off", 0, 0),
    v("maxval", 255, VALFLAG_MAX),
    v("default", 1, VALFLAG_DEFAULT),
];

const LP_INTERVAL_TBL: &[ValueEntry] = &[
    v("minval", 1, VALFLAG_MIN | VALFLAG_DEFAULT),
    v("maxval", INT_MAX, VALFLAG_MAX),
];

const TLB_DYNAMIC_LB_TBL: &[ValueEntry] = &[v("off", 0, 0), v("on", 1, VALFLAG_DEFAULT)];

const AD_ACTOR_SYS_PRIO_TBL: &[ValueEntry] = &[
    v("minval", 1, VALFLAG_MIN),
    v("maxval", 65535, VALFLAG_MAX | VALFLAG_DEFAULT),
];

const AD_USER_PORT_KEY_TBL: &[ValueEntry] = &[
    v("minval", 0, VALFLAG_MIN | VALFLAG_DEFAULT),
    v("maxval", 1023, VALFLAG_MAX),
];

const MISSED_MAX_TBL: &[ValueEntry] = &[
    v("minval", 1, VALFLAG_MIN),
    v("maxval", 255, VALFLAG_MAX),
    v("default", 2, VALFLAG_DEFAULT),
];

const COUPLED_CONTROL_TBL: &[ValueEntry] = &[v("on", 1, VALFLAG_DEFAULT), v("off", 0, 0)];

const BROADCAST_NEIGH_TBL: &[ValueEntry] = &[v("off", 0, VALFLAG_DEFAULT), v("on", 1, 0)];

// ---------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------

/// How the option's sysfs file (`/sys/class/net/<bond>/bonding/<name>`) shows
/// its value (the show functions of `bond_sysfs.c`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Show {
    /// `"%s %d\n"`: the value's table name, then the number (`balance-rr 0`).
    NameNumber,
    /// `"%d\n"` of a C `int`.
    Int,
    /// `"%u\n"` of a C `unsigned int`.
    Uint,
    /// `"%hu\n"`, and only in mode 802.3ad for a `CAP_NET_ADMIN` reader;
    /// otherwise the file reads empty.
    UshortAdAdmin,
    /// A format of its own that the front end writes (slave names, IPv4
    /// lists, `ifname:qid` lists, a MAC address).
    Custom,
    /// The option has no sysfs file (netlink only).
    NoFile,
}

/// One option's definition (`struct bond_option` in `bond_opts[]`, without the setter).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OptionDef {
    /// The option.
    pub id: OptionId,
    /// `name`: the sysfs file name and `bond_opt_get_by_name()` key.
    pub name: &'static str,
    /// `desc`; `None` where C leaves it NULL.
    pub desc: Option<&'static str>,
    /// `OPTFLAG_*` bits.
    pub flags: u32,
    /// `unsuppmodes`: bit `m` set means not supported in mode `m` (a 64-bit
    /// `unsigned long`, so `BOND_MODE_ALL_EX()` sets every high bit too).
    pub unsupp_modes: u64,
    /// `values`: the value table, empty where C has none.
    pub values: &'static [ValueEntry],
    /// The sysfs show format.
    pub show: Show,
}

macro_rules! option_ids {
    ($($(#[$m:meta])* $variant:ident = $n:literal,)*) => {
        /// An option, numbered as the `BOND_OPT_*` enum of `bond_options.h`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum OptionId {
            $($(#[$m])* $variant = $n,)*
        }

        impl OptionId {
            /// Every option, in `BOND_OPT_*` order.
            pub const ALL: [Self; COUNT] = [$(Self::$variant,)*];

            /// The option with this `BOND_OPT_*` number (`bond_opt_get()`).
            pub const fn from_number(n: u32) -> Option<Self> {
                match n {
                    $($n => Some(Self::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

/// `BOND_OPT_LAST`: the number of options.
pub const COUNT: usize = 37;

option_ids! {
    /// `BOND_OPT_MODE` (`mode`).
    Mode = 0,
    /// `BOND_OPT_PACKETS_PER_SLAVE` (`packets_per_slave`).
    PacketsPerSlave = 1,
    /// `BOND_OPT_XMIT_HASH` (`xmit_hash_policy`).
    XmitHash = 2,
    /// `BOND_OPT_ARP_VALIDATE` (`arp_validate`).
    ArpValidate = 3,
    /// `BOND_OPT_ARP_ALL_TARGETS` (`arp_all_targets`).
    ArpAllTargets = 4,
    /// `BOND_OPT_FAIL_OVER_MAC` (`fail_over_mac`).
    FailOverMac = 5,
    /// `BOND_OPT_ARP_INTERVAL` (`arp_interval`).
    ArpInterval = 6,
    /// `BOND_OPT_ARP_TARGETS` (`arp_ip_target`).
    ArpTargets = 7,
    /// `BOND_OPT_DOWNDELAY` (`downdelay`).
    Downdelay = 8,
    /// `BOND_OPT_UPDELAY` (`updelay`).
    Updelay = 9,
    /// `BOND_OPT_LACP_RATE` (`lacp_rate`).
    LacpRate = 10,
    /// `BOND_OPT_MINLINKS` (`min_links`).
    MinLinks = 11,
    /// `BOND_OPT_AD_SELECT` (`ad_select`).
    AdSelect = 12,
    /// `BOND_OPT_NUM_PEER_NOTIF` (`num_unsol_na`).
    NumPeerNotif = 13,
    /// `BOND_OPT_MIIMON` (`miimon`).
    Miimon = 14,
    /// `BOND_OPT_PRIMARY` (`primary`).
    Primary = 15,
    /// `BOND_OPT_PRIMARY_RESELECT` (`primary_reselect`).
    PrimaryReselect = 16,
    /// `BOND_OPT_USE_CARRIER` (`use_carrier`).
    UseCarrier = 17,
    /// `BOND_OPT_ACTIVE_SLAVE` (`active_slave`).
    ActiveSlave = 18,
    /// `BOND_OPT_QUEUE_ID` (`queue_id`).
    QueueId = 19,
    /// `BOND_OPT_ALL_SLAVES_ACTIVE` (`all_slaves_active`).
    AllSlavesActive = 20,
    /// `BOND_OPT_RESEND_IGMP` (`resend_igmp`).
    ResendIgmp = 21,
    /// `BOND_OPT_LP_INTERVAL` (`lp_interval`).
    LpInterval = 22,
    /// `BOND_OPT_SLAVES` (`slaves`).
    Slaves = 23,
    /// `BOND_OPT_TLB_DYNAMIC_LB` (`tlb_dynamic_lb`).
    TlbDynamicLb = 24,
    /// `BOND_OPT_AD_ACTOR_SYS_PRIO` (`ad_actor_sys_prio`).
    AdActorSysPrio = 25,
    /// `BOND_OPT_AD_ACTOR_SYSTEM` (`ad_actor_system`).
    AdActorSystem = 26,
    /// `BOND_OPT_AD_USER_PORT_KEY` (`ad_user_port_key`).
    AdUserPortKey = 27,
    /// `BOND_OPT_NUM_PEER_NOTIF_ALIAS` (`num_grat_arp`).
    NumPeerNotifAlias = 28,
    /// `BOND_OPT_PEER_NOTIF_DELAY` (`peer_notif_delay`).
    PeerNotifDelay = 29,
    /// `BOND_OPT_LACP_ACTIVE` (`lacp_active`).
    LacpActive = 30,
    /// `BOND_OPT_MISSED_MAX` (`arp_missed_max`).
    MissedMax = 31,
    /// `BOND_OPT_NS_TARGETS` (`ns_ip6_target`).
    NsTargets = 32,
    /// `BOND_OPT_PRIO` (`prio`, per slave).
    Prio = 33,
    /// `BOND_OPT_COUPLED_CONTROL` (`coupled_control`).
    CoupledControl = 34,
    /// `BOND_OPT_BROADCAST_NEIGH` (`broadcast_neighbor`).
    BroadcastNeigh = 35,
    /// `BOND_OPT_ACTOR_PORT_PRIO` (`actor_port_prio`, per slave).
    ActorPortPrio = 36,
}

const fn def(
    id: OptionId,
    name: &'static str,
    desc: Option<&'static str>,
    flags: u32,
    unsupp_modes: u64,
    values: &'static [ValueEntry],
    show: Show,
) -> OptionDef {
    OptionDef {
        id,
        name,
        desc,
        flags,
        unsupp_modes,
        values,
        show,
    }
}

const ARP_UNSUPP: u64 = bit(M8023AD) | bit(TLB) | bit(ALB);
const ONLY_8023AD: u64 = all_ex(bit(M8023AD));
const ONLY_AB_TLB_ALB: u64 = all_ex(bit(ACTIVEBACKUP) | bit(TLB) | bit(ALB));
const RAW: u32 = OPTFLAG_RAWVAL;
const IFDOWN: u32 = OPTFLAG_IFDOWN;

impl OptionId {
    /// The option's definition (its `bond_opts[]` entry).
    pub const fn def(self) -> OptionDef {
        use OptionId as O;
        use Show as S;
        match self {
            O::Mode => def(
                O::Mode,
                "mode",
                Some("bond device mode"),
                OPTFLAG_NOSLAVES | OPTFLAG_IFDOWN,
                0,
                MODE_TBL,
                S::NameNumber,
            ),
            O::PacketsPerSlave => def(
                O::PacketsPerSlave,
                "packets_per_slave",
                Some("Packets to send per slave in RR mode"),
                0,
                all_ex(bit(ROUNDROBIN)),
                PPS_TBL,
                S::Uint,
            ),
            O::XmitHash => def(
                O::XmitHash,
                "xmit_hash_policy",
                Some("balance-xor, 802.3ad, and tlb hashing method"),
                0,
                0,
                XMIT_HASHTYPE_TBL,
                S::NameNumber,
            ),
            O::ArpValidate => def(
                O::ArpValidate,
                "arp_validate",
                Some("validate src/dst of ARP probes"),
                0,
                ARP_UNSUPP,
                ARP_VALIDATE_TBL,
                S::NameNumber,
            ),
            O::ArpAllTargets => def(
                O::ArpAllTargets,
                "arp_all_targets",
                Some("fail on any/all arp targets timeout"),
                0,
                0,
                ARP_ALL_TARGETS_TBL,
                S::NameNumber,
            ),
            O::FailOverMac => def(
                O::FailOverMac,
                "fail_over_mac",
                Some("For active-backup, do not set all slaves to the same MAC"),
                OPTFLAG_NOSLAVES,
                0,
                FAIL_OVER_MAC_TBL,
                S::NameNumber,
            ),
            O::ArpInterval => def(
                O::ArpInterval,
                "arp_interval",
                Some("arp interval in milliseconds"),
                0,
                ARP_UNSUPP,
                INTMAX_TBL,
                S::Int,
            ),
            O::ArpTargets => def(
                O::ArpTargets,
                "arp_ip_target",
                Some("arp targets in n.n.n.n form"),
                RAW,
                0,
                &[],
                S::Custom,
            ),
            O::Downdelay => def(
                O::Downdelay,
                "downdelay",
                Some("Delay before considering link down, in milliseconds"),
                0,
                0,
                INTMAX_TBL,
                S::Int,
            ),
            O::Updelay => def(
                O::Updelay,
                "updelay",
                Some("Delay before considering link up, in milliseconds"),
                0,
                0,
                INTMAX_TBL,
                S::Int,
            ),
            O::LacpRate => def(
                O::LacpRate,
                "lacp_rate",
                Some("LACPDU tx rate to request from 802.3ad partner"),
                IFDOWN,
                ONLY_8023AD,
                LACP_RATE_TBL,
                S::NameNumber,
            ),
            O::MinLinks => def(
                O::MinLinks,
                "min_links",
                Some("Minimum number of available links before turning on carrier"),
                0,
                0,
                INTMAX_TBL,
                S::Uint,
            ),
            O::AdSelect => def(
                O::AdSelect,
                "ad_select",
                Some("803.ad aggregation selection logic"),
                IFDOWN,
                0,
                AD_SELECT_TBL,
                S::NameNumber,
            ),
            O::NumPeerNotif => def(
                O::NumPeerNotif,
                "num_unsol_na",
                Some("Number of peer notifications to send on failover event"),
                0,
                0,
                NUM_PEER_NOTIF_TBL,
                S::Int,
            ),
            O::Miimon => def(
                O::Miimon,
                "miimon",
                Some("Link check interval in milliseconds"),
                0,
                0,
                INTMAX_TBL,
                S::Int,
            ),
            O::Primary => def(
                O::Primary,
                "primary",
                Some("Primary network device to use"),
                RAW,
                ONLY_AB_TLB_ALB,
                &[],
                S::Custom,
            ),
            O::PrimaryReselect => def(
                O::PrimaryReselect,
                "primary_reselect",
                Some("Reselect primary slave once it comes up"),
                0,
                0,
                PRIMARY_RESELECT_TBL,
                S::NameNumber,
            ),
            O::UseCarrier => def(
                O::UseCarrier,
                "use_carrier",
                Some("Use netif_carrier_ok (vs MII ioctls) in miimon"),
                0,
                0,
                USE_CARRIER_TBL,
                S::Int,
            ),
            O::ActiveSlave => def(
                O::ActiveSlave,
                "active_slave",
                Some("Currently active slave"),
                RAW,
                ONLY_AB_TLB_ALB,
                &[],
                S::Custom,
            ),
            O::QueueId => def(
                O::QueueId,
                "queue_id",
                Some("Set queue id of a slave"),
                RAW,
                0,
                &[],
                S::Custom,
            ),
            O::AllSlavesActive => def(
                O::AllSlavesActive,
                "all_slaves_active",
                Some(
                    "Keep all frames received on an interface by setting active flag for all slaves",
                ),
                0,
                0,
                ALL_SLAVES_ACTIVE_TBL,
                S::Int,
            ),
            O::ResendIgmp => def(
                O::ResendIgmp,
                "resend_igmp",
                Some("Number of IGMP membership reports to send on link failure"),
                0,
                0,
                RESEND_IGMP_TBL,
                S::Int,
            ),
            O::LpInterval => def(
                O::LpInterval,
                "lp_interval",
                Some(
                    "The number of seconds between instances where the bonding driver sends learning packets to each slave's peer switch",
                ),
                0,
                0,
                LP_INTERVAL_TBL,
                S::Int,
            ),
            O::Slaves => def(
                O::Slaves,
                "slaves",
                Some("Slave membership management"),
                RAW,
                0,
                &[],
                S::Custom,
            ),
            O::TlbDynamicLb => def(
                O::TlbDynamicLb,
                "tlb_dynamic_lb",
                Some("Enable dynamic flow shuffling"),
                IFDOWN,
                all_ex(bit(TLB) | bit(ALB)),
                TLB_DYNAMIC_LB_TBL,
                S::Int,
            ),
            O::AdActorSysPrio => def(
                O::AdActorSysPrio,
                "ad_actor_sys_prio",
                None,
                0,
                ONLY_8023AD,
                AD_ACTOR_SYS_PRIO_TBL,
                S::UshortAdAdmin,
            ),
            O::AdActorSystem => def(
                O::AdActorSystem,
                "ad_actor_system",
                None,
                RAW,
                ONLY_8023AD,
                &[],
                S::Custom,
            ),
            O::AdUserPortKey => def(
                O::AdUserPortKey,
                "ad_user_port_key",
                None,
                IFDOWN,
                ONLY_8023AD,
                AD_USER_PORT_KEY_TBL,
                S::UshortAdAdmin,
            ),
            O::NumPeerNotifAlias => def(
                O::NumPeerNotifAlias,
                "num_grat_arp",
                Some("Number of peer notifications to send on failover event"),
                0,
                0,
                NUM_PEER_NOTIF_TBL,
                S::Int,
            ),
            O::PeerNotifDelay => def(
                O::PeerNotifDelay,
                "peer_notif_delay",
                Some("Delay between each peer notification on failover event, in milliseconds"),
                0,
                0,
                PEER_NOTIF_DELAY_TBL,
                S::Int,
            ),
            O::LacpActive => def(
                O::LacpActive,
                "lacp_active",
                Some(
                    "Send LACPDU frames with configured lacp rate or acts as speak when spoken to",
                ),
                IFDOWN,
                ONLY_8023AD,
                LACP_ACTIVE_TBL,
                S::NameNumber,
            ),
            O::MissedMax => def(
                O::MissedMax,
                "arp_missed_max",
                Some("Maximum number of missed ARP interval"),
                0,
                ARP_UNSUPP,
                MISSED_MAX_TBL,
                S::Uint,
            ),
            O::NsTargets => def(
                O::NsTargets,
                "ns_ip6_target",
                Some("NS targets in ffff:ffff::ffff:ffff form"),
                RAW,
                0,
                &[],
                S::NoFile,
            ),
            O::Prio => def(
                O::Prio,
                "prio",
                Some("Link priority for failover re-selection"),
                RAW,
                ONLY_AB_TLB_ALB,
                &[],
                S::NoFile,
            ),
            O::CoupledControl => def(
                O::CoupledControl,
                "coupled_control",
                Some("Opt into using coupled control MUX for LACP states"),
                IFDOWN,
                ONLY_8023AD,
                COUPLED_CONTROL_TBL,
                S::NoFile,
            ),
            O::BroadcastNeigh => def(
                O::BroadcastNeigh,
                "broadcast_neighbor",
                Some("Broadcast neighbor packets to all active slaves"),
                0,
                ONLY_8023AD,
                BROADCAST_NEIGH_TBL,
                S::NoFile,
            ),
            O::ActorPortPrio => def(
                O::ActorPortPrio,
                "actor_port_prio",
                None,
                RAW,
                ONLY_8023AD,
                &[],
                S::NoFile,
            ),
        }
    }

    /// The `BOND_OPT_*` number.
    pub const fn number(self) -> u32 {
        self as u32
    }

    /// The option name (the sysfs file name).
    pub const fn name(self) -> &'static str {
        self.def().name
    }

    /// The description, if C gives one.
    pub const fn desc(self) -> Option<&'static str> {
        self.def().desc
    }

    /// The `OPTFLAG_*` bits.
    pub const fn flags(self) -> u32 {
        self.def().flags
    }

    /// The value table (empty for options without one).
    pub const fn values(self) -> &'static [ValueEntry] {
        self.def().values
    }

    /// The unsupported-modes mask (`unsuppmodes`).
    pub const fn unsupp_modes(self) -> u64 {
        self.def().unsupp_modes
    }

    /// Whether the setter parses the value itself (`OPTFLAG_RAWVAL`).
    pub const fn is_raw(self) -> bool {
        self.def().flags & OPTFLAG_RAWVAL != 0
    }

    /// Whether the option can be set in bond mode `mode`
    /// (`!test_bit(mode, &opt->unsuppmodes)`).
    pub const fn supported_in(self, mode: Mode) -> bool {
        self.def().unsupp_modes & bit(mode) == 0
    }

    /// The option with this name (`bond_opt_get_by_name()`, exact match).
    pub fn by_name(name: &[u8]) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|o| o.name().as_bytes() == name)
    }

    /// The first table entry with this value (`bond_opt_get_val()`).
    pub fn entry_for(self, value: u64) -> Option<&'static ValueEntry> {
        self.values().iter().find(|e| e.value == value)
    }

    /// The first table entry with any of the `flagmask` bits (`bond_opt_get_flags()`).
    pub fn entry_with_flags(self, flagmask: u32) -> Option<&'static ValueEntry> {
        self.values().iter().find(|e| e.flags & flagmask != 0)
    }

    /// The default entry (`VALFLAG_DEFAULT`), if the table has one.
    pub fn default_entry(self) -> Option<&'static ValueEntry> {
        self.entry_with_flags(VALFLAG_DEFAULT)
    }

    /// The numeric range `(min, max)` of the option (`bond_opt_check_range()`):
    /// `None` without a `MAX` entry; a missing `MIN` entry counts as 0.
    pub fn range(self) -> Option<(u64, u64)> {
        let max = self.entry_with_flags(VALFLAG_MAX)?;
        let min = self.entry_with_flags(VALFLAG_MIN).map_or(0, |e| e.value);
        Some((min, max.value))
    }

    /// `bond_opt_check_range()`.
    fn in_range(self, value: u64) -> bool {
        let Some(max) = self.entry_with_flags(VALFLAG_MAX) else {
            return false;
        };
        if let Some(min) = self.entry_with_flags(VALFLAG_MIN) {
            if value < min.value {
                return false;
            }
        }
        value <= max.value
    }
}

// ---------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------

/// The value given to the engine: `bond_opt_initstr()` or `bond_opt_initval()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input<'a> {
    /// A string (sysfs write, module parameter); it ends at the first NUL.
    Str(&'a [u8]),
    /// A number (netlink attribute).
    Value(u64),
}

/// A parsed value: what `bond_opt_parse()` hands to the setter (C's
/// `struct bond_opt_value`, without `extra`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OptValue<'a> {
    /// `value`. For a raw string it is `u64::MAX` (C's `ULLONG_MAX`).
    pub value: u64,
    /// `string`; `None` where C has NULL (number input that is not a table
    /// entry). A table match gives the entry's name. A range match from a
    /// string gives the input up to the first newline. A raw string is the
    /// input up to the first NUL, newline included.
    pub string: Option<&'a [u8]>,
    /// The table entry that matched, if any.
    pub entry: Option<&'static ValueEntry>,
}

impl<'a> OptValue<'a> {
    /// The raw string of a `RAWVAL` option set from a string.
    pub fn raw_str(&self) -> Option<&'a [u8]> {
        match self.entry {
            None if self.value == NO_VALUE => self.string,
            _ => None,
        }
    }

    /// `string` as C's `%s` prints it (`(null)` for NULL), for log lines such
    /// as `Setting xmit hash policy to %s (%llu)`.
    pub fn string_display(&self) -> CStrDisplay<'a> {
        CStrDisplay(self.string)
    }
}

/// A `%s` of a possibly-NULL C string (see [`OptValue::string_display`]).
#[derive(Clone, Copy, Debug)]
pub struct CStrDisplay<'a>(Option<&'a [u8]>);

impl fmt::Display for CStrDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(s) => fmt::Display::fmt(&Bytes(s), f),
            None => f.write_str("(null)"),
        }
    }
}

/// The value did not match the option (`bond_opt_parse()` returned NULL); `-EINVAL`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParseError;

impl From<ParseError> for Error {
    fn from(_: ParseError) -> Self {
        Error::Invalid
    }
}

/// The kernel's `isspace()` (`lib/ctype.c`): space, `\t` to `\r`, and 0xA0.
const fn kernel_isspace(b: u8) -> bool {
    matches!(b, b' ' | b'\t'..=b'\r' | 0xa0)
}

/// `skip_spaces()`.
fn skip_spaces(s: &[u8]) -> &[u8] {
    let start = s
        .iter()
        .position(|&b| !kernel_isspace(b))
        .unwrap_or(s.len());
    s.get(start..).unwrap_or(&[])
}

/// The part of `s` before the first `stop` byte.
fn until(s: &[u8], stop: u8) -> &[u8] {
    match s.iter().position(|&b| b == stop) {
        Some(end) => s.get(..end).unwrap_or(s),
        None => s,
    }
}

/// `s` as a C string: up to the first NUL (`kstrndup()`).
fn c_str(s: &[u8]) -> &[u8] {
    until(s, 0)
}

/// `sscanf(s, "%llu", &v)`: `None` where it converts nothing (returns 0);
/// otherwise the value of the leading digits after white space, wrapping on
/// overflow like `simple_strntoull()`.
fn scan_u64(s: &[u8]) -> Option<u64> {
    let digits = skip_spaces(s);
    let mut value: u64 = 0;
    let mut any = false;
    for &b in digits.iter().take_while(|b| b.is_ascii_digit()) {
        value = value
            .wrapping_mul(10)
            .wrapping_add(u64::from(b.wrapping_sub(b'0')));
        any = true;
    }
    any.then_some(value)
}

/// `sscanf(s, "%32s", valstr)`: the first white-space-delimited word, at most
/// [`MAX_NAMELEN`] bytes.
fn scan_word(s: &[u8]) -> &[u8] {
    let word = skip_spaces(s);
    let len = word
        .iter()
        .position(|&b| kernel_isspace(b))
        .unwrap_or(word.len())
        .min(MAX_NAMELEN);
    word.get(..len).unwrap_or(word)
}

fn from_entry(e: &'static ValueEntry) -> OptValue<'static> {
    OptValue {
        value: e.value,
        string: Some(e.name.as_bytes()),
        entry: Some(e),
    }
}

/// `bond_opt_parse()` for a number (`checkval` true): an entry with exactly
/// this value, else a range match.
fn match_value(
    id: OptionId,
    value: u64,
    string: Option<&[u8]>,
) -> Result<OptValue<'_>, ParseError> {
    if let Some(e) = id.entry_for(value) {
        return Ok(from_entry(e));
    }
    if id.in_range(value) {
        return Ok(OptValue {
            value,
            string,
            entry: None,
        });
    }
    Err(ParseError)
}

/// Parses a string for option `id` exactly as `bond_opt_parse()` does with
/// `bond_opt_initstr()` (sysfs writes, module parameters):
///
/// - a `RAWVAL` option returns the string unparsed (up to the first NUL);
/// - the string ends at the first NUL, then at the first `'\n'`;
/// - if it holds only digits and white space (kernel `isspace()`, which
///   includes byte 0xA0), it is a number read by `sscanf("%llu")`: leading
///   white space skipped, the digits up to the first non-digit, wrapping on
///   overflow; no digit at all is invalid. The number must equal a table
///   entry's value or lie in the `MIN`..=`MAX` range (no `MAX` entry: no range);
/// - otherwise the first word (`sscanf("%32s")`, at most 32 bytes) must be an
///   entry's name, or `default` for the entry flagged `DEFAULT`. The first
///   entry in table order that matches either way wins. So `"balance-rr 0"`,
///   as sysfs shows it, reads back, and `"1abc"`, `"+1"` and `"0x1"` are
///   invalid.
pub fn parse(id: OptionId, input: &[u8]) -> Result<OptValue<'_>, ParseError> {
    let input = c_str(input);
    if id.is_raw() {
        return Ok(OptValue {
            value: NO_VALUE,
            string: Some(input),
            entry: None,
        });
    }
    let table = id.values();
    if table.is_empty() {
        return Err(ParseError);
    }
    let line = until(input, b'\n');
    if line
        .iter()
        .all(|&b| b.is_ascii_digit() || kernel_isspace(b))
    {
        let value = scan_u64(line).ok_or(ParseError)?;
        return match_value(id, value, Some(line));
    }
    let word = scan_word(line);
    table
        .iter()
        .find(|e| {
            (word == b"default" && e.flags & VALFLAG_DEFAULT != 0) || e.name.as_bytes() == word
        })
        .map(from_entry)
        .ok_or(ParseError)
}

/// Parses a number for option `id` as `bond_opt_parse()` does with
/// `bond_opt_initval()` (netlink): a `RAWVAL` option returns it unchecked;
/// otherwise it must equal a table entry's value or lie in the range.
/// `u64::MAX` means "no value" in C and is always invalid for a non-raw option.
pub fn parse_value(id: OptionId, value: u64) -> Result<OptValue<'static>, ParseError> {
    if id.is_raw() {
        return Ok(OptValue {
            value,
            string: None,
            entry: None,
        });
    }
    if id.values().is_empty() || value == NO_VALUE {
        return Err(ParseError);
    }
    match_value(id, value, None)
}

/// [`parse`] or [`parse_value`], by the kind of input.
pub fn parse_input(id: OptionId, input: Input<'_>) -> Result<OptValue<'_>, ParseError> {
    match input {
        Input::Str(s) => parse(id, s),
        Input::Value(v) => parse_value(id, v),
    }
}

// ---------------------------------------------------------------------------
// Checks and errors
// ---------------------------------------------------------------------------

/// The state of a bond that `bond_opt_check_deps()` looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BondState {
    /// `params.mode`.
    pub mode: Mode,
    /// `bond_has_slaves()`.
    pub has_slaves: bool,
    /// `IFF_UP` on the bond device.
    pub up: bool,
}

/// An option error: an errno, plus what `bond_opt_error_interpret()` needs
/// to print it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    /// `-EACCES`: the option is not supported in the bond's mode, `mode`.
    ModeUnsupported {
        /// The bond's mode when the error happened.
        mode: Mode,
    },
    /// `-ENOTEMPTY`: [`OPTFLAG_NOSLAVES`] and the bond has slaves.
    HasSlaves,
    /// `-EBUSY`: [`OPTFLAG_IFDOWN`] and the bond is up.
    Up,
    /// `-EINVAL`: invalid value (from the parser or a setter).
    Invalid,
    /// `-ENODEV`: a setter did not find the named interface.
    NoDevice,
    /// Any other errno (negative, as C returns it); printed by its setter, if at all.
    Other(i32),
}

impl Error {
    /// The errno as C returns it (negative), e.g. `-22` for [`Error::Invalid`].
    pub const fn errno(self) -> i32 {
        match self {
            Self::ModeUnsupported { .. } => -errno::EACCES,
            Self::HasSlaves => -errno::ENOTEMPTY,
            Self::Up => -errno::EBUSY,
            Self::Invalid => -errno::EINVAL,
            Self::NoDevice => -errno::ENODEV,
            Self::Other(e) => e,
        }
    }

    /// The error for a negative errno returned by a setter, so that it is
    /// reported as `bond_opt_error_interpret()` would; `mode` is the bond's
    /// current mode (used by `-EACCES`).
    pub const fn from_errno(err: i32, mode: Mode) -> Self {
        match err.wrapping_neg() {
            errno::EACCES => Self::ModeUnsupported { mode },
            errno::ENOTEMPTY => Self::HasSlaves,
            errno::EBUSY => Self::Up,
            errno::EINVAL => Self::Invalid,
            errno::ENODEV => Self::NoDevice,
            _ => Self::Other(err),
        }
    }

    /// Calls `line` with each line `bond_opt_error_interpret()` prints with
    /// `netdev_err()` for this error on option `id` set from `input`, in
    /// order, without the device prefix and the trailing newline. A line is
    /// `line(head, raw, tail)`: text, then bytes of the user's input exactly
    /// as C's `%s` prints them (often empty), then text. The input is a
    /// name or a value the user wrote, which need not be UTF-8.
    ///
    /// - `-EINVAL`: `option %s: invalid value (%s)` (the input string up to
    ///   the first newline) or `(%llu)` for a number; then, if the table has a
    ///   `MAX` entry, `option %s: allowed values %llu - %llu`;
    /// - `-EACCES`: `option %s: mode dependency failed, not supported in mode
    ///   %s(%llu)`, if the option is unsupported in that mode;
    /// - `-ENOTEMPTY`: `option %s: unable to set because the bond device has slaves`;
    /// - `-EBUSY`: `option %s: unable to set because the bond device is up`;
    /// - `-ENODEV`: `option %s: interface %s does not exist!`, for string input only;
    /// - anything else: nothing.
    pub fn log_lines<F>(self, id: OptionId, input: Input<'_>, mut line: F)
    where
        F: FnMut(fmt::Arguments<'_>, &[u8], fmt::Arguments<'_>),
    {
        let name = id.name();
        let nothing = format_args!("");
        match self {
            Self::Invalid => {
                match input {
                    Input::Str(s) => line(
                        format_args!("option {name}: invalid value ("),
                        until(c_str(s), b'\n'),
                        format_args!(")"),
                    ),
                    Input::Value(v) => line(
                        format_args!("option {name}: invalid value ({v})"),
                        &[],
                        nothing,
                    ),
                }
                if let Some((min, max)) = id.range() {
                    line(
                        format_args!("option {name}: allowed values {min} - {max}"),
                        &[],
                        nothing,
                    );
                }
            }
            Self::ModeUnsupported { mode } => {
                if !id.supported_in(mode) {
                    line(
                        format_args!(
                            "option {}: mode dependency failed, not supported in mode {}({})",
                            name,
                            mode.short_name(),
                            mode.value()
                        ),
                        &[],
                        nothing,
                    );
                }
            }
            Self::HasSlaves => line(
                format_args!("option {name}: unable to set because the bond device has slaves"),
                &[],
                nothing,
            ),
            Self::Up => line(
                format_args!("option {name}: unable to set because the bond device is up"),
                &[],
                nothing,
            ),
            Self::NoDevice => {
                if let Input::Str(s) = input {
                    line(
                        format_args!("option {name}: interface "),
                        until(c_str(s), b'\n'),
                        format_args!(" does not exist!"),
                    );
                }
            }
            Self::Other(_) => {}
        }
    }

    /// The netlink extended-ack message `bond_opt_error_interpret()` sets
    /// (`NL_SET_ERR_MSG_ATTR`) for this error on option `id` set from `input`.
    pub fn extack(self, id: OptionId, input: Input<'_>) -> Option<&'static str> {
        match self {
            Self::Invalid => Some("invalid option value"),
            Self::ModeUnsupported { mode } if !id.supported_in(mode) => {
                Some("option not supported in mode")
            }
            Self::HasSlaves => Some("unable to set option because the bond device has slaves"),
            Self::Up => Some("unable to set option because the bond is up"),
            Self::NoDevice if matches!(input, Input::Str(_)) => Some("interface does not exist"),
            _ => None,
        }
    }
}

/// `bond_opt_check_deps()`: the mode dependency, then [`OPTFLAG_NOSLAVES`],
/// then [`OPTFLAG_IFDOWN`].
pub fn check_deps(id: OptionId, state: &BondState) -> Result<(), Error> {
    let flags = id.flags();
    if !id.supported_in(state.mode) {
        return Err(Error::ModeUnsupported { mode: state.mode });
    }
    if flags & OPTFLAG_NOSLAVES != 0 && state.has_slaves {
        return Err(Error::HasSlaves);
    }
    if flags & OPTFLAG_IFDOWN != 0 && state.up {
        return Err(Error::Up);
    }
    Ok(())
}

/// What `__bond_opt_set()` does before it calls the setter: [`check_deps`],
/// then [`parse_input`]. On error, report it with [`Error::log_lines`] and
/// [`Error::extack`] (with the same `id` and `input`).
pub fn prepare<'a>(
    id: OptionId,
    state: &BondState,
    input: Input<'a>,
) -> Result<OptValue<'a>, Error> {
    check_deps(id, state)?;
    Ok(parse_input(id, input)?)
}

// ---------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------

/// Why [`format_sysfs`] wrote nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormatError {
    /// The option's sysfs text is [`Show::Custom`] or [`Show::NoFile`].
    NotNumeric,
    /// [`Show::NameNumber`] with a value that is not in the table (C would
    /// dereference NULL).
    UnknownValue,
    /// The writer failed.
    Fmt,
}

impl From<fmt::Error> for FormatError {
    fn from(_: fmt::Error) -> Self {
        FormatError::Fmt
    }
}

/// Writes the sysfs text of option `id` holding `value`, newline included,
/// as `bond_sysfs.c` shows it: `"%s %d\n"` (`balance-rr 0`) for
/// [`Show::NameNumber`], `"%d\n"`, `"%u\n"` or `"%hu\n"` of the value
/// converted to the C type (`int`, `unsigned int`, `u16`) otherwise.
///
/// For `updelay`, `downdelay` and `peer_notif_delay` pass the milliseconds
/// (ticks × miimon). [`Show::UshortAdAdmin`] is written unconditionally; the
/// caller leaves the file empty outside 802.3ad or without `CAP_NET_ADMIN`.
pub fn format_sysfs<W: fmt::Write>(id: OptionId, value: u64, w: &mut W) -> Result<(), FormatError> {
    match id.def().show {
        Show::NameNumber => {
            let e = id.entry_for(value).ok_or(FormatError::UnknownValue)?;
            writeln!(w, "{} {}", e.name, value as u32 as i32)?;
        }
        Show::Int => writeln!(w, "{}", value as u32 as i32)?,
        Show::Uint => writeln!(w, "{}", value as u32)?,
        Show::UshortAdAdmin => writeln!(w, "{}", value as u16)?,
        Show::Custom | Show::NoFile => return Err(FormatError::NotNumeric),
    }
    Ok(())
}

/// Prints bytes as C's `%s` would where they are UTF-8, and any other byte as `\xNN`.
#[derive(Clone, Copy, Debug)]
pub struct Bytes<'a>(pub &'a [u8]);

impl fmt::Display for Bytes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        loop {
            match core::str::from_utf8(rest) {
                Ok(s) => return f.write_str(s),
                Err(e) => {
                    let good = rest.get(..e.valid_up_to()).unwrap_or(&[]);
                    if let Ok(s) = core::str::from_utf8(good) {
                        f.write_str(s)?;
                    }
                    let after = rest.get(e.valid_up_to()..).unwrap_or(&[]);
                    let bad_len = e.error_len().unwrap_or(after.len()).max(1);
                    for b in after.iter().take(bad_len) {
                        write!(f, "\\x{b:02x}")?;
                    }
                    rest = after.get(bad_len..).unwrap_or(&[]);
                    if rest.is_empty() {
                        return Ok(());
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::fmt::Write;

    /// A fixed-size `fmt::Write` buffer (no alloc on the host test crate).
    struct Buf {
        data: [u8; 512],
        len: usize,
    }

    impl Buf {
        fn new() -> Self {
            Buf {
                data: [0; 512],
                len: 0,
            }
        }

        fn as_str(&self) -> &str {
            core::str::from_utf8(self.data.get(..self.len).unwrap_or(&[])).unwrap_or("<utf8>")
        }
    }

    impl Write for Buf {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            let end = self.len + s.len();
            let dst = self.data.get_mut(self.len..end).ok_or(fmt::Error)?;
            dst.copy_from_slice(s.as_bytes());
            self.len = end;
            Ok(())
        }
    }

    /// Collects the log lines of an error, one per `\n`-terminated line.
    fn lines(err: Error, id: OptionId, input: Input<'_>) -> Buf {
        let mut b = Buf::new();
        err.log_lines(id, input, |head, raw, tail| {
            write!(b, "{head}{}{tail}", Bytes(raw)).unwrap();
            b.write_str("\n").unwrap();
        });
        b
    }

    fn show(id: OptionId, value: u64) -> Buf {
        let mut b = Buf::new();
        format_sysfs(id, value, &mut b).unwrap();
        b
    }

    const D: u32 = VALFLAG_DEFAULT;
    const MIN: u32 = VALFLAG_MIN;
    const MAX: u32 = VALFLAG_MAX;
    const NS: u32 = OPTFLAG_NOSLAVES;
    const DOWN: u32 = OPTFLAG_IFDOWN;
    const R: u32 = OPTFLAG_RAWVAL;

    type Tbl = &'static [(&'static str, u64, u32)];

    // The value tables of bond_options.c, written out again by hand.
    const T_MODE: Tbl = &[
        ("balance-rr", 0, D),
        ("active-backup", 1, 0),
        ("balance-xor", 2, 0),
        ("broadcast", 3, 0),
        ("802.3ad", 4, 0),
        ("balance-tlb", 5, 0),
        ("balance-alb", 6, 0),
    ];
    const T_PPS: Tbl = &[("default", 1, D), ("maxval", 65535, MAX)];
    const T_XMIT: Tbl = &[
        ("layer2", 0, D),
        ("layer3+4", 1, 0),
        ("layer2+3", 2, 0),
        ("encap2+3", 3, 0),
        ("encap3+4", 4, 0),
        ("vlan+srcmac", 5, 0),
    ];
    const T_ARP_VALIDATE: Tbl = &[
        ("none", 0, D),
        ("active", 1, 0),
        ("backup", 2, 0),
        ("all", 3, 0),
        ("filter", 4, 0),
        ("filter_active", 5, 0),
        ("filter_backup", 6, 0),
    ];
    const T_ALL_TARGETS: Tbl = &[("any", 0, D), ("all", 1, 0)];
    const T_FOM: Tbl = &[("none", 0, D), ("active", 1, 0), ("follow", 2, 0)];
    const T_INTMAX: Tbl = &[("off", 0, D), ("maxval", 2147483647, MAX)];
    const T_LACP_ACTIVE: Tbl = &[("off", 0, 0), ("on", 1, D)];
    const T_LACP_RATE: Tbl = &[("slow", 0, 0), ("fast", 1, 0)];
    const T_AD_SELECT: Tbl = &[("stable", 0, D), ("bandwidth", 1, 0), ("count", 2, 0)];
    const T_PEER_NOTIF: Tbl = &[("off", 0, 0), ("maxval", 255, MAX), ("default", 1, D)];
    const T_PEER_DELAY: Tbl = &[("off", 0, 0), ("maxval", 300000, MAX)];
    const T_RESELECT: Tbl = &[("always", 0, D), ("better", 1, 0), ("failure", 2, 0)];
    const T_USE_CARRIER: Tbl = &[("off", 0, 0), ("on", 1, D)];
    const T_ALL_ACTIVE: Tbl = &[("off", 0, D), ("on", 1, 0)];
    const T_IGMP: Tbl = &[("off", 0, 0), ("maxval", 255, MAX), ("default", 1, D)];
    const T_LP: Tbl = &[("minval", 1, MIN | D), ("maxval", 2147483647, MAX)];
    const T_TLB: Tbl = &[("off", 0, 0), ("on", 1, D)];
    const T_SYS_PRIO: Tbl = &[("minval", 1, MIN), ("maxval", 65535, MAX | D)];
    const T_PORT_KEY: Tbl = &[("minval", 0, MIN | D), ("maxval", 1023, MAX)];
    const T_MISSED: Tbl = &[("minval", 1, MIN), ("maxval", 255, MAX), ("default", 2, D)];
    const T_COUPLED: Tbl = &[("on", 1, D), ("off", 0, 0)];
    const T_BCAST: Tbl = &[("off", 0, D), ("on", 1, 0)];
    const T_NONE: Tbl = &[];

    /// Unsupported-mode masks: `BIT(m)` and `BOND_MODE_ALL_EX()` on a 64-bit `unsigned long`.
    const U_NONE: u64 = 0;
    const U_ARP: u64 = (1 << 4) | (1 << 5) | (1 << 6);
    const U_RR: u64 = !1;
    const U_AD: u64 = !(1 << 4);
    const U_AB: u64 = !((1 << 1) | (1 << 5) | (1 << 6));
    const U_LB: u64 = !((1 << 5) | (1 << 6));

    /// (BOND_OPT_* number, name, desc, flags, unsuppmodes, table, show), in
    /// the order of the BOND_OPT_* enum.
    #[allow(clippy::type_complexity)]
    #[rustfmt::skip]
    const EXPECTED: [(u32, &str, Option<&str>, u32, u64, Tbl, Show); COUNT] = [
        (0, "mode", Some("bond device mode"), NS | DOWN, U_NONE, T_MODE, Show::NameNumber),
        (1, "packets_per_slave", Some("Packets to send per slave in RR mode"), 0, U_RR, T_PPS, Show::Uint),
        (2, "xmit_hash_policy", Some("balance-xor, 802.3ad, and tlb hashing method"), 0, U_NONE, T_XMIT, Show::NameNumber),
        (3, "arp_validate", Some("validate src/dst of ARP probes"), 0, U_ARP, T_ARP_VALIDATE, Show::NameNumber),
        (4, "arp_all_targets", Some("fail on any/all arp targets timeout"), 0, U_NONE, T_ALL_TARGETS, Show::NameNumber),
        (5, "fail_over_mac", Some("For active-backup, do not set all slaves to the same MAC"), NS, U_NONE, T_FOM, Show::NameNumber),
        (6, "arp_interval", Some("arp interval in milliseconds"), 0, U_ARP, T_INTMAX, Show::Int),
        (7, "arp_ip_target", Some("arp targets in n.n.n.n form"), R, U_NONE, T_NONE, Show::Custom),
        (8, "downdelay", Some("Delay before considering link down, in milliseconds"), 0, U_NONE, T_INTMAX, Show::Int),
        (9, "updelay", Some("Delay before considering link up, in milliseconds"), 0, U_NONE, T_INTMAX, Show::Int),
        (10, "lacp_rate", Some("LACPDU tx rate to request from 802.3ad partner"), DOWN, U_AD, T_LACP_RATE, Show::NameNumber),
        (11, "min_links", Some("Minimum number of available links before turning on carrier"), 0, U_NONE, T_INTMAX, Show::Uint),
        (12, "ad_select", Some("803.ad aggregation selection logic"), DOWN, U_NONE, T_AD_SELECT, Show::NameNumber),
        (13, "num_unsol_na", Some("Number of peer notifications to send on failover event"), 0, U_NONE, T_PEER_NOTIF, Show::Int),
        (14, "miimon", Some("Link check interval in milliseconds"), 0, U_NONE, T_INTMAX, Show::Int),
        (15, "primary", Some("Primary network device to use"), R, U_AB, T_NONE, Show::Custom),
        (16, "primary_reselect", Some("Reselect primary slave once it comes up"), 0, U_NONE, T_RESELECT, Show::NameNumber),
        (17, "use_carrier", Some("Use netif_carrier_ok (vs MII ioctls) in miimon"), 0, U_NONE, T_USE_CARRIER, Show::Int),
        (18, "active_slave", Some("Currently active slave"), R, U_AB, T_NONE, Show::Custom),
        (19, "queue_id", Some("Set queue id of a slave"), R, U_NONE, T_NONE, Show::Custom),
        (20, "all_slaves_active", Some("Keep all frames received on an interface by setting active flag for all slaves"), 0, U_NONE, T_ALL_ACTIVE, Show::Int),
        (21, "resend_igmp", Some("Number of IGMP membership reports to send on link failure"), 0, U_NONE, T_IGMP, Show::Int),
        (22, "lp_interval", Some("The number of seconds between instances where the bonding driver sends learning packets to each slave's peer switch"), 0, U_NONE, T_LP, Show::Int),
        (23, "slaves", Some("Slave membership management"), R, U_NONE, T_NONE, Show::Custom),
        (24, "tlb_dynamic_lb", Some("Enable dynamic flow shuffling"), DOWN, U_LB, T_TLB, Show::Int),
        (25, "ad_actor_sys_prio", None, 0, U_AD, T_SYS_PRIO, Show::UshortAdAdmin),
        (26, "ad_actor_system", None, R, U_AD, T_NONE, Show::Custom),
        (27, "ad_user_port_key", None, DOWN, U_AD, T_PORT_KEY, Show::UshortAdAdmin),
        (28, "num_grat_arp", Some("Number of peer notifications to send on failover event"), 0, U_NONE, T_PEER_NOTIF, Show::Int),
        (29, "peer_notif_delay", Some("Delay between each peer notification on failover event, in milliseconds"), 0, U_NONE, T_PEER_DELAY, Show::Int),
        (30, "lacp_active", Some("Send LACPDU frames with configured lacp rate or acts as speak when spoken to"), DOWN, U_AD, T_LACP_ACTIVE, Show::NameNumber),
        (31, "arp_missed_max", Some("Maximum number of missed ARP interval"), 0, U_ARP, T_MISSED, Show::Uint),
        (32, "ns_ip6_target", Some("NS targets in ffff:ffff::ffff:ffff form"), R, U_NONE, T_NONE, Show::NoFile),
        (33, "prio", Some("Link priority for failover re-selection"), R, U_AB, T_NONE, Show::NoFile),
        (34, "coupled_control", Some("Opt into using coupled control MUX for LACP states"), DOWN, U_AD, T_COUPLED, Show::NoFile),
        (35, "broadcast_neighbor", Some("Broadcast neighbor packets to all active slaves"), 0, U_AD, T_BCAST, Show::NoFile),
        (36, "actor_port_prio", None, R, U_AD, T_NONE, Show::NoFile),
    ];

    #[test]
    fn table_matches_c() {
        for (i, (num, name, desc, flags, unsupp, tbl, shw)) in EXPECTED.iter().enumerate() {
            let id = OptionId::ALL[i];
            let d = id.def();
            assert_eq!(d.id, id);
            assert_eq!(id.number(), *num, "{name}");
            assert_eq!(i as u32, *num);
            assert_eq!(OptionId::from_number(*num), Some(id));
            assert_eq!(d.name, *name);
            assert_eq!(id.name(), *name);
            assert_eq!(OptionId::by_name(name.as_bytes()), Some(id));
            assert_eq!(id.desc(), *desc, "{name}");
            assert_eq!(id.flags(), *flags, "{name}");
            assert_eq!(id.unsupp_modes(), *unsupp, "{name}");
            assert_eq!(d.show, *shw, "{name}");
            assert_eq!(id.values().len(), tbl.len(), "{name}");
            for (e, (n, v, f)) in id.values().iter().zip(tbl.iter()) {
                assert_eq!((e.name, e.value, e.flags), (*n, *v, *f), "{name}");
            }
            // Every non-raw option has a table; raw ones have none.
            assert_eq!(id.is_raw(), tbl.is_empty(), "{name}");
        }
        assert_eq!(OptionId::from_number(37), None);
        assert_eq!(OptionId::by_name(b"bogus"), None);
        assert_eq!(OptionId::by_name(b"mode\n"), None);
    }

    #[test]
    fn modes_supported() {
        use OptionId as O;
        for m in Mode::ALL {
            let n = m.value();
            assert!(O::Mode.supported_in(m));
            assert_eq!(O::PacketsPerSlave.supported_in(m), n == 0);
            assert_eq!(O::ArpInterval.supported_in(m), n < 4);
            assert_eq!(O::LacpRate.supported_in(m), n == 4);
            assert_eq!(O::Primary.supported_in(m), matches!(n, 1 | 5 | 6));
            assert_eq!(O::TlbDynamicLb.supported_in(m), matches!(n, 5 | 6));
            // The option table's names are the mode's.
            assert_eq!(
                O::Mode.entry_for(u64::from(n)).unwrap().name,
                m.short_name()
            );
        }
    }

    #[test]
    fn ranges() {
        use OptionId as O;
        assert_eq!(O::Mode.range(), None);
        assert_eq!(O::PacketsPerSlave.range(), Some((0, 65535)));
        assert_eq!(O::Miimon.range(), Some((0, 2147483647)));
        assert_eq!(O::LpInterval.range(), Some((1, 2147483647)));
        assert_eq!(O::AdActorSysPrio.range(), Some((1, 65535)));
        assert_eq!(O::MissedMax.range(), Some((1, 255)));
        assert_eq!(O::AdUserPortKey.range(), Some((0, 1023)));
        assert_eq!(O::PeerNotifDelay.range(), Some((0, 300000)));
        assert_eq!(O::Primary.range(), None);
    }

    fn val(id: OptionId, s: &[u8]) -> Option<u64> {
        parse(id, s).ok().map(|v| v.value)
    }

    fn name(id: OptionId, s: &[u8]) -> Option<&'static str> {
        parse(id, s).ok().and_then(|v| v.entry).map(|e| e.name)
    }

    #[test]
    fn parse_mode() {
        use OptionId::Mode as M;
        assert_eq!(val(M, b"1"), Some(1));
        assert_eq!(name(M, b"1"), Some("active-backup"));
        assert_eq!(val(M, b"balance-rr"), Some(0));
        assert_eq!(val(M, b"balance-rr\n"), Some(0));
        assert_eq!(val(M, b" 1"), Some(1));
        assert_eq!(val(M, b"\t6\n"), Some(6));
        assert_eq!(val(M, b"802.3ad"), Some(4));
        assert_eq!(val(M, b"balance-alb 6\n"), Some(6)); // what sysfs shows
        assert_eq!(val(M, b"  active-backup junk"), Some(1)); // %32s: first word
        assert_eq!(val(M, b"default"), Some(0));
        assert_eq!(val(M, b"default\n"), Some(0));
        assert_eq!(val(M, b"1 2"), Some(1)); // %llu stops at the space
        assert_eq!(val(M, b"004"), Some(4));
        assert_eq!(val(M, b"18446744073709551620"), Some(4)); // wraps
        assert_eq!(val(M, b"bogus"), None);
        assert_eq!(val(M, b"7"), None); // no MAX entry: no range
        assert_eq!(val(M, b"1abc"), None); // not all digits: a word
        assert_eq!(val(M, b"+1"), None);
        assert_eq!(val(M, b"-1"), None);
        assert_eq!(val(M, b"0x1"), None);
        assert_eq!(val(M, b""), None);
        assert_eq!(val(M, b"\n"), None);
        assert_eq!(val(M, b"   "), None);
        assert_eq!(val(M, b"\n1"), None); // ends at the first newline
        assert_eq!(val(M, b"1\n2abc"), Some(1));
        assert_eq!(val(M, b"1\0abc"), Some(1)); // kstrndup stops at NUL
        assert_eq!(val(M, b"\0"), None);
        assert_eq!(val(M, b"Balance-rr"), None); // strcmp: case matters
        assert_eq!(val(M, b"balance-rr0"), None);
        assert_eq!(val(M, b"\xa02"), Some(2)); // isspace(0xa0)
        assert_eq!(val(M, b"balance-rr\xa0x"), Some(0));
        assert_eq!(val(M, b"\x0b3\x0c"), Some(3));
        // The matched entry's name is the string the setter sees.
        let v = parse(M, b" 4\n").unwrap();
        assert_eq!(v.string, Some(&b"802.3ad"[..]));
    }

    #[test]
    fn parse_word_limit() {
        use OptionId::Mode as M;
        // %32s: a word longer than 32 bytes is cut to 32 and cannot match.
        assert_eq!(val(M, b"balance-rrxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"), None);
        assert_eq!(
            scan_word(b"  0123456789012345678901234567890123456789 x"),
            &b"01234567890123456789012345678901"[..]
        );
    }

    #[test]
    fn parse_ranges() {
        use OptionId as O;
        assert_eq!(val(O::Miimon, b"100"), Some(100));
        assert_eq!(name(O::Miimon, b"100"), None);
        assert_eq!(val(O::Miimon, b"0"), Some(0));
        assert_eq!(name(O::Miimon, b"0"), Some("off"));
        assert_eq!(val(O::Miimon, b"off"), Some(0));
        assert_eq!(val(O::Miimon, b"default"), Some(0));
        assert_eq!(val(O::Miimon, b"maxval"), Some(2147483647));
        assert_eq!(val(O::Miimon, b"2147483647"), Some(2147483647));
        assert_eq!(val(O::Miimon, b"2147483648"), None);
        assert_eq!(val(O::Miimon, b"100ms"), None);
        assert_eq!(val(O::Miimon, b"minval"), None);
        assert_eq!(val(O::LpInterval, b"0"), None); // below MIN
        assert_eq!(val(O::LpInterval, b"1"), Some(1));
        assert_eq!(val(O::LpInterval, b"default"), Some(1));
        assert_eq!(val(O::LpInterval, b"minval"), Some(1));
        assert_eq!(val(O::MissedMax, b"0"), None);
        assert_eq!(val(O::MissedMax, b"255"), Some(255));
        assert_eq!(val(O::MissedMax, b"256"), None);
        assert_eq!(val(O::MissedMax, b"default"), Some(2));
        assert_eq!(val(O::PacketsPerSlave, b"0"), Some(0));
        assert_eq!(val(O::PacketsPerSlave, b"65535"), Some(65535));
        assert_eq!(val(O::PacketsPerSlave, b"65536"), None);
        assert_eq!(val(O::PacketsPerSlave, b"off"), None);
        assert_eq!(val(O::NumPeerNotif, b"default"), Some(1));
        assert_eq!(val(O::NumPeerNotifAlias, b"off"), Some(0));
        assert_eq!(val(O::AdActorSysPrio, b"0"), None);
        assert_eq!(val(O::AdActorSysPrio, b"default"), Some(65535));
        assert_eq!(val(O::AdUserPortKey, b"1024"), None);
        assert_eq!(val(O::PeerNotifDelay, b"300000"), Some(300000));
        assert_eq!(val(O::PeerNotifDelay, b"300001"), None);
        assert_eq!(val(O::PeerNotifDelay, b"default"), None); // no DEFAULT entry
        assert_eq!(val(O::LacpRate, b"default"), None); // no DEFAULT entry
        assert_eq!(val(O::LacpRate, b"fast"), Some(1));
        assert_eq!(val(O::LacpRate, b"2"), None);
        assert_eq!(val(O::CoupledControl, b"default"), Some(1));
        assert_eq!(val(O::UseCarrier, b"on"), Some(1));
        assert_eq!(val(O::ArpValidate, b"filter_backup"), Some(6));
        assert_eq!(val(O::XmitHash, b"vlan+srcmac"), Some(5));
        // Wrapping: 2^64 + 100 reads as 100.
        assert_eq!(val(O::Miimon, b"18446744073709551716"), Some(100));
        // A range match keeps the input string up to the newline.
        let v = parse(O::Miimon, b" 250\n").unwrap();
        assert_eq!(
            (v.value, v.string, v.entry),
            (250, Some(&b" 250"[..]), None)
        );
    }

    #[test]
    fn parse_raw() {
        use OptionId as O;
        let v = parse(O::ArpTargets, b"+10.0.0.1\n").unwrap();
        assert_eq!(v.raw_str(), Some(&b"+10.0.0.1\n"[..]));
        assert_eq!(v.value, u64::MAX);
        assert_eq!(v.entry, None);
        assert_eq!(
            parse(O::Slaves, b"+eth0\0junk").unwrap().raw_str(),
            Some(&b"+eth0"[..])
        );
        assert_eq!(parse(O::Primary, b"").unwrap().raw_str(), Some(&b""[..]));
        let v = parse_value(O::Prio, 42).unwrap();
        assert_eq!((v.value, v.string, v.raw_str()), (42, None, None));
    }

    #[test]
    fn parse_numbers() {
        use OptionId as O;
        assert_eq!(
            parse_value(O::Mode, 4).unwrap().entry.map(|e| e.name),
            Some("802.3ad")
        );
        assert_eq!(parse_value(O::Mode, 7), Err(ParseError));
        assert_eq!(parse_value(O::Miimon, 100).unwrap().string, None);
        assert_eq!(parse_value(O::Miimon, 1 << 31), Err(ParseError));
        assert_eq!(parse_value(O::Miimon, u64::MAX), Err(ParseError));
        assert_eq!(parse_value(O::LpInterval, 0), Err(ParseError));
        assert_eq!(parse_input(O::XmitHash, Input::Value(2)).unwrap().value, 2);
        assert_eq!(
            parse_input(O::XmitHash, Input::Str(b"layer2+3"))
                .unwrap()
                .value,
            2
        );
    }

    #[test]
    fn checks_in_c_order() {
        use OptionId as O;
        let st = |mode, has_slaves, up| BondState {
            mode,
            has_slaves,
            up,
        };
        assert_eq!(
            check_deps(O::Mode, &st(Mode::RoundRobin, false, false)),
            Ok(())
        );
        // NOSLAVES comes before IFDOWN.
        assert_eq!(
            check_deps(O::Mode, &st(Mode::RoundRobin, true, true)),
            Err(Error::HasSlaves)
        );
        assert_eq!(
            check_deps(O::Mode, &st(Mode::RoundRobin, false, true)),
            Err(Error::Up)
        );
        // The mode dependency comes first.
        assert_eq!(
            check_deps(O::LacpRate, &st(Mode::ActiveBackup, false, true)),
            Err(Error::ModeUnsupported {
                mode: Mode::ActiveBackup
            })
        );
        assert_eq!(
            check_deps(O::LacpRate, &st(Mode::Ieee8023ad, false, true)),
            Err(Error::Up)
        );
        assert_eq!(
            check_deps(O::FailOverMac, &st(Mode::ActiveBackup, true, false)),
            Err(Error::HasSlaves)
        );
        assert_eq!(
            check_deps(O::FailOverMac, &st(Mode::ActiveBackup, false, true)),
            Ok(())
        );
        // Checks run before parsing.
        assert_eq!(
            prepare(
                O::Mode,
                &st(Mode::RoundRobin, false, true),
                Input::Str(b"bogus")
            ),
            Err(Error::Up)
        );
        assert_eq!(
            prepare(
                O::Mode,
                &st(Mode::RoundRobin, false, false),
                Input::Str(b"bogus")
            ),
            Err(Error::Invalid)
        );
        assert_eq!(
            prepare(
                O::Mode,
                &st(Mode::RoundRobin, false, false),
                Input::Str(b"4\n")
            )
            .unwrap()
            .value,
            4
        );
    }

    #[test]
    fn errnos() {
        assert_eq!(
            Error::ModeUnsupported {
                mode: Mode::RoundRobin
            }
            .errno(),
            -13
        );
        assert_eq!(Error::HasSlaves.errno(), -39);
        assert_eq!(Error::Up.errno(), -16);
        assert_eq!(Error::Invalid.errno(), -22);
        assert_eq!(Error::NoDevice.errno(), -19);
        assert_eq!(Error::Other(-1).errno(), -1);
        assert_eq!(Error::from_errno(-22, Mode::RoundRobin), Error::Invalid);
        assert_eq!(
            Error::from_errno(-13, Mode::Broadcast),
            Error::ModeUnsupported {
                mode: Mode::Broadcast
            }
        );
        assert_eq!(Error::from_errno(-19, Mode::RoundRobin), Error::NoDevice);
        assert_eq!(Error::from_errno(-1, Mode::RoundRobin), Error::Other(-1));
        assert_eq!(
            Error::from_errno(i32::MIN, Mode::RoundRobin),
            Error::Other(i32::MIN)
        );
        assert_eq!(Error::from(ParseError), Error::Invalid);
    }

    #[test]
    fn error_lines() {
        use OptionId as O;
        assert_eq!(
            lines(Error::Invalid, O::Mode, Input::Str(b"9\n")).as_str(),
            "option mode: invalid value (9)\n"
        );
        assert_eq!(
            lines(Error::Invalid, O::Mode, Input::Str(b"bogus\nmore")).as_str(),
            "option mode: invalid value (bogus)\n"
        );
        assert_eq!(
            lines(Error::Invalid, O::Mode, Input::Value(9)).as_str(),
            "option mode: invalid value (9)\n"
        );
        assert_eq!(
            lines(Error::Invalid, O::Miimon, Input::Str(b"-5\n")).as_str(),
            "option miimon: invalid value (-5)\n\
             option miimon: allowed values 0 - 2147483647\n"
        );
        assert_eq!(
            lines(Error::Invalid, O::LpInterval, Input::Value(0)).as_str(),
            "option lp_interval: invalid value (0)\n\
             option lp_interval: allowed values 1 - 2147483647\n"
        );
        assert_eq!(
            lines(Error::Invalid, O::ArpTargets, Input::Str(b"+1.2.3\xff\n")).as_str(),
            "option arp_ip_target: invalid value (+1.2.3\\xff)\n"
        );
        assert_eq!(
            lines(
                Error::ModeUnsupported {
                    mode: Mode::ActiveBackup
                },
                O::LacpRate,
                Input::Str(b"fast")
            )
            .as_str(),
            "option lacp_rate: mode dependency failed, not supported in mode active-backup(1)\n"
        );
        // bond_opt_dep_print() prints only when the mode really is unsupported.
        assert_eq!(
            lines(
                Error::ModeUnsupported {
                    mode: Mode::Ieee8023ad
                },
                O::LacpRate,
                Input::Value(1)
            )
            .as_str(),
            ""
        );
        assert_eq!(
            lines(Error::HasSlaves, O::Mode, Input::Value(1)).as_str(),
            "option mode: unable to set because the bond device has slaves\n"
        );
        assert_eq!(
            lines(Error::Up, O::AdSelect, Input::Str(b"count")).as_str(),
            "option ad_select: unable to set because the bond device is up\n"
        );
        assert_eq!(
            lines(Error::NoDevice, O::Slaves, Input::Str(b"+ethX\n")).as_str(),
            "option slaves: interface +ethX does not exist!\n"
        );
        assert_eq!(
            lines(Error::NoDevice, O::ActiveSlave, Input::Value(7)).as_str(),
            ""
        );
        assert_eq!(
            lines(Error::Other(-1), O::QueueId, Input::Str(b"x")).as_str(),
            ""
        );
    }

    #[test]
    fn extack_messages() {
        use OptionId as O;
        let s = Input::Str(b"x");
        assert_eq!(
            Error::Invalid.extack(O::Mode, s),
            Some("invalid option value")
        );
        assert_eq!(
            Error::ModeUnsupported {
                mode: Mode::RoundRobin
            }
            .extack(O::LacpRate, s),
            Some("option not supported in mode")
        );
        assert_eq!(
            Error::ModeUnsupported {
                mode: Mode::Ieee8023ad
            }
            .extack(O::LacpRate, s),
            None
        );
        assert_eq!(
            Error::HasSlaves.extack(O::Mode, s),
            Some("unable to set option because the bond device has slaves")
        );
        assert_eq!(
            Error::Up.extack(O::Mode, s),
            Some("unable to set option because the bond is up")
        );
        assert_eq!(
            Error::NoDevice.extack(O::Primary, s),
            Some("interface does not exist")
        );
        assert_eq!(Error::NoDevice.extack(O::Primary, Input::Value(3)), None);
        assert_eq!(Error::Other(-1).extack(O::Primary, s), None);
    }

    #[test]
    fn sysfs_text() {
        use OptionId as O;
        assert_eq!(show(O::Mode, 0).as_str(), "balance-rr 0\n");
        assert_eq!(show(O::Mode, 4).as_str(), "802.3ad 4\n");
        assert_eq!(show(O::XmitHash, 1).as_str(), "layer3+4 1\n");
        assert_eq!(show(O::ArpValidate, 6).as_str(), "filter_backup 6\n");
        assert_eq!(show(O::LacpActive, 1).as_str(), "on 1\n");
        assert_eq!(show(O::LacpRate, 0).as_str(), "slow 0\n");
        assert_eq!(show(O::PrimaryReselect, 2).as_str(), "failure 2\n");
        assert_eq!(show(O::FailOverMac, 2).as_str(), "follow 2\n");
        assert_eq!(show(O::ArpAllTargets, 1).as_str(), "all 1\n");
        assert_eq!(show(O::AdSelect, 1).as_str(), "bandwidth 1\n");
        assert_eq!(show(O::Miimon, 100).as_str(), "100\n");
        assert_eq!(show(O::UseCarrier, 1).as_str(), "1\n"); // %d, not "on 1"
        assert_eq!(show(O::TlbDynamicLb, 0).as_str(), "0\n");
        assert_eq!(show(O::MinLinks, 0xffff_ffff).as_str(), "4294967295\n"); // %u
        assert_eq!(show(O::Updelay, 0xffff_ffff).as_str(), "-1\n"); // %d of an int
        assert_eq!(show(O::AdActorSysPrio, 65535).as_str(), "65535\n");
        assert_eq!(show(O::MissedMax, 2).as_str(), "2\n");
        let mut b = Buf::new();
        assert_eq!(
            format_sysfs(O::Mode, 9, &mut b),
            Err(FormatError::UnknownValue)
        );
        assert_eq!(
            format_sysfs(O::Slaves, 0, &mut b),
            Err(FormatError::NotNumeric)
        );
        assert_eq!(
            format_sysfs(O::Prio, 0, &mut b),
            Err(FormatError::NotNumeric)
        );
        assert_eq!(b.as_str(), "");
    }

    #[test]
    fn every_entry_round_trips() {
        for id in OptionId::ALL {
            for e in id.values() {
                let by_name = parse(id, e.name.as_bytes()).unwrap();
                assert_eq!(by_name.value, e.value, "{}", e.name);
                let mut b = Buf::new();
                writeln!(b, "{}", e.value).unwrap();
                let by_num = parse(id, b.as_str().as_bytes()).unwrap();
                assert_eq!(by_num.value, e.value);
                assert_eq!(parse_value(id, e.value).unwrap().value, e.value);
            }
            if id.def().show == Show::NameNumber {
                for e in id.values() {
                    let text = show(id, e.value);
                    assert_eq!(parse(id, text.as_str().as_bytes()).unwrap().value, e.value);
                }
            }
        }
    }

    #[test]
    fn display_helpers() {
        let mut b = Buf::new();
        write!(b, "{}|{}", Bytes(b"a\xc3\xa9\xff\xfez"), CStrDisplay(None)).unwrap();
        assert_eq!(b.as_str(), "a\u{e9}\\xff\\xfez|(null)");
        let v = parse_value(OptionId::MissedMax, 5).unwrap();
        let mut b = Buf::new();
        write!(b, "{} ({})", v.string_display(), v.value).unwrap();
        assert_eq!(b.as_str(), "(null) (5)");
        let v = parse(OptionId::CoupledControl, b"0").unwrap();
        let mut b = Buf::new();
        write!(b, "{} ({})", v.string_display(), v.value).unwrap();
        assert_eq!(b.as_str(), "off (0)");
    }
}
