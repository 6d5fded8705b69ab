// SPDX-License-Identifier: GPL-2.0

//! 802.3ad (LACP): the per-port state machines, aggregator selection and the
//! LACPDU and marker formats, as `bond_3ad.c` runs them.
//!
//! C version: `drivers/net/bonding/bond_3ad.c` and `include/net/bond_3ad.h`
//! (IEEE 802.1AX-2008 / 802.3ad clause 43 is the standard both follow).
//!
//! # Data model
//!
//! C embeds a `struct port` and a `struct aggregator` in every slave and links
//! them with pointers (`port->aggregator`, `aggregator->lag_ports`,
//! `port->next_port_in_aggregator`). Here each slave is a [`Member`] holding
//! its [`Port`] and its [`Aggregator`]; the kernel keeps the members in one
//! slice **in slave-list order** (C's `bond_for_each_slave` order, which the
//! selection logic depends on). The links are by number, not by position, so
//! removing a member does not invalidate them: a port names its aggregator by
//! `aggregator_identifier` and the next port of the aggregator's list by
//! `actor_port_number` (both unique in a bond: aggregator ids count up per
//! bond, port numbers are the slaves' AD ids, which increase along the list).
//!
//! # How the kernel side drives it
//!
//! Everything here runs under the bond's mode lock (C's `bond->mode_lock`,
//! a BH spinlock), as C does:
//!
//! - before each call, the kernel refreshes every member's [`SlaveView`] (the
//!   slave facts C reads live: `slave->link`, `bond_slave_is_up()`, speed,
//!   duplex) and copies the slave's state flags into [`SlaveFlags`] (C's
//!   machines read `backup` and `rx_disabled` live, and the bond changes
//!   them outside them: the MII commit, `all_slaves_active`); after it, it
//!   applies every member's [`SlaveFlags`] to the slave (what C's
//!   `bond_set_slave_{inactive,active,tx_disabled,rx_enabled}_flags()` wrote,
//!   with `BOND_SLAVE_NOTIFY_LATER`) and acts on the returned [`Effects`].
//!   C sets the carrier after every selection, possibly more than once a
//!   tick; [`Effects::set_carrier`] gives only the last decision (a
//!   known difference for the kernel side to keep or close);
//! - enslave: push [`Member::new`], then [`bind`] (which also does
//!   `bond_3ad_initialize()` for the first slave);
//! - release: [`unbind`], then remove the member from the slice;
//! - every 100 ms (`ad_work`): [`tick`] (`bond_3ad_state_machine_handler()`);
//! - a received slow-protocols frame: [`receive`] (`bond_3ad_rx_indication()`);
//! - link up/down: [`link_changed`]; speed/duplex change:
//!   [`speed_duplex_changed`]; `bond_open`: [`initiate_agg_selection`] with 1;
//! - option changes: [`update_lacp_rate`], [`update_lacp_active`],
//!   [`update_actor_settings`].
//!
//! Frames go out through [`Wire`], which the kernel implements with
//! `dev_queue_xmit()` on the member's slave; log lines through
//! [`Wire::log`] (each [`Msg`] says its level and whether C rate-limits it).
//! The `slave_dbg()`/`netdev_dbg()` lines of C are not modelled, nor the
//! fields C writes and never reads (`aggregator_mac_address`,
//! `receive_state`, `transmit_state`, `actor_admin_aggregator_key`,
//! `actor_admin_port_state`, `transaction_id`).

#![forbid(unsafe_code)]

pub use super::procfs::AggInfo;
use core::fmt;

/// `ETH_P_SLOW`: the ethertype of LACPDUs and markers.
pub const ETH_P_SLOW: u16 = 0x8809;

/// `lacpdu_mcast_addr`: the slow-protocols multicast address.
pub const LACPDU_MCAST_ADDR: [u8; 6] = [0x01, 0x80, 0xC2, 0x00, 0x00, 0x02];

/// `sizeof(struct lacpdu)` and `sizeof(struct bond_marker)`: both PDUs are
/// 110 bytes after the Ethernet header.
pub const PDU_LEN: usize = 110;

/// `AD_TIMER_INTERVAL`: the state machines' tick, in milliseconds.
pub const TICK_MS: u32 = 100;

/// `ad_ticks_per_sec`.
const TICKS_PER_SEC: u16 = (1000 / TICK_MS) as u16;

/// `AD_AGGREGATOR_SELECTION_TIMER` (seconds) in ticks: the wait after the
/// first slave before the first aggregator selection.
pub const AGG_SELECTION_TICKS: u32 = 8 * TICKS_PER_SEC as u32;

/// `AD_MAX_TX_IN_SECOND`.
const MAX_TX_IN_SECOND: u16 = 3;

/// The port state bits (`LACP_STATE_*` of `if_bonding.h`).
pub mod state {
    /// `LACP_STATE_LACP_ACTIVITY`.
    pub const LACP_ACTIVITY: u8 = 0x1;
    /// `LACP_STATE_LACP_TIMEOUT` (set: short timeout).
    pub const LACP_TIMEOUT: u8 = 0x2;
    /// `LACP_STATE_AGGREGATION`.
    pub const AGGREGATION: u8 = 0x4;
    /// `LACP_STATE_SYNCHRONIZATION`.
    pub const SYNCHRONIZATION: u8 = 0x8;
    /// `LACP_STATE_COLLECTING`.
    pub const COLLECTING: u8 = 0x10;
    /// `LACP_STATE_DISTRIBUTING`.
    pub const DISTRIBUTING: u8 = 0x20;
    /// `LACP_STATE_DEFAULTED`.
    pub const DEFAULTED: u8 = 0x40;
    /// `LACP_STATE_EXPIRED`.
    pub const EXPIRED: u8 = 0x80;
}

/// The state machines' variables (`AD_PORT_*` of `bond_3ad.c`, `sm_vars`).
mod var {
    pub(super) const BEGIN: u16 = 0x1;
    pub(super) const LACP_ENABLED: u16 = 0x2;
    pub(super) const ACTOR_CHURN: u16 = 0x4;
    pub(super) const PARTNER_CHURN: u16 = 0x8;
    pub(super) const READY: u16 = 0x10;
    pub(super) const READY_N: u16 = 0x20;
    pub(super) const MATCHED: u16 = 0x40;
    pub(super) const STANDBY: u16 = 0x80;
    pub(super) const SELECTED: u16 = 0x100;
    pub(super) const CHURNED: u16 = ACTOR_CHURN | PARTNER_CHURN;
}

/// The port key's parts (`AD_*_KEY_MASKS`): bit 0 duplex, bits 1..5 speed,
/// bits 6..15 `ad_user_port_key`.
const DUPLEX_KEY_MASK: u16 = 0x1;
const SPEED_KEY_MASK: u16 = 0x3E;

/// The timers in ticks (`__ad_timer_to_ticks()`, 43.4.4 of the standard).
const SHORT_TIMEOUT_TICKS: u16 = 3 * TICKS_PER_SEC;
const LONG_TIMEOUT_TICKS: u16 = 90 * TICKS_PER_SEC;
const CHURN_DETECTION_TICKS: u16 = 60 * TICKS_PER_SEC;
const AGGREGATE_WAIT_TICKS: u16 = 2 * TICKS_PER_SEC;
const FAST_PERIODIC_TICKS: u16 = TICKS_PER_SEC;
const SLOW_PERIODIC_TICKS: u16 = 30 * TICKS_PER_SEC;

/// `ad_select` (`BOND_AD_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdSelect {
    /// `BOND_AD_STABLE` (0).
    Stable,
    /// `BOND_AD_BANDWIDTH` (1).
    Bandwidth,
    /// `BOND_AD_COUNT` (2).
    Count,
}

impl AdSelect {
    /// The policy with this `BOND_AD_*` number.
    pub const fn from_value(value: u64) -> Option<Self> {
        Some(match value {
            0 => Self::Stable,
            1 => Self::Bandwidth,
            2 => Self::Count,
            _ => return None,
        })
    }
}

/// The bond's parameters the machines read (`bond->params`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    /// `ad_select`.
    pub ad_select: AdSelect,
    /// `coupled_control`.
    pub coupled_control: bool,
    /// `lacp_active`.
    pub lacp_active: bool,
    /// `lacp_rate` fast (`lacp_fast`).
    pub lacp_fast: bool,
    /// `min_links`.
    pub min_links: u32,
    /// `ad_user_port_key`.
    pub user_port_key: u16,
    /// `ad_actor_sys_prio`.
    pub actor_sys_prio: u16,
    /// `ad_actor_system` (all zero: the bond's address is used).
    pub actor_system: [u8; 6],
    /// `all_slaves_active`.
    pub all_slaves_active: bool,
}

/// The slave facts the machines read, refreshed by the kernel before each call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SlaveView {
    /// `slave->link == BOND_LINK_UP`.
    pub link_up: bool,
    /// `bond_slave_is_up()`: the device is running and has carrier.
    pub dev_up: bool,
    /// `slave->speed` in Mb/s (`SPEED_UNKNOWN` is `u32::MAX`).
    pub speed: u32,
    /// `slave->duplex` (`DUPLEX_FULL` is 1).
    pub duplex: u8,
}

