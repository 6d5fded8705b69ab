# SPDX-License-Identifier: GPL-2.0
"""`modprobe -r` of the driver while its bonds carry traffic.

Bonds in modes 0 to 3, with slaves, up; pktgen sends through three of
them and `ping -f` through the active-backup one (veth slaves, a peer host
in a netns). Unloading must succeed at once, delete every bond, release
every slave (back to its own MAC, down, no master), stop pktgen's use of
the bonds, and leave nothing behind. The slaves' state after the unload is
compared between drivers.
"""

import json
import os
import subprocess
import time

import pytest

from bond_traffic import (BOND_IP, PEER_IP, Background, Bond, cleanup_veths,
                          del_links, dummies, peer_bridge, pktgen_flow,
                          pktgen_reset, pktgen_start, pktgen_stop,
                          tx_counts, veth_pairs, wait_for)
from conftest import DRIVERS, MODPROBE_CONF, Driver, loaded_modules, netdevs, same, sh

# Bond differential scenarios: the bench kernel runs them all against both
# drivers (`make check`), the debug kernel the first case of each function and
# the `debug_smoke` ones against rust_bond (see Documentation/testing.rst).
# Their C results follow the traffic and unload timing: C runs in every boot.
pytestmark = [pytest.mark.bond, pytest.mark.live_reference]

DUMMIES = {"balance-rr": ("rbu0a", "rbu0b"), "balance-xor": ("rbu2a", "rbu2b"),
           "broadcast": ("rbu3a", "rbu3b")}
VETHS = [("rbu1a", "rbp1"), ("rbu1b", "rbp2")]
BONDS = {"balance-rr": "rbu0", "active-backup": "rbu1", "balance-xor": "rbu2",
         "broadcast": "rbu3"}


# rr and broadcast use both slaves, xor's one pktgen flow one of them
# (layer2: 0x01 ^ 0x03 ^ 0x0800 is even), active-backup its active one.
EXPECTED_BUSY = ["rbu0a", "rbu0b", "rbu1a", "rbu2a", "rbu3a", "rbu3b"]


def slave_view(dev):
    j = json.loads(sh(f"ip -j link show dev {dev}"))[0]
    return {k: j.get(k) for k in ("ifname", "flags", "mtu", "address", "master",
                                  "operstate")}


