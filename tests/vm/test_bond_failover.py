# SPDX-License-Identifier: GPL-2.0
"""Failover in active-backup: the MII monitor (with and without up/down
delays, primary and primary_reselect), the ARP monitor, and the gratuitous
ARPs sent after a failover.

Two veth slaves rbv1/rbv2 whose peers rbp1/rbp2 live in netns rbtd; taking
a peer down drops the slave's carrier. What is compared between drivers:
sysfs (active_slave, each slave's mii_status/state/link_failure_count), the
whole /proc/net/bonding text, and the bond's kernel log lines (measured
times masked, configured delays kept). Timings are asserted only where they
are the semantics (no failover before downdelay has elapsed).

The ARP monitor tests have `arpmon` in their names (deselect with
`-k 'not arpmon'`) and are skipped with RB_TEST_NO_ARPMON=1.
"""

import json
import os
import time

import pytest

from bond_traffic import (BOND_IP, NS, PEER_IP, Bond, Capture, cleanup_veths,
                          ethtool_speed_duplex, peer_bridge, peer_link, slave_state, veth_pairs,
                          wait_for)
from conftest import same, sh

# Bond differential scenarios: the bench kernel runs them all against both
# drivers (`make check`), the debug kernel the first case of each function and
# the `debug_smoke` ones against rust_bond (see Documentation/testing.rst).
# Their C results follow the monitor timing: C runs in every boot.
pytestmark = [pytest.mark.bond, pytest.mark.live_reference]

PARAMS = "max_bonds=0"
PAIRS = [("rbv1", "rbp1"), ("rbv2", "rbp2")]
LOCALS = [p[0] for p in PAIRS]
BOND = "rbf0"
UP_LINE = "link status definitely up, 10000 Mbps full duplex"  # veth: 10G full

def arpmon(fn):
    """An ARP monitor test: skipped with RB_TEST_NO_ARPMON=1."""
    return pytest.mark.skipif(os.environ.get("RB_TEST_NO_ARPMON") == "1",
                              reason="RB_TEST_NO_ARPMON=1")(fn)


def proc_lines(bond, keys=("Currently Active Slave", "MII Status",
                           "Link Failure Count", "Slave Interface")):
    return [l.strip() for l in bond.proc().splitlines() if l.strip().startswith(keys)]


def snapshot(bond):
    """What a user sees of the failover state."""
    return {
        "active_slave": bond.get("active_slave"),
        "mii_status": bond.get("mii_status"),
        "slaves": {s: slave_state(s) for s in bond.slaves},
        "proc": proc_lines(bond),
        "proc_full": bond.proc(),
        # ethtool: the active slave's speed (backups do not count).
        "ethtool": ethtool_speed_duplex(bond.name),
    }


def ab_bond(bridge=False, ip=False, settle=True, **opts):
    """rbf0 in active-backup over rbv1, rbv2 (peers up), up, and (with
    SETTLE) settled: both slaves up, rbv1 active."""
    bond = None
    try:
        veth_pairs(PAIRS)
        if bridge:
            peer_bridge([p[1] for p in PAIRS])
        bond = Bond(BOND, "active-backup", **opts)
        bond.enslave(*LOCALS)
        if ip:
            sh(f"ip addr add {BOND_IP}/24 dev {BOND}")
        bond.up()
        if settle:
            wait_for(lambda: all(slave_state(s)["mii_status"] == "up" for s in LOCALS)
                     and bond.get("active_slave") == "rbv1", what="both slaves up")
        return bond
    except BaseException:
        if bond:
            bond.delete()
        cleanup_veths(LOCALS)
        raise


def teardown(bond):
    bond.delete()
    cleanup_veths(LOCALS)


def slave_line(slave, text):
    return f"{BOND}: (slave {slave}): {text}"


@pytest.mark.parametrize("reselect", [pytest.param(None, marks=pytest.mark.debug_smoke),
                                      "always", "better", "failure"])