/// The slave's state flags as the machines set them; the kernel applies them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SlaveFlags {
    /// `bond_set_slave_state(BACKUP)` (cleared: `ACTIVE`).
    pub backup: bool,
    /// `slave->inactive`.
    pub inactive: bool,
    /// `slave->rx_disabled`.
    pub rx_disabled: bool,
}

/// The 802.3ad counters (`struct bond_3ad_stats`), per slave and per bond.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// `lacpdu_rx`.
    pub lacpdu_rx: u64,
    /// `lacpdu_tx`.
    pub lacpdu_tx: u64,
    /// `lacpdu_unknown_rx`.
    pub lacpdu_unknown_rx: u64,
    /// `lacpdu_illegal_rx`.
    pub lacpdu_illegal_rx: u64,
    /// `marker_rx`.
    pub marker_rx: u64,
    /// `marker_tx`.
    pub marker_tx: u64,
    /// `marker_resp_rx`.
    pub marker_resp_rx: u64,
    /// `marker_resp_tx`.
    pub marker_resp_tx: u64,
    /// `marker_unknown_rx`.
    pub marker_unknown_rx: u64,
}

/// Counter names for [`count`].
#[derive(Clone, Copy)]
enum Stat {
    LacpduRx,
    LacpduTx,
    LacpduUnknownRx,
    LacpduIllegalRx,
    MarkerRx,
    MarkerRespRx,
    MarkerRespTx,
    MarkerUnknownRx,
}

impl Stats {
    fn bump(&mut self, stat: Stat) {
        let c = match stat {
            Stat::LacpduRx => &mut self.lacpdu_rx,
            Stat::LacpduTx => &mut self.lacpdu_tx,
            Stat::LacpduUnknownRx => &mut self.lacpdu_unknown_rx,
            Stat::LacpduIllegalRx => &mut self.lacpdu_illegal_rx,
            Stat::MarkerRx => &mut self.marker_rx,
            Stat::MarkerRespRx => &mut self.marker_resp_rx,
            Stat::MarkerRespTx => &mut self.marker_resp_tx,
            Stat::MarkerUnknownRx => &mut self.marker_unknown_rx,
        };
        *c = c.wrapping_add(1);
    }
}

/// The churn machine's state (`churn_state_t`; the numbers are what
/// `/proc/net/bonding` maps through `bond_3ad_churn_desc()`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Churn {
    /// `AD_CHURN_MONITOR`.
    Monitor = 0,
    /// `AD_CHURN`.
    Churned = 1,
    /// `AD_NO_CHURN`.
    NoChurn = 2,
}

/// `rx_states_t` (`Dummy` is the zero state a new port starts in).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RxState {
    /// `AD_RX_DUMMY`.
    Dummy,
    /// `AD_RX_INITIALIZE`.
    Initialize,
    /// `AD_RX_PORT_DISABLED`.
    PortDisabled,
    /// `AD_RX_LACP_DISABLED`.
    LacpDisabled,
    /// `AD_RX_EXPIRED`.
    Expired,
    /// `AD_RX_DEFAULTED`.
    Defaulted,
    /// `AD_RX_CURRENT`.
    Current,
}

/// `periodic_states_t`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeriodicState {
    /// `AD_PERIODIC_DUMMY`.
    Dummy,
    /// `AD_NO_PERIODIC`.
    NoPeriodic,
    /// `AD_FAST_PERIODIC`.
    Fast,
    /// `AD_SLOW_PERIODIC`.
    Slow,
    /// `AD_PERIODIC_TX`.
    Tx,
}

/// `mux_states_t`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MuxState {
    /// `AD_MUX_DUMMY`.
    Dummy,
    /// `AD_MUX_DETACHED`.
    Detached,
    /// `AD_MUX_WAITING`.
    Waiting,
    /// `AD_MUX_ATTACHED`.
    Attached,
    /// `AD_MUX_COLLECTING`.
    Collecting,
    /// `AD_MUX_DISTRIBUTING`.
    Distributing,
    /// `AD_MUX_COLLECTING_DISTRIBUTING`.
    CollectingDistributing,
}

/// `struct port_params`: one side's identity as a port sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PortParams {
    /// `system_priority`.
    pub system_priority: u16,
    /// `system`.
    pub system: [u8; 6],
    /// `key`.
    pub key: u16,
    /// `port_priority`.
    pub port_priority: u16,
    /// `port_number`.
    pub port_number: u16,
    /// `port_state`.
    pub port_state: u16,
}

impl PortParams {
    /// `ad_initialize_port()`'s partner template.
    const DEFAULT_PARTNER: Self = Self {
        system_priority: 0xffff,
        system: [0; 6],
        key: 1,
        port_priority: 0xff,
        port_number: 1,
        port_state: 0,
    };

    const fn has(&self, bit: u8) -> bool {
        self.port_state & bit as u16 != 0
    }

    fn set(&mut self, bit: u8, on: bool) {
        if on {
            self.port_state |= bit as u16;
        } else {
            self.port_state &= !(bit as u16);
        }
    }
}

/// One side's information TLV of a LACPDU.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PduInfo {
    /// `*_system_priority`.
    pub system_priority: u16,
    /// `*_system`.
    pub system: [u8; 6],
    /// `*_key`.
    pub key: u16,
    /// `*_port_priority`.
    pub port_priority: u16,
    /// `*_port`.
    pub port: u16,
    /// `*_state`.
    pub state: u8,
}

impl PduInfo {
    fn read(b: &[u8; PDU_LEN], at: usize) -> Self {
        let be16 = |i: usize| u16::from_be_bytes([b[at + i], b[at + i + 1]]);
        let mut system = [0; 6];
        system.copy_from_slice(&b[at + 2..at + 8]);
        Self {
            system_priority: be16(0),
            system,
            key: be16(8),
            port_priority: be16(10),
            port: be16(12),
            state: b[at + 14],
        }
    }

    fn write(&self, b: &mut [u8; PDU_LEN], at: usize) {
        b[at..at + 2].copy_from_slice(&self.system_priority.to_be_bytes());
        b[at + 2..at + 8].copy_from_slice(&self.system);
        b[at + 8..at + 10].copy_from_slice(&self.key.to_be_bytes());
        b[at + 10..at + 12].copy_from_slice(&self.port_priority.to_be_bytes());
        b[at + 12..at + 14].copy_from_slice(&self.port.to_be_bytes());
        b[at + 14] = self.state;
    }
}

/// A LACPDU's fields the machines use (`struct lacpdu`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lacpdu {
    /// The actor information TLV.
    pub actor: PduInfo,
    /// The partner information TLV.
    pub partner: PduInfo,
}

/// Offsets in `struct lacpdu`.
const ACTOR_AT: usize = 4;
const PARTNER_AT: usize = 24;

/// `AD_TYPE_LACPDU` / `AD_TYPE_MARKER` (the first byte of both PDUs).
const SUBTYPE_LACPDU: u8 = 1;
const SUBTYPE_MARKER: u8 = 2;
/// `AD_MARKER_INFORMATION_SUBTYPE` / `AD_MARKER_RESPONSE_SUBTYPE` (the
/// marker's `tlv_type`, byte 2).
const MARKER_INFORMATION: u8 = 1;
const MARKER_RESPONSE: u8 = 2;

impl Lacpdu {
    /// Reads the information TLVs of a received PDU (C does not check the
    /// version, TLV types or lengths either).
    pub fn parse(b: &[u8; PDU_LEN]) -> Self {
        Self {
            actor: PduInfo::read(b, ACTOR_AT),
            partner: PduInfo::read(b, PARTNER_AT),
        }
    }

    /// The 110 bytes C sends: `ad_initialize_port()`'s template with these
    /// TLVs (collector max delay 0, every reserved byte 0).
    pub fn encode(&self) -> [u8; PDU_LEN] {
        let mut b = [0u8; PDU_LEN];
        b[0] = SUBTYPE_LACPDU;
        b[1] = 0x01;
        b[2] = 0x01;
        b[3] = 0x14;
        self.actor.write(&mut b, ACTOR_AT);
        b[22] = 0x02;
        b[23] = 0x14;
        self.partner.write(&mut b, PARTNER_AT);
        b[42] = 0x03;
        b[43] = 0x10;
        b
    }
}

/// A log line of the 802.3ad code. `Display` gives the text after C's
/// prefix: `slave_*()` lines (`member` given) read `bond0: (slave eth0): `
/// then the text; bond lines (`member` none) are printed by C as
/// `"%s: " text` with the bond's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg {
    /// `slave_err`: a LACPDU carrying our own system id.
    Loopback,
    /// `slave_err`: no free aggregator for the port.
    NoSuitableAggregator {
        /// `actor_port_number`.
        port: u16,
    },
    /// `slave_err` from `ad_update_actor_keys()`.
    SpeedZero {
        /// `actor_port_number`.
        port: u16,
    },
    /// `pr_err_once` from `__get_link_speed()`: C prints it once per boot;
    /// its text is `"%s: (slave %s): "`-prefixed like a slave line.
    UnknownSpeed {
        /// `slave->speed`.
        speed: u32,
        /// `actor_port_number`.
        port: u16,
    },
    /// `net_warn_ratelimited` bond line: the chosen aggregator has no partner.
    NoPartnerResponse,
    /// `slave_info` from `bond_3ad_unbind_slave()`.
    RemovingActiveAggregator,
    /// `slave_warn` from `bond_3ad_unbind_slave()`.
    NoNewAggregator,
    /// `net_warn_ratelimited`, slave-prefixed (`"%s: (slave %s): "`).
    PortNotOnList {
        /// `actor_port_number`.
        port: u16,
        /// `aggregator_identifier`.
        aggregator: u16,
    },
}

