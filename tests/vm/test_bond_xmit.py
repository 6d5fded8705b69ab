# SPDX-License-Identifier: GPL-2.0
"""Which slave each packet leaves on, per mode and xmit_hash_policy.

pktgen sends fixed flows through a bond over dummy slaves; each slave's
tx_packets counter tells where every flow went. The per-flow map must be the
same for every driver, and the C driver's must match the hash formulas of
bond_main.c (computed here in Python), so a test cannot pass vacuously.
"""

import errno
import ipaddress
import os
import re
import socket
import struct

import pytest

from bond_traffic import (Bond, del_links, dummies, no_ipv6, pktgen_reset,
                          read, send_flow, tx_delta, tx_packets, wait_for)
from conftest import same, sh

# Bond differential scenarios: the bench kernel runs them all against both
# drivers (`make check`), the debug kernel the first case of each function and
# the `debug_smoke` ones against rust_bond (see Documentation/testing.rst).
pytestmark = pytest.mark.bond

PARAMS = "max_bonds=0"
SLAVES = ("rbd1", "rbd2", "rbd3")
PER_FLOW = 4  # packets per flow: all of them must leave on one slave

# (src MAC, dst MAC, src IP, dst IP, UDP sport, UDP dport); IPv4 and IPv6.
FLOWS = [
    ("02:00:00:00:01:01", "02:00:00:00:02:01", "10.0.0.1", "10.0.1.1", 9, 9),
    ("02:00:00:00:01:02", "02:00:00:00:02:01", "10.0.0.1", "10.0.1.1", 9, 9),
    ("02:00:00:00:01:03", "02:00:00:00:02:07", "10.0.0.1", "10.0.1.1", 9, 9),
    ("02:00:00:00:01:01", "02:00:00:00:02:01", "10.0.0.2", "10.0.1.1", 9, 9),
    ("02:00:00:00:01:01", "02:00:00:00:02:01", "10.0.0.1", "10.0.1.9", 9, 9),
    ("02:00:00:00:01:01", "02:00:00:00:02:01", "10.0.0.1", "10.0.1.1", 1000, 9),
    ("02:00:00:00:01:01", "02:00:00:00:02:01", "10.0.0.1", "10.0.1.1", 1003, 9),
    ("02:00:00:00:01:01", "02:00:00:00:02:01", "10.0.0.1", "10.0.1.1", 9, 5001),
    ("02:00:00:00:01:01", "02:00:00:00:02:01", "192.168.7.3", "172.16.44.5", 40000, 53),
    ("02:00:0a:0b:0c:0d", "02:00:00:00:02:01", "10.0.0.1", "10.0.1.1", 9, 9),
    ("02:00:00:00:01:01", "02:00:00:00:02:01", "2001:db8::1", "2001:db8::2", 9, 9),
    ("02:00:00:00:01:01", "02:00:00:00:02:01", "2001:db8::1", "2001:db8:1::7", 9, 9),
    ("02:00:00:00:01:01", "02:00:00:00:02:01", "2001:db8::1", "2001:db8::2", 1001, 9),
    ("02:00:00:00:01:04", "02:00:00:00:02:01", "2001:db8::5", "2001:db8::2", 9, 2000),
]
# Flows sent through a VLAN device on the bond (the tag reaches the bond as
# skb->vlan_tci, hw-accelerated), and with pktgen's in-band VLAN header.
VLAN_FLOWS = [(FLOWS[0], 100), (FLOWS[0], 101), (FLOWS[1], 4000)]
INBAND_FLOWS = [(FLOWS[0], 5), (FLOWS[2], 6)]

POLICIES = ("layer2", "layer3+4", "layer2+3", "encap2+3", "encap3+4", "vlan+srcmac")


# The hash of bond_main.c, little-endian host (x86_64) ----------------------


def r32(b):
    return int.from_bytes(b, "little")


def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))


