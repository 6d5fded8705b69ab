# SPDX-License-Identifier: GPL-2.0
"""The bonding ioctls and Debian's admin tooling.

The ioctls are issued the way old `ifenslave` did: `ioctl(2)` on an AF_INET
socket with a `struct ifreq` naming the bond, and either `ifr_slave` (a
device name) or `ifr_data` (a pointer to a `struct ifbond`/`struct
ifslave`). Every command goes both ways: `SIOCBOND*` (through the core's
`ndo_siocbond`) and the legacy `SIOCDEVPRIVATE + n` aliases (through
`ndo_siocdevprivate`, where the driver alone checks the capability). The
query buffers are filled with a byte pattern first, so the comparison covers
every byte the driver writes back (padding, the name's tail). Compared:
errno, results, the bond's and slaves' sysfs and /proc state, the kernel log
lines. An unprivileged caller is a subprocess without CAP_NET_ADMIN
(`setpriv`).

Timestamping goes to the active slave: `SIOCGHWTSTAMP`/`SIOCSHWTSTAMP` on
the bond reach an rdummy slave (the net layer's sample driver, which keeps
a hardware timestamping configuration), and `ethtool -T` on the bond shows
the active slave's capabilities, or software transmit timestamping when
every slave has it.

Debian's `ifupdown` + `ifenslave` bring a bond up from an `interfaces` file
and take it down again (`ifup -i FILE --state-dir DIR`), with each driver
loaded and then with each driver autoloaded through the modprobe.d lines
the admin guide gives an operator.
"""

import ctypes
import errno
import fcntl
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import time

import pytest

from bond_lib import (
    Cleanup, LogMark, add_dummy, add_veth, bond_log, bond_state, create_bond, link_state, mac, opt, proc,
    read, read_all, set_opt,
)
from conftest import ALL_DRIVERS, DRIVERS, MODPROBE_CONF, loaded_modules, netdevs, same, sh
from rdummy_lib import RDummy

# Bond differential scenarios: the bench kernel runs them all against both
# drivers (`make check`), the debug kernel the first case of each function and
# the `debug_smoke` ones against rust_bond (see Documentation/testing.rst).
pytestmark = pytest.mark.bond

SIOCGMIIPHY, SIOCGMIIREG, SIOCSMIIREG = 0x8947, 0x8948, 0x8949
NEW = {
    "enslave": 0x8990, "release": 0x8991, "sethwaddr": 0x8992,
    "slave_info": 0x8993, "info": 0x8994, "change_active": 0x8995,
}
SIOCDEVPRIVATE = 0x89F0
OLD = {
    "enslave": SIOCDEVPRIVATE, "release": SIOCDEVPRIVATE + 1, "sethwaddr": SIOCDEVPRIVATE + 2,
    "slave_info": SIOCDEVPRIVATE + 11, "info": SIOCDEVPRIVATE + 12,
    "change_active": SIOCDEVPRIVATE + 13,
}
IFBOND = struct.Struct("iii")          # bond_mode, num_slaves, miimon
IFSLAVE = struct.Struct("i16sbbxxI")   # slave_id, slave_name, link, state, link_failure_count
assert IFSLAVE.size == 28