/// A log level of [`Msg`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// `KERN_ERR`.
    Err,
    /// `KERN_WARNING`.
    Warn,
    /// `KERN_INFO`.
    Info,
}

impl Msg {
    /// The level C prints it at.
    pub const fn level(self) -> Level {
        match self {
            Self::Loopback
            | Self::NoSuitableAggregator { .. }
            | Self::SpeedZero { .. }
            | Self::UnknownSpeed { .. } => Level::Err,
            Self::NoPartnerResponse | Self::NoNewAggregator | Self::PortNotOnList { .. } => {
                Level::Warn
            }
            Self::RemovingActiveAggregator => Level::Info,
        }
    }

    /// Whether C gates it with `net_ratelimit()`.
    pub const fn ratelimited(self) -> bool {
        matches!(self, Self::NoPartnerResponse | Self::PortNotOnList { .. })
    }

    /// Whether C prints it at most once per boot (`pr_err_once`).
    pub const fn once(self) -> bool {
        matches!(self, Self::UnknownSpeed { .. })
    }
}

impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Loopback => f.write_str(
                "An illegal loopback occurred on slave\nCheck the configuration to verify that all adapters are connected to 802.3ad compliant switch ports",
            ),
            Self::NoSuitableAggregator { port } => {
                write!(f, "Port {port} did not find a suitable aggregator")
            }
            Self::SpeedZero { port } => write!(f, "speed changed to 0 on port {port}"),
            Self::UnknownSpeed { speed, port } => write!(
                f,
                "unknown ethtool speed ({}) for port {port} (set it to 0)",
                speed as i32
            ),
            Self::NoPartnerResponse => f.write_str(
                "Warning: No 802.3ad response from the link partner for any adapters in the bond",
            ),
            Self::RemovingActiveAggregator => f.write_str("Removing an active aggregator"),
            Self::NoNewAggregator => f.write_str(
                "unbinding aggregator, and could not find a new aggregator for its ports",
            ),
            Self::PortNotOnList { port, aggregator } => write!(
                f,
                "Warning: Port {port} was related to aggregator {aggregator} but was not on its port list"
            ),
        }
    }
}

/// What the machines need from the kernel: sending on a member's slave
/// (`dev_queue_xmit()` of a frame from the slave's permanent address to
/// [`LACPDU_MCAST_ADDR`], ethertype [`ETH_P_SLOW`]) and logging.
pub trait Wire {
    /// `ad_lacpdu_send()` (priority `TC_PRIO_CONTROL`). Returns false when
    /// no skb could be allocated (C's `-ENOMEM`; nothing was counted).
    fn send_lacpdu(&mut self, member: usize, pdu: &[u8; PDU_LEN]) -> bool;
    /// `ad_marker_send()`. Returns false when no skb could be allocated.
    fn send_marker(&mut self, member: usize, marker: &[u8; PDU_LEN]) -> bool;
    /// A log line; `member` is the slave of a `slave_*()` line.
    fn log(&mut self, member: Option<usize>, msg: Msg);
}

/// What the kernel must do after a call.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Effects {
    /// `update_slave_arr`: rebuild the usable-slave array
    /// (`bond_slave_arr_work_rearm(bond, 0)` from the tick).
    pub update_slave_arr: bool,
    /// `bond_3ad_set_carrier()` ran: set the bond's carrier to
    /// [`carrier_wanted`].
    pub set_carrier: bool,
}

/// `struct aggregator`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Aggregator {
    id: u16,
    is_individual: bool,
    actor_oper_key: u16,
    partner_system: [u8; 6],
    partner_system_priority: u16,
    partner_oper_key: u16,
    /// The first port of the list (`lag_ports`), by port number.
    lag_ports: Option<u16>,
    is_active: bool,
    num_of_ports: u16,
}

impl Aggregator {
    const EMPTY: Self = Self {
        id: 0,
        is_individual: false,
        actor_oper_key: 0,
        partner_system: [0; 6],
        partner_system_priority: 0,
        partner_oper_key: 0,
        lag_ports: None,
        is_active: false,
        num_of_ports: 0,
    };

    /// `__agg_has_partner()`.
    fn has_partner(&self) -> bool {
        self.partner_system != [0; 6]
    }

    /// `ad_clear_agg()`: keeps the identity.
    fn clear(&mut self) {
        *self = Self {
            id: self.id,
            ..Self::EMPTY
        };
    }

    /// The parameters `bond_3ad_unbind_slave()` copies to a replacement.
    fn take_over(&mut self, from: &Self) {
        *self = Self {
            id: self.id,
            ..*from
        };
    }
}

/// `struct port` (the state machines' part).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Port {
    actor_port_number: u16,
    actor_port_priority: u16,
    actor_system: [u8; 6],
    actor_system_priority: u16,
    ntt: bool,
    actor_admin_port_key: u16,
    actor_oper_port_key: u16,
    actor_oper_port_state: u8,
    partner_admin: PortParams,
    partner_oper: PortParams,
    is_enabled: bool,
    sm_vars: u16,
    rx_state: RxState,
    rx_timer: u16,
    periodic_state: PeriodicState,
    periodic_timer: u16,
    mux_state: MuxState,
    mux_timer: u16,
    tx_timer: u16,
    churn_actor_timer: u16,
    churn_partner_timer: u16,
    churn_actor_count: u32,
    churn_partner_count: u32,
    churn_actor_state: Churn,
    churn_partner_state: Churn,
    /// `port->aggregator`, by aggregator id.
    aggregator: Option<u16>,
    /// `next_port_in_aggregator`, by port number.
    next_in_agg: Option<u16>,
}

impl Port {
    const fn actor_has(&self, bit: u8) -> bool {
        self.actor_oper_port_state & bit != 0
    }

    fn actor_set(&mut self, bit: u8, on: bool) {
        if on {
            self.actor_oper_port_state |= bit;
        } else {
            self.actor_oper_port_state &= !bit;
        }
    }

    const fn has(&self, v: u16) -> bool {
        self.sm_vars & v != 0
    }

    fn set(&mut self, v: u16, on: bool) {
        if on {
            self.sm_vars |= v;
        } else {
            self.sm_vars &= !v;
        }
    }

    /// `ad_initialize_port()`.
    fn initialized(cfg: &Config) -> Self {
        let mut oper = state::AGGREGATION;
        if cfg.lacp_active {
            oper |= state::LACP_ACTIVITY;
        }
        if cfg.lacp_fast {
            oper |= state::LACP_TIMEOUT;
        }
        Self {
            actor_port_number: 0,
            actor_port_priority: 0xff,
            actor_system: [0; 6],
            actor_system_priority: 0,
            ntt: false,
            actor_admin_port_key: 0,
            actor_oper_port_key: 0,
            actor_oper_port_state: oper,
            partner_admin: PortParams::DEFAULT_PARTNER,
            partner_oper: PortParams::DEFAULT_PARTNER,
            is_enabled: true,
            sm_vars: var::BEGIN | var::LACP_ENABLED,
            rx_state: RxState::Dummy,
            rx_timer: 0,
            periodic_state: PeriodicState::Dummy,
            periodic_timer: 0,
            mux_state: MuxState::Dummy,
            mux_timer: 0,
            tx_timer: 0,
            churn_actor_timer: 0,
            churn_partner_timer: 0,
            churn_actor_count: 0,
            churn_partner_count: 0,
            churn_actor_state: Churn::Monitor,
            churn_partner_state: Churn::Monitor,
            aggregator: None,
            next_in_agg: None,
        }
    }

    /// `__update_lacpdu_from_port()`: the PDU this port sends now.
    fn lacpdu(&self) -> Lacpdu {
        let p = &self.partner_oper;
        Lacpdu {
            actor: PduInfo {
                system_priority: self.actor_system_priority,
                system: self.actor_system,
                key: self.actor_oper_port_key,
                port_priority: self.actor_port_priority,
                port: self.actor_port_number,
                state: self.actor_oper_port_state,
            },
            partner: PduInfo {
                system_priority: p.system_priority,
                system: p.system,
                key: p.key,
                port_priority: p.port_priority,
                port: p.port_number,
                state: p.port_state as u8,
            },
        }
    }

    /// `__choose_matched()`.
    fn choose_matched(&mut self, pdu: &Lacpdu) {
        let partner = &pdu.partner;
        let matched = (partner.port == self.actor_port_number
            && partner.port_priority == self.actor_port_priority
            && partner.system == self.actor_system
            && partner.system_priority == self.actor_system_priority
            && partner.key == self.actor_oper_port_key
            && (partner.state & state::AGGREGATION)
                == (self.actor_oper_port_state & state::AGGREGATION))
            || pdu.actor.state & state::AGGREGATION == 0;
        self.set(var::MATCHED, matched);
    }

