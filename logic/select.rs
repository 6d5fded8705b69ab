// SPDX-License-Identifier: GPL-2.0

//! Slave selection: the active slave of active-backup (and TLB/ALB), the
//! balance-rr slave id, and the balance-xor / 802.3ad pick from the usable
//! slave array.
//!
//! C version: `bond_main.c`: `bond_choose_primary_or_current()`,
//! `bond_find_best_slave()`, `bond_select_active_slave()`,
//! `bond_rr_gen_slave_id()`, `bond_xmit_roundrobin_slave_get()`,
//! `bond_get_slave_by_id()`, `bond_update_slave_arr()`,
//! `bond_xmit_3ad_xor_slave_get()`; `bond_slave_can_tx()` of
//! [`include/net/bonding.h`](srctree/include/net/bonding.h);
//! `reciprocal_value()` of `lib/math/reciprocal_div.c` and
//! `reciprocal_divide()` of
//! [`include/linux/reciprocal_div.h`](srctree/include/linux/reciprocal_div.h).
//!
//! Slaves are named by their index in the bond's slave list
//! (`bond_for_each_slave()` order); the kernel side maps indices back.
//!
//! (6.12 has no `bond_should_change_active()`: its role is played by
//! `bond_choose_primary_or_current()`.)

#![forbid(unsafe_code)]

use super::miimon::Link;
use core::fmt;

// ---------------------------------------------------------------------------
// Active slave (active-backup, balance-tlb, balance-alb)
// ---------------------------------------------------------------------------

/// `primary_reselect` (`BOND_PRI_RESELECT_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum PrimaryReselect {
    /// `always`: the primary becomes active whenever it comes back (default).
    Always = 0,
    /// `better`: only if its speed (then duplex) is better than the active's.
    Better = 1,
    /// `failure`: only if the active slave fails.
    Failure = 2,
}

impl PrimaryReselect {
    /// The value with this number.
    pub const fn from_value(value: u64) -> Option<Self> {
        Some(match value {
            0 => Self::Always,
            1 => Self::Better,
            2 => Self::Failure,
            _ => return None,
        })
    }
}

/// What the active-slave choice reads of one slave.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// `slave->link`.
    pub link: Link,
    /// `bond_slave_is_up()`: `netif_running() && netif_carrier_ok()` of the slave.
    pub is_up: bool,
    /// `slave->prio`.
    pub prio: i32,
    /// `slave->speed` (`SPEED_UNKNOWN` is `u32::MAX` and compares as the fastest, as in C).
    pub speed: u32,
    /// `slave->duplex`.
    pub duplex: u8,
    /// `slave->delay` (ticks of `updelay` left in `BACK`).
    pub delay: i32,
}

/// The bond state the active-slave choice reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ActiveState {
    /// Index of `bond->primary_slave`.
    pub primary: Option<usize>,
    /// Index of `bond->curr_active_slave`.
    pub curr_active: Option<usize>,
    /// `params.primary_reselect`.
    pub primary_reselect: PrimaryReselect,
    /// `params.updelay`, in ticks.
    pub updelay: i32,
}

