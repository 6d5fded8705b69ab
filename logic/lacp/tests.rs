// SPDX-License-Identifier: GPL-2.0

//! Host tests of the LACP machines: hand-built PDUs, and whole bonds talking
//! to each other over simulated cables, tick by tick.

use super::*;

const MAX: usize = 4;
const QUEUE: usize = 4;

const FULL_1G: SlaveView = SlaveView {
    link_up: true,
    dev_up: true,
    speed: 1000,
    duplex: 1,
};

fn cfg() -> Config {
    Config {
        ad_select: AdSelect::Stable,
        coupled_control: true,
        lacp_active: true,
        lacp_fast: false,
        min_links: 0,
        user_port_key: 0,
        actor_sys_prio: 65535,
        actor_system: [0; 6],
        all_slaves_active: false,
    }
}

/// What the machines sent and logged.
struct Rec {
    /// LACPDUs not yet delivered, per member.
    queue: [[Option<[u8; PDU_LEN]>; QUEUE]; MAX],
    /// LACPDUs sent, per member.
    sent: [u32; MAX],
    /// The last marker sent, per member.
    marker: [Option<[u8; PDU_LEN]>; MAX],
    logs: [Option<(Option<usize>, Msg)>; 16],
    /// Fail every allocation (C's `dev_alloc_skb()` returning NULL).
    no_memory: bool,
}

impl Rec {
    fn new() -> Self {
        Self {
            queue: [[None; QUEUE]; MAX],
            sent: [0; MAX],
            marker: [None; MAX],
            logs: [None; 16],
            no_memory: false,
        }
    }

    fn take(&mut self, member: usize) -> Option<[u8; PDU_LEN]> {
        let q = &mut self.queue[member];
        let first = q[0].take();
        q.rotate_left(1);
        first
    }

    fn logged(&self, msg: Msg) -> usize {
        self.logs
            .iter()
            .flatten()
            .filter(|(_, m)| *m == msg)
            .count()
    }
}

impl Wire for Rec {
    fn send_lacpdu(&mut self, member: usize, pdu: &[u8; PDU_LEN]) -> bool {
        if self.no_memory {
            return false;
        }
        self.sent[member] += 1;
        let slot = self.queue[member].iter_mut().find(|s| s.is_none());
        *slot.expect("more than QUEUE LACPDUs in one round") = Some(*pdu);
        true
    }

    fn send_marker(&mut self, member: usize, marker: &[u8; PDU_LEN]) -> bool {
        if self.no_memory {
            return false;
        }
        self.marker[member] = Some(*marker);
        true
    }

    fn log(&mut self, member: Option<usize>, msg: Msg) {
        let slot = self.logs.iter_mut().find(|s| s.is_none());
        *slot.expect("too many log lines") = Some((member, msg));
    }
}

/// One bond.
struct Side {
    bond: AdBond,
    m: [Member; MAX],
    n: usize,
    cfg: Config,
    mac: [u8; 6],
    w: Rec,
    carrier: bool,
}

impl Side {
    fn new(last: u8, cfg: Config) -> Self {
        Self {
            bond: AdBond::new(),
            m: [Member::new(FULL_1G, &cfg); MAX],
            n: 0,
            cfg,
            mac: [0x02, 0, 0, 0, 0, last],
            w: Rec::new(),
            carrier: false,
        }
    }

    fn with(last: u8, cfg: Config, slaves: &[SlaveView]) -> Self {
        let mut s = Self::new(last, cfg);
        for v in slaves {
            s.add(*v);
        }
        s
    }

    fn add(&mut self, view: SlaveView) -> usize {
        let i = self.n;
        self.m[i] = Member::new(view, &self.cfg);
        self.n += 1;
        bind(
            &mut self.bond,
            &mut self.m[..=i],
            i,
            &self.cfg,
            &self.mac,
            &mut self.w,
        );
        i
    }

    fn members(&mut self) -> &mut [Member] {
        &mut self.m[..self.n]
    }

