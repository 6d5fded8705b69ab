# SPDX-License-Identifier: GPL-2.0
"""Non-Ethernet slaves and bond-in-bond type changes, use_carrier=0, and
three small behaviours found wrong before (fail_over_mac=follow without an
old active slave, writing miimon while the monitor is pending, the stats
lock of a bond enslaved in a bond).

The type change scenario is the kernel selftest
drivers/net/bonding/bond-eth-type-change.sh done through sysfs: an nlmon
device (ARPHRD_NETLINK) enslaved to a bond that is itself a slave, then
released, then an Ethernet device (another bond) enslaved, after which the
bond must still carry IFF_MASTER and IFF_SLAVE.
"""

import json
import time

import pytest

from bond_lib import (Cleanup, LogMark, add_dummy, add_veth, bond_dir,
                      bond_log, bond_state, create_bond, ip_rc, mac, opt, proc,
                      read, set_opt, write)
from conftest import same, sh

pytestmark = pytest.mark.bond

PARAMS = "max_bonds=0"
IFF_MASTER = 0x400
IFF_SLAVE = 0x800


def _enslave(bond, slave):
    """+SLAVE through sysfs: (errno, log lines)."""
    mark = LogMark()
    err = write(f"{bond_dir(bond)}/slaves", f"+{slave}\n")
    return err, mark


def _flags(dev):
    return int(read(f"/sys/class/net/{dev}/flags").strip(), 16)


def _link(dev):
    """`ip -d -j link show` fields that the type change touches."""
    j = json.loads(sh(f"ip -d -j link show {dev}"))[0]
    keep = ("flags", "mtu", "link_type", "min_mtu", "max_mtu", "txqlen", "broadcast",
            "master", "operstate")
    return {k: j.get(k) for k in keep}


def _type_change(success):
    def scenario(drv):
        out = []
        with Cleanup() as cl:
            nl = cl.link("rbtn0")
            sh(f"ip link add {nl} type nlmon")
            b0, b1, b2 = cl.bond("rbt0"), cl.bond("rbt1"), cl.bond("rbt2")
            create_bond(b0)
            if success:
                set_opt(b0, "mode", "active-backup")
            create_bond(b1)
            create_bond(b2)
            err, mark = _enslave(b1, b0)
            out.append(("+b0", err, bond_log(mark, b0, b1, b2)))
            err, mark = _enslave(b0, nl)
            out.append(("+nlmon", err, bond_log(mark, b0, b1, b2), bond_state(b0), _link(b0),
                        opt(b0, "fail_over_mac"), opt(b0, "slaves")))
            mark = LogMark()
            err = write(f"{bond_dir(b0)}/slaves", f"-{nl}\n")
            out.append(("-nlmon", err, bond_log(mark, b0, b1, b2), bond_state(b0)["type"],
                        _link(b0)))
            err, mark = _enslave(b0, b2)
            st = bond_state(b0)
            out.append(("+b2", err, bond_log(mark, b0, b1, b2), st["type"], _link(b0)))
            flags = _flags(b0)
            # What the selftest checks: MASTER and SLAVE survive.
            assert flags & IFF_MASTER, f"{drv.name}: MASTER flag lost: {flags:#x}"
            assert flags & IFF_SLAVE, f"{drv.name}: SLAVE flag lost: {flags:#x}"
            out.append(("flags", flags))
        return out

    return scenario


@pytest.mark.parametrize("success", [0, 1], ids=["rr-fails", "ab-works"])
def test_eth_type_change_bond_in_bond(differential, success):
    got = differential(_type_change(success), PARAMS)
    same(got)