/// `bond_choose_primary_or_current()`.
///
/// Without a primary that is `UP`: the first `UP` slave with the highest
/// `prio` stands in for the primary if it is not the current slave, else the
/// current slave if `UP`, else `None`. With an `UP` primary and
/// `*force_primary` set: the primary (and the flag is cleared). Otherwise, if
/// the current slave is not `UP`, the primary; if both are `UP`,
/// `primary_reselect` decides.
pub fn choose_primary_or_current(
    slaves: &[Candidate],
    st: &ActiveState,
    force_primary: &mut bool,
) -> Option<usize> {
    let is_up = |i: Option<usize>| {
        i.and_then(|i| slaves.get(i))
            .is_some_and(|s| s.link == Link::Up)
    };
    let curr = st.curr_active;
    let prim = match st.primary {
        Some(p) if is_up(Some(p)) => {
            if *force_primary {
                *force_primary = false;
                return Some(p);
            }
            p
        }
        _ => {
            let mut hprio: Option<usize> = None;
            for (i, s) in slaves.iter().enumerate() {
                if s.link != Link::Up {
                    continue;
                }
                match hprio {
                    Some(h) if s.prio <= slaves[h].prio => {}
                    _ => hprio = Some(i),
                }
            }
            match hprio {
                Some(h) if Some(h) != curr => h,
                _ => return if is_up(curr) { curr } else { None },
            }
        }
    };
    // link_reselect:
    let Some(c) = curr.filter(|_| is_up(curr)) else {
        return Some(prim);
    };
    match st.primary_reselect {
        PrimaryReselect::Always => Some(prim),
        PrimaryReselect::Better => {
            let (p, cs) = (&slaves[prim], &slaves[c]);
            if p.speed < cs.speed || (p.speed == cs.speed && p.duplex <= cs.duplex) {
                Some(c)
            } else {
                Some(prim)
            }
        }
        PrimaryReselect::Failure => Some(c),
    }
}

/// `bond_find_best_slave()`: [`choose_primary_or_current`], else the first
/// `UP` slave, else the `BACK` slave that is up (`bond_slave_is_up()`) with
/// the least `delay` below `updelay` (the first of equals). `None`: no slave.
///
/// `bond_select_active_slave()` calls `bond_change_active_slave()` when the
/// result differs from `curr_active`; then, if `bond_set_carrier()` changed
/// the carrier, logs [`SelectMsg`].
pub fn find_best_slave(
    slaves: &[Candidate],
    st: &ActiveState,
    force_primary: &mut bool,
) -> Option<usize> {
    if let Some(s) = choose_primary_or_current(slaves, st, force_primary) {
        return Some(s);
    }
    let mut mintime = st.updelay;
    let mut best = None;
    for (i, s) in slaves.iter().enumerate() {
        if s.link == Link::Up {
            return Some(i);
        }
        if s.link == Link::Back && s.is_up && s.delay < mintime {
            mintime = s.delay;
            best = Some(i);
        }
    }
    best
}

/// The bond-level lines of `bond_select_active_slave()`, printed with
/// `netdev_info(bond_dev, ...)` (prefix `bond0: `); `Display` gives the text
/// without the newline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SelectMsg {
    /// `active interface up!`
    ActiveUp,
    /// `now running without any active interface!`
    NoActive,
}

impl SelectMsg {
    /// The line after a change of active slave: `carrier_changed` is
    /// `bond_set_carrier()` returning non-zero, `carrier_ok` the bond's
    /// carrier afterwards.
    pub const fn after_change(carrier_changed: bool, carrier_ok: bool) -> Option<Self> {
        match (carrier_changed, carrier_ok) {
            (false, _) => None,
            (true, true) => Some(Self::ActiveUp),
            (true, false) => Some(Self::NoActive),
        }
    }
}

impl fmt::Display for SelectMsg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::ActiveUp => "active interface up!",
            Self::NoActive => "now running without any active interface!",
        })
    }
}

// ---------------------------------------------------------------------------
// balance-rr
// ---------------------------------------------------------------------------

/// `struct reciprocal_value`: a precomputed divisor for [`Reciprocal::divide`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Reciprocal {
    /// `m`: the magic multiplier.
    pub m: u32,
    /// `sh1`: the first shift.
    pub sh1: u8,
    /// `sh2`: the second shift.
    pub sh2: u8,
}

impl Reciprocal {
    /// `(struct reciprocal_value) { 0 }`: what C stores for `packets_per_slave`
    /// 0 (unused then).
    pub const ZERO: Self = Self {
        m: 0,
        sh1: 0,
        sh2: 0,
    };