    fn apply(&mut self, fx: Effects) {
        if fx.set_carrier {
            if let Some(c) = carrier_wanted(&self.m[..self.n], self.cfg.min_links) {
                self.carrier = c;
            }
        }
    }

    fn tick(&mut self) {
        let fx = tick(
            &mut self.bond,
            &mut self.m[..self.n],
            &self.cfg,
            &mut self.w,
        );
        self.apply(fx);
    }

    fn remove(&mut self, idx: usize) {
        let fx = unbind(
            &mut self.bond,
            &mut self.m[..self.n],
            idx,
            &self.cfg,
            &mut self.w,
        );
        self.apply(fx);
        self.m.copy_within(idx + 1..self.n, idx);
        self.n -= 1;
        // The queue follows the member indices.
        self.w.queue.copy_within(idx + 1..MAX, idx);
        self.w.queue[MAX - 1] = [None; QUEUE];
    }

    fn link(&mut self, idx: usize, up: bool) {
        self.m[idx].slave.link_up = up;
        self.m[idx].slave.dev_up = up;
        let fx = link_changed(&mut self.m[..self.n], idx, up, &self.cfg, &mut self.w);
        self.apply(fx);
    }

    fn recv(&mut self, idx: usize, pdu: &[u8; PDU_LEN]) -> Verdict {
        receive(
            &mut self.bond,
            &mut self.m[..self.n],
            idx,
            Some(pdu),
            &mut self.w,
        )
    }

    fn distributing(&self) -> [bool; MAX] {
        let mut d = [false; MAX];
        for (i, m) in self.m[..self.n].iter().enumerate() {
            d[i] = m.mux_state() == MuxState::CollectingDistributing
                && !m.flags.backup
                && !m.flags.rx_disabled
                && m.actor_oper_port_state() & state::DISTRIBUTING != 0;
        }
        d
    }
}

/// A cable: side `a`'s member `ai` to side `b`'s member `bi`.
#[derive(Clone, Copy)]
struct Cable {
    a: usize,
    ai: usize,
    b: usize,
    bi: usize,
    up: bool,
}

const fn cable(a: usize, ai: usize, b: usize, bi: usize) -> Cable {
    Cable {
        a,
        ai,
        b,
        bi,
        up: true,
    }
}

/// Ticks every side, then carries the PDUs sent across the cables that are
/// up (the rest are lost), `ticks` times.
fn run(sides: &mut [Side], cables: &[Cable], ticks: u32) {
    for _ in 0..ticks {
        for s in sides.iter_mut() {
            s.tick();
        }
        deliver(sides, cables);
    }
}

fn deliver(sides: &mut [Side], cables: &[Cable]) {
    for c in cables {
        for (from, fi, to, ti) in [(c.a, c.ai, c.b, c.bi), (c.b, c.bi, c.a, c.ai)] {
            while let Some(pdu) = sides[from].w.take(fi) {
                if c.up {
                    assert_eq!(sides[to].recv(ti, &pdu), Verdict::Consumed);
                }
            }
        }
    }
    for s in sides.iter_mut() {
        for q in s.w.queue.iter_mut() {
            *q = [None; QUEUE];
        }
    }
}

fn pair(a_cfg: Config, b_cfg: Config, n: usize) -> ([Side; 2], [Cable; MAX]) {
    let a = Side::with(0xa, a_cfg, &[FULL_1G; MAX][..n]);
    let b = Side::with(0xb, b_cfg, &[FULL_1G; MAX][..n]);
    let mut cables = [cable(0, 0, 1, 0); MAX];
    for (i, c) in cables.iter_mut().enumerate() {
        *c = cable(0, i, 1, i);
        c.up = i < n;
    }
    ([a, b], cables)
}

