# SPDX-License-Identifier: GPL-2.0
"""Bond options over rtnetlink (`ip link add/set ... type bond ...`,
`type bond_slave ...`, `ip -d link show`, pyroute2): what a user sees,
compared with bonding.ko."""

import errno
import json
import os
import struct
import subprocess
import time

import pytest

import nlraw
from bond_lib import (
    ALL_MODES, MODES, Cleanup, LogMark, add_dummy,
    bond_log, drop_known, ip_rc, kmsg_name, read_all,
)
from conftest import ALL_DRIVERS, DRIVERS, MODPROBE_CONF, loaded_modules, same, sh

pytestmark = pytest.mark.bond

IFLA_BOND_MODE, IFLA_BOND_ACTIVE_SLAVE, IFLA_BOND_MIIMON = 1, 2, 3
IFLA_BOND_ARP_IP_TARGET, IFLA_BOND_PRIMARY_RESELECT = 8, 12
IFLA_BOND_AD_ACTOR_SYSTEM, IFLA_BOND_PEER_NOTIF_DELAY = 26, 28
IFLA_BOND_MISSED_MAX, IFLA_BOND_NS_IP6_TARGET = 30, 31
IFLA_BOND_SLAVE_PRIO, IFLA_BOND_SLAVE_ACTOR_PORT_PRIO = 9, 10


def _mask(obj):
    """`ip -d -j link show` output with only what must differ masked:
    ifindexes (numbering depends on what ran before) and random MACs (the
    bond's own address before a slave gives it one). Everything else,
    queue counts and offload limits included, must be C's."""
    if isinstance(obj, list):
        return [_mask(o) for o in obj]
    if isinstance(obj, dict):
        out = {}
        for k, v in obj.items():
            if k == "ifindex":
                continue
            if k in ("address", "perm_hwaddr") and isinstance(v, str) \
                    and not v.startswith("02:00:00:00:") and v != "ff:ff:ff:ff:ff:ff":
                v = "RANDOM"
            out[k] = _mask(v)
        return out
    return obj


def _leaves(obj, path=()):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _leaves(v, path + (k,))
    elif isinstance(obj, (list, tuple)) and obj and isinstance(obj[0], (dict, list, tuple)):
        for i, v in enumerate(obj):
            yield from _leaves(v, path + (i,))
    else:
        yield path, obj


def same_explained(got):
    """`same()`, but a failure lists the differing values by path."""
    if len(got) > 1:
        a, b = (dict(_leaves(v)) for v in got.values())
        diff = {p: (a.get(p, "<none>"), b.get(p, "<none>"))
                for p in sorted(set(a) | set(b), key=repr) if a.get(p, "<none>") != b.get(p, "<none>")}
        assert not diff, "bonding vs rust_bond:\n" + "\n".join(
            f"{p}: {x!r} != {y!r}" for p, (x, y) in list(diff.items())[:60])
    return same(got)


def show(*devs):
    return {d: _mask(json.loads(sh(f"ip -d -j link show {d}"))[0]) for d in devs}


def ip_logged(cmd, *names):
    """Run an ip command; return ((exit status, stderr), normalised log)."""
    mark = LogMark()
    res = ip_rc(cmd)
    return res, bond_log(mark, *names)


# Per mode: `ip link add` options, then `ip link set ... type bond` options
# once two slaves are in. Delays are set after enslaving (a slave enslaved
# with updelay starts in BACK, and its dump would race the MII monitor).
CONFIGS = {
    "balance-rr": (
        "miimon 100 peer_notify_delay 300 packets_per_slave 3 min_links 1 resend_igmp 5 "
        "num_grat_arp 3 all_slaves_active 1 lp_interval 7 arp_missed_max 4 "
        "xmit_hash_policy layer3+4 arp_ip_target 192.0.2.1,192.0.2.2 arp_all_targets all",
        "updelay 200 downdelay 450 packets_per_slave 0 min_links 2 arp_ip_target 192.0.2.9",
    ),
    "active-backup": (
        "miimon 100 primary_reselect better num_grat_arp 3 fail_over_mac active "
        "resend_igmp 0 arp_validate 0",
        "primary rbnd11 updelay 200 num_unsol_na 7",
    ),
    "balance-xor": (
        "miimon 100 xmit_hash_policy encap3+4 min_links 2 lp_interval 3",
        "xmit_hash_policy vlan+srcmac miimon 0",
    ),
    "broadcast": (
        "miimon 50 downdelay 100 all_slaves_active 1",
        "miimon 25 arp_all_targets any",
    ),
}