# ---------------------------------------------------------------------------
# ioctl helpers (also run as a script, for the unprivileged caller)
# ---------------------------------------------------------------------------
def _ioctl(cmd, ifr):
    """ioctl(2) on an AF_INET socket; (errno or 0, the ifreq back or None)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            return 0, fcntl.ioctl(s.fileno(), cmd, ifr)
        except OSError as e:
            return e.errno, None


def data_cmd(cmd, dev, ptr):
    """A command that passes a pointer in ifr_data (0 for NULL); its errno."""
    return _ioctl(cmd, struct.pack("16sP16x", dev.encode(), ptr))[0]


def slave_cmd(cmd, bond, slave):
    """A command that names a device in ifr_slave; its errno."""
    return _ioctl(cmd, struct.pack("16s16s8x", bond.encode(), slave.encode()))[0]


def info_query(cmd, bond, null=False):
    """SIOCBONDINFOQUERY (or its alias): (errno, ifbond fields)."""
    buf = ctypes.create_string_buffer(b"\x5a" * IFBOND.size, IFBOND.size)
    ptr = 0 if null else ctypes.addressof(buf)
    return data_cmd(cmd, bond, ptr), IFBOND.unpack(buf.raw)


def slave_info_query(cmd, bond, slave_id):
    """SIOCBONDSLAVEINFOQUERY (or its alias) for SLAVE_ID: (errno, fields,
    every byte of the struct as hex). The struct starts as 0xa5 bytes."""
    raw = bytearray(b"\xa5" * IFSLAVE.size)
    struct.pack_into("i", raw, 0, slave_id)
    buf = ctypes.create_string_buffer(bytes(raw), IFSLAVE.size)
    err = data_cmd(cmd, bond, ctypes.addressof(buf))
    sid, name, link, state, lfc = IFSLAVE.unpack(buf.raw)
    return err, (sid, name.split(b"\0")[0].decode(errors="replace"), link, state, lfc), buf.raw.hex()


def mii(cmd, dev, reg, val_out=0x1234):
    """SIOCGMIIPHY/SIOCGMIIREG/SIOCSMIIREG: (errno, (phy_id, reg, val_in,
    val_out) after the call). phy_id starts as 0xffff."""
    err, out = _ioctl(cmd, struct.pack("16sHHHH16x", dev.encode(), 0xFFFF, reg, 0, val_out))
    return err, (struct.unpack_from("HHHH", out, 16) if out else None)


def unprivileged_calls(bond, slave, other):
    """What the unprivileged caller tries (run without CAP_NET_ADMIN)."""
    out = {}
    for kind, cmds in (("new", NEW), ("old", OLD)):
        out[f"{kind} enslave"] = slave_cmd(cmds["enslave"], bond, other)
        out[f"{kind} enslave unknown"] = slave_cmd(cmds["enslave"], bond, "rbinosuch")
        out[f"{kind} release"] = slave_cmd(cmds["release"], bond, slave)
        out[f"{kind} sethwaddr"] = slave_cmd(cmds["sethwaddr"], bond, other)
        out[f"{kind} change_active"] = slave_cmd(cmds["change_active"], bond, slave)
        out[f"{kind} info"] = info_query(cmds["info"], bond)
        out[f"{kind} slave_info"] = slave_info_query(cmds["slave_info"], bond, 0)
    out["miireg"] = mii(SIOCGMIIREG, bond, 1)
    return out


def run_unprivileged(bond, slave, other):
    res = subprocess.run(
        ["setpriv", "--inh-caps=-all", "--bounding-set=-net_admin", "--",
         sys.executable, os.path.abspath(__file__), bond, slave, other],
        capture_output=True, text=True, check=True)
    return json.loads(res.stdout)


# ---------------------------------------------------------------------------
# The ioctl scenario
# ---------------------------------------------------------------------------
BOND, OTHER_BOND = "rbi0", "rbi1"
D0, D1, D2, D3 = "rbid0", "rbid1", "rbid2", "rbid3"


def _state(bond, slaves):
    return {
        "files": read_all(bond),
        "proc": proc(bond),
        "bond": bond_state(bond),
        "slaves": {s: link_state(s) for s in slaves},
    }


def _ioctl_scenario(drv):
    out = {}
    with Cleanup() as cl:
        cl.bond(BOND)
        cl.bond(OTHER_BOND)
        create_bond(BOND, "active-backup")
        set_opt(BOND, "miimon", "100")
        create_bond(OTHER_BOND, "active-backup")
        for i, d in enumerate((D0, D1, D2, D3)):
            add_dummy(cl.link(d), 0x40 + i)
        sh(f"ip link set {BOND} up")
        set_opt(OTHER_BOND, "slaves", f"+{D3}")
        slaves = (D0, D1, D2, D3)

        def step(name, fn, *args):
            mark = LogMark()
            res = fn(*args)
            out[name] = (res, bond_log(mark, BOND, OTHER_BOND))

        step("info empty", info_query, NEW["info"], BOND)
        step("info empty old", info_query, OLD["info"], BOND)
        step("slave_info empty", slave_info_query, NEW["slave_info"], BOND, 0)
        step("miiphy no slaves", mii, SIOCGMIIPHY, BOND, 1)
        step("enslave d0", slave_cmd, NEW["enslave"], BOND, D0)
        step("enslave d1 old", slave_cmd, OLD["enslave"], BOND, D1)
        step("enslave d1 again", slave_cmd, NEW["enslave"], BOND, D1)
        step("enslave other's slave", slave_cmd, OLD["enslave"], BOND, D3)
        step("enslave itself", slave_cmd, NEW["enslave"], BOND, BOND)
        step("enslave unknown", slave_cmd, NEW["enslave"], BOND, "rbinosuch")
        step("enslave unknown old", slave_cmd, OLD["enslave"], BOND, "rbinosuch")
        step("enslave empty name", slave_cmd, NEW["enslave"], BOND, "")
        out["enslaved"] = _state(BOND, slaves)
        for kind, cmds in (("new", NEW), ("old", OLD)):
            step(f"info {kind}", info_query, cmds["info"], BOND)
            for sid in (0, 1, 2, -1, 1 << 30):
                step(f"slave_info {kind} {sid}", slave_info_query, cmds["slave_info"], BOND, sid)
        step("info null pointer", info_query, NEW["info"], BOND, True)
        step("info old null pointer", info_query, OLD["info"], BOND, True)
        step("info on a slave", info_query, NEW["info"], D0)
        step("info on a non-device", info_query, NEW["info"], "rbinosuch")
        step("change_active d1", slave_cmd, NEW["change_active"], BOND, D1)
        out["active after d1"] = opt(BOND, "active_slave")
        step("change_active d0 old", slave_cmd, OLD["change_active"], BOND, D0)
        out["active after d0"] = opt(BOND, "active_slave")
        step("change_active same", slave_cmd, NEW["change_active"], BOND, D0)
        step("change_active not a slave", slave_cmd, NEW["change_active"], BOND, D2)
        step("change_active not our slave", slave_cmd, OLD["change_active"], BOND, D3)
        step("change_active unknown", slave_cmd, NEW["change_active"], BOND, "rbinosuch")
        step("slave_info after change", slave_info_query, NEW["slave_info"], BOND, 1)
        step("sethwaddr d2", slave_cmd, NEW["sethwaddr"], BOND, D2)
        out["bond after sethwaddr d2"] = bond_state(BOND)
        step("sethwaddr d1 old", slave_cmd, OLD["sethwaddr"], BOND, D1)
        out["bond after sethwaddr d1"] = bond_state(BOND)
        step("sethwaddr unknown", slave_cmd, NEW["sethwaddr"], BOND, "rbinosuch")
        out["changed"] = _state(BOND, slaves)
        for cmd in (SIOCGMIIPHY, SIOCGMIIREG):
            for reg in (1, 0, 2):
                step(f"mii {cmd:#x} reg {reg}", mii, cmd, BOND, reg)
        step("mii set", mii, SIOCSMIIREG, BOND, 1)
        for n in (3, 10, 14, 15):
            step(f"devprivate +{n}", slave_cmd, SIOCDEVPRIVATE + n, BOND, D0)
        out["unprivileged"] = run_unprivileged(BOND, D0, D2)
        out["after unprivileged"] = _state(BOND, slaves)
        step("release other's slave", slave_cmd, NEW["release"], BOND, D3)
        step("release not a slave", slave_cmd, OLD["release"], BOND, D2)
        step("release unknown", slave_cmd, NEW["release"], BOND, "rbinosuch")
        step("release d0", slave_cmd, NEW["release"], BOND, D0)
        step("release d0 again", slave_cmd, NEW["release"], BOND, D0)
        out["one left"] = _state(BOND, slaves)
        step("release d1 old", slave_cmd, OLD["release"], BOND, D1)
        step("info after release", info_query, OLD["info"], BOND)
        step("miireg no slaves", mii, SIOCGMIIREG, BOND, 1)
        out["released"] = _state(BOND, slaves)
    return out


def test_ioctls(differential):
    c = same(differential(_ioctl_scenario, "max_bonds=0"))
    ok = lambda r: (r, [])  # noqa: E731
    m0 = mac(0x40)
    # What C answers, so that the comparison cannot pass on two wrong answers.
    assert c["info empty"] == ok((0, (1, 0, 100)))
    assert c["info empty old"] == c["info empty"]
    assert c["slave_info empty"][0][0] == errno.ENODEV
    assert c["enslave d0"][0] == 0 and c["enslave d1 old"][0] == 0
    assert c["enslave d1 again"][0] == errno.EBUSY
    assert c["enslave other's slave"][0] == errno.EBUSY
    assert c["enslave itself"][0] == errno.EPERM
    for k in ("enslave unknown", "enslave unknown old", "enslave empty name", "sethwaddr unknown",
              "change_active unknown", "release unknown"):
        assert c[k] == ok(errno.ENODEV), k
    for kind in ("new", "old"):
        assert c[f"info {kind}"] == ok((0, (1, 2, 100)))
        assert c[f"slave_info {kind} 0"][0][:2] == (0, (0, D0, 0, 0, 0))
        assert c[f"slave_info {kind} 1"][0][:2] == (0, (1, D1, 0, 1, 0))
        for sid in (2, -1, 1 << 30):
            assert c[f"slave_info {kind} {sid}"][0][0] == errno.ENODEV
    assert c["info null pointer"][0][0] == errno.EFAULT
    assert c["info old null pointer"][0][0] == errno.EFAULT
    assert c["info on a slave"][0][0] == errno.EOPNOTSUPP
    assert c["info on a non-device"][0][0] == errno.ENODEV
    assert c["change_active d1"][0] == 0 and c["active after d1"] == D1
    assert c["change_active d0 old"][0] == 0 and c["active after d0"] == D0
    assert c["change_active not a slave"][0] == errno.EINVAL
    assert c["change_active not our slave"][0] == errno.EINVAL
    assert c["bond after sethwaddr d2"]["address"] == mac(0x42)
    # d1 has the bond's first address (d0's) since it was enslaved.
    assert c["bond after sethwaddr d1"]["address"] == m0
    assert c["changed"]["slaves"][D1]["address"] == m0
    assert c[f"mii {SIOCGMIIPHY:#x} reg 1"] == ok((0, (0, 1, 0, 4)))
    assert c[f"mii {SIOCGMIIREG:#x} reg 1"] == ok((0, (0xFFFF, 1, 0, 4)))
    assert c[f"mii {SIOCGMIIREG:#x} reg 2"] == ok((0, (0xFFFF, 2, 0, 0x1234)))
    assert c["mii set"][0][0] == errno.EOPNOTSUPP
    for n in (3, 10, 14, 15):
        assert c[f"devprivate +{n}"] == ok(errno.EOPNOTSUPP)
    u = c["unprivileged"]
    for kind in ("new", "old"):
        for k in ("enslave", "enslave unknown", "release", "sethwaddr", "change_active"):
            assert u[f"{kind} {k}"] == errno.EPERM, (kind, k)
        assert u[f"{kind} info"] == [0, [1, 2, 100]]
        assert u[f"{kind} slave_info"][:2] == [0, [0, D0, 0, 0, 0]]
    assert u["miireg"][0] == errno.EPERM
    assert c["after unprivileged"] == c["changed"]
    assert c["release other's slave"] == ok(errno.EINVAL)
    assert c["release d0"][0] == 0 and c["release d0 again"][0] == errno.EINVAL
    assert c["release d1 old"][0] == 0
    assert c["info after release"] == ok((0, (1, 0, 100)))
    assert c["miireg no slaves"] == ok((0, (0xFFFF, 1, 0, 0)))
    assert c["released"]["files"]["slaves"] == ""


# ---------------------------------------------------------------------------
# Timestamping through the bond
# ---------------------------------------------------------------------------
SIOCSHWTSTAMP, SIOCGHWTSTAMP = 0x89B0, 0x89B1
HWTSTAMP_CONFIG = struct.Struct("iii")  # flags, tx_type, rx_filter
BONDED_PHC_INDEX = 1
TX_ON, FILTER_ALL, FILTER_PTP_V2_EVENT = 1, 1, 12
TX_ONESTEP_SYNC = 2  # valid for the core, refused by rdummy
TS_BOND, TS_RR, TS_INNER = "rbts0", "rbts1", "rbts2"
R0, R1, TS_VETH = "rbtsr0", "rbtsr1", "rbtsv0"


def hwtstamp(cmd, dev, flags=0, tx_type=0, rx_filter=0):
    """SIOC[GS]HWTSTAMP on DEV: (errno, the hwtstamp_config after the call)."""
    buf = ctypes.create_string_buffer(HWTSTAMP_CONFIG.pack(flags, tx_type, rx_filter),
                                      HWTSTAMP_CONFIG.size)
    return data_cmd(cmd, dev, ctypes.addressof(buf)), HWTSTAMP_CONFIG.unpack(buf.raw)


def ts_info(dev):
    """`ethtool -T DEV`, without the first line (it names DEV)."""
    return sh(f"ethtool -T {dev}").splitlines()[1:]


def has_capability(info, name):
    """Whether `ethtool -T` lines list capability NAME ("hardware-transmit")."""
    return any(line.split() and line.split()[0] == name for line in info)


@pytest.fixture
def rdummy_loaded():
    """rdummy, for slaves with hardware timestamping, without devices."""
    rd = RDummy()
    yield
    rd.unload_and_check()


def _tstamp_scenario(drv):
    out = {}
    with Cleanup() as cl:
        cl.bond(TS_BOND)
        cl.bond(TS_RR)
        create_bond(TS_BOND, "active-backup")
        create_bond(TS_RR, "balance-rr")
        out["no slaves"] = (hwtstamp(SIOCGHWTSTAMP, TS_BOND), ts_info(TS_BOND), ts_info(TS_RR))
        for r in (R0, R1):
            sh(f"ip link add {cl.link(r)} type rdummy")
        set_opt(TS_BOND, "slaves", f"+{R0}")
        set_opt(TS_BOND, "slaves", f"+{R1}")
        sh(f"ip link set {TS_BOND} up")
        out["active"] = opt(TS_BOND, "active_slave")
        out["get"] = hwtstamp(SIOCGHWTSTAMP, TS_BOND)
        out["set without flag"] = hwtstamp(SIOCSHWTSTAMP, TS_BOND, 0, TX_ON, FILTER_ALL)
        out["set"] = hwtstamp(SIOCSHWTSTAMP, TS_BOND, BONDED_PHC_INDEX, TX_ON, FILTER_PTP_V2_EVENT)
        out["set bad"] = hwtstamp(SIOCSHWTSTAMP, TS_BOND, BONDED_PHC_INDEX, TX_ONESTEP_SYNC, 0)
        out["get after set"] = hwtstamp(SIOCGHWTSTAMP, TS_BOND)
        out["slaves after set"] = {r: hwtstamp(SIOCGHWTSTAMP, r) for r in (R0, R1)}
        out["ts_info active-backup"] = ts_info(TS_BOND)
        set_opt(TS_BOND, "active_slave", R1)
        out["get after failover"] = hwtstamp(SIOCGHWTSTAMP, TS_BOND)
        # A load-balancing bond has no active slave, even with an rdummy as
        # its first slave: no hardware timestamping, and software transmit
        # timestamping if every slave has it (veth has, rdummy too, an
        # empty balance-rr bond not).
        set_opt(TS_BOND, "slaves", f"-{R1}")
        set_opt(TS_RR, "slaves", f"+{R1}")
        add_veth(cl.link(TS_VETH), 0x50)
        set_opt(TS_RR, "slaves", f"+{TS_VETH}")
        sh(f"ip link set {TS_RR} up")
        out["rr get"] = hwtstamp(SIOCGHWTSTAMP, TS_RR)
        out["rr set"] = hwtstamp(SIOCSHWTSTAMP, TS_RR, BONDED_PHC_INDEX, TX_ON, FILTER_ALL)
        out["ts_info balance-rr"] = ts_info(TS_RR)
        cl.bond(TS_INNER)
        create_bond(TS_INNER, "balance-rr")
        set_opt(TS_RR, "slaves", f"+{TS_INNER}")
        out["ts_info balance-rr with an empty bond"] = ts_info(TS_RR)
    return out


def test_hwtstamp(differential, rdummy_loaded):
    c = same(differential(_tstamp_scenario, "max_bonds=0"))
    # What C answers, so that the comparison cannot pass on two wrong answers.
    assert c["no slaves"][0] == (errno.EOPNOTSUPP, (0, 0, 0))
    assert c["active"] == R0
    assert c["get"] == (0, (BONDED_PHC_INDEX, 0, 0))
    assert c["set without flag"][0] == errno.EOPNOTSUPP
    assert c["set"] == (0, (BONDED_PHC_INDEX, TX_ON, FILTER_ALL))
    assert c["set bad"][0] == errno.ERANGE
    assert c["get after set"] == c["set"]
    assert c["slaves after set"] == {R0: (0, (0, TX_ON, FILTER_ALL)), R1: (0, (0, 0, 0))}
    assert has_capability(c["ts_info active-backup"], "hardware-transmit")
    assert c["get after failover"] == (0, (BONDED_PHC_INDEX, 0, 0))
    assert c["rr get"][0] == errno.EOPNOTSUPP
    assert c["rr set"][0] == errno.EOPNOTSUPP
    assert has_capability(c["ts_info balance-rr"], "software-transmit")
    assert not has_capability(c["ts_info balance-rr"], "hardware-transmit")
    assert not has_capability(c["ts_info balance-rr with an empty bond"], "software-transmit")
    assert not has_capability(c["no slaves"][1], "software-transmit")


# ---------------------------------------------------------------------------
# ifupdown + ifenslave
# ---------------------------------------------------------------------------
IF_BOND, IF_S0, IF_S1 = "rbif0", "rbifd0", "rbifd1"
INTERFACES = f"""\
auto {IF_BOND}
iface {IF_BOND} inet static
    address 192.0.2.1/24
    bond-slaves {IF_S0} {IF_S1}
    bond-mode active-backup
    bond-miimon 100
    bond-updelay 200
    bond-downdelay 100
    bond-primary {IF_S1}
    bond-primary-reselect better
    bond-num-grat-arp 3
    bond-fail-over-mac active