def ip_hash(h, src, dst, l34):
    def addr(a):
        b = ipaddress.ip_address(a).packed
        return r32(b) if len(b) == 4 else r32(b[0:4]) ^ r32(b[4:8]) ^ r32(b[8:12]) ^ r32(b[12:16])

    h = (h ^ addr(dst) ^ addr(src)) & 0xFFFFFFFF
    h ^= h >> 16
    h ^= h >> 8
    return h >> 1 if l34 else h


def expected_hash(policy, flow, tci=0, inband=False):
    """bond_xmit_hash() of a pktgen UDP packet of FLOW. TCI: a hw-accel tag;
    INBAND: the tag is in the frame (ethertype 0x8100, skb->protocol too)."""
    smac, dmac, sip, dip, sport, dport = flow
    v6 = ":" in sip
    ethertype = 0x8100 if inband else (0x86DD if v6 else 0x0800)
    eth = mac(dmac)[5] ^ mac(smac)[5] ^ ethertype
    ports = r32(sport.to_bytes(2, "big") + dport.to_bytes(2, "big"))
    if policy == "vlan+srcmac":
        s = mac(smac)
        return tci ^ (s[0] << 16 | s[1] << 8 | s[2]) ^ (s[3] << 16 | s[4] << 8 | s[5])
    if policy == "layer2" or inband:
        # layer2; or an in-band tag: pktgen sets skb->protocol 0x8100 but the
        # network header after the tag, so both bond_flow_dissect() and the
        # full dissector (encap*) fail and the eth hash (0x8100) is used.
        return eth
    if policy in ("layer2+3", "encap2+3"):
        return ip_hash(eth, sip, dip, False)
    return ip_hash(ports, sip, dip, True)


def pktgen_cmds(flow):
    smac, dmac, sip, dip, sport, dport = flow
    cmds = {"src_mac": smac, "dst_mac": dmac}
    if ":" in sip:
        cmds.update({"src6": sip, "dst6": dip})
    else:
        cmds.update({"src_min": sip, "src_max": sip, "dst": dip})
    cmds.update({"udp_src_min": sport, "udp_src_max": sport,
                 "udp_dst_min": dport, "udp_dst_max": dport})
    return cmds


def one_slave(delta):
    """The slave a flow's PER_FLOW packets all left on, or the whole delta."""
    hit = [d for d, n in delta.items() if n]
    if len(hit) == 1 and delta[hit[0]] == PER_FLOW:
        return hit[0]
    return delta


def run_flows(bond, dev, flows, extra=None):
    """Send each flow PER_FLOW times out of DEV; return [slave or delta]."""
    out = []
    for flow in flows:
        cmds = pktgen_cmds(flow)
        cmds.update(extra or {})
        delta = tx_delta(bond.slaves, lambda: send_flow(dev, PER_FLOW, cmds))
        out.append(one_slave(delta))
    return out


def xmit_bond(mode, nslaves=3, **opts):
    dummies(*SLAVES[:nslaves])
    bond = Bond("rbx0", mode, **opts)
    bond.enslave(*SLAVES[:nslaves])
    bond.up()
    return bond


def cleanup(bond, *extra):
    pktgen_reset()
    del_links(*extra)
    bond.delete()
    del_links(*SLAVES)


@pytest.mark.parametrize("policy", POLICIES)
def test_balance_xor_flow_to_slave(differential, policy):
    """balance-xor, 3 slaves: each flow (MACs, IPv4/IPv6 addresses, UDP
    ports, VLAN tag) leaves on the slave the policy's hash picks."""

    def scenario(drv):
        pktgen_reset()
        bond = xmit_bond("balance-xor", xmit_hash_policy=policy)
        try:
            got = {"plain": run_flows(bond, "rbx0", FLOWS)}
            vlan = []
            for flow, vid in VLAN_FLOWS:
                sh(f"ip link add link rbx0 name rbx0.v type vlan id {vid}")
                no_ipv6("rbx0.v")
                sh("ip link set rbx0.v up")
                vlan += run_flows(bond, "rbx0.v", [flow])
                sh("ip link del rbx0.v")
            got["vlan"] = vlan
            got["inband"] = [run_flows(bond, "rbx0", [flow], {"vlan_id": vid})[0]
                             for flow, vid in INBAND_FLOWS]
            got["policy"] = bond.get("xmit_hash_policy")
            return got
        finally:
            cleanup(bond, "rbx0.v")

    got = same(differential(scenario, PARAMS))
    slaves = SLAVES
    expect = {
        "plain": [slaves[expected_hash(policy, f) % 3] for f in FLOWS],
        "vlan": [slaves[expected_hash(policy, f, tci=v) % 3] for f, v in VLAN_FLOWS],
        "inband": [slaves[expected_hash(policy, f, inband=True) % 3] for f, v in INBAND_FLOWS],
        "policy": f"{policy} {POLICIES.index(policy)}",
    }
    assert got == expect, got
    # The flows are chosen so that every policy spreads them.
    assert len(set(got["plain"])) >= 2


