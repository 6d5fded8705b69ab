# SPDX-License-Identifier: GPL-2.0
"""Creating bonds: /sys/class/net/bonding_masters and the module parameters
read at load (max_bonds, mode, miimon, ...)."""

import errno
import os

import pytest

from bond_lib import (
    BOND_FILES, DRIVERS, FRESH_FILES, KNOWN_DIFFERENCES, MASTERS, Cleanup, LogMark,
    bond_log, drop_known, kmsg_name, masters, masters_write, read_all, read_raw, try_load,
    write_raw,
)
from conftest import same, sh

# Bond differential scenarios: the bench kernel runs them all against both
# drivers (`make check`), the debug kernel the first case of each function and
# the `debug_smoke` ones against rust_bond (see Documentation/testing.rst).
pytestmark = pytest.mark.bond


def test_masters_listing_create_delete(differential):
    """+name / -name, the listing, /sys/class/net and /proc/net/bonding."""

    def scenario(drv):
        r = {}
        mark = LogMark()
        r["empty"] = masters()
        r["empty_proc"] = sorted(os.listdir("/proc/net/bonding"))
        r["+rbm0"] = masters_write("+rbm0\n")
        r["+rbm1"] = masters_write("+rbm1")           # no newline
        r["+rbm2 trailing"] = masters_write("+rbm2 ignored words\n")
        r["list3"] = masters()
        r["proc3"] = sorted(os.listdir("/proc/net/bonding"))
        r["is_bond"] = [os.path.isdir(f"/sys/class/net/{b}/bonding") for b in ("rbm0", "rbm1", "rbm2")]
        r["-rbm1"] = masters_write("-rbm1\n")
        r["list2"] = masters()
        r["proc2"] = sorted(os.listdir("/proc/net/bonding"))
        # A bond deleted with `ip link del` leaves the list too.
        sh("ip link del rbm0")
        r["list1"] = masters()
        r["-rbm2"] = masters_write("-rbm2\n")
        r["list0"] = masters()
        r["proc0"] = sorted(os.listdir("/proc/net/bonding"))
        r["log"] = bond_log(mark, "rbm0", "rbm1", "rbm2")
        return r

    c = same(differential(scenario, "max_bonds=0"))
    assert c["empty"] == "" and c["empty_proc"] == []
    assert c["+rbm0"] == c["+rbm1"] == c["+rbm2 trailing"] == 0
    assert c["list3"] == "rbm0 rbm1 rbm2\n"
    assert c["proc3"] == ["rbm0", "rbm1", "rbm2"]
    assert c["is_bond"] == [True, True, True]
    assert c["-rbm1"] == 0 and c["list2"] == "rbm0 rbm2\n"
    assert c["list1"] == "rbm2\n" and c["list0"] == "" and c["proc0"] == []
    for line in ("rbm0 is being created...", "rbm1 is being deleted...",
                 "rbm2 is being deleted...", "rbm0 (unregistering): Released all slaves"):
        assert line in c["log"], c["log"]


# (what is written, expected C errno); the log lines are compared between
# the drivers and the C ones checked in the test.
MASTERS_ERRORS = [
    ("+rbe0\n", 0),                # set-up for the duplicate below
    ("+rbe0\n", errno.EEXIST),     # duplicate
    ("+lo\n", errno.EEXIST),       # a name taken by another device
    ("rbe1\n", errno.EPERM),       # no command
    ("*rbe1\n", errno.EPERM),
    ("+\n", errno.EPERM),          # no name
    ("-\n", errno.EPERM),
    ("\n", errno.EPERM),
    ("+a/b\n", errno.EPERM),       # invalid names
    ("+a:b\n", errno.EPERM),
    ("+.\n", errno.EPERM),
    ("+..\n", errno.EPERM),
    ("-rbnone\n", errno.ENODEV),   # remove a bond that does not exist
    ("-lo\n", errno.ENODEV),       # ... or a device that is not a bond
    ("+abcdefghijklmnopqrst\n", 0),  # %16s: the name is cut to 15 characters
    ("+rbf%d\n", 0),               # a name template, as alloc_netdev takes it
]