    /// `__record_pdu()`.
    fn record_pdu(&mut self, pdu: &Lacpdu) {
        self.choose_matched(pdu);
        let a = &pdu.actor;
        self.partner_oper = PortParams {
            system_priority: a.system_priority,
            system: a.system,
            key: a.key,
            port_priority: a.port_priority,
            port_number: a.port,
            port_state: a.state as u16,
        };
        self.actor_set(state::DEFAULTED, false);
        let sync = self.has(var::MATCHED) && a.state & state::SYNCHRONIZATION != 0;
        self.partner_oper.set(state::SYNCHRONIZATION, sync);
    }

    /// `__record_default()`.
    fn record_default(&mut self) {
        self.partner_oper = self.partner_admin;
        self.actor_set(state::DEFAULTED, true);
    }

    /// `__update_selected()`.
    fn update_selected(&mut self, pdu: &Lacpdu) {
        let (a, p) = (&pdu.actor, &self.partner_oper);
        if a.port != p.port_number
            || a.port_priority != p.port_priority
            || a.system != p.system
            || a.system_priority != p.system_priority
            || a.key != p.key
            || (a.state & state::AGGREGATION) as u16 != p.port_state & state::AGGREGATION as u16
        {
            self.set(var::SELECTED, false);
        }
    }

    /// `__update_default_selected()`.
    fn update_default_selected(&mut self) {
        let (a, o) = (&self.partner_admin, &self.partner_oper);
        if a.port_number != o.port_number
            || a.port_priority != o.port_priority
            || a.system != o.system
            || a.system_priority != o.system_priority
            || a.key != o.key
            || a.has(state::AGGREGATION) != o.has(state::AGGREGATION)
        {
            self.set(var::SELECTED, false);
        }
    }

    /// `__update_ntt()`.
    fn update_ntt(&mut self, pdu: &Lacpdu) {
        const BITS: u8 = state::LACP_ACTIVITY
            | state::LACP_TIMEOUT
            | state::SYNCHRONIZATION
            | state::AGGREGATION;
        let p = &pdu.partner;
        if p.port != self.actor_port_number
            || p.port_priority != self.actor_port_priority
            || p.system != self.actor_system
            || p.system_priority != self.actor_system_priority
            || p.key != self.actor_oper_port_key
            || (p.state & BITS) != (self.actor_oper_port_state & BITS)
        {
            self.ntt = true;
        }
    }
}

/// One slave's 802.3ad state (`struct ad_slave_info`) and the slave facts
/// the machines read and write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Member {
    /// Input: refreshed by the kernel before each call.
    pub slave: SlaveView,
    /// In and out: the kernel copies the slave's flags in before each call
    /// (the bond changes them too: link commits, `all_slaves_active`; C's
    /// machines read them live) and applies them after it.
    pub flags: SlaveFlags,
    /// `SLAVE_AD_INFO(slave)->stats`.
    pub stats: Stats,
    /// `SLAVE_AD_INFO(slave)->port_priority` (`actor_port_prio`).
    pub port_priority: u16,
    /// `SLAVE_AD_INFO(slave)->id`: the port number.
    id: u16,
    /// `port->slave != NULL`: bound and not yet unbound.
    bound: bool,
    port: Port,
    agg: Aggregator,
}

impl Member {
    /// A slave that is about to be bound (C's zeroed `ad_slave_info`).
    pub fn new(slave: SlaveView, cfg: &Config) -> Self {
        Self {
            slave,
            flags: SlaveFlags {
                backup: true,
                inactive: !cfg.all_slaves_active,
                rx_disabled: true,
            },
            stats: Stats::default(),
            port_priority: 0,
            id: 0,
            bound: false,
            port: Port::initialized(cfg),
            agg: Aggregator::EMPTY,
        }
    }

    /// `__enable_port()`: active, if the slave is up.
    fn enable(&mut self) {
        if self.slave.link_up && self.slave.dev_up {
            self.flags = SlaveFlags {
                backup: false,
                inactive: false,
                rx_disabled: false,
            };
        }
    }

    /// `__disable_port()` (`bond_set_slave_inactive_flags()`).
    fn disable(&mut self, cfg: &Config) {
        self.flags.backup = true;
        if !cfg.all_slaves_active {
            self.flags.inactive = true;
        }
        self.flags.rx_disabled = true;
    }

    /// `__enable_collecting_port()`.
    fn enable_collecting(&mut self) {
        if self.slave.link_up && self.slave.dev_up {
            self.flags.rx_disabled = false;
        }
    }

    /// The port number (`actor_port_number`, the slave's AD id).
    pub fn port_number(&self) -> u16 {
        self.port.actor_port_number
    }

    /// `port->aggregator`'s id (`ad_aggregator_id` of the slave's sysfs;
    /// `None`: no aggregator, C prints nothing there).
    pub fn aggregator_id(&self) -> Option<u16> {
        self.port.aggregator
    }

    /// `actor_oper_port_state`.
    pub fn actor_oper_port_state(&self) -> u8 {
        self.port.actor_oper_port_state
    }

    /// `partner_oper.port_state`.
    pub fn partner_oper_port_state(&self) -> u16 {
        self.port.partner_oper.port_state
    }

    /// The actor's side as `/proc/net/bonding` and netlink show it.
    pub fn actor_params(&self) -> PortParams {
        let p = &self.port;
        PortParams {
            system_priority: p.actor_system_priority,
            system: p.actor_system,
            key: p.actor_oper_port_key,
            port_priority: p.actor_port_priority,
            port_number: p.actor_port_number,
            port_state: p.actor_oper_port_state as u16,
        }
    }

    /// `port->partner_oper`.
    pub fn partner_params(&self) -> PortParams {
        self.port.partner_oper
    }

    /// The churn machines: actor state, partner state, actor count,
    /// partner count.
    pub fn churn(&self) -> (Churn, Churn, u32, u32) {
        let p = &self.port;
        (
            p.churn_actor_state,
            p.churn_partner_state,
            p.churn_actor_count,
            p.churn_partner_count,
        )
    }

    /// The mux machine's state.
    pub fn mux_state(&self) -> MuxState {
        self.port.mux_state
    }

    /// The receive machine's state.
    pub fn rx_state(&self) -> RxState {
        self.port.rx_state
    }
}

/// The bond's 802.3ad state (`struct ad_bond_info`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AdBond {
    /// `system.sys_priority`.
    pub sys_priority: u16,
    /// `system.sys_mac_addr`.
    pub sys_mac: [u8; 6],
    /// The bond's counters (kept when slaves go).
    pub stats: Stats,
    /// `agg_select_timer`, in ticks.
    agg_select_timer: u32,
    /// `aggregator_identifier`: the last id given.
    last_aggregator_id: u16,
}

impl AdBond {
    /// A bond that has had no slave yet.
    pub const fn new() -> Self {
        Self {
            sys_priority: 0,
            sys_mac: [0; 6],
            stats: Stats {
                lacpdu_rx: 0,
                lacpdu_tx: 0,
                lacpdu_unknown_rx: 0,
                lacpdu_illegal_rx: 0,
                marker_rx: 0,
                marker_tx: 0,
                marker_resp_rx: 0,
                marker_resp_tx: 0,
                marker_unknown_rx: 0,
            },
            agg_select_timer: 0,
            last_aggregator_id: 0,
        }
    }

    /// `agg_select_timer`, in ticks.
    pub fn agg_select_timer(&self) -> u32 {
        self.agg_select_timer
    }

    /// `bond_agg_timer_advance()`: true when the timer reaches 0 now.
    fn advance_agg_timer(&mut self) -> bool {
        if self.agg_select_timer == 0 {
            return false;
        }
        self.agg_select_timer -= 1;
        self.agg_select_timer == 0
    }

    /// The system id from the options (`ad_actor_system`, or the bond's
    /// address when that is zero).
    fn set_system(&mut self, cfg: &Config, bond_mac: &[u8; 6]) {
        self.sys_priority = cfg.actor_sys_prio;
        self.sys_mac = if cfg.actor_system == [0; 6] {
            *bond_mac
        } else {
            cfg.actor_system
        };
    }
}

impl Default for AdBond {
    fn default() -> Self {
        Self::new()
    }
}

/// Counts `stat` on the member and on the bond.
fn count(bond: &mut AdBond, m: &mut Member, stat: Stat) {
    m.stats.bump(stat);
    bond.stats.bump(stat);
}

/// `bond_3ad_initiate_agg_selection()`.
pub fn initiate_agg_selection(bond: &mut AdBond, ticks: u32) {
    bond.agg_select_timer = ticks;
}

/// `ad_link_speed_type` of a slave (`__get_link_speed()`): 0 when its link
/// is not up or its speed unknown.
fn link_speed<W: Wire>(m: &Member, idx: usize, w: &mut W) -> u16 {
    if !m.slave.link_up {
        return 0;
    }
    match m.slave.speed {
        10 => 2,
        100 => 3,
        1000 => 4,
        2500 => 5,
        5000 => 6,
        10000 => 7,
        14000 => 8,
        20000 => 9,
        25000 => 10,
        40000 => 11,
        50000 => 12,
        56000 => 13,
        100000 => 14,
        200000 => 15,
        400000 => 16,
        800000 => 17,
        speed => {
            if speed != u32::MAX {
                w.log(
                    Some(idx),
                    Msg::UnknownSpeed {
                        speed,
                        port: m.port.actor_port_number,
                    },
                );
            }
            0
        }
    }
}

