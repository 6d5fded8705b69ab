# SPDX-License-Identifier: GPL-2.0
"""/proc/net/bonding/<bond>: the full text (but the version line) with 0, 1
and 2 slaves in each mode 0-3, with miimon, updelay, downdelay and primary."""

import pytest

from bond_lib import (
    MODES, Cleanup, add_dummy, bond_dir, create_bond, mac, proc, set_opt, write,
)

RESET = [("updelay", "0"), ("downdelay", "0"), ("peer_notif_delay", "0"), ("miimon", "0"),
         ("primary", ""), ("primary_reselect", "always"), ("fail_over_mac", "none"),
         ("xmit_hash_policy", "layer2")]
from conftest import same, sh

# Bond differential scenarios: the bench kernel runs them all against both
# drivers (`make check`), the debug kernel the first case of each function and
# the `debug_smoke` ones against rust_bond (see Documentation/testing.rst).
pytestmark = pytest.mark.bond

# (name, mode, options written before enslaving, bring the bond up)
SETUPS = [(f"{m}", m, [], False) for m in MODES] + [
    (f"{m}+mii", m, [("miimon", "100"), ("updelay", "200"), ("downdelay", "300"),
                     ("peer_notif_delay", "100")], False) for m in MODES
] + [
    (f"{m}+up", m, [("miimon", "100")], True) for m in MODES
] + [
    ("ab+primary", "active-backup", [("miimon", "100"), ("primary", "rbpd1"),
                                     ("primary_reselect", "better")], False),
    ("ab+primary-up", "active-backup", [("primary", "rbpd1")], True),
    ("ab+fail_over_mac", "active-backup", [("fail_over_mac", "follow")], False),
    ("xor+l34", "balance-xor", [("xmit_hash_policy", "layer3+4")], False),
]


def test_proc_text(differential):
    def scenario(drv):
        out = {}
        with Cleanup() as cl:
            # One bond per mode and two dummies for every set-up, put back
            # after each (creating and deleting devices is slow under TCG).
            bonds = {}
            for num, mode in enumerate(MODES):
                bonds[mode] = cl.bond(f"rbp{num}")
                create_bond(bonds[mode], mode)
            for j in range(2):
                add_dummy(cl.link(f"rbpd{j}"), 0x70 + j)
            for name, mode, opts, up in SETUPS:
                bond = bonds[mode]
                for f, v in opts:
                    set_opt(bond, f, v)
                if up:
                    sh(f"ip link set {bond} up")
                texts = [proc(bond)]
                for j in range(2):
                    set_opt(bond, "slaves", f"+rbpd{j}")
                    texts.append(proc(bond))
                out[name] = texts
                for j in range(2):
                    set_opt(bond, "slaves", f"-rbpd{j}")
                sh(f"ip link set {bond} down")
                for f, v in RESET:
                    write(f"{bond_dir(bond)}/{f}", v)
                assert proc(bond) == out[mode][0], name
        return out

    c = same(differential(scenario, "max_bonds=0"))
    assert c["balance-rr"][0] == (
        "\n"
        "Bonding Mode: load balancing (round-robin)\n"
        "MII Status: down\n"
        "MII Polling Interval (ms): 0\n"
        "Up Delay (ms): 0\n"
        "Down Delay (ms): 0\n"
        "Peer Notification Delay (ms): 0\n"
    ), c["balance-rr"][0]
    assert c["active-backup+mii"][2] == (
        "\n"
        "Bonding Mode: fault-tolerance (active-backup)\n"
        "Primary Slave: None\n"
        "Currently Active Slave: None\n"
        "MII Status: down\n"
        "MII Polling Interval (ms): 100\n"
        "Up Delay (ms): 200\n"
        "Down Delay (ms): 300\n"
        "Peer Notification Delay (ms): 100\n"
        "\n"
        "Slave Interface: rbpd0\n"
        "MII Status: going back\n"
        "Speed: Unknown\n"
        "Duplex: Unknown\n"
        "Link Failure Count: 0\n"
        f"Permanent HW addr: {mac(0x70)}\n"
        "Slave queue ID: 0\n"
        "\n"
        "Slave Interface: rbpd1\n"
        "MII Status: going back\n"
        "Speed: Unknown\n"
        "Duplex: Unknown\n"
        "Link Failure Count: 0\n"
        f"Permanent HW addr: {mac(0x71)}\n"
        "Slave queue ID: 0\n"
    ), c["active-backup+mii"][2]
    assert "Transmit Hash Policy: layer3+4 (1)\n" in c["xor+l34"][1]
    assert "Transmit Hash Policy: layer2 (0)\n" in c["balance-xor"][0]
    assert "Bonding Mode: fault-tolerance (active-backup) (fail_over_mac follow)\n" in c["ab+fail_over_mac"][0]
    assert "Primary Slave: rbpd1 (primary_reselect better)\n" in c["ab+primary"][2]
    assert "Currently Active Slave: rbpd1\n" in c["ab+primary-up"][2]
    assert "MII Status: up\n" in c["broadcast+up"][2]