def test_miimon_failover_and_back(differential, reselect):
    """miimon 100: the active slave loses carrier, the other takes over;
    carrier back: with no primary the new active slave stays; with
    primary rbv1, primary_reselect always takes rbv1 back, better and
    failure keep rbv2 (the veths have equal speed and duplex)."""
    opts = {"miimon": 100}
    if reselect:
        opts.update(primary="rbv1", primary_reselect=reselect)

    def scenario(drv):
        bond = ab_bond(**opts)
        try:
            res = {"setup_log": bond.log(drv), "before": snapshot(bond)}
            start = len(drv.log())
            peer_link("rbp1", "down")
            wait_for(lambda: bond.get("active_slave") == "rbv2", what="failover")
            wait_for(lambda: slave_state("rbv1")["mii_status"] == "down")
            res["failed"] = snapshot(bond)
            peer_link("rbp1", "up")
            wait_for(lambda: slave_state("rbv1")["mii_status"] == "up", what="rbv1 back")
            time.sleep(0.3)  # three more monitor passes: nothing else may happen
            res["back"] = snapshot(bond)
            res["log"] = bond.log(drv, start)
            return res
        finally:
            teardown(bond)

    got = same(differential(scenario, PARAMS))
    assert got["before"]["active_slave"] == "rbv1"
    assert got["failed"]["active_slave"] == "rbv2"
    assert got["failed"]["slaves"]["rbv1"] == {
        "mii_status": "down", "state": "backup", "link_failure_count": "1"}
    assert "Currently Active Slave: rbv2" in got["failed"]["proc"]
    assert got["before"]["ethtool"] == got["failed"]["ethtool"] == ("10000Mb/s", "Full")
    back_to = "rbv1" if reselect == "always" else "rbv2"
    assert got["back"]["active_slave"] == back_to
    assert got["back"]["slaves"]["rbv1"]["mii_status"] == "up"
    assert got["back"]["proc"] == [
        f"Currently Active Slave: {back_to}", "MII Status: up",
        "Slave Interface: rbv1", "MII Status: up", "Link Failure Count: 1",
        "Slave Interface: rbv2", "MII Status: up", "Link Failure Count: 0"]
    expect = [
        slave_line("rbv1", "link status definitely down, disabling slave"),
        slave_line("rbv2", "making interface the new active one"),
        slave_line("rbv1", UP_LINE),
    ]
    if reselect == "always":
        expect.append(slave_line("rbv1", "making interface the new active one"))
    assert got["log"] == expect, got["log"]
    assert slave_line("rbv1", "Enslaving as an active interface with an up link") \
        in got["setup_log"]
    assert slave_line("rbv2", "Enslaving as a backup interface with an up link") \
        in got["setup_log"]


def test_miimon_updelay_downdelay(differential):
    """miimon 100, downdelay 300, updelay 500: the messages at the start and
    the end of each delay, no failover before downdelay has elapsed, no
    link up before updelay has elapsed."""

    def scenario(drv):
        bond = ab_bond(miimon=100, downdelay=300, updelay=500)
        try:
            res = {"setup_log": bond.log(drv)}
            start = len(drv.log())
            t0 = time.monotonic()
            peer_link("rbp1", "down")
            wait_for(lambda: bond.get("active_slave") == "rbv2", what="failover")
            res["down_s"] = time.monotonic() - t0
            res["failed"] = snapshot(bond)
            t1 = time.monotonic()
            peer_link("rbp1", "up")
            wait_for(lambda: slave_state("rbv1")["mii_status"] == "up", what="rbv1 back")
            res["up_s"] = time.monotonic() - t1
            time.sleep(0.3)
            res["back"] = snapshot(bond)
            res["log"] = bond.log(drv, start)
            return res
        finally:
            teardown(bond)

    got = differential(scenario, PARAMS)
    for r in got.values():
        # Not before the delay: detection comes at or after the carrier loss.
        assert 0.29 <= r["down_s"] < 20, r["down_s"]
        assert 0.49 <= r["up_s"] < 20, r["up_s"]
        del r["down_s"], r["up_s"]
    got = same(got)
    assert got["log"] == [
        slave_line("rbv1", "link status down for active interface, disabling it in 300 ms"),
        slave_line("rbv1", "link status definitely down, disabling slave"),
        slave_line("rbv2", "making interface the new active one"),
        slave_line("rbv1", "link status up, enabling it in 500 ms"),
        slave_line("rbv1", UP_LINE),
    ], got["log"]
    assert got["back"]["active_slave"] == "rbv2"
    assert "Up Delay (ms): 500" in got["back"]["proc_full"]
    assert "Down Delay (ms): 300" in got["back"]["proc_full"]