/// The Mb/s of an `ad_link_speed_type` (`__get_agg_bandwidth()`'s table).
const fn speed_mbps(speed: u16) -> u32 {
    match speed {
        1 => 1,
        2 => 10,
        3 => 100,
        4 => 1000,
        5 => 2500,
        6 => 5000,
        7 => 10000,
        8 => 14000,
        9 => 20000,
        10 => 25000,
        11 => 40000,
        12 => 50000,
        13 => 56000,
        14 => 100000,
        15 => 200000,
        16 => 400000,
        17 => 800000,
        _ => 0,
    }
}

/// `__get_duplex()`: 1 for full duplex with the link up.
fn duplex(m: &Member) -> u16 {
    u16::from(m.slave.link_up && m.slave.duplex == 1)
}

/// `ad_update_actor_keys()`.
fn update_actor_keys<W: Wire>(m: &mut Member, idx: usize, reset: bool, w: &mut W) {
    let old_oper_key = m.port.actor_oper_port_key;
    let (mut speed, mut ospeed, mut dup) = (0, 0, 0);
    m.port.actor_admin_port_key &= !(SPEED_KEY_MASK | DUPLEX_KEY_MASK);
    if !reset {
        speed = link_speed(m, idx, w);
        ospeed = (old_oper_key & SPEED_KEY_MASK) >> 1;
        dup = duplex(m);
        m.port.actor_admin_port_key |= (speed << 1) | dup;
    }
    m.port.actor_oper_port_key = m.port.actor_admin_port_key;
    if old_oper_key != m.port.actor_oper_port_key {
        m.port.set(var::LACP_ENABLED, dup != 0);
        if !reset {
            if speed == 0 {
                w.log(
                    Some(idx),
                    Msg::SpeedZero {
                        port: m.port.actor_port_number,
                    },
                );
            } else if dup != 0 && ospeed != speed {
                m.port.set(var::BEGIN, true);
            }
        }
    }
}

/// The index of the member whose aggregator has this id.
fn agg_at(members: &[Member], id: u16) -> Option<usize> {
    members.iter().position(|m| m.agg.id == id)
}

/// The index of the member whose port has this number.
fn port_at(members: &[Member], number: u16) -> Option<usize> {
    members
        .iter()
        .position(|m| m.bound && m.port.actor_port_number == number)
}

/// The ports of aggregator `a` (`lag_ports` and its chain), as member
/// indices, first to last.
struct LagPorts<'a> {
    members: &'a [Member],
    next: Option<u16>,
    /// Steps left: a list has at most one entry per member, so a longer
    /// walk is a cycle (only possible if ids repeat) and stops.
    left: usize,
}

impl Iterator for LagPorts<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        self.left = self.left.checked_sub(1)?;
        let i = port_at(self.members, self.next?)?;
        self.next = self.members[i].port.next_in_agg;
        Some(i)
    }
}

fn lag_ports(members: &[Member], a: usize) -> LagPorts<'_> {
    LagPorts {
        members,
        next: members[a].agg.lag_ports,
        left: members.len(),
    }
}

/// Applies `f` to every port of aggregator `a`. The list is walked by
/// number, so `f` may change anything but the list itself.
fn for_each_lag_port(members: &mut [Member], a: usize, mut f: impl FnMut(&mut Member)) {
    let mut next = members[a].agg.lag_ports;
    for _ in 0..members.len() {
        let Some(i) = next.and_then(|n| port_at(members, n)) else {
            break;
        };
        f(&mut members[i]);
        next = members[i].port.next_in_agg;
    }
}

/// `__agg_ports_are_ready()`.
fn agg_ports_are_ready(members: &[Member], a: usize) -> bool {
    lag_ports(members, a).all(|i| members[i].port.has(var::READY_N))
}

/// `__set_agg_ports_ready(agg, __agg_ports_are_ready(agg))`.
fn refresh_agg_ready(members: &mut [Member], a: Option<usize>) {
    if let Some(a) = a {
        let ready = agg_ports_are_ready(members, a);
        for_each_lag_port(members, a, |m| m.port.set(var::READY, ready));
    }
}

/// `__agg_active_ports()`: the aggregator's enabled ports.
fn agg_active_ports(members: &[Member], a: usize) -> u32 {
    lag_ports(members, a)
        .filter(|&i| members[i].port.is_enabled)
        .count() as u32
}

/// `__get_agg_bandwidth()`.
fn agg_bandwidth<W: Wire>(members: &[Member], a: usize, w: &mut W) -> u32 {
    let n = agg_active_ports(members, a);
    match lag_ports(members, a).next() {
        Some(first) if n != 0 => n.wrapping_mul(speed_mbps(link_speed(&members[first], first, w))),
        _ => 0,
    }
}

/// `agg_device_up()`: a port of the aggregator is running with carrier.
fn agg_device_up(members: &[Member], a: usize) -> bool {
    lag_ports(members, a).any(|i| members[i].slave.dev_up)
}

/// `__get_active_agg()`: the first member (in list order) whose aggregator
/// is active.
fn active_agg(members: &[Member]) -> Option<usize> {
    members.iter().position(|m| m.agg.is_active)
}

/// `ad_agg_selection_test()`: whether `curr` is a better active aggregator
/// than `best`.
fn better<W: Wire>(members: &[Member], cfg: &Config, best: usize, curr: usize, w: &mut W) -> bool {
    let (b, c) = (&members[best].agg, &members[curr].agg);
    if b.is_individual != c.is_individual {
        return !c.is_individual;
    }
    if b.has_partner() != c.has_partner() {
        return c.has_partner();
    }
    if cfg.ad_select == AdSelect::Count {
        let (nc, nb) = (
            agg_active_ports(members, curr),
            agg_active_ports(members, best),
        );
        if nc != nb {
            return nc > nb;
        }
    }
    agg_bandwidth(members, curr, w) > agg_bandwidth(members, best, w)
}

/// `ad_agg_selection_logic()` (C calls it with the first aggregator; it
/// looks at all of them).
fn agg_selection<W: Wire>(members: &mut [Member], cfg: &Config, w: &mut W, fx: &mut Effects) {
    if members.is_empty() {
        return;
    }
    let active = active_agg(members);
    let mut best = active.filter(|&a| agg_device_up(members, a));
    for i in 0..members.len() {
        members[i].agg.is_active = false;
        if agg_active_ports(members, i) != 0 && agg_device_up(members, i) {
            best = match best {
                Some(b) if !better(members, cfg, b, i, w) => Some(b),
                _ => Some(i),
            };
        }
    }

    if let (Some(b), AdSelect::Stable) = (best, cfg.ad_select) {
        // Keep the old active aggregator while it has ports and a partner
        // (or when neither it nor the best one has one), unless it lost its
        // key and the best has one.
        if let Some(a) = active {
            let act = &members[a].agg;
            if act.lag_ports.is_some()
                && agg_active_ports(members, a) != 0
                && (act.has_partner() || !members[b].agg.has_partner())
                && !(act.actor_oper_key == 0 && members[b].agg.actor_oper_key != 0)
            {
                best = None;
                members[a].agg.is_active = true;
            }
        }
    }
    if best.is_some() && best == active {
        best = None;
        if let Some(a) = active {
            members[a].agg.is_active = true;
        }
    }

    if let Some(b) = best {
        if members[b].agg.is_individual {
            w.log(None, Msg::NoPartnerResponse);
        }
        members[b].agg.is_active = true;
        if let Some(a) = active {
            for_each_lag_port(members, a, |m| m.disable(cfg));
        }
        fx.update_slave_arr = true;
    }

    // An active aggregator of individual links (no partner) gets its ports
    // enabled here: nothing else would.
    if let Some(a) = active_agg(members) {
        if !members[a].agg.has_partner() {
            for_each_lag_port(members, a, Member::enable);
            fx.update_slave_arr = true;
        }
    }
    fx.set_carrier = true;
}

/// `bond_3ad_set_carrier()`'s decision: an active aggregator with at least
/// `min_links` enabled ports. `None` when the bond has no slaves (C then
/// leaves the carrier alone).
pub fn carrier_wanted(members: &[Member], min_links: u32) -> Option<bool> {
    if members.is_empty() {
        return None;
    }
    Some(active_agg(members).is_some_and(|a| agg_active_ports(members, a) >= min_links))
}

/// `__bond_3ad_get_active_agg_info()`: the aggregator of the first port (in
/// list order) whose aggregator is active.
pub fn active_agg_info(members: &[Member]) -> Option<AggInfo> {
    let a = members.iter().find_map(|m| {
        let a = agg_at(members, m.port.aggregator?)?;
        members[a].agg.is_active.then_some(a)
    })?;
    let agg = &members[a].agg;
    Some(AggInfo {
        aggregator_id: agg.id,
        ports: agg_active_ports(members, a) as u16,
        actor_key: agg.actor_oper_key,
        partner_key: agg.partner_oper_key,
        partner_system: agg.partner_system,
    })
}