    /// `reciprocal_value(d)`, bit for bit. `d` must not be 0 (C divides by
    /// zero); this returns [`Reciprocal::ZERO`] for it.
    pub const fn new(d: u32) -> Self {
        if d == 0 {
            return Self::ZERO;
        }
        // fls(d - 1)
        let l = 32 - (d - 1).leading_zeros();
        let m = (1u64 << 32).wrapping_mul((1u64 << l) - d as u64) / d as u64 + 1;
        Self {
            m: m as u32,
            sh1: if l < 1 { l as u8 } else { 1 },
            sh2: if l >= 1 { (l - 1) as u8 } else { 0 },
        }
    }

    /// `reciprocal_value()` as `bond_option_pps_set()` stores it for
    /// `packets_per_slave`: [`Reciprocal::ZERO`] for 0.
    pub const fn for_packets_per_slave(pps: u32) -> Self {
        Self::new(pps)
    }

    /// `reciprocal_divide(a, R)`: `a / d` for the `d` this was made from.
    pub const fn divide(self, a: u32) -> u32 {
        let t = ((a as u64 * self.m as u64) >> 32) as u32;
        (t.wrapping_add(a.wrapping_sub(t) >> self.sh1)) >> self.sh2
    }
}

/// `bond_rr_gen_slave_id()`.
///
/// `packets_per_slave` 0: `random` (the caller's `get_random_u32()`); 1: the
/// incremented per-CPU `rr_tx_counter` (`this_cpu_inc_return()`, wrapping);
/// more: that counter divided by `packets_per_slave` with `reciprocal`. The
/// caller takes it `% slave_cnt` ([`rr_slave_index`]).
///
/// Not decided here: C sends IPv4 IGMP frames
/// (`iph->protocol == IPPROTO_IGMP`, when the IP header can be pulled) on
/// `curr_active_slave`, or `bond_get_slave_by_id(bond, 0)` when there is none,
/// without touching the counter (`bond_xmit_roundrobin_slave_get()`, and the
/// XDP variant); the caller checks for IGMP first.
pub fn rr_gen_slave_id(
    packets_per_slave: i32,
    reciprocal: Reciprocal,
    counter: &mut u32,
    random: u32,
) -> u32 {
    match packets_per_slave {
        0 => random,
        1 => {
            *counter = counter.wrapping_add(1);
            *counter
        }
        _ => {
            *counter = counter.wrapping_add(1);
            reciprocal.divide(*counter)
        }
    }
}

/// `bond_rr_gen_slave_id(bond) % slave_cnt`; `None` when `slave_cnt` is 0
/// (C drops the frame).
pub const fn rr_slave_index(slave_id: u32, slave_cnt: usize) -> Option<usize> {
    super::hash::slave_index(slave_id, slave_cnt)
}

/// `bond_slave_can_tx()`: the slave is up (`bond_slave_is_up()`), its link is
/// `UP`, and it is active (`backup` flag clear).
pub const fn slave_can_tx(is_up: bool, link: Link, is_active: bool) -> bool {
    is_up && matches!(link, Link::Up) && is_active
}

/// `bond_get_slave_by_id()`: the first slave at or after `slave_id` that can
/// transmit (`can_tx(index)`, [`slave_can_tx`]), else the first before it;
/// `count` is the number of slaves in the list.
pub fn get_slave_by_id<F: FnMut(usize) -> bool>(
    slave_id: usize,
    count: usize,
    mut can_tx: F,
) -> Option<usize> {
    (slave_id..count)
        .chain(0..slave_id.min(count))
        .find(|&i| can_tx(i))
}

// ---------------------------------------------------------------------------
// balance-xor, 802.3ad (and TLB/ALB with tlb_dynamic_lb=0)
// ---------------------------------------------------------------------------