"""


def _ifupdown(cmd, ifile, state_dir):
    res = subprocess.run([cmd, "-i", ifile, "--state-dir", state_dir, IF_BOND],
                         capture_output=True, text=True)
    return res.returncode, res.stdout, res.stderr


def _wait_settled(timeout=10.0):
    """Until the primary is active and both slaves are up (updelay)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if (opt(IF_BOND, "active_slave") == IF_S1
                and all(read(f"/sys/class/net/{s}/bonding_slave/mii_status") == "up\n"
                        for s in (IF_S0, IF_S1))):
            return True
        time.sleep(0.1)
    return False


def _ifupdown_scenario(drv=None):
    """ifup the bond of INTERFACES over two dummies, look, ifdown, look."""
    out = {}
    with tempfile.TemporaryDirectory() as tmp, Cleanup() as cl:
        cl.bond(IF_BOND)
        ifile, state_dir = os.path.join(tmp, "interfaces"), os.path.join(tmp, "state")
        os.mkdir(state_dir)
        with open(ifile, "w") as f:
            f.write(INTERFACES)
        add_dummy(cl.link(IF_S0), 0x50)
        add_dummy(cl.link(IF_S1), 0x51)
        mark = LogMark()
        out["ifup"] = _ifupdown("ifup", ifile, state_dir)
        out["settled"] = _wait_settled()
        # Sorted: the MII monitor's lines interleave with ifup's enslaving
        # and failover lines as the guest's timing has it, in C as here.
        # Whether the first slave is made active before the primary comes
        # up is timing too (updelay 200 ms against the gap between ifup's
        # two enslaves, in either driver): only the final choice counts.
        final = read(f"/sys/class/net/{IF_BOND}/bonding/active_slave").strip()
        out["up log"] = sorted(
            line for line in bond_log(mark, IF_BOND)
            if not line.endswith("making interface the new active one")
            or f"(slave {final})" in line)
        out["up"] = _state(IF_BOND, (IF_S0, IF_S1))
        out["addr"] = sh(f"ip -4 -o addr show dev {IF_BOND}").split()[3]
        out["operstate"] = read(f"/sys/class/net/{IF_BOND}/operstate")
        mark = LogMark()
        out["ifdown"] = _ifupdown("ifdown", ifile, state_dir)
        out["down log"] = bond_log(mark, IF_BOND)
        out["bond gone"] = not os.path.exists(f"/sys/class/net/{IF_BOND}")
        out["down"] = {s: link_state(s) for s in (IF_S0, IF_S1)}
    return out