def unload_under_traffic(drv):
    all_dummies = [d for pair in DUMMIES.values() for d in pair]
    slaves = all_dummies + [v[0] for v in VETHS]
    ping = None
    bg = None
    try:
        dummies(*all_dummies)
        veth_pairs(VETHS)
        peer_bridge([v[1] for v in VETHS])
        views_before = {d: slave_view(d) for d in slaves}
        bonds = {}
        for mode, name in BONDS.items():
            opts = {"miimon": 100} if mode == "active-backup" else {}
            b = Bond(name, mode, **opts)
            b.enslave(*(DUMMIES.get(mode) or [v[0] for v in VETHS]))
            bonds[mode] = b
        sh(f"ip addr add {BOND_IP}/24 dev rbu1")
        for b in bonds.values():
            b.up()
        wait_for(lambda: bonds["active-backup"].get("active_slave") == "rbu1a")
        pktgen_reset()
        pktgen_flow("rbu0", 0, rate=5000)
        pktgen_flow("rbu2", 0, rate=5000, clear=False)
        pktgen_flow("rbu3", 0, thread=1, rate=5000, clear=False)
        bg = Background(pktgen_start)
        ping = subprocess.Popen(["ping", "-f", "-q", "-w", "60", PEER_IP],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Which slaves carry traffic: wait (up to 15 s, for the slow debug
        # kernel) until every slave that is going to send has sent.
        c0 = tx_counts(slaves)
        deadline = time.monotonic() + 15
        while True:
            time.sleep(0.5)
            c1 = tx_counts(slaves)
            busy = sorted(d for d in slaves if c1[d] > c0[d])
            if busy == EXPECTED_BUSY or time.monotonic() > deadline:
                break
        t0 = time.monotonic()
        res = subprocess.run(["modprobe", "-r", drv.name], capture_output=True, text=True)
        took = time.monotonic() - t0
        bg.join(30)
        after = {
            "busy": busy,
            "modprobe_r": (res.returncode, res.stderr.strip()),
            "loaded": drv.name in loaded_modules(),
            "bonds_left": sorted(set(BONDS.values()) & set(os.listdir("/sys/class/net"))),
            "masters_file": os.path.exists("/sys/class/net/bonding_masters"),
            "proc": os.path.exists("/proc/net/bonding"),
            "pktgen_done": not bg.is_alive() and bg.error is None,
            "pktgen_devs": sorted(d for d in os.listdir("/proc/net/pktgen")
                                  if d.startswith("rbu")),
            "slaves": {d: slave_view(d) for d in slaves},
            "slave_sysfs": sorted(d for d in slaves
                                  if os.path.exists(f"/sys/class/net/{d}/bonding_slave")),
            "slaves_restored": {d: slave_view(d)["address"] == views_before[d]["address"]
                                for d in slaves},
        }
        return after, took
    finally:
        if ping:
            ping.kill()
            ping.wait()
        if bg and bg.is_alive():
            pktgen_stop()
            bg.join(30)
        if drv.name in loaded_modules():
            for name in BONDS.values():
                del_links(name)
        pktgen_reset()
        del_links(*[d for pair in DUMMIES.values() for d in pair])
        cleanup_veths([v[0] for v in VETHS])


# Under KASAN/lockdep/kmemleak too: unload races the xmit, rx and monitor paths.
@pytest.mark.debug_smoke
def test_unload_under_traffic():
    got = {}
    for name in DRIVERS:
        drv = Driver(name)
        drv.load("max_bonds=0")
        try:
            got[name], _took = unload_under_traffic(drv)
        finally:
            if name in loaded_modules():
                drv.unload_and_check()
            else:
                gone = netdevs() - drv.devs_before
                assert not gone, f"devices left after unloading {name}: {sorted(gone)}"
                os.unlink(MODPROBE_CONF)
    r = same(got)
    assert r["busy"] == EXPECTED_BUSY
    assert r["modprobe_r"] == (0, "")
    assert not r["loaded"] and not r["masters_file"] and not r["proc"]
    assert r["bonds_left"] == [] and r["pktgen_devs"] == [] and r["pktgen_done"]
    assert r["slave_sysfs"] == []
    assert all(r["slaves_restored"].values())
    for d, v in r["slaves"].items():
        assert v["master"] is None and "UP" not in v["flags"] and "SLAVE" not in v["flags"], v
        assert v["mtu"] == 1500


# ---------------------------------------------------------------------------
# bonding_masters writes racing the module's unload and a namespace's death
# ---------------------------------------------------------------------------

# Creates bonds through one open bonding_masters fd until a write fails;
# prints how many it made and the errno that stopped it. With NS set, the
# fd is that of a fresh namespace, which the writer leaves right after
# opening it, so that the namespace goes away while the writes go on.
MASTERS_WRITER = r"""
import ctypes, errno, os, sys
prefix, netns = sys.argv[1], len(sys.argv) > 2
fd = os.open("/sys/class/net/bonding_masters", os.O_WRONLY)
if netns:
    libc = ctypes.CDLL(None, use_errno=True)
    init = os.open("/proc/1/ns/net", os.O_RDONLY)
    if libc.setns(init, 0x40000000) != 0:  # CLONE_NEWNET
        sys.exit("setns: " + os.strerror(ctypes.get_errno()))
print("ready", flush=True)
made = 0
while True:
    try:
        os.write(fd, b"+%s%d\n" % (prefix.encode(), made))
        made += 1
    except OSError as e:
        print(made, errno.errorcode.get(e.errno, e.errno), flush=True)
        break
"""


def start_writer(prefix, netns=False):
    cmd = ["python3", "-c", MASTERS_WRITER, prefix]
    if netns:
        # Its own namespace and a sysfs mount that shows that namespace.
        cmd = ["unshare", "-n", "-m", "sh", "-c",
               'mount -t sysfs none /sys && exec "$@"', "sh"] + cmd + ["ns"]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert p.stdout.readline() == "ready\n", p.stderr.read()
    return p


def writer_result(p):
    # Not communicate(): it reads the pipes' descriptors and would miss what
    # start_writer's readline() has already buffered (a writer that fails
    # at once sends both of its lines together).
    p.wait(timeout=120)
    out, err = p.stdout.read(), p.stderr.read()
    assert p.returncode == 0, err
    made, why = out.split()
    return int(made), why


# Under KASAN/lockdep/kmemleak too: a bond made after the link kind went,
# or a write still running when the module's text is freed, is a crash.
@pytest.mark.debug_smoke
def test_unload_racing_masters_writes():
    """`modprobe -r` while two writers create bonds through bonding_masters
    as fast as they can: the unload succeeds, every bond is gone, even those
    made after the link kind was unregistered (C: bond_net_exit_batch_rtnl),
    and each writer stops with ENODEV once the file is removed."""
    got = {}
    for name in DRIVERS:
        drv = Driver(name)
        drv.load("max_bonds=0")
        writers = []
        try:
            writers = [start_writer(p) for p in ("rbwa", "rbwb")]
            # Let them make bonds; the unload then deletes those while the
            # writers wait for RTNL to make more.
            time.sleep(1)
            res = subprocess.run(["modprobe", "-r", name], capture_output=True, text=True)
            results = [writer_result(w) for w in writers]
            got[name] = {
                "modprobe_r": (res.returncode, res.stderr.strip()),
                "loaded": name in loaded_modules(),
                "bonds_left": sorted(d for d in netdevs() if d.startswith("rbw")),
                "writers_stopped_by": [why for _made, why in results],
                "writers_made_bonds": [made > 0 for made, _why in results],
            }
        finally:
            for w in writers:
                if w.poll() is None:
                    w.kill()
                    w.wait()
            if name in loaded_modules():
                drv.unload_and_check()
            else:
                os.unlink(MODPROBE_CONF)
    r = same(got)
    assert r["modprobe_r"] == (0, "") and not r["loaded"]
    assert r["bonds_left"] == []
    assert r["writers_stopped_by"] == ["ENODEV", "ENODEV"]
    assert r["writers_made_bonds"] == [True, True]


@pytest.mark.debug_smoke
def test_masters_writes_into_dying_namespace():
    """A writer keeps a namespace's bonding_masters open, leaves the
    namespace (which then goes away) and creates bonds through the fd until
    a write fails: it fails with ENODEV (the file goes before the
    namespace's devices, C's bond_net_pre_exit), and no bond outlives the
    namespace (the kernel would warn when freeing it)."""
    got = {}
    for name in DRIVERS:
        drv = Driver(name)
        drv.load("max_bonds=0")
        try:
            results = [writer_result(start_writer(f"rbz{i}_", netns=True)) for i in range(2)]
            got[name] = {
                "writers_stopped_by": [why for _made, why in results],
                "loaded": name in loaded_modules(),
            }
        finally:
            drv.unload_and_check()
    r = same(got)
    assert r["writers_stopped_by"] == ["ENODEV"] * 2
