# SPDX-License-Identifier: GPL-2.0
"""The option files under /sys/class/net/<bond>/bonding/: reading them in
each mode, setting them, and the errno, log lines and unchanged state of
every kind of bad write."""

import errno

import pytest

from bond_lib import (
    ALL_MODES, BOND_FILES, FRESH_FILES, KNOWN_DIFFERENCES, MODES, Cleanup,
    LogMark, add_dummy, bond_dir, bond_log, create_bond, drop_known, enslave, opt,
    read_all, set_opt, strip_prefix, write, write_logged,
)
from conftest import DRIVERS, same, sh

# Bond differential scenarios: the bench kernel runs them all against both
# drivers (`make check`), the debug kernel the first case of each function and
# the `debug_smoke` ones against rust_bond (see Documentation/testing.rst).
pytestmark = pytest.mark.bond

B = "rbo0"


def test_fresh_files_each_mode(differential):
    """Which files exist and what they say on a fresh bond, modes 0-3."""

    def scenario(drv):
        out = {}
        with Cleanup() as cl:
            for num, mode in enumerate(MODES):
                bond = cl.bond(f"rbo{num}")
                create_bond(bond, mode)
                out[mode] = read_all(bond)
        return out

    c = same(differential(scenario, "max_bonds=0"))
    for num, mode in enumerate(MODES):
        assert sorted(c[mode]) == sorted(BOND_FILES)
        assert c[mode] == {**FRESH_FILES, "mode": f"{mode} {num}\n"}, mode


# Values set one after the other on a bond in MODE (down, no slaves), and
# the files they must leave (C). Writing in this order also checks the
# setters' side effects (delays kept in miimon ticks, miimon clearing ARP).
CONFIGS = {
    "balance-rr": [
        ("miimon", "100"), ("updelay", "200"), ("downdelay", "250"),  # rounded to 200
        ("peer_notif_delay", "300"), ("miimon", "50"),                 # delays follow: ticks
        ("packets_per_slave", "7"), ("xmit_hash_policy", "layer2+3"), ("min_links", "3"),
        ("resend_igmp", "0"), ("num_grat_arp", "9"), ("all_slaves_active", "1"),
        ("use_carrier", "0"), ("lp_interval", "10"), ("arp_missed_max", "7"),
        ("arp_all_targets", "all"), ("arp_validate", "filter_backup"), ("ad_select", "bandwidth"),
        ("fail_over_mac", "follow"),
    ],
    "active-backup": [
        ("miimon", "200"), ("updelay", "400"), ("downdelay", "600"), ("primary", "rbnotyet"),
        ("primary_reselect", "failure"), ("fail_over_mac", "active"), ("num_unsol_na", "255"),
        ("arp_validate", "all"), ("miimon", "0"), ("active_slave", ""), ("xmit_hash_policy", "5"),
    ],
    "balance-xor": [
        ("xmit_hash_policy", "encap3+4"), ("miimon", "maxval"), ("updelay", "default"),
        ("min_links", "maxval"), ("resend_igmp", "maxval"), ("arp_missed_max", "minval"),
        ("lp_interval", "maxval"), ("ad_select", "2"),
    ],
    "broadcast": [
        ("miimon", " 10 "), ("downdelay", "15"), ("use_carrier", "off"), ("num_grat_arp", "off"),
        ("all_slaves_active", "on"), ("arp_validate", "6"), ("arp_all_targets", "1"),
    ],
}
CONFIGURED = {
    "balance-rr": {
        "miimon": "50\n", "updelay": "100\n", "downdelay": "100\n", "peer_notif_delay": "150\n",
        "packets_per_slave": "7\n", "xmit_hash_policy": "layer2+3 2\n", "min_links": "3\n",
        "resend_igmp": "0\n", "num_grat_arp": "9\n", "num_unsol_na": "9\n",
        "all_slaves_active": "1\n", "use_carrier": "0\n", "lp_interval": "10\n",
        "arp_missed_max": "7\n", "arp_all_targets": "all 1\n", "arp_validate": "filter_backup 6\n",
        "ad_select": "bandwidth 1\n", "fail_over_mac": "follow 2\n",
    },
    "active-backup": {
        "miimon": "0\n", "updelay": "0\n", "downdelay": "0\n", "primary": "",
        "primary_reselect": "failure 2\n", "fail_over_mac": "active 1\n",
        "num_unsol_na": "255\n", "num_grat_arp": "255\n", "arp_validate": "all 3\n",
        "xmit_hash_policy": "vlan+srcmac 5\n",
    },
    "balance-xor": {
        "xmit_hash_policy": "encap3+4 4\n", "miimon": "2147483647\n", "updelay": "0\n",
        "min_links": "2147483647\n", "resend_igmp": "255\n", "arp_missed_max": "1\n",
        "lp_interval": "2147483647\n", "ad_select": "count 2\n",
    },
    "broadcast": {
        "miimon": "10\n", "downdelay": "10\n", "use_carrier": "0\n", "num_grat_arp": "0\n",
        "num_unsol_na": "0\n", "all_slaves_active": "1\n", "arp_validate": "filter_backup 6\n",
        "arp_all_targets": "all 1\n",
    },
}