def test_miimon_updelay_ignored_without_active_slave(differential):
    """Both slaves down: the bond runs without an active interface; the
    first slave to come back is taken at once, updelay notwithstanding
    ("enabling it in 0 ms")."""

    def scenario(drv):
        bond = ab_bond(miimon=100, downdelay=200, updelay=2000)
        try:
            start = len(drv.log())
            peer_link("rbp2", "down")
            wait_for(lambda: slave_state("rbv2")["mii_status"] == "down")
            peer_link("rbp1", "down")
            wait_for(lambda: slave_state("rbv1")["mii_status"] == "down")
            res = {"none": snapshot(bond)}
            res["carrier_none"] = sh(f"cat /sys/class/net/{BOND}/carrier").strip()
            peer_link("rbp2", "up")
            wait_for(lambda: bond.get("active_slave") == "rbv2", what="rbv2 active")
            res["back"] = snapshot(bond)
            res["carrier_back"] = sh(f"cat /sys/class/net/{BOND}/carrier").strip()
            res["log"] = bond.log(drv, start)
            return res
        finally:
            teardown(bond)

    got = same(differential(scenario, PARAMS))
    assert got["none"]["active_slave"] == ""
    assert got["carrier_none"] == "0" and got["carrier_back"] == "1"
    # The whole log is compared between drivers above; C's must contain
    # these lines in this order.
    want = [
        slave_line("rbv2", "link status down for backup interface, disabling it in 200 ms"),
        slave_line("rbv2", "link status definitely down, disabling slave"),
        slave_line("rbv1", "link status down for active interface, disabling it in 200 ms"),
        slave_line("rbv1", "link status definitely down, disabling slave"),
        slave_line("rbv2", "link status up, enabling it in 0 ms"),
        slave_line("rbv2", UP_LINE),
        slave_line("rbv2", "making interface the new active one"),
        f"{BOND}: active interface up!",
    ]
    it = iter(got["log"])
    assert all(w in it for w in want), got["log"]


ARP_INTERVAL = 250
# TCG guests stall now and then for a few hundred ms; C and rust_bond both
# flap when probes are 2 x 200 ms late, so the scenarios allow 4 misses.
ARP_MISSED_MAX = 4


def arp_ab_settle(bond):
    """Waits until both slaves of an ARP-monitored active-backup bond are
    up; returns (active, backup). Which slave ends up active depends on the
    monitor's start (with backup validation the probe rotation picks the
    second slave), so scenarios name them by role."""
    def settled():
        # Up, with the same active slave, over three intervals: the start
        # (every slave down, probes, backups validated) is over.
        first = (bond.get("active_slave"), [slave_state(s)["mii_status"] for s in LOCALS])
        time.sleep(3 * ARP_INTERVAL / 1000)
        again = (bond.get("active_slave"), [slave_state(s)["mii_status"] for s in LOCALS])
        return first == again and first[0] in LOCALS and first[1] == ["up", "up"]

    wait_for(settled, timeout=30, what="both slaves up, the active one settled")
    active = bond.get("active_slave")
    return active, next(s for s in LOCALS if s != active)


def by_role(text, active, backup):
    """TEXT with the slave names replaced by their roles A and B."""
    return text.replace(active, "<A>").replace(backup, "<B>")


# After the active slave's peer goes down, the monitor takes it down after
# arp_missed_max intervals without replies, and the backup, which saw only
# the active slave's broadcasts, one interval later. A tick that runs late
# (TCG) catches both in one pass, in C as in rust_bond: the bond is then
# without an active slave for one interval.
ARP_FAILOVER_LOGS = (
    [f"{BOND}: (slave <A>): link status definitely down, disabling slave",
     f"{BOND}: (slave <B>): making interface the new active one"],
    [f"{BOND}: (slave <A>): link status definitely down, disabling slave",
     f"{BOND}: (slave <B>): link status definitely down, disabling slave",
     f"{BOND}: now running without any active interface!",
     f"{BOND}: (slave <B>): link status definitely up",
     f"{BOND}: (slave <B>): making interface the new active one",
     f"{BOND}: active interface up!"],
)