#[test]
fn lacpdu_bytes_are_cs_layout() {
    let pdu = Lacpdu {
        actor: PduInfo {
            system_priority: 0x1234,
            system: [1, 2, 3, 4, 5, 6],
            key: 0x0009,
            port_priority: 0x00ff,
            port: 0x0002,
            state: 0x3d,
        },
        partner: PduInfo {
            system_priority: 0xffff,
            system: [7, 8, 9, 10, 11, 12],
            key: 0x0001,
            port_priority: 0x00ff,
            port: 0x0001,
            state: 0x01,
        },
    };
    let b = pdu.encode();
    let mut want = [0u8; PDU_LEN];
    want[..22].copy_from_slice(&[
        1, 1, 1, 20, 0x12, 0x34, 1, 2, 3, 4, 5, 6, 0, 9, 0, 0xff, 0, 2, 0x3d, 0, 0, 0,
    ]);
    want[22..44].copy_from_slice(&[
        2, 20, 0xff, 0xff, 7, 8, 9, 10, 11, 12, 0, 1, 0, 0xff, 0, 1, 1, 0, 0, 0, 3, 16,
    ]);
    // Collector max delay 0, reserved, terminator TLV 0/0, 50 reserved bytes.
    assert_eq!(b, want);
    assert_eq!(Lacpdu::parse(&b), pdu);
}

#[test]
fn port_key_from_speed_duplex_and_user_key() {
    let mut c = cfg();
    c.user_port_key = 5;
    let half_10g = SlaveView {
        speed: 10000,
        duplex: 0,
        ..FULL_1G
    };
    let down = SlaveView {
        link_up: false,
        dev_up: false,
        ..FULL_1G
    };
    let s = Side::with(1, c, &[FULL_1G, half_10g, down]);
    assert_eq!(s.m[0].actor_params().key, 5 << 6 | 4 << 1 | 1);
    assert_eq!(s.m[1].actor_params().key, 5 << 6 | 7 << 1);
    assert_eq!(s.m[2].actor_params().key, 5 << 6);
    // The key changed from 0 on a link that is down.
    assert_eq!(s.w.logged(Msg::SpeedZero { port: 3 }), 1);
    // Port numbers count up from 1; the system is the bond's address.
    let numbers = [
        s.m[0].port_number(),
        s.m[1].port_number(),
        s.m[2].port_number(),
    ];
    assert_eq!(numbers, [1, 2, 3]);
    assert_eq!(s.m[0].actor_params().system, s.mac);
    assert_eq!(s.m[0].actor_params().system_priority, 65535);
    assert_eq!(s.m[0].actor_params().port_priority, 255);
    assert_eq!(s.bond.agg_select_timer(), 80);

    // Unknown speeds count as 0 and are reported (C: once per boot).
    let odd = SlaveView {
        speed: 1234,
        ..FULL_1G
    };
    let s = Side::with(1, cfg(), &[odd]);
    assert_eq!(s.m[0].actor_params().key, 1);
    assert_eq!(
        s.w.logged(Msg::UnknownSpeed {
            speed: 1234,
            port: 1
        }),
        1
    );
    assert_eq!(s.w.logged(Msg::SpeedZero { port: 1 }), 1);
}

