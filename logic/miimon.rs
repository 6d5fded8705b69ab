// SPDX-License-Identifier: GPL-2.0

//! The MII link monitor's per-slave state machine (`miimon`).
//!
//! C version: `bond_main.c`: `bond_miimon_inspect()`, `bond_miimon_commit()`,
//! `bond_mii_monitor()`, `bond_should_notify_peers()`, the `BOND_LINK_BACK`
//! branch of `bond_change_active_slave()`, `bond_slave_link_status()`; and
//! `bond_propose_link_state()`, `bond_commit_link_state()`,
//! `bond_set_slave_link_state()`, `bond_slave_link_notify()` of
//! [`include/net/bonding.h`](srctree/include/net/bonding.h).
//!
//! # How the kernel side drives it
//!
//! The kernel keeps one [`SlaveLink`] per slave (C's `slave->link`,
//! `link_new_state`, `delay`, `link_failure_count`, `should_notify_link`).
//! Each miimon tick (`bond_mii_monitor()`):
//!
//! 1. under RCU, [`ignore_updelay`] gives the start value, then for each slave
//!    in list order [`Inspector::inspect`] with the slave's link sense
//!    (`bond_check_dev_link()`, not modelled here); log what it returns, each
//!    line gated by `net_ratelimit()` ([`Msg::ratelimited`]);
//! 2. if [`Inspector::commit`] is non-zero, under RTNL: [`SlaveLink::commit_state`]
//!    with `notify = false` (`BOND_SLAVE_NOTIFY_LATER`) for every slave, then for
//!    each slave [`commit_action`] and [`commit_up`] / [`commit_down`]; if any of
//!    them asks for a failover, `bond_select_active_slave()` (see `select.rs`);
//!    then `bond_set_carrier()`.
//!
//! Delays are in miimon ticks, as C stores them (`params.updelay` etc. are
//! `ms / miimon`); log lines show `ticks * miimon` ms.
//!
//! # Log lines
//!
//! Every [`Msg`] is printed by C with `slave_info()` / `slave_warn()`, i.e.
//! `netdev_info(bond_dev, "(slave %s): " fmt, slave_dev->name, ...)`, so the
//! full line reads `bond0: (slave eth0): link status definitely up, 1000 Mbps
//! full duplex`. [`Msg`]'s `Display` gives the `fmt` part only (no prefix, no
//! trailing newline); [`Msg::level`] says which of the two macros.
//!
//! Not modelled: the `slave_dbg()` / `slave_err()` lines of
//! `bond_miimon_commit()` for the `BOND_LINK_FAIL`/`BACK` and invalid
//! `link_new_state` cases (debug only, or impossible with a Rust enum), and the
//! 802.3ad re-check of speed/duplex for unchanged slaves
//! (`bond_3ad_adapter_speed_duplex_changed()`), which is mode code.

#![forbid(unsafe_code)]

use super::mode::Mode;
use core::fmt;

/// A slave's link state (`BOND_LINK_*` of `if_bonding.h`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(i8)]
pub enum Link {
    /// `BOND_LINK_UP`: link is up and running.
    Up = 0,
    /// `BOND_LINK_FAIL`: link has just gone down (counting `downdelay`).
    Fail = 1,
    /// `BOND_LINK_DOWN`: link has been down for too long.
    Down = 2,
    /// `BOND_LINK_BACK`: link is going back (counting `updelay`).
    Back = 3,
}

impl Link {
    /// The `BOND_LINK_*` number (an `s8` in `struct slave`).
    pub const fn value(self) -> i8 {
        self as i8
    }

    /// The state with this `BOND_LINK_*` number (`BOND_LINK_NOCHANGE`, -1, is `None`).
    pub const fn from_value(value: i8) -> Option<Self> {
        Some(match value {
            0 => Self::Up,
            1 => Self::Fail,
            2 => Self::Down,
            3 => Self::Back,
            _ => return None,
        })
    }

    /// `bond_slave_link_status()`: `up`, `going down`, `down`, `going back`
    /// (`/proc/net/bonding`, the slave's `mii_status` sysfs file).
    pub const fn status(self) -> &'static str {
        match self {
            Self::Up => "up",
            Self::Fail => "going down",
            Self::Down => "down",
            Self::Back => "going back",
        }
    }
}

/// The link part of one slave's `struct slave`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SlaveLink {
    /// `link`.
    pub link: Link,
    /// `link_new_state`; `None` is `BOND_LINK_NOCHANGE`.
    pub new_state: Option<Link>,
    /// `delay`: the ticks left of `downdelay` (in `Fail`) or `updelay` (in `Back`).
    pub delay: i32,
    /// `link_failure_count`.
    pub link_failure_count: u32,
    /// `should_notify_link`: a deferred link notification is pending.
    pub should_notify_link: bool,
}

