# SPDX-License-Identifier: GPL-2.0
"""Module load/unload and the test environment itself."""

import os
import platform

import pytest

from conftest import Driver, loaded_modules, sh

DRV_VERSION_LINE = f"Ethernet Channel Bonding Driver: v{platform.release()}"


def test_load_unload(driver):
    """Each driver loads with default parameters and unloads cleanly."""
    assert driver.name in loaded_modules()
    assert driver.other not in loaded_modules()


def test_rust_bond_prints_version_line():
    drv = Driver("rust_bond")
    drv.load()
    try:
        log = drv.log()
    finally:
        drv.unload_and_check()
    assert f"rust_bond: {DRV_VERSION_LINE} (rust_bond)" in log


def test_version_matches_c_driver(differential):
    """rust_bond reports the same driver description and version as C.

    C shows `bond_version` at the top of /proc/net/bonding/<bond>; rust_bond
    prints it at load (its /proc file comes with the bonding core).
    """

    def version(drv):
        if drv.name == "bonding":
            # Debian's systemd sets `options bonding max_bonds=0`: no bond0.
            sh("ip link add rbver0 type bond")
            try:
                with open("/proc/net/bonding/rbver0") as f:
                    return f.readline().strip()
            finally:
                sh("ip link del rbver0")
        line = next(l for l in drv.log() if "Ethernet Channel Bonding Driver" in l)
        return line.removeprefix("rust_bond: ").removesuffix(" (rust_bond)")

    got = differential(version)
    assert got["bonding"] == DRV_VERSION_LINE
    assert got["rust_bond"] == got["bonding"]


def test_fixture_catches_leftover_device():
    """The after-test check is real: a device left behind fails it."""
    drv = Driver("bonding")
    drv.load()
    sh("ip link add rbleft0 type dummy")
    try:
        with pytest.raises(AssertionError, match="rbleft0"):
            drv.unload_and_check()
    finally:
        sh("ip link del rbleft0")
    drv.unload_and_check()


def test_other_driver_cannot_autoload():
    """While rust_bond is under test, nothing can load bonding.ko behind it."""
    drv = Driver("rust_bond")
    drv.load()
    try:
        out = sh("modprobe bonding", check=False)
        assert "bonding" not in loaded_modules(), out
    finally:
        drv.unload_and_check()


@pytest.mark.parametrize(
    "module",
    [
        "bonding", "rust_bond", "pktgen", "veth", "dummy", "bridge", "macvlan",
        "ipvlan", "8021q", "nlmon", "sch_netem", "sch_ingress", "cls_flower",
        "act_gact", "team", "lkdtm",
    ],
)
def test_guest_modules_available(module):
    """Every module the tests and selftests need is installed in the guest."""
    sh(f"modinfo {module}")


def test_guest_environment():
    ksrc = os.environ["KSRC"]
    assert os.path.isdir(f"{ksrc}/tools/testing/selftests/drivers/net/bonding")
    for tool in ("ip", "tc", "jq", "ping", "ethtool", "tcpdump", "mausezahn", "ndisc6", "teamd"):
        sh(f"command -v {tool}")