def _check_ifupdown(c):
    assert c["ifup"][0] == 0, c["ifup"]
    assert c["settled"]
    files = c["up"]["files"]
    assert files["mode"] == "active-backup 1\n" and files["miimon"] == "100\n"
    assert files["slaves"] == f"{IF_S0} {IF_S1}\n"
    assert files["primary"] == f"{IF_S1}\n" and files["primary_reselect"] == "better 1\n"
    assert files["updelay"] == "200\n" and files["downdelay"] == "100\n"
    assert files["num_grat_arp"] == "3\n" and files["fail_over_mac"] == "active 1\n"
    assert c["addr"] == "192.0.2.1/24"
    assert c["ifdown"][0] == 0, c["ifdown"]
    assert c["bond gone"]
    for s in (IF_S0, IF_S1):
        assert c["down"][s]["master"] is None


@pytest.mark.live_reference  # ifup's wait for the bond, updelay
def test_ifupdown(differential):
    """The driver loaded; ifupdown configures the bond through sysfs and
    `ip link add type bond`."""
    _check_ifupdown(same(differential(_ifupdown_scenario, "max_bonds=0")))


# The lines the admin guide tells an operator to put in /etc/modprobe.d/ so
# that everything that loads `bonding` (or the `bond` link kind) gets
# rust_bond (and bonding.ko never loads); for the C driver, rust_bond is
# blocked as in every other test.
OPERATOR_CONF = {
    "rust_bond": "alias rtnl-link-bond rust_bond\n"
                 "install bonding /sbin/modprobe rust_bond\n"
                 "options rust_bond max_bonds=0\n",
    "bonding": "install rust_bond /bin/false\n",
}