def test_create_change_dump_each_mode(differential):
    """Create with options, enslave, change options: the bond's and slaves'
    `ip -d -j link show`, the sysfs files and the log agree with C."""

    def scenario(drv):
        out = {}
        with Cleanup() as cl:
            for num, mode in enumerate(MODES):
                b = cl.bond(f"rbn{num}")
                s0, s1 = cl.link(f"rbnd{num}0"), cl.link(f"rbnd{num}1")
                add_dummy(s0, 0x40 + num)
                add_dummy(s1, 0x50 + num)
                create, change = CONFIGS[mode]
                r = out[mode] = {}
                r["add"] = ip_logged(f"ip link add {b} type bond mode {mode} {create}", b)
                r["fresh"] = show(b)
                r["enslave"] = [ip_logged(f"ip link set {s} master {b}", b) for s in (s0, s1)]
                r["enslaved"] = show(b, s0, s1)
                r["set"] = ip_logged(f"ip link set {b} type bond {change}", b)
                r["changed"] = show(b, s0, s1)
                r["files"] = read_all(b)
        return out

    c = same_explained(differential(scenario, "max_bonds=0"))
    for num, mode in enumerate(MODES):
        r = c[mode]
        assert r["add"][0] == (0, "") and r["set"][0] == (0, ""), r
        data = r["changed"][f"rbn{num}"]["linkinfo"]["info_data"]
        assert data["mode"] == mode
        slave = r["changed"][f"rbnd{num}0"]["linkinfo"]
        assert slave["info_slave_kind"] == "bond"
        assert slave["info_slave_data"]["perm_hwaddr"] == f"02:00:00:00:10:{0x40 + num:02x}"
    assert c["active-backup"]["changed"]["rbn1"]["linkinfo"]["info_data"]["primary"] == "rbnd11"
    assert c["active-backup"]["changed"]["rbn1"]["linkinfo"]["info_data"]["active_slave"] == "rbnd11"
    assert c["balance-rr"]["changed"]["rbn0"]["linkinfo"]["info_data"]["arp_ip_target"] == ["192.0.2.9"]


# Bad `ip link` option sets: (name, options). Each is tried on a new bond
# (`ip link add`, which must leave no device) and on an existing
# active-backup bond with one slave (`ip link set`, which must change
# nothing, except where C has set an earlier attribute of the request).
BAD_IP = [
    ("arp with mii", "miimon 100 arp_interval 100"),
    ("arp_validate with mii", "miimon 100 arp_validate all"),
    ("active_slave not a slave", "active_slave lo"),
    ("lacp_rate mode", "lacp_rate fast"),
    ("tlb_dynamic_lb mode", "tlb_dynamic_lb 0"),
    ("ad_actor_sys_prio mode", "ad_actor_sys_prio 10"),
    ("ad_actor_system mode", "ad_actor_system 02:00:00:00:00:01"),
    ("ad_user_port_key mode", "ad_user_port_key 3"),
    ("lacp_active mode", "lacp_active off"),
    ("packets_per_slave range", "packets_per_slave 70000"),
    ("resend_igmp range", "resend_igmp 256"),
    ("updelay without miimon", "miimon 0 updelay 100"),
    ("arp target zero", "arp_ip_target 0.0.0.0"),
    ("arp target broadcast", "arp_ip_target 255.255.255.255"),
    ("arp target twice", "arp_ip_target 192.0.2.1,192.0.2.1"),
    ("arp_missed_max range", "arp_missed_max 0"),
]
# Fine on a new bond (down), refused on the existing one (up).
BAD_SET = [("mode while up", "mode broadcast")]
# On a new bond these are fine (mode 0 / the bond is down): they stand for
# the later attributes of a half-done create.
BAD_CREATE = [
    ("fails after mode and miimon", "mode active-backup miimon 100 updelay 200 lacp_rate fast"),
    ("fails at active_slave", "mode balance-rr miimon 100 active_slave lo"),
    ("fails at primary", "mode balance-xor miimon 100 primary lo"),
]