def test_masters_errors(differential):
    def scenario(drv):
        out = []
        for cmd, _ in MASTERS_ERRORS:
            mark = LogMark()
            err = masters_write(cmd)
            out.append((cmd, err, bond_log(mark, "rbe0", "rbe1", "abcdefghijklmno", "rbf0")))
        listing = masters()
        for b in listing.split():
            sh(f"ip link del {b}")
        return out, listing

    got = same(differential(scenario, "max_bonds=0"))
    results, listing = got
    assert [(cmd, err) for cmd, err, _ in results] == MASTERS_ERRORS
    logs = {cmd: log for cmd, _, log in results}
    assert listing == "rbe0 abcdefghijklmno rbf0\n"
    assert results[0][2] == ["rbe0 is being created..."]
    assert results[1][2] == ["rbe0 is being created...", "rbe0 already exists"]
    assert logs["+lo\n"] == ["lo is being created...", "lo already exists"]
    for cmd in ("rbe1\n", "+\n", "+a/b\n", "+..\n"):
        assert logs[cmd] == ["no command found in bonding_masters - use +ifname or -ifname"], cmd
    assert logs["-rbnone\n"] == ["unable to delete non-existent rbnone"]
    assert logs["-lo\n"] == ["unable to delete non-existent lo"]


@pytest.mark.debug_smoke
def test_masters_two_netns(differential):
    """Each network namespace has its own bonding_masters and /proc dir."""

    def scenario(drv):
        r = {}
        with Cleanup() as cl:
            for ns in ("rbns1", "rbns2"):
                sh(f"ip netns add {cl.netns(ns)}")
            r["init_empty"] = masters()
            r["ns1_empty"] = masters("rbns1")
            r["+a ns1"] = masters_write("+rbna\n", "rbns1")
            cl.bond("rbna", "rbns1")
            r["+a ns2"] = masters_write("+rbna\n", "rbns2")  # same name, other netns
            cl.bond("rbna", "rbns2")
            r["+b ns2"] = masters_write("+rbnb\n", "rbns2")
            cl.bond("rbnb", "rbns2")
            r["+c init"] = masters_write("+rbnc\n")
            cl.bond("rbnc")
            r["lists"] = [masters(), masters("rbns1"), masters("rbns2")]
            r["procs"] = [
                sorted(os.listdir("/proc/net/bonding")),
                sh("ip netns exec rbns1 ls /proc/net/bonding").split(),
                sh("ip netns exec rbns2 ls /proc/net/bonding").split(),
            ]
            r["files_ns1"] = sorted(read_all("rbna", ns="rbns1"))
            # Deleting across namespaces fails.
            r["-b ns1"] = masters_write("-rbnb\n", "rbns1")
            r["-c ns2"] = masters_write("-rbnc\n", "rbns2")
            r["-b ns2"] = masters_write("-rbnb\n", "rbns2")
            r["lists_after"] = [masters(), masters("rbns1"), masters("rbns2")]
            # A bond cannot move to another namespace.
            r["move"] = sh("ip link set rbnc netns rbns1 2>&1; echo rc=$?", check=False).strip()
        return r

    c = same(differential(scenario, "max_bonds=0"))
    assert c["init_empty"] == "" and c["ns1_empty"] == ""
    assert c["+a ns1"] == c["+a ns2"] == c["+b ns2"] == c["+c init"] == 0
    assert c["lists"] == ["rbnc\n", "rbna\n", "rbna rbnb\n"]
    assert c["procs"] == [["rbnc"], ["rbna"], ["rbna", "rbnb"]]
    assert c["files_ns1"] == sorted(BOND_FILES)
    assert c["-b ns1"] == errno.ENODEV and c["-c ns2"] == errno.ENODEV
    assert c["-b ns2"] == 0
    assert c["lists_after"] == ["rbnc\n", "rbna\n", "rbna\n"]
    assert c["move"].endswith("rc=2"), c["move"]


