# SPDX-License-Identifier: GPL-2.0
"""Shared helpers for the configuration-plane tests of the bonding core.

Everything here returns plain data (str, int, tuples, dicts) so that a
`differential` scenario can hand it back and `same()` can compare the two
drivers. Slaves get FIXED MAC addresses so that texts compare; a bond's own
MAC is random until its first slave, so no helper returns it raw.

The one place where rust_bond is allowed to differ from C is
`KNOWN_DIFFERENCES` below; tests consult it through `drop_known()`.
"""

import errno
import json
import os
import re
import subprocess

import pytest

from conftest import ALL_DRIVERS, DRIVERS, MODPROBE_CONF, loaded_modules, netdevs, sh

MASTERS = "/sys/class/net/bonding_masters"

# The modes rust_bond implements in this issue, by name; index = number.
MODES = ("balance-rr", "active-backup", "balance-xor", "broadcast")
ALL_MODES = MODES + ("802.3ad", "balance-tlb", "balance-alb")

# Every file C creates under /sys/class/net/<bond>/bonding/ (38).
BOND_FILES = (
    "active_slave", "ad_actor_key", "ad_actor_sys_prio", "ad_actor_system",
    "ad_aggregator", "ad_num_ports", "ad_partner_key", "ad_partner_mac",
    "ad_select", "ad_user_port_key", "all_slaves_active", "arp_all_targets",
    "arp_interval", "arp_ip_target", "arp_missed_max", "arp_validate",
    "downdelay", "fail_over_mac", "lacp_active", "lacp_rate", "lp_interval",
    "miimon", "mii_status", "min_links", "mode", "num_grat_arp",
    "num_unsol_na", "packets_per_slave", "peer_notif_delay", "primary",
    "primary_reselect", "queue_id", "resend_igmp", "slaves",
    "tlb_dynamic_lb", "updelay", "use_carrier", "xmit_hash_policy",
)
READ_ONLY_FILES = (
    "ad_actor_key", "ad_aggregator", "ad_num_ports", "ad_partner_key",
    "ad_partner_mac", "mii_status",
)
SLAVE_FILES = (
    "ad_actor_oper_port_state", "ad_aggregator_id", "ad_partner_oper_port_state",
    "link_failure_count", "mii_status", "perm_hwaddr", "queue_id", "state",
)

# What a fresh bond (created through bonding_masters, default module
# parameters) shows in mode balance-rr, as read from C. Other modes differ
# only in `mode`.
FRESH_FILES = {
    "active_slave": "", "ad_actor_key": "", "ad_actor_sys_prio": "",
    "ad_actor_system": "", "ad_aggregator": "", "ad_num_ports": "",
    "ad_partner_key": "", "ad_partner_mac": "", "ad_select": "stable 0\n",
    "ad_user_port_key": "", "all_slaves_active": "0\n", "arp_all_targets": "any 0\n",
    "arp_interval": "0\n", "arp_ip_target": "", "arp_missed_max": "2\n",
    "arp_validate": "none 0\n", "downdelay": "0\n", "fail_over_mac": "none 0\n",
    "lacp_active": "on 1\n", "lacp_rate": "slow 0\n", "lp_interval": "1\n",
    "miimon": "0\n", "mii_status": "down\n", "min_links": "0\n",
    "mode": "balance-rr 0\n", "num_grat_arp": "1\n", "num_unsol_na": "1\n",
    "packets_per_slave": "1\n", "peer_notif_delay": "0\n", "primary": "",
    "primary_reselect": "always 0\n", "queue_id": "", "resend_igmp": "1\n",
    "slaves": "", "tlb_dynamic_lb": "1\n", "updelay": "0\n", "use_carrier": "1\n",
    "xmit_hash_policy": "layer2 0\n",
}