#[test]
fn two_bonds_aggregate_after_the_selection_timer() {
    let (mut sides, cables) = pair(cfg(), cfg(), 2);
    // The ports stay out of collecting/distributing until the 8 s
    // aggregator selection timer has run out.
    run(&mut sides, &cables, 79);
    assert_eq!(sides[0].distributing(), [false; MAX]);
    // C's carrier comes on at the first selection (the first tick), before
    // LACP has converged.
    assert!(sides[0].carrier);
    run(&mut sides, &cables, 10);
    for s in &sides {
        assert_eq!(s.distributing(), [true, true, false, false]);
        assert!(s.carrier);
        // One aggregator holds both ports: the first slave's.
        assert_eq!(s.m[0].aggregator_id(), Some(1));
        assert_eq!(s.m[1].aggregator_id(), Some(1));
        for m in &s.m[..2] {
            assert_eq!(m.rx_state(), RxState::Current);
            assert_eq!(m.actor_oper_port_state(), 0x3d);
            assert_eq!(m.partner_oper_port_state(), 0x3d);
        }
    }
    let a = active_agg_info(&sides[0].m[..2]).unwrap();
    assert_eq!(
        a,
        AggInfo {
            aggregator_id: 1,
            ports: 2,
            actor_key: 9,
            partner_key: 9,
            partner_system: sides[1].mac,
        }
    );
    assert!(in_aggregator(&sides[0].m[1], &a));
    // Each side sees the other's actor as its partner.
    assert_eq!(
        sides[0].m[1].partner_params(),
        PortParams {
            port_state: 0x3d,
            ..sides[1].m[1].actor_params()
        }
    );
    let sent_before = sides[0].w.sent;

    // Steady state with slow LACP: one LACPDU per port every 30 s.
    run(&mut sides, &cables, 600);
    let sent = sides[0].w.sent[0] - sent_before[0];
    assert_eq!(sent, 2, "LACPDUs in 60 s of slow periodic transmission");
    assert_eq!(
        sides[0].bond.stats.lacpdu_tx,
        u64::from(sides[0].w.sent[0] + sides[0].w.sent[1])
    );
    assert_eq!(sides[1].bond.stats.lacpdu_rx, sides[0].bond.stats.lacpdu_tx);
    // Churn detection ended in sync.
    assert_eq!(
        sides[0].m[0].churn(),
        (Churn::NoChurn, Churn::NoChurn, 0, 0)
    );
}

#[test]
fn fast_rate_partner_sends_every_second() {
    let mut fast = cfg();
    fast.lacp_fast = true;
    // A asks for fast LACPDUs: B sends one a second, A (slow partner) one
    // every 30 s.
    let (mut sides, cables) = pair(fast, cfg(), 1);
    run(&mut sides, &cables, 200);
    let (a0, b0) = (sides[0].w.sent[0], sides[1].w.sent[0]);
    run(&mut sides, &cables, 300);
    assert_eq!(sides[1].w.sent[0] - b0, 30);
    assert_eq!(sides[0].w.sent[0] - a0, 1);
}

#[test]
fn transmission_is_limited_to_three_a_second() {
    let (mut sides, cables) = pair(cfg(), cfg(), 1);
    run(&mut sides, &cables, 100);
    // Ask for a LACPDU on every tick: at most one every 3 ticks goes out.
    let before = sides[0].w.sent[0];
    for _ in 0..30 {
        sides[0].m[0].port.ntt = true;
        run(&mut sides, &cables, 1);
    }
    assert_eq!(sides[0].w.sent[0] - before, 10);
    // A failed allocation keeps the request for the next slot.
    sides[0].m[0].port.ntt = true;
    sides[0].w.no_memory = true;
    run(&mut sides, &cables, 3);
    assert!(sides[0].m[0].port.ntt);
    sides[0].w.no_memory = false;
    run(&mut sides, &cables, 3);
    assert!(!sides[0].m[0].port.ntt);
}

#[test]
fn silent_partner_expires_then_defaults() {
    for (fast, timeout) in [(true, 30), (false, 900)] {
        let mut c = cfg();
        c.lacp_fast = fast;
        let (mut sides, mut cables) = pair(c, c, 2);
        run(&mut sides, &cables, 120);
        assert_eq!(sides[0].distributing(), [true, true, false, false]);
        // Right after B's port 1 sent, cable 1 stops carrying frames; the
        // link stays up.
        let sent = sides[1].w.sent[1];
        while sides[1].w.sent[1] == sent {
            run(&mut sides, &cables, 1);
        }
        cables[1].up = false;
        run(&mut sides, &cables, timeout - 1);
        assert_eq!(sides[0].m[1].rx_state(), RxState::Current);
        run(&mut sides, &cables, 1);
        assert_eq!(sides[0].m[1].rx_state(), RxState::Expired);
        let st = sides[0].m[1].actor_oper_port_state();
        assert_ne!(st & state::EXPIRED, 0);
        // Expired: the partner is out of sync, so the port stops
        // distributing at once; the other port carries on.
        assert_eq!(sides[0].distributing(), [true, false, false, false]);
        assert!(sides[0].m[1].flags.backup);
        // Short timeout (3 s) in Expired, then Defaulted.
        run(&mut sides, &cables, 30);
        assert_eq!(sides[0].m[1].rx_state(), RxState::Defaulted);
        let st = sides[0].m[1].actor_oper_port_state();
        assert_eq!(st & (state::EXPIRED | state::DEFAULTED), state::DEFAULTED);
        assert_eq!(sides[0].m[1].partner_params(), PortParams::DEFAULT_PARTNER);
        // It leaves the aggregator for one of its own.
        run(&mut sides, &cables, 10);
        assert_eq!(sides[0].m[1].aggregator_id(), Some(2));
        assert_eq!(active_agg_info(sides[0].members()).unwrap().ports, 1);
        assert!(sides[0].carrier);
    }
}

