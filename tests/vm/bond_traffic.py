# SPDX-License-Identifier: GPL-2.0
"""Helpers for the data-plane VM tests: bonds made through sysfs, dummy and
veth slaves, pktgen flows, per-slave counters, the kernel log of a bond.

Everything here works through the user ABI only (sysfs, procfs, ip), so the
same scenario runs unchanged against `bonding` and `rust_bond`.
"""

import os
import re
import signal
import subprocess
import threading
import time

from conftest import sh

MASTERS = "/sys/class/net/bonding_masters"
PGDIR = "/proc/net/pktgen"
NS = "rbtd"  # the peer namespace of the veth tests
PEER_IP = "192.0.2.2"
BOND_IP = "192.0.2.1"


def write(path, value):
    """Write VALUE to a sysfs/procfs file in one write(2), as `echo` does."""
    with open(path, "w") as f:
        f.write(f"{value}\n")


def read(path):
    with open(path) as f:
        return f.read().strip()


def no_ipv6(dev, ns=None):
    """Keep IPv6 (router solicitations, MLD, DAD) off DEV: only the test's
    traffic may show in the counters."""
    path = f"/proc/sys/net/ipv6/conf/{dev}/disable_ipv6"
    if ns:
        sh(f"ip netns exec {ns} sh -c 'echo 1 > {path}'")
    else:
        write(path, 1)


class Bond:
    """A bond created through bonding_masters, configured through sysfs."""

    def __init__(self, name, mode, **opts):
        self.name = name
        self.slaves = []
        write(MASTERS, f"+{name}")
        no_ipv6(name)
        self.set("mode", mode)
        for k, v in opts.items():
            self.set(k, v)

    def path(self, opt):
        return f"/sys/class/net/{self.name}/bonding/{opt}"

    def set(self, opt, value):
        write(self.path(opt), value)

    def get(self, opt):
        return read(self.path(opt))

    def enslave(self, *devs):
        for dev in devs:
            write(self.path("slaves"), f"+{dev}")
            self.slaves.append(dev)

    def up(self):
        sh(f"ip link set {self.name} up")

    def proc(self):
        return read(f"/proc/net/bonding/{self.name}")

    def delete(self):
        if os.path.exists(f"/sys/class/net/{self.name}"):
            write(MASTERS, f"-{self.name}")

    def log(self, drv, start=0):
        """The kernel log lines of this bond (and of bonding's sysfs) since
        the driver was loaded, from line START on, normalized."""
        return bond_log(drv.log()[start:], self.name)


def slave_state(dev):
    """What sysfs says about a slave: mii_status, state, link_failure_count."""
    d = f"/sys/class/net/{dev}/bonding_slave"
    return {k: read(f"{d}/{k}") for k in ("mii_status", "state", "link_failure_count")}


_DRIVER_PREFIX = re.compile(r"^(bonding|rust_bond): ")


def bond_log(lines, bond):
    """Kernel log lines about BOND: its netdev/slave lines and bonding's
    sysfs lines naming it. The driver's own `pr_*` prefix (bonding:,
    rust_bond:) is dropped, and measured times ("after 123 ms") are masked;
    configured delays ("disabling it in 300 ms") are exact and kept."""
    out = []
    for line in lines:
        driver_line = bool(_DRIVER_PREFIX.match(line))
        line = _DRIVER_PREFIX.sub("", line)
        if not (line.startswith(f"{bond}: ")
                or driver_line and re.search(rf"\b{bond}\b", line)):
            continue
        line = re.sub(r"\b(after) \d+ ms\b", r"\1 N ms", line)
        line = re.sub(r"\b\d+ ms earlier\b", "N ms earlier", line)
        out.append(line)
    return out


def dummies(*names):
    """Dummy devices with fixed MACs (02:00:00:00:0d:<i>), IPv6 off."""
    for i, n in enumerate(names, 1):
        sh(f"ip link add {n} address 02:00:00:00:0d:{i:02x} type dummy")
        no_ipv6(n)


def del_links(*names):
    for n in names:
        if os.path.exists(f"/sys/class/net/{n}"):
            sh(f"ip link del {n}", check=False)


def veth_pairs(pairs, ns=NS):
    """Veth pairs (local, peer) with the peers in netns NS, fixed MACs
    (local 02:00:00:00:0a:<i>, peer 02:00:00:00:0b:<i>), IPv6 off on both
    sides, peers up."""
    if not os.path.exists(f"/run/netns/{ns}"):
        sh(f"ip netns add {ns}")
        sh(f"ip -n {ns} link set lo up")
    for i, (loc, peer) in enumerate(pairs, 1):
        sh(f"ip link add {loc} address 02:00:00:00:0a:{i:02x} type veth "
           f"peer name {peer} address 02:00:00:00:0b:{i:02x} netns {ns}")
        no_ipv6(loc)
        no_ipv6(peer, ns)
        sh(f"ip -n {ns} link set {peer} up")


def peer_bridge(peers, ns=NS, ip=PEER_IP):
    """A bridge in NS over PEERS, with IP: the host the ARP monitor probes."""
    sh(f"ip -n {ns} link add br0 type bridge stp_state 0 forward_delay 0")
    no_ipv6("br0", ns)
    for p in peers:
        sh(f"ip -n {ns} link set {p} master br0")
    sh(f"ip -n {ns} addr add {ip}/24 dev br0")
    sh(f"ip -n {ns} link set br0 up")