# ---------------------------------------------------------------------------
# Known differences: the ONLY places where rust_bond may answer differently
# from C. Key: (what, value); value: {driver: expected outcome}.
#   ("sysfs", file, value)  -> outcome of write_file(): (errno, log lines)
#   ("param", params)       -> outcome of try_load(): (modprobe rc, message, log)
# Log lines are after normalisation (`norm_log`), with the bond name as BOND.
# rust_bond refuses the modes it does not implement yet with EOPNOTSUPP and
# its own log line; remove an entry when the mode lands.
# ---------------------------------------------------------------------------
def _unsupported_mode_log(name, num):
    return [f"BOND: option mode: mode {name} ({num}) is not supported by rust_bond yet"]


KNOWN_DIFFERENCES = {}
# (No entry for the SIOCBOND* ioctls: test_bond_ioctl.py finds rust_bond's
# answers identical to C's.)
for _num, _name in enumerate(ALL_MODES):
    if _num < 4:
        continue
    for _val in (_name, str(_num)):
        KNOWN_DIFFERENCES[("sysfs", "mode", _val)] = {
            "rust_bond": (errno.EOPNOTSUPP, _unsupported_mode_log(_name, _num)),
        }
        # Module parameter mode=<4..6>: rust_bond refuses the load.
        KNOWN_DIFFERENCES[("param", f"mode={_val}")] = {
            "rust_bond": (1, "Operation not supported",
                          [f"Error: mode {_name} ({_num}) is not supported by rust_bond yet"]),
        }
del _num, _name, _val

# A non-Ethernet first slave (nlmon): C converts the bond to the slave's type
# and then fails on the MAC address, leaving the bond changed; rust_bond
# refuses it up front and leaves the bond as it was. Outcome: the case's
# (result, log, bond unchanged) as test_enslave_errors records them.
_NON_ETHER = "rust_bond cannot enslave non-Ethernet devices yet"
KNOWN_DIFFERENCES[("enslave", "sysfs", "non-Ethernet first")] = {
    "rust_bond": (errno.EOPNOTSUPP, [f"BOND: (slave rbenl0): Error: {_NON_ETHER}"], True),
}
KNOWN_DIFFERENCES[("enslave", "iplink", "non-Ethernet first")] = {
    "rust_bond": ((2, f"Error: {_NON_ETHER}.", []), [], True),
}

# Through netlink (test_bond_netlink), rust_bond refuses the same with an
# extack message. Outcome: ((ip's exit status, stderr) or (errno, extack),
# log lines, nothing left/changed).
_RELEASED = "BOND (unregistering): Released all slaves"
for _num, _name in enumerate(ALL_MODES):
    if _num < 4:
        continue
    KNOWN_DIFFERENCES[("netlink", "add", f"mode {_name}")] = {
        "rust_bond": ((2, "Error: rust_bond: this mode is not supported yet."),
                      [_unsupported_mode_log(_name, _num)[0], _RELEASED], True),
    }
del _num, _name


def drop_known(got):
    """Check and remove the known differences from a differential result.

    `got` is {driver: {key: outcome}} with keys as in KNOWN_DIFFERENCES. For
    each known key, a driver with an entry must give exactly that outcome;
    the key is then dropped from every driver's result so that `same()`
    compares the rest. Returns the C outcomes of the dropped keys.
    """
    dropped = {}
    for key, per_driver in KNOWN_DIFFERENCES.items():
        if not any(key in res for res in got.values()):
            continue
        for name, res in got.items():
            if name in per_driver:
                assert res.get(key) == per_driver[name], (
                    f"{name}: {key} gave {res.get(key)!r}, the known difference says "
                    f"{per_driver[name]!r}")
        if "bonding" in got:
            dropped[key] = got["bonding"].get(key)
        for res in got.values():
            res.pop(key, None)
    return dropped


# ---------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------
def read(path):
    """The text of a file, or ("errno", n) when reading fails."""
    try:
        with open(path) as f:
            return f.read()
    except OSError as e:
        return ("errno", e.errno)


def write(path, data):
    """Write the text DATA in one write(2); return 0 or the errno."""
    return write_raw(path, data.encode())