def failover_by_role(drv, bond):
    """The active slave's peer goes down, the other slave takes over; the
    peer comes back, the slave comes up as backup. Returns what a user
    sees, by role (A: active first, B: backup)."""
    act, bak = arp_ab_settle(bond)
    roles = lambda snap: {by_role(k, act, bak): (v["mii_status"], v["state"])
                          for k, v in snap["slaves"].items()}
    res = {"before": roles(snapshot(bond))}
    start = len(drv.log())
    peer_link(dict(PAIRS)[act], "down")
    wait_for(lambda: bond.get("active_slave") == bak, what="failover")
    wait_for(lambda: slave_state(act)["mii_status"] == "down")
    failed = snapshot(bond)
    peer_link(dict(PAIRS)[act], "up")
    wait_for(lambda: slave_state(act)["mii_status"] == "up", what="A back")
    time.sleep(3 * ARP_INTERVAL / 1000)
    back = snapshot(bond)
    log = [by_role(l, act, bak) for l in bond.log(drv, start)]
    assert log in [f + [f"{BOND}: (slave <A>): link status definitely up"]
                   for f in ARP_FAILOVER_LOGS], log
    res["failed"] = (failed["active_slave"] == bak, failed["slaves"][act]["mii_status"])
    res["back"] = roles(back)
    res["back_active"] = back["active_slave"] == bak
    return res


@arpmon
@pytest.mark.parametrize("validate", ["none", "active", "backup", "all", "filter", "filter_backup"])
def test_arpmon_failover_and_back(differential, validate):
    """ARP monitor (arp_interval 250, arp_missed_max 4, target the peer
    host's address on a bridge over both peers): failover and return, by
    role (see failover_by_role)."""

    def scenario(drv):
        bond = ab_bond(bridge=True, ip=True, settle=False, arp_interval=ARP_INTERVAL,
                       arp_ip_target=f"+{PEER_IP}", arp_validate=validate,
                       arp_missed_max=ARP_MISSED_MAX)
        try:
            res = failover_by_role(drv, bond)
            res["validate"] = bond.get("arp_validate")
            return res
        finally:
            teardown(bond)

    got = same(differential(scenario, PARAMS))
    assert got["before"] == {"<A>": ("up", "active"), "<B>": ("up", "backup")}
    assert got["failed"] == (True, "down")
    assert got["back"] == {"<A>": ("up", "backup"), "<B>": ("up", "active")}
    assert got["back_active"]
    assert got["validate"].split()[0] == validate


BOND_IP6, PEER_IP6 = "2001:db8::1", "2001:db8::2"


def enable_ipv6(dev, ns=None):
    path = f"/proc/sys/net/ipv6/conf/{dev}/disable_ipv6"
    sh(f"ip netns exec {ns} sh -c 'echo 0 > {path}'" if ns else f"echo 0 > {path}")


def ns_maddrs(dev):
    """Whether DEV listens to the NS target's solicited-node group."""
    return "33:33:ff:00:00:02" in sh(f"ip maddr show dev {dev}")


@arpmon
# Two values here; bond_options.sh's arp_validate cases (in CI) run the NS
# monitor with all seven, including the backups' multicast groups.
@pytest.mark.parametrize("validate", ["none", "all"])
def test_nsmon_failover_and_back(differential, validate):
    """The NS monitor (ns_ip6_target, set over netlink, arp_interval 250,
    arp_missed_max 4): the same failover and return as the ARP monitor's
    with an IPv6 target on the peer bridge; with arp_validate set, the
    backup slave (only) joins the target's solicited-node group, before
    and after the failover; ip -d shows the target."""

    def scenario(drv):
        bond = None
        try:
            veth_pairs(PAIRS)
            peer_bridge([p[1] for p in PAIRS])
            for loc, peer in PAIRS:
                enable_ipv6(loc)
                enable_ipv6(peer, NS)
            enable_ipv6("br0", NS)
            sh(f"ip -n {NS} addr add {PEER_IP6}/64 dev br0 nodad")
            bond = Bond(BOND, "active-backup", arp_interval=ARP_INTERVAL,
                        arp_validate=validate, arp_missed_max=ARP_MISSED_MAX)
            sh(f"ip link set {BOND} type bond ns_ip6_target {PEER_IP6}")
            bond.enslave(*LOCALS)
            enable_ipv6(BOND)
            sh(f"ip addr add {BOND_IP6}/64 dev {BOND} nodad")
            bond.up()
            res = {"target": json.loads(sh(f"ip -d -j link show {BOND}"))[0]
                   ["linkinfo"]["info_data"].get("ns_ip6_target")}
            act, bak = arp_ab_settle(bond)
            res["maddr_before"] = (ns_maddrs(act), ns_maddrs(bak))
            res.update(failover_by_role(drv, bond))
            res["maddr_after"] = (ns_maddrs(act), ns_maddrs(bak))
            res["proc"] = [l for l in bond.proc().splitlines() if l.startswith("NS IPv6")]
            return res
        finally:
            if bond:
                bond.delete()
            cleanup_veths(LOCALS)

    got = same(differential(scenario, PARAMS))
    assert got["target"] == [PEER_IP6]
    assert got["failed"] == (True, "down")
    assert got["back"] == {"<A>": ("up", "backup"), "<B>": ("up", "active")}
    joined = validate != "none"
    assert got["maddr_before"] == (False, joined)
    assert got["maddr_after"] == (joined, False)
    assert got["proc"] == [f"NS IPv6 target/s (xx::xx form): {PEER_IP6}"]