impl SlaveLink {
    /// A slave whose link is `link`, nothing proposed, no delay, no failures.
    pub const fn new(link: Link) -> Self {
        Self {
            link,
            new_state: None,
            delay: 0,
            link_failure_count: 0,
            should_notify_link: false,
        }
    }

    /// `bond_propose_link_state()`: `None` is `BOND_LINK_NOCHANGE`.
    pub fn propose(&mut self, state: Option<Link>) {
        self.new_state = state;
    }

    /// `bond_commit_link_state()`: applies the proposed state. Returns `true`
    /// when the caller must notify now (`bond_queue_slave_event()` and
    /// `bond_lower_state_changed()`): `notify` (`BOND_SLAVE_NOTIFY_NOW`) and a
    /// state was proposed. With `notify == false` it toggles
    /// `should_notify_link` as C does.
    pub fn commit_state(&mut self, notify: bool) -> bool {
        let Some(state) = self.new_state else {
            return false;
        };
        self.link = state;
        if notify {
            self.should_notify_link = false;
            true
        } else {
            self.should_notify_link = !self.should_notify_link;
            false
        }
    }

    /// `bond_set_slave_link_state()`: propose `state`, then commit it. Returns
    /// what [`commit_state`](Self::commit_state) returns.
    pub fn set_state(&mut self, state: Link, notify: bool) -> bool {
        self.propose(Some(state));
        self.commit_state(notify)
    }

    /// One slave's part of `bond_slave_link_notify()`: `true` (and the flag
    /// cleared) when a deferred notification is pending and the caller must
    /// send it now.
    pub fn take_notify(&mut self) -> bool {
        core::mem::replace(&mut self.should_notify_link, false)
    }
}

/// The bond parameters the monitor reads (`bond->params`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MiiParams {
    /// `miimon`, in ms.
    pub miimon: i32,
    /// `updelay`, in ticks.
    pub updelay: i32,
    /// `downdelay`, in ticks.
    pub downdelay: i32,
}

/// What a slave is in active-backup mode, for the `%s` of "link status down
/// for %sinterface" (`bond_is_active_slave()`, i.e. `!slave->backup`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AbRole {
    /// The bond is not in active-backup mode: the `%s` is empty.
    NotAb,
    /// Active-backup, the slave's `backup` flag is clear: `"active "`.
    Active,
    /// Active-backup, the slave's `backup` flag is set: `"backup "`.
    Backup,
}

impl AbRole {
    /// The role from the bond mode and the slave's `backup` flag.
    pub const fn new(mode: Mode, backup: bool) -> Self {
        match (mode, backup) {
            (Mode::ActiveBackup, false) => Self::Active,
            (Mode::ActiveBackup, true) => Self::Backup,
            _ => Self::NotAb,
        }
    }

    const fn text(self) -> &'static str {
        match self {
            Self::NotAb => "",
            Self::Active => "active ",
            Self::Backup => "backup ",
        }
    }
}

/// The printk level of a [`Msg`]: which `slave_*()` macro C uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// `slave_info()` (`KERN_INFO`).
    Info,
    /// `slave_warn()` (`KERN_WARNING`).
    Warn,
}

/// A log line of the link monitor (see the module docs for the prefix).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg {
    /// `bond_miimon_inspect()`, UP and the link is lost with a `downdelay`:
    /// `link status down for %sinterface, disabling it in %d ms`.
    DownFor {
        /// `active `, `backup ` or nothing.
        role: AbRole,
        /// `downdelay * miimon`.
        ms: i32,
    },
    /// `bond_miimon_inspect()`, the link came back during `downdelay`:
    /// `link status up again after %d ms`. C also sets `slave->last_link_up
    /// = jiffies` at this point: the caller does that when it gets this.
    UpAgain {
        /// `(downdelay - delay) * miimon`.
        ms: i32,
    },
    /// `bond_miimon_inspect()`, DOWN and the link came back, with an `updelay`:
    /// `link status up, enabling it in %d ms`.
    UpIn {
        /// `updelay * miimon`, or 0 when `ignore_updelay`.
        ms: i32,
    },
    /// `bond_miimon_inspect()`, the link was lost again during `updelay`:
    /// `link status down again after %d ms`.
    DownAgain {
        /// `(updelay - delay) * miimon`.
        ms: i32,
    },
    /// `bond_miimon_commit()`: `link status definitely up, %u Mbps %s duplex`.
    DefinitelyUp {
        /// `slave->speed` (`SPEED_UNKNOWN` is printed as 0).
        speed: u32,
        /// `slave->duplex` (0 prints `half`, anything else `full`, even
        /// `DUPLEX_UNKNOWN`).
        duplex: u8,
    },
    /// `bond_miimon_commit()` (and the AB ARP monitor's commit):
    /// `link status definitely down, disabling slave`.
    DefinitelyDown,
    /// `bond_miimon_commit()`, a warning: `failed to get link speed/duplex`.
    SpeedDuplexFailed,
    /// `bond_change_active_slave()` on a slave in `BACK`:
    /// `making interface the new active one %d ms earlier`.
    NewActiveEarlier {
        /// `(updelay - delay) * miimon`.
        ms: i32,
    },
    /// `bond_change_active_slave()`: `making interface the new active one`.
    NewActive,
}