def write_raw(path, data):
    """Write the bytes DATA in one write(2); return 0 or the errno."""
    try:
        fd = os.open(path, os.O_WRONLY)
    except OSError as e:
        return e.errno
    try:
        os.write(fd, data)
        return 0
    except OSError as e:
        return e.errno
    finally:
        os.close(fd)


def read_raw(path):
    """The bytes of a file, or ("errno", n) when reading fails."""
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        return ("errno", e.errno)


def kmsg_name(name):
    """A device name (bytes) as /dev/kmsg shows it: bytes below 0x20,
    from 0x7f, and the backslash escaped as \\xNN (so C's raw byte 0xff
    shows as `\\xff` and a literal backslash as `\\x5c`)."""
    return "".join(chr(c) if 0x20 <= c < 0x7f and c != 0x5c else f"\\x{c:02x}" for c in name)


def bond_dir(bond):
    return f"/sys/class/net/{bond}/bonding"


def read_all(bond, ns=None):
    """Every file under /sys/class/net/BOND/bonding as {name: text}."""
    if ns:
        out = sh(f"ip netns exec {ns} python3 -c '{_READ_ALL_PY}' {bond}")
        return json.loads(out)
    d = bond_dir(bond)
    return {name: read(f"{d}/{name}") for name in sorted(os.listdir(d))}


_READ_ALL_PY = (
    "import os,sys,json;d=\"/sys/class/net/%s/bonding\"%sys.argv[1];"
    "print(json.dumps({n:open(d+\"/\"+n).read() for n in sorted(os.listdir(d))}))"
)


def opt(bond, name):
    """One option file's text without the trailing newline."""
    return read(f"{bond_dir(bond)}/{name}").rstrip("\n")


def set_opt(bond, name, value):
    """Write an option that must succeed."""
    err = write(f"{bond_dir(bond)}/{name}", f"{value}\n")
    assert err == 0, f"writing {value!r} to {bond}/bonding/{name} failed: {errno.errorcode.get(err, err)}"


# ---------------------------------------------------------------------------
# Kernel log
# ---------------------------------------------------------------------------
_MODULE_PREFIX = re.compile(r"^(bonding|rust_bond): ")

# Lines the kernel prints on its own, that no bonding driver prints: the
# emulated CPU's slowness under TCG (seen in C's load log, 2026-12-07:
# "hrtimer: interrupt took 2157287 ns"), and the taint note of the boot's
# first out-of-tree module (whichever test loads rust_bond first). A
# driver's log must not depend on them.
_KERNEL_NOISE = re.compile(
    r"^(hrtimer: interrupt took \d+ ns"
    r"|\S+: loading out-of-tree module taints kernel\."
    r"|perf: interrupt took too long .*"
    r"|sched: RT throttling activated"
    r"|clocksource: .*)$")


class LogMark:
    """Kernel log lines printed after this mark.

    Reads /dev/kmsg in-process: spawning `dmesg` costs most of a second
    under TCG, and the tests mark the log around almost every write."""

    def __init__(self):
        self.fd = os.open("/dev/kmsg", os.O_RDONLY | os.O_NONBLOCK)
        os.lseek(self.fd, 0, os.SEEK_END)
        self.seen = []

    def lines(self):
        while True:
            try:
                rec = os.read(self.fd, 8192)
            except BlockingIOError:
                break
            except BrokenPipeError:  # overwritten records: skip them
                continue
            if not rec:
                break
            text = rec.decode(errors="replace").split(";", 1)[1]
            line = text.split("\n", 1)[0]
            if not _KERNEL_NOISE.match(line):
                self.seen.append(line)
        return list(self.seen)

    def __del__(self):
        os.close(self.fd)