# ---------------------------------------------------------------------------
# Module parameters
# ---------------------------------------------------------------------------
GOOD_PARAMS = [
    # (params, bonding_masters, {file: value} expected on every bond)
    ("max_bonds=0", "", {}),
    ("max_bonds=1", "bond0\n", {}),
    ("max_bonds=3", "bond0 bond1 bond2\n", {}),
    ("max_bonds=1 mode=active-backup miimon=100 updelay=200 downdelay=300",
     "bond0\n", {"mode": "active-backup 1\n", "miimon": "100\n", "updelay": "200\n",
                 "downdelay": "300\n"}),
    ("max_bonds=1 mode=2 xmit_hash_policy=layer3+4", "bond0\n",
     {"mode": "balance-xor 2\n", "xmit_hash_policy": "layer3+4 1\n"}),
    ("max_bonds=1 mode=broadcast miimon=50 updelay=120", "bond0\n",
     {"mode": "broadcast 3\n", "miimon": "50\n", "updelay": "100\n"}),
    ("max_bonds=1 mode=1 primary=rbp0 primary_reselect=better fail_over_mac=active "
     "num_grat_arp=5 resend_igmp=3 all_slaves_active=1 use_carrier=0 min_links=2 "
     "lp_interval=7",
     "bond0\n", {"mode": "active-backup 1\n", "primary": "", "primary_reselect": "better 1\n",
                 "fail_over_mac": "active 1\n", "num_grat_arp": "5\n", "num_unsol_na": "5\n",
                 "resend_igmp": "3\n", "all_slaves_active": "1\n", "use_carrier": "0\n",
                 "min_links": "2\n", "lp_interval": "7\n"}),
    ("max_bonds=1 mode=0 packets_per_slave=0 ad_select=count lacp_rate=fast", "bond0\n",
     {"packets_per_slave": "0\n", "ad_select": "count 2\n", "lacp_rate": "slow 0\n"}),
    # Out-of-range numbers are reset with a warning; the load succeeds.
    ("max_bonds=1 miimon=-1 updelay=-5 num_grat_arp=300 resend_igmp=-1 packets_per_slave=70000 "
     "use_carrier=5 all_slaves_active=9 lp_interval=0 tx_queues=0",
     "bond0\n", {"miimon": "0\n", "updelay": "0\n", "num_grat_arp": "1\n", "resend_igmp": "1\n",
                 "packets_per_slave": "1\n", "use_carrier": "1\n", "all_slaves_active": "0\n",
                 "lp_interval": "1\n"}),
    ("max_bonds=-1", "bond0\n", {}),
    # primary outside modes 1/5/6 and xmit_hash_policy in mode 0: ignored.
    ("max_bonds=1 primary=rbp0 xmit_hash_policy=layer2+3 updelay=100", "bond0\n",
     {"primary": "", "xmit_hash_policy": "layer2 0\n", "updelay": "0\n"}),
]


@pytest.mark.parametrize("params,listing,values", GOOD_PARAMS, ids=[p[0] for p in GOOD_PARAMS])
def test_load_params(params, listing, values):
    got = {}
    for name in DRIVERS:
        got[name] = try_load(name, params)
    rc, msg, log, lst, files = same(got)
    assert rc == 0, msg
    assert lst == listing
    for bond, f in files.items():
        assert sorted(f) == sorted(BOND_FILES)
        for k, v in values.items():
            assert f[k] == v, (bond, k, f[k])
    if "miimon=-1" in params:
        assert ("Warning: miimon module parameter (-1), not in range 0-2147483647, "
                "so it was reset to 0") in log, log
    if params == "max_bonds=1":
        assert files["bond0"] == FRESH_FILES


BAD_PARAMS = [
    # (params, modprobe's error, the C log line)
    ("mode=foo", "Invalid argument", 'Error: Invalid bonding mode "foo"'),
    ("mode=7", "Invalid argument", 'Error: Invalid bonding mode "7"'),
    ("mode=-1", "Invalid argument", 'Error: Invalid bonding mode "-1"'),
    # (in modes 0, 1, 3 C ignores xmit_hash_policy without parsing it)
    ("mode=2 xmit_hash_policy=bad", "Invalid argument", 'Error: Invalid xmit_hash_policy "bad"'),
    ("ad_select=bad", "Invalid argument", 'Error: Invalid ad_select "bad"'),
    ("fail_over_mac=bad", "Invalid argument", 'Error: invalid fail_over_mac "bad"'),
    ("mode=1 primary=x primary_reselect=bad", "Invalid argument",
     'Error: Invalid primary_reselect "bad"'),
    ("arp_validate=all", "Invalid argument", "arp_validate requires arp_interval"),
    ("miimon=foo", "Invalid argument", "`foo' invalid for parameter `miimon'"),
    ("max_bonds=x", "Invalid argument", "`x' invalid for parameter `max_bonds'"),
]


@pytest.mark.parametrize("params,msg,line", BAD_PARAMS, ids=[p[0] for p in BAD_PARAMS])
def test_load_bad_params(params, msg, line):
    """A bad value fails the load with the same errno and log lines."""
    got = {}
    for name in DRIVERS:
        got[name] = try_load(name, f"max_bonds=1 {params}")
    rc, m, log, lst, files = same(got)
    assert (rc, m, lst) == (1, msg, None)
    assert line in log, log