impl Msg {
    /// The `slave_*()` macro C prints it with.
    pub const fn level(&self) -> Level {
        match self {
            Self::SpeedDuplexFailed => Level::Warn,
            _ => Level::Info,
        }
    }

    /// Whether C prints it only if `net_ratelimit()` allows.
    pub const fn ratelimited(&self) -> bool {
        matches!(
            self,
            Self::DownFor { .. }
                | Self::UpAgain { .. }
                | Self::UpIn { .. }
                | Self::DownAgain { .. }
                | Self::SpeedDuplexFailed
        )
    }
}

/// `SPEED_UNKNOWN` of `include/uapi/linux/ethtool.h` (-1 in a `u32`).
pub const SPEED_UNKNOWN: u32 = u32::MAX;
/// `DUPLEX_HALF`.
pub const DUPLEX_HALF: u8 = 0;
/// `DUPLEX_FULL`.
pub const DUPLEX_FULL: u8 = 1;
/// `DUPLEX_UNKNOWN`.
pub const DUPLEX_UNKNOWN: u8 = 0xff;

impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::DownFor { role, ms } => write!(
                f,
                "link status down for {}interface, disabling it in {} ms",
                role.text(),
                ms
            ),
            Self::UpAgain { ms } => write!(f, "link status up again after {ms} ms"),
            Self::UpIn { ms } => write!(f, "link status up, enabling it in {ms} ms"),
            Self::DownAgain { ms } => write!(f, "link status down again after {ms} ms"),
            Self::DefinitelyUp { speed, duplex } => write!(
                f,
                "link status definitely up, {} Mbps {} duplex",
                if speed == SPEED_UNKNOWN { 0 } else { speed },
                if duplex != 0 { "full" } else { "half" }
            ),
            Self::DefinitelyDown => f.write_str("link status definitely down, disabling slave"),
            Self::SpeedDuplexFailed => f.write_str("failed to get link speed/duplex"),
            Self::NewActiveEarlier { ms } => {
                write!(f, "making interface the new active one {ms} ms earlier")
            }
            Self::NewActive => f.write_str("making interface the new active one"),
        }
    }
}

/// The start value of `ignore_updelay` in `bond_miimon_inspect()`.
///
/// In active-backup: true when there is no `curr_active_slave`. In the other
/// modes: true when the `usable_slaves` array exists and is empty;
/// `usable_count` is `None` when `bond->usable_slaves` is NULL (balance-rr and
/// broadcast never have one; 802.3ad loses it when there is no active
/// aggregator).
pub const fn ignore_updelay(
    mode: Mode,
    has_curr_active: bool,
    usable_count: Option<usize>,
) -> bool {
    match mode {
        Mode::ActiveBackup => !has_curr_active,
        _ => matches!(usable_count, Some(0)),
    }
}

/// One pass of `bond_miimon_inspect()` over the slaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Inspector {
    ignore_updelay: bool,
    commit: u32,
}

impl Inspector {
    /// Starts a pass; `ignore_updelay` comes from [`ignore_updelay`].
    pub const fn new(ignore_updelay: bool) -> Self {
        Self {
            ignore_updelay,
            commit: 0,
        }
    }

    /// The current `ignore_updelay`: C clears it once a slave has been
    /// proposed `UP` from `BACK`, so only the first such slave skips its updelay.
    pub const fn ignoring_updelay(&self) -> bool {
        self.ignore_updelay
    }

    /// The `commit` count: non-zero means `bond_miimon_commit()` must run.
    pub const fn commit(&self) -> u32 {
        self.commit
    }