def test_configured_files_each_mode(differential):
    def scenario(drv):
        out = {}
        with Cleanup() as cl:
            for num, mode in enumerate(MODES):
                bond = cl.bond(f"rbo{num}")
                create_bond(bond, mode)
                mark = LogMark()
                errs = [(f, v, write(f"{bond_dir(bond)}/{f}", f"{v}\n")) for f, v in CONFIGS[mode]]
                out[mode] = (errs, read_all(bond), bond_log(mark, bond))
        return out

    c = same(differential(scenario, "max_bonds=0"))
    for num, mode in enumerate(MODES):
        errs, files, log = c[mode]
        assert [e for e in errs if e[2]] == [], mode
        assert files == {**FRESH_FILES, "mode": f"{mode} {num}\n", **CONFIGURED[mode]}, mode
    assert ("rbo0: down delay (250) is not a multiple of miimon (100), value rounded to 200 ms"
            in c["balance-rr"][2]), c["balance-rr"][2]


# Bad writes: (mode, set-up, file, value, C errno, C log lines with the bond
# name as BOND), as C 6.12.117 gives them.
# Set-ups: "" = down, no slaves; "up" = bond up; "slave" = one dummy slave
# (rbod0); "slave,up" = both; "miimon" = miimon 100.
_EINVAL, _EPERM, _EACCES = errno.EINVAL, errno.EPERM, errno.EACCES
BAD_WRITES = [
    # words and numbers the tables do not have
    (0, '', 'mode', 'foo', errno.EINVAL,
     ['BOND: option mode: invalid value (foo)']),
    (0, '', 'mode', '7', errno.EINVAL,
     ['BOND: option mode: invalid value (7)']),
    (0, '', 'mode', '-1', errno.EINVAL,
     ['BOND: option mode: invalid value (-1)']),
    (0, '', 'mode', '', errno.EINVAL,
     ['BOND: option mode: invalid value ()']),
    (0, '', 'mode', 'balance-rr-x', errno.EINVAL,
     ['BOND: option mode: invalid value (balance-rr-x)']),
    (0, '', 'xmit_hash_policy', 'layer5', errno.EINVAL,
     ['BOND: option xmit_hash_policy: invalid value (layer5)']),
    (0, '', 'xmit_hash_policy', '6', errno.EINVAL,
     ['BOND: option xmit_hash_policy: invalid value (6)']),
    (0, '', 'arp_validate', 'bogus', errno.EINVAL,
     ['BOND: option arp_validate: invalid value (bogus)']),
    (0, '', 'arp_validate', '7', errno.EINVAL,
     ['BOND: option arp_validate: invalid value (7)']),
    (0, '', 'arp_all_targets', 'some', errno.EINVAL,
     ['BOND: option arp_all_targets: invalid value (some)']),
    (0, '', 'fail_over_mac', 'sometimes', errno.EINVAL,
     ['BOND: option fail_over_mac: invalid value (sometimes)']),
    (1, '', 'primary_reselect', 'never', errno.EINVAL,
     ['BOND: option primary_reselect: invalid value (never)']),
    (0, '', 'ad_select', 'foo', errno.EINVAL,
     ['BOND: option ad_select: invalid value (foo)']),
    (0, '', 'use_carrier', '2', errno.EINVAL,
     ['BOND: option use_carrier: invalid value (2)']),
    (0, '', 'all_slaves_active', '2', errno.EINVAL,
     ['BOND: option all_slaves_active: invalid value (2)']),
    # out of range; the second line names the table's range
    (0, '', 'miimon', '-1', errno.EINVAL,
     ['BOND: option miimon: invalid value (-1)', 'BOND: option miimon: allowed values 0 - 2147483647']),
    (0, '', 'miimon', 'abc', errno.EINVAL,
     ['BOND: option miimon: invalid value (abc)', 'BOND: option miimon: allowed values 0 - 2147483647']),
    (0, '', 'miimon', '2147483648', errno.EINVAL,
     ['BOND: option miimon: invalid value (2147483648)', 'BOND: option miimon: allowed values 0 - 2147483647']),
    (0, '', 'miimon', '', errno.EINVAL,
     ['BOND: option miimon: invalid value ()', 'BOND: option miimon: allowed values 0 - 2147483647']),
    (0, '', 'miimon', '0x10', errno.EINVAL,
     ['BOND: option miimon: invalid value (0x10)', 'BOND: option miimon: allowed values 0 - 2147483647']),
    (0, '', 'arp_missed_max', '0', errno.EINVAL,
     ['BOND: option arp_missed_max: invalid value (0)', 'BOND: option arp_missed_max: allowed values 1 - 255']),
    (0, '', 'arp_missed_max', '256', errno.EINVAL,
     ['BOND: option arp_missed_max: invalid value (256)', 'BOND: option arp_missed_max: allowed values 1 - 255']),
    (0, '', 'num_grat_arp', '256', errno.EINVAL,
     ['BOND: option num_grat_arp: invalid value (256)', 'BOND: option num_grat_arp: allowed values 0 - 255']),
    (0, '', 'num_unsol_na', '300', errno.EINVAL,
     ['BOND: option num_unsol_na: invalid value (300)', 'BOND: option num_unsol_na: allowed values 0 - 255']),
    (0, '', 'resend_igmp', '256', errno.EINVAL,
     ['BOND: option resend_igmp: invalid value (256)', 'BOND: option resend_igmp: allowed values 0 - 255']),
    (0, '', 'packets_per_slave', '65536', errno.EINVAL,
     ['BOND: option packets_per_slave: invalid value (65536)', 'BOND: option packets_per_slave: allowed values 0 - 65535']),
    (0, '', 'lp_interval', '0', errno.EINVAL,
     ['BOND: option lp_interval: invalid value (0)', 'BOND: option lp_interval: allowed values 1 - 2147483647']),
    (0, '', 'min_links', '-1', errno.EINVAL,
     ['BOND: option min_links: invalid value (-1)', 'BOND: option min_links: allowed values 0 - 2147483647']),
    (0, '', 'arp_interval', '-5', errno.EINVAL,
     ['BOND: option arp_interval: invalid value (-5)', 'BOND: option arp_interval: allowed values 0 - 2147483647']),
    (0, '', 'updelay', '-100', errno.EINVAL,
     ['BOND: option updelay: invalid value (-100)', 'BOND: option updelay: allowed values 0 - 2147483647']),
    (0, 'miimon', 'peer_notif_delay', '300001', errno.EINVAL,
     ['BOND: option peer_notif_delay: invalid value (300001)', 'BOND: option peer_notif_delay: allowed values 0 - 300000']),
    # delays need miimon
    (0, '', 'updelay', '100', errno.EPERM,
     ['BOND: Unable to set up delay as MII monitoring is disabled']),
    (1, '', 'downdelay', '100', errno.EPERM,
     ['BOND: Unable to set down delay as MII monitoring is disabled']),
    (2, '', 'peer_notif_delay', '100', errno.EPERM,
     ['BOND: Unable to set peer notification delay as MII monitoring is disabled']),
    # wrong mode: EACCES, whatever the set-up
    (0, '', 'lacp_rate', 'fast', errno.EACCES,
     ['BOND: option lacp_rate: mode dependency failed, not supported in mode balance-rr(0)']),
    (1, '', 'lacp_active', 'off', errno.EACCES,
     ['BOND: option lacp_active: mode dependency failed, not supported in mode active-backup(1)']),
    (2, '', 'ad_actor_sys_prio', '100', errno.EACCES,
     ['BOND: option ad_actor_sys_prio: mode dependency failed, not supported in mode balance-xor(2)']),
    (3, '', 'ad_user_port_key', '1', errno.EACCES,
     ['BOND: option ad_user_port_key: mode dependency failed, not supported in mode broadcast(3)']),
    (0, '', 'ad_actor_system', '02:00:00:00:00:01', errno.EACCES,
     ['BOND: option ad_actor_system: mode dependency failed, not supported in mode balance-rr(0)']),
    (1, '', 'tlb_dynamic_lb', '0', errno.EACCES,
     ['BOND: option tlb_dynamic_lb: mode dependency failed, not supported in mode active-backup(1)']),
    (0, '', 'primary', 'rbod9', errno.EACCES,
     ['BOND: option primary: mode dependency failed, not supported in mode balance-rr(0)']),
    (2, '', 'primary', '', errno.EACCES,
     ['BOND: option primary: mode dependency failed, not supported in mode balance-xor(2)']),
    (3, '', 'active_slave', 'rbod9', errno.EACCES,
     ['BOND: option active_slave: mode dependency failed, not supported in mode broadcast(3)']),
    (1, '', 'packets_per_slave', '3', errno.EACCES,
     ['BOND: option packets_per_slave: mode dependency failed, not supported in mode active-backup(1)']),
    # slaves present (ENOTEMPTY, checked before up) / bond up (EBUSY)
    (0, 'slave', 'mode', 'active-backup', errno.ENOTEMPTY,
     ['BOND: option mode: unable to set because the bond device has slaves']),
    (1, 'slave', 'fail_over_mac', 'active', errno.ENOTEMPTY,
     ['BOND: option fail_over_mac: unable to set because the bond device has slaves']),
    (0, 'slave,up', 'mode', 'balance-xor', errno.ENOTEMPTY,
     ['BOND: option mode: unable to set because the bond device has slaves']),
    (0, 'up', 'mode', 'active-backup', errno.EBUSY,
     ['BOND: option mode: unable to set because the bond device is up']),
    (2, 'up', 'ad_select', 'count', errno.EBUSY,
     ['BOND: option ad_select: unable to set because the bond device is up']),
    (0, 'up', 'lacp_rate', 'fast', errno.EACCES,
     ['BOND: option lacp_rate: mode dependency failed, not supported in mode balance-rr(0)']),
    # unknown devices and other refusals of the setters
    (1, '', 'active_slave', 'rbnone', errno.ENODEV,
     ['BOND: option active_slave: interface rbnone does not exist!']),
    (1, '', 'active_slave', 'lo', errno.EINVAL,
     ['BOND: (slave lo): Device is not bonding slave', 'BOND: option active_slave: invalid value (lo)']),
    (1, 'slave', 'active_slave', 'rbnone', errno.ENODEV,
     ['BOND: option active_slave: interface rbnone does not exist!']),
    (0, '', 'slaves', 'rbod9', errno.EPERM,
     ['BOND: no command found in slaves file - use +ifname or -ifname']),
    (0, '', 'slaves', '+', errno.EPERM,
     ['BOND: no command found in slaves file - use +ifname or -ifname']),
    (0, '', 'slaves', '+rbnone', errno.ENODEV,
     ['BOND: option slaves: interface +rbnone does not exist!']),
    (0, '', 'slaves', '-rbnone', errno.ENODEV,
     ['BOND: option slaves: interface -rbnone does not exist!']),
    # queue_id: every error is EPERM and C logs nothing
    (0, '', 'slaves', '-rbod9', errno.EINVAL,
     ['BOND: option slaves: invalid value (-rbod9)']),
    (0, '', 'queue_id', 'bad', errno.EPERM,
     []),
    (0, '', 'queue_id', 'rbod9:1', errno.EPERM,
     []),
    (0, 'slave', 'queue_id', 'rbod0:100', errno.EPERM,
     []),
    (0, 'slave', 'queue_id', 'rbod0:x', errno.EPERM,
     []),
    # read-only files: open(O_WRONLY) is refused
    (0, 'slave', 'queue_id', 'rbnone:1', errno.EPERM,
     []),
    (0, '', 'mii_status', 'up', errno.EACCES,
     []),
    (0, '', 'ad_aggregator', '1', errno.EACCES,
     []),
]