#[test]
fn lone_bond_uses_one_individual_port() {
    // No partner answers: each full-duplex port gets its own aggregator;
    // the first becomes active and its port is enabled without LACP.
    let mut s = [Side::with(1, cfg(), &[FULL_1G, FULL_1G])];
    run(&mut s, &[], 81);
    let s = &s[0];
    assert_eq!(s.m[0].aggregator_id(), Some(1));
    assert_eq!(s.m[1].aggregator_id(), Some(2));
    assert!(!s.m[0].flags.backup && !s.m[0].flags.rx_disabled);
    assert!(s.m[1].flags.backup && s.m[1].flags.rx_disabled);
    assert!(s.carrier);
    assert_eq!(s.w.logged(Msg::NoPartnerResponse), 0);
    let info = active_agg_info(&s.m[..2]).unwrap();
    assert_eq!(
        (info.aggregator_id, info.ports, info.partner_system),
        (1, 1, [0; 6])
    );

    // Half duplex: the aggregator is individual, which C warns about.
    let half = SlaveView {
        duplex: 0,
        ..FULL_1G
    };
    let mut s = [Side::with(1, cfg(), &[half])];
    run(&mut s, &[], 81);
    assert!(s[0].w.logged(Msg::NoPartnerResponse) >= 1);
    assert!(!s[0].m[0].flags.backup);
    // After the 60 s churn timer: the partner never synchronised.
    run(&mut s, &[], 600);
    let (_, partner, _, churned) = s[0].m[0].churn();
    assert_eq!((partner, churned), (Churn::Churned, 1));
}

#[test]
fn ad_select_chooses_between_two_partners() {
    let ten_g = SlaveView {
        speed: 10000,
        ..FULL_1G
    };
    for (policy, winner) in [
        (AdSelect::Bandwidth, 0),
        (AdSelect::Count, 1),
        (AdSelect::Stable, 0),
    ] {
        let mut c = cfg();
        c.ad_select = policy;
        // Port 0 (10G) to partner B; ports 1 and 2 (1G) to partner C.
        // Keys differ by speed, so B's port needs a 10G side too.
        let mut a = Side::new(0xa, c);
        a.add(ten_g);
        a.add(FULL_1G);
        a.add(FULL_1G);
        let b = Side::with(0xb, cfg(), &[ten_g]);
        let cc = Side::with(0xc, cfg(), &[FULL_1G, FULL_1G]);
        let mut sides = [a, b, cc];
        let cables = [cable(0, 0, 1, 0), cable(0, 1, 2, 0), cable(0, 2, 2, 1)];
        run(&mut sides, &cables, 120);
        let info = active_agg_info(sides[0].members()).unwrap();
        let expect = if winner == 0 {
            (1, 1, sides[1].mac)
        } else {
            (2, 2, sides[2].mac)
        };
        assert_eq!(
            (info.aggregator_id, info.ports, info.partner_system),
            expect,
            "{policy:?}"
        );
        let d = sides[0].distributing();
        assert_eq!(
            d,
            if winner == 0 {
                [true, false, false, false]
            } else {
                [false, true, true, false]
            }
        );
    }
}