def norm_log(lines, names=(), module_lines=True):
    """The bonding lines among LINES, normalised for comparison.

    Keeps lines that start with `<name>: ` for one of NAMES (netdev and
    slave messages of our bonds) and, if MODULE_LINES, lines that start with
    the module's prefix (`bonding: ` / `rust_bond: `) with that prefix
    removed. The version line is dropped (test_module checks it). Each bond
    name is replaced by BOND, BOND1, ... in order, so scenarios may use
    different names.
    """
    out = []
    for line in lines:
        m = _MODULE_PREFIX.match(line)
        if m:
            if not module_lines:
                continue
            line = line[m.end():]
            if line.startswith("Ethernet Channel Bonding Driver:"):
                continue
        elif not any(line.startswith(f"{n}: ") or line.startswith(f"{n} (unregistering): ")
                     for n in names):
            continue
        out.append(line)
    return out


def bond_log(mark, *names, module_lines=True):
    return norm_log(mark.lines(), names, module_lines)


def strip_prefix(line):
    """A log line without its `bonding: ` / `rust_bond: ` prefix."""
    return _MODULE_PREFIX.sub("", line)


def unprefixed_log(mark):
    """Every new line with the module prefix stripped (for module loads,
    where C's bond_main.c prints without any prefix)."""
    return [
        _MODULE_PREFIX.sub("", l) for l in mark.lines()
        if not _MODULE_PREFIX.sub("", l).startswith("Ethernet Channel Bonding Driver:")
    ]


def write_logged(path, data, *names):
    """Write; return (errno, the normalised log lines it printed)."""
    mark = LogMark()
    err = write(path, data)
    return err, bond_log(mark, *names)


# ---------------------------------------------------------------------------
# Bonds and slaves
# ---------------------------------------------------------------------------
def masters(ns=None):
    if ns:
        return sh(f"ip netns exec {ns} cat {MASTERS}")
    return read(MASTERS)


def masters_write(cmd, ns=None):
    """Write CMD to bonding_masters (in netns NS); return 0 or the errno."""
    if ns is None:
        return write(MASTERS, cmd)
    res = subprocess.run(
        ["ip", "netns", "exec", ns, "python3", "-c",
         "import os,sys\n"
         "try:\n"
         "  fd=os.open(sys.argv[1],os.O_WRONLY); os.write(fd,sys.argv[2].encode()); print(0)\n"
         "except OSError as e: print(e.errno)\n",
         MASTERS, cmd],
        capture_output=True, text=True, check=True)
    return int(res.stdout)


def create_bond(name, mode=None, ns=None):
    err = masters_write(f"+{name}\n", ns)
    assert err == 0, f"+{name}: {errno.errorcode.get(err, err)}"
    if mode is not None:
        set_opt(name, "mode", mode)


def delete_bond(name, ns=None):
    err = masters_write(f"-{name}\n", ns)
    assert err == 0, f"-{name}: {errno.errorcode.get(err, err)}"


def mac(i, j=0):
    """The fixed MAC of test slave I (j: second address pool)."""
    return f"02:00:00:00:{0x10 + j:02x}:{i:02x}"


def add_dummy(name, i, ns=None):
    pre = f"ip netns exec {ns} " if ns else ""
    sh(f"{pre}ip link add {name} address {mac(i)} type dummy")


def add_veth(name, i):
    """A veth pair NAME / NAMEp, both with fixed MACs, the peer up."""
    sh(f"ip link add {name} address {mac(i)} type veth peer name {name}p address {mac(i, 1)}")
    sh(f"ip link set {name}p up")


def del_link(name):
    sh(f"ip link del {name}", check=False)


def ip_rc(cmd):
    """Run a command; return (exit status, stderr)."""
    res = subprocess.run(cmd, shell=True, capture_output=True, text=True)
    return res.returncode, res.stderr.strip()


def enslave(bond, slave):
    set_opt(bond, "slaves", f"+{slave}")


def release(bond, slave):
    set_opt(bond, "slaves", f"-{slave}")