def _bad_write_scenario(entries):
    """One bond per (mode, set-up), reused: a refused write changes nothing
    (checked), and creating bonds is slow under TCG."""

    def scenario(drv):
        out = []
        with Cleanup() as cl:
            add_dummy(cl.link("rbod9"), 9)   # never enslaved
            bonds = {}
            nslaves = 0
            for num, setup, f, value, _, _ in entries:
                if (num, setup) not in bonds:
                    bond = bonds[(num, setup)] = cl.bond(f"rbo{len(bonds)}")
                    create_bond(bond, MODES[num])
                    if "miimon" in setup:
                        set_opt(bond, "miimon", 100)
                    if "slave" in setup:
                        slave = cl.link(f"rbod{nslaves}")
                        add_dummy(slave, nslaves + 1)
                        nslaves += 1
                        enslave(bond, slave)
                    if "up" in setup:
                        sh(f"ip link set {bond} up")
                bond = bonds[(num, setup)]
                before = read_all(bond)
                err, log = write_logged(f"{bond_dir(bond)}/{f}", f"{value}\n", bond)
                after = read_all(bond)
                changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
                out.append((MODES[num], setup, f, value, err,
                            [l.replace(bond, "BOND", 1) for l in log], changed))
        return out

    return scenario


def test_bad_writes(differential):
    """Every kind of refused write: same errno, same log, nothing changed."""
    c = same(differential(_bad_write_scenario(BAD_WRITES), "max_bonds=0"))
    problems = []
    for (num, setup, f, value, eerr, elog), (mode, _, _, _, err, log, changed) in zip(BAD_WRITES, c):
        where = f"{mode}/{setup}: {f} <- {value!r}"
        if err != eerr:
            problems.append(f"{where}: errno {errno.errorcode.get(err, err)}, expected {errno.errorcode[eerr]}")
        if changed:
            problems.append(f"{where}: changed {changed}")
        if log != elog:
            problems.append(f"{where}: log {log}, expected {elog}")
    assert not problems, "\n".join(problems)