@pytest.mark.parametrize("mode", ["802.3ad", "4", "balance-tlb", "5", "balance-alb", "6"])
def test_load_unimplemented_modes(mode):
    """Modes 4-6 at load: C loads; rust_bond's answer is a known difference."""
    key = ("param", f"mode={mode}")
    assert key in KNOWN_DIFFERENCES
    got = {}
    for name in DRIVERS:
        rc, msg, log, lst, files = try_load(name, f"max_bonds=1 mode={mode}")
        got[name] = {key: (rc, msg, log) if rc else (rc, msg, log, lst, files)}
    c = drop_known(got)
    if "bonding" in DRIVERS:
        rc, msg, log, lst, files = c[key]
        assert rc == 0 and lst == "bond0\n"
        assert files["bond0"]["miimon"] == "100\n"  # forced for 4/5/6
    same(got)


# Names are bytes (issue 14): (what is written, C's errno). Each `+` that
# succeeds leaves a bond the scenario then deletes by `-name`.
MASTERS_BAD_NAMES = [
    (b"+rb\xff\n", 0),             # not UTF-8: C creates the 3-byte name rb\377
    (b"+rb\xff\n", errno.EEXIST),  # ... which is that bond again
    (b"-rb\xfe\n", errno.ENODEV),  # a non-UTF-8 name that does not exist
    (b"+" + b"\xff" * 20 + b"\n", 0),          # %16s: cut to 15 bytes
    (b"+rb" + "\u00e9".encode() * 8 + b"\n", 0),  # cut inside a UTF-8 character
    (b"+rb\x01c\n", 0),            # a control byte is a valid name byte
    (b"+rbs\xa0x\n", 0),           # 0xa0 is white space to the kernel's isspace()
    (b"\t +rbt\n", 0),             # leading white space is skipped
    (b" \t\n", errno.EPERM),       # white space only
    (b"+rbn\x00x\n", 0),           # a NUL ends the command
    (b"+rb/\xff\n", errno.EPERM),  # '/' and ':' are never in a name
    (b"+rb:\xff\n", errno.EPERM),
    # Last, as it took the VM down: four bad bytes formatted as \xNN made a
    # 16-character name, and alloc_netdev_mqs' BUG_ON(strlen >= IFNAMSIZ).
    (b"+\xff\xff\xff\xff\n", 0),
]


@pytest.mark.debug_smoke
def test_masters_bad_names(differential):
    """bonding_masters with names that are not text: created, listed and
    deleted as their bytes, with C's errno and log lines."""

    def scenario(drv):
        out = []
        before = set(os.listdir(b"/sys/class/net"))
        for cmd, _ in MASTERS_BAD_NAMES:
            mark = LogMark()
            err = write_raw(MASTERS, cmd)
            out.append((cmd, err, bond_log(mark)))
        listing = read_raw(MASTERS)
        devs = sorted(set(os.listdir(b"/sys/class/net")) - before)
        procs = sorted(os.listdir(b"/proc/net/bonding"))
        files = {name: os.path.isdir(b"/sys/class/net/" + name + b"/bonding") for name in devs}
        deleted = []
        for name in listing.rstrip(b"\n").split(b" "):
            mark = LogMark()
            err = write_raw(MASTERS, b"-" + name + b"\n")
            deleted.append((name, err, bond_log(mark, kmsg_name(name))))
        return out, listing, devs, procs, files, deleted, read_raw(MASTERS)

    out, listing, devs, procs, files, deleted, after = same(differential(scenario, "max_bonds=0"))
    assert [(cmd, err) for cmd, err, _ in out] == MASTERS_BAD_NAMES
    names = [b"rb\xff", b"\xff" * 15, b"rb" + "\u00e9".encode() * 6 + b"\xc3", b"rb\x01c",
             b"rbs", b"rbt", b"rbn", b"\xff" * 4]
    assert listing == b" ".join(names) + b"\n"
    assert devs == sorted(names) and procs == sorted(names)
    assert all(files.values()), files
    assert [err for _, err, _ in deleted] == [0] * len(names)
    assert after == b""
    assert out[0][2] == ["rb\\xff is being created..."]
    assert out[1][2] == ["rb\\xff is being created...", "rb\\xff already exists"]
    assert out[2][2] == ["unable to delete non-existent rb\\xfe"]
    assert deleted[0][2] == ["rb\\xff is being deleted...",
                             "rb\\xff (unregistering): Released all slaves"]