# Raw requests for values `ip` would refuse itself: (name, IFLA_INFO_DATA).
BAD_RAW = [
    ("mode 7", [nlraw.attr(IFLA_BOND_MODE, b"\x07")]),
    ("miimon above INT_MAX", [nlraw.attr(IFLA_BOND_MIIMON, nlraw.u32(0x80000000))]),
    ("primary_reselect 3", [nlraw.attr(IFLA_BOND_PRIMARY_RESELECT, b"\x03")]),
    ("active_slave unknown ifindex", [nlraw.attr(IFLA_BOND_ACTIVE_SLAVE, nlraw.u32(999999))]),
    ("ad_actor_system short", [nlraw.attr(IFLA_BOND_AD_ACTOR_SYSTEM, b"\x02\0\0\0\0")]),
    ("arp target zero", [nlraw.nested(IFLA_BOND_ARP_IP_TARGET, [nlraw.attr(0, b"\0\0\0\0")])]),
    ("arp target short", [nlraw.nested(IFLA_BOND_ARP_IP_TARGET, [nlraw.attr(0, b"\xc0\0")])]),
    ("ns target short", [nlraw.nested(IFLA_BOND_NS_IP6_TARGET, [nlraw.attr(0, b"\xfe\x80\0\0")])]),
    ("peer_notif_delay range", [nlraw.attr(IFLA_BOND_PEER_NOTIF_DELAY, nlraw.u32(300001))]),
    ("missed_max 0", [nlraw.attr(IFLA_BOND_MISSED_MAX, b"\x00")]),
    ("miimon short", [nlraw.attr(IFLA_BOND_MIIMON, b"\x01\x00")]),
]

for _name in ALL_MODES[4:]:
    BAD_IP.append((f"mode {_name}", f"mode {_name}"))
    # On the existing (up) bond both refuse mode changes with EBUSY.


def _bad(fn, bond, existing):
    """One bad request: (its result, its log, whether nothing changed)."""
    before = read_all(existing) if existing else None
    mark = LogMark()
    res = fn()
    log = [l.replace(bond, "BOND") for l in bond_log(mark, bond)]
    if existing:
        unchanged = read_all(existing) == before
    else:
        unchanged = [os.path.exists(f"/sys/class/net/{bond}"),
                     os.path.exists(f"/proc/net/bonding/{bond}")] == [False, False]
    return res, log, unchanged


def test_bad_values(differential):
    """Every bad attribute: same errno, extack text (ip's stderr) and log
    lines as C; a failed `ip link add` leaves no device behind, a failed
    `ip link set` changes nothing."""

    def scenario(drv):
        out = {}
        nl = nlraw.Rtnl()
        with Cleanup() as cl:
            e = cl.bond("rbne")
            s = cl.link("rbned0")
            add_dummy(s, 0x60)
            sh(f"ip link add {e} type bond mode active-backup miimon 100")
            sh(f"ip link set {s} master {e}; ip link set {e} up")
            idx = json.loads(sh(f"ip -j link show {e}"))[0]["ifindex"]
            for name, opts in BAD_IP + BAD_CREATE:
                b = cl.bond("rbnb")
                out[("netlink", "add", name)] = _bad(
                    lambda: ip_rc(f"ip link add rbnb type bond {opts}"), "rbnb", None)
                sh("ip link del rbnb", check=False)
            for name, data in BAD_RAW:
                out[("netlink", "raw add", name)] = _bad(
                    lambda: nl.newlink("rbnb", "bond", data), "rbnb", None)
                sh("ip link del rbnb", check=False)
                out[("netlink", "raw set", name)] = _bad(
                    lambda: nl.newlink(None, "bond", data, create=False, ifindex=idx), e, e)
            for name, opts in BAD_SET + BAD_IP:
                out[("netlink", "set", name)] = _bad(
                    lambda: ip_rc(f"ip link set {e} type bond {opts}"), e, e)
        nl.close()
        return out

    got = differential(scenario, "max_bonds=0")
    dropped = drop_known(got)
    c = same_explained(got)
    # The C results the known differences stand for: those requests work.
    for key, res in dropped.items():
        if key[1] == "add" or key[1] == "raw add":
            assert res[0][0] == 0, (key, res)
    # As in C, what comes before the failing attribute stays set: miimon 0,
    # and the first ARP target after the list was cleared.
    partial = {("netlink", "set", "updelay without miimon"), ("netlink", "set", "arp target twice")}
    for key, (res, log, unchanged) in c.items():
        assert res[0] != 0, (key, res, log)
        assert unchanged == (key not in partial), (key, res, log)
    assert c[("netlink", "add", "arp with mii")][0] == \
        (2, "Error: ARP monitoring cannot be used with MII monitoring.")
    assert c[("netlink", "set", "lacp_rate mode")][0] == (2, "Error: option not supported in mode.")
    assert c[("netlink", "raw add", "miimon above INT_MAX")][1] == [
        "BOND: option miimon: invalid value (18446744071562067968)",
        "BOND: option miimon: allowed values 0 - 2147483647",
        "BOND (unregistering): Released all slaves"]