def test_mode_writes(differential):
    """Every mode by name and by number, and what it changes.

    rust_bond refuses 802.3ad, balance-tlb and balance-alb for now: those
    outcomes are checked against KNOWN_DIFFERENCES instead of C."""

    def scenario(drv):
        out = {}
        with Cleanup() as cl:
            # One bond, put back to balance-rr between writes (creating
            # bonds is slow under TCG).
            bond = cl.bond("rbo0")
            create_bond(bond)
            for num, name in enumerate(ALL_MODES):
                for value in (name, str(num)):
                    set_opt(bond, "mode", "balance-rr")
                    set_opt(bond, "miimon", "0")
                    set_opt(bond, "arp_validate", "active")
                    before = read_all(bond)
                    err, log = write_logged(f"{bond_dir(bond)}/mode", f"{value}\n", bond)
                    after = read_all(bond)
                    changed = {k: after[k] for k in before if before[k] != after[k]}
                    out[("sysfs", "mode", value)] = (err, [l.replace(bond, "BOND", 1) for l in log])
                    out[("changed", value)] = changed
        return out

    got = differential(scenario, "max_bonds=0")
    c = drop_known(got)
    for key in list(c):
        # A refused mode (rust_bond, 4-6) leaves everything unchanged; the C
        # side effects of those modes are checked below.
        value = key[2]
        if "rust_bond" in got:
            assert got["rust_bond"].pop(("changed", value)) == {}, value
        if "bonding" in got:
            c[("changed", value)] = got["bonding"].pop(("changed", value))
    same(got)
    if "bonding" in DRIVERS:
        b = {**got["bonding"], **c}
        for num, name in enumerate(ALL_MODES):
            for value in (name, str(num)):
                assert b[("sysfs", "mode", value)] == (0, []), value
        assert b[("changed", "active-backup")] == {
            "mode": "active-backup 1\n", "arp_validate": "none 0\n"}
        # 802.3ad, balance-tlb and balance-alb force miimon to 100.
        assert b[("changed", "6")] == {
            "mode": "balance-alb 6\n", "arp_validate": "none 0\n", "miimon": "100\n"}
        assert b[("changed", "802.3ad")]["miimon"] == "100\n"


