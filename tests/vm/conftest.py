# SPDX-License-Identifier: GPL-2.0
"""Fixtures for the VM tests: load a bonding driver, undo and check after.

Every scenario runs against both drivers: the C `bonding` (the reference)
and `rust_bond`. A test that wants to compare them takes `differential`,
which runs one scenario with each driver loaded in turn and returns both
results; a test about one driver takes the parametrized `driver`.
"""

import os
import subprocess
import time

import pytest

ALL_DRIVERS = ("bonding", "rust_bond")
# RB_TEST_DRIVERS=bonding runs the suite against one driver only (e.g. to
# check a new scenario against the reference before rust_bond implements it);
# `differential` then returns one result and comparisons are skipped.
DRIVERS = tuple(
    d for d in os.environ.get("RB_TEST_DRIVERS", ",".join(ALL_DRIVERS)).split(",") if d
)
MODPROBE_CONF = "/etc/modprobe.d/rust-bond-tests.conf"


def sh(cmd, check=True):
    """Run a shell command, return its stdout; raise with its stderr on failure."""
    res = subprocess.run(cmd, shell=True, capture_output=True, text=True)
    if check and res.returncode != 0:
        raise AssertionError(f"`{cmd}` exited {res.returncode}: {res.stderr.strip()}")
    return res.stdout


def loaded_modules():
    with open("/proc/modules") as f:
        return {line.split()[0]: line.split() for line in f}


def module_refcount(name):
    with open(f"/sys/module/{name}/refcnt") as f:
        return int(f.read())


def netdevs():
    """Names of the network devices in every network namespace."""
    devs = set(os.listdir("/sys/class/net"))
    for ns in sh("ip netns list", check=False).split():
        out = sh(f"ip netns exec {ns} ls /sys/class/net", check=False)
        devs |= {f"{ns}/{d}" for d in out.split()}
    return devs


def kmsg_lines():
    """All lines of the kernel log, without timestamps."""
    return [line.split("] ", 1)[-1] for line in sh("dmesg").splitlines()]


class Driver:
    """A loaded bonding driver and what the test may ask about it."""

    def __init__(self, name):
        self.name = name
        self.other = next(d for d in ALL_DRIVERS if d != name)
        self._log_start = 0

    def load(self, params=""):
        assert self.name not in loaded_modules(), f"{self.name} already loaded"
        assert self.other not in loaded_modules(), f"{self.other} is loaded"
        # Nothing may load the other driver behind the test's back
        # (`ip link add type bond` autoloads whatever claims the kind).
        with open(MODPROBE_CONF, "w") as f:
            f.write(f"install {self.other} /bin/false\n")
        self._log_start = len(kmsg_lines())
        self.devs_before = netdevs()
        sh(f"modprobe {self.name} {params}")
        self.devs_after_load = netdevs()

    def log(self):
        """Kernel log lines since this driver was loaded."""
        return kmsg_lines()[self._log_start:]

    def unload_and_check(self):
        """Unload; fail if the test left anything behind."""
        left = netdevs() - self.devs_after_load
        assert self.other not in loaded_modules(), f"{self.other} got loaded during the test"
        assert not left, f"devices left behind by the test: {sorted(left)}"
        refcnt = module_refcount(self.name)
        assert refcnt == 0, f"{self.name} refcount is {refcnt} after the test"
        sh(f"modprobe -r {self.name}")
        assert self.name not in loaded_modules(), f"{self.name} still loaded after modprobe -r"
        gone = netdevs() - self.devs_before
        assert not gone, f"devices left after unloading {self.name}: {sorted(gone)}"
        assert not os.path.exists("/sys/class/net/bonding_masters")
        assert not os.path.exists("/proc/net/bonding")
        os.unlink(MODPROBE_CONF)


@pytest.fixture(params=DRIVERS)
def driver(request):
    """The parametrized driver, loaded with default parameters."""
    drv = Driver(request.param)
    drv.load()
    yield drv
    drv.unload_and_check()


@pytest.fixture
def differential():
    """Run `scenario(driver)` with each driver loaded in turn.

    Returns {"bonding": result, "rust_bond": result}; the test compares them
    with `same(got)`, which passes trivially when RB_TEST_DRIVERS selects one.
    """

    def run(scenario, params=""):
        results = {}
        for name in DRIVERS:
            drv = Driver(name)
            drv.load(params)
            try:
                results[name] = scenario(drv)
            finally:
                drv.unload_and_check()
        return results

    return run


@pytest.fixture(autouse=True)
def no_bonding_driver_loaded():
    """Each test starts and ends with neither driver loaded."""
    for name in ALL_DRIVERS:
        assert name not in loaded_modules(), f"{name} loaded before the test"
    yield
    for name in ALL_DRIVERS:
        if name in loaded_modules():
            # A failed test may leave it; unload so the next test is not
            # blamed, but this test still fails.
            sh(f"ip -o link show type bond | cut -d: -f2 | xargs -rn1 ip link del", check=False)
            time.sleep(0.1)
            sh(f"modprobe -r {name}", check=False)
            pytest.fail(f"{name} was still loaded after the test")


def same(got):
    """Assert a `differential` result is the same for every driver run; return it."""
    values = list(got.values())
    for name, value in got.items():
        assert value == values[0], f"{name} differs from {next(iter(got))}:\n{value!r}\n!=\n{values[0]!r}"
    return values[0]


def pytest_configure(config):
    config.addinivalue_line("markers", "bond: a bond differential scenario (slow: see Makefile)")
    config.addinivalue_line("markers", "debug_smoke: a bond scenario the debug kernel runs too")