    /// One slave of the loop: `link_ok` is `bond_check_dev_link()` (non-zero
    /// means up), `role` the slave's [`AbRole`]. Updates `slave.new_state`
    /// and `slave.delay`; returns the line to log (if `net_ratelimit()` allows).
    pub fn inspect(
        &mut self,
        params: &MiiParams,
        slave: &mut SlaveLink,
        link_ok: bool,
        role: AbRole,
    ) -> Option<Msg> {
        slave.propose(None);
        let miimon = params.miimon;
        let mut msg = None;
        match slave.link {
            Link::Up | Link::Fail => {
                if slave.link == Link::Up {
                    if link_ok {
                        return None;
                    }
                    slave.propose(Some(Link::Fail));
                    self.commit += 1;
                    slave.delay = params.downdelay;
                    if slave.delay != 0 {
                        msg = Some(Msg::DownFor {
                            role,
                            ms: params.downdelay.wrapping_mul(miimon),
                        });
                    }
                }
                // case BOND_LINK_FAIL (fallthrough)
                if link_ok {
                    // recovered before downdelay expired
                    slave.propose(Some(Link::Up));
                    self.commit += 1;
                    return Some(Msg::UpAgain {
                        ms: params
                            .downdelay
                            .wrapping_sub(slave.delay)
                            .wrapping_mul(miimon),
                    });
                }
                if slave.delay <= 0 {
                    slave.propose(Some(Link::Down));
                    self.commit += 1;
                    return msg;
                }
                slave.delay -= 1;
            }
            Link::Down | Link::Back => {
                if slave.link == Link::Down {
                    if !link_ok {
                        return None;
                    }
                    slave.propose(Some(Link::Back));
                    self.commit += 1;
                    slave.delay = params.updelay;
                    if slave.delay != 0 {
                        msg = Some(Msg::UpIn {
                            ms: if self.ignore_updelay {
                                0
                            } else {
                                params.updelay.wrapping_mul(miimon)
                            },
                        });
                    }
                }
                // case BOND_LINK_BACK (fallthrough)
                if !link_ok {
                    slave.propose(Some(Link::Down));
                    self.commit += 1;
                    return Some(Msg::DownAgain {
                        ms: params
                            .updelay
                            .wrapping_sub(slave.delay)
                            .wrapping_mul(miimon),
                    });
                }
                if self.ignore_updelay {
                    slave.delay = 0;
                }
                if slave.delay <= 0 {
                    slave.propose(Some(Link::Up));
                    self.commit += 1;
                    self.ignore_updelay = false;
                    return msg;
                }
                slave.delay -= 1;
            }
        }
        msg
    }
}

/// What `bond_miimon_commit()` does with one slave, from its `link_new_state`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Commit {
    /// `BOND_LINK_NOCHANGE`, `FAIL` or `BACK`: nothing (in 802.3ad C re-checks
    /// the speed/duplex of an `UP` slave here: mode code).
    Nothing,
    /// `BOND_LINK_UP`: the caller runs `bond_update_speed_duplex()`, then [`commit_up`].
    Up,
    /// `BOND_LINK_DOWN`: [`commit_down`].
    Down,
}

/// The case of `bond_miimon_commit()`'s switch for this slave.
pub const fn commit_action(slave: &SlaveLink) -> Commit {
    match slave.new_state {
        Some(Link::Up) => Commit::Up,
        Some(Link::Down) => Commit::Down,
        _ => Commit::Nothing,
    }
}

/// What [`commit_up`] needs from the kernel side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UpInput {
    /// The bond mode.
    pub mode: Mode,
    /// `bond_update_speed_duplex()` failed (returned non-zero).
    pub speed_duplex_failed: bool,
    /// `slave->speed` after `bond_update_speed_duplex()`.
    pub speed: u32,
    /// `slave->duplex` after `bond_update_speed_duplex()`.
    pub duplex: u8,
    /// The slave is `bond->primary_slave`.
    pub is_primary: bool,
    /// `slave->prio`.
    pub prio: i32,
    /// `curr_active_slave->prio`, `None` when there is no active slave.
    pub active_prio: Option<i32>,
}

/// The result of [`commit_up`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpOutcome {
    /// Speed/duplex unknown in a mode that needs them: C set `slave->link =
    /// BOND_LINK_DOWN` (done) and nothing else; log [`Msg::SpeedDuplexFailed`]
    /// (`net_ratelimit()`).
    Failed,
    /// The slave is up (link set to `Up`). The caller, in C's order: notify
    /// now (`bond_queue_slave_event()`, `bond_lower_state_changed()`), set
    /// `last_link_up`, apply `backup`, log [`Msg::DefinitelyUp`], run the
    /// mode's link-change hook (`bond_miimon_link_change()`), and if
    /// `failover`, select a new active slave after the loop.
    Up {
        /// `Some(true)`: `bond_set_backup_slave()` (802.3ad);
        /// `Some(false)`: `bond_set_active_slave()` (modes other than
        /// active-backup); `None`: leave the flag (active-backup).
        backup: Option<bool>,
        /// The `do_failover` condition: no active slave, or this slave is the
        /// primary, or its `prio` is higher than the active slave's.
        failover: bool,
    },
}