def rr_expected(n, nslaves, pps):
    """balance-rr: packet k (1-based, the per-CPU counter is pre-incremented)
    goes to slave (k / pps) % nslaves."""
    counts = [0] * nslaves
    for k in range(1, n + 1):
        counts[(k // pps) % nslaves] += 1
    return counts


@pytest.mark.parametrize("pps", [1, 3])
def test_balance_rr_spread(differential, pps):
    """balance-rr with packets_per_slave 1 and 3: exact per-slave counts of
    one pktgen run, then of a second run continuing the same counter."""
    n1, n2 = 10, 7

    def scenario(drv):
        pktgen_reset()
        bond = xmit_bond("balance-rr", packets_per_slave=pps)
        try:
            flow = {"dst_mac": "02:00:00:00:02:01", "dst": "10.0.1.1"}
            first = tx_delta(bond.slaves, lambda: send_flow("rbx0", n1, flow))
            second = tx_delta(bond.slaves, lambda: send_flow("rbx0", n2, flow))
            return [list(first.values()), list(second.values()),
                    bond.get("packets_per_slave")]
        finally:
            cleanup(bond)

    got = same(differential(scenario, PARAMS))
    total = rr_expected(n1 + n2, 3, pps)
    first = rr_expected(n1, 3, pps)
    assert got == [first, [t - f for t, f in zip(total, first)], str(pps)]


def test_balance_rr_random_spreads(differential):
    """packets_per_slave 0 picks slaves at random: only the total is exact."""

    def scenario(drv):
        pktgen_reset()
        bond = xmit_bond("balance-rr", packets_per_slave=0)
        try:
            d = tx_delta(bond.slaves, lambda: send_flow("rbx0", 60, None))
            return sum(d.values()), sum(1 for n in d.values() if n) >= 2
        finally:
            cleanup(bond)

    assert same(differential(scenario, PARAMS)) == (60, True)


def test_broadcast_every_slave_every_packet(differential):
    def scenario(drv):
        pktgen_reset()
        bond = xmit_bond("broadcast")
        try:
            d = tx_delta(bond.slaves, lambda: send_flow("rbx0", 25, None))
            return list(d.values())
        finally:
            cleanup(bond)

    assert same(differential(scenario, PARAMS)) == [25, 25, 25]


def test_active_backup_only_active_sends(differential):
    """active-backup: everything leaves on the active slave; after the
    active slave is changed through sysfs, on the new one."""

    def scenario(drv):
        pktgen_reset()
        bond = xmit_bond("active-backup", miimon=100)
        try:
            res = [bond.get("active_slave")]
            res.append(list(tx_delta(bond.slaves, lambda: send_flow("rbx0", 20, None)).values()))
            bond.set("active_slave", "rbd3")
            res.append(bond.get("active_slave"))
            res.append(list(tx_delta(bond.slaves, lambda: send_flow("rbx0", 20, None)).values()))
            return res
        finally:
            cleanup(bond)

    assert same(differential(scenario, PARAMS)) == ["rbd1", [20, 0, 0], "rbd3", [0, 0, 20]]


def send_raw(dev, n):
    """Send N broadcast frames out of DEV through a packet socket (pktgen
    refuses a device without carrier, which a bond without slaves is)."""
    frame = b"\xff" * 6 + bytes.fromhex("020000000101") + b"\x88\xb5" + bytes(46)
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as s:
        s.bind((dev, 0))
        for _ in range(n):
            try:
                s.send(frame)
            except OSError:
                pass  # the drop may come back as ENOBUFS


def test_no_slaves_drops(differential):
    """A bond without slaves drops what it is given and counts tx_dropped,
    in every mode that has no slave-less special case."""

    def scenario(drv):
        res = {}
        for mode in ("balance-rr", "active-backup", "balance-xor", "broadcast"):
            bond = Bond("rbx0", mode)
            try:
                bond.up()
                stat = "/sys/class/net/rbx0/statistics/"
                before = int(read(stat + "tx_dropped")), int(read(stat + "tx_packets"))
                send_raw("rbx0", 5)
                after = int(read(stat + "tx_dropped")), int(read(stat + "tx_packets"))
                res[mode] = [a - b for a, b in zip(after, before)]
            finally:
                bond.delete()
        return res

    got = same(differential(scenario, PARAMS))
    assert got == {m: [5, 0] for m in ("balance-rr", "active-backup", "balance-xor", "broadcast")}


# What the sender sees, and the queue_id override --------------------------

ETH_P_IP = 0x0800


def ipv4_frame(dst):
    """An Ethernet frame of one IPv4/UDP packet (64 bytes) to DST."""
    payload = bytes(22)
    udp = struct.pack("!HHHH", 9, 9, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0,
                     socket.inet_aton("10.0.0.1"), socket.inet_aton(dst))
    csum = sum(struct.unpack("!10H", ip))
    csum = (csum & 0xFFFF) + (csum >> 16)
    ip = ip[:10] + struct.pack("!H", ~csum & 0xFFFF) + ip[12:]
    return mac("02:00:00:00:02:01") + mac("02:00:00:00:01:01") + b"\x08\x00" + ip + udp


def send_frames(dev, frames):
    """Send FRAMES out of DEV through a packet socket (dev_queue_xmit, the
    bond's qdisc included) from CPU 0 (balance-rr's counter is per CPU);
    return what each send() said: "ok" or the errno's name."""
    cpus = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {0})
    out = []
    try:
        with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as s:
            s.bind((dev, ETH_P_IP))
            for frame in frames:
                try:
                    s.send(frame)
                    out.append("ok")
                except OSError as e:
                    out.append(errno.errorcode[e.errno])
    finally:
        os.sched_setaffinity(0, cpus)
    return out


def refuse(dev):
    """Make DEV's queue refuse every packet (NET_XMIT_DROP)."""
    sh(f"tc qdisc replace dev {dev} root pfifo limit 0")


def test_slave_queue_drop_reaches_sender(differential):
    """A slave whose qdisc drops (pfifo limit 0): the bond's ndo_start_xmit
    returns the slave's dev_queue_xmit() code (C's bond_dev_queue_xmit), so
    a packet socket's send() fails with ENOBUFS and pktgen counts errors;
    broadcast says OK if any slave took the packet, else drops. (A bond
    without slaves has no carrier, so its packets stop in the noop qdisc
    before ndo_start_xmit: test_no_slaves_drops.)"""
    frame = ipv4_frame("10.0.1.1")
    stat = "/sys/class/net/rbx0/statistics/tx_dropped"

    def case(mode, refused=("rbd1",), n=4, **opts):
        bond = xmit_bond(mode, nslaves=2, miimon=100, **opts)
        try:
            for dev in refused:
                refuse(dev)
            res = {}
            dropped = int(read(stat))
            delta = tx_delta(bond.slaves, lambda: res.update(sent=send_frames("rbx0", [frame] * n)))
            res["tx"] = list(delta.values())
            res["bond_tx_dropped"] = int(read(stat)) - dropped
            if mode == "active-backup":
                bond.set("active_slave", "rbd2")
                res["to_rbd2"] = send_frames("rbx0", [frame] * n)
            if mode == "balance-rr":
                # pktgen counts what is not NETDEV_TX_OK as an error and
                # sends until COUNT packets went.
                pktgen_reset()
                delta = tx_delta(bond.slaves, lambda: send_flow("rbx0", 8, None))
                res["pktgen_tx"] = list(delta.values())
                text = read("/proc/net/pktgen/rbx0")
                res["pktgen_errors"] = int(re.search(r"errors: (\d+)", text).group(1))
                pktgen_reset()
            return res
        finally:
            cleanup(bond)

    def scenario(drv):
        got = {mode: case(mode) for mode in ("active-backup", "balance-rr", "balance-xor")}
        got["broadcast"] = case("broadcast")
        got["broadcast, both refuse"] = case("broadcast", refused=("rbd1", "rbd2"))
        return got

    got = same(differential(scenario, PARAMS))
    assert got["active-backup"]["sent"] == ["ENOBUFS"] * 4, got
    assert got["active-backup"]["to_rbd2"] == ["ok"] * 4, got
    assert got["balance-rr"]["sent"].count("ENOBUFS") == 2, got
    assert got["balance-rr"]["pktgen_tx"] == [0, 8] and got["balance-rr"]["pktgen_errors"] >= 7, got
    assert got["broadcast"]["sent"] == ["ok"] * 4, got
    assert got["broadcast, both refuse"]["sent"] == ["ENOBUFS"] * 4, got
    assert got["broadcast, both refuse"]["bond_tx_dropped"] == 4, got


def test_queue_id_override_by_skbedit(differential):
    """Documentation/networking/bonding.rst, "Overriding Configuration for
    Special Cases": a multiq root qdisc on the bond and a u32 filter whose
    skbedit action sets queue_mapping 2 send the matching packets on the
    slave with queue_id 2, the backup slave in active-backup too; others
    (and a queue_mapping no slave has) go where the mode sends them, and so
    do matching packets once that slave is down (bond_slave_override)."""
    matched, other, unknown = (ipv4_frame(d) for d in ("192.0.2.9", "192.0.2.10", "192.0.2.11"))

    def sent(bond, frames):
        delta = {}

        def go():
            delta["sent"] = send_frames("rbx0", frames)
            # Transmission out of the bond's qdisc may finish in softirq.
            try:
                wait_for(lambda: sum(tx_packets(s) for s in bond.slaves) - base >= len(frames),
                         timeout=2)
            except AssertionError:
                pass

        base = sum(tx_packets(s) for s in bond.slaves)
        delta["tx"] = list(tx_delta(bond.slaves, go).values())
        return delta

    def case(mode):
        bond = xmit_bond(mode, nslaves=2, miimon=100)
        try:
            bond.set("queue_id", "rbd2:2")
            sh("tc qdisc add dev rbx0 handle 1 root multiq")
            for dst, queue in (("192.0.2.9", 2), ("192.0.2.11", 3)):
                sh(f"tc filter add dev rbx0 protocol ip parent 1: prio 1 u32 "
                   f"match ip dst {dst} action skbedit queue_mapping {queue}")
            res = {"queue_id": read("/sys/class/net/rbd2/bonding_slave/queue_id")}
            res["matched"] = sent(bond, [matched] * 4)
            res["other"] = sent(bond, [other] * 4)
            res["no such queue_id"] = sent(bond, [unknown] * 4)
            sh("ip link set rbd2 down")
            res["matched, rbd2 down"] = sent(bond, [matched] * 4)
            return res
        finally:
            cleanup(bond)

    def scenario(drv):
        sh("modprobe -a sch_multiq cls_u32 act_skbedit")
        return {mode: case(mode) for mode in ("active-backup", "balance-rr")}

    got = same(differential(scenario, PARAMS))
    ok = ["ok"] * 4
    for mode in ("active-backup", "balance-rr"):
        assert got[mode]["queue_id"] == "2", got
        assert got[mode]["matched"] == {"sent": ok, "tx": [0, 4]}, got
        assert got[mode]["matched, rbd2 down"] == {"sent": ok, "tx": [4, 0]}, got
    assert got["active-backup"]["other"] == {"sent": ok, "tx": [4, 0]}, got
    assert got["balance-rr"]["other"] == {"sent": ok, "tx": [2, 2]}, got