#[test]
fn stable_keeps_the_active_aggregator_when_a_better_one_appears() {
    let mut c = cfg();
    c.ad_select = AdSelect::Stable;
    let ten_g = SlaveView {
        speed: 10000,
        ..FULL_1G
    };
    let mut sides = [
        Side::with(0xa, c, &[FULL_1G, ten_g]),
        Side::with(0xb, cfg(), &[FULL_1G]),
        Side::with(0xc, cfg(), &[ten_g]),
    ];
    // Only the 1G cable carries frames at first.
    let mut cables = [cable(0, 0, 1, 0), cable(0, 1, 2, 0)];
    cables[1].up = false;
    run(&mut sides, &cables, 120);
    assert_eq!(
        active_agg_info(sides[0].members()).unwrap().partner_system,
        sides[1].mac
    );
    // The 10G partner is heard (it sends every 30 s) and has more bandwidth.
    cables[1].up = true;
    run(&mut sides, &cables, 400);
    assert_eq!(sides[0].m[1].partner_params().system, sides[2].mac);
    assert_eq!(
        active_agg_info(sides[0].members()).unwrap().partner_system,
        sides[1].mac
    );

    // Bandwidth moves to the 10G partner at the next selection.
    sides[0].cfg.ad_select = AdSelect::Bandwidth;
    sides[0].link(0, true);
    let info = active_agg_info(sides[0].members()).unwrap();
    assert_eq!(info.partner_system, sides[2].mac);
}

#[test]
fn link_down_leaves_the_aggregation_and_min_links_drops_carrier() {
    let mut c = cfg();
    c.min_links = 2;
    let (mut sides, cables) = pair(c, cfg(), 2);
    run(&mut sides, &cables, 120);
    assert!(sides[0].carrier);
    sides[0].link(1, false);
    assert_eq!(sides[0].m[1].actor_params().key, 0);
    assert_eq!(active_agg_info(sides[0].members()).unwrap().ports, 1);
    assert!(!sides[0].carrier);
    run(&mut sides, &cables, 50);
    assert_eq!(sides[0].m[1].rx_state(), RxState::PortDisabled);
    assert!(sides[0].m[1].flags.backup);
    // Back up: the key returns, LACP starts over, the bond has two ports.
    sides[0].link(1, true);
    run(&mut sides, &cables, 60);
    assert_eq!(sides[0].distributing(), [true, true, false, false]);
    assert!(sides[0].carrier);
}

#[test]
fn unbinding_the_aggregators_owner_moves_its_ports() {
    let (mut sides, cables) = pair(cfg(), cfg(), 2);
    run(&mut sides, &cables, 120);
    let before = sides[0].w.sent[0];
    sides[0].remove(0);
    // The leaving port said it no longer aggregates.
    assert_eq!(sides[0].w.sent[0], before + 1);
    // Its aggregator's remaining port moved to the second slave's.
    assert_eq!(sides[0].m[0].aggregator_id(), Some(2));
    let info = active_agg_info(sides[0].members()).unwrap();
    assert_eq!((info.aggregator_id, info.ports), (2, 1));
    assert_eq!(sides[0].distributing(), [true, false, false, false]);
    assert!(sides[0].carrier);

    // A LACPDU of the leaving port: no sync/collecting/distributing/aggregation.
    let (mut sides, cables) = pair(cfg(), cfg(), 1);
    run(&mut sides, &cables, 120);
    sides[0].w.queue[0] = [None; QUEUE];
    let fx = unbind(
        &mut sides[0].bond,
        &mut sides[0].m[..1],
        0,
        &cfg(),
        &mut sides[0].w,
    );
    let pdu = Lacpdu::parse(&sides[0].w.take(0).unwrap());
    assert_eq!(pdu.actor.state, state::LACP_ACTIVITY);
    // The last slave's aggregator was the active one: reselection, carrier off.
    assert!(fx.set_carrier);
    assert_eq!(carrier_wanted(&sides[0].m[..1], 0), Some(false));
    assert_eq!(sides[0].w.logged(Msg::RemovingActiveAggregator), 1);
}