@arpmon
@pytest.mark.debug_smoke
def test_arpmon_vlan_target(differential):
    """The target sits behind VLAN 100 on a VLAN device over the bond: the
    probes must leave tagged with the VLAN device's address as source, and
    with arp_validate all both slaves come up and fail over on them. Only
    settled states are compared (this also runs on the slow debug kernel)."""

    def scenario(drv):
        bond = None
        try:
            veth_pairs(PAIRS)
            peer_bridge([p[1] for p in PAIRS], ip="192.0.2.2")
            sh(f"ip -n {NS} link add link br0 name br0.100 type vlan id 100")
            sh(f"ip -n {NS} addr add 198.51.100.2/24 dev br0.100")
            sh(f"ip -n {NS} link set br0.100 up")
            bond = Bond(BOND, "active-backup", arp_interval=ARP_INTERVAL,
                        arp_ip_target="+198.51.100.2", arp_validate="all",
                        arp_missed_max=ARP_MISSED_MAX)
            bond.enslave(*LOCALS)
            sh(f"ip link add link {BOND} name {BOND}.100 type vlan id 100")
            sh(f"ip addr add 198.51.100.1/24 dev {BOND}.100")
            bond.up()
            sh(f"ip link set {BOND}.100 up")
            wait_for(lambda: all(slave_state(s)["mii_status"] == "up" for s in LOCALS),
                     timeout=60, what="both slaves up")
            res = {"up": bond.get("mii_status")}
            old = bond.get("active_slave")
            new = next(s for s in LOCALS if s != old)
            peer_link(dict(PAIRS)[old], "down")
            wait_for(lambda: bond.get("active_slave") == new, timeout=60, what="failover")
            wait_for(lambda: slave_state(old)["mii_status"] == "down", timeout=60)
            res["after"] = (slave_state(old)["mii_status"], slave_state(new)["mii_status"])
            return res
        finally:
            if bond:
                sh(f"ip link del {BOND}.100", check=False)
                bond.delete()
            cleanup_veths(LOCALS)

    got = same(differential(scenario, PARAMS))
    assert got == {"up": "up", "after": ("down", "up")}, got


@arpmon
@pytest.mark.parametrize("mode", ["balance-rr", "balance-xor"])
def test_arpmon_loadbalance(differential, mode):
    """The load-balance ARP monitor (arp_interval 250, arp_missed_max 4): each
    slave stays up while it sends probes and receives (the other slave's
    broadcasts count too, arp_validate none); rbv1's peer down takes rbv1
    down, peer up brings it back. The slaves join the bond once it is up,
    so that the monitor starts with fresh times."""

    def links(bond):
        return {s: slave_state(s)["mii_status"] for s in LOCALS}

    def scenario(drv):
        bond = None
        try:
            veth_pairs(PAIRS)
            peer_bridge([p[1] for p in PAIRS])
            bond = Bond(BOND, mode, arp_interval=ARP_INTERVAL, arp_ip_target=f"+{PEER_IP}",
                        arp_missed_max=ARP_MISSED_MAX)
            sh(f"ip addr add {BOND_IP}/24 dev {BOND}")
            bond.up()
            bond.enslave(*LOCALS)
            wait_for(lambda: all(v == "up" for v in links(bond).values()), what="both slaves up")
            time.sleep(3 * ARP_INTERVAL / 1000)
            res = {"before": links(bond)}
            start = len(drv.log())
            peer_link("rbp1", "down")
            wait_for(lambda: slave_state("rbv1")["mii_status"] == "down", what="rbv1 down")
            res["failed"] = links(bond)
            peer_link("rbp1", "up")
            wait_for(lambda: slave_state("rbv1")["mii_status"] == "up", what="rbv1 back")
            time.sleep(3 * ARP_INTERVAL / 1000)
            res["back"] = links(bond)
            res["log"] = bond.log(drv, start)
            res["proc"] = [l for l in bond.proc().splitlines() if l.startswith("ARP")]
            return res
        finally:
            if bond:
                bond.delete()
            cleanup_veths(LOCALS)

    got = same(differential(scenario, PARAMS))
    assert got["before"] == {"rbv1": "up", "rbv2": "up"}
    assert got["failed"] == {"rbv1": "down", "rbv2": "up"}
    assert got["back"] == {"rbv1": "up", "rbv2": "up"}
    assert got["log"] == [
        slave_line("rbv1", "interface is now down"),
        slave_line("rbv1", "interface is now up"),
    ], got["log"]