@pytest.mark.skipif("rust_bond" not in DRIVERS, reason="rust_bond not selected")
def test_rust_bond_refuses_unimplemented_modes(driver):
    """rust_bond's own answer for modes 4-6 (see KNOWN_DIFFERENCES)."""
    if driver.name != "rust_bond":
        pytest.skip("rust_bond only")
    with Cleanup() as cl:
        bond = cl.bond("rbo0")
        create_bond(bond)
        before = read_all(bond)
        for num, name in enumerate(ALL_MODES[4:], 4):
            for value in (name, str(num)):
                err, log = write_logged(f"{bond_dir(bond)}/mode", f"{value}\n", bond)
                log = [l.replace(bond, "BOND", 1) for l in log]
                assert (err, log) == KNOWN_DIFFERENCES[("sysfs", "mode", value)]["rust_bond"]
                assert err == errno.EOPNOTSUPP
        assert read_all(bond) == before


def test_values_by_word_and_number(differential):
    """Each word of each enum file and its number give the same file."""
    enums = {
        "xmit_hash_policy": ["layer2", "layer3+4", "layer2+3", "encap2+3", "encap3+4", "vlan+srcmac"],
        "arp_validate": ["none", "active", "backup", "all", "filter", "filter_active", "filter_backup"],
        "arp_all_targets": ["any", "all"],
        "fail_over_mac": ["none", "active", "follow"],
        "ad_select": ["stable", "bandwidth", "count"],
        "primary_reselect": ["always", "better", "failure"],
    }

    def scenario(drv):
        out = {}
        with Cleanup() as cl:
            bond = cl.bond("rbo0")
            create_bond(bond, "active-backup")
            for f, words in enums.items():
                for num, word in enumerate(words):
                    for value in (word, str(num), f"{word}\n\n", f" {num} "):
                        err = write(f"{bond_dir(bond)}/{f}", value)
                        out[(f, value)] = (err, opt(bond, f))
                out[(f, "default")] = (write(f"{bond_dir(bond)}/{f}", "default"), opt(bond, f))
        return out

    c = same(differential(scenario, "max_bonds=0"))
    for f, words in enums.items():
        for num, word in enumerate(words):
            for value in (word, str(num), f"{word}\n\n"):
                assert c[(f, value)] == (0, f"{word} {num}"), (f, value, c[(f, value)])
        assert c[(f, "default")] == (0, f"{words[0]} 0")