class Cleanup:
    """Links and namespaces to delete at the end of a scenario, in reverse."""

    def __init__(self):
        self.items = []

    def link(self, name):
        self.items.append(("link", name))
        return name

    def netns(self, name):
        self.items.append(("netns", name))
        return name

    def bond(self, name, ns=None):
        self.items.append(("bond", name, ns))
        return name

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for item in reversed(self.items):
            if item[0] == "link":
                del_link(item[1])
            elif item[0] == "netns":
                sh(f"ip netns del {item[1]}", check=False)
            else:
                _, name, ns = item
                pre = f"ip netns exec {ns} " if ns else ""
                sh(f"{pre}ip link del {name}", check=False)
        return False


def link_state(dev):
    """What a user sees of a (slave) device: sysfs basics, flags, master,
    bonding_slave files."""
    d = f"/sys/class/net/{dev}"
    master = os.path.join(d, "master")
    st = {
        "mtu": read(f"{d}/mtu").strip(),
        "address": read(f"{d}/address").strip(),
        "flags": read(f"{d}/flags").strip(),
        "operstate": read(f"{d}/operstate").strip(),
        "master": os.path.basename(os.readlink(master)) if os.path.islink(master) else None,
    }
    sd = f"{d}/bonding_slave"
    st["bonding_slave"] = (
        {n: read(f"{sd}/{n}") for n in sorted(os.listdir(sd))} if os.path.isdir(sd) else None
    )
    return st


def bond_state(bond):
    """A bond's link-level view, without its random MAC: whether the MAC is
    flagged random (addr_assign_type), and the MAC itself when it is one of
    the tests' fixed ones (else None)."""
    d = f"/sys/class/net/{bond}"
    random = read(f"{d}/addr_assign_type").strip() == "1"
    address = read(f"{d}/address").strip()
    return {
        "mtu": read(f"{d}/mtu").strip(),
        "flags": read(f"{d}/flags").strip(),
        "addr_random": random,
        "address": address if address.startswith("02:00:00:00:") else None,
        "type": read(f"{d}/type").strip(),
    }


def proc(bond, ns=None):
    """/proc/net/bonding/BOND without its first (version) line."""
    if ns:
        text = sh(f"ip netns exec {ns} cat /proc/net/bonding/{bond}")
    else:
        text = read(f"/proc/net/bonding/{bond}")
    assert isinstance(text, str), text
    return text.split("\n", 1)[1]


# ---------------------------------------------------------------------------
# Module loads that may fail
# ---------------------------------------------------------------------------
_MODPROBE_ERR = re.compile(r"could not insert '[^']*': (.*)$")


def try_load(name, params):
    """modprobe NAME PARAMS (with the other driver blocked).

    Returns (exit status, modprobe's error text after the module name,
    unprefixed log lines, bonding_masters text or None). Unloads the module
    again if it loaded, checking it leaves nothing behind.
    """
    other = next(d for d in ALL_DRIVERS if d != name)
    assert name not in loaded_modules() and other not in loaded_modules()
    with open(MODPROBE_CONF, "w") as f:
        f.write(f"install {other} /bin/false\n")
    devs_before = netdevs()
    mark = LogMark()
    try:
        res = subprocess.run(f"modprobe {name} {params}", shell=True, capture_output=True, text=True)
        m = _MODPROBE_ERR.search(res.stderr.strip())
        msg = m.group(1) if m else res.stderr.strip()
        listing = read(MASTERS) if os.path.exists(MASTERS) else None
        log = unprefixed_log(mark)
        files = None
        if name in loaded_modules():
            bonds = listing.split() if isinstance(listing, str) else []
            files = {b: read_all(b) for b in bonds}
            for b in bonds:
                sh(f"ip link del {b}")
            sh(f"modprobe -r {name}")
        assert name not in loaded_modules()
        assert netdevs() == devs_before, sorted(netdevs() ^ devs_before)
        assert not os.path.exists(MASTERS)
        assert other not in loaded_modules()
        return res.returncode, msg, log, listing, files
    finally:
        os.unlink(MODPROBE_CONF)