# IFLA_IFNAME of a new bond (issue 14): (name, C's errno, the device made).
IFNAMES = [
    (b"rbi\xff", 0, b"rbi\xff"),              # not UTF-8
    (b"\xff" * 15, 0, b"\xff" * 15),          # the longest name
    (b"rbi" + "\u00e9".encode() * 6, 0, b"rbi" + "\u00e9".encode() * 6),
    (b"rbi\x01", 0, b"rbi\x01"),              # a control byte
    (b"rbi%d", 0, b"rbi0"),                   # a template
    (b"\xff" * 16, errno.ERANGE, None),        # too long: the policy's length
    (b"rbiabcdefghijklm", errno.ERANGE, None),
    (b"", errno.EINVAL, None),                # empty
    (b" ", errno.EINVAL, None),               # white space
    (b"rbi x", errno.EINVAL, None),
    (b"rbi\xa0", errno.EINVAL, None),         # 0xa0 is white space to the kernel
    (b"rbi/\xff", errno.EINVAL, None),
    (b"rbi:x", errno.EINVAL, None),
    (b"..", errno.EINVAL, None),
]


def test_ifname_bad_names(differential):
    """`RTM_NEWLINK` of kind bond with names that are not text, too long,
    empty, white space or with '/': C's errno and extack; what is created
    is named, listed in bonding_masters and /proc/net/bonding by its bytes."""

    def scenario(drv):
        nl = nlraw.Rtnl()
        before = set(os.listdir(b"/sys/class/net"))
        try:
            res = []
            for name, _, _ in IFNAMES:
                mark = LogMark()
                err, msg = nl.newlink(name, "bond")
                res.append((name, err, msg, bond_log(mark, kmsg_name(name))))
        finally:
            nl.close()
        devs = sorted(set(os.listdir(b"/sys/class/net")) - before)
        listing = open("/sys/class/net/bonding_masters", "rb").read()
        procs = sorted(os.listdir(b"/proc/net/bonding"))
        for d in devs:
            subprocess.run([b"ip", b"link", b"del", b"dev", d], check=True)
        return res, devs, listing, procs

    res, devs, listing, procs = same(differential(scenario, "max_bonds=0"))
    assert [(n, e) for n, e, _, _ in res] == [(n, e) for n, e, _ in IFNAMES]
    made = [m for _, _, m in IFNAMES if m]
    assert devs == sorted(made) and procs == sorted(made)
    assert listing == b" ".join(made) + b"\n"


def _slave_set(nl, dev, data):
    """RTM_NEWLINK on DEV with IFLA_INFO_SLAVE_DATA (for attributes
    iproute2 6.1 does not know)."""
    idx = json.loads(sh(f"ip -j link show {dev}"))[0]["ifindex"]
    info = nlraw.attr(nlraw.IFLA_INFO_SLAVE_KIND, b"bond\0") + nlraw.nested(
        nlraw.IFLA_INFO_SLAVE_DATA, data)
    err, msg, _ = nl.request(nlraw.RTM_NEWLINK, nlraw.NLM_F_ACK, idx,
                             [nlraw.attr(nlraw.IFLA_LINKINFO, info)])
    return err, msg


def test_slave_options(differential):
    """`ip link set DEV type bond_slave queue_id N prio P`, the errors, and
    the slave dump; `active_slave` and `primary` through netlink."""

    def scenario(drv):
        out = {}
        nl = nlraw.Rtnl()
        with Cleanup() as cl:
            for num, mode in ((0, "balance-rr"), (1, "active-backup")):
                b = cl.bond(f"rbns{num}")
                s0, s1 = cl.link(f"rbnsd{num}0"), cl.link(f"rbnsd{num}1")
                add_dummy(s0, 0x70 + num)
                add_dummy(s1, 0x78 + num)
                sh(f"ip link add {b} type bond mode {mode}")
                sh(f"ip link set {s0} master {b}; ip link set {s1} master {b}; ip link set {b} up")
                r = out[mode] = {}
                steps = [
                    f"ip link set dev {s0} type bond_slave queue_id 2 prio 10",
                    f"ip link set dev {s1} type bond_slave queue_id 2",
                    f"ip link set dev {s1} type bond_slave queue_id 17",
                    f"ip link set dev {s1} type bond_slave queue_id 16",
                    f"ip link set dev {s1} type bond_slave prio 20",
                    f"ip link set dev {s1} type bond_slave prio -5",
                    f"ip link set {b} type bond active_slave {s0}",
                    f"ip link set {b} type bond primary {s1}",
                    f"ip link set dev {s0} type bond_slave prio 30",
                    f"ip link set {b} type bond primary {s0}",
                ]
                for i, cmd in enumerate(steps):
                    r[i] = ip_logged(cmd, b)
                    r[i, "show"] = show(b, s0, s1)
                r["actor_port_prio"] = _slave_set(
                    nl, s0, [nlraw.attr(IFLA_BOND_SLAVE_ACTOR_PORT_PRIO, struct.pack("=H", 5))])
                r["files"] = read_all(b)
        nl.close()
        return out

    c = same_explained(differential(scenario, "max_bonds=0"))
    ab = c["active-backup"]
    assert ab[0][0] == (0, "")
    slave = ab[0, "show"]["rbnsd10"]["linkinfo"]["info_slave_data"]
    assert slave["queue_id"] == 2 and slave["prio"] == 10
    assert ab[1][0][0] != 0 and ab[2][0][0] != 0
    assert c["balance-rr"][0][0] == (2, "Error: option not supported in mode.")
    assert ab["actor_port_prio"] == (errno.EACCES, "option not supported in mode")