/// The usable-slave filter of `bond_update_slave_arr()`: writes into `out`,
/// in list order, the indices `i < count` for which `usable(i)` holds (C:
/// `bond_slave_can_tx()`, and in 802.3ad also "in the active aggregator"; the
/// slave being released is skipped), and returns how many. `out` needs room
/// for `count` (C allocates `slave_cnt` entries); indices past its end are
/// not written.
pub fn fill_usable<F: FnMut(usize) -> bool>(
    count: usize,
    mut usable: F,
    out: &mut [usize],
) -> usize {
    let mut n = 0;
    for i in 0..count {
        if usable(i) {
            if let Some(slot) = out.get_mut(n) {
                *slot = i;
                n += 1;
            }
        }
    }
    n
}

/// `bond_xmit_3ad_xor_slave_get()`: `usable[hash % count]` (a plain `%`, not
/// `reciprocal_scale()`), `None` when the array is empty or absent.
pub fn xor_pick<T: Copy>(hash: u32, usable: &[T]) -> Option<T> {
    super::hash::slave_index(hash, usable.len()).map(|i| usable[i])
}

#[cfg(test)]
mod tests {
    use super::*;
    use Link::*;

    const fn c(link: Link, prio: i32, speed: u32, duplex: u8) -> Candidate {
        Candidate {
            link,
            is_up: true,
            prio,
            speed,
            duplex,
            delay: 0,
        }
    }

    fn st(primary: Option<usize>, curr: Option<usize>, r: PrimaryReselect) -> ActiveState {
        ActiveState {
            primary,
            curr_active: curr,
            primary_reselect: r,
            updelay: 0,
        }
    }

    #[test]
    fn no_primary_keeps_current() {
        let s = [c(Up, 0, 1000, 1), c(Up, 0, 1000, 1)];
        let mut f = false;
        // No primary, equal prio: hprio is the first UP slave (0); it is not
        // the current (1), so it "becomes the primary" and, with the current
        // UP, primary_reselect decides.
        assert_eq!(
            find_best_slave(&s, &st(None, Some(1), PrimaryReselect::Always), &mut f),
            Some(0)
        );
        assert_eq!(
            find_best_slave(&s, &st(None, Some(1), PrimaryReselect::Failure), &mut f),
            Some(1)
        );
        assert_eq!(
            find_best_slave(&s, &st(None, Some(0), PrimaryReselect::Always), &mut f),
            Some(0)
        );
        // No current: the first UP.
        assert_eq!(
            find_best_slave(&s, &st(None, None, PrimaryReselect::Always), &mut f),
            Some(0)
        );
    }

    #[test]
    fn prio_wins() {
        let s = [
            c(Up, 0, 1000, 1),
            c(Up, 5, 1000, 1),
            c(Up, 5, 1000, 1),
            c(Down, 9, 1000, 1),
        ];
        let mut f = false;
        // The first UP slave of the highest prio (1), not the DOWN one.
        assert_eq!(
            find_best_slave(&s, &st(None, Some(0), PrimaryReselect::Always), &mut f),
            Some(1)
        );
        // hprio == curr: keep it.
        assert_eq!(
            find_best_slave(&s, &st(None, Some(1), PrimaryReselect::Always), &mut f),
            Some(1)
        );
        // A primary that is DOWN is ignored: prio decides.
        assert_eq!(
            find_best_slave(&s, &st(Some(3), Some(0), PrimaryReselect::Always), &mut f),
            Some(1)
        );
    }