/// The `BOND_LINK_UP` case of `bond_miimon_commit()`.
pub fn commit_up(slave: &mut SlaveLink, input: &UpInput) -> (UpOutcome, Msg) {
    if input.speed_duplex_failed && input.mode.needs_speed_duplex() {
        slave.link = Link::Down;
        return (UpOutcome::Failed, Msg::SpeedDuplexFailed);
    }
    slave.set_state(Link::Up, true);
    let backup = match input.mode {
        Mode::Ieee8023ad => Some(true),
        Mode::ActiveBackup => None,
        _ => Some(false),
    };
    let failover = match input.active_prio {
        None => true,
        Some(active_prio) => input.is_primary || input.prio > active_prio,
    };
    (
        UpOutcome::Up { backup, failover },
        Msg::DefinitelyUp {
            speed: input.speed,
            duplex: input.duplex,
        },
    )
}

/// The result of [`commit_down`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DownOutcome {
    /// `bond_set_slave_inactive_flags(slave, BOND_SLAVE_NOTIFY_NOW)`
    /// (active-backup and 802.3ad).
    pub set_inactive: bool,
    /// The slave was the active one: select a new one after the loop.
    pub failover: bool,
}

/// The `BOND_LINK_DOWN` case of `bond_miimon_commit()`: counts the failure
/// (saturating at `UINT_MAX`) and sets the link `Down`. The caller, in C's
/// order: notify now, apply `set_inactive`, log the returned
/// [`Msg::DefinitelyDown`], run the mode's link-change hook, then `failover`.
pub fn commit_down(slave: &mut SlaveLink, mode: Mode, is_curr_active: bool) -> (DownOutcome, Msg) {
    slave.link_failure_count = slave.link_failure_count.saturating_add(1);
    slave.set_state(Link::Down, true);
    (
        DownOutcome {
            set_inactive: matches!(mode, Mode::ActiveBackup | Mode::Ieee8023ad),
            failover: is_curr_active,
        },
        Msg::DefinitelyDown,
    )
}

/// The link part of `bond_change_active_slave()` for the new active slave.
///
/// A slave in `BACK` is made `UP` at once (`delay = 0`, link set with
/// `BOND_SLAVE_NOTIFY_NOW`: the caller notifies, then runs the 802.3ad / ALB
/// link-change hooks); `uses_primary` is `bond_uses_primary()`, which gates
/// the log line. Returns `(was_back, line to log)`.
pub fn promote_new_active(
    slave: &mut SlaveLink,
    params: &MiiParams,
    uses_primary: bool,
) -> (bool, Option<Msg>) {
    if slave.link == Link::Back {
        let msg = uses_primary.then_some(Msg::NewActiveEarlier {
            ms: params
                .updelay
                .wrapping_sub(slave.delay)
                .wrapping_mul(params.miimon),
        });
        slave.delay = 0;
        slave.set_state(Link::Up, true);
        (true, msg)
    } else {
        (false, uses_primary.then_some(Msg::NewActive))
    }
}

/// `bond_should_notify_peers()`: whether to send `NETDEV_NOTIFY_PEERS` now.
///
/// `send_peer_notif` is `bond->send_peer_notif`; `peer_notif_delay` in ticks;
/// `has_active`: there is a `curr_active_slave`; `carrier_ok`: the bond's
/// carrier; `linkwatch_pending`: `__LINK_STATE_LINKWATCH_PENDING` of the
/// active slave's device.
pub const fn should_notify_peers(
    send_peer_notif: u32,
    peer_notif_delay: i32,
    has_active: bool,
    carrier_ok: bool,
    linkwatch_pending: bool,
) -> bool {
    has_active
        && send_peer_notif != 0
        && send_peer_notif % peer_notif_period(peer_notif_delay) == 0
        && carrier_ok
        && !linkwatch_pending
}

/// `max(1, peer_notif_delay)` as the `u32` C's `%` converts it to.
const fn peer_notif_period(peer_notif_delay: i32) -> u32 {
    if peer_notif_delay < 1 {
        1
    } else {
        peer_notif_delay as u32
    }
}