/// `bond_3ad_initialize()` and `bond_3ad_bind_slave()` for `members[idx]`,
/// just pushed by [`Member::new`]; `bond_mac` is the bond's address.
pub fn bind<W: Wire>(
    bond: &mut AdBond,
    members: &mut [Member],
    idx: usize,
    cfg: &Config,
    bond_mac: &[u8; 6],
    w: &mut W,
) {
    // The new slave's id: 1 for the first, else the previous slave's + 1;
    // the first slave also (re)starts the bond's 802.3ad state.
    let id = if idx == 0 {
        bond.last_aggregator_id = 0;
        bond.set_system(cfg, bond_mac);
        bond.agg_select_timer = AGG_SELECTION_TICKS;
        1
    } else {
        members[idx - 1].id.wrapping_add(1)
    };
    let sys = (bond.sys_mac, bond.sys_priority);
    bond.last_aggregator_id = bond.last_aggregator_id.wrapping_add(1);
    let agg_id = bond.last_aggregator_id;

    let m = &mut members[idx];
    m.id = id;
    m.port = Port::initialized(cfg);
    m.port_priority = m.port.actor_port_priority;
    m.port.actor_port_number = id;
    m.port.actor_admin_port_key = cfg.user_port_key << 6;
    update_actor_keys(m, idx, false, w);
    m.port.actor_system = sys.0;
    m.port.actor_system_priority = sys.1;
    m.port.actor_port_priority = m.port_priority;
    m.port.tx_timer = TICKS_PER_SEC / MAX_TX_IN_SECOND;
    m.disable(cfg);
    m.agg = Aggregator {
        id: agg_id,
        ..Aggregator::EMPTY
    };
    m.bound = true;
}

/// Detaches `members[p]`'s port from the aggregator at `a`'s list. Returns
/// whether it was on the list.
fn unlink_port(members: &mut [Member], a: usize, p: usize) -> bool {
    let mut prev: Option<usize> = None;
    let mut next = members[a].agg.lag_ports;
    for _ in 0..members.len() {
        let Some(i) = next.and_then(|n| port_at(members, n)) else {
            break;
        };
        if i == p {
            let after = members[p].port.next_in_agg;
            match prev {
                None => members[a].agg.lag_ports = after,
                Some(q) => members[q].port.next_in_agg = after,
            }
            members[a].agg.num_of_ports = members[a].agg.num_of_ports.wrapping_sub(1);
            return true;
        }
        prev = Some(i);
        next = members[i].port.next_in_agg;
    }
    false
}

/// `bond_3ad_unbind_slave()`; the caller then sets the carrier if
/// [`Effects::set_carrier`] says so, evaluating [`carrier_wanted`] *before*
/// it removes `members[idx]` (C's `bond_3ad_set_carrier()` runs with the
/// slave still listed), then rebuilds the usable-slave array.
pub fn unbind<W: Wire>(
    bond: &mut AdBond,
    members: &mut [Member],
    idx: usize,
    cfg: &Config,
    w: &mut W,
) -> Effects {
    let mut fx = Effects::default();
    if !members[idx].bound {
        return fx;
    }
    // Tell the partner this port no longer aggregates.
    let m = &mut members[idx];
    for bit in [
        state::SYNCHRONIZATION,
        state::COLLECTING,
        state::DISTRIBUTING,
        state::AGGREGATION,
    ] {
        m.port.actor_set(bit, false);
    }
    send_lacpdu(bond, members, idx, w);

    let own = &members[idx].agg;
    let own_port = members[idx].port.actor_port_number;
    if own.lag_ports.is_some() {
        let only_us = own.lag_ports == Some(own_port) && members[idx].port.next_in_agg.is_none();
        if !only_us {
            // Other ports use this slave's aggregator: move them to an
            // empty one (or to one that has only this port).
            let free = (0..members.len()).find(|&i| {
                let agg = &members[i].agg;
                agg.lag_ports.is_none()
                    || (agg.lag_ports == Some(own_port) && members[idx].port.next_in_agg.is_none())
            });
            match free {
                Some(n) => {
                    let select_new =
                        members[n].agg.lag_ports == Some(own_port) && members[n].agg.is_active;
                    if select_new {
                        w.log(Some(idx), Msg::RemovingActiveAggregator);
                    }
                    let from = members[idx].agg;
                    members[n].agg.take_over(&from);
                    let new_id = members[n].agg.id;
                    for_each_lag_port(members, n, |m| m.port.aggregator = Some(new_id));
                    members[idx].agg.clear();
                    if select_new {
                        agg_selection(members, cfg, w, &mut fx);
                    }
                }
                None => w.log(Some(idx), Msg::NoNewAggregator),
            }
        } else {
            let was_active = members[idx].agg.is_active;
            members[idx].agg.clear();
            if was_active {
                w.log(Some(idx), Msg::RemovingActiveAggregator);
                agg_selection(members, cfg, w, &mut fx);
            }
        }
    }

    // Take the port off whichever aggregator lists it.
    for a in 0..members.len() {
        if unlink_port(members, a, idx) {
            if agg_active_ports(members, a) == 0 {
                let was_active = members[a].agg.is_active;
                if members[a].agg.num_of_ports == 0 {
                    members[a].agg.clear();
                }
                if was_active {
                    w.log(Some(idx), Msg::RemovingActiveAggregator);
                    agg_selection(members, cfg, w, &mut fx);
                }
            }
            break;
        }
    }
    members[idx].bound = false;
    fx
}

/// `__update_lacpdu_from_port()` and `ad_lacpdu_send()`. Returns whether an
/// skb was sent (C's `>= 0`).
fn send_lacpdu<W: Wire>(bond: &mut AdBond, members: &mut [Member], idx: usize, w: &mut W) -> bool {
    let pdu = members[idx].port.lacpdu().encode();
    if !w.send_lacpdu(idx, &pdu) {
        return false;
    }
    count(bond, &mut members[idx], Stat::LacpduTx);
    true
}

/// `ad_rx_machine()`; `pdu` is a received LACPDU or `None` on a tick.
fn rx_machine<W: Wire>(
    bond: &mut AdBond,
    m: &mut Member,
    idx: usize,
    pdu: Option<&Lacpdu>,
    w: &mut W,
) {
    let p = &mut m.port;
    let last = p.rx_state;
    if pdu.is_some() {
        count(bond, m, Stat::LacpduRx);
    }
    let p = &mut m.port;

    if p.has(var::BEGIN) {
        p.rx_state = RxState::Initialize;
        p.set(var::CHURNED, true);
    } else if !p.is_enabled {
        p.rx_state = RxState::PortDisabled;
    } else if pdu.is_some()
        && matches!(
            p.rx_state,
            RxState::Expired | RxState::Defaulted | RxState::Current
        )
    {
        if p.rx_state != RxState::Current {
            p.set(var::CHURNED, true);
        }
        p.rx_timer = 0;
        p.rx_state = RxState::Current;
    } else if p.rx_timer != 0 && {
        p.rx_timer -= 1;
        p.rx_timer == 0
    } {
        match p.rx_state {
            RxState::Expired => p.rx_state = RxState::Defaulted,
            RxState::Current => p.rx_state = RxState::Expired,
            _ => {}
        }
    } else if p.rx_state == RxState::PortDisabled && p.is_enabled {
        p.rx_state = if p.has(var::LACP_ENABLED) {
            RxState::Expired
        } else {
            RxState::LacpDisabled
        };
    }

    if p.rx_state == last && pdu.is_none() {
        return;
    }
    match p.rx_state {
        RxState::Initialize | RxState::PortDisabled => {
            if p.rx_state == RxState::Initialize {
                let lacp = p.actor_oper_port_key & DUPLEX_KEY_MASK != 0;
                p.set(var::LACP_ENABLED, lacp);
                p.set(var::SELECTED, false);
                p.record_default();
                p.actor_set(state::EXPIRED, false);
                p.rx_state = RxState::PortDisabled;
            }
            p.set(var::MATCHED, false);
            p.partner_oper.set(state::SYNCHRONIZATION, false);
        }
        RxState::LacpDisabled => {
            p.set(var::SELECTED, false);
            p.record_default();
            p.partner_oper.set(state::AGGREGATION, false);
            p.set(var::MATCHED, true);
            p.actor_set(state::EXPIRED, false);
        }
        RxState::Expired => {
            // 802.1AX-2014 figure 6-18: out of sync, short timeout.
            p.set(var::MATCHED, false);
            p.partner_oper.set(state::SYNCHRONIZATION, false);
            p.partner_oper.set(state::LACP_TIMEOUT, true);
            p.rx_timer = SHORT_TIMEOUT_TICKS;
            p.actor_set(state::EXPIRED, true);
            p.set(var::CHURNED, true);
        }
        RxState::Defaulted => {
            p.update_default_selected();
            p.record_default();
            p.set(var::MATCHED, true);
            p.actor_set(state::EXPIRED, false);
        }
        RxState::Current => {
            // C dereferences the PDU here; a timer cannot enter Current.
            let Some(pdu) = pdu else { return };
            if pdu.actor.system == p.actor_system {
                w.log(Some(idx), Msg::Loopback);
                return;
            }
            p.update_selected(pdu);
            p.update_ntt(pdu);
            p.record_pdu(pdu);
            p.rx_timer = if p.actor_has(state::LACP_TIMEOUT) {
                SHORT_TIMEOUT_TICKS
            } else {
                LONG_TIMEOUT_TICKS
            };
            p.actor_set(state::EXPIRED, false);
        }
        RxState::Dummy => {}
    }
}