@pytest.mark.parametrize("num,delay", [(1, 0), (3, 0), (2, 200)])
def test_gratuitous_arps_after_failover(differential, num, delay):
    """num_grat_arp gratuitous ARPs for the bond's address leave the new
    active slave after a failover (tcpdump on its peer)."""

    def scenario(drv):
        bond = ab_bond(ip=True, miimon=100, num_grat_arp=num, peer_notif_delay=delay)
        try:
            time.sleep(0.5)  # the notifications of the first activation
            cap = Capture("rbp2", "arp", ns=NS)
            peer_link("rbp1", "down")
            wait_for(lambda: bond.get("active_slave") == "rbv2", what="failover")
            time.sleep(0.6 + num * max(delay, 100) / 1000)
            return cap.stop()
        finally:
            teardown(bond)

    got = same(differential(scenario, PARAMS))
    # C sends one notification from bond_change_active_slave(); the monitor
    # pass that made the change then spends one more count without sending
    # (its should_notify_peers was computed before the commit); later passes
    # send whenever the count is a multiple of peer_notif_delay's ticks.
    ticks = max(1, delay // 100)
    left, sent = num * ticks - 1, 1
    left -= 1 if left > 0 else 0
    while left > 0:
        sent += left % ticks == 0
        left -= 1
    garp = (f"02:00:00:00:0a:01 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: "
            f"Request who-has {BOND_IP} tell {BOND_IP}, length 28")
    assert got == [garp] * sent, got


def test_miimon_flapping_lines_ratelimited(differential):
    """A slave whose carrier flaps 40 times in about 4 s, with a downdelay
    it never outlasts: each loss prints "link status down for ..." and each
    return "link status up again after ..." (then, not limited, "link
    status definitely up"), 80 lines, but C prints them
    only while net_ratelimit() allows (a burst of 10 per 5 s), so that a
    flapping link cannot flood the log. The counts are compared as bounds:
    the limit is the kernel's, shared with every networking message."""
    from bond_lib import Cleanup, LogMark, add_dummy, bond_log, create_bond, enslave, set_opt

    def scenario(drv):
        with Cleanup() as cl:
            d1, d2 = cl.link("rbfl1"), cl.link("rbfl2")
            add_dummy(d1, 1)
            add_dummy(d2, 2)
            b = cl.bond("rbfl")
            create_bond(b, "active-backup")
            set_opt(b, "miimon", "10")
            set_opt(b, "downdelay", "5000")
            enslave(b, d1)
            enslave(b, d2)
            sh(f"ip link set {b} up")
            # A fresh burst: the limit's interval (5 s) has passed.
            time.sleep(5.5)
            mark = LogMark()
            for _ in range(40):
                for v in ("0\n", "1\n"):
                    with open(f"/sys/class/net/{d1}/carrier", "w") as f:
                        f.write(v)
                    time.sleep(0.05)
            time.sleep(0.2)
            lines = bond_log(mark, b)
            delay_lines = [l for l in lines if "link status down for" in l
                           or "link status up again after" in l]
            others = [l for l in lines if l not in delay_lines]
            return {
                "some_printed": len(delay_lines) > 0,
                "at_most_a_burst": len(delay_lines) <= 12,
                # Each return commits the link: not rate limited.
                "others_definitely_up": all("link status definitely up" in l for l in others),
            }

    r = same(differential(scenario, PARAMS))
    assert r == {"some_printed": True, "at_most_a_burst": True,
                 "others_definitely_up": True}, r