#[test]
fn uncoupled_control_collects_before_distributing() {
    let mut c = cfg();
    c.coupled_control = false;
    let (mut sides, cables) = pair(c, c, 1);
    run(&mut sides, &cables, 81);
    // Collecting first: receive enabled, transmit not yet.
    let m = &sides[0].m[0];
    assert_eq!(m.mux_state(), MuxState::Collecting);
    assert!(m.flags.backup && !m.flags.rx_disabled);
    run(&mut sides, &cables, 20);
    for s in &sides {
        let m = &s.m[0];
        assert_eq!(m.mux_state(), MuxState::Distributing);
        assert!(!m.flags.backup && !m.flags.rx_disabled);
        assert_eq!(m.actor_oper_port_state() & 0x38, 0x38);
    }
}

#[test]
fn passive_bonds_talk_only_to_active_partners() {
    let mut passive = cfg();
    passive.lacp_active = false;
    // Passive against active: aggregates.
    let (mut sides, cables) = pair(passive, cfg(), 1);
    run(&mut sides, &cables, 120);
    assert!(sides[0].distributing()[0]);
    assert_eq!(
        sides[0].m[0].actor_oper_port_state() & state::LACP_ACTIVITY,
        0
    );
    // Passive against passive: no periodic transmission (LACPDUs go out
    // only when a machine changes state).
    let (mut sides, cables) = pair(passive, passive, 1);
    run(&mut sides, &cables, 200);
    assert_eq!(sides[0].m[0].port.periodic_state, PeriodicState::NoPeriodic);
    // update_lacp_active() turns it on: fast, then slow (the partner asks
    // for slow LACPDUs).
    update_lacp_active(sides[0].members(), true);
    run(&mut sides, &cables, 1);
    assert_eq!(sides[0].m[0].port.periodic_state, PeriodicState::Fast);
    run(&mut sides, &cables, 1);
    assert_eq!(sides[0].m[0].port.periodic_state, PeriodicState::Slow);
    assert_eq!(sides[0].m[0].port.periodic_timer, 299);
}

#[test]
fn receive_counts_and_answers_markers() {
    let mut s = Side::with(1, cfg(), &[FULL_1G, FULL_1G]);
    // Too short.
    let v = receive(&mut s.bond, &mut s.m[..2], 0, None, &mut s.w);
    assert_eq!(v, Verdict::Another);
    // Unknown subtype.
    let mut pdu = [0u8; PDU_LEN];
    pdu[0] = 3;
    assert_eq!(s.recv(0, &pdu), Verdict::Another);
    // Marker information: answered with a response that is the same bytes
    // with the TLV type changed.
    pdu[..4].copy_from_slice(&[2, 1, 1, 16]);
    pdu[4..20].copy_from_slice(&[0, 7, 9, 9, 9, 9, 9, 9, 0, 0, 0, 42, 0, 0, 0, 0]);
    assert_eq!(s.recv(1, &pdu), Verdict::Consumed);
    let mut response = pdu;
    response[2] = 2;
    assert_eq!(s.w.marker[1], Some(response));
    // Marker response and an unknown marker TLV.
    pdu[2] = 2;
    assert_eq!(s.recv(1, &pdu), Verdict::Consumed);
    pdu[2] = 9;
    assert_eq!(s.recv(1, &pdu), Verdict::Consumed);
    // No skb for the response: nothing counted as sent.
    pdu[2] = 1;
    s.w.no_memory = true;
    assert_eq!(s.recv(1, &pdu), Verdict::Consumed);

    let zero = Stats::default();
    assert_eq!(
        s.m[0].stats,
        Stats {
            lacpdu_illegal_rx: 1,
            lacpdu_unknown_rx: 1,
            ..zero
        }
    );
    assert_eq!(
        s.m[1].stats,
        Stats {
            marker_rx: 2,
            marker_resp_tx: 1,
            marker_resp_rx: 1,
            marker_unknown_rx: 1,
            ..zero
        }
    );
    assert_eq!(
        s.bond.stats,
        Stats {
            lacpdu_illegal_rx: 1,
            lacpdu_unknown_rx: 1,
            marker_rx: 2,
            marker_resp_tx: 1,
            marker_resp_rx: 1,
            marker_unknown_rx: 1,
            ..zero
        }
    );
}