def test_ifupdown_autoload():
    """No driver loaded: `ifup` makes the kernel load the one the modprobe.d
    lines name (`ip link add type bond` asks for rtnl-link-bond), and
    `modprobe bonding` loads it too."""
    got = {}
    for name in DRIVERS:
        devs_before = netdevs()
        with open(MODPROBE_CONF, "w") as f:
            f.write(OPERATOR_CONF[name])
        try:
            res = _ifupdown_scenario()
            res["loaded"] = sorted(m for m in ALL_DRIVERS if m in loaded_modules()) == [name]
            sh(f"modprobe -r {name}")
            rc = subprocess.run("modprobe bonding", shell=True, capture_output=True).returncode
            res["modprobe bonding"] = (rc, sorted(m for m in ALL_DRIVERS if m in loaded_modules()))
            res["masters"] = read("/sys/class/net/bonding_masters")
            sh(f"modprobe -r {name}")
            assert netdevs() == devs_before, sorted(netdevs() ^ devs_before)
        finally:
            os.unlink(MODPROBE_CONF)
            for m in ALL_DRIVERS:
                if m in loaded_modules():
                    sh(f"modprobe -r {m}", check=False)
        res["modprobe bonding"] = (res["modprobe bonding"][0], res["modprobe bonding"][1] == [name])
        got[name] = res
    c = same(got)
    _check_ifupdown(c)
    assert c["loaded"] and c["modprobe bonding"] == (0, True)
    assert c["masters"] == ""


if __name__ == "__main__":
    # The unprivileged caller of test_ioctls: BOND SLAVE OTHER.
    print(json.dumps(unprivileged_calls(*sys.argv[1:4])))