/// `ad_periodic_machine()`.
fn periodic_machine(p: &mut Port) {
    let last = p.periodic_state;
    let partner_short = p.partner_oper.has(state::LACP_TIMEOUT);
    if p.has(var::BEGIN)
        || !p.has(var::LACP_ENABLED)
        || !p.is_enabled
        || (!p.actor_has(state::LACP_ACTIVITY) && !p.partner_oper.has(state::LACP_ACTIVITY))
    {
        p.periodic_state = PeriodicState::NoPeriodic;
    } else if p.periodic_timer != 0 {
        p.periodic_timer -= 1;
        if p.periodic_timer == 0 {
            p.periodic_state = PeriodicState::Tx;
        } else {
            match p.periodic_state {
                PeriodicState::Fast if !partner_short => p.periodic_state = PeriodicState::Slow,
                PeriodicState::Slow if partner_short => {
                    p.periodic_timer = 0;
                    p.periodic_state = PeriodicState::Tx;
                }
                _ => {}
            }
        }
    } else {
        match p.periodic_state {
            PeriodicState::NoPeriodic => p.periodic_state = PeriodicState::Fast,
            PeriodicState::Tx => {
                p.periodic_state = if partner_short {
                    PeriodicState::Fast
                } else {
                    PeriodicState::Slow
                }
            }
            _ => {}
        }
    }

    if p.periodic_state != last {
        match p.periodic_state {
            PeriodicState::NoPeriodic => p.periodic_timer = 0,
            // One tick less: the one spent in PERIODIC_TX.
            PeriodicState::Fast => p.periodic_timer = FAST_PERIODIC_TICKS - 1,
            PeriodicState::Slow => p.periodic_timer = SLOW_PERIODIC_TICKS - 1,
            PeriodicState::Tx => p.ntt = true,
            PeriodicState::Dummy => {}
        }
    }
}

/// `ad_port_selection_logic()`.
fn port_selection<W: Wire>(
    members: &mut [Member],
    idx: usize,
    cfg: &Config,
    w: &mut W,
    fx: &mut Effects,
) {
    if members[idx].port.has(var::SELECTED) {
        return;
    }
    // Leave the former aggregator.
    if let Some(old) = members[idx].port.aggregator {
        match agg_at(members, old) {
            Some(a) if unlink_port(members, a, idx) => {
                let p = &mut members[idx].port;
                p.aggregator = None;
                p.next_in_agg = None;
                if members[a].agg.lag_ports.is_none() {
                    members[a].agg.clear();
                }
            }
            _ => w.log(
                Some(idx),
                Msg::PortNotOnList {
                    port: members[idx].port.actor_port_number,
                    aggregator: old,
                },
            ),
        }
    }

    // An aggregator with the same keys and partner, or a free one.
    let p = members[idx].port;
    let mut free = None;
    let mut found = None;
    for (i, m) in members.iter().enumerate() {
        let agg = &m.agg;
        if agg.lag_ports.is_none() {
            free = free.or(Some(i));
            continue;
        }
        if agg.actor_oper_key == p.actor_oper_port_key
            && agg.partner_system == p.partner_oper.system
            && agg.partner_system_priority == p.partner_oper.system_priority
            && agg.partner_oper_key == p.partner_oper.key
            && agg.has_partner()
            && !agg.is_individual
        {
            found = Some(i);
            break;
        }
    }
    let a = match (found, free) {
        (Some(a), _) => {
            let agg = &mut members[a].agg;
            let head = agg.lag_ports.replace(p.actor_port_number);
            agg.num_of_ports = agg.num_of_ports.wrapping_add(1);
            let id = agg.id;
            let port = &mut members[idx].port;
            port.aggregator = Some(id);
            port.next_in_agg = head;
            port.set(var::SELECTED, true);
            a
        }
        (None, Some(a)) => {
            let agg = &mut members[a].agg;
            agg.is_individual = p.actor_oper_port_key & DUPLEX_KEY_MASK == 0;
            agg.actor_oper_key = p.actor_oper_port_key;
            agg.partner_system = p.partner_oper.system;
            agg.partner_system_priority = p.partner_oper.system_priority;
            agg.partner_oper_key = p.partner_oper.key;
            agg.lag_ports = Some(p.actor_port_number);
            agg.num_of_ports = agg.num_of_ports.wrapping_add(1);
            let id = agg.id;
            let port = &mut members[idx].port;
            port.aggregator = Some(id);
            port.next_in_agg = None;
            port.set(var::SELECTED, true);
            a
        }
        (None, None) => {
            w.log(
                Some(idx),
                Msg::NoSuitableAggregator {
                    port: p.actor_port_number,
                },
            );
            return;
        }
    };

    refresh_agg_ready(members, Some(a));
    agg_selection(members, cfg, w, fx);
    if !members[a].agg.is_active {
        members[idx].port.actor_set(state::SYNCHRONIZATION, false);
    }
}

/// The aggregator a member's port is attached to, by index.
fn port_agg(members: &[Member], idx: usize) -> Option<usize> {
    agg_at(members, members[idx].port.aggregator?)
}

/// `__port_move_to_attached_state()`.
fn move_to_attached(p: &mut Port) -> bool {
    if !p.has(var::SELECTED)
        || p.has(var::STANDBY)
        || !p.partner_oper.has(state::SYNCHRONIZATION)
        || !p.actor_has(state::SYNCHRONIZATION)
    {
        p.mux_state = MuxState::Attached;
    }
    p.mux_state == MuxState::Attached
}

/// `ad_mux_machine()`; `agg_timer_running` is `__check_agg_selection_timer()`.
fn mux_machine(
    members: &mut [Member],
    idx: usize,
    cfg: &Config,
    agg_timer_running: bool,
    fx: &mut Effects,
) {
    let a = port_agg(members, idx);
    let agg_active = a.is_some_and(|a| members[a].agg.is_active);
    let has_partner = a.is_some_and(|a| members[a].agg.has_partner());
    let last = members[idx].port.mux_state;

    if members[idx].port.has(var::BEGIN) {
        members[idx].port.mux_state = MuxState::Detached;
    } else {
        match last {
            MuxState::Detached => {
                let p = &mut members[idx].port;
                if p.has(var::SELECTED) || p.has(var::STANDBY) {
                    p.mux_state = MuxState::Waiting;
                }
            }
            MuxState::Waiting => {
                let p = &mut members[idx].port;
                if !p.has(var::SELECTED) {
                    p.set(var::READY_N, false);
                    refresh_agg_ready(members, a);
                    members[idx].port.mux_state = MuxState::Detached;
                } else {
                    if p.mux_timer != 0 {
                        p.mux_timer -= 1;
                        if p.mux_timer == 0 {
                            p.set(var::READY_N, true);
                        }
                    }
                    refresh_agg_ready(members, a);
                    let p = &mut members[idx].port;
                    if p.has(var::READY) && p.mux_timer == 0 {
                        p.mux_state = MuxState::Attached;
                    }
                }
            }
            MuxState::Attached => {
                let p = &mut members[idx].port;
                if p.has(var::SELECTED)
                    && p.partner_oper.has(state::SYNCHRONIZATION)
                    && !agg_timer_running
                {
                    if agg_active {
                        p.mux_state = if cfg.coupled_control {
                            MuxState::CollectingDistributing
                        } else {
                            MuxState::Collecting
                        };
                    }
                } else if !p.has(var::SELECTED) || p.has(var::STANDBY) {
                    p.set(var::READY_N, false);
                    refresh_agg_ready(members, a);
                    members[idx].port.mux_state = MuxState::Detached;
                } else if agg_active {
                    p.actor_set(state::SYNCHRONIZATION, true);
                }
            }
            MuxState::CollectingDistributing => {
                let m = &mut members[idx];
                if !move_to_attached(&mut m.port) && agg_active && m.flags.backup {
                    m.enable();
                    fx.update_slave_arr = true;
                }
            }
            MuxState::Collecting => {
                let m = &mut members[idx];
                if !move_to_attached(&mut m.port) {
                    let p = &mut m.port;
                    if p.has(var::SELECTED)
                        && p.partner_oper.has(state::SYNCHRONIZATION)
                        && p.partner_oper.has(state::COLLECTING)
                    {
                        p.mux_state = MuxState::Distributing;
                    } else if agg_active && m.flags.rx_disabled {
                        // ad_enable_collecting(): the aggregator is active.
                        m.enable_collecting();
                        fx.update_slave_arr = true;
                    }
                }
            }
            MuxState::Distributing => {
                let m = &mut members[idx];
                let p = &mut m.port;
                if !p.has(var::SELECTED)
                    || p.has(var::STANDBY)
                    || !p.partner_oper.has(state::COLLECTING)
                    || !p.partner_oper.has(state::SYNCHRONIZATION)
                    || !p.actor_has(state::SYNCHRONIZATION)
                {
                    p.mux_state = MuxState::Collecting;
                } else if agg_active && m.flags.backup {
                    m.enable();
                    fx.update_slave_arr = true;
                }
            }
            MuxState::Dummy => {}
        }
    }

    let m = &mut members[idx];
    if m.port.mux_state == last {
        return;
    }
    // ad_disable_collecting_distributing() / ad_disable_distributing():
    // only in an aggregator with a partner.
    let disable_all = |m: &mut Member, fx: &mut Effects| {
        if has_partner {
            m.disable(cfg);
            fx.update_slave_arr = true;
        }
    };
    // ad_enable_collecting_distributing(): only in the active aggregator.
    let enable_all = |m: &mut Member, fx: &mut Effects| {
        if agg_active {
            m.enable();
            fx.update_slave_arr = true;
        }
    };
    let p = &mut m.port;
    match p.mux_state {
        MuxState::Detached => {
            p.actor_set(state::SYNCHRONIZATION, false);
            disable_all(m, fx);
            let p = &mut m.port;
            p.actor_set(state::COLLECTING, false);
            p.actor_set(state::DISTRIBUTING, false);
            p.ntt = true;
        }
        MuxState::Waiting => p.mux_timer = AGGREGATE_WAIT_TICKS,
        MuxState::Attached => {
            p.actor_set(state::SYNCHRONIZATION, agg_active);
            p.actor_set(state::COLLECTING, false);
            p.actor_set(state::DISTRIBUTING, false);
            disable_all(m, fx);
            m.port.ntt = true;
        }
        MuxState::CollectingDistributing => {
            p.actor_set(state::COLLECTING, true);
            p.actor_set(state::DISTRIBUTING, true);
            p.actor_set(state::SYNCHRONIZATION, true);
            enable_all(m, fx);
            m.port.ntt = true;
        }
        MuxState::Collecting => {
            p.actor_set(state::COLLECTING, true);
            p.actor_set(state::DISTRIBUTING, false);
            p.actor_set(state::SYNCHRONIZATION, true);
            if agg_active {
                m.enable_collecting();
            }
            if has_partner {
                m.flags.backup = true;
                fx.update_slave_arr = true;
            }
            m.port.ntt = true;
        }
        MuxState::Distributing => {
            p.actor_set(state::DISTRIBUTING, true);
            p.actor_set(state::SYNCHRONIZATION, true);
            enable_all(m, fx);
        }
        MuxState::Dummy => {}
    }
}