def cleanup_veths(locals_, ns=NS):
    """Delete the local ends first (which deletes the peers at once), then
    the namespace: a device left in a dying netns disappears asynchronously."""
    del_links(*locals_)
    if os.path.exists(f"/run/netns/{ns}"):
        sh(f"ip netns del {ns}", check=False)


def peer_link(peer, state, ns=NS):
    sh(f"ip -n {ns} link set {peer} {state}")


def ethtool_speed_duplex(dev):
    """(Speed, Duplex) as `ethtool DEV` prints them, e.g. ("10000Mb/s", "Full")."""
    out = sh(f"ethtool {dev}")
    field = lambda k: next(l.split(":", 1)[1].strip() for l in out.splitlines()
                           if l.strip().startswith(k + ":"))
    return field("Speed"), field("Duplex")


def wait_for(cond, timeout=10.0, step=0.02, what="condition"):
    """Poll COND until true; return the seconds it took. Fail after TIMEOUT."""
    t0 = time.monotonic()
    while True:
        if cond():
            return time.monotonic() - t0
        if time.monotonic() - t0 > timeout:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(step)


def tx_packets(dev):
    return int(read(f"/sys/class/net/{dev}/statistics/tx_packets"))


def tx_counts(devs):
    return {d: tx_packets(d) for d in devs}


def tx_delta(devs, fn):
    """Run FN; return how many packets each of DEVS sent meanwhile."""
    before = tx_counts(devs)
    fn()
    after = tx_counts(devs)
    return {d: after[d] - before[d] for d in devs}


# pktgen ------------------------------------------------------------------


def _pg(path, cmd):
    write(f"{PGDIR}/{path}", cmd)


def _pg_devs():
    return [f for f in os.listdir(PGDIR) if f != "pgctrl" and not f.startswith("kpktgend_")]


def pktgen_reset():
    """Load pktgen and detach every device from its threads (pktgen's
    threads do that asynchronously: wait until they are gone)."""
    sh("modprobe pktgen")
    for t in sorted(os.listdir(PGDIR)):
        if t.startswith("kpktgend_"):
            _pg(t, "rem_device_all")
    wait_for(lambda: not _pg_devs(), what="pktgen to drop its devices")


def pktgen_flow(dev, count, flow=None, thread=0, size=100, rate=None, clear=True):
    """Attach DEV to pktgen thread THREAD (after detaching every device
    unless not CLEAR; a device already attached is only reconfigured), to send
    COUNT packets of the one fixed FLOW (dict of pktgen commands, e.g.
    {"dst_mac": ..., "src_mac": ..., "dst": ..., "src_min": ...,
    "src_max": ..., "udp_src_min": ...}). Count 0 runs until stopped, at
    RATE packets per second (20000 if not given): full-rate pktgen on an
    emulated CPU starves the rest of the guest."""
    if not os.path.exists(f"{PGDIR}/{dev}"):
        if clear:
            pktgen_reset()
        _pg(f"kpktgend_{thread}", f"add_device {dev}")
    cmds = [f"count {count}", f"pkt_size {size}", "delay 0", "clone_skb 0"]
    if count == 0 or rate:
        cmds.append(f"ratep {rate or 20000}")
    for k, v in (flow or {"dst_mac": "02:00:00:00:00:01", "dst": "10.255.0.1"}).items():
        cmds.append(f"{k} {v}")
    for c in cmds:
        _pg(dev, c)
        res = read(f"{PGDIR}/{dev}").splitlines()
        result = next((l for l in res if l.startswith("Result:")), "")
        assert "OK" in result, f"pktgen {dev} `{c}`: {result}"


def pktgen_start():
    """Run every configured pktgen thread; returns when they are done."""
    _pg("pgctrl", "start")


def pktgen_stop():
    try:
        _pg("pgctrl", "stop")
    except OSError:
        pass


def pktgen_sent(dev):
    """Packets pktgen says it sent on DEV in its last run."""
    text = read(f"{PGDIR}/{dev}")
    m = re.search(r"Result: OK: \d+\(c\d+\+d\d+\) usec, (\d+) \(", text)
    return int(m.group(1)) if m else None


def send_flow(dev, count, flow, thread=0):
    pktgen_flow(dev, count, flow, thread)
    pktgen_start()


class Background(threading.Thread):
    """Run a blocking callable in a thread; .error holds what it raised."""

    def __init__(self, fn, *args):
        super().__init__(daemon=True)
        self.fn, self.args, self.error = fn, args, None
        self.start()

    def run(self):
        try:
            self.fn(*self.args)
        except Exception as e:  # noqa: BLE001 - reported by the test
            self.error = e


class Capture:
    """tcpdump on IFACE (in netns NS) with FILTER, started and ready."""

    def __init__(self, iface, filt, ns=NS):
        pre = ["ip", "netns", "exec", ns] if ns else []
        self.p = subprocess.Popen(
            pre + ["tcpdump", "-i", iface, "-nn", "-t", "-l", "-e", "-p", filt],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # tcpdump says "listening on ..." on stderr once its socket is bound.
        seen = []
        while not seen or "listening on" not in seen[-1]:
            line = self.p.stderr.readline()
            assert line, f"tcpdump did not start: {seen!r}"
            seen.append(line)

    def stop(self):
        """Stop the capture; return the packet lines."""
        self.p.send_signal(signal.SIGINT)
        out, _ = self.p.communicate(timeout=30)
        return [l for l in out.splitlines() if l.strip()]