def test_pyroute2_set_and_dump(differential):
    """pyroute2 (what Python tools use): create with attributes, change one,
    read the attributes back, and a refused value's error."""
    from pyroute2 import IPRoute
    from pyroute2.netlink.exceptions import NetlinkError

    def attrs(ipr, idx):
        # Plain data: pyroute2's objects do not survive the reference store's
        # pickling, and every attribute it has no name for is "UNKNOWN".
        info = ipr.get_links(idx)[0].get_attr("IFLA_LINKINFO")
        data = info.get_attr("IFLA_INFO_DATA")
        out = {}
        for name, value in data["attrs"]:
            if name == "UNKNOWN":
                length = value["header"]["length"]
                name = f"UNKNOWN({value['header']['type']})"
                value = bytes(value.data[value.offset + 4:value.offset + length]).hex()
            out[name] = value
        return out

    def scenario(drv):
        out = {}
        with Cleanup() as cl, IPRoute() as ipr:
            cl.bond("rbnpy0")
            ipr.link("add", ifname="rbnpy0", kind="bond", bond_mode=1, bond_miimon=100,
                     bond_num_peer_notif=5, bond_primary_reselect=2)
            idx = ipr.link_lookup(ifname="rbnpy0")[0]
            out["created"] = attrs(ipr, idx)
            ipr.link("set", index=idx, kind="bond", bond_updelay=300, bond_min_links=2)
            out["changed"] = attrs(ipr, idx)
            try:
                ipr.link("set", index=idx, kind="bond", bond_xmit_hash_policy=9)
                out["bad"] = None
            except NetlinkError as e:
                out["bad"] = (e.code, str(e))
            out["after"] = attrs(ipr, idx)
        return out

    c = same_explained(differential(scenario, "max_bonds=0"))
    assert c["created"]["IFLA_BOND_MODE"] == 1 and c["created"]["IFLA_BOND_MIIMON"] == 100
    assert c["changed"]["IFLA_BOND_UPDELAY"] == 300 and c["changed"]["IFLA_BOND_MIN_LINKS"] == 2
    assert c["bad"][0] == errno.EINVAL and c["after"] == c["changed"]


@pytest.mark.parametrize("name", DRIVERS)
def test_autoload(name):
    """`ip link add NAME type bond` with no bonding driver loaded loads the
    one that is not blocked (`MODULE_ALIAS("rtnl-link-bond")`); with
    bonding.ko blocked, that is rust_bond."""
    other = next(d for d in ALL_DRIVERS if d != name)
    with open(MODPROBE_CONF, "w") as f:
        f.write(f"install {other} /bin/false\n")
    try:
        rc, err = ip_rc("ip link add rbnauto type bond mode active-backup miimon 100")
        mods = loaded_modules()
        info = json.loads(sh("ip -d -j link show rbnauto"))[0] if rc == 0 else None
        sh("ip link del rbnauto", check=False)
        for m in ALL_DRIVERS:
            if m in mods:
                sh(f"modprobe -r {m}")
        assert (rc, err) == (0, "")
        assert name in mods and other not in mods
        assert info["linkinfo"]["info_data"]["mode"] == "active-backup"
        assert info["linkinfo"]["info_data"]["miimon"] == 100
    finally:
        os.unlink(MODPROBE_CONF)