@pytest.mark.live_reference  # MII monitor timing
def test_nonether_slave_states(differential):
    """An nlmon, a point-to-point GRE device (no header ops) and a GRE
    device without remote (header ops, forwarded by the bond) as first slaves of active-backup
    bonds; then the slave's deletion destroys the bond, as in C."""

    def scenario(drv):
        out = []
        with Cleanup() as cl:
            sh(f"ip link add {cl.link('rbxn0')} type nlmon")
            sh(f"ip link add {cl.link('rbxt0')} type gre local 192.0.2.2 remote 192.0.2.3")
            sh(f"ip link add {cl.link('rbxg0')} type gre local 192.0.2.1")
            for i, slave in enumerate(("rbxn0", "rbxt0", "rbxg0")):
                b = cl.bond(f"rbx{i}")
                create_bond(b, "active-backup")
                set_opt(b, "miimon", "100")
                sh(f"ip link set {b} up")
                err, mark = _enslave(b, slave)
                time.sleep(0.3)
                out.append((slave, err, bond_log(mark, b), bond_state(b), _link(b),
                            opt(b, "active_slave"), opt(b, "fail_over_mac"), proc(b)))
            # Through the GRE bond: the packet is built by the GRE header
            # ops (the bond forwards to its active slave) and leaves on it.
            sh("ip addr add 198.51.100.1/24 dev rbx2")
            sh("ip neigh replace 198.51.100.2 lladdr 203.0.113.9 dev rbx2 nud permanent")
            sh("ping -c 2 -i 0.2 -W 1 198.51.100.2", check=False)
            j = json.loads(sh("ip -s -j link show rbxg0"))[0]["stats64"]["tx"]
            out.append(("gre tx", j["packets"] >= 2, j["bytes"] // max(j["packets"], 1)))
            # Deleting the only slave of a non-Ethernet bond destroys it.
            for i, slave in enumerate(("rbxn0", "rbxt0", "rbxg0")):
                mark = LogMark()
                sh(f"ip link del {slave}")
                time.sleep(0.2)
                out.append((slave, "deleted", bond_log(mark, f"rbx{i}"),
                            f"rbx{i}" in read("/sys/class/net/bonding_masters").split()))
        return out

    same(differential(scenario, PARAMS))


def _mii_states(bond, slaves):
    return {s: read(f"/sys/class/net/{s}/bonding_slave/mii_status").strip() for s in slaves}


@pytest.mark.live_reference  # MII monitor timing
@pytest.mark.parametrize("use_carrier", [0, 1])
def test_use_carrier(differential, use_carrier):
    """use_carrier=0: the MII monitor asks ethtool get_link (veth has it),
    else the MII ioctl, else assumes the link is up (dummy has neither);
    use_carrier=1 reads the carrier of both.

    The veth's carrier is off from the start and never changes: bonding.ko
    calls ethtool_op_get_link() from its monitor without RTNL, which
    processes a pending link event and trips RTNL assertions (a C bug that
    upstream answered by removing use_carrier=0), so a carrier change of a
    slave with get_link would fail the run for C.
    """

    def scenario(drv):
        with Cleanup() as cl:
            b = cl.bond("rbu0")
            create_bond(b, "active-backup")
            set_opt(b, "miimon", "50")
            set_opt(b, "use_carrier", str(use_carrier))
            add_dummy(cl.link("rbud0"), 0x60)
            add_veth(cl.link("rbuv0"), 0x61)
            sh("ip link set rbuv0p down")
            sh(f"ip link set {b} up")
            time.sleep(0.3)
            mark = LogMark()
            for s in ("rbud0", "rbuv0"):
                set_opt(b, "slaves", f"+{s}")
            enslave_log = bond_log(mark, b)
            time.sleep(0.3)
            before = (_mii_states(b, ("rbud0", "rbuv0")), opt(b, "active_slave"))
            mark = LogMark()
            sh("ip link set rbud0 carrier off")
            time.sleep(0.5)
            after = (_mii_states(b, ("rbud0", "rbuv0")), opt(b, "active_slave"),
                     opt(b, "mii_status"), bond_log(mark, b))
            return enslave_log, before, after, proc(b)

    got = differential(scenario, PARAMS)
    res = same(got)
    # Not a test that cannot fail: the two settings must see the dummy
    # differently, and the veth's get_link must say down.
    assert res[2][0] == {"rbud0": "up" if use_carrier == 0 else "down", "rbuv0": "down"}, res


@pytest.mark.live_reference  # MII monitor timing
def test_fail_over_mac_follow_without_old_active(differential):
    """fail_over_mac=follow: when a slave becomes active while there is no
    active slave, it swaps addresses with the slave that holds the bond's
    (bond_get_old_active), so no two slaves share the bond's address."""

    def scenario(drv):
        with Cleanup() as cl:
            b = cl.bond("rbm0")
            create_bond(b, "active-backup")
            set_opt(b, "fail_over_mac", "follow")
            set_opt(b, "miimon", "50")
            add_dummy(cl.link("rbmd0"), 0x70)
            add_dummy(cl.link("rbmd1"), 0x71)
            sh(f"ip link set {b} up")
            steps = []

            def snap(what):
                time.sleep(0.4)
                steps.append((what, opt(b, "active_slave"),
                              read(f"/sys/class/net/{b}/address").strip(),
                              read("/sys/class/net/rbmd0/address").strip(),
                              read("/sys/class/net/rbmd1/address").strip()))

            set_opt(b, "slaves", "+rbmd0")
            set_opt(b, "slaves", "+rbmd1")
            snap("enslaved")
            sh("ip link set rbmd0 carrier off")
            snap("d0 down")
            sh("ip link set rbmd1 carrier off")
            snap("both down")
            mark = LogMark()
            sh("ip link set rbmd0 carrier on")
            snap("d0 up")
            steps.append(bond_log(mark, b))
            return steps

    steps = same(differential(scenario, PARAMS))
    _, active, bond_addr, d0, d1 = steps[3]
    assert active == "rbmd0" and d0 == bond_addr == mac(0x70) and d1 == mac(0x71), steps


@pytest.mark.live_reference  # MII monitor timing
def test_miimon_write_keeps_pending_monitor(differential):
    """Writing miimon while the monitor is pending leaves it at its time
    (C's queue_delayed_work), so a link change is seen at the next
    scheduled run, not at once."""

    def scenario(drv):
        with Cleanup() as cl:
            b = cl.bond("rbw0")
            create_bond(b, "active-backup")
            set_opt(b, "miimon", "20000")
            add_dummy(cl.link("rbwd0"), 0x78)
            set_opt(b, "slaves", "+rbwd0")
            sh(f"ip link set {b} up")  # the monitor runs now, then in 20 s
            time.sleep(0.5)
            sh("ip link set rbwd0 carrier off")
            set_opt(b, "miimon", "20000")
            time.sleep(1)
            return _mii_states(b, ("rbwd0",)), opt(b, "mii_status")

    res = same(differential(scenario, PARAMS))
    assert res == ({"rbwd0": "up"}, "up"), res


@pytest.mark.debug_smoke
def test_bond_in_bond_stats(differential):
    """A bond enslaved in a bond of the same driver: reading the upper
    bond's counters takes the lower bond's stats lock inside its own (C
    uses spin_lock_nested; lockdep must not report recursion on the debug
    kernel)."""

    def scenario(drv):
        with Cleanup() as cl:
            outer, inner = cl.bond("rbs1"), cl.bond("rbs0")
            create_bond(inner)
            create_bond(outer)
            add_dummy(cl.link("rbsd0"), 0x7a)
            set_opt(inner, "slaves", "+rbsd0")
            set_opt(outer, "slaves", f"+{inner}")
            sh(f"ip link set {outer} up")
            sh(f"ip link set {inner} up")
            reads = []
            for _ in range(3):
                j = json.loads(sh(f"ip -s -j link show {outer}"))[0]
                reads.append(sorted(j["stats64"]["tx"].keys()))
                read(f"/sys/class/net/{outer}/statistics/tx_packets")
            # Releasing the lower bond folds its counters under the lock too.
            set_opt(outer, "slaves", f"-{inner}")
            return reads, opt(outer, "slaves"), opt(inner, "slaves")

    same(differential(scenario, PARAMS))


# (kind, `ip link add` arguments, addr_len): hardware addresses other than
# Ethernet's 6 bytes, shorter and longer. GRE's address is its local IPv4
# address: 1.0.2.7 starts with a byte that Ethernet reads as multicast, and
# the bond that takes it must still open (C has no ndo_validate_addr).
ODD_ADDR_SLAVES = [
    ("gre", "type gre local 1.0.2.7 remote 192.0.2.8", 4),
    ("ip6gre", "type ip6gre local 2001:db8::7 remote 2001:db8::8", 16),
    ("ip6tnl", "type ip6tnl local 2001:db8::9 remote 2001:db8::a mode ip6ip6", 16),
]


@pytest.mark.parametrize("kind,args,addr_len", ODD_ADDR_SLAVES,
                         ids=[s[0] for s in ODD_ADDR_SLAVES])
def test_slave_address_length(differential, kind, args, addr_len):
    """A slave whose hardware address is not 6 bytes long: the bond takes
    it whole, and perm_hwaddr (sysfs, /proc, netlink) shows all of its
    addr_len bytes; the release leaves the slave's address as it was."""

    def scenario(drv):
        out = {}
        with Cleanup() as cl:
            s = cl.link("rbal0")
            sh(f"ip link add {s} {args}")
            b = cl.bond("rbal")
            create_bond(b, "active-backup")
            before = json.loads(sh(f"ip -j link show {s}"))[0]
            err, mark = _enslave(b, s)
            out["enslave"] = (err, bond_log(mark, b))
            link = json.loads(sh(f"ip -d -j link show {b}"))[0]
            out["bond"] = {k: link.get(k) for k in ("address", "broadcast", "link_type")}
            port = json.loads(sh(f"ip -d -j link show {s}"))[0]
            out["netlink_perm_hwaddr"] = port.get("linkinfo", {}).get(
                "info_slave_data", {}).get("perm_hwaddr")
            out["sysfs_perm_hwaddr"] = read(f"/sys/class/net/{s}/bonding_slave/perm_hwaddr")
            out["proc"] = proc(b)
            out["up"] = ip_rc(f"ip link set {b} up")
            out["flags_up"] = "UP" in json.loads(sh(f"ip -j link show {b}"))[0]["flags"]
            sh(f"ip link set {b} down")
            mark = LogMark()
            err = write(f"{bond_dir(b)}/slaves", f"-{s}\n")
            out["release"] = (err, bond_log(mark, b))
            after = json.loads(sh(f"ip -j link show {s}"))[0]
            out["slave_address_kept"] = after.get("address") == before.get("address")
            out["slave_address"] = after.get("address")
        return out

    r = same(differential(scenario, PARAMS))
    assert r["enslave"][0] == 0
    assert r["up"] == (0, "") and r["flags_up"], r["up"]
    assert len(r["sysfs_perm_hwaddr"].strip().split(":")) == addr_len
    assert r["slave_address_kept"]