/// `ad_tx_machine()`: at most [`MAX_TX_IN_SECOND`] LACPDUs a second.
fn tx_machine<W: Wire>(bond: &mut AdBond, members: &mut [Member], idx: usize, w: &mut W) {
    let p = &mut members[idx].port;
    if p.tx_timer == 0 {
        return;
    }
    p.tx_timer -= 1;
    if p.tx_timer != 0 {
        return;
    }
    if p.ntt && p.has(var::LACP_ENABLED) && send_lacpdu(bond, members, idx, w) {
        members[idx].port.ntt = false;
    }
    members[idx].port.tx_timer = TICKS_PER_SEC / MAX_TX_IN_SECOND;
}

/// `ad_churn_machine()`.
fn churn_machine(p: &mut Port) {
    if p.has(var::CHURNED) {
        p.set(var::CHURNED, false);
        p.churn_actor_state = Churn::Monitor;
        p.churn_partner_state = Churn::Monitor;
        p.churn_actor_timer = CHURN_DETECTION_TICKS;
        p.churn_partner_timer = CHURN_DETECTION_TICKS;
        return;
    }
    if p.churn_actor_timer != 0 {
        p.churn_actor_timer -= 1;
        if p.churn_actor_timer == 0 && p.churn_actor_state == Churn::Monitor {
            if p.actor_has(state::SYNCHRONIZATION) {
                p.churn_actor_state = Churn::NoChurn;
            } else {
                p.churn_actor_count = p.churn_actor_count.wrapping_add(1);
                p.churn_actor_state = Churn::Churned;
            }
        }
    }
    if p.churn_partner_timer != 0 {
        p.churn_partner_timer -= 1;
        if p.churn_partner_timer == 0 && p.churn_partner_state == Churn::Monitor {
            if p.partner_oper.has(state::SYNCHRONIZATION) {
                p.churn_partner_state = Churn::NoChurn;
            } else {
                p.churn_partner_count = p.churn_partner_count.wrapping_add(1);
                p.churn_partner_state = Churn::Churned;
            }
        }
    }
}

/// `bond_3ad_state_machine_handler()`: one 100 ms tick.
pub fn tick<W: Wire>(
    bond: &mut AdBond,
    members: &mut [Member],
    cfg: &Config,
    w: &mut W,
) -> Effects {
    let mut fx = Effects::default();
    if members.is_empty() {
        return fx;
    }
    if bond.advance_agg_timer() {
        agg_selection(members, cfg, w, &mut fx);
        fx.set_carrier = true;
    }
    for idx in 0..members.len() {
        let m = &mut members[idx];
        rx_machine(bond, m, idx, None, w);
        periodic_machine(&mut members[idx].port);
        port_selection(members, idx, cfg, w, &mut fx);
        let agg_timer_running = bond.agg_select_timer != 0;
        mux_machine(members, idx, cfg, agg_timer_running, &mut fx);
        tx_machine(bond, members, idx, w);
        let p = &mut members[idx].port;
        churn_machine(p);
        p.set(var::BEGIN, false);
    }
    fx
}

/// What [`receive`] did with a frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// `RX_HANDLER_CONSUMED`: a LACPDU or marker; free the frame.
    Consumed,
    /// `RX_HANDLER_ANOTHER`: not ours; deliver it.
    Another,
}

/// `bond_3ad_lacpdu_recv()` after its ethertype and destination checks (the
/// frame is [`ETH_P_SLOW`] to [`LACPDU_MCAST_ADDR`]): `pdu` is the first
/// [`PDU_LEN`] bytes after the Ethernet header, `None` when the frame is
/// shorter (counted as illegal).
pub fn receive<W: Wire>(
    bond: &mut AdBond,
    members: &mut [Member],
    idx: usize,
    pdu: Option<&[u8; PDU_LEN]>,
    w: &mut W,
) -> Verdict {
    let Some(pdu) = pdu else {
        count(bond, &mut members[idx], Stat::LacpduIllegalRx);
        return Verdict::Another;
    };
    if !members[idx].bound {
        return Verdict::Another;
    }
    match pdu[0] {
        SUBTYPE_LACPDU => {
            rx_machine(bond, &mut members[idx], idx, Some(&Lacpdu::parse(pdu)), w);
            Verdict::Consumed
        }
        SUBTYPE_MARKER => {
            match pdu[2] {
                MARKER_INFORMATION => {
                    count(bond, &mut members[idx], Stat::MarkerRx);
                    let mut response = *pdu;
                    response[2] = MARKER_RESPONSE;
                    if w.send_marker(idx, &response) {
                        count(bond, &mut members[idx], Stat::MarkerRespTx);
                    }
                }
                MARKER_RESPONSE => count(bond, &mut members[idx], Stat::MarkerRespRx),
                _ => count(bond, &mut members[idx], Stat::MarkerUnknownRx),
            }
            Verdict::Consumed
        }
        _ => {
            count(bond, &mut members[idx], Stat::LacpduUnknownRx);
            Verdict::Another
        }
    }
}

/// `bond_3ad_handle_link_change()` for `members[idx]`; the caller then
/// rebuilds the usable-slave array (C does, under RTNL) and sets the
/// carrier as [`Effects::set_carrier`] says.
pub fn link_changed<W: Wire>(
    members: &mut [Member],
    idx: usize,
    up: bool,
    cfg: &Config,
    w: &mut W,
) -> Effects {
    let mut fx = Effects::default();
    if !members[idx].bound {
        return fx;
    }
    members[idx].port.is_enabled = up;
    update_actor_keys(&mut members[idx], idx, !up, w);
    agg_selection(members, cfg, w, &mut fx);
    fx.update_slave_arr = true;
    fx
}

/// `bond_3ad_adapter_speed_duplex_changed()`.
pub fn speed_duplex_changed<W: Wire>(members: &mut [Member], idx: usize, w: &mut W) {
    if members[idx].bound {
        update_actor_keys(&mut members[idx], idx, false, w);
    }
}

/// `bond_3ad_update_lacp_rate()`.
pub fn update_lacp_rate(members: &mut [Member], fast: bool) {
    for m in members {
        m.port.actor_set(state::LACP_TIMEOUT, fast);
    }
}

/// `bond_3ad_update_lacp_active()`.
pub fn update_lacp_active(members: &mut [Member], active: bool) {
    for m in members {
        m.port.actor_set(state::LACP_ACTIVITY, active);
    }
}

/// `bond_3ad_update_ad_actor_settings()`: the system id and every port's
/// actor identity (and `actor_port_prio`) from the options; each port then
/// sends.
pub fn update_actor_settings(
    bond: &mut AdBond,
    members: &mut [Member],
    cfg: &Config,
    bond_mac: &[u8; 6],
) {
    bond.set_system(cfg, bond_mac);
    for m in members {
        m.port.actor_system = bond.sys_mac;
        m.port.actor_system_priority = bond.sys_priority;
        m.port.actor_port_priority = m.port_priority;
        m.port.ntt = true;
    }
}

/// Whether the member's slave belongs in the usable-slave array's 802.3ad
/// part (`bond_update_slave_arr()`): its port is in the active aggregator
/// `active` (from [`active_agg_info`]).
pub fn in_aggregator(m: &Member, active: &AggInfo) -> bool {
    m.port.aggregator == Some(active.aggregator_id)
}

#[cfg(test)]
mod tests;