# ---------------------------------------------------------------------------
# ARP monitor options
# ---------------------------------------------------------------------------
def _inval(value):
    # The option layer adds this line after the setter's own EINVAL message.
    return f"rbo0: option arp_ip_target: invalid value ({value})"


ARP_WRITES = [
    # (file, value, C errno, C log lines, then arp_interval, miimon, arp_ip_target)
    ("arp_interval", "100", 0, [], ("100", "0", "")),
    ("arp_ip_target", "+192.0.2.1", 0, [], ("100", "0", "192.0.2.1")),
    ("arp_ip_target", "+192.0.2.2", 0, [], ("100", "0", "192.0.2.1 192.0.2.2")),
    ("arp_ip_target", "+192.0.2.1", _EINVAL, ["rbo0: ARP target 192.0.2.1 is already present", _inval("+192.0.2.1")],
     ("100", "0", "192.0.2.1 192.0.2.2")),
    ("arp_ip_target", "192.0.2.3", _EPERM,
     ["rbo0: no command found in arp_ip_targets file - use +<addr> or -<addr>"],
     ("100", "0", "192.0.2.1 192.0.2.2")),
    ("arp_ip_target", "+255.255.255.255", _EINVAL,
     ["rbo0: invalid ARP target 255.255.255.255 specified for addition",
      _inval("+255.255.255.255")],
     ("100", "0", "192.0.2.1 192.0.2.2")),
    # 0.x.x.x is accepted (ipv4_is_zeronet is only 0.0.0.0 in this kernel)
    ("arp_ip_target", "+0.1.2.3", 0, [], ("100", "0", "192.0.2.1 192.0.2.2 0.1.2.3")),
    ("arp_ip_target", "+0.0.0.0", _EINVAL, ["rbo0: invalid ARP target 0.0.0.0 specified for addition",
                                     _inval("+0.0.0.0")],
     ("100", "0", "192.0.2.1 192.0.2.2 0.1.2.3")),
    ("arp_ip_target", "-0.1.2.3", 0, [], ("100", "0", "192.0.2.1 192.0.2.2")),
    ("arp_ip_target", "+x", _EPERM, None, ("100", "0", "192.0.2.1 192.0.2.2")),
    ("arp_ip_target", "-192.0.2.9", _EINVAL, ["rbo0: unable to remove nonexistent ARP target 192.0.2.9",
                                            _inval("-192.0.2.9")],
     ("100", "0", "192.0.2.1 192.0.2.2")),
    ("arp_ip_target", "-192.0.2.1", 0, [], ("100", "0", "192.0.2.2")),
    ("miimon", "100", 0, None, ("0", "100", "192.0.2.2")),       # clears arp_interval
    ("arp_interval", "200", 0, None, ("200", "0", "192.0.2.2")),  # clears miimon
    ("arp_ip_target", "-192.0.2.2", 0, ["rbo0: Removing last arp target with arp_interval on"],
     ("200", "0", "")),
    ("arp_interval", "maxval", 0, [], ("2147483647", "0", "")),
    ("arp_interval", "0", 0, [], ("0", "0", "")),
]