    #[test]
    fn primary_reselect() {
        let mut f = false;
        let s = [c(Up, 0, 1000, 1), c(Up, 0, 10000, 1)];
        let r = |s: &[Candidate], r, f: &mut bool| find_best_slave(s, &st(Some(0), Some(1), r), f);
        assert_eq!(r(&s, PrimaryReselect::Always, &mut f), Some(0));
        assert_eq!(r(&s, PrimaryReselect::Failure, &mut f), Some(1));
        // better: primary slower -> keep current.
        assert_eq!(r(&s, PrimaryReselect::Better, &mut f), Some(1));
        // better: same speed, same duplex -> keep current; better duplex -> primary.
        let s2 = [c(Up, 0, 1000, 1), c(Up, 0, 1000, 1)];
        assert_eq!(r(&s2, PrimaryReselect::Better, &mut f), Some(1));
        let s3 = [c(Up, 0, 1000, 1), c(Up, 0, 1000, 0)];
        assert_eq!(r(&s3, PrimaryReselect::Better, &mut f), Some(0));
        // better: faster primary wins; SPEED_UNKNOWN counts as fastest.
        let s4 = [c(Up, 0, u32::MAX, 0xff), c(Up, 0, 1000, 1)];
        assert_eq!(r(&s4, PrimaryReselect::Better, &mut f), Some(0));
        // Current down: primary regardless.
        let s5 = [c(Up, 0, 10, 0), c(Fail, 0, 1000, 1)];
        assert_eq!(r(&s5, PrimaryReselect::Failure, &mut f), Some(0));
        // force_primary overrides failure once, and is consumed.
        f = true;
        assert_eq!(r(&s, PrimaryReselect::Failure, &mut f), Some(0));
        assert!(!f);
        assert_eq!(r(&s, PrimaryReselect::Failure, &mut f), Some(1));
    }

    #[test]
    fn back_slaves() {
        let mut f = false;
        let mut s = [
            c(Down, 0, 0, 0),
            c(Back, 0, 0, 0),
            c(Back, 0, 0, 0),
            c(Back, 0, 0, 0),
        ];
        s[1].delay = 3;
        s[2].delay = 1;
        s[3].delay = 1;
        let mut a = st(None, None, PrimaryReselect::Always);
        a.updelay = 4;
        // Least delay, first of equals.
        assert_eq!(find_best_slave(&s, &a, &mut f), Some(2));
        // Not up (no carrier): skipped.
        s[2].is_up = false;
        assert_eq!(find_best_slave(&s, &a, &mut f), Some(3));
        // delay must be below updelay.
        a.updelay = 1;
        assert_eq!(find_best_slave(&s, &a, &mut f), None);
        assert_eq!(find_best_slave(&[], &a, &mut f), None);
    }

    #[test]
    fn select_msgs() {
        assert_eq!(SelectMsg::after_change(false, true), None);
        assert_eq!(
            SelectMsg::after_change(true, true),
            Some(SelectMsg::ActiveUp)
        );
        assert_eq!(
            SelectMsg::after_change(true, false),
            Some(SelectMsg::NoActive)
        );
    }

    /// `reciprocal_value()` transcribed from C with C's types, as the reference.
    fn c_reciprocal_value(d: u32) -> (u32, u8, u8) {
        let l: i32 = if d - 1 == 0 {
            0
        } else {
            32 - (d - 1).leading_zeros() as i32
        };
        let mut m: u64 = (1u64 << 32).wrapping_mul((1u64 << l) - d as u64);
        m /= d as u64;
        m += 1;
        (m as u32, l.min(1) as u8, (l - 1).max(0) as u8)
    }