#[test]
fn own_lacpdu_is_a_loopback() {
    let (mut sides, cables) = pair(cfg(), cfg(), 1);
    run(&mut sides, &cables, 120);
    let own = sides[0].m[0].port.lacpdu().encode();
    assert_eq!(sides[0].recv(0, &own), Verdict::Consumed);
    assert_eq!(sides[0].w.logged(Msg::Loopback), 1);
    assert_eq!(
        sides[0].bond.stats.lacpdu_rx,
        sides[1].bond.stats.lacpdu_tx + 1
    );
    // The partner information is unchanged.
    assert_eq!(sides[0].m[0].partner_params().system, sides[1].mac);
}

#[test]
fn speed_change_restarts_the_port() {
    let (mut sides, cables) = pair(cfg(), cfg(), 1);
    run(&mut sides, &cables, 120);
    sides[0].m[0].slave.speed = 10000;
    let s = &mut sides[0];
    speed_duplex_changed(&mut s.m[..1], 0, &mut s.w);
    assert_eq!(sides[0].m[0].actor_params().key, 7 << 1 | 1);
    run(&mut sides, &cables, 1);
    // BEGIN re-ran the machines: the port went back to detached.
    assert_eq!(sides[0].m[0].mux_state(), MuxState::Detached);
    // The partner's key no longer matches ours; both sides still settle
    // (B re-selects on the new key).
    run(&mut sides, &cables, 100);
    assert_eq!(active_agg_info(sides[0].members()).unwrap().actor_key, 15);
}

#[test]
fn option_updates_reach_the_ports() {
    let mut s = Side::with(1, cfg(), &[FULL_1G]);
    update_lacp_rate(s.members(), true);
    assert_ne!(s.m[0].actor_oper_port_state() & state::LACP_TIMEOUT, 0);
    s.cfg.actor_system = [0x02, 9, 9, 9, 9, 9];
    s.cfg.actor_sys_prio = 100;
    s.m[0].port_priority = 7;
    let (cfg, mac) = (s.cfg, s.mac);
    update_actor_settings(&mut s.bond, &mut s.m[..1], &cfg, &mac);
    let a = s.m[0].actor_params();
    assert_eq!(
        (a.system, a.system_priority, a.port_priority),
        (cfg.actor_system, 100, 7)
    );
    assert!(s.m[0].port.ntt);
    assert_eq!(
        (s.bond.sys_mac, s.bond.sys_priority),
        (cfg.actor_system, 100)
    );
}

#[test]
fn messages_read_as_cs() {
    use super::super::testbuf::Buf;
    use core::fmt::Write;
    let mut b = Buf::<256>::new();
    write!(b, "{}", Msg::NoSuitableAggregator { port: 3 }).unwrap();
    assert_eq!(b.as_str(), "Port 3 did not find a suitable aggregator");
    let mut b = Buf::<256>::new();
    write!(
        b,
        "{}",
        Msg::UnknownSpeed {
            speed: u32::MAX - 1,
            port: 2
        }
    )
    .unwrap();
    assert_eq!(
        b.as_str(),
        "unknown ethtool speed (-2) for port 2 (set it to 0)"
    );
    assert_eq!(Msg::Loopback.level(), Level::Err);
    assert!(Msg::NoPartnerResponse.ratelimited());
    assert!(Msg::UnknownSpeed { speed: 0, port: 0 }.once());
}