def test_arp_options(differential):
    def scenario(drv):
        out = []
        with Cleanup() as cl:
            bond = cl.bond("rbo0")
            create_bond(bond)
            for f, value, *_ in ARP_WRITES:
                err, log = write_logged(f"{bond_dir(bond)}/{f}", f"{value}\n", bond)
                out.append((f, value, err, log, opt(bond, "arp_interval"), opt(bond, "miimon"),
                            opt(bond, "arp_ip_target")))
            # Sixteen targets, then one more.
            out.append(("before fill", opt(bond, "arp_ip_target"),
                        [write(f"{bond_dir(bond)}/arp_ip_target", f"+198.51.100.{i}\n")
                         for i in range(1, 17)]))
            out.append(("full", write_logged(f"{bond_dir(bond)}/arp_ip_target",
                                             "+198.51.100.99\n", bond), opt(bond, "arp_ip_target")))
        return out

    c = same(differential(scenario, "max_bonds=0"))
    problems = []
    for (f, value, eerr, elog, estate), (_, _, err, log, *state) in zip(ARP_WRITES, c):
        if err != eerr:
            problems.append(f"{f} <- {value}: errno {err}")
        if elog is not None and log != elog:
            problems.append(f"{f} <- {value}: log {log}")
        if tuple(state) != estate:
            problems.append(f"{f} <- {value}: state {state}")
    assert not problems, "\n".join(problems)
    assert c[-2] == ("before fill", "", [0] * 16), c[-2]
    full = c[-1]
    assert full[1][0] == _EINVAL and "rbo0: ARP target table is full!" in full[1][1], full
    assert full[2] == " ".join(f"198.51.100.{i}" for i in range(1, 17))


def test_arp_load_params(differential):
    """arp_interval/arp_ip_target/arp_validate at load."""
    params = ("max_bonds=1 mode=1 arp_interval=300 arp_ip_target=192.0.2.1,192.0.2.2 "
              "arp_validate=active arp_all_targets=all")

    def scenario(drv):
        files = read_all("bond0")
        sh("ip link del bond0")
        return files, [strip_prefix(l) for l in drv.log() if "ARP monitoring" in l]

    files, log = same(differential(scenario, params))
    assert files["arp_interval"] == "300\n"
    assert files["arp_ip_target"] == "192.0.2.1 192.0.2.2\n"
    assert files["arp_validate"] == "active 1\n" and files["arp_all_targets"] == "all 1\n"
    assert log == ["ARP monitoring set to 300 ms, validate active, with 2 target(s): "
                   "192.0.2.1 192.0.2.2"], log