/// The `send_peer_notif` that `bond_change_active_slave()` arms on failover
/// in active-backup: `num_peer_notif * max(1, peer_notif_delay)`.
pub const fn peer_notif_count(num_peer_notif: u8, peer_notif_delay: i32) -> u32 {
    (num_peer_notif as u32).wrapping_mul(peer_notif_period(peer_notif_delay))
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::fmt::Write;

    type Buf = super::super::testbuf::Buf<128>;

    fn eq(m: Msg, s: &str) {
        let mut b = Buf::new();
        write!(b, "{m}").unwrap();
        assert_eq!(b.as_str(), s);
    }

    const P: MiiParams = MiiParams {
        miimon: 100,
        updelay: 2,
        downdelay: 3,
    };

    /// One tick for one slave: inspect, then (if needed) the commit phase as
    /// bond_mii_monitor() runs it.
    fn tick(
        p: &MiiParams,
        s: &mut SlaveLink,
        ok: bool,
        ignore: bool,
    ) -> (Option<Msg>, Option<Msg>) {
        let mut ins = Inspector::new(ignore);
        let m1 = ins.inspect(p, s, ok, AbRole::NotAb);
        let mut m2 = None;
        if ins.commit() != 0 {
            s.commit_state(false);
            match commit_action(s) {
                Commit::Up => {
                    let input = UpInput {
                        mode: Mode::Xor,
                        speed_duplex_failed: false,
                        speed: 1000,
                        duplex: DUPLEX_FULL,
                        is_primary: false,
                        prio: 0,
                        active_prio: Some(0),
                    };
                    m2 = Some(commit_up(s, &input).1);
                }
                Commit::Down => m2 = Some(commit_down(s, Mode::Xor, false).1),
                Commit::Nothing => {}
            }
        }
        (m1, m2)
    }

    #[test]
    fn texts() {
        eq(
            Msg::DownFor {
                role: AbRole::Active,
                ms: 200,
            },
            "link status down for active interface, disabling it in 200 ms",
        );
        eq(
            Msg::DownFor {
                role: AbRole::NotAb,
                ms: 200,
            },
            "link status down for interface, disabling it in 200 ms",
        );
        eq(
            Msg::DownFor {
                role: AbRole::Backup,
                ms: 5,
            },
            "link status down for backup interface, disabling it in 5 ms",
        );
        eq(
            Msg::UpAgain { ms: 100 },
            "link status up again after 100 ms",
        );
        eq(Msg::UpIn { ms: 0 }, "link status up, enabling it in 0 ms");
        eq(
            Msg::DownAgain { ms: 300 },
            "link status down again after 300 ms",
        );
        eq(
            Msg::DefinitelyUp {
                speed: SPEED_UNKNOWN,
                duplex: DUPLEX_UNKNOWN,
            },
            "link status definitely up, 0 Mbps full duplex",
        );
        eq(
            Msg::DefinitelyUp {
                speed: 10000,
                duplex: DUPLEX_HALF,
            },
            "link status definitely up, 10000 Mbps half duplex",
        );
        eq(
            Msg::DefinitelyDown,
            "link status definitely down, disabling slave",
        );
        eq(Msg::SpeedDuplexFailed, "failed to get link speed/duplex");
        eq(
            Msg::NewActiveEarlier { ms: 100 },
            "making interface the new active one 100 ms earlier",
        );
        eq(Msg::NewActive, "making interface the new active one");
        assert_eq!(Msg::SpeedDuplexFailed.level(), Level::Warn);
        assert_eq!(Msg::NewActive.level(), Level::Info);
        assert!(!Msg::DefinitelyDown.ratelimited());
        assert!(Msg::UpAgain { ms: 0 }.ratelimited());
        assert_eq!(Link::Back.status(), "going back");
        assert_eq!(Link::Fail.status(), "going down");
        assert_eq!(Link::from_value(-1), None);
    }

    #[test]
    fn no_delays() {
        let p = MiiParams {
            miimon: 100,
            updelay: 0,
            downdelay: 0,
        };
        let mut s = SlaveLink::new(Link::Up);
        assert_eq!(tick(&p, &mut s, true, false), (None, None));
        // Link lost: UP -> FAIL -> (delay 0) DOWN in the same inspect.
        assert_eq!(
            tick(&p, &mut s, false, false),
            (None, Some(Msg::DefinitelyDown))
        );
        assert_eq!(s.link, Link::Down);
        assert_eq!(s.link_failure_count, 1);
        assert_eq!(tick(&p, &mut s, false, false), (None, None));
        let up = Msg::DefinitelyUp {
            speed: 1000,
            duplex: 1,
        };
        assert_eq!(tick(&p, &mut s, true, false), (None, Some(up)));
        assert_eq!(s.link, Link::Up);
    }

    #[test]
    fn downdelay_sequence() {
        let mut s = SlaveLink::new(Link::Up);
        // Tick 1: lost; delay = 3, message, then FAIL with delay 2.
        let (m, c) = tick(&P, &mut s, false, false);
        assert_eq!(
            m,
            Some(Msg::DownFor {
                role: AbRole::NotAb,
                ms: 300
            })
        );
        assert_eq!(c, None);
        assert_eq!((s.link, s.delay), (Link::Fail, 2));
        // Ticks 2, 3: counting down.
        assert_eq!(tick(&P, &mut s, false, false), (None, None));
        assert_eq!(tick(&P, &mut s, false, false), (None, None));
        assert_eq!((s.link, s.delay), (Link::Fail, 0));
        assert_eq!(s.new_state, None);
        // Tick 4: delay <= 0 -> DOWN.
        assert_eq!(
            tick(&P, &mut s, false, false),
            (None, Some(Msg::DefinitelyDown))
        );
        assert_eq!(s.link, Link::Down);
        assert_eq!(s.link_failure_count, 1);
    }

    #[test]
    fn flap_during_downdelay() {
        let mut s = SlaveLink::new(Link::Up);
        tick(&P, &mut s, false, false);
        tick(&P, &mut s, false, false);
        assert_eq!(s.delay, 1);
        // Back up: (downdelay - delay) * miimon = (3 - 1) * 100.
        let (m, c) = tick(&P, &mut s, true, false);
        assert_eq!(m, Some(Msg::UpAgain { ms: 200 }));
        assert_eq!(
            c,
            Some(Msg::DefinitelyUp {
                speed: 1000,
                duplex: 1
            })
        );
        assert_eq!(s.link, Link::Up);
        assert_eq!(s.link_failure_count, 0);
    }

    #[test]
    fn updelay_sequence_and_flap() {
        let mut s = SlaveLink::new(Link::Down);
        // Up: BACK, delay = 2, message, then delay-- = 1.
        let (m, _) = tick(&P, &mut s, true, false);
        assert_eq!(m, Some(Msg::UpIn { ms: 200 }));
        assert_eq!((s.link, s.delay), (Link::Back, 1));
        // Lost again: (updelay - delay) * miimon = (2 - 1) * 100.
        let (m, c) = tick(&P, &mut s, false, false);
        assert_eq!(m, Some(Msg::DownAgain { ms: 100 }));
        // BACK -> DOWN goes through the commit's DOWN case, as in C: it
        // counts a failure and logs "definitely down".
        assert_eq!(c, Some(Msg::DefinitelyDown));
        assert_eq!(s.link, Link::Down);
        assert_eq!(s.link_failure_count, 1);
        // Up again and stays: 2 -> 1 -> 0 -> UP on the third tick.
        assert_eq!(tick(&P, &mut s, true, false).0, Some(Msg::UpIn { ms: 200 }));
        assert_eq!(tick(&P, &mut s, true, false), (None, None));
        assert_eq!((s.link, s.delay), (Link::Back, 0));
        let (m, c) = tick(&P, &mut s, true, false);
        assert_eq!(m, None);
        assert!(matches!(c, Some(Msg::DefinitelyUp { .. })));
        assert_eq!(s.link, Link::Up);
    }

    #[test]
    fn down_from_back_counts_in_commit() {
        // The BACK -> DOWN proposal goes through commit's DOWN case, which
        // counts a failure and logs "definitely down" (as C does).
        let mut s = SlaveLink::new(Link::Down);
        let mut ins = Inspector::new(false);
        ins.inspect(&P, &mut s, true, AbRole::NotAb);
        s.commit_state(false);
        assert_eq!(commit_action(&s), Commit::Nothing);
        let mut ins = Inspector::new(false);
        assert_eq!(
            ins.inspect(&P, &mut s, false, AbRole::NotAb),
            Some(Msg::DownAgain { ms: 100 })
        );
        s.commit_state(false);
        assert_eq!(commit_action(&s), Commit::Down);
        commit_down(&mut s, Mode::Xor, false);
        assert_eq!(s.link_failure_count, 1);
    }

    #[test]
    fn ignore_updelay_first_slave_only() {
        assert!(ignore_updelay(Mode::ActiveBackup, false, Some(3)));
        assert!(!ignore_updelay(Mode::ActiveBackup, true, Some(0)));
        assert!(ignore_updelay(Mode::Xor, true, Some(0)));
        assert!(!ignore_updelay(Mode::Xor, false, Some(1)));
        assert!(!ignore_updelay(Mode::RoundRobin, false, None));

        let mut a = SlaveLink::new(Link::Down);
        let mut b = SlaveLink::new(Link::Down);
        let mut ins = Inspector::new(true);
        // First slave: message says 0 ms, promoted at once.
        assert_eq!(
            ins.inspect(&P, &mut a, true, AbRole::Backup),
            Some(Msg::UpIn { ms: 0 })
        );
        assert_eq!(a.new_state, Some(Link::Up));
        assert_eq!(a.delay, 0);
        assert!(!ins.ignoring_updelay());
        // Second slave in the same pass: the normal updelay.
        assert_eq!(
            ins.inspect(&P, &mut b, true, AbRole::Backup),
            Some(Msg::UpIn { ms: 200 })
        );
        assert_eq!(b.new_state, Some(Link::Back));
        assert_eq!(b.delay, 1);
        // DOWN -> BACK and BACK -> UP both count, as in C.
        assert_eq!(ins.commit(), 3);
    }

    #[test]
    fn ignore_updelay_without_updelay_prints_nothing() {
        let p = MiiParams {
            miimon: 100,
            updelay: 0,
            downdelay: 0,
        };
        let mut a = SlaveLink::new(Link::Down);
        let mut ins = Inspector::new(true);
        assert_eq!(ins.inspect(&p, &mut a, true, AbRole::NotAb), None);
        assert_eq!(a.new_state, Some(Link::Up));
    }

    #[test]
    fn commit_up_variants() {
        let mut s = SlaveLink::new(Link::Back);
        s.new_state = Some(Link::Up);
        let mut input = UpInput {
            mode: Mode::Tlb,
            speed_duplex_failed: true,
            speed: SPEED_UNKNOWN,
            duplex: DUPLEX_UNKNOWN,
            is_primary: false,
            prio: 0,
            active_prio: Some(0),
        };
        assert_eq!(
            commit_up(&mut s, &input),
            (UpOutcome::Failed, Msg::SpeedDuplexFailed)
        );
        assert_eq!(s.link, Link::Down);
        // Active-backup does not need speed/duplex.
        input.mode = Mode::ActiveBackup;
        let (o, _) = commit_up(&mut s, &input);
        assert_eq!(
            o,
            UpOutcome::Up {
                backup: None,
                failover: false
            }
        );
        assert_eq!(s.link, Link::Up);
        input.prio = 1;
        assert!(matches!(
            commit_up(&mut s, &input).0,
            UpOutcome::Up { failover: true, .. }
        ));
        input.prio = 0;
        input.is_primary = true;
        assert!(matches!(
            commit_up(&mut s, &input).0,
            UpOutcome::Up { failover: true, .. }
        ));
        input.is_primary = false;
        input.active_prio = None;
        assert!(matches!(
            commit_up(&mut s, &input).0,
            UpOutcome::Up { failover: true, .. }
        ));
        input.speed_duplex_failed = false;
        input.mode = Mode::Ieee8023ad;
        assert!(matches!(
            commit_up(&mut s, &input).0,
            UpOutcome::Up {
                backup: Some(true),
                ..
            }
        ));
        input.mode = Mode::RoundRobin;
        assert!(matches!(
            commit_up(&mut s, &input).0,
            UpOutcome::Up {
                backup: Some(false),
                ..
            }
        ));
    }

    #[test]
    fn commit_down_variants() {
        let mut s = SlaveLink::new(Link::Fail);
        s.link_failure_count = u32::MAX;
        let (o, m) = commit_down(&mut s, Mode::ActiveBackup, true);
        assert_eq!(
            o,
            DownOutcome {
                set_inactive: true,
                failover: true
            }
        );
        assert_eq!(m, Msg::DefinitelyDown);
        assert_eq!(s.link_failure_count, u32::MAX);
        assert!(!commit_down(&mut s, Mode::Broadcast, false).0.set_inactive);
    }

    #[test]
    fn commit_state_notify_toggle() {
        let mut s = SlaveLink::new(Link::Up);
        assert!(!s.commit_state(true));
        s.propose(Some(Link::Fail));
        assert!(!s.commit_state(false));
        assert!(s.should_notify_link);
        assert_eq!(s.link, Link::Fail);
        // A second deferred commit toggles the flag back (C's behaviour).
        assert!(!s.commit_state(false));
        assert!(!s.should_notify_link);
        assert!(!s.commit_state(false));
        assert!(s.take_notify());
        assert!(!s.take_notify());
        assert!(s.set_state(Link::Down, true));
        assert!(!s.should_notify_link);
    }

    #[test]
    fn promote() {
        let mut s = SlaveLink::new(Link::Back);
        s.delay = 1;
        assert_eq!(
            promote_new_active(&mut s, &P, true),
            (true, Some(Msg::NewActiveEarlier { ms: 100 }))
        );
        assert_eq!((s.link, s.delay), (Link::Up, 0));
        assert_eq!(
            promote_new_active(&mut s, &P, true),
            (false, Some(Msg::NewActive))
        );
        assert_eq!(promote_new_active(&mut s, &P, false), (false, None));
    }

    #[test]
    fn peers() {
        assert_eq!(peer_notif_count(1, 0), 1);
        assert_eq!(peer_notif_count(3, 5), 15);
        assert!(should_notify_peers(15, 5, true, true, false));
        assert!(!should_notify_peers(14, 5, true, true, false));
        assert!(should_notify_peers(14, 0, true, true, false));
        assert!(!should_notify_peers(0, 0, true, true, false));
        assert!(!should_notify_peers(1, 0, false, true, false));
        assert!(!should_notify_peers(1, 0, true, false, false));
        assert!(!should_notify_peers(1, 0, true, true, true));
    }
}