    #[test]
    fn reciprocal() {
        assert_eq!(
            Reciprocal::new(1),
            Reciprocal {
                m: 1,
                sh1: 0,
                sh2: 0
            }
        );
        assert_eq!(
            Reciprocal::new(2),
            Reciprocal {
                m: 1,
                sh1: 1,
                sh2: 0
            }
        );
        assert_eq!(
            Reciprocal::new(3),
            Reciprocal {
                m: 0x5555_5556,
                sh1: 1,
                sh2: 1
            }
        );
        assert_eq!(Reciprocal::new(0), Reciprocal::ZERO);
        let ds = [
            1u32,
            2,
            3,
            5,
            7,
            10,
            64,
            100,
            255,
            1000,
            12345,
            65535,
            65536,
            0x7fff_ffff,
            0x8000_0001,
            u32::MAX,
        ];
        let xs = [
            0u32,
            1,
            2,
            3,
            99,
            100,
            101,
            65535,
            65536,
            1 << 31,
            u32::MAX - 1,
            u32::MAX,
        ];
        for &d in &ds {
            let r = Reciprocal::new(d);
            assert_eq!((r.m, r.sh1, r.sh2), c_reciprocal_value(d), "d={d}");
            for &x in &xs {
                assert_eq!(r.divide(x), x / d, "x={x} d={d}");
            }
        }
        // Exhaustive small range for every packets_per_slave up to 300.
        for d in 1..300u32 {
            let r = Reciprocal::new(d);
            for x in (0..5000u32).chain(u32::MAX - 5000..=u32::MAX) {
                assert_eq!(r.divide(x), x / d);
            }
        }
    }

    #[test]
    fn rr_ids() {
        let mut ctr = 0u32;
        // pps 1: 1, 2, 3, ... -> slaves 1, 2, 0, 1 of 3.
        let ids: [u32; 4] =
            core::array::from_fn(|_| rr_gen_slave_id(1, Reciprocal::ZERO, &mut ctr, 7));
        assert_eq!(ids, [1, 2, 3, 4]);
        assert_eq!(rr_slave_index(ids[2], 3), Some(0));
        assert_eq!(rr_slave_index(5, 0), None);
        // pps 0: the random value, counter untouched.
        assert_eq!(
            rr_gen_slave_id(0, Reciprocal::ZERO, &mut ctr, 0xdead),
            0xdead
        );
        assert_eq!(ctr, 4);
        // pps 3: counter / 3.
        let r = Reciprocal::for_packets_per_slave(3);
        let mut ctr = 0u32;
        let ids: [u32; 7] = core::array::from_fn(|_| rr_gen_slave_id(3, r, &mut ctr, 0));
        assert_eq!(ids, [0, 0, 1, 1, 1, 2, 2]);
        // Wrap-around of the u32 counter.
        let mut ctr = u32::MAX;
        assert_eq!(rr_gen_slave_id(1, Reciprocal::ZERO, &mut ctr, 0), 0);
    }

    #[test]
    fn slave_by_id() {
        let can = [false, true, false, true];
        assert_eq!(get_slave_by_id(0, 4, |i| can[i]), Some(1));
        assert_eq!(get_slave_by_id(2, 4, |i| can[i]), Some(3));
        assert_eq!(get_slave_by_id(3, 4, |i| can[i]), Some(3));
        let can = [true, false, false, false];
        assert_eq!(get_slave_by_id(2, 4, |i| can[i]), Some(0));
        assert_eq!(get_slave_by_id(2, 4, |_| false), None);
        assert_eq!(get_slave_by_id(0, 0, |_| true), None);
        // An id past the list (list shrank): wraps to the start.
        assert_eq!(get_slave_by_id(9, 2, |i| i == 1), Some(1));
        assert!(slave_can_tx(true, Up, true));
        assert!(!slave_can_tx(true, Back, true));
        assert!(!slave_can_tx(false, Up, true));
        assert!(!slave_can_tx(true, Up, false));
    }

    #[test]
    fn xor() {
        let mut arr = [0usize; 4];
        let n = fill_usable(4, |i| i != 1, &mut arr);
        assert_eq!(&arr[..n], &[0, 2, 3]);
        assert_eq!(xor_pick(0, &arr[..n]), Some(0));
        assert_eq!(xor_pick(4, &arr[..n]), Some(2));
        assert_eq!(xor_pick(u32::MAX, &arr[..n]), Some(0)); // 4294967295 % 3 == 0
        assert_eq!(xor_pick(5, &arr[..0]), None);
        let mut small = [0usize; 1];
        assert_eq!(fill_usable(3, |_| true, &mut small), 1);
    }
}
